/*
 * The file layer from the inside: files bundled into the image (read-only),
 * /tmp in memory, the disk "d0" as /dev/d0 byte by byte, directory
 * listings, and the errors hostile paths get. Also the environment
 * (run with --env MOTE_TEST=yes).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char buf[8192];

static void bundled(void)
{
    struct stat st;
    FILE *f = fopen("/etc/app.conf", "r");
    int fd;

    CHECK(f && fgets(buf, sizeof(buf), f) && !strcmp(buf, "name = mote\n"));
    CHECK(fgets(buf, sizeof(buf), f) && !strcmp(buf, "answer = 42\n"));
    CHECK(!fgets(buf, sizeof(buf), f) && feof(f));
    fclose(f);
    CHECK(stat("/big.txt", &st) == 0 && st.st_size == 5000);
    CHECK(S_ISREG(st.st_mode) && !(st.st_mode & 0222));
    fd = open("/big.txt", O_RDONLY);
    CHECK(fd >= 0 && lseek(fd, 4990, SEEK_SET) == 4990);
    CHECK(read(fd, buf, sizeof(buf)) == 10 && buf[9] == 'z');
    CHECK(read(fd, buf, sizeof(buf)) == 0);
    close(fd);
    CHECK(open("/etc/app.conf", O_WRONLY) < 0 && errno == EROFS);
    CHECK(open("/etc/new", O_CREAT | O_WRONLY, 0644) < 0 && errno == EROFS);
    CHECK(stat("/lib/lua", &st) == 0 && S_ISDIR(st.st_mode));
}

static int listed(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    CHECK(d);
    while ((e = readdir(d)))
        found |= !strcmp(e->d_name, name);
    closedir(d);
    return found;
}

static void tmp(void)
{
    FILE *f = fopen("/tmp/a.txt", "w+");
    struct stat st;

    CHECK(f && fprintf(f, "line %d\n", 1) == 7 && fputs("two\n", f) >= 0);
    rewind(f);
    CHECK(fgets(buf, sizeof(buf), f) && !strcmp(buf, "line 1\n"));
    CHECK(fclose(f) == 0);
    CHECK(mkdir("/tmp/d", 0755) == 0 && mkdir("/tmp/d", 0755) < 0 &&
          errno == EEXIST);
    CHECK(rename("/tmp/a.txt", "/tmp/d/b.txt") == 0);
    CHECK(stat("/tmp/d/b.txt", &st) == 0 && st.st_size == 11);
    CHECK(listed("/tmp/d", "b.txt") && !listed("/tmp", "a.txt"));
    CHECK(rmdir("/tmp/d") < 0 && errno == ENOTEMPTY);
    CHECK(unlink("/tmp/d/b.txt") == 0 && rmdir("/tmp/d") == 0);
    CHECK(chdir("/tmp") == 0 && getcwd(buf, sizeof(buf)) &&
          !strcmp(buf, "/tmp"));
    CHECK(open("c", O_CREAT | O_EXCL | O_WRONLY, 0600) >= 0);
    CHECK(access("/tmp/c", F_OK) == 0 && chdir("/") == 0);
}

static void hostile(void)
{
    static char longp[5000];

    CHECK(open("/tmp/../etc/app.conf", O_RDONLY) >= 0); /* ".." is lexical */
    CHECK(open("/../../etc/app.conf", O_RDONLY) >= 0);
    CHECK(open("/etc/app.conf/x", O_RDONLY) < 0 && errno == ENOTDIR);
    CHECK(open("/nowhere/x", O_CREAT | O_WRONLY, 0644) < 0 && errno == ENOENT);
    CHECK(open("/tmp", O_WRONLY) < 0 && errno == EISDIR);
    CHECK(open("/etc", O_RDWR | O_CREAT, 0644) < 0 && errno == EISDIR);
    memset(longp, 'a', sizeof(longp) - 1);
    longp[0] = '/';
    CHECK(open(longp, O_RDONLY) < 0 && errno == ENAMETOOLONG);
    memset(longp + 1, 'b', 300);
    longp[301] = 0;
    CHECK(open(longp, O_RDONLY) < 0 && errno == ENAMETOOLONG);
    CHECK(open("", O_RDONLY) < 0 && errno == ENOENT);
    CHECK(unlink("/etc/app.conf") < 0 && errno == EROFS);
    CHECK(rmdir("/") < 0);
}

static void disk(void)
{
    int fd = open("/dev/d0", O_RDWR);
    char got[700];

    CHECK(fd >= 0 && lseek(fd, 0, SEEK_END) == 1 << 20);
    memset(buf, 'q', 700);
    CHECK(pwrite(fd, buf, 700, 1000) == 700); /* straddles sectors */
    CHECK(fsync(fd) == 0);
    CHECK(pread(fd, got, 700, 1000) == 700 && !memcmp(got, buf, 700));
    CHECK(pread(fd, got, 2, 999) == 2 && got[0] == 0 && got[1] == 'q');
    CHECK(pread(fd, got, 10, (1 << 20) - 4) == 4);
    CHECK(pwrite(fd, buf, 10, 1 << 20) < 0 && errno == ENOSPC);
    CHECK(listed("/dev", "d0") && listed("/", "tmp"));
    close(fd);
}

int main(void)
{
    const char *v = getenv("MOTE_TEST");

    bundled();
    tmp();
    hostile();
    disk();
    CHECK(v && !strcmp(v, "yes") && !getenv("HOME"));
    printf("files ok\n");
    return 0;
}
