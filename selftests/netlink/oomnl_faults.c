// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family: a notification that had a listener and was lost on the
 * way is counted in events-dropped and shows as a gap in the events
 * sequence; nothing is counted when nobody listens.  Real OOM kills in a
 * memory cgroup, reap delay 0.
 *
 * failslab: fault injection limited to the family's sender.  failslab
 * fails slab allocations only when a return address on the allocating
 * stack lies in [require-start, require-end): the text of oom_nl_send()
 * (or, where the compiler inlined it, of the work function that calls
 * it), from /proc/kallsyms.  task-filter is off (the sender is a
 * kworker).  ignore-gfp-wait stays Y, so only allocations that cannot
 * enter direct reclaim fail: the sender's GFP_NOWAIT ones do (a sender
 * that slept in reclaim would fail the test), and a stack-scanning
 * unwinder (UNWINDER_GUESS in the VM) that finds a stale sender address
 * under other code hits fewer unrelated allocations.  A lost message
 * costs exactly one failure: the skb head comes from the per-CPU cache or
 * the slab, the data from the slab, and __GFP_NOMEMALLOC forbids the
 * retry from the reserves.  So with times = N the first N messages the
 * sender builds after the arming are lost.  Three kills A, B, C: all of
 * A's notifications arrive; of B's victim-ntf, reap-queued-ntf,
 * reap-done-ntf and victim-freed-ntf (the last two in either order) the
 * first N are missing; C's arrive.  events-dropped
 * grows by exactly N, failslab's budget is spent (times reads 0), the
 * sequence jumps by N + 1 once and is consecutive everywhere else, and
 * the kills and reaps complete (SIGKILL; oom:reap_result reaped or
 * exited_first for all three, also when B's reap-done-ntf is lost).
 *
 * full_listener: a listener with the smallest receive buffer that never
 * reads, next to one that reads.  The reader gets every notification of
 * several kills with no gap.  The full socket overruns (its sk_drops, from
 * SO_MEMINFO, grows; it reports ENOBUFS and then holds the first
 * notifications, consecutive, the rest dropped).  The family does not
 * count that overrun in events-dropped, with or without
 * NETLINK_BROADCAST_ERROR on the full socket (variants broadcast_error and
 * plain, the latter as oomctl monitor opens it): netlink_broadcast() tells
 * the sender of an overrun only for sockets with that option, and then
 * also when the reader got the message, so it cannot tell a loss from a
 * delivery.  The listener sees its own loss, as
 * Documentation/admin-guide/mm/oom_netlink.rst says: ENOBUFS, then a gap.  A policy-ntf
 * on "config", which only the reader joined, is the barrier: it leaves the
 * kernel's queue after every event of the kills.
 *
 * nobody_listens: with no socket on the events group, a kill moves
 * victims by 1 and events-dropped by 0, the sender is never asked to send
 * (failslab, armed on it when present, keeps its whole budget), and no
 * sequence number is taken: a listener before and after sees no gap.
 *
 * Skips only when /sys/kernel/debug/failslab is absent (debugfs is mounted
 * if it is not); the last two fixtures do not need it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sock_diag.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"
#include "fileio.h"
#include "tracefs.h"
#include "oomctl_mon.h"

#define STEP_MS		15000
#define KILL_MS		30000		/* a victim runs into its limit */
#define MEMCG_MAX	"16M"
#define VICTIM_COMM	"oomnl-fault"
#define FULL_KILLS	8		/* 32 notifications for the full socket */

#define MON_OUT		"/tmp/oomnl_faults.monitor.json"
#define DEBUGFS		"/sys/kernel/debug"
#define FAILSLAB	DEBUGFS "/failslab"

/* ---- failslab ---- */

/* Every knob that is written, saved first and written back after. */
static const char *const fs_knobs[] = {
	"probability",		/* first: restored last, disarmed first */
	"interval", "times", "space", "verbose", "task-filter",
	"ignore-gfp-wait", "cache-filter", "stacktrace-depth",
	"require-start", "require-end", "reject-start", "reject-end",
};
#define FS_NKNOBS	(sizeof(fs_knobs) / sizeof(fs_knobs[0]))

struct failslab {
	bool saved, armed;
	char val[FS_NKNOBS][48];
	char sym[256];			/* the sender's symbol ... */
	unsigned long long start, end;	/* ... its text, end = next symbol */
};

static int fs_write(const char *knob, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAILSLAB "/%s", knob);
	return file_write_str(path, val);
}

static int fs_read(const char *knob, char *buf, size_t len)
{
	char path[128];
	int err;

	snprintf(path, sizeof(path), FAILSLAB "/%s", knob);
	err = file_read(path, buf, len);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}

static long fs_times(void)
{
	char b[48];

	return fs_read("times", b, sizeof(b)) ? -1000 : strtol(b, NULL, 0);
}

/* 1: failslab is there (debugfs mounted if it was not); 0: @why says why. */
static int failslab_present(char *why, size_t len)
{
	if (!access(FAILSLAB, F_OK))
		return 1;
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL) && errno != EBUSY) {
		snprintf(why, len, "no debugfs at " DEBUGFS " (%s): needs CONFIG_DEBUG_FS, CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS",
			 strerror(errno));
		return 0;
	}
	if (!access(FAILSLAB, F_OK))
		return 1;
	snprintf(why, len, "no " FAILSLAB ": needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");
	return 0;
}

static int failslab_save(struct failslab *f, char *why, size_t len)
{
	size_t i;
	int err;

	for (i = 0; i < FS_NKNOBS; i++) {
		err = fs_read(fs_knobs[i], f->val[i], sizeof(f->val[i]));
		if (err) {
			snprintf(why, len, FAILSLAB "/%s: %s%s", fs_knobs[i], strerror(err),
				 !strncmp(fs_knobs[i], "re", 2) || !strcmp(fs_knobs[i], "stacktrace-depth") ?
				 " (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER off: failslab cannot be limited to the sender)" : "");
			return -err;
		}
	}
	f->saved = true;
	return 0;
}

/* Disarm first, then every knob as it was, the probability last. */
static int failslab_restore(struct failslab *f)
{
	int err = 0, e;
	size_t i;

	if (!f->saved)
		return 0;
	err = fs_write("probability", "0");
	for (i = 1; i < FS_NKNOBS; i++) {
		e = fs_write(fs_knobs[i], f->val[i]);
		err = err ?: e;
	}
	e = fs_write("probability", f->val[0]);
	f->armed = false;
	return -(err ?: e);
}

static bool sym_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	/* oom_nl_send, oom_nl_send.isra.0, ..., not the .cold part */
	return !strncmp(name, want, n) && (!name[n] || (name[n] == '.' && !strstr(name, ".cold")));
}

/*
 * The sender's text: oom_nl_send() if it is a function of its own, else
 * the work function it was inlined into.  It ends where the next symbol
 * starts.
 */
static int sender_range(struct failslab *f, char *why, size_t len)
{
	static const char *const want[] = { "oom_nl_send", "oom_nl_work_fn" };
	unsigned long long addr, start = 0, end = ~0ULL;
	char line[512], name[256], type;
	size_t w;
	FILE *fp;
	int found = 0;

	fp = fopen("/proc/kallsyms", "r");
	if (!fp) {
		snprintf(why, len, "/proc/kallsyms: %s (CONFIG_KALLSYMS)", strerror(errno));
		return -errno;
	}
	for (w = 0; w < 2 && !found; w++) {
		rewind(fp);
		while (fgets(line, sizeof(line), fp)) {
			if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 ||
			    (type != 't' && type != 'T') || strchr(line, '[') ||
			    !sym_is(name, want[w]))
				continue;
			if (found++)
				break;
			start = addr;
			snprintf(f->sym, sizeof(f->sym), "%s", name);
		}
	}
	if (found != 1) {
		fclose(fp);
		snprintf(why, len, found ? "%.200s: %d symbols of that name in /proc/kallsyms" :
			 "neither oom_nl_send nor oom_nl_work_fn in /proc/kallsyms",
			 f->sym, found);
		return -ENOENT;
	}
	if (!start) {
		fclose(fp);
		snprintf(why, len, "/proc/kallsyms shows no addresses (kptr_restrict?)");
		return -EPERM;
	}
	rewind(fp);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "%llx", &addr) == 1 && addr > start && addr < end)
			end = addr;
	fclose(fp);
	if (end == ~0ULL || end - start > 65536) {
		snprintf(why, len, "%.200s at %#llx: no next symbol within 64k", f->sym, start);
		return -ERANGE;
	}
	f->start = start;
	f->end = end;
	return 0;
}

/* Fail the first @times slab allocations made under the sender. */
static int failslab_arm(struct failslab *f, int times, char *why, size_t len)
{
	char s[32], e[32], t[16];
	const char *set[][2] = {
		{ "probability", "0" },
		{ "interval", "1" }, { "space", "0" },
		{ "verbose", "1" },	/* one line per failure (unless __GFP_NOWARN) */
		{ "task-filter", "N" }, { "ignore-gfp-wait", "Y" },
		{ "cache-filter", "N" }, { "stacktrace-depth", "32" },
		{ "reject-start", "0" }, { "reject-end", "0" },
		{ "require-start", s }, { "require-end", e },
		{ "times", t }, { "probability", "100" },
	};
	size_t i;
	int err;

	snprintf(s, sizeof(s), "%#llx", f->start);
	snprintf(e, sizeof(e), "%#llx", f->end);
	snprintf(t, sizeof(t), "%d", times);
	f->armed = true;
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		err = fs_write(set[i][0], set[i][1]);
		if (err) {
			snprintf(why, len, FAILSLAB "/%s = %s: %s", set[i][0], set[i][1],
				 strerror(err));
			return -err;
		}
	}
	if (fs_times() != times) {
		snprintf(why, len, FAILSLAB "/times reads %ld after writing %d", fs_times(), times);
		return -EIO;
	}
	return 0;
}

/* ---- kills, traces, notifications ---- */

/* One OOM kill: a victim touches memory in @cg until it is killed. */
static int oom_kill(struct victim *v, const struct memcg *cg, char *why, size_t len)
{
	struct victim_opts vo = { .comm = VICTIM_COMM };
	int err;

	err = victim_start(v, cg, &vo, STEP_MS);
	if (err) {
		snprintf(why, len, "victim: %s", strerror(err));
		return err;
	}
	err = victim_wait(v, KILL_MS);
	if (err) {
		snprintf(why, len, "victim %d still alive after %d ms", v->pid, KILL_MS);
		return err;
	}
	if (!WIFSIGNALED(v->status) || WTERMSIG(v->status) != SIGKILL) {
		snprintf(why, len, "victim %d: status %#x, not killed by SIGKILL",
			 v->pid, v->status);
		return -ECHILD;
	}
	return 0;
}

static int tracer_setup(struct tracer *t, char *why, size_t len)
{
	int err = tracer_open(t, "oomnl_faults");

	err = err ?: tracer_enable(t, "oom", "reap_result");
	err = err ?: tracer_start(t);
	if (err)
		snprintf(why, len, "tracefs instance with oom:reap_result: %s", strerror(err));
	return -err;
}

/* The oom_reaper's verdict on @pid, from oom:reap_result. */
static int wait_reap_result(struct tracer *t, pid_t pid, char *result, size_t rlen,
			    char *why, size_t len)
{
	int64_t deadline = now_ms() + STEP_MS;
	struct trace_event ev;
	unsigned long long p;

	for (;;) {
		int64_t left = deadline - now_ms();
		int err = tracer_next(t, &ev, left > 0 ? left : 0);

		if (err) {
			snprintf(why, len, "oom:reap_result for %d: %s", pid, strerror(err));
			return -err;
		}
		if (!strcmp(ev.name, "reap_result") && !trace_field_ull(&ev, "pid", &p) &&
		    p == (unsigned long long)pid) {
			if (!trace_field(&ev, "result", result, rlen))
				snprintf(result, rlen, "?");
			return 0;
		}
	}
}

struct rx {
	uint8_t cmd;
	pid_t pid;
	uint64_t seq, result;
};

struct rxlog {
	struct rx r[96];
	int n;
	int nbad;
	char bad[160];
};

/*
 * Receive until reap-done-ntf and victim-freed-ntf for @pid: 0, or the
 * error (@why says it).
 */
static int rx_until_done(struct oomnl *sub, struct rxlog *l, pid_t pid,
			 char *why, size_t len)
{
	int64_t deadline = now_ms() + STEP_MS;
	bool done = false, freed = false;
	struct oom_ntf n;

	for (;;) {
		int64_t left = deadline - now_ms();
		int err = oomnl_ntf_next(sub, &n, left > 0 ? left : 0, why, len);

		if (err)
			return err;
		if (n.nbad && !l->nbad++)
			snprintf(l->bad, sizeof(l->bad), "%s", n.bad);
		if (l->n == (int)(sizeof(l->r) / sizeof(l->r[0]))) {
			snprintf(why, len, "more than %d notifications", l->n);
			return -E2BIG;
		}
		l->r[l->n++] = (struct rx){
			.cmd = n.cmd, .pid = n.cmd == OOM_CMD_POLICY_NTF ? 0 : n.v[OOM_A_EVENT_PID],
			.seq = ntf_seq(&n), .result = n.v[OOM_A_EVENT_RESULT],
		};
		if (n.cmd != OOM_CMD_POLICY_NTF && n.v[OOM_A_EVENT_PID] == (uint64_t)pid) {
			done |= n.cmd == OOM_CMD_REAP_DONE_NTF;
			freed |= n.cmd == OOM_CMD_VICTIM_FREED_NTF;
		}
		if (done && freed)
			return 0;
	}
}

/* One kill's notifications in seq order; the last two come either way. */
#define KILL_NTFS	4
static const char *const kill_cmds[KILL_NTFS] = {
	"victim-ntf", "reap-queued-ntf", "reap-done-ntf or victim-freed-ntf",
	"reap-done-ntf or victim-freed-ntf",
};

static bool kill_cmd_ok(int j, uint8_t cmd)
{
	if (j == 0)
		return cmd == OOM_CMD_VICTIM_NTF;
	if (j == 1)
		return cmd == OOM_CMD_REAP_QUEUED_NTF;
	return cmd == OOM_CMD_REAP_DONE_NTF || cmd == OOM_CMD_VICTIM_FREED_NTF;
}

/* The received notifications, one line. */
static void rx_str(const struct rxlog *l, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < l->n && off + 40 < len; i++)
		off += snprintf(buf + off, len - off, "%s%s(%d)#%llu", i ? " " : "",
				oomnl_cmd_name(l->r[i].cmd), l->r[i].pid,
				(unsigned long long)l->r[i].seq);
}

static int sock_drops(struct oomnl *c, uint32_t *drops)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(nl_socket_get_fd(c->sk), SOL_SOCKET, SO_MEMINFO, mem, &len))
		return -errno;
	if (len < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
		return -EPROTO;
	*drops = mem[SK_MEMINFO_DROPS];
	return 0;
}

static bool reap_ok(uint64_t r)
{
	return r == OOM_REAP_RESULT_REAPED || r == OOM_REAP_RESULT_EXITED_FIRST;
}

static bool reap_ok_str(const char *r)
{
	return !strcmp(r, "reaped") || !strcmp(r, "exited_first");
}

#define DELTA(st1, st0, a) ((st1).c[OOM_A_STATS_##a] - (st0).c[OOM_A_STATS_##a])

/* Policy delay 0, the rest as booted; @c must be open. */
static int policy_delay0(struct oomnl *c, struct oomnl_reply *r, char *why, size_t len)
{
	struct oom_pol p;

	return oomnl_policy_set(c, &OOM_POL_SET_ALL(0, OOM_FROZEN_BYPASS_DEFAULT,
						    OOM_REAP_ORDER_DEFAULT),
				&p, r, why, len);
}

/*
 * oomctl monitor has joined its groups once it prints a policy-ntf: flip
 * the order until it does (it cannot tell us when it has joined), then
 * put it back.
 */
static int mon_subscribed(struct oomnl *c, struct oomnl_reply *r)
{
	struct oom_pol p;
	int err = ETIMEDOUT, i;

	for (i = 0; i < 50 && err; i++) {
		struct oom_pol_set s = { .has_order = true, .order = !(i & 1) };

		if (oomnl_policy_set(c, &s, &p, r, NULL, 0))
			return EIO;
		err = oomctl_mon_wait(MON_OUT, "policy", 0, 200);
	}
	if (oomnl_policy_set(c, &(struct oom_pol_set){ .has_order = true,
			     .order = OOM_REAP_ORDER_DEFAULT }, &p, r, NULL, 0))
		return EIO;
	return err;
}

/* ---- 1. failslab on the sender ---- */

FIXTURE(failslab) {
	pid_t mon;
	struct oomnl c, sub;
	struct oomnl_reply r;
	struct memcg cg;
	struct victim v[3];
	struct failslab fs;
	struct tracer t;
	char why[256];
};

FIXTURE_VARIANT(failslab) {
	int times;
};

FIXTURE_VARIANT_ADD(failslab, one_lost) { .times = 1 };
FIXTURE_VARIANT_ADD(failslab, two_lost) { .times = 2 };
FIXTURE_VARIANT_ADD(failslab, three_lost) { .times = 3 };

FIXTURE_SETUP(failslab)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	if (!failslab_present(self->why, sizeof(self->why)))
		SKIP(return, "%s", self->why);
	ASSERT_EQ(0, failslab_save(&self->fs, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, sender_range(&self->fs, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	ASSERT_EQ(0, policy_delay0(&self->c, &self->r, self->why, sizeof(self->why)))
		TH_LOG("policy-set: %s", self->why);
	err = oomnl_subscribe(&self->sub, false, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to events: %s", strerror(-err));
	err = oomnl_memcg_create(&self->cg, "oomnl-faults");
	ASSERT_EQ(0, err) TH_LOG("memory cgroup: %s", strerror(err));
	ASSERT_EQ(0, memcg_write(&self->cg, "memory.max", MEMCG_MAX));
	ASSERT_EQ(0, tracer_setup(&self->t, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
}

FIXTURE_TEARDOWN(failslab)
{
	int i;

	EXPECT_EQ(0, failslab_restore(&self->fs)) TH_LOG("restoring " FAILSLAB);
	if (self->mon > 0)
		oomctl_mon_stop(self->mon, STEP_MS);
	for (i = 0; i < 3; i++)
		victim_destroy(&self->v[i]);
	memcg_destroy(&self->cg);
	tracer_close(&self->t);
	oomnl_close(&self->sub);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(failslab, sender_alloc_fails, 180)
{
	const int lost = variant->times;
	struct oom_stats st0, st1;
	struct rxlog l = { 0 };
	char rx[1200], result[3][32];
	uint64_t s;
	long left;
	int i, k, j, err;

	TH_LOG("failslab limited to %s [%#llx, %#llx), times %d",
	       self->fs.sym, self->fs.start, self->fs.end, lost);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);

	/* oomctl monitor listens too: it must print one lost record of @lost */
	self->mon = oomctl_mon_start(MON_OUT, NULL);
	ASSERT_LT(0, self->mon);
	ASSERT_EQ(0, mon_subscribed(&self->c, &self->r))
		TH_LOG("oomctl monitor printed no policy record");

	/* A: the reference, nothing armed. */
	ASSERT_EQ(0, oom_kill(&self->v[0], &self->cg, self->why, sizeof(self->why)))
		TH_LOG("kill A: %s", self->why);
	ASSERT_EQ(0, rx_until_done(&self->sub, &l, self->v[0].pid, self->why, sizeof(self->why)))
		TH_LOG("kill A: %s", self->why);
	ASSERT_EQ(KILL_NTFS, l.n) TH_LOG("kill A: %d notifications", l.n);
	ASSERT_EQ(0, wait_reap_result(&self->t, self->v[0].pid, result[0], sizeof(result[0]),
				      self->why, sizeof(self->why)))
		TH_LOG("kill A: %s", self->why);

	/*
	 * B, then C, with the sender's allocations failing: the records are
	 * sent in seq order, so the first @lost after A's are B's first.
	 * C is killed only once B's reap is over and B is dead, so that all
	 * of B's events were captured (and numbered) before C's.  C's
	 * reap-done-ntf proves the sender went past all of B's.
	 */
	ASSERT_EQ(0, failslab_arm(&self->fs, lost, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, oom_kill(&self->v[1], &self->cg, self->why, sizeof(self->why)))
		TH_LOG("kill B: %s", self->why);
	ASSERT_EQ(0, wait_reap_result(&self->t, self->v[1].pid, result[1], sizeof(result[1]),
				      self->why, sizeof(self->why)))
		TH_LOG("kill B: %s", self->why);
	ASSERT_EQ(0, oom_kill(&self->v[2], &self->cg, self->why, sizeof(self->why)))
		TH_LOG("kill C: %s", self->why);
	err = rx_until_done(&self->sub, &l, self->v[2].pid, self->why, sizeof(self->why));
	left = fs_times();
	ASSERT_EQ(0, failslab_restore(&self->fs)) TH_LOG("disarming failslab");
	rx_str(&l, rx, sizeof(rx));
	TH_LOG("received: %s", rx);
	ASSERT_EQ(0, err) TH_LOG("kill C: %s", self->why);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st1, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);

	/* The kills and the reaps completed, whatever was lost. */
	ASSERT_EQ(0, wait_reap_result(&self->t, self->v[2].pid, result[2], sizeof(result[2]),
				      self->why, sizeof(self->why)))
		TH_LOG("kill C: %s", self->why);
	for (k = 0; k < 3; k++)
		EXPECT_TRUE(reap_ok_str(result[k]))
			TH_LOG("kill %c: oom:reap_result result=%s", 'A' + k, result[k]);

	/* failslab failed exactly @lost allocations; each cost one message. */
	EXPECT_EQ(0, left) TH_LOG("failslab times left %ld of %d: the sender did not allocate",
				  left, lost);
	TH_LOG("events-dropped %llu -> %llu (+%llu), failslab failures %ld",
	       (unsigned long long)st0.c[OOM_A_STATS_EVENTS_DROPPED],
	       (unsigned long long)st1.c[OOM_A_STATS_EVENTS_DROPPED],
	       (unsigned long long)DELTA(st1, st0, EVENTS_DROPPED), lost - left);
	EXPECT_EQ((uint64_t)lost, DELTA(st1, st0, EVENTS_DROPPED))
		TH_LOG("%d messages could not be allocated, events-dropped moved by %llu",
		       lost, (unsigned long long)DELTA(st1, st0, EVENTS_DROPPED));
	EXPECT_EQ(3ull, DELTA(st1, st0, VICTIMS));
	EXPECT_EQ(3ull, DELTA(st1, st0, REAPED) + DELTA(st1, st0, EXITED_FIRST));
	EXPECT_EQ(0ull, DELTA(st1, st0, GAVE_UP));

	/*
	 * Exactly the first @lost of B's are missing; every seq is the one
	 * the kernel took at capture, lost or not: A s..s+3, B s+4..s+7,
	 * C s+8..s+11.
	 */
	EXPECT_EQ(3 * KILL_NTFS - lost, l.n)
		TH_LOG("%d notifications, expected %d", l.n, 3 * KILL_NTFS - lost);
	EXPECT_EQ(0, l.nbad) TH_LOG("not as the spec says: %s", l.bad);
	s = l.r[0].seq;
	for (i = 0, k = 0; k < 3; k++)
		for (j = 0; j < KILL_NTFS; j++) {
			if (k == 1 && j < lost)
				continue;
			if (i >= l.n) {
				EXPECT_LT(i, l.n) TH_LOG("kill %c: no %s", 'A' + k, kill_cmds[j]);
				break;
			}
			EXPECT_TRUE(kill_cmd_ok(j, l.r[i].cmd))
				TH_LOG("#%d: %s, expected kill %c's %s", i,
				       oomnl_cmd_name(l.r[i].cmd), 'A' + k, kill_cmds[j]);
			EXPECT_EQ(self->v[k].pid, l.r[i].pid)
				TH_LOG("#%d %s: pid %d, expected kill %c's %d", i, kill_cmds[j],
				       l.r[i].pid, 'A' + k, self->v[k].pid);
			EXPECT_EQ(s + KILL_NTFS * k + j, l.r[i].seq)
				TH_LOG("#%d (kill %c's %s): seq %llu, expected %llu", i, 'A' + k,
				       kill_cmds[j], (unsigned long long)l.r[i].seq,
				       (unsigned long long)(s + KILL_NTFS * k + j));
			if (l.r[i].cmd == OOM_CMD_REAP_DONE_NTF)
				EXPECT_TRUE(reap_ok(l.r[i].result))
					TH_LOG("kill %c: reap-done result %llu", 'A' + k,
					       (unsigned long long)l.r[i].result);
			i++;
		}
	TH_LOG("the listener's seq jumps %llu -> %llu after kill A (%d lost)",
	       (unsigned long long)l.r[KILL_NTFS - 1].seq,
	       (unsigned long long)l.r[KILL_NTFS].seq, lost);
	EXPECT_EQ(l.r[KILL_NTFS - 1].seq + lost + 1, l.r[KILL_NTFS].seq);

	/* oomctl monitor: the same gap, as one lost record of @lost */
	EXPECT_EQ(0, oomctl_mon_wait(MON_OUT, "reap-done", self->v[2].pid, STEP_MS));
	err = oomctl_mon_stop(self->mon, STEP_MS);
	self->mon = 0;
	EXPECT_EQ(0, err) TH_LOG("oomctl monitor: exit status %d", err);
	{
		struct mon_rec recs[64];
		struct mon_check mc;
		int n = oomctl_mon_read(MON_OUT, recs, 64);

		ASSERT_LT(0, n);
		oomctl_mon_check_lost(recs, n, &mc);
		TH_LOG("oomctl monitor: %lu records, %lu lost record(s) of %lu", mc.records,
		       mc.lost_records, mc.lost_total);
		EXPECT_EQ(0UL, mc.bad) TH_LOG("%s", mc.first_bad);
		EXPECT_EQ(1UL, mc.lost_records);
		EXPECT_EQ((unsigned long)lost, mc.lost_total);
	}
}

/* ---- 2. a listener whose receive buffer is full ---- */

FIXTURE(full_listener) {
	struct oomnl c, reader, full;
	struct oomnl_reply r;
	struct memcg cg;
	struct victim v;
	char why[256];
};

FIXTURE_VARIANT(full_listener) {
	bool broadcast_error;	/* the full socket sets NETLINK_BROADCAST_ERROR */
};

FIXTURE_VARIANT_ADD(full_listener, broadcast_error) { .broadcast_error = true };
FIXTURE_VARIANT_ADD(full_listener, plain) { .broadcast_error = false };

FIXTURE_SETUP(full_listener)
{
	int err, one = 1, fd;

	OOMNL_REQUIRE_FAMILY();
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	ASSERT_EQ(0, policy_delay0(&self->c, &self->r, self->why, sizeof(self->why)))
		TH_LOG("policy-set: %s", self->why);
	/* The full one: the smallest buffer (SOCK_MIN_RCVBUF), never read. */
	err = oomnl_open(&self->full);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	fd = nl_socket_get_fd(self->full.sk);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)));
	if (variant->broadcast_error)
		ASSERT_EQ(0, setsockopt(fd, SOL_NETLINK, NETLINK_BROADCAST_ERROR, &one,
					sizeof(one)));
	ASSERT_EQ(0, oomnl_join(&self->full, OOM_MCGRP_EVENTS));
	err = oomnl_subscribe(&self->reader, true, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to config+events: %s", strerror(-err));
	err = oomnl_memcg_create(&self->cg, "oomnl-faults");
	ASSERT_EQ(0, err) TH_LOG("memory cgroup: %s", strerror(err));
	ASSERT_EQ(0, memcg_write(&self->cg, "memory.max", MEMCG_MAX));
}

FIXTURE_TEARDOWN(full_listener)
{
	victim_destroy(&self->v);
	memcg_destroy(&self->cg);
	oomnl_close(&self->reader);
	oomnl_close(&self->full);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(full_listener, overrun, 240)
{
	const int total = KILL_NTFS * FULL_KILLS;
	struct pollfd pfd = { .fd = nl_socket_get_fd(self->full.sk), .events = POLLIN };
	uint32_t drops0, drops1;
	struct oom_stats st0, st1;
	struct rxlog l = { 0 };
	socklen_t sl = sizeof(int);
	uint64_t dropped;
	struct oom_ntf n;
	struct oom_pol p;
	int i, err, rcvbuf, queued;

	ASSERT_EQ(0, getsockopt(pfd.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &sl));
	ASSERT_EQ(0, sock_drops(&self->full, &drops0));
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);

	for (i = 0; i < FULL_KILLS; i++) {
		ASSERT_EQ(0, oom_kill(&self->v, &self->cg, self->why, sizeof(self->why)))
			TH_LOG("kill %d: %s", i, self->why);
		ASSERT_EQ(0, rx_until_done(&self->reader, &l, self->v.pid, self->why,
					   sizeof(self->why)))
			TH_LOG("kill %d: %s", i, self->why);
		victim_destroy(&self->v);
	}
	/* Barrier: once it arrives, every event above went to both sockets. */
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(1, OOM_FROZEN_BYPASS_DEFAULT,
								 OOM_REAP_ORDER_DEFAULT),
				      &p, &self->r, self->why, sizeof(self->why)))
		TH_LOG("policy-set: %s", self->why);
	err = oomnl_ntf_next(&self->reader, &n, STEP_MS, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-ntf: %s", self->why);
	ASSERT_EQ(OOM_CMD_POLICY_NTF, n.cmd) TH_LOG("%s seq %llu after the last reap-done",
						    oomnl_cmd_name(n.cmd),
						    (unsigned long long)ntf_seq(&n));
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st1, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);
	ASSERT_EQ(0, sock_drops(&self->full, &drops1));
	dropped = DELTA(st1, st0, EVENTS_DROPPED);

	/* The reader: all of them, no gap. */
	EXPECT_EQ(total, l.n);
	EXPECT_EQ(0, l.nbad) TH_LOG("not as the spec says: %s", l.bad);
	for (i = 1; i < l.n; i++)
		EXPECT_EQ(l.r[i - 1].seq + 1, l.r[i].seq)
			TH_LOG("reader: #%d %s seq %llu after %llu", i, oomnl_cmd_name(l.r[i].cmd),
			       (unsigned long long)l.r[i].seq,
			       (unsigned long long)l.r[i - 1].seq);
	EXPECT_EQ((uint64_t)FULL_KILLS, DELTA(st1, st0, VICTIMS));

	/*
	 * The full socket overran: ENOBUFS is pending, then it holds the
	 * first notifications, consecutive; queued + dropped = all.
	 */
	TH_LOG("full socket%s: SO_RCVBUF %d, sk_drops +%u; events-dropped +%llu",
	       variant->broadcast_error ? " (NETLINK_BROADCAST_ERROR)" : "",
	       rcvbuf, drops1 - drops0, (unsigned long long)dropped);
	ASSERT_LT(0u, drops1 - drops0) TH_LOG("a %d byte buffer took %d notifications", rcvbuf,
					      total);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLERR) TH_LOG("revents %#x: no error pending", pfd.revents);
	err = oomnl_ntf_next(&self->full, &n, 0, self->why, sizeof(self->why));
	EXPECT_EQ(-ENOBUFS, err) TH_LOG("first read of the full socket: %s",
					err ? self->why : oomnl_cmd_name(n.cmd));
	for (queued = 0; !(err = oomnl_ntf_next(&self->full, &n, 0, self->why,
						sizeof(self->why))); queued++)
		if (queued < l.n)
			EXPECT_EQ(l.r[queued].seq, ntf_seq(&n))
				TH_LOG("full socket's #%d", queued);
	EXPECT_EQ(-ETIMEDOUT, err) TH_LOG("reading the full socket: %s", self->why);
	TH_LOG("full socket: %d queued, %u dropped, of %d", queued, drops1 - drops0, total);
	EXPECT_EQ(total, queued + (int)(drops1 - drops0));

	/* The reader got every one: nothing was lost for the family to count. */
	EXPECT_EQ(0ull, dropped)
		TH_LOG("the full socket dropped %u that the reader got, events-dropped moved by %llu",
		       drops1 - drops0, (unsigned long long)dropped);
}

/* ---- 3. nobody listens ---- */

FIXTURE(nobody_listens) {
	struct oomnl c, sub;
	struct oomnl_reply r;
	struct memcg cg;
	struct victim v[3];
	struct failslab fs;
	struct tracer t;
	bool have_failslab;
	char why[256];
};

FIXTURE_SETUP(nobody_listens)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	self->have_failslab = failslab_present(self->why, sizeof(self->why));
	if (self->have_failslab) {
		ASSERT_EQ(0, failslab_save(&self->fs, self->why, sizeof(self->why)))
			TH_LOG("%s", self->why);
		ASSERT_EQ(0, sender_range(&self->fs, self->why, sizeof(self->why)))
			TH_LOG("%s", self->why);
	} else {
		TH_LOG("%s: the sender is not watched", self->why);
	}
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	ASSERT_EQ(0, policy_delay0(&self->c, &self->r, self->why, sizeof(self->why)))
		TH_LOG("policy-set: %s", self->why);
	err = oomnl_memcg_create(&self->cg, "oomnl-faults");
	ASSERT_EQ(0, err) TH_LOG("memory cgroup: %s", strerror(err));
	ASSERT_EQ(0, memcg_write(&self->cg, "memory.max", MEMCG_MAX));
	ASSERT_EQ(0, tracer_setup(&self->t, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
}

FIXTURE_TEARDOWN(nobody_listens)
{
	int i;

	EXPECT_EQ(0, failslab_restore(&self->fs)) TH_LOG("restoring " FAILSLAB);
	for (i = 0; i < 3; i++)
		victim_destroy(&self->v[i]);
	memcg_destroy(&self->cg);
	tracer_close(&self->t);
	oomnl_close(&self->sub);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(nobody_listens, not_counted, 180)
{
	struct oom_stats st0, st1;
	struct rxlog l = { 0 };
	char result[32];
	long left = 3;
	int err;

	/* A, heard: the events seq before. */
	err = oomnl_subscribe(&self->sub, false, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to events: %s", strerror(-err));
	ASSERT_EQ(0, oom_kill(&self->v[0], &self->cg, self->why, sizeof(self->why)))
		TH_LOG("kill A: %s", self->why);
	ASSERT_EQ(0, rx_until_done(&self->sub, &l, self->v[0].pid, self->why, sizeof(self->why)))
		TH_LOG("kill A: %s", self->why);
	ASSERT_EQ(0, wait_reap_result(&self->t, self->v[0].pid, result, sizeof(result),
				      self->why, sizeof(self->why)))
		TH_LOG("kill A: %s", self->why);
	oomnl_close(&self->sub);

	/* B, unheard, with the sender watched: it must not be asked to send. */
	if (self->have_failslab)
		ASSERT_EQ(0, failslab_arm(&self->fs, 3, self->why, sizeof(self->why)))
			TH_LOG("%s", self->why);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);
	ASSERT_EQ(0, oom_kill(&self->v[1], &self->cg, self->why, sizeof(self->why)))
		TH_LOG("kill B: %s", self->why);
	ASSERT_EQ(0, wait_reap_result(&self->t, self->v[1].pid, result, sizeof(result),
				      self->why, sizeof(self->why)))
		TH_LOG("kill B: %s", self->why);
	EXPECT_TRUE(reap_ok_str(result)) TH_LOG("kill B: oom:reap_result result=%s", result);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st1, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);
	if (self->have_failslab) {
		left = fs_times();
		ASSERT_EQ(0, failslab_restore(&self->fs)) TH_LOG("disarming failslab");
	}
	TH_LOG("nobody listening: victims +%llu, events-dropped +%llu, failslab times left %ld of 3",
	       (unsigned long long)DELTA(st1, st0, VICTIMS),
	       (unsigned long long)DELTA(st1, st0, EVENTS_DROPPED), left);
	EXPECT_EQ(1ull, DELTA(st1, st0, VICTIMS));
	EXPECT_EQ(0ull, DELTA(st1, st0, EVENTS_DROPPED));
	EXPECT_EQ(3, left) TH_LOG("the sender allocated for a kill nobody listened to");

	/* C, heard again: B took no events seq, so no gap. */
	err = oomnl_subscribe(&self->sub, false, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to events: %s", strerror(-err));
	ASSERT_EQ(0, oom_kill(&self->v[2], &self->cg, self->why, sizeof(self->why)))
		TH_LOG("kill C: %s", self->why);
	ASSERT_EQ(0, rx_until_done(&self->sub, &l, self->v[2].pid, self->why, sizeof(self->why)))
		TH_LOG("kill C: %s", self->why);
	ASSERT_EQ(2 * KILL_NTFS, l.n);
	EXPECT_EQ(self->v[2].pid, l.r[KILL_NTFS].pid);
	EXPECT_EQ(l.r[KILL_NTFS - 1].seq + 1, l.r[KILL_NTFS].seq)
		TH_LOG("seq %llu (kill A's last) -> %llu (kill C's first) across an unheard kill",
		       (unsigned long long)l.r[KILL_NTFS - 1].seq,
		       (unsigned long long)l.r[KILL_NTFS].seq);
}

/* ---- 4. policy-set with the Nth allocation failing ---- */

/*
 * fail-nth (/proc/thread-self/fail-nth): the Nth slab (or page)
 * allocation of this thread fails, wherever it is: in sendmsg(), in
 * genetlink's parsing, in the family's reply, in the ack.  For N = 1, 2,
 * ... until the request gets through without reaching the Nth allocation,
 * each policy-set must leave the policy either fully changed (and the
 * reply says so, or the socket reports the ack it could not get:
 * ENOBUFS) or unchanged with an error: never some of the fields.
 * Fault attributes as fail-nth needs them: allocations that may sleep
 * count too (ignore-gfp-wait N), no stack filter, order 0 pages.
 */
#define FAIL_PAGE_ALLOC	DEBUGFS "/fail_page_alloc"
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define NTH_MAX		400

struct knob {
	char path[96];
	char val[48];
};

FIXTURE(fail_nth) {
	struct knob k[8];
	int nk;
	struct oomnl c;
	struct oomnl_reply r;
	char why[256];
};

FIXTURE_VARIANT(fail_nth) {
	const char *dir;
	const char *const *set;	/* knob, value, ..., NULL */
	/*
	 * Some failure refuses the request.  Not for pages: a policy-set
	 * allocates a page only when a slab needs a new one, and SLUB falls
	 * back to the slab's smallest order when its preferred one fails.
	 */
	bool refused;
};

static const char *const nth_slab[] = {
	"ignore-gfp-wait", "N", "stacktrace-depth", "0", "verbose", "0", NULL,
};
static const char *const nth_page[] = {
	"ignore-gfp-wait", "N", "ignore-gfp-highmem", "N", "min-order", "0",
	"stacktrace-depth", "0", "verbose", "0", NULL,
};

FIXTURE_VARIANT_ADD(fail_nth, failslab) {
	.dir = FAILSLAB, .set = nth_slab, .refused = true,
};
FIXTURE_VARIANT_ADD(fail_nth, fail_page_alloc) { .dir = FAIL_PAGE_ALLOC, .set = nth_page };

FIXTURE_SETUP(fail_nth)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	if (!failslab_present(self->why, sizeof(self->why)))
		SKIP(return, "%s", self->why);
	if (access(variant->dir, F_OK))
		SKIP(return, "no %s: needs CONFIG_FAIL_PAGE_ALLOC (kernel/debug.config, the kernel of make check)",
		     variant->dir);
	if (access(FAIL_NTH, W_OK))
		SKIP(return, "no " FAIL_NTH ": needs CONFIG_FAULT_INJECTION");
	for (int i = 0; variant->set[i]; i += 2) {
		struct knob *k = &self->k[self->nk];

		snprintf(k->path, sizeof(k->path), "%s/%s", variant->dir, variant->set[i]);
		ASSERT_EQ(0, file_read(k->path, k->val, sizeof(k->val))) TH_LOG("%s", k->path);
		k->val[strcspn(k->val, "\n")] = '\0';
		self->nk++;
		ASSERT_EQ(0, file_write_str(k->path, variant->set[i + 1]))
			TH_LOG("%s = %s", k->path, variant->set[i + 1]);
	}
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
}

FIXTURE_TEARDOWN(fail_nth)
{
	int i;

	file_write_str(FAIL_NTH, "0");
	for (i = self->nk - 1; i >= 0; i--) {
		EXPECT_EQ(0, file_write_str(self->k[i].path, self->k[i].val))
			TH_LOG("restoring %s", self->k[i].path);
	}
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(fail_nth, policy_set_all_or_nothing, 240)
{
	const struct oom_pol x = { .delay_ms = 100, .frozen_bypass = 0, .order = 1 };
	const struct oom_pol y = { .delay_ms = 250, .frozen_bypass = 1, .order = 0 };
	int changed_ok = 0, changed_enobufs = 0, unchanged_err = 0, faults = 0, nth;
	struct oom_pol before, now, got, sys;
	char left[16];
	bool through = false;

	for (nth = 1; nth <= NTH_MAX && !through; nth++) {
		const struct oom_pol *want;
		struct oom_pol_set set;
		int wfd, rfd, err;
		char n[16];
		ssize_t len;

		ASSERT_EQ(0, oomnl_policy_get(&self->c, &before, &self->r, self->why,
					      sizeof(self->why)));
		want = pol_is(&before, x.delay_ms, x.frozen_bypass, x.order) ? &y : &x;
		set = OOM_POL_SET_ALL(want->delay_ms, want->frozen_bypass, want->order);
		wfd = open(FAIL_NTH, O_WRONLY);
		rfd = open(FAIL_NTH, O_RDONLY);
		ASSERT_LE(0, wfd);
		ASSERT_LE(0, rfd);
		snprintf(n, sizeof(n), "%d", nth);

		/* Nothing between arming and disarming but the request */
		ASSERT_EQ((ssize_t)strlen(n), write(wfd, n, strlen(n)));
		err = oomnl_policy_set(&self->c, &set, &got, &self->r, NULL, 0);
		len = pread(rfd, left, sizeof(left) - 1, 0);
		ASSERT_EQ(1, write(wfd, "0", 1));
		close(wfd);
		close(rfd);
		ASSERT_LT(0, len);
		left[len] = '\0';
		/* Still counting down: the request needed fewer allocations */
		through = atoi(left) != 0;
		faults += !through;

		ASSERT_EQ(0, oomnl_policy_get(&self->c, &now, &self->r, self->why,
					      sizeof(self->why)))
			TH_LOG("policy-get after fail-nth %d: %s", nth, self->why);
		ASSERT_EQ(0, oomnl_sysctl_policy(&sys));
		ASSERT_TRUE(pol_is(&sys, now.delay_ms, now.frozen_bypass, now.order));
		if (pol_is(&now, want->delay_ms, want->frozen_bypass, want->order)) {
			if (!err) {
				ASSERT_TRUE(pol_is(&got, want->delay_ms, want->frozen_bypass,
						   want->order))
					TH_LOG("fail-nth %d: the reply says %u/%u/%u", nth,
					       got.delay_ms, got.frozen_bypass, got.order);
				changed_ok++;
			} else {
				ASSERT_EQ(-ENOBUFS, err)
					TH_LOG("fail-nth %d: changed, but the request failed: %s",
					       nth, strerror(-err));
				changed_enobufs++;
			}
		} else {
			ASSERT_TRUE(pol_is(&now, before.delay_ms, before.frozen_bypass,
					   before.order))
				TH_LOG("fail-nth %d: half a change: %u/%u/%u -> %u/%u/%u", nth,
				       before.delay_ms, before.frozen_bypass, before.order,
				       now.delay_ms, now.frozen_bypass, now.order);
			ASSERT_NE(0, err) TH_LOG("fail-nth %d: unchanged, yet no error", nth);
			unchanged_err++;
		}
		ASSERT_FALSE(through && err) TH_LOG("no fault injected, yet: %s", strerror(-err));
		if (err) {
			/* An ENOBUFS or a lost ack can leave stale messages: start over */
			oomnl_close(&self->c);
			ASSERT_EQ(0, oomnl_open(&self->c));
		}
	}
	TH_LOG("%s: %d injected failures: %d changed with the reply, %d changed with ENOBUFS, %d unchanged with an error",
	       variant->dir, faults, changed_ok, changed_enobufs, unchanged_err);
	EXPECT_TRUE(through) TH_LOG("still failing at fail-nth %d", NTH_MAX);
	EXPECT_LT(0, faults);
	if (variant->refused)
		EXPECT_LT(0, unchanged_err);
}

TEST_HARNESS_MAIN
