/* SPDX-License-Identifier: GPL-2.0 */
/* The command line: see cmdline.c */
#ifndef OOMCTL_CMDLINE_H
#define OOMCTL_CMDLINE_H

#include "oomctl.h"

enum {
	CMD_DEFAULT = 1,	/* what runs when no command is given */
	CMD_PASS_THROUGH = 2,	/* the arguments go to the command untouched */
};

#define ARGS_ANY (-1)

struct command {
	const char *name;
	int (*run)(struct opts *o, int argc, char **argv);
	/* How many arguments after the name; max_args may be ARGS_ANY */
	int min_args, max_args;
	/*
	 * The usage error for too few arguments; it may name the settings
	 * with one %s.  Too many is "unexpected argument", or extra.
	 */
	const char *missing, *extra;
	unsigned int flags;	/* CMD_* */
	const char *args;	/* for --help; NULL: a hidden command */
	const char *help;
};

/*
 * Parse argv into o, the command, and its arguments (*args[0] is the
 * command name; free() *args), and check how many there are.  -1 to run
 * the command, or the exit code to return at once (--help, --version, a
 * usage error: already printed).
 */
int cmdline_parse(int argc, char **argv, struct opts *o,
		  const struct command **cmd, int *nargs, char ***args);

#endif
