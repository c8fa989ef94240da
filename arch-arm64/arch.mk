# aarch64 monitor: the device tree is built with libfdt (boards.mk links
# it). Cross-built, the static monitor links the static libraries of
# Debian's libfdt-dev:arm64 and libmbedtls-dev:arm64, downloaded and
# unpacked under $(AB)/deps: never installed, as libfdt-dev:arm64 would
# replace the native libfdt-dev the host build and unit tests need.

ifneq ($(ARCH),$(HOST_ARCH))
# The cross compiler (Debian's gcc-aarch64-linux-gnu), installed when
# missing, as make test's toolchain test and the ARM64 lab need it.
ifeq ($(shell command -v $(CC)),)
$(info mote: no $(CC): installing the aarch64 cross compiler)
ifneq ($(shell tests/arm64/setup.sh cross >&2 && echo ok),ok)
$(error no $(CC), and tests/arm64/setup.sh cross could not install it)
endif
endif
ARM64_DEPS := $(AB)/deps
ARM64_STAMP := $(ARM64_DEPS)/.unpacked
ARM64_INC := -I$(ARM64_DEPS)/usr/include
ARM64_LIB := -L$(ARM64_DEPS)/usr/lib/aarch64-linux-gnu
MON_CFLAGS += $(ARM64_INC)
MON_LDFLAGS += $(ARM64_LIB)
# the unit tests that do not link libmonitor.a: cmocka from there too
UNIT_CROSS := $(ARM64_INC) $(ARM64_LIB)

$(ARM64_STAMP): tests/arm64/setup.sh
	$(call say,FETCH,$(ARM64_DEPS))
	$(Q)tests/arm64/setup.sh libs $(ARM64_DEPS)
	@touch $@

$(MON_OBJ) $(MAIN_OBJ): | $(ARM64_STAMP)
$(MOTE): $(ARM64_STAMP)
endif
