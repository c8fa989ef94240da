/* Unit tests of crash backtraces over invented stacks (backtrace.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../monitor/backtrace.h"
#include "../../monitor/elf_sym.h"

/* A made-up guest stack: 8-byte words from STACK, the rest unreadable. */
#define STACK 0x200000ULL
#define WORDS 512

static uint64_t stack[WORDS];
static unsigned reads;

static int read_stack(void *ctx, uint64_t addr, uint64_t *v)
{
    (void)ctx;
    reads++;
    if (addr < STACK || addr - STACK >= sizeof(stack) || (addr & 7))
        return -1;
    *v = stack[(addr - STACK) / 8];
    return 0;
}

/* Frame record at word w: { previous fp, return address }. */
static uint64_t frame(unsigned w, uint64_t prev, uint64_t ret)
{
    stack[w] = prev;
    stack[w + 1] = ret;
    return STACK + 8ULL * w;
}

static void walk(struct backtrace *bt, uint64_t fp)
{
    reads = 0;
    bt_walk(bt, 0x1010, fp, read_stack, NULL);
    assert_true(reads <= 2 * BT_MAX);
}

static void test_good_chain(void **state)
{
    struct backtrace bt;
    uint64_t fp;

    (void)state;
    memset(stack, 0, sizeof(stack));
    fp = frame(40, 0, 0x3000); /* the outermost: fp 0 ends it */
    fp = frame(20, fp, 0x2005);
    fp = frame(4, fp, 0x1234);
    walk(&bt, fp);
    assert_int_equal(bt.n, 4);
    assert_int_equal(bt.pc[0], 0x1010);
    assert_int_equal(bt.pc[1], 0x1234);
    assert_int_equal(bt.pc[2], 0x2005);
    assert_int_equal(bt.pc[3], 0x3000);
}

/* A null, misaligned, unreadable or wrapping fp: the pc alone. */
static void test_bad_start(void **state)
{
    static const uint64_t fps[] = { 0,
                                    STACK + 4,
                                    STACK - 8,
                                    STACK + WORDS * 8,
                                    UINT64_MAX - 7,
                                    UINT64_MAX - 15 };
    struct backtrace bt;

    (void)state;
    memset(stack, 0, sizeof(stack));
    for (unsigned i = 0; i < sizeof(fps) / sizeof(fps[0]); i++) {
        walk(&bt, fps[i]);
        assert_int_equal(bt.n, 1);
        assert_int_equal(bt.pc[0], 0x1010);
    }
}

/* A record pointing to itself or back down the stack ends the walk. */
static void test_cycles(void **state)
{
    struct backtrace bt;
    uint64_t a, b;

    (void)state;
    memset(stack, 0, sizeof(stack));
    a = STACK + 8 * 10;
    frame(10, a, 0x1111); /* itself */
    walk(&bt, a);
    assert_int_equal(bt.n, 2);
    b = STACK + 8 * 30;
    frame(10, b, 0x1111);
    frame(30, a, 0x2222); /* back to a */
    walk(&bt, a);
    assert_int_equal(bt.n, 3);
    assert_int_equal(bt.pc[2], 0x2222);
}

/* A null return address, or a next fp that is misaligned or unreadable. */
static void test_corrupt(void **state)
{
    struct backtrace bt;

    (void)state;
    memset(stack, 0, sizeof(stack));
    frame(30, 0, 0x3000);
    frame(10, STACK + 8 * 30, 0);
    walk(&bt, STACK + 8 * 10);
    assert_int_equal(bt.n, 1);
    frame(10, STACK + 8 * 30 + 3, 0x2000);
    walk(&bt, STACK + 8 * 10);
    assert_int_equal(bt.n, 2);
    frame(10, STACK + 8 * WORDS - 8, 0x2000); /* its ret is unreadable */
    walk(&bt, STACK + 8 * 10);
    assert_int_equal(bt.n, 2);
}

/* A chain longer than BT_MAX stops at BT_MAX frames. */
static void test_long_chain(void **state)
{
    struct backtrace bt;
    uint64_t fp = 0;

    (void)state;
    memset(stack, 0, sizeof(stack));
    for (unsigned w = WORDS - 2; w >= 2; w -= 2)
        fp = frame(w, fp, 0x100000 + w);
    walk(&bt, fp);
    assert_int_equal(bt.n, BT_MAX);
    assert_int_equal(bt.pc[1], 0x100002);
}

/* Symbols: _start 0x1000-0x1020, main 0x2000-0x2005, f 0x3000-0x3100. */
static struct sym syms_v[] = { { 0x1000, 0x20, 0 },
                               { 0x2000, 0x5, 7 },
                               { 0x3000, 0x100, 12 } };
static char names_v[] = "_start\0main\0f";
static const struct sym_table syms = { syms_v, 3, names_v };

static void expect_line(const struct backtrace *bt, unsigned i,
                        const struct sym_table *t, const char *want)
{
    char line[160];

    bt_format(bt, i, t, line, sizeof(line));
    assert_string_equal(line, want);
}

static void test_format(void **state)
{
    struct backtrace bt = { 4, { 0x3010, 0x2005, 0x1010, 0x9999 }, 0 };

    (void)state;
    expect_line(&bt, 0, &syms, "#0 0x3010 f+0x10");
    /* a return address just past main's end is main's call */
    expect_line(&bt, 1, &syms, "#1 0x2005 main+0x5");
    expect_line(&bt, 2, &syms, "#2 0x1010 _start+0x10");
    expect_line(&bt, 3, &syms, "#3 0x9999");
    expect_line(&bt, 0, NULL, "#0 0x3010");
    bt.pc[0] = 0x2005; /* but a faulting pc there is no one's */
    expect_line(&bt, 0, &syms, "#0 0x2005");
}

static void test_leaf(void **state)
{
    struct backtrace bt = { 2, { 0x3010, 0x1010 }, 0x2004 };
    struct backtrace full = { BT_MAX, { 0x3010 }, 0x2004 };

    (void)state;
    bt_resolve(&bt, &syms); /* f, called by main, had no frame record */
    assert_int_equal(bt.n, 3);
    assert_int_equal(bt.pc[1], 0x2004);
    assert_int_equal(bt.pc[2], 0x1010);
    bt = (struct backtrace){ 2, { 0x3010, 0x1010 }, 0x3008 };
    bt_resolve(&bt, &syms); /* inside f itself: f made a call before */
    assert_int_equal(bt.n, 2);
    bt = (struct backtrace){ 2, { 0x3010, 0x2004 }, 0x2004 };
    bt_resolve(&bt, &syms); /* already frame 1 */
    assert_int_equal(bt.n, 2);
    bt = (struct backtrace){ 2, { 0x3010, 0x1010 }, 0x8000 };
    bt_resolve(&bt, &syms); /* no function there */
    assert_int_equal(bt.n, 2);
    bt = (struct backtrace){ 1, { 0x3010 }, 0 };
    bt_resolve(&bt, &syms);
    assert_int_equal(bt.n, 1);
    full.pc[BT_MAX - 1] = 0x1010;
    bt_resolve(&full, &syms);
    assert_int_equal(full.n, BT_MAX);
    assert_int_equal(full.pc[1], 0x2004);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_chain), cmocka_unit_test(test_bad_start),
        cmocka_unit_test(test_cycles),     cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_long_chain), cmocka_unit_test(test_format),
        cmocka_unit_test(test_leaf),
    };

    return cmocka_run_group_tests_name("backtrace", tests, NULL, NULL);
}
