/* aarch64: the guest's arguments as one command line for /chosen/bootargs. */
#include <errno.h>
#include <string.h>

#include "arm64.h"

/* Append the NUL-terminated guest string at gpa to buf at *len. */
static int append(const struct vm *vm, gpa_t gpa, char *buf, size_t size,
                  size_t *len)
{
    const char *s = gpa_ptr(vm, gpa, 1);
    uint64_t room = vm->mem_base + vm->mem_size - gpa;
    size_t n;

    if (!s)
        return -EFAULT;
    n = strnlen(s, room);
    if (n == room)
        return -EFAULT;
    if (n + (*len ? 1 : 0) >= size - *len)
        return -E2BIG;
    if (*len)
        buf[(*len)++] = ' ';
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
    return 0;
}

int arm64_cmdline(const struct vm *vm, gpa_t bootinfo, char *buf, size_t size)
{
    const struct mote_bootinfo *bi = gpa_ptr(vm, bootinfo, sizeof(*bi));
    const uint8_t *argv;
    size_t len = 0;
    int rc;

    if (!size)
        return -E2BIG;
    buf[0] = '\0';
    if (!bi || bi->argc > (1ULL << 20))
        return -EFAULT;
    argv = gpa_ptr(vm, bi->argv, 8 * bi->argc);
    if (!argv)
        return -EFAULT;
    for (uint64_t i = 1; i < bi->argc; i++) {
        uint64_t a;

        memcpy(&a, argv + 8 * i, sizeof(a));
        if ((rc = append(vm, a, buf, size, &len)) < 0)
            return rc;
    }
    return 0;
}
