/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oombench: what the OOM reaper policies buy, measured inside the VM.
 *
 * Every section prints one JSON object per measurement on stdout, on a line
 * of its own that starts with "@B " (the host extracts those lines from the
 * guest's result port and does all statistics there).  Progress goes to
 * stderr.  Times come from CLOCK_MONOTONIC or from tracefs with
 * trace_clock=mono, which is the same clock.
 */
#ifndef OOMBENCH_H
#define OOMBENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/oom_netlink.h>	/* the policy defaults */

#include "clock.h"
#include "memcg.h"
#include "tracefs.h"

#define MIB (1UL << 20)

/* Options shared by all sections (see usage() in oombench.c) */
struct bopts {
	int reps;		/* repetitions per configuration */
	size_t size;		/* victim size, bytes */
	int vmas;		/* number of VMAs the victim's memory is split in */
	const char *cases;	/* section-specific list, comma separated */
	int kills;		/* storm: kills per chunk; ctl: operations per block */
	int chunks;		/* storm: interleaved chunks per configuration */
	int session;		/* storm: kills in the one long listener session */
	const char *oomctl;	/* path of oomctl, or NULL to use our own client */
	const char *label;	/* free text copied into every record */
	const char *thp;	/* order, lmkd, sparse: "off", "on" or "off,on" */
};

/* ---- output (out.c) ---- */
/* One record: "@B {"sec":"...", ...}" built with the j_* helpers. */
struct rec {
	char buf[2048];
	size_t len;
};
void rec_begin(struct rec *r, const char *section);
void rec_str(struct rec *r, const char *key, const char *val);
void rec_int(struct rec *r, const char *key, long long val);
void rec_num(struct rec *r, const char *key, double val);
/* An event time relative to @base in milliseconds, or null if absent (<0) */
void rec_ms(struct rec *r, const char *key, int64_t t_us, int64_t base_us);
void rec_end(struct rec *r);

void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- system helpers (sys.c) ---- */
int pin_self(int cpu);
int pin_pid(pid_t pid, int cpu);
/* pid of the oom_reaper kthread, 0 if not found */
pid_t reaper_pid(void);
/* Pin the oom_reaper to @cpu; returns 0 or errno (reported, not fatal) */
int pin_reaper(int cpu);
/* Let the oom_reaper (and, if @self, the caller) run on CPU 0 and 1 again */
void unpin_all(bool self);
int set_oom_score_adj(pid_t pid, int adj);
/* VmHWM / VmRSS of @pid in kB, -1 if unreadable */
long proc_status_kb(pid_t pid, const char *key);
long proc_cpu_ms(pid_t pid);
/* A field of /proc/PID/smaps_rollup in kB (e.g. AnonHugePages), -1 if none */
long proc_smaps_kb(pid_t pid, const char *key);
/* wait for a child, retrying on EINTR; returns the status */
int reap_child(pid_t pid);
/*
 * Milliseconds of jiffies (times(2), USER_HZ resolution).  The reaper's
 * delay is a timer_list timer, i.e. counted in jiffies; under TCG on a
 * loaded host the periodic tick can be late, jiffies then fall behind
 * CLOCK_MONOTONIC and a delay of D jiffies lasts longer than D ms.
 */
int64_t jiffies_ms(void);
/* Host parallelism: 2.0 = both vCPUs ran at once, 1.0 = they took turns */
double par_probe(void);
/* Apply a policy via the sysctls (selftests/lib/oom_policy.h); dies on error */
void policy(unsigned int delay_ms, unsigned int bypass, unsigned int order);

/* ---- transparent hugepages for the victims' heaps (thp.c) ---- */
bool thp_available(void);
/* Parse "off", "on", "off,on" into want[0] (off) and want[1] (on) */
int thp_parse(const char *list, bool want[2]);
/*
 * Before a section that runs THP-on victims: remember the THP settings
 * (put back by thp_restore(), also at exit) and say what they are in a
 * "thp" record.  Without THP in the kernel, want[1] is cleared (the record
 * says so); ENOENT if nothing is left to run.
 */
int thp_begin(const char *sec, const char *list, bool want[2]);
/*
 * thp_begin() for -t @list (NULL: "off,on"): the modes to run, THP off
 * first, in @modes; their number.  Dies if only THP on was asked for and
 * the kernel has none.
 */
int thp_modes(const char *sec, const char *list, bool modes[2]);
/* Around a THP-on victim's setup: enabled=always, defrag=always; put back */
void thp_victim_begin(void);
void thp_victim_end(void);
void thp_restore(void);

/* ---- the victim (selftests/lib/victim.h, spawned in sys.c) ---- */
/*
 * victim_spawn_opts() with the bench's options: a child in @cg with
 * oom_score_adj 0 (the bench itself is -1000), pinned to @cpu (-1: not
 * pinned), holding @size bytes of touched anonymous memory split into
 * @vmas mappings, each starting on a 2 MiB boundary and followed by an
 * unmapped gap (so they cannot merge), set up with THP "always" when @thp
 * (thp_victim_begin/end), then waiting on a pipe:
 *   victim_go_oom(): it touches an untouched overflow area until the memcg
 *                    OOM-kills it in its own page fault (the natural case:
 *                    nobody spins on memory.max while it exits);
 *   SIGKILL:         it is blocked in read() and dies there.
 * victim_destroy() kills (if still alive) and reaps it.
 */
struct victim;
int bench_victim(struct victim *v, const struct memcg *cg, size_t size,
		 int vmas, int cpu, bool thp);
/* The same with @threads more threads, all blocked (selftests/lib/victim.h) */
int bench_victim_threads(struct victim *v, const struct memcg *cg,
			 size_t size, int vmas, int cpu, bool thp, int threads);

/* ---- one kill seen through tracepoints (kobs.c) ---- */
enum { KO_MM_MAX = 32 };
struct kobs {
	pid_t pid;
	/*
	 * The victim's other threads (kobs_init: none): the last one to exit
	 * runs exit_mmap() and, for the group, sends SIGCHLD
	 */
	pid_t tid_lo, tid_hi;
	/* absolute tracefs timestamps in us (trace_clock=mono); -1 = not seen */
	int64_t kill_sig;	/* signal:signal_generate sig=9 to the victim */
	int64_t mark;		/* oom:mark_victim */
	int64_t queued;		/* oom:reap_queued */
	int64_t wake;		/* oom:wake_reaper */
	int64_t reap_start;	/* oom:start_task_reaping */
	int64_t reap_finish;	/* oom:finish_task_reaping (also on stock 7.3) */
	int64_t skip;		/* oom:skip_task_reaping */
	int64_t reap_end;	/* oom:reap_result (first for this pid) */
	int64_t exit_start;	/* sched:sched_process_exit of the victim */
	int64_t mmap_start;	/* exit_mmap(): mmap read lock taken */
	int64_t unmap_end;	/* exit_mmap(): read lock dropped after unmap_vmas() */
	int64_t mmap_end;	/* exit_mmap(): write lock dropped, mm torn down */
	int64_t chld;		/* SIGCHLD generated by the victim (exit done) */
	int64_t freed;		/* oom:victim_freed (patched kernels) */
	long long delay_ms, reap_dur_us, attempts, anon_left_kb;
	long long kill_to_freed_us;	/* the kernel's, from oom:victim_freed */
	char reason[24], source[24], order[12], result[16], freed_by[24];
	int nmm;
	struct { int64_t ts; bool acquire, write; } mm[KO_MM_MAX];
};

struct ktrace {
	struct tracer tr;
	bool mmap_lock;		/* mmap_lock events are available and on */
};
/* Instance "oombench" with the oom, sched, signal and mmap_lock events */
int ktrace_open(struct ktrace *kt, bool mmap_lock);
void ktrace_close(struct ktrace *kt);
/* Discard whatever is buffered */
void ktrace_drain(struct ktrace *kt);
/* Only record mmap_lock events of @pid (exit_mmap runs in its context) */
int ktrace_follow(struct ktrace *kt, pid_t pid);
/* ... of the tasks @lo..@hi: a victim's threads (/proc/PID/task) */
int ktrace_follow_range(struct ktrace *kt, pid_t lo, pid_t hi);
/* Turn every event on or off (the storm runs untraced) */
int ktrace_enable(struct ktrace *kt, bool on);

void kobs_init(struct kobs *k, pid_t pid);
void kobs_feed(struct kobs *k, const struct trace_event *ev);
/* Derive exit_mmap boundaries from the victim's mmap_lock events */
void kobs_finish(struct kobs *k);
/* Collect events until @want(k) says so or @timeout_ms pass; 0/ETIMEDOUT */
int kobs_collect(struct ktrace *kt, struct kobs *k,
		 bool (*want)(const struct kobs *k), int timeout_ms);
bool kobs_exit_done(const struct kobs *k);	/* exit_mmap ended (or SIGCHLD) */
bool kobs_reaped(const struct kobs *k);		/* reap_result seen */
/* Memory back on either kernel: the reaper's pass ended, or exit_mmap() */
bool kobs_freed(const struct kobs *k);
/* When: the earlier of finish_task_reaping and the exit's end, or -1 */
int64_t kobs_freed_at(const struct kobs *k);
bool kobs_both(const struct kobs *k);
/* Append the standard fields, times relative to @base */
void kobs_rec(struct rec *r, const struct kobs *k, int64_t base);

/* ---- generic netlink client for the "oom" family (genl.c) ---- */
struct genl {
	int fd;
	uint16_t family;
	uint32_t seq;
	uint32_t grp_config, grp_events;
};
struct oom_pol {
	uint32_t delay_ms, bypass, order;
	bool have_delay, have_bypass, have_order;
};
int genl_open(struct genl *g);		/* socket + family lookup: 0/-errno */
void genl_close(struct genl *g);
int genl_policy_get(struct genl *g, struct oom_pol *p);	/* one round trip */
int genl_stats_dropped(struct genl *g, uint64_t *dropped, uint64_t *victims);
int genl_join(struct genl *g, uint32_t group);
struct nlattr;
struct nlmsghdr;
/* A uint attribute (NLA_UINT: 4 or 8 bytes): 0 and *v, or -EBADMSG */
int genl_attr_uint(const struct nlattr *a, uint64_t *v);
/*
 * The attributes of the generic netlink message @n, each whole inside it:
 * the first (*rem: the bytes from it to the end) and the one after @a, or
 * NULL where there is none
 */
struct nlattr *genl_attr_first(const struct nlmsghdr *n, int *rem);
struct nlattr *genl_attr_next(const struct nlattr *a, int *rem);
#define genl_for_each_attr(a, n, rem) \
	for ((a) = genl_attr_first((n), &(rem)); (a); (a) = genl_attr_next((a), &(rem)))

/* ---- one kill of section 1's victims, for other sections (sec_order.c) ---- */
struct ocase {
	const char *name;	/* "many" or "one" */
	int vmas;
};
/*
 * An OOM kill of an exiting victim (the victim goes over memory.max in its
 * own page fault), or an lmkd-style kill (SIGKILL by pidfd, then
 * process_mrelease() if @cfg starts with "mrelease"); one record of
 * section @sec.  @cfg names the policy (cfg_policy() in sec_order.c).
 */
int kill_oom_once(const struct bopts *o, struct ktrace *kt, struct memcg *cg,
		  const char *sec, const struct ocase *c, const char *cfg,
		  int rep, bool thp);
/*
 * Before those kills: the caller and the oom_reaper on CPU 0 (the victim
 * runs on CPU 1), the trace with mmap_lock events, the memory cgroup @name
 */
void kill_setup(struct ktrace *kt, struct memcg *cg, const char *name);
int kill_lmkd_once(const struct bopts *o, struct ktrace *kt, struct memcg *cg,
		   const char *sec, const struct ocase *c, const char *cfg,
		   int rep, bool thp);

/* ---- the storm's kill loop, for other sections (sec_storm.c) ---- */
/* A cgroup @name at 4 MiB that OOM-kills each child the loop starts */
int storm_setup(struct memcg *cg, const char *name);
/* @n kills one after the other: elapsed us, *killed = children SIGKILLed */
int64_t storm_run(int n, int *killed);
void storm_teardown(struct memcg *cg);
/*
 * The family's cost per kill from kernel timestamps (sec_cost.c): @rounds
 * rounds of three @kills-kill blocks (no listener / queued / read), traced
 */
void storm_cost(const struct bopts *o, int rounds, int kills, bool left_only,
		const char *phase);
/* "left" blocks only, on this kernel; family absent (=n) or not */
int sec_cost(const struct bopts *o);

/* ---- kernel profile (prof.c) ---- */
int prof_open(void);
void prof_enable(bool on);
/* Attribute buffered samples to @cfg: victim / reaper / idle / other */
void prof_drain(const char *cfg, pid_t victim, pid_t reaper);
void prof_emit(const char *sec);
void prof_close(void);

/* ---- sections ---- */
int sec_order(const struct bopts *o);
int sec_lmkd(const struct bopts *o);
int sec_sparse(const struct bopts *o);
int sec_frozen(const struct bopts *o);
int sec_delay(const struct bopts *o);
int sec_ctl(const struct bopts *o);
int sec_storm(const struct bopts *o);
int sec_profile(const struct bopts *o);
/* Also on stock 7.3 (no oomctl sysctls): the kernel is named in each record */
int sec_starved(const struct bopts *o);
int sec_stock(const struct bopts *o);
int sec_robust(const struct bopts *o);
/* The exit of a process that is no OOM victim (sec_freed.c) */
int sec_exitcost(const struct bopts *o);
/* An exiting victim's end reported, listened to or not (sec_freed.c) */
int sec_freed(const struct bopts *o);
/* "patched" when the oomctl sysctls exist, else "stock" */
const char *kernel_kind(void);
int tool_nlmon(int argc, char **argv);
int tool_nlget(void);

#endif
