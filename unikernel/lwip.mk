# lwIP, the guests' TCP/IP stack, built from Debian's source package
# `lwip` for $(ARCH): only its core (IPv4, ARP, ICMP, UDP, TCP, DHCP; IPv6
# with ND, MLD and SLAAC) and
# the Ethernet layer, configured by unikernel/lwip/lwipopts.h for the raw
# API. Its objects go into the libOS's archive; the libOS's network code
# (unikernel/net/) is their operating system and their sockets.
#
# The source is fetched once into build/src/lwip (unikernel/fetch-src.sh),
# shared by every build directory.

LWIP_SRC := build/src/lwip
LWIP_FILES := core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c \
	core/mem.c core/memp.c core/netif.c core/pbuf.c core/stats.c \
	core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c \
	core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
	core/ipv4/ip4_frag.c core/ipv4/ip4.c core/ipv4/ip4_addr.c \
	core/ipv6/ethip6.c core/ipv6/icmp6.c core/ipv6/inet6.c core/ipv6/ip6.c \
	core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c core/ipv6/mld6.c \
	core/ipv6/nd6.c netif/ethernet.c
LWIP_OBJ := $(patsubst %.c,$(AB)/lwip/%.o,$(LWIP_FILES))
LWIP_INC := -I$(CURDIR)/unikernel/lwip -I$(CURDIR)/$(LWIP_SRC)/src/include
# lwIP is third-party code: its own warnings are not ours to fix.
LWIP_CFLAGS := $(filter-out $(WARN),$(GUEST_CFLAGS)) $(LWIP_INC)

$(LWIP_SRC)/.unpacked: | unikernel/fetch-src.sh
	$(Q)unikernel/fetch-src.sh lwip $(LWIP_SRC)

$(AB)/lwip/%.o: $(LWIP_SRC)/.unpacked unikernel/lwip/lwipopts.h \
		unikernel/lwip/arch/cc.h $(MUSL_DIR)/lib/libc.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(LWIP_CFLAGS) -c $(LWIP_SRC)/src/$*.c -o $@

# The libOS's network files see lwIP's headers (and wait for them: see
# guest.mk, where those objects are listed).
$(AB)/guest/unikernel/net/%.o: GUEST_CFLAGS += $(LWIP_INC)

.PHONY: lwip
lwip: $(LWIP_OBJ)
