# aarch64 monitor: the device tree is built with libfdt.
MON_LDFLAGS += -lfdt
