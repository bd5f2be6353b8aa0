// SPDX-License-Identifier: GPL-2.0
/*
 * The victim: touched anonymous memory over many VMAs.  Each mapping starts
 * on a 2 MiB (PMD) boundary and is followed by an unmapped gap of at least
 * one page, so neighbours cannot merge, /proc/PID/maps shows exactly @vmas
 * writable mappings, and with THP on during its setup (@thp, bench/src/thp.c)
 * every whole 2 MiB of them can be a PMD-mapped huge page.  The layout is the same with and
 * without THP, so the two configurations differ in the page size alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define OVERFLOW_SIZE	(64UL << 20)
#define PMD_ALIGN	(2UL << 20)

static void touch(volatile char *mem, size_t size, long page)
{
	for (size_t off = 0; off < size; off += page)
		mem[off] = (char)(off / page) | 1;
}

/* Read every page back: the stores above must have happened */
static int check(volatile char *mem, size_t size, long page)
{
	for (size_t off = 0; off < size; off += page)
		if (mem[off] != ((char)(off / page) | 1))
			return -1;
	return 0;
}

static void __attribute__((noreturn))
victim_main(const struct memcg *cg, size_t size, int vmas, int cpu,
	    int ready_fd, int go_fd)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t chunk = (size / vmas + page - 1) & ~(page - 1);
	/* + at least a guard page, up to the next 2 MiB boundary */
	size_t stride = (chunk + page + PMD_ALIGN - 1) & ~(PMD_ALIGN - 1);
	void *addr = NULL;
	char *base, cmd = 0;
	volatile char *over = NULL;

	prctl(PR_SET_NAME, "oom_victim");
	if (cpu >= 0)
		pin_self(cpu);
	if (memcg_enter(cg)) {
		note("victim: cannot enter %s", cg->path);
		goto report;
	}
	/* Reserve the whole range (2 MiB aligned), then map each piece over it */
	base = mmap(NULL, stride * vmas + PMD_ALIGN, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		goto report;
	munmap(base, stride * vmas + PMD_ALIGN);
	base = (char *)(((uintptr_t)base + PMD_ALIGN - 1) & ~(PMD_ALIGN - 1));
	for (int i = 0; i < vmas; i++) {
		void *p = mmap(base + i * stride, chunk, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != base + i * stride) {
			note("victim: mmap piece %d: %s", i, strerror(errno));
			goto report;
		}
		touch(p, chunk, page);
	}
	for (int i = 0; i < vmas; i++)
		if (check((volatile char *)base + i * stride, chunk, page)) {
			note("victim: piece %d does not read back", i);
			goto report;
		}
	over = mmap(NULL, OVERFLOW_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (over == MAP_FAILED)
		goto report;
	addr = base;
report:
	if (write(ready_fd, &addr, sizeof(addr)) != sizeof(addr))
		_exit(1);
	close(ready_fd);
	while (read(go_fd, &cmd, 1) < 0 && errno == EINTR)
		;
	if (cmd == 'o' && addr) {
		/* Over memory.max: the memcg OOM-kills us in this loop */
		touch(over, OVERFLOW_SIZE, page);
		check(over, OVERFLOW_SIZE, page);
		_exit(3);	/* not killed: the caller reports it */
	}
	_exit(0);
}

int mvictim_spawn(struct mvictim *v, const struct memcg *cg, size_t size,
		  int vmas, int cpu, bool thp)
{
	int ready[2], go[2], err = 0;
	pid_t parent = getpid();
	struct pollfd pfd;
	void *addr = NULL;

	memset(v, 0, sizeof(*v));
	if (vmas < 1)
		vmas = 1;
	if (pipe2(ready, O_CLOEXEC))
		return errno;
	if (pipe2(go, O_CLOEXEC)) {
		err = errno;
		close(ready[0]);
		close(ready[1]);
		return err;
	}
	if (thp)
		thp_victim_begin();
	fflush(NULL);
	v->pid = fork();
	if (v->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		set_oom_score_adj(0, 0);	/* the bench itself is -1000 */
		close(ready[0]);
		close(go[1]);
		victim_main(cg, size, vmas, cpu, ready[1], go[0]);
	}
	if (v->pid < 0)
		err = errno;
	close(ready[1]);
	close(go[0]);
	v->go_fd = go[1];
	v->size = size;
	v->vmas = vmas;
	if (err)
		goto out;
	pfd = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	if (poll(&pfd, 1, 120000) <= 0)
		err = ETIMEDOUT;
	else if (read(ready[0], &addr, sizeof(addr)) != sizeof(addr) || !addr)
		err = ENOMEM;
	if (err == ENOMEM && !addr) {
		/* It said so (and exits at EOF), or died before: say which */
		int status;

		close(v->go_fd);
		v->go_fd = 0;
		status = reap_child(v->pid);

		if (WIFSIGNALED(status))
			note("victim %d: killed by signal %d during its setup",
			     v->pid, WTERMSIG(status));
		else
			note("victim %d: setup failed (exit %d)", v->pid,
			     WEXITSTATUS(status));
		v->pid = 0;
	}
	v->addr = addr;
out:
	if (thp)	/* its heap is mapped: the rest faults as usual */
		thp_victim_end();
	close(ready[0]);
	return err;
}

int mvictim_go_oom(struct mvictim *v, const struct memcg *cg)
{
	uint64_t cur;
	char max[32];
	int err;

	err = memcg_read_u64(cg, "memory.current", &cur);
	if (err)
		return err;
	snprintf(max, sizeof(max), "%llu", (unsigned long long)cur + MIB);
	err = memcg_write(cg, "memory.max", max);
	if (err)
		return err;
	return write(v->go_fd, "o", 1) == 1 ? 0 : errno;
}

void mvictim_destroy(struct mvictim *v)
{
	if (v->pid > 0) {
		kill(v->pid, SIGKILL);
		reap_child(v->pid);
	}
	if (v->go_fd > 0)
		close(v->go_fd);
	memset(v, 0, sizeof(*v));
}
