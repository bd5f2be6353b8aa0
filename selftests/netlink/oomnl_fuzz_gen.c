// SPDX-License-Identifier: GPL-2.0
/*
 * The generator of the netlink fuzzer (oomnl_fuzz.h): datagrams of one or
 * more messages for the oom family, valid or mutated (flags, commands,
 * versions, the genl reserved field, lying nlmsg_len, attributes that are
 * unknown, out of range, of the wrong size, flagged nested or byte-ordered,
 * nested, duplicated, truncated, oversized or many), plus control messages,
 * requests to family ids nobody has, nlctrl requests about the family, and
 * sendmsg() variations (iovec cuts, addresses, sizes at the socket's
 * limit).  Everything comes from the caller's random state: a seed replays
 * a run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "oomnl_fuzz.h"

/* Room for @n more bytes at the end; the pointer is valid until the next
 * call. */
static unsigned char *room(struct fz_dgram *d, size_t n)
{
	unsigned char *p;

	if (d->len + n > d->cap) {
		size_t cap = d->cap ? d->cap : 4096;

		while (cap < d->len + n)
			cap *= 2;
		p = realloc(d->buf, cap);
		if (!p)
			abort();	/* a test binary: out of memory is fatal */
		d->buf = p;
		d->cap = cap;
	}
	p = d->buf + d->len;
	d->len += n;
	return p;
}

static void put(struct fz_dgram *d, const void *src, size_t n)
{
	memcpy(room(d, n), src, n);
}

static void put_zero(struct fz_dgram *d, size_t n)
{
	memset(room(d, n), 0, n);
}

static void put_random(struct fz_rng *r, struct fz_dgram *d, size_t n)
{
	unsigned char *p = room(d, n);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = fz_u64(r);
}

static void set16(struct fz_dgram *d, size_t off, uint16_t v)
{
	memcpy(d->buf + off, &v, sizeof(v));
}

static void set32(struct fz_dgram *d, size_t off, uint32_t v)
{
	memcpy(d->buf + off, &v, sizeof(v));
}

static void pad4(struct fz_dgram *d)
{
	put_zero(d, NLMSG_ALIGN(d->len) - d->len);
}

static size_t msg_begin(struct fz_dgram *d, uint16_t type, uint16_t flags,
			uint32_t seq)
{
	struct nlmsghdr h = {
		.nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq,
	};
	size_t off = d->len;

	put(d, &h, sizeof(h));
	d->nmsgs++;
	return off;
}

static void genl_put(struct fz_dgram *d, uint8_t cmd, uint8_t version,
		     uint16_t reserved)
{
	struct genlmsghdr g = {
		.cmd = cmd, .version = version, .reserved = reserved,
	};

	put(d, &g, sizeof(g));
}

/* nlmsg_len of the message at @off: what is there now. */
static void msg_end(struct fz_dgram *d, size_t off)
{
	set32(d, off, d->len - off);
}

static void attr_put(struct fz_dgram *d, uint16_t type, const void *data,
		     size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	put(d, &a, sizeof(a));
	if (len)
		put(d, data, len);
	pad4(d);
}

static void attr_u32(struct fz_dgram *d, uint16_t type, uint32_t v)
{
	attr_put(d, type, &v, sizeof(v));
}

static size_t nest_begin(struct fz_dgram *d, uint16_t type)
{
	size_t off = d->len;

	attr_put(d, type | NLA_F_NESTED, NULL, 0);
	return off;
}

static void nest_end(struct fz_dgram *d, size_t off)
{
	set16(d, off, d->len - off > 0xffff ? 0xffff : d->len - off);
}

static const uint16_t pol_types[] = {
	OOM_A_POLICY_REAP_DELAY_MS, OOM_A_POLICY_FROZEN_BYPASS,
	OOM_A_POLICY_REAP_ORDER,
};

static uint16_t pol_type(struct fz_rng *r)
{
	return pol_types[fz_below(r, 3)];
}

/* A value the policy accepts, the limits more often than their share. */
static uint32_t valid_value(struct fz_rng *r, uint16_t type)
{
	static const uint32_t delays[] = {
		0, 1, 2, 999, 1000, OOM_REAP_DELAY_DEFAULT_MS,
		OOM_REAP_DELAY_MAX_MS - 1, OOM_REAP_DELAY_MAX_MS,
	};

	if (type != OOM_A_POLICY_REAP_DELAY_MS)
		return fz_below(r, 2);
	if (fz_below(r, 2))
		return delays[fz_below(r, sizeof(delays) / sizeof(delays[0]))];
	return fz_below(r, OOM_REAP_DELAY_MAX_MS + 1);
}

static uint32_t bad_value(struct fz_rng *r, uint16_t type)
{
	static const uint32_t big[] = {
		0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
	};
	uint32_t max = type == OOM_A_POLICY_REAP_DELAY_MS ?
		       OOM_REAP_DELAY_MAX_MS : 1;

	switch (fz_below(r, 3)) {
	case 0:
		return max + 1 + fz_below(r, 2);
	case 1:
		return big[fz_below(r, sizeof(big) / sizeof(big[0]))];
	default:
		return max + 1 + (uint32_t)(fz_u64(r) % (0xffffffffULL - max));
	}
}

/* Some attribute of a policy-set, good or bad in one of many ways. */
static void attr_mutated(struct fz_rng *r, struct fz_dgram *d, int depth)
{
	uint16_t t = pol_type(r);
	unsigned int k = fz_below(r, 100);
	unsigned char junk[16];
	size_t i, off, n;

	if (k < 30) {
		attr_u32(d, t, valid_value(r, t));
	} else if (k < 42) {
		attr_u32(d, t, bad_value(r, t));
	} else if (k < 52) {
		static const uint8_t sizes[] = { 0, 1, 2, 3, 5, 6, 7, 8, 12, 16 };

		n = sizes[fz_below(r, sizeof(sizes))];
		for (i = 0; i < n; i++)
			junk[i] = fz_u64(r);
		attr_put(d, t, junk, n);
	} else if (k < 60) {
		static const uint16_t fl[] = {
			NLA_F_NESTED, NLA_F_NET_BYTEORDER,
			NLA_F_NESTED | NLA_F_NET_BYTEORDER,
		};

		attr_u32(d, t | fl[fz_below(r, 3)], valid_value(r, t));
	} else if (k < 72) {
		static const uint16_t unknown[] = {
			0, OOM_A_POLICY_REAP_DELAY_MAX_MS, 5, 6, 255, 256,
			(uint16_t)NLA_TYPE_MASK,
		};

		t = fz_below(r, 2) ? unknown[fz_below(r, sizeof(unknown) / 2)] :
				     (uint16_t)fz_u64(r);
		n = fz_below(r, 17);
		for (i = 0; i < n; i++)
			junk[i] = fz_u64(r);
		attr_put(d, t, junk, n);
	} else if (k < 82 && depth < 6) {
		off = nest_begin(d, fz_below(r, 2) ? t : (uint16_t)fz_below(r, 8));
		n = fz_below(r, 5);
		for (i = 0; i < n; i++)
			attr_mutated(r, d, depth + 1);
		nest_end(d, off);
	} else if (k < 85) {
		/* deeper than MAX_POLICY_RECURSION_DEPTH */
		size_t offs[48];

		n = fz_range(r, 2, 48);
		for (i = 0; i < n; i++)
			offs[i] = nest_begin(d, 1 + fz_below(r, 3));
		attr_u32(d, t, valid_value(r, t));
		while (n--)
			nest_end(d, offs[n]);
	} else if (k < 93) {
		/* the same attribute twice: the last one counts */
		attr_u32(d, t, valid_value(r, t));
		attr_u32(d, t, fz_below(r, 4) ? valid_value(r, t) : bad_value(r, t));
	} else if (k < 97) {
		/* nla_len below the header: the walk stops, bytes are left */
		struct nlattr a = { .nla_len = fz_below(r, NLA_HDRLEN), .nla_type = t };

		put(d, &a, sizeof(a));
		put_random(r, d, 4 * fz_below(r, 3));
	} else {
		/* big: up to the largest nla_len */
		n = fz_range(r, 256, 0xffff - NLA_HDRLEN);
		off = d->len;
		attr_put(d, fz_below(r, 2) ? t : (uint16_t)fz_u64(r), NULL, 0);
		if (fz_below(r, 2))
			put_zero(d, n);
		else
			put_random(r, d, n);
		set16(d, off, NLA_HDRLEN + n);
		pad4(d);
	}
}

/* The request header's lies and oddities, on a finished message. */
static void mutate_header(struct fz_rng *r, struct fz_dgram *d, size_t off,
			  const struct fz_world *w)
{
	static const uint16_t flag_bits[] = {
		NLM_F_MULTI, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_APPEND, NLM_F_DUMP,
		0x1000, 0x8000,
	};
	struct genlmsghdr *g = (void *)(d->buf + off + NLMSG_HDRLEN);
	uint32_t len = d->len - off;
	uint16_t flags;
	int n = fz_range(r, 1, 3);

	while (n--) {
		switch (fz_below(r, 8)) {
		case 0:	/* flags */
			memcpy(&flags, d->buf + off + 6, 2);
			if (fz_below(r, 4))
				flags |= flag_bits[fz_below(r, sizeof(flag_bits) / 2)];
			else if (fz_below(r, 2))
				flags &= ~(NLM_F_REQUEST | NLM_F_ACK);
			else
				flags = (uint16_t)fz_u64(r);
			set16(d, off + 6, flags);
			break;
		case 1:	/* command: the notifications, none, any */
			g->cmd = fz_below(r, 2) ? fz_below(r, OOM_CMD_MAX + 2) :
						  (uint8_t)fz_u64(r);
			break;
		case 2:	/* version: not looked at by genetlink */
			g->version = fz_below(r, 2) ? fz_below(r, 3) : (uint8_t)fz_u64(r);
			break;
		case 3:
			g->reserved = 1 + fz_below(r, 0xffff);
			break;
		case 4:	/* another type: a control message, nobody's id */
			if (fz_below(r, 2))
				set16(d, off + 4, fz_below(r, NLMSG_MIN_TYPE));
			else if (w->nunused)
				set16(d, off + 4, w->unused[fz_below(r, w->nunused)]);
			break;
		default: /* nlmsg_len */
			switch (fz_below(r, 6)) {
			case 0:
				len = fz_below(r, NLMSG_HDRLEN);
				break;
			case 1:
				len = NLMSG_HDRLEN + fz_below(r, GENL_HDRLEN);
				break;
			case 2:
				if (len > NLMSG_HDRLEN + GENL_HDRLEN)
					len -= fz_range(r, 1, len - NLMSG_HDRLEN - GENL_HDRLEN);
				break;
			case 3:
				len += fz_range(r, 1, 3);
				break;
			case 4:
				len += fz_range(r, 4, 256);
				break;
			default:
				len = (uint32_t)fz_u64(r);
				break;
			}
			set32(d, off, len);
			break;
		}
	}
}

static uint16_t req_flags(struct fz_rng *r)
{
	uint16_t f = NLM_F_REQUEST;

	if (fz_permille(r, 750))
		f |= NLM_F_ACK;
	if (fz_permille(r, 100))
		f |= NLM_F_ECHO;
	return f;
}

static uint8_t oom_cmd(struct fz_rng *r)
{
	unsigned int k = fz_below(r, 100);

	return k < 30 ? OOM_CMD_POLICY_GET : k < 85 ? OOM_CMD_POLICY_SET :
							 OOM_CMD_STATS_GET;
}

/* A version the family never had now and then: genetlink ignores it. */
static uint8_t version(struct fz_rng *r)
{
	return fz_permille(r, 900) ? OOM_FAMILY_VERSION : (uint8_t)fz_u64(r);
}

/* A well-formed request: any subset of the policy, sometimes twice. */
static void gen_valid(struct fz_rng *r, const struct fz_world *w,
		      struct fz_dgram *d, uint32_t seq)
{
	size_t off = msg_begin(d, w->family, req_flags(r), seq);
	uint8_t cmd = oom_cmd(r);
	int i, j;

	genl_put(d, cmd, version(r), 0);
	if (cmd == OOM_CMD_POLICY_SET) {
		uint16_t order[3] = { 1, 2, 3 };

		for (i = 2; i > 0; i--) {
			uint16_t t;

			j = fz_below(r, i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		j = fz_permille(r, 30) ? 0 : fz_range(r, 1, 3);
		for (i = 0; i < j; i++)
			attr_u32(d, order[i], valid_value(r, order[i]));
		if (j && fz_permille(r, 150))
			attr_u32(d, order[0], valid_value(r, order[0]));
	}
	msg_end(d, off);
}

static void gen_mutated(struct fz_rng *r, const struct fz_world *w,
			struct fz_dgram *d, uint32_t seq)
{
	size_t off = msg_begin(d, w->family, req_flags(r), seq);
	int i, n = fz_below(r, 5);

	genl_put(d, oom_cmd(r), version(r), 0);
	for (i = 0; i < n; i++)
		attr_mutated(r, d, 0);
	if (fz_permille(r, 50)) {
		/* an attribute that claims more than there is */
		struct nlattr a = { .nla_len = NLA_HDRLEN + 4 + fz_range(r, 1, 64),
				    .nla_type = pol_type(r) };

		put(d, &a, sizeof(a));
		put_random(r, d, 4);
	}
	if (fz_permille(r, 50))
		put_random(r, d, fz_range(r, 1, 7));	/* trailing bytes */
	msg_end(d, off);
	pad4(d);
	if (fz_permille(r, 600))
		mutate_header(r, d, off, w);
}

/* Header and random bytes for the family. */
static void gen_random(struct fz_rng *r, const struct fz_world *w,
		       struct fz_dgram *d, uint32_t seq)
{
	uint16_t flags = fz_below(r, 2) ? req_flags(r) : (uint16_t)fz_u64(r);
	size_t off = msg_begin(d, w->family, flags, seq);

	genl_put(d, fz_below(r, OOM_CMD_MAX + 2), (uint8_t)fz_u64(r),
		 fz_permille(r, 900) ? 0 : (uint16_t)fz_u64(r));
	put_random(r, d, fz_below(r, 65));
	msg_end(d, off);
	pad4(d);
}

/* Control messages (below NLMSG_MIN_TYPE) and ids no family has. */
static void gen_other_type(struct fz_rng *r, const struct fz_world *w,
			   struct fz_dgram *d, uint32_t seq)
{
	uint16_t type = fz_below(r, 2) || !w->nunused ?
			fz_below(r, NLMSG_MIN_TYPE) :
			w->unused[fz_below(r, w->nunused)];
	size_t off = msg_begin(d, type, fz_below(r, 3) ? req_flags(r) :
					 (uint16_t)fz_u64(r), seq);

	put_random(r, d, fz_below(r, 33));
	msg_end(d, off);
	pad4(d);
}

/* nlctrl about the family: templates whose answers are known. */
static void gen_ctrl(struct fz_rng *r, const struct fz_world *w,
		     struct fz_dgram *d, uint32_t seq)
{
	static const uint32_t ops[] = {
		OOM_CMD_POLICY_GET, OOM_CMD_POLICY_SET, OOM_CMD_STATS_GET,
		OOM_CMD_POLICY_NTF, 200,
	};
	struct fz_known *k = &d->known[d->nknown];
	uint16_t flags = NLM_F_REQUEST | (fz_below(r, 2) ? NLM_F_ACK : 0);
	unsigned int what = fz_below(r, 4);
	bool by_name = fz_below(r, 2);
	struct fz_expect *e = k->exp;
	size_t off;

	memset(k, 0, sizeof(*k));
	if (what >= 2)
		flags |= NLM_F_DUMP;
	off = msg_begin(d, GENL_ID_CTRL, flags, seq);
	genl_put(d, what == 2 ? CTRL_CMD_GETPOLICY : CTRL_CMD_GETFAMILY, 1, 0);
	if (what < 3) {
		if (by_name)
			attr_put(d, CTRL_ATTR_FAMILY_NAME, OOM_FAMILY_NAME,
				 sizeof(OOM_FAMILY_NAME));
		else
			attr_put(d, CTRL_ATTR_FAMILY_ID, &w->family, sizeof(uint16_t));
	}
	switch (what) {
	case 0:
	case 1:		/* ctrl_getfamily(): hides the family from other netns */
		if (w->who.init_net) {
			e[k->nexp].ans = FZ_ANS_FAMILY;
			e[k->nexp++].cmd = CTRL_CMD_NEWFAMILY;
			if (flags & NLM_F_ACK)
				e[k->nexp++].ans = FZ_ANS_ACK;
		} else {
			e[k->nexp].ans = FZ_ANS_ERR;
			e[k->nexp++].err = ENOENT;
		}
		break;
	case 2: {	/* ctrl_dumppolicy_start() */
		int op = fz_below(r, 3) ? -1 : (int)ops[fz_below(r, 5)];

		if (op >= 0)
			attr_u32(d, CTRL_ATTR_OP, op);
		/* an op without a policy has genl_policy_reject_all */
		if (op <= OOM_CMD_STATS_GET) {
			e[0].ans = FZ_ANS_DUMP;
			e[0].dump = FZ_DUMP_POLICY;
		} else {
			e[0].ans = FZ_ANS_ERR;	/* no such op */
			e[0].err = ENOENT;
		}
		/*
		 * It looks the family up without the netnsok check that
		 * ctrl_getfamily() and the series' genl_bind() make: from
		 * another netns the policy dump still answers.  Accepted
		 * either way, counted apart (see oomnl_fuzz.c).
		 */
		if (!w->who.init_net)
			e[0].alt_err = ENOENT;
		k->nexp = 1;
		break;
	}
	default:	/* ctrl_dumpfamily() */
		e[0].ans = FZ_ANS_DUMP;
		e[0].dump = FZ_DUMP_FAMILIES;
		k->nexp = 1;
		break;
	}
	msg_end(d, off);
	k->off = off;
	k->len = d->len - off;
	d->nknown++;
	if (what >= 2)
		d->dump = true;
}

/* One message of a datagram. */
static void gen_msg(struct fz_rng *r, const struct fz_world *w,
		    const struct fz_gen_opts *o, struct fz_dgram *d,
		    uint32_t seq)
{
	unsigned int k = fz_below(r, 1000);

	if (k < 250)
		gen_valid(r, w, d, seq);
	else if (k < 720)
		gen_mutated(r, w, d, seq);
	else if (k < 830)
		gen_random(r, w, d, seq);
	else if (k < 900)
		gen_other_type(r, w, d, seq);
	else if (k < 960 && o->ctrl)
		gen_ctrl(r, w, d, seq);
	else
		gen_valid(r, w, d, seq);
}

/* One message of about @size bytes, up to and beyond the socket's limit. */
static void gen_big(struct fz_rng *r, const struct fz_world *w,
		    struct fz_dgram *d, uint32_t seq, size_t size)
{
	size_t off = msg_begin(d, w->family, req_flags(r), seq);

	genl_put(d, oom_cmd(r), version(r), 0);
	switch (fz_below(r, 3)) {
	case 0:	/* many valid attributes: the last of each counts */
		while (d->len - off + 8 <= size) {
			uint16_t t = pol_type(r);

			attr_u32(d, t, valid_value(r, t));
		}
		break;
	case 1:	/* attributes as big as nla_len goes */
		while (d->len - off + NLA_HDRLEN < size) {
			size_t n = size - (d->len - off) - NLA_HDRLEN;
			size_t a = d->len;

			if (n > 0xffff - NLA_HDRLEN)
				n = 0xffff - NLA_HDRLEN;
			attr_put(d, fz_below(r, 2) ? pol_type(r) : (uint16_t)fz_u64(r),
				 NULL, 0);
			put_zero(d, n);
			set16(d, a, NLA_HDRLEN + n);
			pad4(d);
		}
		break;
	default:
		if (size > d->len - off)
			put_random(r, d, size - (d->len - off));
		break;
	}
	msg_end(d, off);
	if (fz_permille(r, 300))
		mutate_header(r, d, off, w);
}

void fz_gen_dgram(struct fz_rng *r, const struct fz_world *w,
		  const struct fz_gen_opts *o, struct fz_dgram *d, uint32_t *seq)
{
	unsigned int shape = fz_below(r, 1000);
	int i, n;

	d->len = 0;
	d->nmsgs = 0;
	d->nknown = 0;
	d->dump = false;
	if (shape < 3) {
		;	/* nothing at all: ENODATA */
	} else if (shape < 9) {
		static const int64_t around[] = { -4096, -1, 0, 1, 64 };
		int64_t size = fz_below(r, 2) ?
			       (int64_t)o->max_len + around[fz_below(r, 5)] :
			       (int64_t)fz_range(r, 16384, o->max_len);

		gen_big(r, w, d, (*seq)++, size > 64 ? size : 64);
	} else {
		unsigned int k = fz_below(r, 100);

		n = k < 25 ? 1 : k < 70 ? fz_range(r, 2, 8) :
					  fz_range(r, 9, FZ_MAX_MSGS);
		for (i = 0; i < n && !d->dump && d->len < 16384; i++)
			gen_msg(r, w, o, d, (*seq)++);
	}

	d->niov = fz_below(r, 2) ? 1 : fz_range(r, 2, FZ_MAX_IOV);
	for (i = 0; i < d->niov - 1; i++)
		d->cut[i] = fz_below(r, d->len + 1);
	for (i = 1; i < d->niov - 1; i++) {	/* sorted */
		size_t c = d->cut[i];
		int j = i;

		while (j > 0 && d->cut[j - 1] > c) {
			d->cut[j] = d->cut[j - 1];
			j--;
		}
		d->cut[j] = c;
	}
	n = fz_below(r, 1000);
	d->name = n < 600 ? FZ_NAME_NONE : n < 980 ? FZ_NAME_KERNEL :
		  n < 990 ? FZ_NAME_SHORT : FZ_NAME_FAMILY;
}

/*
 * The sweep: every command the family has and some it has not, with every
 * combination of the request flags that matter (REQUEST, ACK, ECHO and the
 * two halves of DUMP) and each other flag alone, in four versions.
 */
static const uint8_t sweep_cmds[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 255 };
static const uint8_t sweep_versions[] = { 0, OOM_FAMILY_VERSION, 2, 255 };
static const uint16_t sweep_base[] = {
	NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH,
};
static const uint16_t sweep_alone[] = {
	NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ATOMIC,
	NLM_F_APPEND, 0x1000, 0x2000, 0x4000, 0x8000,
};
#define SWEEP_FLAGS	((1 << 5) + (int)(sizeof(sweep_alone) / sizeof(sweep_alone[0])))

int fz_sweep_count(void)
{
	return sizeof(sweep_cmds) * sizeof(sweep_versions) * SWEEP_FLAGS;
}

static uint16_t sweep_flags(int i)
{
	uint16_t f = 0;
	int b;

	if (i >= 1 << 5)
		return NLM_F_REQUEST | sweep_alone[i - (1 << 5)];
	for (b = 0; b < 5; b++)
		if (i & (1 << b))
			f |= sweep_base[b];
	return f;
}

void fz_gen_sweep(const struct fz_world *w, struct fz_dgram *d, uint32_t *seq,
		  int *next, int nmsgs)
{
	d->len = 0;
	d->nmsgs = 0;
	d->nknown = 0;
	d->dump = false;
	for (; nmsgs-- && *next < fz_sweep_count(); (*next)++) {
		int i = *next, f = i % SWEEP_FLAGS;
		int v = i / SWEEP_FLAGS % sizeof(sweep_versions);
		int c = i / SWEEP_FLAGS / sizeof(sweep_versions);
		size_t off = msg_begin(d, w->family, sweep_flags(f), (*seq)++);

		genl_put(d, sweep_cmds[c], sweep_versions[v], 0);
		if (sweep_cmds[c] == OOM_CMD_POLICY_SET)
			attr_u32(d, OOM_A_POLICY_REAP_DELAY_MS, 100 + i % OOM_REAP_DELAY_MAX_MS);
		msg_end(d, off);
	}
	d->niov = 1;
	d->name = FZ_NAME_NONE;
}

void fz_gen_sentinel(const struct fz_world *w, struct fz_dgram *d, uint32_t seq)
{
	size_t off;

	d->len = 0;
	d->nmsgs = 0;
	d->nknown = 0;
	d->dump = false;
	off = msg_begin(d, w->family, NLM_F_REQUEST | NLM_F_ACK, seq);
	genl_put(d, OOM_CMD_POLICY_GET, OOM_FAMILY_VERSION, 0);
	msg_end(d, off);
	d->niov = 1;
	d->name = FZ_NAME_NONE;
}

void fz_dgram_free(struct fz_dgram *d)
{
	free(d->buf);
	memset(d, 0, sizeof(*d));
}
