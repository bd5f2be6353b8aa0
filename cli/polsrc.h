/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the running policy lives, for show, set, reset and apply: the oom
 * netlink family; on a patched kernel built without CONFIG_OOM_NETLINK,
 * the vm.oom_reap_* sysctls; on a stock kernel nowhere but in its code
 * (stock.c), which can be described but not changed.
 */
#ifndef OOMCTL_POLSRC_H
#define OOMCTL_POLSRC_H

#include <stdio.h>

#include "oomctl.h"

enum polsrc_kind { POLSRC_NETLINK, POLSRC_SYSCTL, POLSRC_BUILTIN };

/* "netlink", "sysctl", "built-in": the "source" of show and apply */
extern const char *const polsrc_names[];

#define SYSCTL_DIR	"/proc/sys/vm"

struct polsrc {
	enum polsrc_kind kind;
	struct oom oom;		/* netlink */
	const char *dir;	/* sysctl: where the sysctls are */
	char release[64];	/* built-in: the release its policy goes by */
};

/*
 * Find where the policy lives.  -1 to go on, or the exit code of a failure
 * (printed for cmd).
 */
int polsrc_open(struct polsrc *ps, const char *cmd);
void polsrc_close(struct polsrc *ps);
/* The running policy: EXIT_OK, or the exit code of a failure (printed) */
int polsrc_get(struct polsrc *ps, struct policy *p, const char *cmd);
/*
 * Make the settings of want the running policy (cur: the policy before);
 * the policy after in *res.  netlink: one policy-set, all or nothing.
 * sysctl: written one by one, which stderr says; a failure restores what
 * was written before it.  The settings of optional (a leading '-' in a
 * policy file) may fail: that is noted, and the others go on.  built-in:
 * EXIT_NOFAMILY, explained.  EXIT_OK, or the exit code (printed).
 */
int polsrc_set(struct polsrc *ps, const struct policy *want, unsigned int optional,
	       const struct policy *cur, struct policy *res, const char *cmd);

/* The vm.oom_reap_* sysctls in dir (SYSCTL_DIR): 0, or -errno */
int sysctl_read(const char *dir, struct policy *p);
/*
 * Write want's settings to the sysctls in dir, in the table's order (the
 * delay first: only the kernel knows its range).  A failed write of an
 * optional setting is noted on errf and passed over; any other restores
 * the settings written before it to their values in prev and says so.
 * 0, or the -errno of the failed write.
 */
int sysctl_write(const char *dir, const struct policy *want, unsigned int optional,
		 const struct policy *prev, const char *cmd, FILE *errf);

#endif
