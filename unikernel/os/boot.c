/*
 * From the start code to the C library: the libOS's state, then musl's
 * __libc_start_main with the argument, environment and auxiliary vectors
 * a Linux process would get. The file tree and the standard descriptors
 * are set up by a constructor that runs before every other one.
 */
#include <elf.h>
#include <mote.h>
#include <mote/entropy.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"

int main(int argc, char **argv, char **envp);
int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void),
                      void (*ldso)(void));

/* The image's TLS template, from the linker script. */
extern const char __tdata_start[], __tdata_end[], __tbss_end[];
extern const char __tls_align[];

static const struct mote_bootinfo *boot_info;
static Elf64_Phdr tls_phdr;
static unsigned char at_random[16];

const struct mote_bootinfo *mote_bootinfo(void)
{
    return boot_info;
}

/* Fill the auxiliary vector at aux (AUX_PAIRS pairs); returns its end. */
#define AUX_PAIRS 12
static long *aux_fill(long *aux, char *execfn)
{
    long v[][2] = {
        { AT_PHDR, (long)&tls_phdr },
        { AT_PHENT, sizeof(Elf64_Phdr) },
        { AT_PHNUM, 1 },
        { AT_PAGESZ, 4096 },
        { AT_RANDOM, (long)at_random },
        { AT_UID, 0 },
        { AT_EUID, 0 },
        { AT_GID, 0 },
        { AT_EGID, 0 },
        { AT_SECURE, 0 },
        { AT_EXECFN, (long)execfn },
        { AT_NULL, 0 },
    };

    memcpy(aux, v, sizeof(v));
    return aux + 2 * AUX_PAIRS;
}

static void tls_init(void)
{
    tls_phdr = (Elf64_Phdr){
        .p_type = PT_TLS,
        .p_flags = PF_R,
        .p_vaddr = (uintptr_t)__tdata_start,
        .p_filesz = (uintptr_t)__tdata_end - (uintptr_t)__tdata_start,
        .p_memsz = (uintptr_t)__tbss_end - (uintptr_t)__tdata_start,
        .p_align = (uintptr_t)__tls_align,
    };
}

__attribute__((noreturn)) void mote_boot(const struct mote_bootinfo *bi)
{
    int argc = (int)bi->argc;
    int envc = (bi->features & MOTE_FEAT_ENV) ? (int)bi->envc : 0;
    char **argv = (char **)(uintptr_t)bi->argv;
    char **envp = (char **)(uintptr_t)bi->envp;
    long vec[argc + envc + 2 + 2 * AUX_PAIRS];

    boot_info = bi;
    os_time_init(bi->counter_freq);
    os_mem_init(bi->heap_start, bi->mem_base + bi->mem_size);
    tls_init();
    if (mote_entropy(at_random, sizeof(at_random)) < 0)
        memset(at_random, 0x5a, sizeof(at_random));
    memcpy(vec, argv, sizeof(long) * (size_t)argc);
    vec[argc] = 0;
    memcpy(vec + argc + 1, envp, sizeof(long) * (size_t)envc);
    vec[argc + 1 + envc] = 0;
    aux_fill(vec + argc + envc + 2, argc ? argv[0] : "");
    __libc_start_main(main, argc, (char **)vec, NULL, NULL, NULL);
    os_exit(127);
}

/* Before any other constructor: the files, then descriptors 0, 1 and 2. */
__attribute__((constructor(101))) static void os_init(void)
{
    if (vfs_init() < 0 || os_dev_init() < 0 || files_load() < 0 ||
        os_stdio_init() < 0) {
        static const char msg[] = "mote: libOS: cannot set up the files\n";

        mote_console_write(msg, sizeof(msg) - 1);
        os_exit(127);
    }
}
