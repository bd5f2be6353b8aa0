// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include "mm_pin.h"

static void *reader_main(void *arg)
{
	struct mm_pin *p = arg;

	/* Blocks in copy_to_user() until mm_unpin() fills our page. */
	if (pread(p->mem_fd, p->page, 1, p->addr) != 1)
		return (void *)(long)errno;
	return NULL;
}

int mm_pin(struct mm_pin *p, pid_t pid, const void *addr, int timeout_ms)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffd_msg msg;
	long page = sysconf(_SC_PAGESIZE);
	struct pollfd pfd;
	char path[64];
	int err;

	memset(p, 0, sizeof(*p));
	p->addr = (off_t)(unsigned long)addr;
	/* Not UFFD_USER_MODE_ONLY: we need the kernel-mode fault. */
	p->uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (p->uffd < 0)
		return errno;
	if (ioctl(p->uffd, UFFDIO_API, &api))
		return errno;
	p->page = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->page == MAP_FAILED) {
		p->page = NULL;
		return errno;
	}
	reg.range.start = (unsigned long)p->page;
	reg.range.len = page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(p->uffd, UFFDIO_REGISTER, &reg))
		return errno;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	p->mem_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->mem_fd < 0)
		return errno;
	err = pthread_create(&p->reader, NULL, reader_main, p);
	if (err)
		return err;
	p->reader_started = true;

	pfd = (struct pollfd){ .fd = p->uffd, .events = POLLIN };
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return ETIMEDOUT;
	if (read(p->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return errno ? errno : EIO;
	if (msg.event != UFFD_EVENT_PAGEFAULT ||
	    (msg.arg.pagefault.address & ~(page - 1)) != reg.range.start)
		return EPROTO;
	return 0;
}

void mm_unpin(struct mm_pin *p)
{
	long page = sysconf(_SC_PAGESIZE);

	if (p->uffd > 0 && p->page) {
		struct uffdio_zeropage zp = {
			.range = { .start = (unsigned long)p->page, .len = page },
		};

		/* Maps the page and wakes the reader (EEXIST if it never faulted). */
		ioctl(p->uffd, UFFDIO_ZEROPAGE, &zp);
	}
	if (p->reader_started)
		pthread_join(p->reader, NULL);
	if (p->mem_fd > 0)
		close(p->mem_fd);
	if (p->uffd > 0)
		close(p->uffd);
	if (p->page)
		munmap(p->page, page);
	memset(p, 0, sizeof(*p));
}
