// SPDX-License-Identifier: GPL-2.0
/*
 * The model of the netlink fuzzer (oomnl_fuzz.h): what the kernel answers
 * to a datagram on a NETLINK_GENERIC socket, and what it does to the OOM
 * reaper policy.  Each step names the kernel function it mirrors (Linux
 * 7.3 with the oomctl series); a difference between the model and the
 * kernel is a failure of the test, so the model says what the kernel
 * promises, no more.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "oomnl_fuzz.h"

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static bool id_in(const uint16_t *ids, int n, uint16_t id)
{
	int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* What one frame is owed, before netlink_rcv_skb() adds the ack. */
struct fz_frame {
	int err;		/* positive errno, 0 */
	bool reply;		/* a reply message comes before the ack */
	struct fz_expect rep;	/* ... this one */
	bool dump;		/* a dump was started: no ack at all */
	bool unpredictable;
};

/*
 * The attributes of a policy-set, as __nla_validate_parse() checks them
 * with NL_VALIDATE_STRICT against oom_policy_set_nl_policy (maxtype 3,
 * each a NLA_U32 with a maximum).  On success the last occurrence of each
 * attribute is the one the handler sees (tb[type] is overwritten).
 */
static int parse_policy_set(const unsigned char *a, int len, bool have[4],
			    uint32_t val[4])
{
	static const uint32_t max[4] = {
		[OOM_A_POLICY_REAP_DELAY_MS] = OOM_REAP_DELAY_MAX_MS,
		[OOM_A_POLICY_FROZEN_BYPASS] = 1,
		[OOM_A_POLICY_REAP_ORDER] = 1,
	};
	int rem = len;

	/* nla_for_each_attr(): nla_ok() then nla_next() */
	while (rem >= NLA_HDRLEN) {
		uint16_t nla_len = get16(a), raw = get16(a + 2);
		uint16_t type = raw & NLA_TYPE_MASK;

		if (nla_len < NLA_HDRLEN || nla_len > rem)
			break;
		/* NL_VALIDATE_MAXTYPE */
		if (type == 0 || type > OOM_A_POLICY_REAP_ORDER)
			return EINVAL;
		/* validate_nla(): nla_attr_len[NLA_U32] with STRICT_ATTRS */
		if (nla_len - NLA_HDRLEN != sizeof(uint32_t))
			return EINVAL;
		/* NL_VALIDATE_NESTED: NLA_F_NESTED on a non-nested type */
		if (raw & NLA_F_NESTED)
			return EINVAL;
		/* NLA_POLICY_MAX (NLA_F_NET_BYTEORDER is not looked at) */
		if (get32(a + NLA_HDRLEN) > max[type])
			return ERANGE;
		have[type] = true;
		val[type] = get32(a + NLA_HDRLEN);
		a += NLA_ALIGN(nla_len);
		rem -= NLA_ALIGN(nla_len);
	}
	/* NL_VALIDATE_TRAILING */
	if (rem > 0)
		return EINVAL;
	return 0;
}

/* genl_family_rcv_msg() and the family's handlers, for the oom family. */
static void oom_frame(const struct fz_world *w, struct oom_pol *pol,
		      bool *changed, const unsigned char *f, uint32_t len,
		      struct fz_frame *out)
{
	uint16_t flags = get16(f + 6);
	const struct genlmsghdr *g = (const void *)(f + NLMSG_HDRLEN);
	bool have[4] = { false };
	uint32_t val[4];
	bool dump;
	uint16_t fl;

	/* "this family doesn't exist in this netns" */
	if (!w->who.init_net) {
		out->err = ENOENT;
		return;
	}
	if (len < NLMSG_HDRLEN + GENL_HDRLEN) {
		out->err = EINVAL;
		return;
	}
	/* genl_header_check(): resv_start_op is 0, every command is checked */
	if (g->reserved) {
		out->err = EINVAL;
		return;
	}
	fl = flags;
	if ((fl & NLM_F_DUMP) == NLM_F_DUMP)
		fl &= ~NLM_F_DUMP;
	if (fl & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) {
		out->err = EINVAL;
		return;
	}
	/* genl_get_cmd(): three do operations, no dump; the version is not
	 * looked at */
	dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (dump || g->cmd < OOM_CMD_POLICY_GET || g->cmd > OOM_CMD_STATS_GET) {
		out->err = EOPNOTSUPP;
		return;
	}
	out->rep.cmd = g->cmd;
	/*
	 * policy-get and stats-get have no policy: genetlink gives them
	 * genl_policy_reject_all with maxattr 0, so any byte after the genl
	 * header is an unknown attribute or left over.
	 */
	if (g->cmd != OOM_CMD_POLICY_SET && len > NLMSG_HDRLEN + GENL_HDRLEN) {
		out->err = EINVAL;
		return;
	}
	if (g->cmd == OOM_CMD_STATS_GET) {
		out->reply = true;
		out->rep.ans = FZ_ANS_STATS;
		return;
	}
	if (g->cmd == OOM_CMD_POLICY_GET) {
		out->reply = true;
		out->rep.ans = FZ_ANS_POLICY;
		out->rep.pol = *pol;
		return;
	}
	/* policy-set: GENL_ADMIN_PERM before the request is parsed */
	if (!w->who.net_admin) {
		out->err = EPERM;
		return;
	}
	out->err = parse_policy_set(f + NLMSG_HDRLEN + GENL_HDRLEN,
				    len - NLMSG_HDRLEN - GENL_HDRLEN, have, val);
	if (out->err)
		return;
	/* oom_nl_policy_set_doit() */
	if (!w->who.sys_admin) {
		out->err = EPERM;
		return;
	}
	if (!have[1] && !have[2] && !have[3]) {
		out->err = EINVAL;
		return;
	}
	{
		struct oom_pol n = *pol;

		if (have[OOM_A_POLICY_REAP_DELAY_MS])
			n.delay_ms = val[OOM_A_POLICY_REAP_DELAY_MS];
		if (have[OOM_A_POLICY_FROZEN_BYPASS])
			n.frozen_bypass = val[OOM_A_POLICY_FROZEN_BYPASS];
		if (have[OOM_A_POLICY_REAP_ORDER])
			n.order = val[OOM_A_POLICY_REAP_ORDER];
		/* oom_reap_policy_store(): a notification only on a change */
		*changed = n.delay_ms != pol->delay_ms ||
			   n.frozen_bypass != pol->frozen_bypass ||
			   n.order != pol->order;
		*pol = n;
	}
	out->reply = true;
	out->rep.ans = FZ_ANS_POLICY;
	out->rep.pol = *pol;
}

/* Rough receive-buffer cost (skb truesize) of an answer of @payload bytes. */
static size_t truesize(size_t payload)
{
	size_t n = 512;

	while (n < payload + NLMSG_HDRLEN + 384)
		n <<= 1;
	return n + 512;
}

static bool push(struct fz_expect *exp, int *nexp, const struct fz_expect *e)
{
	if (*nexp >= FZ_MAX_EXPECT)
		return false;
	exp[(*nexp)++] = *e;
	return true;
}

bool fz_world_change(struct fz_world *w, const struct oom_pol *p)
{
	if (w->nchanges == w->changes_cap) {
		size_t cap = w->changes_cap ? 2 * w->changes_cap : 1024;
		struct oom_pol *c = realloc(w->changes, cap * sizeof(*c));

		if (!c)
			return false;
		w->changes = c;
		w->changes_cap = cap;
	}
	w->changes[w->nchanges++] = *p;
	w->pol = *p;
	return true;
}

/*
 * The answers must fit the receive buffer: netlink_attachskb() queues an
 * answer while the buffer holds at most sk_rcvbuf, so all but the last one
 * must stay below it (with a margin: truesize() is rough).
 */
static bool over_budget(size_t bytes, size_t last, size_t budget)
{
	return bytes - last > budget;
}

bool fz_predict(struct fz_world *w, const struct fz_dgram *d,
		size_t sndbuf_max, size_t budget, int *send_err,
		struct fz_expect *exp, int *nexp)
{
	struct oom_pol pol = w->pol, chg[FZ_MAX_EXPECT];
	size_t off = 0, bytes = 0, last = 0;
	int nchg = 0, frame = 0, i;

	*nexp = 0;
	/* netlink_sendmsg() */
	if (!d->len) {
		*send_err = ENODATA;
		return true;
	}
	if (d->name == FZ_NAME_SHORT || d->name == FZ_NAME_FAMILY) {
		*send_err = EINVAL;
		return true;
	}
	if (d->len > sndbuf_max) {
		*send_err = EMSGSIZE;
		return true;
	}
	*send_err = 0;

	/* netlink_rcv_skb() */
	while (d->len - off >= NLMSG_HDRLEN) {
		const unsigned char *f = d->buf + off;
		uint32_t len = get32(f), seq = get32(f + 8);
		uint16_t type = get16(f + 4), flags = get16(f + 6);
		struct fz_frame fr = { 0 };
		struct fz_expect e = { 0 };
		bool changed = false;

		if (len < NLMSG_HDRLEN || len > d->len - off)
			break;
		e.seq = seq;
		e.req_type = type;
		e.req_flags = flags;
		e.req_len = len;
		e.msg = frame;
		/* only requests, and no control messages, go to genl_rcv_msg() */
		if (!(flags & NLM_F_REQUEST) || type < NLMSG_MIN_TYPE) {
			;
		} else if (type == w->family) {
			oom_frame(w, &pol, &changed, f, len, &fr);
		} else if (id_in(w->registered, w->nregistered, type)) {
			/* another family: only the generator's templates */
			fr.unpredictable = true;
			for (i = 0; i < d->nknown; i++) {
				const struct fz_known *k = &d->known[i];
				int j;

				if (k->off != off || k->len != len)
					continue;
				fr.unpredictable = false;
				for (j = 0; j < k->nexp; j++) {
					struct fz_expect ke = k->exp[j];

					ke.seq = seq;
					ke.req_type = type;
					ke.req_flags = flags;
					ke.req_len = len;
					ke.msg = frame;
					if (!push(exp, nexp, &ke))
						return false;
					last = truesize(ke.ans == FZ_ANS_DUMP ? 32768 :
							ke.ans == FZ_ANS_FAMILY ? 4096 : 64);
					bytes += last;
				}
			}
			if (fr.unpredictable)
				return false;
			goto next;
		} else {
			/* genl_family_find_byid() finds nothing */
			fr.err = ENOENT;
		}
		if (fr.reply) {
			fr.rep.seq = seq;
			fr.rep.req_type = type;
			fr.rep.req_flags = flags;
			fr.rep.req_len = len;
			fr.rep.msg = frame;
			if (!push(exp, nexp, &fr.rep))
				return false;
			last = truesize(fr.rep.ans == FZ_ANS_STATS ? 4096 : 128);
			bytes += last;
		}
		if (changed) {
			if (nchg == FZ_MAX_EXPECT)
				return false;
			chg[nchg++] = pol;
		}
		/* netlink_ack() when asked for or on an error */
		if ((flags & NLM_F_ACK) || fr.err) {
			e.ans = fr.err ? FZ_ANS_ERR : FZ_ANS_ACK;
			e.err = fr.err;
			if (!push(exp, nexp, &e))
				return false;
			/* the request is appended to an error (unless capped) */
			last = truesize(fr.err ? len + 256 : 256);
			bytes += last;
		}
next:
		frame++;
		off += NLMSG_ALIGN(len) < d->len - off ? NLMSG_ALIGN(len) : d->len - off;
	}

	if (over_budget(bytes, last, budget))
		return false;
	for (i = 0; i < nchg; i++)
		if (!fz_world_change(w, &chg[i]))
			return false;
	w->pol = pol;
	return true;
}

int fz_predict_join(const struct fz_world *w, uint32_t group)
{
	/* genl_bind(): the series refuses a non-netnsok family's groups to
	 * other network namespaces */
	if (!w->who.init_net)
		return ENOENT;
	/* GENL_MCAST_CAP_SYS_ADMIN: ns_capable(net->user_ns, ...) */
	if (group == w->grp_events && !w->who.sys_admin)
		return EPERM;
	return 0;
}
