# ARM64: the cross build and the lab tests under real ARM64 KVM.
#
#   make test-arm64    build with ARCH=aarch64 (images signed by the host
#                      mote), then boot the lab on each host model:
#                      generic, pi4, pi5 (6.1, 4K pages), pi5-16k (6.12,
#                      16K pages), generic-6.12 (tests/arm64/lab.sh models)

test-arm64:
	@tests/arm64/setup.sh
	$(MAKE) ARCH=$(HOST_ARCH) all
	$(MAKE) ARCH=aarch64 all signed-guests test-tools
	@MOTE_ARM64_NOBUILD=1 tests/arm64/run.sh

.PHONY: test-arm64
