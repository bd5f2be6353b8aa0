/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel trouble in /dev/kmsg and the taint flags since a start point.
 * Return values, as everywhere in lib/: 0 or a positive errno, unless said
 * otherwise (kmsg_watch_check() returns a count, its errors are negative).
 */
#ifndef OOMCTL_KMSG_H
#define OOMCTL_KMSG_H

#include <stddef.h>

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
