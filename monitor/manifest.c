/* The image's manifest against what `mote run` was asked to attach. */
#include <errno.h>
#include <string.h>

#include "devkind.h"
#include "err.h"
#include "manifest.h"

static const char *kind_name(uint32_t kind)
{
    const struct dev_kind *k = dev_kind_by_id(kind);

    return k ? k->noun : "device";
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
    if ((m->flags & MOTE_DEV_RO) && !(d->flags & MOTE_DEV_RO))
        return err_set(EPERM,
                       "%s '%s' is read-only in the image's "
                       "manifest: attach it with --%s %s=%s,ro",
                       kind_name(m->kind), d->name,
                       dev_kind_by_id(m->kind)->keyword, d->name,
                       dev_kind_by_id(m->kind)->target);
    return 0;
}

static int check_declared(const struct mote_manifest_dev *m,
                          const struct devspec *dev, unsigned ndev)
{
    const struct dev_kind *k = dev_kind_by_id(m->kind);

    for (unsigned i = 0; i < ndev; i++)
        if (!strcmp(dev[i].name, m->name))
            return 0;
    if (!k) /* elf_parse() refuses such a manifest */
        return err_set(EPERM, "the image needs device '%s' of unknown kind %u",
                       m->name, m->kind);
    return err_set(EPERM, "the image needs %s '%s': attach it with --%s %s=%s",
                   k->noun, m->name, k->keyword, m->name, k->target);
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
