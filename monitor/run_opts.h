/* mote run's and mote restore's command line (run_opts.c), for
 * cmd_run.c. */
#ifndef MOTE_RUN_OPTS_H
#define MOTE_RUN_OPTS_H

#include <stdint.h>

#include "sandbox.h"
#include "vmm.h"

#define ENV_MAX 128

struct run_opts {
    struct vm_config c;
    const char *cmd;         /* "run" or "restore" */
    int restore;             /* mote restore SNAPSHOT */
    const char *api;         /* --api PATH */
    const char *incoming;    /* --incoming ADDR */
    struct sig_key *snapkey; /* --snapshot-key KEY, loaded */
    const char *user;        /* --user USER[:GROUP] */
    struct sandbox sb;       /* what the monitor keeps once booted */
    const char *timeout;     /* --timeout DURATION, as given */
    uint64_t timeout_ms;     /* and parsed; 0: none */
    char *envp[ENV_MAX];
    char *env_owned[ENV_MAX]; /* strings made here, freed at the end */
};

/* argv into o (zeroed by the caller): 0, a negative value once --help
 * was printed, or an exit status after a one-line error. */
int run_parse_args(int argc, char **argv, struct run_opts *o);
void run_opts_free(struct run_opts *o);

#endif
