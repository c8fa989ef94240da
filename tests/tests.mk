# make test: unit tests (cmocka), guest tests under real KVM, CLI tests,
# the ARM64 lab; and a clang build, since gcc and clang must both build mote.

-include tests/unit/unit.mk

test: all $(UNIT_BINS) clang-build
	@tests/run-all.sh $(ARCH)

clang-build:
	@echo "=== clang build (build/clang)"
	@$(MAKE) -s --no-print-directory CC=clang B=$(B)/clang all unit

.PHONY: test clang-build
