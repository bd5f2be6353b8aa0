// SPDX-License-Identifier: GPL-2.0
/*
 * vm.oom_reap_order: the direction in which the address space is torn down
 * is the configured one, reported by oom:reap_result, for both ways of
 * reaping: the OOM reaper after a memcg OOM kill, and process_mrelease(2)
 * after a SIGKILL sent through a pidfd.
 *
 * Deterministic:
 * - oom_reaper: the victim's mm is pinned (lib/mm_pin.h), so the reaper
 *   always finds memory to reap; delay 0 keeps it quick.
 * - process_mrelease: the victim is traced with PTRACE_O_TRACEEXIT
 *   (lib/exit_stop.h), so after SIGKILL it stops in do_exit() before
 *   exit_mm(), still holding all its memory, and only our
 *   process_mrelease() can free it.
 * Both variants run, so a kernel that reports one fixed order fails one.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "exit_stop.h"
#include "oom_expect.h"
#include "oom_policy.h"
#include "oom_run.h"

FIXTURE(order) {
	struct oom_run run;
	int pidfd;
	bool traced;
};

FIXTURE_VARIANT(order) {
	unsigned int order;
};

FIXTURE_VARIANT_ADD(order, forward) {
	.order = OOM_REAP_ORDER_FORWARD,
};

FIXTURE_VARIANT_ADD(order, reverse) {
	.order = OOM_REAP_ORDER_REVERSE,
};

FIXTURE_SETUP(order)
{
	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, oom_run_setup(&self->run, OOM_RUN_VICTIM_SIZE));
	ASSERT_EQ(0, oom_policy_set(0, 1, variant->order));
}

FIXTURE_TEARDOWN(order)
{
	/* A tracee held in its exit stop would make the reap wait forever. */
	if (self->traced)
		exit_stop_abandon(self->run.victim.pid, OOM_RUN_STEP_MS);
	if (self->pidfd > 0)
		close(self->pidfd);
	oom_run_teardown(&self->run);
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

TEST_F(order, oom_reaper_reports_order)
{
	struct oom_run *r = &self->run;

	ASSERT_EQ(0, oom_run_pin(r));
	ASSERT_EQ(0, oom_run_kill(r));
	oom_run_wait(r, OOM_EV_REAP_RESULT, 10000);
	ASSERT_SEEN(r, OOM_EV_MARK_VICTIM);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "oom_reaper");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "order",
		     oom_order_name(variant->order));
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
}

TEST_F(order, process_mrelease_reports_order)
{
	struct oom_run *r = &self->run;
	pid_t pid = r->victim.pid;

	self->pidfd = syscall(__NR_pidfd_open, pid, 0);
	ASSERT_LE(0, self->pidfd);
	ASSERT_EQ(0, exit_stop_seize(pid));
	self->traced = true;

	ASSERT_EQ(0, syscall(__NR_pidfd_send_signal, self->pidfd, SIGKILL,
			     NULL, 0));
	ASSERT_EQ(0, exit_stop_wait(pid, OOM_RUN_STEP_MS));
	/* Dying but stopped before exit_mm(): nothing has been freed yet. */
	ASSERT_GE(oom_run_charged(r), OOM_RUN_VICTIM_SIZE);

	ASSERT_EQ(0, syscall(__NR_process_mrelease, self->pidfd, 0));
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);

	/* The tracepoint fired inside the syscall: no waiting really needed. */
	oom_run_wait(r, OOM_EV_REAP_RESULT, 5000);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "process_mrelease");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "order",
		     oom_order_name(variant->order));
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	/* Not an OOM kill: the OOM killer never saw this victim. */
	EXPECT_FALSE(r->seen[OOM_EV_MARK_VICTIM]);

	ASSERT_EQ(0, exit_stop_release(pid));
	self->traced = false;
}

TEST_HARNESS_MAIN
