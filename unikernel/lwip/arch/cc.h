/*
 * lwIP's port header for the mote libOS: the C library is musl, one thread,
 * no operating system under lwIP but the libOS itself (see unikernel/net/).
 */
#ifndef MOTE_LWIP_CC_H
#define MOTE_LWIP_CC_H

#include <endian.h> /* BYTE_ORDER */
#include <errno.h>  /* LWIP_PROVIDE_ERRNO off: the C library's codes */
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h> /* struct timeval, for lwIP's option structures */

/* Random numbers (TCP sequence numbers, ports, DHCP ids): the host's
 * entropy through the libOS. */
uint32_t mote_lwip_rand(void);
#define LWIP_RAND() ((u32_t)mote_lwip_rand())

/* An assertion in lwIP is a bug: say where and stop the guest. */
void mote_lwip_assert(const char *msg, const char *file, int line);
#define LWIP_PLATFORM_ASSERT(x) mote_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_PLATFORM_DIAG(x)                                                  \
    do {                                                                       \
    } while (0)

#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1

#endif
