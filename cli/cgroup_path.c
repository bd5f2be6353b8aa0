// SPDX-License-Identifier: GPL-2.0
/* Cgroup paths from cgroup ids: see cgroup_path.h */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup_path.h"
#include "oomctl.h"

/* include/linux/exportfs.h: a kernfs node id, 8 bytes */
#define FILEID_KERNFS 0xfe

#define CACHE_SIZE 16
#define CACHE_MS 5000	/* a renamed cgroup shows its old name this long */

struct cache_entry {
	uint64_t id, when_ms;
	bool used;
	char *path;	/* NULL: the id has none (gone, or out of view) */
};

/* All zero at the start (in .bss, not 13 KB of .data) */
static struct {
	bool ready;		/* fd is open: ids may resolve */
	int fd;			/* the mount's root */
	struct cg_mount m;
	uint64_t root_ino;	/* the id of the cgroup at m.dir */
	char why[PATH_MAX + 256];	/* why nothing resolves, once known */
	struct cache_entry cache[CACHE_SIZE];
	unsigned int next;	/* the entry to reuse next */
} cg;

/* mountinfo's escapes: \040 space, \011 tab, \012 newline, \134 backslash */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

static bool has_option(const char *opts, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = opts; *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Is better a better mount than the one we have (have: whether there is one)? */
static bool better(const char *root, bool have, const struct cg_mount *cur)
{
	/* A root outside our cgroup namespace: its paths are not ours */
	if (!strcmp(root, "/..") || !strncmp(root, "/../", 4))
		return false;
	return !have || (strcmp(cur->root, "/") && !strcmp(root, "/"));
}

int cgpath_pick_mount(FILE *mountinfo, int memory_hierarchy, struct cg_mount *m)
{
	struct cg_mount v1 = { .v1 = true }, v2 = { .v1 = false };
	bool have_v1 = false, have_v2 = false, memory_v1 = false;
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, mountinfo) > 0) {
		char *f[6], *fstype, *superopts, *save = NULL, *p;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		for (p = strtok_r(line, " ", &save); p && n < 6; p = strtok_r(NULL, " ", &save))
			f[n++] = p;
		/* Optional fields up to "-", then type, source, super options */
		while (p && strcmp(p, "-"))
			p = strtok_r(NULL, " ", &save);
		fstype = p ? strtok_r(NULL, " ", &save) : NULL;
		p = fstype ? strtok_r(NULL, " ", &save) : NULL;
		superopts = p ? strtok_r(NULL, " ", &save) : NULL;
		if (n < 6 || !superopts)
			continue;
		unescape(f[3]);
		unescape(f[4]);
		if (strlen(f[3]) >= PATH_MAX || strlen(f[4]) >= PATH_MAX)
			continue;
		if (!strcmp(fstype, "cgroup") && has_option(superopts, "memory")) {
			memory_v1 = true;
			if (better(f[3], have_v1, &v1)) {
				strcpy(v1.root, f[3]);
				strcpy(v1.dir, f[4]);
				have_v1 = true;
			}
		} else if (!strcmp(fstype, "cgroup2") && better(f[3], have_v2, &v2)) {
			strcpy(v2.root, f[3]);
			strcpy(v2.dir, f[4]);
			have_v2 = true;
		}
	}
	free(line);
	/* A controller is on one hierarchy: v1's if any has it */
	if (memory_v1 || memory_hierarchy > 0) {
		if (!have_v1)
			return -ENOENT;
		*m = v1;
		return 0;
	}
	if (!have_v2)
		return -ENOENT;
	*m = v2;
	return 0;
}

/* The hierarchy column of memory in /proc/cgroups: 0 is cgroup2; -1 unknown */
static int memory_hierarchy(void)
{
	FILE *f = fopen("/proc/cgroups", "re");
	char line[256], name[64];
	int h, ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %d", name, &h) == 2 && !strcmp(name, "memory"))
			ret = h;
	fclose(f);
	return ret;
}

void cgpath_init(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct cg_mount m;
	int ret;

	if (!f) {
		snprintf(cg.why, sizeof(cg.why), "/proc/self/mountinfo: %s", strerror(errno));
		return;
	}
	ret = cgpath_pick_mount(f, memory_hierarchy(), &m);
	fclose(f);
	/* No cgroupfs here (a container without it): ids only, quietly */
	if (ret) {
		snprintf(cg.why, sizeof(cg.why), "no cgroup hierarchy with the memory controller is mounted");
		return;
	}
	cgpath_init_mount(&m);
}

int cgpath_init_mount(const struct cg_mount *m)
{
	struct stat st;

	cgpath_exit();
	cg.m = *m;
	/* Not O_PATH: open_by_handle_at() wants a descriptor it can fdget() */
	cg.fd = open(m->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cg.ready = cg.fd >= 0;
	if (!cg.ready || fstat(cg.fd, &st)) {
		int err = errno;

		snprintf(cg.why, sizeof(cg.why), "%s: %s", m->dir, strerror(err));
		cgpath_exit();
		return -err;
	}
	cg.root_ino = st.st_ino;
	cg.why[0] = '\0';
	return 0;
}

void cgpath_exit(void)
{
	if (cg.ready)
		close(cg.fd);
	cg.ready = false;
	for (int i = 0; i < CACHE_SIZE; i++) {
		free(cg.cache[i].path);
		cg.cache[i] = (struct cache_entry){ .used = false };
	}
}

const char *cgpath_disabled(void)
{
	return cg.why;
}

/* Nothing will resolve: say why, once, and stop trying */
static void give_up(const char *fmt, int err)
{
	snprintf(cg.why, sizeof(cg.why), fmt, strerror(err));
	msg("monitor: events carry the cgroup id only, not the path: %s", cg.why);
	cgpath_exit();
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The path of id: 0 and a malloc'd *path, or *path NULL if the id has none
 * (the cgroup is gone, or out of this mount's view); -1 if it could not be
 * said now (try again later, no cache).
 */
static int resolve(uint64_t id, char **path)
{
	char buf[sizeof(struct file_handle) + sizeof(uint64_t)] __attribute__((aligned(8)));
	struct file_handle *fh = (struct file_handle *)buf;
	char link[64], target[PATH_MAX + 16];
	size_t dirlen = strlen(cg.m.dir), rootlen;
	const char *rel;
	ssize_t n;
	int fd;

	*path = NULL;
	fh->handle_bytes = sizeof(uint64_t);
	fh->handle_type = FILEID_KERNFS;
	memcpy(fh->f_handle, &id, sizeof(id));
	fd = open_by_handle_at(cg.fd, fh, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		switch (errno) {
		case ESTALE:	/* removed, or never was */
		case ENOENT:
			return 0;
		case EPERM:
		case EACCES:
			give_up("open_by_handle_at: %s (needs CAP_DAC_READ_SEARCH)", errno);
			return -1;
		case ENOSYS:
		case EOPNOTSUPP:
		case EINVAL:
			give_up("open_by_handle_at: %s (a kernel without CONFIG_FHANDLE?)", errno);
			return -1;
		default:	/* out of files or memory: maybe next time */
			return -1;
		}
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	close(fd);
	if (n < 0) {
		give_up("/proc/self/fd: %s", errno);
		return -1;
	}
	target[n] = '\0';
	/* Removed after it was opened: its path no longer names it */
	if ((size_t)n > 10 && !strcmp(target + n - 10, " (deleted)"))
		return 0;
	/*
	 * A cgroup outside the mount's root (another cgroup namespace's, or
	 * above a bind mount) has no path under dir: the kernel gives what it
	 * can reach, which is not dir/..., or dir itself for "/" (checked by
	 * its id).
	 */
	if (!strcmp(cg.m.dir, "/"))
		dirlen = 0;
	if (strncmp(target, cg.m.dir, dirlen) || (target[dirlen] != '/' && target[dirlen] != '\0'))
		return 0;
	rel = target + dirlen;
	if ((!*rel || !strcmp(rel, "/")) && id != cg.root_ino)
		return 0;
	if (!strcmp(rel, "/"))
		rel = "";
	/* The mount shows root at dir: paths are root + what is below dir */
	rootlen = strcmp(cg.m.root, "/") ? strlen(cg.m.root) : 0;
	if (asprintf(path, "%.*s%s", (int)rootlen, cg.m.root, *rel || rootlen ? rel : "/") < 0) {
		*path = NULL;
		return -1;
	}
	return 0;
}

const char *cgpath_lookup(uint64_t id, char *buf, size_t len)
{
	uint64_t now = now_ms();
	struct cache_entry *e;
	char *path;

	if (!cg.ready)
		return NULL;
	for (int i = 0; i < CACHE_SIZE; i++) {
		e = &cg.cache[i];
		if (e->used && e->id == id && now - e->when_ms < CACHE_MS) {
			if (!e->path)
				return NULL;
			snprintf(buf, len, "%s", e->path);
			return buf;
		}
	}
	if (resolve(id, &path))
		return NULL;
	e = &cg.cache[cg.next];
	cg.next = (cg.next + 1) % CACHE_SIZE;
	free(e->path);
	*e = (struct cache_entry){ .id = id, .when_ms = now, .used = true, .path = path };
	if (!path)
		return NULL;
	snprintf(buf, len, "%s", path);
	return buf;
}
