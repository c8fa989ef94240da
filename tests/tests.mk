# make test: unit tests (cmocka), guest tests under real KVM, CLI tests.

-include tests/unit/unit.mk

test: all $(UNIT_BINS)
	@tests/run-all.sh $(ARCH)

.PHONY: test
