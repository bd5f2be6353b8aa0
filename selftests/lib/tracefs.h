/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A private tracefs instance: its own ring buffer, clock and enabled
 * events, read through its trace_pipe, so the tests neither disturb nor are
 * disturbed by the global trace buffer.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_TRACEFS_H
#define OOMCTL_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TRACEFS_ROOT "/sys/kernel/tracing"

/* One line of trace_pipe, split into its parts. */
struct trace_event {
	char comm[32];		/* task the event fired in ("<...>" if unknown) */
	pid_t task_pid;		/* ... and its pid (0 for idle/softirq on idle) */
	char flags[8];		/* irq-info column, e.g. "d..1.", or "" */
	uint64_t ts_us;		/* timestamp, microseconds of trace_clock */
	char name[48];		/* event name, e.g. "mark_victim" */
	char fields[448];	/* the event's own text, e.g. "pid=1 ..." */
};

struct tracer {
	char dir[256];		/* the instance directory */
	int pipe_fd;
	size_t len;		/* bytes of an unfinished line in buf */
	char buf[8192];
};

/* Parse one trace_pipe line (without the newline).  0 or EINVAL. */
int trace_parse_line(const char *line, struct trace_event *ev);

/* The value of "key=value" in ev->fields; false when absent. */
bool trace_field(const struct trace_event *ev, const char *key,
		 char *val, size_t size);
/* Numeric value of a field, decimal or 0x hex (units such as "kB" after
 * the digits are ok). */
int trace_field_ull(const struct trace_event *ev, const char *key,
		    unsigned long long *val);
/* Fired in hard/soft interrupt (e.g. timer) context, per the flags column. */
bool trace_in_irq(const struct trace_event *ev);

/* The kernel defines @system:@event (checked in the top-level tracefs). */
bool trace_event_exists(const char *system, const char *event);

/*
 * Create the instance @name (mounting tracefs if needed) with
 * trace_clock=mono, the clock kernel timers run on.  0 or errno.
 */
int tracer_open(struct tracer *t, const char *name);
int tracer_enable(struct tracer *t, const char *system, const char *event);
/* Open trace_pipe: events from now on can be read with tracer_next(). */
int tracer_start(struct tracer *t);
/* Next event, waiting at most @timeout_ms.  0, ETIMEDOUT or errno. */
int tracer_next(struct tracer *t, struct trace_event *ev, int timeout_ms);
/* Close the pipe and remove the instance.  Safe on a zeroed tracer. */
void tracer_close(struct tracer *t);

#endif
