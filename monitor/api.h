/*
 * The control socket (`mote run --api PATH`): a Unix stream socket, mode
 * 0600, served by its own thread; one JSON object per line each way (see
 * docs/control.md). The vCPU never waits for it: requests reach the run
 * loop through ctl.h.
 */
#ifndef MOTE_API_H
#define MOTE_API_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "ctl.h"
#include "vmm.h"

#define API_CLIENTS 8        /* at once; more are told so and closed */
#define API_LINE_MAX 4096    /* the longest request line */
#define API_IDLE_MS 60000    /* a client silent this long is closed */
#define API_DEADLINE_MS 5000 /* stop's default deadline */

struct api_client {
    int fd; /* -1: a free slot */
    uint64_t last_ns;
    size_t len;
    char buf[API_LINE_MAX];
};

struct api {
    int lfd;     /* the listening socket, -1 when none */
    int wake[2]; /* the main thread ends the api thread through it */
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    dev_t dev; /* the socket file made, so that only it is unlinked */
    ino_t ino;
    pthread_t thread;
    int opened;  /* api_open() was called: the fields are set */
    int running; /* the thread runs */
    struct vmm *m;
    struct vm_ctl ctl;
    uint64_t deadline_ns; /* a stop's deadline (CLOCK_MONOTONIC), or 0 */
    struct api_client cl[API_CLIENTS];
};

/* Listen on path (before the boot: a bad path fails early). 0 or a
 * negative errno with a message. */
int api_open(struct api *a, const char *path);

/* Serve m's guest from a new thread; call from the vCPU's thread after
 * vmm_boot(). 0 or a negative errno with a message. */
int api_start(struct api *a, struct vmm *m);

/* The guest ended: stop the thread, close every socket, remove path. */
void api_close(struct api *a);

/* One request line (without its newline) into a reply line (with it):
 * api_cmd.c. */
void api_request(struct api *a, const char *line, size_t len, char **reply);

#endif
