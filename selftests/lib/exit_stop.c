// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "child_wait.h"
#include "exit_stop.h"

int exit_stop_seize(pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACEEXIT))
		return errno;
	return 0;
}

int exit_stop_wait(pid_t pid, int timeout_ms)
{
	int status, err;

	err = child_wait(pid, &status, __WALL, timeout_ms);
	if (err)
		return err;
	if (!WIFSTOPPED(status) ||
	    status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
		return EPROTO;
	return 0;
}

int exit_stop_release(pid_t pid)
{
	if (ptrace(PTRACE_DETACH, pid, 0, 0))
		return errno;
	return 0;
}

void exit_stop_abandon(pid_t pid, int timeout_ms)
{
	kill(pid, SIGKILL);
	if (exit_stop_release(pid) == ESRCH) {	/* not stopped (yet) */
		exit_stop_wait(pid, timeout_ms);
		exit_stop_release(pid);
	}
}
