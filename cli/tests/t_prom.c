// SPDX-License-Identifier: GPL-2.0
/*
 * stats -o prometheus: the writer fed struct oom_stats as the kernel fills
 * it (every attribute, none, an older kernel's few, counts near
 * UINT64_MAX), and --textfile's atomic replacement of DIR/oomctl.prom.
 * With OOMCTL_PROM_DUMP=DIR each rendering is also saved as DIR/NAME.prom,
 * for tests/host.sh to hand to real parsers (prometheus_client, promtool,
 * node_exporter).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "oomctl.h"
#include "prom.h"
#include "tap.h"

#define NBUCKETS 24	/* as the kernel sends them: [2^i, 2^(i+1)) us */

/* The kernel's reply: every counter and NBUCKETS buckets, count c(i) */
static void kernel_stats(struct oom_stats *st, uint64_t (*c)(unsigned int))
{
	memset(st, 0, sizeof(*st));
	for (int a = OOM_A_STATS_VICTIMS; a <= OOM_A_STATS_FREED_MRELEASE; a++) {
		if (a == OOM_A_STATS_LATENCY_BUCKET)
			continue;
		st->count[a] = 100 + (uint64_t)a;	/* each one its own value */
		st->have |= 1u << a;
	}
	for (unsigned int i = 0; i < NBUCKETS; i++) {
		st->hist[i].low_us = i ? 1ull << i : 0;
		st->hist[i].has_high = i < NBUCKETS - 1;
		st->hist[i].high_us = st->hist[i].has_high ? 1ull << (i + 1) : 0;
		st->hist[i].count = c(i);
		/* kill -> freed: the same bounds, twice the counts */
		st->freed_hist[i] = st->hist[i];
		st->freed_hist[i].count = c(i) == UINT64_MAX ? c(i) : 2 * c(i);
	}
	st->nhist = st->nfreed_hist = NBUCKETS;
}

static uint64_t zero(unsigned int i) { (void)i; return 0; }
static uint64_t some(unsigned int i) { return i % 3 ? i : 0; }	/* gaps */
static uint64_t huge(unsigned int i) { (void)i; return UINT64_MAX; }

struct render {
	const struct oom_stats *st;
	const struct policy *p;
	const struct prom_hist *h;	/* NULL: the kernel's histograms */
	size_t nh;
	int ret;
};

static void render_fn(FILE *f, void *arg)
{
	struct render *r = arg;

	r->ret = r->h ? prom_write_hists(f, r->st, r->p, r->h, r->nh) :
			prom_write(f, r->st, r->p);
}

/* The rendering of st and p (free() it); saved for host.sh if asked */
static char *render(const char *name, const struct oom_stats *st,
		    const struct policy *p, const struct prom_hist *h, size_t nh)
{
	struct render r = { st, p, h, nh, -1 };
	const char *dump = getenv("OOMCTL_PROM_DUMP");
	char *out = capture(render_fn, &r);

	if (r.ret)
		ok(false, "prometheus %s: prom_write() failed", name);
	if (dump) {
		char dir[PATH_MAX];
		const char *step;

		/* Written as --textfile writes: DIR/NAME/oomctl.prom */
		snprintf(dir, sizeof(dir), "%s/%s", dump, name);
		if (mkdir(dir, 0755) || textfile_write(dir, out, strlen(out), &step))
			ok(false, "prometheus %s: saving it to %s: %s", name, dir, strerror(errno));
	}
	return out;
}

static bool has_line(const char *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = out; (p = strstr(p, line)); p++)
		if ((p == out || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static int count_prefix(const char *out, const char *prefix)
{
	size_t n = strlen(prefix);
	int k = 0;

	for (const char *p = out; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, prefix, n))
			k++;
		if (!strchr(p, '\n'))
			break;
	}
	return k;
}

/* The value of the sample line that starts with "name{...} " or "name " */
static const char *value_of(const char *out, const char *sample, char *buf, size_t len)
{
	size_t n = strlen(sample);

	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, sample, n) || p[n] != ' ')
			continue;
		snprintf(buf, len, "%.*s", (int)strcspn(p + n + 1, "\n"), p + n + 1);
		return buf;
	}
	return NULL;
}

static void test_counters_and_hist(void)
{
	struct oom_stats st;
	char v[64], name[96];
	uint64_t total = 0, cum = 0;
	bool cumulative = true;
	char *out;

	kernel_stats(&st, some);
	out = render("full", &st, NULL, NULL, 0);
	ok(has_line(out, "# TYPE oomctl_victims_total counter") &&
	   has_line(out, "oomctl_victims_total 101"),
	   "counter: TYPE counter, oomctl_victims_total with the kernel's value");
	ok(count_prefix(out, "# HELP ") == count_prefix(out, "# TYPE ") &&
	   count_prefix(out, "# TYPE ") == 8,
	   "eight families (6 counters, 2 histograms), each with a HELP and a TYPE line");
	ok(has_line(out, "oomctl_freed_total{by=\"exit\"} 111") &&
	   has_line(out, "oomctl_freed_total{by=\"oom-reaper\"} 112") &&
	   has_line(out, "oomctl_freed_total{by=\"process-mrelease\"} 113") &&
	   has_line(out, "# TYPE oomctl_freed_total counter"),
	   "freed-exit, -oom-reaper, -mrelease: one counter, by");
	ok(has_line(out, "# TYPE oomctl_freed_latency_seconds histogram") &&
	   count_prefix(out, "oomctl_freed_latency_seconds_bucket{") == NBUCKETS &&
	   has_line(out, "oomctl_freed_latency_seconds_bucket{le=\"0.001024\"} 54") &&
	   has_line(out, "oomctl_freed_latency_seconds_count 384") &&
	   !strstr(out, "oomctl_freed_latency_seconds_sum") &&
	   strstr(out, "oomctl_freed_latency_seconds_count") <
	   strstr(out, "# TYPE oomctl_reap_latency_seconds"),
	   "kill -> freed: a histogram of its own, its own counts, no _sum, before the reap one");
	ok(has_line(out, "oomctl_reap_queued_total{reason=\"delay\"} 102") &&
	   has_line(out, "oomctl_reap_queued_total{reason=\"zero-delay\"} 103") &&
	   has_line(out, "oomctl_reap_queued_total{reason=\"frozen-bypass\"} 104"),
	   "queued-delay, -zero-delay, -frozen-bypass: one counter, by reason");
	ok(has_line(out, "oomctl_reap_done_total{result=\"reaped\"} 105") &&
	   has_line(out, "oomctl_reap_done_total{result=\"exited-first\"} 106") &&
	   has_line(out, "oomctl_reap_done_total{result=\"gave-up\"} 107"),
	   "reaped, exited-first, gave-up: one counter, by result");
	ok(has_line(out, "oomctl_mrelease_calls_total 108") &&
	   has_line(out, "oomctl_events_dropped_total 109"),
	   "mrelease-calls and events-dropped");
	ok(has_line(out, "# TYPE oomctl_reap_latency_seconds histogram"),
	   "the latency is a histogram in seconds");
	ok(count_prefix(out, "oomctl_reap_latency_seconds_bucket{") == NBUCKETS,
	   "%d buckets: the kernel's 23 upper bounds and +Inf", NBUCKETS);
	ok(has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"0.000002\"} 0") &&
	   has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"0.001024\"} 27") &&
	   has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"8.388608\"} 169"),
	   "le: the kernel's upper bound in seconds, exact (2 us 0.000002, 2^23 us 8.388608)");
	for (unsigned int i = 0; i < NBUCKETS; i++) {
		total += some(i);
		if (i < NBUCKETS - 1) {
			char le[32];
			uint64_t us = 1ull << (i + 1);

			snprintf(le, sizeof(le), "%llu.%06llu", (unsigned long long)(us / 1000000),
				 (unsigned long long)(us % 1000000));
			while (le[strlen(le) - 1] == '0')
				le[strlen(le) - 1] = '\0';
			if (le[strlen(le) - 1] == '.')
				le[strlen(le) - 1] = '\0';
			cum += some(i);
			snprintf(name, sizeof(name), "oomctl_reap_latency_seconds_bucket{le=\"%s\"}", le);
			cumulative &= value_of(out, name, v, sizeof(v)) &&
				      strtoull(v, NULL, 10) == cum;
		}
	}
	ok(cumulative, "every bucket is cumulative: the counts of all the buckets up to its le");
	snprintf(name, sizeof(name), "%llu", (unsigned long long)total);
	ok(value_of(out, "oomctl_reap_latency_seconds_bucket{le=\"+Inf\"}", v, sizeof(v)) &&
	   !strcmp(v, name) && value_of(out, "oomctl_reap_latency_seconds_count", v, sizeof(v)) &&
	   !strcmp(v, name), "le=\"+Inf\" and _count: all %s observations (the open bucket's too)", name);
	ok(!strstr(out, "oomctl_reap_latency_seconds_sum"), "no _sum: the kernel reports none, and none is made up");
	ok(strstr(out, "oomctl_reap_latency_seconds_bucket{le=\"+Inf\"}") <
	   strstr(out, "oomctl_reap_latency_seconds_count") &&
	   strstr(out, "# TYPE oomctl_reap_latency_seconds") <
	   strstr(out, "oomctl_reap_latency_seconds_bucket"),
	   "TYPE before the samples, +Inf the last bucket, then _count");
	ok(out[strlen(out) - 1] == '\n', "the last line ends with a newline");
	free(out);
}

/* The label words are monitor's: reason= and result= of its events */
static void test_label_words(void)
{
	static const struct { const char *counter; enum ev_field f; int base; } fam[] = {
		{ "oomctl_reap_queued_total{reason=\"", F_REASON, OOM_A_STATS_QUEUED_DELAY },
		{ "oomctl_reap_done_total{result=\"", F_RESULT, OOM_A_STATS_REAPED },
		{ "oomctl_freed_total{by=\"", F_FREED_BY, OOM_A_STATS_FREED_EXIT },
	};
	struct oom_stats st;
	char *out;

	kernel_stats(&st, zero);
	out = render("words", &st, NULL, NULL, 0);
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		size_t n = strlen(fam[i].counter);
		int seen = 0, good = 0;

		for (const char *p = strstr(out, fam[i].counter); p; p = strstr(p + 1, fam[i].counter)) {
			char word[32];
			struct event ev;
			unsigned long long v;

			if (sscanf(p + n, "%31[^\"]\"} %llu", word, &v) != 2)
				break;
			seen++;
			event_init(&ev, EV_REAP_DONE, "netlink");
			/* The kernel's counter for this word is the one whose
			 * enum value monitor gives the word */
			if (!event_set_name(&ev, fam[i].f, word) &&
			    v == 100 + fam[i].base + ev.v[fam[i].f])
				good++;
		}
		ok(seen == 3 && good == 3, "%.*s: the words of monitor's events, each on its own counter",
		   (int)(n - 2), fam[i].counter);
	}
	free(out);
}

static void test_older_kernel(void)
{
	struct oom_stats st;
	char *out;

	memset(&st, 0, sizeof(st));
	st.count[OOM_A_STATS_VICTIMS] = 3;
	st.count[OOM_A_STATS_QUEUED_DELAY] = 2;
	st.have = 1u << OOM_A_STATS_VICTIMS | 1u << OOM_A_STATS_QUEUED_DELAY;
	out = render("older", &st, NULL, NULL, 0);
	ok(has_line(out, "oomctl_victims_total 3") &&
	   has_line(out, "oomctl_reap_queued_total{reason=\"delay\"} 2") &&
	   count_prefix(out, "oomctl_reap_queued_total{") == 1,
	   "an older kernel's few counters: those it sent, no others in their family");
	ok(!strstr(out, "events_dropped") && !strstr(out, "reap_done") && !strstr(out, "mrelease"),
	   "a family the kernel sent nothing of is left out, # HELP and # TYPE too");
	ok(!strstr(out, "latency"), "no buckets: no histogram at all");
	free(out);

	kernel_stats(&st, zero);
	out = render("empty", &st, NULL, NULL, 0);
	ok(count_prefix(out, "oomctl_reap_latency_seconds_bucket{") == NBUCKETS &&
	   has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"+Inf\"} 0") &&
	   has_line(out, "oomctl_reap_latency_seconds_count 0") &&
	   has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"0.000002\"} 0"),
	   "no reaps yet: every bucket there, all 0, +Inf and _count 0");
	free(out);
}

static void test_huge(void)
{
	struct oom_stats st;
	char *out;

	kernel_stats(&st, huge);
	for (int a = OOM_A_STATS_VICTIMS; a <= OOM_A_STATS_EVENTS_DROPPED; a++)
		st.count[a] = UINT64_MAX;
	out = render("huge", &st, NULL, NULL, 0);
	ok(has_line(out, "oomctl_victims_total 18446744073709551615"),
	   "a counter at UINT64_MAX: all 20 digits");
	ok(has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"0.000002\"} 18446744073709551615") &&
	   has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"0.000004\"} 36893488147419103230"),
	   "cumulative buckets past 2^64 do not wrap: 2 x UINT64_MAX exact");
	/* 24 * (2^64 - 1) */
	ok(has_line(out, "oomctl_reap_latency_seconds_bucket{le=\"+Inf\"} 442721857769029238760") &&
	   has_line(out, "oomctl_reap_latency_seconds_count 442721857769029238760"),
	   "+Inf and _count: 24 x UINT64_MAX, exact");
	free(out);
}

/*
 * The row a later kernel's histograms get: other units, a sum.  The
 * counters stand in for a sum attribute the kernel does not have yet.
 */
static void test_units_and_sum(void)
{
	static const struct prom_hist h[] = {
		{ "t_freed_bytes", "Memory, \\ and\nnewline.", PU_KB,
		  offsetof(struct oom_stats, hist), offsetof(struct oom_stats, nhist),
		  OOM_A_STATS_MRELEASE_CALLS },
		{ "t_delay_seconds", "Milliseconds.", PU_MS,
		  offsetof(struct oom_stats, hist), offsetof(struct oom_stats, nhist),
		  OOM_A_STATS_EVENTS_DROPPED },
	};
	struct oom_stats st;
	char *out;

	kernel_stats(&st, some);
	st.count[OOM_A_STATS_MRELEASE_CALLS] = UINT64_MAX;
	st.count[OOM_A_STATS_EVENTS_DROPPED] = 1500;
	out = render("units", &st, NULL, h, 2);
	ok(has_line(out, "t_freed_bytes_bucket{le=\"2048\"} 0") &&
	   has_line(out, "t_freed_bytes_bucket{le=\"8589934592\"} 169"),
	   "kB bounds in bytes (2 kB 2048, 2^23 kB 8589934592)");
	ok(has_line(out, "t_freed_bytes_sum 18889465931478580853760"),
	   "a sum attribute gives _sum, in bytes, exact: (2^64 - 1) kB");
	ok(has_line(out, "t_delay_seconds_bucket{le=\"0.002\"} 0") &&
	   has_line(out, "t_delay_seconds_sum 1.5") && has_line(out, "t_delay_seconds_bucket{le=\"8388.608\"} 169"),
	   "ms bounds and sum in seconds (2 ms 0.002, 1500 ms 1.5)");
	ok(has_line(out, "# HELP t_freed_bytes Memory, \\\\ and\\nnewline."),
	   "HELP escapes the backslash and the newline");
	st.have &= ~(1u << OOM_A_STATS_MRELEASE_CALLS);
	free(out);
	out = render("nosum", &st, NULL, h, 1);
	ok(!strstr(out, "t_freed_bytes_sum") && has_line(out, "t_freed_bytes_count 192"),
	   "a sum attribute the kernel did not send: no _sum, _count still");
	free(out);
}

static void test_policy(void)
{
	struct oom_stats st;
	struct policy p = { .val = { 250, 1, OOM_REAP_ORDER_REVERSE }, .have = 7 };
	char *out;

	kernel_stats(&st, zero);
	out = render("policy", &st, &p, NULL, 0);
	ok(has_line(out, "# TYPE oomctl_policy_reap_delay_seconds gauge") &&
	   has_line(out, "oomctl_policy_reap_delay_seconds 0.25"),
	   "policy: the delay as a gauge in seconds (250 ms 0.25)");
	ok(has_line(out, "oomctl_policy_reap_frozen_bypass 1"), "policy: frozen-bypass on is 1");
	ok(has_line(out, "oomctl_policy_reap_order{order=\"forward\"} 0") &&
	   has_line(out, "oomctl_policy_reap_order{order=\"reverse\"} 1"),
	   "policy: the order as a state set, 1 for reverse, 0 for forward");
	free(out);
	p.val[SET_DELAY] = 2000;
	p.val[SET_FROZEN_BYPASS] = 0;
	p.val[SET_ORDER] = 7;
	out = render("policy-unknown", &st, &p, NULL, 0);
	ok(has_line(out, "oomctl_policy_reap_delay_seconds 2") &&
	   has_line(out, "oomctl_policy_reap_frozen_bypass 0") &&
	   has_line(out, "oomctl_policy_reap_order{order=\"forward\"} 0") &&
	   has_line(out, "oomctl_policy_reap_order{order=\"reverse\"} 0") &&
	   has_line(out, "oomctl_policy_reap_order{order=\"7\"} 1"),
	   "policy: 2 s; an order this oomctl has no word for is its number, with 1");
	free(out);
	p.have = 1u << SET_DELAY;
	out = render("policy-part", &st, &p, NULL, 0);
	ok(strstr(out, "oomctl_policy_reap_delay_seconds") &&
	   !strstr(out, "oomctl_policy_reap_frozen_bypass") && !strstr(out, "oomctl_policy_reap_order"),
	   "policy: a setting the kernel did not send has no gauge");
	free(out);
}

/* --- DIR/oomctl.prom ------------------------------------------------------ */

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* The names in dir, space-separated, sorted by readdir order: for "only
 * oomctl.prom is left" */
static const char *listing(const char *dir)
{
	static char buf[512];
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	buf[0] = '\0';
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? " " : "", de->d_name);
	if (d)
		closedir(d);
	return buf;
}

static void test_textfile(void)
{
	char dir[] = "/tmp/oomctl-prom.XXXXXX", path[PATH_MAX], sub[PATH_MAX], big[8192];
	const char *step = NULL, *s;
	struct rlimit rl, old_rl;
	struct stat sb, sb2;
	mode_t old_mask;
	int ret, fd;

	if (!mkdtemp(dir)) {
		ok(false, "textfile: mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, PROM_TEXTFILE);

	ok(textfile_check(dir) == 0, "textfile_check: a writable directory");
	ok(textfile_check("/nonexistent/oomctl") == -ENOENT, "textfile_check: no such directory, ENOENT");
	ok(textfile_check("") == -ENOENT, "textfile_check: an empty path, ENOENT");
	ok(textfile_check("/dev/null") == -ENOTDIR, "textfile_check: a file, ENOTDIR");
	memset(big, 'a', PATH_MAX);
	big[0] = '/';
	big[PATH_MAX] = '\0';
	ok(textfile_check(big) == -ENAMETOOLONG, "textfile_check: a path of PATH_MAX bytes, ENAMETOOLONG");

	/* A umask that would leave node_exporter (another user) out */
	old_mask = umask(077);
	ret = textfile_write(dir, "a 1\n", 4, &step);
	umask(old_mask);
	s = slurp(path);
	ok(ret == 0 && s && !strcmp(s, "a 1\n"), "textfile_write: DIR/oomctl.prom written");
	memset(&sb, 0, sizeof(sb));
	stat(path, &sb);
	ok((sb.st_mode & 07777) == 0644, "textfile_write: mode 0644 whatever the umask (umask 077: %o)",
	   sb.st_mode & 07777);
	ok(!strcmp(listing(dir), PROM_TEXTFILE), "textfile_write: no temporary file left (%s)", listing(dir));

	/* A reader that has the old file open keeps reading the old file:
	 * the new one is another inode, renamed over it */
	fd = open(path, O_RDONLY);
	ret = textfile_write(dir, "b 2\n", 4, &step);
	s = slurp(path);
	ok(ret == 0 && s && !strcmp(s, "b 2\n") && fstat(fd, &sb) == 0 && stat(path, &sb2) == 0 &&
	   sb.st_ino != sb2.st_ino && sb.st_nlink == 0,
	   "textfile_write: replaces the file by rename: a reader of the old one is not disturbed");
	close(fd);

	/* A write that fails half-way (a file size limit: EFBIG; ENOSPC and
	 * EROFS are provoked in the VM): old file intact, no temporary file */
	memset(big, 'x', sizeof(big));
	getrlimit(RLIMIT_FSIZE, &old_rl);
	rl = old_rl;
	rl.rlim_cur = 1024;
	setrlimit(RLIMIT_FSIZE, &rl);
	ret = textfile_write(dir, big, sizeof(big), &step);
	setrlimit(RLIMIT_FSIZE, &old_rl);
	s = slurp(path);
	ok(ret == -EFBIG && !strcmp(step, "write"),
	   "textfile_write: a write cut short by the file size limit fails (%s: %s), no SIGXFSZ",
	   step, strerror(-ret));
	ok(s && !strcmp(s, "b 2\n"), "textfile_write: after a failed write the old file is intact");
	ok(!strcmp(listing(dir), PROM_TEXTFILE), "textfile_write: no temporary file left after the failure (%s)",
	   listing(dir));
	ok(signal(SIGXFSZ, SIG_DFL) == SIG_DFL, "textfile_write: SIGXFSZ's disposition put back");

	/* The name taken by a directory: rename fails, nothing left behind */
	unlink(path);
	mkdir(path, 0755);
	ret = textfile_write(dir, "c 3\n", 4, &step);
	ok(ret == -EISDIR && !strcmp(step, "rename") && !strcmp(listing(dir), PROM_TEXTFILE),
	   "textfile_write: oomctl.prom a directory: EISDIR at rename, temporary file removed");
	rmdir(path);

	snprintf(sub, sizeof(sub), "%s/gone", dir);
	ret = textfile_write(sub, "d 4\n", 4, &step);
	ok(ret == -ENOENT && !strcmp(step, "create a temporary file"),
	   "textfile_write: a directory that went away: ENOENT creating the temporary file");
	rmdir(dir);
}

void test_prom(void)
{
	test_counters_and_hist();
	test_label_words();
	test_older_kernel();
	test_huge();
	test_units_and_sum();
	test_policy();
	test_textfile();
}
