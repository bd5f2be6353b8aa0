// SPDX-License-Identifier: GPL-2.0
/* Kernel trouble in /dev/kmsg: kmsg.h */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "kmsg.h"

int kmsg_watch_start(struct kmsg_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0)
		return errno;
	if (lseek(w->fd, 0, SEEK_END) < 0) {
		int err = errno;

		close(w->fd);
		w->fd = -1;
		return err;
	}
	file_read("/proc/sys/kernel/tainted", w->taint, sizeof(w->taint));
	return 0;
}

int kmsg_watch_check(struct kmsg_watch *w, char *bad, size_t len, int *nrec)
{
	static const char *const pats[] = {
		"WARNING:", "BUG:", "Oops", "cut here", "general protection",
		"Kernel panic", "UBSAN", "KASAN", "refcount_t:", "list_add corruption",
		"list_del corruption", "sleeping function called",
	};
	char rec[4096], taint[32];
	int nbad = 0, n = 0;
	size_t i;

	if (bad && len)
		bad[0] = 0;
	for (;;) {
		ssize_t r = read(w->fd, rec, sizeof(rec) - 1);

		if (r < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		rec[r] = 0;
		n++;
		for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
			if (!strstr(rec, pats[i]))
				continue;
			if (!nbad++ && bad && len) {
				char *msg = strchr(rec, ';');

				snprintf(bad, len, "%s", msg ? msg + 1 : rec);
				bad[strcspn(bad, "\n")] = 0;
			}
			break;
		}
	}
	file_read("/proc/sys/kernel/tainted", taint, sizeof(taint));
	if (strcmp(taint, w->taint)) {
		if (!nbad++ && bad && len)
			snprintf(bad, len, "taint changed from %.*s to %.*s",
				 (int)strcspn(w->taint, "\n"), w->taint,
				 (int)strcspn(taint, "\n"), taint);
	}
	if (nrec)
		*nrec = n;
	return nbad;
}

void kmsg_watch_stop(struct kmsg_watch *w)
{
	if (w->fd > 0)
		close(w->fd);
	w->fd = -1;
}
