/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The path of a cgroup from the id the kernel reports (memcg_id: the cgroup
 * id of the victim's memory cgroup, which is the kernfs node id, the inode
 * number of its directory): open_by_handle_at(2) with a FILEID_KERNFS
 * handle on the mount of the hierarchy the memory controller is on, then
 * what /proc/self/fd/N links to, less the mount point.
 *
 * Nothing here is an error for the caller: an id that cannot be resolved
 * (the cgroup is gone, it lies outside this cgroup namespace) has no path,
 * and where nothing can be resolved (no cgroupfs, no CAP_DAC_READ_SEARCH,
 * a kernel without CONFIG_FHANDLE) no id has one; that is said once.
 */
#ifndef OOMCTL_CGROUP_PATH_H
#define OOMCTL_CGROUP_PATH_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A mount of a cgroup hierarchy, as /proc/self/mountinfo describes it */
struct cg_mount {
	char dir[PATH_MAX];	/* where it is mounted */
	char root[PATH_MAX];	/* the cgroup it shows at dir: "/", or a bind mount's */
	bool v1;		/* a cgroup v1 hierarchy (with the memory controller) */
};

/*
 * The mount to resolve memory cgroup ids on, from mountinfo: the v1
 * hierarchy that has the memory controller if one is mounted, else cgroup2
 * unless memory_hierarchy (its column of /proc/cgroups) says that memory
 * is on an unmounted v1 hierarchy (> 0; -1: unknown).  Mounts that show
 * the root of the cgroup namespace come first; one whose root lies outside
 * it ("/..") cannot be used.  0, or -ENOENT.
 */
int cgpath_pick_mount(FILE *mountinfo, int memory_hierarchy, struct cg_mount *m);

/* Find the mount (the files in /proc) and open it; quiet if there is none */
void cgpath_init(void);
/* Use this mount (for tests): 0 or -errno */
int cgpath_init_mount(const struct cg_mount *m);
/* Close it, forget the cache */
void cgpath_exit(void);

/*
 * The path of cgroup id, relative to the hierarchy's root ("/" for the
 * root, "/system.slice/x.service"), in buf; NULL if it has none.  Results
 * are kept a few seconds: a storm of kills in one cgroup costs one lookup.
 */
const char *cgpath_lookup(uint64_t id, char *buf, size_t len);

/* Why no id resolves, once it is known ("" while any may) */
const char *cgpath_disabled(void);

#endif
