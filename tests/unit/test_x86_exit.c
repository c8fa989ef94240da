/* Unit tests of x86_64 exit decoding and the run loop's exit handling. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kvm.h>

#include <cmocka.h>

#include "../../devices/devices.h"
#include "../../monitor/arch.h"
#include "../../monitor/err.h"
#include "../../monitor/vm.h"

#define RUN_SIZE 4096
#define DATA_OFF 0x800
#define MEM_SIZE 0x40000ULL
#define ARG 0x2000ULL /* where the tests put argument structs */

struct fixture {
    struct vm vm;
    struct kvm_run *run;
    int pipe[2]; /* console output: [0] read end, nonblocking */
};

/* Make run an exit of port I/O carrying the 4 data bytes of v. */
static void set_io(struct kvm_run *run, uint8_t dir, uint8_t size,
                   uint16_t port, uint32_t count, uint32_t v)
{
    memset(run, 0, RUN_SIZE);
    run->exit_reason = KVM_EXIT_IO;
    run->io.direction = dir;
    run->io.size = size;
    run->io.port = port;
    run->io.count = count;
    run->io.data_offset = DATA_OFF;
    memcpy((uint8_t *)run + DATA_OFF, &v, sizeof(v));
}

/* A well-formed hypercall exit: 32-bit OUT of arg to the port of nr. */
static void set_hc(struct kvm_run *run, unsigned nr, uint32_t arg)
{
    set_io(run, KVM_EXIT_IO_OUT, 4, MOTE_HC_PORT_BASE + nr, 1, arg);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f || !(f->run = aligned_alloc(4096, RUN_SIZE)) ||
        !(f->vm.mem = calloc(1, MEM_SIZE)) || pipe2(f->pipe, O_NONBLOCK))
        return -1;
    memset(f->run, 0, RUN_SIZE);
    f->vm.kvm_fd = f->vm.vm_fd = -1;
    f->vm.vcpu_fd = -1; /* arch_describe_cpu: "registers unavailable" */
    f->vm.run = f->run;
    f->vm.mem_size = MEM_SIZE;
    f->vm.gpa_lo = 0x1000;
    if (hc_core_setup(&f->vm) < 0 || console_setup(&f->vm, f->pipe[1], -1) < 0)
        return -1;
    err_clear();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    close(f->pipe[0]);
    close(f->pipe[1]);
    free(f->vm.mem);
    free(f->run);
    free(f);
    return 0;
}

static void test_decode_ok(void **state)
{
    struct fixture *f = *state;
    unsigned nr = 99;
    gpa_t arg = 0;

    set_hc(f->run, MOTE_HC_CONSOLE, 0x12345678);
    assert_int_equal(arch_hc_decode(f->run, &nr, &arg), 0);
    assert_int_equal(nr, MOTE_HC_CONSOLE);
    assert_int_equal(arg, 0x12345678);
    set_hc(f->run, MOTE_HC_MAX - 1, 0xfffffff8);
    assert_int_equal(arch_hc_decode(f->run, &nr, &arg), 0);
    assert_int_equal(nr, MOTE_HC_MAX - 1);
    assert_int_equal(arg, 0xfffffff8);
}

/* arch_hc_decode refuses run and leaves nr and arg alone. */
static void expect_no_decode(struct kvm_run *run)
{
    unsigned nr = 99;
    gpa_t arg = 77;

    assert_int_equal(arch_hc_decode(run, &nr, &arg), -EINVAL);
    assert_int_equal(nr, 99);
    assert_int_equal(arg, 77);
}

static void test_decode_bad(void **state)
{
    struct fixture *f = *state;
    const uint16_t port = MOTE_HC_PORT_BASE + MOTE_HC_CONSOLE;
    const uint32_t reasons[] = { KVM_EXIT_MMIO, KVM_EXIT_HLT, KVM_EXIT_SHUTDOWN,
                                 KVM_EXIT_UNKNOWN, KVM_EXIT_INTERNAL_ERROR };

    set_io(f->run, KVM_EXIT_IO_IN, 4, port, 1, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 1, port, 1, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 2, port, 1, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 4, port, 2, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 4, port, 0, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 4, MOTE_HC_PORT_BASE - 1, 1, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 4, MOTE_HC_PORT_BASE + MOTE_HC_MAX, 1, ARG);
    expect_no_decode(f->run);
    set_io(f->run, KVM_EXIT_IO_OUT, 4, 0x3f8, 1, ARG);
    expect_no_decode(f->run);
    /* A well-formed OUT under another exit reason. */
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        set_hc(f->run, MOTE_HC_CONSOLE, ARG);
        f->run->exit_reason = reasons[i];
        expect_no_decode(f->run);
    }
}

static void test_exc_name(void **state)
{
    (void)state;
    assert_string_equal(arch_exc_name(14), "page fault");
    assert_string_equal(arch_exc_name(13), "general protection fault");
    assert_string_equal(arch_exc_name(0), "divide error");
    assert_string_equal(arch_exc_name(9), "exception");
    assert_string_equal(arch_exc_name(32), "exception");
    assert_string_equal(arch_exc_name(UINT64_MAX), "exception");
}

/* vm_handle_exit stopped the guest as crashed with a message holding w. */
static void expect_crash(struct fixture *f, const char *w1, const char *w2)
{
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 1);
    assert_int_equal(f->vm.stop, VM_CRASHED);
    if (!strstr(err_msg(), w1) || (w2 && !strstr(err_msg(), w2)))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err_msg(), w1,
                 w2 ? w2 : "");
}

static void test_exit_hc(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_exit a = { .status = 0x1234 };

    memcpy(f->vm.mem + ARG, &a, sizeof(a));
    set_hc(f->run, MOTE_HC_EXIT, ARG);
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 1);
    assert_int_equal(f->vm.stop, VM_EXITED);
    assert_int_equal(f->vm.exit_status, 0x34);
}

static void test_exit_hc_negative(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_exit a = { .status = -1 };

    memcpy(f->vm.mem + ARG, &a, sizeof(a));
    set_hc(f->run, MOTE_HC_EXIT, ARG);
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 1);
    assert_int_equal(f->vm.stop, VM_EXITED);
    assert_int_equal(f->vm.exit_status, 255);
}

static void test_bad_arg_address(void **state)
{
    struct fixture *f = *state;

    set_hc(f->run, MOTE_HC_EXIT, MEM_SIZE);
    expect_crash(f, "bad argument address", "0x40000");
    f->vm.stop = VM_RUNNING;
    set_hc(f->run, MOTE_HC_EXIT, 0);
    expect_crash(f, "bad argument address", "exit");
}

static void test_unknown_hc(void **state)
{
    struct fixture *f = *state;

    set_hc(f->run, MOTE_HC_MAX - 1, ARG);
    expect_crash(f, "unknown hypercall", "23");
}

static void test_bad_port_io(void **state)
{
    struct fixture *f = *state;

    set_io(f->run, KVM_EXIT_IO_IN, 1, 0x3f8, 1, 0);
    expect_crash(f, "I/O port 0x3f8 (size 1, in)", "ports 0x500-0x517");
}

/* A hypercall port reached the wrong way is no hypercall either. */
static void test_hc_port_wrong_way(void **state)
{
    struct fixture *f = *state;

    set_io(f->run, KVM_EXIT_IO_OUT, 1, MOTE_HC_PORT_BASE, 1, ARG);
    expect_crash(f, "I/O port 0x500 (size 1, out)", NULL);
    f->vm.stop = VM_RUNNING;
    set_io(f->run, KVM_EXIT_IO_OUT, 2, MOTE_HC_PORT_BASE + 1, 1, ARG);
    expect_crash(f, "I/O port 0x501 (size 2, out)", NULL);
    f->vm.stop = VM_RUNNING;
    set_io(f->run, KVM_EXIT_IO_IN, 4, MOTE_HC_PORT_BASE, 1, ARG);
    expect_crash(f, "I/O port 0x500 (size 4, in)", NULL);
    f->vm.stop = VM_RUNNING;
    set_io(f->run, KVM_EXIT_IO_OUT, 4, MOTE_HC_PORT_BASE, 3, ARG);
    expect_crash(f, "I/O port 0x500 (size 4, out, a string)", NULL);
    f->vm.stop = VM_RUNNING;
    set_io(f->run, KVM_EXIT_IO_OUT, 4, MOTE_HC_PORT_BASE + MOTE_HC_MAX, 1, ARG);
    expect_crash(f, "I/O port 0x518 (size 4, out)", NULL);
}

static void test_mmio(void **state)
{
    struct fixture *f = *state;

    memset(f->run, 0, RUN_SIZE);
    f->run->exit_reason = KVM_EXIT_MMIO;
    f->run->mmio.phys_addr = 0xfee00000;
    f->run->mmio.len = 4;
    expect_crash(f, "address 0xfee00000 outside its RAM (size 4, load)", NULL);
    f->vm.stop = VM_RUNNING;
    f->run->mmio.phys_addr = MEM_SIZE;
    f->run->mmio.len = 8;
    f->run->mmio.is_write = 1;
    expect_crash(f, "address 0x40000 outside its RAM (size 8, store)", NULL);
}

/* Everything the console wrote to its pipe so far. */
static ssize_t drain(struct fixture *f, char *buf, size_t size)
{
    ssize_t n = read(f->pipe[0], buf, size);

    return n < 0 && errno == EAGAIN ? 0 : n;
}

static void test_console_bad_buf(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_console a = { .buf = MEM_SIZE - 4, .len = 8, .ret = 0 };
    const gpa_t bufs[] = { MEM_SIZE - 4, MEM_SIZE, 0, UINT64_MAX - 2 };
    char out[64];

    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
        a.buf = bufs[i];
        a.ret = 0;
        memcpy(f->vm.mem + ARG, &a, sizeof(a));
        set_hc(f->run, MOTE_HC_CONSOLE, ARG);
        assert_int_equal(vm_handle_exit(&f->vm, f->run), 0);
        assert_int_equal(f->vm.stop, VM_RUNNING);
        memcpy(&a, f->vm.mem + ARG, sizeof(a));
        assert_int_equal(a.ret, -MOTE_EINVAL);
    }
    /* Longer than the ABI allows, though inside RAM. */
    a = (struct mote_hc_console){ .buf = 0x1000, .len = MOTE_CONSOLE_MAX + 1 };
    assert_true(a.buf + a.len <= MEM_SIZE);
    memcpy(f->vm.mem + ARG, &a, sizeof(a));
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 0);
    memcpy(&a, f->vm.mem + ARG, sizeof(a));
    assert_int_equal(a.ret, -MOTE_EINVAL);
    assert_int_equal(drain(f, out, sizeof(out)), 0);
}

static void test_console_write(void **state)
{
    struct fixture *f = *state;
    static const char msg[] = "hello, mote\n";
    struct mote_hc_console a = { .buf = 0x4000, .len = sizeof(msg) - 1 };
    char out[64];

    memset(f->vm.mem + 0x4000, 'Z', 64);
    memcpy(f->vm.mem + 0x4000, msg, sizeof(msg) - 1);
    memcpy(f->vm.mem + ARG, &a, sizeof(a));
    set_hc(f->run, MOTE_HC_CONSOLE, ARG);
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 0);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    memcpy(&a, f->vm.mem + ARG, sizeof(a));
    assert_int_equal(a.ret, sizeof(msg) - 1);
    assert_int_equal(drain(f, out, sizeof(out)), sizeof(msg) - 1);
    assert_memory_equal(out, msg, sizeof(msg) - 1);
    assert_int_equal(drain(f, out, sizeof(out)), 0);
    /* An empty write writes nothing and returns 0. */
    a = (struct mote_hc_console){ .buf = 0x4000, .len = 0, .ret = 5 };
    memcpy(f->vm.mem + ARG, &a, sizeof(a));
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 0);
    memcpy(&a, f->vm.mem + ARG, sizeof(a));
    assert_int_equal(a.ret, 0);
    assert_int_equal(drain(f, out, sizeof(out)), 0);
}

static void test_halt_shutdown(void **state)
{
    struct fixture *f = *state;

    memset(f->run, 0, RUN_SIZE);
    f->run->exit_reason = KVM_EXIT_HLT;
    expect_crash(f, "halted", "registers unavailable");
    f->vm.stop = VM_RUNNING;
    f->run->exit_reason = KVM_EXIT_SHUTDOWN;
    expect_crash(f, "triple-faulted", "registers unavailable");
    f->vm.stop = VM_RUNNING;
    f->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
    expect_crash(f, "emulate", NULL);
    f->vm.stop = VM_RUNNING;
    f->run->exit_reason = 0x7fff;
    expect_crash(f, "unexpected KVM exit", NULL);
}

static void test_system_event(void **state)
{
    struct fixture *f = *state;

    memset(f->run, 0, RUN_SIZE);
    f->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
    f->run->system_event.type = KVM_SYSTEM_EVENT_SHUTDOWN;
    f->vm.exit_status = 42;
    assert_int_equal(vm_handle_exit(&f->vm, f->run), 1);
    assert_int_equal(f->vm.stop, VM_EXITED);
    assert_int_equal(f->vm.exit_status, 0);
    f->vm.stop = VM_RUNNING;
    f->run->system_event.type = KVM_SYSTEM_EVENT_RESET;
    expect_crash(f, "asked for a reset (PSCI SYSTEM_RESET)", NULL);
    f->vm.stop = VM_RUNNING;
    f->run->system_event.type = KVM_SYSTEM_EVENT_CRASH;
    expect_crash(f, "reported a crash to KVM", NULL);
    f->vm.stop = VM_RUNNING;
    f->run->system_event.type = 99;
    expect_crash(f, "unexpected system event", NULL);
}

/* aarch64's exit for an access KVM cannot decode, fed to the one loop. */
static void test_nisv(void **state)
{
    struct fixture *f = *state;

    memset(f->run, 0, RUN_SIZE);
    f->run->exit_reason = KVM_EXIT_ARM_NISV;
    expect_crash(f, "an access KVM cannot decode", NULL);
}

static void test_fail_entry(void **state)
{
    struct fixture *f = *state;

    memset(f->run, 0, RUN_SIZE);
    f->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
    f->run->fail_entry.hardware_entry_failure_reason = 0x21;
    assert_int_equal(vm_handle_exit(&f->vm, f->run), -EIO);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    assert_non_null(strstr(err_msg(), "0x21"));
}

static void test_crash_hc(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_crash c = { .vector = 14,
                               .error = 6,
                               .pc = 0x10abcd,
                               .sp = 0x7ff0,
                               .addr = 0xdead000,
                               .flags = 0x202 };

    memcpy(f->vm.mem + ARG, &c, sizeof(c));
    set_hc(f->run, MOTE_HC_CRASH, ARG);
    expect_crash(f, "page fault", "0x10abcd");
    assert_non_null(strstr(err_msg(), "0xdead000"));
    assert_null(strstr(err_msg(), "hlt"));
}

/* A ring-3 hlt is a general protection fault the report names as such;
 * another #GP, or a hlt byte out of guest memory, is not. */
static void test_crash_hlt(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_crash c = { .vector = 13, .pc = 0x3000 };

    f->vm.mem[0x3000] = 0xf4;
    memcpy(f->vm.mem + ARG, &c, sizeof(c));
    set_hc(f->run, MOTE_HC_CRASH, ARG);
    expect_crash(
        f, "general protection fault (vector 13) at pc 0x3000",
        "flags 0x0: hlt: it waits for an interrupt that nothing can send");
    f->vm.stop = VM_RUNNING;
    f->vm.mem[0x3000] = 0xe6; /* out imm8 */
    set_hc(f->run, MOTE_HC_CRASH, ARG);
    expect_crash(f, "general protection fault", NULL);
    assert_null(strstr(err_msg(), "hlt"));
    f->vm.stop = VM_RUNNING;
    c.pc = MEM_SIZE; /* outside RAM: nothing read */
    memcpy(f->vm.mem + ARG, &c, sizeof(c));
    set_hc(f->run, MOTE_HC_CRASH, ARG);
    expect_crash(f, "general protection fault", NULL);
    assert_null(strstr(err_msg(), "hlt"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_decode_ok),         T(test_decode_bad),
        T(test_exc_name),          T(test_exit_hc),
        T(test_exit_hc_negative),  T(test_bad_arg_address),
        T(test_unknown_hc),        T(test_bad_port_io),
        T(test_hc_port_wrong_way), T(test_mmio),
        T(test_console_bad_buf),   T(test_console_write),
        T(test_halt_shutdown),     T(test_system_event),
        T(test_fail_entry),        T(test_crash_hc),
        T(test_crash_hlt),         T(test_nisv),
    };

    return cmocka_run_group_tests_name("x86_exit", tests, NULL, NULL);
}
