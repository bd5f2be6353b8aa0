/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netlink fuzzer of the "oom" family (oomnl_fuzz.c): a generator of
 * random and mutated datagrams (oomnl_fuzz_gen.c) and a model that
 * predicts, from the bytes of a datagram alone, every answer the kernel owes
 * it and what it does to the policy (oomnl_fuzz_model.c).
 *
 * The model is a small re-implementation of what the kernel does with a
 * datagram on a NETLINK_GENERIC socket: netlink_sendmsg(), the message loop
 * of netlink_rcv_skb(), genl_family_rcv_msg() with its header and flag
 * checks, the strict attribute validation of the policy-set policy, and the
 * family's handlers.  It sees only bytes, like the kernel, so lying lengths
 * and frames that start in the middle of another message are predicted
 * too.  A frame it cannot predict (a request to another genetlink family
 * that is not one of the generator's nlctrl templates) makes the generator
 * throw the datagram away and draw another.
 */
#ifndef OOMNL_FUZZ_H
#define OOMNL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oomnl.h"

/* ---- deterministic random numbers (splitmix64) ---------------------- */

struct fz_rng {
	uint64_t s;
};

static inline uint64_t fz_u64(struct fz_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) (n > 0), the small bias of % does not matter here. */
static inline uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? (uint32_t)(fz_u64(r) % n) : 0;
}

/* In [lo, hi]. */
static inline uint32_t fz_range(struct fz_rng *r, uint32_t lo, uint32_t hi)
{
	return lo + fz_below(r, hi - lo + 1);
}

/* True with probability @pct / 1000. */
static inline bool fz_permille(struct fz_rng *r, unsigned int pm)
{
	return fz_below(r, 1000) < pm;
}

/* ---- what the kernel knows about the sender and the families --------- */

/* What the sender may do, as the kernel will judge it. */
struct fz_caller {
	bool init_net;		/* the socket is in the initial network namespace */
	bool net_admin;		/* CAP_NET_ADMIN in the initial user namespace */
	bool sys_admin;		/* CAP_SYS_ADMIN there */
};

#define FZ_MAX_IDS	32

struct fz_world {
	struct fz_caller who;
	uint16_t family;		/* the oom family's id */
	uint32_t grp_config, grp_events;
	uint16_t registered[FZ_MAX_IDS];	/* every genetlink family id */
	int nregistered;
	uint16_t unused[FZ_MAX_IDS];	/* ids no family has: ENOENT */
	int nunused;
	struct oom_pol pol;		/* the policy as the model has it */
	/* Accepted policy-sets that changed the policy, and the policy after
	 * each: what the config group must say, in this order. */
	struct oom_pol *changes;
	size_t nchanges, changes_cap;
};

/* ---- a datagram and the answers it is owed ---------------------------- */

enum fz_ans {
	FZ_ANS_ACK,		/* NLMSG_ERROR with error 0 */
	FZ_ANS_ERR,		/* NLMSG_ERROR with an error */
	FZ_ANS_POLICY,		/* the family's policy reply (get or set) */
	FZ_ANS_STATS,		/* the family's stats reply */
	FZ_ANS_FAMILY,		/* nlctrl's NEWFAMILY reply about "oom" */
	FZ_ANS_DUMP,		/* nlctrl multipart messages, then NLMSG_DONE */
};

/* What a dump of nlctrl must show. */
enum fz_dump {
	FZ_DUMP_POLICY,		/* CTRL_CMD_GETPOLICY of the oom family */
	FZ_DUMP_FAMILIES,	/* CTRL_CMD_GETFAMILY: "oom" listed iff init_net */
};

struct fz_expect {
	uint32_t seq;
	uint8_t ans;		/* enum fz_ans */
	uint8_t cmd;		/* replies: the genl command they carry */
	uint8_t dump;		/* FZ_ANS_DUMP: enum fz_dump */
	int err;		/* FZ_ANS_ERR: the errno (positive) */
	/* Also accepted instead, and counted apart: an error with this errno
	 * (a behaviour the series may or may not change; see the caller). */
	int alt_err;
	uint16_t req_type;	/* of the request, echoed in NLMSG_ERROR */
	uint16_t req_flags;
	uint32_t req_len;	/* its nlmsg_len */
	struct oom_pol pol;	/* FZ_ANS_POLICY: the values */
	int msg;		/* which frame of its datagram it answers */
	bool sentinel;		/* owed to the test's own request */
};

#define FZ_MAX_MSGS	24	/* messages in one datagram */
#define FZ_MAX_IOV	8
#define FZ_MAX_EXPECT	128	/* answers to one datagram */

/* A frame the generator built whole and whose answer it knows. */
struct fz_known {
	size_t off;
	uint32_t len;
	int nexp;
	struct fz_expect exp[2];	/* seq filled in by the model */
};

enum fz_name {
	FZ_NAME_NONE,		/* no msg_name: the socket's default peer */
	FZ_NAME_KERNEL,		/* sockaddr_nl { AF_NETLINK, pid 0, groups 0 } */
	FZ_NAME_SHORT,		/* msg_namelen too short: EINVAL */
	FZ_NAME_FAMILY,		/* not AF_NETLINK: EINVAL */
};

struct fz_dgram {
	unsigned char *buf;
	size_t len, cap;
	int nmsgs;			/* messages built into it (sent) */
	struct fz_known known[FZ_MAX_MSGS];
	int nknown;
	bool dump;			/* ends with an nlctrl dump request */
	int niov;			/* sendmsg() iovecs, cut at ... */
	size_t cut[FZ_MAX_IOV];
	uint8_t name;			/* enum fz_name */
};

/* What the generator may build. */
struct fz_gen_opts {
	size_t max_len;		/* the largest datagram the socket takes */
	bool ctrl;		/* nlctrl templates */
};

/*
 * Build a random datagram into @d (its buffer is reused); every message gets
 * the next sequence number from @seq.
 */
void fz_gen_dgram(struct fz_rng *r, const struct fz_world *w,
		  const struct fz_gen_opts *o, struct fz_dgram *d, uint32_t *seq);
/*
 * The sweep: fz_sweep_count() messages, each command with each combination
 * of flags and some versions.  Puts up to @nmsgs of them, from *@next on,
 * into @d.
 */
int fz_sweep_count(void);
void fz_gen_sweep(const struct fz_world *w, struct fz_dgram *d, uint32_t *seq,
		  int *next, int nmsgs);
/* A well-formed policy-get with NLM_F_ACK: the sentinel of a batch. */
void fz_gen_sentinel(const struct fz_world *w, struct fz_dgram *d, uint32_t seq);
void fz_dgram_free(struct fz_dgram *d);

/*
 * The model.  @sndbuf_max is the socket's sk_sndbuf - 32, the largest
 * datagram netlink_sendmsg() takes; @budget what the answers may take of
 * the receive buffer.  On success, *@send_err is the errno sendmsg() must
 * fail with (0: none), @exp[0 .. *@nexp) the answers in the order they must
 * arrive (at most FZ_MAX_EXPECT), and @w's policy and change log are
 * updated.  Returns false, changing nothing, if a frame cannot be
 * predicted or the answers would not fit.
 */
bool fz_predict(struct fz_world *w, const struct fz_dgram *d,
		size_t sndbuf_max, size_t budget, int *send_err,
		struct fz_expect *exp, int *nexp);

/* A change of the policy to @p, made some other way (log and policy). */
bool fz_world_change(struct fz_world *w, const struct oom_pol *p);

/* The errno of a (un)subscription to a group of the family. */
int fz_predict_join(const struct fz_world *w, uint32_t group);

#endif
