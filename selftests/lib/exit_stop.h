/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hold a killed process at the door: traced with PTRACE_O_TRACEEXIT, a
 * process that receives SIGKILL stops in do_exit() at PTRACE_EVENT_EXIT,
 * before exit_mm().  Its mm is still attached and it is already "dying"
 * (SIGNAL_GROUP_EXIT), which is exactly what process_mrelease(2) needs;
 * nothing but the caller can free the memory meanwhile.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_EXIT_STOP_H
#define OOMCTL_EXIT_STOP_H

#include <sys/types.h>

/* Attach to our child @pid (PTRACE_SEIZE, no stop).  0 or errno. */
int exit_stop_seize(pid_t pid);
/* Wait until @pid stops at PTRACE_EVENT_EXIT: 0, ETIMEDOUT, EPROTO, errno. */
int exit_stop_wait(pid_t pid, int timeout_ms);
/* Detach: the process finishes exiting.  0 or errno. */
int exit_stop_release(pid_t pid);
/*
 * Cleanup when a test stopped half way: kill @pid, let it reach its exit
 * stop if it is not there yet (bounded by @timeout_ms), and detach.
 * A SIGKILL alone cannot end the stop of a task that is already exiting.
 */
void exit_stop_abandon(pid_t pid, int timeout_ms);

#endif
