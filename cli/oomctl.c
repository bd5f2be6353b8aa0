// SPDX-License-Identifier: GPL-2.0
/*
 * oomctl: show and change the Linux OOM reaper's policy, watch OOM kills.
 * The command line is parsed in cmdline.c, the commands are in cmd_*.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmdline.h"
#include "output.h"

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct opts o;
	char **args;
	int nargs, ret;

	ret = cmdline_parse(argc, argv, &o, &cmd, &nargs, &args);
	if (ret == -1) {
		out_init(stdout, o.json, o.pretty);
		ret = cmd->run(&o, nargs, args);
	}
	free(args);
	return ret;
}
