// SPDX-License-Identifier: GPL-2.0
/* oomctl show, set, reset: read and change the policy */
#include <errno.h>
#include <string.h>

#include "oomctl.h"
#include "output.h"
#include "polsrc.h"

/* The policy as show prints it; source says where it came from */
static int print_policy(const struct opts *o, const struct policy *p,
			const char *source)
{
	out_begin();
	policy_print(p, o->no_header);
	out_str("source", NULL, source);
	return out_end() ? EXIT_FAIL : EXIT_OK;
}

int cmd_show(struct opts *o, int argc, char **argv)
{
	struct polsrc ps;
	struct policy p;
	int ret;

	(void)argc, (void)argv;	/* none: cmdline.c checked */
	ret = polsrc_open(&ps, "show");
	if (ret != -1)
		return ret;
	ret = polsrc_get(&ps, &p, "show");
	polsrc_close(&ps);
	if (ret)
		return ret;
	if (ps.kind == POLSRC_BUILTIN)
		msg("show: Linux %s has neither the \"%s\" netlink family nor the "
		    "vm.oom_reap_* sysctls: its reaper's built-in policy, as its release "
		    "tells (oomctl(8), STOCK KERNELS)", ps.release, OOM_FAMILY_NAME);
	return print_policy(o, &p, polsrc_names[ps.kind]);
}

/* Make want the policy and print the result */
static int apply_settings(const struct opts *o, const char *cmd,
			  const struct policy *want)
{
	struct policy cur, res;
	struct polsrc ps;
	int ret;

	ret = polsrc_open(&ps, cmd);
	if (ret != -1)
		return ret;
	/* The sysctls are written one by one: the values to go back to */
	ret = ps.kind == POLSRC_SYSCTL ? polsrc_get(&ps, &cur, cmd) : EXIT_OK;
	if (!ret)
		ret = polsrc_set(&ps, want, 0, &cur, &res, cmd);
	polsrc_close(&ps);
	if (ret)
		return ret;
	return print_policy(o, &res, polsrc_names[ps.kind]);
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
