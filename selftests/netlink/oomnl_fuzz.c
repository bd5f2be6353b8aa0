// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family, fuzzed.  Random and mutated datagrams (oomnl_fuzz_gen.c)
 * go to the family from five kinds of caller: root, root without
 * CAP_SYS_ADMIN, nobody (who opened nothing before setuid), root of a user
 * namespace, and root of a user namespace with its own network namespace,
 * where the family does not exist.  Each caller starts with a sweep of
 * every command with every combination of flags and some versions.  A model
 * (oomnl_fuzz_model.c) predicts from the bytes alone what the kernel owes
 * each datagram; the test checks:
 *
 * - every answer, in order, on every socket: each request with NLM_F_ACK or
 *   that fails gets exactly one NLMSG_ERROR with the predicted errno, each
 *   accepted request its one reply, each dump its parts and one
 *   NLMSG_DONE; nothing owed is missing, nothing else arrives (tracked by
 *   nlmsg_seq);
 * - the policy changes only through valid policy-sets from a privileged
 *   caller, and then to exactly the values set: every reply says so, and
 *   after each batch policy-get and the sysctls agree with the model;
 * - the config group tells each change, in order, with its values; a change
 *   it does not tell is counted in events-dropped;
 * - no socket is left stuck: after each batch a valid request on every
 *   socket gets its answer within FZ_STUCK_MS;
 * - the kernel logs no report (checked after each batch and by the harness).
 *
 * It prints the seed, the messages sent and the errnos seen.  Environment:
 *   OOMNL_FUZZ_SEED=N   replay a run (the seed is printed at the start)
 *   OOMNL_FUZZ_MSGS=N   messages over all callers (default 100000)
 *   OOMNL_FUZZ_TIMEOUT=S  per caller (default: from OOMNL_FUZZ_MSGS)
 *   OOMNL_FUZZ_TRACE=1  print every datagram
 * In the VM the kernel passes unknown NAME=VALUE parameters of its command
 * line to init: make vm FILTER=oomnl_fuzz VM_APPEND=OOMNL_FUZZ_SEED=N, or
 * make fuzz-netlink FUZZ_NL_SEED=N FUZZ_NL_MSGS=M.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"
#include "oomnl_fuzz.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* The policy the fixture starts from: not the defaults. */
#define P0_DELAY	1500
#define P0_BYPASS	0
#define P0_ORDER	OOM_REAP_ORDER_FORWARD

#define FZ_DEFAULT_MSGS	100000
#define FZ_BATCH	256		/* messages between two checks */
#define FZ_NSOCK	3		/* sockets per caller */
#define FZ_STUCK_MS	10000		/* an answer owed for that long: stuck */
#define FZ_RCVBUF	(4 << 20)
#define FZ_RBUF		(1 << 20)	/* one received datagram, at most */
#define FZ_PENDING	512		/* answers owed to one socket */
#define FZ_NERR		134		/* errnos counted */

enum fz_mode { M_ROOT, M_NET_ADMIN, M_NOBODY, M_USERNS, M_NETNS, NMODES };

static const struct {
	const char *name;
	unsigned int share;		/* of the messages, per mille */
	struct fz_caller who;
} modes[NMODES] = {
	[M_ROOT] = { "root", 400, { true, true, true } },
	[M_NET_ADMIN] = { "root without CAP_SYS_ADMIN", 150, { true, true, false } },
	[M_NOBODY] = { "nobody", 150, { true, false, false } },
	[M_USERNS] = { "root of a user namespace", 150, { true, false, false } },
	[M_NETNS] = { "root of a user and network namespace", 150,
		      { false, false, false } },
};

static struct {
	uint64_t seed;
	uint64_t msgs;
	int timeout_s;		/* per caller */
	bool trace;
} cfg;

/* What one caller's run saw. */
struct fz_tally {
	uint64_t msgs, dgrams, bytes, sentinels;
	uint64_t replies, dumps, dump_parts, ntfs;
	uint64_t err[FZ_NERR];		/* NLMSG_ERROR by errno, [0]: acks */
	uint64_t send_err[FZ_NERR];	/* sendmsg() refusals by errno */
	uint64_t joins, join_err[FZ_NERR];
	uint64_t regenerated;		/* datagrams the model could not take */
	uint64_t abandoned;		/* sockets closed with answers owed */
	uint64_t reopened;
	uint64_t netns_dump_refused, netns_dump_answered;
	uint64_t changes, ntf_told, ntf_dropped;
	int64_t ms;
};

/* Shared by the children of every test (mapped before the harness forks). */
struct fz_shared {
	struct fz_tally t[NMODES];
	bool ran[NMODES];
	char fail[NMODES][2048];
};

static struct fz_shared *shared;

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

__attribute__((constructor)) static void fz_config(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = now_ns();
	cfg.seed = env_u64("OOMNL_FUZZ_SEED", seed & 0xffffffffffffULL);
	cfg.msgs = env_u64("OOMNL_FUZZ_MSGS", FZ_DEFAULT_MSGS);
	/*
	 * Under TCG the sanitizer kernel takes about 1.5 ms for each answer
	 * (the plain one 10 us): 500 messages a second is the slow end.
	 */
	cfg.timeout_s = env_u64("OOMNL_FUZZ_TIMEOUT", 60 + cfg.msgs / 500);
	cfg.trace = env_u64("OOMNL_FUZZ_TRACE", 0);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		abort();
}

/* ---- one caller's run ------------------------------------------------- */

struct fz_sock {
	int fd;			/* -1: closed */
	uint32_t portid, seq;
	size_t sndbuf_max, rcvbuf;
	struct fz_expect owed[FZ_PENDING];	/* in arrival order */
	int head, n;
	int dump_parts;
	bool dump_oom;		/* a family dump listed "oom" */
};

struct fz_run {
	enum fz_mode mode;
	struct fz_world w;
	struct fz_rng r;
	struct fz_tally *t;
	char *fail;		/* the first failure, "" while none */
	size_t faillen;
	struct fz_sock s[FZ_NSOCK];
	struct fz_dgram d, sentinel;
	struct fz_gen_opts o;
	unsigned char *rbuf;
	uint64_t batch, target;
	/* root: a client, the config group and where its numbering starts */
	struct oomnl c, l;
	bool listening;
	uint64_t ntf_base, ntf_next, dropped0;
	struct kmsg_watch kw;
	bool kw_ok;
	int64_t t0;		/* when fuzzing started */
};

static bool failed(const struct fz_run *run)
{
	return run->fail[0];
}

static void hexdump(const unsigned char *b, size_t len, size_t max)
{
	size_t i;

	for (i = 0; i < len && i < max; i += 32) {
		size_t j;

		fprintf(stderr, "#   %04zx:", i);
		for (j = i; j < len && j < i + 32; j++)
			fprintf(stderr, "%s%02x", j % 4 ? "" : " ", b[j]);
		fprintf(stderr, "\n");
	}
	if (len > max)
		fprintf(stderr, "#   ... (%zu bytes)\n", len);
}

/* Remember the first failure, with what it takes to replay it. */
static __attribute__((format(printf, 2, 3)))
void fz_fail(struct fz_run *run, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (failed(run))
		return;
	n = snprintf(run->fail, run->faillen, "%s, batch %" PRIu64 " (seed %#" PRIx64 "): ",
		     modes[run->mode].name, run->batch, cfg.seed);
	va_start(ap, fmt);
	vsnprintf(run->fail + n, run->faillen - n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "# FAIL %s\n", run->fail);
	if (run->d.len) {
		fprintf(stderr, "# the last datagram sent:\n");
		hexdump(run->d.buf, run->d.len, 512);
	}
}

static void owe(struct fz_run *run, struct fz_sock *s, const struct fz_expect *e)
{
	if (s->n == FZ_PENDING) {
		fz_fail(run, "more than %d answers owed to one socket", FZ_PENDING);
		return;
	}
	s->owed[(s->head + s->n++) % FZ_PENDING] = *e;
}

static void paid(struct fz_sock *s)
{
	s->head = (s->head + 1) % FZ_PENDING;
	s->n--;
	s->dump_parts = 0;
	s->dump_oom = false;
}

static const char *ans_name(int a)
{
	static const char *const n[] = {
		[FZ_ANS_ACK] = "ack", [FZ_ANS_ERR] = "error",
		[FZ_ANS_POLICY] = "policy reply", [FZ_ANS_STATS] = "stats reply",
		[FZ_ANS_FAMILY] = "nlctrl family reply", [FZ_ANS_DUMP] = "nlctrl dump",
	};

	return n[a];
}

static const char *errname(int err)
{
	const char *n = err ? strerrorname_np(err) : "0";

	return n ? n : "?";
}

static void sock_close(struct fz_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* A socket with random options: extended acks, capped acks. */
static int sock_open(struct fz_run *run, struct fz_sock *s)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(sa);
	int one = 1, val, rcv = FZ_RCVBUF;
	socklen_t vlen = sizeof(val);

	sock_close(s);
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return errno;
	if ((fz_below(&run->r, 2) &&
	     setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one))) ||
	    (fz_below(&run->r, 2) &&
	     setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))))
		return errno;
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) &&
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)))
		return errno;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &alen))
		return errno;
	s->portid = sa.nl_pid;
	if (getsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &val, &vlen))
		return errno;
	s->sndbuf_max = val - 32;
	vlen = sizeof(val);
	if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &val, &vlen))
		return errno;
	s->rcvbuf = val;
	s->seq = 1 + fz_below(&run->r, 1000);
	return 0;
}

static int dgram_send(const struct fz_sock *s, const struct fz_dgram *d)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct iovec iov[FZ_MAX_IOV];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = d->niov };
	size_t at = 0;
	ssize_t n;
	int i;

	for (i = 0; i < d->niov; i++) {
		size_t end = i < d->niov - 1 ? d->cut[i] : d->len;

		iov[i].iov_base = d->buf + at;
		iov[i].iov_len = end - at;
		at = end;
	}
	switch (d->name) {
	case FZ_NAME_KERNEL:
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa);
		break;
	case FZ_NAME_SHORT:
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa) - 4;
		break;
	case FZ_NAME_FAMILY:
		sa.nl_family = AF_UNIX;
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa);
		break;
	}
	n = sendmsg(s->fd, &mh, 0);
	if (n < 0)
		return errno;
	return (size_t)n == d->len ? 0 : EIO;
}

/* ---- checking an answer ------------------------------------------------ */

static const struct nlattr *attr_first(const struct nlmsghdr *h, size_t hdr, int *rem)
{
	*rem = (int)h->nlmsg_len - NLMSG_HDRLEN - (int)hdr;
	return (const struct nlattr *)((const char *)NLMSG_DATA(h) + hdr);
}

static bool attr_ok(const struct nlattr *a, int rem)
{
	return rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
}

static const struct nlattr *attr_next(const struct nlattr *a, int *rem)
{
	*rem -= NLA_ALIGN(a->nla_len);
	return (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
}

static uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

/* The four attributes of a policy reply, equal to @want. */
static void check_policy_reply(struct fz_run *run, const struct nlmsghdr *h,
			       const struct oom_pol *want)
{
	uint32_t v[OOM_A_POLICY_MAX + 1] = { 0 };
	unsigned int seen = 0;
	const struct nlattr *a;
	int rem;

	for (a = attr_first(h, GENL_HDRLEN, &rem); attr_ok(a, rem); a = attr_next(a, &rem)) {
		int t = a->nla_type;

		if (t < 1 || t > OOM_A_POLICY_MAX || a->nla_len != NLA_HDRLEN + 4 ||
		    (seen & (1u << t))) {
			fz_fail(run, "policy reply to seq %u: attribute %d of %u bytes%s",
				h->nlmsg_seq, t, a->nla_len, seen & (1u << t) ? ", twice" : "");
			return;
		}
		seen |= 1u << t;
		v[t] = attr_u32(a);
	}
	if (rem || seen != 0x1e) {
		fz_fail(run, "policy reply to seq %u: attributes %#x, %d bytes left",
			h->nlmsg_seq, seen, rem);
		return;
	}
	if (v[OOM_A_POLICY_REAP_DELAY_MS] != want->delay_ms ||
	    v[OOM_A_POLICY_FROZEN_BYPASS] != want->frozen_bypass ||
	    v[OOM_A_POLICY_REAP_ORDER] != want->order ||
	    v[OOM_A_POLICY_REAP_DELAY_MAX_MS] != OOM_REAP_DELAY_MAX_MS)
		fz_fail(run, "policy reply to seq %u says {%u, %u, %u, max %u}, the model {%u, %u, %u}",
			h->nlmsg_seq, v[1], v[2], v[3], v[4], want->delay_ms,
			want->frozen_bypass, want->order);
}

/* The twelve counters and the two histograms' buckets, nothing else. */
static void check_stats_reply(struct fz_run *run, const struct nlmsghdr *h)
{
	const int ncounters = OOM_A_STATS_EVENTS_DROPPED +
			      OOM_A_STATS_FREED_MRELEASE - OOM_A_STATS_FREED_EXIT + 1;
	const struct nlattr *a;
	int rem, counters = 0, buckets = 0, fbuckets = 0;

	for (a = attr_first(h, GENL_HDRLEN, &rem); attr_ok(a, rem); a = attr_next(a, &rem)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t == OOM_A_STATS_LATENCY_BUCKET)
			buckets++;
		else if (t == OOM_A_STATS_FREED_LATENCY_BUCKET)
			fbuckets++;
		else if (((t >= OOM_A_STATS_VICTIMS && t <= OOM_A_STATS_EVENTS_DROPPED) ||
			  (t >= OOM_A_STATS_FREED_EXIT && t <= OOM_A_STATS_FREED_MRELEASE)) &&
			 oomnl_uint_len_ok(a->nla_len - NLA_HDRLEN))
			counters++;
		else
			break;
	}
	if (rem || counters != ncounters || !buckets || buckets != fbuckets)
		fz_fail(run, "stats reply to seq %u: %d counters, %d + %d buckets, %d bytes left",
			h->nlmsg_seq, counters, buckets, fbuckets, rem);
}

/* nlctrl about "oom": its id and name.  Returns whether it names "oom". */
static bool ctrl_names_oom(const struct fz_run *run, const struct nlmsghdr *h)
{
	bool name = false, id = false;
	const struct nlattr *a;
	int rem;

	for (a = attr_first(h, GENL_HDRLEN, &rem); attr_ok(a, rem); a = attr_next(a, &rem)) {
		if (a->nla_type == CTRL_ATTR_FAMILY_NAME)
			name = a->nla_len == NLA_HDRLEN + sizeof(OOM_FAMILY_NAME) &&
			       !memcmp((const char *)a + NLA_HDRLEN, OOM_FAMILY_NAME,
				       sizeof(OOM_FAMILY_NAME));
		else if (a->nla_type == CTRL_ATTR_FAMILY_ID && a->nla_len >= NLA_HDRLEN + 2)
			id = *(const uint16_t *)((const char *)a + NLA_HDRLEN) == run->w.family;
	}
	return name && id;
}

/* NLMSG_ERROR: the errno, the request echoed, the extack in bounds. */
static void check_error(struct fz_run *run, struct fz_sock *s,
			const struct nlmsghdr *h, const struct fz_expect *e)
{
	const struct nlmsgerr *ne = NLMSG_DATA(h);
	size_t off = sizeof(*ne);
	int err;

	if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(*ne)) {
		fz_fail(run, "NLMSG_ERROR of %u bytes for seq %u", h->nlmsg_len, e->seq);
		return;
	}
	err = -ne->error;
	if (err < 0 || err >= FZ_NERR) {
		fz_fail(run, "NLMSG_ERROR with error %d for seq %u", ne->error, e->seq);
		return;
	}
	if (err != e->err && !(e->alt_err && err == e->alt_err)) {
		fz_fail(run, "the %s of seq %u (frame %d, type %#x, flags %#x, %u bytes) is %s, the model says %s",
			err ? "error" : "ack", e->seq, e->msg, e->req_type, e->req_flags,
			e->req_len, errname(err), errname(e->err));
		return;
	}
	if (ne->msg.nlmsg_seq != e->seq || ne->msg.nlmsg_type != e->req_type ||
	    ne->msg.nlmsg_flags != e->req_flags || ne->msg.nlmsg_len != e->req_len) {
		fz_fail(run, "NLMSG_ERROR for seq %u echoes seq %u type %#x flags %#x len %u",
			e->seq, ne->msg.nlmsg_seq, ne->msg.nlmsg_type,
			ne->msg.nlmsg_flags, ne->msg.nlmsg_len);
		return;
	}
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->req_len - NLMSG_HDRLEN);
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && err && off <= h->nlmsg_len - NLMSG_HDRLEN) {
		const struct nlattr *a = (const void *)((const char *)ne + off);
		int rem = h->nlmsg_len - NLMSG_HDRLEN - off;

		for (; attr_ok(a, rem); a = attr_next(a, &rem))
			if (a->nla_type == NLMSGERR_ATTR_OFFS &&
			    (a->nla_len != NLA_HDRLEN + 4 || attr_u32(a) >= e->req_len))
				fz_fail(run, "extack of seq %u points at byte %u of %u",
					e->seq, attr_u32(a), e->req_len);
	}
	if (!e->sentinel)
		run->t->err[err]++;
	if (e->alt_err && err == e->alt_err && err != e->err)
		run->t->netns_dump_refused++;
	paid(s);
}

/* One message received on @s against the first answer owed. */
static void take(struct fz_run *run, struct fz_sock *s, const struct nlmsghdr *h)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	const struct fz_expect *e;

	if (h->nlmsg_pid == 0 && h->nlmsg_seq == 0) {
		/* a notification of a group the socket joined */
		if (h->nlmsg_type != run->w.family || h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
		    g->cmd != OOM_CMD_POLICY_NTF)
			fz_fail(run, "multicast type %#x cmd %u on a fuzzed socket",
				h->nlmsg_type, g->cmd);
		run->t->ntfs++;
		return;
	}
	if (h->nlmsg_pid != s->portid) {
		fz_fail(run, "answer to port %u on port %u", h->nlmsg_pid, s->portid);
		return;
	}
	if (!s->n) {
		fz_fail(run, "an answer nobody is owed: seq %u type %#x flags %#x, %u bytes",
			h->nlmsg_seq, h->nlmsg_type, h->nlmsg_flags, h->nlmsg_len);
		return;
	}
	e = &s->owed[s->head];
	if (h->nlmsg_seq != e->seq) {
		fz_fail(run, "got seq %u (type %#x), owed first: the %s of seq %u (frame %d, %u bytes)",
			h->nlmsg_seq, h->nlmsg_type, ans_name(e->ans), e->seq, e->msg,
			e->req_len);
		return;
	}
	switch (e->ans) {
	case FZ_ANS_ACK:
	case FZ_ANS_ERR:
		if (h->nlmsg_type != NLMSG_ERROR)
			break;
		check_error(run, s, h, e);
		return;
	case FZ_ANS_POLICY:
	case FZ_ANS_STATS:
		if (h->nlmsg_type != run->w.family || h->nlmsg_flags ||
		    h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || g->cmd != e->cmd ||
		    g->version != OOM_FAMILY_VERSION)
			break;
		if (e->ans == FZ_ANS_POLICY)
			check_policy_reply(run, h, &e->pol);
		else
			check_stats_reply(run, h);
		run->t->replies += !e->sentinel;
		paid(s);
		return;
	case FZ_ANS_FAMILY:
		if (h->nlmsg_type != GENL_ID_CTRL || h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
		    g->cmd != CTRL_CMD_NEWFAMILY)
			break;
		if (!ctrl_names_oom(run, h))
			fz_fail(run, "nlctrl reply to seq %u is not about \"oom\" (id %u)",
				e->seq, run->w.family);
		run->t->replies++;
		paid(s);
		return;
	case FZ_ANS_DUMP:
		if (h->nlmsg_type == NLMSG_ERROR && e->alt_err) {
			check_error(run, s, h, e);
			return;
		}
		if (h->nlmsg_type == GENL_ID_CTRL && (h->nlmsg_flags & NLM_F_MULTI)) {
			s->dump_parts++;
			run->t->dump_parts++;
			if (e->dump == FZ_DUMP_FAMILIES && ctrl_names_oom(run, h))
				s->dump_oom = true;
			return;
		}
		if (h->nlmsg_type != NLMSG_DONE)
			break;
		if (h->nlmsg_len < NLMSG_HDRLEN + 4 || *(const int *)NLMSG_DATA(h))
			fz_fail(run, "NLMSG_DONE of seq %u carries an error", e->seq);
		else if (!s->dump_parts)
			fz_fail(run, "empty dump for seq %u", e->seq);
		else if (e->dump == FZ_DUMP_FAMILIES && s->dump_oom != run->w.who.init_net)
			fz_fail(run, "the family dump %s \"oom\"",
				s->dump_oom ? "lists" : "does not list");
		if (!run->w.who.init_net && e->dump == FZ_DUMP_POLICY)
			run->t->netns_dump_answered++;
		run->t->dumps++;
		paid(s);
		return;
	}
	{
		char got[96];

		if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= NLMSG_HDRLEN + 4)
			snprintf(got, sizeof(got), "NLMSG_ERROR %s",
				 errname(-*(const int *)NLMSG_DATA(h)));
		else
			snprintf(got, sizeof(got), "type %#x flags %#x cmd %u, %u bytes",
				 h->nlmsg_type, h->nlmsg_flags, g->cmd, h->nlmsg_len);
		fz_fail(run, "seq %u (frame %d, type %#x, flags %#x, %u bytes) is owed: %s %s; got: %s",
			e->seq, e->msg, e->req_type, e->req_flags, e->req_len, ans_name(e->ans),
			e->ans == FZ_ANS_ERR ? errname(e->err) : "", got);
	}
}

/*
 * Read what @s has.  @wait_ms 0: what is there now.  Else until nothing
 * is owed any more, and if that takes @wait_ms the socket is stuck.
 */
static void sock_drain(struct fz_run *run, struct fz_sock *s, int wait_ms)
{
	int64_t deadline = now_ms() + wait_ms;

	while (!failed(run)) {
		const struct nlmsghdr *h;
		ssize_t n;
		int len;

		n = recv(s->fd, run->rbuf, FZ_RBUF, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = s->fd, .events = POLLIN };

			if (!wait_ms || !s->n)
				return;
			if (poll(&p, 1, ms_left(deadline)) == 0) {
				const struct fz_expect *e = &s->owed[s->head];

				fz_fail(run, "socket stuck: %d answers owed for %d ms, the first the %s of seq %u",
					s->n, wait_ms, ans_name(e->ans), e->seq);
				return;
			}
			continue;
		}
		if (n < 0) {
			fz_fail(run, "recv: %s%s", strerror(errno),
				errno == ENOBUFS ? " (the receive buffer overran: answers lost)" : "");
			return;
		}
		if (n > FZ_RBUF) {
			fz_fail(run, "a datagram of %zd bytes", n);
			return;
		}
		len = n;
		for (h = (void *)run->rbuf; NLMSG_OK(h, len) && !failed(run);
		     h = NLMSG_NEXT(h, len))
			take(run, s, h);
		if (len && !failed(run))
			fz_fail(run, "%d bytes of garbage in an answer", len);
	}
}

/* ---- the checks after a batch ------------------------------------------- */

/*
 * One notification of the config group: the change of the model with its
 * seq (counted from the first marker), with the model's values.  0,
 * -ETIMEDOUT after @timeout_ms, or another -errno after a failure.
 */
static int ntf_take(struct fz_run *run, int timeout_ms)
{
	const struct oom_pol *p;
	struct oom_ntf n;
	char why[256];
	uint64_t seq, k;
	int err = oomnl_ntf_next(&run->l, &n, timeout_ms, why, sizeof(why));

	if (err == -ETIMEDOUT)
		return err;
	if (err || n.nbad || n.cmd != OOM_CMD_POLICY_NTF) {
		fz_fail(run, "config listener: %s", err ? why : n.nbad ? n.bad :
			"not a policy-ntf");
		return -EPROTO;
	}
	seq = n.v[OOM_A_POLICY_NTF_SEQ];
	if (seq < run->ntf_next || seq - run->ntf_base > run->w.nchanges) {
		fz_fail(run, "policy-ntf seq %" PRIu64 ": the model made %zu changes after seq %" PRIu64 ", told up to %" PRIu64,
			seq, run->w.nchanges, run->ntf_base, run->ntf_next - 1);
		return -EPROTO;
	}
	k = seq - run->ntf_base - 1;
	p = &run->w.changes[k];
	if (n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS] != p->delay_ms ||
	    n.v[OOM_A_POLICY_NTF_FROZEN_BYPASS] != p->frozen_bypass ||
	    n.v[OOM_A_POLICY_NTF_REAP_ORDER] != p->order ||
	    n.v[OOM_A_POLICY_NTF_CHANGED_VIA] != OOM_CHANGED_VIA_NETLINK) {
		fz_fail(run, "policy-ntf seq %" PRIu64 " (change %" PRIu64 ") says {%" PRIu64 ", %" PRIu64 ", %" PRIu64 "} via %" PRIu64 ", the model {%u, %u, %u}",
			seq, k + 1, n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS],
			n.v[OOM_A_POLICY_NTF_FROZEN_BYPASS],
			n.v[OOM_A_POLICY_NTF_REAP_ORDER],
			n.v[OOM_A_POLICY_NTF_CHANGED_VIA], p->delay_ms,
			p->frozen_bypass, p->order);
		return -EPROTO;
	}
	run->t->ntf_told++;
	run->ntf_next = seq + 1;
	return 0;
}

/* What the config group has told so far. */
static void ntf_check(struct fz_run *run)
{
	while (run->listening && !failed(run) && !ntf_take(run, 0))
		;
}

/* The policy through the sysctls, as the model has it. */
static void sysctl_check(struct fz_run *run)
{
	struct oom_pol p;
	int err = oomnl_sysctl_policy(&p);

	if (err)
		fz_fail(run, "reading the policy sysctls: %s", strerror(-err));
	else if (!pol_is(&p, run->w.pol.delay_ms, run->w.pol.frozen_bypass, run->w.pol.order))
		fz_fail(run, "the sysctls say {%u, %u, %u}, the model {%u, %u, %u}",
			p.delay_ms, p.frozen_bypass, p.order, run->w.pol.delay_ms,
			run->w.pol.frozen_bypass, run->w.pol.order);
}

static void send_predicted(struct fz_run *run, struct fz_sock *s,
			   const struct fz_dgram *d)
{
	struct fz_expect exp[FZ_MAX_EXPECT];
	int send_err, nexp, err, i;

	if (!fz_predict(&run->w, d, s->sndbuf_max, s->rcvbuf / 2, &send_err, exp, &nexp)) {
		fz_fail(run, "the model cannot predict a sentinel");
		return;
	}
	err = dgram_send(s, d);
	if (err != send_err) {
		fz_fail(run, "sendmsg: %s, the model says %s", errname(err), errname(send_err));
		return;
	}
	for (i = 0; i < nexp; i++) {
		exp[i].sentinel = true;
		owe(run, s, &exp[i]);
	}
}

/*
 * After each batch: a policy-get on every socket must be answered (in
 * order after everything owed before it) with the model's policy; the
 * sysctls agree; the config group told the changes; the kernel log is clean.
 */
static void batch_check(struct fz_run *run)
{
	char bad[512];
	int i, nrec;

	for (i = 0; i < FZ_NSOCK && !failed(run); i++) {
		struct fz_sock *s = &run->s[i];

		if (s->fd < 0)
			continue;
		fz_gen_sentinel(&run->w, &run->sentinel, s->seq++);
		send_predicted(run, s, &run->sentinel);
		sock_drain(run, s, FZ_STUCK_MS);
		run->t->sentinels++;
	}
	if (!failed(run))
		sysctl_check(run);
	ntf_check(run);
	if (run->kw_ok && !failed(run) &&
	    kmsg_watch_check(&run->kw, bad, sizeof(bad), &nrec) > 0)
		fz_fail(run, "kernel log: %s", bad);
	run->batch++;
	/* so far, should the caller be stopped */
	run->t->ms = now_ms() - run->t0;
	run->t->changes = run->w.nchanges;
}

/* Join or leave a group of the family: the errno the model says. */
static void sock_join(struct fz_run *run, struct fz_sock *s)
{
	uint32_t grp = fz_below(&run->r, 2) ? run->w.grp_config : run->w.grp_events;
	bool join = fz_below(&run->r, 3);
	int want = join ? fz_predict_join(&run->w, grp) : 0, err = 0;

	if (setsockopt(s->fd, SOL_NETLINK, join ? NETLINK_ADD_MEMBERSHIP :
			     NETLINK_DROP_MEMBERSHIP, &grp, sizeof(grp)))
		err = errno;
	if (err != want)
		fz_fail(run, "%s group %u (%s): %s, the model says %s", join ? "joining" : "leaving",
			grp, grp == run->w.grp_config ? "config" : "events", errname(err),
			errname(want));
	run->t->joins++;
	run->t->join_err[err < FZ_NERR ? err : 0]++;
}

static void trace(const struct fz_run *run, const struct fz_sock *s, int send_err,
		  int nexp)
{
	fprintf(stderr, "# T batch %" PRIu64 " port %u: %zu bytes, %d messages, %d iovecs, name %u -> %s, %d answers\n",
		run->batch, s->portid, run->d.len, run->d.nmsgs, run->d.niov, run->d.name,
		errname(send_err), nexp);
	hexdump(run->d.buf, run->d.len, 256);
}

/*
 * The next datagram for @s and what it is owed: first the sweep of every
 * command and flag combination, then random ones the model can predict.
 */
static bool next_dgram(struct fz_run *run, struct fz_sock *s, int *sweep,
		       int *send_err, struct fz_expect *exp, int *nexp)
{
	int tries;

	if (*sweep < fz_sweep_count()) {
		fz_gen_sweep(&run->w, &run->d, &s->seq, sweep, 8);
		if (fz_predict(&run->w, &run->d, s->sndbuf_max, s->rcvbuf / 2,
			       send_err, exp, nexp))
			return true;
		fz_fail(run, "the model cannot predict the sweep");
		return false;
	}
	run->o.max_len = s->sndbuf_max;
	for (tries = 0; tries < 32; tries++) {
		fz_gen_dgram(&run->r, &run->w, &run->o, &run->d, &s->seq);
		if (fz_predict(&run->w, &run->d, s->sndbuf_max, s->rcvbuf / 2,
			       send_err, exp, nexp))
			return true;
		run->t->regenerated++;
	}
	fz_fail(run, "32 datagrams in a row the model cannot predict");
	return false;
}

/* Send datagrams until the target, checking as we go. */
static void fuzz(struct fz_run *run)
{
	uint64_t next_check = FZ_BATCH;
	struct fz_expect exp[FZ_MAX_EXPECT];
	int i, err, sweep = 0;

	for (i = 0; i < FZ_NSOCK; i++) {
		run->s[i].fd = -1;
		err = sock_open(run, &run->s[i]);
		if (err) {
			fz_fail(run, "socket: %s", strerror(err));
			return;
		}
	}
	while (run->t->msgs < run->target && !failed(run)) {
		struct fz_sock *s = &run->s[fz_below(&run->r, FZ_NSOCK)];
		int send_err = 0, nexp = 0;

		if (s->fd < 0 || fz_permille(&run->r, 1)) {
			/* a new socket, once the old one owes nothing */
			if (s->fd >= 0)
				sock_drain(run, s, FZ_STUCK_MS);
			err = sock_open(run, s);
			if (err) {
				fz_fail(run, "socket: %s", strerror(err));
				break;
			}
			run->t->reopened++;
		}
		if (fz_permille(&run->r, 10))
			sock_join(run, s);
		if (!next_dgram(run, s, &sweep, &send_err, exp, &nexp))
			break;
		if (cfg.trace)
			trace(run, s, send_err, nexp);
		err = dgram_send(s, &run->d);
		if (err != send_err) {
			fz_fail(run, "sendmsg of %zu bytes: %s, the model says %s", run->d.len,
				errname(err), errname(send_err));
			break;
		}
		run->t->msgs += run->d.nmsgs;
		run->t->dgrams++;
		run->t->bytes += run->d.len;
		if (err)
			run->t->send_err[err < FZ_NERR ? err : 0]++;
		for (i = 0; i < nexp; i++)
			owe(run, s, &exp[i]);
		if (fz_permille(&run->r, 2)) {
			/* close with answers (maybe a dump) pending */
			run->t->abandoned++;
			sock_close(s);
		} else {
			sock_drain(run, s, run->d.dump ? FZ_STUCK_MS : 0);
		}
		if (run->t->msgs >= next_check) {
			batch_check(run);
			next_check = run->t->msgs + FZ_BATCH;
		}
	}
	/* the last batch, and no socket left stuck */
	if (!failed(run))
		batch_check(run);
	for (i = 0; i < FZ_NSOCK; i++)
		sock_close(&run->s[i]);
}

/* A policy-set through the libnl client; @p gets the reply. */
static int client_set(struct oomnl *c, const struct oom_pol *p, char *why, size_t len)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oom_pol got;
	int err;

	if (!r)
		return -ENOMEM;
	err = oomnl_policy_set(c, &OOM_POL_SET_ALL(p->delay_ms, p->frozen_bypass, p->order),
			       &got, r, why, len);
	free(r);
	return err;
}

static int client_dropped(struct oomnl *c, uint64_t *dropped, char *why, size_t len)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oom_stats *st = calloc(1, sizeof(*st));
	int err = -ENOMEM;

	if (r && st) {
		err = oomnl_stats_get(c, st, r, why, len);
		*dropped = st->c[OOM_A_STATS_EVENTS_DROPPED];
	}
	free(r);
	free(st);
	return err;
}

/*
 * Root: a change the test makes itself (a marker) starts and ends the run.
 * The first one's policy-ntf gives the seq the config group numbers the
 * model's changes from; the last one is the last change, so once its
 * policy-ntf is in, every change of the run has been told or dropped.
 */
static void root_marker(struct fz_run *run, bool first)
{
	struct oom_pol m = run->w.pol;
	struct oom_ntf n;
	char why[256];
	int err;

	m.delay_ms = m.delay_ms == 1234 ? 4321 : 1234;
	if (!first) {
		/*
		 * Nothing for a second: the sender's ring is empty (it sends
		 * without pause while it holds records), so the marker has
		 * room in it and cannot be dropped.
		 */
		while (!failed(run) && !ntf_take(run, 1000))
			;
	}
	err = client_set(&run->c, &m, why, sizeof(why));
	if (err) {
		fz_fail(run, "marker policy-set: %s", why);
		return;
	}
	if (!first) {
		if (!fz_world_change(&run->w, &m)) {
			fz_fail(run, "out of memory");
			return;
		}
		while (!failed(run) && run->ntf_next <= run->ntf_base + run->w.nchanges) {
			if (ntf_take(run, FZ_STUCK_MS) == -ETIMEDOUT)
				fz_fail(run, "no policy-ntf for the last marker within %d ms",
					FZ_STUCK_MS);
		}
		return;
	}
	do {	/* changes before the run have nothing to do with it */
		err = oomnl_ntf_next(&run->l, &n, FZ_STUCK_MS, why, sizeof(why));
		if (err) {
			fz_fail(run, "waiting for the first marker's policy-ntf: %s", why);
			return;
		}
	} while (n.cmd != OOM_CMD_POLICY_NTF ||
		 n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS] != m.delay_ms);
	run->ntf_base = n.v[OOM_A_POLICY_NTF_SEQ];
	run->ntf_next = run->ntf_base + 1;
	run->w.pol = m;
}

/* ---- the callers ---------------------------------------------------------- */

struct fz_child {
	enum fz_mode mode;
	struct fz_world w;	/* ids and groups from the initial namespace */
};

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : EIO;
}

/* Become the caller: 0 or why not in @why. */
static int become(enum fz_mode mode, char *why, size_t len)
{
	char map[64];
	int err = 0;

	switch (mode) {
	case M_ROOT:
		return 0;
	case M_NET_ADMIN:
		err = caps_drop(CAP_SYS_ADMIN);
		snprintf(why, len, "dropping CAP_SYS_ADMIN: %s", strerror(err));
		return err;
	default:
		break;
	}
	/* opening nothing: no descriptor of root's survives the switch */
	if (close_range(3, ~0U, 0)) {
		snprintf(why, len, "close_range: %s", strerror(errno));
		return errno;
	}
	err = drop_to_user(OOMNL_UID_NOBODY, OOMNL_UID_NOBODY);
	if (err) {
		snprintf(why, len, "becoming nobody: %s", strerror(err));
		return err;
	}
	if (mode == M_NOBODY)
		return 0;
	/* the uid change made us undumpable: /proc/self would be root's */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)) {
		snprintf(why, len, "PR_SET_DUMPABLE: %s", strerror(errno));
		return errno;
	}
	if (unshare(CLONE_NEWUSER | (mode == M_NETNS ? CLONE_NEWNET : 0))) {
		snprintf(why, len, "unshare as nobody: %s", strerror(errno));
		return errno;
	}
	snprintf(map, sizeof(map), "0 %d 1", OOMNL_UID_NOBODY);
	err = write_file("/proc/self/setgroups", "deny");
	if (!err)
		err = write_file("/proc/self/uid_map", map);
	if (!err)
		err = write_file("/proc/self/gid_map", map);
	if (err)
		snprintf(why, len, "mapping root of the user namespace: %s", strerror(err));
	return err;
}

static int fuzz_child(void *arg)
{
	struct fz_child *c = arg;
	struct fz_tally *t = &shared->t[c->mode];
	struct fz_run *run = calloc(1, sizeof(*run));
	char why[256];
	int err;

	if (!run)
		return 10;
	run->mode = c->mode;
	run->w = c->w;
	run->w.who = modes[c->mode].who;
	run->t = t;
	run->fail = shared->fail[c->mode];
	run->faillen = sizeof(shared->fail[c->mode]);
	run->r.s = cfg.seed * 0x100 + c->mode;
	run->target = (cfg.msgs * modes[c->mode].share + 999) / 1000;
	run->rbuf = malloc(FZ_RBUF);
	run->o.ctrl = true;
	if (!run->rbuf)
		return 10;
	if (become(c->mode, why, sizeof(why))) {
		fz_fail(run, "%s", why);
		return 11;
	}
	if (c->mode == M_ROOT) {
		err = oomnl_subscribe(&run->l, true, false);
		if (!err)
			err = oomnl_open(&run->c);
		if (err) {
			fz_fail(run, "config listener and client: %s", strerror(-err));
			return 12;
		}
		run->listening = true;
		err = client_dropped(&run->c, &run->dropped0, why, sizeof(why));
		if (err) {
			fz_fail(run, "stats-get: %s", why);
			return 12;
		}
		root_marker(run, true);
	}
	run->kw_ok = c->mode <= M_NET_ADMIN && !kmsg_watch_start(&run->kw);

	run->t0 = now_ms();
	if (!failed(run))
		fuzz(run);
	t->ms = now_ms() - run->t0;
	t->changes = run->w.nchanges;

	if (c->mode == M_ROOT && !failed(run)) {
		uint64_t dropped;

		root_marker(run, false);
		err = client_dropped(&run->c, &dropped, why, sizeof(why));
		if (err)
			fz_fail(run, "stats-get: %s", why);
		/* the marker is told, not counted */
		t->ntf_told--;
		t->ntf_dropped = dropped - run->dropped0;
		if (!failed(run) && t->ntf_told + t->ntf_dropped != t->changes)
			fz_fail(run, "%" PRIu64 " changes: %" PRIu64 " told, %" PRIu64 " counted as dropped",
				t->changes, t->ntf_told, t->ntf_dropped);
	}
	return failed(run) ? 1 : 0;
}

/* ---- the test ------------------------------------------------------------- */

FIXTURE(fuzz) {
	struct oom_pol saved;	/* put back at the end */
	struct oomnl c;
	struct oomnl l;		/* config group, for the callers without rights */
	bool listening;
	struct fz_world w;
	struct kmsg_watch kw;
	bool kw_ok;
	char why[256];
};

/* Every genetlink family id (an nlctrl dump), and some ids nobody has. */
static int list_families(struct fz_world *w)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = GENL_ID_CTRL,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
	};
	static unsigned char buf[65536];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	bool done = false;
	uint16_t id;

	if (fd < 0)
		return -errno;
	if (send(fd, &req, sizeof(req), 0) < 0)
		goto fail;
	while (!done) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const struct nlmsghdr *h;
		int n;

		if (poll(&p, 1, OOMNL_XFER_MS) != 1)
			goto fail;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			goto fail;
		for (h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			const struct nlattr *a;
			int rem;

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			for (a = attr_first(h, GENL_HDRLEN, &rem); attr_ok(a, rem);
			     a = attr_next(a, &rem))
				if (a->nla_type == CTRL_ATTR_FAMILY_ID &&
				    w->nregistered < FZ_MAX_IDS)
					w->registered[w->nregistered++] =
						*(const uint16_t *)((const char *)a + NLA_HDRLEN);
		}
	}
	close(fd);
	/* nobody's: a few past the last one given out, and the top */
	for (id = GENL_MIN_ID; w->nunused < 8 && id < 0x400; id++) {
		int i;

		for (i = 0; i < w->nregistered && w->registered[i] != id; i++)
			;
		if (i == w->nregistered)
			w->unused[w->nunused++] = id;
	}
	w->unused[w->nunused++] = GENL_MAX_ID;
	w->unused[w->nunused++] = 0xffff;
	return 0;
fail:
	close(fd);
	return -EIO;
}

FIXTURE_SETUP(fuzz)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	self->w.family = self->c.family;
	self->w.grp_config = self->c.grp_config;
	self->w.grp_events = self->c.grp_events;
	ASSERT_EQ(0, list_families(&self->w)) TH_LOG("listing the genetlink families");
	err = pol_get(&self->saved, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-get: %s", self->why);
	self->w.pol = (struct oom_pol){ P0_DELAY, P0_BYPASS, P0_ORDER, 0 };
	err = client_set(&self->c, &self->w.pol, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	self->kw_ok = !kmsg_watch_start(&self->kw);
}

FIXTURE_TEARDOWN(fuzz)
{
	struct oom_pol p;
	char bad[512];
	int nrec = 0;

	if (self->kw_ok) {
		EXPECT_EQ(0, kmsg_watch_check(&self->kw, bad, sizeof(bad), &nrec))
			TH_LOG("kernel log after fuzzing: %s", bad);
		kmsg_watch_stop(&self->kw);
	}
	if (self->listening)
		oomnl_close(&self->l);
	/* the policy as it was before the test */
	EXPECT_EQ(0, client_set(&self->c, &self->saved, self->why, sizeof(self->why)))
		TH_LOG("restoring the policy: %s", self->why);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_sysctl_policy(&p));
	EXPECT_TRUE(pol_is(&p, self->saved.delay_ms, self->saved.frozen_bypass,
			   self->saved.order));
}

static void print_errnos(const char *title, const uint64_t *count)
{
	int e;

	for (e = 0; e < FZ_NERR; e++)
		if (count[e])
			ksft_print_msg("  %-16s %-12s %10" PRIu64 "\n", title,
				       e ? errname(e) : "0 (success)", count[e]);
}

static void print_tally(const char *who, const struct fz_tally *t)
{
	ksft_print_msg("%s: %" PRIu64 " messages in %" PRIu64 " datagrams (%" PRIu64 " bytes) in %.1f s, %.0f messages/s; %" PRIu64 " sentinels\n",
		       who, t->msgs, t->dgrams, t->bytes, t->ms / 1000.0,
		       t->ms ? t->msgs * 1000.0 / t->ms : 0.0, t->sentinels);
	ksft_print_msg("  answers: %" PRIu64 " replies, %" PRIu64 " dumps (%" PRIu64 " parts), %" PRIu64 " notifications on fuzzed sockets\n",
		       t->replies, t->dumps, t->dump_parts, t->ntfs);
	ksft_print_msg("  %" PRIu64 " group joins/leaves, %" PRIu64 " datagrams redrawn (model), %" PRIu64 " sockets closed with answers owed, %" PRIu64 " reopened\n",
		       t->joins, t->regenerated, t->abandoned, t->reopened);
	if (t->changes || t->ntf_told)
		ksft_print_msg("  policy: %" PRIu64 " changes, %" PRIu64 " told by the config group, %" PRIu64 " dropped\n",
			       t->changes, t->ntf_told, t->ntf_dropped);
	if (t->netns_dump_answered || t->netns_dump_refused)
		ksft_print_msg("  CTRL_CMD_GETPOLICY of \"oom\" from the other netns: %" PRIu64 " answered, %" PRIu64 " refused\n",
			       t->netns_dump_answered, t->netns_dump_refused);
	ksft_print_msg("  %-16s %-12s %10s\n", "answer", "errno", "count");
	print_errnos("NLMSG_ERROR", t->err);
	print_errnos("sendmsg()", t->send_err);
	print_errnos("setsockopt()", t->join_err);
}

/* The policy is still P0 and the config group told nothing but a marker. */
static void expect_untouched(struct __test_metadata *_metadata,
			     FIXTURE_DATA(fuzz) *self, const char *who)
{
	struct oom_pol p, m = { 4321, P0_BYPASS, P0_ORDER, 0 };
	struct oom_ntf n;
	char buf[96];
	int err;

	err = pol_get(&p, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-get: %s", self->why);
	EXPECT_TRUE(pol_is(&p, P0_DELAY, P0_BYPASS, P0_ORDER))
		TH_LOG("after %s the policy is %s", who, pol_str(&p, buf, sizeof(buf)));
	ASSERT_EQ(0, client_set(&self->c, &m, self->why, sizeof(self->why)))
		TH_LOG("marker: %s", self->why);
	err = oomnl_ntf_next(&self->l, &n, FZ_STUCK_MS, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("the marker's policy-ntf: %s", self->why);
	EXPECT_EQ(4321ULL, n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS])
		TH_LOG("a policy-ntf from %s's run: {%" PRIu64 ", %" PRIu64 ", %" PRIu64 "}",
		       who, n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS],
		       n.v[OOM_A_POLICY_NTF_FROZEN_BYPASS], n.v[OOM_A_POLICY_NTF_REAP_ORDER]);
	ASSERT_EQ(0, client_set(&self->c, &self->w.pol, self->why, sizeof(self->why)));
}

static void run_mode(struct __test_metadata *_metadata, FIXTURE_DATA(fuzz) *self,
		     enum fz_mode mode)
{
	struct fz_child c = { .mode = mode, .w = self->w };
	int st;

	ksft_print_msg("seed %#" PRIx64 ", %" PRIu64 " messages over all callers (replay: OOMNL_FUZZ_SEED=%#" PRIx64 ")\n",
			       cfg.seed, cfg.msgs, cfg.seed);
	memset(&shared->t[mode], 0, sizeof(shared->t[mode]));
	shared->fail[mode][0] = 0;
	if (mode != M_ROOT) {
		/* root's run checks the config group itself */
		st = oomnl_subscribe(&self->l, true, false);
		ASSERT_EQ(0, st) TH_LOG("config listener: %s", strerror(-st));
		self->listening = true;
	}
	st = run_in_child(fuzz_child, &c, cfg.timeout_s * 1000);
	shared->ran[mode] = true;
	print_tally(modes[mode].name, &shared->t[mode]);
	EXPECT_EQ(0, shared->fail[mode][0]) TH_LOG("%s", shared->fail[mode]);
	EXPECT_EQ(0, st) TH_LOG("the %s run ended with status %d%s", modes[mode].name, st,
				st == -ETIMEDOUT ? " (timed out: OOMNL_FUZZ_TIMEOUT)" : "");
	if (mode != M_ROOT)
		expect_untouched(_metadata, self, modes[mode].name);
}

/* The harness bounds each child itself (OOMNL_FUZZ_TIMEOUT). */
#define FZ_TEST_TIMEOUT	(24 * 3600)

TEST_F_TIMEOUT(fuzz, root, FZ_TEST_TIMEOUT)
{
	run_mode(_metadata, self, M_ROOT);
}

TEST_F_TIMEOUT(fuzz, root_without_cap_sys_admin, FZ_TEST_TIMEOUT)
{
	run_mode(_metadata, self, M_NET_ADMIN);
}

TEST_F_TIMEOUT(fuzz, nobody, FZ_TEST_TIMEOUT)
{
	run_mode(_metadata, self, M_NOBODY);
}

TEST_F_TIMEOUT(fuzz, user_namespace, FZ_TEST_TIMEOUT)
{
	run_mode(_metadata, self, M_USERNS);
}

TEST_F_TIMEOUT(fuzz, user_and_network_namespace, FZ_TEST_TIMEOUT)
{
	run_mode(_metadata, self, M_NETNS);
}

/* All callers together: at least the messages asked for. */
TEST_F(fuzz, totals)
{
	struct fz_tally sum = { 0 };
	int m, e, all = 1;

	for (m = 0; m < NMODES; m++) {
		const struct fz_tally *t = &shared->t[m];

		all &= shared->ran[m];
		sum.msgs += t->msgs;
		sum.dgrams += t->dgrams;
		sum.bytes += t->bytes;
		sum.sentinels += t->sentinels;
		sum.replies += t->replies;
		sum.dumps += t->dumps;
		sum.dump_parts += t->dump_parts;
		sum.ntfs += t->ntfs;
		sum.joins += t->joins;
		sum.regenerated += t->regenerated;
		sum.abandoned += t->abandoned;
		sum.reopened += t->reopened;
		sum.changes += t->changes;
		sum.ntf_told += t->ntf_told;
		sum.ntf_dropped += t->ntf_dropped;
		sum.netns_dump_answered += t->netns_dump_answered;
		sum.netns_dump_refused += t->netns_dump_refused;
		sum.ms += t->ms;
		for (e = 0; e < FZ_NERR; e++) {
			sum.err[e] += t->err[e];
			sum.send_err[e] += t->send_err[e];
			sum.join_err[e] += t->join_err[e];
		}
	}
	print_tally("all callers", &sum);
	if (!all)
		SKIP(return, "not every caller ran (-t/-f): no total to check");
	/* each caller's share is rounded up */
	EXPECT_GE(sum.msgs, cfg.msgs);
}

TEST_HARNESS_MAIN
