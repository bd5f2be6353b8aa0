/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy settings: one table that set, show, reset, apply, --help,
 * the man page's list and the completion's word lists all come from.
 */
#ifndef OOMCTL_SETTINGS_H
#define OOMCTL_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum setting_id { SET_DELAY, SET_FROZEN_BYPASS, SET_ORDER, NSETTINGS };

/* A policy, or part of one: have has bit (1 << id) for each value set */
struct policy {
	uint32_t val[NSETTINGS];
	unsigned int have;
	uint32_t delay_max_ms;	/* the kernel's upper limit; 0 if unknown */
};

struct setting {
	const char *name;	/* key for set and apply files; text label */
	const char *json_key;
	const char *syntax;	/* what the value looks like, for --help */
	const char *help;
	const char *const *words;	/* the values, NULL-terminated; NULL: free */
	const char *unit;	/* shown after the value in text, or NULL */
	uint16_t attr;		/* OOM_A_POLICY_* */
	const char *sysctl;	/* /proc/sys/vm/ file */
	uint32_t def;		/* the kernel's default, for reset */
	/* 0, -EINVAL (not a value) or -ERANGE (out of range) */
	int (*parse)(const char *s, uint32_t *v);
	/* Text form of v into buf ("2000 ms", "on", "reverse") */
	void (*format)(uint32_t v, char *buf, size_t len);
	/* v as a JSON value under key (the output layer; text prints nothing) */
	void (*print)(const char *key, uint32_t v);
};

extern const struct setting settings[NSETTINGS];
extern const char *const order_names[];	/* enum oom_reap_order */

const struct setting *setting_by_name(const char *name);
const struct setting *setting_by_attr(int attr);
/* "delay, frozen-bypass, order" */
const char *setting_names(void);

/* The policy as a text table (header unless no_header) or JSON members */
void policy_print(const struct policy *p, bool no_header);

#endif
