// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "clock.h"
#include "fileio.h"
#include "memcg.h"
#include "proc.h"

static int cgroup2_mount(void)
{
	struct statfs sfs;

	if (statfs(CGROUP2_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		return 0;
	mkdir(CGROUP2_ROOT, 0755);
	if (mount("cgroup2", CGROUP2_ROOT, "cgroup2", 0, NULL))
		return errno;
	return 0;
}

static void cg_file(const struct memcg *cg, const char *file, char *buf,
		    size_t size)
{
	snprintf(buf, size, "%s/%s", cg->path, file);
}

int memcg_write(const struct memcg *cg, const char *file, const char *val)
{
	char path[320];

	cg_file(cg, file, path, sizeof(path));
	return file_write_str(path, val);
}

int memcg_read_u64(const struct memcg *cg, const char *file, uint64_t *val)
{
	char path[320], buf[64], *end;
	int err;

	cg_file(cg, file, path, sizeof(path));
	err = file_read(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return EINVAL;
	return 0;
}

int memcg_create(struct memcg *cg, const char *name)
{
	struct stat st;
	int err;

	cg->path[0] = '\0';
	err = cgroup2_mount();
	if (err)
		return err;
	err = file_write_str(CGROUP2_ROOT "/cgroup.subtree_control", "+memory");
	if (err)
		return err;
	snprintf(cg->path, sizeof(cg->path), "%s/%s", CGROUP2_ROOT, name);
	if ((mkdir(cg->path, 0755) && errno != EEXIST) || stat(cg->path, &st)) {
		err = errno;
		cg->path[0] = '\0';
		return err;
	}
	cg->id = st.st_ino;
	err = memcg_write(cg, "memory.swap.max", "0");
	if (!err)
		err = memcg_write(cg, "memory.max", "max");
	return err;
}

int memcg_destroy(struct memcg *cg)
{
	int err = 0;

	if (!cg->path[0])
		return 0;
	memcg_write(cg, "cgroup.kill", "1");
	memcg_wait_event(cg, "populated", 0, 10000);
	/* A frozen, empty cgroup can be removed, but leave no surprises. */
	memcg_write(cg, "cgroup.freeze", "0");
	if (rmdir(cg->path) && errno != ENOENT)
		err = errno;
	cg->path[0] = '\0';
	return err;
}

struct async_write {
	const struct memcg *cg;
	const char *file, *val;
};

static int async_write_main(void *arg)
{
	const struct async_write *a = arg;

	return memcg_write(a->cg, a->file, a->val);
}

pid_t memcg_write_async(const struct memcg *cg, const char *file,
			const char *val)
{
	struct async_write a = { cg, file, val };

	return start_child(async_write_main, &a);
}

int memcg_enter(const struct memcg *cg)
{
	return memcg_write(cg, "cgroup.procs", "0");
}

static bool events_have(const struct memcg *cg, const char *key, int value,
			int *err)
{
	char path[320], buf[512], want[64], *line;

	cg_file(cg, "cgroup.events", path, sizeof(path));
	*err = file_read(path, buf, sizeof(buf));
	if (*err)
		return false;
	snprintf(want, sizeof(want), "%s %d", key, value);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strcmp(line, want))
			return true;
	return false;
}

int memcg_wait_event(const struct memcg *cg, const char *key, int value,
		     int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char path[320], ev[4096];
	int fd, err = 0;

	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0)
		return errno;
	cg_file(cg, "cgroup.events", path, sizeof(path));
	if (inotify_add_watch(fd, path, IN_MODIFY) < 0) {
		err = errno;
		goto out;
	}
	/* The watch is in place: any later change wakes us up. */
	while (!events_have(cg, key, value, &err) && !err) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int left = ms_left(deadline);

		if (!left) {
			err = ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
			err = errno;
			break;
		}
		while (read(fd, ev, sizeof(ev)) > 0)
			;
	}
out:
	close(fd);
	return err;
}

int memcg_freeze(const struct memcg *cg, int timeout_ms)
{
	int err = memcg_write(cg, "cgroup.freeze", "1");

	return err ? err : memcg_wait_event(cg, "frozen", 1, timeout_ms);
}
