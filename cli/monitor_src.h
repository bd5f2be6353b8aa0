/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where `oomctl monitor` reads its events: the oom family's multicast
 * groups, or the oom trace events on kernels without the family.  The
 * monitor's loop only polls fd and calls read, whichever it is.
 */
#ifndef OOMCTL_MONITOR_SRC_H
#define OOMCTL_MONITOR_SRC_H

#include <stdbool.h>

#include "event.h"

/* Called for each event: 0 to go on, anything else stops the read */
typedef int (*mon_event_cb)(struct event *ev, void *data);

struct mon_source {
	const char *name;	/* "netlink" or "tracefs" */
	int fd;			/* to poll for POLLIN */
	/* Read at least this often, even if poll() says nothing; -1: no need */
	int max_wait_ms;
	/*
	 * Read what is there and call cb for each event.  1 to read on, 0
	 * when the source has ended, -errno, or what cb returned when that
	 * was not 0.  A netlink overrun (ENOBUFS) comes as a lost event with
	 * reason overrun and no count: the next gap in the sequence says
	 * how many.
	 */
	int (*read)(struct mon_source *src, mon_event_cb cb, void *data);
	/* Close and free the source */
	void (*close)(struct mon_source *src);
};

/*
 * The oom family's groups that the classes (EVC_*) need.  0 and *src;
 * -ENOENT if the kernel has no oom family (nothing printed); or an exit
 * code, with the message printed.
 */
int mon_netlink_open(struct mon_source **src, unsigned int classes);
/*
 * The oom trace events of the classes.  0 and *src, or an exit code with
 * the message printed; asked: --tracefs, else the family is missing.
 */
int mon_tracefs_open(struct mon_source **src, unsigned int classes, bool asked);

struct opts;
/*
 * The monitor's loop (cmd_monitor.c): print what src gives until --count,
 * --timeout, a signal on sfd (-1: none) or its end; then close src.  The
 * header names the source as via.  An exit code.
 */
int monitor_run(const struct opts *o, struct mon_source *src, const char *via, int sfd);

#endif
