/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomctl stats -o prometheus and --textfile: the counters, the histograms
 * and the policy in the Prometheus text exposition format (version 0.0.4,
 * what node_exporter's textfile collector reads), with names that are
 * valid OpenMetrics names too; and the atomic replacement of
 * DIR/oomctl.prom.  The metrics come from tables in prom.c: a counter
 * family, a histogram or a policy gauge is one row.
 */
#ifndef OOMCTL_PROM_H
#define OOMCTL_PROM_H

#include <stddef.h>
#include <stdio.h>

#include "oomnl.h"
#include "settings.h"

#define PROM_TEXTFILE "oomctl.prom"

/* How the kernel counts a value; the output is in base units (seconds,
 * bytes) */
enum prom_unit { PU_ONE, PU_US, PU_MS, PU_KB };

/*
 * A histogram: buckets (an array of struct oom_bucket) and their number
 * (an unsigned int) in struct oom_stats, by offsetof.  The kernel's
 * buckets are per bucket: written cumulative, with le = the bucket's
 * upper bound and an le="+Inf" bucket.  sum_attr: the OOM_A_STATS_*
 * counter holding the sum of the observations, 0 if the kernel gives
 * none (then there is no _sum line: a sum cannot be made up).
 */
struct prom_hist {
	const char *name;	/* base name, without _bucket, _sum, _count */
	const char *help;
	enum prom_unit unit;	/* of the bounds and of the sum */
	size_t buckets, nbuckets;
	int sum_attr;
};

/*
 * Write the families of st (and the policy gauges of p, if p is not NULL)
 * to f: 0, or -1 if f has a write error.  A counter the kernel did not
 * send (an older kernel) has no line; a family without any, and a
 * histogram without buckets, are left out whole.
 */
int prom_write(FILE *f, const struct oom_stats *st, const struct policy *p);
/* The same with other histograms than the kernel's (for the unit tests) */
int prom_write_hists(FILE *f, const struct oom_stats *st, const struct policy *p,
		     const struct prom_hist *hists, size_t nhists);

/*
 * Can dir take DIR/oomctl.prom: a directory we may write in?  0, or
 * -errno (ENOENT, ENOTDIR, EACCES, EROFS, ENAMETOOLONG, ...).  Asked
 * before the kernel, so that a bad path fails first.
 */
int textfile_check(const char *dir);
/*
 * Replace dir/oomctl.prom with len bytes of buf: written to a temporary
 * file in dir (.oomctl.prom.XXXXXX, which node_exporter ignores), mode
 * 0644, fsync()ed, renamed over the old one.  0, or -errno with *step
 * naming what failed; then the old file is untouched and the temporary
 * one removed.
 */
int textfile_write(const char *dir, const char *buf, size_t len, const char **step);

#endif
