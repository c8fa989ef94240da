/* Opening the files mote is given (images, snapshots, disks, keys) as the
 * hostile input they may be: never blocking on a FIFO or device, only
 * regular files, small files read whole with a cap. */
#ifndef MOTE_FILEIO_H
#define MOTE_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * open(path, flags) without blocking (a FIFO with no writer, a device),
 * then only a regular file is kept: the fd (close-on-exec, blocking again)
 * and its stat in *st, or a negative errno with a message that does not
 * name path (the caller does): "not a regular file: a FIFO".
 */
int fileio_open_regular(const char *path, int flags, struct stat *st);

/*
 * Read the regular file path whole into a new buffer (NUL-terminated, so
 * *len + 1 bytes), refusing it when larger than max bytes. 0 or a negative
 * errno with a message naming path; the caller frees *buf.
 */
int fileio_read_small(const char *path, size_t max, uint8_t **buf, size_t *len);

#endif
