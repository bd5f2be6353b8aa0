// SPDX-License-Identifier: GPL-2.0
/*
 * The two sources of `oomctl monitor` behind one interface (monitor_src.h):
 * the oom family's multicast groups, and the oom trace events of a stock
 * kernel, read through tracefs.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <libmnl/libmnl.h>

#include "monitor_src.h"
#include "oomctl.h"
#include "parse.h"
#include "tracefs.h"

#define RCVBUF (4 << 20)	/* room for a burst of kills; $OOMCTL_RCVBUF */

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

struct nl_source {
	struct mon_source src;
	struct oom s;
	uint32_t config, events;	/* the group ids */
	bool told_unknown;
};

static int nl_source_read(struct mon_source *src, mon_event_cb cb, void *data)
{
	struct nl_source *n = container_of(src, struct nl_source, src);
	const struct nlmsghdr *nlh;
	struct event ev;
	struct nl_err e;
	ssize_t len = nl_recv_ntf(&n->s.nl);
	size_t left;
	int ret;

	if (len == -ENOBUFS) {
		/* The kernel dropped what did not fit: the monitor counts it */
		event_init(&ev, EV_LOST, src->name);
		event_set(&ev, F_LOST_REASON, LOST_OVERRUN);
		return cb(&ev, data) ?: 1;
	}
	if (len < 0)
		return (int)len;
	left = (size_t)len;
	for (nlh = (void *)n->s.nl.buf; nl_msg_ok(nlh, left); nlh = nl_msg_next(nlh, &left)) {
		if (nlh->nlmsg_type != n->s.fi.id)
			continue;
		nl_err_clear(&e);
		ret = oom_parse_event(nlh, &ev, &e);
		if (ret < 0)
			msg("monitor: malformed notification skipped: %s", e.msg);
		if (ret < 0 || (ret && !ev.has_seq))
			continue;
		if (ret && !n->told_unknown) {
			const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

			/* A newer kernel's: its seq counts, it is not lost */
			msg("monitor: notifications of command %u, which this oomctl does not know, "
			    "are skipped", g->cmd);
			n->told_unknown = true;
		}
		ev.group = n->s.nl.group == n->config ? EVG_CONFIG :
			   n->s.nl.group == n->events ? EVG_EVENTS : EVG_BY_TYPE;
		ret = cb(&ev, data);
		if (ret)
			return ret;
	}
	return 1;
}

static void nl_source_close(struct mon_source *src)
{
	struct nl_source *n = container_of(src, struct nl_source, src);

	oom_disconnect(&n->s);
	free(n);
}

/* Join the groups the classes need; 0 or an exit code (message printed) */
static int join_groups(struct oom *s, unsigned int classes)
{
	uint32_t config = genl_group(&s->fi, OOM_MCGRP_CONFIG);
	uint32_t events = genl_group(&s->fi, OOM_MCGRP_EVENTS);
	bool need_events = classes & (EVC_VICTIM | EVC_REAP | EVC_FREED);
	const char *env = getenv("OOMCTL_RCVBUF");
	uint64_t size = RCVBUF;
	int ret;

	if (!config || (need_events && !events)) {
		msg("monitor: the oom family has no \"%s\" group", config ? "events" : "config");
		return EXIT_FAIL;
	}
	ret = classes & EVC_POLICY ? nl_join(&s->nl, config) : 0;
	if (!ret && need_events) {
		ret = nl_join(&s->nl, events);
		if (ret == -EPERM || ret == -EACCES) {
			msg("monitor: joining the \"events\" group needs CAP_SYS_ADMIN "
			    "(--events policy works without)");
			return EXIT_PERM;
		}
	}
	if (ret == -ENOENT) {
		/* The family is not netnsok: its groups are the initial
		 * network namespace's only */
		msg("monitor: the oom groups can only be joined from the initial network namespace");
		return EXIT_FAIL;
	}
	if (ret) {
		msg("monitor: cannot join the oom groups: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	if (env && (parse_u64(env, &size) || size > INT32_MAX)) {
		msg("monitor: OOMCTL_RCVBUF=%s is not a size in bytes", env);
		return EXIT_USAGE;
	}
	nl_set_rcvbuf(&s->nl, (int)size);
	return 0;
}

int mon_netlink_open(struct mon_source **src, unsigned int classes)
{
	struct nl_source *n = calloc(1, sizeof(*n));
	int ret;

	if (!n) {
		msg("monitor: %s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	ret = oom_connect(&n->s, "monitor");
	if (ret) {
		free(n);
		return ret == -ENOENT ? ret : EXIT_FAIL;
	}
	ret = join_groups(&n->s, classes);
	if (ret) {
		nl_source_close(&n->src);
		return ret;
	}
	n->config = genl_group(&n->s.fi, OOM_MCGRP_CONFIG);
	n->events = genl_group(&n->s.fi, OOM_MCGRP_EVENTS);
	n->src = (struct mon_source){
		.name = "netlink",
		.fd = nl_fd(&n->s.nl),
		.max_wait_ms = -1,
		.read = nl_source_read,
		.close = nl_source_close,
	};
	*src = &n->src;
	return 0;
}

struct trace_source {
	struct mon_source src;
	struct tracefs t;
};

static int trace_source_read(struct mon_source *src, mon_event_cb cb, void *data)
{
	return tracefs_read(&container_of(src, struct trace_source, src)->t, cb, data);
}

static void trace_source_close(struct mon_source *src)
{
	struct trace_source *t = container_of(src, struct trace_source, src);

	tracefs_close(&t->t);
	free(t);
}

int mon_tracefs_open(struct mon_source **src, unsigned int classes, bool asked)
{
	struct trace_source *t = calloc(1, sizeof(*t));
	char why[256];
	struct utsname u;
	int ret;

	if (!t) {
		msg("monitor: %s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	t->t.fd = -1;
	ret = tracefs_open(&t->t, classes, why, sizeof(why));
	if (ret == 0) {
		if (t->t.no_freed)
			msg("monitor: this kernel has no oom:victim_freed trace event: "
			    "freed events do not exist here; the other classes are monitored");
		t->src = (struct mon_source){
			.name = "tracefs",
			.fd = t->t.fd,
			/*
			 * poll() on trace_pipe may wait for a fill level of the
			 * ring buffer rather than the first event: read it at
			 * least every 200 ms, so that events come out at once
			 * anyway.
			 */
			.max_wait_ms = 200,
			.read = trace_source_read,
			.close = trace_source_close,
		};
		*src = &t->src;
		return 0;
	}
	free(t);
	uname(&u);
	if (asked)
		msg("monitor: cannot read the oom trace events: %s", why);
	else
		msg("monitor: the running kernel (Linux %s) has no \"%s\" generic netlink "
		    "family, and the oom trace events cannot be read either: %s",
		    u.release, OOM_FAMILY_NAME, why);
	if (ret == -EACCES || ret == -EPERM) {
		msg("monitor: reading tracefs needs root");
		return EXIT_PERM;
	}
	return asked ? EXIT_FAIL : EXIT_NOFAMILY;
}
