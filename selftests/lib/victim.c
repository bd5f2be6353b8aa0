// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

static void __attribute__((noreturn))
victim_main(const struct memcg *cg, size_t size, int ready_fd)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *mem;
	void *addr = NULL;

	prctl(PR_SET_NAME, "oom_victim");
	if (memcg_enter(cg))
		goto report;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		goto report;
	for (size_t off = 0; off < size; off += page)
		mem[off] = (char)(off / page) | 1;
	for (size_t off = 0; off < size; off += page)
		if (mem[off] != ((char)(off / page) | 1))
			goto report;
	addr = (void *)mem;
report:
	if (write(ready_fd, &addr, sizeof(addr)) != sizeof(addr))
		_exit(1);
	for (;;)	/* until SIGKILL, from the test or PR_SET_PDEATHSIG */
		pause();
}

int victim_spawn(struct victim *v, const struct memcg *cg, size_t size,
		 int timeout_ms)
{
	int ready[2], err = 0;
	struct pollfd pfd;
	void *addr = NULL;
	pid_t parent = getpid();

	memset(v, 0, sizeof(*v));
	if (pipe2(ready, O_CLOEXEC))
		return errno;
	v->pid = fork();
	if (v->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(ready[0]);
		victim_main(cg, size, ready[1]);
	}
	if (v->pid < 0)
		err = errno;
	close(ready[1]);
	v->size = size;
	if (err)
		goto out;

	pfd = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	if (poll(&pfd, 1, timeout_ms) <= 0)
		err = ETIMEDOUT;
	else if (read(ready[0], &addr, sizeof(addr)) != sizeof(addr) || !addr)
		err = ENOMEM;
	v->addr = addr;
out:
	close(ready[0]);
	return err;
}

void victim_destroy(struct victim *v)
{
	if (v->pid > 0) {
		kill(v->pid, SIGKILL);
		while (waitpid(v->pid, NULL, __WALL) < 0 && errno == EINTR)
			;
	}
	memset(v, 0, sizeof(*v));
}
