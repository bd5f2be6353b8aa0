/* SPDX-License-Identifier: GPL-2.0 */
/* A process in a memory cgroup that holds a known amount of anon memory. */
#ifndef OOMCTL_VICTIM_H
#define OOMCTL_VICTIM_H

#include <stddef.h>
#include <sys/types.h>

#include "memcg.h"

struct victim {
	pid_t pid;
	void *addr;	/* start of its anonymous mapping, in its own mm */
	size_t size;
};

/*
 * Fork a child that moves itself into @cg, maps @size bytes of anonymous
 * memory and writes every page through a volatile pointer (so the compiler
 * cannot drop the stores and the pages really are charged to @cg), then
 * sleeps until killed (at the latest when we die: PR_SET_PDEATHSIG).
 * Returns once the memory is resident: 0 or an errno (ETIMEDOUT after
 * @timeout_ms).
 */
int victim_spawn(struct victim *v, const struct memcg *cg, size_t size,
		 int timeout_ms);

/* SIGKILL and reap it.  Safe on a zeroed or already reaped victim. */
void victim_destroy(struct victim *v);

#endif
