/* Installing the seccomp allowlist (seccomp.h) for every thread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>

#include "err.h"
#include "seccomp.h"

int sc_install(const struct vm *vm)
{
    static struct sock_filter prog[SC_PROG_MAX];
    const struct sc_list *lists[4];
    const char *log = getenv("MOTE_SECCOMP_LOG");
    uint32_t deny =
        log && log[0] == '1' ? SECCOMP_RET_LOG : SECCOMP_RET_KILL_PROCESS;
    unsigned n = sc_lists(vm, lists);
    int len = sc_build(lists, n, arch_audit, deny, prog, SC_PROG_MAX);
    struct sock_fprog fp = { .len = (unsigned short)len, .filter = prog };

    if (len < 0)
        return err_set(E2BIG, "seccomp: the allowlist does not fit");
    /* no_new_privs is the sandbox's already; set here too, since the
     * kernel refuses a filter without it */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                &fp) != 0)
        return err_set(errno ? errno : EBUSY,
                       "seccomp: cannot install the allowlist: %s",
                       strerror(errno ? errno : EBUSY));
    return 0;
}
