/* Unit tests of hypercall registration and dispatch (monitor/hc.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../monitor/err.h"
#include "../../monitor/vm.h"

#define MEM_SIZE 0x10000ULL
#define ARG_SIZE 24
#define NR 7

static struct {
    unsigned calls;
    struct vm *vm;
    void *arg;
    int ret;
} seen;

static int handler(struct vm *vm, void *arg)
{
    seen.calls++;
    seen.vm = vm;
    seen.arg = arg;
    return seen.ret;
}

static int other(struct vm *vm, void *arg)
{
    (void)vm;
    (void)arg;
    return 0;
}

static int setup(void **state)
{
    struct vm *vm = calloc(1, sizeof(*vm));

    if (!vm || !(vm->mem = calloc(1, MEM_SIZE)))
        return -1;
    vm->mem_size = MEM_SIZE;
    vm->gpa_lo = 0x1000;
    memset(&seen, 0, sizeof(seen));
    err_clear();
    *state = vm;
    return 0;
}

static int teardown(void **state)
{
    struct vm *vm = *state;

    free(vm->mem);
    free(vm);
    return 0;
}

static void test_register(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "seven", ARG_SIZE, handler), 0);
    assert_ptr_equal(vm->hc[NR].fn, handler);
    assert_int_equal(vm->hc[NR].size, ARG_SIZE);
    assert_string_equal(vm->hc[NR].name, "seven");
    assert_int_equal(hc_register(vm, 0, "zero", 8, other), 0);
    assert_int_equal(hc_register(vm, MOTE_HC_MAX - 1, "last", 8, other), 0);
}

static void test_register_bad(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, MOTE_HC_MAX, "x", 8, handler), -EINVAL);
    assert_int_equal(hc_register(vm, ~0u, "x", 8, handler), -EINVAL);
    assert_int_equal(hc_register(vm, NR, "x", 8, NULL), -EINVAL);
    assert_int_equal(hc_register(vm, NR, "x", 0, handler), -EINVAL);
    /* Nothing was registered by the failures. */
    for (unsigned i = 0; i < MOTE_HC_MAX; i++)
        assert_null(vm->hc[i].fn);
}

static void test_register_twice(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "first", 8, handler), 0);
    assert_int_equal(hc_register(vm, NR, "second", 16, other), -EEXIST);
    assert_ptr_equal(vm->hc[NR].fn, handler);
    assert_int_equal(vm->hc[NR].size, 8);
}

/* Is p inside guest RAM? The handler must get a copy, never guest memory. */
static int in_guest(const struct vm *vm, const void *p)
{
    const uint8_t *b = p;

    return b >= vm->mem && b < vm->mem + vm->mem_size;
}

static void test_dispatch(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "seven", ARG_SIZE, handler), 0);
    memset(vm->mem + 0x2000, 0x5a, ARG_SIZE);
    seen.ret = 0;
    assert_int_equal(hc_dispatch(vm, NR, 0x2000), 0);
    assert_int_equal(seen.calls, 1);
    assert_ptr_equal(seen.vm, vm);
    assert_false(in_guest(vm, seen.arg));
    assert_int_equal(vm->stop, VM_RUNNING);
    /* The handler's verdict is passed through. */
    seen.ret = 1;
    assert_int_equal(hc_dispatch(vm, NR, MEM_SIZE - ARG_SIZE), 1);
    assert_false(in_guest(vm, seen.arg));
    seen.ret = -EIO;
    assert_int_equal(hc_dispatch(vm, NR, 0x1000), -EIO);
    assert_int_equal(seen.calls, 3);
}

/*
 * A handler that writes guest memory over its own struct (as a buffer the
 * guest aimed there would) and then changes its copy: the copy is what the
 * guest sees afterwards, written once, and the copy never saw the write.
 */
static int scribbler(struct vm *vm, void *arg)
{
    uint64_t *a = arg;

    memset(vm->mem + 0x2000, 0xee, ARG_SIZE);
    seen.calls++;
    if (a[0] != 0x1111 || a[1] != 0x2222 || a[2] != 0x3333)
        return -EINVAL; /* the copy changed under the handler */
    a[2] = 0x4444;
    return seen.ret;
}

static void test_dispatch_copies(void **state)
{
    struct vm *vm = *state;
    uint64_t *g = (uint64_t *)(vm->mem + 0x2000);

    assert_int_equal(hc_register(vm, NR, "scribble", ARG_SIZE, scribbler), 0);
    g[0] = 0x1111, g[1] = 0x2222, g[2] = 0x3333;
    assert_int_equal(hc_dispatch(vm, NR, 0x2000), 0);
    assert_int_equal(g[0], 0x1111);
    assert_int_equal(g[1], 0x2222);
    assert_int_equal(g[2], 0x4444);
    assert_int_equal(vm->mem[0x2000 + ARG_SIZE], 0); /* nothing past it */
    /* A handler that stops the guest: nothing is copied back. */
    g[0] = 0x1111, g[1] = 0x2222, g[2] = 0x3333;
    seen.ret = 1;
    assert_int_equal(hc_dispatch(vm, NR, 0x2000), 1);
    assert_int_equal(g[2], 0xeeeeeeeeeeeeeeeeULL);
    assert_int_equal(seen.calls, 2);
}

static void test_register_too_big(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "big", HC_ARG_MAX + 1, handler),
                     -EINVAL);
    assert_int_equal(hc_register(vm, NR, "max", HC_ARG_MAX, handler), 0);
    assert_int_equal(hc_dispatch(vm, NR, 0x2000), 0);
}

/* A bad argument address crashes the guest without calling the handler. */
static void expect_bad_arg(struct vm *vm, gpa_t arg)
{
    vm->stop = VM_RUNNING;
    err_clear();
    assert_int_equal(hc_dispatch(vm, NR, arg), 1);
    assert_int_equal(vm->stop, VM_CRASHED);
    assert_non_null(strstr(err_msg(), "bad argument address"));
    assert_non_null(strstr(err_msg(), "seven"));
    assert_int_equal(seen.calls, 0);
}

static void test_dispatch_bad_arg(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "seven", ARG_SIZE, handler), 0);
    expect_bad_arg(vm, MEM_SIZE - ARG_SIZE + 8); /* straddles the end */
    expect_bad_arg(vm, MEM_SIZE);
    expect_bad_arg(vm, UINT64_MAX & ~7ULL);
    expect_bad_arg(vm, 0);      /* below gpa_lo */
    expect_bad_arg(vm, 0x2004); /* misaligned */
}

/* An argument in read-only memory (the image's text) is refused: the
 * results could not be written back. */
static void test_dispatch_ro_arg(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "seven", ARG_SIZE, handler), 0);
    vm->ro[0] = (struct gpa_range){ 0x3000, 0x4000 };
    vm->nro = 1;
    expect_bad_arg(vm, 0x3000);
    expect_bad_arg(vm, 0x3000 - 8);
    expect_bad_arg(vm, 0x4000 - 8);
    seen.ret = 0;
    assert_int_equal(hc_dispatch(vm, NR, 0x4000), 0);
    assert_int_equal(hc_dispatch(vm, NR, 0x3000 - ARG_SIZE), 0);
    assert_int_equal(seen.calls, 2);
}

/* The crash report alone may come from the exception stack (below
 * gpa_lo): read there, never written back, other calls refused. */
static int crash_seen(struct vm *vm, void *arg)
{
    struct mote_hc_crash *a = arg;

    seen.calls++;
    seen.ret = (int)a->vector;
    a->vector = 99; /* must not reach guest memory */
    vm->stop = VM_CRASHED;
    return 1;
}

static void test_dispatch_crash_window(void **state)
{
    struct vm *vm = *state;
    struct mote_hc_crash c = { .vector = 14 };

    vm->gpa_lo = 0x8000;
    vm->exc = (struct gpa_range){ 0x4000, 0x8000 };
    assert_int_equal(
        hc_register(vm, MOTE_HC_CRASH, "crash", sizeof(c), crash_seen), 0);
    assert_int_equal(hc_register(vm, NR, "seven", ARG_SIZE, handler), 0);
    memcpy(vm->mem + 0x7fd0, &c, sizeof(c));
    assert_int_equal(hc_dispatch(vm, MOTE_HC_CRASH, 0x7fd0), 1);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.ret, 14);
    assert_int_equal(vm->mem[0x7fd0], 14); /* not written back */
    /* Outside the window, straddling its end, misaligned: refused. */
    vm->stop = VM_RUNNING;
    assert_int_equal(hc_dispatch(vm, MOTE_HC_CRASH, 0x3ff8), 1);
    assert_int_equal(hc_dispatch(vm, MOTE_HC_CRASH, 0x8000 - 8), 1);
    assert_int_equal(hc_dispatch(vm, MOTE_HC_CRASH, 0x7fd4), 1);
    assert_int_equal(seen.calls, 1);
    assert_non_null(strstr(err_msg(), "bad argument address"));
    seen.calls = 0;
    expect_bad_arg(vm, 0x7fd0); /* not for other calls */
}

static void test_dispatch_unknown(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_register(vm, NR, "seven", ARG_SIZE, handler), 0);
    assert_int_equal(hc_dispatch(vm, NR + 1, 0x2000), 1);
    assert_int_equal(vm->stop, VM_CRASHED);
    assert_non_null(strstr(err_msg(), "unknown hypercall 8"));
    vm->stop = VM_RUNNING;
    assert_int_equal(hc_dispatch(vm, MOTE_HC_MAX, 0x2000), 1);
    assert_int_equal(vm->stop, VM_CRASHED);
    vm->stop = VM_RUNNING;
    assert_int_equal(hc_dispatch(vm, ~0u, 0x2000), 1);
    assert_int_equal(vm->stop, VM_CRASHED);
    assert_int_equal(seen.calls, 0);
}

static void test_core_setup(void **state)
{
    struct vm *vm = *state;

    assert_int_equal(hc_core_setup(vm), 0);
    assert_non_null(vm->hc[MOTE_HC_WALLTIME].fn);
    assert_int_equal(vm->hc[MOTE_HC_WALLTIME].size,
                     sizeof(struct mote_hc_time));
    assert_int_equal(vm->hc[MOTE_HC_POLL].size, sizeof(struct mote_hc_poll));
    assert_int_equal(vm->hc[MOTE_HC_EXIT].size, sizeof(struct mote_hc_exit));
    assert_int_equal(vm->hc[MOTE_HC_CRASH].size, sizeof(struct mote_hc_crash));
    assert_null(vm->hc[MOTE_HC_CONSOLE].fn); /* a device's, not core's */
    /* A second setup on the same table is refused, not silently merged. */
    assert_int_equal(hc_core_setup(vm), -EEXIST);
}

static void test_walltime(void **state)
{
    struct vm *vm = *state;
    struct mote_hc_time *t = (void *)(vm->mem + 0x2000);

    assert_int_equal(hc_core_setup(vm), 0);
    assert_int_equal(hc_dispatch(vm, MOTE_HC_WALLTIME, 0x2000), 0);
    /* After 2020-01-01 and before 2200. */
    assert_true(t->ns > 1577836800ULL * 1000000000ULL);
    assert_true(t->ns < 7258118400ULL * 1000000000ULL);
}

static void test_poll_timeout(void **state)
{
    struct vm *vm = *state;
    struct mote_hc_poll *p = (void *)(vm->mem + 0x2000);

    assert_int_equal(hc_core_setup(vm), 0);
    p->timeout_ns = 1000;
    p->ready = ~0ULL & ~MOTE_READY_CONSOLE; /* device bits in: ignored */
    p->ret = 99;
    assert_int_equal(hc_dispatch(vm, MOTE_HC_POLL, 0x2000), 0);
    assert_int_equal(p->ready, 0);
    assert_int_equal(p->ret, 0);
}

/* wake-console: console input ends the wait when asked, and only then. */
static void test_poll_console(void **state)
{
    struct vm *vm = *state;
    struct mote_hc_poll *p = (void *)(vm->mem + 0x2000);
    int fds[2];

    assert_int_equal(hc_core_setup(vm), 0);
    assert_int_equal(pipe(fds), 0);
    vm->console_in = fds[0];
    *p = (struct mote_hc_poll){ .timeout_ns = 1000,
                                .ready = MOTE_READY_CONSOLE };
    assert_int_equal(hc_dispatch(vm, MOTE_HC_POLL, 0x2000), 0);
    assert_int_equal(p->ready, 0); /* nothing yet: the time ran out */
    assert_int_equal(write(fds[1], "x", 1), 1);
    *p = (struct mote_hc_poll){ .timeout_ns = 1000 };
    assert_int_equal(hc_dispatch(vm, MOTE_HC_POLL, 0x2000), 0);
    assert_int_equal(p->ready, 0); /* not asked */
    *p = (struct mote_hc_poll){ .timeout_ns = 5000000000ULL,
                                .ready = MOTE_READY_CONSOLE };
    assert_int_equal(hc_dispatch(vm, MOTE_HC_POLL, 0x2000), 0);
    assert_int_equal(p->ready, MOTE_READY_CONSOLE);
    assert_int_equal(p->ret, 0);
    close(fds[0]);
    close(fds[1]);
    vm->console_in = -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_too_big, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_bad_arg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_ro_arg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_crash_window, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_core_setup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walltime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poll_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poll_console, setup, teardown),
    };

    return cmocka_run_group_tests_name("hc", tests, NULL, NULL);
}
