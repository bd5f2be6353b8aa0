// SPDX-License-Identifier: GPL-2.0
/* oomctl apply FILE [--dry-run|--check]: make the policy what a file says */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oomctl.h"
#include "output.h"
#include "policyfile.h"

/* The settings of want that differ from cur */
static struct policy diff(const struct policy *cur, const struct policy *want)
{
	struct policy d = { .have = 0 };

	for (int i = 0; i < NSETTINGS; i++)
		if ((want->have & (1u << i)) && want->val[i] != cur->val[i]) {
			d.val[i] = want->val[i];
			d.have |= 1u << i;
		}
	return d;
}

/* fmt: setting name, running value, file's value */
static void print_changes(const struct policy *cur, const struct policy *d,
			  const char *fmt)
{
	char from[64], to[64];

	out_arr_begin("changes");
	for (int i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (!(d->have & (1u << i)))
			continue;
		s->format(cur->val[i], from, sizeof(from));
		s->format(d->val[i], to, sizeof(to));
		out_text(fmt, s->name, from, to);
		out_obj_begin(NULL);
		out_str("setting", NULL, s->name);
		s->print("from", cur->val[i]);
		s->print("to", d->val[i]);
		out_obj_end();
	}
	out_arr_end();
}

/* The file's delay against the kernel's limit, which only it knows */
static int check_limits(const char *file, const struct policy_file *pf,
			const struct policy *cur)
{
	if ((pf->p.have & (1u << SET_DELAY)) && cur->delay_max_ms &&
	    pf->p.val[SET_DELAY] > cur->delay_max_ms) {
		msg("%s:%u: delay: %u ms is above the kernel's limit of %u ms", file,
		    pf->line[SET_DELAY], pf->p.val[SET_DELAY], cur->delay_max_ms);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_apply(struct opts *o, int argc, char **argv)
{
	const char *file, *mode = o->check ? "check" : o->dry_run ? "dry-run" : "apply";
	struct policy cur, d, res;
	struct policy_file pf;
	struct nl_err e;
	struct oom s;
	char why[128], *buf;
	bool applied;
	size_t len;
	int ret;

	(void)argc;	/* one file: cmdline.c checked */
	if (o->check && o->dry_run)
		return usage_error("apply", "--check and --dry-run do not go together");
	file = argv[1];
	ret = policy_file_read(file, &buf, &len, why, sizeof(why));
	if (ret) {
		msg("apply: %s: %s", file, why);
		return ret == -EFBIG ? EXIT_USAGE : EXIT_FAIL;
	}
	ret = policy_file_parse(strcmp(file, "-") ? file : "<stdin>", buf, len, &pf, stderr);
	free(buf);
	if (ret)
		return EXIT_USAGE;
	if (!pf.p.have) {
		/* An empty file, or one of comments only: nothing to ask the kernel */
		out_begin();
		out_str("file", NULL, file);
		out_str("mode", NULL, mode);
		out_bool("changed", NULL, false);
		out_text("no settings in %s: nothing to do\n", file);
		out_arr_begin("changes");
		out_arr_end();
		return out_end() ? EXIT_FAIL : EXIT_OK;
	}

	ret = oom_connect(&s, "apply");
	if (ret == -ENOENT)
		return stock_explain("apply");
	if (ret)
		return EXIT_FAIL;
	ret = oom_policy_get(&s, &cur, &e);
	if (ret) {
		oom_disconnect(&s);
		return report_nl_error("apply", ret, &e);
	}
	ret = check_limits(file, &pf, &cur);
	if (ret) {
		oom_disconnect(&s);
		return ret;
	}
	d = diff(&cur, &pf.p);
	applied = d.have && !o->check && !o->dry_run;
	if (applied) {
		ret = oom_policy_set(&s, &d, &res, &e);
		if (ret) {
			oom_disconnect(&s);
			return report_nl_error("apply", ret, &e);
		}
	}
	oom_disconnect(&s);

	out_begin();
	out_str("file", NULL, file);
	out_str("mode", NULL, mode);
	out_bool("changed", NULL, applied);
	if (!d.have)
		out_text("no change: the policy already matches %s\n", file);
	print_changes(&cur, &d, o->check ? "%s: running %s, file says %s\n" :
		      o->dry_run ? "%s: %s -> %s (dry run, not applied)\n" :
		      "%s: %s -> %s\n");
	if (applied) {
		out_obj_begin("policy");
		if (out_json())
			policy_print(&res, true);
		out_obj_end();
	}
	if (out_end())
		return EXIT_FAIL;
	return o->check && d.have ? EXIT_DRIFT : EXIT_OK;
}
