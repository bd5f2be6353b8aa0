// SPDX-License-Identifier: GPL-2.0
/*
 * Section "robust": what a delay of 0 does to robust futexes (issue 13,
 * item 2), on the patched kernel and on stock 7.3.
 *
 * The reaper's delay exists for robust futexes (e4a38402c36e, 2022): the
 * victim's exit walks its robust list, whose head glibc keeps in the
 * victim's private memory; if the oom_reaper has unmapped that memory
 * first, the mutexes the victim held are never marked OWNER_DIED and their
 * waiters are never woken.  The scenario is selftests/oom_robust_futex.c's,
 * from the same code (selftests/lib/robust_victim.h): A, the victim, holds
 * a process-shared robust mutex in MAP_SHARED memory and 48 MiB of private
 * memory in its own memory cgroup, pinned to CPU 1; B, another process on
 * CPU 0, waits for the mutex with a 4.5 s limit; the kill lowers A's
 * memory.max from CPU 0.  Rows, interleaved within each repetition:
 *
 *   starved 0   nothing else runs on A's CPU: A exits at once
 *   starved 1   S, a SCHED_FIFO busy loop on A's CPU, ends 800 ms after it
 *               started, just before the kill: A's exit waits for it
 *
 * times (patched) delay 2000 (the default) and delay 0 (-c: the delays),
 * frozen bypass off, reverse order; (stock) its fixed 2 s delay.
 *
 * Per kill, time 0 = oom:mark_victim: B's outcome (EOWNERDEAD: woken by
 * A's exit; ETIMEDOUT: hung until its limit) and when it returned;
 * kill -> memory back (the earlier of the reaper's pass ending and A's
 * exit_mmap() ending, as in "starved"); whether the reaper started before
 * A entered its exit (oom:start_task_reaping before sched_process_exit,
 * which fires before exit_mm() walks the robust list).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/futex.h>

#include "bench.h"
#include "oom_policy.h"
#include "robust_victim.h"

#define ROBUST_MAX_DELAYS	4

/* A has exited, and a reaper pass that started has ended. */
static bool robust_settled(const struct kobs *k)
{
	return kobs_exit_done(k) && (k->reap_start < 0 || k->reap_finish >= 0);
}

static const char *outcome(const struct robust_victim *rv)
{
	static char buf[32];

	if (rv->b_err)
		return "no-report";
	if (rv->wait.rc == EOWNERDEAD)
		return "EOWNERDEAD";
	if (rv->wait.rc == ETIMEDOUT)
		return "ETIMEDOUT";
	snprintf(buf, sizeof(buf), "rc-%d", rv->wait.rc);
	return buf;
}

static void step(struct robust_victim *rv, int err)
{
	if (err)
		die("robust: %s: %s", rv->step, strerror(err));
}

/* One kill; @delay < 0: stock 7.3, whose delay is not ours to set. */
static void one_robust(const struct bopts *o, struct ktrace *kt,
		       const struct memcg *cg, int delay, bool starved,
		       int rep)
{
	struct robust_victim rv;
	struct kobs k;
	struct rec r;
	char cfg[16];
	int64_t t_freed;
	pid_t a;

	if (delay >= 0)
		policy(delay, 0, OOM_REAP_ORDER_DEFAULT);
	step(&rv, robust_victim_init(&rv));
	step(&rv, robust_victim_holder(&rv, cg));
	a = rv.holder;
	ktrace_follow(kt, a);
	step(&rv, robust_victim_block(&rv));
	if (starved)
		step(&rv, robust_victim_starve(&rv));
	ktrace_drain(kt);
	step(&rv, robust_victim_kill(&rv, cg));
	/* A's end and B's, by their own events; the trace is read after */
	robust_victim_observe(&rv);
	kobs_init(&k, a);
	kobs_collect(kt, &k, robust_settled, 2000);
	t_freed = kobs_freed_at(&k);
	robust_victim_teardown(&rv);

	if (delay >= 0)
		snprintf(cfg, sizeof(cfg), "%d", delay);
	else
		snprintf(cfg, sizeof(cfg), "stock");
	rec_begin(&r, "robust");
	rec_str(&r, "kernel", kernel_kind());
	rec_str(&r, "cfg", cfg);
	rec_int(&r, "delay_set_ms", delay);
	rec_int(&r, "starved", starved);
	rec_int(&r, "rep", rep);
	rec_str(&r, "outcome", outcome(&rv));
	rec_ms(&r, "t_kill", rv.t_kill_us, k.mark);
	rec_ms(&r, "t_b_block", rv.t_block_us, k.mark);
	rec_ms(&r, "t_b_end", rv.b_err ? -1 : rv.wait.end_us, k.mark);
	rec_ms(&r, "t_a_dead", rv.t_a_dead_us, k.mark);
	rec_ms(&r, "t_freed", t_freed, k.mark);
	rec_str(&r, "freed_by", t_freed < 0 ? "" : t_freed == k.reap_finish ?
		"reaper" : "exit");
	/* The hazard itself: the reaper at A's memory before A's exit */
	rec_int(&r, "reap_before_exit", k.reap_start >= 0 &&
		(k.exit_start < 0 || k.reap_start < k.exit_start));
	rec_int(&r, "a_killed", !rv.a_err && WIFSIGNALED(rv.a_status) &&
		WTERMSIG(rv.a_status) == SIGKILL);
	rec_int(&r, "owner_died", !!(rv.word & FUTEX_OWNER_DIED));
	rec_int(&r, "recovered", rv.wait.rc == EOWNERDEAD &&
		!rv.wait.consistent_rc && !rv.wait.unlock_rc &&
		!rv.wait.relock_rc);
	kobs_rec(&r, &k, k.mark);
	if (o->label)
		rec_str(&r, "label", o->label);
	rec_end(&r);
}

int sec_robust(const struct bopts *o)
{
	bool patched = oom_policy_present();
	int delays[ROBUST_MAX_DELAYS], ndelays = 0, n;
	struct { int delay; bool starved; } rows[2 * ROBUST_MAX_DELAYS];
	char buf[64], *tok, *save;
	struct ktrace kt;
	struct memcg cg;
	int err;

	if (patched) {
		snprintf(buf, sizeof(buf), "%s", o->cases ? o->cases : "2000,0");
		for (tok = strtok_r(buf, ",", &save);
		     tok && ndelays < ROBUST_MAX_DELAYS;
		     tok = strtok_r(NULL, ",", &save))
			delays[ndelays++] = atoi(tok);
	} else {
		delays[ndelays++] = -1;
	}
	n = 0;
	for (int i = 0; i < ndelays; i++)
		for (int s = 0; s < 2; s++)
			rows[n++] = (typeof(rows[0])){ delays[i], s };

	unpin_all(false);	/* the reaper anywhere: CPU 1 is S's when starved */
	err = ktrace_open(&kt, true);
	if (err)
		die("tracefs: %s", strerror(err));
	err = memcg_create(&cg, "oombench-robust");
	if (err)
		die("robust: memcg: %s", strerror(err));

	for (int rep = 0; rep < o->reps; rep++) {
		for (int i = 0; i < n; i++) {
			int j = (i + rep) % n;

			one_robust(o, &kt, &cg, rows[j].delay, rows[j].starved,
				   rep);
		}
		note("robust: repetition %d/%d done (%s kernel)", rep + 1,
		     o->reps, kernel_kind());
	}

	if (patched)
		policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT,
		       OOM_REAP_ORDER_DEFAULT);
	memcg_destroy(&cg);
	ktrace_close(&kt);
	return 0;
}
