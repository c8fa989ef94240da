/* The guest's device list: what the boot info announces and hypercalls name. */
#include <errno.h>
#include <string.h>

#include "vm.h"

int vm_dev_add(struct vm *vm, uint32_t kind, const char *name, int fd)
{
    struct vm_device *d;

    if (!name[0] || strlen(name) >= sizeof(d->desc.name))
        return -ENAMETOOLONG;
    for (unsigned i = 0; i < vm->ndev; i++)
        if (!strcmp(vm->dev[i].desc.name, name))
            return -EEXIST;
    if (vm->ndev == MOTE_MAX_DEVICES)
        return -ENOSPC;
    d = &vm->dev[vm->ndev];
    memset(d, 0, sizeof(*d));
    d->desc.kind = kind;
    strcpy(d->desc.name, name);
    d->fd = fd;
    return (int)vm->ndev++;
}

struct vm_device *vm_dev(struct vm *vm, uint64_t i, uint32_t kind)
{
    if (i >= vm->ndev || vm->dev[i].desc.kind != kind)
        return NULL;
    return &vm->dev[i];
}
