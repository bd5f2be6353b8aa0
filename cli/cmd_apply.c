// SPDX-License-Identifier: GPL-2.0
/*
 * oomctl apply [FILE...] [--dry-run|--check] [--root DIR]: make the policy
 * what the policy files say.  Without FILE, the configuration directories
 * (confdirs.c: /etc/oomctl.conf and the oomctl.d directories); else the
 * FILEs in their order, "-" being standard input.  Every file is read and
 * checked before the kernel is asked anything, and what they set together
 * is one change: one policy-set, or with the sysctls one series of writes
 * undone on a failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "confdirs.h"
#include "oomctl.h"
#include "output.h"
#include "policyfile.h"
#include "polsrc.h"
#include "sysctld.h"

struct input {
	const char *name;	/* in messages: as the system names it, or <stdin> */
	const char *path;	/* to read */
	struct policy_file pf;
};

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

/*
 * The changes: fmt has the setting name, running value, new value, then
 * the file and line it comes from.
 */
static void print_changes(const struct policy *cur, const struct policy *d,
			  const struct policy_set *m, const char *fmt)
{
	char from[64], to[64];

	out_arr_begin("changes");
	for (int i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (!(d->have & (1u << i)))
			continue;
		s->format(cur->val[i], from, sizeof(from));
		s->format(d->val[i], to, sizeof(to));
		out_text(fmt, s->name, from, to, m->src[i].file, m->src[i].line);
		out_obj_begin(NULL);
		out_str("setting", NULL, s->name);
		s->print("from", cur->val[i]);
		s->print("to", d->val[i]);
		out_str("file", NULL, m->src[i].file);
		out_u64("line", NULL, m->src[i].line);
		out_obj_end();
	}
	out_arr_end();
}

/*
 * What the kernel cannot take: a setting it lacks, a delay above its
 * limit.  A setting with a leading '-' is dropped from m with a note; any
 * other is an error.  EXIT_OK or the exit code.
 */
static int check_kernel(struct policy_set *m, const struct policy *cur)
{
	int ret = EXIT_OK;

	for (int i = 0; i < NSETTINGS; i++) {
		unsigned int bit = 1u << i;
		const struct policy_src *src = &m->src[i];
		char why[128] = "";
		int code = EXIT_OK;

		if (!(m->p.have & bit))
			continue;
		if (!(cur->have & bit)) {
			snprintf(why, sizeof(why), "the running kernel has no %s setting",
				 settings[i].name);
			code = EXIT_NOFAMILY;
		} else if (i == SET_DELAY && cur->delay_max_ms &&
			   m->p.val[i] > cur->delay_max_ms) {
			snprintf(why, sizeof(why), "delay: %u ms is above the kernel's limit of %u ms",
				 m->p.val[i], cur->delay_max_ms);
			code = EXIT_USAGE;
		}
		if (!code)
			continue;
		if (m->optional & bit) {
			msg("%s:%u: %s; ignored (leading '-')", src->file, src->line, why);
			m->p.have &= ~bit;
			continue;
		}
		msg("%s:%u: %s", src->file, src->line, why);
		if (!ret)
			ret = code;
	}
	return ret;
}

/*
 * sysctl.d files that set a sysctl of the policy to another value: two
 * owners.  systemd-sysctl.service sets theirs at boot, oomctl-apply.service
 * ours after it, and then anything that runs sysctl --system theirs again.
 */
static void print_conflicts(const struct policy_set *m, const char *root)
{
	struct sysctld sd;
	char why[256], raw[256], mine[64];
	int ret = sysctld_scan(root, &sd, why, sizeof(why));

	if (ret)
		msg("apply: the sysctl.d files were not checked for vm.oom_reap_*: %s", why);
	out_arr_begin("conflicts");
	for (int i = 0; i < NSETTINGS && !ret; i++) {
		const struct sysctld_value *v = &sd.v[i];
		const struct setting *s = &settings[i];

		if (!(m->p.have & (1u << i)) || !v->set || (v->valid && v->val == m->p.val[i]))
			continue;
		text_sanitize(v->raw, false, raw, sizeof(raw));
		s->format(m->p.val[i], mine, sizeof(mine));
		msg("apply: warning: %s:%u sets vm.%s = %s, %s:%u sets it to %u (%s): two owners "
		    "of one setting.  At boot oomctl-apply.service runs after "
		    "systemd-sysctl.service and %u wins, until something runs sysctl --system "
		    "or restarts systemd-sysctl.service and sets %s again; keep one of the two",
		    v->file, v->line, s->sysctl, raw, m->src[i].file, m->src[i].line,
		    m->p.val[i], mine, m->p.val[i], raw);
		out_obj_begin(NULL);
		out_str("setting", NULL, s->name);
		out_str("sysctl_file", NULL, v->file);
		out_u64("sysctl_line", NULL, v->line);
		out_str("sysctl_value", NULL, v->raw);
		out_str("file", NULL, m->src[i].file);
		out_u64("line", NULL, m->src[i].line);
		s->print("value", m->p.val[i]);
		out_obj_end();
	}
	out_arr_end();
	sysctld_free(&sd);
}

/* The inputs: FILE arguments, or the configuration directories */
static int list_inputs(const struct opts *o, int argc, char **argv, struct conf_list *l,
		       struct input *in, size_t *n)
{
	char why[256];
	struct stat st;
	int ret, stdin_seen = 0;

	*n = 0;
	if (argc > 1) {
		if (o->root)
			return usage_error("apply", "--root goes with the configuration "
					   "directories, not with FILE arguments");
		if (argc - 1 > CONF_MAX_FILES)
			return usage_error("apply", "at most %d files", CONF_MAX_FILES);
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "-") && stdin_seen++)
				return usage_error("apply", "standard input ('-') given twice");
			in[*n].path = argv[i];
			in[(*n)++].name = strcmp(argv[i], "-") ? argv[i] : "<stdin>";
		}
		return -1;
	}
	/* A mistyped image path is no image without policy files */
	if (o->root && stat(o->root, &st))
		return usage_error("apply", "--root %s: %s", o->root, strerror(errno));
	if (o->root && !S_ISDIR(st.st_mode))
		return usage_error("apply", "--root %s: not a directory", o->root);
	ret = conf_list(o->root, &conf_oomctl, l, why, sizeof(why));
	if (ret) {
		msg("apply: %s", why);
		return ret == -EINVAL || ret == -E2BIG ? EXIT_USAGE : EXIT_FAIL;
	}
	for (size_t i = 0; i < l->n; i++) {
		in[*n].path = l->files[i].path;
		in[(*n)++].name = l->files[i].name;
	}
	return -1;
}

/* Read and parse every input, merge them into m: -1, or the exit code */
static int read_inputs(struct input *in, size_t n, struct policy_set *m)
{
	int errors = 0, ret = -1;

	policy_set_init(m);
	for (size_t i = 0; i < n; i++) {
		char why[128], *buf;
		size_t len;
		int r = policy_file_read(in[i].path, &buf, &len, why, sizeof(why));

		if (r) {
			msg("apply: %s: %s", in[i].name, why);
			if (r != -EFBIG)
				ret = EXIT_FAIL;
			errors++;
			continue;
		}
		errors += policy_file_parse(in[i].name, buf, len, &in[i].pf, stderr);
		free(buf);
	}
	if (errors) {
		msg("apply: errors in the policy files: nothing changed");
		return ret == -1 ? EXIT_USAGE : ret;
	}
	for (size_t i = 0; i < n; i++)
		policy_set_merge(m, &in[i].pf, in[i].name, stderr);
	return -1;
}

int cmd_apply(struct opts *o, int argc, char **argv)
{
	const char *mode = o->check ? "check" : o->dry_run ? "dry-run" : "apply";
	struct policy cur = { .have = 0 }, d = { .have = 0 }, res;
	struct input *in = calloc(CONF_MAX_FILES + 1, sizeof(*in));
	struct conf_list l = { NULL, 0 };
	struct policy_set m;
	struct polsrc ps = { .kind = POLSRC_BUILTIN };
	bool applied = false, opened = false;
	char what[64];
	size_t n = 0;
	int ret;

	if (!in)
		return EXIT_FAIL;
	if (o->check && o->dry_run) {
		ret = usage_error("apply", "--check and --dry-run do not go together");
		goto out;
	}
	ret = list_inputs(o, argc, argv, &l, in, &n);
	if (ret == -1)
		ret = read_inputs(in, n, &m);
	if (ret != -1)
		goto out;
	if (m.p.have) {
		ret = polsrc_open(&ps, "apply");
		if (ret != -1)
			goto out;
		opened = true;
		ret = polsrc_get(&ps, &cur, "apply");
		if (!ret)
			ret = check_kernel(&m, &cur);
		if (ret)
			goto out;
		d = diff(&cur, &m.p);
	}
	applied = d.have && !o->check && !o->dry_run && ps.kind != POLSRC_BUILTIN;
	if (applied) {
		ret = polsrc_set(&ps, &d, m.optional, &cur, &res, "apply");
		if (ret)
			goto out;
		/* What a leading '-' let the kernel refuse did not change */
		for (int i = 0; i < NSETTINGS; i++)
			if ((d.have & (1u << i)) && res.val[i] != d.val[i])
				d.have &= ~(1u << i);
		applied = d.have != 0;
	}

	out_begin();
	if (argc == 2)
		out_str("file", NULL, argv[1]);
	out_arr_begin("files");
	for (size_t i = 0; i < n; i++)
		out_str(NULL, NULL, in[i].name);
	out_arr_end();
	out_str("mode", NULL, mode);
	if (m.p.have)
		out_str("source", NULL, polsrc_names[ps.kind]);
	out_bool("changed", NULL, applied);
	snprintf(what, sizeof(what), "%s", argc == 2 ? in[0].name : "the policy files");
	if (!n)
		out_text("no policy files (/etc/oomctl.conf, oomctl.d/*.conf in /etc, /run, "
			 "/usr/local/lib, /usr/lib): nothing to do\n");
	else if (!m.p.have)
		out_text("no settings in %s: nothing to do\n", what);
	else if (!d.have)
		out_text("no change: the policy already matches %s\n", what);
	print_changes(&cur, &d, &m, o->check || ps.kind == POLSRC_BUILTIN ?
		      "%s: running %s, file says %s (%s:%u)\n" :
		      o->dry_run ? "%s: %s -> %s (dry run, not applied; %s:%u)\n" :
		      "%s: %s -> %s (%s:%u)\n");
	if (m.p.have)
		print_conflicts(&m, o->root);
	if (applied) {
		out_obj_begin("policy");
		if (out_json())
			policy_print(&res, true);
		out_obj_end();
	}
	ret = out_end() ? EXIT_FAIL : EXIT_OK;
	if (!ret && d.have && ps.kind == POLSRC_BUILTIN)
		ret = stock_explain("apply");
	else if (!ret && o->check && d.have)
		ret = EXIT_DRIFT;
out:
	if (opened)
		polsrc_close(&ps);
	conf_list_free(&l);
	free(in);
	return ret;
}
