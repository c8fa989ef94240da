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

include unikernel/lwip.mk

# Every linked image is written without its debug sections (mote reads and
# verifies every byte of an image at each boot; no guest loads them): they
# go to IMAGE.debug beside it, named by the image's .gnu_debuglink, for gdb
# and addr2line. The symbol table stays: crash backtraces name functions.
GUEST_OBJCOPY := $(shell $(CC) -print-prog-name=objcopy)
strip_debug = $(GUEST_OBJCOPY) --only-keep-debug $(1) $(1).debug && \
	$(GUEST_OBJCOPY) --strip-debug --add-gnu-debuglink=$(1).debug $(1)

LIBOS_SRC := $(wildcard unikernel/lib/*.c) $(wildcard unikernel/os/*.c) \
	$(wildcard unikernel/net/*.c)
LIBOS_OBJ := $(patsubst %.c,$(AB)/guest/%.o,$(LIBOS_SRC))
LIBOS_START := $(AB)/guest/start.o
# An explicit prerequisite (a pattern rule without a recipe would cancel
# the compile rule, not add to it): a fresh tree fetches lwIP first.
$(filter $(AB)/guest/unikernel/net/%,$(LIBOS_OBJ)): $(LWIP_SRC)/.unpacked
LIBOS := $(AB)/libmote.a

$(AB)/guest/%.o: %.c $(MUSL_DIR)/lib/libc.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(LIBOS_START): $(GUEST_ARCHDIR)/start.S
	@mkdir -p $(dir $@)
	$(call say,AS,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(LIBOS): $(LIBOS_OBJ) $(LWIP_OBJ)
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
$(AB)/guest/%.note.S: % unikernel/manifest.awk unikernel/include/mote/abi.h
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)awk -f unikernel/manifest.awk unikernel/include/mote/abi.h $< \
		> $@.tmp && mv $@.tmp $@

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

# mbedtls for the guests (make mbedtls).
include unikernel/mbedtls.mk

# A unikernel: every .c in one folder, linked with the libOS. Extra guest
# libraries (archives this build makes, e.g. $(MBEDTLS_LIBS)) come from
# GUEST_LIBS_NAME, set in the example's own make fragment (examples/NAME/
# NAME.mk, included here, before the rule is made), e.g.
#   GUEST_LIBS_https-server := $(MBEDTLS_LIBS)
# (examples/lua/lua.mk is included later: it builds with mote-cc.)
include $(filter-out examples/lua/lua.mk,$(wildcard examples/*/*.mk))
define guest_elf
$(AB)/$(2).elf: $(patsubst %.c,$(AB)/guest/%.o,$(wildcard $(1)/*.c)) \
		$(call manifest_obj,$(1)/manifest) \
		$(call files_obj,$(1)/manifest) $(GUEST_LIBS_$(2)) $(GUEST_DEPS)
	$$(call say,LD,$$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $$@ $(LIBOS_START) \
		$(patsubst %.c,$(AB)/guest/%.o,$(wildcard $(1)/*.c)) \
		$(call manifest_obj,$(1)/manifest) \
		$(call files_obj,$(1)/manifest) $(GUEST_LIBS_$(2)) $(GUEST_LIBS)
	$(Q)$$(call strip_debug,$$@)
endef

# A unikernel from one C file (extra libraries: GUEST_LIBS_tests/NAME).
define guest_elf1
$(AB)/$(2).elf: $(patsubst %.c,$(AB)/guest/%.o,$(1)) \
		$(call manifest_obj,$(1:.c=.manifest)) \
		$(call files_obj,$(1:.c=.manifest)) $(GUEST_LIBS_$(2)) $(GUEST_DEPS)
	@mkdir -p $$(dir $$@)
	$$(call say,LD,$$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $$@ $(LIBOS_START) \
		$(patsubst %.c,$(AB)/guest/%.o,$(1)) \
		$(call manifest_obj,$(1:.c=.manifest)) \
		$(call files_obj,$(1:.c=.manifest)) $(GUEST_LIBS_$(2)) $(GUEST_LIBS)
	$(Q)$$(call strip_debug,$$@)
endef

# Examples written in C here; examples/lua builds a third-party program.
EXAMPLES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard examples/*/*.c)))))
$(foreach e,$(EXAMPLES),$(eval $(call guest_elf,examples/$(e),$(e))))

# The SDK mote-cc uses, laid out as it is installed: include/ (musl's, the
# libOS's and mbedtls's headers), lib/ (libc.a, libm.a, libmote.a, start.o,
# link.ld, libmbedtls.a, libmbedx509.a, libmbedcrypto.a)
# and share/ (the manifest and file packers).
SDK := $(AB)/sdk
SDK_STAMP := $(SDK)/.made
MUSL_VERSION = $(shell cat build/src/musl/VERSION 2>/dev/null)
CC_INCLUDE = $(GUEST_SYSINC)

$(SDK_STAMP): $(GUEST_DEPS) unikernel/manifest.awk unikernel/pack-files.sh \
		$(wildcard unikernel/include/*.h unikernel/include/mote/*.h) \
		$(MBEDTLS_LIBS)
	$(call say,SDK,$(SDK))
	$(Q)rm -rf $(SDK) && mkdir -p $(SDK)/lib $(SDK)/share
	$(Q)cp -R $(MUSL_DIR)/include $(SDK)/include
	$(Q)cp -R unikernel/include/. $(GUEST_ARCHDIR)/mote_arch.h $(SDK)/include/
	$(Q)cp -R $(MBEDTLS_DIR)/include/. $(SDK)/include/
	$(Q)cp $(MUSL_DIR)/lib/*.a $(LIBOS) $(LIBOS_START) \
		$(GUEST_ARCHDIR)/link.ld $(MBEDTLS_LIBS) $(SDK)/lib/
	$(Q)cp unikernel/manifest.awk unikernel/pack-files.sh $(SDK)/share/
	@touch $@

# The C++ compiler beside $(CC): g++ for gcc, clang++ for clang.
GUEST_CXX := $(patsubst %gcc,%g++,$(patsubst %clang,%clang++,$(CC)))
MOTE_CXX_FLAGS := -fno-exceptions -fno-rtti -nostdinc++
MOTE_CXX_NOTE := \n\# C++ without exceptions, RTTI or the C++ standard library: the\n\# C headers (extern "C"), new and delete, global constructors.

# mote-cc for a given SDK folder: $(call mote_cc_gen,SDK,OUT)
mote_cc_gen = $(call mote_gen,$(1),$(2),$(CC),mote-cc,C,,)
mote_cxx_gen = $(call mote_gen,$(1),$(2),$(GUEST_CXX),mote-c++,C++,\
	$(MOTE_CXX_FLAGS),$(MOTE_CXX_NOTE))
# $(call mote_gen,SDK,OUT,COMPILER,NAME,LANG,LANGFLAGS,LANGNOTE)
define mote_gen
	$(Q)sed -e 's|@CC@|$(3)|' -e 's|@CC_NAME@|$(notdir $(3))|' \
		-e 's|@NAME@|$(4)|g' -e 's|@LANG@|$(5)|' \
		-e 's|@LANGFLAGS@|$(6)|' -e 's|@LANGNOTE@|$(7)|' \
		-e 's|@SDK@|$(1)|' -e 's|@ARCH@|$(ARCH)|' \
		-e 's|@TARGET@|$(GUEST_TARGET)|' -e 's|@CCINC@|$(CC_INCLUDE)|' \
		-e 's|@LIBGCC@|$(shell $(CC) $(GUEST_TARGET) -print-libgcc-file-name)|' \
		-e 's|@VERSION@|$(VERSION)|' -e 's|@MUSL_VERSION@|$(MUSL_VERSION)|' \
		-e 's|@OBJCOPY@|$(GUEST_OBJCOPY)|' \
		unikernel/mote-cc.in > $(2)
	$(Q)chmod +x $(2)
endef

MOTE_CC := $(AB)/mote-cc
$(MOTE_CC): unikernel/mote-cc.in $(SDK_STAMP) $(VERSION_FILE)
	$(call say,GEN,$@)
	$(call mote_cc_gen,$(CURDIR)/$(SDK),$@)

MOTE_CXX := $(AB)/mote-c++
$(MOTE_CXX): unikernel/mote-cc.in $(SDK_STAMP) $(VERSION_FILE)
	$(call say,GEN,$@)
	$(call mote_cxx_gen,$(CURDIR)/$(SDK),$@)

# make install PREFIX=DIR: mote, mote-oci, mote-cc and the SDK.
PREFIX ?= /usr/local
install: $(MOTE) $(SDK_STAMP)
	@mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/mote
	$(Q)rm -rf $(DESTDIR)$(PREFIX)/lib/mote/$(ARCH)
	$(Q)cp -R $(SDK) $(DESTDIR)$(PREFIX)/lib/mote/$(ARCH)
	$(Q)rm -f $(DESTDIR)$(PREFIX)/lib/mote/$(ARCH)/.made
	$(Q)cp $(MOTE) $(DESTDIR)$(PREFIX)/bin/mote
	$(Q)ln -sf mote $(DESTDIR)$(PREFIX)/bin/mote-oci
	$(call mote_cc_gen,$(PREFIX)/lib/mote/$(ARCH),$(DESTDIR)$(PREFIX)/bin/mote-cc)
	$(call mote_cxx_gen,$(PREFIX)/lib/mote/$(ARCH),$(DESTDIR)$(PREFIX)/bin/mote-c++)
	@echo "installed mote, mote-oci, mote-cc and the $(ARCH) SDK under $(DESTDIR)$(PREFIX)"

.PHONY: install

include examples/lua/lua.mk

guests: guest-tests $(addprefix $(AB)/,$(addsuffix .elf,$(EXAMPLES))) $(MOTE_CC) \
	$(MOTE_CXX) \
	$(LUA_ELF)

.PHONY: guests

# Guest tests: one unikernel per file in tests/guest/.
GUEST_TESTS := $(basename $(notdir $(wildcard tests/guest/*.c)))
# The TLS test links mbedtls.
GUEST_LIBS_tests/tls := $(MBEDTLS_LIBS)
$(AB)/guest/tests/guest/tls.o: GUEST_CFLAGS += \
	-isystem $(CURDIR)/$(MBEDTLS_DIR)/include
$(AB)/guest/tests/guest/tls.o: $(MBEDTLS_LIBS)
$(foreach t,$(GUEST_TESTS),$(eval $(call guest_elf1,tests/guest/$(t).c,tests/$(t))))
# The runtime test checks the stack protector's canary (the libOS itself
# is built without it: its first code runs before the thread pointer).
$(AB)/guest/tests/guest/runtime.o: GUEST_CFLAGS += -fstack-protector-all

# C++ guest tests, one file each, built with mote-c++ as a user would.
GUEST_CXX_TESTS := $(basename $(notdir $(wildcard tests/guest/*.cpp)))
$(AB)/tests/%.elf: tests/guest/%.cpp $(MOTE_CXX)
	@mkdir -p $(dir $@)
	$(call say,CXX,$@)
	$(Q)$(MOTE_CXX) -O2 -g -Wall -Wextra -Werror $< -o $@
GUEST_TESTS += $(GUEST_CXX_TESTS)

# Guest tests of several files: one folder each, tests/guest/NAME/ (every
# .c in it, and its manifest), as the examples are built.
GUEST_DIR_TESTS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard tests/guest/*/*.c)))))
$(foreach t,$(GUEST_DIR_TESTS),\
	$(eval $(call guest_elf,tests/guest/$(t),tests/$(t))))
GUEST_TESTS += $(GUEST_DIR_TESTS)

# The hypercall sweep once more without its manifest: no device may be
# attached, so its device calls take the -MOTE_ENODEV paths.
HCSWEEP_OBJ := $(patsubst %.c,$(AB)/guest/%.o,\
	$(wildcard tests/guest/hcsweep/*.c))
$(AB)/tests/hcsweep-nodev.elf: $(HCSWEEP_OBJ) $(GUEST_DEPS)
	$(call say,LD,$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $@ $(LIBOS_START) $(HCSWEEP_OBJ) \
		$(GUEST_LIBS)
	$(Q)$(call strip_debug,$@)
GUEST_TESTS += hcsweep-nodev

# The x86 ring-0 attacker (tests/ring0/): its own entry, boot note and
# exception stubs, no libOS and no C library; no SSE (its C runs at ring 0).
ifeq ($(ARCH),x86_64)
RING0_CFLAGS := $(GUEST_TARGET) -O2 -g -std=gnu11 $(WARN) -ffreestanding \
	-mgeneral-regs-only -mno-red-zone -fno-stack-protector -fno-pic \
	-fno-pie -fno-asynchronous-unwind-tables -nostdinc \
	-isystem $(GUEST_SYSINC) -I$(CURDIR)/unikernel/include
RING0_OBJ := $(AB)/ring0/ring0.o $(AB)/ring0/attack.o
$(AB)/ring0/%.o: tests/ring0/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(RING0_CFLAGS) -MMD -MP -c $< -o $@
$(AB)/ring0/%.o: tests/ring0/%.S unikernel/arch/bootnote.inc
	@mkdir -p $(dir $@)
	$(call say,AS,$@)
	$(Q)$(CC) $(RING0_CFLAGS) -c $< -o $@
$(AB)/tests/ring0.elf: $(RING0_OBJ) $(GUEST_ARCHDIR)/link.ld
	$(call say,LD,$@)
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $@ $(RING0_OBJ)
	$(Q)$(call strip_debug,$@)
GUEST_TESTS += ring0
endif
guest-tests: $(addprefix $(AB)/tests/,$(addsuffix .elf,$(GUEST_TESTS)))
.PHONY: guest-tests

# Every unikernel this build makes, for signing.
GUEST_ELFS := $(addprefix $(AB)/,$(addsuffix .elf,$(EXAMPLES) lua)) \
	$(addprefix $(AB)/tests/,$(addsuffix .elf,$(GUEST_TESTS)))

# The C library under the libOS (make musl).
include unikernel/musl.mk
