/*
 * DHCP's pace: a server that NAKs every request must not make the guest
 * broadcast as fast as the server answers (lwIP starts discovering again
 * at once after a NAK: 335 broadcasts in 10 s were seen). The DHCP client
 * frames lwIP sends get PACE_BURST turns at once and one more each
 * PACE_NS; a frame without a turn is dropped, and lwIP's own timers send
 * again later. A lease and its renewals take two frames each: never held.
 */
#include "dhcp_pace.h"

#define PACE_BURST 4
#define PACE_NS 4000000000ULL

/* IPv4, UDP, from port 68 to port 67: a DHCP client's. */
int dhcp_pace_is_client(const uint8_t *f, size_t len)
{
    size_t ihl;
    const uint8_t *u;

    if (len < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00 ||
        (f[14] >> 4) != 4)
        return 0;
    ihl = (size_t)(f[14] & 0x0f) * 4;
    if (ihl < 20 || f[14 + 9] != 17 || len < 14 + ihl + 8)
        return 0;
    u = f + 14 + ihl;
    return u[0] == 0 && u[1] == 68 && u[2] == 0 && u[3] == 67;
}

int dhcp_pace_ok(struct dhcp_pace *p, const uint8_t *f, size_t len,
                 uint64_t now_ns)
{
    uint64_t add;

    if (!dhcp_pace_is_client(f, len))
        return 1;
    if (!p->started) {
        p->started = 1;
        p->turns = PACE_BURST;
        p->since = now_ns;
    }
    add = now_ns > p->since ? (now_ns - p->since) / PACE_NS : 0;
    if (add) {
        p->turns =
            p->turns + add > PACE_BURST ? PACE_BURST : p->turns + (unsigned)add;
        p->since += add * PACE_NS;
    }
    if (!p->turns)
        return 0;
    p->turns--;
    return 1;
}
