// SPDX-License-Identifier: GPL-2.0
/*
 * Which reaper settings leave a robust-futex waiter hung (issue 10, item 0).
 * The scenario (A, B, S, the kill, B's result) is lib/robust_victim.h,
 * which the bench's "robust" section runs too; why the delay matters for
 * robust futexes is said there.
 *
 *	A  the victim: in its own memory cgroup (memory.max 64M), pinned to
 *	   CPU 1, holds a process-shared robust pthread mutex that lives in a
 *	   MAP_SHARED|MAP_ANONYMOUS page (shmem: never reaped), and 48 MiB of
 *	   private anonymous memory, so that it is the cgroup's OOM victim.
 *	   Frozen with the cgroup v2 freezer in some rows.
 *	B  the waiter: a child of the test on CPU 0, outside A's cgroup,
 *	   blocked in pthread_mutex_clocklock() on that mutex (4.5 s limit).
 *	S  a SCHED_FIFO busy loop pinned to CPU 1 that ends by itself 800 ms
 *	   after it started (a thawed app on a busy phone, a container at its
 *	   CPU limit): A, killed, cannot run its exit until S is done.
 *
 * The test lowers memory.max of A's cgroup from CPU 0 right after S reports
 * that it is spinning; A is OOM-killed, the oom_reaper runs on CPU 0
 * meanwhile.  If A's exit walks its robust list before the reaper unmaps
 * its memory, B gets EOWNERDEAD about 0.8 s after the kill; if the reaper
 * comes first, B's wait ends with ETIMEDOUT.
 *
 *	settings (delay, bypass)	A frozen	B
 *	defaults			yes		EOWNERDEAD
 *	2000, 0				yes		EOWNERDEAD
 *	defaults			no		EOWNERDEAD
 *	2000, 1				yes		ETIMEDOUT  (the documented
 *	0, 0				no		ETIMEDOUT   hazards)
 *
 * The order is the default (reverse) in every row.  "defaults" is what
 * oom_policy_restore_defaults() writes, i.e. OOM_REAP_*_DEFAULT in
 * lib/oom_policy.h: with a frozen bypass that defaults to 1 the first row
 * hangs and fails, which is the bug this test is for.
 *
 * Waits are events (pipes, cgroup.events, SIGCHLD, trace_pipe) with
 * deadlines; the one exception is "B is blocked in futex()", which has no
 * event and is polled in /proc/B/syscall, bounded (in lib/robust_victim.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/futex.h>

#include "kselftest_harness.h"
#include "clock.h"
#include "memcg.h"
#include "oom_policy.h"
#include "oom_run.h"
#include "robust_victim.h"
#include "sysctl.h"

FIXTURE(robust) {
	struct oom_run run;	/* tracer and A's cgroup; A's pid for events */
	struct robust_victim rb;	/* the mutex, A, B, S and the writer */
};

FIXTURE_VARIANT(robust) {
	bool defaults;		/* oom_policy_restore_defaults() */
	unsigned int delay_ms;
	unsigned int bypass;
	bool frozen;
	int expect;		/* B's return code */
};

FIXTURE_VARIANT_ADD(robust, defaults_frozen) {
	.defaults = true, .frozen = true, .expect = EOWNERDEAD,
};

FIXTURE_VARIANT_ADD(robust, delay2000_bypass0_frozen) {
	.delay_ms = 2000, .bypass = 0, .frozen = true, .expect = EOWNERDEAD,
};

FIXTURE_VARIANT_ADD(robust, defaults_running) {
	.defaults = true, .frozen = false, .expect = EOWNERDEAD,
};

/* The documented hazard of turning the frozen bypass on. */
FIXTURE_VARIANT_ADD(robust, hazard_delay2000_bypass1_frozen) {
	.delay_ms = 2000, .bypass = 1, .frozen = true, .expect = ETIMEDOUT,
};

/* The documented hazard of delay 0. */
FIXTURE_VARIANT_ADD(robust, hazard_delay0_bypass0_running) {
	.delay_ms = 0, .bypass = 0, .frozen = false, .expect = ETIMEDOUT,
};

/* The victim's oom events, in milliseconds after @t0_ms (the kill). */
static void log_events(struct __test_metadata *_metadata,
		       const struct oom_run *r, int64_t t0_ms)
{
	for (int i = 0; i < OOM_EV_NR; i++) {
		if (!r->seen[i])
			continue;
		TH_LOG("  %+lld ms %s: %s",
		       (long long)r->ev[i].ts_us / 1000 - t0_ms,
		       oom_ev_name[i], r->ev[i].fields);
	}
	if (!r->seen[OOM_EV_MARK_VICTIM])
		TH_LOG("  no mark_victim for A");
}

FIXTURE_SETUP(robust)
{
	struct oom_run *r = &self->run;
	struct robust_victim *rb = &self->rb;
	char name[64];
	int i, err;

	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs 2 CPUs (the victim's CPU is kept busy)");
	err = robust_victim_init(rb);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", rb->step, strerror(err));

	/* The oom tracepoints in a tracefs instance of our own. */
	snprintf(name, sizeof(name), "oomctl-robust-%d", getpid());
	ASSERT_EQ(0, tracer_open(&r->tr, name));
	r->policy_events = trace_event_exists("oom", "reap_result");
	for (i = 0; i < OOM_EV_NR; i++) {
		if (!trace_event_exists("oom", oom_ev_name[i]))
			continue;
		ASSERT_EQ(0, tracer_enable(&r->tr, "oom", oom_ev_name[i]));
	}
	ASSERT_EQ(0, tracer_start(&r->tr));
	ASSERT_EQ(0, memcg_create(&r->cg, name));

	/* A, whose events the oom_run helpers collect. */
	err = robust_victim_holder(rb, &r->cg);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", rb->step, strerror(err));
	r->victim.pid = rb->holder;
	r->victim.size = ROBUST_VICTIM_SIZE;
}

FIXTURE_TEARDOWN(robust)
{
	robust_victim_teardown(&self->rb);	/* B, S, writer, A, the mutex */
	self->run.victim.pid = 0;	/* A is reaped */
	oom_run_teardown(&self->run);	/* cgroup, tracer */
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

TEST_F_TIMEOUT(robust, waiter_after_oom_kill, 60)
{
	struct oom_run *r = &self->run;
	struct robust_victim *rb = &self->rb;
	const struct robust_wait *b = &rb->wait;
	unsigned int delay, bypass, order, word;
	int64_t t_kill;
	pid_t a = rb->holder;
	int err;

	/* Rows that name values set the order explicitly; so do the defaults. */
	if (variant->defaults) {
		ASSERT_EQ(0, oom_policy_restore_defaults());
	} else {
		ASSERT_EQ(0, oom_policy_set(variant->delay_ms, variant->bypass,
					    OOM_REAP_ORDER_DEFAULT));
	}
	ASSERT_EQ(0, sysctl_read_uint(OOM_REAP_DELAY_MS, &delay));
	ASSERT_EQ(0, sysctl_read_uint(OOM_REAP_FROZEN_BYPASS, &bypass));
	ASSERT_EQ(0, sysctl_read_uint(OOM_REAP_ORDER, &order));
	ASSERT_EQ((unsigned int)OOM_REAP_ORDER_DEFAULT, order);

	if (variant->frozen)
		ASSERT_EQ(0, memcg_freeze(&r->cg, ROBUST_STEP_MS));

	/* B blocks on the mutex A holds; S keeps A's CPU busy from then on. */
	err = robust_victim_block(rb);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", rb->step, strerror(err));
	err = robust_victim_starve(rb);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", rb->step, strerror(err));

	/* The kill: memory.max well below A's usage, from our CPU. */
	err = robust_victim_kill(rb, &r->cg);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", rb->step, strerror(err));
	t_kill = rb->t_kill_us / 1000;

	robust_victim_observe(rb);
	word = rb->word;
	/* The events up to the end of the reaper's pass, if it comes. */
	oom_run_wait(r, oom_run_done(r),
		     ms_left(t_kill + delay + ROBUST_STEP_MS));

	TH_LOG("delay %u, bypass %u, order %s; A %s when killed",
	       delay, bypass, oom_order_name(order),
	       variant->frozen ? "frozen" : "running");
	if (rb->b_err)
		TH_LOG("B: no word within %d ms of blocking: %s",
		       ROBUST_WAIT_MS + ROBUST_STEP_MS, strerror(rb->b_err));
	else
		TH_LOG("B: %s after %lld ms blocked, %lld ms after the kill",
		       strerror(b->rc),
		       (long long)(b->end_us - b->start_us) / 1000,
		       (long long)(b->end_us - rb->t_kill_us) / 1000);
	if (rb->a_err)
		TH_LOG("A: not reaped %d ms after the kill: %s",
		       ROBUST_SPIN_MS + ROBUST_STEP_MS, strerror(rb->a_err));
	else
		TH_LOG("A: %s, reaped %lld ms after the kill",
		       WIFSIGNALED(rb->a_status) ?
		       strsignal(WTERMSIG(rb->a_status)) : "exited",
		       (long long)(rb->t_a_dead_us - rb->t_kill_us) / 1000);
	log_events(_metadata, r, t_kill);
	TH_LOG("futex word 0x%08x (owner tid %u%s)", word,
	       word & FUTEX_TID_MASK,
	       word & FUTEX_OWNER_DIED ? ", OWNER_DIED" : "");

	ASSERT_EQ(0, rb->b_err);
	ASSERT_GE(b->end_us, rb->t_kill_us)
		TH_LOG("B returned %s before the kill", strerror(b->rc));
	ASSERT_TRUE(r->seen[OOM_EV_MARK_VICTIM])
		TH_LOG("A (pid %d) was not the OOM victim", a);
	EXPECT_EQ(0, rb->a_err);
	EXPECT_TRUE(WIFSIGNALED(rb->a_status) &&
		    WTERMSIG(rb->a_status) == SIGKILL)
		TH_LOG("A's wait status 0x%x", rb->a_status);
	EXPECT_EQ(variant->expect, b->rc)
		TH_LOG("B: %s after %lld ms blocked, expected %s",
		       strerror(b->rc),
		       (long long)(b->end_us - b->start_us) / 1000,
		       strerror(variant->expect));
	if (b->rc == EOWNERDEAD) {
		/* The kernel's walk marked it: recoverable, then usable. */
		EXPECT_EQ(0, b->consistent_rc);
		EXPECT_EQ(0, b->unlock_rc);
		EXPECT_EQ(0, b->relock_rc);
	} else if (b->rc == ETIMEDOUT) {
		/* Nobody walked A's robust list: still A's, owner not dead. */
		EXPECT_EQ((unsigned int)a, word & FUTEX_TID_MASK)
			TH_LOG("futex word 0x%08x", word);
		EXPECT_EQ(0U, word & FUTEX_OWNER_DIED)
			TH_LOG("futex word 0x%08x", word);
	}
}

TEST_HARNESS_MAIN
