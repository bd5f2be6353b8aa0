// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family: victim-freed-ntf, the moment an OOM victim's memory is
 * back, for real memcg OOM kills.  A subscriber of "config" and "events"
 * and a tracefs instance with oom:victim_freed watch one kill each:
 *
 *   exits      the victim exits by itself
 *   frozen     its cgroup is frozen when it is killed; the kill thaws it
 *   reaped     its mm pinned from outside (lib/mm_pin.h), delay 0: the
 *              oom_reaper unmaps it, and the end comes when the pin lets go
 *   mrelease   held before exit_mm() (lib/exit_stop.h), process_mrelease(2)
 *              unmaps it, the end comes when it is let go
 *   threads    five threads; one of them held before exit_mm(): the others
 *              exit, the end comes when it is let go
 *   clone_vm   a second process shares the mm (CLONE_VM); both held before
 *              exit_mm(), the one the OOM killer named let go first: the
 *              end comes when the other, the last user, exits
 *
 * Each yields exactly one victim-freed-ntf, after its victim-ntf, for the
 * pid, tgid, comm and memory cgroup victim-ntf named, with the way the
 * memory went (freed-by, and the kB of each way adding up to freed-kb and
 * covering the victim's memory), kill-to-freed-us matching the gap between
 * the two notifications and the moment memory.current came back (polled
 * every millisecond) or the hold was let go, consecutive seqs with the
 * kill's other notifications and nothing else, and stats-get moved by
 * exactly one in freed-<way> and in the kill -> freed histogram bucket of
 * kill-to-freed-us.  oom:victim_freed says the same, once.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"
#include "exit_stop.h"
#include "mm_pin.h"
#include "oom_trigger.h"
#include "tracefs.h"

#define STEP_MS		15000
#define VICTIM_SIZE	(32UL << 20)
#define HELD_DELAY_MS	5000	/* the reaper stays away while we hold */
/*
 * How far behind the moment memory.current is seen back the end of the
 * teardown may come: the rest of exit_mmap() after the threshold (the
 * last eighth of the pages, page tables, VMAs), and scheduling: tens of ms
 * on the sanitizer kernel under TCG, more with the other core busy.
 */
#define BACK_SLACK_US	300000
/* The end is a few us before its notification */
#define NTF_SLACK_US	2000
/*
 * The kill time is taken when the victim is marked, before the OOM report
 * is printed and the victim notification queued: on a serial console under
 * TCG with the sanitizer kernel that report took 130 ms.
 */
#define REPORT_SLACK_US	500000
#define MAX_NTF		32

enum hold { HOLD_NONE, HOLD_PIN, HOLD_MRELEASE, HOLD_THREAD, HOLD_SHARER };

/* Every notification the subscriber got, in order */
struct ntf_log {
	struct oom_ntf n[MAX_NTF];
	int len;
	int err;
	char why[256];
};

/*
 * Receive for @ms, or until a notification @cmd about @pid (0: any
 * notification @cmd) arrived.  Returns whether it did.
 */
static bool collect(struct oomnl *sub, struct ntf_log *l, int ms, int cmd, pid_t pid)
{
	int64_t deadline = now_ms() + ms;

	while (!l->err) {
		struct oom_ntf *n = &l->n[l->len];
		int err;

		if (l->len == MAX_NTF) {
			l->err = -E2BIG;
			snprintf(l->why, sizeof(l->why), "more than %d notifications", MAX_NTF);
			break;
		}
		err = oomnl_ntf_next(sub, n, ms_left(deadline), l->why, sizeof(l->why));
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			l->err = err;
			break;
		}
		l->len++;
		if (n->cmd == cmd && (!pid || (n->cmd != OOM_CMD_POLICY_NTF &&
					       n->v[OOM_A_EVENT_PID] == (uint64_t)pid)))
			return true;
	}
	return false;
}

/* How many of @cmd about @pid the log has; the first in *@at */
static int count(const struct ntf_log *l, int cmd, pid_t pid, int *at)
{
	int i, n = 0;

	for (i = 0; i < l->len; i++) {
		if (l->n[i].cmd != cmd || l->n[i].v[OOM_A_EVENT_PID] != (uint64_t)pid)
			continue;
		if (!n++ && at)
			*at = i;
	}
	return n;
}

static void log_str(const struct ntf_log *l, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < l->len && off + 48 < len; i++)
		off += snprintf(buf + off, len - off, "%s%s(%llu)#%llu", i ? " " : "",
				oomnl_cmd_name(l->n[i].cmd),
				(unsigned long long)(l->n[i].cmd == OOM_CMD_POLICY_NTF ? 0 :
						     l->n[i].v[OOM_A_EVENT_PID]),
				(unsigned long long)ntf_seq(&l->n[i]));
}

/* When memory.current went below @below: last sample above, first below */
struct back {
	uint64_t high_ns, low_ns;
	uint64_t min;
};

static int wait_back(const struct memcg *cg, uint64_t below, int ms, struct back *b)
{
	int64_t deadline = now_ms() + ms;
	struct timespec tick = { 0, 1000000 };

	b->min = UINT64_MAX;
	for (;;) {
		uint64_t cur, t = now_ns();
		int err = memcg_read_u64(cg, "memory.current", &cur);

		if (err)
			return err;
		if (cur < b->min)
			b->min = cur;
		if (cur < below) {
			b->low_ns = t;
			return 0;
		}
		b->high_ns = t;
		if (!ms_left(deadline))
			return ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
}

static uint64_t charged(const struct memcg *cg)
{
	uint64_t cur = 0;

	memcg_read_u64(cg, "memory.current", &cur);
	return cur;
}

/* Wait until @pid (not necessarily our child) has exited: 0 or ETIMEDOUT */
static int gone(pid_t pid, int ms)
{
	struct pollfd pfd = { .events = POLLIN };
	int n;

	pfd.fd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd.fd < 0)
		return errno == ESRCH ? 0 : errno;
	n = poll(&pfd, 1, ms);
	close(pfd.fd);
	return n == 1 ? 0 : ETIMEDOUT;
}

/* A thread of @pid other than @pid itself, or 0 */
static pid_t other_thread(pid_t pid)
{
	char path[64];
	struct dirent *d;
	pid_t tid = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (!tid && (d = readdir(dir)))
		if (atoi(d->d_name) > 0 && atoi(d->d_name) != pid)
			tid = atoi(d->d_name);
	closedir(dir);
	return tid;
}

FIXTURE(freed) {
	struct oomnl c, sub;
	struct oomnl_reply r;
	struct memcg cg;
	struct victim v;
	struct mm_pin pin;
	struct tracer t;
	pid_t trigger, held, held2;
	pid_t named, other;	/* clone_vm: whom the OOM killer named, the other */
	int pidfd;
	struct ntf_log log;
	char why[256];
};

FIXTURE_VARIANT(freed) {
	enum hold hold;
	bool frozen;
	int threads;
	uint32_t delay;
	uint32_t by;		/* the freed-by it must report */
};

FIXTURE_VARIANT_ADD(freed, exits) {
	.hold = HOLD_NONE, .delay = OOM_REAP_DELAY_DEFAULT_MS, .by = OOM_FREED_BY_EXIT,
};
FIXTURE_VARIANT_ADD(freed, frozen) {
	.hold = HOLD_NONE, .frozen = true, .delay = OOM_REAP_DELAY_DEFAULT_MS,
	.by = OOM_FREED_BY_EXIT,
};
FIXTURE_VARIANT_ADD(freed, reaped) {
	.hold = HOLD_PIN, .delay = 0, .by = OOM_FREED_BY_OOM_REAPER,
};
FIXTURE_VARIANT_ADD(freed, mrelease) {
	.hold = HOLD_MRELEASE, .delay = HELD_DELAY_MS, .by = OOM_FREED_BY_PROCESS_MRELEASE,
};
FIXTURE_VARIANT_ADD(freed, threads) {
	.hold = HOLD_THREAD, .threads = 4, .delay = HELD_DELAY_MS, .by = OOM_FREED_BY_EXIT,
};
FIXTURE_VARIANT_ADD(freed, clone_vm) {
	.hold = HOLD_SHARER, .delay = HELD_DELAY_MS, .by = OOM_FREED_BY_EXIT,
};

FIXTURE_SETUP(freed)
{
	char name[64];
	int err;

	OOMNL_REQUIRE_FAMILY();
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_subscribe(&self->sub, true, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to config+events: %s", strerror(-err));
	err = oomnl_memcg_create(&self->cg, "oomnl-freed");
	ASSERT_EQ(0, err) TH_LOG("memory cgroup: %s", strerror(err));
	snprintf(name, sizeof(name), "oomnl-freed-%d", getpid());
	err = tracer_open(&self->t, name);
	err = err ?: tracer_enable(&self->t, "oom", "victim_freed");
	err = err ?: tracer_start(&self->t);
	ASSERT_EQ(0, err) TH_LOG("tracefs instance with oom:victim_freed: %s", strerror(err));
}

FIXTURE_TEARDOWN(freed)
{
	if (self->held > 0)
		exit_stop_abandon(self->held, STEP_MS);
	if (self->held2 > 0)
		exit_stop_abandon(self->held2, STEP_MS);
	mm_unpin(&self->pin);
	if (self->trigger > 0)
		oom_trigger_stop(&self->trigger);
	if (self->pidfd > 0)
		close(self->pidfd);
	victim_destroy(&self->v);
	memcg_destroy(&self->cg);
	tracer_close(&self->t);
	oomnl_close(&self->sub);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

/* No victim-freed-ntf yet, while the mm still has a user */
#define EXPECT_NOT_FREED_YET(what) do { \
	collect(&self->sub, &self->log, 100, 0, 0); \
	EXPECT_EQ(0, count(&self->log, OOM_CMD_VICTIM_FREED_NTF, self->v.pid, NULL) + \
		     count(&self->log, OOM_CMD_VICTIM_FREED_NTF, self->v.sharer, NULL)) \
		TH_LOG("victim-freed-ntf while %s", what); \
	EXPECT_LE(VICTIM_SIZE * 3 / 4, charged(&self->cg)) \
		TH_LOG("memory back while %s", what); \
} while (0)

TEST_F_TIMEOUT(freed, one_event, 120)
{
	struct victim_spawn_opts vo = { .threads = variant->threads,
					.sharer = variant->hold == HOLD_SHARER };
	uint64_t rel0 = 0, rel1 = 0, kill0, freed_at, k2f, lat_us, sum_kb;
	long long gap;
	int iv = -1, iq = -1, id = -1, ifr = -1, i, b, err, ntf_events = 0, extra;
	const int dones = variant->hold == HOLD_MRELEASE ? 2 : 1;
	struct oom_stats st0, st1;
	const struct oom_ntf *fr;
	struct trace_event ev;
	struct back back = { 0 };
	struct oom_pol p;
	char max[32], buf[1024], val[32];
	unsigned long long tk2f = 0;
	pid_t pid;
	int ntrace = 0;

	/*
	 * The policy (forward: a change from the defaults, so its policy-ntf
	 * comes), then the counters before
	 */
	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(variant->delay,
			OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_FORWARD),
			&p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	ASSERT_TRUE(collect(&self->sub, &self->log, STEP_MS, OOM_CMD_POLICY_NTF, 0))
		TH_LOG("policy-ntf: %s", self->log.why);
	self->log.len = 0;
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);

	err = victim_spawn_opts(&self->v, &self->cg, VICTIM_SIZE, &vo, STEP_MS);
	ASSERT_EQ(0, err) TH_LOG("victim: %s", strerror(err));
	switch (variant->hold) {
	case HOLD_PIN:
		ASSERT_EQ(0, mm_pin(&self->pin, self->v.pid, self->v.addr, STEP_MS));
		break;
	case HOLD_MRELEASE:
		self->pidfd = syscall(SYS_pidfd_open, self->v.pid, 0);
		ASSERT_LE(0, self->pidfd);
		self->held = self->v.pid;
		break;
	case HOLD_THREAD:
		self->held = other_thread(self->v.pid);
		ASSERT_LT(0, self->held) TH_LOG("the victim has no second thread");
		break;
	case HOLD_SHARER:
		ASSERT_LT(0, self->v.sharer);
		self->held = self->v.sharer;
		self->held2 = self->v.pid;
		ASSERT_EQ(0, exit_stop_seize(self->held2));
		break;
	case HOLD_NONE:
		break;
	}
	if (self->held > 0)
		ASSERT_EQ(0, exit_stop_seize(self->held));
	if (variant->frozen)
		ASSERT_EQ(0, memcg_freeze(&self->cg, STEP_MS));

	/* The kill: memory.max well below the victim's usage, from outside */
	snprintf(max, sizeof(max), "%lu", VICTIM_SIZE / 8);
	kill0 = now_ns();
	self->trigger = oom_trigger_start(&self->cg, max);
	ASSERT_LT(0, self->trigger);

	switch (variant->hold) {
	case HOLD_NONE:
		break;
	case HOLD_PIN:
		/* The reaper gives the memory back; the mm lives on */
		ASSERT_EQ(0, wait_back(&self->cg, VICTIM_SIZE / 4, STEP_MS, &back));
		ASSERT_EQ(0, victim_wait(&self->v, STEP_MS));
		ASSERT_TRUE(collect(&self->sub, &self->log, STEP_MS, OOM_CMD_REAP_DONE_NTF,
				    self->v.pid)) TH_LOG("reap-done: %s", self->log.why);
		collect(&self->sub, &self->log, 100, 0, 0);
		EXPECT_EQ(0, count(&self->log, OOM_CMD_VICTIM_FREED_NTF, self->v.pid, NULL))
			TH_LOG("victim-freed-ntf while the pin holds the mm");
		rel0 = now_ns();
		mm_unpin(&self->pin);
		rel1 = now_ns();
		break;
	case HOLD_MRELEASE:
		ASSERT_EQ(0, exit_stop_wait(self->held, STEP_MS));
		EXPECT_NOT_FREED_YET("the victim is held before exit_mm()");
		ASSERT_EQ(0, syscall(SYS_process_mrelease, self->pidfd, 0))
			TH_LOG("process_mrelease: %s", strerror(errno));
		ASSERT_EQ(0, wait_back(&self->cg, VICTIM_SIZE / 4, STEP_MS, &back));
		collect(&self->sub, &self->log, 100, 0, 0);
		EXPECT_EQ(0, count(&self->log, OOM_CMD_VICTIM_FREED_NTF, self->v.pid, NULL))
			TH_LOG("victim-freed-ntf while the victim is held");
		rel0 = now_ns();
		ASSERT_EQ(0, exit_stop_release(self->held));
		self->held = 0;
		ASSERT_EQ(0, victim_wait(&self->v, STEP_MS));
		rel1 = now_ns();
		break;
	case HOLD_THREAD:
		ASSERT_EQ(0, exit_stop_wait(self->held, STEP_MS));
		EXPECT_NOT_FREED_YET("one thread is held before exit_mm()");
		rel0 = now_ns();
		ASSERT_EQ(0, exit_stop_release(self->held));
		self->held = 0;
		ASSERT_EQ(0, victim_wait(&self->v, STEP_MS));
		rel1 = now_ns();
		break;
	case HOLD_SHARER: {
		pid_t named, other;

		/* Both stop; the one the OOM killer named goes first */
		ASSERT_EQ(0, exit_stop_wait(self->held, STEP_MS));
		ASSERT_EQ(0, exit_stop_wait(self->held2, STEP_MS));
		ASSERT_TRUE(collect(&self->sub, &self->log, STEP_MS, OOM_CMD_VICTIM_NTF, 0))
			TH_LOG("victim-ntf: %s", self->log.why);
		named = self->log.n[self->log.len - 1].v[OOM_A_EVENT_PID];
		ASSERT_TRUE(named == self->held || named == self->held2)
			TH_LOG("the OOM killer named %d, neither %d nor %d", named,
			       self->held, self->held2);
		other = named == self->held ? self->held2 : self->held;
		self->named = named;
		self->other = other;
		TH_LOG("the OOM killer named %d; %d, sharing its mm, exits last", named, other);
		ASSERT_EQ(0, exit_stop_release(named));
		self->held = other;
		self->held2 = 0;
		ASSERT_EQ(0, named == self->v.pid ? victim_wait(&self->v, STEP_MS) :
			     gone(named, STEP_MS));
		EXPECT_NOT_FREED_YET("the named victim is gone, the other process sharing the mm held");
		rel0 = now_ns();
		ASSERT_EQ(0, exit_stop_release(self->held));
		self->held = 0;
		break;
	}
	}
	if (variant->hold != HOLD_PIN)
		ASSERT_EQ(0, wait_back(&self->cg, VICTIM_SIZE / 4, STEP_MS, &back))
			TH_LOG("memory.current still %llu", (unsigned long long)back.min);
	if (variant->hold == HOLD_SHARER) {
		ASSERT_EQ(0, gone(self->v.sharer, STEP_MS));
		rel1 = now_ns();
	}
	ASSERT_EQ(0, victim_wait(&self->v, STEP_MS));
	ASSERT_TRUE(WIFSIGNALED(self->v.status) && WTERMSIG(self->v.status) == SIGKILL)
		TH_LOG("victim status %#x", self->v.status);
	EXPECT_EQ(0, finish_child(self->trigger, STEP_MS)) TH_LOG("lowering memory.max failed");
	self->trigger = 0;

	/* The oom_reaper's reap-done (the delay timer's, for most), then a barrier */
	pid = self->named ? self->named : self->v.pid;
	while (count(&self->log, OOM_CMD_REAP_DONE_NTF, pid, NULL) < dones &&
	       collect(&self->sub, &self->log, variant->delay + STEP_MS, OOM_CMD_REAP_DONE_NTF, pid))
		;
	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(variant->delay,
			OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_REVERSE),
			&p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	EXPECT_TRUE(collect(&self->sub, &self->log, STEP_MS, OOM_CMD_POLICY_NTF, 0))
		TH_LOG("barrier policy-ntf: %s", self->log.why);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st1, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);
	log_str(&self->log, buf, sizeof(buf));
	TH_LOG("received: %s", buf);
	ASSERT_EQ(0, self->log.err) TH_LOG("%s", self->log.why);

	/*
	 * Exactly the kill's notifications, consecutive, nothing else; but
	 * the process left sharing the mm is dying and frees no memory yet,
	 * so the memcg's OOM killer, still called by the memory.max writer,
	 * may mark it too (a victim-ntf, no reap: the mm is queued already).
	 * The end is reported once, for the victim named first.
	 */
	ASSERT_EQ(1, count(&self->log, OOM_CMD_VICTIM_NTF, pid, &iv));
	extra = self->other ? count(&self->log, OOM_CMD_VICTIM_NTF, self->other, NULL) : 0;
	EXPECT_GE(1, extra);
	if (self->other)
		EXPECT_EQ(0, count(&self->log, OOM_CMD_VICTIM_FREED_NTF, self->other, NULL));
	EXPECT_EQ(1, count(&self->log, OOM_CMD_REAP_QUEUED_NTF, pid, &iq));
	EXPECT_EQ(dones, count(&self->log, OOM_CMD_REAP_DONE_NTF, pid, &id));
	ASSERT_EQ(1, count(&self->log, OOM_CMD_VICTIM_FREED_NTF, pid, &ifr))
		TH_LOG("victim-freed-ntf for %d", pid);
	for (i = 0; i < self->log.len; i++) {
		const struct oom_ntf *n = &self->log.n[i];

		EXPECT_EQ(0, n->nbad) TH_LOG("#%d not as the spec says: %s", i, n->bad);
		if (n->cmd == OOM_CMD_POLICY_NTF)
			continue;
		EXPECT_TRUE(n->v[OOM_A_EVENT_PID] == (uint64_t)pid ||
			    (n->cmd == OOM_CMD_VICTIM_NTF && self->other &&
			     n->v[OOM_A_EVENT_PID] == (uint64_t)self->other))
			TH_LOG("#%d %s about someone else", i, oomnl_cmd_name(n->cmd));
		EXPECT_EQ(ntf_seq(&self->log.n[iv]) + ntf_events, ntf_seq(n))
			TH_LOG("#%d %s out of sequence", i, oomnl_cmd_name(n->cmd));
		ntf_events++;
	}
	EXPECT_EQ(3 + dones + extra, ntf_events);
	EXPECT_LT(iq, ifr);
	if (variant->hold == HOLD_PIN || variant->hold == HOLD_MRELEASE)
		EXPECT_LT(id, ifr) TH_LOG("the end before the reap");

	/* Who: as victim-ntf said, recorded at the kill */
	fr = &self->log.n[ifr];
	EXPECT_EQ(self->log.n[iv].v[OOM_A_EVENT_TGID], fr->v[OOM_A_EVENT_TGID]);
	EXPECT_STREQ(self->log.n[iv].comm, fr->comm);
	EXPECT_EQ(self->cg.id, fr->v[OOM_A_EVENT_MEMCG_ID]);

	/* How: the way the variant forces, all of the victim's memory */
	sum_kb = fr->v[OOM_A_EVENT_FREED_EXIT_KB] + fr->v[OOM_A_EVENT_FREED_OOM_REAPER_KB] +
		 fr->v[OOM_A_EVENT_FREED_MRELEASE_KB];
	TH_LOG("freed-by %llu: %llu kB = exit %llu + oom_reaper %llu + mrelease %llu",
	       (unsigned long long)fr->v[OOM_A_EVENT_FREED_BY],
	       (unsigned long long)fr->v[OOM_A_EVENT_FREED_KB],
	       (unsigned long long)fr->v[OOM_A_EVENT_FREED_EXIT_KB],
	       (unsigned long long)fr->v[OOM_A_EVENT_FREED_OOM_REAPER_KB],
	       (unsigned long long)fr->v[OOM_A_EVENT_FREED_MRELEASE_KB]);
	EXPECT_EQ((uint64_t)variant->by, fr->v[OOM_A_EVENT_FREED_BY]);
	EXPECT_EQ(sum_kb, fr->v[OOM_A_EVENT_FREED_KB]);
	EXPECT_LE(VICTIM_SIZE >> 10, fr->v[OOM_A_EVENT_FREED_KB]);
	EXPECT_GE((VICTIM_SIZE >> 10) + 8192, fr->v[OOM_A_EVENT_FREED_KB]);
	if (variant->by != OOM_FREED_BY_OOM_REAPER)
		EXPECT_EQ(0ull, fr->v[OOM_A_EVENT_FREED_OOM_REAPER_KB]);
	if (variant->by != OOM_FREED_BY_PROCESS_MRELEASE)
		EXPECT_EQ(0ull, fr->v[OOM_A_EVENT_FREED_MRELEASE_KB]);
	if (variant->by == OOM_FREED_BY_OOM_REAPER)
		EXPECT_LE(VICTIM_SIZE >> 10, fr->v[OOM_A_EVENT_FREED_OOM_REAPER_KB]);
	if (variant->by == OOM_FREED_BY_PROCESS_MRELEASE)
		EXPECT_LE(VICTIM_SIZE >> 10, fr->v[OOM_A_EVENT_FREED_MRELEASE_KB]);

	/*
	 * When: kill-to-freed-us is the gap between the two notifications'
	 * times, and more only by the time the OOM report took (the kill is
	 * timed before it, the victim notification after); the end, the
	 * freed notification's time, came after memory.current was last seen
	 * up and not long after it was first seen back, or, held, after the
	 * hold was let go and before it was over.
	 */
	k2f = fr->v[OOM_A_EVENT_KILL_TO_FREED_US];
	freed_at = fr->v[OOM_A_EVENT_TIMESTAMP_NS] / 1000;
	gap = (long long)freed_at -
	      (long long)(self->log.n[iv].v[OOM_A_EVENT_TIMESTAMP_NS] / 1000);
	TH_LOG("kill-to-freed-us %llu; memory back between %lld and %lld us after the kill; hold let go from %lld to %lld us",
	       (unsigned long long)k2f,
	       back.high_ns ? (long long)(back.high_ns - kill0) / 1000 : -1LL,
	       (long long)(back.low_ns - kill0) / 1000,
	       rel0 ? (long long)(rel0 - kill0) / 1000 : -1LL,
	       rel1 ? (long long)(rel1 - kill0) / 1000 : -1LL);
	EXPECT_LE(gap, (long long)k2f + NTF_SLACK_US);
	EXPECT_GE(gap + REPORT_SLACK_US, (long long)k2f);
	EXPECT_LE(kill0 / 1000, freed_at - k2f + NTF_SLACK_US);
	if (variant->hold == HOLD_NONE) {
		EXPECT_LE(back.high_ns / 1000, freed_at + NTF_SLACK_US);
		EXPECT_GE(back.low_ns / 1000 + BACK_SLACK_US, freed_at);
	} else {
		EXPECT_LE(rel0 / 1000, freed_at + NTF_SLACK_US);
		EXPECT_GE(rel1 / 1000 + BACK_SLACK_US, freed_at);
	}

	/* Counted once: freed-<way> and the kill -> freed histogram */
#define DELTA(a) (st1.c[OOM_A_STATS_##a] - st0.c[OOM_A_STATS_##a])
	EXPECT_EQ(1ull + extra, DELTA(VICTIMS));
	EXPECT_EQ(variant->by == OOM_FREED_BY_EXIT ? 1ull : 0ull, DELTA(FREED_EXIT));
	EXPECT_EQ(variant->by == OOM_FREED_BY_OOM_REAPER ? 1ull : 0ull, DELTA(FREED_OOM_REAPER));
	EXPECT_EQ(variant->by == OOM_FREED_BY_PROCESS_MRELEASE ? 1ull : 0ull,
		  DELTA(FREED_MRELEASE));
	EXPECT_EQ(variant->hold == HOLD_MRELEASE ? 1ull : 0ull, DELTA(MRELEASE_CALLS));
	EXPECT_EQ(0ull, DELTA(EVENTS_DROPPED));
#undef DELTA
	ASSERT_EQ(st0.nfbuckets, st1.nfbuckets);
	b = oomnl_freed_bucket_of(&st1, k2f);
	ASSERT_LE(0, b);
	for (i = 0; i < st1.nfbuckets; i++)
		EXPECT_EQ(st0.fbucket[i].count + (i == b), st1.fbucket[i].count)
			TH_LOG("freed bucket %d [%llu, %llu) (kill-to-freed-us %llu)", i,
			       (unsigned long long)st1.fbucket[i].low_us,
			       (unsigned long long)st1.fbucket[i].high_us,
			       (unsigned long long)k2f);
	/* Reaps by the oom_reaper: the kill -> reap histogram, as before */
	lat_us = 0;
	for (i = 0; i < st1.nbuckets; i++)
		lat_us += st1.bucket[i].count - st0.bucket[i].count;
	EXPECT_EQ(variant->hold == HOLD_PIN ? 1ull : 0ull, lat_us);

	/* The tracepoint: once, the same */
	while (!tracer_next(&self->t, &ev, 200)) {
		unsigned long long tp;

		if (trace_field_ull(&ev, "pid", &tp) || tp != (unsigned long long)pid)
			continue;
		if (!ntrace++)
			trace_field_ull(&ev, "kill_to_freed_us", &tk2f);
		trace_field(&ev, "freed_by", val, sizeof(val));
	}
	EXPECT_EQ(1, ntrace);
	EXPECT_EQ((unsigned long long)k2f, tk2f);
	EXPECT_STREQ(variant->by == OOM_FREED_BY_EXIT ? "exit" :
		     variant->by == OOM_FREED_BY_OOM_REAPER ? "oom_reaper" : "process_mrelease",
		     val);
}

TEST_HARNESS_MAIN
