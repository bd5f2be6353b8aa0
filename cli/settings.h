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
	uint32_t sysctl_max;	/* the largest value of the sysctl's own syntax */
	const char *sysctl_syntax;	/* what that syntax is, for errors */
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
/*
 * The setting of a sysctl key as sysctl.d(5) writes it:
 * "vm.oom_reap_delay_ms" or "vm/oom_reap_delay_ms"; NULL if it is none
 */
const struct setting *setting_by_sysctl(const char *key);
/*
 * A value in the sysctl's syntax: a decimal number up to s->sysctl_max
 * (0/1 for frozen-bypass, order 0 forward and 1 reverse).  0, -EINVAL or
 * -ERANGE.
 */
int setting_parse_sysctl(const struct setting *s, const char *val, uint32_t *v);
/* "delay, frozen-bypass, order" */
const char *setting_names(void);
/* "vm.oom_reap_delay_ms, vm.oom_reap_frozen_bypass, vm.oom_reap_order" */
const char *setting_sysctl_names(void);

/* The policy as a text table (header unless no_header) or JSON members */
void policy_print(const struct policy *p, bool no_header);

#endif
