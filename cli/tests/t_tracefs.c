// SPDX-License-Identifier: GPL-2.0
/* The tracefs fallback: trace_pipe lines, and a fake tracefs directory */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracefs.h"
#include "tap.h"

static void line(const char *text, int want, enum ev_type type, struct event *ev)
{
	int ret = tracefs_parse_line(text, ev);

	ok(ret == want && (ret || ev->type == type), "trace line %s: %.50s",
	   want ? "ignored" : ev_type_names[type], text);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *read_text(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	return buf;
}

struct got {
	int n;
	struct event ev[8];
};

static int collect(struct event *ev, void *data)
{
	struct got *g = data;

	if (g->n < 8)
		g->ev[g->n++] = *ev;
	return 0;
}

/* tracefs without instances: top-level events enabled, then put back */
static void test_fake_tracefs(void)
{
	char dir[] = "/tmp/oomctl-tracefs-XXXXXX", path[256], why[256];
	static const char *const evs[] = {
		"mark_victim", "wake_reaper", "start_task_reaping",
		"finish_task_reaping", "skip_task_reaping",
	};
	struct tracefs t;
	struct got g = { 0 };
	int ret;

	if (!mkdtemp(dir)) {
		ok(false, "fake tracefs: mkdtemp");
		return;
	}
	setenv("OOMCTL_TRACEFS", dir, 1);
	ret = tracefs_open(&t, EVC_ALL, why, sizeof(why));
	ok(ret == -ENOENT && strstr(why, "not mounted"), "no events dir: not mounted (%s)", why);
	snprintf(path, sizeof(path), "%s/events", dir);
	mkdir(path, 0755);
	ret = tracefs_open(&t, EVC_ALL, why, sizeof(why));
	ok(ret == -ENOENT && strstr(why, "no oom trace events"), "no oom events: %s", why);
	snprintf(path, sizeof(path), "%s/events/oom", dir);
	mkdir(path, 0755);
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/events/oom/%s", dir, evs[i]);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/events/oom/%s/enable", dir, evs[i]);
		write_text(path, i == 1 ? "1\n" : "0\n");	/* someone else's */
	}
	snprintf(path, sizeof(path), "%s/trace_clock", dir);
	write_text(path, "[local] global counter uptime perf mono mono_raw boot\n");
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	write_text(path,
		   "            tail-95      [001] d..1.    12.345678: mark_victim: pid=95 comm=tail total-vm=70000kB anon-rss=33000kB file-rss:4kB shmem-rss:0kB uid=0 pgtables=100kB oom_score_adj=0\n"
		   "          <idle>-0       [000] ..s1.    14.345700: wake_reaper: pid=95\n"
		   "CPU:1 [LOST 3 EVENTS]\n"
		   "      oom_reaper-30      [000] .....    14.346000: start_task_reaping: pid=95\n"
		   "      oom_reaper-30      [000] .....    14.381000: finish_task_reaping: pid=95\n"
		   "      oom_reaper-30      [000] .....    14.381000: sched_switch: prev_comm=x\n"
		   "a partial line with no newl");
	ret = tracefs_open(&t, EVC_VICTIM | EVC_REAP, why, sizeof(why));
	ok(ret == 0 && !t.instance && !t.mono, "fake tracefs opened at the top level (%s)",
	   ret ? why : "ok");
	if (ret)
		return;
	snprintf(path, sizeof(path), "%s/events/oom/mark_victim/enable", dir);
	ok(!strcmp(read_text(path), "1"), "mark_victim enabled while monitoring");
	while ((ret = tracefs_read(&t, collect, &g)) > 0)
		;
	ok(ret == 0 && g.n == 5, "five events read, then the end of the file (%d, %d)", ret, g.n);
	ok(g.n == 5 && g.ev[0].type == EV_VICTIM && g.ev[1].type == EV_REAP_WAKE &&
	   g.ev[2].type == EV_LOST && g.ev[2].v[F_COUNT] == 3 && g.ev[3].type == EV_REAP_START &&
	   g.ev[4].type == EV_REAP_DONE, "victim, reap-wake, lost 3, reap-start, reap-done");
	ok(g.n == 5 && !g.ev[0].has_ts, "trace clock is not mono: time of reading instead");
	tracefs_close(&t);
	ok(!strcmp(read_text(path), "0"), "mark_victim disabled again afterwards");
	snprintf(path, sizeof(path), "%s/events/oom/wake_reaper/enable", dir);
	ok(!strcmp(read_text(path), "1\n"), "an event someone else enabled is left alone");

	/* With an instances directory: our own instance, removed at the end */
	snprintf(path, sizeof(path), "%s/instances", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/instances/oomctl.999999999", dir);
	mkdir(path, 0755);			/* left by a killed oomctl */
	ret = tracefs_open(&t, EVC_VICTIM, why, sizeof(why));
	ok(ret == -ENOENT && strstr(why, "none of the oom trace events"),
	   "an instance without the events (not a real tracefs) fails cleanly: %s", why);
	ok(access(path, F_OK) != 0, "a stale instance of a dead oomctl is removed");
	snprintf(path, sizeof(path), "%s/instances/oomctl.%d", dir, (int)getpid());
	ok(access(path, F_OK) != 0, "our instance is removed after the failure");
	unsetenv("OOMCTL_TRACEFS");
	/* Clean up the fake tree */
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		ok(system(cmd) == 0, "fake tracefs removed");
	}
}

void test_tracefs(void)
{
	struct event ev;

	line("            tail-95      [001] d..1.    12.345678: mark_victim: pid=95 comm=tail "
	     "total-vm=70000kB anon-rss=33000kB file-rss:4kB shmem-rss:0kB uid=1000 pgtables=100kB "
	     "oom_score_adj=-17", 0, EV_VICTIM, &ev);
	ok(ev.ts_ns == 12345678000ULL && ev.v[F_PID] == 95 && !strcmp(ev.comm, "tail") &&
	   ev.v[F_TOTAL_VM_KB] == 70000 && ev.v[F_ANON_RSS_KB] == 33000 && ev.v[F_FILE_RSS_KB] == 4 &&
	   ev.v[F_SHMEM_RSS_KB] == 0 && ev.v[F_UID] == 1000 && ev.v[F_PGTABLES_KB] == 100 &&
	   (int64_t)ev.v[F_OOM_SCORE_ADJ] == -17 && !ev.has_seq && !strcmp(ev.origin, "tracefs"),
	   "mark_victim: every field, kB stripped, file-rss: with a colon, negative adj");
	line("   my prog-95 [001] ..... 1.000001: mark_victim: pid=95 comm=my prog total-vm=1kB "
	     "anon-rss=1kB file-rss:1kB shmem-rss:1kB uid=0 pgtables=1kB oom_score_adj=0",
	     0, EV_VICTIM, &ev);
	ok(!strcmp(ev.comm, "my prog") && ev.ts_ns == 1000001000ULL,
	   "a comm with a space in it, and in the task column");
	line("  x-1 [000] ..... 5.5: mark_victim: pid=7", 0, EV_VICTIM, &ev);
	ok(ev.v[F_PID] == 7 && !(ev.have & (1ULL << F_COMM)) && ev.ts_ns == 5500000000ULL,
	   "an old kernel's mark_victim with the pid only");
	line("  oom_reaper-30 [000] ..... 14.381000: reap_result: pid=95 source=oom_reaper "
	     "order=reverse result=exited_first attempts=1 duration_us=35000 anon_rss=0kB "
	     "file_rss=0kB shmem_rss=0kB", 0, EV_REAP_DONE, &ev);
	ok(ev.v[F_SOURCE] == 0 && ev.v[F_ORDER] == 1 && ev.v[F_RESULT] == 1 &&
	   ev.v[F_ATTEMPTS] == 1 && ev.v[F_DURATION_US] == 35000,
	   "reap_result: underscores in enum names read as dashes");
	line("  sh-1 [000] ..... 1.000000: reap_queued: pid=95 delay_ms=0 reason=zero_delay",
	     0, EV_REAP_QUEUED, &ev);
	ok(ev.v[F_DELAY_MS] == 0 && ev.v[F_REASON] == 1, "reap_queued: delay and reason");
	line("  sysctl-9 [000] ..... 1.0: reap_policy: delay_ms=250 frozen_bypass=1 order=forward",
	     0, EV_POLICY, &ev);
	ok(ev.v[F_DELAY_MS] == 250 && ev.v[F_FROZEN_BYPASS] == 1 && ev.v[F_ORDER] == 0,
	   "reap_policy");
	line("  tail-95 [001] ..... 14.400000: victim_freed: pid=95 tgid=95 comm=my tail "
	     "memcg_id=42 kill_to_freed_us=35123 freed=32772kB exit=32768kB oom_reaper=4kB "
	     "process_mrelease=0kB freed_by=oom_reaper", 0, EV_FREED, &ev);
	ok(ev.v[F_PID] == 95 && ev.v[F_TGID] == 95 && !strcmp(ev.comm, "my tail") &&
	   ev.v[F_MEMCG_ID] == 42 && ev.v[F_KILL_TO_FREED_US] == 35123 &&
	   ev.v[F_FREED_KB] == 32772 && ev.v[F_FREED_EXIT_KB] == 32768 &&
	   ev.v[F_FREED_OOM_REAPER_KB] == 4 && ev.v[F_FREED_MRELEASE_KB] == 0 &&
	   (ev.have & (1ULL << F_FREED_MRELEASE_KB)) && ev.v[F_FREED_BY] == 1 &&
	   event_class(ev.type) == EVC_FREED,
	   "victim_freed: every field, kB dropped, freed_by oom_reaper read as oom-reaper");
	line("  tail-95 [001] ..... 14.4: victim_freed: pid=95 tgid=95 comm=t memcg_id=0 "
	     "kill_to_freed_us=1 freed=0kB exit=0kB oom_reaper=0kB process_mrelease=0kB "
	     "freed_by=process_mrelease", 0, EV_FREED, &ev);
	ok(ev.v[F_FREED_BY] == 2, "victim_freed: freed_by process_mrelease");
	line("  tail-95 [001] ..... 14.4: victim_freed: pid=95 tgid=95 comm=t memcg_id=0 "
	     "kill_to_freed_us=x freed=0kB", 1, 0, &ev);
	line("  tail-95 [001] ..... 14.4: victim_freed: pid=95 tgid=95 comm=t memcg_id=0 "
	     "kill_to_freed_us=1 freed=0kB exit=0kB oom_reaper=0kB process_mrelease=0kB "
	     "freed_by=alien", 1, 0, &ev);
	line("CPU:0 [LOST 12345 EVENTS]", 0, EV_LOST, &ev);
	ok(ev.v[F_COUNT] == 12345 && ev.v[F_LOST_REASON] == LOST_TRACE_BUFFER, "LOST line: count");
	line("  bash-1 [000] ..... 1.0: sched_switch: prev_comm=bash", 1, 0, &ev);
	line("  bash-1 [000] ..... 1.0: mark_victim: pid=x", 1, 0, &ev);
	line("  bash-1 [000] ..... 1.0: reap_result: pid=1 source=alien", 1, 0, &ev);
	line("mark_victim: pid=1", 1, 0, &ev);
	line("", 1, 0, &ev);
	line("CPU:0 [LOST many EVENTS]", 1, 0, &ev);
	line(": : : 1.: x: 2.3:: .5: y: ", 1, 0, &ev);
	line("  a-1 [000] ..... 1.0: mark_victim: pid=99999999999999999999999", 1, 0, &ev);
	/* The largest stamp 64 bits of ns hold, and beyond: dropped, not wrapped */
	line("  a-1 [000] ..... 18446744073.709551: mark_victim: pid=1", 0, EV_VICTIM, &ev);
	ok(ev.has_ts && ev.ts_ns == 18446744073709551000ULL,
	   "18446744073.709551 s: the last time stamp that fits in 64 bits of ns");
	line("  a-1 [000] ..... 18446744073.709552: mark_victim: pid=2", 0, EV_VICTIM, &ev);
	ok(!ev.has_ts && ev.v[F_PID] == 2,
	   "18446744073.709552 s: out of range, the event kept without its time stamp");
	line("  a-1 [000] ..... 9223372037.000000: mark_victim: pid=3", 0, EV_VICTIM, &ev);
	ok(ev.has_ts && ev.ts_ns == 9223372037000000000ULL, "9223372037 s: above 2^63 ns, kept");
	line("  a-1 [000] ..... 99999999999999999999999.5: mark_victim: pid=4", 0, EV_VICTIM, &ev);
	ok(!ev.has_ts && ev.v[F_PID] == 4, "23 digits of seconds: no time stamp, no wrap");
	line("  a-1 [000] ..... 1.2.3: mark_victim: pid=5", 1, 0, &ev);
	test_fake_tracefs();
}
