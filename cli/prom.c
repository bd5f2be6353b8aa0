// SPDX-License-Identifier: GPL-2.0
/* The Prometheus text format of stats, and DIR/oomctl.prom: see prom.h */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prom.h"

/*
 * Counter families: one sample per attribute, with the label (if any) set
 * to the word given.  The label words are those of monitor's events
 * (reason= of reap-queued, result= of reap-done, freed_by= of freed;
 * t_prom.c holds them to event.c's).  Counter names end in _total, as
 * OpenMetrics wants.
 */
#define PROM_MAX_SAMPLES 4
static const struct prom_counter {
	const char *name;
	const char *help;
	const char *label;	/* the label's name, NULL: one sample, no label */
	enum prom_unit unit;
	struct {
		const char *value;	/* of the label */
		int attr;		/* OOM_A_STATS_*; 0 ends the list */
	} s[PROM_MAX_SAMPLES];
} counters[] = {
	{ "oomctl_victims_total",
	  "Processes the OOM killer chose as victims.", NULL, PU_ONE,
	  { { NULL, OOM_A_STATS_VICTIMS } } },
	{ "oomctl_reap_queued_total",
	  "Victims queued for the OOM reaper, by why they got the delay they got.",
	  "reason", PU_ONE,
	  { { "delay", OOM_A_STATS_QUEUED_DELAY },
	    { "zero-delay", OOM_A_STATS_QUEUED_ZERO_DELAY },
	    { "frozen-bypass", OOM_A_STATS_QUEUED_FROZEN_BYPASS } } },
	{ "oomctl_reap_done_total",
	  "Reaps of a victim's memory, by how they ended (process_mrelease(2) included).",
	  "result", PU_ONE,
	  { { "reaped", OOM_A_STATS_REAPED },
	    { "exited-first", OOM_A_STATS_EXITED_FIRST },
	    { "gave-up", OOM_A_STATS_GAVE_UP } } },
	{ "oomctl_mrelease_calls_total",
	  "Reaps done by process_mrelease(2), any result.", NULL, PU_ONE,
	  { { NULL, OOM_A_STATS_MRELEASE_CALLS } } },
	{ "oomctl_freed_total",
	  "OOM victims' address spaces torn down (their memory back), by the way most of it was unmapped.",
	  "by", PU_ONE,
	  { { "exit", OOM_A_STATS_FREED_EXIT },
	    { "oom-reaper", OOM_A_STATS_FREED_OOM_REAPER },
	    { "process-mrelease", OOM_A_STATS_FREED_MRELEASE } } },
	{ "oomctl_events_dropped_total",
	  "OOM notifications that had a listener but were sent to nobody (queue full, no memory).",
	  NULL, PU_ONE,
	  { { NULL, OOM_A_STATS_EVENTS_DROPPED } } },
};

static const struct prom_hist hists[] = {
	{ "oomctl_freed_latency_seconds",
	  "Time from the OOM kill to the end of the teardown of the victim's address space: its memory back. No _sum: the kernel does not report one.",
	  PU_US, offsetof(struct oom_stats, freed_hist), offsetof(struct oom_stats, nfreed_hist), 0 },
	{ "oomctl_reap_latency_seconds",
	  "Time from the OOM kill to the end of a reap by the oom_reaper that unmapped the victim's memory. No _sum: the kernel does not report one.",
	  PU_US, offsetof(struct oom_stats, hist), offsetof(struct oom_stats, nhist), 0 },
};

/*
 * The policy as gauges.  A setting with value words other than on/off is
 * a state set: one sample per word, labelled with it, 1 for the value in
 * force and 0 for the others (a value this oomctl has no word for is its
 * number, with 1).
 */
static const struct prom_gauge {
	enum setting_id id;
	const char *name;
	const char *unit_help;	/* after the setting's help in # HELP */
	enum prom_unit unit;
	const char *label;	/* a state set: the label's name */
} gauges[] = {
	{ SET_DELAY, "oomctl_policy_reap_delay_seconds", ", in seconds", PU_MS, NULL },
	{ SET_FROZEN_BYPASS, "oomctl_policy_reap_frozen_bypass", " (1 on, 0 off)", PU_ONE, NULL },
	{ SET_ORDER, "oomctl_policy_reap_order", " (1 for the one in force)", PU_ONE, "order" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * 128 bits, so that a cumulative bucket (a sum of up to OOM_HIST_MAX
 * 64-bit counts) and a count of kB in bytes are exact; portable C, no
 * __int128.
 */
struct u128 {
	uint64_t hi, lo;
};

static void u128_add(struct u128 *a, uint64_t v)
{
	a->lo += v;
	if (a->lo < v)
		a->hi++;
}

static void u128_mul(struct u128 *a, uint32_t m)
{
	uint64_t l0 = (a->lo & 0xffffffffu) * m, l1 = (a->lo >> 32) * m;
	uint64_t lo = l0 + (l1 << 32);

	a->hi = a->hi * m + (l1 >> 32) + (lo < l0);
	a->lo = lo;
}

/* Decimal digits of v, at most 39, into buf[40] */
static const char *u128_dec(struct u128 v, char buf[40])
{
	uint32_t w[4] = { (uint32_t)(v.hi >> 32), (uint32_t)v.hi,
			  (uint32_t)(v.lo >> 32), (uint32_t)v.lo };
	char *p = buf + 39;
	bool more;

	*p = '\0';
	do {
		uint64_t r = 0;

		more = false;
		for (int i = 0; i < 4; i++) {
			uint64_t cur = r << 32 | w[i];

			w[i] = (uint32_t)(cur / 10);
			r = cur % 10;
			more |= w[i] != 0;
		}
		*--p = (char)('0' + r);
	} while (more);
	return p;
}

/*
 * v counted in unit, in the base unit, exactly: 1500 us "0.0015", 2 us
 * "0.000002", 3 kB "3072".  No exponent, no rounding.
 */
static void put_value(FILE *f, struct u128 v, enum prom_unit unit)
{
	char buf[40];
	const char *d;
	size_t n, point = 0;

	if (unit == PU_KB)
		u128_mul(&v, 1024);
	else if (unit == PU_US)
		point = 6;
	else if (unit == PU_MS)
		point = 3;
	d = u128_dec(v, buf);
	n = strlen(d);
	if (!point) {
		fputs(d, f);
		return;
	}
	{
		char frac[8];
		size_t nf = point;

		/* The last point digits, zero-padded on the left */
		for (size_t i = 0; i < point; i++)
			frac[point - 1 - i] = i < n ? d[n - 1 - i] : '0';
		while (nf && frac[nf - 1] == '0')
			nf--;
		if (n > point)
			fprintf(f, "%.*s", (int)(n - point), d);
		else
			fputc('0', f);
		if (nf)
			fprintf(f, ".%.*s", (int)nf, frac);
	}
}

static void put_u64(FILE *f, uint64_t v, enum prom_unit unit)
{
	put_value(f, (struct u128){ 0, v }, unit);
}

/* HELP text: backslash and newline escaped; label values: the quote too */
static void put_escaped(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && quote)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static void put_header(FILE *f, const char *name, const char *help, const char *type)
{
	fprintf(f, "# HELP %s ", name);
	put_escaped(f, help, false);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

static void put_label(FILE *f, const char *name, const char *value)
{
	fprintf(f, "{%s=\"", name);
	put_escaped(f, value, true);
	fputs("\"}", f);
}

static bool have(const struct oom_stats *st, int attr)
{
	return attr > 0 && attr <= OOM_A_STATS_MAX && attr < 32 &&
	       (st->have & (1u << attr));
}

static void put_counter(FILE *f, const struct oom_stats *st, const struct prom_counter *c)
{
	bool any = false;

	for (int i = 0; i < PROM_MAX_SAMPLES && c->s[i].attr; i++)
		any |= have(st, c->s[i].attr);
	if (!any)
		return;
	put_header(f, c->name, c->help, "counter");
	for (int i = 0; i < PROM_MAX_SAMPLES && c->s[i].attr; i++) {
		if (!have(st, c->s[i].attr))
			continue;
		fputs(c->name, f);
		if (c->label)
			put_label(f, c->label, c->s[i].value);
		fputc(' ', f);
		put_u64(f, st->count[c->s[i].attr], c->unit);
		fputc('\n', f);
	}
}

static void put_hist(FILE *f, const struct oom_stats *st, const struct prom_hist *h)
{
	const struct oom_bucket *b = (const void *)((const char *)st + h->buckets);
	unsigned int n = *(const unsigned int *)((const char *)st + h->nbuckets);
	struct u128 cum = { 0, 0 };
	char buf[40];

	if (!n)
		return;
	put_header(f, h->name, h->help, "histogram");
	for (unsigned int i = 0; i < n; i++) {
		u128_add(&cum, b[i].count);
		/* The open bucket (no upper bound) is the +Inf one */
		if (!b[i].has_high)
			continue;
		fprintf(f, "%s_bucket{le=\"", h->name);
		put_u64(f, b[i].high_us, h->unit);
		fprintf(f, "\"} %s\n", u128_dec(cum, buf));
	}
	fprintf(f, "%s_bucket{le=\"+Inf\"} %s\n", h->name, u128_dec(cum, buf));
	if (have(st, h->sum_attr)) {
		fprintf(f, "%s_sum ", h->name);
		put_u64(f, st->count[h->sum_attr], h->unit);
		fputc('\n', f);
	}
	fprintf(f, "%s_count %s\n", h->name, u128_dec(cum, buf));
}

static void put_gauge(FILE *f, const struct policy *p, const struct prom_gauge *g)
{
	const struct setting *s = &settings[g->id];
	uint32_t v = p->val[g->id];
	bool known = false;

	if (!(p->have & (1u << g->id)))
		return;
	fprintf(f, "# HELP %s The OOM reaper's %s setting: ", g->name, s->name);
	put_escaped(f, s->help, false);
	put_escaped(f, g->unit_help, false);
	fprintf(f, ".\n# TYPE %s gauge\n", g->name);
	if (!g->label) {
		fputs(g->name, f);
		fputc(' ', f);
		put_u64(f, v, g->unit);
		fputc('\n', f);
		return;
	}
	for (uint32_t w = 0; s->words && s->words[w]; w++) {
		fputs(g->name, f);
		put_label(f, g->label, s->words[w]);
		fprintf(f, " %d\n", w == v);
		known |= w == v;
	}
	if (!known) {
		char num[16];

		snprintf(num, sizeof(num), "%u", v);
		fputs(g->name, f);
		put_label(f, g->label, num);
		fputs(" 1\n", f);
	}
}

int prom_write_hists(FILE *f, const struct oom_stats *st, const struct policy *p,
		     const struct prom_hist *h, size_t nh)
{
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++)
		put_counter(f, st, &counters[i]);
	for (size_t i = 0; i < nh; i++)
		put_hist(f, st, &h[i]);
	for (size_t i = 0; p && i < ARRAY_SIZE(gauges); i++)
		put_gauge(f, p, &gauges[i]);
	return ferror(f) ? -1 : 0;
}

int prom_write(FILE *f, const struct oom_stats *st, const struct policy *p)
{
	return prom_write_hists(f, st, p, hists, ARRAY_SIZE(hists));
}

/* dir/name in buf: 0, or -ENAMETOOLONG */
static int join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int textfile_check(const char *dir)
{
	char tmp[PATH_MAX];
	struct stat sb;

	if (join(tmp, sizeof(tmp), dir, "." PROM_TEXTFILE ".XXXXXX"))
		return -ENAMETOOLONG;
	if (!*dir)
		return -ENOENT;
	if (stat(dir, &sb))
		return -errno;
	if (!S_ISDIR(sb.st_mode))
		return -ENOTDIR;
	/* The effective ids, as open(2) will use; EROFS too */
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS))
		return -errno;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int textfile_write(const char *dir, const char *buf, size_t len, const char **step)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int fd, dfd, ret;

	*step = "path";
	if (join(tmp, sizeof(tmp), dir, "." PROM_TEXTFILE ".XXXXXX") ||
	    join(path, sizeof(path), dir, PROM_TEXTFILE))
		return -ENAMETOOLONG;
	*step = "create a temporary file";
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * A file size limit (ulimit -f) must fail the write with EFBIG, not
	 * kill us with SIGXFSZ and leave the temporary file behind.
	 */
	sigaction(SIGXFSZ, &ign, &old);
	/* mkostemp() makes it 0600: node_exporter runs as another user */
	ret = fchmod(fd, 0644) ? -errno : 0;
	if (!ret) {
		*step = "write";
		ret = write_all(fd, buf, len);
	}
	if (!ret) {
		*step = "fsync";
		ret = fsync(fd) ? -errno : 0;
	}
	if (close(fd) && !ret) {
		*step = "close";
		ret = -errno;
	}
	sigaction(SIGXFSZ, &old, NULL);
	if (!ret) {
		*step = "rename";
		ret = rename(tmp, path) ? -errno : 0;
	}
	if (ret) {
		unlink(tmp);
		return ret;
	}
	/* The rename itself durable; a directory some filesystems cannot
	 * fsync (EINVAL) is no failure */
	*step = "fsync the directory";
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	ret = fsync(dfd) && errno != EINVAL ? -errno : 0;
	close(dfd);
	return ret;
}
