# libFuzzer targets for the parsers that take hostile input (tests/fuzz/).
#
#   make fuzz                 build them and run each for FUZZ_SECONDS (10)
#   make fuzz-build           only build them, into build/fuzz/
#
# A campaign: FUZZ_TARGETS="hc net" (default all), FUZZ_JOBS=1 (how many at
# once; default the CPUs), FUZZ_RUNS=10000000 (an execution goal per target,
# FUZZ_SECONDS then the bound), as in
#   make fuzz FUZZ_TARGETS=hc FUZZ_JOBS=1 FUZZ_RUNS=10000000 FUZZ_SECONDS=7200
# The corpora grow in build/fuzz/work/ from run to run (docs/fuzzing.md).
#
# Everything is built with clang, ASan and UBSan into $(B)/fuzz, apart from
# the normal build: the monitor library is rebuilt there by a sub-make with
# the sanitizer flags; the guest's IP stack is compiled from its sources.
# The seed corpora are generated from the build's real images, board files
# and made-up frames (tests/fuzz/seeds.py), never committed.

FUZZ_B := $(B)/fuzz
FUZZ_AB := $(FUZZ_B)/$(HOST_ARCH)
FUZZ_CC := clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_LIB_CFLAGS := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_CFLAGS := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $(WARN) -std=gnu11 \
	-D_GNU_SOURCE
FUZZ_LIB := $(FUZZ_AB)/libmonitor.a
FUZZ_MON := elf sym sig board devspec files snap batch hc oci
FUZZ_BINS := $(patsubst %,$(FUZZ_B)/fuzz_%,$(FUZZ_MON)) $(FUZZ_B)/fuzz_net
FUZZ_SECONDS ?= 10
FUZZ_TARGETS ?=
FUZZ_JOBS ?=
FUZZ_RUNS ?=

# The sub-make decides whether the library is up to date.
$(FUZZ_LIB): fuzz-force
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) B=$(FUZZ_B) \
		ARCH=$(HOST_ARCH) CFLAGS="$(FUZZ_LIB_CFLAGS)" $@

$(patsubst %,$(FUZZ_B)/fuzz_%,$(FUZZ_MON)): $(FUZZ_B)/fuzz_%: \
		tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h tests/unit/*.h) \
		$(FUZZ_LIB)
	$(call say,LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_LIB) $(MON_LIBS) -o $@

# The guest's network input: lwIP's core (LWIP_FILES, as the guest builds
# it, with our lwipopts.h) and our netif and sockets, compiled natively
# (glibc's <netinet/tcp.h> has a TCP_MSS of its own, which lwipopts.h's
# replaces, hence -Wno-macro-redefined).
FUZZ_NET_SRC := $(patsubst %,unikernel/net/%.c,net_if dhcp_pace arp_guard sock sock_addr sock_call sock_opt \
	sock_tcp sock_udp tcp_syn)
FUZZ_LWIP_OBJ := $(patsubst %.c,$(FUZZ_B)/lwip/%.o,$(LWIP_FILES))
FUZZ_NET_INC := -Iunikernel/net -Iunikernel/include -Iunikernel/lwip \
	-I$(LWIP_SRC)/src/include

$(FUZZ_B)/lwip/%.o: $(LWIP_SRC)/.unpacked unikernel/lwip/lwipopts.h \
		unikernel/lwip/arch/cc.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_LIB_CFLAGS) -std=gnu11 $(FUZZ_NET_INC) \
		-c $(LWIP_SRC)/src/$*.c -o $@

$(FUZZ_B)/fuzz_net: tests/fuzz/fuzz_net.c tests/fuzz/fuzz.h $(FUZZ_NET_SRC) \
		$(wildcard unikernel/net/*.h) unikernel/lwip/lwipopts.h \
		$(FUZZ_LWIP_OBJ)
	$(call say,LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-macro-redefined $(FUZZ_NET_INC) \
		$< $(FUZZ_NET_SRC) $(FUZZ_LWIP_OBJ) -o $@

fuzz-build: $(FUZZ_BINS)

fuzz:
	@FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_JOBS="$(FUZZ_JOBS)" \
		FUZZ_RUNS="$(FUZZ_RUNS)" tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-force:

.PHONY: fuzz fuzz-build fuzz-force
