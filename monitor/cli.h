/* The mote command line: subcommands and their shared conventions. */
#ifndef MOTE_CLI_H
#define MOTE_CLI_H

/*
 * Exit statuses of the mote command. Otherwise mote exits with the
 * guest's own status.
 */
#define MOTE_EXIT_TIMEOUT 124 /* mote run --timeout ran out (as timeout(1)) */
#define MOTE_EXIT_ERROR 125   /* mote failed: usage, image, KVM, host error */
#define MOTE_EXIT_CRASH 126   /* the guest crashed or broke the ABI */
#define MOTE_EXIT_SIGNAL 128  /* + N: mote was stopped by signal N */

/* Print "mote: error: ..." on stderr; returns MOTE_EXIT_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report an unknown option, or one missing its value, of mote COMMAND
 * ("mote: error: COMMAND: unknown option ... (try 'mote COMMAND --help')");
 * returns MOTE_EXIT_ERROR.
 */
int cli_bad_option(const char *command, const char *arg);

/*
 * For a command that takes no arguments: 0 when it has none; with --help
 * or -h first, print usage on stdout and return -1; otherwise report the
 * argument and return MOTE_EXIT_ERROR.
 */
int cli_no_args(const char *command, const char *usage, int argc, char **argv);

struct vm;
struct sym_table;
/* A guest's end as mote's exit status, with its message on stderr (a
 * crash, with the guest's backtrace). */
int cli_outcome(const struct vm *vm, const struct sym_table *syms);

int cmd_run(int argc, char **argv);
int cmd_disk(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_boards(int argc, char **argv);
int cmd_ctl(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_oci(int argc, char **argv);

#endif
