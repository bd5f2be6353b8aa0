// SPDX-License-Identifier: GPL-2.0
/* Where the running policy lives: see polsrc.h */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "parse.h"
#include "polsrc.h"

const char *const polsrc_names[] = {
	[POLSRC_NETLINK] = "netlink",
	[POLSRC_SYSCTL] = "sysctl",
	[POLSRC_BUILTIN] = "built-in",
};

static void sysctl_path(char *buf, size_t len, const char *dir, const struct setting *s)
{
	snprintf(buf, len, "%s/%s", dir, s->sysctl);
}

int sysctl_read(const char *dir, struct policy *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < NSETTINGS; i++) {
		char path[512], buf[32];
		uint64_t v;
		ssize_t n;
		int fd;

		sysctl_path(path, sizeof(path), dir, &settings[i]);
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

/* One sysctl: 0 or -errno */
static int sysctl_put(const char *dir, const struct setting *s, uint32_t v)
{
	char path[512], buf[16];
	int fd, len, ret = 0;

	sysctl_path(path, sizeof(path), dir, s);
	len = snprintf(buf, sizeof(buf), "%u\n", v);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)len) != len)
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int sysctl_write(const char *dir, const struct policy *want, unsigned int optional,
		 const struct policy *prev, const char *cmd, FILE *errf)
{
	unsigned int written = 0;
	int i, ret = 0;

	for (i = 0; i < NSETTINGS; i++) {
		unsigned int bit = 1u << i;

		if (!(want->have & bit))
			continue;
		errno = 0;
		ret = sysctl_put(dir, &settings[i], want->val[i]);
		if (!ret) {
			written |= bit;
			continue;
		}
		if (optional & bit) {
			fprintf(errf, "oomctl: %s: vm.%s = %u: %s; ignored (leading '-')\n", cmd,
				settings[i].sysctl, want->val[i], strerror(-ret));
			ret = 0;
			continue;
		}
		fprintf(errf, "oomctl: %s: writing vm.%s = %u: %s\n", cmd, settings[i].sysctl,
			want->val[i], strerror(-ret));
		break;
	}
	if (!ret || !written)
		return ret;
	/* Put back what was written, so that a failure changes nothing */
	for (int j = 0; j < i; j++) {
		int err;

		if (!(written & (1u << j)))
			continue;
		err = sysctl_put(dir, &settings[j], prev->val[j]);
		if (err)
			fprintf(errf, "oomctl: %s: could not restore vm.%s to %u: %s: the policy "
				"is now partly changed\n", cmd, settings[j].sysctl, prev->val[j],
				strerror(-err));
		else
			fprintf(errf, "oomctl: %s: restored vm.%s to %u\n", cmd,
				settings[j].sysctl, prev->val[j]);
	}
	return ret;
}

int polsrc_open(struct polsrc *ps, const char *cmd)
{
	struct policy p;
	int ret;

	memset(ps, 0, sizeof(*ps));
	ret = oom_connect(&ps->oom, cmd);
	if (ret == 0) {
		ps->kind = POLSRC_NETLINK;
		return -1;
	}
	if (ret != -ENOENT)
		return EXIT_FAIL;	/* printed */
	ps->dir = SYSCTL_DIR;
	if (sysctl_read(ps->dir, &p) == 0) {
		ps->kind = POLSRC_SYSCTL;
		return -1;
	}
	ps->kind = POLSRC_BUILTIN;
	stock_release(ps->release, sizeof(ps->release));
	return -1;
}

void polsrc_close(struct polsrc *ps)
{
	if (ps->kind == POLSRC_NETLINK)
		oom_disconnect(&ps->oom);
}

int polsrc_get(struct polsrc *ps, struct policy *p, const char *cmd)
{
	struct nl_err e;
	int ret;

	switch (ps->kind) {
	case POLSRC_NETLINK:
		ret = oom_policy_get(&ps->oom, p, &e);
		return ret ? report_nl_error(cmd, ret, &e) : EXIT_OK;
	case POLSRC_SYSCTL:
		ret = sysctl_read(ps->dir, p);
		if (ret) {
			msg("%s: reading the vm.oom_reap_* sysctls in %s: %s", cmd, ps->dir,
			    strerror(-ret));
			return EXIT_FAIL;
		}
		return EXIT_OK;
	case POLSRC_BUILTIN:
		stock_policy(ps->release, p);
		return EXIT_OK;
	}
	return EXIT_FAIL;
}

/* policy-set; a refused optional setting is dropped and the rest sent again */
static int netlink_set(struct polsrc *ps, const struct policy *want, unsigned int optional,
		       struct policy *res, const char *cmd)
{
	struct policy w = *want;
	struct nl_err e;
	int ret, code;

	for (;;) {
		const struct setting *s;

		ret = oom_policy_set(&ps->oom, &w, res, &e);
		if (!ret)
			return EXIT_OK;
		s = e.attr >= 0 ? setting_by_attr(e.attr) : NULL;
		code = e.code ? e.code : -ret;
		if (!s || !(optional & w.have & (1u << (s - settings))) || e.malformed ||
		    code == EPERM || code == EACCES)
			return report_nl_error(cmd, ret, &e);
		msg("%s: the kernel refused %s%s%s: ignored (leading '-')", cmd, s->name,
		    e.from_kernel && e.msg[0] ? ": " : "", e.from_kernel ? e.msg : "");
		w.have &= ~(1u << (s - settings));
		if (!w.have) {
			ret = oom_policy_get(&ps->oom, res, &e);
			return ret ? report_nl_error(cmd, ret, &e) : EXIT_OK;
		}
	}
}

int polsrc_set(struct polsrc *ps, const struct policy *want, unsigned int optional,
	       const struct policy *cur, struct policy *res, const char *cmd)
{
	int ret;

	switch (ps->kind) {
	case POLSRC_NETLINK:
		return netlink_set(ps, want, optional, res, cmd);
	case POLSRC_SYSCTL:
		msg("%s: no oom netlink family (CONFIG_OOM_NETLINK=n): writing the vm.oom_reap_* "
		    "sysctls one by one, not in one atomic update", cmd);
		ret = sysctl_write(ps->dir, want, optional, cur, cmd, stderr);
		if (ret)
			return ret == -EACCES || ret == -EPERM ? EXIT_PERM : EXIT_FAIL;
		return polsrc_get(ps, res, cmd);
	case POLSRC_BUILTIN:
		return stock_explain(cmd);
	}
	return EXIT_FAIL;
}
