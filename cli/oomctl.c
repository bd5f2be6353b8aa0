// SPDX-License-Identifier: GPL-2.0
/*
 * oomctl: show and change the Linux OOM reaper's policy, watch OOM kills.
 * The command line is parsed in cmdline.c, the commands are in cmd_*.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "oomctl.h"
#include "output.h"

/*
 * Like coreutils' close_stdout(): output that did not reach stdout (a full
 * disk, a closed pipe) must not pass for success, whatever the command.
 * A failed command keeps its exit code.  A reader that went away (EPIPE:
 * monitor ignores SIGPIPE to clean up) is no news to anyone: no message.
 */
static int close_stdout(int ret)
{
	int err = out_stdout_error();

	if (!err)
		return ret;
	if (err > 0 && err != EPIPE)
		msg("write error on standard output: %s", strerror(err));
	else if (err < 0)
		msg("write error on standard output");
	return ret ? ret : EXIT_FAIL;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct opts o;
	char **args;
	int nargs, ret;

	ret = cmdline_parse(argc, argv, &o, &cmd, &nargs, &args);
	if (ret == -1) {
		out_init(stdout, o.format == FMT_JSON, o.pretty);
		ret = cmd->run(&o, nargs, args);
	}
	free(args);
	return close_stdout(ret);
}
