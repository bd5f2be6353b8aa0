/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `oomctl -j monitor` as a listener under test: started with its output in
 * a file, read back as records, and its "lost" records checked against the
 * gaps in the seq of what it printed.
 */
#ifndef OOMCTL_MON_H
#define OOMCTL_MON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct mon_rec {
	char type[16];		/* "victim", "reap-done", "policy", "lost", ... */
	bool has_seq, has_count;
	uint64_t seq, count, pid;	/* pid 0 if absent */
};

/* What check_lost() found */
struct mon_check {
	unsigned long records, lost_records, lost_total, gaps, bad;
	char first_bad[200];
};

/*
 * Run oomctl -j monitor with stdout to @path; @rcvbuf (bytes, as a
 * string) sets OOMCTL_RCVBUF when not NULL.  Its pid, or -errno.
 */
pid_t oomctl_mon_start(const char *path, const char *rcvbuf);
/* SIGTERM and reap it: its exit status, 128 + signal, or -errno. */
int oomctl_mon_stop(pid_t pid, int timeout_ms);
/* The records printed so far, at most @max: how many, or -errno. */
int oomctl_mon_read(const char *path, struct mon_rec *r, int max);
/* Wait until it printed a record of @type (for @pid if not 0): 0 or ETIMEDOUT */
int oomctl_mon_wait(const char *path, const char *type, pid_t pid, int timeout_ms);
/*
 * Before every gap in the seq of a group, a "lost" record whose count is
 * the gap; no lost record with a count that no gap follows.
 */
void oomctl_mon_check_lost(const struct mon_rec *r, int n, struct mon_check *m);

#endif
