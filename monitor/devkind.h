/*
 * Device kinds: one descriptor per kind, in the kind's own file under
 * devices/ (DEV_KIND(name) = { ... }). The build collects every DEV_KIND
 * of devices/NAME.c into the table dev_kinds[] (see the Makefile), so a new
 * kind is its file, its libOS binding and its number in mote/abi.h: the
 * options of `mote run`, the manifest check, `mote inspect`, the boot
 * sequence and the poll set all read this table.
 */
#ifndef MOTE_DEVKIND_H
#define MOTE_DEVKIND_H

#include <stdint.h>

#include "devspec.h"
#include "vm.h"

struct dev_kind {
    uint32_t id;             /* MOTE_DEV_*, as the guest sees it */
    const char *keyword;     /* `mote run --KEYWORD`, the manifest's keyword;
                                NULL: a built-in device every guest has */
    char short_opt;          /* `mote run -X`, or 0 */
    const char *noun;        /* in messages: "disk", "network device" */
    const char *target;      /* what the option names: "FILE", "TAP" */
    const char *help;        /* the option's lines in `mote run --help` */
    uint32_t manifest_flags; /* flags a manifest may give it (MOTE_DEV_RO) */
    const struct hc_def *hc; /* its hypercalls, registered at every boot */
    unsigned nhc;
    /* A ",FLAG" of the option: 0, or a negative errno with a message. */
    int (*flag)(struct devspec *d, const char *flag);
    /* Attach what d names (or, built-in, the device itself when d is
     * NULL): its index in vm->dev, or a negative errno with a message. */
    int (*attach)(struct vm *vm, const struct devspec *d);
    int pollable; /* its fd's input wakes the guest's poll */
    /*
     * Restore and migration: the device just attached (d) must be what
     * the guest saw when it was saved (saved: its boot-info record, which
     * is all of a kind's state the guest sees); the kind may take saved
     * values over (a MAC). 0, or -EPERM with the reason. NULL: any.
     */
    int (*restore)(struct vm_device *d, const struct mote_device *saved);
};

#define DEV_KIND(name) const struct dev_kind dev_kind_##name

/* Every kind, NULL-ended (generated from devices/NAME.c). */
extern const struct dev_kind *const dev_kinds[];

/* The attachable kind (one with a keyword) with this id, or with this
 * keyword; NULL when none. */
const struct dev_kind *dev_kind_by_id(uint32_t id);
const struct dev_kind *dev_kind_by_keyword(const char *keyword);

/* Register every kind's hypercalls; 0 or a negative errno (message set). */
int dev_kinds_register(struct vm *vm);

#endif
