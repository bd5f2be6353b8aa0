/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Provoke a memcg OOM kill from outside the cgroup: a child process of ours
 * (in our cgroup) lowers memory.max below the cgroup's usage.  With swap
 * off, reclaim fails and memory_max_write() calls the OOM killer itself, so
 * the kill (and whatever queue_oom_reaper() does without a timer) happens
 * in that child's context.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno, unless said
 * otherwise (oom_trigger_start() returns a pid, so its errors are negative).
 */
#ifndef OOMCTL_OOM_TRIGGER_H
#define OOMCTL_OOM_TRIGGER_H

#include <sys/types.h>

#include "memcg.h"

/* Returns the writer's pid, or -errno. */
pid_t oom_trigger_start(const struct memcg *cg, const char *max);
/* Kill (the write stops on a pending signal) and reap it; *pid = 0. */
void oom_trigger_stop(pid_t *pid);

#endif
