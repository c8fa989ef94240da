/* Guest tests: CHECK() reports the failed condition and exits 1. */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                               \
    do {                                                                       \
        if (!(c)) {                                                            \
            printf("CHECK failed at %s:%d: %s\n", __FILE__, __LINE__, #c);     \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

#endif
