# aarch64 monitor: the device tree is built with libfdt (boards.mk links
# it). Cross-built, the monitor links the static libfdt of Debian's
# libfdt-dev:arm64, unpacked (not installed: it conflicts with the native
# one) under $(AB)/deps.

ifneq ($(ARCH),$(HOST_ARCH))
ARM64_DEPS := $(AB)/deps
MON_CFLAGS += -I$(ARM64_DEPS)/usr/include
MON_LDFLAGS += -L$(ARM64_DEPS)/usr/lib/aarch64-linux-gnu
ARM64_LIBFDT := $(ARM64_DEPS)/usr/lib/aarch64-linux-gnu/libfdt.a

$(ARM64_LIBFDT):
	$(call say,FETCH,libfdt-dev:arm64)
	$(Q)tests/arm64/setup.sh libfdt $(ARM64_DEPS)

$(MON_OBJ) $(MAIN_OBJ): | $(ARM64_LIBFDT)
endif
