// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "child_wait.h"
#include "clock.h"

int child_wait(pid_t pid, int *status, int options, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	sigset_t chld, old;
	int err = 0;

	/* Blocked, a SIGCHLD raised after our waitpid() stays pending. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	for (;;) {
		int left = ms_left(deadline);
		struct timespec ts = { left / 1000, (left % 1000) * 1000000L };
		pid_t r = waitpid(pid, status, options | WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			err = errno;
			break;
		}
		if (!left) {
			err = ETIMEDOUT;
			break;
		}
		if (sigtimedwait(&chld, NULL, &ts) < 0 && errno != EAGAIN &&
		    errno != EINTR) {
			err = errno;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}
