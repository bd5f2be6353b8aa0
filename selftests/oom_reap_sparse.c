// SPDX-License-Identifier: GPL-2.0
/*
 * Reaping a sparse address space must cost time per populated page table,
 * not per byte of address space, whatever vm.oom_reap_order says.
 *
 * The victim reserves one huge MAP_NORESERVE anonymous mapping (1 TiB or
 * 16 TiB) and writes only 32 MiB of it, in four chunks: at the bottom, at
 * one and two thirds, and at the top (lib/victim.h, victim_spawn_sparse()).
 * Each victim is reaped once, by
 * - the oom_reaper after a memcg OOM kill, delay 0, with the victim's mm
 *   pinned (lib/mm_pin.h) so that only the reaper can free it;
 * - process_mrelease(2) after a SIGKILL through a pidfd, with the victim
 *   held in its exit stop (lib/exit_stop.h), before exit_mm().
 * The reap time is the kernel's own figure, duration_us of oom:reap_result
 * (the time around the process_mrelease() call is logged beside it).
 *
 * Forward and reverse alternate in the same boot, REPS reaps each; the
 * fastest of each is compared: reverse may take at most RATIO x forward +
 * SLACK_US.  That margin is wide on purpose: the top-down walk that steps
 * through a VMA PMD_SIZE at a time, whether page tables exist there or
 * not, took 20x (1 TiB) to 200x (16 TiB) longer than forward under TCG.
 * Once one reverse reap is STOP_FACTOR x over the bound, the remaining
 * reverse repetitions are skipped: the verdict cannot change, and each
 * 16 TiB one would cost seconds.
 *
 * One variant runs with transparent hugepages (the victim's mapping is
 * MADV_HUGEPAGE, so the chunks are PMD-mapped); it is skipped, saying so,
 * on a kernel without THP.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "clock.h"
#include "exit_stop.h"
#include "fileio.h"
#include "oom_expect.h"
#include "oom_policy.h"
#include "oom_run.h"
#include "sysctl.h"

#define TIB		(1UL << 40)
#define TOUCH		(32UL << 20)
#define REPS		3
#define RATIO		3
#define SLACK_US	30000LL
#define STOP_FACTOR	4
/* One reaper pass; today's 16 TiB reverse reap takes 8-11 s under TCG. */
#define REAP_WAIT_MS	120000

#define OVERCOMMIT	"/proc/sys/vm/overcommit_memory"
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

enum way { BY_REAPER, BY_MRELEASE };

static const char *const way_name[] = {
	[BY_REAPER]	= "oom_reaper",
	[BY_MRELEASE]	= "process_mrelease",
};

FIXTURE(sparse) {
	struct oom_run run;
	int pidfd;
	bool traced;
	char thp_was[16];	/* THP "enabled" mode to put back, or "" */
};

FIXTURE_VARIANT(sparse) {
	size_t map_size;
	bool thp;
};

FIXTURE_VARIANT_ADD(sparse, 1tib) {
	.map_size = TIB,
};

FIXTURE_VARIANT_ADD(sparse, 16tib) {
	.map_size = 16 * TIB,
};

FIXTURE_VARIANT_ADD(sparse, 1tib_thp) {
	.map_size = TIB,
	.thp = true,
};

/* The bracketed word of a sysfs choice list: "always [madvise] never". */
static bool thp_mode(char *mode, size_t size)
{
	char buf[128], *open, *close;

	if (file_read(THP_ENABLED, buf, sizeof(buf)))
		return false;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close || (size_t)(close - open) > size)
		return false;
	snprintf(mode, size, "%.*s", (int)(close - open - 1), open + 1);
	return true;
}

/* AnonHugePages of @pid in kB, -1 if unreadable. */
static long anon_huge_kb(pid_t pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	if (file_read(path, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "AnonHugePages:");
	return p ? strtol(p + strlen("AnonHugePages:"), NULL, 10) : -1;
}

FIXTURE_SETUP(sparse)
{
	unsigned int overcommit;
	char mode[16];

	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, sysctl_read_uint(OVERCOMMIT, &overcommit));
	if (overcommit == 2)
		SKIP(return, "vm.overcommit_memory=2 ignores MAP_NORESERVE: no %zu GiB mapping",
		     variant->map_size >> 30);
	if (variant->thp) {
		if (access(THP_ENABLED, F_OK))
			SKIP(return, "%s absent: kernel without transparent hugepages",
			     THP_ENABLED);
		ASSERT_TRUE(thp_mode(mode, sizeof(mode)));
		if (!strcmp(mode, "never")) {
			ASSERT_EQ(0, file_write_str(THP_ENABLED, "madvise"));
			strcpy(self->thp_was, mode);
		}
	}
}

FIXTURE_TEARDOWN(sparse)
{
	/* A tracee held in its exit stop would make the reap wait forever. */
	if (self->traced)
		exit_stop_abandon(self->run.victim.pid, OOM_RUN_STEP_MS);
	if (self->pidfd > 0)
		close(self->pidfd);
	oom_run_teardown(&self->run);
	if (self->thp_was[0])
		EXPECT_EQ(0, file_write_str(THP_ENABLED, self->thp_was));
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

/* The reap's duration_us per oom:reap_result, or -1. */
static long long reap_duration_us(const struct oom_run *r)
{
	unsigned long long us;

	if (!r->seen[OOM_EV_REAP_RESULT] ||
	    trace_field_ull(&r->ev[OOM_EV_REAP_RESULT], "duration_us", &us))
		return -1;
	return us;
}

/*
 * One sparse victim, reaped once in @order by @way: the reap's duration in
 * microseconds.  Every failure ends the test (ASSERT: the teardown then
 * cleans up whatever this left).
 */
static long long reap_once(struct __test_metadata *_metadata,
			   FIXTURE_DATA(sparse) *self,
			   const FIXTURE_VARIANT(sparse) *variant,
			   unsigned int order, enum way way)
{
	struct oom_run *r = &self->run;
	long long us, call_us = -1;
	pid_t pid;
	long huge;

	ASSERT_EQ(0, oom_policy_set(0, OOM_REAP_FROZEN_BYPASS_DEFAULT, order));
	ASSERT_EQ(0, oom_run_setup_sparse(r, variant->map_size, TOUCH,
					  variant->thp))
		TH_LOG("no victim with %zu GiB mapped, %lu MiB written",
		       variant->map_size >> 30, TOUCH >> 20);
	pid = r->victim.pid;
	/* Dying but not reaped yet, or never dying: it all still counts. */
	ASSERT_LE(TOUCH, oom_run_charged(r));
	huge = variant->thp ? anon_huge_kb(pid) : 0;

	if (way == BY_REAPER) {
		ASSERT_EQ(0, oom_run_pin(r));
		ASSERT_EQ(0, oom_run_kill(r));
		oom_run_wait(r, oom_run_done(r), REAP_WAIT_MS);
		ASSERT_SEEN(r, OOM_EV_MARK_VICTIM);
		ASSERT_SEEN(r, oom_run_done(r));
		if (r->policy_events) {
			EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "oom_reaper");
			/* One pass: no 100 ms retry sleeps inside the figure. */
			EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "attempts", "1");
		}
	} else {
		int64_t t0;

		self->pidfd = syscall(__NR_pidfd_open, pid, 0);
		ASSERT_LE(0, self->pidfd);
		ASSERT_EQ(0, exit_stop_seize(pid));
		self->traced = true;
		ASSERT_EQ(0, syscall(__NR_pidfd_send_signal, self->pidfd,
				     SIGKILL, NULL, 0));
		ASSERT_EQ(0, exit_stop_wait(pid, OOM_RUN_STEP_MS));
		ASSERT_LE(TOUCH, oom_run_charged(r));

		t0 = now_us();
		ASSERT_EQ(0, syscall(__NR_process_mrelease, self->pidfd, 0));
		call_us = now_us() - t0;

		/* It fired inside the syscall: no waiting really needed. */
		if (r->policy_events) {
			oom_run_wait(r, OOM_EV_REAP_RESULT, OOM_RUN_STEP_MS);
			ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
			EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source",
				     "process_mrelease");
		}
	}
	if (r->policy_events) {
		EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "order", oom_order_name(order));
		EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
		us = reap_duration_us(r);
		ASSERT_LE(0, us) TH_LOG("reap_result: %s",
					r->ev[OOM_EV_REAP_RESULT].fields);
	} else if (way == BY_REAPER) {
		us = GAP_US(r, OOM_EV_START_REAPING, OOM_EV_FINISH_REAPING);
	} else {
		us = call_us;
	}
	/* Still pinned or held at the exit stop: the reap freed it. */
	EXPECT_GT(TOUCH / 4, oom_run_charged(r));

	if (variant->thp)
		ksft_print_msg("  %s %s: %lld us, AnonHugePages %ld kB before\n",
			       way_name[way], oom_order_name(order), us, huge);
	else if (call_us >= 0)
		ksft_print_msg("  %s %s: %lld us (syscall %lld us)\n",
			       way_name[way], oom_order_name(order), us, call_us);
	else
		ksft_print_msg("  %s %s: %lld us\n",
			       way_name[way], oom_order_name(order), us);

	if (self->traced) {
		ASSERT_EQ(0, exit_stop_release(pid));
		self->traced = false;
	}
	if (self->pidfd > 0)
		close(self->pidfd);
	self->pidfd = 0;
	oom_run_teardown(r);
	memset(r, 0, sizeof(*r));
	return us;
}

static long long min_of(const long long *v, int n)
{
	long long m = v[0];

	for (int i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static void list(char *buf, size_t size, const long long *v, int n)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%lld",
			 i ? " " : "", v[i]);
}

static void compare(struct __test_metadata *_metadata,
		    FIXTURE_DATA(sparse) *self,
		    const FIXTURE_VARIANT(sparse) *variant, enum way way)
{
	long long fwd[REPS], rev[REPS], bound = 0;
	char fl[REPS * 24], rl[REPS * 24];
	int nf = 0, nr = 0;

	ksft_print_msg("%zu GiB mapping, %lu MiB written%s, reaped by %s:\n",
		       variant->map_size >> 30, TOUCH >> 20,
		       variant->thp ? " (THP)" : "", way_name[way]);
	for (int i = 0; i < REPS; i++) {
		fwd[nf++] = reap_once(_metadata, self, variant,
				      OOM_REAP_ORDER_FORWARD, way);
		bound = RATIO * min_of(fwd, nf) + SLACK_US;
		if (nr && min_of(rev, nr) > STOP_FACTOR * bound)
			continue;	/* clearly over: spare the time */
		rev[nr++] = reap_once(_metadata, self, variant,
				      OOM_REAP_ORDER_REVERSE, way);
	}
	list(fl, sizeof(fl), fwd, nf);
	list(rl, sizeof(rl), rev, nr);
	ksft_print_msg("%zu GiB, %s: forward %s us (min %lld), reverse %s us (min %lld): %.1fx, bound %lld us\n",
		       variant->map_size >> 30, way_name[way], fl,
		       min_of(fwd, nf), rl, min_of(rev, nr),
		       (double)min_of(rev, nr) / (min_of(fwd, nf) ?: 1), bound);
	EXPECT_GE(bound, min_of(rev, nr))
		TH_LOG("reverse reap takes %lld us, forward %lld us: the walk costs time per byte of address space",
		       min_of(rev, nr), min_of(fwd, nf));
}

TEST_F_TIMEOUT(sparse, oom_reaper, 240)
{
	compare(_metadata, self, variant, BY_REAPER);
}

TEST_F_TIMEOUT(sparse, process_mrelease, 240)
{
	compare(_metadata, self, variant, BY_MRELEASE);
}

TEST_HARNESS_MAIN
