// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "clock.h"
#include "fileio.h"
#include "tracefs.h"

static int tracefs_mount(void)
{
	struct statfs sfs;

	if (statfs(TRACEFS_ROOT, &sfs) == 0 && sfs.f_type == TRACEFS_MAGIC)
		return 0;
	if (mount("tracefs", TRACEFS_ROOT, "tracefs", 0, NULL))
		return errno;
	return 0;
}

bool trace_event_exists(const char *system, const char *event)
{
	char path[256];

	if (tracefs_mount())
		return false;
	snprintf(path, sizeof(path), TRACEFS_ROOT "/events/%s/%s", system,
		 event);
	return access(path, F_OK) == 0;
}

int tracer_open(struct tracer *t, const char *name)
{
	char path[320];
	int err;

	memset(t, 0, sizeof(*t));
	err = tracefs_mount();
	if (err)
		return err;
	snprintf(t->dir, sizeof(t->dir), TRACEFS_ROOT "/instances/%s", name);
	rmdir(t->dir);	/* left over by a killed run */
	if (mkdir(t->dir, 0755)) {
		err = errno;
		t->dir[0] = '\0';
		return err;
	}
	snprintf(path, sizeof(path), "%s/trace_clock", t->dir);
	return file_write_str(path, "mono");
}

int tracer_enable(struct tracer *t, const char *system, const char *event)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/events/%s/%s/enable", t->dir, system,
		 event);
	return file_write_str(path, "1");
}

int tracer_start(struct tracer *t)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return t->pipe_fd < 0 ? errno : 0;
}

void tracer_close(struct tracer *t)
{
	if (t->pipe_fd > 0)
		close(t->pipe_fd);
	if (t->dir[0])
		rmdir(t->dir);
	t->dir[0] = '\0';
}

/* Take one complete line out of t->buf, if there is one. */
static bool take_line(struct tracer *t, char *line, size_t size)
{
	char *nl = memchr(t->buf, '\n', t->len);
	size_t n;

	if (!nl)
		return false;
	n = nl - t->buf;
	snprintf(line, size, "%.*s", (int)n, t->buf);
	t->len -= n + 1;
	memmove(t->buf, nl + 1, t->len);
	return true;
}

int tracer_next(struct tracer *t, struct trace_event *ev, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char line[1024];

	for (;;) {
		struct pollfd pfd = { .fd = t->pipe_fd, .events = POLLIN };
		ssize_t n;

		while (take_line(t, line, sizeof(line)))
			if (!trace_parse_line(line, ev))
				return 0;
		if (t->len == sizeof(t->buf))	/* a line longer than buf */
			t->len = 0;
		n = read(t->pipe_fd, t->buf + t->len, sizeof(t->buf) - t->len);
		if (n > 0) {
			t->len += n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return errno;
		if (!ms_left(deadline))
			return ETIMEDOUT;
		if (poll(&pfd, 1, ms_left(deadline)) < 0 && errno != EINTR)
			return errno;
	}
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* "12.345678:" -> microseconds; any number of fraction digits. */
static bool parse_ts(const char *tok, size_t len, uint64_t *us)
{
	uint64_t sec = 0, frac = 0;
	size_t i = 0;
	int digits = 0;

	if (!len || tok[len - 1] != ':')
		return false;
	for (; i < len && isdigit((unsigned char)tok[i]); i++)
		sec = sec * 10 + (tok[i] - '0');
	if (!i || i >= len || tok[i++] != '.')
		return false;
	for (; i < len && isdigit((unsigned char)tok[i]); i++, digits++)
		if (digits < 6)
			frac = frac * 10 + (tok[i] - '0');
	if (!digits || i != len - 1)
		return false;
	for (; digits < 6; digits++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return true;
}

/*
 * From the "[CPU]" column on: "[001] d..1. 12.345678: name: fields".
 * The irq-info column is optional (options/irq-info).
 */
static int parse_tail(const char *p, struct trace_event *ev)
{
	const char *tok, *colon;
	size_t len;

	if (*p++ != '[' || !isdigit((unsigned char)*p))
		return EINVAL;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ']')
		return EINVAL;

	tok = skip_spaces(p);
	len = strcspn(tok, " ");
	ev->flags[0] = '\0';
	if (!parse_ts(tok, len, &ev->ts_us)) {
		if (len >= sizeof(ev->flags))
			return EINVAL;
		snprintf(ev->flags, sizeof(ev->flags), "%.*s", (int)len, tok);
		tok = skip_spaces(tok + len);
		len = strcspn(tok, " ");
		if (!parse_ts(tok, len, &ev->ts_us))
			return EINVAL;
	}

	tok = skip_spaces(tok + len);
	colon = strstr(tok, ": ");
	if (!colon || colon == tok || (size_t)(colon - tok) >= sizeof(ev->name))
		return EINVAL;
	snprintf(ev->name, sizeof(ev->name), "%.*s", (int)(colon - tok), tok);
	snprintf(ev->fields, sizeof(ev->fields), "%s", colon + 2);
	return 0;
}

int trace_parse_line(const char *line, struct trace_event *ev)
{
	const char *p;

	memset(ev, 0, sizeof(*ev));
	/* A comm may contain '[' too: use the first position that parses. */
	for (p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		const char *start = skip_spaces(line), *end = p, *dash;

		if (parse_tail(p, ev))
			continue;
		while (end > start && end[-1] == ' ')
			end--;
		for (dash = end - 1; dash > start && *dash != '-'; dash--)
			;
		if (dash <= start || *dash != '-')
			continue;
		snprintf(ev->comm, sizeof(ev->comm), "%.*s",
			 (int)(dash - start), start);
		ev->task_pid = atoi(dash + 1);
		return 0;
	}
	return EINVAL;
}

bool trace_field(const struct trace_event *ev, const char *key,
		 char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = ev->fields;

	while ((p = strstr(p, key))) {
		if ((p == ev->fields || p[-1] == ' ') && p[klen] == '=') {
			p += klen + 1;
			snprintf(val, size, "%.*s", (int)strcspn(p, " "), p);
			return true;
		}
		p += klen;
	}
	return false;
}

int trace_field_ull(const struct trace_event *ev, const char *key,
		    unsigned long long *val)
{
	char buf[64], *end;

	if (!trace_field(ev, key, buf, sizeof(buf)))
		return ENOENT;
	errno = 0;
	/* Base 0: events print PFNs and flags as 0x... */
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return EINVAL;
	return 0;
}

bool trace_in_irq(const struct trace_event *ev)
{
	return strlen(ev->flags) >= 3 && strchr("hHsZz", ev->flags[2]);
}
