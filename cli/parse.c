// SPDX-License-Identifier: GPL-2.0
/* Value parsing: see parse.h */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

int parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (n > (UINT64_MAX - (*s - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return 0;
}

static const struct {
	const char *name;
	uint64_t ms;
} units[] = {
	{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
};

int parse_duration_ms(const char *s, uint64_t *ms)
{
	uint64_t whole = 0, frac = 0, fdiv = 1, mult = 1;
	const char *p = s;
	bool digits = false, huge = false;
	size_t i;

	/* Too many digits is ERANGE only once the rest is known to be valid */
	for (; isdigit((unsigned char)*p); p++, digits = true) {
		uint64_t d = (uint64_t)(*p - '0');

		huge = huge || whole > (UINT64_MAX - d) / 10;
		if (!huge)
			whole = whole * 10 + d;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits = true) {
			if (fdiv >= 1000000000ULL)
				return -EINVAL;	/* more precision than anyone means */
			frac = frac * 10 + (*p - '0');
			fdiv *= 10;
		}
		if (fdiv == 1)
			return -EINVAL;	/* "1." */
	}
	if (!digits)
		return -EINVAL;
	while (*p == ' ')
		p++;
	if (*p) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(p, units[i].name))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -EINVAL;
		mult = units[i].ms;
	}
	if ((frac * mult) % fdiv)
		return -EINVAL;	/* not a whole number of milliseconds */
	if (huge || whole > UINT64_MAX / mult ||
	    whole * mult > UINT64_MAX - frac * mult / fdiv)
		return -ERANGE;
	*ms = whole * mult + frac * mult / fdiv;
	return 0;
}

int parse_word(const char *s, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

int parse_bool(const char *s, bool *b)
{
	static const char *const yes[] = { "on", "yes", "true", "1", NULL };
	static const char *const no[] = { "off", "no", "false", "0", NULL };

	if (parse_word(s, yes) >= 0)
		*b = true;
	else if (parse_word(s, no) >= 0)
		*b = false;
	else
		return -EINVAL;
	return 0;
}
