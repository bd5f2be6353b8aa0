/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printing layer for text and JSON, in the spirit of iproute2's
 * json_print: every out_*() call names a JSON key and a text format; in
 * JSON mode the key is used, in text mode the format (NULL prints nothing).
 */
#ifndef OOMCTL_OUTPUT_H
#define OOMCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void out_init(FILE *f, bool json, bool pretty);
bool out_json(void);

/* A record: one top-level JSON object, ended by a newline and a flush */
void out_begin(void);
int out_end(void);		/* -1 if the stream has a write error */

void out_obj_begin(const char *key);	/* key NULL inside an array */
void out_obj_end(void);
void out_arr_begin(const char *key);
void out_arr_end(void);

void out_u64(const char *key, const char *fmt, uint64_t v);
void out_s64(const char *key, const char *fmt, int64_t v);
void out_str(const char *key, const char *fmt, const char *s);
void out_bool(const char *key, const char *fmt, bool v);
/*
 * At exit: flush stdout and say whether everything written reached it.
 * 0, the errno of the write that failed, or -1 if it is not known (the
 * error flag is sticky, errno is not).
 */
int out_stdout_error(void);

/* Text mode only */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print text to f until out_pop(), whatever the output is: a text line
 * made for another place (the journal's MESSAGE).  One level deep.
 */
void out_push_text(FILE *f);
void out_pop(void);

/*
 * s made safe for a terminal: non-printable bytes and backslashes as \xNN,
 * spaces too if space (a value in a key=value line).  Returns buf.
 */
const char *text_sanitize(const char *s, bool space, char *buf, size_t len);

#endif
