/*
 * /etc/resolv.conf for the C library's resolver (getaddrinfo), from the
 * name servers MOTE_DNS or DHCP named. An image that bundles its own
 * /etc/resolv.conf keeps it.
 */
#include <errno.h>
#include <stdio.h>

#include "lwip/dns.h"

#include "../os/os.h"
#include "net_impl.h"

int net_resolv_conf(void)
{
    static char text[DNS_MAX_SERVERS * 32];
    size_t len = 0;
    char ip[16];
    int rc;

    for (u8_t i = 0; i < DNS_MAX_SERVERS; i++) {
        const ip_addr_t *a = dns_getserver(i);

        if (ip_addr_isany(a))
            continue;
        ip4addr_ntoa_r(ip_2_ip4(a), ip, sizeof(ip));
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "nameserver %s\n", ip);
    }
    if (!len)
        return 0;
    rc = vfs_add_rom("/etc/resolv.conf", text, len);
    return rc == -EEXIST ? 0 : rc;
}
