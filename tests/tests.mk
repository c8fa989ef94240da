# make test: unit tests (cmocka), guest tests under real KVM (signed images,
# default policy), signature and command-line tests, the ARM64 lab; and a
# clang build, since gcc and clang must both build mote.

-include tests/unit/unit.mk
include tests/conform/conform.mk
GUEST_ELFS += $(CONFORM_GUEST)

# The host's mote signs images for every arch (signing is arch-neutral).
SIGNER := $(B)/mote
TEST_KEY := $(B)/keys/test.key
SIGNED_ELFS := $(patsubst $(AB)/%,$(AB)/signed/%,$(GUEST_ELFS))

$(TEST_KEY): | $(SIGNER)
	@mkdir -p $(dir $@)
	@rm -f $@ $@.pub
	$(Q)$(SIGNER) keygen $@ >/dev/null

# Signed again whenever mote changes: a signature an older mote wrote may
# not be in the form a newer one accepts (docs/image-format.md).
$(AB)/signed/%.elf: $(AB)/%.elf $(TEST_KEY) $(SIGNER)
	@mkdir -p $(dir $@)
	$(call say,SIGN,$@)
	$(Q)rm -f $@ && $(SIGNER) sign --key $(TEST_KEY) $< -o $@ >/dev/null

signed-guests: $(SIGNED_ELFS)

test: deps-test
	@$(MAKE) --no-print-directory test-run

test-run: all $(UNIT_BINS) signed-guests test-tools clang-build \
		conform-native lua-expected
	@tests/run-all.sh $(ARCH)

# The monitor and the unit tests built with clang too (its warnings, and
# tests/run-all.sh runs these unit tests as well); the guests' libraries
# are built once, with the toolchain mote-cc uses. Without clang (a test
# package) tests/run-all.sh says SKIP.
clang-build:
	@echo "=== clang build (build/clang: the monitor and the unit tests)"
	@if command -v clang >/dev/null; then \
		$(MAKE) -s --no-print-directory CC=clang B=$(B)/clang \
			$(B)/clang/mote unit; \
	else echo "no clang: no clang build"; fi

.PHONY: test test-run clang-build signed-guests

# udpcheck and tcpcheck, the network tests' clients, and hostile, their
# raw-frame attacker: static, so the labs (which have busybox and nothing
# else) can run them.
UDPCHECK := $(AB)/udpcheck
TCPCHECK := $(AB)/tcpcheck
HOSTILE := $(AB)/hostile

$(AB)/%check: tests/net/%check.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -static \
		$(filter %.c,$^) -o $@

$(UDPCHECK): tests/net/dhcpnak.c tests/net/dhcpnak.h

$(HOSTILE): tests/net/hostile.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -static $< -o $@

# ctlcheck: the control socket test's awkward clients.
CTLCHECK := $(AB)/ctlcheck
$(CTLCHECK): tests/ctl/ctlcheck.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -static $< -o $@

# runas: the labs' policy test runs mote as an unprivileged user with it.
RUNAS := $(AB)/runas
$(RUNAS): tests/policy/runas.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -static $< -o $@

# reaper: the OCI runtime tests' conmon: a subreaper around create.
REAPER := $(AB)/reaper
$(REAPER): tests/oci/reaper.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -static $< -o $@

test-tools: $(UDPCHECK) $(TCPCHECK) $(HOSTILE) $(CTLCHECK) $(RUNAS) $(REAPER)

.PHONY: test-tools

-include tests/fuzz/fuzz.mk
