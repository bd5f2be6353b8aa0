/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keep another process's mm alive from outside, so that exit_mmap() cannot
 * run when that process dies: only the OOM reaper (or process_mrelease)
 * can then free its memory.
 *
 * A reader thread of ours preads /proc/PID/mem into a page registered with
 * userfaultfd (missing mode) that is never filled.  mem_rw() takes an
 * mm_users reference, copies the victim's data into a bounce page and then
 * faults in copy_to_user(): the fault blocks in handle_userfault() with the
 * reference held, until we resolve it with UFFDIO_ZEROPAGE.  We know the
 * reader is blocked when the uffd delivers its pagefault message.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_MM_PIN_H
#define OOMCTL_MM_PIN_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

struct mm_pin {
	int uffd;
	int mem_fd;
	void *page;
	off_t addr;
	pthread_t reader;
	bool reader_started;
};

/* Returns once the reader holds @pid's mm: 0, ETIMEDOUT or errno. */
int mm_pin(struct mm_pin *p, pid_t pid, const void *addr, int timeout_ms);
/* Let the reader finish and drop its reference.  Safe on a zeroed pin. */
void mm_unpin(struct mm_pin *p);

#endif
