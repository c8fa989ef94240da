/*
 * The libOS's operating-system layer: the Linux system calls the C library
 * (musl) makes, answered inside the guest. Internal to the libOS.
 * Every handler takes the call's six arguments and returns a result or a
 * negative errno, as the Linux kernel does.
 */
#ifndef MOTE_OS_H
#define MOTE_OS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef long sys_fn(const long *a);

/* Handlers, by area (the table in syscall.c names them all). */
sys_fn sys_read, sys_write, sys_readv, sys_writev, sys_preadv, sys_pwritev;
sys_fn sys_pread64, sys_pwrite64, sys_lseek, sys_close, sys_fstat, sys_fcntl,
    sys_dup, sys_dup3, sys_ioctl, sys_fsync, sys_getdents64, sys_ftruncate;
sys_fn sys_openat, sys_newfstatat, sys_faccessat, sys_mkdirat, sys_unlinkat,
    sys_renameat, sys_getcwd, sys_chdir, sys_readlinkat, sys_statfs;
sys_fn sys_brk, sys_mmap, sys_munmap, sys_mremap, sys_madvise, sys_mprotect;
sys_fn sys_clock_gettime, sys_clock_getres, sys_gettimeofday,
    sys_clock_nanosleep, sys_nanosleep;
sys_fn sys_umask, sys_fchmod, sys_fchmodat;
sys_fn sys_exit, sys_getpid, sys_getuid, sys_uname, sys_ok, sys_tkill,
    sys_rt_sigaction, sys_set_tid_address, sys_getrandom, sys_sched_getaffinity,
    sys_prlimit64, sys_arch_prctl, sys_poll, sys_ppoll, sys_select,
    sys_pselect6, sys_sysinfo;
/* Sockets, linked only into programs that make them (unikernel/net/):
 * the system call table refers to them weakly. */
sys_fn sys_socket, sys_bind, sys_listen, sys_accept, sys_accept4, sys_connect,
    sys_sendto, sys_recvfrom, sys_sendmsg, sys_recvmsg, sys_shutdown,
    sys_getsockname, sys_getpeername, sys_setsockopt, sys_getsockopt;

/* The exit status the monitor reports for a guest killed by signal sig. */
__attribute__((noreturn)) void os_exit(int status);

/* Signals (signal.c): a pending stop request from the host delivered as
 * SIGTERM, once: 1 when a handler ran (the waiting call returns EINTR). */
int os_signal_poll(void);
/* A signal's default action: ends the guest with 128 + sig (host: the
 * host's stop request, else the program's own raise/kill). */
__attribute__((noreturn)) void os_signal_exit(int sig, int host);

/* Set the thread pointer (x86_64: FS base through the monitor). */
int os_set_tp(uintptr_t tp);

/* Clocks, from the CPU counter (see sys_time.c). */
void os_time_init(uint64_t counter_freq);
uint64_t os_monotonic_ns(void);
uint64_t os_realtime_ns(void);

/* Anonymous memory pages between the image's end and the end of RAM. */
void os_mem_init(uintptr_t start, uintptr_t end);

/* Files: nodes of one in-memory tree (see vfs.c). */
enum node_kind { NODE_DIR, NODE_MEM, NODE_ROM, NODE_DISK, NODE_CHR, NODE_SOCK };

struct node {
    char name[256];
    enum node_kind kind;
    int writable;  /* /tmp and below: may be written, created in, removed */
    unsigned refs; /* open files; a removed node is freed at the last close */
    int removed;
    uint64_t ino;
    struct node *parent, *child, *next;
    unsigned char *data; /* MEM: malloc'ed; ROM: in the image */
    uint64_t size, cap;
    unsigned dev; /* DISK: device index; CHR: enum chr_kind */
    int64_t mtime;
    unsigned mode; /* permission bits of a file made in /tmp */
};

enum chr_kind { CHR_CONSOLE, CHR_NULL, CHR_ZERO, CHR_RANDOM };

struct file;

struct iovec;
struct file_ops {
    long (*read)(struct file *f, void *buf, size_t len, uint64_t off);
    long (*write)(struct file *f, const void *buf, size_t len, uint64_t off);
    long (*sync)(struct file *f);
    long (*truncate)(struct file *f, uint64_t size);
    void (*release)(struct file *f); /* optional: at the last close */
    /* optional: a whole vector at off at once (readv, preadv, ...), or
     * -EOPNOTSUPP when this vector cannot go at once: the caller then
     * moves it piece by piece with read or write */
    long (*rwv)(struct file *f, const struct iovec *iov, int cnt, uint64_t off,
                int wr);
};

struct file {
    const struct file_ops *ops;
    struct node *node;
    unsigned refs; /* descriptors sharing it (dup) */
    int flags;     /* O_ACCMODE, O_APPEND, O_NONBLOCK */
    uint64_t pos;
    int seekable;
    void *priv; /* NODE_SOCK: its struct sock */
};

/* The root of the tree, built at boot; 0 or -errno. */
int vfs_init(void);
struct node *vfs_root(void);

/*
 * Resolve path from dir (AT_FDCWD: the working directory). *parent gets
 * the directory that holds (or would hold) the last component, *last its
 * name; returns the node, or NULL with *err = -ENOENT when only the last
 * component is missing (creation may follow), or another -errno.
 */
struct node *vfs_lookup(int dirfd, const char *path, struct node **parent,
                        const char **last, int *err);

/* Make a node named name in dir; NULL with *err on failure. */
struct node *vfs_create(struct node *dir, const char *name, enum node_kind kind,
                        int *err);
void vfs_unlink(struct node *n);
/* Copy the component at last (up to a slash) into out; 0 or -errno. */
int vfs_name_of(const char *last, char *out);
struct node *vfs_cwd(void);
void vfs_set_cwd(struct node *n);
/* Move n into dir under name; 0 or -errno. */
long vfs_move(struct node *n, struct node *dir, const char *name);
void vfs_put(struct node *n); /* drop an open reference */
void vfs_stat(const struct node *n, struct stat *st);

/* Add a read-only file at path (its directories made as needed). */
int vfs_add_rom(const char *path, const void *data, uint64_t size);
/* Add /dev/name for device dev of the given kind. */
int vfs_add_dev(const char *name, enum node_kind kind, unsigned dev);

/* The console: write all of buf (len or -errno); read what is there
 * (waiting for some; 0 at the end of the monitor's input). */
long os_console_write(const void *buf, size_t len);
long os_console_read(void *buf, size_t len);
/* 1 when a read of the console would not wait (input, or its end). */
int os_console_ready(void);

/* Open files of each kind. */
const struct file_ops *fs_ops(enum node_kind kind);
uint64_t os_disk_size(unsigned dev); /* bytes */
/*
 * Disks (fs_disk.c): byte-granular reads and writes over whole sectors, in
 * as few block batches as they allow; bytes moved (short on an error part
 * way) or -errno. fs_disk_iov takes a vector of whole sectors at a sector
 * in the same batches, and says -EOPNOTSUPP for any other vector.
 */
long fs_disk_io(unsigned dev, void *buf, size_t len, uint64_t off, int wr);
long fs_disk_iov(unsigned dev, const struct iovec *iov, int cnt, uint64_t off,
                 int wr);
long fs_disk_sync(unsigned dev);

/* Descriptors: install f at the lowest free slot >= min; fd or -errno. */
int fd_install(struct file *f, int min);
struct file *fd_get(int fd);
struct file *file_new(struct node *n, int flags);
void file_put(struct file *f);

/*
 * The network, linked only into programs that make sockets (see
 * unikernel/net/); the files that use these without making sockets refer
 * to them weakly (#pragma weak), so they are NULL there otherwise.
 * sock_is: f is a socket; sock_events: the poll events it has now;
 * net_idle: run the network until the monotonic clock reaches deadline_ns
 * (1), or 0 when it is not up; net_run: run it up to timeout_ns; net_up:
 * bring it up (once; 0 or -errno), which makes /etc/resolv.conf.
 */
int net_up(void);
int sock_is(const struct file *f);
short sock_events(struct file *f);
int net_idle(uint64_t deadline_ns); /* 1, 0 (no network) or -EINTR */
int net_is_up(void);
void net_run(uint64_t timeout_ns);
/* net_run, also ended by console input when console is set. */
void net_run_wake(uint64_t timeout_ns, int console);
/* Run the network once (without waiting) if it has not run for 1 ms. */
void net_tick(void);
/* Before a wait gives the program the CPU back: send the frames the stack
 * queued while it ran (with MOTE_FEAT_NET_XFER; see net_if.c). */
void net_release(void);
/* At exit: close the sockets, let them send what they hold (bounded). */
void net_exit(void);

/* The bundled files in the image (see files.c); 0 or -errno. */
int files_load(void);

/* /dev: the disks by name, null, zero, urandom, console; 0 or -errno. */
int os_dev_init(void);
/* Descriptors 0, 1 and 2 on the console; 0 or -errno. */
int os_stdio_init(void);

#endif
