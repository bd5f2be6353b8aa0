// SPDX-License-Identifier: GPL-2.0
/*
 * systemd's oomctl(1).  systemd-oomd ships a program of the same name
 * (/usr/bin/oomctl, while this one is /usr/sbin/oomctl), so where both are
 * installed the one first in PATH gets every command line.  This oomctl
 * hands what it does not know to systemd's, with the same arguments: a
 * command that is not one of its own (dump, or a newer systemd's), and
 * systemd's --no-pager without a command (systemd's default is dump).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "oomctl.h"

/* systemd 252's oomctl --help; its commands are dump and help */
const char systemd_oomctl_options[] = "-h --help --version --no-pager";

/*
 * The oomctl programs this one ran as systemd's, colon-separated, in the
 * environment of the one it runs.  A wrapper named oomctl that runs this
 * oomctl again (found before systemd's in PATH) is then passed over
 * instead of run forever.
 */
#define TRIED_ENV "OOMCTL_SYSTEMD_TRIED"

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

/*
 * Run systemd's oomctl with the command line argv[1..argc) (argv[0] is
 * the command, NULL for --no-pager alone).  Returns only if it cannot:
 * with exit code missing if there is no systemd oomctl, else EXIT_FAIL.
 */
static int run_systemd_oomctl(int argc, char **argv, int missing)
{
	const char *tried = getenv(TRIED_ENV), *cmd = argv[0];
	char path[PATH_MAX], **args;
	int ret;

	if (!find_systemd_oomctl(path, sizeof(path), tried)) {
		char why[PATH_MAX + 80] = "not installed";

		if (tried && *tried)
			snprintf(why, sizeof(why), "not installed (%s, taken for it, "
				 "ran this oomctl again: a wrapper?)", tried);
		if (missing == EXIT_USAGE && cmd)
			return usage_error(NULL, "unknown command '%s': not one of this oomctl's, "
					   "and systemd's oomctl(1), which runs the others, is %s",
					   cmd, why);
		if (missing == EXIT_USAGE)
			return usage_error(NULL, "--no-pager without a command is for systemd's "
					   "oomctl(1) (its dump), which is %s", why);
		msg("%s: 'oomctl %s' is systemd-oomd's command, from systemd's oomctl(1), "
		    "which is %s", cmd, cmd, why);
		return missing;
	}
	ret = mark_tried(tried, path);
	if (ret) {
		msg("cannot run systemd's oomctl: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	/* Not systemd's own (a typo?): say who answers, once */
	if (missing == EXIT_USAGE && cmd && !(tried && *tried))
		msg("'%s' is not a command of this oomctl: running systemd's oomctl(1), %s",
		    cmd, path);
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return EXIT_FAIL;
	args[0] = path;
	memcpy(args + 1, argv + 1, (size_t)(argc - 1) * sizeof(*args));
	fflush(stdout);
	execv(path, args);
	msg("cannot run systemd's oomctl %s: %s", path, strerror(errno));
	free(args);
	return EXIT_FAIL;
}

int cmd_dump(struct opts *o, int argc, char **argv)
{
	(void)o;
	return run_systemd_oomctl(argc, argv, EXIT_FAIL);
}

int cmd_systemd(struct opts *o, int argc, char **argv)
{
	(void)o;
	return run_systemd_oomctl(argc, argv, EXIT_USAGE);
}
