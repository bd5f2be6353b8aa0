// SPDX-License-Identifier: GPL-2.0
/*
 * oomctl monitor: one line (or JSON object) per OOM event, from the oom
 * family's multicast groups, or from tracefs on kernels without it.
 * Lost events are told as such: a gap in the sequence numbers, a socket
 * overrun (ENOBUFS) or a trace buffer overrun becomes a "lost" record.
 * Each multicast group numbers its notifications on its own, so the
 * sequence is followed per group.  Every record carries the boot id, and
 * victims their user name and cgroup path (enrich.h); -o journal sends
 * them to the journal (journal.h), where a refused send is a loss too.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "enrich.h"
#include "journal.h"
#include "monitor_src.h"
#include "oomctl.h"
#include "output.h"

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
	/* -o journal: records it refused since it last took one, and why */
	uint64_t refused;
	int refused_err;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * -o journal: send ev.  What the journal refuses is lost, and told as such
 * (a lost record, reason journal) as soon as it takes records again, before
 * ev; until then only the first refusal is said, on stderr.  Always 0:
 * the monitor goes on, and says at the end what was never told.
 */
static int send_journal(struct mon *m, struct event *ev)
{
	int ret = 0;

	if (m->refused) {
		struct event lost;

		event_init(&lost, EV_LOST, ev->origin);
		event_set(&lost, F_COUNT, m->refused);
		event_set(&lost, F_LOST_REASON, LOST_JOURNAL);
		enrich_event(&lost);
		ret = journal_send(&lost);
		if (!ret) {
			msg("monitor: the journal takes records again; %llu were lost, "
			    "a lost record says so", (unsigned long long)m->refused);
			m->refused = 0;
		}
	}
	if (!ret)
		ret = journal_send(ev);
	if (!ret)
		return 0;
	if (!m->refused)
		msg("monitor: the journal refused a record: %s; counting the lost ones",
		    strerror(-ret));
	m->refused++;
	m->refused_err = -ret;
	return 0;
}

/* A record out, to stdout or the journal: 0, or -EIO */
static int emit(struct mon *m, struct event *ev)
{
	enrich_event(ev);
	if (m->o->format == FMT_JOURNAL)
		return send_journal(m, ev);
	return event_print(ev, m->o->timestamp) ? -EIO : 0;
}

static int print_lost(struct mon *m, uint64_t count, bool known, enum lost_reason why,
		      const char *origin)
{
	struct event ev;

	event_init(&ev, EV_LOST, origin);
	if (known)
		event_set(&ev, F_COUNT, count);
	event_set(&ev, F_LOST_REASON, why);
	return emit(m, &ev);
}

/* Every event of either source goes through here: 0, 1 when --count is
 * reached, or -errno */
static int on_event(struct event *ev, void *data)
{
	struct mon *m = data;
	const struct opts *o = m->o;

	if (ev->type == EV_LOST && ev->v[F_LOST_REASON] == LOST_OVERRUN &&
	    !(ev->have & (1ULL << F_COUNT))) {
		/*
		 * The kernel dropped what did not fit: the next seq of the
		 * group it belonged to says how much.  Until we have followed
		 * a sequence, nothing can say: tell it now.
		 */
		if (m->seq[GRP_CONFIG].have || m->seq[GRP_EVENTS].have) {
			m->overrun = true;
			return 0;
		}
	}
	if (ev->has_seq) {
		bool config = ev->group == EVG_BY_TYPE ? ev->type == EV_POLICY :
			      ev->group == EVG_CONFIG;
		struct seq_track *t = &m->seq[config ? GRP_CONFIG : GRP_EVENTS];

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
	/* A victim's user, for its freed event (which has no uid) */
	if (ev->type == EV_VICTIM)
		enrich_note_victim(ev);
	if (ev->unknown || !(event_class(ev->type) & o->events))
		return 0;
	if (emit(m, ev))
		return -EIO;
	if (ev->type != EV_LOST)
		m->printed++;
	if (o->has_count && m->printed >= o->count) {
		m->done = true;
		return 1;	/* stop reading */
	}
	return 0;
}

/*
 * The signals that end the monitor cleanly, exit 0: Ctrl-C, kill, a dropped
 * ssh session or closed terminal (SIGHUP), Ctrl-\ (SIGQUIT).  Dying of any
 * of them would leave a tracefs instance recording, or the oom events
 * enabled at the top level, until the next run.
 */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/*
 * The stop signals as a file descriptor to poll, blocked from the start so
 * that nothing is left behind by an early one.  A blocked signal is queued
 * even if ignored, so the one ignored SIGHUP (nohup's "survive a hangup")
 * is left out; SIGINT and SIGQUIT, which shells ignore in background jobs,
 * still stop us when sent on purpose.
 */
static int signals_fd(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		struct sigaction old;

		if (stop_signals[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaddset(&mask, stop_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed reader is a write error */
	return signalfd(-1, &mask, SFD_CLOEXEC);
}

/*
 * Open the source: netlink, or tracefs when asked or when the kernel has
 * no oom family.  0, or an exit code (message printed).
 */
static int start(const struct opts *o, struct mon_source **src, const char **via)
{
	int ret;

	*via = "tracefs";
	if (!o->tracefs) {
		ret = mon_netlink_open(src, o->events);
		if (ret != -ENOENT) {
			*via = "netlink";
			return ret;
		}
		*via = "tracefs (no oom netlink family in this kernel)";
	}
	return mon_tracefs_open(src, o->events, o->tracefs);
}

int monitor_run(const struct opts *o, struct mon_source *src, const char *via, int sfd)
{
	struct mon m = { .o = o };
	struct pollfd pfd[2];
	uint64_t deadline = 0;
	bool signalled = false;
	char list[32];
	int ret = 0;

	if (o->format == FMT_TEXT && !o->no_header) {
		/* The boot the seqs belong to: here once, in JSON in each record */
		out_text("monitoring OOM events (%s) via %s%s%s; Ctrl-C stops\n",
			 event_class_list(o->events, list, sizeof(list)), via,
			 enrich_boot_id() ? ", boot " : "", enrich_boot_id() ?: "");
		out_end();
	}
	if (o->has_timeout)
		deadline = now_ms() + o->timeout_ms;
	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = src->fd, .events = POLLIN };
	while (!m.done && !ret) {
		int wait = -1;

		if (o->has_timeout) {
			uint64_t now = now_ms();

			if (now >= deadline)
				break;
			wait = deadline - now > 60000 ? 60000 : (int)(deadline - now);
		}
		if (src->max_wait_ms >= 0 && (wait < 0 || wait > src->max_wait_ms))
			wait = src->max_wait_ms;
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
		ret = src->read(src, on_event, &m);
		if (ret == 0)
			break;	/* the source ended (a regular file, in tests) */
		ret = ret > 0 ? 0 : ret;	/* 1: more to come, or done */
	}
	/* An overrun, and no event after it to count the loss */
	if (m.overrun && !ret && print_lost(&m, 0, false, LOST_OVERRUN, src->name))
		ret = -EIO;
	src->close(src);
	/* Lost, and no lost record could tell it: say it here */
	if (m.refused)
		msg("monitor: the journal refused records to the end, %llu lost: %s",
		    (unsigned long long)m.refused, strerror(m.refused_err));

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
	return m.refused ? EXIT_FAIL : EXIT_OK;
}

int cmd_monitor(struct opts *o, int argc, char **argv)
{
	struct mon_source *src;
	const char *via;
	int ret, sfd;

	(void)argc, (void)argv;	/* none: cmdline.c checked */
	if (!o->events)
		o->events = EVC_ALL;
	/* Before the source: a journal that is not there loses every event */
	if (o->format == FMT_JOURNAL && journal_open())
		return EXIT_FAIL;
	enrich_init();
	sfd = signals_fd();
	ret = start(o, &src, &via);
	if (ret == 0)
		ret = monitor_run(o, src, via, sfd);
	if (sfd >= 0)
		close(sfd);
	enrich_exit();
	journal_close();
	return ret;
}
