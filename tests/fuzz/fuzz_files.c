/*
 * Fuzz target: the bundled-files check (files_check). A blob it accepts
 * must keep every promise <mote/abi.h> makes, checked again here from
 * scratch: names and contents inside the blob, allowed paths, no clashes.
 */
#include <stdint.h>
#include <string.h>

#include "../../monitor/err.h"
#include "../../monitor/files.h"
#include "fuzz.h"

static void check_accepted(const uint8_t *data, size_t size, uint32_t n)
{
    struct mote_files h;

    FUZZ_CHECK(size >= sizeof(h));
    memcpy(&h, data, sizeof(h));
    FUZZ_CHECK(h.count == n && n <= MOTE_FILES_MAX);
    FUZZ_CHECK(sizeof(h) + (uint64_t)n * sizeof(h.entry[0]) <= size);
    for (uint32_t i = 0; i < n; i++) {
        struct mote_file_entry e;
        const char *name;
        size_t len;

        memcpy(&e, data + sizeof(h) + i * sizeof(e), sizeof(e));
        FUZZ_CHECK(e.name < size && e.data <= size && e.size <= size - e.data);
        name = (const char *)data + e.name;
        FUZZ_CHECK(memchr(name, 0, size - e.name));
        len = strlen(name);
        FUZZ_CHECK(len > 0 && len <= MOTE_FILE_PATH_MAX);
        FUZZ_CHECK(name[0] != '/' && name[len - 1] != '/');
        FUZZ_CHECK(!strstr(name, "//") && !strstr(name, "/./") &&
                   !strstr(name, "/../") && strncmp(name, "../", 3) &&
                   strncmp(name, "./", 2) && strcmp(name, ".") &&
                   strcmp(name, ".."));
        for (size_t k = 0; k < len; k++)
            FUZZ_CHECK(name[k] > ' ' && name[k] < 0x7f && name[k] != '\\');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t n = 0;

    err_clear();
    if (files_check(data, size, &n) == 0)
        check_accepted(data, size, n);
    else
        FUZZ_CHECK(err_msg()[0] != 0);
    return 0;
}
