// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "sysctl.h"

int sysctl_write_uint(const char *path, unsigned int val)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u\n", val);
	return file_write_str(path, buf);
}

int sysctl_read_uint(const char *path, unsigned int *val)
{
	char buf[32], *end;
	unsigned long v;
	int err;

	err = file_read(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > 0xffffffffUL)
		return EINVAL;
	*val = v;
	return 0;
}
