# Differential conformance suite: the same C programs built with the host's
# libc (glibc) and for another libc, run both ways, outputs compared byte for
# byte by tests/conform/run.sh.
#
#   make conform-native        native binaries in $(B)/conform/native/<name>
#   make conform-musl-check    the suite with musl-gcc -static as the "guest"
#
# CONFORM_NAMES and CONFORM_SRC are meant for building the guest side too.

B ?= build
Q ?= @
say ?= @printf '  %-6s %s\n' $(1) $(2)

CONFORM_NAMES := printf_float scanf_strtod libm time setjmp ctype_string \
	stdio_file
CONFORM_SRC := $(patsubst %,tests/conform/%.c,$(CONFORM_NAMES))
# -fno-builtin: the libc's own functions are under test, so the compiler
# must not fold sqrt(2.0) or snprintf's return value at compile time.
# CONFORM_DEFS=-DCONFORM_HIDE_MUSL_BUGS (the default) leaves out the cases
# where musl is known to be wrong (see scanf_strtod.c); CONFORM_DEFS= keeps
# them, and they fail. It must be the same on both sides: rm -rf
# $(B)/conform and $(AB)/conform on a change.
CONFORM_DEFS ?= -DCONFORM_HIDE_MUSL_BUGS
CONFORM_CFLAGS := -O2 -std=c11 -D_DEFAULT_SOURCE -fno-builtin \
	-Wall -Wextra -Werror $(CONFORM_DEFS)
CONFORM_LIBS := -lm
# The native side is always the host's own compiler and libc, whatever CC
# or ARCH say: it is the reference the guest is compared with.
CONFORM_CC ?= gcc
CONFORM_MUSL_CC ?= musl-gcc

CONFORM_NATIVE := $(patsubst %,$(B)/conform/native/%,$(CONFORM_NAMES))
CONFORM_MUSL := $(patsubst %,$(B)/conform/musl/%,$(CONFORM_NAMES))

$(B)/conform/native/%: tests/conform/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CONFORM_CC) $(CONFORM_CFLAGS) $< -o $@ $(CONFORM_LIBS)

$(B)/conform/musl/%: tests/conform/%.c
	@command -v $(CONFORM_MUSL_CC) >/dev/null || { echo \
	    "$(CONFORM_MUSL_CC) not found: apt-get install musl-tools"; exit 1; }
	@mkdir -p $(dir $@)
	$(call say,MUSLCC,$@)
	$(Q)$(CONFORM_MUSL_CC) -static $(CONFORM_CFLAGS) $< -o $@ $(CONFORM_LIBS)

conform-native: $(CONFORM_NATIVE)

# Each native program's output, for machines that cannot run it (the lab).
$(B)/conform/expected/%.out: $(B)/conform/native/%
	@mkdir -p $(dir $@)
	$(Q)$< /tmp >$@.tmp </dev/null && mv $@.tmp $@

conform-expected: $(patsubst %,$(B)/conform/expected/%.out,$(CONFORM_NAMES))

# The guest side: each program built with mote-cc, as a user would.
CONFORM_GUEST := $(patsubst %,$(AB)/conform/%.elf,$(CONFORM_NAMES))

$(AB)/conform/%.elf: tests/conform/%.c $(MOTE_CC)
	@mkdir -p $(dir $@)
	$(call say,MOTECC,$@)
	$(Q)$(MOTE_CC) $(CONFORM_CFLAGS) $< -o $@ $(CONFORM_LIBS)

conform-musl-check: $(CONFORM_NATIVE) $(CONFORM_MUSL)
	@sh tests/conform/run.sh $(B)/conform/native $(B)/conform/musl/{}

.PHONY: conform-native conform-expected conform-musl-check
