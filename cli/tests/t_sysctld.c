// SPDX-License-Identifier: GPL-2.0
/*
 * What sysctl.d files set the vm.oom_reap_* sysctls to, under a temporary
 * root: the last assignment wins, a name beats a glob, '/' separators,
 * whole-line comments only, /etc/sysctl.conf last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sysctld.h"
#include "tap.h"

static char root[64];

static void file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	for (const char *p = rel; (p = strchr(p, '/')); p++) {
		snprintf(path, sizeof(path), "%s/%.*s", root, (int)(p - rel), rel);
		mkdir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool is(const struct sysctld_value *v, const char *file, unsigned int line,
	       bool valid, uint32_t val, const char *raw, bool glob)
{
	return v->set && !strcmp(v->file, file) && v->line == line && v->valid == valid &&
	       (!valid || v->val == val) && !strcmp(v->raw, raw) && v->glob == glob;
}

void test_sysctld(void)
{
	struct sysctld sd;
	char why[256] = "", path[256];
	int ret;

	snprintf(root, sizeof(root), "/tmp/oomctl-sysctld-XXXXXX");
	if (!mkdtemp(root)) {
		ok(false, "mkdtemp: %s", strerror(errno));
		return;
	}
	ret = sysctld_scan(root, &sd, why, sizeof(why));
	ok(ret == 0 && !sd.v[0].set && !sd.v[1].set && !sd.v[2].set, "no sysctl.d files: nothing set");
	sysctld_free(&sd);

	file("etc/sysctl.d/10-a.conf", "vm.oom_reap_delay_ms = 500\n"
	     "# vm.oom_reap_order = 0\n ; vm.oom_reap_order = 0\nvm.swappiness=1\nnot an assignment\n");
	file("usr/lib/sysctl.d/50-glob.conf", "vm.oom_reap_* = 7\n");
	file("etc/sysctl.conf", "\n-vm/oom_reap_order = 1 # not a comment here\n");
	ret = sysctld_scan(root, &sd, why, sizeof(why));
	ok(ret == 0 && is(&sd.v[SET_DELAY], "/etc/sysctl.d/10-a.conf", 1, true, 500, "500", false),
	   "vm.oom_reap_delay_ms = 500 by name wins over the later glob");
	ok(is(&sd.v[SET_FROZEN_BYPASS], "/usr/lib/sysctl.d/50-glob.conf", 1, true, 7, "7", true),
	   "vm.oom_reap_* = 7 sets frozen-bypass (a glob, as systemd-sysctl takes it)");
	ok(is(&sd.v[SET_ORDER], "/etc/sysctl.conf", 2, false, 0, "1 # not a comment here", false),
	   "-vm/oom_reap_order in /etc/sysctl.conf, read last: the value with what follows, "
	   "which is no number (sysctl.d comments are whole lines)");
	sysctld_free(&sd);

	file("run/sysctl.d/20-later.conf", "vm.oom_reap_delay_ms=800\nvm.oom_reap_delay_ms = 900\n");
	file("etc/sysctl.d/50-glob.conf", "");	/* masks /usr/lib's */
	ret = sysctld_scan(root, &sd, why, sizeof(why));
	ok(ret == 0 && is(&sd.v[SET_DELAY], "/run/sysctl.d/20-later.conf", 2, true, 900, "900", false) &&
	   !sd.v[SET_FROZEN_BYPASS].set, "the last assignment wins; an empty file in /etc masks");
	sysctld_free(&sd);

	snprintf(path, sizeof(path), "%s/etc/sysctl.d/60-dir.conf", root);
	mkdir(path, 0755);
	ret = sysctld_scan(root, &sd, why, sizeof(why));
	ok(ret < 0 && strstr(why, "/etc/sysctl.d/60-dir.conf: not a regular file"),
	   "a sysctl.d entry that cannot be read: an error saying which (%s)", why);
	sysctld_free(&sd);
	rmdir(path);

	const char *files[] = { "etc/sysctl.d/10-a.conf", "usr/lib/sysctl.d/50-glob.conf",
				"etc/sysctl.conf", "run/sysctl.d/20-later.conf",
				"etc/sysctl.d/50-glob.conf" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	const char *dirs[] = { "etc/sysctl.d", "usr/lib/sysctl.d", "run/sysctl.d", "usr/lib",
			       "usr", "run", "etc", "" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		rmdir(path);
	}
}
