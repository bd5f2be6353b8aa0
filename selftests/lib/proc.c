// SPDX-License-Identifier: GPL-2.0
/* Child processes with a deadline, credentials: proc.h */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "proc.h"

int proc_wait(pid_t pid, int *status, int timeout_ms)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd;
	int n;

	if (fd < 0)
		return errno;
	pfd.fd = fd;
	pfd.events = POLLIN;
	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return errno;
	if (n == 0)
		return ETIMEDOUT;
	if (waitpid(pid, status, 0) != pid)
		return errno;
	return 0;
}

pid_t start_child(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(fn(arg) & 0xff);
	return pid;
}

int run_in_child(int (*fn)(void *), void *arg, int timeout_ms)
{
	pid_t pid = start_child(fn, arg);

	if (pid < 0)
		return pid;
	return finish_child(pid, timeout_ms);
}

int finish_child(pid_t pid, int timeout_ms)
{
	int status, err;

	err = proc_wait(pid, &status, timeout_ms);
	if (err == ETIMEDOUT) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (err)
		return -err;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int drop_to_user(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return errno;
	return 0;
}

static int capget2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d) ? errno : 0;
}

static int capset2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capset, &h, d) ? errno : 0;
}

int caps_get(uint64_t *effective, uint64_t *permitted)
{
	struct __user_cap_data_struct d[2];
	int err = capget2(d);

	if (err)
		return err;
	if (effective)
		*effective = d[0].effective | (uint64_t)d[1].effective << 32;
	if (permitted)
		*permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	return 0;
}

int caps_drop(int cap)
{
	struct __user_cap_data_struct d[2];
	int err = capget2(d);

	if (err)
		return err;
	d[cap / 32].effective &= ~(1u << (cap % 32));
	d[cap / 32].permitted &= ~(1u << (cap % 32));
	d[cap / 32].inheritable &= ~(1u << (cap % 32));
	return capset2(d);
}

int become_user_keep_caps(uid_t uid, gid_t gid)
{
	struct __user_cap_data_struct d[2];
	int err;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return errno;
	err = drop_to_user(uid, gid);
	if (err)
		return err;
	err = capget2(d);
	if (err)
		return err;
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	return capset2(d);
}
