/*
 * Fuzz target: sequences of hypercalls through hc_dispatch, as a hostile
 * guest makes them, with every handler mote registers (the core's and each
 * device kind's) and one device of each kind attached: disk 0 (a 32-sector
 * file), network device 1 (a socket pair standing in for its TAP). No
 * KVM: guest RAM is MEM bytes of heap with a guard after it.
 *
 * Input: byte 0 says how many calls (mod CALLS + 1), then that many
 * records of RECORD bytes each:
 *   byte 0      the hypercall number (mod MOTE_HC_MAX + 2: unknown too)
 *   bytes 1-2   the argument's guest address (little endian, any: page 0,
 *               straddling the end of RAM)
 *   byte 3      bit 0: a frame (the next 64 data bytes) arrives on the
 *               network device first
 *   bytes 4-67  the argument struct's bytes, written at that address
 * What follows (up to DATA bytes) fills guest RAM from 0x8000: buffers,
 * descriptor arrays, frames.
 * Waits are cut to a microsecond (a guest may sleep; a fuzzer may not).
 * Invariants: no handler writes past guest RAM (the guard), none crashes
 * or trips ASan/UBSan, and after each call the guest is running, exited or
 * crashed as a report says, never half-way.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "../../devices/devices.h"
#include "../../devices/tap.h"
#include "../../monitor/devkind.h"
#include "../../monitor/vm.h"
#include "../unit/fakeram.h"
#include "fuzz.h"

#define MEM 0x10000u
#define DATA 0x1000u
#define RECORD 68u
#define CALLS 16u
#define SECTORS 32

static struct vm vm;
static int peer = -1; /* the network device's other end */

static void setup(void)
{
    char dir[] = "/tmp/mote-fuzz-hc.XXXXXX", path[64];
    static const uint8_t zero[SECTORS * 512];
    int sv[2], null = open("/dev/null", O_RDWR);
    FILE *f;

    /* the console writes to stdout and reads stdin: /dev/null here */
    FUZZ_CHECK(null >= 0 && dup2(null, 0) == 0 && dup2(null, 1) == 1);
    FUZZ_CHECK(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/d0", dir);
    f = fopen(path, "wb");
    FUZZ_CHECK(f && fwrite(zero, 1, sizeof(zero), f) == sizeof(zero));
    fclose(f);
    FUZZ_CHECK(fake_ram(&vm, MEM) == 0);
    vm.vcpu_fd = vm.vm_fd = -1;
    FUZZ_CHECK(hc_core_setup(&vm) == 0 && dev_kinds_register(&vm) == 0);
    FUZZ_CHECK(disk_attach(&vm, "d0", path, 0) == 0);
    FUZZ_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == 0);
    FUZZ_CHECK(vm_dev_add(&vm, MOTE_DEV_NET, "n0", sv[0]) == 1);
    vm.dev[1].desc.mtu = 1500;
    memcpy(vm.dev[1].desc.mac, "\x02mote1", 6);
    peer = sv[1];
    unlink(path);
    rmdir(dir);
}

/* Where a call's timeout_ns is, for the calls that may wait. */
static int timeout_at(unsigned nr)
{
    switch (nr) {
    case MOTE_HC_POLL: return 0;
    case MOTE_HC_CONSOLE_READ: return 16;
    case MOTE_HC_NET_RECV_WAIT: return 24;
    case MOTE_HC_NET_XFER: return 32;
    default: return -1;
    }
}

static void put_arg(uint64_t gpa, unsigned nr, const uint8_t *s)
{
    int t = timeout_at(nr);
    uint64_t v;

    for (unsigned i = 0; i < RECORD - 4 && gpa + i < MEM; i++)
        if (gpa + i >= 0x1000)
            vm.mem[gpa + i] = s[i];
    if (t < 0 || gpa + (uint64_t)t + 8 > MEM || gpa < 0x1000)
        return;
    memcpy(&v, vm.mem + gpa + t, 8);
    v %= 1000; /* at most a microsecond */
    memcpy(vm.mem + gpa + t, &v, 8);
}

static void drain(void)
{
    uint8_t frame[2048];

    while (read(peer, frame, sizeof(frame)) > 0)
        ;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    unsigned calls;
    size_t rec, data;

    if (peer < 0)
        setup();
    if (n < 1)
        return 0;
    calls = d[0] % (CALLS + 1);
    d++, n--;
    if ((size_t)calls * RECORD > n)
        calls = (unsigned)(n / RECORD);
    rec = (size_t)calls * RECORD;
    data = n - rec < DATA ? n - rec : DATA;
    memset(vm.mem, 0, MEM);
    memcpy(vm.mem + 0x8000, d + rec, data);
    for (unsigned c = 0; c < calls; c++, d += RECORD) {
        unsigned nr = d[0] % (MOTE_HC_MAX + 2);
        uint64_t gpa = (uint64_t)d[1] | (uint64_t)d[2] << 8;

        if ((d[3] & 1) && write(peer, vm.mem + 0x8000, 64) < 0) {
            /* the queue is full: no frame this time */
        }
        put_arg(gpa, nr, d + 4);
        vm.stop = VM_RUNNING;
        hc_dispatch(&vm, nr, gpa);
        FUZZ_CHECK(fake_guard_hit(&vm) < 0);
        FUZZ_CHECK(vm.stop == VM_RUNNING || vm.stop == VM_EXITED ||
                   vm.stop == VM_CRASHED);
        drain();
    }
    return 0;
}
