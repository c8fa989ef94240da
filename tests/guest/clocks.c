/* Clocks: monotonic never goes back, sleeps last as long as asked by both
 * the guest's counter and the host's wall clock. */
#include <mote.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

int main(void)
{
    uint64_t prev = mote_monotonic_ns(), w0, m0;
    struct timespec bad = { 0, 1000000000L };

    for (int i = 0; i < 100000; i++) {
        uint64_t t = mote_monotonic_ns();

        CHECK(t >= prev);
        prev = t;
    }
    CHECK(mote_walltime_ns() > 1600000000ULL * 1000000000ULL);
    CHECK(nanosleep(&bad, NULL) == -1);
    w0 = mote_walltime_ns();
    m0 = mote_monotonic_ns();
    usleep(50000);
    CHECK(mote_monotonic_ns() - m0 >= 50000000ULL);
    CHECK(mote_walltime_ns() - w0 >= 49000000ULL);
    CHECK(mote_poll(0) == 0); /* no devices: nothing ready, no wait */
    return 0;
}
