/* mote disk: create, resize and inspect raw disk images. */
#include <stdio.h>
#include <string.h>

#include "../devices/devices.h"
#include "boot.h"
#include "cli.h"
#include "err.h"

static const char disk_usage[] =
    "Usage: mote disk create FILE SIZE     make a sparse raw image\n"
    "       mote disk resize [--force] FILE SIZE\n"
    "                                      grow or shrink it (shrinking\n"
    "                                      needs --force: it loses data)\n"
    "       mote disk info FILE            size and allocated bytes\n"
    "\n"
    "SIZE: a number with K, M or G (binary units); a bare number is MiB.\n"
    "It must be a multiple of 512 bytes. Images are plain raw files, so\n"
    "other tools can open them too.\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this help\n";

static int get_size(const char *s, uint64_t *size)
{
    if (size_parse(s, size) < 0)
        return cli_error("disk: cannot parse size '%s' (try 64M or 1G)", s);
    return 0;
}

static int disk_info(const char *path)
{
    struct disk_stat st;

    if (disk_stat(path, &st) < 0)
        return cli_error("%s", err_msg());
    printf("%s: %llu bytes (%llu MiB, %llu sectors of %d bytes), %llu bytes "
           "allocated\n",
           path, (unsigned long long)st.size,
           (unsigned long long)(st.size >> 20),
           (unsigned long long)(st.size / DISK_SECTOR), DISK_SECTOR,
           (unsigned long long)st.allocated);
    return 0;
}

static int sized(int argc, char **argv, int force)
{
    uint64_t size;
    int rc;

    if (argc != 4)
        return cli_error("disk %s: want FILE SIZE (try 'mote disk --help')",
                         argv[1]);
    if (get_size(argv[3], &size))
        return MOTE_EXIT_ERROR;
    rc = !strcmp(argv[1], "create") ? disk_create(argv[2], size)
                                    : disk_resize(argv[2], size, force);
    return rc < 0 ? cli_error("%s", err_msg()) : 0;
}

/*
 * --help anywhere prints the usage (returns -1); any other option but
 * resize's --force is an error (returns the exit status); else 0.
 */
static int check_opts(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return fputs(disk_usage, stdout), -1;
        if (argv[i][0] == '-' && !(i == 2 && !strcmp(argv[1], "resize") &&
                                   !strcmp(argv[i], "--force")))
            return cli_bad_option("disk", argv[i]);
    }
    return 0;
}

int cmd_disk(int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    int rc;

    if ((rc = check_opts(argc, argv)) != 0)
        return rc < 0 ? 0 : rc;
    if (!strcmp(verb, "help"))
        return fputs(disk_usage, stdout), 0;
    if (!strcmp(verb, "create"))
        return sized(argc, argv, 0);
    if (!strcmp(verb, "resize")) {
        int force = argc > 2 && !strcmp(argv[2], "--force");

        if (force) {
            argv[2] = argv[1];
            return sized(argc - 1, argv + 1, 1);
        }
        return sized(argc, argv, 0);
    }
    if (!strcmp(verb, "info")) {
        if (argc != 3)
            return cli_error("disk info: want FILE (try 'mote disk --help')");
        return disk_info(argv[2]);
    }
    return cli_error("disk: want create, resize or info (try 'mote disk "
                     "--help')");
}
