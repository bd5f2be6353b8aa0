/* SPDX-License-Identifier: GPL-2.0 */
/* What the commands share: options, exit codes, the oom family session */
#ifndef OOMCTL_H
#define OOMCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "oomnl.h"
#include "settings.h"

#ifndef OOMCTL_VERSION
#define OOMCTL_VERSION "0.1"
#endif

/* Exit codes: documented in oomctl(8) and --help */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed */
	EXIT_USAGE = 2,		/* bad command line or policy file */
	EXIT_NOFAMILY = 3,	/* the kernel has no oom netlink family */
	EXIT_PERM = 4,		/* permission denied */
	EXIT_DRIFT = 5,		/* apply --check: the policy differs */
};

/* -o FORMAT (-j is -o json); formats[] in cmdline.c says which commands
 * take which */
enum out_format { FMT_TEXT, FMT_JSON, FMT_JOURNAL, FMT_PROMETHEUS, NFORMATS };

struct opts {
	enum out_format format;
	bool format_set;	/* -o or -j given */
	bool pretty, no_header;
	/* stats */
	const char *textfile;	/* --textfile DIR */
	/* monitor */
	bool has_count, has_timeout, timestamp, tracefs;
	uint64_t count, timeout_ms;
	unsigned int events;	/* EVC_* */
	/* apply */
	bool dry_run, check;
	const char *root;	/* --root DIR */
	/* --no-pager, systemd's oomctl's option: nothing pages here */
	bool no_pager;
};

/* "oomctl: " + message on stderr */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error for cmd: message, pointer to --help; returns EXIT_USAGE */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A connection to the oom family */
struct oom {
	struct nl nl;
	struct genl_family_info fi;
};

/*
 * Open a socket and resolve the family.  0; -ENOENT if the kernel has no
 * oom family (nothing printed: callers explain with stock_explain()); or
 * another -errno, printed for cmd.
 */
int oom_connect(struct oom *o, const char *cmd);
void oom_disconnect(struct oom *o);
int oom_policy_get(struct oom *o, struct policy *p, struct nl_err *e);
/* Send the settings want has, in one request; the result in *res */
int oom_policy_set(struct oom *o, const struct policy *want,
		   struct policy *res, struct nl_err *e);
int oom_stats_get(struct oom *o, struct oom_stats *st, struct nl_err *e);
/*
 * Print a failed request (the kernel's extack verbatim, with the setting
 * it points at) and return the exit code for it.
 */
int report_nl_error(const char *cmd, int err, const struct nl_err *e);
/* The counters and the latency histogram, inside out_begin()/out_end() */
void stats_print(const struct oom_stats *st, bool no_header);

/* Kernels without the oom family (stock.c) */
/* The built-in policy of a stock kernel release ("6.18.44-..."), all set */
void stock_policy(const char *release, struct policy *p);
/* The release stock_policy() goes by on this machine: uname -r, or the
 * upstream release of /proc/version_signature (Ubuntu) */
void stock_release(char *buf, size_t len);
/* That upstream release from a version_signature line: true if found */
bool stock_signature_version(const char *sig, char *buf, size_t len);
/* Explain, for cmd, that the family is missing; returns EXIT_NOFAMILY */
int stock_explain(const char *cmd);

int cmd_show(struct opts *o, int argc, char **argv);
int cmd_set(struct opts *o, int argc, char **argv);
int cmd_reset(struct opts *o, int argc, char **argv);
int cmd_apply(struct opts *o, int argc, char **argv);
int cmd_stats(struct opts *o, int argc, char **argv);
int cmd_monitor(struct opts *o, int argc, char **argv);
/*
 * systemd's oomctl(1) (systemd_oomctl.c): argv[0] is the command (NULL for
 * --no-pager alone), the rest the whole command line after "oomctl".
 * dump: exit 1 if systemd's is missing; cmd_systemd, for any command this
 * oomctl does not have: a usage error, exit 2.
 */
int cmd_dump(struct opts *o, int argc, char **argv);
int cmd_systemd(struct opts *o, int argc, char **argv);
/* systemd's oomctl's options, space-separated, for completion */
extern const char systemd_oomctl_options[];

#endif
