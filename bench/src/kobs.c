// SPDX-License-Identifier: GPL-2.0
/*
 * One kill, seen through tracepoints in a private tracefs instance
 * (selftests/lib/tracefs.h) with trace_clock=mono.
 *
 * Who frees the memory and when:
 *   oom:mark_victim            the OOM killer picked the victim (kill time)
 *   oom:reap_queued            the policy's decision (delay, reason)
 *   oom:wake_reaper / oom:start_task_reaping / oom:reap_result
 *                              the reaper's pass and its kernel-measured
 *                              duration (duration_us), or process_mrelease's
 *   sched:sched_process_exit   the victim enters do_exit() (before exit_mm())
 *   mmap_lock:*                in the victim's own context after that: the
 *                              read lock exit_mmap() holds across
 *                              unmap_vmas(), then the write lock it holds for
 *                              free_pgtables()/tlb_finish_mmu() until the mm
 *                              is gone
 *   signal:signal_generate     SIGKILL to the victim (lmkd-style kill) and
 *                              SIGCHLD from it (its exit is complete)
 *   oom:victim_freed           (patched kernels) the kernel's own kill to
 *                              freed, once the mm is torn down
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"
#include "fileio.h"

static const char *const oom_events[] = {
	"mark_victim", "reap_queued", "wake_reaper", "start_task_reaping",
	"skip_task_reaping", "reap_result", "finish_task_reaping",
	"victim_freed",
};
static const char *const mm_events[] = {
	"mmap_lock_acquire_returned", "mmap_lock_released",
};

static int enable_all(struct ktrace *kt, const char *val)
{
	char path[512];
	int err = 0;

	for (size_t i = 0; i < sizeof(oom_events) / sizeof(*oom_events); i++) {
		if (!trace_event_exists("oom", oom_events[i]))
			continue;
		snprintf(path, sizeof(path), "%s/events/oom/%s/enable",
			 kt->tr.dir, oom_events[i]);
		err = err ?: file_write_str(path, val);
	}
	snprintf(path, sizeof(path), "%s/events/sched/sched_process_exit/enable",
		 kt->tr.dir);
	err = err ?: file_write_str(path, val);
	snprintf(path, sizeof(path), "%s/events/signal/signal_generate/enable",
		 kt->tr.dir);
	err = err ?: file_write_str(path, val);
	if (kt->mmap_lock)
		for (size_t i = 0; i < 2; i++) {
			snprintf(path, sizeof(path),
				 "%s/events/mmap_lock/%s/enable", kt->tr.dir,
				 mm_events[i]);
			err = err ?: file_write_str(path, val);
		}
	return err;
}

int ktrace_enable(struct ktrace *kt, bool on)
{
	return enable_all(kt, on ? "1" : "0");
}

int ktrace_open(struct ktrace *kt, bool mmap_lock)
{
	char path[512];
	int err;

	memset(kt, 0, sizeof(*kt));
	err = tracer_open(&kt->tr, "oombench");
	if (err)
		return err;
	/* Room for a burst: 256 MiB victims do not fill it, but be safe */
	snprintf(path, sizeof(path), "%s/buffer_size_kb", kt->tr.dir);
	file_write_str(path, "4096");
	/* Only the signals we look at: SIGKILL sent, SIGCHLD sent */
	snprintf(path, sizeof(path), "%s/events/signal/signal_generate/filter",
		 kt->tr.dir);
	err = file_write_str(path, "sig == 9 || sig == 17");
	if (err)
		return err;
	kt->mmap_lock = mmap_lock &&
		trace_event_exists("mmap_lock", "mmap_lock_released") &&
		trace_event_exists("mmap_lock", "mmap_lock_acquire_returned");
	if (kt->mmap_lock) {
		/* Nobody until ktrace_follow() names the victim */
		snprintf(path, sizeof(path), "%s/events/mmap_lock/filter",
			 kt->tr.dir);
		kt->mmap_lock = !file_write_str(path, "common_pid == 0");
	}
	err = enable_all(kt, "1");
	if (err)
		return err;
	return tracer_start(&kt->tr);
}

void ktrace_close(struct ktrace *kt)
{
	if (kt->tr.dir[0])
		enable_all(kt, "0");
	tracer_close(&kt->tr);
}

void ktrace_drain(struct ktrace *kt)
{
	struct trace_event ev;

	while (tracer_next(&kt->tr, &ev, 0) == 0)
		;
}

int ktrace_follow(struct ktrace *kt, pid_t pid)
{
	return ktrace_follow_range(kt, pid, pid);
}

int ktrace_follow_range(struct ktrace *kt, pid_t lo, pid_t hi)
{
	char path[512], filter[96];

	if (!kt->mmap_lock)
		return 0;
	snprintf(path, sizeof(path), "%s/events/mmap_lock/filter", kt->tr.dir);
	/*
	 * Every thread of a threaded victim takes the read lock in exit_mm():
	 * keep to the write lock, which only exit_mmap() takes then (its
	 * end is what kobs_finish() needs), or the events of one kill would
	 * not fit in struct kobs.
	 */
	snprintf(filter, sizeof(filter), "common_pid >= %d && common_pid <= %d%s",
		 lo, hi, lo == hi ? "" : " && write == 1");
	return file_write_str(path, filter);
}

/* A task of the victim: its pid, or one of its threads' (kobs.tid_*) */
static bool kobs_task(const struct kobs *k, pid_t tid)
{
	return tid == k->pid || (tid >= k->tid_lo && tid <= k->tid_hi);
}

void kobs_init(struct kobs *k, pid_t pid)
{
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->kill_sig = k->mark = k->queued = k->wake = k->reap_start = -1;
	k->reap_finish = -1;
	k->tid_lo = k->tid_hi = -1;
	k->skip = k->reap_end = k->exit_start = k->mmap_start = -1;
	k->unmap_end = k->mmap_end = k->chld = k->freed = -1;
	k->delay_ms = k->reap_dur_us = k->attempts = k->anon_left_kb = -1;
	k->kill_to_freed_us = -1;
}

static long long fnum(const struct trace_event *ev, const char *key)
{
	unsigned long long v;

	return trace_field_ull(ev, key, &v) ? -1 : (long long)v;
}

static void fstr(const struct trace_event *ev, const char *key, char *buf,
		 size_t size)
{
	if (!trace_field(ev, key, buf, size))
		buf[0] = '\0';
}

static void first(int64_t *slot, const struct trace_event *ev)
{
	if (*slot < 0)
		*slot = ev->ts_us;
}

void kobs_feed(struct kobs *k, const struct trace_event *ev)
{
	const char *n = ev->name;

	if (!strncmp(n, "mmap_lock_", 10)) {
		char w[8] = "";

		if (!kobs_task(k, ev->task_pid) || k->exit_start < 0 ||
		    k->nmm >= KO_MM_MAX)
			return;
		fstr(ev, "write", w, sizeof(w));
		if (!strcmp(n, "mmap_lock_acquire_returned")) {
			char s[8] = "";

			fstr(ev, "success", s, sizeof(s));
			if (strcmp(s, "true"))
				return;
		} else if (strcmp(n, "mmap_lock_released")) {
			return;
		}
		k->mm[k->nmm].ts = ev->ts_us;
		k->mm[k->nmm].acquire = n[10] == 'a';
		k->mm[k->nmm].write = !strcmp(w, "true");
		k->nmm++;
		return;
	}
	if (!strcmp(n, "signal_generate")) {
		long long sig = fnum(ev, "sig");

		if (sig == 9 && fnum(ev, "pid") == k->pid)
			first(&k->kill_sig, ev);
		else if (sig == 17 && kobs_task(k, ev->task_pid))
			first(&k->chld, ev);
		return;
	}
	if (!strcmp(n, "sched_process_exit")) {
		if (fnum(ev, "pid") == k->pid)
			first(&k->exit_start, ev);
		return;
	}
	if (fnum(ev, "pid") != k->pid)
		return;
	if (!strcmp(n, "mark_victim")) {
		first(&k->mark, ev);
	} else if (!strcmp(n, "reap_queued")) {
		first(&k->queued, ev);
		k->delay_ms = fnum(ev, "delay_ms");
		fstr(ev, "reason", k->reason, sizeof(k->reason));
	} else if (!strcmp(n, "wake_reaper")) {
		first(&k->wake, ev);
	} else if (!strcmp(n, "start_task_reaping")) {
		first(&k->reap_start, ev);
	} else if (!strcmp(n, "finish_task_reaping")) {
		first(&k->reap_finish, ev);
	} else if (!strcmp(n, "skip_task_reaping")) {
		first(&k->skip, ev);
	} else if (!strcmp(n, "victim_freed") && k->freed < 0) {
		k->freed = ev->ts_us;
		k->kill_to_freed_us = fnum(ev, "kill_to_freed_us");
		fstr(ev, "freed_by", k->freed_by, sizeof(k->freed_by));
	} else if (!strcmp(n, "reap_result") && k->reap_end < 0) {
		k->reap_end = ev->ts_us;
		k->reap_dur_us = fnum(ev, "duration_us");
		k->attempts = fnum(ev, "attempts");
		k->anon_left_kb = fnum(ev, "anon_rss");
		fstr(ev, "source", k->source, sizeof(k->source));
		fstr(ev, "order", k->order, sizeof(k->order));
		fstr(ev, "result", k->result, sizeof(k->result));
	}
}

/*
 * The victim's mmap_lock events after sched_process_exit: exit_mm() takes
 * and drops the read lock, then exit_mmap() takes it for unmap_vmas(),
 * drops it, and takes the write lock until the address space is gone.
 */
void kobs_finish(struct kobs *k)
{
	int w = -1;

	for (int i = 0; i < k->nmm; i++)
		if (k->mm[i].acquire && k->mm[i].write) {
			w = i;
			break;
		}
	if (w < 0)
		return;
	for (int i = w - 1; i >= 0; i--) {
		if (!k->mm[i].acquire && !k->mm[i].write && k->unmap_end < 0)
			k->unmap_end = k->mm[i].ts;
		if (k->mm[i].acquire && !k->mm[i].write) {
			k->mmap_start = k->mm[i].ts;
			break;
		}
	}
	for (int i = w + 1; i < k->nmm; i++)
		if (!k->mm[i].acquire && k->mm[i].write) {
			k->mmap_end = k->mm[i].ts;
			break;
		}
}

bool kobs_exit_done(const struct kobs *k)
{
	return k->chld >= 0;
}

bool kobs_reaped(const struct kobs *k)
{
	return k->reap_end >= 0;
}

int64_t kobs_freed_at(const struct kobs *k)
{
	int64_t exit_end = k->mmap_end >= 0 ? k->mmap_end : k->chld;

	if (k->reap_finish >= 0 && (exit_end < 0 || k->reap_finish < exit_end))
		return k->reap_finish;
	return exit_end;
}

bool kobs_freed(const struct kobs *k)
{
	return k->reap_finish >= 0 || k->chld >= 0;
}

bool kobs_both(const struct kobs *k)
{
	return kobs_exit_done(k) && kobs_reaped(k);
}

int kobs_collect(struct ktrace *kt, struct kobs *k,
		 bool (*want)(const struct kobs *k), int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct trace_event ev;
	int err = 0;

	while (!want(k)) {
		err = tracer_next(&kt->tr, &ev, ms_left(deadline));
		if (err)
			break;
		kobs_feed(k, &ev);
	}
	/* Whatever else is already buffered (e.g. the tail of exit_mmap) */
	while (tracer_next(&kt->tr, &ev, 0) == 0)
		kobs_feed(k, &ev);
	kobs_finish(k);
	return err;
}

void kobs_rec(struct rec *r, const struct kobs *k, int64_t base)
{
	rec_int(r, "pid", k->pid);
	rec_ms(r, "t_mark", k->mark, base);
	rec_ms(r, "t_queued", k->queued, base);
	rec_ms(r, "t_wake", k->wake, base);
	rec_ms(r, "t_reap_start", k->reap_start, base);
	rec_ms(r, "t_reap_finish", k->reap_finish, base);
	rec_ms(r, "t_skip", k->skip, base);
	rec_ms(r, "t_reap_end", k->reap_end, base);
	rec_ms(r, "t_exit_start", k->exit_start, base);
	rec_ms(r, "t_mmap_start", k->mmap_start, base);
	rec_ms(r, "t_unmap_end", k->unmap_end, base);
	rec_ms(r, "t_mmap_end", k->mmap_end, base);
	rec_ms(r, "t_chld", k->chld, base);
	rec_ms(r, "t_victim_freed", k->freed, base);
	rec_int(r, "kill_to_freed_us", k->kill_to_freed_us);
	rec_str(r, "k_freed_by", k->freed_by);
	rec_int(r, "delay_ms", k->delay_ms);
	rec_str(r, "reason", k->reason);
	rec_str(r, "source", k->source);
	rec_str(r, "order", k->order);
	rec_str(r, "result", k->result);
	rec_int(r, "attempts", k->attempts);
	rec_int(r, "reap_us", k->reap_dur_us);
	rec_int(r, "anon_left_kb", k->anon_left_kb);
}
