# mote: a tiny KVM monitor for unikernels. See README.md.
#
#   make                 monitor and examples for the host arch
#   make ARCH=aarch64    cross build for ARM64 (static monitor)
#   make demo            install build deps if missing, build, boot hello
#   make test            build and run every test
#   make bench           benchmarks (see bench/)

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
# The host arch is the compiler's, not the kernel's (uname -m): a 64-bit
# kernel may run a 32-bit userland, which cannot build mote, and
# .ci/host-arch says so.
HOST_ARCH := $(shell CC='$(CC)' .ci/host-arch)
ARCH ?= $(HOST_ARCH)
ifeq ($(origin ARCH)$(filter x86_64 aarch64,$(HOST_ARCH)),file)
$(error $(shell CC='$(CC)' .ci/host-arch --check 2>&1 >/dev/null | \
	sed 's/^ *//; s/^mote: error: //'))
endif

ifneq ($(ARCH),$(HOST_ARCH))
CROSS ?= $(ARCH)-linux-gnu-
CC := $(CROSS)gcc
endif

ifeq ($(ARCH),x86_64)
ARCHDIR := arch-x86
else ifeq ($(ARCH),aarch64)
ARCHDIR := arch-arm64
else
$(error unsupported ARCH '$(ARCH)': use x86_64 or aarch64)
endif

# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

B := build
AB := $(B)/$(ARCH)
# The version, written here only: mote --version has it as MOTE_VERSION,
# mote-cc --version as @VERSION@. $(VERSION_FILE) changes only when it
# does, and both are rebuilt then.
VERSION := 0.1.0
VERSION_FILE := $(B)/version

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
MON_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
	-DMOTE_VERSION='"$(VERSION)"' -MMD -MP
# mote is one static binary on every arch: it can be copied to a board as
# one file, and it starts faster (no dynamic loader: about 1 ms of a boot).
MON_LDFLAGS := $(LDFLAGS)
MOTE_LDFLAGS := -static
MON_LIBS := -lmbedcrypto -lfdt -ljansson -lpthread
ifneq ($(ARCH),$(HOST_ARCH))
MOTE := $(AB)/mote
else
MOTE := $(B)/mote
endif

MOTE_OCI := $(dir $(MOTE))mote-oci

MON_SRC := $(filter-out monitor/main.c,$(wildcard monitor/*.c)) \
	$(wildcard devices/*.c) $(wildcard $(ARCHDIR)/*.c)
MON_OBJ := $(patsubst %.c,$(AB)/obj/%.o,$(MON_SRC)) $(AB)/obj/board_data.o \
	$(AB)/obj/dev_kinds.o
BOARDS := $(sort $(wildcard boards/*.board))
MAIN_OBJ := $(AB)/obj/monitor/main.o

all: $(MOTE) $(MOTE_OCI) guests

# Per-arch monitor additions (libraries), if the arch has any.
-include $(ARCHDIR)/arch.mk

$(AB)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(MON_CFLAGS) -c $< -o $@

# The board profiles, compiled in: a board gets one static binary.
$(AB)/obj/board_data.c: $(BOARDS) boards/board_data.awk
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)awk -f boards/board_data.awk $(BOARDS) > $@.tmp && mv $@.tmp $@

$(AB)/obj/board_data.o: $(AB)/obj/board_data.c
	$(call say,CC,$@)
	$(Q)$(CC) $(MON_CFLAGS) -c $< -o $@

# The device kinds: every DEV_KIND(name) in devices/*.c, one table.
$(AB)/obj/dev_kinds.c: $(wildcard devices/*.c) monitor/devkind.h
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q){ echo '#include "$(CURDIR)/monitor/devkind.h"'; \
	names=$$(sed -n 's/^DEV_KIND(\([a-z0-9_]*\)).*/\1/p' devices/*.c); \
	for n in $$names; do echo "extern DEV_KIND($$n);"; done; \
	echo 'const struct dev_kind *const dev_kinds[] = {'; \
	for n in $$names; do echo "    &dev_kind_$$n,"; done; \
	echo '    0,'; echo '};'; } > $@.tmp && mv $@.tmp $@

$(AB)/obj/dev_kinds.o: $(AB)/obj/dev_kinds.c
	$(call say,CC,$@)
	$(Q)$(CC) $(MON_CFLAGS) -c $< -o $@

$(AB)/libmonitor.a: $(MON_OBJ)
	$(call say,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(MOTE): $(MAIN_OBJ) $(AB)/libmonitor.a
	$(call say,LD,$@)
	$(Q)$(CC) $(MON_CFLAGS) $^ $(MON_LDFLAGS) $(MOTE_LDFLAGS) $(MON_LIBS) -o $@

# mote-oci, the OCI runtime engines call by path: mote itself (main.c looks
# at its name).
$(MOTE_OCI): $(MOTE)
	$(Q)ln -sf mote $@

$(VERSION_FILE): FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@

$(MAIN_OBJ): $(VERSION_FILE)

include unikernel/guest.mk
include tests/tests.mk
include bench/bench.mk
include tests/arm64/arm64.mk

# Dependency files of our builds (not of fetched sources: mbedtls has a
# ChangeLog.d folder).
-include $(shell find $(B) -path $(B)/src -prune -o -name '*.d' -type f \
	-print 2>/dev/null)

# Debian packages, installed only when missing (.ci/deps says which):
# what the build needs, and with deps-test what the tests need too (one
# that cannot be had is named in a warning; its tests SKIP).
deps:
	@.ci/install-deps build

deps-test:
	@.ci/install-deps build test

# The demo signs the examples with a key made on first use, and runs them
# the way a board would: refusing anything not signed by a trusted key.
DEMO_KEY := $(B)/keys/demo.key

demo: deps
	@$(MAKE) --no-print-directory all
	@test -f $(DEMO_KEY) || { mkdir -p $(dir $(DEMO_KEY)) && \
		$(MOTE) keygen $(DEMO_KEY); }
	@rm -f $(AB)/demo-hello.elf
	@$(MOTE) sign --key $(DEMO_KEY) $(AB)/hello.elf -o $(AB)/demo-hello.elf
	$(MOTE) run --trust $(DEMO_KEY).pub $(AB)/demo-hello.elf -- from the demo

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@tests/format.sh

FORCE:

clean:
	rm -rf $(B)

.PHONY: all deps deps-test demo format format-check clean FORCE
