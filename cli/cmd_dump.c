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

/*
 * The oomctl programs dump ran, colon-separated, in the environment of the
 * one it runs.  A wrapper named oomctl that runs this oomctl again (found
 * before systemd's in PATH) is then passed over instead of run forever.
 */
#define TRIED_ENV "OOMCTL_DUMP_TRIED"

/* Is path an entry of the colon-separated list? */
static bool in_list(const char *list, const char *path)
{
	size_t n = strlen(path);

	for (const char *p = list; p && *p; p += strcspn(p, ":"), p += *p == ':')
		if (!strncmp(p, path, n) && (p[n] == ':' || p[n] == '\0'))
			return true;
	return false;
}

/* An executable oomctl at path that is neither this program nor tried */
static bool other_oomctl(const char *path, const struct stat *self, const char *tried)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0 &&
	       !(st.st_dev == self->st_dev && st.st_ino == self->st_ino) &&
	       !in_list(tried, path);
}

/* systemd's oomctl: the first other oomctl in $PATH, else /usr/bin's */
static bool find_systemd_oomctl(char *buf, size_t len, const char *tried)
{
	const char *path = getenv("PATH");
	struct stat self;

	if (stat("/proc/self/exe", &self))
		memset(&self, 0, sizeof(self));
	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n && n < len - 8) {
			snprintf(buf, len, "%.*s/oomctl", (int)n, path);
			if (other_oomctl(buf, &self, tried))
				return true;
		}
		path += n + (path[n] == ':');
	}
	snprintf(buf, len, "/usr/bin/oomctl");
	return other_oomctl(buf, &self, tried);
}

/* Add path to the tried list for the program we run: 0 or -errno */
static int mark_tried(const char *tried, const char *path)
{
	char *list;
	int ret;

	if (asprintf(&list, "%s%s%s", tried ? tried : "", tried ? ":" : "", path) < 0)
		return -ENOMEM;
	ret = setenv(TRIED_ENV, list, 1) ? -errno : 0;
	free(list);
	return ret;
}

int cmd_dump(struct opts *o, int argc, char **argv)
{
	const char *tried = getenv(TRIED_ENV);
	char path[PATH_MAX], **args;
	int ret;

	(void)o;
	if (!find_systemd_oomctl(path, sizeof(path), tried)) {
		if (tried && *tried)
			msg("dump: systemd's oomctl(1) is not installed (%s, taken for it, "
			    "ran this oomctl again: a wrapper?)", tried);
		else
			msg("dump: 'oomctl dump' is systemd-oomd's command, from systemd's "
			    "oomctl(1), which is not installed");
		return EXIT_FAIL;
	}
	ret = mark_tried(tried, path);
	if (ret) {
		msg("dump: %s", strerror(-ret));
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
