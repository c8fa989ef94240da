/* Traffic-control redirection over rtnetlink: every frame that arrives on
 * one interface leaves by another (an ingress qdisc, a filter matching
 * everything and a mirred egress-redirect action), as Kata Containers
 * joins a VM's TAP to a container's veth. The filter is matchall, or,
 * on kernels built without it, u32 with one key that matches any frame
 * (mask 0). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>
#include <sys/socket.h>

#include "err.h"
#include "oci_net.h"

struct nlreq {
    struct nlmsghdr h;
    struct tcmsg t;
    char attrs[512];
};

/* Append attribute type with len bytes of data; its start, for nesting. */
static struct rtattr *put(struct nlreq *r, unsigned short type,
                          const void *data, size_t len)
{
    struct rtattr *a =
        (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

    a->rta_type = type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    if (len)
        memcpy(RTA_DATA(a), data, len);
    r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
    return a;
}

static void end(struct nlreq *r, struct rtattr *nest)
{
    nest->rta_len = (unsigned short)((char *)r + r->h.nlmsg_len - (char *)nest);
}

/* Send one request and read its acknowledgement: 0 or -errno. */
static int talk(struct nlreq *r)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    char buf[1024];
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    ssize_t n;
    int rc = -EIO;

    if (fd < 0)
        return -errno;
    if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) <
        0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    n = recv(fd, buf, sizeof(buf), 0);
    if (n >= (ssize_t)(sizeof(*h) + sizeof(struct nlmsgerr)) &&
        h->nlmsg_type == NLMSG_ERROR)
        rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
    close(fd);
    return rc;
}

static void header(struct nlreq *r, unsigned short type, int ifindex)
{
    memset(r, 0, sizeof(*r));
    r->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg));
    r->h.nlmsg_type = type;
    r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    r->h.nlmsg_seq = 1;
    r->t.tcm_family = AF_UNSPEC;
    r->t.tcm_ifindex = ifindex;
}

static int ingress_qdisc(int ifindex)
{
    struct nlreq r;

    header(&r, RTM_NEWQDISC, ifindex);
    r.t.tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
    r.t.tcm_parent = TC_H_INGRESS;
    put(&r, TCA_KIND, "ingress", sizeof("ingress"));
    return talk(&r);
}

/* The mirred action redirecting to interface to, as action 1 of a list. */
static void put_mirred(struct nlreq *r, unsigned short list_type, int to)
{
    struct tc_mirred m = { .action = TC_ACT_STOLEN,
                           .eaction = TCA_EGRESS_REDIR,
                           .ifindex = (uint32_t)to };
    struct rtattr *acts, *act, *aopts;

    acts = put(r, list_type | NLA_F_NESTED, NULL, 0);
    act = put(r, 1 | NLA_F_NESTED, NULL, 0);
    put(r, TCA_ACT_KIND, "mirred", sizeof("mirred"));
    aopts = put(r, TCA_ACT_OPTIONS | NLA_F_NESTED, NULL, 0);
    put(r, TCA_MIRRED_PARMS, &m, sizeof(m));
    end(r, aopts);
    end(r, act);
    end(r, acts);
}

/* A filter of kind u32 ("u32") or matchall on from's ingress. */
static int redirect_filter(int from, int to, int u32)
{
    /* a selector and its one key: offset 0, mask 0 matches every frame */
    struct tc_u32_sel head = { .flags = TC_U32_TERMINAL, .nkeys = 1 };
    char sel[sizeof(struct tc_u32_sel) + sizeof(struct tc_u32_key)] = { 0 };
    const char *kind = u32 ? "u32" : "matchall";
    struct rtattr *opts;
    struct nlreq r;

    header(&r, RTM_NEWTFILTER, from);
    r.t.tcm_parent = TC_H_MAKE(TC_H_INGRESS, 0);
    r.t.tcm_info = TC_H_MAKE(1u << 16, htons(ETH_P_ALL));
    put(&r, TCA_KIND, kind, strlen(kind) + 1);
    opts = put(&r, TCA_OPTIONS | NLA_F_NESTED, NULL, 0);
    if (u32) {
        memcpy(sel, &head, sizeof(head));
        put(&r, TCA_U32_SEL, sel, sizeof(sel));
    }
    put_mirred(&r, u32 ? TCA_U32_ACT : TCA_MATCHALL_ACT, to);
    end(&r, opts);
    return talk(&r);
}

int tc_redirect(int from, int to)
{
    int rc = ingress_qdisc(from);

    if (rc < 0 && rc != -EEXIST)
        return err_set(-rc,
                       "net: cannot add an ingress qdisc (interface %d): %s "
                       "(is sch_ingress available?)",
                       from, strerror(-rc));
    /* a kernel without cls_matchall answers ENOENT (no such kind) */
    rc = redirect_filter(from, to, 0);
    if (rc == -ENOENT || rc == -EOPNOTSUPP)
        rc = redirect_filter(from, to, 1);
    if (rc < 0)
        return err_set(-rc,
                       "net: cannot redirect interface %d to %d: %s (are "
                       "cls_matchall or cls_u32, and act_mirred "
                       "available?)",
                       from, to, strerror(-rc));
    return 0;
}
