# ARM64: the cross build and the lab tests under real ARM64 KVM.
#
#   make test-arm64    build with ARCH=aarch64 (images signed by the host
#                      mote), then boot the lab on the generic, Pi 4-like
#                      and Pi 5-like host models

test-arm64:
	@tests/arm64/setup.sh
	$(MAKE) ARCH=$(HOST_ARCH) all
	$(MAKE) ARCH=aarch64 all signed-guests test-tools
	@MOTE_ARM64_NOBUILD=1 tests/arm64/run.sh

.PHONY: test-arm64
