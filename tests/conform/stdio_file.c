/* Conformance: <stdio.h> streams and POSIX file calls, in a scratch
 * directory made under argv[1] (default /tmp). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cases;
static char dir[512];

/* errno by name: strerror texts differ between libcs. */
static const char *ename(int e)
{
    static const struct {
        int e;
        const char *name;
    } t[] = { { 0, "0" },           { ENOENT, "ENOENT" },
              { EEXIST, "EEXIST" }, { ENOTDIR, "ENOTDIR" },
              { EISDIR, "EISDIR" }, { EBADF, "EBADF" },
              { EINVAL, "EINVAL" }, { EACCES, "EACCES" },
              { ESPIPE, "ESPIPE" }, { ENOTEMPTY, "ENOTEMPTY" } };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (t[i].e == e)
            return t[i].name;
    return "E?";
}

/* NAME in the scratch directory; four buffers in turn, so that two paths
 * can be arguments of one call. */
static const char *path(const char *name)
{
    static char p[4][600];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
    return p[i];
}

/* A call's result and errno name; errno is cleared first. */
#define CALL(what, expr)                                                       \
    do {                                                                       \
        errno = 0;                                                             \
        long r_ = (long)(expr);                                                \
        printf("%-34s %ld %s\n", what, r_, r_ < 0 ? ename(errno) : "");        \
        cases++;                                                               \
    } while (0)

static void streams(void)
{
    char line[64];
    FILE *f = fopen(path("a.txt"), "w");
    printf("fopen w %d\n", f != NULL);
    printf("setvbuf full %d\n", setvbuf(f, NULL, _IOFBF, 128));
    printf("fputs %d\n", fputs("first line\n", f) >= 0);
    printf("fprintf %d\n", fprintf(f, "%s %d %.2f\n", "second", 2, 2.5));
    printf("fwrite %zu\n", fwrite("third\nno newline", 1, 16, f));
    long pos = ftell(f);
    int fl = fflush(f);
    printf("ftell %ld fflush %d fclose %d\n", pos, fl, fclose(f));

    f = fopen(path("a.txt"), "r");
    setvbuf(f, NULL, _IONBF, 0);
    int c = fgetc(f);
    printf("fgetc %c ungetc %c", c, ungetc('F', f));
    c = fgetc(f);
    printf(" then %c ftell %ld\n", c, ftell(f));
    rewind(f);
    for (int n = 0; fgets(line, 8, f); n++)
        printf("fgets[%d] [%s]\n", n, strcmp(line, "\n") ? line : "\\n");
    printf("feof %d ferror %d fgetc %d\n", !!feof(f), !!ferror(f),
           fgetc(f) == EOF);
    clearerr(f);
    printf("clearerr feof %d\n", !!feof(f));
    printf("fseek %d ", fseek(f, -10, SEEK_END));
    char buf[32] = { 0 };
    size_t got = fread(buf, 1, 20, f);
    printf("fread %zu [%s] feof %d\n", got, buf, !!feof(f));
    printf("fseek before start %d\n", fseek(f, -100, SEEK_SET) != 0);
    fclose(f);
    cases += 20;

    f = fopen(path("a.txt"), "a");
    setvbuf(f, NULL, _IOLBF, 64);
    fseek(f, 0, SEEK_SET); /* "a": writes go to the end anyway */
    fputs("\nappended\n", f);
    printf("append ftell %ld\n", ftell(f));
    fclose(f);
    f = fopen(path("a.txt"), "r+");
    fgets(line, sizeof(line), f);
    fseek(f, 0, SEEK_CUR); /* a read then a write needs a seek */
    fputs("SECOND", f);
    fseek(f, 0, SEEK_SET);
    int n = 0;
    while (fgets(line, sizeof(line), f))
        printf("r+ line %d: %s", ++n, line);
    fclose(f);
    f = fopen(path("b.txt"), "w+");
    fprintf(f, "%d %s %c", 12345, "word", 'z');
    fseek(f, 100, SEEK_SET);
    fputc('!', f);
    rewind(f);
    int num = 0;
    char w[8] = { 0 }, ch = 0;
    int items = fscanf(f, "%d %7s %c", &num, w, &ch);
    printf("fscanf %d: %d %s %c", items, num, w, ch);
    fseek(f, 12, SEEK_SET);
    int h1 = fgetc(f), h2 = fgetc(f);
    fseek(f, 0, SEEK_END);
    printf(" hole %d %d size %ld\n", h1, h2, ftell(f));
    fclose(f);
    printf("BUFSIZ>=256 %d EOF<0 %d FOPEN_MAX>=8 %d\n", BUFSIZ >= 256, EOF < 0,
           FOPEN_MAX >= 8);
    f = tmpfile();
    printf("tmpfile %d", f != NULL);
    if (f) {
        fputs("tmp", f);
        rewind(f);
        printf(" reads %c", fgetc(f));
        fclose(f);
    }
    printf("\n");
    cases += 14;
}

static void formats(void)
{
    char a[16] = "", b[16] = "", c[4] = "", d[16] = "";
    int n = -1;
    int r = sscanf("name=value; x,y rest", "%15[^=]=%15[^;]; %3c %15s%n", a, b,
                   c, d, &n);
    printf("sscanf %d [%s] [%s] [%.3s] [%s] %d\n", r, a, b, c, d, n);
    r = sscanf("]]x abc", "%15[]]%15[x] %15[cab]", a, b, d);
    printf("sscanf ] set %d [%s] [%s] [%s]\n", r, a, b, d);
    r = sscanf("   ", "%15s", a);
    printf("sscanf blank %d\n", r);
    r = sscanf("abc", "%15[0123456789]", a);
    printf("sscanf no match %d\n", r);
    char out[12];
    r = snprintf(out, sizeof(out), "%-6s|%6.2s|", "ab", "xyz");
    printf("snprintf %d [%s]\n", r, out);
    cases += 5;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listing(void)
{
    DIR *d = opendir(dir);
    char *names[32];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 32)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_name);
    printf("readdir:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    cases++;
}

static void posix(void)
{
    struct stat st;
    char buf[32] = { 0 };
    int fd = open(path("c.bin"), O_CREAT | O_EXCL | O_RDWR, 0640);
    printf("open new %d\n", fd >= 0);
    CALL("open O_EXCL again",
         open(path("c.bin"), O_CREAT | O_EXCL | O_RDWR, 0600));
    CALL("write", write(fd, "0123456789", 10));
    CALL("lseek SEEK_CUR -3", lseek(fd, -3, SEEK_CUR));
    CALL("read", read(fd, buf, sizeof(buf)));
    printf("read [%s]\n", buf);
    CALL("lseek SEEK_END +5", lseek(fd, 5, SEEK_END));
    CALL("write after hole", write(fd, "Z", 1));
    CALL("lseek negative", lseek(fd, -100, SEEK_SET));
    CALL("fsync", fsync(fd));
    CALL("fstat", fstat(fd, &st));
    printf("fstat size %lld reg %d mode %o\n", (long long)st.st_size,
           S_ISREG(st.st_mode), (unsigned)(st.st_mode & 0777));
    CALL("close", close(fd));
    CALL("close again", close(fd));
    CALL("read closed", read(fd, buf, 1));
    fd = open(path("c.bin"), O_RDONLY);
    CALL("write to O_RDONLY", write(fd, "x", 1));
    close(fd);
    CALL("open missing", open(path("nope"), O_RDONLY));
    CALL("stat missing", stat(path("nope"), &st));
    CALL("stat dir", stat(dir, &st));
    printf("stat dir isdir %d\n", S_ISDIR(st.st_mode));
    CALL("access F_OK", access(path("c.bin"), F_OK));
    CALL("access missing", access(path("nope"), F_OK));
    CALL("mkdir sub", mkdir(path("sub"), 0755));
    CALL("mkdir sub again", mkdir(path("sub"), 0755));
    CALL("open dir for writing", open(path("sub"), O_WRONLY));
    CALL("opendir a file", opendir(path("c.bin")) == NULL ? -1 : 0);
    CALL("open under a file", open(path("c.bin/x"), O_RDONLY));
    errno = 0;
    FILE *none = fopen(path("nope"), "r");
    printf("fopen missing %d %s\n", none == NULL, ename(errno));
    CALL("rename b -> d", rename(path("b.txt"), path("d.txt")));
    CALL("rename a -> d (replace)", rename(path("a.txt"), path("d.txt")));
    FILE *moved = fopen(path("d.txt"), "r");
    char first[16] = "";
    if (moved) {
        fgets(first, sizeof(first), moved);
        fclose(moved);
    }
    printf("d.txt now starts [%.5s]\n", first);
    CALL("rename missing", rename(path("b.txt"), path("e.txt")));
    CALL("create sub/f", close(open(path("sub/f"), O_CREAT | O_WRONLY, 0644)));
    /* a non-empty directory: POSIX allows EEXIST or ENOTEMPTY */
    errno = 0;
    int rd = rmdir(path("sub"));
    printf("rmdir non-empty %d %s\n", rd,
           errno == EEXIST || errno == ENOTEMPTY ? "ENOTEMPTY|EEXIST" : "E?");
    listing();
    CALL("unlink sub/f", unlink(path("sub/f")));
    CALL("remove sub", remove(path("sub")));
    CALL("unlink c.bin", unlink(path("c.bin")));
    CALL("unlink missing", unlink(path("c.bin")));
    CALL("remove d.txt", remove(path("d.txt")));
    listing();
    cases += 4;
}

int main(int argc, char **argv)
{
    umask(022);
    snprintf(dir, sizeof(dir), "%s/conformXXXXXX", argc > 1 ? argv[1] : "/tmp");
    if (!mkdtemp(dir)) {
        printf("mkdtemp failed: %s\n", ename(errno));
        return 1;
    }
    streams();
    formats();
    posix();
    /* whatever a failed step left behind, then the directory itself */
    static const char *const left[] = { "a.txt", "b.txt", "c.bin", "d.txt",
                                        "e.txt", "sub/f", "sub" };
    for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++)
        remove(path(left[i]));
    printf("rmdir scratch %d\n", rmdir(dir));
    printf("cases %d\n", cases);
    printf("DONE stdio_file\n");
    return 0;
}
