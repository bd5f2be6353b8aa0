// SPDX-License-Identifier: GPL-2.0
/* The oom trace events as monitor events: see tracefs.h */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "tracefs.h"

/* snprintf for paths: false if it did not fit (nothing then exists) */
static bool pathf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

/* One key of a TP_printk format, in format order */
struct tp_key {
	const char *name;
	enum ev_field field;
};

#define KEYS(...) ((const struct tp_key[]){ __VA_ARGS__, { NULL, 0 } })

static const struct tp_event {
	const char *name;
	enum ev_type type;
	unsigned int class;
	bool stock;		/* in kernels without the oom family */
	const struct tp_key *keys;
} tp_events[] = {
	{ "mark_victim", EV_VICTIM, EVC_VICTIM, true, KEYS(
		{ "pid", F_PID }, { "comm", F_COMM }, { "total-vm", F_TOTAL_VM_KB },
		{ "anon-rss", F_ANON_RSS_KB }, { "file-rss", F_FILE_RSS_KB },
		{ "shmem-rss", F_SHMEM_RSS_KB }, { "uid", F_UID },
		{ "pgtables", F_PGTABLES_KB }, { "oom_score_adj", F_OOM_SCORE_ADJ }) },
	{ "wake_reaper", EV_REAP_WAKE, EVC_REAP, true, KEYS({ "pid", F_PID }) },
	{ "start_task_reaping", EV_REAP_START, EVC_REAP, true, KEYS({ "pid", F_PID }) },
	{ "finish_task_reaping", EV_REAP_DONE, EVC_REAP, true, KEYS({ "pid", F_PID }) },
	{ "skip_task_reaping", EV_REAP_SKIP, EVC_REAP, true, KEYS({ "pid", F_PID }) },
	/* The patched kernel's: they replace the four above when present */
	{ "reap_queued", EV_REAP_QUEUED, EVC_REAP, false, KEYS(
		{ "pid", F_PID }, { "delay_ms", F_DELAY_MS }, { "reason", F_REASON }) },
	{ "reap_result", EV_REAP_DONE, EVC_REAP, false, KEYS(
		{ "pid", F_PID }, { "source", F_SOURCE }, { "order", F_ORDER },
		{ "result", F_RESULT }, { "attempts", F_ATTEMPTS },
		{ "duration_us", F_DURATION_US }, { "anon_rss", F_ANON_RSS_KB },
		{ "file_rss", F_FILE_RSS_KB }, { "shmem_rss", F_SHMEM_RSS_KB }) },
	/* Only in the patched kernel, whatever its family: no stock one */
	{ "victim_freed", EV_FREED, EVC_FREED, false, KEYS(
		{ "pid", F_PID }, { "tgid", F_TGID }, { "comm", F_COMM },
		{ "memcg_id", F_MEMCG_ID }, { "kill_to_freed_us", F_KILL_TO_FREED_US },
		{ "freed", F_FREED_KB }, { "exit", F_FREED_EXIT_KB },
		{ "oom_reaper", F_FREED_OOM_REAPER_KB },
		{ "process_mrelease", F_FREED_MRELEASE_KB }, { "freed_by", F_FREED_BY }) },
	{ "reap_policy", EV_POLICY, EVC_POLICY, false, KEYS(
		{ "delay_ms", F_DELAY_MS }, { "frozen_bypass", F_FROZEN_BYPASS },
		{ "order", F_ORDER }) },
};
#define NTP (sizeof(tp_events) / sizeof(tp_events[0]))

/* Where " key=" (or " key:", as mark_victim writes some) starts in s */
static const char *find_key(const char *s, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = s; (p = strstr(p, key)); p++)
		if ((p == s || p[-1] == ' ') && (p[n] == '=' || p[n] == ':'))
			return p;
	return NULL;
}

static int set_value(struct event *ev, enum ev_field f, const char *s, size_t n)
{
	char val[64];
	uint64_t u;

	if (n >= sizeof(val))
		return -1;
	memcpy(val, s, n);
	val[n] = '\0';
	switch (event_field_kind(f)) {
	case 'c':
		event_set_str(ev, f, val);
		return 0;
	case 'e':
		return event_set_name(ev, f, val);
	case 's':
		if (val[0] == '-') {
			if (parse_u64(val + 1, &u) || u > (uint64_t)INT64_MAX)
				return -1;
			event_set(ev, f, (uint64_t)-(int64_t)u);
			return 0;
		}
		break;
	}
	if (n > 2 && !strcmp(val + n - 2, "kB"))
		val[n - 2] = '\0';
	if (parse_u64(val, &u))
		return -1;
	event_set(ev, f, u);
	return 0;
}

/* key=value pairs in format order; a value runs to the next key */
static int parse_fields(const char *s, const struct tp_key *keys, struct event *ev)
{
	for (int i = 0; keys[i].name; i++) {
		const char *k = find_key(s, keys[i].name), *v, *end = NULL;

		if (!k)
			return i ? 0 : -1;	/* older kernels print fewer */
		v = k + strlen(keys[i].name) + 1;
		if (keys[i + 1].name)
			end = find_key(v, keys[i + 1].name);
		if (end)
			end--;			/* the space before it */
		else
			end = v + strcspn(v, " ");
		if (set_value(ev, keys[i].field, v, (size_t)(end - v)))
			return -1;
		s = end;
	}
	return 0;
}

/*
 * The stamp "SECS.FRAC" (from d, the dot at dot, up to end) in ns: false
 * if it does not fit in 64 bits, 585 years of uptime, which only a corrupt
 * line can say.  The event then keeps the time it was read at rather than
 * a wrapped one.
 */
static bool trace_stamp(const char *d, const char *dot, const char *end, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = NSEC_PER_SEC;

	for (const char *q = d; q < dot; q++) {
		uint64_t digit = (uint64_t)(*q - '0');

		if (sec > (UINT64_MAX / NSEC_PER_SEC - digit) / 10)
			return false;
		sec = sec * 10 + digit;
	}
	for (const char *q = dot + 1; q < end && scale > 1; q++) {
		scale /= 10;
		frac += (uint64_t)(*q - '0') * scale;
	}
	if (sec * NSEC_PER_SEC > UINT64_MAX - frac)
		return false;
	*ns = sec * NSEC_PER_SEC + frac;
	return true;
}

/*
 * "  tail-95  [001] d..1.  1234.567890: mark_victim: pid=95 ..."
 * The task name may hold anything, so look for "SECS.FRAC: NAME: ".
 * *has_ts: the stamp fitted in *ts.
 */
static const char *find_event(const char *line, uint64_t *ts, bool *has_ts,
			      char *name, size_t len)
{
	for (const char *p = strchr(line, ':'); p; p = strchr(p + 1, ':')) {
		const char *d = p, *dot = NULL, *n;
		size_t nl;

		while (d > line && (isdigit((unsigned char)d[-1]) || d[-1] == '.')) {
			d--;
			if (*d == '.')
				dot = d;
		}
		/* One dot, digits on both sides ("1.2.3" is no stamp) */
		if (!dot || dot == d || dot + 1 == p || (d > line && d[-1] != ' ') ||
		    memchr(dot + 1, '.', (size_t)(p - dot - 1)))
			continue;
		if (p[1] != ' ')
			continue;
		n = p + 2;
		nl = strspn(n, "abcdefghijklmnopqrstuvwxyz_0123456789");
		if (!nl || n[nl] != ':' || nl >= len)
			continue;
		*has_ts = trace_stamp(d, dot, p, ts);
		memcpy(name, n, nl);
		name[nl] = '\0';
		return n + nl + 1 + (n[nl + 1] == ' ');
	}
	return NULL;
}

int tracefs_parse_line(const char *line, struct event *ev)
{
	const char *lost = strstr(line, "[LOST "), *fields;
	char name[64];
	uint64_t ts = 0, n;
	bool has_ts;

	if (!strncmp(line, "CPU:", 4) && lost) {
		char num[24];
		size_t len = strspn(lost + 6, "0123456789");

		if (len == 0 || len >= sizeof(num) || strncmp(lost + 6 + len, " EVENTS]", 8))
			return 1;
		memcpy(num, lost + 6, len);
		num[len] = '\0';
		if (parse_u64(num, &n))
			return 1;
		event_init(ev, EV_LOST, "tracefs");
		event_set(ev, F_COUNT, n);
		event_set(ev, F_LOST_REASON, LOST_TRACE_BUFFER);
		return 0;
	}
	fields = find_event(line, &ts, &has_ts, name, sizeof(name));
	if (!fields)
		return 1;
	for (size_t i = 0; i < NTP; i++) {
		if (strcmp(tp_events[i].name, name))
			continue;
		event_init(ev, tp_events[i].type, "tracefs");
		ev->has_ts = has_ts;
		ev->ts_ns = ts;
		return parse_fields(fields, tp_events[i].keys, ev) ? 1 : 0;
	}
	return 1;
}

/* The tracefs mount: $OOMCTL_TRACEFS, /sys/kernel/tracing or debugfs's */
static const char *tracefs_root(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *env = getenv("OOMCTL_TRACEFS");
	char path[300];

	if (env && *env)
		return env;
	for (size_t i = 0; i < 2; i++) {
		pathf(path, sizeof(path), "%s/events", dirs[i]);
		if (access(path, F_OK) == 0)
			return dirs[i];
	}
	return dirs[0];
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static bool exists(const char *root, const char *fmt, const char *arg)
{
	char path[320], rel[128];

	return pathf(rel, sizeof(rel), fmt, arg) &&
	       pathf(path, sizeof(path), "%s/%s", root, rel) &&
	       access(path, F_OK) == 0;
}

/* Instances left by an oomctl that was killed */
static void remove_stale(const char *root)
{
	char path[320];
	struct dirent *d;
	DIR *dir;

	pathf(path, sizeof(path), "%s/instances", root);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		uint64_t pid;

		if (strncmp(d->d_name, "oomctl.", 7) || parse_u64(d->d_name + 7, &pid) ||
		    pid > INT32_MAX || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		pathf(path, sizeof(path), "%s/instances/%s", root, d->d_name);
		rmdir(path);
	}
	closedir(dir);
}

static int make_instance(struct tracefs *t, const char *root)
{
	char path[320], kb[16];

	remove_stale(root);
	pathf(t->dir, sizeof(t->dir), "%s/instances/oomctl.%d", root, (int)getpid());
	if (mkdir(t->dir, 0700) && errno != EEXIST)
		return -errno;
	t->instance = true;
	pathf(path, sizeof(path), "%s/trace_clock", t->dir);
	t->mono = write_file(path, "mono") == 0;
	/* Before any event is enabled; a kernel that refuses keeps its size */
	pathf(path, sizeof(path), "%s/buffer_size_kb", t->dir);
	snprintf(kb, sizeof(kb), "%d", TRACEFS_BUFFER_KB);
	write_file(path, kb);
	return 0;
}

/* Enable one event, remembering the old state when it is not ours */
static int enable(struct tracefs *t, const char *name)
{
	char path[320], old[8] = "";
	int ret;

	pathf(path, sizeof(path), "%s/events/oom/%s/enable", t->dir, name);
	if (!t->instance) {
		if (read_file(path, old, sizeof(old)) == 0 && old[0] == '1')
			return 0;
		if (t->nrestore == TRACEFS_MAX_EVENTS)
			return -ENOSPC;
	}
	ret = write_file(path, "1");
	if (ret == 0 && !t->instance) {
		snprintf(t->restore[t->nrestore].path, sizeof(t->restore[0].path), "%s", path);
		t->restore[t->nrestore++].old = old[0] ? old[0] : '0';
	}
	return ret;
}

int tracefs_open(struct tracefs *t, unsigned int classes, char *why, size_t len)
{
	const char *root = tracefs_root();
	char path[320], clock[256];
	bool patched;
	int ret, n = 0;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (!exists(root, "%s", "events")) {
		snprintf(why, len, "tracefs is not mounted at %s", root);
		return access(root, R_OK | X_OK) && errno == EACCES ? -EACCES : -ENOENT;
	}
	if (!exists(root, "%s", "events/oom/mark_victim")) {
		snprintf(why, len, "this kernel has no oom trace events in %s", root);
		return -ENOENT;
	}
	patched = exists(root, "%s", "events/oom/reap_result");
	t->no_freed = (classes & EVC_FREED) && !exists(root, "%s", "events/oom/victim_freed");
	if (exists(root, "%s", "instances")) {
		ret = make_instance(t, root);
		if (ret) {
			snprintf(why, len, "cannot create a tracefs instance in %s/instances: %s",
				 root, strerror(-ret));
			return ret;
		}
	} else {
		pathf(t->dir, sizeof(t->dir), "%s", root);
		pathf(path, sizeof(path), "%s/trace_clock", root);
		t->mono = read_file(path, clock, sizeof(clock)) == 0 && strstr(clock, "[mono]");
	}
	for (size_t i = 0; i < NTP; i++) {
		const struct tp_event *tp = &tp_events[i];

		if (!(tp->class & classes) || !exists(t->dir, "events/oom/%s", tp->name))
			continue;
		if (tp->type != EV_VICTIM && tp->stock == patched)
			continue;	/* the patched kernel's reap events say more */
		ret = enable(t, tp->name);
		if (ret) {
			snprintf(why, len, "cannot enable oom:%s: %s", tp->name, strerror(-ret));
			goto fail;
		}
		n++;
	}
	if (!n) {
		snprintf(why, len, "this kernel has none of the oom trace events asked for%s",
			 t->no_freed ? " (no oom:victim_freed: freed events do not exist in it)" : "");
		ret = -ENOENT;
		goto fail;
	}
	pathf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		ret = -errno;
		snprintf(why, len, "cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	tracefs_close(t);
	return ret;
}

int tracefs_read(struct tracefs *t, int (*cb)(struct event *ev, void *data),
		 void *data)
{
	ssize_t n = read(t->fd, t->buf + t->len, sizeof(t->buf) - 1 - t->len);
	char *line, *nl;
	struct event ev;
	int ret;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 1 : -errno;
	if (n == 0)
		return 0;
	t->len += (size_t)n;
	t->buf[t->len] = '\0';
	line = t->buf;
	while ((nl = strchr(line, '\n'))) {
		*nl = '\0';
		if (tracefs_parse_line(line, &ev) == 0) {
			if (!t->mono)
				ev.has_ts = false;	/* not our clock: time of reading */
			ret = cb(&ev, data);
			if (ret)
				return ret;
		}
		line = nl + 1;
	}
	t->len -= (size_t)(line - t->buf);
	memmove(t->buf, line, t->len);
	if (t->len == sizeof(t->buf) - 1)
		t->len = 0;	/* no oom event line is that long: drop it */
	return 1;
}

void tracefs_close(struct tracefs *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (t->instance && rmdir(t->dir) == 0)
		t->instance = false;
	for (int i = 0; i < t->nrestore; i++) {
		char old[2] = { t->restore[i].old, '\0' };

		write_file(t->restore[i].path, old);
	}
	t->nrestore = 0;
}
