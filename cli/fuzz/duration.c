// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the value parsers of the command line and of policy
 * files (parse.c), through the settings that use them.  A duration that
 * parses must be what libc's strtold() reads in it (an independent
 * oracle: a wrapped product or a misplaced fraction shows), and print
 * back to itself; so must every setting's value.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"
#include "settings.h"

/* What s says in ms, by strtold(): the number, spaces, a unit or none */
static long double oracle_ms(const char *s)
{
	static const struct { const char *unit; long double ms; } units[] = {
		{ "", 1 }, { "ms", 1 }, { "s", 1e3L }, { "m", 6e4L }, { "h", 3.6e6L },
	};
	char *end;
	long double v = strtold(s, &end);

	end += strspn(end, " ");
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit))
			return v * units[i].ms;
	abort();	/* parse_duration_ms() took a unit we do not know */
}

static void check_duration(const char *s)
{
	uint64_t ms, again;
	char back[32];
	int ret = parse_duration_ms(s, &ms);
	long double want;

	if (ret == -EINVAL)
		return;
	want = oracle_ms(s);
	if (ret == -ERANGE) {
		FUZZ_ASSERT(want >= 0x1p64L * (1 - 1e-15L));
		return;
	}
	FUZZ_ASSERT(ret == 0 && fabsl((long double)ms - want) <= 1 + want * 1e-15L);
	snprintf(back, sizeof(back), "%llums", (unsigned long long)ms);
	FUZZ_ASSERT(parse_duration_ms(back, &again) == 0 && again == ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), back[48];
	uint32_t v, v2;
	uint64_t u;
	bool b;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_duration(s);
	if (parse_u64(s, &u) == 0) {
		snprintf(back, sizeof(back), "%llu", (unsigned long long)u);
		FUZZ_ASSERT(!strcmp(back, s + strspn(s, "0")) || (u == 0 && s[0] == '0'));
	}
	(void)parse_bool(s, &b);
	for (int i = 0; i < NSETTINGS; i++) {
		if (settings[i].parse(s, &v))
			continue;
		settings[i].format(v, back, sizeof(back));
		FUZZ_ASSERT(settings[i].parse(back, &v2) == 0 && v2 == v);
	}
	free(s);
	return 0;
}
