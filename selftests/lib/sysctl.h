/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read and write /proc/sys files.
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_SYSCTL_H
#define OOMCTL_SYSCTL_H

#include "fileio.h"

/* Raw writes, for malformed input too (EIO: only part was parsed). */
static inline int sysctl_write_buf(const char *path, const char *buf,
				   size_t len)
{
	return file_write(path, buf, len);
}

static inline int sysctl_write_str(const char *path, const char *str)
{
	return file_write_str(path, str);
}

int sysctl_write_uint(const char *path, unsigned int val);
int sysctl_read_uint(const char *path, unsigned int *val);

#endif
