// SPDX-License-Identifier: GPL-2.0
/* The robust-futex OOM scenario: see robust_victim.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

#include "child_wait.h"
#include "clock.h"
#include "fileio.h"
#include "oom_trigger.h"
#include "robust_victim.h"

/* What A says once it holds the mutex and its memory (or why not). */
struct holder_report {
	int err;
	char step[24];
};

struct holder_arg {
	struct robust_shared *sh;
	const struct memcg *cg;
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
 * Fork a child that dies with us (PR_SET_PDEATHSIG) and runs @fn with the
 * write end of a pipe; *@rfd is the read end.  Returns the pid or -errno.
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

/* SIGKILL our child *@pid (if any) and reap it; close *@fd (if any). */
static void stop_child(pid_t *pid, int *fd)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	*pid = 0;
	if (fd && *fd >= 0)
		close(*fd);
	if (fd)
		*fd = -1;
}

static int fail(struct robust_victim *r, const char *step, int err)
{
	r->step = step;
	return err;
}

/* A: enter the cgroup, go to the victim's CPU, take the mutex and memory. */
static void holder_main(void *arg, int fd)
{
	const struct holder_arg *h = arg;
	struct holder_report rep = { 0 };
	void *mem;

	prctl(PR_SET_NAME, "robust_holder");
	strcpy(rep.step, "cgroup.procs");
	rep.err = memcg_enter(h->cg);
	if (!rep.err) {
		strcpy(rep.step, "sched_setaffinity");
		rep.err = pin_cpu(ROBUST_CPU_VICTIM);
	}
	if (!rep.err) {
		strcpy(rep.step, "pthread_mutex_lock");
		rep.err = pthread_mutex_lock(&h->sh->mutex);
	}
	if (!rep.err) {
		/* MAP_POPULATE write-faults every page: charged to A's cg */
		strcpy(rep.step, "mmap");
		mem = mmap(NULL, ROBUST_VICTIM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (mem == MAP_FAILED)
			rep.err = errno;
	}
	report(fd, &rep, sizeof(rep));
	for (;;)	/* until the OOM killer (or the caller, or its death) */
		pause();
}

/* B: wait for the mutex; after EOWNERDEAD, check it can be recovered. */
static void waiter_main(void *arg, int fd)
{
	struct robust_shared *sh = arg;
	struct robust_wait rep = {
		.consistent_rc = -1, .unlock_rc = -1, .relock_rc = -1,
	};
	struct timespec dl;

	prctl(PR_SET_NAME, "robust_waiter");
	clock_gettime(CLOCK_MONOTONIC, &dl);
	rep.start_us = dl.tv_sec * 1000000LL + dl.tv_nsec / 1000;
	dl.tv_sec += ROBUST_WAIT_MS / 1000;
	dl.tv_nsec += (ROBUST_WAIT_MS % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	rep.rc = pthread_mutex_clocklock(&sh->mutex, CLOCK_MONOTONIC, &dl);
	rep.end_us = now_us();
	if (rep.rc == EOWNERDEAD) {
		rep.consistent_rc = pthread_mutex_consistent(&sh->mutex);
		rep.unlock_rc = pthread_mutex_unlock(&sh->mutex);
		rep.relock_rc = pthread_mutex_trylock(&sh->mutex);
		if (!rep.relock_rc)
			pthread_mutex_unlock(&sh->mutex);
	}
	report(fd, &rep, sizeof(rep));
}

/* S: SCHED_FIFO on the victim's CPU, say so, spin ROBUST_SPIN_MS, exit. */
static void spinner_main(void *arg, int fd)
{
	struct sched_param sp = { .sched_priority = 50 };
	struct robust_spin rep = { 0 };
	int64_t end;

	(void)arg;
	prctl(PR_SET_NAME, "fifo_spinner");
	rep.err = pin_cpu(ROBUST_CPU_VICTIM);
	if (!rep.err && sched_setscheduler(0, SCHED_FIFO, &sp))
		rep.err = errno;
	rep.cpu = sched_getcpu();
	rep.policy = sched_getscheduler(0);
	rep.start_us = now_us();
	end = rep.start_us + ROBUST_SPIN_MS * 1000LL;
	/* Written from the victim's CPU at FIFO priority: we run there. */
	report(fd, &rep, sizeof(rep));
	if (rep.err)
		_exit(1);
	while (now_us() < end)
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

unsigned int robust_victim_futex_word(const struct robust_victim *r)
{
	const unsigned int *word =
		(const unsigned int *)&r->sh->mutex.__data.__lock;

	return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}

int robust_victim_init(struct robust_victim *r)
{
	pthread_mutexattr_t attr;
	int err;

	memset(r, 0, sizeof(*r));
	r->waiter_fd = r->spinner_fd = -1;
	r->t_a_dead_us = -1;
	r->live = true;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return fail(r, "2 CPUs (the victim's is kept busy)", ENODEV);
	err = pin_cpu(ROBUST_CPU_WAITER);
	if (err)
		return fail(r, "sched_setaffinity", err);
	r->sh = mmap(NULL, sizeof(*r->sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->sh == MAP_FAILED) {
		r->sh = NULL;
		return fail(r, "mmap", errno);
	}
	err = pthread_mutexattr_init(&attr);
	if (err)
		return fail(r, "pthread_mutexattr_init", err);
	err = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	if (!err)
		err = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	if (!err)
		err = pthread_mutex_init(&r->sh->mutex, &attr);
	pthread_mutexattr_destroy(&attr);
	return err ? fail(r, "robust mutex", err) : 0;
}

int robust_victim_holder(struct robust_victim *r, const struct memcg *cg)
{
	struct holder_arg arg = { .sh = r->sh, .cg = cg };
	struct holder_report rep;
	unsigned int word;
	pid_t pid;
	int fd, err;

	err = memcg_write(cg, "memory.max", ROBUST_CG_MAX);
	if (err)
		return fail(r, "memory.max", err);
	pid = spawn(holder_main, &arg, &fd);
	if (pid < 0)
		return fail(r, "fork A", -pid);
	r->holder = pid;
	err = read_report(fd, &rep, sizeof(rep), ROBUST_STEP_MS);
	close(fd);
	if (err)
		return fail(r, "no word from A", err);
	if (rep.err) {
		snprintf(r->why, sizeof(r->why), "A: %s", rep.step);
		return fail(r, r->why, rep.err);
	}
	err = memcg_read_u64(cg, "memory.current", &r->charged);
	if (err)
		return fail(r, "memory.current", err);
	if (r->charged < ROBUST_VICTIM_SIZE) {
		snprintf(r->why, sizeof(r->why),
			 "A's cgroup holds only %llu bytes",
			 (unsigned long long)r->charged);
		return fail(r, r->why, ENOMEM);
	}
	word = robust_victim_futex_word(r);
	if ((word & FUTEX_TID_MASK) != (unsigned int)pid) {
		snprintf(r->why, sizeof(r->why),
			 "futex word 0x%08x after A's (%d) lock", word, pid);
		return fail(r, r->why, EPROTO);
	}
	return 0;
}

int robust_victim_block(struct robust_victim *r)
{
	int err;

	/* B blocks on the mutex A holds, until t_block + ROBUST_WAIT_MS. */
	r->t_block_us = now_us();
	r->waiter = spawn(waiter_main, r->sh, &r->waiter_fd);
	if (r->waiter < 0) {
		err = -r->waiter;
		r->waiter = 0;
		return fail(r, "fork B", err);
	}
	err = wait_in_futex(r->waiter, ROBUST_STEP_MS);
	if (err) {
		snprintf(r->why, sizeof(r->why),
			 "B (pid %d) never slept in futex(); futex word 0x%08x",
			 r->waiter, robust_victim_futex_word(r));
		return fail(r, r->why, err);
	}
	return 0;
}

int robust_victim_starve(struct robust_victim *r)
{
	int err;

	/* S keeps the victim's CPU busy for ROBUST_SPIN_MS from now on. */
	r->spinner = spawn(spinner_main, NULL, &r->spinner_fd);
	if (r->spinner < 0) {
		err = -r->spinner;
		r->spinner = 0;
		return fail(r, "fork S", err);
	}
	err = read_report(r->spinner_fd, &r->spin, sizeof(r->spin),
			  ROBUST_STEP_MS);
	if (err)
		return fail(r, "no word from S", err);
	if (r->spin.err)
		return fail(r, "S: SCHED_FIFO on A's CPU", r->spin.err);
	if (r->spin.cpu != ROBUST_CPU_VICTIM || r->spin.policy != SCHED_FIFO) {
		snprintf(r->why, sizeof(r->why),
			 "S runs on CPU %d, policy %d: not %d, SCHED_FIFO",
			 r->spin.cpu, r->spin.policy, ROBUST_CPU_VICTIM);
		return fail(r, r->why, EPROTO);
	}
	return 0;
}

int robust_victim_kill(struct robust_victim *r, const struct memcg *cg)
{
	char max[32];
	pid_t pid;

	/* Well below A's usage: only killing A can satisfy it. */
	snprintf(max, sizeof(max), "%lu", ROBUST_VICTIM_SIZE / 8);
	r->t_kill_us = now_us();
	pid = oom_trigger_start(cg, max);
	if (pid < 0)
		return fail(r, "fork the memory.max writer", -pid);
	r->trigger = pid;
	return 0;
}

void robust_victim_observe(struct robust_victim *r)
{
	int64_t b_deadline = r->t_block_us / 1000 + ROBUST_WAIT_MS +
			     ROBUST_STEP_MS;

	/* A's end, then B's; both bounded (A: S's spin, then its exit). */
	r->a_status = -1;
	r->a_err = child_wait(r->holder, &r->a_status, 0,
			      ROBUST_SPIN_MS + ROBUST_STEP_MS);
	if (!r->a_err) {
		r->t_a_dead_us = now_us();
		r->holder = 0;
	}
	r->wait = (struct robust_wait){ .rc = -1 };
	r->b_err = read_report(r->waiter_fd, &r->wait, sizeof(r->wait),
			       ms_left(b_deadline));
	if (!r->b_err)
		stop_child(&r->waiter, &r->waiter_fd);
	r->word = robust_victim_futex_word(r);
}

void robust_victim_teardown(struct robust_victim *r)
{
	if (!r->live)
		return;
	stop_child(&r->waiter, &r->waiter_fd);
	stop_child(&r->spinner, &r->spinner_fd);
	oom_trigger_stop(&r->trigger);
	stop_child(&r->holder, NULL);
	if (r->sh)
		munmap(r->sh, sizeof(*r->sh));
	r->sh = NULL;
	r->live = false;
}
