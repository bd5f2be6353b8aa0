/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration directories the way systemd reads sysctl.d(5) and other
 * *.d directories (systemd.syntax(7), "drop-ins"): the *.conf files of a
 * list of directories, sorted by file name across all of them, a file
 * masking the files of the same name in the directories after its own
 * (/etc before /run before /usr/local/lib before /usr/lib), a symlink to
 * /dev/null masking without being read; plus one main file, read before
 * or after them.
 */
#ifndef OOMCTL_CONFDIRS_H
#define OOMCTL_CONFDIRS_H

#include <stdbool.h>
#include <stddef.h>

#define CONF_MAX_FILES	256	/* files in one list: more is an error */

struct conf_set {
	const char *main;		/* a file of its own, or NULL */
	bool main_last;			/* read after the directories */
	const char *const *dirs;	/* NULL-terminated, first masks the others */
};

/* /etc/oomctl.conf, then {/etc,/run,/usr/local/lib,/usr/lib}/oomctl.d/ */
extern const struct conf_set conf_oomctl;
/* {/etc,/run,/usr/local/lib,/usr/lib}/sysctl.d/, then /etc/sysctl.conf */
extern const struct conf_set conf_sysctl;

struct conf_file {
	char *path;	/* to open: under the root */
	char *name;	/* as the system sees it, for messages: /etc/oomctl.d/x.conf */
};

struct conf_list {
	struct conf_file *files;	/* in the order to read them */
	size_t n;
};

/*
 * The files of set under root (NULL or "" for /), in the order to read
 * them.  0, or -errno with why filled in (a directory that cannot be
 * read, a file that is no regular file, too many files); a directory that
 * does not exist has no files.  conf_list_free() *l in either case.
 */
int conf_list(const char *root, const struct conf_set *set, struct conf_list *l,
	      char *why, size_t whylen);
void conf_list_free(struct conf_list *l);

#endif
