// SPDX-License-Identifier: GPL-2.0
/*
 * Section "starved": frozen victims that are thawed by the kill (6.18,
 * "mm/oom_kill: thaw the entire OOM victim process") but cannot run
 * promptly afterwards, the case a frozen bypass would exist for.  Runs on
 * the patched kernel (bypass off = its default, bypass on) and on stock
 * 7.3 (bench/run.sh boots both, alternately).
 *
 * The victim: -s MiB of touched anonymous memory in one VMA, in the cgroup
 * oombench-starved/victim, frozen with cgroup.freeze, then OOM-killed by
 * lowering its memory.max from outside (the only way to OOM-kill a frozen
 * task; selftests/lib/oom_trigger.h).  Its mm is NOT pinned: it frees its
 * memory itself once it runs, or the reaper does first.  Cases:
 *
 *   idle     nothing else runs (the control: thawed, it exits at once)
 *   cpumax   its parent cgroup (oombench-starved) has cpu.max 20 ms per
 *            100 ms and two busy loops in oombench-starved/busy use it up:
 *            a pod at its CPU limit, an Android cached app whose group is
 *            throttled
 *   weight   its parent has cpu.weight 1 and two busy loops (one per CPU)
 *            in a sibling at cpu.weight 10000: background work under a
 *            saturated foreground (the oom_reaper, a kthread of the root
 *            cgroup, competes with the busy loops at its own weight)
 *   rt       two SCHED_FIFO busy loops, one per CPU: the CPUs saturated by
 *            real-time work; the victim, the reaper and the memory.max
 *            writer share the fair server's 5 % of each CPU
 *   threads  the victim has STARVED_THREADS more threads, all frozen: each
 *            must be thawed, take the SIGKILL and exit before the last one
 *            drops the mm; nothing else runs
 *
 * The bench itself runs SCHED_FIFO above the busy loops (SCHED_RESET_ON_FORK:
 * its children, the victim included, are normal tasks), so that it can
 * set up, watch and stop everything.  Measured per kill, time 0 =
 * oom:mark_victim: "freed" = the earlier of the reaper's pass ending
 * (oom:finish_task_reaping, on both kernels) and the victim's exit_mmap()
 * ending (the write-lock release in whichever of its threads is last to
 * exit; failing that, the SIGCHLD that thread sends for the group).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "child_wait.h"
#include "fileio.h"
#include "oom_policy.h"
#include "oom_trigger.h"
#include "victim.h"

#define STARVED_THREADS	128
#define PARENT		CGROUP2_ROOT "/oombench-starved"
#define BUSY		PARENT "/busy"
#define HOG		CGROUP2_ROOT "/oombench-hog"
#define BENCH_PRIO	50	/* SCHED_FIFO: above the rt case's busy loops */
#define BUSY_PRIO	10

enum scase { C_IDLE, C_CPUMAX, C_WEIGHT, C_RT, C_THREADS, C_N };
static const char *const case_names[C_N] = {
	"idle", "cpumax", "weight", "rt", "threads",
};

struct load {
	pid_t pid[2];
};

/* A busy loop on @cpu, in cgroup directory @cg (NULL: ours), FIFO if @rt */
static pid_t busy_start(int cpu, const char *cg, bool rt)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe2(ready, O_CLOEXEC))
		die("starved: pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("starved: fork: %s", strerror(errno));
	if (pid == 0) {
		struct sched_param sp = { .sched_priority = BUSY_PRIO };
		char path[256];

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, "busy_loop");
		pin_self(cpu);
		if (cg) {
			snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
			if (file_write_str(path, "0"))
				_exit(1);
		}
		if (rt && sched_setscheduler(0, SCHED_FIFO, &sp))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			;
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("starved: busy loop on CPU %d did not start", cpu);
	close(ready[0]);
	return pid;
}

/*
 * Per case: a cpu knob of the victim's parent and where the two busy
 * loops run (NULL: our cgroup), FIFO or not, and how long to let them run
 * before the kill (cpumax: until the period's quota is used up)
 */
static const struct {
	const char *knob, *val, *busy_cg;
	bool busy, rt;
	int settle_ms;
} loads[C_N] = {
	[C_CPUMAX] = { "cpu.max", "20000 100000", BUSY, true, false, 150 },
	[C_WEIGHT] = { "cpu.weight", "1", HOG, true, false, 0 },
	[C_RT] = { NULL, NULL, NULL, true, true, 0 },
};

static void load_start(struct load *l, enum scase c)
{
	char path[256];
	int err;

	l->pid[0] = l->pid[1] = 0;
	if (loads[c].knob) {
		snprintf(path, sizeof(path), "%s/%s", PARENT, loads[c].knob);
		err = file_write_str(path, loads[c].val);
		if (err)
			die("starved: %s: %s", path, strerror(err));
	}
	for (int cpu = 0; loads[c].busy && cpu < 2; cpu++)
		l->pid[cpu] = busy_start(cpu, loads[c].busy_cg, loads[c].rt);
	if (loads[c].settle_ms)
		usleep(loads[c].settle_ms * 1000);
}

static void load_stop(struct load *l)
{
	for (int i = 0; i < 2; i++)
		if (l->pid[i] > 0) {
			kill(l->pid[i], SIGKILL);
			reap_child(l->pid[i]);
			l->pid[i] = 0;
		}
	file_write_str(PARENT "/cpu.max", "max");
	file_write_str(PARENT "/cpu.weight", "100");
}

/* The lowest and highest thread id of @pid, from /proc/PID/task */
static void tid_range(pid_t pid, pid_t *lo, pid_t *hi)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	*lo = *hi = pid;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		die("starved: %s: %s", path, strerror(errno));
	while ((d = readdir(dir))) {
		pid_t t = atoi(d->d_name);

		if (t > 0 && t < *lo)
			*lo = t;
		if (t > *hi)
			*hi = t;
	}
	closedir(dir);
}

static void one_starved(const struct bopts *o, struct ktrace *kt,
			struct memcg *cg, enum scase c, const char *cfg,
			int rep, bool thp)
{
	int threads = c == C_THREADS ? STARVED_THREADS : 0;
	struct load load;
	struct victim v;
	struct kobs k;
	struct rec r;
	char max[32];
	pid_t trigger, pid, tid_lo, tid_hi;
	int64_t t_trig, t_freed;
	long huge;
	int err;

	if (oom_policy_present())
		policy(OOM_REAP_DELAY_DEFAULT_MS, !strcmp(cfg, "bypass-on"),
		       OOM_REAP_ORDER_DEFAULT);
	memcg_write(cg, "memory.max", "max");
	err = bench_victim_threads(&v, cg, o->size, 1, -1, thp, threads);
	if (err)
		die("starved: victim: %s", strerror(err));
	pid = v.pid;
	huge = proc_smaps_kb(pid, "AnonHugePages");
	if (threads)
		tid_range(pid, &tid_lo, &tid_hi);
	else
		tid_lo = tid_hi = pid;
	err = ktrace_follow_range(kt, tid_lo, tid_hi);
	if (err)
		die("starved: mmap_lock filter: %s", strerror(err));
	err = memcg_freeze(cg, 10000);
	if (err)
		die("starved: freeze: %s", strerror(err));
	load_start(&load, c);
	ktrace_drain(kt);

	snprintf(max, sizeof(max), "%zu", o->size / 8);
	t_trig = now_us();
	trigger = oom_trigger_start(cg, max);
	if (trigger < 0)
		die("starved: trigger: %s", strerror(-trigger));
	kobs_init(&k, pid);
	k.tid_lo = tid_lo;
	k.tid_hi = tid_hi;
	kobs_collect(kt, &k, kobs_freed, OOM_REAP_DELAY_DEFAULT_MS + 20000);
	t_freed = kobs_freed_at(&k);
	load_stop(&load);
	oom_trigger_stop(&trigger);
	memcg_write(cg, "cgroup.freeze", "0");
	victim_destroy(&v);

	rec_begin(&r, "starved");
	rec_str(&r, "kernel", kernel_kind());
	rec_str(&r, "case", case_names[c]);
	rec_str(&r, "cfg", cfg);
	rec_int(&r, "rep", rep);
	rec_int(&r, "thp", thp);
	rec_int(&r, "anon_huge_kb", huge);
	rec_int(&r, "size_mib", o->size / MIB);
	rec_int(&r, "threads", threads + 1);
	rec_ms(&r, "t_trigger", t_trig, k.mark);
	rec_ms(&r, "t_freed", t_freed, k.mark);
	rec_str(&r, "freed_by", t_freed < 0 ? "" : t_freed == k.reap_finish ?
		"reaper" : "exit");
	kobs_rec(&r, &k, k.mark);
	if (o->label)
		rec_str(&r, "label", o->label);
	rec_end(&r);
}

static void cg_dir(const char *path, const char *controllers)
{
	char f[256];

	if (mkdir(path, 0755) && errno != EEXIST)
		die("starved: mkdir %s: %s", path, strerror(errno));
	if (controllers) {
		int err;

		snprintf(f, sizeof(f), "%s/cgroup.subtree_control", path);
		err = file_write_str(f, controllers);
		if (err)
			die("starved: %s: %s", f, strerror(err));
	}
}

int sec_starved(const struct bopts *o)
{
	static const char *const patched_cfgs[] = { "bypass-off", "bypass-on" };
	static const char *const stock_cfgs[] = { "stock" };
	struct sched_param sp = { .sched_priority = BENCH_PRIO };
	bool patched = oom_policy_present();
	const char *const *cfgs = patched ? patched_cfgs : stock_cfgs;
	int ncfgs = patched ? 2 : 1, ncases = 0, nmodes, err;
	bool modes[2];
	enum scase cases[C_N];
	char buf[128], *tok, *save;
	struct ktrace kt;
	struct memcg cg;

	snprintf(buf, sizeof(buf), "%s",
		 o->cases ? o->cases : "idle,cpumax,weight,rt,threads");
	for (tok = strtok_r(buf, ",", &save); tok && ncases < C_N;
	     tok = strtok_r(NULL, ",", &save)) {
		int i = 0;

		while (i < C_N && strcmp(tok, case_names[i]))
			i++;
		if (i == C_N)
			die("starved: unknown case '%s' (idle, cpumax, weight, rt, threads)",
			    tok);
		cases[ncases++] = i;
	}
	nmodes = thp_modes("starved", o->thp, modes);

	/* cgroup2 is mounted by the guest's init: memory and cpu for children */
	err = file_write_str(CGROUP2_ROOT "/cgroup.subtree_control", "+memory +cpu");
	if (err)
		die("starved: the cpu controller: %s (CONFIG_CGROUP_SCHED, "
		    "CONFIG_CFS_BANDWIDTH)", strerror(err));
	cg_dir(PARENT, "+memory +cpu");
	cg_dir(BUSY, NULL);
	cg_dir(HOG, NULL);
	err = file_write_str(HOG "/cpu.weight", "10000");
	if (err)
		die("starved: %s/cpu.weight: %s", HOG, strerror(err));
	err = memcg_create(&cg, "oombench-starved/victim");
	if (err)
		die("starved: memcg: %s", strerror(err));
	err = ktrace_open(&kt, true);
	if (err)
		die("tracefs: %s", strerror(err));
	unpin_all(true);	/* anything may run anywhere, as in the frozen section */
	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
		die("starved: SCHED_FIFO: %s", strerror(errno));

	for (int rep = 0; rep < o->reps; rep++) {
		for (int ci = 0; ci < ncases; ci++)
			for (int t = 0; t < nmodes; t++)
				for (int i = 0; i < ncfgs; i++)
					one_starved(o, &kt, &cg, cases[ci],
						    cfgs[(i + rep + ci) % ncfgs], rep,
						    modes[(t + rep) % nmodes]);
		note("starved: repetition %d/%d done (%s kernel)", rep + 1,
		     o->reps, kernel_kind());
	}

	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
	if (patched)
		policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT,
		       OOM_REAP_ORDER_DEFAULT);
	thp_restore();
	memcg_destroy(&cg);
	rmdir(BUSY);
	rmdir(HOG);
	rmdir(PARENT);
	ktrace_close(&kt);
	return 0;
}
