/* SPDX-License-Identifier: GPL-2.0 */
/* A process in a memory cgroup that holds a known amount of anon memory. */
#ifndef OOMCTL_VICTIM_H
#define OOMCTL_VICTIM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "memcg.h"

struct victim {
	pid_t pid;
	void *addr;	/* first byte it wrote (dense: its mapping's start) */
	size_t size;	/* of its anonymous mapping */
	size_t resident;	/* bytes it wrote: size, unless sparse */
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

/*
 * The same with a sparse mapping: @size bytes of MAP_NORESERVE address
 * space (1 TiB, 16 TiB: vm.overcommit_memory 0 or 1 lets that through) of
 * which only @touch bytes are written, in four 2 MiB aligned chunks of
 * @touch / 4: at the bottom, at one third, at two thirds and at the top.
 * @touch must be a multiple of 8 MiB and at most @size / 8.  With @thp the
 * mapping is madvise(MADV_HUGEPAGE)d first.
 */
int victim_spawn_sparse(struct victim *v, const struct memcg *cg,
			size_t size, size_t touch, bool thp, int timeout_ms);

/* SIGKILL and reap it.  Safe on a zeroed or already reaped victim. */
void victim_destroy(struct victim *v);

#endif
