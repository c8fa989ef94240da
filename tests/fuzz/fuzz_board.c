/*
 * Fuzz target: board profiles (board_parse) from the input as text, and
 * board detection (board_detect_fdt) from the same bytes as a device tree.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../monitor/board.h"
#include "../../monitor/err.h"
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
    free(s);
}

static void detect(const uint8_t *data, size_t size, const char *arch)
{
    char why[128];
    struct board b;

    FUZZ_CHECK(board_detect_fdt(data, size, arch, &b, why, sizeof(why)) == 0);
    FUZZ_CHECK(!strcmp(b.arch, arch));
    FUZZ_CHECK(terminated(why, sizeof(why)) && !strncmp(why, "board ", 6));
    check_board(&b);
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
