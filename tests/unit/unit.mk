# cmocka unit tests of the monitor's pure code: no /dev/kvm needed.
#
# Each tests/unit/test_<name>.c is one binary, $(AB)/tests/unit/test_<name>,
# linked with libmonitor.a. Tests of one arch's code are named after it
# (test_x86_*, test_arm64_*) and listed in UNIT_NAMES_<ARCH>.

UNIT_NAMES := elf gpa boot hc hc_overlap net_xfer board policy
UNIT_NAMES += sig trust snap manifest devspec disk disk_batch files elf_sym backtrace vm_mem
UNIT_NAMES += oci sandbox seccomp rate
UNIT_NAMES_x86_64 := x86_exit x86_tables x86_cpuid
UNIT_NAMES_aarch64 := arm64_exit
UNIT_NAMES += $(UNIT_NAMES_$(ARCH))
UNIT_BINS := $(patsubst %,$(AB)/tests/unit/test_%,$(UNIT_NAMES))

# The dependency file goes with the objects, leaving only tests here.
$(AB)/tests/unit/test_%: tests/unit/test_%.c $(AB)/libmonitor.a
	@mkdir -p $(dir $@) $(AB)/obj/tests/unit
	$(call say,LD,$@)
	$(Q)$(CC) $(MON_CFLAGS) -MF $(AB)/obj/tests/unit/test_$*.d $< \
		$(AB)/libmonitor.a $(MON_LDFLAGS) $(MON_LIBS) -lcmocka -o $@

# test_sig reads tests/data/p384.key.pub wherever it is run from.
$(AB)/tests/unit/test_sig: MON_CFLAGS += -DMOTE_TEST_DATA='"$(CURDIR)/tests/data"'

# The arm64 builders are pure code, so their tests run on every host: they
# are compiled from source here (on aarch64 they are in libmonitor.a).
UNIT_ARM64 := fdt arm64_pt arm64_idle
UNIT_ARM64_SRC := $(if $(filter aarch64,$(ARCH)),,arch-arm64/arm64_fdt.c \
	arch-arm64/arm64_pt.c arch-arm64/arm64_cmdline.c arch-arm64/arm64_idle.c)
UNIT_BINS += $(patsubst %,$(AB)/tests/unit/test_%,$(UNIT_ARM64))

$(patsubst %,$(AB)/tests/unit/test_%,$(UNIT_ARM64)): $(AB)/tests/unit/test_%: \
		tests/unit/test_%.c $(UNIT_ARM64_SRC) $(AB)/libmonitor.a
	@mkdir -p $(dir $@) $(AB)/obj/tests/unit
	$(call say,LD,$@)
	$(Q)$(CC) $(MON_CFLAGS) -MF $(AB)/obj/tests/unit/test_$*.d $< \
		$(UNIT_ARM64_SRC) $(AB)/libmonitor.a $(MON_LDFLAGS) $(MON_LIBS) \
		-lcmocka -o $@

# The libOS's transmit queue (unikernel/lib/netdev.c), compiled for the
# host against a fake hypercall.
$(AB)/tests/unit/test_netdev_queue: tests/unit/test_netdev_queue.c \
		unikernel/lib/netdev.c unikernel/include/mote/netdev.h \
		unikernel/include/mote/abi.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
		-idirafter unikernel/include $(filter %.c,$^) $(UNIT_CROSS) -lcmocka -o $@
UNIT_BINS += $(AB)/tests/unit/test_netdev_queue

# The guest's DHCP pace (unikernel/net/dhcp_pace.c), compiled for the host.
$(AB)/tests/unit/test_dhcp_pace: tests/unit/test_dhcp_pace.c \
		unikernel/net/dhcp_pace.c unikernel/net/dhcp_pace.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -Iunikernel/net \
		$(filter %.c,$^) $(UNIT_CROSS) -lcmocka -o $@
UNIT_BINS += $(AB)/tests/unit/test_dhcp_pace

# The guest's ARP guard (unikernel/net/arp_guard.c), compiled for the host.
$(AB)/tests/unit/test_arp_guard: tests/unit/test_arp_guard.c \
		unikernel/net/arp_guard.c unikernel/net/arp_guard.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -Iunikernel/net \
		$(filter %.c,$^) $(UNIT_CROSS) -lcmocka -o $@
UNIT_BINS += $(AB)/tests/unit/test_arp_guard

-include tests/unit/apps.mk

# Without cmocka (libcmocka-dev, a test package: .ci/deps) there are no
# unit tests to build, and tests/run-all.sh says SKIP.
ifeq ($(wildcard /usr/include/cmocka.h /usr/local/include/cmocka.h),)
UNIT_BINS :=
endif

# Last, so that every addition to UNIT_BINS above (and in apps.mk) counts:
# a rule's prerequisites are expanded when make reads it.
unit: $(UNIT_BINS)

.PHONY: unit

# Cross-built (make ARCH=aarch64 unit): cmocka comes unpacked with the
# arm64 libraries (arch-arm64/arch.mk); tests/arm64/unit.sh runs them.
ifdef ARM64_STAMP
$(UNIT_BINS): | $(ARM64_STAMP)
endif

