// SPDX-License-Identifier: GPL-2.0
/*
 * When the OOM reaper comes: vm.oom_reap_delay_ms, vm.oom_reap_frozen_bypass
 * and the oom:reap_queued decision, observed on memcg OOM kills.
 *
 * Deterministic: the victim's mm is pinned from outside (lib/mm_pin.h), so
 * its memory can only be freed by the reaper, and the reaper always runs
 * for it; the test waits for the victim's reap_result tracepoint (bounded)
 * and then compares tracepoint timestamps taken on one clock (mono), the
 * clock the delay timer is armed on.  No sleeps: an ignored delay, a wrong
 * reason, or a reaper that never comes all fail.
 */
#include <unistd.h>

#include "kselftest_harness.h"
#include "oom_expect.h"
#include "oom_policy.h"
#include "oom_run.h"

#define MS 1000LL	/* microseconds */

FIXTURE(delay) {
	struct oom_run run;
};

FIXTURE_SETUP(delay)
{
	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, oom_run_setup(&self->run, OOM_RUN_VICTIM_SIZE));
}

FIXTURE_TEARDOWN(delay)
{
	oom_run_teardown(&self->run);
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

/*
 * OOM-kill the victim (frozen first if @frozen, pinned if @pinned) and
 * collect its events until reap_result, waiting at most the configured
 * delay plus @slack_ms.
 */
static void oom_kill_victim(struct __test_metadata *_metadata,
			    struct oom_run *r, unsigned int delay_ms,
			    bool frozen, bool pinned, int slack_ms)
{
	if (frozen)
		ASSERT_EQ(0, oom_run_freeze(r));
	if (pinned)
		ASSERT_EQ(0, oom_run_pin(r));
	ASSERT_EQ(0, oom_run_kill(r));
	oom_run_wait(r, OOM_EV_REAP_RESULT, delay_ms + slack_ms);
	ASSERT_SEEN(r, OOM_EV_MARK_VICTIM);
	ASSERT_SEEN(r, OOM_EV_REAP_QUEUED);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "oom_reaper");
}

/* The reaper was woken no sooner than @delay_ms after the victim was queued. */
static void expect_waited(struct __test_metadata *_metadata,
			  struct oom_run *r, unsigned int delay_ms)
{
	long long min = delay_ms * MS - OOM_RUN_TIMER_SLACK_US;

	ASSERT_SEEN(r, OOM_EV_WAKE_REAPER);
	ASSERT_SEEN(r, OOM_EV_START_REAPING);
	TH_LOG("delay %u ms: reaper woken %lld us after reap_queued",
	       delay_ms, GAP_US(r, OOM_EV_REAP_QUEUED, OOM_EV_WAKE_REAPER));
	EXPECT_GE(GAP_US(r, OOM_EV_REAP_QUEUED, OOM_EV_WAKE_REAPER), min)
		oom_run_log(r);
	EXPECT_GE(GAP_US(r, OOM_EV_MARK_VICTIM, OOM_EV_START_REAPING), min)
		oom_run_log(r);
}

/* With D = 300 ms the reaper waits D, and not the old fixed 2 s. */
TEST_F(delay, configured_delay_is_honoured)
{
	struct oom_run *r = &self->run;

	ASSERT_EQ(0, oom_policy_set(300, 1, OOM_REAP_ORDER_DEFAULT));
	oom_kill_victim(_metadata, r, 300, false, true, 10000);
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "delay_ms", "300");
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "delay");
	expect_waited(_metadata, r, 300);
	EXPECT_LT(GAP_US(r, OOM_EV_REAP_QUEUED, OOM_EV_WAKE_REAPER),
		  OOM_REAP_DELAY_DEFAULT * MS)
		oom_run_log(r);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
}

/*
 * Delay 0 wakes the reaper without a timer: wake_reaper fires in the OOM
 * killer's own context, i.e. in our memory.max writer and not in a
 * (timer) softirq.
 */
TEST_F(delay, zero_delay_wakes_reaper_directly)
{
	struct oom_run *r = &self->run;
	pid_t writer;

	ASSERT_EQ(0, oom_policy_set(0, 1, OOM_REAP_ORDER_DEFAULT));
	oom_kill_victim(_metadata, r, 0, false, true, 10000);
	writer = r->trigger;
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "delay_ms", "0");
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "zero_delay");
	ASSERT_SEEN(r, OOM_EV_WAKE_REAPER);
	EXPECT_EQ(writer, r->ev[OOM_EV_WAKE_REAPER].task_pid) oom_run_log(r);
	EXPECT_FALSE(trace_in_irq(&r->ev[OOM_EV_WAKE_REAPER])) oom_run_log(r);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
}

/*
 * A victim frozen by the cgroup v2 freezer cannot run its own exit until
 * the kill thaws it: with the bypass on it is queued with delay 0 although
 * the configured delay is 5 s.
 */
TEST_F(delay, frozen_victim_bypasses_delay)
{
	struct oom_run *r = &self->run;

	ASSERT_EQ(0, oom_policy_set(5000, 1, OOM_REAP_ORDER_DEFAULT));
	/* Wait for less than the delay: a timer-driven reap times out. */
	oom_kill_victim(_metadata, r, 0, true, true, 4000);
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "delay_ms", "0");
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "frozen_bypass");
	ASSERT_SEEN(r, OOM_EV_WAKE_REAPER);
	EXPECT_LT(GAP_US(r, OOM_EV_REAP_QUEUED, OOM_EV_WAKE_REAPER), 2500 * MS)
		oom_run_log(r);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
}

/* The same frozen victim with the bypass off waits the full delay. */
TEST_F(delay, frozen_victim_waits_without_bypass)
{
	struct oom_run *r = &self->run;

	ASSERT_EQ(0, oom_policy_set(1000, 0, OOM_REAP_ORDER_DEFAULT));
	oom_kill_victim(_metadata, r, 1000, true, true, 10000);
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "delay_ms", "1000");
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "delay");
	expect_waited(_metadata, r, 1000);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
}

/*
 * Forward progress at the longest delay, bypass off, frozen victim: the
 * reaper still comes, after 10 s, and frees the pinned memory.  The wait
 * is bounded at 15 s; a reaper that never comes fails.
 */
TEST_F_TIMEOUT(delay, max_delay_still_reaps, 60)
{
	struct oom_run *r = &self->run;

	ASSERT_EQ(0, oom_policy_set(OOM_REAP_DELAY_MAX, 0,
				    OOM_REAP_ORDER_DEFAULT));
	oom_kill_victim(_metadata, r, OOM_REAP_DELAY_MAX, true, true, 5000);
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "delay");
	expect_waited(_metadata, r, OOM_REAP_DELAY_MAX);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
}

/*
 * Same, but nothing pins the victim: it frees its memory itself long
 * before the timer, and the timer still ends the story with a reap_result
 * (exited_first, or reaped if it lost the race) within 15 s.
 */
TEST_F_TIMEOUT(delay, max_delay_victim_exits_first, 60)
{
	struct oom_run *r = &self->run;
	char result[32] = "";

	ASSERT_EQ(0, oom_policy_set(OOM_REAP_DELAY_MAX, 0,
				    OOM_REAP_ORDER_DEFAULT));
	oom_kill_victim(_metadata, r, OOM_REAP_DELAY_MAX, true, false, 5000);
	EXPECT_FIELD(r, OOM_EV_REAP_QUEUED, "reason", "delay");
	trace_field(&r->ev[OOM_EV_REAP_RESULT], "result", result,
		    sizeof(result));
	TH_LOG("reap_result %lld ms after reap_queued: %s",
	       GAP_US(r, OOM_EV_REAP_QUEUED, OOM_EV_REAP_RESULT) / 1000,
	       r->ev[OOM_EV_REAP_RESULT].fields);
	EXPECT_TRUE(!strcmp(result, "exited_first") ||
		    !strcmp(result, "reaped"))
		oom_run_log(r);
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
}

TEST_HARNESS_MAIN
