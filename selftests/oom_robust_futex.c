// SPDX-License-Identifier: GPL-2.0
/*
 * Which reaper settings leave a robust-futex waiter hung (issue 10, item 0).
 *
 * The reaper's delay exists for robust futexes (e4a38402c36e): glibc keeps
 * a thread's robust list head in its TLS, i.e. in private memory, and the
 * kernel walks that list in the dying task's own exit (exit_mm() ->
 * futex_exit_release()).  If the reaper has unmapped the victim's private
 * memory by then, the walk faults and stops, the futexes the victim held
 * are never marked FUTEX_OWNER_DIED and their waiters are never woken.
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
 * event and is polled in /proc/B/syscall, bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/futex.h>

#include "kselftest_harness.h"
#include "child_wait.h"
#include "clock.h"
#include "fileio.h"
#include "memcg.h"
#include "oom_policy.h"
#include "oom_run.h"
#include "oom_trigger.h"
#include "sysctl.h"

#define CPU_WAITER	0	/* B, the test itself, the memory.max writer */
#define CPU_VICTIM	1	/* A and the SCHED_FIFO spinner */
#define CG_MAX		"64M"
#define VICTIM_SIZE	OOM_RUN_VICTIM_SIZE	/* 48 MiB */
#define SPIN_MS		800
#define WAIT_MS		4500	/* B's own limit, from the moment it blocks */
#define STEP_MS		OOM_RUN_STEP_MS

struct shared {
	pthread_mutex_t mutex;
};

/* What A says once it holds the mutex and its memory (or why not). */
struct holder_report {
	int err;
	char step[24];
};

/* What S says once it runs as SCHED_FIFO on CPU_VICTIM (or why not). */
struct spin_report {
	int err;
	int cpu;
	int policy;
	int64_t start_ms;
};

/* What B says when its wait is over. */
struct waiter_report {
	int rc;			/* pthread_mutex_clocklock() */
	int consistent_rc;	/* after EOWNERDEAD only, else -1 */
	int unlock_rc;
	int relock_rc;		/* pthread_mutex_trylock() after the unlock */
	int64_t start_ms, end_ms;
};

FIXTURE(robust) {
	struct oom_run run;	/* tracer, A's cgroup, A as victim, writer */
	struct shared *sh;
	pid_t waiter, spinner;
	int waiter_fd, spinner_fd;
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

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
}

static void report(int fd, const void *buf, size_t len)
{
	if (write(fd, buf, len) != (ssize_t)len)
		_exit(1);
}

/*
 * Fork a child that dies with the test (PR_SET_PDEATHSIG) and runs @fn
 * with the write end of a pipe; *@rfd is the read end.  Returns the pid
 * or -errno.
 */
static pid_t spawn(void (*fn)(void *arg, int fd), void *arg, int *rfd)
{
	pid_t parent = getpid(), pid;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(p[0]);
		fn(arg, p[1]);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		int err = errno;

		close(p[0]);
		return -err;
	}
	*rfd = p[0];
	return pid;
}

/* Read one report of @len bytes from @fd within @timeout_ms: 0 or errno. */
static int read_report(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ret;

	do
		ret = poll(&pfd, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errno;
	if (!ret)
		return ETIMEDOUT;
	n = read(fd, buf, len);
	if (n < 0)
		return errno;
	return n == (ssize_t)len ? 0 : EPIPE;	/* EPIPE: it died first */
}

/* SIGKILL our child *@pid (if any) and reap it; close *@fd. */
static void stop_child(pid_t *pid, int *fd)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	*pid = 0;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A: enter the cgroup, go to CPU_VICTIM, take the mutex, take memory. */
static void holder_main(void *arg, int fd)
{
	FIXTURE_DATA(robust) *self = arg;
	struct holder_report rep = { 0 };
	void *mem;

	prctl(PR_SET_NAME, "robust_holder");
	strcpy(rep.step, "cgroup.procs");
	rep.err = memcg_enter(&self->run.cg);
	if (!rep.err) {
		strcpy(rep.step, "sched_setaffinity");
		rep.err = pin_cpu(CPU_VICTIM);
	}
	if (!rep.err) {
		strcpy(rep.step, "pthread_mutex_lock");
		rep.err = pthread_mutex_lock(&self->sh->mutex);
	}
	if (!rep.err) {
		/* MAP_POPULATE write-faults every page: charged to the cgroup */
		strcpy(rep.step, "mmap");
		mem = mmap(NULL, VICTIM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (mem == MAP_FAILED)
			rep.err = errno;
	}
	report(fd, &rep, sizeof(rep));
	for (;;)	/* until the OOM killer (or the test, or our parent) */
		pause();
}

/* B: wait for the mutex; after EOWNERDEAD, check it can be recovered. */
static void waiter_main(void *arg, int fd)
{
	struct shared *sh = arg;
	struct waiter_report rep = {
		.consistent_rc = -1, .unlock_rc = -1, .relock_rc = -1,
	};
	struct timespec dl;

	prctl(PR_SET_NAME, "robust_waiter");
	clock_gettime(CLOCK_MONOTONIC, &dl);
	rep.start_ms = dl.tv_sec * 1000LL + dl.tv_nsec / 1000000;
	dl.tv_sec += WAIT_MS / 1000;
	dl.tv_nsec += (WAIT_MS % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	rep.rc = pthread_mutex_clocklock(&sh->mutex, CLOCK_MONOTONIC, &dl);
	rep.end_ms = now_ms();
	if (rep.rc == EOWNERDEAD) {
		rep.consistent_rc = pthread_mutex_consistent(&sh->mutex);
		rep.unlock_rc = pthread_mutex_unlock(&sh->mutex);
		rep.relock_rc = pthread_mutex_trylock(&sh->mutex);
		if (!rep.relock_rc)
			pthread_mutex_unlock(&sh->mutex);
	}
	report(fd, &rep, sizeof(rep));
}

/* S: SCHED_FIFO on CPU_VICTIM, say so, spin SPIN_MS, exit. */
static void spinner_main(void *arg, int fd)
{
	struct sched_param sp = { .sched_priority = 50 };
	struct spin_report rep = { 0 };
	int64_t end;

	(void)arg;
	prctl(PR_SET_NAME, "fifo_spinner");
	rep.err = pin_cpu(CPU_VICTIM);
	if (!rep.err && sched_setscheduler(0, SCHED_FIFO, &sp))
		rep.err = errno;
	rep.cpu = sched_getcpu();
	rep.policy = sched_getscheduler(0);
	rep.start_ms = now_ms();
	end = rep.start_ms + SPIN_MS;
	/* Written from CPU_VICTIM at FIFO priority: we are running there. */
	report(fd, &rep, sizeof(rep));
	if (rep.err)
		_exit(1);
	while (now_ms() < end)
		;
}

/*
 * Until @pid sleeps inside futex(2) (/proc/PID/syscall starts with its
 * number), at most @timeout_ms.  There is no event for that: poll, 1 ms.
 */
static int wait_in_futex(pid_t pid, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char path[64], buf[256], *end;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (;;) {
		int err = file_read(path, buf, sizeof(buf));
		long nr;

		if (err)
			return err;
		nr = strtol(buf, &end, 10);
		if (end != buf && nr == SYS_futex)
			return 0;
		if (!ms_left(deadline))
			return ETIMEDOUT;
		usleep(1000);
	}
}

static unsigned int futex_word(const struct shared *sh)
{
	return __atomic_load_n((const unsigned int *)&sh->mutex.__data.__lock,
			       __ATOMIC_SEQ_CST);
}

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
	struct holder_report rep;
	pthread_mutexattr_t attr;
	char name[64];
	uint64_t charged;
	unsigned int word;
	int i, fd, err;
	pid_t pid;

	self->waiter_fd = self->spinner_fd = -1;
	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs 2 CPUs (the victim's CPU is kept busy)");
	ASSERT_EQ(0, pin_cpu(CPU_WAITER));

	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh) self->sh = NULL;
	ASSERT_EQ(0, pthread_mutexattr_init(&attr));
	ASSERT_EQ(0, pthread_mutexattr_setpshared(&attr,
						  PTHREAD_PROCESS_SHARED));
	ASSERT_EQ(0, pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST));
	ASSERT_EQ(0, pthread_mutex_init(&self->sh->mutex, &attr));
	pthread_mutexattr_destroy(&attr);

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
	ASSERT_EQ(0, memcg_write(&r->cg, "memory.max", CG_MAX));

	/* A, the victim the oom_run helpers watch and tear down. */
	pid = spawn(holder_main, self, &fd);
	ASSERT_LT(0, pid) TH_LOG("fork: %s", strerror(-pid));
	r->victim.pid = pid;
	r->victim.size = VICTIM_SIZE;
	err = read_report(fd, &rep, sizeof(rep), STEP_MS);
	close(fd);
	ASSERT_EQ(0, err) TH_LOG("no word from A: %s", strerror(err));
	ASSERT_EQ(0, rep.err) TH_LOG("A: %s: %s", rep.step, strerror(rep.err));
	ASSERT_EQ(0, memcg_read_u64(&r->cg, "memory.current", &charged));
	ASSERT_LE(VICTIM_SIZE, charged)
		TH_LOG("A's cgroup holds only %llu bytes",
		       (unsigned long long)charged);
	word = futex_word(self->sh);
	ASSERT_EQ((unsigned int)pid, word & FUTEX_TID_MASK)
		TH_LOG("futex word 0x%08x after A's lock", word);
}

FIXTURE_TEARDOWN(robust)
{
	stop_child(&self->waiter, &self->waiter_fd);
	stop_child(&self->spinner, &self->spinner_fd);
	oom_run_teardown(&self->run);	/* writer, A, cgroup, tracer */
	if (self->sh)
		munmap(self->sh, sizeof(*self->sh));
	self->sh = NULL;
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

TEST_F_TIMEOUT(robust, waiter_after_oom_kill, 60)
{
	struct oom_run *r = &self->run;
	unsigned int delay, bypass, order, word;
	struct waiter_report b = { .rc = -1 };
	int status = -1, a_err, b_err;
	int64_t t_block, t_kill, t_a_dead = -1;
	struct spin_report s;
	pid_t a = r->victim.pid;
	char max[32];

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
		ASSERT_EQ(0, memcg_freeze(&r->cg, STEP_MS));

	/* B blocks on the mutex A holds, until t_block + WAIT_MS at most. */
	t_block = now_ms();
	self->waiter = spawn(waiter_main, self->sh, &self->waiter_fd);
	ASSERT_LT(0, self->waiter);
	ASSERT_EQ(0, wait_in_futex(self->waiter, STEP_MS))
		TH_LOG("B (pid %d) never slept in futex(); futex word 0x%08x",
		       self->waiter, futex_word(self->sh));

	/* S keeps CPU_VICTIM busy for SPIN_MS from now on. */
	self->spinner = spawn(spinner_main, NULL, &self->spinner_fd);
	ASSERT_LT(0, self->spinner);
	ASSERT_EQ(0, read_report(self->spinner_fd, &s, sizeof(s), STEP_MS));
	ASSERT_EQ(0, s.err) TH_LOG("S: %s", strerror(s.err));
	ASSERT_EQ(CPU_VICTIM, s.cpu);
	ASSERT_EQ(SCHED_FIFO, s.policy);

	/* The kill: memory.max well below A's usage, from CPU_WAITER. */
	snprintf(max, sizeof(max), "%lu", VICTIM_SIZE / 8);
	t_kill = now_ms();
	r->trigger = oom_trigger_start(&r->cg, max);
	ASSERT_LT(0, r->trigger) r->trigger = 0;

	/* A's end, then B's; both bounded (A: S's spin, then its exit). */
	a_err = child_wait(a, &status, 0, SPIN_MS + STEP_MS);
	if (!a_err)
		t_a_dead = now_ms();
	b_err = read_report(self->waiter_fd, &b, sizeof(b),
			    ms_left(t_block + WAIT_MS + STEP_MS));
	if (!b_err)
		stop_child(&self->waiter, &self->waiter_fd);
	word = futex_word(self->sh);
	/* The events up to the end of the reaper's pass, if it comes. */
	oom_run_wait(r, oom_run_done(r), ms_left(t_kill + delay + STEP_MS));
	if (!a_err)
		r->victim.pid = 0;	/* reaped: nothing left to kill */

	TH_LOG("delay %u, bypass %u, order %s; A %s when killed",
	       delay, bypass, oom_order_name(order),
	       variant->frozen ? "frozen" : "running");
	if (b_err)
		TH_LOG("B: no word within %d ms of blocking: %s",
		       WAIT_MS + STEP_MS, strerror(b_err));
	else
		TH_LOG("B: %s after %lld ms blocked, %lld ms after the kill",
		       strerror(b.rc), (long long)(b.end_ms - b.start_ms),
		       (long long)(b.end_ms - t_kill));
	if (a_err)
		TH_LOG("A: not reaped %d ms after the kill: %s",
		       SPIN_MS + STEP_MS, strerror(a_err));
	else
		TH_LOG("A: %s, reaped %lld ms after the kill",
		       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
		       "exited", (long long)(t_a_dead - t_kill));
	log_events(_metadata, r, t_kill);
	TH_LOG("futex word 0x%08x (owner tid %u%s)", word,
	       word & FUTEX_TID_MASK,
	       word & FUTEX_OWNER_DIED ? ", OWNER_DIED" : "");

	ASSERT_EQ(0, b_err);
	ASSERT_GE(b.end_ms, t_kill)
		TH_LOG("B returned %s before the kill", strerror(b.rc));
	ASSERT_TRUE(r->seen[OOM_EV_MARK_VICTIM])
		TH_LOG("A (pid %d) was not the OOM victim", a);
	EXPECT_EQ(0, a_err);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("A's wait status 0x%x", status);
	EXPECT_EQ(variant->expect, b.rc)
		TH_LOG("B: %s after %lld ms blocked, expected %s",
		       strerror(b.rc), (long long)(b.end_ms - b.start_ms),
		       strerror(variant->expect));
	if (b.rc == EOWNERDEAD) {
		/* The kernel's walk marked it: recoverable, then usable. */
		EXPECT_EQ(0, b.consistent_rc);
		EXPECT_EQ(0, b.unlock_rc);
		EXPECT_EQ(0, b.relock_rc);
	} else if (b.rc == ETIMEDOUT) {
		/* Nobody walked A's robust list: still A's, owner not dead. */
		EXPECT_EQ((unsigned int)a, word & FUTEX_TID_MASK)
			TH_LOG("futex word 0x%08x", word);
		EXPECT_EQ(0U, word & FUTEX_OWNER_DIED)
			TH_LOG("futex word 0x%08x", word);
	}
}

TEST_HARNESS_MAIN
