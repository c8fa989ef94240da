/*
 * lwIP's configuration for mote guests: the raw API only (NO_SYS), driven
 * by the libOS's one loop (unikernel/net/net_if.c); the BSD sockets are
 * the libOS's own (unikernel/net/sock*.c) over it. Memory is lwIP's own
 * fixed pools, so hostile traffic can never take more than these: the
 * limits below are documented in docs/net.md.
 */
#ifndef MOTE_LWIPOPTS_H
#define MOTE_LWIPOPTS_H

#define NO_SYS 1
#define LWIP_TIMERS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_SINGLE_NETIF 1
#define LWIP_NETIF_HOSTNAME 1

#define LWIP_IPV4 1
/* IPv6: a link-local address at once, global ones from router
 * advertisements (SLAAC); no DHCPv6. */
#define LWIP_IPV6 1
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_MLD 1
#define LWIP_IPV6_DHCP6 0
#define IPV6_FRAG_COPYHEADER 1 /* 64-bit pointers do not fit the header */
#define LWIP_IPV6_NUM_ADDRESSES 3
#define LWIP_ND6_NUM_NEIGHBORS 16
#define LWIP_ND6_NUM_DESTINATIONS 16
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DHCP_DOES_ACD_CHECK 0
#define DHCP_DOES_ARP_CHECK 0
/* Only to keep the name servers DHCP names: names are resolved by the C
 * library's resolver over a UDP socket (see net_resolv.c). */
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define LWIP_DHCP_MAX_DNS_SERVERS 2
#define LWIP_DNS_SECURE 0

/* Memory: the heap holds outgoing data, the pools everything else. */
#define MEM_ALIGNMENT 8
/* Every connection's unsent data at once: MEMP_NUM_TCP_PCB * TCP_SND_BUF
 * (untouched memory costs nothing until used). */
#define MEM_SIZE (4 * 1024 * 1024)
#define MEMP_NUM_PBUF 64
#define MEMP_NUM_UDP_PCB 16
#define MEMP_NUM_TCP_PCB 64 /* connections at once */
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_TCP_SEG 1024
#define MEMP_NUM_REASSDATA 8
#define MEMP_NUM_FRAG_PBUF 32
#define MEMP_NUM_ARP_QUEUE 32
/* lwIP links every pool element at start, so each pool's pages are
 * touched at boot whether used or not: 128 frames (four receive batches)
 * rather than 512 took udp-echo's touched memory from 1.1 MiB to 536 KiB
 * and its first answer from about 11.5 to 7.8 ms on a KVM host where a
 * guest's first touch of a page is an exit. */
#define PBUF_POOL_SIZE 128
#define PBUF_POOL_BUFSIZE 1536
#define ARP_TABLE_SIZE 16
#define ARP_QUEUEING 1
#define ETH_PAD_SIZE 0

#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define IP_REASS_MAX_PBUFS 48
#define IP_DEFAULT_TTL 64

#define TCP_MSS 1460
#define TCP_WND (44 * TCP_MSS)
#define TCP_SND_BUF (44 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ 1
/* Received data is copied out of the pool at once (sock_tcp.c): the pool
 * holds frames in flight, reassembly and these out-of-order segments. */
#define TCP_OOSEQ_MAX_PBUFS 4
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 16
#define LWIP_TCP_KEEPALIVE 1
#define SO_REUSE 1
#define LWIP_CALLBACK_API 1
/* Initial sequence numbers from the host's entropy: lwIP's own are a
 * counter (6510 plus its ticks) that an off-path attacker can guess, and
 * with it inject data or reset connections blind. */
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port)        \
    ((u32_t)mote_lwip_rand())
#define LWIP_WND_SCALE 0
/* A SYN to a listener full of half-open connections drops the oldest of
 * them (unikernel/net/tcp_syn.c); lwIP alone would keep them 20 s. */
struct tcp_pcb;
struct tcp_hdr;
int mote_tcp_syn_room(struct tcp_pcb *pcb, struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p)         \
    mote_tcp_syn_room((pcb), (hdr))

#define LWIP_CHKSUM_ALGORITHM 3
#define LWIP_STATS 1
#define LWIP_STATS_DISPLAY 0
#define MIB2_STATS 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0

#endif
