// SPDX-License-Identifier: GPL-2.0
/* libnl-genl-3 client of the "oom" family; see oomnl.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>

#include "oomnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!why || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

int oomnl_socket(struct oomnl *c)
{
	int one = 1, fd, err;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	nl_socket_enable_msg_peek(c->sk);
	errno = 0;
	err = nl_connect(c->sk, NETLINK_GENERIC);
	if (err < 0) {
		err = errno ? -errno : -EIO;
		nl_socket_free(c->sk);
		c->sk = NULL;
		return err;
	}
	fd = nl_socket_get_fd(c->sk);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		err = -errno;
		oomnl_close(c);
		return err;
	}
	return 0;
}

void oomnl_close(struct oomnl *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	free(c->rbuf);
	memset(c, 0, sizeof(*c));
}

int oomnl_adopt_fd(struct oomnl *c, int fd, const struct oomnl *like)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	nl_socket_enable_msg_peek(c->sk);
	err = nl_socket_set_fd(c->sk, NETLINK_GENERIC, fd);
	if (err < 0) {
		nl_socket_free(c->sk);
		c->sk = NULL;
		return -EBADF;
	}
	c->family = like->family;
	c->version = like->version;
	c->grp_config = like->grp_config;
	c->grp_events = like->grp_events;
	return 0;
}

/* ---- requests ------------------------------------------------------- */

static void parse_ack_tlvs(struct oomnl_reply *r, struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off = sizeof(*e), len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	len = nlmsg_datalen(nlh) - off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + off), len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(r->msg, tb[NLMSGERR_ATTR_MSG], sizeof(r->msg));
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4) {
		r->has_offs = true;
		r->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		r->has_miss = true;
		r->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	if (tb[NLMSGERR_ATTR_POLICY]) {
		struct nlattr *pt[NL_POLICY_TYPE_ATTR_MAX + 1];
		struct nlattr *m;

		if (!nla_parse_nested(pt, NL_POLICY_TYPE_ATTR_MAX,
				      tb[NLMSGERR_ATTR_POLICY], NULL) &&
		    (m = pt[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) && nla_len(m) == 8) {
			r->has_pol_max = true;
			r->pol_max = nla_get_u64(m);
		}
	}
}

static void take_msg(struct oomnl_reply *r, struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_seq != r->seq) {
		if (!r->stray++)
			r->stray_seq = nlh->nlmsg_seq;
		return;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = nlmsg_data(nlh);

		r->acked = true;
		if (nlmsg_datalen(nlh) < (int)sizeof(*e)) {
			r->error = EPROTO;
			return;
		}
		r->error = -e->error;
		parse_ack_tlvs(r, nlh);
		return;
	}
	if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_NOOP)
		return;
	if (r->nreplies++)
		return;
	r->reply_type = nlh->nlmsg_type;
	if (nlmsg_datalen(nlh) >= (int)GENL_HDRLEN) {
		struct genlmsghdr *g = nlmsg_data(nlh);
		int len = nlmsg_datalen(nlh) - GENL_HDRLEN;

		r->cmd = g->cmd;
		r->version = g->version;
		if (len > (int)sizeof(r->attrs))
			len = sizeof(r->attrs);
		memcpy(r->attrs, (char *)g + GENL_HDRLEN, len);
		r->attrlen = len;
	}
}

/* Receive one datagram into a malloc()ed buffer, waiting at most @ms. */
static int recv_one(struct oomnl *c, unsigned char **buf, int ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(c->sk), .events = POLLIN };
	struct sockaddr_nl sa;
	int n;

	n = poll(&pfd, 1, ms < 0 ? 0 : ms);
	if (n < 0)
		return -errno;
	if (!n)
		return -ETIMEDOUT;
	errno = 0;
	n = nl_recv(c->sk, &sa, buf, NULL);
	if (n <= 0) {
		free(*buf);
		*buf = NULL;
		return n == 0 ? -ECONNRESET : (errno ? -errno : -EIO);
	}
	return n;
}

static int collect(struct oomnl *c, struct oomnl_reply *r)
{
	int64_t deadline = now_ms() + OOMNL_XFER_MS;

	while (!r->acked) {
		unsigned char *buf = NULL;
		struct nlmsghdr *nlh;
		int n;

		n = recv_one(c, &buf, deadline - now_ms());
		if (n < 0)
			return n;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n))
			take_msg(r, nlh);
		free(buf);
	}
	return 0;
}

int oomnl_send_raw(struct oomnl *c, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	unsigned int seq = nl_socket_use_seq(c->sk);
	int err;

	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	errno = 0;
	if (c->use_write)
		err = write(nl_socket_get_fd(c->sk), buf, len) == (ssize_t)len ? 0 : -1;
	else
		err = nl_sendto(c->sk, buf, len);
	if (err < 0)
		return errno ? -errno : -EIO;
	return seq;
}

int oomnl_xfer_raw(struct oomnl *c, void *buf, size_t len,
		   struct oomnl_reply *r)
{
	int seq;

	memset(r, 0, sizeof(*r));
	seq = oomnl_send_raw(c, buf, len);
	if (seq < 0)
		return seq;
	r->seq = seq;
	return collect(c, r);
}

int oomnl_xfer(struct oomnl *c, struct nl_msg *msg, struct oomnl_reply *r)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	return oomnl_xfer_raw(c, nlh, nlh->nlmsg_len, r);
}

struct nl_msg *oomnl_msg(const struct oomnl *c, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc_size(128 * 1024);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, 0, cmd,
			 OOM_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int oomnl_resolve(struct oomnl *c)
{
	struct oomnl_reply *r;
	struct nl_msg *msg;
	struct nlattr *a, *g;
	int rem, rem2, err;

	c->family = 0;
	c->grp_config = c->grp_events = 0;
	msg = nlmsg_alloc();
	r = calloc(1, sizeof(*r));
	if (!msg || !r) {
		err = -ENOMEM;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, OOM_FAMILY_NAME)) {
		err = -ENOMEM;
		goto out;
	}
	err = oomnl_xfer(c, msg, r);
	if (err)
		goto out;
	if (r->error) {
		err = -r->error;
		goto out;
	}
	nla_for_each_attr(a, (struct nlattr *)r->attrs, r->attrlen, rem) {
		switch (nla_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			c->family = nla_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			c->version = nla_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			nla_for_each_nested(g, a, rem2) {
				struct nlattr *t[CTRL_ATTR_MCAST_GRP_MAX + 1];
				const char *name;
				int id;

				if (nla_parse_nested(t, CTRL_ATTR_MCAST_GRP_MAX, g, NULL) ||
				    !t[CTRL_ATTR_MCAST_GRP_NAME] ||
				    !t[CTRL_ATTR_MCAST_GRP_ID])
					continue;
				name = nla_get_string(t[CTRL_ATTR_MCAST_GRP_NAME]);
				id = nla_get_u32(t[CTRL_ATTR_MCAST_GRP_ID]);
				if (!strcmp(name, OOM_MCGRP_CONFIG))
					c->grp_config = id;
				else if (!strcmp(name, OOM_MCGRP_EVENTS))
					c->grp_events = id;
			}
			break;
		}
	}
	err = c->family ? 0 : -EPROTO;
out:
	nlmsg_free(msg);
	free(r);
	return err;
}

int oomnl_open(struct oomnl *c)
{
	int err = oomnl_socket(c);

	if (err)
		return err;
	err = oomnl_resolve(c);
	if (err)
		oomnl_close(c);
	return err;
}

/* ---- policy and stats ------------------------------------------------ */

int oomnl_parse_policy(const struct oomnl_reply *r, uint8_t cmd,
		       struct oom_pol *p, char *why, size_t whylen)
{
	uint32_t *slot[OOM_A_POLICY_MAX + 1] = {
		[OOM_A_POLICY_REAP_DELAY_MS] = &p->delay_ms,
		[OOM_A_POLICY_FROZEN_BYPASS] = &p->frozen_bypass,
		[OOM_A_POLICY_REAP_ORDER] = &p->order,
		[OOM_A_POLICY_REAP_DELAY_MAX_MS] = &p->delay_max_ms,
	};
	unsigned int seen = 0, want = 0;
	struct nlattr *a;
	int rem, t;

	for (t = 0; t <= OOM_A_POLICY_MAX; t++)
		if (slot[t])
			want |= 1u << t;
	if (r->nreplies != 1) {
		say(why, whylen, "%d replies to one request", r->nreplies);
		return -EPROTO;
	}
	if (r->cmd != cmd || r->version != OOM_FAMILY_VERSION) {
		say(why, whylen, "reply has cmd %u version %u, expected cmd %u version %u",
		    r->cmd, r->version, cmd, OOM_FAMILY_VERSION);
		return -EPROTO;
	}
	nla_for_each_attr(a, (struct nlattr *)r->attrs, r->attrlen, rem) {
		t = nla_type(a);
		if (t > OOM_A_POLICY_MAX || !slot[t]) {
			say(why, whylen, "unexpected attribute %d in a policy reply", t);
			return -EPROTO;
		}
		if (nla_len(a) != 4) {
			say(why, whylen, "policy attribute %d has %d bytes, not 4", t, nla_len(a));
			return -EPROTO;
		}
		if (seen & (1u << t)) {
			say(why, whylen, "policy attribute %d twice", t);
			return -EPROTO;
		}
		seen |= 1u << t;
		*slot[t] = nla_get_u32(a);
	}
	if (rem) {
		say(why, whylen, "%d bytes after the last attribute", rem);
		return -EPROTO;
	}
	if (seen != want) {
		say(why, whylen, "policy reply lacks attributes (mask %#x of %#x)", seen, want);
		return -EPROTO;
	}
	return 0;
}

static int do_request(struct oomnl *c, struct nl_msg *msg,
		      struct oomnl_reply *r, char *why, size_t whylen)
{
	int err;

	if (!msg) {
		say(why, whylen, "out of memory building the request");
		return -ENOMEM;
	}
	err = oomnl_xfer(c, msg, r);
	nlmsg_free(msg);
	if (err) {
		say(why, whylen, "no answer: %s", strerror(-err));
		return err;
	}
	if (r->error) {
		say(why, whylen, "kernel: %s%s%s", strerror(r->error),
		    r->msg[0] ? ": " : "", r->msg);
		return -r->error;
	}
	return 0;
}

int oomnl_policy_get(struct oomnl *c, struct oom_pol *p,
		     struct oomnl_reply *r, char *why, size_t whylen)
{
	int err = do_request(c, oomnl_msg(c, OOM_CMD_POLICY_GET), r, why, whylen);

	return err ? err : oomnl_parse_policy(r, OOM_CMD_POLICY_GET, p, why, whylen);
}

int oomnl_policy_set(struct oomnl *c, const struct oom_pol_set *s,
		     struct oom_pol *p, struct oomnl_reply *r,
		     char *why, size_t whylen)
{
	struct nl_msg *msg = oomnl_msg(c, OOM_CMD_POLICY_SET);
	int err;

	if (msg && ((s->has_delay &&
		     nla_put_u32(msg, OOM_A_POLICY_REAP_DELAY_MS, s->delay_ms)) ||
		    (s->has_bypass &&
		     nla_put_u32(msg, OOM_A_POLICY_FROZEN_BYPASS, s->frozen_bypass)) ||
		    (s->has_order &&
		     nla_put_u32(msg, OOM_A_POLICY_REAP_ORDER, s->order)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = do_request(c, msg, r, why, whylen);
	return err ? err : oomnl_parse_policy(r, OOM_CMD_POLICY_SET, p, why, whylen);
}

uint64_t oomnl_get_uint(const struct nlattr *a)
{
	uint64_t v = 0;
	uint32_t v32;

	if (nla_len(a) == 8) {
		memcpy(&v, nla_data(a), 8);
	} else if (nla_len(a) == 4) {
		memcpy(&v32, nla_data(a), 4);
		v = v32;
	}
	return v;
}

static int bucket_of(const struct oom_bucket *b, int n, uint64_t us)
{
	int i;

	for (i = 0; i < n; i++)
		if (us >= b[i].low_us && us < b[i].high_us)
			return i;
	return -1;
}

int oomnl_bucket_of(const struct oom_stats *st, uint64_t us)
{
	return bucket_of(st->bucket, st->nbuckets, us);
}

int oomnl_freed_bucket_of(const struct oom_stats *st, uint64_t us)
{
	return bucket_of(st->fbucket, st->nfbuckets, us);
}

/*
 * One latency-bucket nest, strictly: low-us, count, and high-us except in
 * the last bucket, each once and a uint; bucket 0 is [0, 2), bucket i > 0
 * [2^i, 2^(i+1)) (the spec: one bucket per power of two of microseconds,
 * in increasing order).  Whether it is the last is known only at the end:
 * the caller checks that only the last one lacks high-us.
 */
static int parse_bucket(struct nlattr *nest, int i, struct oom_bucket *b,
			bool *open, char *why, size_t whylen)
{
	unsigned int seen = 0;
	struct nlattr *a;
	int rem, t;

	if (i == OOMNL_MAX_BUCKETS) {
		say(why, whylen, "more than %d latency buckets", OOMNL_MAX_BUCKETS);
		return -EPROTO;
	}
	nla_for_each_nested(a, nest, rem) {
		t = nla_type(a);
		if (t < OOM_A_LATENCY_BUCKET_LOW_US || t > OOM_A_LATENCY_BUCKET_MAX) {
			say(why, whylen, "latency bucket %d: unexpected attribute %d", i, t);
			return -EPROTO;
		}
		if (!oomnl_uint_len_ok(nla_len(a))) {
			say(why, whylen, "latency bucket %d: attribute %d has %d bytes, not a uint (4 or 8)",
			    i, t, nla_len(a));
			return -EPROTO;
		}
		if (seen & (1u << t)) {
			say(why, whylen, "latency bucket %d: attribute %d twice", i, t);
			return -EPROTO;
		}
		seen |= 1u << t;
		if (t == OOM_A_LATENCY_BUCKET_LOW_US)
			b->low_us = oomnl_get_uint(a);
		else if (t == OOM_A_LATENCY_BUCKET_HIGH_US)
			b->high_us = oomnl_get_uint(a);
		else
			b->count = oomnl_get_uint(a);
	}
	if (rem) {
		say(why, whylen, "latency bucket %d: %d bytes after the last attribute", i, rem);
		return -EPROTO;
	}
	if (!(seen & (1u << OOM_A_LATENCY_BUCKET_LOW_US)) ||
	    !(seen & (1u << OOM_A_LATENCY_BUCKET_COUNT))) {
		say(why, whylen, "latency bucket %d without %s", i,
		    seen & (1u << OOM_A_LATENCY_BUCKET_LOW_US) ? "count" : "low-us");
		return -EPROTO;
	}
	*open = !(seen & (1u << OOM_A_LATENCY_BUCKET_HIGH_US));
	if (*open)
		b->high_us = UINT64_MAX;
	if (b->low_us != (i ? 1ULL << i : 0) ||
	    (!*open && b->high_us != 2ULL << i)) {
		say(why, whylen, "latency bucket %d is [%llu, %llu), not [%llu, %llu)", i,
		    (unsigned long long)b->low_us, (unsigned long long)b->high_us,
		    i ? 1ULL << i : 0ULL, 2ULL << i);
		return -EPROTO;
	}
	return 0;
}

int oomnl_stats_get(struct oomnl *c, struct oom_stats *st,
		    struct oomnl_reply *r, char *why, size_t whylen)
{
	unsigned int seen = 0, want = 0;
	bool open = false, fopen = false;
	struct nlattr *a;
	int err, rem, t;

	memset(st, 0, sizeof(*st));
	err = do_request(c, oomnl_msg(c, OOM_CMD_STATS_GET), r, why, whylen);
	if (err)
		return err;
	if (r->nreplies != 1 || r->cmd != OOM_CMD_STATS_GET ||
	    r->version != OOM_FAMILY_VERSION) {
		say(why, whylen, "%d replies, cmd %u version %u", r->nreplies, r->cmd, r->version);
		return -EPROTO;
	}
	for (t = OOM_A_STATS_VICTIMS; t <= OOM_A_STATS_EVENTS_DROPPED; t++)
		want |= 1u << t;
	for (t = OOM_A_STATS_FREED_EXIT; t <= OOM_A_STATS_FREED_MRELEASE; t++)
		want |= 1u << t;
	nla_for_each_attr(a, (struct nlattr *)r->attrs, r->attrlen, rem) {
		t = nla_type(a);
		if (t < OOM_A_STATS_VICTIMS || t > OOM_A_STATS_MAX) {
			say(why, whylen, "unexpected attribute %d in a stats reply", t);
			return -EPROTO;
		}
		if (t == OOM_A_STATS_LATENCY_BUCKET) {
			if (open) {
				say(why, whylen, "latency bucket %d after the open bucket %d",
				    st->nbuckets, st->nbuckets - 1);
				return -EPROTO;
			}
			err = parse_bucket(a, st->nbuckets, &st->bucket[st->nbuckets],
					   &open, why, whylen);
			if (err)
				return err;
			st->nbuckets++;
			continue;
		}
		if (t == OOM_A_STATS_FREED_LATENCY_BUCKET) {
			if (fopen) {
				say(why, whylen, "freed latency bucket %d after the open bucket %d",
				    st->nfbuckets, st->nfbuckets - 1);
				return -EPROTO;
			}
			err = parse_bucket(a, st->nfbuckets, &st->fbucket[st->nfbuckets],
					   &fopen, why, whylen);
			if (err)
				return err;
			st->nfbuckets++;
			continue;
		}
		if (!oomnl_uint_len_ok(nla_len(a))) {
			say(why, whylen, "stats attribute %d has %d bytes, not a uint (4 or 8)",
			    t, nla_len(a));
			return -EPROTO;
		}
		if (seen & (1u << t)) {
			say(why, whylen, "stats attribute %d twice", t);
			return -EPROTO;
		}
		seen |= 1u << t;
		st->c[t] = oomnl_get_uint(a);
	}
	if (rem || seen != want || !st->nbuckets || !open || !st->nfbuckets || !fopen) {
		say(why, whylen, "stats reply: %d bytes left over, counters mask %#x of %#x, %d latency buckets, the last one %s, %d freed latency buckets, the last one %s",
		    rem, seen, want, st->nbuckets, open ? "open" : "closed (it must be open)",
		    st->nfbuckets, fopen ? "open" : "closed (it must be open)");
		return -EPROTO;
	}
	return 0;
}

/* ---- notifications ---------------------------------------------------- */

int oomnl_join(struct oomnl *c, const char *group)
{
	int id = !strcmp(group, OOM_MCGRP_CONFIG) ? c->grp_config :
		 !strcmp(group, OOM_MCGRP_EVENTS) ? c->grp_events : 0;

	if (!id)
		return -ENOENT;
	if (setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &id, sizeof(id)))
		return -errno;
	return 0;
}

void oomnl_big_rcvbuf(struct oomnl *c, int bytes)
{
	int fd = nl_socket_get_fd(c->sk);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

enum { SZ_U32 = 1, SZ_S32, SZ_UINT, SZ_STR };

struct ntf_spec {
	const char *name;
	int maxattr;
	const unsigned char *size;	/* by attribute type */
	unsigned int required;		/* mask of attribute types */
	unsigned int optional;		/* may be there, see ntf_check() */
};

#define B(x) (1u << (x))

static const unsigned char policy_ntf_sizes[OOM_A_POLICY_NTF_MAX + 1] = {
	[OOM_A_POLICY_NTF_SEQ] = SZ_UINT,
	[OOM_A_POLICY_NTF_TIMESTAMP_NS] = SZ_UINT,
	[OOM_A_POLICY_NTF_REAP_DELAY_MS] = SZ_U32,
	[OOM_A_POLICY_NTF_FROZEN_BYPASS] = SZ_U32,
	[OOM_A_POLICY_NTF_REAP_ORDER] = SZ_U32,
	[OOM_A_POLICY_NTF_CHANGED_VIA] = SZ_U32,
};

static const unsigned char event_sizes[OOM_A_EVENT_MAX + 1] = {
	[OOM_A_EVENT_SEQ] = SZ_UINT,
	[OOM_A_EVENT_TIMESTAMP_NS] = SZ_UINT,
	[OOM_A_EVENT_PID] = SZ_U32,
	[OOM_A_EVENT_TGID] = SZ_U32,
	[OOM_A_EVENT_COMM] = SZ_STR,
	[OOM_A_EVENT_UID] = SZ_U32,
	[OOM_A_EVENT_MEMCG_ID] = SZ_UINT,
	[OOM_A_EVENT_OOM_SCORE_ADJ] = SZ_S32,
	[OOM_A_EVENT_ANON_RSS_KB] = SZ_UINT,
	[OOM_A_EVENT_FILE_RSS_KB] = SZ_UINT,
	[OOM_A_EVENT_SHMEM_RSS_KB] = SZ_UINT,
	[OOM_A_EVENT_FROZEN] = SZ_U32,
	[OOM_A_EVENT_DELAY_MS] = SZ_U32,
	[OOM_A_EVENT_REASON] = SZ_U32,
	[OOM_A_EVENT_SOURCE] = SZ_U32,
	[OOM_A_EVENT_REAP_ORDER] = SZ_U32,
	[OOM_A_EVENT_RESULT] = SZ_U32,
	[OOM_A_EVENT_ATTEMPTS] = SZ_U32,
	[OOM_A_EVENT_DURATION_US] = SZ_UINT,
	[OOM_A_EVENT_KILL_TO_FREED_US] = SZ_UINT,
	[OOM_A_EVENT_FREED_KB] = SZ_UINT,
	[OOM_A_EVENT_FREED_BY] = SZ_U32,
	[OOM_A_EVENT_FREED_EXIT_KB] = SZ_UINT,
	[OOM_A_EVENT_FREED_OOM_REAPER_KB] = SZ_UINT,
	[OOM_A_EVENT_FREED_MRELEASE_KB] = SZ_UINT,
};

#define EV_COMMON (B(OOM_A_EVENT_SEQ) | B(OOM_A_EVENT_TIMESTAMP_NS) | B(OOM_A_EVENT_PID))
#define EV_RSS (B(OOM_A_EVENT_ANON_RSS_KB) | B(OOM_A_EVENT_FILE_RSS_KB) | \
		B(OOM_A_EVENT_SHMEM_RSS_KB))

static const struct ntf_spec ntf_specs[OOM_CMD_MAX + 1] = {
	/* Its own set: what changed and how, never who */
	[OOM_CMD_POLICY_NTF] = {
		"policy-ntf", OOM_A_POLICY_NTF_MAX, policy_ntf_sizes,
		B(OOM_A_POLICY_NTF_SEQ) | B(OOM_A_POLICY_NTF_TIMESTAMP_NS) |
		B(OOM_A_POLICY_NTF_REAP_DELAY_MS) |
		B(OOM_A_POLICY_NTF_FROZEN_BYPASS) |
		B(OOM_A_POLICY_NTF_REAP_ORDER) | B(OOM_A_POLICY_NTF_CHANGED_VIA),
	},
	[OOM_CMD_VICTIM_NTF] = {
		"victim-ntf", OOM_A_EVENT_MAX, event_sizes,
		EV_COMMON | EV_RSS | B(OOM_A_EVENT_TGID) | B(OOM_A_EVENT_COMM) |
		B(OOM_A_EVENT_UID) | B(OOM_A_EVENT_MEMCG_ID) |
		B(OOM_A_EVENT_OOM_SCORE_ADJ),
	},
	[OOM_CMD_REAP_QUEUED_NTF] = {
		"reap-queued-ntf", OOM_A_EVENT_MAX, event_sizes,
		EV_COMMON | B(OOM_A_EVENT_DELAY_MS) | B(OOM_A_EVENT_REASON) |
		B(OOM_A_EVENT_FROZEN),
	},
	/*
	 * reap-order only when a walk was made (not for exited-first),
	 * attempts only when one was made (not when the delay timer found
	 * the victim gone).
	 */
	[OOM_CMD_REAP_DONE_NTF] = {
		"reap-done-ntf", OOM_A_EVENT_MAX, event_sizes,
		EV_COMMON | EV_RSS | B(OOM_A_EVENT_SOURCE) |
		B(OOM_A_EVENT_RESULT) | B(OOM_A_EVENT_DURATION_US),
		B(OOM_A_EVENT_REAP_ORDER) | B(OOM_A_EVENT_ATTEMPTS),
	},
	/* Who it was, as recorded at the kill, and how the memory went */
	[OOM_CMD_VICTIM_FREED_NTF] = {
		"victim-freed-ntf", OOM_A_EVENT_MAX, event_sizes,
		EV_COMMON | B(OOM_A_EVENT_TGID) | B(OOM_A_EVENT_COMM) |
		B(OOM_A_EVENT_MEMCG_ID) | B(OOM_A_EVENT_KILL_TO_FREED_US) |
		B(OOM_A_EVENT_FREED_KB) | B(OOM_A_EVENT_FREED_BY) |
		B(OOM_A_EVENT_FREED_EXIT_KB) | B(OOM_A_EVENT_FREED_OOM_REAPER_KB) |
		B(OOM_A_EVENT_FREED_MRELEASE_KB),
	},
};

const char *oomnl_cmd_name(int cmd)
{
	static const char *const names[] = {
		[OOM_CMD_POLICY_GET] = "policy-get",
		[OOM_CMD_POLICY_SET] = "policy-set",
		[OOM_CMD_STATS_GET] = "stats-get",
		[OOM_CMD_POLICY_NTF] = "policy-ntf",
		[OOM_CMD_VICTIM_NTF] = "victim-ntf",
		[OOM_CMD_REAP_QUEUED_NTF] = "reap-queued-ntf",
		[OOM_CMD_REAP_DONE_NTF] = "reap-done-ntf",
		[OOM_CMD_VICTIM_FREED_NTF] = "victim-freed-ntf",
	};

	return cmd > 0 && cmd <= OOM_CMD_MAX && names[cmd] ? names[cmd] : "?";
}

/* Largest value the spec allows for an enum/bounded attribute, or 0. */
static uint64_t attr_max(int cmd, int t)
{
	if (cmd == OOM_CMD_POLICY_NTF) {
		switch (t) {
		case OOM_A_POLICY_NTF_REAP_DELAY_MS: return OOM_REAP_DELAY_MAX_MS;
		case OOM_A_POLICY_NTF_FROZEN_BYPASS: return 1;
		case OOM_A_POLICY_NTF_REAP_ORDER: return OOM_REAP_ORDER_REVERSE;
		case OOM_A_POLICY_NTF_CHANGED_VIA: return OOM_CHANGED_VIA_SYSCTL;
		}
		return 0;
	}
	switch (t) {
	case OOM_A_EVENT_FROZEN: return 1;
	case OOM_A_EVENT_DELAY_MS: return OOM_REAP_DELAY_MAX_MS;
	case OOM_A_EVENT_REASON: return OOM_REAP_REASON_FROZEN_BYPASS;
	case OOM_A_EVENT_SOURCE: return OOM_REAP_SOURCE_PROCESS_MRELEASE;
	case OOM_A_EVENT_REAP_ORDER: return OOM_REAP_ORDER_REVERSE;
	case OOM_A_EVENT_RESULT: return OOM_REAP_RESULT_GAVE_UP;
	case OOM_A_EVENT_FREED_BY: return OOM_FREED_BY_PROCESS_MRELEASE;
	}
	return 0;
}

/* A deviation from the spec: remember the first, keep parsing. */
#define BAD(...) do { \
	if (!n->nbad++) \
		snprintf(n->bad, sizeof(n->bad), __VA_ARGS__); \
} while (0)

static int parse_ntf(const struct oomnl *c, struct nlmsghdr *nlh,
		     struct oom_ntf *n, char *why, size_t whylen)
{
	const struct ntf_spec *sp;
	struct genlmsghdr *g;
	unsigned int seen = 0;
	struct nlattr *a;
	int rem, t;

	memset(n, 0, sizeof(*n));
	if (nlh->nlmsg_type != c->family) {
		say(why, whylen, "message of type %u on the notification socket",
		    nlh->nlmsg_type);
		return -EPROTO;
	}
	if (nlh->nlmsg_seq || nlh->nlmsg_pid) {
		say(why, whylen, "notification with nlmsg_seq %u nlmsg_pid %u (expected 0/0)",
		    nlh->nlmsg_seq, nlh->nlmsg_pid);
		return -EPROTO;
	}
	if (nlmsg_datalen(nlh) < (int)GENL_HDRLEN) {
		say(why, whylen, "notification without a genl header");
		return -EPROTO;
	}
	g = nlmsg_data(nlh);
	n->cmd = g->cmd;
	if (g->cmd > OOM_CMD_MAX || !ntf_specs[g->cmd].name) {
		say(why, whylen, "notification with cmd %u", g->cmd);
		return -EPROTO;
	}
	if (g->version != OOM_FAMILY_VERSION) {
		say(why, whylen, "notification with version %u", g->version);
		return -EPROTO;
	}
	sp = &ntf_specs[g->cmd];
	nla_for_each_attr(a, (struct nlattr *)((char *)g + GENL_HDRLEN),
			  nlmsg_datalen(nlh) - GENL_HDRLEN, rem) {
		int len = nla_len(a);
		uint64_t max;

		t = nla_type(a);
		if (t > sp->maxattr || !((sp->required | sp->optional) & B(t))) {
			BAD("%s: attribute %d is not in the spec's list for it", sp->name, t);
			continue;
		}
		if (seen & B(t)) {
			BAD("%s: attribute %d twice", sp->name, t);
			continue;
		}
		seen |= B(t);
		switch (sp->size[t]) {
		case SZ_U32:
		case SZ_S32:
			if (len != 4)
				goto badlen;
			n->v[t] = sp->size[t] == SZ_S32 ?
				(uint64_t)(int64_t)(int32_t)nla_get_u32(a) :
				nla_get_u32(a);
			break;
		case SZ_UINT:
			if (!oomnl_uint_len_ok(len))
				goto badlen;
			n->v[t] = oomnl_get_uint(a);
			if (len == 8)
				n->uint8 |= B(t);
			/* nla_put_uint(): 8 bytes only for what needs them */
			if (len == 8 && n->v[t] <= UINT32_MAX)
				BAD("%s: uint attribute %d = %llu in 8 bytes (fits in 4)",
				    sp->name, t, (unsigned long long)n->v[t]);
			break;
		case SZ_STR:
			if (len < 1 || len > 16 || ((char *)nla_data(a))[len - 1]) {
				BAD("%s: string attribute %d of %d bytes, not NUL-terminated within 16",
				    sp->name, t, len);
				continue;
			}
			memcpy(n->comm, nla_data(a), len);
			break;
		}
		max = attr_max(g->cmd, t);
		if (max && n->v[t] > max) {
			BAD("%s: attribute %d = %llu, above the spec's %llu",
			    sp->name, t, (unsigned long long)n->v[t],
			    (unsigned long long)max);
		}
		continue;
badlen:
		seen &= ~B(t);
		BAD("%s: attribute %d has %d bytes%s", sp->name, t, len,
		    sp->size[t] == SZ_UINT ? " (a uint has 4 or 8)" : "");
	}
	if (rem)
		BAD("%s: %d bytes after the last attribute", sp->name, rem);
	if ((seen & sp->required) != sp->required)
		BAD("%s: attributes missing (have %#x, need %#x)",
		    sp->name, seen, sp->required);
	if (g->cmd == OOM_CMD_REAP_DONE_NTF &&
	    !(seen & B(OOM_A_EVENT_REAP_ORDER)) !=
	    (n->v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_EXITED_FIRST))
		BAD("%s: reap-order %s with result %llu", sp->name,
		    seen & B(OOM_A_EVENT_REAP_ORDER) ? "present" : "absent",
		    (unsigned long long)n->v[OOM_A_EVENT_RESULT]);
	/* freed-kb is the sum of its parts, freed-by the largest of them */
	if (g->cmd == OOM_CMD_VICTIM_FREED_NTF) {
		uint64_t part[3] = {
			[OOM_FREED_BY_EXIT] = n->v[OOM_A_EVENT_FREED_EXIT_KB],
			[OOM_FREED_BY_OOM_REAPER] = n->v[OOM_A_EVENT_FREED_OOM_REAPER_KB],
			[OOM_FREED_BY_PROCESS_MRELEASE] = n->v[OOM_A_EVENT_FREED_MRELEASE_KB],
		};
		uint64_t by = n->v[OOM_A_EVENT_FREED_BY];

		if (part[0] + part[1] + part[2] != n->v[OOM_A_EVENT_FREED_KB])
			BAD("%s: freed-kb %llu is not the sum of its parts %llu+%llu+%llu",
			    sp->name, (unsigned long long)n->v[OOM_A_EVENT_FREED_KB],
			    (unsigned long long)part[0], (unsigned long long)part[1],
			    (unsigned long long)part[2]);
		else if (by <= OOM_FREED_BY_PROCESS_MRELEASE &&
			 (part[by] < part[0] || part[by] < part[1] || part[by] < part[2]))
			BAD("%s: freed-by %llu is not the largest part %llu+%llu+%llu",
			    sp->name, (unsigned long long)by, (unsigned long long)part[0],
			    (unsigned long long)part[1], (unsigned long long)part[2]);
	}
	n->present = seen;
	return 0;
}

int oomnl_ntf_next(struct oomnl *c, struct oom_ntf *n, int timeout_ms,
		   char *why, size_t whylen)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		int n_bytes;

		if (c->rbuf && c->roff < c->rlen) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)(c->rbuf + c->roff);
			int left = c->rlen - c->roff;

			if (nlmsg_ok(nlh, left)) {
				c->roff += NLMSG_ALIGN(nlh->nlmsg_len);
				return parse_ntf(c, nlh, n, why, whylen);
			}
			say(why, whylen, "%d bytes of garbage after a notification", left);
			c->roff = c->rlen;
			return -EPROTO;
		}
		free(c->rbuf);
		c->rbuf = NULL;
		c->rlen = c->roff = 0;
		n_bytes = recv_one(c, &c->rbuf, deadline - now_ms());
		if (n_bytes == -ETIMEDOUT) {
			say(why, whylen, "no notification within %d ms", timeout_ms);
			return n_bytes;
		}
		if (n_bytes < 0) {
			say(why, whylen, "receiving: %s", strerror(-n_bytes));
			return n_bytes;
		}
		c->rlen = n_bytes;
	}
}

/* ---- sysctls and environment ----------------------------------------- */

int oomnl_sysctl_policy(struct oom_pol *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = sysctl_read_uint(OOM_REAP_DELAY_MS, &p->delay_ms);
	if (!err)
		err = sysctl_read_uint(OOM_REAP_FROZEN_BYPASS, &p->frozen_bypass);
	if (!err)
		err = sysctl_read_uint(OOM_REAP_ORDER, &p->order);
	return -err;
}

int oomnl_family_state(char *why, size_t whylen)
{
	struct oomnl c;
	int err = oomnl_open(&c);

	if (!err) {
		oomnl_close(&c);
		return 1;
	}
	if (err == -ENOENT && access(OOM_REAP_DELAY_MS, F_OK)) {
		say(why, whylen, "no \"oom\" generic netlink family and no %s: not an oomctl kernel",
		    OOM_REAP_DELAY_MS);
		return -1;
	}
	say(why, whylen, "looking up the \"oom\" family: %s (the policy sysctls exist: CONFIG_OOM_NETLINK off?)",
	    strerror(-err));
	return 0;
}
