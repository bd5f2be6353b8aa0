/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One memcg OOM kill, observed through the oom tracepoints:
 *
 *	setup    tracefs instance + memory cgroup + victim holding memory
 *	pin      (optional) keep the victim's mm alive from outside
 *	freeze   (optional) cgroup v2 freezer on the victim's cgroup
 *	kill     lower memory.max from outside: the OOM killer picks the victim
 *	wait     collect the victim's events until its reap is over
 *
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_OOM_RUN_H
#define OOMCTL_OOM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "memcg.h"
#include "mm_pin.h"
#include "tracefs.h"
#include "victim.h"

/* 48 MiB: clearly measurable, small enough for a 1 GiB TCG guest. */
#define OOM_RUN_VICTIM_SIZE	(48UL << 20)
/* Bound for setup steps that take no policy delay (spawn, pin, freeze). */
#define OOM_RUN_STEP_MS		10000
/*
 * How much earlier than its delay a timer may be seen to fire: it is armed
 * in jiffies, so up to one jiffy (4 ms at HZ=250, 1 ms at HZ=1000) early
 * in wall time, plus the gap between arming it and the tracepoint.
 */
#define OOM_RUN_TIMER_SLACK_US	5000

enum oom_ev {
	OOM_EV_MARK_VICTIM,
	OOM_EV_REAP_QUEUED,	/* new */
	OOM_EV_WAKE_REAPER,
	OOM_EV_START_REAPING,
	OOM_EV_FINISH_REAPING,
	OOM_EV_REAP_RESULT,	/* new */
	OOM_EV_VICTIM_FREED,	/* new: the end of the victim's mm */
	OOM_EV_NR,
};

struct oom_run {
	struct tracer tr;
	struct memcg cg;
	struct victim victim;
	struct mm_pin pin;
	pid_t trigger;		/* the memory.max writer, while it exists */
	bool policy_events;	/* the kernel has reap_queued/reap_result */
	bool seen[OOM_EV_NR];
	struct trace_event ev[OOM_EV_NR];	/* first of each kind */
};

extern const char *const oom_ev_name[OOM_EV_NR];

/* All steps return 0 or an errno. */
int oom_run_setup(struct oom_run *r, size_t victim_size);
/* The same with a sparse victim: see victim_spawn_sparse(). */
int oom_run_setup_sparse(struct oom_run *r, size_t map_size, size_t touch,
			 bool thp);
int oom_run_pin(struct oom_run *r);
int oom_run_freeze(struct oom_run *r);
int oom_run_kill(struct oom_run *r);
/*
 * Collect the victim's events until @until has been seen, at most
 * @timeout_ms.  oom_run_done(r) is the event that ends a reaper pass:
 * reap_result where it exists, finish_task_reaping otherwise.
 */
int oom_run_wait(struct oom_run *r, enum oom_ev until, int timeout_ms);
enum oom_ev oom_run_done(const struct oom_run *r);
/* Timestamp of @to minus that of @from, in microseconds. */
long long oom_run_gap_us(const struct oom_run *r, enum oom_ev from,
			 enum oom_ev to);
/* memory.current of the victim's cgroup, 0 when unreadable. */
uint64_t oom_run_charged(const struct oom_run *r);
/* Print the events seen so far (for failure messages). */
void oom_run_log(const struct oom_run *r);
/* Undo everything; safe on a zeroed or half set up run. */
void oom_run_teardown(struct oom_run *r);

#endif
