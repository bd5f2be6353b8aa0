// SPDX-License-Identifier: GPL-2.0
/*
 * Kernels without the oom family: what their reaper does, fixed at build
 * time, and the vm.oom_reap_* sysctls of a patched kernel built without
 * CONFIG_OOM_NETLINK.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "oomctl.h"
#include "parse.h"

/* A kernel release, as uname -r starts: "6.18.44-..." */
struct kver {
	unsigned int major, minor, patch;
};

static int kver_cmp(const struct kver *a, const struct kver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	return a->patch < b->patch ? -1 : a->patch > b->patch;
}

/* Missing numbers are 0: "6.18" is 6.18.0, "7.3-rc1" is 7.3.0 */
static struct kver kver_parse(const char *release)
{
	struct kver v = { 0, 0, 0 };
	char *end;

	v.major = (unsigned int)strtoul(release, &end, 10);
	if (*end == '.') {
		v.minor = (unsigned int)strtoul(end + 1, &end, 10);
		if (*end == '.')
			v.patch = (unsigned int)strtoul(end + 1, &end, 10);
	}
	return v;
}

/*
 * A change to a stock kernel's built-in reaper: the value before and
 * after, and the releases that carry it.  since[0] is the mainline
 * release: every later release has it.  The others are stable backports:
 * they count for their own major.minor line only, from that patch release.
 */
struct stock_change {
	enum setting_id set;
	uint32_t before, after;
	struct kver since[4];
	size_t nsince;
};

static const struct stock_change stock_changes[] = {
	/*
	 * e4a38402c36e ("oom_kill.c: futex: delay the OOM reaper to allow
	 * time for proper futex cleanup"): OOM_REAPER_DELAY, 2*HZ, before the
	 * reaper may touch a victim.  Before it, wake_oom_reaper() woke the
	 * reaper at once.  Mainline in v5.18 (merged for 5.18-rc4); stable
	 * backports in 5.17.5, 5.15.36 and 5.10.113 (the stable release
	 * announcements of 2022-04-27 list it).  No older line is known to
	 * carry it.
	 */
	{ SET_DELAY, 0, 2000,
	  { { 5, 18, 0 }, { 5, 17, 5 }, { 5, 15, 36 }, { 5, 10, 113 } }, 4 },
	/* Since 6.18 the reaper walks the maple tree backwards (mas_for_each_rev) */
	{ SET_ORDER, OOM_REAP_ORDER_FORWARD, OOM_REAP_ORDER_REVERSE,
	  { { 6, 18, 0 } }, 1 },
};

static bool stock_has(const struct stock_change *c, const struct kver *v)
{
	if (kver_cmp(v, &c->since[0]) >= 0)
		return true;
	for (size_t i = 1; i < c->nsince; i++)
		if (v->major == c->since[i].major && v->minor == c->since[i].minor)
			return v->patch >= c->since[i].patch;
	return false;
}

void stock_policy(const char *release, struct policy *p)
{
	struct kver v = kver_parse(release);

	memset(p, 0, sizeof(*p));
	/* Frozen victims wait like any other: no stock kernel bypasses */
	p->val[SET_FROZEN_BYPASS] = 0;
	for (size_t i = 0; i < sizeof(stock_changes) / sizeof(stock_changes[0]); i++) {
		const struct stock_change *c = &stock_changes[i];

		p->val[c->set] = stock_has(c, &v) ? c->after : c->before;
	}
	p->have = (1u << NSETTINGS) - 1;
}

int sysctl_policy(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < NSETTINGS; i++) {
		char path[96], buf[32];
		uint64_t v;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "/proc/sys/vm/%s", settings[i].sysctl);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return n < 0 ? -errno : -EINVAL;
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (parse_u64(buf, &v) || v > UINT32_MAX)
			return -EINVAL;
		p->val[i] = (uint32_t)v;
		p->have |= 1u << i;
	}
	return 0;
}

int stock_explain(const char *cmd)
{
	struct utsname u;
	struct policy p;

	uname(&u);
	msg("%s: the running kernel (Linux %s) has no \"%s\" generic netlink family",
	    cmd, u.release, OOM_FAMILY_NAME);
	if (sysctl_policy(&p) == 0) {
		msg("%s: it has the vm.oom_reap_* sysctls but was built without "
		    "CONFIG_OOM_NETLINK: use sysctl(8), e.g. sysctl -w vm.%s=250",
		    cmd, settings[SET_DELAY].sysctl);
	} else {
		msg("%s: its OOM reaper policy is built in and cannot be changed; "
		    "a kernel with the oomctl patches and CONFIG_OOM_NETLINK=y is needed "
		    "(see oomctl(8))", cmd);
	}
	return EXIT_NOFAMILY;
}
