// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family, events and stats for real OOM kills.
 *
 * A subscriber of "config" and "events" sets a policy (policy-ntf, seq S),
 * then a memory cgroup OOM-kills a victim.  It must see exactly victim-ntf,
 * reap-queued-ntf, and reap-done-ntf and victim-freed-ntf (in either order:
 * the victim's exit may come before or after the reaper) for that pid, with
 * consecutive seqs, values that describe the victim (pid, tgid, comm, uid,
 * memcg id, oom_score_adj, RSS, frozen) and what the policy implies (delay
 * and reason, reap order, timing), and stats-get must have moved by exactly
 * that kill.  Variants: delay 0 (zero-delay), a delay (the reaper waits it
 * out), a frozen victim with frozen-bypass (no delay) and without.  The
 * end of the address space in detail is oom_victim_freed.c's.
 *
 * A second fixture reaps a killed process with process_mrelease(2): one
 * reap-done-ntf with source process-mrelease, counted in mrelease-calls and
 * not in the oom_reaper latency histogram, then, once it exits, one
 * victim-freed-ntf: freed by process-mrelease, timed from the call (the OOM
 * killer did not kill it), counted in freed-mrelease.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"
#include "child_wait.h"

#define STEP_MS		15000		/* setup steps, a reap without delay */
#define VICTIM_COMM	"oomnl-victim"
#define VICTIM_ADJ	500
#define HOLD_BYTES	(24UL << 20)	/* frozen victims hold this much */
#define MAX_ATTEMPTS	10		/* MAX_OOM_REAP_RETRIES */

static uint64_t ts_of(const struct oom_ntf *n)
{
	return n->cmd == OOM_CMD_POLICY_NTF ? n->v[OOM_A_POLICY_NTF_TIMESTAMP_NS] :
					      n->v[OOM_A_EVENT_TIMESTAMP_NS];
}

static const char *reason_name(uint64_t r)
{
	return r == OOM_REAP_REASON_DELAY ? "delay" :
	       r == OOM_REAP_REASON_ZERO_DELAY ? "zero-delay" :
	       r == OOM_REAP_REASON_FROZEN_BYPASS ? "frozen-bypass" : "?";
}

static const char *result_name(uint64_t r)
{
	return r == OOM_REAP_RESULT_REAPED ? "reaped" :
	       r == OOM_REAP_RESULT_EXITED_FIRST ? "exited-first" :
	       r == OOM_REAP_RESULT_GAVE_UP ? "gave-up" : "?";
}

/* What the subscriber saw of one victim. */
struct kill_obs {
	struct oom_ntf victim, queued, done, freed;
	bool has_victim, has_queued, has_done, has_freed;
	int unexpected;		/* other notifications, duplicates, wrong order */
	char unexpected_why[200];
	int gaps;
	char gap_why[100];
	int nbad;		/* notifications that deviate from the spec */
	char bad[160];
	int err;
	char err_why[256];
};

static void unexpected(struct kill_obs *o, const char *fmt, const struct oom_ntf *n)
{
	if (!o->unexpected++)
		snprintf(o->unexpected_why, sizeof(o->unexpected_why), "%s %s (pid %llu, seq %llu)",
			 fmt, oomnl_cmd_name(n->cmd),
			 (unsigned long long)(n->cmd == OOM_CMD_POLICY_NTF ? 0 : n->v[OOM_A_EVENT_PID]),
			 (unsigned long long)ntf_seq(n));
}

/*
 * Collect notifications until @pid's reap-done and victim-freed.  The
 * events group has a sequence of its own: from the first events
 * notification on, each must follow the one before.
 */
static void collect_kill(struct oomnl *sub, pid_t pid, int timeout_ms,
			 struct kill_obs *o)
{
	int64_t deadline = now_ms() + timeout_ms;
	uint64_t prev = 0;
	struct oom_ntf n;

	memset(o, 0, sizeof(*o));
	while (!o->has_done || !o->has_freed) {
		int64_t left = deadline - now_ms();

		o->err = oomnl_ntf_next(sub, &n, left > 0 ? left : 0, o->err_why,
					sizeof(o->err_why));
		if (o->err)
			return;
		if (n.cmd != OOM_CMD_POLICY_NTF) {
			if (prev && ntf_seq(&n) != prev + 1 && !o->gaps++)
				snprintf(o->gap_why, sizeof(o->gap_why),
					 "%s has seq %llu after %llu",
					 oomnl_cmd_name(n.cmd),
					 (unsigned long long)ntf_seq(&n),
					 (unsigned long long)prev);
			prev = ntf_seq(&n);
		}
		if (n.nbad && !o->nbad++)
			snprintf(o->bad, sizeof(o->bad), "%s", n.bad);
		if (n.cmd == OOM_CMD_POLICY_NTF || n.v[OOM_A_EVENT_PID] != (uint64_t)pid) {
			unexpected(o, "notification about someone else:", &n);
			continue;
		}
		switch (n.cmd) {
		case OOM_CMD_VICTIM_NTF:
			if (o->has_victim || o->has_queued)
				unexpected(o, "out of order or repeated:", &n);
			else
				o->victim = n, o->has_victim = true;
			break;
		case OOM_CMD_REAP_QUEUED_NTF:
			if (o->has_queued)
				unexpected(o, "repeated:", &n);
			else
				o->queued = n, o->has_queued = true;
			break;
		case OOM_CMD_REAP_DONE_NTF:
			if (o->has_done)
				unexpected(o, "repeated:", &n);
			else
				o->done = n, o->has_done = true;
			break;
		case OOM_CMD_VICTIM_FREED_NTF:
			if (o->has_freed || !o->has_victim)
				unexpected(o, "out of order or repeated:", &n);
			else
				o->freed = n, o->has_freed = true;
			break;
		}
	}
}

/* ---- OOM kills ---- */

FIXTURE(events) {
	struct oomnl c, sub;
	struct oomnl_reply r;
	struct memcg cg;
	struct victim v;
	pid_t trigger;
	char why[256];
};

FIXTURE_VARIANT(events) {
	uint32_t delay, bypass, order;
	bool frozen;			/* freeze the victim before the kill */
	uint32_t reason, queued_delay;	/* what the kernel must report */
};

FIXTURE_VARIANT_ADD(events, zero_delay_forward) {
	.delay = 0, .bypass = 1, .order = OOM_REAP_ORDER_FORWARD, .frozen = false,
	.reason = OOM_REAP_REASON_ZERO_DELAY, .queued_delay = 0,
};

FIXTURE_VARIANT_ADD(events, delay_300_reverse) {
	.delay = 300, .bypass = 0, .order = OOM_REAP_ORDER_REVERSE, .frozen = false,
	.reason = OOM_REAP_REASON_DELAY, .queued_delay = 300,
};

FIXTURE_VARIANT_ADD(events, frozen_bypass) {
	.delay = 5000, .bypass = 1, .order = OOM_REAP_ORDER_REVERSE, .frozen = true,
	.reason = OOM_REAP_REASON_FROZEN_BYPASS, .queued_delay = 0,
};

FIXTURE_VARIANT_ADD(events, frozen_no_bypass) {
	.delay = 400, .bypass = 0, .order = OOM_REAP_ORDER_FORWARD, .frozen = true,
	.reason = OOM_REAP_REASON_DELAY, .queued_delay = 400,
};

FIXTURE_SETUP(events)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_subscribe(&self->sub, true, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to config+events: %s", strerror(-err));
	err = oomnl_memcg_create(&self->cg, "oomnl");
	ASSERT_EQ(0, err) TH_LOG("memory cgroup: %s", strerror(err));
}

FIXTURE_TEARDOWN(events)
{
	if (self->trigger > 0) {
		kill(self->trigger, SIGKILL);
		finish_child(self->trigger, STEP_MS);
	}
	victim_destroy(&self->v);
	memcg_destroy(&self->cg);
	oomnl_close(&self->sub);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(events, oom_kill, 180)
{
	const uint32_t wait_ms = variant->delay + 30000;
	struct victim_opts vo = {
		.uid = OOMNL_UID_TEST, .comm = VICTIM_COMM,
		.oom_score_adj = VICTIM_ADJ,
		.hold_bytes = variant->frozen ? HOLD_BYTES : 0,
	};
	uint64_t t0, t1, seq0, sum0 = 0, sum1 = 0, lat_us, vanon, q_to_done_ms;
	struct oom_stats st0, st1;
	struct kill_obs o;
	struct oom_ntf n;
	struct oom_pol p;
	int err, i, b, hit = -1;
	bool reaped;

	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);

	/* The policy under test; its notification anchors the config seq. */
	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(variant->delay, variant->bypass,
							  variant->order),
			       &p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	err = oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-ntf: %s", self->why);
	ASSERT_EQ(OOM_CMD_POLICY_NTF, n.cmd);
	EXPECT_EQ(0, n.nbad) TH_LOG("not as the spec says: %s", n.bad);
	seq0 = ntf_seq(&n);

	t0 = now_ns();
	if (!variant->frozen) {
		/* Touches memory until the memcg OOM killer kills it. */
		ASSERT_EQ(0, memcg_write(&self->cg, "memory.max", "32M"));
		err = victim_start(&self->v, &self->cg, &vo, STEP_MS);
		ASSERT_EQ(0, err) TH_LOG("victim: %s", strerror(err));
	} else {
		/* Holds 24M, gets frozen, then the limit drops under it. */
		ASSERT_EQ(0, memcg_write(&self->cg, "memory.max", "64M"));
		err = victim_start(&self->v, &self->cg, &vo, STEP_MS);
		ASSERT_EQ(0, err) TH_LOG("victim: %s", strerror(err));
		ASSERT_EQ(0, memcg_write(&self->cg, "cgroup.freeze", "1"));
		err = memcg_wait_event(&self->cg, "frozen", 1, STEP_MS);
		ASSERT_EQ(0, err) TH_LOG("freezing: %s", strerror(err));
		self->trigger = memcg_write_async(&self->cg, "memory.max", "8M");
		ASSERT_LT(0, self->trigger);
	}

	collect_kill(&self->sub, self->v.pid, wait_ms, &o);
	err = victim_wait(&self->v, STEP_MS);
	t1 = now_ns();
	ASSERT_EQ(0, err) TH_LOG("the victim is still alive");
	EXPECT_TRUE(WIFSIGNALED(self->v.status) && WTERMSIG(self->v.status) == SIGKILL)
		TH_LOG("victim status %#x: not killed by SIGKILL", self->v.status);
	if (self->trigger > 0) {
		EXPECT_EQ(0, finish_child(self->trigger, STEP_MS))
			TH_LOG("lowering memory.max failed");
		self->trigger = 0;
	}

	ASSERT_EQ(0, o.err) TH_LOG("victim %d: %s (had victim %d queued %d done %d freed %d)",
				   self->v.pid, o.err_why, o.has_victim, o.has_queued, o.has_done,
				   o.has_freed);
	ASSERT_TRUE(o.has_victim && o.has_queued && o.has_done && o.has_freed)
		TH_LOG("victim-ntf %d reap-queued-ntf %d reap-done-ntf %d victim-freed-ntf %d",
		       o.has_victim, o.has_queued, o.has_done, o.has_freed);
	EXPECT_EQ(0, o.unexpected) TH_LOG("%s", o.unexpected_why);
	EXPECT_EQ(0, o.nbad) TH_LOG("not as the spec says: %s", o.bad);
	EXPECT_EQ(0, o.gaps) TH_LOG("%s", o.gap_why);
	EXPECT_EQ(ntf_seq(&o.victim) + 1, ntf_seq(&o.queued));
	/* The reap and the end of the address space, in either order */
	EXPECT_EQ(2 * ntf_seq(&o.victim) + 5, ntf_seq(&o.done) + ntf_seq(&o.freed));
	EXPECT_LT(ntf_seq(&o.queued), ntf_seq(&o.done));
	EXPECT_LT(ntf_seq(&o.queued), ntf_seq(&o.freed));
	/* Nothing more is queued after the reap, nor after the exit. */
	err = oomnl_ntf_next(&self->sub, &n, 0, self->why, sizeof(self->why));
	EXPECT_EQ(-ETIMEDOUT, err) TH_LOG("after reap-done and victim-freed: %s seq %llu pid %llu",
					  err ? self->why : oomnl_cmd_name(n.cmd),
					  (unsigned long long)ntf_seq(&n),
					  (unsigned long long)n.v[OOM_A_EVENT_PID]);

	/* victim-ntf: who was killed. */
	EXPECT_EQ((uint64_t)self->v.pid, o.victim.v[OOM_A_EVENT_PID]);
	EXPECT_EQ((uint64_t)self->v.pid, o.victim.v[OOM_A_EVENT_TGID]);
	EXPECT_STREQ(VICTIM_COMM, o.victim.comm);
	EXPECT_EQ((uint64_t)OOMNL_UID_TEST, o.victim.v[OOM_A_EVENT_UID]);
	EXPECT_EQ(self->cg.id, o.victim.v[OOM_A_EVENT_MEMCG_ID]);
	EXPECT_EQ((uint64_t)VICTIM_ADJ, o.victim.v[OOM_A_EVENT_OOM_SCORE_ADJ]);
	EXPECT_EQ((uint64_t)variant->frozen, o.queued.v[OOM_A_EVENT_FROZEN]);
	/*
	 * RSS at the kill, against what the victim's /proc/PID/status said.
	 * A frozen victim's memory did not change since (reclaim under the
	 * lowered limit may unmap file pages, nothing else); a running one
	 * added anon pages, at most the 32M its cgroup allows, and faulted
	 * in a few more pages of its code (shmem: the initramfs is tmpfs).
	 */
	vanon = o.victim.v[OOM_A_EVENT_ANON_RSS_KB];
	TH_LOG("victim-ntf RSS anon/file/shmem %llu/%llu/%llu kB, /proc before: %ld/%ld/%ld kB",
	       (unsigned long long)vanon,
	       (unsigned long long)o.victim.v[OOM_A_EVENT_FILE_RSS_KB],
	       (unsigned long long)o.victim.v[OOM_A_EVENT_SHMEM_RSS_KB],
	       self->v.rss_anon, self->v.rss_file, self->v.rss_shmem);
	if (variant->frozen) {
		EXPECT_EQ((uint64_t)self->v.rss_anon, vanon);
		EXPECT_LE(HOLD_BYTES >> 10, vanon);
	} else {
		EXPECT_LE((uint64_t)self->v.rss_anon + 16384, vanon);
		EXPECT_GE((uint64_t)self->v.rss_anon + 32768, vanon);
	}
	if (variant->frozen) {
		EXPECT_EQ((uint64_t)self->v.rss_shmem, o.victim.v[OOM_A_EVENT_SHMEM_RSS_KB]);
	} else {
		EXPECT_LE((uint64_t)self->v.rss_shmem, o.victim.v[OOM_A_EVENT_SHMEM_RSS_KB]);
		EXPECT_GE((uint64_t)self->v.rss_shmem + 256, o.victim.v[OOM_A_EVENT_SHMEM_RSS_KB]);
	}
	EXPECT_GE((uint64_t)self->v.rss_file + 256, o.victim.v[OOM_A_EVENT_FILE_RSS_KB]);

	/* reap-queued-ntf: what the policy implies. */
	EXPECT_EQ((uint64_t)variant->reason, o.queued.v[OOM_A_EVENT_REASON])
		TH_LOG("reason %s, expected %s", reason_name(o.queued.v[OOM_A_EVENT_REASON]),
		       reason_name(variant->reason));
	EXPECT_EQ((uint64_t)variant->queued_delay, o.queued.v[OOM_A_EVENT_DELAY_MS]);

	/* reap-done-ntf. */
	EXPECT_EQ((uint64_t)OOM_REAP_SOURCE_OOM_REAPER, o.done.v[OOM_A_EVENT_SOURCE]);
	EXPECT_NE((uint64_t)OOM_REAP_RESULT_GAVE_UP, o.done.v[OOM_A_EVENT_RESULT])
		TH_LOG("the reaper gave up on an uncontended victim");
	if (o.done.v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_EXITED_FIRST) {
		/* Nothing was walked: no order to report (checked by the parser) */
		EXPECT_EQ(0u, o.done.present & (1u << OOM_A_EVENT_REAP_ORDER));
	} else {
		EXPECT_EQ((uint64_t)variant->order, o.done.v[OOM_A_EVENT_REAP_ORDER]);
	}
	EXPECT_GE((uint64_t)MAX_ATTEMPTS, o.done.v[OOM_A_EVENT_ATTEMPTS]);
	if (o.done.v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_REAPED) {
		EXPECT_LE(1ull, o.done.v[OOM_A_EVENT_ATTEMPTS]);
		EXPECT_GT(vanon / 4 + 1, o.done.v[OOM_A_EVENT_ANON_RSS_KB])
			TH_LOG("reaped, yet %llu of %llu kB anon left",
			       (unsigned long long)o.done.v[OOM_A_EVENT_ANON_RSS_KB],
			       (unsigned long long)vanon);
	}
	EXPECT_GE(vanon, o.done.v[OOM_A_EVENT_ANON_RSS_KB]);
	EXPECT_GE((t1 - t0) / 1000, o.done.v[OOM_A_EVENT_DURATION_US]);

	/* victim-freed-ntf: the victim as victim-ntf named it, all its anon. */
	EXPECT_EQ(o.victim.v[OOM_A_EVENT_PID], o.freed.v[OOM_A_EVENT_PID]);
	EXPECT_EQ(o.victim.v[OOM_A_EVENT_TGID], o.freed.v[OOM_A_EVENT_TGID]);
	EXPECT_STREQ(o.victim.comm, o.freed.comm);
	EXPECT_EQ(o.victim.v[OOM_A_EVENT_MEMCG_ID], o.freed.v[OOM_A_EVENT_MEMCG_ID]);
	EXPECT_LE(vanon, o.freed.v[OOM_A_EVENT_FREED_KB]);
	if (o.done.v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_EXITED_FIRST) {
		/* The reaper found it gone: the exit freed everything */
		EXPECT_EQ(0ull, o.freed.v[OOM_A_EVENT_FREED_OOM_REAPER_KB]);
		EXPECT_EQ((uint64_t)OOM_FREED_BY_EXIT, o.freed.v[OOM_A_EVENT_FREED_BY]);
	}
	EXPECT_EQ(0ull, o.freed.v[OOM_A_EVENT_FREED_MRELEASE_KB]);
	/* The kill and the end are a few us before their notifications */
	EXPECT_GE(2000ll, llabs((long long)(ts_of(&o.freed) - ts_of(&o.victim)) / 1000 -
				(long long)o.freed.v[OOM_A_EVENT_KILL_TO_FREED_US]))
		TH_LOG("kill-to-freed-us %llu, victim-ntf to victim-freed-ntf %llu us",
		       (unsigned long long)o.freed.v[OOM_A_EVENT_KILL_TO_FREED_US],
		       (unsigned long long)(ts_of(&o.freed) - ts_of(&o.victim)) / 1000);

	/* Timing: in order, within the test, and the delay honoured. */
	EXPECT_LE(t0, ts_of(&o.victim));
	EXPECT_LE(ts_of(&o.victim), ts_of(&o.queued));
	EXPECT_LE(ts_of(&o.queued), ts_of(&o.done));
	EXPECT_GE(t1, ts_of(&o.done));
	EXPECT_LE(ts_of(&o.queued), ts_of(&o.freed));
	EXPECT_GE(t1, ts_of(&o.freed));
	q_to_done_ms = (ts_of(&o.done) - ts_of(&o.queued)) / 1000000;
	TH_LOG("victim %d: anon %llu kB, %s after %llu ms (%s), %llu attempts, %llu us reaping, %llu kB anon left",
	       self->v.pid, (unsigned long long)vanon,
	       result_name(o.done.v[OOM_A_EVENT_RESULT]), (unsigned long long)q_to_done_ms,
	       reason_name(o.queued.v[OOM_A_EVENT_REASON]),
	       (unsigned long long)o.done.v[OOM_A_EVENT_ATTEMPTS],
	       (unsigned long long)o.done.v[OOM_A_EVENT_DURATION_US],
	       (unsigned long long)o.done.v[OOM_A_EVENT_ANON_RSS_KB]);
	if (variant->queued_delay) {
		/* The timer runs on jiffies: allow one tick (>= 100 Hz) early. */
		EXPECT_LE(variant->queued_delay - 10, q_to_done_ms)
			TH_LOG("reaped %llu ms after queueing with a %u ms delay",
			       (unsigned long long)q_to_done_ms, variant->queued_delay);
	} else {
		EXPECT_GT(1500ull, q_to_done_ms)
			TH_LOG("no delay, yet the reap ended %llu ms after queueing (policy delay %u)",
			       (unsigned long long)q_to_done_ms, variant->delay);
	}

	/* Stats moved by exactly this kill. */
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st1, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);
#define DELTA(a) (st1.c[OOM_A_STATS_##a] - st0.c[OOM_A_STATS_##a])
	EXPECT_EQ(1ull, DELTA(VICTIMS));
	EXPECT_EQ(variant->reason == OOM_REAP_REASON_DELAY ? 1ull : 0ull, DELTA(QUEUED_DELAY));
	EXPECT_EQ(variant->reason == OOM_REAP_REASON_ZERO_DELAY ? 1ull : 0ull,
		  DELTA(QUEUED_ZERO_DELAY));
	EXPECT_EQ(variant->reason == OOM_REAP_REASON_FROZEN_BYPASS ? 1ull : 0ull,
		  DELTA(QUEUED_FROZEN_BYPASS));
	EXPECT_EQ(o.done.v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_REAPED ? 1ull : 0ull,
		  DELTA(REAPED));
	EXPECT_EQ(o.done.v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_EXITED_FIRST ? 1ull : 0ull,
		  DELTA(EXITED_FIRST));
	EXPECT_EQ(0ull, DELTA(GAVE_UP));
	EXPECT_EQ(0ull, DELTA(MRELEASE_CALLS));
	EXPECT_EQ(0ull, DELTA(EVENTS_DROPPED));
	EXPECT_EQ(o.freed.v[OOM_A_EVENT_FREED_BY] == OOM_FREED_BY_EXIT ? 1ull : 0ull,
		  DELTA(FREED_EXIT));
	EXPECT_EQ(o.freed.v[OOM_A_EVENT_FREED_BY] == OOM_FREED_BY_OOM_REAPER ? 1ull : 0ull,
		  DELTA(FREED_OOM_REAPER));
	EXPECT_EQ(0ull, DELTA(FREED_MRELEASE));
	ASSERT_EQ(st0.nfbuckets, st1.nfbuckets);
	b = oomnl_freed_bucket_of(&st1, o.freed.v[OOM_A_EVENT_KILL_TO_FREED_US]);
	ASSERT_LE(0, b);
	for (i = 0; i < st1.nfbuckets; i++)
		EXPECT_EQ(st0.fbucket[i].count + (i == b), st1.fbucket[i].count)
			TH_LOG("freed latency bucket %d (kill-to-freed-us %llu is in %d)", i,
			       (unsigned long long)o.freed.v[OOM_A_EVENT_KILL_TO_FREED_US], b);
	ASSERT_EQ(st0.nbuckets, st1.nbuckets);
	for (i = 0; i < st1.nbuckets; i++) {
		EXPECT_LE(st0.bucket[i].count, st1.bucket[i].count);
		sum0 += st0.bucket[i].count;
		sum1 += st1.bucket[i].count;
		if (st1.bucket[i].count != st0.bucket[i].count)
			hit = i;
	}
	/*
	 * The histogram measures kill -> end of a reap that unmapped memory:
	 * a victim that exited first was not reaped, and its delay timer's
	 * firing is no reap latency.
	 */
	reaped = o.done.v[OOM_A_EVENT_RESULT] == OOM_REAP_RESULT_REAPED;
	EXPECT_EQ(reaped ? 1ull : 0ull, sum1 - sum0)
		TH_LOG("latency buckets: %s, %llu entries added",
		       result_name(o.done.v[OOM_A_EVENT_RESULT]),
		       (unsigned long long)(sum1 - sum0));
	if (reaped) {
		lat_us = (ts_of(&o.done) - ts_of(&o.victim)) / 1000;
		/* by the bounds the kernel gave its buckets */
		b = oomnl_bucket_of(&st1, lat_us);
		EXPECT_TRUE(hit >= b - 1 && hit <= b + 1)
			TH_LOG("kill to reap-done took %llu us (bucket %d), histogram bucket %d moved",
			       (unsigned long long)lat_us, b, hit);
	}
#undef DELTA

	/*
	 * The config group has a sequence of its own: the three events of
	 * the kill took none of its numbers, so a config listener sees no
	 * gap (and learns nothing of the privileged group's traffic).
	 */
	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(variant->delay + 1, variant->bypass,
							  variant->order),
			       &p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	err = oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-ntf: %s", self->why);
	ASSERT_EQ(OOM_CMD_POLICY_NTF, n.cmd);
	EXPECT_EQ(seq0 + 1, ntf_seq(&n))
		TH_LOG("config seq %llu -> %llu across one kill's events",
		       (unsigned long long)seq0, (unsigned long long)ntf_seq(&n));
}

/* ---- process_mrelease ---- */

FIXTURE(mrelease) {
	struct oomnl c, sub;
	struct oomnl_reply r;
	pid_t pid;
	char why[256];
};

FIXTURE_SETUP(mrelease)
{
	OOMNL_REQUIRE_FAMILY();
	ASSERT_EQ(0, oomnl_restore_defaults());
	ASSERT_EQ(0, oomnl_open(&self->c));
	ASSERT_EQ(0, oomnl_subscribe(&self->sub, true, true));
}

FIXTURE_TEARDOWN(mrelease)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		ptrace(PTRACE_DETACH, self->pid, 0, 0);
		waitpid(self->pid, NULL, __WALL);
	}
	oomnl_close(&self->sub);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

/*
 * A child holding 24M of anon memory, killed and held at PTRACE_EVENT_EXIT
 * (before exit_mm(), so only process_mrelease can free its memory), then
 * reaped with process_mrelease(2).  Leaves its pid in self->pid, still
 * stopped.  Needs SIGCHLD blocked.
 */
static void kill_and_mrelease(struct __test_metadata *_metadata,
			      FIXTURE_DATA(mrelease) *self, uint64_t *t0,
			      uint64_t call[2])
{
	int p2c[2], status, err, pidfd;
	char c;

	ASSERT_EQ(0, pipe(p2c));
	fflush(stdout);
	fflush(stderr);
	self->pid = fork();
	ASSERT_LE(0, self->pid);
	if (self->pid == 0) {
		volatile char *m = malloc(HOLD_BYTES);
		size_t off;

		if (!m)
			_exit(1);
		for (off = 0; off < HOLD_BYTES; off += 4096)
			m[off] = 1;
		if (write(p2c[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p2c[1]);
	ASSERT_EQ(1, read(p2c[0], &c, 1));
	close(p2c[0]);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, self->pid, 0, PTRACE_O_TRACEEXIT));
	*t0 = now_ns();
	ASSERT_EQ(0, kill(self->pid, SIGKILL));
	err = child_wait(self->pid, &status, __WALL, STEP_MS);
	ASSERT_EQ(0, err) TH_LOG("waiting for the exit stop: %s", strerror(err));
	ASSERT_TRUE(WIFSTOPPED(status) && status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
		TH_LOG("status %#x", status);

	pidfd = syscall(SYS_pidfd_open, self->pid, 0);
	ASSERT_LE(0, pidfd);
	call[0] = now_ns();
	err = syscall(SYS_process_mrelease, pidfd, 0);
	call[1] = now_ns();
	ASSERT_EQ(0, err) TH_LOG("process_mrelease: %s", strerror(errno));
	close(pidfd);
}

/* Let the stopped child finish exiting. */
static void release_child(struct __test_metadata *_metadata,
			  FIXTURE_DATA(mrelease) *self)
{
	int status;

	ASSERT_EQ(0, ptrace(PTRACE_DETACH, self->pid, 0, 0));
	ASSERT_EQ(0, child_wait(self->pid, &status, __WALL, STEP_MS));
	self->pid = 0;
}

static void block_sigchld(struct __test_metadata *_metadata)
{
	sigset_t set;

	/* SIGCHLD stays pending for child_wait(). */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
}

TEST_F_TIMEOUT(mrelease, reap_done_from_process_mrelease, 120)
{
	struct oom_stats st0, st1;
	struct oom_ntf n;
	struct oom_pol p;
	uint64_t t0, t1, call[2], done_seq, freed_at, sum0 = 0, sum1 = 0;
	int err, i, b;
	pid_t pid;

	block_sigchld(_metadata);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(1000, 1, OOM_REAP_ORDER_FORWARD),
				      &p, &self->r, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(OOM_CMD_POLICY_NTF, n.cmd);

	kill_and_mrelease(_metadata, self, &t0, call);

	err = oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why));
	t1 = now_ns();
	ASSERT_EQ(0, err) TH_LOG("%s", self->why);
	EXPECT_EQ(OOM_CMD_REAP_DONE_NTF, n.cmd) TH_LOG("got %s", oomnl_cmd_name(n.cmd));
	EXPECT_EQ(0, n.nbad) TH_LOG("not as the spec says: %s", n.bad);
	EXPECT_EQ((uint64_t)self->pid, n.v[OOM_A_EVENT_PID]);
	EXPECT_EQ((uint64_t)OOM_REAP_SOURCE_PROCESS_MRELEASE, n.v[OOM_A_EVENT_SOURCE]);
	EXPECT_EQ((uint64_t)OOM_REAP_ORDER_FORWARD, n.v[OOM_A_EVENT_REAP_ORDER]);
	EXPECT_EQ((uint64_t)OOM_REAP_RESULT_REAPED, n.v[OOM_A_EVENT_RESULT])
		TH_LOG("result %s", result_name(n.v[OOM_A_EVENT_RESULT]));
	EXPECT_GT(1024ull, n.v[OOM_A_EVENT_ANON_RSS_KB]) TH_LOG("anon left after process_mrelease");
	EXPECT_LE(t0, ts_of(&n));
	EXPECT_GE(t1, ts_of(&n));
	EXPECT_GE((t1 - t0) / 1000, n.v[OOM_A_EVENT_DURATION_US]);
	done_seq = ntf_seq(&n);

	/*
	 * Let it finish exiting: its exit tears the address space down, and
	 * that is reported once, as freed by process_mrelease.  The OOM
	 * killer did not kill it: kill-to-freed counts from the call.
	 */
	pid = self->pid;
	release_child(_metadata, self);
	t1 = now_ns();
	err = oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("%s", self->why);
	ASSERT_EQ(OOM_CMD_VICTIM_FREED_NTF, n.cmd) TH_LOG("got %s", oomnl_cmd_name(n.cmd));
	EXPECT_EQ(0, n.nbad) TH_LOG("not as the spec says: %s", n.bad);
	EXPECT_EQ(done_seq + 1, ntf_seq(&n));
	EXPECT_EQ((uint64_t)pid, n.v[OOM_A_EVENT_PID]);
	EXPECT_EQ((uint64_t)pid, n.v[OOM_A_EVENT_TGID]);
	EXPECT_EQ((uint64_t)OOM_FREED_BY_PROCESS_MRELEASE, n.v[OOM_A_EVENT_FREED_BY]);
	EXPECT_LE(HOLD_BYTES >> 10, n.v[OOM_A_EVENT_FREED_MRELEASE_KB]);
	EXPECT_EQ(0ull, n.v[OOM_A_EVENT_FREED_OOM_REAPER_KB]);
	freed_at = call[0] / 1000 + n.v[OOM_A_EVENT_KILL_TO_FREED_US];
	EXPECT_LE(freed_at, t1 / 1000 + 1000)
		TH_LOG("freed %llu us after the call, which came %llu us before the exit ended",
		       (unsigned long long)n.v[OOM_A_EVENT_KILL_TO_FREED_US],
		       (unsigned long long)(t1 - call[0]) / 1000);
	EXPECT_GE(freed_at + (call[1] - call[0]) / 1000 + 1000, ts_of(&n) / 1000);
	err = oomnl_ntf_next(&self->sub, &n, 0, self->why, sizeof(self->why));
	EXPECT_EQ(-ETIMEDOUT, err) TH_LOG("unexpected %s", oomnl_cmd_name(n.cmd));

	ASSERT_EQ(0, oomnl_stats_get(&self->c, &st1, &self->r, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	EXPECT_EQ(1ull, st1.c[OOM_A_STATS_MRELEASE_CALLS] - st0.c[OOM_A_STATS_MRELEASE_CALLS]);
	EXPECT_EQ(0ull, st1.c[OOM_A_STATS_VICTIMS] - st0.c[OOM_A_STATS_VICTIMS]);
	EXPECT_EQ(1ull, st1.c[OOM_A_STATS_FREED_MRELEASE] - st0.c[OOM_A_STATS_FREED_MRELEASE]);
	EXPECT_EQ(0ull, st1.c[OOM_A_STATS_FREED_EXIT] - st0.c[OOM_A_STATS_FREED_EXIT]);
	EXPECT_EQ(0ull, st1.c[OOM_A_STATS_FREED_OOM_REAPER] - st0.c[OOM_A_STATS_FREED_OOM_REAPER]);
	b = oomnl_freed_bucket_of(&st1, freed_at - call[0] / 1000);
	ASSERT_LE(0, b);
	EXPECT_EQ(st0.fbucket[b].count + 1, st1.fbucket[b].count);
	for (i = 0; i < st1.nbuckets; i++) {
		sum0 += st0.bucket[i].count;
		sum1 += st1.bucket[i].count;
	}
	EXPECT_EQ(sum0, sum1) TH_LOG("process_mrelease counted in the oom_reaper latency histogram");
}

/*
 * Root of a user namespace with its own network namespace would pass the
 * capability check for "events" (it is made in the namespace that owns the
 * network namespace), and the group ids are global.  The family is not
 * netnsok: genetlink refuses the join with ENOENT, as for a family that is
 * not there (it used to allow it and only kept the notifications in the
 * initial namespace, while the listener made every OOM build events for
 * nobody).  Nothing may arrive there either way.
 */
static int write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(s, f) >= 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

struct netns_listener {
	int grp_events, grp_config;
	int rfd, wfd;
};

static int netns_listener_main(void *p)
{
	struct netns_listener *a = p;
	struct oom_ntf n;
	struct oomnl c;
	char why[256], b = 0;
	int ee, ec, err;
	struct pollfd pfd = { .fd = a->rfd, .events = POLLIN };

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) ||
	    write_str("/proc/self/setgroups", "deny") ||
	    write_str("/proc/self/uid_map", "0 0 1") ||
	    write_str("/proc/self/gid_map", "0 0 1")) {
		fprintf(stderr, "# child: user+network namespace: %s\n", strerror(errno));
		return 1;
	}
	if (oomnl_socket(&c))
		return 2;
	ee = setsockopt(nl_socket_get_fd(c.sk), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			&a->grp_events, sizeof(int)) ? errno : 0;
	ec = setsockopt(nl_socket_get_fd(c.sk), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			&a->grp_config, sizeof(int)) ? errno : 0;
	if (ee != ENOENT || ec != ENOENT) {
		fprintf(stderr, "# child: joining \"events\" from a user+network namespace: %s, \"config\": %s, expected ENOENT for both\n",
			ee ? strerror(ee) : "allowed", ec ? strerror(ec) : "allowed");
		return 6;
	}
	if (write(a->wfd, "r", 1) != 1)
		return 3;
	if (poll(&pfd, 1, STEP_MS) != 1 || read(a->rfd, &b, 1) != 1 || b != 'g')
		return 4;
	/* The events were delivered in the initial namespace before 'g'. */
	err = oomnl_ntf_next(&c, &n, 0, why, sizeof(why));
	if (err != -ETIMEDOUT) {
		fprintf(stderr, "# child: %s reached another network namespace\n",
			err ? why : oomnl_cmd_name(n.cmd));
		return 5;
	}
	oomnl_close(&c);
	return 0;
}

TEST_F_TIMEOUT(mrelease, events_stay_in_initial_netns, 120)
{
	int to_child[2], to_parent[2];
	struct netns_listener a;
	struct oom_ntf n;
	struct oom_pol p;
	uint64_t t0, call[2];
	pid_t child;
	char b = 0;

	block_sigchld(_metadata);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	a = (struct netns_listener){ self->c.grp_events, self->c.grp_config,
				     to_child[0], to_parent[1] };
	child = start_child(netns_listener_main, &a);
	ASSERT_LT(0, child);
	ASSERT_EQ(1, read(to_parent[0], &b, 1))
		TH_LOG("listener did not start: %d", finish_child(child, STEP_MS));

	/* A config and an events notification, seen here. */
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(1000, 1, OOM_REAP_ORDER_FORWARD),
				      &p, &self->r, self->why, sizeof(self->why)));
	kill_and_mrelease(_metadata, self, &t0, call);
	ASSERT_EQ(0, oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why)));
	EXPECT_EQ(OOM_CMD_POLICY_NTF, n.cmd);
	ASSERT_EQ(0, oomnl_ntf_next(&self->sub, &n, STEP_MS, self->why, sizeof(self->why)));
	EXPECT_EQ(OOM_CMD_REAP_DONE_NTF, n.cmd);
	release_child(_metadata, self);

	ASSERT_EQ(1, write(to_child[1], "g", 1));
	EXPECT_EQ(0, finish_child(child, STEP_MS));
}

TEST_HARNESS_MAIN
