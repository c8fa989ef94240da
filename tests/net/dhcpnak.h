/* udpcheck dhcpnak (tests/net/dhcpnak.c). */
#ifndef UDPCHECK_DHCPNAK_H
#define UDPCHECK_DHCPNAK_H

/*
 * For secs seconds, serve DHCP on ifname as a server that never grants a
 * lease: an offer of offer_ip to each DISCOVER, a NAK to each REQUEST.
 * Prints one line with what it got and sent; 0, or 2 on bad arguments or
 * a socket error. A client without back-off loops DISCOVER, REQUEST, NAK
 * as fast as the server answers.
 */
int dhcpnak(const char *ifname, const char *offer_ip, double secs);

#endif
