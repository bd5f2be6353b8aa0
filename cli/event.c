// SPDX-License-Identifier: GPL-2.0
/* Monitor events and how they print: see event.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "output.h"
#include "parse.h"
#include "settings.h"

const char *const ev_type_names[EV_NTYPES] = {
	[EV_VICTIM] = "victim",
	[EV_REAP_QUEUED] = "reap-queued",
	[EV_REAP_DONE] = "reap-done",
	[EV_FREED] = "freed",
	[EV_POLICY] = "policy",
	[EV_REAP_WAKE] = "reap-wake",
	[EV_REAP_START] = "reap-start",
	[EV_REAP_SKIP] = "reap-skip",
	[EV_LOST] = "lost",
};

/* Names of the UAPI enums, in their order */
static const char *const reason_names[] = { "delay", "zero-delay", "frozen-bypass", NULL };
static const char *const source_names[] = { "oom-reaper", "process-mrelease", NULL };
static const char *const result_names[] = { "reaped", "exited-first", "gave-up", NULL };
static const char *const freed_by_names[] = { "exit", "oom-reaper", "process-mrelease", NULL };
static const char *const via_names[] = { "netlink", "sysctl", NULL };
static const char *const lost_names[] = { "seq-gap", "overrun", "trace-buffer", "journal", NULL };

static const struct {
	const char *key;	/* JSON key, and text key= */
	char kind;		/* see event_field_kind() */
	const char *const *names;
	size_t str, room;	/* 'c': where in struct event, its size */
} fields[NFIELDS] = {
#define STR(member) .kind = 'c', .str = offsetof(struct event, member), \
	.room = sizeof(((struct event *)0)->member)
	[F_PID] = { .key = "pid", .kind = 'u' },
	[F_TGID] = { .key = "tgid", .kind = 'u' },
	[F_COMM] = { .key = "comm", STR(comm) },
	[F_UID] = { .key = "uid", .kind = 'u' },
	[F_USER] = { .key = "user", STR(user) },
	[F_MEMCG_ID] = { .key = "memcg_id", .kind = 'u' },
	[F_CGROUP] = { .key = "cgroup", STR(cgroup) },
	[F_OOM_SCORE_ADJ] = { .key = "oom_score_adj", .kind = 's' },
	[F_FROZEN] = { .key = "frozen", .kind = 'b' },
	[F_DELAY_MS] = { .key = "delay_ms", .kind = 'u' },
	[F_REASON] = { .key = "reason", .kind = 'e', .names = reason_names },
	[F_FROZEN_BYPASS] = { .key = "frozen_bypass", .kind = 'b' },
	[F_SOURCE] = { .key = "source", .kind = 'e', .names = source_names },
	[F_ORDER] = { .key = "order", .kind = 'e', .names = order_names },
	[F_RESULT] = { .key = "result", .kind = 'e', .names = result_names },
	[F_ATTEMPTS] = { .key = "attempts", .kind = 'u' },
	[F_DURATION_US] = { .key = "duration_us", .kind = 'u' },
	[F_KILL_TO_FREED_US] = { .key = "kill_to_freed_us", .kind = 'u' },
	[F_FREED_KB] = { .key = "freed_kb", .kind = 'u' },
	[F_FREED_BY] = { .key = "freed_by", .kind = 'e', .names = freed_by_names },
	[F_FREED_EXIT_KB] = { .key = "freed_exit_kb", .kind = 'u' },
	[F_FREED_OOM_REAPER_KB] = { .key = "freed_oom_reaper_kb", .kind = 'u' },
	[F_FREED_MRELEASE_KB] = { .key = "freed_mrelease_kb", .kind = 'u' },
	[F_ANON_RSS_KB] = { .key = "anon_rss_kb", .kind = 'u' },
	[F_FILE_RSS_KB] = { .key = "file_rss_kb", .kind = 'u' },
	[F_SHMEM_RSS_KB] = { .key = "shmem_rss_kb", .kind = 'u' },
	[F_TOTAL_VM_KB] = { .key = "total_vm_kb", .kind = 'u' },
	[F_PGTABLES_KB] = { .key = "pgtables_kb", .kind = 'u' },
	[F_CHANGED_VIA] = { .key = "changed_via", .kind = 'e', .names = via_names },
	[F_COUNT] = { .key = "count", .kind = 'u' },
	[F_LOST_REASON] = { .key = "reason", .kind = 'e', .names = lost_names },
#undef STR
};

static const char *field_str(const struct event *ev, enum ev_field f)
{
	return (const char *)ev + fields[f].str;
}

void event_init(struct event *ev, enum ev_type type, const char *origin)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->origin = origin;
}

void event_set(struct event *ev, enum ev_field f, uint64_t v)
{
	ev->v[f] = v;
	ev->have |= 1ULL << f;
}

void event_set_str(struct event *ev, enum ev_field f, const char *s)
{
	if (fields[f].kind != 'c')
		return;
	snprintf((char *)ev + fields[f].str, fields[f].room, "%s", s);
	ev->have |= 1ULL << f;
}

char event_field_kind(enum ev_field f)
{
	return fields[f].kind;
}

int event_set_name(struct event *ev, enum ev_field f, const char *name)
{
	char buf[32];
	int i;

	if (!fields[f].names)
		return -1;
	snprintf(buf, sizeof(buf), "%s", name);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	i = parse_word(buf, fields[f].names);
	if (i < 0)
		return -1;
	event_set(ev, f, (uint64_t)i);
	return 0;
}

unsigned int event_class(enum ev_type type)
{
	switch (type) {
	case EV_VICTIM:
		return EVC_VICTIM;
	case EV_POLICY:
		return EVC_POLICY;
	case EV_FREED:
		return EVC_FREED;
	case EV_LOST:
		return EVC_ALL;
	default:
		return EVC_REAP;
	}
}

const struct ev_class ev_classes[] = {
	{ "victim", EVC_VICTIM },
	{ "reap", EVC_REAP },
	{ "policy", EVC_POLICY },
	{ "freed", EVC_FREED },
	{ "all", EVC_ALL },
	{ NULL, 0 }
};

int event_parse_classes(const char *s, unsigned int *classes)
{
	char word[16];
	unsigned int c = 0;

	while (*s) {
		size_t n = strcspn(s, ",");
		int i;

		if (n == 0 || n >= sizeof(word))
			return -1;
		memcpy(word, s, n);
		word[n] = '\0';
		for (i = 0; ev_classes[i].name; i++)
			if (!strcmp(word, ev_classes[i].name))
				break;
		if (!ev_classes[i].name)
			return -1;
		c |= ev_classes[i].bits;
		s += n;
		if (*s == ',' && !*++s)
			return -1;	/* "victim," */
	}
	if (!c)
		return -1;
	*classes = c;
	return 0;
}

const char *event_class_list(unsigned int classes, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	/* The one-class names only: "all" is their sum, not a class */
	for (int i = 0; ev_classes[i].name && n < len; i++)
		if (ev_classes[i].bits != EVC_ALL && (classes & ev_classes[i].bits))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "",
					      ev_classes[i].name);
	return buf;
}

const char *event_class_syntax(void)
{
	static char buf[64];

	if (!buf[0]) {
		size_t n = strlen(event_class_list(EVC_ALL, buf, sizeof(buf)));

		for (int i = 0; ev_classes[i].name; i++)
			if (ev_classes[i].bits == EVC_ALL)
				snprintf(buf + n, sizeof(buf) - n, " or %s", ev_classes[i].name);
	}
	return buf;
}

/*
 * ISO 8601 UTC wall-clock time of a CLOCK_MONOTONIC time stamp: the boot
 * time (realtime - monotonic) plus the stamp.  Seconds and nanoseconds are
 * added apart, so that any u64 a kernel or a trace line gives stays in
 * range (2^64 ns is 585 years after boot) instead of overflowing an int64.
 */
static void mono_to_iso(uint64_t mono_ns, char *buf, size_t len)
{
	struct timespec mono, real;
	int64_t sec, nsec;
	time_t t;
	struct tm tm;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	sec = (int64_t)real.tv_sec - mono.tv_sec + (int64_t)(mono_ns / NSEC_PER_SEC);
	nsec = (int64_t)real.tv_nsec - mono.tv_nsec + (int64_t)(mono_ns % NSEC_PER_SEC);
	if (nsec < 0) {		/* from -1 s to 2 s: one step brings it into [0, 1 s) */
		nsec += (int64_t)NSEC_PER_SEC;
		sec--;
	} else if (nsec >= (int64_t)NSEC_PER_SEC) {
		nsec -= (int64_t)NSEC_PER_SEC;
		sec++;
	}
	t = (time_t)sec;
	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(nsec / 1000));
}

/* The name of an enum value; NULL for one a newer kernel added */
static const char *enum_name(enum ev_field f, uint64_t v)
{
	for (uint64_t i = 0; fields[f].names[i]; i++)
		if (i == v)
			return fields[f].names[i];
	return NULL;
}

static void print_field(const struct event *ev, enum ev_field f)
{
	const char *key = fields[f].key;
	char fmt[48];
	uint64_t v = ev->v[f];

	switch (fields[f].kind) {
	case 's':
		snprintf(fmt, sizeof(fmt), " %s=%%lld", key);
		out_s64(key, fmt, (int64_t)v);
		break;
	case 'b':
		snprintf(fmt, sizeof(fmt), v <= 1 ? " %s=%%s" : " %s=%%llu", key);
		if (v <= 1)
			out_bool(key, fmt, v);
		else
			out_u64(key, fmt, v);	/* a newer kernel's value */
		break;
	case 'e':
		snprintf(fmt, sizeof(fmt), " %s=%%s", key);
		/* A value a newer kernel added prints as its number */
		if (enum_name(f, v)) {
			out_str(key, fmt, enum_name(f, v));
			return;
		}
		snprintf(fmt, sizeof(fmt), " %s=%%llu", key);
		out_u64(key, fmt, v);
		break;
	case 'c':
		snprintf(fmt, sizeof(fmt), " %s=%%s", key);
		out_str(key, fmt, field_str(ev, f));
		break;
	default:
		snprintf(fmt, sizeof(fmt), " %s=%%llu", key);
		out_u64(key, fmt, v);
	}
}

/* The event's time stamp, or now if it has none */
static uint64_t event_ts(const struct event *ev)
{
	struct timespec now;

	if (ev->has_ts)
		return ev->ts_ns;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * NSEC_PER_SEC + (uint64_t)now.tv_nsec;
}

int event_print(const struct event *ev, bool timestamp)
{
	char when[96];	/* what -Wformat-truncation allows for any int in each field */
	uint64_t ts = event_ts(ev);

	mono_to_iso(ts, when, sizeof(when));
	out_begin();
	if (timestamp)
		out_text("%s ", when);
	out_str("type", "%s", ev_type_names[ev->type]);
	if (ev->has_seq)
		out_u64("seq", " seq=%llu", ev->seq);
	out_u64("ts_mono_ns", NULL, ts);
	out_str("time", NULL, when);
	out_str("origin", NULL, ev->origin);
	/* In text, the monitor's header names the boot */
	if (ev->boot_id)
		out_str("boot_id", NULL, ev->boot_id);
	if (ev->type == EV_LOST && !out_json()) {
		const char *why = enum_name(F_LOST_REASON, ev->v[F_LOST_REASON]);

		/* "lost 3 events (seq-gap)": for people, not key=value */
		if (ev->have & (1ULL << F_COUNT))
			out_text(" %llu", (unsigned long long)ev->v[F_COUNT]);
		if (why)
			out_text(" events (%s)\n", why);
		else	/* none of ours: its number */
			out_text(" events (%llu)\n", (unsigned long long)ev->v[F_LOST_REASON]);
		return out_end();
	}
	for (int f = 0; f < NFIELDS; f++)
		if (ev->have & (1ULL << f))
			print_field(ev, f);
	out_text("\n");
	return out_end();
}

char *event_text(const struct event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	out_push_text(f);
	event_print(ev, false);
	out_pop();
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

/* A field's value as the text line shows it, not escaped */
static const char *field_value(const struct event *ev, enum ev_field f, char *buf, size_t len)
{
	uint64_t v = ev->v[f];

	switch (fields[f].kind) {
	case 's':
		snprintf(buf, len, "%lld", (long long)(int64_t)v);
		return buf;
	case 'b':
		if (v <= 1)
			return v ? "on" : "off";
		break;
	case 'e':
		if (enum_name(f, v))
			return enum_name(f, v);
		break;
	case 'c':
		return field_str(ev, f);
	}
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

int event_pairs(const struct event *ev, ev_pair_cb cb, void *ctx)
{
	char num[32], when[96];
	uint64_t ts = event_ts(ev);
	int ret;

#define PAIR(k, v) do { if ((ret = cb(ctx, k, v))) return ret; } while (0)
	PAIR("type", ev_type_names[ev->type]);
	if (ev->has_seq) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)ev->seq);
		PAIR("seq", num);
	}
	snprintf(num, sizeof(num), "%llu", (unsigned long long)ts);
	PAIR("ts_mono_ns", num);
	mono_to_iso(ts, when, sizeof(when));
	PAIR("time", when);
	PAIR("origin", ev->origin);
	if (ev->boot_id)
		PAIR("boot_id", ev->boot_id);
	for (int f = 0; f < NFIELDS; f++)
		if (ev->have & (1ULL << f))
			PAIR(fields[f].key, field_value(ev, f, num, sizeof(num)));
#undef PAIR
	return 0;
}
