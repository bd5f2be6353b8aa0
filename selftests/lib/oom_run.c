// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "oom_run.h"
#include "oom_trigger.h"

const char *const oom_ev_name[OOM_EV_NR] = {
	[OOM_EV_MARK_VICTIM]	= "mark_victim",
	[OOM_EV_REAP_QUEUED]	= "reap_queued",
	[OOM_EV_WAKE_REAPER]	= "wake_reaper",
	[OOM_EV_START_REAPING]	= "start_task_reaping",
	[OOM_EV_FINISH_REAPING]	= "finish_task_reaping",
	[OOM_EV_REAP_RESULT]	= "reap_result",
	[OOM_EV_VICTIM_FREED]	= "victim_freed",
};

static int setup(struct oom_run *r, size_t size, size_t touch, bool thp)
{
	char name[64];
	int err, i;

	memset(r, 0, sizeof(*r));
	snprintf(name, sizeof(name), "oomctl-test-%d", getpid());

	err = tracer_open(&r->tr, name);
	if (err)
		return err;
	r->policy_events = trace_event_exists("oom", "reap_result");
	for (i = 0; i < OOM_EV_NR; i++) {
		if (!trace_event_exists("oom", oom_ev_name[i]))
			continue;
		err = tracer_enable(&r->tr, "oom", oom_ev_name[i]);
		if (err)
			return err;
	}
	err = tracer_start(&r->tr);
	if (err)
		return err;
	err = memcg_create(&r->cg, name);
	if (err)
		return err;
	if (touch == size)
		return victim_spawn(&r->victim, &r->cg, size, OOM_RUN_STEP_MS);
	return victim_spawn_sparse(&r->victim, &r->cg, size, touch, thp,
				   OOM_RUN_STEP_MS);
}

int oom_run_setup(struct oom_run *r, size_t victim_size)
{
	return setup(r, victim_size, victim_size, false);
}

int oom_run_setup_sparse(struct oom_run *r, size_t map_size, size_t touch,
			 bool thp)
{
	return setup(r, map_size, touch, thp);
}

int oom_run_pin(struct oom_run *r)
{
	return mm_pin(&r->pin, r->victim.pid, r->victim.addr, OOM_RUN_STEP_MS);
}

int oom_run_freeze(struct oom_run *r)
{
	return memcg_freeze(&r->cg, OOM_RUN_STEP_MS);
}

int oom_run_kill(struct oom_run *r)
{
	char max[32];

	/* Well below the victim's usage: only killing it can satisfy it. */
	snprintf(max, sizeof(max), "%zu", r->victim.resident / 8);
	r->trigger = oom_trigger_start(&r->cg, max);
	if (r->trigger < 0) {
		int err = -r->trigger;

		r->trigger = 0;
		return err;
	}
	return 0;
}

static int event_kind(const struct trace_event *ev)
{
	for (int i = 0; i < OOM_EV_NR; i++)
		if (!strcmp(ev->name, oom_ev_name[i]))
			return i;
	return -1;
}

int oom_run_wait(struct oom_run *r, enum oom_ev until, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct trace_event ev;

	while (!r->seen[until]) {
		unsigned long long pid;
		int kind, err;

		err = tracer_next(&r->tr, &ev, ms_left(deadline));
		if (err)
			return err;
		kind = event_kind(&ev);
		if (kind < 0 || r->seen[kind])
			continue;
		if (trace_field_ull(&ev, "pid", &pid) ||
		    pid != (unsigned long long)r->victim.pid)
			continue;
		r->ev[kind] = ev;
		r->seen[kind] = true;
	}
	return 0;
}

enum oom_ev oom_run_done(const struct oom_run *r)
{
	return r->policy_events ? OOM_EV_REAP_RESULT : OOM_EV_FINISH_REAPING;
}

long long oom_run_gap_us(const struct oom_run *r, enum oom_ev from,
			 enum oom_ev to)
{
	return (long long)r->ev[to].ts_us - (long long)r->ev[from].ts_us;
}

uint64_t oom_run_charged(const struct oom_run *r)
{
	uint64_t bytes;

	return memcg_read_u64(&r->cg, "memory.current", &bytes) ? 0 : bytes;
}

void oom_run_log(const struct oom_run *r)
{
	fprintf(stderr, "# victim pid %d, trigger pid %d, events:\n",
		r->victim.pid, r->trigger);
	for (int i = 0; i < OOM_EV_NR; i++)
		if (r->seen[i])
			fprintf(stderr, "#   %llu.%06llu %s-%d [%s] %s: %s\n",
				(unsigned long long)r->ev[i].ts_us / 1000000,
				(unsigned long long)r->ev[i].ts_us % 1000000,
				r->ev[i].comm, r->ev[i].task_pid,
				r->ev[i].flags, r->ev[i].name,
				r->ev[i].fields);
}

void oom_run_teardown(struct oom_run *r)
{
	oom_trigger_stop(&r->trigger);
	mm_unpin(&r->pin);
	victim_destroy(&r->victim);
	memcg_destroy(&r->cg);
	tracer_close(&r->tr);
}
