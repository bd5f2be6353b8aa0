// SPDX-License-Identifier: GPL-2.0
/* The table of policy settings: see settings.h */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/oom_netlink.h>

#include "output.h"
#include "parse.h"
#include "settings.h"

const char *const order_names[] = {
	[OOM_REAP_ORDER_FORWARD] = "forward",
	[OOM_REAP_ORDER_REVERSE] = "reverse",
	NULL
};
static const char *const bool_words[] = { "on", "off", NULL };

static int parse_ms(const char *s, uint32_t *v)
{
	uint64_t ms;
	int ret = parse_duration_ms(s, &ms);

	if (ret)
		return ret;
	if (ms > UINT32_MAX)
		return -ERANGE;
	*v = (uint32_t)ms;
	return 0;
}

static void format_ms(uint32_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u ms", v);
}

static void print_u32(const char *key, uint32_t v)
{
	out_u64(key, NULL, v);
}

static int parse_onoff(const char *s, uint32_t *v)
{
	bool b;

	if (parse_bool(s, &b))
		return -EINVAL;
	*v = b;
	return 0;
}

static void format_onoff(uint32_t v, char *buf, size_t len)
{
	if (v > 1)
		snprintf(buf, len, "%u", v);
	else
		snprintf(buf, len, "%s", v ? "on" : "off");
}

static void print_bool(const char *key, uint32_t v)
{
	if (v > 1)
		out_u64(key, NULL, v);	/* a newer kernel's value */
	else
		out_bool(key, NULL, v);
}

static int parse_order(const char *s, uint32_t *v)
{
	int i = parse_word(s, order_names);

	if (i < 0)
		return -EINVAL;
	*v = (uint32_t)i;
	return 0;
}

static void format_order(uint32_t v, char *buf, size_t len)
{
	if (v <= OOM_REAP_ORDER_REVERSE)
		snprintf(buf, len, "%s", order_names[v]);
	else
		snprintf(buf, len, "%u", v);
}

static void print_order(const char *key, uint32_t v)
{
	if (v <= OOM_REAP_ORDER_REVERSE)
		out_str(key, NULL, order_names[v]);
	else
		out_u64(key, NULL, v);
}

const struct setting settings[NSETTINGS] = {
	[SET_DELAY] = {
		.name = "delay", .json_key = "delay_ms", .syntax = "MS|DURATION",
		.help = "how long a victim may exit on its own",
		.unit = "ms", .attr = OOM_A_POLICY_REAP_DELAY_MS,
		.sysctl = "oom_reap_delay_ms", .sysctl_max = UINT32_MAX,
		.sysctl_syntax = "a number of milliseconds",
		.def = OOM_REAP_DELAY_DEFAULT_MS,
		.parse = parse_ms, .format = format_ms, .print = print_u32,
	},
	[SET_FROZEN_BYPASS] = {
		.name = "frozen-bypass", .json_key = "frozen_bypass", .syntax = "on|off",
		.help = "reap victims frozen when killed at once",
		.words = bool_words, .attr = OOM_A_POLICY_FROZEN_BYPASS,
		.sysctl = "oom_reap_frozen_bypass", .sysctl_max = 1, .sysctl_syntax = "0 or 1",
		.def = OOM_FROZEN_BYPASS_DEFAULT,
		.parse = parse_onoff, .format = format_onoff, .print = print_bool,
	},
	[SET_ORDER] = {
		.name = "order", .json_key = "order", .syntax = "forward|reverse",
		.help = "direction of the walk over the victim's memory",
		.words = order_names, .attr = OOM_A_POLICY_REAP_ORDER,
		.sysctl = "oom_reap_order", .sysctl_max = OOM_REAP_ORDER_REVERSE,
		.sysctl_syntax = "0 (forward) or 1 (reverse)",
		.def = OOM_REAP_ORDER_DEFAULT,
		.parse = parse_order, .format = format_order, .print = print_order,
	},
};

const struct setting *setting_by_name(const char *name)
{
	for (int i = 0; i < NSETTINGS; i++)
		if (!strcmp(settings[i].name, name))
			return &settings[i];
	return NULL;
}

const struct setting *setting_by_attr(int attr)
{
	for (int i = 0; i < NSETTINGS; i++)
		if (settings[i].attr == attr)
			return &settings[i];
	return NULL;
}

const struct setting *setting_by_sysctl(const char *key)
{
	/* sysctl.d(5): '/' and '.' both separate; these names have no dots */
	if (strncmp(key, "vm", 2) || (key[2] != '.' && key[2] != '/'))
		return NULL;
	for (int i = 0; i < NSETTINGS; i++)
		if (!strcmp(settings[i].sysctl, key + 3))
			return &settings[i];
	return NULL;
}

int setting_parse_sysctl(const struct setting *s, const char *val, uint32_t *v)
{
	uint64_t n;
	int ret = parse_u64(val, &n);

	if (ret)
		return ret;
	if (n > s->sysctl_max)
		return -ERANGE;
	*v = (uint32_t)n;
	return 0;
}

const char *setting_sysctl_names(void)
{
	static char buf[160];
	size_t n = 0;

	if (!buf[0])
		for (int i = 0; i < NSETTINGS; i++)
			n += snprintf(buf + n, sizeof(buf) - n, "%svm.%s",
				      i ? ", " : "", settings[i].sysctl);
	return buf;
}

const char *setting_names(void)
{
	static char buf[128];
	size_t n = 0;

	if (!buf[0])
		for (int i = 0; i < NSETTINGS; i++)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
				      i ? ", " : "", settings[i].name);
	return buf;
}

void policy_print(const struct policy *p, bool no_header)
{
	char val[64];

	if (!no_header)
		out_text("%-15s %s\n", "SETTING", "VALUE");
	for (int i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (!(p->have & (1u << i)))
			continue;
		s->format(p->val[i], val, sizeof(val));
		if (i == SET_DELAY && p->delay_max_ms)
			out_text("%-15s %s (max %u)\n", s->name, val, p->delay_max_ms);
		else
			out_text("%-15s %s\n", s->name, val);
		s->print(s->json_key, p->val[i]);
	}
	if (p->delay_max_ms)
		out_u64("delay_max_ms", NULL, p->delay_max_ms);
}
