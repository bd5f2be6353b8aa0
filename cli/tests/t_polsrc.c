// SPDX-License-Identifier: GPL-2.0
/*
 * The sysctl source of the policy against a directory of files standing
 * for /proc/sys/vm: reading, writing one by one, and a write the kernel
 * refuses part-way (a real sysctl that is read-only for everyone, root
 * too) undone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/oom_netlink.h>

#include "polsrc.h"
#include "tap.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The three files' contents, "2000 0 1" */
static const char *contents(void)
{
	static char buf[64];
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < NSETTINGS; i++) {
		char path[128], v[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, settings[i].sysctl);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(v, sizeof(v), f))
				v[0] = '\0';
			fclose(f);
		}
		v[strcspn(v, "\n")] = '\0';
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", v);
	}
	return buf;
}

static void reset_files(void)
{
	put("oom_reap_delay_ms", "2000\n");
	put("oom_reap_frozen_bypass", "0\n");
	put("oom_reap_order", "1\n");
}

struct wr {
	const struct policy *want, *prev;
	unsigned int optional;
	int ret;
};

static void do_write(FILE *f, void *arg)
{
	struct wr *w = arg;

	w->ret = sysctl_write(dir, w->want, w->optional, w->prev, "apply", f);
}

void test_polsrc(void)
{
	const char *ro = "/proc/sys/kernel/cap_last_cap";	/* 0444: EACCES for root too */
	struct policy p, want = { .have = 0 }, prev;
	struct wr w;
	char path[128], *said;

	snprintf(dir, sizeof(dir), "/tmp/oomctl-sysctl-XXXXXX");
	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp: %s", strerror(errno));
		return;
	}
	ok(sysctl_read(dir, &p) == -ENOENT, "no sysctls: -ENOENT (a stock kernel)");
	reset_files();
	ok(sysctl_read(dir, &p) == 0 && p.have == 7 && p.val[SET_DELAY] == 2000 &&
	   p.val[SET_FROZEN_BYPASS] == 0 && p.val[SET_ORDER] == 1 && p.delay_max_ms == 0,
	   "the three sysctls read, the limit unknown");
	put("oom_reap_order", "reverse\n");
	ok(sysctl_read(dir, &p) == -EINVAL, "a sysctl that is no number: -EINVAL");
	put("oom_reap_order", "");
	ok(sysctl_read(dir, &p) == -EINVAL, "an empty sysctl: -EINVAL");
	reset_files();

	want.val[SET_DELAY] = 250;
	want.val[SET_ORDER] = 0;
	want.have = (1u << SET_DELAY) | (1u << SET_ORDER);
	sysctl_read(dir, &prev);
	w = (struct wr){ &want, &prev, 0, -1 };
	said = capture(do_write, &w);
	ok(w.ret == 0 && !strcmp(contents(), "250 0 0") && !said[0],
	   "two settings written, the third left alone: %s", contents());
	free(said);

	/* The order's write refused: the delay and frozen-bypass go back */
	reset_files();
	snprintf(path, sizeof(path), "%s/oom_reap_order", dir);
	unlink(path);
	if (access(ro, R_OK) || symlink(ro, path)) {
		ok(false, "a refused write undone: %s: %s", ro, strerror(errno));
		goto out;
	}
	sysctl_read(dir, &prev);
	want.val[SET_DELAY] = 300;
	want.val[SET_FROZEN_BYPASS] = 1;
	want.val[SET_ORDER] = 0;
	want.have = 7;
	w = (struct wr){ &want, &prev, 0, 0 };
	said = capture(do_write, &w);
	ok(w.ret == -EACCES && !strncmp(contents(), "2000 0 ", 7),
	   "order refused after delay and frozen-bypass were written: both restored (%s)",
	   contents());
	ok(strstr(said, "oomctl: apply: writing vm.oom_reap_order = 0: Permission denied\n") &&
	   strstr(said, "restored vm.oom_reap_delay_ms to 2000\n") &&
	   strstr(said, "restored vm.oom_reap_frozen_bypass to 0\n"),
	   "it says what failed and what it restored");
	if (!strstr(said, "restored vm.oom_reap_frozen_bypass"))
		diag("said: %s", said);
	free(said);

	/* The same with a leading '-' on the order: the rest stays */
	w = (struct wr){ &want, &prev, 1u << SET_ORDER, -1 };
	said = capture(do_write, &w);
	ok(w.ret == 0 && !strncmp(contents(), "300 1 ", 6) &&
	   strstr(said, "vm.oom_reap_order = 0: Permission denied; ignored (leading '-')"),
	   "an optional setting refused: noted, the others written (%s)", contents());
	free(said);

	/* The first write refused: nothing to restore */
	reset_files();
	snprintf(path, sizeof(path), "%s/oom_reap_delay_ms", dir);
	unlink(path);
	if (symlink(ro, path) == 0) {
		sysctl_read(dir, &prev);
		w = (struct wr){ &want, &prev, 0, 0 };
		said = capture(do_write, &w);
		ok(w.ret == -EACCES && !strcmp(contents() + strcspn(contents(), " "), " 0 1") &&
		   !strstr(said, "restored"), "the first write refused: nothing written, nothing to restore");
		free(said);
	}
out:
	for (int i = 0; i < NSETTINGS; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, settings[i].sysctl);
		unlink(path);
	}
	rmdir(dir);
}
