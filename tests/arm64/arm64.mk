# ARM64: the cross build and the lab tests under real ARM64 KVM.
#
#   make test-arm64    build with ARCH=aarch64 (images signed by the host
#                      mote), then boot the lab on each host model with
#                      every suite: pi5, pi5-16k (6.12, 16K pages), pi4,
#                      generic (tests/arm64/run.sh all; make test runs
#                      fewer suites on all but pi5)

test-arm64:
	@tests/arm64/setup.sh
	$(MAKE) ARCH=$(HOST_ARCH) all
	$(MAKE) ARCH=aarch64 all signed-guests test-tools
	@MOTE_ARM64_NOBUILD=1 tests/arm64/run.sh all

.PHONY: test-arm64
