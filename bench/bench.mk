# make bench: figures against floors measured in the same run (bench/run.sh).
# Host helpers go to build/bench/, bench guests to build/<arch>/bench/.

BENCH_DIR := $(B)/bench
BENCH_CFLAGS := -O2 -g $(WARN) -std=gnu11 -D_GNU_SOURCE
BENCH_BINS := $(addprefix $(BENCH_DIR)/,kvmfloor hello-native timeit stats hostdisk \
	hostwrite udpbench)

$(BENCH_DIR)/%: bench/%.c bench/diskpat.h bench/hostring.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BENCH_CFLAGS) $< -o $@

# The floors are static: no dynamic loader, the least a process can cost.
# kvmfloor has a common part and one per arch (bench/kvmfloor-ARCH.c).
$(BENCH_DIR)/hello-native: $(BENCH_DIR)/%: bench/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BENCH_CFLAGS) -static $< -o $@

# verifyfloor links the host's mbedtls (libmbedcrypto), as mote does.
BENCH_BINS += $(BENCH_DIR)/verifyfloor
$(BENCH_DIR)/verifyfloor: bench/verifyfloor.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BENCH_CFLAGS) -static $< -o $@ -lmbedcrypto

$(BENCH_DIR)/kvmfloor: bench/kvmfloor.c bench/kvmfloor-$(ARCH).c bench/kvmfloor.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BENCH_CFLAGS) -static bench/kvmfloor.c bench/kvmfloor-$(ARCH).c -o $@

BENCH_GUESTS := $(basename $(notdir $(wildcard bench/guests/*.c)))
$(foreach g,$(BENCH_GUESTS),$(eval $(call guest_elf1,bench/guests/$(g).c,bench/$(g))))
BENCH_ELFS := $(addprefix $(AB)/bench/,$(addsuffix .elf,$(BENCH_GUESTS)))

# bench/both/: one portable C source, two programs, the same flags: a static
# native one (glibc) in build/bench/both/ and a guest (mote-cc, musl, the
# libOS) in build/<arch>/bench/, so the C runtime can be set beside glibc.
# -fno-pie: mote-cc's code is not position-independent either.
BOTH := $(basename $(notdir $(wildcard bench/both/*.c)))
BOTH_CFLAGS := -O2 -g $(WARN) -std=gnu11
BOTH_NATIVE := $(addprefix $(BENCH_DIR)/both/,$(BOTH))
BOTH_ELFS := $(addprefix $(AB)/bench/,$(addsuffix .elf,$(BOTH)))

# A program's own manifest is bench/both/NAME.manifest if there is one
# (tcp: a network device); its libraries BOTH_LIBS_NAME (tls: mbedtls, the
# host's libmbedtls-dev natively, the guest's build from the same Debian
# release in the guest; natively, <mbedtls/mote_compat.h> from unikernel/
# after the system's headers, as the SDK has it).
BOTH_LIBS_tls := -lmbedtls -lmbedx509 -lmbedcrypto
BOTH_NATIVE_CFLAGS_tls := -idirafter unikernel
both_manifest = $(or $(wildcard bench/both/$(1).manifest),bench/both/manifest)

$(BOTH_NATIVE): $(BENCH_DIR)/both/%: bench/both/%.c bench/both/both.h \
		tests/guest/tls_certs.h unikernel/mbedtls/mote_compat.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BOTH_CFLAGS) $(BOTH_NATIVE_CFLAGS_$*) -static -fno-pie \
		-no-pie $< -o $@ $(BOTH_LIBS_$*)

$(BOTH_ELFS): $(AB)/bench/%.elf: bench/both/%.c bench/both/both.h \
		tests/guest/tls_certs.h $(wildcard bench/both/*manifest) $(MOTE_CC)
	@mkdir -p $(dir $@)
	$(call say,MOTECC,$@)
	$(Q)$(MOTE_CC) $(BOTH_CFLAGS) --manifest $(call both_manifest,$*) $< \
		-o $@ $(BOTH_LIBS_$*)

BENCH_ELFS += $(BOTH_ELFS)

# Signed with the test key (tests/tests.mk), run under the default policy.
BENCH_SIGNED := $(AB)/signed/hello.elf $(AB)/signed/udp-echo.elf \
	$(AB)/signed/lua.elf $(patsubst $(AB)/%,$(AB)/signed/%,$(BENCH_ELFS))

bench-guests: $(BENCH_ELFS) $(BENCH_SIGNED)

# fig_http: the https-server guest and its native build (the host's
# libmbedtls), its file tree and test CA (examples/https-server).
bench-build: all $(BENCH_BINS) $(BOTH_NATIVE) bench-guests \
	$(AB)/signed/https-server.elf $(HTTPS_NATIVE)

ifeq ($(ARCH),$(HOST_ARCH))
bench: bench-build
	@bench/setup
	@bench/run.sh $(MOTE) $(AB) $(BENCH_DIR) $(TEST_KEY).pub
else
# Cross-built for aarch64: the same scripts in the ARM64 lab, which is
# emulated (quick sizes; its times are no figures).
bench:
	@bench/arm64-lab.sh
endif

.PHONY: bench bench-build bench-guests
