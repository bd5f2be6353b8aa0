// SPDX-License-Identifier: GPL-2.0
/*
 * monitor -o journal without a journal: the entries journal.c hands to
 * sd_journal_sendv(), caught by a stand-in, for every event type and field;
 * the MESSAGE_IDs against oomctl(8); and what the monitor's loop does when
 * the journal refuses records and takes them again.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrich.h"
#include "journal.h"
#include "monitor_src.h"
#include "oomctl.h"
#include "tap.h"

#define MAX_SENT 16
#define MAX_FIELDS 64

/* What the stand-in was given: per entry, its "NAME=value" fields */
static struct {
	char *field[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	int n;
} sent[MAX_SENT];
static int nsent, calls;
/* The calls (1-based) that fail, with ECONNREFUSED */
static int fail_from, fail_to;

static int fake_sendv(const struct iovec *iov, int n)
{
	calls++;
	if (calls >= fail_from && calls <= fail_to)
		return -ECONNREFUSED;
	if (nsent == MAX_SENT)
		return -ENOSPC;
	for (int i = 0; i < n && i < MAX_FIELDS; i++) {
		sent[nsent].field[i] = malloc(iov[i].iov_len + 1);
		memcpy(sent[nsent].field[i], iov[i].iov_base, iov[i].iov_len);
		sent[nsent].field[i][iov[i].iov_len] = '\0';
		sent[nsent].len[i] = iov[i].iov_len;
	}
	sent[nsent++].n = n < MAX_FIELDS ? n : MAX_FIELDS;
	return 0;
}

static void reset(int from, int to)
{
	for (int e = 0; e < nsent; e++)
		for (int i = 0; i < sent[e].n; i++)
			free(sent[e].field[i]);
	memset(sent, 0, sizeof(sent));
	nsent = calls = 0;
	fail_from = from;
	fail_to = to;
	journal_set_sendv(fake_sendv);
}

/* The value of field name in entry e, NULL if it has none (or twice) */
static const char *get(int e, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;

	for (int i = 0; i < sent[e].n; i++)
		if (!strncmp(sent[e].field[i], name, n) && sent[e].field[i][n] == '=') {
			if (v)
				return NULL;
			v = sent[e].field[i] + n + 1;
		}
	return v;
}

static bool is(int e, const char *name, const char *want)
{
	const char *v = get(e, name);

	if (v && !strcmp(v, want))
		return true;
	diag("entry %d: %s=%s, expected %s", e, name, v ? v : "(none)", want);
	return false;
}

/* journald's rule for a field a client may set */
static bool valid_name(const char *f)
{
	const char *eq = strchr(f, '=');

	if (!eq || eq == f || eq - f > 64 || f[0] == '_' || isdigit((unsigned char)f[0]))
		return false;
	for (const char *p = f; p < eq; p++)
		if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
			return false;
	return true;
}

/* Count the key/value pairs of an event, for "one field per key" */
static int count_pair(void *ctx, const char *key, const char *value)
{
	(void)key, (void)value;
	++*(int *)ctx;
	return 0;
}

static const char boot[] = "0f0e0d0c-0b0a-4908-8706-050403020100";

static void victim(struct event *ev)
{
	event_init(ev, EV_VICTIM, "netlink");
	ev->has_seq = ev->has_ts = true;
	ev->seq = 41;
	ev->ts_ns = 8200785998;
	ev->boot_id = boot;
	event_set(ev, F_PID, 175);
	event_set(ev, F_TGID, 170);
	event_set_str(ev, F_COMM, "my tail\nx");	/* a name may hold anything */
	event_set(ev, F_UID, 1000);
	event_set_str(ev, F_USER, "oomtest");
	event_set(ev, F_MEMCG_ID, 13);
	event_set_str(ev, F_CGROUP, "/system.slice/my app.service");
	event_set(ev, F_OOM_SCORE_ADJ, (uint64_t)-17);
	event_set(ev, F_FROZEN, 1);
	event_set(ev, F_ANON_RSS_KB, 32648);
}

static void test_fields(void)
{
	struct event ev;
	char *text;
	bool good = true;
	int pairs = 0, oom = 0;

	reset(0, -1);
	victim(&ev);
	text = event_text(&ev);
	ok(journal_send(&ev) == 0 && nsent == 1, "journal: a victim is one entry");
	ok(text && is(0, "MESSAGE", text) &&
	   !strncmp(text, "victim seq=41 pid=175 tgid=170 comm=my\\x20tail\\x0ax uid=1000 user=oomtest "
		    "memcg_id=13 cgroup=/system.slice/my\\x20app.service oom_score_adj=-17 frozen=on", 130),
	   "journal: MESSAGE is the text line, escaped as the text output escapes it");
	free(text);
	ok(is(0, "PRIORITY", "4") && is(0, "MESSAGE_ID", journal_message_id(EV_VICTIM)) &&
	   is(0, "SYSLOG_IDENTIFIER", "oomctl"),
	   "journal: victim: PRIORITY 4 (warning), its MESSAGE_ID, SYSLOG_IDENTIFIER oomctl");
	ok(is(0, "OOM_EVENT", "victim") && is(0, "OOM_SEQ", "41") &&
	   is(0, "OOM_TS_MONO_NS", "8200785998") && is(0, "OOM_ORIGIN", "netlink") &&
	   is(0, "OOM_BOOT_ID", boot) && get(0, "OOM_TIME"),
	   "journal: OOM_EVENT, OOM_SEQ, OOM_TS_MONO_NS, OOM_TIME, OOM_ORIGIN, OOM_BOOT_ID");
	ok(is(0, "OOM_PID", "175") && is(0, "OOM_TGID", "170") && is(0, "OOM_UID", "1000") &&
	   is(0, "OOM_USER", "oomtest") && is(0, "OOM_CGROUP", "/system.slice/my app.service") &&
	   is(0, "OOM_CGROUP_ID", "13") && is(0, "OOM_SCORE_ADJ", "-17") &&
	   is(0, "OOM_FROZEN", "on") && is(0, "OOM_ANON_RSS_KB", "32648") &&
	   is(0, "OOM_COMM", "my tail\nx"),
	   "journal: the victim's fields, values unescaped (OOM_COMM keeps its newline)");
	for (int i = 0; i < sent[0].n; i++) {
		if (!valid_name(sent[0].field[i])) {
			diag("not a journal field: %s", sent[0].field[i]);
			good = false;
		}
		oom += !strncmp(sent[0].field[i], "OOM_", 4);
	}
	event_pairs(&ev, count_pair, &pairs);
	ok(good && oom == pairs && sent[0].n == pairs + 4,
	   "journal: valid field names; one OOM_ field per key of the JSON object (%d), "
	   "and MESSAGE, PRIORITY, MESSAGE_ID, SYSLOG_IDENTIFIER", pairs);
}

/* Every field of the event table reaches the journal, whatever is added */
static void test_every_field(void)
{
	struct event ev;
	int pairs = 0, oom = 0;

	reset(0, -1);
	event_init(&ev, EV_REAP_DONE, "netlink");
	for (int f = 0; f < NFIELDS; f++) {
		if (event_field_kind(f) == 'c')
			event_set_str(&ev, f, "x");
		else
			event_set(&ev, f, 1);
	}
	journal_send(&ev);
	event_pairs(&ev, count_pair, &pairs);
	for (int i = 0; nsent && i < sent[0].n; i++)
		oom += !strncmp(sent[0].field[i], "OOM_", 4);
	ok(nsent == 1 && oom == pairs && pairs >= NFIELDS + 4,
	   "journal: every field of the event table is an OOM_ field (%d of %d keys)", oom, pairs);
}

static void test_priorities(void)
{
	static const struct {
		enum ev_type type;
		int result;	/* reap-done: -1 none */
		const char *prio;
	} cases[] = {
		{ EV_VICTIM, -1, "4" }, { EV_REAP_QUEUED, -1, "6" },
		{ EV_REAP_DONE, 0, "6" }, { EV_REAP_DONE, 1, "6" }, { EV_REAP_DONE, 2, "4" },
		{ EV_FREED, -1, "6" }, { EV_POLICY, -1, "5" }, { EV_REAP_WAKE, -1, "6" }, { EV_REAP_START, -1, "6" },
		{ EV_REAP_SKIP, -1, "6" }, { EV_LOST, -1, "4" },
	};
	bool good = true, seen[EV_NTYPES] = { false };

	reset(0, -1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev;

		event_init(&ev, cases[i].type, "netlink");
		if (cases[i].result >= 0)
			event_set(&ev, F_RESULT, (uint64_t)cases[i].result);
		journal_send(&ev);
		good &= (int)i < nsent && is((int)i, "PRIORITY", cases[i].prio) &&
			is((int)i, "OOM_EVENT", ev_type_names[cases[i].type]) &&
			!get((int)i, "OOM_BOOT_ID");
		seen[cases[i].type] = true;
	}
	for (int t = 0; t < EV_NTYPES; t++)
		good &= seen[t];
	ok(good, "journal: PRIORITY per type: victim and lost 4, policy 5, reap and freed 6 but a "
	   "reap that gave up 4; no OOM_BOOT_ID when the boot is unknown");
}

/* Distinct 128-bit ids, each in oomctl(8) next to its type */
static void test_message_ids(void)
{
	FILE *f = fopen("../man/oomctl.8", "r");
	char *man = NULL;
	size_t len = 0;
	bool good = true;

	if (f) {
		man = malloc(1 << 20);
		len = man ? fread(man, 1, (1 << 20) - 1, f) : 0;
		fclose(f);
	}
	if (!man || !len) {
		ok(false, "journal: MESSAGE_IDs in oomctl(8): cannot read ../man/oomctl.8");
		free(man);
		return;
	}
	man[len] = '\0';
	for (int t = 0; t < EV_NTYPES; t++) {
		const char *id = journal_message_id(t);
		char row[128];

		if (strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32) {
			diag("%s: %s is not 32 hex digits", ev_type_names[t], id);
			good = false;
		}
		for (int u = 0; u < t; u++)
			if (!strcmp(id, journal_message_id(u))) {
				diag("%s and %s share %s", ev_type_names[t], ev_type_names[u], id);
				good = false;
			}
		/* The man page's table: a line "type   id" (roff escapes the dashes) */
		{
			const char *hit = strstr(man, id), *bol = hit;
			size_t n = 0;

			for (const char *p = ev_type_names[t]; *p && n < sizeof(row) - 3; p++) {
				if (*p == '-')
					row[n++] = '\\';
				row[n++] = *p;
			}
			row[n] = '\0';
			while (bol && bol > man && bol[-1] != '\n')
				bol--;
			if (!hit || strncmp(bol, row, n) || bol[n] != ' ' ||
			    bol + n + strspn(bol + n, " ") != hit || hit[32] != '\n') {
				diag("oomctl(8) lacks the line \"%s  %s\"", row, id);
				good = false;
			}
		}
	}
	ok(good, "journal: %d MESSAGE_IDs, distinct, 128 bits, each listed in oomctl(8)", EV_NTYPES);
	free(man);
}

/* A scripted source: n victims with seqs 1..n, or those of seqs[] */
struct script {
	struct mon_source src;
	int n, next;
	const uint64_t *seqs;
};

static int script_read(struct mon_source *src, mon_event_cb cb, void *data)
{
	struct script *s = (struct script *)src;
	struct event ev;

	if (s->next == s->n)
		return 0;
	event_init(&ev, EV_VICTIM, "netlink");
	ev.has_seq = ev.has_ts = true;
	ev.seq = s->seqs ? s->seqs[s->next] : (uint64_t)s->next + 1;
	s->next++;
	ev.ts_ns = 1000;
	event_set(&ev, F_PID, 100 + ev.seq);
	return cb(&ev, data) ?: 1;
}

static void script_close(struct mon_source *src)
{
	(void)src;
}

/* monitor -o journal over 5 victims (seqs: 1..5 if NULL); calls from..to
 * of sendv fail */
static int run_monitor_seqs(int from, int to, const uint64_t *seqs)
{
	struct script s = {
		.src = { .name = "netlink", .fd = -1, .max_wait_ms = 0,
			 .read = script_read, .close = script_close },
		.n = 5,
		.seqs = seqs,
	};
	struct opts o = { .format = FMT_JOURNAL, .events = EVC_ALL };
	int err = dup(2), null = open("/dev/null", O_WRONLY), ret;

	reset(from, to);
	dup2(null, 2);	/* what it says on stderr: host tests read it */
	ret = monitor_run(&o, &s.src, "netlink", -1);
	dup2(err, 2);
	close(err);
	close(null);
	return ret;
}

static int run_monitor(int from, int to)
{
	return run_monitor_seqs(from, to, NULL);
}

static void test_refused(void)
{
	int ret;

	ret = run_monitor(0, -1);
	ok(ret == EXIT_OK && nsent == 5 && is(0, "OOM_PID", "101") && is(4, "OOM_PID", "105"),
	   "journal: monitor -o journal sends every event, exit 0");

	/* Calls 2 and 3 refused (victims 2, 3); call 4 the lost record, 5-6 victims 4-5 */
	ret = run_monitor(2, 3);
	ok(ret == EXIT_OK && calls == 6 && nsent == 4 && is(0, "OOM_PID", "101") &&
	   is(1, "OOM_EVENT", "lost") && is(1, "OOM_COUNT", "2") && is(1, "OOM_REASON", "journal") &&
	   is(1, "MESSAGE", "lost 2 events (journal)") && is(1, "PRIORITY", "4") &&
	   is(2, "OOM_PID", "104") && is(3, "OOM_PID", "105"),
	   "journal: records the journal refused become a lost record (reason journal) once it "
	   "takes them again, before the next event; exit 0");

	/* Refused from the 4th call on: victims 4 and 5 are lost, and not told */
	ret = run_monitor(4, 100);
	ok(ret == EXIT_FAIL && nsent == 3,
	   "journal: records refused until the end: exit 1 (the loss is said on stderr)");
	/* The lost record itself is refused: it is tried again with the next event */
	ret = run_monitor(2, 4);
	ok(ret == EXIT_OK && calls == 6 && nsent == 3 && is(1, "OOM_COUNT", "3") &&
	   is(2, "OOM_PID", "105"),
	   "journal: a refused lost record counts the event it came with, and is sent later");
	/* The monitor's own lost records (a gap) carry the boot id too */
	{
		static const uint64_t seqs[] = { 1, 2, 5, 6, 7 };
		const char *boot;
		bool all = true;

		enrich_init();
		boot = enrich_boot_id();
		ret = run_monitor_seqs(0, -1, seqs);
		for (int e = 0; e < nsent && boot; e++)
			all &= is(e, "OOM_BOOT_ID", boot);
		ok(boot && ret == EXIT_OK && nsent == 6 && is(2, "OOM_EVENT", "lost") &&
		   is(2, "OOM_REASON", "seq-gap") && is(2, "OOM_COUNT", "2") && all,
		   "journal: a gap in the seqs is a lost entry (seq-gap, 2); every entry has "
		   "OOM_BOOT_ID, this boot's");
		enrich_exit();
	}
	reset(0, -1);
	journal_set_sendv(NULL);
}

void test_journal(void)
{
	test_fields();
	test_every_field();
	test_priorities();
	test_message_ids();
	test_refused();
}
