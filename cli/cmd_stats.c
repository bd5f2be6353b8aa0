// SPDX-License-Identifier: GPL-2.0
/* oomctl stats: the family's counters and the kill -> freed and kill ->
 * reap-done latency histograms */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomctl.h"
#include "output.h"
#include "prom.h"

static const struct {
	int attr;
	const char *key;	/* JSON; the text label is the key with dashes */
} counters[] = {
	{ OOM_A_STATS_VICTIMS, "victims" },
	{ OOM_A_STATS_QUEUED_DELAY, "queued_delay" },
	{ OOM_A_STATS_QUEUED_ZERO_DELAY, "queued_zero_delay" },
	{ OOM_A_STATS_QUEUED_FROZEN_BYPASS, "queued_frozen_bypass" },
	{ OOM_A_STATS_REAPED, "reaped" },
	{ OOM_A_STATS_EXITED_FIRST, "exited_first" },
	{ OOM_A_STATS_GAVE_UP, "gave_up" },
	{ OOM_A_STATS_MRELEASE_CALLS, "mrelease_calls" },
	{ OOM_A_STATS_EVENTS_DROPPED, "events_dropped" },
	{ OOM_A_STATS_FREED_EXIT, "freed_exit" },
	{ OOM_A_STATS_FREED_OOM_REAPER, "freed_oom_reaper" },
	{ OOM_A_STATS_FREED_MRELEASE, "freed_mrelease" },
};

/* The histograms, in the order shown: when the memory was back first,
 * what the operator waits for */
static const struct {
	const char *key;	/* JSON */
	const char *title;	/* text */
	const char *none;	/* text, when empty */
	size_t buckets, nbuckets;
} hists[] = {
	{ "freed_latency_hist",
	  "kill -> freed, OOM kill to the victim's memory back (its mm torn down)",
	  "(no victim's memory freed yet)",
	  offsetof(struct oom_stats, freed_hist), offsetof(struct oom_stats, nfreed_hist) },
	{ "latency_hist",
	  "kill -> reap-done, OOM kill to the end of a reap by the oom_reaper",
	  "(no reaps yet)",
	  offsetof(struct oom_stats, hist), offsetof(struct oom_stats, nhist) },
};

#define BAR_WIDTH 40

/* 1500 -> "1.5ms": bucket bounds as people read them */
static void fmt_us(uint64_t us, char *buf, size_t len)
{
	if (us < 1000)
		snprintf(buf, len, "%lluus", (unsigned long long)us);
	else if (us < 1000000)
		snprintf(buf, len, "%.1fms", (double)us / 1e3);
	else
		snprintf(buf, len, "%.1fs", (double)us / 1e6);
}

/*
 * The buckets with the bounds the kernel gave them: [from_us, to_us), the
 * last one open (no to_us).  Text shows the range from the first to the
 * last bucket that counted anything.
 */
static void print_hist(const struct oom_stats *st, size_t h, bool no_header)
{
	const struct oom_bucket *hist = (const void *)((const char *)st + hists[h].buckets);
	unsigned int nhist = *(const unsigned int *)((const char *)st + hists[h].nbuckets);
	unsigned int first = nhist, last = 0;
	uint64_t max = 0;

	for (unsigned int i = 0; i < nhist; i++) {
		if (!hist[i].count)
			continue;
		if (first == nhist)
			first = i;
		last = i;
		if (hist[i].count > max)
			max = hist[i].count;
	}
	if (!no_header)
		out_text("\n%s:\n", hists[h].title);
	if (!max)
		out_text("  %s\n", hists[h].none);
	out_arr_begin(hists[h].key);
	for (unsigned int i = 0; i < nhist; i++) {
		const struct oom_bucket *b = &hist[i];
		char lo[24], hi[24] = "", bar[BAR_WIDTH + 1];
		int n;

		out_obj_begin(NULL);
		out_u64("from_us", NULL, b->low_us);
		if (b->has_high)
			out_u64("to_us", NULL, b->high_us);
		out_u64("count", NULL, b->count);
		out_obj_end();
		if (!max || i < first || i > last)
			continue;
		n = (int)((b->count * BAR_WIDTH + max - 1) / max);
		memset(bar, '#', (size_t)n);
		bar[n] = '\0';
		fmt_us(b->low_us, lo, sizeof(lo));
		if (b->has_high)
			fmt_us(b->high_us, hi, sizeof(hi));
		out_text("  %7s .. %-7s %10llu %s\n", lo, hi,
			 (unsigned long long)b->count, bar);
	}
	out_arr_end();
}

void stats_print(const struct oom_stats *st, bool no_header)
{
	if (!no_header)
		out_text("%-22s %12s\n", "COUNTER", "VALUE");
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		char label[32];

		if (!(st->have & (1u << counters[i].attr)))
			continue;
		snprintf(label, sizeof(label), "%s", counters[i].key);
		for (char *p = label; *p; p++)
			if (*p == '_')
				*p = '-';
		out_text("%-22s ", label);
		out_u64(counters[i].key, "%12llu\n", st->count[counters[i].attr]);
	}
	for (size_t h = 0; h < sizeof(hists) / sizeof(hists[0]); h++) {
		/* A kernel without the freed histogram: no title for nothing */
		if (h == 0 && !(st->have & (1u << OOM_A_STATS_FREED_EXIT)) && !st->nfreed_hist)
			continue;
		print_hist(st, h, no_header);
	}
}

/* A --textfile failure for dir: the exit code for err (-errno) */
static int textfile_error(const char *dir, int err, const char *step)
{
	if (step)
		msg("stats: %s/%s: %s: %s (the old file, if any, is left as it was)",
		    dir, PROM_TEXTFILE, step, strerror(-err));
	else
		msg("stats: --textfile %s: %s", dir, strerror(-err));
	return err == -EACCES || err == -EPERM ? EXIT_PERM : EXIT_FAIL;
}

/* -o prometheus on stdout, or --textfile: all written or nothing */
static int stats_prom(const struct opts *o, const struct oom_stats *st,
		      const struct policy *p)
{
	const char *step;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	if (!f) {
		msg("stats: %s", strerror(errno));
		return EXIT_FAIL;
	}
	ret = prom_write(f, st, p);
	if (fclose(f) || ret) {
		free(buf);
		msg("stats: out of memory");
		return EXIT_FAIL;
	}
	if (o->textfile) {
		ret = textfile_write(o->textfile, buf, len, &step);
		if (ret)
			ret = textfile_error(o->textfile, ret, step);
	} else {
		/* A write error is main()'s to report */
		fwrite(buf, 1, len, stdout);
	}
	free(buf);
	return ret;
}

int cmd_stats(struct opts *o, int argc, char **argv)
{
	bool prom = o->format == FMT_PROMETHEUS || o->textfile;
	struct oom_stats st;
	struct policy pol;
	struct nl_err e;
	struct oom s;
	int ret;

	(void)argc, (void)argv;	/* none: cmdline.c checked */
	if (o->textfile) {
		/* A bad path fails before the kernel is asked anything */
		if (o->format_set && o->format != FMT_PROMETHEUS)
			return usage_error("stats", "--textfile writes the Prometheus format, not %s",
					   o->format == FMT_JSON ? "JSON" : "text");
		ret = textfile_check(o->textfile);
		if (ret)
			return textfile_error(o->textfile, ret, NULL);
	}
	ret = oom_connect(&s, "stats");
	if (ret == -ENOENT) {
		msg("stats: stock kernels count OOM kills only: see oom_kill in /proc/vmstat");
		return stock_explain("stats");
	}
	if (ret)
		return EXIT_FAIL;
	ret = oom_stats_get(&s, &st, &e);
	/* The policy too, for Prometheus: gauges a fleet's dashboards
	 * compare across machines */
	if (!ret && prom)
		ret = oom_policy_get(&s, &pol, &e);
	oom_disconnect(&s);
	if (ret)
		return report_nl_error("stats", ret, &e);
	if (prom)
		return stats_prom(o, &st, &pol);

	out_begin();
	stats_print(&st, o->no_header);
	return out_end() ? EXIT_FAIL : EXIT_OK;
}
