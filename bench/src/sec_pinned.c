// SPDX-License-Identifier: GPL-2.0
/*
 * Sections 2 and 3: victims that cannot free their memory themselves.
 *
 * The victim's mm is pinned from outside its cgroup (selftests/lib/mm_pin.h:
 * a reader thread of ours blocks in copy_to_user() of a /proc/PID/mem read,
 * holding mm_users), so exit_mmap() cannot run when it dies and only the
 * oom_reaper frees the memory.  That makes "kill -> reap start" and
 * "kill -> memory back" well defined for every configuration.
 *
 * frozen: the victim's cgroup is frozen with cgroup.freeze (lib memcg.h),
 *         then memory.max is lowered from outside (lib oom_trigger.h, the
 *         only way to OOM-kill a frozen task); delay stays at its default
 *         2000 ms; bypass on vs off.
 * delay:  the victim goes over memory.max itself (no writer spinning on
 *         memory.max); delay 0, 100, 500, 2000 ms.
 * Both with THP off and on (-t, default off,on; see sec_order.c).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "victim.h"
#include "child_wait.h"
#include "mm_pin.h"
#include "oom_trigger.h"

/* Nothing is pinned here: the reaper's wakeup latency is part of the result */
#define VICTIM_CPU	(-1)

static void pinned_fields(struct rec *r, const struct bopts *o,
			  const char *cfg, int rep, bool thp)
{
	rec_str(r, "cfg", cfg);
	rec_int(r, "rep", rep);
	rec_int(r, "thp", thp);
	rec_int(r, "size_mib", o->size / MIB);
	if (o->label)
		rec_str(r, "label", o->label);
}

static void one_frozen(const struct bopts *o, struct ktrace *kt,
		       struct memcg *cg, bool bypass, int rep, bool thp)
{
	struct mm_pin pin;
	struct victim v;
	struct kobs k;
	struct rec r;
	pid_t trigger, pid;
	char max[32];
	int64_t t_trig, t1, j0, j1;
	int err;

	policy(OOM_REAP_DELAY_DEFAULT_MS, bypass, OOM_REAP_ORDER_REVERSE);
	memcg_write(cg, "memory.max", "max");
	err = bench_victim(&v, cg, o->size, 1, VICTIM_CPU, thp);
	if (err)
		die("frozen: victim: %s", strerror(err));
	pid = v.pid;
	err = mm_pin(&pin, pid, v.addr, 10000);
	if (err)
		die("frozen: mm_pin: %s", strerror(err));
	err = memcg_freeze(cg, 10000);
	if (err)
		die("frozen: freeze: %s", strerror(err));
	ktrace_drain(kt);
	usleep(20000);

	snprintf(max, sizeof(max), "%zu", o->size / 8);
	j0 = jiffies_ms();
	t_trig = now_us();
	trigger = oom_trigger_start(cg, max);
	if (trigger < 0)
		die("frozen: trigger: %s", strerror(-trigger));
	/*
	 * Block (not reading the trace pipe, whose wakeups would compete
	 * with the kill path) until the writer is done: its memory.max
	 * write returns once the reaper has freed the memory.
	 */
	if (child_wait(trigger, NULL, 0, 12000) == 0)
		trigger = 0;
	kobs_init(&k, pid);
	kobs_collect(kt, &k, kobs_reaped, 2000 + 8000);
	j1 = jiffies_ms();
	t1 = now_us();
	oom_trigger_stop(&trigger);
	mm_unpin(&pin);
	memcg_write(cg, "cgroup.freeze", "0");
	victim_destroy(&v);

	rec_begin(&r, "frozen");
	pinned_fields(&r, o, bypass ? "bypass-on" : "bypass-off", rep, thp);
	rec_ms(&r, "t_trigger", t_trig, k.mark);
	rec_num(&r, "jiffies_rate", (double)(j1 - j0) * 1000 / (t1 - t_trig));
	kobs_rec(&r, &k, k.mark);
	rec_end(&r);
}

static void one_delay(const struct bopts *o, struct ktrace *kt,
		      struct memcg *cg, unsigned int delay, int rep, bool thp)
{
	struct mm_pin pin;
	struct victim v;
	struct kobs k;
	struct rec r;
	char cfg[32];
	int64_t t_go, t1, j0, j1;
	pid_t pid;
	int err;

	policy(delay, 1, 1);
	memcg_write(cg, "memory.max", "max");
	err = bench_victim(&v, cg, o->size, 1, VICTIM_CPU, thp);
	if (err)
		die("delay: victim: %s", strerror(err));
	pid = v.pid;
	err = mm_pin(&pin, pid, v.addr, 10000);
	if (err)
		die("delay: mm_pin: %s", strerror(err));
	ktrace_drain(kt);
	usleep(20000);

	j0 = jiffies_ms();
	t_go = now_us();
	err = victim_go_oom(&v, cg);
	if (err)
		die("delay: go: %s", strerror(err));
	/* It dies at once (its mm stays pinned): no trace reading till then */
	if (child_wait(pid, NULL, __WALL, 10000) == 0)
		v.pid = 0;
	kobs_init(&k, pid);
	kobs_collect(kt, &k, kobs_reaped, delay + 8000);
	j1 = jiffies_ms();
	t1 = now_us();
	mm_unpin(&pin);
	victim_destroy(&v);

	snprintf(cfg, sizeof(cfg), "%u", delay);
	rec_begin(&r, "delay");
	pinned_fields(&r, o, cfg, rep, thp);
	rec_int(&r, "delay_set_ms", delay);
	rec_ms(&r, "t_go", t_go, k.mark);
	rec_num(&r, "jiffies_rate", (double)(j1 - j0) * 1000 / (t1 - t_go));
	kobs_rec(&r, &k, k.mark);
	rec_end(&r);
}

static void setup(struct ktrace *kt, struct memcg *cg, const char *name)
{
	int err;

	/* Anything may run anywhere: nothing here races the reaper */
	unpin_all(true);
	err = ktrace_open(kt, false);
	if (err)
		die("tracefs: %s", strerror(err));
	err = memcg_create(cg, name);
	if (err)
		die("memcg: %s", strerror(err));
}

int sec_frozen(const struct bopts *o)
{
	struct ktrace kt;
	struct memcg cg;

	bool modes[2];
	int nmodes = thp_modes("frozen", o->thp, modes);

	setup(&kt, &cg, "oombench-frozen");
	for (int rep = 0; rep < o->reps; rep++) {
		for (int t = 0; t < nmodes; t++)
			for (int i = 0; i < 2; i++)
				one_frozen(o, &kt, &cg, (i + rep) % 2 == 0, rep,
					   modes[(t + rep) % nmodes]);
		note("frozen: repetition %d/%d done", rep + 1, o->reps);
	}
	policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	thp_restore();
	memcg_destroy(&cg);
	ktrace_close(&kt);
	return 0;
}

int sec_delay(const struct bopts *o)
{
	unsigned int delays[8];
	int n = 0;
	char buf[128], *tok, *save;
	struct ktrace kt;
	struct memcg cg;

	snprintf(buf, sizeof(buf), "%s", o->cases ? o->cases : "0,100,500,2000");
	for (tok = strtok_r(buf, ",", &save); tok && n < 8;
	     tok = strtok_r(NULL, ",", &save))
		delays[n++] = strtoul(tok, NULL, 10);
	bool modes[2];
	int nmodes = thp_modes("delay", o->thp, modes);

	setup(&kt, &cg, "oombench-delay");
	for (int rep = 0; rep < o->reps; rep++) {
		for (int t = 0; t < nmodes; t++)
			for (int i = 0; i < n; i++)
				one_delay(o, &kt, &cg, delays[(i + rep) % n], rep,
					  modes[(t + rep) % nmodes]);
		note("delay: repetition %d/%d done", rep + 1, o->reps);
	}
	policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	thp_restore();
	memcg_destroy(&cg);
	ktrace_close(&kt);
	return 0;
}
