/* SPDX-License-Identifier: GPL-2.0 */
/* The command line: see cmdline.c */
#ifndef OOMCTL_CMDLINE_H
#define OOMCTL_CMDLINE_H

#include "oomctl.h"

struct command {
	const char *name;
	int (*run)(struct opts *o, int argc, char **argv);
	unsigned int opts;	/* the command's options, beyond the global ones */
	const char *args;	/* for --help; NULL: a hidden command */
	const char *help;
};

/*
 * Parse argv into o, the command, and its arguments (*args[0] is the
 * command name; free() *args).  -1 to run the command, or the exit code
 * to return at once (--help, --version, a usage error: already printed).
 */
int cmdline_parse(int argc, char **argv, struct opts *o,
		  const struct command **cmd, int *nargs, char ***args);

#endif
