/* libOS: the devices the monitor attached, as listed in the boot info. */
#ifndef MOTE_DEVICE_H
#define MOTE_DEVICE_H

#include <mote/abi.h>

/*
 * Index of the device of the given kind (MOTE_DEV_BLOCK, MOTE_DEV_NET)
 * named name, or of the first device of that kind if name is NULL or "".
 * Returns the index (the "dev" of the hypercalls) or -ENODEV.
 */
int mote_device_find(const char *name, unsigned kind);

/* The boot info's descriptor of device idx, or NULL if there is none. */
const struct mote_device *mote_device_get(unsigned idx);

#endif
