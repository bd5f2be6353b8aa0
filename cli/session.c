// SPDX-License-Identifier: GPL-2.0
/* Requests to the oom family, and how their failures are told */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "oomctl.h"

void msg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("oomctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oomctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'oomctl --help'.\n");
	return EXIT_USAGE;
}

int oom_connect(struct oom *o, const char *cmd)
{
	struct nl_err e;
	int ret;

	memset(o, 0, sizeof(*o));
	ret = nl_open(&o->nl);
	if (ret) {
		msg("%s: cannot open a generic netlink socket: %s", cmd, strerror(-ret));
		return ret;
	}
	ret = genl_resolve(&o->nl, OOM_FAMILY_NAME, &o->fi, &e);
	if (ret == -ENOENT) {
		oom_disconnect(o);
		return ret;
	}
	if (ret) {
		report_nl_error(cmd, ret, &e);
		oom_disconnect(o);
	}
	return ret;
}

void oom_disconnect(struct oom *o)
{
	if (o->nl.sk)
		nl_close(&o->nl);
}

/* A do request must bring its reply; an ACK alone is a broken kernel */
static int transact(struct oom *o, struct nlmsghdr *req, nl_reply_cb cb,
		    void *data, unsigned int *have, struct nl_err *e)
{
	int ret = nl_transact(&o->nl, req, cb, data, e);

	if (ret == 0 && !*have)
		return nl_err_bad(e, "the kernel acknowledged without a reply");
	return ret;
}

int oom_policy_get(struct oom *o, struct policy *p, struct nl_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(p, 0, sizeof(*p));
	return transact(o, oom_get_msg(buf, o->fi.id, OOM_CMD_POLICY_GET),
			oom_policy_cb, p, &p->have, e);
}

int oom_policy_set(struct oom *o, const struct policy *want,
		   struct policy *res, struct nl_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(res, 0, sizeof(*res));
	return transact(o, oom_policy_set_msg(buf, o->fi.id, want),
			oom_policy_cb, res, &res->have, e);
}

int oom_stats_get(struct oom *o, struct oom_stats *st, struct nl_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	memset(st, 0, sizeof(*st));
	ret = nl_transact(&o->nl, oom_get_msg(buf, o->fi.id, OOM_CMD_STATS_GET),
			  oom_stats_cb, st, e);
	if (ret == 0 && !st->have && !st->nhist)
		return nl_err_bad(e, "the kernel acknowledged without a reply");
	return ret;
}

int report_nl_error(const char *cmd, int err, const struct nl_err *e)
{
	const struct setting *s = e->attr >= 0 ? setting_by_attr(e->attr) : NULL;
	int code = e->code ? e->code : -err;
	char what[160] = "", range[64] = "";

	if (e->malformed) {
		msg("%s: malformed reply from the kernel: %s", cmd, e->msg);
		return EXIT_FAIL;
	}
	if (s)
		snprintf(what, sizeof(what), " (%s)", s->name);
	else if (e->attr >= 0)
		snprintf(what, sizeof(what), " (attribute %d)", e->attr);
	else if (e->missing >= 0)
		snprintf(what, sizeof(what), " (missing attribute %d)", e->missing);
	if (e->has_range)
		snprintf(range, sizeof(range), ", valid range %lld..%lld%s%s",
			 (long long)e->min, (long long)e->max,
			 s && s->unit ? " " : "", s && s->unit ? s->unit : "");
	if (e->from_kernel && e->msg[0])
		msg("%s: kernel: %s%s%s [%s]", cmd, e->msg, what, range, strerror(code));
	else
		msg("%s: %s%s%s", cmd, strerror(code), what, range);
	if (code == EPERM || code == EACCES) {
		/* genetlink refuses without CAP_NET_ADMIN before the family
		 * runs (GENL_ADMIN_PERM), and says nothing more */
		if (!e->from_kernel)
			msg("%s: changing the OOM reaper policy needs CAP_NET_ADMIN and CAP_SYS_ADMIN",
			    cmd);
		return EXIT_PERM;
	}
	return EXIT_FAIL;
}
