// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup paths from cgroup ids: which mount is used (mountinfo texts of the
 * layouts there are), then, as root on this host's own cgroupfs, real ids:
 * a cgroup, one removed before it is looked up, one outside a cgroup
 * namespace, and a caller without CAP_DAC_READ_SEARCH.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cgroup_path.h"
#include "tap.h"

static int pick(const char *mountinfo, int hierarchy, struct cg_mount *m)
{
	FILE *f = fmemopen((void *)mountinfo, strlen(mountinfo), "r");
	int ret = cgpath_pick_mount(f, hierarchy, m);

	fclose(f);
	return ret;
}

static void test_pick(void)
{
	/* This build host: v1 controllers, cgroup2 beside them (hybrid) */
	static const char hybrid[] =
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
	static const char v2[] =
		"22 1 0:21 / / rw - ext4 /dev/root rw\n"
		"25 22 0:23 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n";
	/* A bind mount of a subtree first, the whole tree after it */
	static const char bind[] =
		"40 22 0:23 /system.slice /mnt/sys rw - cgroup2 cgroup2 rw\n"
		"25 22 0:23 / /sys/fs/cgroup rw master:9 - cgroup2 cgroup2 rw\n";
	static const char only_bind[] =
		"40 22 0:23 /system.slice /mnt/my\\040sys rw - cgroup2 cgroup2 rw\n";
	/* A container in a cgroup namespace that kept the host's mount */
	static const char outside[] =
		"51 47 0:23 /.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
	static const char none[] = "22 1 0:21 / / rw - ext4 /dev/root rw\n"
				   "23 22 0:5 / /proc rw - proc proc rw\n";
	struct cg_mount m;

	ok(pick(hybrid, 4, &m) == 0 && m.v1 && !strcmp(m.dir, "/sys/fs/cgroup/memory") &&
	   !strcmp(m.root, "/"), "cgroup path: hybrid layout: the v1 memory hierarchy, not cgroup2");
	ok(pick(hybrid, -1, &m) == 0 && m.v1,
	   "cgroup path: a mounted v1 memory hierarchy wins without /proc/cgroups too");
	ok(pick(v2, 0, &m) == 0 && !m.v1 && !strcmp(m.dir, "/sys/fs/cgroup") &&
	   !strcmp(m.root, "/"), "cgroup path: cgroup2 (optional fields, nsdelegate)");
	ok(pick(v2, 4, &m) == -ENOENT,
	   "cgroup path: memory on an unmounted v1 hierarchy: no mount, not cgroup2's ids");
	ok(pick(bind, 0, &m) == 0 && !strcmp(m.dir, "/sys/fs/cgroup"),
	   "cgroup path: the mount of the whole tree before a bind mount of a subtree");
	ok(pick(only_bind, 0, &m) == 0 && !strcmp(m.dir, "/mnt/my sys") &&
	   !strcmp(m.root, "/system.slice"),
	   "cgroup path: a bind mount alone, with its root; \\040 in mountinfo is a space");
	ok(pick(outside, 0, &m) == -ENOENT,
	   "cgroup path: a mount whose root is outside the cgroup namespace (/..) is not used");
	ok(pick(none, -1, &m) == -ENOENT && pick("", -1, &m) == -ENOENT &&
	   pick("garbage\n1 2 3\n", -1, &m) == -ENOENT,
	   "cgroup path: no cgroupfs (a container without it), or junk: none");
}

/* A new cgroup under the mount: its id (inode number), 0 if it failed */
static uint64_t mkcg(const char *path)
{
	struct stat st;

	if (mkdir(path, 0755) && errno != EEXIST)
		return 0;
	return stat(path, &st) ? 0 : st.st_ino;
}

/* What fn(arg) writes to fd 1, from a child process, and its exit status */
static char *in_child(int (*fn)(void *), void *arg, int *status)
{
	static char buf[4096];
	int p[2], n = 0, r;
	pid_t pid;

	if (pipe(p))
		return NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		r = fn(arg);
		fflush(stdout);
		_exit(r);
	}
	close(p[1]);
	while (pid > 0 && n < (int)sizeof(buf) - 1 && (r = (int)read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	buf[n] = '\0';
	close(p[0]);
	if (pid < 0 || waitpid(pid, status, 0) < 0)
		return NULL;
	return buf;
}

struct ids {
	const struct cg_mount *m;
	char top[PATH_MAX + 64];	/* our cgroup for the test, under the mount */
	uint64_t top_id, inner, outside;
};

/* 0 if the id has no path */
static int lookup_gone(void *arg)
{
	char buf[PATH_MAX];

	return cgpath_lookup(*(uint64_t *)arg, buf, sizeof(buf)) ? 1 : 0;
}

/* As nobody: no CAP_DAC_READ_SEARCH */
static int unprivileged(void *arg)
{
	struct ids *ids = arg;
	char buf[PATH_MAX];

	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 2;
	if (cgpath_init_mount(ids->m))
		return 3;
	if (cgpath_lookup(ids->inner, buf, sizeof(buf)) || cgpath_lookup(ids->top_id, buf, sizeof(buf)))
		return 4;
	return 0;
}

/* In a cgroup namespace rooted at top/ns, with cgroupfs mounted anew */
static int namespaced(void *arg)
{
	struct ids *ids = arg;
	char procs[PATH_MAX + 128], dir[] = "/tmp/oomctl-cgns.XXXXXX", buf[PATH_MAX];
	struct cg_mount m = { .root = "/", .v1 = ids->m->v1 };
	const char *p;
	FILE *f;

	snprintf(procs, sizeof(procs), "%s/ns/cgroup.procs", ids->top);
	f = fopen(procs, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
		return 2;
	if (unshare(CLONE_NEWCGROUP | CLONE_NEWNS) ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) || !mkdtemp(dir))
		return 3;
	if (mount("none", dir, m.v1 ? "cgroup" : "cgroup2", 0, m.v1 ? "memory" : NULL)) {
		rmdir(dir);
		return 4;
	}
	snprintf(m.dir, sizeof(m.dir), "%s", dir);
	if (cgpath_init_mount(&m))
		return 5;
	p = cgpath_lookup(ids->inner, buf, sizeof(buf));
	printf("inner=%s\n", p ? p : "(none)");
	p = cgpath_lookup(ids->outside, buf, sizeof(buf));
	printf("outside=%s\n", p ? p : "(none)");
	cgpath_exit();
	umount(dir);
	rmdir(dir);
	return 0;
}

static void test_real(void)
{
	char path[PATH_MAX + 128], buf[PATH_MAX], *out;
	struct ids ids = { .m = NULL };
	struct cg_mount m;
	const char *p, *why;
	uint64_t gone;
	struct stat st;
	int status = -1;
	FILE *f;

	cgpath_init();
	why = cgpath_disabled();
	if (*why || getuid() != 0) {
		skip(5, "cgroup path: real ids on this host", *why ? why : "not root");
		cgpath_exit();
		return;
	}
	/* The mount cgpath_init() chose, again, to make cgroups under it */
	f = fopen("/proc/self/mountinfo", "r");
	if (!f || cgpath_pick_mount(f, -1, &m) || stat(m.dir, &st)) {
		if (f)
			fclose(f);
		ok(false, "cgroup path: the mount again");
		return;
	}
	fclose(f);
	ids.m = &m;
	p = cgpath_lookup(st.st_ino, buf, sizeof(buf));
	ok(p && !strcmp(p, m.root), "cgroup path: the id of %s is %s (%s)", m.dir, m.root,
	   p ? p : "none");

	snprintf(ids.top, sizeof(ids.top), "%s/oomctl-t %d", m.dir, getpid());
	ids.top_id = mkcg(ids.top);
	snprintf(path, sizeof(path), "%s/ns", ids.top);
	mkcg(path);
	snprintf(path, sizeof(path), "%s/ns/inner", ids.top);
	ids.inner = mkcg(path);
	snprintf(path, sizeof(path), "%s/outside", ids.top);
	ids.outside = mkcg(path);
	snprintf(path, sizeof(path), "%s/gone", ids.top);
	gone = mkcg(path);
	rmdir(path);
	if (!ids.top_id || !ids.inner || !ids.outside || !gone) {
		skip(4, "cgroup path: cgroups of our own", strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/oomctl-t %d/ns/inner", strcmp(m.root, "/") ? m.root : "",
		 getpid());
	p = cgpath_lookup(ids.inner, buf, sizeof(buf));
	ok(p && !strcmp(p, path), "cgroup path: a cgroup (a space in its name): %s", p ? p : "none");

	/* Nothing on stderr for a cgroup that is gone: each kill would say it */
	out = in_child(lookup_gone, &gone, &status);
	ok(out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !*out,
	   "cgroup path: a cgroup removed before the lookup has none, and nothing is said");

	out = in_child(unprivileged, &ids, &status);
	ok(out && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   strstr(out, "needs CAP_DAC_READ_SEARCH") && !strchr(strchr(out, '\n') + 1, '\n'),
	   "cgroup path: without CAP_DAC_READ_SEARCH: no paths, said once (exit %d): %s",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1, out ? out : "");

	out = in_child(namespaced, &ids, &status);
	ok(out && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   strstr(out, "inner=/inner\n") && strstr(out, "outside=(none)\n"),
	   "cgroup path: in a cgroup namespace: paths from its root, none for a cgroup outside it "
	   "(exit %d): %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, out ? out : "");
out:
	snprintf(path, sizeof(path), "%s/ns/inner", ids.top);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/ns", ids.top);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/outside", ids.top);
	rmdir(path);
	rmdir(ids.top);
	cgpath_exit();
}

void test_cgpath(void)
{
	test_pick();
	test_real();
}
