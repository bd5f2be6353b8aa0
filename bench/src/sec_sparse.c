// SPDX-License-Identifier: GPL-2.0
/*
 * Section 1b: a sparse address space (issue 10, item 1).  The victim maps
 * one MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE region of 1 TiB or 16 TiB
 * and writes only o->size bytes of it (32 MiB in the full run), in four
 * 2 MiB-aligned chunks at the bottom, one and two thirds, and the top
 * (selftests/lib/victim.h, victim_spawn_sparse(): the selftest's victim).
 * Reaping it must cost time per populated page table, not per byte of
 * address space, in either order.
 *
 * Each victim is reaped once, by
 *   reaper    the oom_reaper: memcg OOM kill with delay 0, the victim's mm
 *             pinned from outside (selftests/lib/mm_pin.h) so that
 *             exit_mmap() cannot run and the reaper frees everything;
 *             measured: duration_us of oom:reap_result (the reaper's own
 *             pass; the kill comes from lowering memory.max, whose writer
 *             runs on CPU 1 with us, the reaper alone on CPU 0);
 *   mrelease  process_mrelease(2) after pidfd_send_signal(SIGKILL), the
 *             victim held at its exit stop before exit_mm()
 *             (selftests/lib/exit_stop.h) so that the call does all the
 *             freeing; measured: the syscall's time (CLOCK_MONOTONIC around
 *             it), with duration_us of oom:reap_result beside it.
 * forward (vm.oom_reap_order=0) and reverse (1), THP off and on (the
 * victim set up with THP "always", bench/src/thp.c: its chunks are
 * PMD-mapped; the lib's own THP switch is madvise(MADV_HUGEPAGE), which the
 * VM kernel, without CONFIG_ADVISE_SYSCALLS, does not have), all
 * interleaved inside each repetition, the order rotating.
 *
 * Records "sparse", one per reap.  A configuration whose reaps have taken
 * BUDGET_US in all is not repeated any more (a record with "skipped" says
 * so): a reverse walk that is slow per byte of address space took 8-11 s
 * per 16 TiB reap, and the ratio is clear long before n of those.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"
#include "exit_stop.h"
#include "fileio.h"
#include "oom_policy.h"
#include "oom_run.h"

#define REAPER_CPU	0
#define BENCH_CPU	1	/* us, the victim, the memory.max writer */
#define REAP_WAIT_MS	120000	/* one pass: a slow reverse walk took 11 s */
#define BUDGET_US	(60LL * 1000000)
#define MAX_CASES	4

struct scase {
	char name[32];
	size_t map;
};

enum way { BY_REAPER, BY_MRELEASE };
static const char *const way_name[] = { "reaper", "mrelease" };

static void parse_cases(const struct bopts *o, struct scase *c, int *n)
{
	char buf[128], *tok, *save, *end;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", o->cases ? o->cases : "1t,16t");
	for (tok = strtok_r(buf, ",", &save); tok && *n < MAX_CASES;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long v = strtoul(tok, &end, 10);
		size_t map;

		if (!v || (strcmp(end, "t") && strcmp(end, "g")))
			die("sparse: case '%s': give a size like 1t or 512g", tok);
		map = (size_t)v << (*end == 't' ? 40 : 30);
		c[*n].map = map;
		snprintf(c[*n].name, sizeof(c[*n].name), "%lu%s", v,
			 *end == 't' ? "TiB" : "GiB");
		(*n)++;
	}
}

/* duration_us of the reap_result seen, or -1 */
static long long field_ll(const struct oom_run *r, enum oom_ev e,
			  const char *key)
{
	unsigned long long v;

	if (!r->seen[e] || trace_field_ull(&r->ev[e], key, &v))
		return -1;
	return (long long)v;
}

static void field_str(const struct oom_run *r, enum oom_ev e, const char *key,
		      char *buf, size_t size)
{
	buf[0] = '\0';
	if (r->seen[e] && !trace_field(&r->ev[e], key, buf, size))
		buf[0] = '\0';
}

/* One victim reaped once; returns the measured time in us (or -1) */
static long long one(const struct bopts *o, const struct scase *c,
		     enum way way, bool thp, unsigned int order, int rep)
{
	struct oom_run r;
	struct rec rc;
	char src[24], res[24], ord[16];
	long long reap_us, call_us = -1, kill_to_end = -1;
	long huge, mr_ret = 0, mr_errno = 0, err;
	uint64_t before, after;
	int pidfd = -1;
	bool traced = false;
	pid_t pid;

	policy(way == BY_REAPER ? 0 : OOM_REAP_DELAY_DEFAULT_MS,
	       OOM_FROZEN_BYPASS_DEFAULT, order);
	if (thp)
		thp_victim_begin();
	err = oom_run_setup_sparse(&r, c->map, o->size, false);
	if (thp)
		thp_victim_end();
	if (err) {
		oom_run_teardown(&r);
		die("sparse: %s victim with %zu MiB written%s: %s", c->name,
		    o->size / MIB, thp ? " (THP)" : "", strerror(err));
	}
	pid = r.victim.pid;
	before = oom_run_charged(&r);
	huge = proc_smaps_kb(pid, "AnonHugePages");

	if (way == BY_REAPER) {
		err = oom_run_pin(&r);
		if (!err) {
			usleep(20000);	/* let the setup settle */
			err = oom_run_kill(&r);
		}
		if (err) {
			oom_run_teardown(&r);
			die("sparse: pin/kill: %s", strerror(err));
		}
		err = oom_run_wait(&r, oom_run_done(&r), REAP_WAIT_MS);
		if (r.seen[OOM_EV_MARK_VICTIM] && r.seen[OOM_EV_REAP_RESULT])
			kill_to_end = oom_run_gap_us(&r, OOM_EV_MARK_VICTIM,
						     OOM_EV_REAP_RESULT);
	} else {
		int64_t t0;

		pidfd = syscall(__NR_pidfd_open, pid, 0);
		err = pidfd < 0 ? errno : exit_stop_seize(pid);
		traced = !err;
		if (!err && syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0))
			err = errno;
		if (!err)
			err = exit_stop_wait(pid, OOM_RUN_STEP_MS);
		if (err) {
			if (traced)
				exit_stop_abandon(pid, OOM_RUN_STEP_MS);
			oom_run_teardown(&r);
			die("sparse: kill to the exit stop: %s", strerror(err));
		}
		usleep(20000);
		t0 = now_us();
		mr_ret = syscall(__NR_process_mrelease, pidfd, 0);
		call_us = now_us() - t0;
		mr_errno = mr_ret ? errno : 0;
		/* It fired inside the syscall: no waiting really needed */
		err = oom_run_wait(&r, OOM_EV_REAP_RESULT, OOM_RUN_STEP_MS);
	}
	after = oom_run_charged(&r);
	reap_us = field_ll(&r, OOM_EV_REAP_RESULT, "duration_us");
	field_str(&r, OOM_EV_REAP_RESULT, "source", src, sizeof(src));
	field_str(&r, OOM_EV_REAP_RESULT, "result", res, sizeof(res));
	field_str(&r, OOM_EV_REAP_RESULT, "order", ord, sizeof(ord));

	rec_begin(&rc, "sparse");
	rec_str(&rc, "case", c->name);
	rec_int(&rc, "map_gib", c->map >> 30);
	rec_int(&rc, "touch_mib", o->size / MIB);
	rec_str(&rc, "way", way_name[way]);
	rec_str(&rc, "cfg", oom_order_name(order));
	rec_int(&rc, "thp", thp);
	rec_int(&rc, "rep", rep);
	rec_int(&rc, "pid", pid);
	rec_int(&rc, "anon_huge_kb", huge);
	rec_int(&rc, "charged_before_kb", before >> 10);
	rec_int(&rc, "charged_after_kb", after >> 10);
	rec_int(&rc, "reap_us", reap_us);
	rec_int(&rc, "attempts", field_ll(&r, OOM_EV_REAP_RESULT, "attempts"));
	rec_str(&rc, "source", src);
	rec_str(&rc, "order", ord);
	rec_str(&rc, "result", res);
	rec_int(&rc, "wait_err", err);
	if (way == BY_REAPER) {
		rec_int(&rc, "kill_to_reap_end_us", kill_to_end);
	} else {
		rec_int(&rc, "call_us", call_us);
		rec_int(&rc, "mrelease_ret", mr_ret);
		rec_int(&rc, "mrelease_errno", mr_errno);
	}
	if (o->label)
		rec_str(&rc, "label", o->label);
	rec_end(&rc);

	if (traced && exit_stop_release(pid))
		exit_stop_abandon(pid, OOM_RUN_STEP_MS);
	if (pidfd >= 0)
		close(pidfd);
	oom_run_teardown(&r);
	if (err)
		note("sparse: %s %s %s%s: no reap_result (%s)", c->name,
		     way_name[way], oom_order_name(order), thp ? " THP" : "",
		     strerror(err));
	return way == BY_REAPER ? reap_us : call_us;
}

int sec_sparse(const struct bopts *o)
{
	static const unsigned int orders[] = {
		OOM_REAP_ORDER_FORWARD, OOM_REAP_ORDER_REVERSE };
	/* Time spent per configuration: [case][way][thp][order] */
	static long long spent[MAX_CASES][2][2][2];
	struct scase cases[MAX_CASES];
	bool modes[2];
	char oc[16] = "";
	int ncases, nmodes;

	parse_cases(o, cases, &ncases);
	if (file_read("/proc/sys/vm/overcommit_memory", oc, sizeof(oc)) == 0 &&
	    atoi(oc) == 2)
		die("sparse: vm.overcommit_memory=2 ignores MAP_NORESERVE: no TiB mappings");
	nmodes = thp_modes("sparse", o->thp, modes);
	if (pin_self(BENCH_CPU))
		die("cannot pin to CPU %d", BENCH_CPU);
	pin_reaper(REAPER_CPU);

	for (int rep = 0; rep < o->reps; rep++) {
		for (int ci = 0; ci < ncases; ci++)
			for (int w = 0; w < 2; w++)
				for (int t = 0; t < nmodes; t++) {
					bool thp = modes[(t + rep) % nmodes];

					for (int i = 0; i < 2; i++) {
						int oi = (i + rep) % 2;
						long long *sp = &spent[ci][w][thp][oi];
						long long us;

						if (*sp > BUDGET_US) {
							struct rec rc;

							rec_begin(&rc, "sparse");
							rec_str(&rc, "case", cases[ci].name);
							rec_str(&rc, "way", way_name[w]);
							rec_str(&rc, "cfg", oom_order_name(orders[oi]));
							rec_int(&rc, "thp", thp);
							rec_int(&rc, "rep", rep);
							rec_int(&rc, "skipped", 1);
							rec_end(&rc);
							continue;
						}
						us = one(o, &cases[ci], w, thp,
							 orders[oi], rep);
						*sp += us > 0 ? us : REAP_WAIT_MS * 1000LL;
					}
				}
		note("sparse: repetition %d/%d done", rep + 1, o->reps);
	}
	policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT,
	       OOM_REAP_ORDER_DEFAULT);
	thp_restore();
	return 0;
}
