// SPDX-License-Identifier: GPL-2.0
/*
 * The machinery the other OOM tests stand on, checked on any kernel (stock
 * 7.3 included): a memcg OOM victim whose mm is pinned from outside is
 * reaped by the OOM reaper, after the default 2 s delay, and the upstream
 * tracepoints (mark_victim, wake_reaper, start/finish_task_reaping) say so.
 *
 * Deterministic: the pin (lib/mm_pin.h) holds mm_users, so exit_mmap()
 * cannot run and the victim's memory stays charged until the reaper unmaps
 * it; every wait is for a tracepoint, bounded, never a sleep.  It fails if
 * the reaper never comes (timeout), comes early, or frees nothing.
 */
#include <unistd.h>

#include "kselftest_harness.h"
#include "oom_expect.h"
#include "oom_policy.h"
#include "oom_run.h"

FIXTURE(reaper) {
	struct oom_run run;
};

FIXTURE_SETUP(reaper)
{
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, oom_policy_restore_defaults());
	ASSERT_EQ(0, oom_run_setup(&self->run, OOM_RUN_VICTIM_SIZE));
}

FIXTURE_TEARDOWN(reaper)
{
	oom_run_teardown(&self->run);
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

TEST_F_TIMEOUT(reaper, pinned_victim_is_reaped, 60)
{
	struct oom_run *r = &self->run;
	uint64_t before, after;

	before = oom_run_charged(r);
	ASSERT_GE(before, OOM_RUN_VICTIM_SIZE);
	ASSERT_EQ(0, oom_run_pin(r));
	ASSERT_EQ(0, oom_run_kill(r));

	/* 2 s delay + up to 1 s of lock retries, generously bounded. */
	oom_run_wait(r, OOM_EV_FINISH_REAPING, 20000);
	oom_run_wait(r, oom_run_done(r), 5000);
	ASSERT_SEEN(r, OOM_EV_MARK_VICTIM);
	ASSERT_SEEN(r, OOM_EV_WAKE_REAPER);
	ASSERT_SEEN(r, OOM_EV_START_REAPING);
	ASSERT_SEEN(r, OOM_EV_FINISH_REAPING);

	TH_LOG("reaper woken %lld ms after mark_victim, reaped in %lld us",
	       GAP_US(r, OOM_EV_MARK_VICTIM, OOM_EV_WAKE_REAPER) / 1000,
	       GAP_US(r, OOM_EV_START_REAPING, OOM_EV_FINISH_REAPING));

	/* Still pinned: only the reaper can have given the memory back. */
	after = oom_run_charged(r);
	EXPECT_LT(after, OOM_RUN_VICTIM_SIZE / 4)
		TH_LOG("charged %llu -> %llu bytes", (unsigned long long)before,
		       (unsigned long long)after);

	EXPECT_LE(0, GAP_US(r, OOM_EV_MARK_VICTIM, OOM_EV_WAKE_REAPER));
	EXPECT_LE(0, GAP_US(r, OOM_EV_WAKE_REAPER, OOM_EV_START_REAPING));
	EXPECT_LE(0, GAP_US(r, OOM_EV_START_REAPING, OOM_EV_FINISH_REAPING));
	/* The default delay, upstream's OOM_REAPER_DELAY, is 2 s. */
	EXPECT_GE(GAP_US(r, OOM_EV_MARK_VICTIM, OOM_EV_WAKE_REAPER),
		  OOM_REAP_DELAY_DEFAULT * 1000LL - OOM_RUN_TIMER_SLACK_US)
		oom_run_log(r);

	if (!r->policy_events)
		return;
	ASSERT_SEEN(r, OOM_EV_REAP_QUEUED);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "delay_ms", "2000");
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "delay");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "oom_reaper");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "order", "reverse");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
}

TEST_HARNESS_MAIN
