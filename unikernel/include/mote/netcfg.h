/*
 * libOS: the network's configuration. Programs that use sockets get the
 * network brought up at their first socket() from the environment
 * (mote run --env): MOTE_IP=A.B.C.D/N or dhcp (the default), MOTE_GW,
 * MOTE_DNS=A.B.C.D[,A.B.C.D], MOTE_NETDEV=NAME, MOTE_DHCP_TIMEOUT=SECONDS.
 * See docs/net.md.
 */
#ifndef MOTE_NETCFG_H
#define MOTE_NETCFG_H

/*
 * For appliances configured on their command line: the arguments ip=,
 * gw=, dns= and netdev= set MOTE_IP, MOTE_GW, MOTE_DNS and MOTE_NETDEV
 * (over the environment's), before the first socket. Other arguments are
 * left alone. Returns the count of arguments used, or -ENOMEM.
 */
int mote_net_args(int argc, char **argv);

/*
 * Bring the network up now (as the first socket would) and write our
 * IPv4 address into buf as a dotted quad: 0, or -errno (the reason was
 * said on the console).
 */
int mote_net_address(char buf[16]);

/* As mote_net_address(), for the IPv6 link-local address (fe80::...,
 * from the MAC address; usable once duplicate detection is over). */
int mote_net_address6(char buf[46]);

#endif
