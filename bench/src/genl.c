// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal generic netlink client for the "oom" family on a raw socket:
 * family and multicast group lookup, policy-get, stats-get, group join.
 * It exists to time the kernel side without any library in the way and to
 * listen to the event groups (tool_nlmon) when oomctl is not there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/oom_netlink.h>

#include "bench.h"

#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_LEN(a)	((a)->nla_len - NLA_HDRLEN)
#define NLA_NEXT(a)	((struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
#define NLA_OK(a, rem)	((rem) >= (int)sizeof(struct nlattr) && \
			 (a)->nla_len >= sizeof(struct nlattr) && \
			 (a)->nla_len <= (rem))

struct req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[256];
};

static void put_attr(struct req *r, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(NLA_DATA(a), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/*
 * No NLM_F_ACK: a "do" request that succeeds is answered by exactly one
 * reply message (an ACK would cost a second message and a second recv);
 * an error still comes back as NLMSG_ERROR.
 */
static void init_req(struct genl *g, struct req *r, uint16_t type, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = type;
	r->n.nlmsg_flags = NLM_F_REQUEST;
	r->n.nlmsg_seq = ++g->seq;
	r->g.cmd = cmd;
	r->g.version = 1;
}

/*
 * Send @r and read until its reply (or error); @cb sees the reply.
 * Returns 0 or -errno (the kernel's error for the request).
 */
static int transact(struct genl *g, struct req *r,
		    void (*cb)(const struct nlmsghdr *n, void *arg), void *arg)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	uint32_t seq = r->n.nlmsg_seq;

	if (send(g->fd, r, r->n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(g->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *n;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, (size_t)len);
		     n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_seq != seq)
				continue;	/* a notification */
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);

				return e->error;
			}
			if (cb)
				cb(n, arg);
			if (!(n->nlmsg_flags & NLM_F_MULTI) ||
			    n->nlmsg_type == NLMSG_DONE)
				return 0;
		}
	}
}

struct nlattr *genl_attr_first(const struct nlmsghdr *n, int *rem)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);

	*rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return NLA_OK(a, *rem) ? a : NULL;
}

struct nlattr *genl_attr_next(const struct nlattr *a, int *rem)
{
	*rem -= NLA_ALIGN(a->nla_len);
	a = NLA_NEXT(a);
	return NLA_OK(a, *rem) ? (struct nlattr *)a : NULL;
}

static void family_cb(const struct nlmsghdr *n, void *arg)
{
	struct genl *g = arg;
	struct nlattr *a;
	int rem;

	genl_for_each_attr(a, n, rem) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			g->family = *(uint16_t *)NLA_DATA(a);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		struct nlattr *grp = NLA_DATA(a);
		int grem = NLA_LEN(a);

		for (; NLA_OK(grp, grem);
		     grem -= NLA_ALIGN(grp->nla_len), grp = NLA_NEXT(grp)) {
			struct nlattr *f = NLA_DATA(grp);
			int frem = NLA_LEN(grp);
			const char *name = NULL;
			uint32_t id = 0;

			for (; NLA_OK(f, frem);
			     frem -= NLA_ALIGN(f->nla_len), f = NLA_NEXT(f)) {
				if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					name = NLA_DATA(f);
				if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					id = *(uint32_t *)NLA_DATA(f);
			}
			if (name && !strcmp(name, OOM_MCGRP_CONFIG))
				g->grp_config = id;
			if (name && !strcmp(name, OOM_MCGRP_EVENTS))
				g->grp_events = id;
		}
	}
}

int genl_open(struct genl *g)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct req r;
	int err;

	memset(g, 0, sizeof(*g));
	g->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (g->fd < 0)
		return -errno;
	if (bind(g->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		goto fail;
	}
	init_req(g, &r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, OOM_FAMILY_NAME,
		 sizeof(OOM_FAMILY_NAME));
	err = transact(g, &r, family_cb, g);
	if (!err && !g->family)
		err = -ENOENT;
	if (!err)
		return 0;
fail:
	close(g->fd);
	g->fd = -1;
	return err;
}

void genl_close(struct genl *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

static void policy_cb(const struct nlmsghdr *n, void *arg)
{
	struct oom_pol *p = arg;
	struct nlattr *a;
	int rem;

	genl_for_each_attr(a, n, rem) {
		uint32_t v = *(uint32_t *)NLA_DATA(a);

		switch (a->nla_type) {
		case OOM_A_POLICY_REAP_DELAY_MS:
			p->delay_ms = v;
			p->have_delay = true;
			break;
		case OOM_A_POLICY_FROZEN_BYPASS:
			p->bypass = v;
			p->have_bypass = true;
			break;
		case OOM_A_POLICY_REAP_ORDER:
			p->order = v;
			p->have_order = true;
			break;
		}
	}
}

int genl_policy_get(struct genl *g, struct oom_pol *p)
{
	struct req r;
	int err;

	memset(p, 0, sizeof(*p));
	init_req(g, &r, g->family, OOM_CMD_POLICY_GET);
	err = transact(g, &r, policy_cb, p);
	if (!err && !(p->have_delay && p->have_bypass && p->have_order))
		err = -EBADMSG;
	return err;
}

int genl_attr_uint(const struct nlattr *a, uint64_t *v)
{
	uint32_t v32;

	switch (NLA_LEN(a)) {
	case 8:
		memcpy(v, NLA_DATA(a), 8);
		return 0;
	case 4:
		memcpy(&v32, NLA_DATA(a), 4);
		*v = v32;
		return 0;
	}
	return -EBADMSG;
}

struct stats_arg {
	uint64_t dropped, victims;
};

static void stats_cb(const struct nlmsghdr *n, void *arg)
{
	struct stats_arg *s = arg;
	struct nlattr *a;
	int rem;

	genl_for_each_attr(a, n, rem) {
		uint64_t v;

		/* counters are uints; the latency buckets are nests */
		if (a->nla_type == OOM_A_STATS_LATENCY_BUCKET || genl_attr_uint(a, &v))
			continue;
		if (a->nla_type == OOM_A_STATS_EVENTS_DROPPED)
			s->dropped = v;
		if (a->nla_type == OOM_A_STATS_VICTIMS)
			s->victims = v;
	}
}

int genl_stats_dropped(struct genl *g, uint64_t *dropped, uint64_t *victims)
{
	struct stats_arg s = { 0 };
	struct req r;
	int err;

	init_req(g, &r, g->family, OOM_CMD_STATS_GET);
	err = transact(g, &r, stats_cb, &s);
	*dropped = s.dropped;
	*victims = s.victims;
	return err;
}

int genl_join(struct genl *g, uint32_t group)
{
	if (setsockopt(g->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)))
		return -errno;
	return 0;
}
