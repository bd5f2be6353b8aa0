/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the sysctl.d(5) files (and /etc/sysctl.conf) set the vm.oom_reap_*
 * sysctls to: the value systemd-sysctl.service writes at boot, and
 * `sysctl --system` whenever it runs.  For apply's warning that two owners
 * set the same setting to different values.
 */
#ifndef OOMCTL_SYSCTLD_H
#define OOMCTL_SYSCTLD_H

#include <stdbool.h>
#include <stdint.h>

#include "settings.h"

struct sysctld_value {
	bool set;		/* some file sets it */
	bool valid;		/* to a number (val); raw is the text */
	uint32_t val;
	char raw[64];
	char *file;		/* the last assignment: file, as the system names it */
	unsigned int line;
	bool glob;		/* by a glob (vm.oom_reap_*), not by name */
};

struct sysctld {
	struct sysctld_value v[NSETTINGS];
};

/*
 * Read the files under root (NULL or "" for /), as systemd-sysctl does: the
 * last assignment wins, an assignment by name over any glob.  0, or -errno
 * with why filled in (a file or directory that cannot be read).
 * sysctld_free() *sd in either case.
 */
int sysctld_scan(const char *root, struct sysctld *sd, char *why, size_t whylen);
void sysctld_free(struct sysctld *sd);

#endif
