// SPDX-License-Identifier: GPL-2.0
/* Values: durations, numbers, on/off, event lists, the settings table */
#include <errno.h>
#include <string.h>

#include "event.h"
#include "parse.h"
#include "settings.h"
#include "tap.h"

static void duration(const char *s, int want_ret, uint64_t want_ms)
{
	uint64_t ms = 12345;
	int ret = parse_duration_ms(s, &ms);

	if (want_ret)
		ok(ret == want_ret, "duration '%s' rejected with %s (got %d)", s,
		   want_ret == -ERANGE ? "ERANGE" : "EINVAL", ret);
	else
		ok(ret == 0 && ms == want_ms, "duration '%s' = %llu ms (got %d, %llu)", s,
		   (unsigned long long)want_ms, ret, (unsigned long long)ms);
}

static void setting(const char *name, const char *val, int want_ret, uint32_t want)
{
	const struct setting *s = setting_by_name(name);
	uint32_t v = 777;
	int ret = s ? s->parse(val, &v) : -100;

	if (want_ret)
		ok(ret == want_ret, "set %s '%s' rejected (%d)", name, val, ret);
	else
		ok(ret == 0 && v == want, "set %s '%s' = %u (got %d, %u)", name, val, want, ret, v);
}

void test_parse(void)
{
	uint64_t v;
	bool b;
	unsigned int c;
	char buf[32];

	duration("250ms", 0, 250);
	duration("2s", 0, 2000);
	duration("1500", 0, 1500);
	duration("0", 0, 0);
	duration("1.5s", 0, 1500);
	duration("0.25s", 0, 250);
	duration("2m", 0, 120000);
	duration("1h", 0, 3600000);
	duration("250 ms", 0, 250);
	duration("10000", 0, 10000);
	duration("", -EINVAL, 0);
	duration("ms", -EINVAL, 0);
	duration("-5", -EINVAL, 0);
	duration("+5", -EINVAL, 0);
	duration("5x", -EINVAL, 0);
	duration("5 s s", -EINVAL, 0);
	duration("1.5ms", -EINVAL, 0);		/* not whole milliseconds */
	duration("1.0001s", -EINVAL, 0);
	duration("1.", -EINVAL, 0);
	duration(".5s", 0, 500);
	duration("0x10", -EINVAL, 0);
	duration("5S", -EINVAL, 0);
	duration("99999999999999999999", -ERANGE, 0);
	duration("18446744073709551615h", -ERANGE, 0);
	duration("18446744073709551615", 0, UINT64_MAX);
	duration("18446744073709551616", -ERANGE, 0);
	/* Found by fuzz/duration: a bad value whose digits overflow is bad, not out of range */
	duration("1000000000000000000000000000m00m", -EINVAL, 0);
	duration("99999999999999999999 xyz", -EINVAL, 0);
	duration("99999999999999999999.5.5s", -EINVAL, 0);

	ok(parse_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX, "u64 max parses");
	ok(parse_u64("18446744073709551616", &v) == -ERANGE, "u64 max + 1 is ERANGE");
	ok(parse_u64("", &v) == -EINVAL && parse_u64("1 ", &v) == -EINVAL &&
	   parse_u64("-1", &v) == -EINVAL, "u64: empty, trailing space, sign rejected");

	ok(parse_bool("on", &b) == 0 && b && parse_bool("off", &b) == 0 && !b &&
	   parse_bool("1", &b) == 0 && b && parse_bool("no", &b) == 0 && !b,
	   "on/off/1/no parse as booleans");
	ok(parse_bool("On", &b) && parse_bool("", &b) && parse_bool("2", &b),
	   "On, empty and 2 are not booleans");

	setting("delay", "250ms", 0, 250);
	setting("delay", "4294967295", 0, UINT32_MAX);
	setting("delay", "4294967296", -ERANGE, 0);
	setting("delay", "fast", -EINVAL, 0);
	setting("frozen-bypass", "on", 0, 1);
	setting("frozen-bypass", "off", 0, 0);
	setting("frozen-bypass", "maybe", -EINVAL, 0);
	setting("order", "forward", 0, 0);
	setting("order", "reverse", 0, 1);
	setting("order", "sideways", -EINVAL, 0);
	ok(setting_by_name("delay_ms") == NULL && setting_by_name("") == NULL,
	   "no setting by JSON key or empty name");
	settings[SET_DELAY].format(2000, buf, sizeof(buf));
	ok(!strcmp(buf, "2000 ms"), "delay prints as '2000 ms' (%s)", buf);
	settings[SET_ORDER].format(7, buf, sizeof(buf));
	ok(!strcmp(buf, "7"), "an order value from a newer kernel prints as its number");
	ok(!strcmp(setting_names(), "delay, frozen-bypass, order"), "setting names list");
	for (int i = 0; i < NSETTINGS; i++) {
		uint32_t d;

		settings[i].format(settings[i].def, buf, sizeof(buf));
		if (i == SET_DELAY)
			strcpy(buf, "2000");
		ok(settings[i].parse(buf, &d) == 0 && d == settings[i].def,
		   "%s: default prints as a value it parses back (%s)", settings[i].name, buf);
	}

	ok(event_parse_classes("victim,reap", &c) == 0 && c == (EVC_VICTIM | EVC_REAP),
	   "--events victim,reap");
	ok(event_parse_classes("all", &c) == 0 && c == EVC_ALL, "--events all");
	ok(event_parse_classes("policy", &c) == 0 && c == EVC_POLICY, "--events policy");
	ok(event_parse_classes("", &c) && event_parse_classes("victim,", &c) &&
	   event_parse_classes(",reap", &c) && event_parse_classes("victims", &c) &&
	   event_parse_classes("victim,,reap", &c),
	   "--events: empty, trailing comma, leading comma, typo, double comma rejected");
}
