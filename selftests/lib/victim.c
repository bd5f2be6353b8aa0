// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fileio.h"
#include "proc.h"
#include "victim.h"

/* 2 MiB: PMD_SIZE on x86-64, so a chunk can be one THP. */
#define CHUNK_ALIGN	(2UL << 20)
/* A go victim's overflow area: it is OOM-killed while writing it */
#define OVERFLOW_SIZE	(64UL << 20)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

/*
 * Where a victim writes: all of a dense mapping, or @touch bytes of a
 * sparse one in four equal chunks, 2 MiB aligned: at the bottom, at one
 * third, at two thirds and at the very top, so that both ends and the
 * middle of the VMA have page tables.  Returns the number of chunks.
 */
static int victim_chunks(char *base, size_t map_size, size_t touch,
			 char *start[4], size_t *len)
{
	uintptr_t lo = ((uintptr_t)base + CHUNK_ALIGN - 1) & ~(CHUNK_ALIGN - 1);
	uintptr_t hi = ((uintptr_t)base + map_size) & ~(CHUNK_ALIGN - 1);
	size_t span = hi - lo;

	if (touch == map_size) {
		start[0] = base;
		*len = map_size;
		return 1;
	}
	*len = touch / 4;
	start[0] = (char *)lo;
	start[1] = (char *)((lo + span / 3) & ~(CHUNK_ALIGN - 1));
	start[2] = (char *)((lo + span / 3 * 2) & ~(CHUNK_ALIGN - 1));
	start[3] = (char *)(hi - *len);
	return 4;
}

static void touch_pages(volatile char *mem, size_t size, long page)
{
	for (size_t off = 0; off < size; off += page)
		mem[off] = (char)(off / page) | 1;
}

/* Read every page back: the stores above must have happened */
static int check_pages(volatile char *mem, size_t size, long page)
{
	for (size_t off = 0; off < size; off += page)
		if (mem[off] != ((char)(off / page) | 1))
			return -1;
	return 0;
}

/* One mapping, all of it or @touch bytes of it written: its first byte written */
static void *map_one(size_t size, size_t touch, bool thp, long page)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	volatile char *mem;
	char *start[4];
	size_t len;
	int n;

	if (touch != size)
		flags |= MAP_NORESERVE;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if (thp && madvise((void *)mem, size, MADV_HUGEPAGE))
		return NULL;
	n = victim_chunks((char *)mem, size, touch, start, &len);
	for (int c = 0; c < n; c++)
		touch_pages((volatile char *)start[c], len, page);
	for (int c = 0; c < n; c++)
		if (check_pages((volatile char *)start[c], len, page))
			return NULL;
	return start[0];
}

/* @vmas mappings, 2 MiB aligned with gaps (victim_spawn_opts.vmas): the first */
static void *map_pieces(size_t size, int vmas, long page)
{
	size_t chunk = (size / vmas + page - 1) & ~(page - 1);
	/* + at least a guard page, up to the next 2 MiB boundary */
	size_t stride = (chunk + page + CHUNK_ALIGN - 1) & ~(CHUNK_ALIGN - 1);
	char *base;

	/* Reserve the whole range (2 MiB aligned), then map each piece over it */
	base = mmap(NULL, stride * vmas + CHUNK_ALIGN, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	munmap(base, stride * vmas + CHUNK_ALIGN);
	base = (char *)(((uintptr_t)base + CHUNK_ALIGN - 1) & ~(CHUNK_ALIGN - 1));
	for (int i = 0; i < vmas; i++) {
		void *p = mmap(base + i * stride, chunk, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != base + i * stride)
			return NULL;
		touch_pages(p, chunk, page);
	}
	for (int i = 0; i < vmas; i++)
		if (check_pages((volatile char *)base + i * stride, chunk, page))
			return NULL;
	return base;
}

static void *thread_idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* @n threads with small stacks, blocked until the process dies */
static int start_threads(int n)
{
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (n <= 0)
		return 0;
	err = pthread_attr_init(&attr);
	if (!err)
		err = pthread_attr_setstacksize(&attr, 64 << 10);
	for (int i = 0; !err && i < n; i++)
		err = pthread_create(&t, &attr, thread_idle, NULL);
	pthread_attr_destroy(&attr);
	return err;
}

/* What a spawned victim reports once it is set up */
struct victim_ready {
	void *addr;		/* NULL: it failed */
	pid_t sharer;
};

#define SHARER_STACK	(64 << 10)

/* The process sharing the victim's mm: raw syscalls only, its TLS is not its own */
static int sharer_main(void *arg)
{
	(void)arg;
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

/* Start it on a stack of its own, in the victim's memory: its pid or 0 */
static pid_t start_sharer(void)
{
	char *stack = mmap(NULL, SHARER_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	pid_t pid;

	if (stack == MAP_FAILED)
		return 0;
	pid = clone(sharer_main, stack + SHARER_STACK, CLONE_VM | SIGCHLD, NULL);
	return pid > 0 ? pid : 0;
}

static void __attribute__((noreturn))
victim_main(const struct memcg *cg, size_t size,
	    const struct victim_spawn_opts *o, int ready_fd, int go_fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct victim_ready ready = { 0 };
	volatile char *over = NULL;
	void *addr = NULL;
	char cmd = 0;

	prctl(PR_SET_NAME, "oom_victim");
	if (o->pin) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	if (memcg_enter(cg))
		goto report;
	if (o->vmas)
		addr = map_pieces(size, o->vmas, page);
	else
		addr = map_one(size, o->touch ? o->touch : size, o->thp, page);
	if (addr && o->go) {
		over = mmap(NULL, OVERFLOW_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (over == MAP_FAILED)
			addr = NULL;
	}
	if (addr && start_threads(o->threads))
		addr = NULL;
	if (addr && o->sharer && !(ready.sharer = start_sharer()))
		addr = NULL;
report:
	ready.addr = addr;
	if (write(ready_fd, &ready, sizeof(ready)) != sizeof(ready))
		_exit(1);
	if (!o->go)
		for (;;)	/* until SIGKILL, from the test or PR_SET_PDEATHSIG */
			pause();
	close(ready_fd);
	while (read(go_fd, &cmd, 1) < 0 && errno == EINTR)
		;
	if (cmd == 'o' && addr) {
		/* Over memory.max: the memcg OOM-kills us in this loop */
		touch_pages(over, OVERFLOW_SIZE, page);
		check_pages(over, OVERFLOW_SIZE, page);
		_exit(3);	/* not killed: the caller reports it */
	}
	_exit(0);
}

int victim_spawn_opts(struct victim *v, const struct memcg *cg, size_t size,
		      const struct victim_spawn_opts *o, int timeout_ms)
{
	int ready[2], go[2] = { -1, -1 }, err = 0;
	struct victim_ready msg = { 0 };
	struct pollfd pfd;
	pid_t parent = getpid();

	memset(v, 0, sizeof(*v));
	if (o->vmas < 0 || (o->vmas && (o->touch || o->thp)))
		return EINVAL;
	if (pipe2(ready, O_CLOEXEC))
		return errno;
	if (o->go) {
		if (pipe2(go, O_CLOEXEC)) {
			err = errno;
			close(ready[0]);
			close(ready[1]);
			return err;
		}
		fflush(NULL);
	}
	v->pid = fork();
	if (v->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (o->set_score) {
			char buf[16];

			snprintf(buf, sizeof(buf), "%d", o->oom_score_adj);
			file_write_str("/proc/self/oom_score_adj", buf);
		}
		close(ready[0]);
		if (o->go)
			close(go[1]);
		victim_main(cg, size, o, ready[1], go[0]);
	}
	if (v->pid < 0)
		err = errno;
	close(ready[1]);
	if (o->go) {
		close(go[0]);
		v->go_fd = go[1];
	}
	v->size = size;
	v->resident = o->touch ? o->touch : size;
	if (err)
		goto out;

	pfd = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	if (poll(&pfd, 1, timeout_ms) <= 0)
		err = ETIMEDOUT;
	else if (read(ready[0], &msg, sizeof(msg)) != sizeof(msg) || !msg.addr)
		err = ENOMEM;
	if (err == ENOMEM && o->go) {
		/* It said so (and exits at EOF), or died before: reap it */
		close(v->go_fd);
		v->go_fd = 0;
		while (waitpid(v->pid, &v->status, __WALL) < 0 && errno == EINTR)
			;
		v->exited = true;
	}
	v->addr = msg.addr;
	v->sharer = msg.sharer;
out:
	close(ready[0]);
	return err;
}

int victim_spawn(struct victim *v, const struct memcg *cg, size_t size,
		 int timeout_ms)
{
	struct victim_spawn_opts o = { 0 };

	return victim_spawn_opts(v, cg, size, &o, timeout_ms);
}

int victim_spawn_sparse(struct victim *v, const struct memcg *cg,
			size_t size, size_t touch, bool thp, int timeout_ms)
{
	struct victim_spawn_opts o = { .touch = touch, .thp = thp };

	if (!touch || touch % (4 * CHUNK_ALIGN) || touch > size / 8)
		return EINVAL;
	return victim_spawn_opts(v, cg, size, &o, timeout_ms);
}

int victim_go_oom(struct victim *v, const struct memcg *cg)
{
	uint64_t cur;
	char max[32];
	int err;

	err = memcg_read_u64(cg, "memory.current", &cur);
	if (err)
		return err;
	snprintf(max, sizeof(max), "%llu", (unsigned long long)cur + (1UL << 20));
	err = memcg_write(cg, "memory.max", max);
	if (err)
		return err;
	return write(v->go_fd, "o", 1) == 1 ? 0 : errno;
}

struct victim_msg {
	int err;
	long anon, file, shmem;
};

static void rss_self(struct victim_msg *m)
{
	char buf[4096], *p;

	if (file_read("/proc/self/status", buf, sizeof(buf)))
		return;
	if ((p = strstr(buf, "RssAnon:")))
		m->anon = strtol(p + 8, NULL, 10);
	if ((p = strstr(buf, "RssFile:")))
		m->file = strtol(p + 8, NULL, 10);
	if ((p = strstr(buf, "RssShmem:")))
		m->shmem = strtol(p + 9, NULL, 10);
}

static void start_main(int wfd, const struct memcg *cg, const struct victim_opts *o)
{
	struct victim_msg m = { 0 };
	size_t size = o->hold_bytes ? o->hold_bytes : 256UL << 20;
	volatile char *mem;
	char buf[32];
	size_t i;
	int err;

	err = memcg_enter(cg);
	if (!err && o->comm && prctl(PR_SET_NAME, o->comm, 0, 0, 0))
		err = errno;
	if (!err) {
		snprintf(buf, sizeof(buf), "%d", o->oom_score_adj);
		err = file_write_str("/proc/self/oom_score_adj", buf);
	}
	if (!err && o->uid)
		err = drop_to_user(o->uid, o->uid);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!err && mem == MAP_FAILED)
		err = errno;
	m.err = err;
	rss_self(&m);
	if (write(wfd, &m, sizeof(m)) != sizeof(m) || err)
		_exit(2);
	for (i = 0; i < size; i += 4096)
		mem[i] = (char)i | 1;
	if (!o->hold_bytes)
		_exit(3);	/* should have been OOM-killed long before */
	rss_self(&m);
	if (write(wfd, &m, sizeof(m)) != sizeof(m))
		_exit(2);
	for (;;)
		pause();
}

static int read_status(struct victim *v, int timeout_ms)
{
	struct pollfd pfd = { .fd = v->rfd, .events = POLLIN };
	struct victim_msg m;
	int n;

	n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return errno;
	if (n == 0)
		return ETIMEDOUT;
	n = read(v->rfd, &m, sizeof(m));
	if (n != sizeof(m))
		return EPIPE;	/* died before reporting */
	v->rss_anon = m.anon;
	v->rss_file = m.file;
	v->rss_shmem = m.shmem;
	return m.err;
}

int victim_start(struct victim *v, const struct memcg *cg,
		 const struct victim_opts *o, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	int p[2], err;

	memset(v, 0, sizeof(*v));
	if (pipe2(p, O_CLOEXEC))
		return errno;
	fflush(stdout);
	fflush(stderr);
	v->pid = fork();
	if (v->pid < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (v->pid == 0) {
		close(p[0]);
		start_main(p[1], cg, o);
		_exit(1);
	}
	close(p[1]);
	v->rfd = p[0];
	err = read_status(v, ms_left(deadline));
	if (!err && o->hold_bytes)
		err = read_status(v, ms_left(deadline));
	if (err)
		victim_destroy(v);
	return err;
}

int victim_wait(struct victim *v, int timeout_ms)
{
	int err;

	if (v->exited || !v->pid)
		return 0;
	err = proc_wait(v->pid, &v->status, timeout_ms);
	if (!err)
		v->exited = true;
	return err;
}

void victim_destroy(struct victim *v)
{
	if (v->sharer > 0)
		kill(v->sharer, SIGKILL);	/* its parent's death does too */
	v->sharer = 0;
	if (v->pid > 0 && !v->exited) {
		kill(v->pid, SIGKILL);
		while (waitpid(v->pid, &v->status, __WALL) < 0 && errno == EINTR)
			;
		v->exited = true;
	}
	if (v->rfd > 0)
		close(v->rfd);
	v->rfd = 0;
	if (v->go_fd > 0)
		close(v->go_fd);
	v->go_fd = 0;
}
