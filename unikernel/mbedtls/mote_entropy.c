/* mbedtls's entropy source in a guest: getrandom(), which the libOS serves
 * from the monitor's entropy hypercall (MBEDTLS_ENTROPY_HARDWARE_ALT). */
#include <errno.h>
#include <mbedtls/entropy.h>
#include <sys/random.h>

/* mbedtls declares it in entropy_poll.h: public in 2.28, private in 3.x. */
int mbedtls_hardware_poll(void *data, unsigned char *out, size_t len,
                          size_t *olen);

int mbedtls_hardware_poll(void *data, unsigned char *out, size_t len,
                          size_t *olen)
{
    size_t done = 0;
    ssize_t n;

    (void)data;
    while (done < len) {
        n = getrandom(out + done, len - done, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    *olen = done;
    return done == len ? 0 : MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
}
