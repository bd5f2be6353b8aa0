// SPDX-License-Identifier: GPL-2.0
/* sysctl.d files: see sysctld.h */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdirs.h"
#include "parse.h"
#include "policyfile.h"
#include "sysctld.h"

static char *strip(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void assign(struct sysctld_value *v, const char *val, const char *file,
		   unsigned int line, bool glob)
{
	uint64_t n;
	char *copy = strdup(file);

	if (!copy)
		return;
	free(v->file);
	v->file = copy;
	v->line = line;
	v->glob = glob;
	v->set = true;
	snprintf(v->raw, sizeof(v->raw), "%s", val);
	v->valid = strlen(val) < sizeof(v->raw) && !parse_u64(val, &n) && n <= UINT32_MAX;
	v->val = v->valid ? (uint32_t)n : 0;
}

/* One line of a sysctl.d file (sysctl.d(5): comments are whole lines) */
static void sysctld_line(struct sysctld *sd, char *text, const char *file, unsigned int no)
{
	char *key, *val, *eq;
	bool glob;

	text = strip(text);
	if (!*text || *text == '#' || *text == ';')
		return;
	eq = strchr(text, '=');
	if (!eq)
		return;	/* systemd-sysctl warns and goes on: not ours to judge */
	*eq = '\0';
	key = strip(text);
	val = strip(eq + 1);
	if (*key == '-')
		key = strip(key + 1);
	/* vm/oom_reap_order is vm.oom_reap_order: these names have no dots */
	for (char *p = key; *p; p++)
		if (*p == '/')
			*p = '.';
	glob = strpbrk(key, "*?[") != NULL;
	for (int i = 0; i < NSETTINGS; i++) {
		char name[64];

		snprintf(name, sizeof(name), "vm.%s", settings[i].sysctl);
		if (glob ? fnmatch(key, name, 0) : strcmp(key, name))
			continue;
		/* An assignment by name beats any glob, whatever the order */
		if (glob && sd->v[i].set && !sd->v[i].glob)
			continue;
		assign(&sd->v[i], val, file, no, glob);
	}
}

int sysctld_scan(const char *root, struct sysctld *sd, char *why, size_t whylen)
{
	struct conf_list l;
	int ret;

	memset(sd, 0, sizeof(*sd));
	ret = conf_list(root, &conf_sysctl, &l, why, whylen);
	for (size_t f = 0; f < l.n && !ret; f++) {
		char *buf, *line;
		unsigned int no = 0;
		size_t len;

		ret = policy_file_read(l.files[f].path, &buf, &len, why, whylen);
		if (ret) {
			char what[200];

			snprintf(what, sizeof(what), "%s", why);
			snprintf(why, whylen, "%s: %s", l.files[f].name, what);
			break;
		}
		/* policy_file_read() leaves a byte after the end; a NUL cuts a line */
		buf[len] = '\0';
		for (char *p = buf; p; p = line) {
			line = strchr(p, '\n');
			if (line)
				*line++ = '\0';
			sysctld_line(sd, p, l.files[f].name, ++no);
		}
		free(buf);
	}
	conf_list_free(&l);
	return ret;
}

void sysctld_free(struct sysctld *sd)
{
	for (int i = 0; i < NSETTINGS; i++) {
		free(sd->v[i].file);
		sd->v[i].file = NULL;
	}
}
