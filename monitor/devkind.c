/* Looking up device kinds in the table the build generates. */
#include <string.h>

#include "devkind.h"
#include "err.h"

const struct dev_kind *dev_kind_by_id(uint32_t id)
{
    for (const struct dev_kind *const *k = dev_kinds; *k; k++)
        if ((*k)->id == id && (*k)->keyword)
            return *k;
    return NULL;
}

const struct dev_kind *dev_kind_by_keyword(const char *keyword)
{
    for (const struct dev_kind *const *k = dev_kinds; *k; k++)
        if ((*k)->keyword && !strcmp((*k)->keyword, keyword))
            return *k;
    return NULL;
}

int dev_kinds_register(struct vm *vm)
{
    for (const struct dev_kind *const *k = dev_kinds; *k; k++) {
        int rc = hc_register_all(vm, (*k)->hc, (*k)->nhc);

        if (rc < 0)
            return err_set(-rc, "cannot register the hypercalls of %s",
                           (*k)->noun);
    }
    return 0;
}
