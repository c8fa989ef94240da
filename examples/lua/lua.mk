# The Lua example: the Lua 5.4 interpreter from Debian's lua5.4 source
# package, as released upstream (Debian's patches replace Lua's own
# Makefile), built unmodified with its own Makefile and CC=mote-cc, with
# examples/lua/files bundled into the image as its file tree (/app/...).
#
#   make build/ARCH/lua.elf
#   mote run --trust KEY.pub build/ARCH/lua.elf -- /app/main.lua

LUA_SRC := build/src/lua5.4-upstream
LUA_WORK := $(AB)/lua-build
LUA_ELF := $(AB)/lua.elf
LUA_APP := $(wildcard examples/lua/files/app/*)
# What a distribution build would use: the stack protector, debug info.
LUA_CFLAGS := -g -O2 -fstack-protector-strong

$(LUA_SRC)/.unpacked: | unikernel/fetch-src.sh
	$(Q)MOTE_SRC_UPSTREAM=1 unikernel/fetch-src.sh lua5.4 $(LUA_SRC)

$(LUA_ELF): $(LUA_SRC)/.unpacked $(MOTE_CC) examples/lua/manifest \
		$(LUA_APP) examples/lua/lua.mk
	$(call say,LUA,$(LUA_WORK))
	$(Q)rm -rf $(LUA_WORK) && mkdir -p $(dir $(LUA_WORK))
	$(Q)cp -R $(LUA_SRC) $(LUA_WORK)
	$(Q)$(MAKE) -s -C $(LUA_WORK)/src posix \
		CC="$(CURDIR)/$(MOTE_CC) -std=gnu99" AR="$(CROSS)ar rc" \
		RANLIB="$(CROSS)ranlib" MYCFLAGS="$(LUA_CFLAGS)" \
		MYLDFLAGS="--manifest $(CURDIR)/examples/lua/manifest" \
		>$(LUA_WORK)/build.log 2>&1 || { tail -n 20 $(LUA_WORK)/build.log; \
		echo "mote: error: building Lua failed (log: $(LUA_WORK)/build.log)"; \
		exit 1; }
	$(Q)cp $(LUA_WORK)/src/lua $@ && cp $(LUA_WORK)/src/lua.debug $(dir $@)

lua: $(LUA_ELF)

.PHONY: lua

# The native interpreter's output for the same script (Debian's lua5.4 on
# the host), for tests/lua/run.sh; none when lua5.4 is not installed.
LUA_EXPECTED := $(B)/lua-expected.out
$(LUA_EXPECTED): $(LUA_APP)
	$(Q)if command -v lua5.4 >/dev/null; then \
		lua5.4 examples/lua/files/app/main.lua >$@.tmp && mv $@.tmp $@; \
	else rm -f $@; fi

lua-expected: $(LUA_EXPECTED)

.PHONY: lua-expected
