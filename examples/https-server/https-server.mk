# https-server (examples/https-server): linked with mbedtls; its file tree
# made here, under build/https-server/ (one for every arch):
#   ca/      test CA, server certificate and key, another CA (mkcert.sh;
#            made once: remove the folder for new ones)
#   root/    the tree bundled into the image: www/ (the pages and
#            www/big/10M.bin, 10 MiB of random bytes) and tls/ (the
#            server's certificate and key)
#   10M.sha256
# and the same program built natively for development and as the
# benchmark's baseline (make https-server-native).

GUEST_LIBS_https-server := $(MBEDTLS_LIBS)
HTTPS_OBJ := $(patsubst %.c,$(AB)/guest/%.o,\
	$(wildcard examples/https-server/*.c))
$(HTTPS_OBJ): GUEST_CFLAGS += -isystem $(CURDIR)/$(MBEDTLS_DIR)/include
$(HTTPS_OBJ): $(MBEDTLS_LIBS)

HTTPS_OUT := $(B)/https-server
HTTPS_ROOT := $(HTTPS_OUT)/root
HTTPS_WWW := $(shell find examples/https-server/www -type f)

$(HTTPS_OUT)/ca/server.crt: examples/https-server/mkcert.sh
	$(call say,CERT,$(HTTPS_OUT)/ca)
	$(Q)rm -rf $(HTTPS_OUT)/ca
	$(Q)examples/https-server/mkcert.sh $(HTTPS_OUT)/ca >/dev/null

$(HTTPS_OUT)/10M.bin:
	@mkdir -p $(dir $@)
	$(Q)head -c 10485760 /dev/urandom >$@.tmp && mv $@.tmp $@

$(HTTPS_OUT)/root.made: $(HTTPS_OUT)/ca/server.crt $(HTTPS_OUT)/10M.bin \
		$(HTTPS_WWW) examples/https-server/https-server.mk
	$(call say,GEN,$(HTTPS_ROOT))
	$(Q)rm -rf $(HTTPS_ROOT) && mkdir -p $(HTTPS_ROOT)/tls \
		$(HTTPS_ROOT)/www/big
	$(Q)cp -R examples/https-server/www/. $(HTTPS_ROOT)/www/
	$(Q)cp $(HTTPS_OUT)/10M.bin $(HTTPS_ROOT)/www/big/
	$(Q)cp $(HTTPS_OUT)/ca/server.crt $(HTTPS_OUT)/ca/server.key \
		$(HTTPS_ROOT)/tls/
	$(Q)cd $(HTTPS_OUT) && sha256sum 10M.bin >10M.sha256
	@touch $@

# The packed tree waits for the tree (the packer's own rule found no
# files in it when make started on a clean build).
$(AB)/guest/examples/https-server/manifest.files.S: $(HTTPS_OUT)/root.made

# (Native: the host's compiler and libmbedtls-dev, for make's own ARCH;
# <mbedtls/mote_compat.h> from unikernel/, after the system's headers.)
HTTPS_NATIVE := $(AB)/native/https-server
$(HTTPS_NATIVE): $(wildcard examples/https-server/*.c \
		examples/https-server/*.h) $(HTTPS_OUT)/root.made \
		unikernel/mbedtls/mote_compat.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) -O2 -g -std=gnu11 $(WARN) -idirafter unikernel -o $@ \
		$(wildcard examples/https-server/*.c) \
		-lmbedtls -lmbedx509 -lmbedcrypto

https-server-native: $(HTTPS_NATIVE)

.PHONY: https-server-native
