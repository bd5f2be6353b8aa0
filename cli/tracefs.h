/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor's source on kernels without the oom family: the oom trace
 * events read from a tracefs instance of our own, so that nobody else's
 * tracing is disturbed, turned into the same events as netlink gives.
 */
#ifndef OOMCTL_TRACEFS_H
#define OOMCTL_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"

#define TRACEFS_MAX_EVENTS 8

/*
 * The per-CPU ring buffer of our instance, in KiB.  The default (1.4 MB a
 * CPU) is sized for tracing everything; ours carries a few oom events of
 * about 100 bytes, read at least every 200 ms: 64 KiB still holds some
 * 600 a CPU between two reads, and an overrun comes out as a lost record.
 */
#define TRACEFS_BUFFER_KB 64

struct tracefs {
	int fd;				/* trace_pipe */
	char dir[256];			/* the instance, or tracefs itself */
	bool instance;			/* dir is ours: remove it at the end */
	bool mono;			/* time stamps are CLOCK_MONOTONIC */
	bool no_freed;			/* freed asked for, no oom:victim_freed */
	int nrestore;			/* top level: enable files to put back */
	struct {
		char path[320];
		char old;
	} restore[TRACEFS_MAX_EVENTS];
	size_t len;			/* bytes of a partial line in buf */
	char buf[4096];
};

/*
 * Enable the oom events of the classes (EVC_*) and open their pipe.
 * 0, -ENOENT (no tracefs or no oom events), -EACCES or -errno; why says
 * what was missing.
 */
int tracefs_open(struct tracefs *t, unsigned int classes, char *why, size_t len);
/*
 * Read what the pipe has and call cb for each event.  1 if more may come,
 * 0 at the end of the file (only a regular file ends), -errno on error, or
 * what cb returned when that was not 0 (then the rest is not read).
 */
int tracefs_read(struct tracefs *t, int (*cb)(struct event *ev, void *data),
		 void *data);
void tracefs_close(struct tracefs *t);

/* One trace_pipe line: 0 and ev filled, 1 if it is no oom event */
int tracefs_parse_line(const char *line, struct event *ev);

#endif
