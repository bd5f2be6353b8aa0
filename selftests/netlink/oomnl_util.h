/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes, credentials, memory cgroups, OOM victims and the kernel log, for
 * the "oom" netlink tests.  Every wait has a deadline and waits for an event
 * (pidfd, pipe, cgroup.events), never for time.
 * Return values: 0 or a negative errno unless said otherwise.
 */
#ifndef OOMNL_UTIL_H
#define OOMNL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OOMNL_UID_NOBODY	65534
#define OOMNL_UID_TEST		1000

/* ---- processes ---- */

/* waitpid() with a deadline (pidfd + poll).  -ETIMEDOUT if still running. */
int proc_wait(pid_t pid, int *status, int timeout_ms);
/* Fork a child running @fn(@arg), exiting with its return value: pid or
 * -errno.  finish_child(): its status as below. */
pid_t start_child(int (*fn)(void *), void *arg);
int finish_child(pid_t pid, int timeout_ms);
/*
 * Run @fn(@arg) in a child and wait for it: its return value is the exit
 * status.  Returns the status (0..255), 128 + signal if it died of one,
 * -ETIMEDOUT (the child is then killed) or -errno.
 */
int run_in_child(int (*fn)(void *), void *arg, int timeout_ms);

/* setgroups(0) + setresgid + setresuid: all capabilities are gone after. */
int drop_to_user(uid_t uid, gid_t gid);
/* Effective capability sets (64 bits). */
int caps_get(uint64_t *effective, uint64_t *permitted);
/* Remove @cap from the effective and permitted sets. */
int caps_drop(int cap);
/* Become @uid/@gid keeping every capability effective. */
int become_user_keep_caps(uid_t uid, gid_t gid);

/* ---- memory cgroups ---- */

struct cg {
	char path[256];
	uint64_t id;		/* cgroup id (inode number of the directory) */
};

/* /sys/fs/cgroup/@name-PID with the memory controller, memory.swap.max=0. */
int cg_create(struct cg *cg, const char *name);
int cg_write(const struct cg *cg, const char *file, const char *val);
/* Wait until cgroup.events says "@key @val" (poll on the file). */
int cg_wait_event(const struct cg *cg, const char *key, int val, int timeout_ms);
/* Write @val to @file from a child process; returns its pid or -errno.
 * The child exits with 0 or the write's errno. */
pid_t cg_write_async(const struct cg *cg, const char *file, const char *val);
/* cgroup.kill, wait until unpopulated, rmdir.  Safe on a zeroed cg. */
void cg_destroy(struct cg *cg);

/* ---- OOM victims ---- */

struct victim_opts {
	uid_t uid;		/* runs as this uid/gid after joining the cgroup */
	const char *comm;	/* PR_SET_NAME */
	int oom_score_adj;
	size_t hold_bytes;	/* 0: touch memory until killed (self OOM);
				 * else touch this much, report, then wait */
};

struct victim {
	pid_t pid;
	int rfd;		/* its status pipe */
	bool exited;
	int status;
	/* RssAnon/RssFile/RssShmem (kB) of its /proc/self/status: with
	 * hold_bytes after touching them (frozen from then on, nothing
	 * changes), else just before it starts touching memory */
	long rss_anon, rss_file, rss_shmem;
};

/*
 * Fork a victim: it joins @cg, takes its name, score and uid, tells us it
 * is set up, then writes its memory through a volatile pointer (the
 * compiler must not drop the stores).  Returns once it is set up (and, with
 * hold_bytes, once all of it is resident).
 */
int victim_start(struct victim *v, const struct cg *cg,
		 const struct victim_opts *o, int timeout_ms);
/* Wait for it to die: 0 and v->status, or -ETIMEDOUT. */
int victim_wait(struct victim *v, int timeout_ms);
/* SIGKILL and reap.  Safe on a zeroed or reaped victim. */
void victim_destroy(struct victim *v);

/* ---- kernel log ---- */

struct kmsg_watch {
	int fd;
	char taint[32];
};

/* Remember where /dev/kmsg ends and the taint flags. */
int kmsg_watch_start(struct kmsg_watch *w);
/*
 * Records since the start that show kernel trouble (WARNING, BUG, Oops,
 * ...) or a taint change: their number; the first goes to @bad.  @nrec gets
 * the number of records read.  Negative errno if the log could not be read.
 */
int kmsg_watch_check(struct kmsg_watch *w, char *bad, size_t len, int *nrec);
void kmsg_watch_stop(struct kmsg_watch *w);

#endif
