/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing of command-line and policy-file values */
#ifndef OOMCTL_PARSE_H
#define OOMCTL_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A DURATION: a decimal number with an optional fraction and unit ms, s,
 * m or h ("250ms", "2s", "1.5s", "2m"); a plain number is milliseconds.
 * Spaces are allowed between number and unit.  The result must be a whole
 * number of milliseconds.  Returns 0, -EINVAL (syntax) or -ERANGE.
 */
int parse_duration_ms(const char *s, uint64_t *ms);
/* A plain decimal number, no sign, no spaces: 0, -EINVAL or -ERANGE */
int parse_u64(const char *s, uint64_t *v);
/* on/off, yes/no, true/false, 1/0: 0 or -EINVAL */
int parse_bool(const char *s, bool *b);
/* Index of s in the NULL-terminated list names, or -1 */
int parse_word(const char *s, const char *const *names);

#endif
