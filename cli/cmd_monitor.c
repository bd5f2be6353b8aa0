// SPDX-License-Identifier: GPL-2.0
/*
 * oomctl monitor: one line (or JSON object) per OOM event, from the oom
 * family's multicast groups, or from tracefs on kernels without it.
 * Lost events are told as such: a gap in the sequence numbers, a socket
 * overrun (ENOBUFS) or a trace buffer overrun becomes a "lost" record.
 * Each multicast group numbers its notifications on its own, so the
 * sequence is followed per group.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <libmnl/libmnl.h>

#include "oomctl.h"
#include "output.h"
#include "parse.h"
#include "tracefs.h"

#define RCVBUF (4 << 20)	/* room for a burst of kills; $OOMCTL_RCVBUF */

/* The sequence of one multicast group, as far as we have followed it */
struct seq_track {
	bool have;
	uint64_t next;
};

enum { GRP_CONFIG, GRP_EVENTS, NGRPS };

struct mon {
	const struct opts *o;
	uint64_t printed;	/* events, not lost records */
	bool done;
	/* netlink: an ENOBUFS not yet accounted for by a gap */
	bool overrun;
	struct seq_track seq[NGRPS];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int print_lost(struct mon *m, uint64_t count, bool known, enum lost_reason why,
		      const char *origin)
{
	struct event ev;

	event_init(&ev, EV_LOST, origin);
	if (known)
		event_set(&ev, F_COUNT, count);
	event_set(&ev, F_LOST_REASON, why);
	return event_print(&ev, m->o->timestamp);
}

/* Every event of either source goes through here: 0, 1 when --count is
 * reached, or -errno */
static int on_event(struct event *ev, void *data)
{
	struct mon *m = data;
	const struct opts *o = m->o;

	if (ev->has_seq) {
		struct seq_track *t = &m->seq[ev->type == EV_POLICY ? GRP_CONFIG : GRP_EVENTS];

		/* A gap after an overrun is what the overrun cost */
		if (t->have && ev->seq > t->next) {
			if (print_lost(m, ev->seq - t->next, true,
				       m->overrun ? LOST_OVERRUN : LOST_SEQ_GAP, ev->origin))
				return -EIO;
			m->overrun = false;
		}
		/*
		 * The kernel sends each group in seq order, so a smaller seq
		 * than expected is no loss (older kernels of the series
		 * could reorder): never move the expectation backwards.
		 */
		if (!t->have || ev->seq >= t->next)
			t->next = ev->seq + 1;
		t->have = true;
	}
	if (!(event_class(ev->type) & o->events))
		return 0;
	if (event_print(ev, o->timestamp))
		return -EIO;
	if (ev->type != EV_LOST)
		m->printed++;
	if (o->has_count && m->printed >= o->count) {
		m->done = true;
		return 1;	/* stop reading */
	}
	return 0;
}

static int nl_read(struct mon *m, struct oom *s)
{
	const struct nlmsghdr *nlh;
	struct event ev;
	struct nl_err e;
	size_t left;
	ssize_t n;
	int ret;

	n = recv(nl_fd(&s->nl), s->nl.buf, s->nl.buflen, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno != ENOBUFS)
			return -errno;
		/*
		 * The kernel dropped what did not fit: the next seq of the
		 * group it belonged to says how much.  Until we have followed
		 * a sequence, nothing can say: tell it now.
		 */
		if (!m->seq[GRP_CONFIG].have && !m->seq[GRP_EVENTS].have)
			return print_lost(m, 0, false, LOST_OVERRUN, "netlink") ? -EIO : 0;
		m->overrun = true;
		return 0;
	}
	left = (size_t)n;
	for (nlh = (void *)s->nl.buf; nl_msg_ok(nlh, left) && !m->done;
	     nlh = nl_msg_next(nlh, &left)) {
		if (nlh->nlmsg_type != s->fi.id)
			continue;
		nl_err_clear(&e);
		ret = oom_parse_event(nlh, &ev, &e);
		if (ret < 0)
			msg("monitor: malformed notification skipped: %s", e.msg);
		if (ret)
			continue;
		ret = on_event(&ev, m);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Join the groups the classes need; 0 or an exit code (message printed) */
static int nl_join_groups(struct mon *m, struct oom *s)
{
	uint32_t config = genl_group(&s->fi, OOM_MCGRP_CONFIG);
	uint32_t events = genl_group(&s->fi, OOM_MCGRP_EVENTS);
	bool need_events = m->o->events & (EVC_VICTIM | EVC_REAP);
	const char *env = getenv("OOMCTL_RCVBUF");
	uint64_t size = RCVBUF;
	int ret, bytes;

	if (!config || (need_events && !events)) {
		msg("monitor: the oom family has no \"%s\" group", config ? "events" : "config");
		return EXIT_FAIL;
	}
	ret = m->o->events & EVC_POLICY ? nl_join(&s->nl, config) : 0;
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
	bytes = (int)size;
	if (setsockopt(nl_fd(&s->nl), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(nl_fd(&s->nl), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	return 0;
}

static int tracefs_start(struct mon *m, struct tracefs *t, bool asked)
{
	char why[256];
	int ret = tracefs_open(t, m->o->events, why, sizeof(why));
	struct utsname u;

	if (ret == 0)
		return 0;
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

/*
 * SIGINT and SIGTERM as a file descriptor to poll, blocked from the start
 * so that nothing (a tracefs instance) is left behind by an early signal.
 */
static int signals_fd(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed reader is a write error */
	return signalfd(-1, &mask, SFD_CLOEXEC);
}

/* Open the source: 0, or an exit code (message printed) */
static int start(struct mon *m, struct oom *s, struct tracefs *t)
{
	int ret;

	if (!m->o->tracefs) {
		ret = oom_connect(s, "monitor");
		if (ret && ret != -ENOENT)
			return EXIT_FAIL;
		if (ret == 0) {
			ret = nl_join_groups(m, s);
			if (ret)
				oom_disconnect(s);
			return ret;
		}
	}
	return tracefs_start(m, t, m->o->tracefs);
}

int cmd_monitor(struct opts *o, int argc, char **argv)
{
	struct mon m = { .o = o };
	struct tracefs t = { .fd = -1 };
	struct oom s = { .fi = { .id = 0 } };
	struct pollfd pfd[2];
	uint64_t deadline = 0;
	bool signalled = false;
	int ret, sfd;
	char list[32];

	(void)argc, (void)argv;	/* none: cmdline.c checked */
	if (!o->events)
		o->events = EVC_ALL;
	sfd = signals_fd();
	ret = start(&m, &s, &t);
	if (ret) {
		if (sfd >= 0)
			close(sfd);
		return ret;
	}

	if (!o->json && !o->no_header) {
		out_text("monitoring OOM events (%s) via %s; Ctrl-C stops\n",
			 event_class_list(o->events, list, sizeof(list)),
			 s.nl.sk ? "netlink" : o->tracefs ? "tracefs" :
			 "tracefs (no oom netlink family in this kernel)");
		out_end();
	}
	if (o->has_timeout)
		deadline = now_ms() + o->timeout_ms;
	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = s.nl.sk ? nl_fd(&s.nl) : t.fd, .events = POLLIN };
	while (!m.done && !ret) {
		int wait = -1;

		if (o->has_timeout) {
			uint64_t now = now_ms();

			if (now >= deadline)
				break;
			wait = deadline - now > 60000 ? 60000 : (int)(deadline - now);
		}
		/*
		 * poll() on trace_pipe may wait for a fill level of the ring
		 * buffer rather than the first event: read it at least every
		 * 200 ms, so that events come out at once anyway.
		 */
		if (!s.nl.sk && (wait < 0 || wait > 200))
			wait = 200;
		if (poll(pfd, 2, wait) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			/* Consumed, so it cannot kill us on the way out */
			signalled = read(sfd, &si, sizeof(si)) == sizeof(si);
			break;
		}
		if (s.nl.sk) {
			if (pfd[1].revents & (POLLIN | POLLERR))
				ret = nl_read(&m, &s);
		} else {
			ret = tracefs_read(&t, on_event, &m);
			if (ret == 0)
				break;	/* a regular file ended */
			ret = ret > 0 ? 0 : ret;	/* 1: more to come, or done */
		}
	}
	if (s.nl.sk)
		oom_disconnect(&s);
	else
		tracefs_close(&t);
	if (m.overrun && !ret && print_lost(&m, 0, false, LOST_OVERRUN, "netlink"))
		ret = -EIO;	/* overrun, and no event after it to count the loss */
	if (sfd >= 0)
		close(sfd);

	if (ret == -EIO || ferror(stdout))
		return EXIT_FAIL;	/* nobody reads us any more */
	if (ret) {
		msg("monitor: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	if (o->has_count && !m.done && !signalled) {
		msg("monitor: %llu of %llu events before the end",
		    (unsigned long long)m.printed, (unsigned long long)o->count);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
