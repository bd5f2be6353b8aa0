// SPDX-License-Identifier: GPL-2.0
/* Configuration directories: see confdirs.h */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "confdirs.h"

/* systemd's CONF_PATHS ("/etc", "/run", "/usr/local/lib", "/usr/lib") */
static const char *const oomctl_dirs[] = {
	"/etc/oomctl.d", "/run/oomctl.d", "/usr/local/lib/oomctl.d", "/usr/lib/oomctl.d", NULL
};
const struct conf_set conf_oomctl = { "/etc/oomctl.conf", false, oomctl_dirs };

/*
 * sysctl --system (procps) reads these and /lib/sysctl.d, then
 * /etc/sysctl.conf; systemd-sysctl the first four (Debian links
 * /etc/sysctl.d/99-sysctl.conf to ../sysctl.conf).
 */
static const char *const sysctl_dirs[] = {
	"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
	"/lib/sysctl.d", NULL
};
const struct conf_set conf_sysctl = { "/etc/sysctl.conf", true, sysctl_dirs };

struct entry {
	char *name;		/* the file name */
	const char *dir;	/* the directory it is in (the first that has it) */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static bool is_conf(const char *name)
{
	size_t n = strlen(name);

	/* Not hidden (editors' and package managers' leftovers), *.conf */
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".conf");
}

/* path is a symlink to /dev/null: masked, not to be read */
static bool is_masked(const char *path)
{
	char target[16];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, "/dev/null");
}

static char *join(const char *a, const char *b, const char *c)
{
	char *s;

	if (asprintf(&s, "%s%s%s", a, b, c) < 0)
		return NULL;
	return s;
}

/* Add the file root+name (shown as name) to l, after checking it */
static int add_file(struct conf_list *l, const char *root, const char *name,
		    char *why, size_t whylen)
{
	char *path = join(root, name, "");
	struct stat st;

	if (!path) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	if (stat(path, &st)) {
		int err = errno;

		snprintf(why, whylen, "%s: %s", name, strerror(err));
		free(path);
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s: not a regular file", name);
		free(path);
		return -EINVAL;
	}
	l->files[l->n].path = path;
	l->files[l->n].name = join(name, "", "");
	if (!l->files[l->n].name) {
		free(path);
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

/* The *.conf names of root+dir not in e[0..*n) yet, appended to e */
static int scan_dir(const char *root, const char *dir, struct entry *e, size_t *n,
		    char *why, size_t whylen)
{
	char *path = join(root, dir, "");
	struct dirent *d;
	DIR *dp;
	int ret = 0;

	if (!path) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	dp = opendir(path);
	free(path);
	if (!dp) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return ret;
	}
	while ((d = readdir(dp))) {
		bool seen = false;

		if (!is_conf(d->d_name))
			continue;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp(e[i].name, d->d_name);
		if (seen)
			continue;	/* masked by a directory before this one */
		if (*n == CONF_MAX_FILES) {
			snprintf(why, whylen, "%s: more than %d *.conf files", dir, CONF_MAX_FILES);
			ret = -E2BIG;
			break;
		}
		e[*n].name = strdup(d->d_name);
		if (!e[*n].name) {
			snprintf(why, whylen, "out of memory");
			ret = -ENOMEM;
			break;
		}
		e[(*n)++].dir = dir;
	}
	closedir(dp);
	return ret;
}

/* The main file, if it exists and is not masked, and not among the others */
static int add_main(struct conf_list *l, const char *root, const char *main,
		    char *why, size_t whylen)
{
	char *path = join(root, main, ""), real[PATH_MAX], other[PATH_MAX];
	struct stat st;
	bool dup = false;

	if (!path) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	if ((lstat(path, &st) && errno == ENOENT) || is_masked(path)) {
		free(path);
		return 0;
	}
	/* Debian's /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf: once */
	if (realpath(path, real))
		for (size_t i = 0; i < l->n && !dup; i++)
			dup = realpath(l->files[i].path, other) && !strcmp(real, other);
	free(path);
	return dup ? 0 : add_file(l, root, main, why, whylen);
}

int conf_list(const char *root, const struct conf_set *set, struct conf_list *l,
	      char *why, size_t whylen)
{
	struct entry *e = calloc(CONF_MAX_FILES, sizeof(*e));
	char r[PATH_MAX];
	size_t n = 0, len;
	int ret = 0;

	l->files = calloc(CONF_MAX_FILES + 1, sizeof(*l->files));
	l->n = 0;
	if (!e || !l->files) {
		free(e);
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	/* "/", "/x/", "" and NULL: no trailing slash, "" for / */
	snprintf(r, sizeof(r), "%s", root ? root : "");
	len = strlen(r);
	while (len && r[len - 1] == '/')
		r[--len] = '\0';
	for (size_t i = 0; set->dirs[i] && !ret; i++)
		ret = scan_dir(r, set->dirs[i], e, &n, why, whylen);
	qsort(e, n, sizeof(*e), by_name);
	if (!ret && set->main && !set->main_last)
		ret = add_main(l, r, set->main, why, whylen);
	for (size_t i = 0; i < n && !ret; i++) {
		char *name = join(e[i].dir, "/", e[i].name), *path = join(r, name ? name : "", "");

		if (!name || !path)
			ret = -ENOMEM;
		else if (!is_masked(path))
			ret = add_file(l, r, name, why, whylen);
		free(name);
		free(path);
	}
	if (ret == -ENOMEM)
		snprintf(why, whylen, "out of memory");
	if (!ret && set->main && set->main_last)
		ret = add_main(l, r, set->main, why, whylen);
	for (size_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
	return ret;
}

void conf_list_free(struct conf_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->files[i].path);
		free(l->files[i].name);
	}
	free(l->files);
	l->files = NULL;
	l->n = 0;
}
