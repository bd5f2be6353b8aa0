/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A child memory cgroup under cgroup2 at /sys/fs/cgroup.
 * Return values, as everywhere in lib/: 0 or a positive errno, unless said
 * otherwise.
 */
#ifndef OOMCTL_MEMCG_H
#define OOMCTL_MEMCG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define CGROUP2_ROOT "/sys/fs/cgroup"

struct memcg {
	char path[256];
	uint64_t id;		/* cgroup id (inode number of the directory) */
};

/*
 * Mount cgroup2 if nothing is mounted there yet, enable the memory
 * controller for children of the root and create @name with
 * memory.swap.max=0, so that anonymous memory can only leave the cgroup by
 * being freed.  Returns 0 or an errno.
 */
int memcg_create(struct memcg *cg, const char *name);
/*
 * cgroup.kill, wait until it is unpopulated, thaw and remove it.  Safe on a
 * zeroed cg.
 */
int memcg_destroy(struct memcg *cg);

int memcg_write(const struct memcg *cg, const char *file, const char *val);
/* Write @val to @file from a child process; returns its pid or -errno.
 * The child exits with 0 or the write's errno. */
pid_t memcg_write_async(const struct memcg *cg, const char *file,
			const char *val);
int memcg_read_u64(const struct memcg *cg, const char *file, uint64_t *val);

/* Write "0" to cgroup.procs: moves the calling process into @cg. */
int memcg_enter(const struct memcg *cg);

/*
 * Wait until the line "@key @value" appears in cgroup.events.  The kernel
 * signals every change of that file as an inotify IN_MODIFY, so this waits
 * for an event, not for time.  Returns 0, ETIMEDOUT or an errno.
 */
int memcg_wait_event(const struct memcg *cg, const char *key, int value,
		     int timeout_ms);

/* cgroup.freeze=1 and wait for "frozen 1" in cgroup.events. */
int memcg_freeze(const struct memcg *cg, int timeout_ms);

#endif
