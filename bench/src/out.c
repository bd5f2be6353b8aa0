// SPDX-License-Identifier: GPL-2.0
/* Records on stdout ("@B {json}"), progress on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void add(struct rec *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= sizeof(r->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += n;
}

static void key(struct rec *r, const char *k)
{
	add(r, "%s\"%s\":", r->buf[r->len - 1] == '{' ? "" : ",", k);
}

void rec_begin(struct rec *r, const char *section)
{
	r->len = 0;
	r->buf[0] = '\0';
	add(r, "{");
	rec_str(r, "sec", section);
}

void rec_str(struct rec *r, const char *k, const char *val)
{
	key(r, k);
	add(r, "\"");
	for (; *val; val++) {
		if (*val == '"' || *val == '\\')
			add(r, "\\%c", *val);
		else if ((unsigned char)*val < 0x20)
			add(r, "\\u%04x", *val);
		else
			add(r, "%c", *val);
	}
	add(r, "\"");
}

void rec_int(struct rec *r, const char *k, long long val)
{
	key(r, k);
	add(r, "%lld", val);
}

void rec_num(struct rec *r, const char *k, double val)
{
	key(r, k);
	add(r, "%.3f", val);
}

void rec_ms(struct rec *r, const char *k, int64_t t_us, int64_t base_us)
{
	key(r, k);
	if (t_us < 0 || base_us < 0)
		add(r, "null");
	else
		add(r, "%.3f", (t_us - base_us) / 1000.0);
}

void rec_end(struct rec *r)
{
	add(r, "}");
	printf("@B %s\n", r->buf);
	fflush(stdout);
}

void note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oombench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	struct rec r;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "oombench: FATAL: %s\n", msg);
	rec_begin(&r, "error");
	rec_str(&r, "msg", msg);
	rec_end(&r);
	exit(1);
}
