/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy files for `oomctl apply`, like sysctl.d(5): "key = value" lines,
 * '#' or ';' comments, the keys of the settings table or their sysctls
 * (vm.oom_reap_delay_ms, also vm/oom_reap_delay_ms) with the sysctls'
 * values, a leading '-' on a key to ignore a kernel's failure to take it.
 * Several files merge into one policy, the last assignment winning.
 * Everything is checked before anything is applied; errors and notes name
 * file:line.
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
	unsigned int line[NSETTINGS];	/* the line each one is on (the last) */
	/* bit (1 << id): that line's key had a leading '-' */
	unsigned int optional;
	unsigned int notes;		/* notes written: keys set twice, ignored */
};

/*
 * Read path ("-": stdin) whole into *buf (free() it): 0, or -errno with
 * why filled in.
 */
int policy_file_read(const char *path, char **buf, size_t *len,
		     char *why, size_t whylen);
/*
 * Parse len bytes of buf; name is the file name used in errors, which go
 * to errf as "oomctl: NAME:LINE: what", like the notes.  An empty file, or
 * one of comments only, sets nothing and is no error.  Returns the number
 * of errors.
 */
int policy_file_parse(const char *name, const char *buf, size_t len,
		      struct policy_file *pf, FILE *errf);

/* Where a setting of a merged policy comes from */
struct policy_src {
	const char *file;	/* as named in messages; NULL: not set */
	unsigned int line;
};

/* Policy files merged in order: the policy `apply` makes */
struct policy_set {
	struct policy p;
	struct policy_src src[NSETTINGS];
	unsigned int optional;		/* as in struct policy_file */
};

void policy_set_init(struct policy_set *m);
/*
 * Add what pf sets (file name: the memory must outlive m), overriding
 * what m had, with a note on errf for each setting overridden.
 */
void policy_set_merge(struct policy_set *m, const struct policy_file *pf,
		      const char *name, FILE *errf);

#endif
