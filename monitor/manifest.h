/* The image's manifest against what `mote run` was asked to attach. */
#ifndef MOTE_MANIFEST_H
#define MOTE_MANIFEST_H

#include <stdint.h>

#include "devspec.h"
#include "elf.h"

/*
 * Every attached device must be declared with the same kind (a disk
 * declared read-only must be attached ",ro"), and every declared device
 * attached. The manifest's memory is the default and the cap: *mem is set
 * to it when mem_given is 0, and refused above it. 0 or -EPERM/-EINVAL
 * with a message.
 */
int manifest_check(const struct elf_image *img, const struct devspec *dev,
                   unsigned ndev, uint64_t *mem, int mem_given);

#endif
