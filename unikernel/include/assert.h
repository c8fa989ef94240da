/* mote libOS: assert() reports the failed expression and aborts. */
#ifndef _ASSERT_H
#define _ASSERT_H

__attribute__((noreturn)) void mote_assert_fail(const char *expr,
                                                const char *file, int line);

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : mote_assert_fail(#e, __FILE__, __LINE__))
#endif

#endif
