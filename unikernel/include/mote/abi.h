/* mote hypercall ABI: the one contract shared by the monitor and the libOS. */
#ifndef MOTE_ABI_H
#define MOTE_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * Version of this ABI. The image declares the version it was built against
 * in its boot note; the monitor refuses an image of another version.
 * Within a version the ABI only grows, by features: each hypercall or
 * boot-info field added later is a MOTE_FEAT_* bit. The monitor sets the
 * bits it offers in the boot info's "features"; an image lists the ones it
 * cannot run without in its boot note's "requires", and a monitor that
 * lacks one refuses the image by the feature's name.
 */
#define MOTE_ABI_VERSION 1

#define MOTE_FEAT_NET_RECV_WAIT 0x1 /* MOTE_HC_NET_RECV_WAIT */
#define MOTE_FEAT_CONSOLE_READ 0x2  /* MOTE_HC_CONSOLE_READ */
#define MOTE_FEAT_SET_TP 0x4        /* MOTE_HC_SET_TP */
#define MOTE_FEAT_ENV 0x8           /* boot info envc/envp */
#define MOTE_FEAT_WAKE_CONSOLE 0x10 /* console input ends poll waits */
#define MOTE_FEAT_SHUTDOWN 0x20     /* MOTE_READY_SHUTDOWN: a stop request */
#define MOTE_FEAT_MOVED 0x40        /* MOTE_READY_MOVED: restored or moved */
#define MOTE_FEAT_NET_XFER 0x80     /* MOTE_HC_NET_XFER */
#define MOTE_FEAT_BLOCK_BATCH 0x100 /* MOTE_HC_BLOCK_BATCH */
#define MOTE_FEATURES 0x1ff         /* every feature this header defines */

/*
 * Calling convention.
 *
 * A hypercall passes the guest-physical address of an argument struct.
 * x86_64:  a 32-bit "out" of that address to port MOTE_HC_PORT_BASE + nr;
 *          argument structs must therefore lie below 4 GiB.
 * aarch64: a 64-bit store of that address to MOTE_HC_MMIO_BASE + nr * 8
 *          (a Device-memory page with no backing RAM, so every store exits).
 * Guest memory is identity mapped, so a guest pointer is its GPA.
 * Fields are marked IN (guest to monitor) or OUT (monitor to guest).
 * Every hypercall that can fail has an OUT "ret": 0 or a negative MOTE_E*.
 */
#define MOTE_HC_PORT_BASE 0x500
#define MOTE_HC_MMIO_BASE 0x10000000 /* aarch64: a page below RAM */

/*
 * aarch64 guest memory: RAM starts at MOTE_RAM_BASE_AARCH64 (x86_64: at 0).
 * The image is linked at MOTE_RAM_BASE_AARCH64 + 1 MiB (see its link.ld).
 * Below RAM only the hypercall page is mapped, so NULL faults.
 */
#define MOTE_RAM_BASE_AARCH64 0x40000000

/* Hypercall numbers. */
#define MOTE_HC_CONSOLE 0        /* struct mote_hc_console */
#define MOTE_HC_WALLTIME 1       /* struct mote_hc_time */
#define MOTE_HC_POLL 2           /* struct mote_hc_poll */
#define MOTE_HC_EXIT 3           /* struct mote_hc_exit, does not return */
#define MOTE_HC_CRASH 4          /* struct mote_hc_crash, does not return */
#define MOTE_HC_BLOCK_INFO 5     /* struct mote_hc_block_info */
#define MOTE_HC_BLOCK_READ 6     /* struct mote_hc_block_io */
#define MOTE_HC_BLOCK_WRITE 7    /* struct mote_hc_block_io */
#define MOTE_HC_BLOCK_FLUSH 8    /* struct mote_hc_block_io (dev alone read) */
#define MOTE_HC_NET_SEND 9       /* struct mote_hc_net_io */
#define MOTE_HC_NET_RECV 10      /* struct mote_hc_net_io */
#define MOTE_HC_ENTROPY 11       /* struct mote_hc_entropy */
#define MOTE_HC_NET_RECV_WAIT 12 /* struct mote_hc_net_recv_wait */
#define MOTE_HC_CONSOLE_READ 13  /* struct mote_hc_console_read */
#define MOTE_HC_SET_TP 14        /* struct mote_hc_set_tp */
#define MOTE_HC_NET_XFER 15      /* struct mote_hc_net_xfer */
#define MOTE_HC_BLOCK_BATCH 16   /* struct mote_hc_block_batch */
#define MOTE_HC_MAX 24           /* size of the monitor's handler table */

/* Error codes returned in "ret" (negated). */
#define MOTE_EINVAL 22   /* bad argument: address, length, flag */
#define MOTE_ENODEV 19   /* no such device handle */
#define MOTE_EIO 5       /* the host failed the operation */
#define MOTE_EAGAIN 11   /* nothing to read now */
#define MOTE_EROFS 30    /* write to a read-only disk */
#define MOTE_EMSGSIZE 90 /* frame larger than the MTU or the buffer */

#define MOTE_CONSOLE_MAX 65536
#define MOTE_BOOT_MAGIC 0x65746f6d /* "mote" */
#define MOTE_MAX_DEVICES 16
#define MOTE_ENTROPY_MAX 256
#define MOTE_NOTE_NAME "mote"
#define MOTE_NOTE_BOOT 1
#define MOTE_NOTE_MANIFEST 2
#define MOTE_NOTE_FILES 3
#define MOTE_FILES_MAGIC 0x6c69666d /* "mfil": see struct mote_files */
#define MOTE_FILES_VERSION 1
#define MOTE_FILES_MAX 1024
#define MOTE_FILE_PATH_MAX 1024

#ifndef __ASSEMBLER__

struct mote_hc_console {
    uint64_t buf; /* IN: address of the bytes */
    uint64_t len; /* IN: their count, at most MOTE_CONSOLE_MAX */
    int64_t ret;  /* OUT: bytes written or -MOTE_E* */
};

/*
 * Read from the monitor's standard input, waiting up to timeout_ns for
 * some: ret is the byte count, 0 at its end, -MOTE_EAGAIN when the time
 * ran out (or a signal came to the monitor).
 */
struct mote_hc_console_read {
    uint64_t buf;        /* IN: room for the bytes */
    uint64_t len;        /* IN: its size, at most MOTE_CONSOLE_MAX */
    uint64_t timeout_ns; /* IN: longest wait; 0 = do not wait */
    int64_t ret;         /* OUT: bytes read, 0 at the end, or -MOTE_E* */
};

/* Set the thread pointer: x86_64 the FS base, aarch64 TPIDR_EL0. */
struct mote_hc_set_tp {
    uint64_t tp; /* IN: a canonical address */
    int64_t ret; /* OUT: 0 or -MOTE_EINVAL */
};

struct mote_hc_time {
    uint64_t ns; /* OUT: nanoseconds since the Unix epoch (host clock) */
};

/*
 * MOTE_HC_POLL, MOTE_HC_NET_RECV_WAIT and MOTE_HC_NET_XFER: with
 * MOTE_FEAT_WAKE_CONSOLE, input on the monitor's standard input (or its
 * end) also ends the wait when the guest asks (poll: MOTE_READY_CONSOLE
 * set in "ready" on the way in; the network calls: MOTE_NET_WAKE_CONSOLE
 * in "flags"), and is reported as MOTE_READY_CONSOLE in "ready". The
 * input itself stays for MOTE_HC_CONSOLE_READ.
 */
#define MOTE_READY_CONSOLE (1ULL << 63)

/*
 * With MOTE_FEAT_SHUTDOWN: once the host asked the guest to stop (`mote
 * ctl PATH stop`), the next MOTE_HC_POLL, MOTE_HC_NET_RECV_WAIT or
 * MOTE_HC_NET_XFER returns at once with MOTE_READY_SHUTDOWN set in
 * "ready" (once: later waits wait as usual). The guest should finish and
 * exit before the host's deadline; after it the monitor stops the guest.
 * (The libOS delivers it to the program as SIGTERM.)
 */
#define MOTE_READY_SHUTDOWN (1ULL << 62)

/*
 * With MOTE_FEAT_MOVED: after a restore or a live migration, the next
 * MOTE_HC_POLL, MOTE_HC_NET_RECV_WAIT or MOTE_HC_NET_XFER returns at
 * once with MOTE_READY_MOVED (bit 61) in "ready", once: the guest may be
 * on another host or link, and should announce itself on its networks
 * (the libOS sends a gratuitous ARP).
 */
#define MOTE_READY_MOVED (1ULL << 61)

struct mote_hc_poll {
    uint64_t timeout_ns; /* IN: longest time to block; 0 = just check */
    uint64_t ready;      /* IN: MOTE_READY_CONSOLE: wake on console input;
                          * OUT: bit i set = device i has input */
    int64_t ret;         /* OUT: 0 or -MOTE_E* */
};

struct mote_hc_exit {
    int64_t status; /* IN: the monitor exits with (status & 0xff) */
};

/*
 * Block devices. "dev" is the index of the device in the boot info's
 * device list. Reads and writes are whole sectors: len a multiple of the
 * sector size, sector + len / sector_size <= capacity.
 */
struct mote_hc_block_info {
    uint32_t dev;         /* IN */
    uint32_t flags;       /* OUT: MOTE_DEV_RO */
    uint64_t sector_size; /* OUT: bytes */
    uint64_t sectors;     /* OUT: capacity */
    int64_t ret;          /* OUT: 0 or -MOTE_E* */
};

struct mote_hc_block_io {
    uint32_t dev; /* IN */
    uint32_t pad;
    uint64_t sector; /* IN: first sector */
    uint64_t buf;    /* IN: guest buffer */
    uint64_t len;    /* IN: bytes, a multiple of the sector size */
    int64_t ret;     /* OUT: 0 or -MOTE_E* (flush: durable on the host) */
};

/*
 * Several block requests in one exit (MOTE_FEAT_BLOCK_BATCH): reqs is the
 * address of count struct mote_block_breq (at most MOTE_BLOCK_BATCH_MAX;
 * the whole array inside guest RAM, else ret is -MOTE_EINVAL and no
 * request runs). The monitor copies the array in once, runs the requests
 * one after another in array order, each complete before the next starts
 * (so a flush makes durable every write to its disk before it, and no
 * request after it starts before it is done), and writes the array back
 * once with every status filled in. A failed request does not stop the
 * ones after it. A flush reports -MOTE_EIO when a write to its disk failed
 * earlier in the same batch (after that disk's previous flush in the
 * batch): it still syncs the writes that succeeded, but its 0 always means
 * "every write before me in this batch is durable".
 */
#define MOTE_BLOCK_BATCH_MAX 64
#define MOTE_BLOCK_READ 0
#define MOTE_BLOCK_WRITE 1
#define MOTE_BLOCK_FLUSH 2 /* sector, buf and len must be 0 */

struct mote_block_breq {
    uint32_t op;     /* IN: MOTE_BLOCK_READ, _WRITE or _FLUSH */
    uint32_t dev;    /* IN */
    uint64_t sector; /* IN: first sector */
    uint64_t buf;    /* IN: guest buffer */
    uint64_t len;    /* IN: bytes, a multiple of the sector size */
    int64_t status;  /* OUT: 0 or -MOTE_E*, as the single calls' ret */
};

struct mote_hc_block_batch {
    uint64_t reqs;   /* IN: address of the request array */
    uint32_t count;  /* IN: requests in it, 0 to MOTE_BLOCK_BATCH_MAX */
    uint32_t failed; /* OUT: requests whose status is not 0 */
    int64_t ret;     /* OUT: 0 (see the statuses) or -MOTE_EINVAL */
};

/* Network: whole Ethernet frames, no FCS. */
struct mote_hc_net_io {
    uint32_t dev; /* IN */
    uint32_t pad;
    uint64_t buf; /* IN: the frame (send) or room for one (recv) */
    uint64_t len; /* IN: frame length (send) or buffer size (recv) */
    int64_t ret;  /* OUT: send: 0; recv: frame length, -MOTE_EAGAIN if none */
};

/*
 * Receive one frame, waiting up to timeout_ns for one when none is there:
 * the poll and the receive in one exit. ret is the frame's length, or
 * -MOTE_EAGAIN when the time ran out or another device got input first
 * (ready says which, as MOTE_HC_POLL's does). On success, flags has
 * MOTE_NET_MORE when another frame is already waiting on dev.
 */
#define MOTE_NET_MORE 0x1         /* OUT */
#define MOTE_NET_WAKE_CONSOLE 0x2 /* IN: console input ends the wait */

struct mote_hc_net_recv_wait {
    uint32_t dev;        /* IN */
    uint32_t flags;      /* IN: MOTE_NET_WAKE_CONSOLE; OUT: MOTE_NET_MORE */
    uint64_t buf;        /* IN: room for one frame */
    uint64_t len;        /* IN: its size */
    uint64_t timeout_ns; /* IN: longest wait; 0 = do not wait */
    uint64_t ready;      /* OUT: devices with input, when ret is EAGAIN */
    int64_t ret;         /* OUT: frame length or -MOTE_E* */
};

/*
 * With MOTE_FEAT_NET_XFER: many frames out and in for one exit. In order:
 * 1. every frame of tx[0, ntx) is sent, in that order; each descriptor's
 *    ret is 0 or -MOTE_E* (-MOTE_EMSGSIZE: under 14 bytes or over the MTU
 *    plus the 14-byte header; -MOTE_EINVAL: not inside guest RAM;
 *    -MOTE_EAGAIN: the host's queue was full, the frame is dropped);
 * 2. the frames waiting on dev are received into rx[0, nrx), one frame a
 *    descriptor, in arrival order, until none is left or the descriptors
 *    are used up. A frame longer than its descriptor's len is dropped
 *    with -MOTE_EMSGSIZE there; a descriptor not inside guest RAM gets
 *    -MOTE_EINVAL and takes no frame;
 * 3. when step 2 found no frame and timeout_ns > 0, the monitor waits as
 *    MOTE_HC_NET_RECV_WAIT does (console input with MOTE_NET_WAKE_CONSOLE,
 *    a stop request, a restore: see MOTE_READY_*) and then does step 2
 *    again if dev got input.
 * ret is one past the last rx descriptor that took a frame (0: no frame
 * came; ready then says what ended the wait, as MOTE_HC_POLL's does):
 * rx[i].ret is a frame length or -MOTE_E* for i < ret; the others keep
 * -MOTE_EAGAIN (no frame) or -MOTE_EINVAL (a bad room). flags gets
 * MOTE_NET_MORE when frames are still waiting after the last one.
 * A negative ret fails the whole call, and nothing was sent or taken:
 * -MOTE_ENODEV (dev is no network device) or -MOTE_EINVAL (ntx or nrx
 * over MOTE_NET_XFER_MAX, a descriptor array not inside guest RAM, an
 * unknown flag). The monitor reads each array once before step 1 and
 * writes it back once after step 3, tx then rx (only the "ret" fields
 * change), and the struct last: a frame received over an array is
 * overwritten by that write-back.
 */
#define MOTE_NET_XFER_MAX 64 /* most descriptors in tx, and in rx */

struct mote_net_desc {
    uint64_t buf; /* IN: the frame (tx) or room for one (rx) */
    uint64_t len; /* IN: its length (tx) or the room's size (rx) */
    int64_t ret;  /* OUT: tx: 0 or -MOTE_E*; rx: frame length or -MOTE_E* */
};

struct mote_hc_net_xfer {
    uint32_t dev;        /* IN */
    uint32_t flags;      /* IN: MOTE_NET_WAKE_CONSOLE; OUT: MOTE_NET_MORE */
    uint64_t tx;         /* IN: address of struct mote_net_desc[ntx] */
    uint64_t rx;         /* IN: address of struct mote_net_desc[nrx] */
    uint32_t ntx;        /* IN: frames to send, at most MOTE_NET_XFER_MAX */
    uint32_t nrx;        /* IN: frames to take, at most MOTE_NET_XFER_MAX */
    uint64_t timeout_ns; /* IN: longest wait when none came; 0 = none */
    uint64_t ready;      /* OUT: as MOTE_HC_NET_RECV_WAIT's */
    int64_t ret;         /* OUT: rx descriptors used, or -MOTE_E* */
};

struct mote_hc_entropy {
    uint64_t buf; /* IN */
    uint64_t len; /* IN: at most MOTE_ENTROPY_MAX */
    int64_t ret;  /* OUT: 0 or -MOTE_E* */
};

/* Sent by the libOS's exception handler. */
struct mote_hc_crash {
    uint64_t vector; /* IN: x86 exception vector; aarch64: ESR_EL1.EC */
    uint64_t error;  /* IN: x86 error code; aarch64: full ESR_EL1 */
    uint64_t pc;     /* IN: faulting instruction */
    uint64_t sp;     /* IN: stack pointer at the fault */
    uint64_t addr;   /* IN: x86 CR2; aarch64 FAR_EL1 */
    uint64_t flags;  /* IN: x86 RFLAGS; aarch64 SPSR_EL1 */
};

/*
 * Boot information, built by the monitor in guest memory before the first
 * instruction. All pointers are guest addresses. Read-only for the guest.
 * x86_64:  its address is in %rdi.
 * aarch64: its address is in x1; x0 holds the device tree's address, as
 *          ARM64 boot protocols do (also in "fdt" below, and in the tree as
 *          /chosen/mote,bootinfo). The guest starts at EL1h with DAIF
 *          masked, the MMU and caches on over identity-mapped tables, FP/SIMD
 *          enabled and VBAR_EL1 already set to the boot note's exc_entry.
 */
/*
 * Device kinds. The comment after each kind is its manifest line, read by
 * unikernel/manifest.awk: "manifest: KEYWORD NAME [ro]" ([ro]: the kind
 * takes MOTE_DEV_RO). One line per kind, this shape.
 */
enum mote_dev_kind {
    MOTE_DEV_NONE = 0,
    MOTE_DEV_BLOCK = 1, /* manifest: disk NAME [ro] */
    MOTE_DEV_NET = 2,   /* manifest: net NAME */
};
#define MOTE_DEV_RO 0x1 /* block: read-only */

struct mote_device {
    uint32_t kind;        /* enum mote_dev_kind */
    uint32_t flags;       /* MOTE_DEV_RO */
    char name[32];        /* NUL-terminated, as given on the command line */
    uint64_t sectors;     /* block: capacity in sectors */
    uint32_t sector_size; /* block: bytes per sector */
    uint16_t mtu;         /* net: largest frame payload (IP packet) */
    uint8_t mac[6];       /* net: the guest's MAC address */
    uint32_t reserved;
};

struct mote_bootinfo {
    uint32_t magic;        /* MOTE_BOOT_MAGIC */
    uint32_t abi_version;  /* MOTE_ABI_VERSION of the monitor */
    uint64_t mem_size;     /* bytes of guest RAM from mem_base */
    uint64_t mem_base;     /* GPA of the first byte of RAM */
    uint64_t heap_start;   /* first free byte after the image */
    uint64_t counter_freq; /* CPU counter ticks per second (TSC, CNTVCT) */
    uint64_t argc;
    uint64_t argv; /* char *argv[argc + 1], NULL-terminated */
    uint64_t fdt;  /* aarch64: device tree blob, else 0 */
    uint32_t ndevices;
    uint32_t features; /* MOTE_FEAT_* the monitor offers */
    struct mote_device devices[MOTE_MAX_DEVICES];
    uint64_t envc; /* MOTE_FEAT_ENV: environment strings */
    uint64_t envp; /* char *envp[envc + 1], "NAME=VALUE", NULL-ended */
};

/*
 * Boot note: an ELF note (name "mote", type MOTE_NOTE_BOOT) that every
 * image carries. The monitor reads it to learn the ABI version and where
 * the image's exception entry points are (x86_64: 32 stubs, 16 bytes
 * apart, at exc_entry; aarch64: the 2 KiB-aligned vector table, which the
 * monitor loads into VBAR_EL1).
 */
struct mote_note_boot {
    uint32_t abi_version; /* MOTE_ABI_VERSION built against */
    uint32_t requires;    /* MOTE_FEAT_* the image cannot run without */
    uint64_t exc_entry;   /* exception vectors, see above */
};

/*
 * Manifest note (name "mote", type MOTE_NOTE_MANIFEST): the devices the
 * image may use and the most memory it may get. Written at build time from
 * a manifest file beside the source; it lies inside the signed bytes, so the
 * signer decides. An image without one may use no devices.
 */
#define MOTE_MANIFEST_VERSION 1

struct mote_manifest_dev {
    uint32_t kind;  /* MOTE_DEV_BLOCK or MOTE_DEV_NET */
    uint32_t flags; /* MOTE_DEV_RO: the image may only read this disk */
    char name[32];  /* NUL-terminated */
};

struct mote_manifest {
    uint32_t version;  /* MOTE_MANIFEST_VERSION */
    uint32_t ndevices; /* at most MOTE_MAX_DEVICES; dev[] follows */
    uint64_t mem_max;  /* bytes; 0 = no limit */
    struct mote_manifest_dev dev[];
};

/*
 * Bundled files (note type MOTE_NOTE_FILES, struct mote_note_files): a
 * read-only blob in the image's loaded, signed bytes that the guest sees
 * as files, at "/" + each entry's path. Offsets are from the blob's start;
 * every name and every file's bytes lie inside the blob. A path is 1 to
 * MOTE_FILE_PATH_MAX bytes of [A-Za-z0-9._+,=@-] in components joined by
 * single slashes, with no empty, "." or ".." component; no path is
 * another's directory. The monitor refuses an image that breaks a rule.
 */

struct mote_note_files {
    uint64_t addr; /* GPA of struct mote_files */
    uint64_t size; /* bytes of the blob */
};

struct mote_file_entry {
    uint64_t name; /* offset of the NUL-terminated path */
    uint64_t data; /* offset of the contents */
    uint64_t size; /* their length */
};

struct mote_files {
    uint32_t magic;    /* MOTE_FILES_MAGIC */
    uint32_t version;  /* MOTE_FILES_VERSION */
    uint32_t count;    /* entries, at most MOTE_FILES_MAX */
    uint32_t reserved; /* 0 */
    struct mote_file_entry entry[];
};

#endif /* __ASSEMBLER__ */
#endif
