/* The thread pointer, for the C library's TLS (errno, __thread). */
#include <mote_arch.h>

#include "os.h"

int os_set_tp(uintptr_t tp)
{
    return arch_set_tp(tp);
}

/* One initialised and one zeroed TLS variable, so the image always has
 * both TLS sections the linker script measures. */
__thread int os_tls_data = 1;
__thread int os_tls_bss;
