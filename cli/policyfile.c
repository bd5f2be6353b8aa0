// SPDX-License-Identifier: GPL-2.0
/* Policy files: see policyfile.h */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "policyfile.h"

int policy_file_read(const char *path, char **buf, size_t *len,
		     char *why, size_t whylen)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	size_t n = 0;
	char *b;
	ssize_t r;

	*buf = NULL;
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	/* One byte more than allowed, to see that a file is too big */
	b = malloc(PF_MAX_SIZE + 1);
	if (!b) {
		snprintf(why, whylen, "out of memory");
		if (fd)
			close(fd);
		return -ENOMEM;
	}
	while (n <= PF_MAX_SIZE && (r = read(fd, b + n, PF_MAX_SIZE + 1 - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, whylen, "%s", strerror(errno));
			r = -errno;
			free(b);
			if (fd)
				close(fd);
			return (int)r;
		}
		n += (size_t)r;
	}
	if (fd)
		close(fd);
	if (n > PF_MAX_SIZE) {
		snprintf(why, whylen, "larger than %d bytes: not a policy file", PF_MAX_SIZE);
		free(b);
		return -EFBIG;
	}
	*buf = b;
	*len = n;
	return 0;
}

struct pf_state {
	const char *name;
	FILE *errf;
	int errors;
};

static void pf_error(struct pf_state *st, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pf_error(struct pf_state *st, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	st->errors++;
	if (st->errors > PF_MAX_ERRORS)
		return;
	if (line)
		fprintf(st->errf, "oomctl: %s:%u: ", st->name, line);
	else
		fprintf(st->errf, "oomctl: %s: ", st->name);
	va_start(ap, fmt);
	vfprintf(st->errf, fmt, ap);
	va_end(ap);
	fputc('\n', st->errf);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* KEY = VALUE, comments gone: one setting, an ignored key, or an error */
static void pf_setting(struct pf_state *st, unsigned int no, char *key, char *val,
		       struct policy_file *pf)
{
	const struct setting *s;
	char show[PF_MAX_LINE * 4 + 8];
	bool optional = false, sysctl = false;
	uint32_t v;
	int id, ret;

	/* sysctl.d(5): a failure to set a key that starts with '-' is ignored */
	if (*key == '-') {
		optional = true;
		key = trim(key + 1);
	}
	s = setting_by_name(key);
	if (!s) {
		s = setting_by_sysctl(key);
		sysctl = s != NULL;
	}
	if (!s && optional && *key) {
		/* A setting of a kernel newer than this oomctl, maybe */
		fprintf(st->errf, "oomctl: %s:%u: unknown key '%s' ignored (leading '-')\n",
			st->name, no, text_sanitize(key, false, show, sizeof(show)));
		pf->notes++;
		return;
	}
	if (!s) {
		pf_error(st, no, "unknown key '%s' (keys: %s; or the sysctls %s)",
			 text_sanitize(key, false, show, sizeof(show)), setting_names(),
			 setting_sysctl_names());
		return;
	}
	ret = sysctl ? setting_parse_sysctl(s, val, &v) : s->parse(val, &v);
	if (ret == -ERANGE) {
		pf_error(st, no, "%s: '%s' is out of range%s%s%s", key,
			 text_sanitize(val, false, show, sizeof(show)),
			 sysctl ? " (" : "", sysctl ? s->sysctl_syntax : "", sysctl ? ")" : "");
		return;
	}
	if (ret) {
		pf_error(st, no, "%s: bad value '%s' (expected %s)", key,
			 text_sanitize(val, false, show, sizeof(show)),
			 sysctl ? s->sysctl_syntax : s->syntax);
		return;
	}
	id = (int)(s - settings);
	if (pf->p.have & (1u << id)) {
		/* sysctl.d(5): the last assignment wins */
		fprintf(st->errf, "oomctl: %s:%u: %s set again: this wins over %s:%u\n",
			st->name, no, key, st->name, pf->line[id]);
		pf->notes++;
	}
	pf->p.val[id] = v;
	pf->p.have |= 1u << id;
	pf->line[id] = no;
	if (optional)
		pf->optional |= 1u << id;
	else
		pf->optional &= ~(1u << id);
}

/* One line without its newline; false stops the parse (binary data) */
static bool pf_line(struct pf_state *st, unsigned int no, char *text,
		    struct policy_file *pf)
{
	char *eq, show[PF_MAX_LINE * 4 + 8];
	size_t len = strlen(text);

	if (len && text[len - 1] == '\r')	/* written on Windows */
		text[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 && c != '\t') {
			pf_error(st, no, "control character 0x%02x: not a text file", c);
			return false;
		}
	}
	if (len > PF_MAX_LINE) {
		pf_error(st, no, "line too long (%zu characters, at most %d)", len, PF_MAX_LINE);
		return true;
	}
	text[strcspn(text, "#;")] = '\0';	/* comments */
	text = trim(text);
	if (!*text)
		return true;
	eq = strchr(text, '=');
	if (!eq) {
		pf_error(st, no, "expected KEY = VALUE, got '%s'",
			 text_sanitize(text, false, show, sizeof(show)));
		return true;
	}
	*eq = '\0';
	pf_setting(st, no, trim(text), trim(eq + 1), pf);
	return true;
}

int policy_file_parse(const char *name, const char *buf, size_t len,
		      struct policy_file *pf, FILE *errf)
{
	struct pf_state st = { .name = name, .errf = errf };
	char line[PF_MAX_LINE + 2];
	unsigned int no = 0;
	size_t i = 0;

	memset(pf, 0, sizeof(*pf));
	/* A UTF-8 byte order mark, which some Windows editors write */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		size_t keep = n < sizeof(line) - 1 ? n : sizeof(line) - 1;

		no++;
		/* NUL bytes would cut the line short: catch them here */
		if (memchr(buf + i, '\0', n)) {
			pf_error(&st, no, "NUL byte: not a text file");
			break;
		}
		memcpy(line, buf + i, keep);
		line[keep] = '\0';
		if (n > keep) {
			/* Control characters beyond the cut still mean binary */
			bool ctl = false;

			for (size_t j = keep; j < n && !ctl; j++)
				ctl = (unsigned char)buf[i + j] < 0x20 && buf[i + j] != '\t' &&
				      buf[i + j] != '\r';
			if (ctl) {
				pf_error(&st, no, "control character: not a text file");
				break;
			}
			pf_error(&st, no, "line too long (%zu characters, at most %d)",
				 n, PF_MAX_LINE);
		} else if (!pf_line(&st, no, line, pf)) {
			break;
		}
		i += n + (nl ? 1 : 0);
	}
	if (st.errors > PF_MAX_ERRORS)
		fprintf(errf, "oomctl: %s: %d more errors\n", name, st.errors - PF_MAX_ERRORS);
	return st.errors;
}

void policy_set_init(struct policy_set *m)
{
	memset(m, 0, sizeof(*m));
}

void policy_set_merge(struct policy_set *m, const struct policy_file *pf,
		      const char *name, FILE *errf)
{
	for (int i = 0; i < NSETTINGS; i++) {
		unsigned int bit = 1u << i;

		if (!(pf->p.have & bit))
			continue;
		if (m->p.have & bit)
			fprintf(errf, "oomctl: %s:%u: %s set again: this wins over %s:%u\n",
				name, pf->line[i], settings[i].name, m->src[i].file,
				m->src[i].line);
		m->p.val[i] = pf->p.val[i];
		m->p.have |= bit;
		m->src[i] = (struct policy_src){ name, pf->line[i] };
		m->optional = (m->optional & ~bit) | (pf->optional & bit);
	}
}
