/* The guest: KVM handles, guest memory and the checked guest-pointer API. */
#ifndef MOTE_VM_H
#define MOTE_VM_H

#include <stddef.h>
#include <stdint.h>

#include "../unikernel/include/mote/abi.h"
#include "backtrace.h"

typedef uint64_t gpa_t;

struct kvm_run;
struct vm;

/*
 * A hypercall handler gets a private copy of its argument struct, never a
 * pointer into guest memory: hc_dispatch() copies it in before the call and,
 * when the handler returns 0, copies it back out after. Buffers the struct
 * names are reached only through gpa_ptr(). The handler returns 0 to resume
 * the guest, 1 when the guest must stop (after setting vm->stop), or a
 * negative errno on a monitor failure.
 */
typedef int (*hc_fn)(struct vm *vm, void *arg);

/* Read-only ranges of guest RAM a vm keeps (the image's text segments). */
#define VM_RO_MAX 16

/* The largest argument struct a hypercall may have (hc_register checks). */
#define HC_ARG_MAX 128

struct hc_entry {
    hc_fn fn;
    uint32_t size; /* of the argument struct */
    const char *name;
};

/* An attached device: what the guest sees, and the host side. */
struct vm_device {
    struct mote_device desc; /* copied into the boot info */
    int fd;                  /* disk file or TAP; -1 when none */
};

/* Why the run loop stopped. */
enum vm_stop {
    VM_RUNNING = 0,
    VM_EXITED,   /* guest called exit: status in exit_status */
    VM_CRASHED,  /* guest fault or bad hypercall: message in err_msg() */
    VM_SIGNALED, /* the monitor got SIGINT/SIGTERM: signal in exit_status */
    VM_STOPPED,  /* a stop request's deadline passed (ctl.h) */
    VM_MIGRATED, /* the guest moved to another monitor (mig_send.c) */
};

/* Counted by the vCPU thread, read by the control socket's (relaxed). */
struct vm_stats {
    uint64_t exits;
    uint64_t hc[MOTE_HC_MAX]; /* hypercalls, by number */
};

struct vm_ctl;

struct vm {
    int kvm_fd;
    int vm_fd;
    int vcpu_fd;
    struct kvm_run *run;
    size_t run_size;
    uint8_t *mem;      /* host mapping of guest RAM */
    uint64_t mem_size; /* bytes of guest RAM */
    gpa_t mem_base;    /* GPA of mem[0] */
    gpa_t gpa_lo;      /* lowest GPA a hypercall may name */
    struct gpa_range {
        gpa_t lo, hi;
    } ro[VM_RO_MAX]; /* the image's read-only pages (wx.h) */
    unsigned nro;
    struct gpa_range exc; /* the ring-0 exception stack's crash report */
    uint64_t counter_freq;
    enum vm_stop stop;
    int exit_status;
    const char *model; /* the board's model string, for the guest */
    struct hc_entry hc[MOTE_HC_MAX];
    struct vm_device dev[MOTE_MAX_DEVICES];
    unsigned ndev;
    int console_in; /* the console's input fd (wakes poll waits) */
    /* bytes a second the console's output may average (--console-rate);
     * 0: no limit */
    uint64_t console_rate;
    struct vm_stats stats;
    uint64_t *mdirty;    /* during a migration: pages mote itself touched */
    int moved;           /* restored or migrated: MOTE_READY_MOVED due */
    int told_shutdown;   /* the guest was given MOTE_READY_SHUTDOWN */
    struct vm_ctl *ctl;  /* the control socket's requests, or NULL */
    struct backtrace bt; /* the guest's, once it crashed */
    int pagemap_fd;      /* /proc/self/pagemap opened early (sandbox), or -1 */
};

/*
 * Host pointer to guest range [gpa, gpa + len), or NULL when any byte of it
 * lies outside guest RAM [mem_base, mem_base + mem_size) or below gpa_lo.
 * Overflow-safe for any input.
 */
void *gpa_ptr(const struct vm *vm, gpa_t gpa, uint64_t len);

/*
 * As gpa_ptr(), for a range the monitor writes into: NULL as well when any
 * byte of it is in a page the guest may not write (vm->ro, the image's
 * text and read-only data). The monitor never writes for a guest what the
 * guest could not write itself.
 */
void *gpa_wptr(const struct vm *vm, gpa_t gpa, uint64_t len);

/* Mark guest RAM [off, off + len) dirty for a migration (len > 0). */
void vm_mark_dirty(const struct vm *vm, uint64_t off, uint64_t len);

/* As gpa_wptr(), for an argument struct of the given size that must be
 * 8-aligned (hc_dispatch copies it in and back out). */
void *gpa_arg(const struct vm *vm, gpa_t gpa, uint64_t size);

/*
 * Register fn for hypercall nr with an argument struct of size bytes
 * (1 to HC_ARG_MAX). -EINVAL for a bad nr or size, -EEXIST if taken.
 */
int hc_register(struct vm *vm, unsigned nr, const char *name, uint32_t size,
                hc_fn fn);

/* One hypercall of a device's table, for hc_register_all(). */
struct hc_def {
    unsigned nr;
    const char *name;
    uint32_t size; /* of the argument struct */
    hc_fn fn;
};

/* Register defs[0, n) in order; 0 or the first failure's -errno. */
int hc_register_all(struct vm *vm, const struct hc_def *defs, unsigned n);

/*
 * Check the argument address, copy the struct in, call the handler on the
 * copy and copy it back out (see hc_fn). The handler's verdict is returned.
 */
int hc_dispatch(struct vm *vm, unsigned nr, gpa_t arg);

/*
 * Stop the guest as crashed with a formatted reason and record its
 * backtrace in vm->bt; returns 1.
 */
int vm_crash(struct vm *vm, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Add a device named name of the given kind; returns its index or a
 * negative errno (-ENOSPC: too many, -EEXIST: the name is taken).
 */
int vm_dev_add(struct vm *vm, uint32_t kind, const char *name, int fd);

/* The device at index i if it is of the given kind, else NULL. */
struct vm_device *vm_dev(struct vm *vm, uint64_t i, uint32_t kind);

/*
 * Wait up to timeout_ns for input on the network devices (and the
 * console's input when console is set; a signal ends it early): the
 * MOTE_HC_POLL ready bits. *err is set to -MOTE_EIO when the host's poll
 * failed.
 */
uint64_t vm_poll(struct vm *vm, uint64_t timeout_ns, int console, int64_t *err);

/* Register the core hypercalls: time, poll, exit, crash. */
int hc_core_setup(struct vm *vm);

/* KVM's dirty page log of guest RAM on (1) or off (0); 0 or -errno. */
int vm_dirty_log(struct vm *vm, int on);

/*
 * The guest pages worth saving or sending: those that hold memory
 * (resident or swapped, from /proc/self/pagemap, whose entries are host
 * pages of any size: a page never touched is not even read, which would
 * map it) and are not all zero. One bit per 4 KiB page (bit i: word i /
 * 64, bit i % 64, which on these little-endian hosts is also byte i / 8,
 * bit i % 8); returns how many are set.
 */
uint64_t vm_pages_nonzero(const struct vm *vm, uint64_t *bits);

/*
 * Fetch and clear KVM's dirty log into bits: one bit per host page (4, 16
 * or 64 KiB), (mem_size / host page + 63) / 64 words; vm_bits_widen()
 * turns it into one bit per 4 KiB page.
 */
int vm_dirty_fetch(struct vm *vm, uint64_t *bits);

/*
 * Set in bits (one per 4 KiB page, npages of them) every page whose host
 * page (per 4 KiB pages each) is set in hbits; returns how many pages it
 * found set in hbits (counted once each, whatever bits held before).
 */
uint64_t vm_bits_widen(uint64_t *bits, const uint64_t *hbits, uint64_t npages,
                       uint64_t per);

/*
 * Transparent huge pages for guest RAM. A huge page is backed whole on the
 * guest's first touch: 2 MiB on a 4 KiB-page host, 32 MiB on a 16 KiB-page
 * one (a Raspberry Pi 5's), 512 MiB with 64 KiB pages. A small guest that
 * touches a few pages of each would cost the host tens of MiB instead of
 * the one it uses, so guest RAM below VM_HUGE_MIN of the host's huge pages
 * is advised MADV_NOHUGEPAGE (vm_create); bigger guests are left to the
 * host's policy (/sys/kernel/mm/transparent_hugepage/enabled), where huge
 * pages save TLB misses and KVM maps its stage 2 or EPT in blocks.
 * vm_mem_huge() is 1 when RAM of mem_size bytes is left to that policy,
 * 0 when it is advised against huge pages; hpage is the host's huge page
 * size (hpage_pmd_size), 0 when the host has none.
 */
#define VM_HUGE_MIN 64
int vm_mem_huge(uint64_t mem_size, uint64_t hpage);

/* Open /dev/kvm, create the VM, map mem_size bytes at mem_base, one vCPU. */
int vm_create(struct vm *vm, uint64_t mem_size);
void vm_destroy(struct vm *vm);

/* Run until the guest exits, crashes or a signal stops it. */
int vm_run(struct vm *vm);

/*
 * Handle one exit already in vm->run: 0 to resume the guest, 1 when the
 * guest stopped (vm->stop says why), negative on a monitor failure.
 */
int vm_handle_exit(struct vm *vm, struct kvm_run *run);

/* Ask vm_run() to stop at the next opportunity (async-signal-safe). */
void vm_request_stop(int sig);

/* 1 once vm_request_stop() was called. */
int vm_stop_pending(void);

/* Ask the guest to stop gracefully: its next wait sees
 * MOTE_READY_SHUTDOWN (async-signal-safe; the OCI runtime's SIGTERM). */
void vm_request_shutdown(void);
int vm_shutdown_asked(void);

#endif
