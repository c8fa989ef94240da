/* libOS: finding the devices the monitor listed in the boot info. */
#include <errno.h>
#include <mote.h>
#include <mote/device.h>
#include <string.h>

const struct mote_device *mote_device_get(unsigned idx)
{
    const struct mote_bootinfo *bi = mote_bootinfo();

    if (!bi || idx >= bi->ndevices || idx >= MOTE_MAX_DEVICES)
        return NULL;
    return &bi->devices[idx];
}

static int name_is(const struct mote_device *d, const char *name)
{
    if (!name || !*name)
        return 1;
    return strnlen(d->name, sizeof(d->name)) < sizeof(d->name) &&
           !strcmp(d->name, name);
}

int mote_device_find(const char *name, unsigned kind)
{
    const struct mote_device *d;

    for (unsigned i = 0; (d = mote_device_get(i)); i++)
        if (d->kind == kind && name_is(d, name))
            return (int)i;
    return -ENODEV;
}
