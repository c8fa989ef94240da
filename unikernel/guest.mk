# The libOS and every unikernel built with it: examples and guest tests.

GUEST_ARCHDIR := unikernel/arch/$(ARCH)
ifeq ($(findstring clang,$(CC)),clang)
GUEST_SYSINC := $(shell $(CC) -print-resource-dir)/include
GUEST_TARGET := --target=$(ARCH)-linux-gnu
else
GUEST_SYSINC := $(shell $(CC) -print-file-name=include)
endif
MUSL_DIR := $(AB)/musl
GUEST_CFLAGS := $(GUEST_TARGET) -O2 -g -std=gnu11 $(WARN) \
	-fno-stack-protector -fno-pic -fno-pie -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -nostdinc -isystem $(CURDIR)/$(MUSL_DIR)/include \
	-isystem $(GUEST_SYSINC) \
	-I$(CURDIR)/unikernel/include -I$(CURDIR)/$(GUEST_ARCHDIR)
GUEST_LDFLAGS := $(GUEST_TARGET) -nostdlib -static \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,max-page-size=4096 \
	-Wl,-T,$(CURDIR)/$(GUEST_ARCHDIR)/link.ld

LIBOS_SRC := $(wildcard unikernel/lib/*.c) $(wildcard unikernel/os/*.c) \
	$(wildcard unikernel/net/*.c)
LIBOS_OBJ := $(patsubst %.c,$(AB)/guest/%.o,$(LIBOS_SRC))
LIBOS_START := $(AB)/guest/start.o
LIBOS := $(AB)/libmote.a

$(AB)/guest/%.o: %.c | $(MUSL_DIR)/lib/libc.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(LIBOS_START): $(GUEST_ARCHDIR)/start.S
	@mkdir -p $(dir $@)
	$(call say,AS,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(LIBOS): $(LIBOS_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

GUEST_DEPS := $(LIBOS_START) $(LIBOS) $(GUEST_ARCHDIR)/link.ld \
	$(MUSL_DIR)/lib/libc.a
# After the program's objects: the libOS and the C library (each needs the
# other: the C library's system calls are the libOS's), then libgcc.
GUEST_LIBS = -Wl,--start-group $(LIBOS) $(MUSL_DIR)/lib/libc.a \
	-Wl,--end-group $(shell $(CC) $(GUEST_TARGET) -print-libgcc-file-name)

# A manifest file beside an appliance's source becomes its manifest note:
# examples/NAME/manifest, tests/guest/NAME.manifest.
$(AB)/guest/%.note.S: % unikernel/manifest.awk
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)awk -f unikernel/manifest.awk $< > $@.tmp && mv $@.tmp $@

$(AB)/guest/%.note.o: $(AB)/guest/%.note.S
	$(call say,AS,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

manifest_obj = $(if $(wildcard $(1)),$(AB)/guest/$(1).note.o)

# "files DIR" in a manifest: DIR (beside the manifest) is bundled into the
# image; the packed files are rebuilt when any file in DIR changes.
files_dir = $(addprefix $(dir $(1)),$(shell sed -n \
	's/^[[:space:]]*files[[:space:]][[:space:]]*\([^[:space:]#]*\).*/\1/p' \
	$(1) 2>/dev/null))
files_obj = $(if $(call files_dir,$(1)),$(AB)/guest/$(1).files.o)
define files_rule
$(AB)/guest/$(1).files.S: $(1) unikernel/pack-files.sh \
		$(shell find $(call files_dir,$(1)) -type f 2>/dev/null)
	@mkdir -p $$(dir $$@)
	$$(call say,PACK,$$@)
	$(Q)unikernel/pack-files.sh $(call files_dir,$(1)) $$@
endef
$(foreach m,$(wildcard examples/*/manifest tests/guest/*.manifest),\
	$(if $(call files_dir,$(m)),$(eval $(call files_rule,$(m)))))

$(AB)/guest/%.files.o: $(AB)/guest/%.files.S
	$(call say,AS,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

# Keep the generated note sources (make would delete them as intermediates,
# after everything else, below the test summary).
.SECONDARY:

# A unikernel: every .c in one folder, linked with the libOS.
define guest_elf
$(AB)/$(2).elf: $(patsubst %.c,$(AB)/guest/%.o,$(wildcard $(1)/*.c)) \
		$(call manifest_obj,$(1)/manifest) \
		$(call files_obj,$(1)/manifest) $(GUEST_DEPS)
	$$(call say,LD,$$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $$@ $(LIBOS_START) \
		$(patsubst %.c,$(AB)/guest/%.o,$(wildcard $(1)/*.c)) \
		$(call manifest_obj,$(1)/manifest) \
		$(call files_obj,$(1)/manifest) $(GUEST_LIBS)
endef

# A unikernel from one C file.
define guest_elf1
$(AB)/$(2).elf: $(patsubst %.c,$(AB)/guest/%.o,$(1)) \
		$(call manifest_obj,$(1:.c=.manifest)) \
		$(call files_obj,$(1:.c=.manifest)) $(GUEST_DEPS)
	@mkdir -p $$(dir $$@)
	$$(call say,LD,$$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $$@ $(LIBOS_START) \
		$(patsubst %.c,$(AB)/guest/%.o,$(1)) \
		$(call manifest_obj,$(1:.c=.manifest)) \
		$(call files_obj,$(1:.c=.manifest)) $(GUEST_LIBS)
endef

EXAMPLES := $(notdir $(wildcard examples/*))
$(foreach e,$(EXAMPLES),$(eval $(call guest_elf,examples/$(e),$(e))))

# mote-cc: build an appliance from C files anywhere, one command.
MOTE_CC := $(AB)/mote-cc
$(MOTE_CC): unikernel/mote-cc.in $(GUEST_DEPS)
	$(call say,GEN,$@)
	$(Q)sed -e 's|@CC@|$(CC)|' -e 's|@CFLAGS@|$(GUEST_CFLAGS)|' \
		-e 's|@LDFLAGS@|$(GUEST_LDFLAGS)|' \
		-e 's|@START@|$(CURDIR)/$(LIBOS_START)|' \
		-e 's|@LIBOS@|$(CURDIR)/$(LIBOS)|' $< > $@
	$(Q)chmod +x $@

guests: guest-tests $(addprefix $(AB)/,$(addsuffix .elf,$(EXAMPLES))) $(MOTE_CC)

.PHONY: guests

# Guest tests: one unikernel per file in tests/guest/.
GUEST_TESTS := $(basename $(notdir $(wildcard tests/guest/*.c)))
$(foreach t,$(GUEST_TESTS),$(eval $(call guest_elf1,tests/guest/$(t).c,tests/$(t))))
guest-tests: $(addprefix $(AB)/tests/,$(addsuffix .elf,$(GUEST_TESTS)))
.PHONY: guest-tests

# Every unikernel this build makes, for signing.
GUEST_ELFS := $(addprefix $(AB)/,$(addsuffix .elf,$(EXAMPLES))) \
	$(addprefix $(AB)/tests/,$(addsuffix .elf,$(GUEST_TESTS)))

# The C library under the libOS (make musl).
include unikernel/musl.mk
