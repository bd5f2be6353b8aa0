/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An OOM victim that holds a robust futex another process waits on: the
 * scenario of selftests/oom_robust_futex.c and of the bench's "robust"
 * section, in one place.
 *
 * The reaper's delay exists for robust futexes (e4a38402c36e, 2022): glibc
 * keeps a thread's robust list head in its TLS, i.e. in private memory,
 * and the kernel walks that list in the dying task's own exit (exit_mm() ->
 * futex_exit_release()).  If the oom_reaper has unmapped the victim's
 * private memory by then, the walk faults and stops, the futexes the victim
 * held are never marked FUTEX_OWNER_DIED and their waiters are never woken.
 *
 *	A  the victim (robust_victim_holder()): in the caller's memory
 *	   cgroup (memory.max ROBUST_CG_MAX), pinned to ROBUST_CPU_VICTIM,
 *	   holds a process-shared robust pthread mutex that lives in a
 *	   MAP_SHARED|MAP_ANONYMOUS page (shmem: never reaped), and
 *	   ROBUST_VICTIM_SIZE of private anonymous memory, so that it is the
 *	   cgroup's OOM victim.
 *	B  the waiter (robust_victim_block()): a child on ROBUST_CPU_WAITER,
 *	   outside A's cgroup, blocked in pthread_mutex_clocklock() on that
 *	   mutex (ROBUST_WAIT_MS limit).
 *	S  the spinner (robust_victim_starve(), optional): a SCHED_FIFO busy
 *	   loop pinned to ROBUST_CPU_VICTIM that ends by itself ROBUST_SPIN_MS
 *	   after it started (a thawed app on a busy phone, a container at its
 *	   CPU limit): A, killed, cannot run its exit until S is done.
 *
 * robust_victim_kill() lowers memory.max of A's cgroup from
 * ROBUST_CPU_WAITER; A is OOM-killed, the oom_reaper runs on that CPU
 * meanwhile.  robust_victim_observe() waits for A's end, then for B's: if
 * A's exit walks its robust list before the reaper unmaps its memory, B
 * gets EOWNERDEAD (about ROBUST_SPIN_MS after the kill when S starves A);
 * if the reaper comes first, B's wait ends with ETIMEDOUT.
 *
 * The caller freezes A's cgroup (memcg_freeze()) if it wants a frozen
 * victim, and watches the kill through its own tracer.  Waits are events
 * (pipes, SIGCHLD) with deadlines; the one exception is "B is blocked in
 * futex()", which has no event and is polled in /proc/B/syscall, bounded.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno; on an error
 * r->step says which step failed (and r->why, when there is more to say).
 */
#ifndef OOMCTL_ROBUST_VICTIM_H
#define OOMCTL_ROBUST_VICTIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "memcg.h"

/* B, the caller and the memory.max writer; A and S */
#define ROBUST_CPU_WAITER	0
#define ROBUST_CPU_VICTIM	1
#define ROBUST_CG_MAX		"64M"
#define ROBUST_VICTIM_SIZE	(48UL << 20)
#define ROBUST_SPIN_MS		800
#define ROBUST_WAIT_MS		4500	/* B's own limit, from when it blocks */
/* Bound for the steps that take no policy delay (spawn, report, exit) */
#define ROBUST_STEP_MS		10000

struct robust_shared {
	pthread_mutex_t mutex;
};

/* What S says once it runs as SCHED_FIFO on ROBUST_CPU_VICTIM. */
struct robust_spin {
	int err;
	int cpu;
	int policy;
	int64_t start_us;
};

/* What B says when its wait is over. */
struct robust_wait {
	int rc;			/* pthread_mutex_clocklock() */
	int consistent_rc;	/* after EOWNERDEAD only, else -1 */
	int unlock_rc;
	int relock_rc;		/* pthread_mutex_trylock() after the unlock */
	int64_t start_us, end_us;	/* CLOCK_MONOTONIC */
};

struct robust_victim {
	bool live;		/* initialised: the fds below are ours */
	struct robust_shared *sh;
	pid_t holder;		/* A, until it is reaped */
	pid_t waiter, spinner, trigger;
	int waiter_fd, spinner_fd;
	const char *step;	/* the step that failed */
	char why[128];		/* and what it found, if anything */
	uint64_t charged;	/* memory.current once A holds its memory */

	/* robust_victim_starve() */
	struct robust_spin spin;
	/* robust_victim_observe(); times are CLOCK_MONOTONIC microseconds */
	int64_t t_block_us;	/* B was forked */
	int64_t t_kill_us;	/* the memory.max writer is about to fork */
	int64_t t_a_dead_us;	/* A reaped by us, -1 if not */
	int a_err;		/* A's end: 0, or ETIMEDOUT (still there) */
	int a_status;		/* its wait status when a_err == 0 */
	int b_err;		/* B's report: 0, or ETIMEDOUT/EPIPE (none) */
	struct robust_wait wait;
	unsigned int word;	/* the futex word after B's end */
};

/*
 * The shared mutex (robust, process-shared) and the caller pinned to
 * ROBUST_CPU_WAITER.  Needs 2 CPUs: ENODEV with fewer.
 */
int robust_victim_init(struct robust_victim *r);
/*
 * A in @cg: memory.max ROBUST_CG_MAX, then A joins @cg, takes the mutex
 * and its memory; checks that @cg is charged for that memory and that the
 * futex word names A.
 */
int robust_victim_holder(struct robust_victim *r, const struct memcg *cg);
/* B, until it sleeps in futex(2) on the mutex. */
int robust_victim_block(struct robust_victim *r);
/* S, until it reports from ROBUST_CPU_VICTIM at SCHED_FIFO. */
int robust_victim_starve(struct robust_victim *r);
/* memory.max of @cg well below A's usage, from a child of ours. */
int robust_victim_kill(struct robust_victim *r, const struct memcg *cg);
/*
 * A's end (within ROBUST_SPIN_MS + ROBUST_STEP_MS), then B's report
 * (within ROBUST_WAIT_MS + ROBUST_STEP_MS of its blocking), then the futex
 * word; the results are in @r.  Nothing here fails: see a_err and b_err.
 */
void robust_victim_observe(struct robust_victim *r);
/* The futex word of the mutex: owner tid | FUTEX_OWNER_DIED | WAITERS. */
unsigned int robust_victim_futex_word(const struct robust_victim *r);
/*
 * Kill and reap B, S, the writer and A (whichever exist) and unmap the
 * mutex: ready for robust_victim_init() again.  Safe on a zeroed or half set up
 * @r.  A's cgroup stays the caller's.
 */
void robust_victim_teardown(struct robust_victim *r);

#endif
