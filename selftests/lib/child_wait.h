/* SPDX-License-Identifier: GPL-2.0 */
/*
 * waitpid() with a deadline, woken by SIGCHLD rather than by polling.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_CHILD_WAIT_H
#define OOMCTL_CHILD_WAIT_H

#include <sys/types.h>

/*
 * waitpid(@pid, @status, @options) until it reports something or
 * @timeout_ms pass.  Ptrace stops of a tracee count (pass __WALL).
 * Returns 0, ETIMEDOUT or an errno.
 */
int child_wait(pid_t pid, int *status, int options, int timeout_ms);

#endif
