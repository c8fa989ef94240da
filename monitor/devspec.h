/* Device options of `mote run`: --KEYWORD NAME=TARGET[,FLAG...], one
 * keyword per device kind (see devkind.h): --disk NAME=FILE[,ro],
 * --net NAME=TAP[,mac=M]. */
#ifndef MOTE_DEVSPEC_H
#define MOTE_DEVSPEC_H

#include <stddef.h>
#include <stdint.h>

#include "../unikernel/include/mote/abi.h"

struct devspec {
    uint32_t kind; /* MOTE_DEV_*: a kind with a keyword */
    char name[32];
    char target[4096]; /* what the kind attaches: a file, a TAP interface */
    uint32_t flags;    /* MOTE_DEV_RO, checked against the manifest */
    uint8_t opt[16];   /* the kind's own options, as its flag() parsed them */
};

/* Parse one option's value for the kind with this id; 0 or a negative
 * errno with a message. */
int devspec_parse(uint32_t kind, const char *s, struct devspec *d);

/* Parse "aa:bb:cc:dd:ee:ff" into mac; 0 or -EINVAL. */
int mac_parse(const char *s, uint8_t mac[6]);

/* A device name: 1 to 31 of A-Z a-z 0-9 - _ . (the manifest's rule too). */
int devspec_name_ok(const char *s, size_t n);

#endif
