// SPDX-License-Identifier: GPL-2.0
/* oomctl show, set, reset: read and change the policy */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "oomctl.h"
#include "output.h"

/* The policy as show prints it; source says where it came from */
static int print_policy(const struct opts *o, const struct policy *p,
			const char *source)
{
	out_begin();
	policy_print(p, o->no_header);
	out_str("source", NULL, source);
	return out_end() ? EXIT_FAIL : EXIT_OK;
}

/* show on a kernel without the family: what it does, then exit 3 */
static int show_stock(const struct opts *o)
{
	struct utsname u;
	struct policy p;
	const char *source = "sysctl";

	if (sysctl_policy(&p)) {
		uname(&u);
		stock_policy(u.release, &p);
		source = "built-in";
	}
	print_policy(o, &p, source);
	return stock_explain("show");
}

int cmd_show(struct opts *o, int argc, char **argv)
{
	struct policy p;
	struct nl_err e;
	struct oom s;
	int ret;

	(void)argc, (void)argv;	/* none: cmdline.c checked */
	ret = oom_connect(&s, "show");
	if (ret == -ENOENT)
		return show_stock(o);
	if (ret)
		return EXIT_FAIL;
	ret = oom_policy_get(&s, &p, &e);
	oom_disconnect(&s);
	if (ret)
		return report_nl_error("show", ret, &e);
	return print_policy(o, &p, "netlink");
}

/* Send want in one policy-set and print the result */
static int apply_settings(const struct opts *o, const char *cmd,
			  const struct policy *want)
{
	struct policy res;
	struct nl_err e;
	struct oom s;
	int ret;

	ret = oom_connect(&s, cmd);
	if (ret == -ENOENT)
		return stock_explain(cmd);
	if (ret)
		return EXIT_FAIL;
	ret = oom_policy_set(&s, want, &res, &e);
	oom_disconnect(&s);
	if (ret)
		return report_nl_error(cmd, ret, &e);
	return print_policy(o, &res, "netlink");
}

int cmd_set(struct opts *o, int argc, char **argv)
{
	struct policy want = { .have = 0 };

	for (int i = 1; i < argc; i += 2) {
		const struct setting *s = setting_by_name(argv[i]);
		int id, ret;

		if (!s)
			return usage_error("set", "unknown setting '%s' (settings: %s)",
					   argv[i], setting_names());
		id = (int)(s - settings);
		if (i + 1 >= argc)
			return usage_error("set", "%s needs a value (%s)", s->name, s->syntax);
		if (want.have & (1u << id))
			return usage_error("set", "%s given twice", s->name);
		ret = s->parse(argv[i + 1], &want.val[id]);
		if (ret == -ERANGE)
			return usage_error("set", "%s: '%s' is out of range", s->name, argv[i + 1]);
		if (ret)
			return usage_error("set", "%s: bad value '%s' (expected %s)",
					   s->name, argv[i + 1], s->syntax);
		want.have |= 1u << id;
	}
	return apply_settings(o, "set", &want);
}

int cmd_reset(struct opts *o, int argc, char **argv)
{
	struct policy want = { .have = (1u << NSETTINGS) - 1 };

	(void)argc, (void)argv;	/* none: cmdline.c checked */
	for (int i = 0; i < NSETTINGS; i++)
		want.val[i] = settings[i].def;
	return apply_settings(o, "reset", &want);
}
