/* timeit: run commands round-robin and print each run's wall time and peak RSS.
 *
 *   timeit [-r ROUNDS] [-w WARMUP] [-O DIR] [-F] LABEL 'CMD ARGS' [LABEL
 * 'CMD'...]
 *
 * Each round runs every command once, starting with a different one each
 * round so no command always goes first. A command is split on spaces and
 * exec'd directly (no shell); leading VAR=VALUE words go into its
 * environment. Prints one line per run on stdout:
 *   LABEL ROUND WALL_NS MAXRSS_KB STATUS START_NS
 * ROUND is negative for the WARMUP rounds (to be discarded). START_NS is
 * CLOCK_MONOTONIC just before fork. The command's stdout and stderr go to
 * /dev/null, or with -O are appended to DIR/LABEL.out and DIR/LABEL.err,
 * each run preceded by a line "#run ROUND START_NS". STATUS is the exit
 * status, or 128 + signal. With -F the command's stdout comes through a
 * pipe and a 7th column, FIRST_NS, is the time from fork to its first
 * byte (0: it wrote nothing). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define ARGS_MAX 64

struct cmd {
    const char *label;
    char *argv[ARGS_MAX];
};

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void split(char *s, char **argv)
{
    int n = 0;

    for (char *t = strtok(s, " "); t && n < ARGS_MAX - 1; t = strtok(NULL, " "))
        argv[n++] = t;
    argv[n] = NULL;
}

/* Open DIR/LABEL.EXT for appending and write the run marker; or /dev/null. */
static int out_fd(const char *dir, const char *label, const char *ext,
                  int round, uint64_t t0)
{
    char path[4096];
    int fd;

    if (!dir)
        return open("/dev/null", O_WRONLY);
    snprintf(path, sizeof(path), "%s/%s.%s", dir, label, ext);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0)
        dprintf(fd, "#run %d %llu\n", round, (unsigned long long)t0);
    return fd;
}

static int first_mode; /* -F */

/* Copy the pipe to fd until its end; the time of its first byte. */
static uint64_t drain(int in, int fd)
{
    uint64_t first = 0;
    char buf[4096];
    ssize_t n;

    while ((n = read(in, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
        if (n <= 0)
            continue;
        if (!first)
            first = now_ns();
        if (write(fd, buf, (size_t)n) < 0) { /* /dev/null or a file */
        }
    }
    return first;
}

static void run(const struct cmd *c, int round, const char *dir)
{
    uint64_t first = 0;
    int p[2] = { -1, -1 };
    uint64_t t0 = now_ns(), t1;
    int fo = out_fd(dir, c->label, "out", round, t0);
    int fe = out_fd(dir, c->label, "err", round, t0);
    struct rusage ru;
    int st;
    pid_t pid;

    if (first_mode && pipe(p) < 0) {
        perror("timeit");
        exit(1);
    }
    t0 = now_ns();
    pid = fork();
    if (pid == 0) {
        char *const *a = c->argv;

        for (; *a && strchr(*a, '='); a++)
            putenv(*a);
        dup2(first_mode ? p[1] : fo, 1);
        dup2(fe, 2);
        if (first_mode) {
            close(p[0]);
            close(p[1]);
        }
        execvp(a[0], a);
        fprintf(stderr, "timeit: %s: %s\n", a[0], strerror(errno));
        _exit(127);
    }
    if (first_mode && pid > 0) {
        close(p[1]);
        first = drain(p[0], fo);
        close(p[0]);
    }
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
        perror("timeit");
        exit(1);
    }
    t1 = now_ns();
    close(fo);
    close(fe);
    printf("%s %d %llu %ld %d %llu", c->label, round,
           (unsigned long long)(t1 - t0), ru.ru_maxrss,
           WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
           (unsigned long long)t0);
    if (first_mode)
        printf(" %llu", (unsigned long long)(first ? first - t0 : 0));
    putchar('\n');
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static struct cmd cmds[32];
    int rounds = 10, warm = 2, n = 0, o;
    const char *dir = NULL;

    while ((o = getopt(argc, argv, "+r:w:O:F")) != -1) {
        if (o == 'r')
            rounds = atoi(optarg);
        else if (o == 'w')
            warm = atoi(optarg);
        else if (o == 'O')
            dir = optarg;
        else if (o == 'F')
            first_mode = 1;
        else
            return 2;
    }
    for (int i = optind; i + 1 < argc && n < 32; i += 2, n++) {
        cmds[n].label = argv[i];
        split(argv[i + 1], cmds[n].argv);
    }
    if (n == 0 || (argc - optind) % 2) {
        fputs("usage: timeit [-r N] [-w N] [-O DIR] [-F] LABEL 'CMD' ...\n",
              stderr);
        return 2;
    }
    for (int r = -warm; r < rounds; r++)
        for (int i = 0; i < n; i++)
            run(&cmds[((r + warm) + i) % n], r, dir);
    return 0;
}
