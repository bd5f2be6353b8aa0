/* SPDX-License-Identifier: GPL-2.0 */
/* Read and write /proc/sys files; every helper returns 0 or an errno. */
#ifndef OOMCTL_SYSCTL_H
#define OOMCTL_SYSCTL_H

/*
 * Write @len bytes of @buf in a single write(2).  Returns 0 when the whole
 * buffer was accepted, the errno of a failed write, or EIO when the kernel
 * consumed only part of it (proc handlers report a partial parse that way).
 */
int sysctl_write_buf(const char *path, const char *buf, size_t len);
int sysctl_write_str(const char *path, const char *str);
int sysctl_write_uint(const char *path, unsigned int val);
int sysctl_read_uint(const char *path, unsigned int *val);

#endif
