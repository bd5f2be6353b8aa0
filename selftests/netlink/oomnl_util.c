// SPDX-License-Identifier: GPL-2.0
/* Processes, credentials, memory cgroups, victims, kernel log: oomnl_util.h */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "oomnl_util.h"

#define CGROOT "/sys/fs/cgroup"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int ms_left(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/* ---- processes ---- */

int proc_wait(pid_t pid, int *status, int timeout_ms)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd;
	int n;

	if (fd < 0)
		return -errno;
	pfd.fd = fd;
	pfd.events = POLLIN;
	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	if (waitpid(pid, status, 0) != pid)
		return -errno;
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
	if (err == -ETIMEDOUT) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return err;
	}
	if (err)
		return err;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int drop_to_user(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

static int capget2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

static int capset2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capset, &h, d) ? -errno : 0;
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
		return -errno;
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

/* ---- memory cgroups ---- */

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = strlen(val), n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n != len)
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

int cg_write(const struct cg *cg, const char *file, const char *val)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/%s", cg->path, file);
	return write_file(path, val);
}

int cg_create(struct cg *cg, const char *name)
{
	char buf[512];
	struct stat st;
	int err;

	memset(cg, 0, sizeof(*cg));
	err = read_file(CGROOT "/cgroup.controllers", buf, sizeof(buf));
	if (err)
		return err;
	if (!strstr(buf, "memory"))
		return -EOPNOTSUPP;
	err = read_file(CGROOT "/cgroup.subtree_control", buf, sizeof(buf));
	if (err)
		return err;
	if (!strstr(buf, "memory")) {
		err = write_file(CGROOT "/cgroup.subtree_control", "+memory");
		if (err)
			return err;
	}
	snprintf(cg->path, sizeof(cg->path), CGROOT "/%s-%d", name, getpid());
	if (mkdir(cg->path, 0755) && errno != EEXIST)
		return -errno;
	if (stat(cg->path, &st))
		return -errno;
	cg->id = st.st_ino;
	err = cg_write(cg, "memory.swap.max", "0");
	if (err == -ENOENT)	/* no swap accounting: no swap either */
		err = 0;
	return err;
}

static int events_has(const char *path, const char *key, int val, int fd)
{
	char buf[512], want[64];
	char *p;
	ssize_t n;

	(void)path;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	snprintf(want, sizeof(want), "%s %d\n", key, val);
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, want, strlen(want)))
			return 1;
	return 0;
}

int cg_wait_event(const struct cg *cg, const char *key, int val, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char path[320];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/cgroup.events", cg->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };

		/* The read arms the notification: check, then wait. */
		ret = events_has(path, key, val, fd);
		if (ret)
			break;
		ret = poll(&pfd, 1, ms_left(deadline));
		if (ret < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (ret == 0) {
			ret = events_has(path, key, val, fd) ?: -ETIMEDOUT;
			break;
		}
	}
	close(fd);
	return ret < 0 ? ret : 0;
}

pid_t cg_write_async(const struct cg *cg, const char *file, const char *val)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(-cg_write(cg, file, val));
	return pid;
}

void cg_destroy(struct cg *cg)
{
	if (!cg->path[0])
		return;
	cg_write(cg, "cgroup.kill", "1");
	cg_wait_event(cg, "populated", 0, 10000);
	rmdir(cg->path);
	cg->path[0] = 0;
}

/* ---- OOM victims ---- */

struct victim_msg {
	int err;
	long anon, file, shmem;
};

static void rss_self(struct victim_msg *m)
{
	char buf[4096], *p;

	if (read_file("/proc/self/status", buf, sizeof(buf)))
		return;
	if ((p = strstr(buf, "RssAnon:")))
		m->anon = strtol(p + 8, NULL, 10);
	if ((p = strstr(buf, "RssFile:")))
		m->file = strtol(p + 8, NULL, 10);
	if ((p = strstr(buf, "RssShmem:")))
		m->shmem = strtol(p + 9, NULL, 10);
}

static void victim_main(int wfd, const struct cg *cg, const struct victim_opts *o)
{
	struct victim_msg m = { 0 };
	size_t size = o->hold_bytes ? o->hold_bytes : 256UL << 20;
	volatile char *mem;
	char buf[32];
	size_t i;
	int err;

	err = cg_write(cg, "cgroup.procs", "0");
	if (!err && o->comm && prctl(PR_SET_NAME, o->comm, 0, 0, 0))
		err = -errno;
	if (!err) {
		snprintf(buf, sizeof(buf), "%d", o->oom_score_adj);
		err = write_file("/proc/self/oom_score_adj", buf);
	}
	if (!err && o->uid)
		err = drop_to_user(o->uid, o->uid);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!err && mem == MAP_FAILED)
		err = -errno;
	m.err = err;
	rss_self(&m);
	if (write(wfd, &m, sizeof(m)) != sizeof(m) || err)
		_exit(2);
	for (i = 0; i < size; i += 4096)
		mem[i] = (char)i | 1;
	if (!o->hold_bytes)
		_exit(3);	/* should have been OOM-killed long before */
	rss_self(&m);
	if (write(wfd, &m, sizeof(m)) != sizeof(m))
		_exit(2);
	for (;;)
		pause();
}

static int read_status(struct victim *v, int timeout_ms)
{
	struct pollfd pfd = { .fd = v->rfd, .events = POLLIN };
	struct victim_msg m;
	int n;

	n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	n = read(v->rfd, &m, sizeof(m));
	if (n != sizeof(m))
		return -EPIPE;	/* died before reporting */
	v->rss_anon = m.anon;
	v->rss_file = m.file;
	v->rss_shmem = m.shmem;
	return m.err;
}

int victim_start(struct victim *v, const struct cg *cg,
		 const struct victim_opts *o, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	int p[2], err;

	memset(v, 0, sizeof(*v));
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	v->pid = fork();
	if (v->pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (v->pid == 0) {
		close(p[0]);
		victim_main(p[1], cg, o);
		_exit(1);
	}
	close(p[1]);
	v->rfd = p[0];
	err = read_status(v, ms_left(deadline));
	if (!err && o->hold_bytes)
		err = read_status(v, ms_left(deadline));
	if (err)
		victim_destroy(v);
	return err;
}

int victim_wait(struct victim *v, int timeout_ms)
{
	int err;

	if (v->exited || !v->pid)
		return 0;
	err = proc_wait(v->pid, &v->status, timeout_ms);
	if (!err)
		v->exited = true;
	return err;
}

void victim_destroy(struct victim *v)
{
	if (v->pid > 0 && !v->exited) {
		kill(v->pid, SIGKILL);
		waitpid(v->pid, &v->status, 0);
		v->exited = true;
	}
	if (v->rfd > 0)
		close(v->rfd);
	v->rfd = 0;
}

/* ---- kernel log ---- */

int kmsg_watch_start(struct kmsg_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0)
		return -errno;
	if (lseek(w->fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(w->fd);
		w->fd = -1;
		return err;
	}
	read_file("/proc/sys/kernel/tainted", w->taint, sizeof(w->taint));
	return 0;
}

int kmsg_watch_check(struct kmsg_watch *w, char *bad, size_t len, int *nrec)
{
	static const char *const pats[] = {
		"WARNING:", "BUG:", "Oops", "cut here", "general protection",
		"Kernel panic", "UBSAN", "KASAN", "refcount_t:", "list_add corruption",
		"list_del corruption", "sleeping function called",
	};
	char rec[4096], taint[32];
	int nbad = 0, n = 0;
	size_t i;

	if (bad && len)
		bad[0] = 0;
	for (;;) {
		ssize_t r = read(w->fd, rec, sizeof(rec) - 1);

		if (r < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		rec[r] = 0;
		n++;
		for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
			if (!strstr(rec, pats[i]))
				continue;
			if (!nbad++ && bad && len) {
				char *msg = strchr(rec, ';');

				snprintf(bad, len, "%s", msg ? msg + 1 : rec);
				bad[strcspn(bad, "\n")] = 0;
			}
			break;
		}
	}
	read_file("/proc/sys/kernel/tainted", taint, sizeof(taint));
	if (strcmp(taint, w->taint)) {
		if (!nbad++ && bad && len)
			snprintf(bad, len, "taint changed from %.*s to %.*s",
				 (int)strcspn(w->taint, "\n"), w->taint,
				 (int)strcspn(taint, "\n"), taint);
	}
	if (nrec)
		*nrec = n;
	return nbad;
}

void kmsg_watch_stop(struct kmsg_watch *w)
{
	if (w->fd > 0)
		close(w->fd);
	w->fd = -1;
}
