/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-shot reads and writes of small kernel files.
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_FILEIO_H
#define OOMCTL_FILEIO_H

#include <stddef.h>

/*
 * Write @len bytes of @buf in a single write(2).  Returns 0 when all of it
 * was accepted, the errno of a failed write, or EIO when the kernel took
 * only part of it (proc/sysfs handlers report a partial parse that way).
 */
int file_write(const char *path, const char *buf, size_t len);
int file_write_str(const char *path, const char *str);
/* Read up to @size - 1 bytes with one read(2), NUL-terminated. */
int file_read(const char *path, char *buf, size_t size);

#endif
