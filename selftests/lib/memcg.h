/* SPDX-License-Identifier: GPL-2.0 */
/* A child memory cgroup under cgroup2 at /sys/fs/cgroup. */
#ifndef OOMCTL_MEMCG_H
#define OOMCTL_MEMCG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define CGROUP2_ROOT "/sys/fs/cgroup"

struct memcg {
	char path[256];
};

/*
 * Mount cgroup2 if nothing is mounted there yet, enable the memory
 * controller for children of the root and create @name with
 * memory.swap.max=0, so that anonymous memory can only leave the cgroup by
 * being freed.  Returns 0 or an errno.
 */
int memcg_create(struct memcg *cg, const char *name);
/* Remove the cgroup (it must have no live tasks).  Safe on a zeroed cg. */
int memcg_destroy(struct memcg *cg);

int memcg_write(const struct memcg *cg, const char *file, const char *val);
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
