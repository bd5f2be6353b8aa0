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

/* One line without its newline; false stops the parse (binary data) */
static bool pf_line(struct pf_state *st, unsigned int no, char *text,
		    struct policy_file *pf)
{
	const struct setting *s;
	char *key, *val, *eq, show[PF_MAX_LINE * 4 + 8];
	size_t len = strlen(text);
	uint32_t v;
	int id, ret;

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
	key = trim(text);
	val = trim(eq + 1);
	s = setting_by_name(key);
	if (!s) {
		pf_error(st, no, "unknown key '%s' (keys: %s)",
			 text_sanitize(key, false, show, sizeof(show)), setting_names());
		return true;
	}
	id = (int)(s - settings);
	if (pf->p.have & (1u << id)) {
		pf_error(st, no, "duplicate key '%s' (first on line %u)", key, pf->line[id]);
		return true;
	}
	ret = s->parse(val, &v);
	if (ret == -ERANGE) {
		pf_error(st, no, "%s: '%s' is out of range", key,
			 text_sanitize(val, false, show, sizeof(show)));
		return true;
	}
	if (ret) {
		pf_error(st, no, "%s: bad value '%s' (expected %s)", key,
			 text_sanitize(val, false, show, sizeof(show)), s->syntax);
		return true;
	}
	pf->p.val[id] = v;
	pf->p.have |= 1u << id;
	pf->line[id] = no;
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
	if (!st.errors && !pf->p.have)
		pf_error(&st, 0, "no settings (expected KEY = VALUE lines; keys: %s)",
			 setting_names());
	return st.errors;
}
