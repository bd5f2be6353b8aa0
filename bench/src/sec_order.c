// SPDX-License-Identifier: GPL-2.0
/*
 * Section 1: traversal order.  The victim holds o->size bytes over o->vmas
 * VMAs ("many") or one VMA ("one") in a memory cgroup.  It is pinned to
 * CPU 1, the oom_reaper (or the lmkd-style killer) to CPU 0, so the reaper
 * really races exit_mmap() on the other CPU.
 *
 * OOM kill ("order" records): the victim itself goes over memory.max and
 * the memcg OOM-kills it in its own page fault; then it exits.  Nobody
 * spins on memory.max meanwhile (lowering memory.max from outside would
 * leave the writer looping in memory_max_write() on a third runnable task).
 *   reverse  delay 0, vm.oom_reap_order=1
 *   forward  delay 0, vm.oom_reap_order=0
 *   none     delay 10000: the victim has exited long before the timer, the
 *            reaper only finds MMF_OOM_SKIP (exit alone)
 *
 * lmkd-style kill ("lmkd" records): pidfd_send_signal(SIGKILL) and at once
 * process_mrelease() from the killer on CPU 0.
 *   mrelease-reverse, mrelease-forward, kill-only
 *
 * THP (-t off,on, the default): every case also runs with the victim's
 * heap PMD-mapped (set up with THP "always", then the setting put back
 * before the kill: bench/src/thp.c says why); records carry "thp" 0/1 and
 * the victim's AnonHugePages.  Without THP in the kernel only THP-off runs and a
 * "thp" record says so.
 *
 * Configurations (and THP off/on) are interleaved inside each repetition,
 * in an order that rotates from one repetition to the next.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "victim.h"
#include "oom_policy.h"

#define VICTIM_CPU	1
#define REAPER_CPU	0

static void parse_cases(const struct bopts *o, struct ocase *c, int *n)
{
	char buf[128], *tok, *save;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", o->cases ? o->cases : "many,one");
	for (tok = strtok_r(buf, ",", &save); tok && *n < 4;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "many"))
			c[(*n)++] = (struct ocase){ "many", o->vmas };
		else if (!strcmp(tok, "one"))
			c[(*n)++] = (struct ocase){ "one", 1 };
		else
			die("order: unknown case '%s' (many, one)", tok);
	}
}

static void common_fields(struct rec *r, const struct bopts *o,
			  const char *cname, int vmas, const char *cfg, int rep,
			  bool thp, long huge_kb)
{
	rec_str(r, "case", cname);
	rec_str(r, "cfg", cfg);
	rec_int(r, "rep", rep);
	rec_int(r, "thp", thp);
	rec_int(r, "anon_huge_kb", huge_kb);
	rec_int(r, "size_mib", o->size / MIB);
	rec_int(r, "vmas", vmas);
	if (o->label)
		rec_str(r, "label", o->label);
}

static void memcg_left(struct rec *r, const struct memcg *cg)
{
	uint64_t cur = 0;

	memcg_read_u64(cg, "memory.current", &cur);
	rec_int(r, "memcg_after_kb", cur >> 10);
}

/* Set by the profile section: sample the kernel during each kill */
static bool profiling;
static pid_t the_reaper;

/*
 * The policy of a configuration: order's and lmkd's own, or those of the
 * comparison with stock 7.3 (sec_stock.c): "default" and "mrelease" = the
 * defaults (nothing to set on stock), "delay0" = delay 0, the rest default.
 */
static void cfg_policy(const char *cfg)
{
	bool patched = oom_policy_present();

	if (!strcmp(cfg, "reverse"))
		policy(0, 1, 1);
	else if (!strcmp(cfg, "forward"))
		policy(0, 1, 0);
	else if (!strcmp(cfg, "none"))
		policy(10000, 1, 1);
	else if (!strcmp(cfg, "mrelease-reverse") || !strcmp(cfg, "kill-only"))
		policy(OOM_REAP_DELAY_DEFAULT_MS, 1, OOM_REAP_ORDER_REVERSE);
	else if (!strcmp(cfg, "mrelease-forward"))
		policy(OOM_REAP_DELAY_DEFAULT_MS, 1, OOM_REAP_ORDER_FORWARD);
	else if (!strcmp(cfg, "delay0"))
		policy(0, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	else if (patched)	/* default, mrelease, stock */
		policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT,
		       OOM_REAP_ORDER_DEFAULT);
}

int kill_oom_once(const struct bopts *o, struct ktrace *kt, struct memcg *cg,
		  const char *sec, const struct ocase *c, const char *cfg,
		  int rep, bool thp)
{
	struct victim v;
	long huge;
	struct kobs k;
	struct rec r;
	int64_t t_go, t_waited;
	double par0, par1;
	pid_t pid;
	int status, err;

	cfg_policy(cfg);
	memcg_write(cg, "memory.max", "max");
	err = bench_victim(&v, cg, o->size, c->vmas, VICTIM_CPU, thp);
	if (err)
		die("%s: victim: %s", sec, strerror(err));
	pid = v.pid;
	huge = proc_smaps_kb(pid, "AnonHugePages");
	ktrace_follow(kt, pid);
	ktrace_drain(kt);
	usleep(20000);	/* let the system settle after the victim's setup */
	par0 = par_probe();

	if (profiling)
		prof_enable(true);
	t_go = now_us();
	err = victim_go_oom(&v, cg);
	if (err)
		die("order: go: %s", strerror(err));
	status = reap_child(pid);
	t_waited = now_us();
	v.pid = 0;
	if (profiling) {
		/* the reaper may still be finishing its pass */
		usleep(20000);
		char key[64];

		prof_enable(false);
		snprintf(key, sizeof(key), "%s/%s%s", c->name, cfg,
			 thp ? "/thp" : "");
		prof_drain(key, pid, the_reaper);
	}

	par1 = par_probe();
	kobs_init(&k, pid);
	/* order's reverse/forward: the reaper's pass too; else the exit */
	kobs_collect(kt, &k, strcmp(cfg, "reverse") && strcmp(cfg, "forward") ?
		     kobs_exit_done : kobs_both, 20000);
	rec_begin(&r, sec);
	rec_str(&r, "kernel", kernel_kind());
	common_fields(&r, o, c->name, c->vmas, cfg, rep, thp, huge);
	rec_int(&r, "killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	rec_num(&r, "par_before", par0);
	rec_num(&r, "par_after", par1);
	rec_ms(&r, "t_go", t_go, k.mark);
	rec_ms(&r, "t_waited", t_waited, k.mark);
	kobs_rec(&r, &k, k.mark);
	memcg_left(&r, cg);
	rec_end(&r);
	victim_destroy(&v);
	return 0;
}

int kill_lmkd_once(const struct bopts *o, struct ktrace *kt, struct memcg *cg,
		   const char *sec, const struct ocase *c, const char *cfg,
		   int rep, bool thp)
{
	long huge;
	bool mrelease = strncmp(cfg, "mrelease", 8) == 0;
	int64_t t_kill, t_mr0 = -1, t_mr1 = -1, t_waited;
	long mr_ret = 0, mr_errno = 0;
	double par0, par1;
	struct victim v;
	struct kobs k;
	struct rec r;
	int pidfd, err, status;
	pid_t pid;

	cfg_policy(cfg);
	memcg_write(cg, "memory.max", "max");
	err = bench_victim(&v, cg, o->size, c->vmas, VICTIM_CPU, thp);
	if (err)
		die("%s: victim: %s", sec, strerror(err));
	pid = v.pid;
	huge = proc_smaps_kb(pid, "AnonHugePages");
	pidfd = syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		die("pidfd_open: %s", strerror(errno));
	ktrace_follow(kt, pid);
	ktrace_drain(kt);
	usleep(20000);
	par0 = par_probe();

	t_kill = now_us();
	if (syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0))
		die("pidfd_send_signal: %s", strerror(errno));
	if (mrelease) {
		t_mr0 = now_us();
		mr_ret = syscall(__NR_process_mrelease, pidfd, 0);
		mr_errno = mr_ret ? errno : 0;
		t_mr1 = now_us();
	}
	status = reap_child(pid);
	t_waited = now_us();
	v.pid = 0;
	close(pidfd);
	par1 = par_probe();

	kobs_init(&k, pid);
	/* process_mrelease() has its reap_result on the patched kernel only */
	kobs_collect(kt, &k, mrelease && oom_policy_present() ? kobs_both :
		     kobs_exit_done, 20000);
	if (k.kill_sig < 0)	/* no signal event: fall back on our clock */
		k.kill_sig = t_kill;
	rec_begin(&r, sec);
	rec_str(&r, "kernel", kernel_kind());
	common_fields(&r, o, c->name, c->vmas, cfg, rep, thp, huge);
	rec_int(&r, "killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	rec_num(&r, "par_before", par0);
	rec_num(&r, "par_after", par1);
	rec_ms(&r, "t_kill_call", t_kill, k.kill_sig);
	rec_ms(&r, "t_mrelease_call", t_mr0, k.kill_sig);
	rec_ms(&r, "t_mrelease_ret", t_mr1, k.kill_sig);
	rec_int(&r, "mrelease_ret", mr_ret);
	rec_int(&r, "mrelease_errno", mr_errno);
	rec_ms(&r, "t_waited", t_waited, k.kill_sig);
	rec_ms(&r, "t_kill", k.kill_sig, k.kill_sig);
	kobs_rec(&r, &k, k.kill_sig);
	memcg_left(&r, cg);
	rec_end(&r);
	victim_destroy(&v);
	return 0;
}

void kill_setup(struct ktrace *kt, struct memcg *cg, const char *name)
{
	int err;

	if (pin_self(REAPER_CPU))
		die("cannot pin to CPU %d", REAPER_CPU);
	pin_reaper(REAPER_CPU);
	err = ktrace_open(kt, true);
	if (err)
		die("tracefs: %s", strerror(err));
	if (!kt->mmap_lock)
		note("no mmap_lock events: exit_mmap() timed by SIGCHLD only");
	err = memcg_create(cg, name);
	if (err)
		die("memcg: %s", strerror(err));
}

static int run(const struct bopts *o, bool lmkd)
{
	static const char *const oom_cfgs[] = { "reverse", "forward", "none" };
	static const char *const lmkd_cfgs[] = {
		"mrelease-reverse", "mrelease-forward", "kill-only" };
	const char *const *cfgs = lmkd ? lmkd_cfgs : oom_cfgs;
	const char *sec = profiling ? "profile" : lmkd ? "lmkd" : "order";
	struct ocase cases[4];
	struct ktrace kt;
	struct memcg cg;
	bool modes[2];
	int ncases, nmodes;

	parse_cases(o, cases, &ncases);
	nmodes = thp_modes(sec, o->thp, modes);
	kill_setup(&kt, &cg, lmkd ? "oombench-lmkd" : "oombench-order");

	for (int rep = 0; rep < o->reps; rep++) {
		for (int ci = 0; ci < ncases; ci++) {
			for (int t = 0; t < nmodes; t++) {
				bool thp = modes[(t + rep) % nmodes];

				for (int i = 0; i < 3; i++) {
					const char *cfg = cfgs[(i + rep) % 3];

					if (lmkd)
						kill_lmkd_once(o, &kt, &cg, "lmkd",
							       &cases[ci], cfg, rep, thp);
					else
						kill_oom_once(o, &kt, &cg, profiling ?
							      "order-prof" : "order",
							      &cases[ci], cfg, rep, thp);
				}
			}
		}
		note("%s: repetition %d/%d done", lmkd ? "lmkd" : "order",
		     rep + 1, o->reps);
	}
	policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	thp_restore();
	memcg_destroy(&cg);
	ktrace_close(&kt);
	return 0;
}

int sec_order(const struct bopts *o)
{
	return run(o, false);
}

/*
 * The same OOM kills as "order" (many VMAs by default), with the kernel
 * sampled on both CPUs from the kill until the victim is gone: what the
 * reaper and exit_mmap() spend their time on, and what they wait for.
 * The sampling perturbs the timings: its kills are kept apart
 * ("order-prof" records) and do not enter the headline.  THP off unless
 * -t says otherwise (the profile's tables have no THP column).
 */
int sec_profile(const struct bopts *o)
{
	struct bopts po = *o;
	int err;

	if (!po.cases)
		po.cases = "many";
	if (!po.thp)
		po.thp = "off";
	err = prof_open();
	if (err)
		die("profile: perf_event_open: %s", strerror(err));
	the_reaper = reaper_pid();
	profiling = true;
	run(&po, false);
	profiling = false;
	prof_emit("prof");
	prof_close();
	return 0;
}

int sec_lmkd(const struct bopts *o)
{
	return run(o, true);
}
