// SPDX-License-Identifier: GPL-2.0
/*
 * oomctl dump: systemd-oomd's command.  systemd ships an oomctl(1) of its
 * own; where both are installed, `oomctl dump` keeps working by running
 * systemd's with the same arguments.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "oomctl.h"

/* An executable oomctl at path that is not this program */
static bool other_oomctl(const char *path, const struct stat *self)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0 &&
	       !(st.st_dev == self->st_dev && st.st_ino == self->st_ino);
}

/* systemd's oomctl: the first other oomctl in $PATH, else /usr/bin's */
static bool find_systemd_oomctl(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	struct stat self;

	if (stat("/proc/self/exe", &self))
		memset(&self, 0, sizeof(self));
	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n && n < len - 8) {
			snprintf(buf, len, "%.*s/oomctl", (int)n, path);
			if (other_oomctl(buf, &self))
				return true;
		}
		path += n + (path[n] == ':');
	}
	snprintf(buf, len, "/usr/bin/oomctl");
	return other_oomctl(buf, &self);
}

int cmd_dump(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX], **args;

	(void)o;
	if (!find_systemd_oomctl(path, sizeof(path))) {
		msg("dump: 'oomctl dump' is systemd-oomd's command, from systemd's "
		    "oomctl(1), which is not installed");
		return EXIT_FAIL;
	}
	/* systemd's oomctl gets "dump" and what followed it */
	args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args)
		return EXIT_FAIL;
	args[0] = path;
	memcpy(args + 1, argv, (size_t)argc * sizeof(*args));
	fflush(stdout);
	execv(path, args);
	msg("dump: cannot run %s: %s", path, strerror(errno));
	free(args);
	return EXIT_FAIL;
}
