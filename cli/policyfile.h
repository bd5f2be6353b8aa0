/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy files for `oomctl apply`, like sysctl.d: "key = value" lines,
 * '#' or ';' comments, keys from the settings table.  Everything is
 * checked before anything is applied; errors name file:line.
 */
#ifndef OOMCTL_POLICYFILE_H
#define OOMCTL_POLICYFILE_H

#include <stddef.h>
#include <stdio.h>

#include "settings.h"

#define PF_MAX_SIZE	65536	/* bytes in a file */
#define PF_MAX_LINE	256	/* characters in a line */
#define PF_MAX_ERRORS	10	/* reported before giving up */

struct policy_file {
	struct policy p;		/* the settings the file has */
	unsigned int line[NSETTINGS];	/* the line each one is on */
};

/*
 * Read path ("-": stdin) whole into *buf (free() it): 0, or -errno with
 * why filled in.
 */
int policy_file_read(const char *path, char **buf, size_t *len,
		     char *why, size_t whylen);
/*
 * Parse len bytes of buf; name is the file name used in errors, which go
 * to errf as "oomctl: NAME:LINE: what".  Returns the number of errors.
 */
int policy_file_parse(const char *name, const char *buf, size_t len,
		      struct policy_file *pf, FILE *errf);

#endif
