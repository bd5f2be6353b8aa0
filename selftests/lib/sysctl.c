// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysctl.h"

int sysctl_write_buf(const char *path, const char *buf, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

int sysctl_write_str(const char *path, const char *str)
{
	return sysctl_write_buf(path, str, strlen(str));
}

int sysctl_write_uint(const char *path, unsigned int val)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u\n", val);
	return sysctl_write_str(path, buf);
}

int sysctl_read_uint(const char *path, unsigned int *val)
{
	char buf[32], *end;
	unsigned long v;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		err = errno;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > 0xffffffffUL)
		return EINVAL;
	*val = v;
	return 0;
}
