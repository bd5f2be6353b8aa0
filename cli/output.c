// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output: see output.h */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define MAX_DEPTH 8

/*
 * Write s as a JSON string literal (quotes included) to f.  Control
 * characters are escaped, invalid UTF-8 becomes U+FFFD: the result is
 * always valid JSON, whatever bytes a process name holds.
 */
static void json_put_string(FILE *f, const char *s);

static struct out_state {
	FILE *f;
	bool json, pretty;
	int depth;
	bool need_comma[MAX_DEPTH];
} o = { .f = NULL }, pushed;

/* Why a flush of stdout failed first: out_stdout_error() tells it at exit */
static int stdout_errno;

void out_init(FILE *f, bool json, bool pretty)
{
	memset(&o, 0, sizeof(o));
	o.f = f;
	o.json = json;
	o.pretty = json && pretty;
}

void out_push_text(FILE *f)
{
	pushed = o;
	out_init(f, false, false);
}

void out_pop(void)
{
	o = pushed;
}

bool out_json(void)
{
	return o.json;
}

static void indent(void)
{
	if (!o.pretty)
		return;
	fputc('\n', o.f);
	for (int i = 0; i < o.depth; i++)
		fputs("  ", o.f);
}

/* Separator and "key": before a value at the current depth */
static void json_key(const char *key)
{
	if (o.depth > 0 && o.depth <= MAX_DEPTH) {
		if (o.need_comma[o.depth - 1])
			fputc(',', o.f);
		o.need_comma[o.depth - 1] = true;
		indent();
	}
	if (key) {
		json_put_string(o.f, key);
		fputs(o.pretty ? ": " : ":", o.f);
	}
}

static void json_open(const char *key, char c)
{
	json_key(key);
	fputc(c, o.f);
	if (o.depth < MAX_DEPTH)
		o.need_comma[o.depth] = false;
	o.depth++;
}

static void json_close(char c)
{
	bool had = o.depth > 0 && o.depth <= MAX_DEPTH && o.need_comma[o.depth - 1];

	o.depth--;
	if (had)
		indent();
	fputc(c, o.f);
}

void out_begin(void)
{
	if (o.json) {
		o.depth = 0;
		json_open(NULL, '{');
	}
}

int out_end(void)
{
	if (o.json) {
		while (o.depth > 0)	/* callers close what they open */
			json_close('}');
		fputc('\n', o.f);
	}
	if (fflush(o.f) && o.f == stdout && !stdout_errno)
		stdout_errno = errno;
	return ferror(o.f) ? -1 : 0;
}

int out_stdout_error(void)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno)
		return errno;
	return stdout_errno ? stdout_errno : -1;
}

void out_obj_begin(const char *key)
{
	if (o.json)
		json_open(key, '{');
}

void out_obj_end(void)
{
	if (o.json)
		json_close('}');
}

void out_arr_begin(const char *key)
{
	if (o.json)
		json_open(key, '[');
}

void out_arr_end(void)
{
	if (o.json)
		json_close(']');
}

void out_u64(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		json_key(key);
		fprintf(o.f, "%llu", (unsigned long long)v);
	} else if (fmt) {
		fprintf(o.f, fmt, (unsigned long long)v);
	}
}

void out_s64(const char *key, const char *fmt, int64_t v)
{
	if (o.json) {
		json_key(key);
		fprintf(o.f, "%lld", (long long)v);
	} else if (fmt) {
		fprintf(o.f, fmt, (long long)v);
	}
}

void out_str(const char *key, const char *fmt, const char *s)
{
	char small[256], *buf = small;
	/* Room for every byte as \xNN: a cgroup path may be long */
	size_t len = 4 * strlen(s) + 6;

	if (o.json) {
		json_key(key);
		json_put_string(o.f, s);
	} else if (fmt) {
		if (len <= sizeof(small) || !(buf = malloc(len))) {
			buf = small;	/* out of memory: cut, as before */
			len = sizeof(small);
		}
		fprintf(o.f, fmt, text_sanitize(s, true, buf, len));
		if (buf != small)
			free(buf);
	}
}

void out_bool(const char *key, const char *fmt, bool v)
{
	if (o.json) {
		json_key(key);
		fputs(v ? "true" : "false", o.f);
	} else if (fmt) {
		fprintf(o.f, fmt, v ? "on" : "off");
	}
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (o.json)
		return;
	va_start(ap, fmt);
	vfprintf(o.f, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s, 0 if it is not one */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void json_put_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = utf8_len(s);

		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (*s == '\t') {
			fputs("\\t", f);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s);
		} else if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else {
			fwrite(s, 1, n, f);
		}
		s += n ? n : 1;
	}
	fputc('"', f);
}

const char *text_sanitize(const char *str, bool space, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	if (!len)
		return buf;
	for (; *s && i + 5 < len; s++) {
		if (*s >= 0x20 && *s < 0x7f && *s != '\\' && (*s != ' ' || !space))
			buf[i++] = *s;
		else
			i += snprintf(buf + i, len - i, "\\x%02x", *s);
	}
	buf[i] = '\0';
	return buf;
}
