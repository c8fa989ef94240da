/* mote libOS: error numbers (the values Linux uses). */
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define EROFS 30
#define ERANGE 34
#define ENOSYS 38
#define EMSGSIZE 90
#define EADDRINUSE 98
#define ENETUNREACH 101
#define ENOBUFS 105
#define ETIMEDOUT 110
#define EHOSTUNREACH 113

#endif
