# cmocka unit tests of the monitor's pure code: no /dev/kvm needed.
#
# Each tests/unit/test_<name>.c is one binary, $(AB)/tests/unit/test_<name>,
# linked with libmonitor.a. Tests of one arch's code are named after it
# (test_x86_*, test_arm64_*) and listed in UNIT_NAMES_<ARCH>.

UNIT_NAMES := elf gpa boot hc
UNIT_NAMES_x86_64 := x86_exit x86_tables
UNIT_NAMES_aarch64 :=
UNIT_NAMES += $(UNIT_NAMES_$(ARCH))
UNIT_BINS := $(patsubst %,$(AB)/tests/unit/test_%,$(UNIT_NAMES))

$(AB)/tests/unit/test_%: tests/unit/test_%.c $(AB)/libmonitor.a
	@mkdir -p $(dir $@)
	$(CC) $(MON_CFLAGS) $< $(AB)/libmonitor.a $(MON_LDFLAGS) -lcmocka -o $@

unit: $(UNIT_BINS)

.PHONY: unit
