// SPDX-License-Identifier: GPL-2.0
/*
 * oom:victim_freed, the tracepoint that says when an OOM victim's memory is
 * back, without the netlink family: it must fire on a kernel built with
 * CONFIG_OOM_NETLINK=n too (make kernel-nonl).  One memcg OOM kill each:
 *
 *   exits      the victim exits by itself: one victim_freed, freed_by=exit,
 *              its kill_to_freed_us the gap from oom:mark_victim (the
 *              tracepoints' own timestamps) and memory.current down by then
 *   reaped     its mm pinned from outside (lib/mm_pin.h), delay 0: the
 *              oom_reaper unmaps it, and victim_freed comes only when the
 *              pin lets go (its reader drops the last reference), with
 *              freed_by=oom_reaper
 *   mrelease   killed with SIGKILL (no OOM kill) and held before exit_mm()
 *              (lib/exit_stop.h), reaped by process_mrelease(2): victim_freed
 *              once it exits, freed_by=process_mrelease, no mark_victim
 *
 * Exactly one victim_freed per victim: after the victim is gone and its
 * reap is over, nothing more for its pid.  The netlink side and more cases
 * are netlink/oom_victim_freed.c.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "clock.h"
#include "exit_stop.h"
#include "oom_expect.h"
#include "oom_policy.h"
#include "oom_run.h"

#define STEP_MS		15000
/* mark_victim and victim_freed are a few us from the kill and the end */
#define TP_SLACK_US	2000

FIXTURE(freed) {
	struct oom_run run;
	int pidfd;
	bool traced;
};

FIXTURE_SETUP(freed)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches", OOM_REAP_DELAY_MS);
	/* A kernel of this series without the tracepoint fails below */
	ASSERT_TRUE(trace_event_exists("oom", "victim_freed"));
	ASSERT_EQ(0, oom_policy_restore_defaults());
	ASSERT_EQ(0, oom_run_setup(&self->run, OOM_RUN_VICTIM_SIZE));
}

FIXTURE_TEARDOWN(freed)
{
	if (self->traced)
		exit_stop_abandon(self->run.victim.pid, STEP_MS);
	if (self->pidfd > 0)
		close(self->pidfd);
	oom_run_teardown(&self->run);
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

static unsigned long long field(const struct oom_run *r, const char *key)
{
	unsigned long long v = ~0ULL;

	trace_field_ull(&r->ev[OOM_EV_VICTIM_FREED], key, &v);
	return v;
}

/* victim_freed events for @pid among the next ones, until @ms pass idle */
static int more_freed(struct oom_run *r, pid_t pid, int ms)
{
	struct trace_event ev;
	unsigned long long p;
	int n = 0;

	while (!tracer_next(&r->tr, &ev, ms))
		if (!strcmp(ev.name, "victim_freed") &&
		    !trace_field_ull(&ev, "pid", &p) && p == (unsigned long long)pid)
			n++;
	return n;
}

/* The fields every victim_freed must have: who, and the parts add up */
static void check_common(struct __test_metadata *_metadata, struct oom_run *r,
			 const char *by)
{
	char want[32];

	snprintf(want, sizeof(want), "%d", r->victim.pid);
	EXPECT_FIELD(r, OOM_EV_VICTIM_FREED, "pid", want);
	EXPECT_FIELD(r, OOM_EV_VICTIM_FREED, "tgid", want);
	EXPECT_FIELD(r, OOM_EV_VICTIM_FREED, "comm", "oom_victim");
	EXPECT_EQ((unsigned long long)r->cg.id, field(r, "memcg_id"));
	EXPECT_FIELD(r, OOM_EV_VICTIM_FREED, "freed_by", by);
	EXPECT_EQ(field(r, "freed"), field(r, "exit") + field(r, "oom_reaper") +
		  field(r, "process_mrelease"));
	/* All of the victim's memory, and a little of its binary and stack */
	EXPECT_LE((unsigned long long)OOM_RUN_VICTIM_SIZE >> 10, field(r, "freed"));
	EXPECT_GE((unsigned long long)(OOM_RUN_VICTIM_SIZE >> 10) + 4096, field(r, "freed"));
}

TEST_F_TIMEOUT(freed, exits, 60)
{
	struct oom_run *r = &self->run;
	long long gap;

	ASSERT_EQ(0, oom_run_kill(r));
	oom_run_wait(r, OOM_EV_VICTIM_FREED, STEP_MS);
	ASSERT_SEEN(r, OOM_EV_MARK_VICTIM);
	ASSERT_SEEN(r, OOM_EV_VICTIM_FREED);
	/* Its exit freed its memory: no more of it is charged */
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
	check_common(_metadata, r, "exit");
	EXPECT_EQ(0ull, field(r, "oom_reaper"));
	EXPECT_EQ(0ull, field(r, "process_mrelease"));
	gap = GAP_US(r, OOM_EV_MARK_VICTIM, OOM_EV_VICTIM_FREED);
	TH_LOG("kill_to_freed_us %llu, mark_victim to victim_freed %lld us",
	       field(r, "kill_to_freed_us"), gap);
	EXPECT_GE(TP_SLACK_US, llabs(gap - (long long)field(r, "kill_to_freed_us")));

	/* The delay timer finds it gone; nothing more about its memory */
	EXPECT_EQ(0, more_freed(r, r->victim.pid, 200));
	oom_run_wait(r, OOM_EV_REAP_RESULT, STEP_MS);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "exited_first");
	EXPECT_EQ(0, more_freed(r, r->victim.pid, 200));
}

TEST_F_TIMEOUT(freed, reaped, 60)
{
	struct oom_run *r = &self->run;
	uint64_t unpin0, unpin1, freed_at;

	ASSERT_EQ(0, oom_policy_set(0, 0, OOM_REAP_ORDER_DEFAULT));
	ASSERT_EQ(0, oom_run_pin(r));
	ASSERT_EQ(0, oom_run_kill(r));
	oom_run_wait(r, OOM_EV_REAP_RESULT, STEP_MS);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
	/* Reaped, but the pin still holds the mm: not torn down yet */
	ASSERT_EQ(0, victim_wait(&r->victim, STEP_MS));
	EXPECT_FALSE(r->seen[OOM_EV_VICTIM_FREED]);

	unpin0 = now_us();
	mm_unpin(&r->pin);
	unpin1 = now_us();
	oom_run_wait(r, OOM_EV_VICTIM_FREED, STEP_MS);
	ASSERT_SEEN(r, OOM_EV_VICTIM_FREED);
	check_common(_metadata, r, "oom_reaper");
	EXPECT_LE((unsigned long long)(OOM_RUN_VICTIM_SIZE >> 10), field(r, "oom_reaper"));
	EXPECT_EQ(0ull, field(r, "process_mrelease"));
	/* Timed from the kill to the unpin's teardown */
	freed_at = r->ev[OOM_EV_MARK_VICTIM].ts_us + field(r, "kill_to_freed_us");
	TH_LOG("freed %lld us after the unpin began, which took %llu us",
	       (long long)(freed_at - unpin0), (unsigned long long)(unpin1 - unpin0));
	EXPECT_LE(unpin0, freed_at + TP_SLACK_US);
	EXPECT_GE(unpin1 + TP_SLACK_US, freed_at);
	EXPECT_EQ(0, more_freed(r, r->victim.pid, 200));
}

TEST_F_TIMEOUT(freed, mrelease, 60)
{
	struct oom_run *r = &self->run;
	pid_t pid = r->victim.pid;
	uint64_t call0, release1, freed_at;

	self->pidfd = syscall(__NR_pidfd_open, pid, 0);
	ASSERT_LE(0, self->pidfd);
	ASSERT_EQ(0, exit_stop_seize(pid));
	self->traced = true;
	ASSERT_EQ(0, syscall(__NR_pidfd_send_signal, self->pidfd, SIGKILL, NULL, 0));
	ASSERT_EQ(0, exit_stop_wait(pid, STEP_MS));
	call0 = now_us();
	ASSERT_EQ(0, syscall(__NR_process_mrelease, self->pidfd, 0));
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
	/* Stopped before exit_mm(): the mm has its user, no teardown yet */
	oom_run_wait(r, OOM_EV_REAP_RESULT, STEP_MS);
	EXPECT_FALSE(r->seen[OOM_EV_VICTIM_FREED]);

	ASSERT_EQ(0, exit_stop_release(pid));
	self->traced = false;
	ASSERT_EQ(0, victim_wait(&r->victim, STEP_MS));
	release1 = now_us();
	oom_run_wait(r, OOM_EV_VICTIM_FREED, STEP_MS);
	ASSERT_SEEN(r, OOM_EV_VICTIM_FREED);
	check_common(_metadata, r, "process_mrelease");
	EXPECT_LE((unsigned long long)(OOM_RUN_VICTIM_SIZE >> 10), field(r, "process_mrelease"));
	EXPECT_EQ(0ull, field(r, "oom_reaper"));
	/* Not an OOM kill: timed from the process_mrelease() call */
	EXPECT_FALSE(r->seen[OOM_EV_MARK_VICTIM]);
	freed_at = call0 + field(r, "kill_to_freed_us");
	EXPECT_LE(freed_at, release1 + TP_SLACK_US);
	EXPECT_GE(freed_at + TP_SLACK_US, r->ev[OOM_EV_VICTIM_FREED].ts_us);
	EXPECT_EQ(0, more_freed(r, pid, 200));
}

TEST_HARNESS_MAIN
