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

void stock_policy(const char *release, struct policy *p)
{
	unsigned long major = strtoul(release, NULL, 10), minor = 0;
	const char *dot = strchr(release, '.');

	if (dot)
		minor = strtoul(dot + 1, NULL, 10);
	memset(p, 0, sizeof(*p));
	/* OOM_REAPER_DELAY is 2*HZ; frozen victims wait like any other */
	p->val[SET_DELAY] = 2000;
	p->val[SET_FROZEN_BYPASS] = 0;
	/* Since 6.18 the reaper walks the maple tree backwards (mas_for_each_rev) */
	p->val[SET_ORDER] = major > 6 || (major == 6 && minor >= 18) ?
			    OOM_REAP_ORDER_REVERSE : OOM_REAP_ORDER_FORWARD;
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
