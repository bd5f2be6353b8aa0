/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An OOM victim: a process in a memory cgroup that holds a known amount of
 * anonymous memory (victim_spawn*()), or that touches memory until it is
 * killed, as a given user, name and oom_score_adj (victim_start()).
 * victim_spawn_opts() also serves the benchmark (bench/): memory split over
 * many 2 MiB aligned mappings, a pinned CPU, and a victim that waits for
 * victim_go_oom() to run itself out of memory in its own page fault.
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
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
	/* victim_start() only: */
	int rfd;		/* its status pipe */
	/* victim_spawn_opts() with go only: */
	int go_fd;		/* write end of the pipe it waits on */
	bool exited;		/* reaped: status is valid */
	int status;
	/* victim_spawn_opts() with sharer only: the process sharing its mm */
	pid_t sharer;
	/* RssAnon/RssFile/RssShmem (kB) of its /proc/self/status: with
	 * hold_bytes after touching them (frozen from then on, nothing
	 * changes), else just before it starts touching memory */
	long rss_anon, rss_file, rss_shmem;
};

struct victim_opts {
	uid_t uid;		/* runs as this uid/gid after joining the cgroup */
	const char *comm;	/* PR_SET_NAME */
	int oom_score_adj;
	size_t hold_bytes;	/* 0: touch memory until killed (self OOM);
				 * else touch this much, report, then wait */
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

/*
 * The options of victim_spawn_opts(); zeroed, it is victim_spawn().
 */
struct victim_spawn_opts {
	size_t touch;	/* sparse: bytes written (victim_spawn_sparse()) */
	bool thp;	/* sparse: madvise(MADV_HUGEPAGE) the mapping */
	/*
	 * >= 1: @size bytes split into @vmas mappings of size / vmas (rounded
	 * up to a page), each starting on a 2 MiB (PMD) boundary and followed
	 * by an unmapped gap of at least a page, so neighbours cannot merge
	 * and /proc/PID/maps shows exactly @vmas writable mappings; each is
	 * written right after it is mapped.  v->addr is the first one's start.
	 * 0: one mapping (victim_spawn()).  Not with @touch.
	 */
	int vmas;
	bool pin;	/* sched_setaffinity() to @cpu first thing */
	int cpu;
	bool set_score;	/* write @oom_score_adj (a child inherits ours) */
	int oom_score_adj;
	/*
	 * Once resident, map (untouched) a 64 MiB overflow area and wait on a
	 * pipe instead of pause(): victim_go_oom() makes it write the area
	 * (exit 3 if not killed), closing the pipe (victim_destroy()) makes
	 * it exit 0.  If its setup fails (ENOMEM) it is reaped at once:
	 * v->exited and v->status say how it ended.
	 */
	bool go;
	/*
	 * Once resident, start this many more threads, each blocked in
	 * pause(): a victim whose every thread must be woken (thawed), take
	 * the SIGKILL and exit before the last one runs exit_mmap().
	 */
	int threads;
	/*
	 * Once resident, start a process that shares the mm (clone(2) with
	 * CLONE_VM, not CLONE_THREAD: a process of its own, in the same
	 * cgroup), blocked in pause(); its pid is v->sharer.  The OOM killer
	 * kills it with the victim, and the last of the two to exit tears
	 * the mm down.  It dies with the victim (PR_SET_PDEATHSIG).
	 */
	bool sharer;
};

/*
 * victim_spawn() with options (above); the child's name is oom_victim and
 * it dies with us (PR_SET_PDEATHSIG).  0 or an errno; EINVAL for options
 * that do not go together.
 */
int victim_spawn_opts(struct victim *v, const struct memcg *cg, size_t size,
		      const struct victim_spawn_opts *o, int timeout_ms);

/*
 * A go victim: set memory.max of @cg to 1 MiB above memory.current and
 * tell it to write its overflow area, so that the memcg OOM-kills it in its
 * own page fault (nobody spins on memory.max while it exits).
 */
int victim_go_oom(struct victim *v, const struct memcg *cg);

/*
 * Fork a victim: it joins @cg, takes its name, score and uid, tells us it
 * is set up, then writes its memory through a volatile pointer (the
 * compiler must not drop the stores).  Returns once it is set up (and, with
 * hold_bytes, once all of it is resident).
 */
int victim_start(struct victim *v, const struct memcg *cg,
		 const struct victim_opts *o, int timeout_ms);
/* Wait for it to die: 0 and v->status, or ETIMEDOUT. */
int victim_wait(struct victim *v, int timeout_ms);

/* SIGKILL and reap it.  Safe on a zeroed or already reaped victim. */
void victim_destroy(struct victim *v);

#endif
