/* The network's configuration from an appliance's arguments. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mote/netcfg.h>

int mote_net_args(int argc, char **argv)
{
    static const char *const keys[][2] = {
        { "ip=", "MOTE_IP" },
        { "gw=", "MOTE_GW" },
        { "dns=", "MOTE_DNS" },
        { "netdev=", "MOTE_NETDEV" },
    };
    int used = 0;

    for (int i = 1; i < argc; i++)
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            size_t n = strlen(keys[k][0]);

            if (strncmp(argv[i], keys[k][0], n))
                continue;
            if (setenv(keys[k][1], argv[i] + n, 1) < 0)
                return -ENOMEM;
            used++;
        }
    return used;
}
