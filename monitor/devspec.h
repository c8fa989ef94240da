/* Device options of `mote run`: --disk NAME=FILE[,ro], --net NAME=TAP[,mac=M].
 */
#ifndef MOTE_DEVSPEC_H
#define MOTE_DEVSPEC_H

#include <stdint.h>

#include "../unikernel/include/mote/abi.h"

struct devspec {
    uint32_t kind; /* MOTE_DEV_BLOCK or MOTE_DEV_NET */
    char name[32];
    char target[4096]; /* disk file or TAP interface name */
    int ro;            /* disk: ",ro" */
    int has_mac;       /* net: ",mac=..." */
    uint8_t mac[6];
};

/* Parse one option's value; 0 or a negative errno with a message. */
int devspec_parse(uint32_t kind, const char *s, struct devspec *d);

/* Parse "aa:bb:cc:dd:ee:ff" into mac; 0 or -EINVAL. */
int mac_parse(const char *s, uint8_t mac[6]);

#endif
