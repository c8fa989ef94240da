/* The image's manifest against what `mote run` was asked to attach. */
#include <errno.h>
#include <string.h>

#include "err.h"
#include "manifest.h"

static const char *kind_name(uint32_t kind)
{
    return kind == MOTE_DEV_NET ? "network device" : "disk";
}

static const char *option(uint32_t kind)
{
    return kind == MOTE_DEV_NET ? "--net" : "--disk";
}

static const struct mote_manifest_dev *declared(const struct elf_image *img,
                                                const char *name)
{
    for (unsigned i = 0; i < img->manifest.ndev; i++)
        if (!strcmp(img->manifest.dev[i].name, name))
            return &img->manifest.dev[i];
    return NULL;
}

static int check_attached(const struct elf_image *img, const struct devspec *d)
{
    const struct mote_manifest_dev *m = declared(img, d->name);

    if (!m)
        return err_set(EPERM,
                       "%s '%s' is not in the image's manifest: the "
                       "image may not use it",
                       kind_name(d->kind), d->name);
    if (m->kind != d->kind)
        return err_set(EPERM,
                       "'%s' is a %s in the image's manifest, not a "
                       "%s",
                       d->name, kind_name(m->kind), kind_name(d->kind));
    if ((m->flags & MOTE_DEV_RO) && !d->ro)
        return err_set(EPERM,
                       "disk '%s' is read-only in the image's "
                       "manifest: attach it with --disk %s=FILE,ro",
                       d->name, d->name);
    return 0;
}

static int check_declared(const struct mote_manifest_dev *m,
                          const struct devspec *dev, unsigned ndev)
{
    for (unsigned i = 0; i < ndev; i++)
        if (!strcmp(dev[i].name, m->name))
            return 0;
    return err_set(EPERM, "the image needs %s '%s': attach it with %s %s=%s",
                   kind_name(m->kind), m->name, option(m->kind), m->name,
                   m->kind == MOTE_DEV_NET ? "TAP" : "FILE");
}

static int check_mem(const struct elf_image *img, uint64_t *mem, int mem_given)
{
    uint64_t max = img->manifest.mem_max;

    if (!max)
        return 0;
    if (max % (2ULL << 20))
        return err_set(EINVAL,
                       "the image's manifest asks for %llu bytes of "
                       "memory, not a multiple of 2 MiB",
                       (unsigned long long)max);
    if (!mem_given)
        *mem = max;
    else if (*mem > max)
        return err_set(EPERM,
                       "--mem %llu MiB is more than the image's "
                       "manifest allows (%llu MiB)",
                       (unsigned long long)(*mem >> 20),
                       (unsigned long long)(max >> 20));
    return 0;
}

int manifest_check(const struct elf_image *img, const struct devspec *dev,
                   unsigned ndev, uint64_t *mem, int mem_given)
{
    int rc;

    for (unsigned i = 0; i < ndev; i++)
        if ((rc = check_attached(img, &dev[i])) < 0)
            return rc;
    for (unsigned i = 0; i < img->manifest.ndev; i++)
        if ((rc = check_declared(&img->manifest.dev[i], dev, ndev)) < 0)
            return rc;
    return check_mem(img, mem, mem_given);
}
