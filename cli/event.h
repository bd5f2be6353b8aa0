/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One event of `oomctl monitor`, whether it came from the oom netlink
 * family or from tracefs, and its one text line or JSON object.
 */
#ifndef OOMCTL_EVENT_H
#define OOMCTL_EVENT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ev_type {
	EV_VICTIM, EV_REAP_QUEUED, EV_REAP_DONE, EV_FREED, EV_POLICY,
	EV_REAP_WAKE, EV_REAP_START, EV_REAP_SKIP,	/* stock tracepoints */
	EV_LOST,
	EV_NTYPES
};

/* The classes --events selects */
enum { EVC_VICTIM = 1, EVC_REAP = 2, EVC_POLICY = 4, EVC_FREED = 8, EVC_ALL = 15 };

/*
 * Their names, for --events, --help, usage errors, the monitor's header
 * and completion: the one-class names in bit order, then "all";
 * NULL-terminated.
 */
struct ev_class {
	const char *name;
	unsigned int bits;
};
extern const struct ev_class ev_classes[];

/* Fields in output order; the JSON keys are in event.c */
enum ev_field {
	F_PID, F_TGID, F_COMM, F_UID, F_USER, F_MEMCG_ID, F_CGROUP,
	F_OOM_SCORE_ADJ, F_FROZEN,
	F_DELAY_MS, F_REASON, F_FROZEN_BYPASS, F_SOURCE, F_ORDER, F_RESULT,
	F_ATTEMPTS, F_DURATION_US,
	F_KILL_TO_FREED_US, F_FREED_KB, F_FREED_BY,
	F_FREED_EXIT_KB, F_FREED_OOM_REAPER_KB, F_FREED_MRELEASE_KB,
	F_ANON_RSS_KB, F_FILE_RSS_KB, F_SHMEM_RSS_KB, F_TOTAL_VM_KB, F_PGTABLES_KB,
	F_CHANGED_VIA,
	F_COUNT, F_LOST_REASON,
	NFIELDS
};

/* LOST_JOURNAL: monitor -o journal could not send them */
enum lost_reason { LOST_SEQ_GAP, LOST_OVERRUN, LOST_TRACE_BUFFER, LOST_JOURNAL };

#define NSEC_PER_SEC 1000000000ULL

/*
 * The multicast group a netlink notification came in, as far as the
 * source knows (NETLINK_PKTINFO); by type when it does not: policy is
 * the config group's, the rest the events group's.
 */
enum ev_group { EVG_BY_TYPE, EVG_CONFIG, EVG_EVENTS };

struct event {
	enum ev_type type;
	const char *origin;	/* "netlink" or "tracefs" */
	bool has_seq, has_ts;
	uint64_t seq;
	uint64_t ts_ns;		/* CLOCK_MONOTONIC */
	uint64_t have;		/* bit (1 << field) for each value set */
	uint64_t v[NFIELDS];	/* signed fields hold the int64_t bits */
	/* The string fields ('c'); user and cgroup are the monitor's (enrich.h) */
	char comm[64];
	char user[64];		/* the name of uid */
	char cgroup[PATH_MAX];	/* the path of memcg_id */
	const char *boot_id;	/* the boot the event belongs to; NULL: unknown */
	enum ev_group group;
	/*
	 * A notification of a command this oomctl does not know (a newer
	 * kernel's): its seq counts in its group's sequence (no false loss),
	 * nothing else of it is printed.
	 */
	bool unknown;
};

extern const char *const ev_type_names[EV_NTYPES];

void event_init(struct event *ev, enum ev_type type, const char *origin);
void event_set(struct event *ev, enum ev_field f, uint64_t v);
/* Set a string field ('c'), cut to the room it has */
void event_set_str(struct event *ev, enum ev_field f, const char *s);
/* Set an enum field from its name ("exited-first", or "exited_first" as
 * tracepoints spell it): 0, or -1 for a name we do not know */
int event_set_name(struct event *ev, enum ev_field f, const char *name);
/* Kind of a field, for parsers: 'u' unsigned, 's' signed, 'b' bool,
 * 'e' enum, 'c' a string (comm, user, cgroup) */
char event_field_kind(enum ev_field f);
/* The --events class of a type; the lost record is in every class */
unsigned int event_class(enum ev_type type);
/* "victim,reap" -> EVC_VICTIM | EVC_REAP: 0 or -1 */
int event_parse_classes(const char *s, unsigned int *classes);
/* EVC_VICTIM | EVC_REAP -> "victim,reap" */
const char *event_class_list(unsigned int classes, char *buf, size_t len);
/* What --events takes: "victim,reap,policy or all" */
const char *event_class_syntax(void);

/* One line of text or one JSON object, flushed: 0, or -1 on write error */
int event_print(const struct event *ev, bool timestamp);
/* The text line of ev without a time stamp or newline (malloc'd; NULL
 * if out of memory) */
char *event_text(const struct event *ev);
/*
 * Every key of ev's JSON object, in its order (type, seq, ts_mono_ns,
 * time, origin, boot_id, then the fields), with its value as the text
 * line shows it but not escaped: a string's bytes as they are, on/off,
 * enum names.  For outputs that carry each key apart (the journal).
 */
typedef int (*ev_pair_cb)(void *ctx, const char *key, const char *value);
/* 0, or the first non-zero cb returned */
int event_pairs(const struct event *ev, ev_pair_cb cb, void *ctx);

#endif
