// SPDX-License-Identifier: GPL-2.0
/*
 * Stock kernels: what their reaper does, fixed at build time, release by
 * release; and what to tell a user of a kernel without the oom family.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "oomctl.h"
#include "polsrc.h"

/*
 * A kernel release, as uname -r starts: "6.18.44-...", "6.18.0-rc3".  rc
 * is the -rc number of a mainline release candidate (x.y.0-rcN, before
 * x.y), 0 for a release.
 */
struct kver {
	unsigned int major, minor, patch, rc;
};

/*
 * x.y-rcN comes before x.y.  A stable -rc (x.y.z-rcN, z > 0) is the
 * candidate of x.y.z with that release's backports already in: it
 * counts as x.y.z.
 */
static unsigned int kver_rc_rank(const struct kver *v)
{
	return v->patch == 0 && v->rc ? v->rc : ~0u;
}

static int kver_cmp(const struct kver *a, const struct kver *b)
{
	unsigned int ra = kver_rc_rank(a), rb = kver_rc_rank(b);

	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return ra < rb ? -1 : ra > rb;
}

/*
 * Missing numbers are 0: "6.18" is 6.18.0, "7.3-rc1" is 7.3.0-rc1.  What
 * follows the numbers is a distribution's ("-1-amd64", "-generic"), except
 * "-rcN".
 */
static struct kver kver_parse(const char *release)
{
	struct kver v = { 0, 0, 0, 0 };
	char *end;

	v.major = (unsigned int)strtoul(release, &end, 10);
	if (*end == '.') {
		v.minor = (unsigned int)strtoul(end + 1, &end, 10);
		if (*end == '.')
			v.patch = (unsigned int)strtoul(end + 1, &end, 10);
	}
	if (!strncmp(end, "-rc", 3) && end[3] >= '0' && end[3] <= '9')
		v.rc = (unsigned int)strtoul(end + 3, NULL, 10);
	return v;
}

/*
 * A change to a stock kernel's built-in reaper: the value before and
 * after, and the releases that carry it.  since[0] is the mainline
 * release (an -rc if it came in after rc1): every later release has it.
 * The others are stable backports: they count for their own major.minor
 * line only, from that patch release.
 */
struct stock_change {
	enum setting_id set;
	uint32_t before, after;
	struct kver since[5];
	size_t nsince;
};

static const struct stock_change stock_changes[] = {
	/*
	 * e4a38402c36e ("oom_kill.c: futex: delay the OOM reaper to allow
	 * time for proper futex cleanup"): OOM_REAPER_DELAY, 2*HZ, before the
	 * reaper may touch a victim.  Before it, wake_oom_reaper() woke the
	 * reaper at once.  Mainline between v5.18-rc3 and v5.18-rc4 (Linus
	 * merged Andrew's fixes of 2022-04-22; rc4 was tagged 2022-04-24), so
	 * from 5.18-rc4.  Stable backports, all released on 2022-04-27: 5.17.5,
	 * 5.10.113 and 5.4.191 (their release announcements on
	 * stable@vger.kernel.org, "Linux 5.17.5" etc., list it under Nico
	 * Pache), 5.15.36 (in "[PATCH 5.15 000/124] 5.15.36-rc1 review" and in
	 * linux-stable-rc's queue/5.15 of 2022-04-25; that series was released
	 * as 5.15.36 with the others).  Not in 4.19.240, nor in the queues of
	 * 4.19, 4.14 and 4.9 of the same round (linux-stable-rc post-receive
	 * mail of 2022-04-25); no later backport to those lines was found.
	 */
	{ SET_DELAY, 0, 2000,
	  { { 5, 18, 0, 4 }, { 5, 17, 5, 0 }, { 5, 15, 36, 0 }, { 5, 10, 113, 0 },
	    { 5, 4, 191, 0 } }, 5 },
	/*
	 * 5e1953dc71af ("mm/oom_kill: the OOM reaper traverses the VMA maple
	 * tree in reverse order"): __oom_reap_task_mm() walks the maple tree
	 * from the top with mas_for_each_rev().  It came with the mm tree in
	 * the 6.18 merge window (torvalds/linux master pushed on 2025-10-03,
	 * kernel.org post-receive mail), so from 6.18-rc1.  A performance
	 * change without a Cc: stable: no stable backport was found.
	 */
	{ SET_ORDER, OOM_REAP_ORDER_FORWARD, OOM_REAP_ORDER_REVERSE,
	  { { 6, 18, 0, 1 } }, 1 },
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

bool stock_signature_version(const char *sig, char *buf, size_t len)
{
	const char *last = NULL;
	size_t n;

	/* "Ubuntu 5.15.0-91.101-generic 5.15.131": the last word */
	for (const char *p = sig; *p; p++)
		if ((p == sig || p[-1] == ' ') && *p != ' ' && *p != '\n')
			last = p;
	if (!last || last[0] < '0' || last[0] > '9' || !strchr(last, '.'))
		return false;
	n = strcspn(last, " \n");
	if (n >= len)
		return false;
	memcpy(buf, last, n);
	buf[n] = '\0';
	return true;
}

void stock_release(char *buf, size_t len)
{
	struct utsname u;
	char sig[256];
	ssize_t n;
	int fd;

	/*
	 * Ubuntu keeps the base release in uname -r (5.15.0-91-generic) and
	 * says which upstream stable release it carries in
	 * /proc/version_signature; other distributions say nothing.
	 */
	fd = open("/proc/version_signature", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, sig, sizeof(sig) - 1);
		close(fd);
		if (n > 0) {
			sig[n] = '\0';
			if (stock_signature_version(sig, buf, len))
				return;
		}
	}
	uname(&u);
	snprintf(buf, len, "%s", u.release);
}

int stock_explain(const char *cmd)
{
	struct utsname u;
	struct policy p;

	uname(&u);
	msg("%s: the running kernel (Linux %s) has no \"%s\" generic netlink family",
	    cmd, u.release, OOM_FAMILY_NAME);
	if (sysctl_read(SYSCTL_DIR, &p) == 0)
		msg("%s: it has the vm.oom_reap_* sysctls (show, set, reset and apply use "
		    "them) but was built without CONFIG_OOM_NETLINK, which %s needs", cmd, cmd);
	else
		msg("%s: its OOM reaper policy is built in; a kernel with the oomctl patches "
		    "is needed (see oomctl(8))", cmd);
	return EXIT_NOFAMILY;
}
