// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's loop over a scripted source: how sequence gaps and
 * receive buffer overruns become "lost" records, whatever the source.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor_src.h"
#include "oomctl.h"
#include "output.h"
#include "tap.h"

/*
 * One step a read: 'o' an overrun, 'p'/'v'/'f' a policy/victim/freed event
 * with seq, 'u'/'U' a notification of an unknown command in the events /
 * config group (as the netlink source gives it)
 */
struct step {
	char what;
	uint64_t seq;
};

struct script {
	struct mon_source src;
	const struct step *steps;
	size_t n, next;
	bool closed;
	struct opts o;
	int ret;
};

static int script_read(struct mon_source *src, mon_event_cb cb, void *data)
{
	struct script *s = (struct script *)src;
	const struct step *st;
	struct event ev;

	if (s->next == s->n)
		return 0;
	st = &s->steps[s->next++];
	event_init(&ev, st->what == 'o' ? EV_LOST : st->what == 'p' ? EV_POLICY :
		   st->what == 'f' ? EV_FREED : EV_VICTIM, src->name);
	if (st->what == 'u' || st->what == 'U') {
		event_init(&ev, EV_LOST, src->name);
		ev.unknown = true;
		ev.group = st->what == 'u' ? EVG_EVENTS : EVG_CONFIG;
	}
	if (st->what == 'f')
		event_set(&ev, F_FREED_BY, 1);
	if (st->what == 'o') {
		event_set(&ev, F_LOST_REASON, LOST_OVERRUN);
	} else {
		ev.has_seq = true;
		ev.seq = st->seq;
	}
	return cb(&ev, data) ?: 1;
}

static void script_close(struct mon_source *src)
{
	((struct script *)src)->closed = true;
}

static void run(FILE *f, void *arg)
{
	struct script *s = arg;

	out_init(f, true, false);
	s->ret = monitor_run(&s->o, &s->src, "netlink", -1);
}

/* Does s hold the lines (as substrings) in this order, one a line? */
static bool lines_are(const char *s, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *eol = strchr(s, '\n');
		const char *hit = strstr(s, want[i]);

		if (!eol || !hit || hit > eol)
			return false;
		s = eol + 1;
	}
	return *s == '\0';
}

void test_monitor(void)
{
	static const struct step steps[] = {
		{ 'o', 0 },			/* before any seq: told at once */
		{ 'p', 1 }, { 'p', 2 },
		{ 'o', 0 }, { 'p', 6 },		/* the gap says what the overrun cost */
		{ 'v', 1 }, { 'v', 3 },		/* each group has its own sequence */
		{ 'o', 0 },			/* at the end: told on the way out */
	};
	static const char *const want[] = {
		"\"origin\":\"netlink\",\"reason\":\"overrun\"}",	/* no count */
		"\"type\":\"policy\",\"seq\":1,",
		"\"type\":\"policy\",\"seq\":2,",
		"\"count\":3,\"reason\":\"overrun\"",
		"\"type\":\"policy\",\"seq\":6,",
		"\"type\":\"victim\",\"seq\":1,",
		"\"count\":1,\"reason\":\"seq-gap\"",
		"\"type\":\"victim\",\"seq\":3,",
		"\"origin\":\"netlink\",\"reason\":\"overrun\"}",
	};
	struct script s = {
		.src = { .name = "netlink", .fd = -1, .max_wait_ms = 0,
			 .read = script_read, .close = script_close },
		.steps = steps, .n = sizeof(steps) / sizeof(steps[0]),
		.o = { .format = FMT_JSON, .events = EVC_ALL },
	};
	char *out = capture(run, &s);

	ok(lines_are(out, want, sizeof(want) / sizeof(want[0])),
	   "monitor: an overrun before any seq is told at once, a later one by the gap it left, "
	   "the last one on the way out; gaps per group");
	ok(s.ret == EXIT_OK && s.closed, "monitor: the source's end is exit 0, the source closed");
	if (!lines_are(out, want, sizeof(want) / sizeof(want[0])))
		diag("%s", out);
	free(out);

	/* --count stops the reading, and --events filters after the sequence */
	s.next = 0;
	s.closed = false;
	s.o = (struct opts){ .format = FMT_JSON, .events = EVC_VICTIM, .has_count = true, .count = 2 };
	out = capture(run, &s);
	{
		static const char *const want2[] = {
			"\"origin\":\"netlink\",\"reason\":\"overrun\"}",
			"\"count\":3,\"reason\":\"overrun\"",
			"\"type\":\"victim\",\"seq\":1,",
			"\"count\":1,\"reason\":\"seq-gap\"",
			"\"type\":\"victim\",\"seq\":3,",
		};

		ok(lines_are(out, want2, sizeof(want2) / sizeof(want2[0])) &&
		   s.ret == EXIT_OK && s.closed,
		   "monitor --events victim --count 2: policy events followed, not printed; stops at 2");
		if (!lines_are(out, want2, sizeof(want2) / sizeof(want2[0])))
			diag("%s", out);
	}
	free(out);

	/* freed events follow the events group; unknown commands count, unprinted */
	{
		static const struct step steps3[] = {
			{ 'v', 10 }, { 'f', 11 }, { 'u', 12 }, { 'v', 13 },
			{ 'p', 4 }, { 'U', 5 }, { 'p', 6 }, { 'f', 14 },
		};
		static const char *const want3[] = {
			"\"type\":\"victim\",\"seq\":10,",
			"\"type\":\"freed\",\"seq\":11,",
			"\"type\":\"victim\",\"seq\":13,",
			"\"type\":\"policy\",\"seq\":4,",
			"\"type\":\"policy\",\"seq\":6,",
			"\"type\":\"freed\",\"seq\":14,",
		};
		static const char *const want4[] = {
			"\"type\":\"freed\",\"seq\":11,",
			"\"type\":\"freed\",\"seq\":14,",
		};

		s.steps = steps3;
		s.n = sizeof(steps3) / sizeof(steps3[0]);
		s.next = 0;
		s.closed = false;
		s.o = (struct opts){ .format = FMT_JSON, .events = EVC_ALL };
		out = capture(run, &s);
		ok(lines_are(out, want3, sizeof(want3) / sizeof(want3[0])) && s.ret == EXIT_OK &&
		   strstr(out, "\"freed_by\":\"oom-reaper\""),
		   "monitor: freed events in the events group's sequence; a command it does not "
		   "know (either group) keeps its seq, is not printed, is no loss");
		if (!lines_are(out, want3, sizeof(want3) / sizeof(want3[0])))
			diag("%s", out);
		free(out);

		s.next = 0;
		s.closed = false;
		s.o = (struct opts){ .format = FMT_JSON, .events = EVC_FREED };
		out = capture(run, &s);
		ok(lines_are(out, want4, sizeof(want4) / sizeof(want4[0])) && s.ret == EXIT_OK,
		   "monitor --events freed: the freed events only, no loss");
		if (!lines_are(out, want4, sizeof(want4) / sizeof(want4[0])))
			diag("%s", out);
		free(out);
	}
}
