// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON validator (RFC 8259) for the tests: our output is parsed
 * back, not compared to strings we wrote by hand.
 */
#include <string.h>

#include "tap.h"

struct jp {
	const unsigned char *s, *end;
	int depth;
};

static bool value(struct jp *p);

static void ws(struct jp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static bool lit(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n))
		return false;
	p->s += n;
	return true;
}

static bool digits(struct jp *p)
{
	const unsigned char *start = p->s;

	while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
		p->s++;
	return p->s > start;
}

static bool number(struct jp *p)
{
	if (p->s < p->end && *p->s == '-')
		p->s++;
	if (p->s < p->end && *p->s == '0')
		p->s++;
	else if (!digits(p))
		return false;
	if (p->s < p->end && *p->s == '.') {
		p->s++;
		if (!digits(p))
			return false;
	}
	if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
		p->s++;
		if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
			p->s++;
		if (!digits(p))
			return false;
	}
	return true;
}

static bool string(struct jp *p)
{
	if (p->s >= p->end || *p->s != '"')
		return false;
	for (p->s++; p->s < p->end; ) {
		unsigned char c = *p->s;
		int n = 0;

		if (c == '"') {
			p->s++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++p->s >= p->end)
				return false;
			if (*p->s == 'u') {
				for (int i = 0; i < 4; i++)
					if (++p->s >= p->end || !strchr("0123456789abcdefABCDEF", *p->s) || !*p->s)
						return false;
			} else if (!strchr("\"\\/bfnrt", *p->s) || !*p->s) {
				return false;
			}
			p->s++;
			continue;
		}
		/* UTF-8: lead byte and continuation bytes */
		if (c >= 0x80) {
			if ((c & 0xe0) == 0xc0 && c >= 0xc2)
				n = 1;
			else if ((c & 0xf0) == 0xe0)
				n = 2;
			else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
				n = 3;
			else
				return false;
		}
		p->s++;
		for (int i = 0; i < n; i++, p->s++)
			if (p->s >= p->end || (*p->s & 0xc0) != 0x80)
				return false;
	}
	return false;
}

static bool container(struct jp *p, char open, char close, bool obj)
{
	if (*p->s != open || ++p->depth > 64)
		return false;
	p->s++;
	ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		p->depth--;
		return true;
	}
	for (;;) {
		ws(p);
		if (obj) {
			if (!string(p))
				return false;
			ws(p);
			if (p->s >= p->end || *p->s++ != ':')
				return false;
		}
		if (!value(p))
			return false;
		ws(p);
		if (p->s >= p->end)
			return false;
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s++ != close)
			return false;
		p->depth--;
		return true;
	}
}

static bool value(struct jp *p)
{
	ws(p);
	if (p->s >= p->end)
		return false;
	switch (*p->s) {
	case '{':
		return container(p, '{', '}', true);
	case '[':
		return container(p, '[', ']', false);
	case '"':
		return string(p);
	case 't':
		return lit(p, "true");
	case 'f':
		return lit(p, "false");
	case 'n':
		return lit(p, "null");
	default:
		return number(p);
	}
}

bool json_valid(const char *s, size_t len)
{
	struct jp p = { (const unsigned char *)s, (const unsigned char *)s + len, 0 };

	if (!value(&p))
		return false;
	ws(&p);
	return p.s == p.end;
}
