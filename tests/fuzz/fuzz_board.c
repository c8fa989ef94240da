/*
 * Fuzz target: board profiles (board_parse) and site policies
 * (policy_parse) from the input as text, and board detection from the
 * same bytes as a device tree (board_detect_fdt) and as the string list
 * of /proc/device-tree/compatible (board_detect_compat).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../monitor/board.h"
#include "../../monitor/err.h"
#include "../../monitor/policy.h"
#include "fuzz.h"

static int terminated(const char *s, size_t size)
{
    return memchr(s, 0, size) != NULL;
}

static void check_board(const struct board *b)
{
    FUZZ_CHECK(terminated(b->name, sizeof(b->name)) && b->name[0]);
    FUZZ_CHECK(terminated(b->model, sizeof(b->model)) && b->model[0]);
    FUZZ_CHECK(!strcmp(b->arch, "x86_64") || !strcmp(b->arch, "aarch64"));
    FUZZ_CHECK(b->ncompat <= BOARD_MAX_COMPAT);
    for (unsigned i = 0; i < b->ncompat; i++)
        FUZZ_CHECK(terminated(b->compat[i], sizeof(b->compat[i])) &&
                   b->compat[i][0] && !strpbrk(b->compat[i], " \t"));
    FUZZ_CHECK(b->mem_default && b->mem_default <= b->mem_max);
    FUZZ_CHECK(b->mem_default % (2ULL << 20) == 0);
    FUZZ_CHECK(b->mem_max % (2ULL << 20) == 0);
    FUZZ_CHECK(b->allow_unsigned == 0 || b->allow_unsigned == 1);
}

static void policy(const char *s)
{
    struct policy p;
    int rc;

    err_clear();
    rc = policy_parse(s, "fuzz.policy", &p);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL);
    if (rc < 0) {
        FUZZ_CHECK(!strncmp(err_msg(), "fuzz.policy:", 12));
        return;
    }
    FUZZ_CHECK(p.lim.allow_unsigned == 0 || p.lim.allow_unsigned == 1);
    FUZZ_CHECK(p.lim.mem_max % (2ULL << 20) == 0);
    FUZZ_CHECK(terminated(p.board, sizeof(p.board)));
}

static void text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    struct board b;
    int rc;

    FUZZ_CHECK(s);
    memcpy(s, data, size);
    s[size] = '\0';
    err_clear();
    rc = board_parse(s, "fuzz.board", &b);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL);
    if (rc == 0)
        check_board(&b);
    else
        FUZZ_CHECK(!strncmp(err_msg(), "fuzz.board:", 11));
    policy(s);
    free(s);
}

static void detected(int rc, const struct board *b, const char *arch,
                     const char *why)
{
    FUZZ_CHECK(rc == 0 || rc == -EINVAL);
    if (rc < 0)
        return; /* malformed: refused, not the fallback profile */
    FUZZ_CHECK(!strcmp(b->arch, arch));
    FUZZ_CHECK(terminated(why, 128) && !strncmp(why, "board ", 6));
    check_board(b);
}

static void detect(const uint8_t *data, size_t size, const char *arch)
{
    char why[128];
    struct board b;

    detected(board_detect_fdt(data, size, arch, &b, why, sizeof(why)), &b, arch,
             why);
    detected(board_detect_compat((const char *)data, size, NULL, arch, &b, why,
                                 sizeof(why)),
             &b, arch, why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *fdt = malloc(size ? size : 1); /* ASan: exactly size bytes */

    text(data, size);
    FUZZ_CHECK(fdt);
    memcpy(fdt, data, size);
    detect(fdt, size, "aarch64");
    detect(fdt, size, "x86_64");
    free(fdt);
    return 0;
}
