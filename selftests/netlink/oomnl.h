/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of the "oom" generic netlink family, written on libnl-genl-3
 * on purpose: oomctl uses libmnl, and two independent implementations keep
 * the protocol honest.  Everything the kernel sends is checked against the
 * spec (Documentation/netlink/specs/oom.yaml) strictly: every attribute a
 * message must carry is there, has the spec's size, appears once, and there
 * is nothing else.
 *
 * Return values: 0 or a negative errno (libnl's convention), unless said
 * otherwise.  The helpers of ../lib (processes, cgroups, victims, files,
 * sysctls, tracefs) return 0 or a positive errno.
 */
#ifndef OOMNL_H
#define OOMNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

#include <linux/oom_netlink.h>

#include "clock.h"
#include "oom_policy.h"
#include "sysctl.h"

/* Bound of one request/reply exchange. */
#define OOMNL_XFER_MS		5000

struct oomnl {
	struct nl_sock *sk;
	int family;		/* family id, 0 until resolved */
	uint32_t version;	/* CTRL_ATTR_VERSION */
	int grp_config;		/* multicast group ids, 0 if absent */
	int grp_events;
	bool use_write;		/* send with write(2), no destination address */
	/* notifications received but not handed out yet */
	unsigned char *rbuf;
	int rlen, roff;
};

/* What came back for one request. */
struct oomnl_reply {
	uint32_t seq;		/* of the request */
	bool acked;		/* an NLMSG_ERROR (ack or error) for it came */
	int error;		/* its errno (positive), 0 for an ack */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs;		/* NLMSGERR_ATTR_OFFS */
	uint32_t offs;
	bool has_pol_max;	/* NL_POLICY_TYPE_ATTR_MAX_VALUE_U in */
	uint64_t pol_max;	/* NLMSGERR_ATTR_POLICY */
	bool has_miss;		/* NLMSGERR_ATTR_MISS_TYPE */
	uint32_t miss_type;
	int nreplies;		/* non-error messages with our seq */
	int reply_type;		/* nlmsg_type of the first of them */
	uint8_t cmd;		/* its genl command ... */
	uint8_t version;	/* ... and version */
	unsigned char attrs[8192];	/* its attributes (copied) */
	int attrlen;
	int stray;		/* messages with another seq */
	uint32_t stray_seq;	/* seq of the first of them */
};

struct oom_pol {
	uint32_t delay_ms;
	uint32_t frozen_bypass;
	uint32_t order;
	uint32_t delay_max_ms;	/* replies only */
};

/* A policy-set request: any subset of the three. */
struct oom_pol_set {
	bool has_delay, has_bypass, has_order;
	uint32_t delay_ms, frozen_bypass, order;
};

#define OOM_POL_SET_ALL(d, b, o) ((struct oom_pol_set){ \
	.has_delay = true, .has_bypass = true, .has_order = true, \
	.delay_ms = (d), .frozen_bypass = (b), .order = (o) })

/* Most latency buckets a stats reply may carry (the kernel sends 24). */
#define OOMNL_MAX_BUCKETS	64

/* One latency-bucket nest: [low_us, high_us), the last one open. */
struct oom_bucket {
	uint64_t low_us;
	uint64_t high_us;	/* UINT64_MAX in the last, open bucket */
	uint64_t count;
};

struct oom_stats {
	uint64_t c[OOM_A_STATS_MAX + 1];	/* by attribute type */
	struct oom_bucket bucket[OOMNL_MAX_BUCKETS];	/* kill -> reap */
	int nbuckets;		/* as many as the reply had */
	struct oom_bucket fbucket[OOMNL_MAX_BUCKETS];	/* kill -> freed */
	int nfbuckets;
};

/* The bucket of a kill -> reap latency of @us, as the spec defines them
 * (one per power of two of microseconds, from 0, the last one open). */
int oomnl_bucket_of(const struct oom_stats *st, uint64_t us);
/* The same in the kill -> freed histogram (freed-latency-bucket). */
int oomnl_freed_bucket_of(const struct oom_stats *st, uint64_t us);

/* A notification, checked against the spec: policy-ntf with the
 * OOM_A_POLICY_NTF_* set, the others with the OOM_A_EVENT_* set. */
struct oom_ntf {
	uint8_t cmd;		/* OOM_CMD_*_NTF */
	uint64_t v[32];		/* by attribute type (s32 sign-extended) */
	char comm[64];		/* OOM_A_EVENT_COMM */
	uint32_t present;	/* mask of the attribute types present */
	uint32_t uint8;		/* mask of the uint attributes sent as 8 bytes */
	int nbad;		/* deviations from the spec (attributes not */
	char bad[160];		/* listed, missing, twice, wrong size or
				 * range): how many, and the first */
};

/* Socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK; nothing resolved. */
int oomnl_socket(struct oomnl *c);
/* CTRL_CMD_GETFAMILY "oom": family id, version, group ids.  -ENOENT if the
 * family is not there (or not visible from this network namespace). */
int oomnl_resolve(struct oomnl *c);
/* Both.  On error nothing is left open. */
int oomnl_open(struct oomnl *c);
void oomnl_close(struct oomnl *c);
/* Wrap a netlink socket someone else opened (e.g. received with
 * SCM_RIGHTS); family and groups are copied from @like. */
int oomnl_adopt_fd(struct oomnl *c, int fd, const struct oomnl *like);

/* A request of the family; nlmsg flags REQUEST|ACK are set when sending. */
struct nl_msg *oomnl_msg(const struct oomnl *c, uint8_t cmd);

/* Send @msg (seq assigned here) and collect the answer into @r until the
 * ack/error arrives: 0 if it did, -ETIMEDOUT, or a socket error. */
int oomnl_xfer(struct oomnl *c, struct nl_msg *msg, struct oomnl_reply *r);
/* The same for hand-made bytes: @len bytes starting with an nlmsghdr whose
 * seq is assigned here (nlmsg_len is left alone: it may lie on purpose). */
int oomnl_xfer_raw(struct oomnl *c, void *buf, size_t len,
		   struct oomnl_reply *r);
/* Send only; returns the seq used or a negative errno. */
int oomnl_send_raw(struct oomnl *c, void *buf, size_t len);

/* policy-get / policy-set / stats-get.  Return 0 when the kernel answered
 * with a well-formed reply, the kernel's -errno if it refused (r tells
 * more), -EPROTO with @why when the answer broke the spec. */
int oomnl_policy_get(struct oomnl *c, struct oom_pol *p,
		     struct oomnl_reply *r, char *why, size_t whylen);
int oomnl_policy_set(struct oomnl *c, const struct oom_pol_set *s,
		     struct oom_pol *p, struct oomnl_reply *r,
		     char *why, size_t whylen);
int oomnl_stats_get(struct oomnl *c, struct oom_stats *st,
		    struct oomnl_reply *r, char *why, size_t whylen);

/* The value of a uint attribute (NLA_UINT: 4 or 8 bytes; others: 0). */
uint64_t oomnl_get_uint(const struct nlattr *a);
/* Does @len fit a uint attribute (4 or 8 bytes)? */
static inline bool oomnl_uint_len_ok(int len)
{
	return len == 4 || len == 8;
}

/* Parse a policy reply in @r (exactly the four attributes). */
int oomnl_parse_policy(const struct oomnl_reply *r, uint8_t cmd,
		       struct oom_pol *p, char *why, size_t whylen);

/* Join a multicast group by name ("config"/"events"): 0 or -errno of the
 * setsockopt (-EPERM when the kernel refuses). */
int oomnl_join(struct oomnl *c, const char *group);
/* Make the receive buffer big (SO_RCVBUFFORCE when allowed). */
void oomnl_big_rcvbuf(struct oomnl *c, int bytes);

/* Next notification within @timeout_ms: 0 (n->bad says whether it follows
 * the spec), -ETIMEDOUT, -EPROTO (not a notification of the family at all:
 * @why says why) or a socket error (-ENOBUFS: some were lost). */
int oomnl_ntf_next(struct oomnl *c, struct oom_ntf *n, int timeout_ms,
		   char *why, size_t whylen);

const char *oomnl_cmd_name(int cmd);

/* The three policy sysctls (lib/oom_policy.h): 0 or -errno. */
int oomnl_sysctl_policy(struct oom_pol *p);

/*
 * The family exists: 1.  It does not but the kernel is patched (the policy
 * sysctls exist): 0 (a failure: CONFIG_OOM_NETLINK off in a test kernel).
 * Stock kernel: -1 (skip).  @why says which.
 */
int oomnl_family_state(char *why, size_t whylen);

#endif
