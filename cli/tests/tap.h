/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP for the unit tests: "ok N - what" / "not ok N - what" */
#ifndef OOMCTL_TAP_H
#define OOMCTL_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

void ok(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* n results skipped, each "what # SKIP why": why names what is missing */
void skip(int n, const char *what, const char *why);
/* What fn writes to the FILE it is given (free() it) */
char *capture(void (*fn)(FILE *f, void *arg), void *arg);
/* Is s (len bytes) one valid JSON value, surrounded by whitespace only? */
bool json_valid(const char *s, size_t len);

void test_parse(void);
void test_cmdline(void);
void test_policyfile(void);
void test_confdirs(void);
void test_polsrc(void);
void test_sysctld(void);
void test_json(void);
void test_nl(void);
void test_tracefs(void);
void test_stock(void);
void test_monitor(void);
void test_journal(void);
void test_cgpath(void);
void test_prom(void);

#endif
