# mbedtls for the guests (TLS, X.509, crypto): Debian's mbedtls source
# package, the version the host's libmbedtls-dev has (2.28.3-1 on Debian
# 12, 3.6 on Debian 13; the monitor links that one for image signatures),
# built per arch with the guest flags into $(AB)/mbedtls/ (include/,
# lib/libmbedtls.a, libmbedx509.a, libmbedcrypto.a) and installed into the
# SDK, so `mote-cc ... -lmbedtls -lmbedx509 -lmbedcrypto` links it.
#
#   make mbedtls [ARCH=aarch64]
#   make MBEDTLS_SUITE=trixie ...   the source of another Debian release
#
# The source is fetched once into build/src/mbedtls (MBEDTLS_SUITE=NAME:
# build/src/mbedtls-NAME, from release NAME of the archives this machine's
# apt uses; tests/mbedtls3.sh builds 3.6 so on Debian 12). The build works
# on a copy of its library/, include/ and 3rdparty/ (with scripts/ and
# framework/, which 3.x's Makefile names); the release's configuration
# (include/mbedtls/config.h in 2.28, mbedtls_config.h in 3.x) is kept and
# unikernel/mbedtls/mote_config.h changes it (installed beside it and named
# by it, so a program compiled against the SDK's headers sees the
# configuration the libraries were built with). Our entropy source,
# unikernel/mbedtls/mote_entropy.c, is added to libmbedcrypto.a;
# unikernel/mbedtls/mote_compat.h, for programs that build with both 2.28
# and 3.6, is installed beside mbedtls's headers.

MBEDTLS_SUITE ?=
MBEDTLS_SRC := build/src/mbedtls$(if $(MBEDTLS_SUITE),-$(MBEDTLS_SUITE))
# Which source the libraries were built from: changes only when
# MBEDTLS_SUITE does, and they (and the programs linking them) are rebuilt.
MBEDTLS_SUITE_FILE := $(AB)/mbedtls.suite
MBEDTLS_WORK := $(AB)/mbedtls-build
MBEDTLS_DIR := $(AB)/mbedtls
MBEDTLS_NAMES := mbedtls mbedx509 mbedcrypto
MBEDTLS_LIBS := $(patsubst %,$(MBEDTLS_DIR)/lib/lib%.a,$(MBEDTLS_NAMES))
MBEDTLS_OURS := $(wildcard unikernel/mbedtls/*)
# Third-party code: its own warnings, never -Werror.
MBEDTLS_CFLAGS := $(filter-out -Werror,$(GUEST_CFLAGS))
MBEDTLS_LOG = $(CURDIR)/$(MBEDTLS_WORK)/build.log
MBEDTLS_VERSION = $(shell cut -d' ' -f2 $(MBEDTLS_SRC)/.unpacked 2>/dev/null)
MBEDTLS_HOST_VERSION = $(shell dpkg-query -W -f='$${Version}' \
	libmbedtls-dev 2>/dev/null)
MBEDTLS_CONFIG_LINE := \#define MBEDTLS_USER_CONFIG_FILE "mbedtls/mote_config.h"

$(MBEDTLS_SRC)/.unpacked: | unikernel/fetch-src.sh
	$(Q)MOTE_SRC_SUITE=$(MBEDTLS_SUITE) unikernel/fetch-src.sh mbedtls \
		$(MBEDTLS_SRC)

$(MBEDTLS_SUITE_FILE): FORCE
	@mkdir -p $(dir $@)
	@echo '$(MBEDTLS_SUITE)' | cmp -s - $@ || echo '$(MBEDTLS_SUITE)' >$@

# The first of the three makes them all (a grouped target, written so
# for make 4.2 too).
$(MBEDTLS_DIR)/lib/libmbedtls.a: $(MBEDTLS_SRC)/.unpacked $(MBEDTLS_OURS) \
		unikernel/mbedtls.mk $(MUSL_DIR)/lib/libc.a $(MBEDTLS_SUITE_FILE)
	$(call say,MBEDTLS,$(MBEDTLS_WORK))
	$(Q)[ -n "$(MBEDTLS_SUITE)" ] || \
		[ "$(MBEDTLS_VERSION)" = "$(MBEDTLS_HOST_VERSION)" ] || \
		echo "mote: warning: mbedtls source $(MBEDTLS_VERSION) is not" \
		"the host's libmbedtls-dev ($(MBEDTLS_HOST_VERSION))" >&2
	$(Q)rm -rf $(MBEDTLS_WORK) $(MBEDTLS_DIR) && mkdir -p $(MBEDTLS_WORK) \
		$(MBEDTLS_DIR)/lib
	$(Q)for d in library include 3rdparty scripts framework; do \
		[ ! -d $(MBEDTLS_SRC)/$$d ] || \
		cp -R $(MBEDTLS_SRC)/$$d $(MBEDTLS_WORK)/ || exit 1; done
	$(Q)cp unikernel/mbedtls/mote_config.h unikernel/mbedtls/mote_compat.h \
		$(MBEDTLS_WORK)/include/mbedtls/
	$(Q)cd $(MBEDTLS_WORK)/include/mbedtls && \
		c=config.h && { [ -f $$c ] || c=mbedtls_config.h; } && { \
		echo '/* mote: our changes, unikernel/mbedtls/mote_config.h */'; \
		echo '$(MBEDTLS_CONFIG_LINE)'; cat $$c; } >$$c.new && \
		mv $$c.new $$c
	$(Q)MAKEFLAGS= MFLAGS= $(MAKE) -j$(shell nproc) -C $(MBEDTLS_WORK)/library \
		CC="$(CC)" AR="$(CROSS)ar" CFLAGS="$(MBEDTLS_CFLAGS)" \
		libmbedcrypto.a libmbedx509.a libmbedtls.a \
		>$(MBEDTLS_LOG) 2>&1 || { tail -n 20 $(MBEDTLS_LOG); \
		echo "mote: error: building mbedtls failed (log: $(MBEDTLS_LOG))" >&2; \
		exit 1; }
	$(Q)$(CC) $(GUEST_CFLAGS) -I$(MBEDTLS_WORK)/include \
		-c unikernel/mbedtls/mote_entropy.c -o $(MBEDTLS_WORK)/mote_entropy.o
	$(Q)$(CROSS)ar rcs $(MBEDTLS_WORK)/library/libmbedcrypto.a \
		$(MBEDTLS_WORK)/mote_entropy.o
	$(Q)cp -R $(MBEDTLS_WORK)/include $(MBEDTLS_DIR)/include
	$(Q)cp $(patsubst %,$(MBEDTLS_WORK)/library/lib%.a,$(MBEDTLS_NAMES)) \
		$(MBEDTLS_DIR)/lib/

$(MBEDTLS_DIR)/lib/libmbedx509.a $(MBEDTLS_DIR)/lib/libmbedcrypto.a: \
		$(MBEDTLS_DIR)/lib/libmbedtls.a
	@test -f $@

mbedtls: $(MBEDTLS_LIBS)

.PHONY: mbedtls
