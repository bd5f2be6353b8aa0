// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family: events arrive in sequence order, also when both CPUs
 * report at once.
 *
 * Two workers, each pinned to its own CPU and with its own memory cgroup,
 * OOM-kill victims in a loop with the reap delay at 0, so that one CPU
 * raises victim-ntf and reap-queued-ntf while the oom_reaper (or the other
 * worker) raises reap-done-ntf, and the victims' exits victim-freed-ntf.
 * A subscriber with a big receive buffer
 * must get every notification, each seq exactly one more than the one
 * before: a listener cannot tell an event that overtook another from a
 * lost one, so any reordering is a false loss report in every consumer.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"
#include "child_wait.h"

#define WORKERS		2
#define KILLS		400		/* per worker: enough to catch a rare race */
#define MIN_KILLS	50		/* per worker, at least, or it tested little */
#define STEP_MS		15000
#define KILL_MS		100000		/* then the workers stop (sanitizer kernels are slow) */
#define STORM_MS	150000

struct worker_arg {
	int cpu;
};

/* Shared with the workers: when to stop, how many each killed */
static struct storm_shared {
	volatile int stop;
	int killed[WORKERS];
} *sh;

/* Pin, make a small cgroup, let KILLS victims run into its limit. */
static int worker(void *p)
{
	const struct worker_arg *a = p;
	struct victim_opts vo = { .comm = "oomnl-storm" };
	struct victim v = { 0 };
	cpu_set_t set;
	struct memcg cg;
	int i, ret = 0;

	CPU_ZERO(&set);
	CPU_SET(a->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 10;
	if (oomnl_memcg_create(&cg, "oomnl-storm") || memcg_write(&cg, "memory.max", "8M"))
		return 11;
	for (i = 0; i < KILLS && !ret && !sh->stop; i++) {
		if (victim_start(&v, &cg, &vo, STEP_MS))
			ret = 12;
		else if (victim_wait(&v, STEP_MS))
			ret = 13;
		else if (!WIFSIGNALED(v.status) || WTERMSIG(v.status) != SIGKILL)
			ret = 14;
		else
			sh->killed[a->cpu]++;
		victim_destroy(&v);
	}
	memcg_destroy(&cg);
	return ret;
}

/* Each multicast group numbers its notifications on its own */
enum { GRP_CONFIG, GRP_EVENTS, NGRPS };

struct tally {
	int n[OOM_CMD_MAX + 1];
	int total, misordered;
	int seen[NGRPS];
	uint64_t prev[NGRPS];
	char first[160];
};

static void tally_add(struct tally *t, const struct oom_ntf *n)
{
	int g = n->cmd == OOM_CMD_POLICY_NTF ? GRP_CONFIG : GRP_EVENTS;
	uint64_t seq = ntf_seq(n);

	if (t->seen[g] && seq != t->prev[g] + 1 && !t->misordered++)
		snprintf(t->first, sizeof(t->first),
			 "notification %d (%s) has seq %llu after %llu", t->total,
			 oomnl_cmd_name(n->cmd), (unsigned long long)seq,
			 (unsigned long long)t->prev[g]);
	t->prev[g] = seq;
	t->seen[g]++;
	t->total++;
	if (n->cmd <= OOM_CMD_MAX)
		t->n[n->cmd]++;
}

FIXTURE(storm) {
	struct oomnl c, sub;
	struct oomnl_reply r;
	pid_t w[WORKERS];
	char why[256];
};

FIXTURE_SETUP(storm)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	if (sysconf(_SC_NPROCESSORS_ONLN) < WORKERS)
		SKIP(return, "needs %d CPUs online", WORKERS);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	ASSERT_EQ(0, oomnl_restore_defaults());
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_subscribe(&self->sub, true, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing to config+events: %s", strerror(-err));
}

FIXTURE_TEARDOWN(storm)
{
	for (int i = 0; i < WORKERS; i++)
		if (self->w[i] > 0) {
			kill(self->w[i], SIGKILL);
			finish_child(self->w[i], STEP_MS);
		}
	oomnl_close(&self->sub);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(storm, seq_order_two_cpus, 240)
{
	static struct worker_arg args[WORKERS];
	int64_t stop_at = now_ms() + KILL_MS, deadline = now_ms() + STORM_MS;
	int kills = -1, running = WORKERS, status[WORKERS] = { 0 };
	struct tally t = { 0 };
	struct oom_ntf n;
	struct oom_pol p;
	int err = 0, i;

	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(0, 1, OOM_REAP_ORDER_REVERSE),
			       &p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);

	for (i = 0; i < WORKERS; i++) {
		args[i].cpu = i;
		self->w[i] = start_child(worker, &args[i]);
		ASSERT_LT(0, self->w[i]) TH_LOG("worker: %s", strerror(-self->w[i]));
	}

	/*
	 * Everything up to the last victim's reap-done and victim-freed, the
	 * policy-ntf first.  The workers stop at KILLS each or after KILL_MS;
	 * once both are done, their count says how many of each are still to
	 * come.
	 */
	while (kills < 0 || t.n[OOM_CMD_REAP_DONE_NTF] < kills ||
	       t.n[OOM_CMD_VICTIM_FREED_NTF] < kills) {
		int64_t left = deadline - now_ms();

		if (now_ms() >= stop_at)
			sh->stop = 1;
		for (i = 0; i < WORKERS && running; i++) {
			if (self->w[i] <= 0 || child_wait(self->w[i], &status[i], WNOHANG, 0))
				continue;
			if (!WIFEXITED(status[i]) && !WIFSIGNALED(status[i]))
				continue;
			self->w[i] = 0;
			if (!--running)
				kills = sh->killed[0] + sh->killed[1];
		}
		err = oomnl_ntf_next(&self->sub, &n, left > 200 ? 200 : (left > 0 ? left : 0),
				     self->why, sizeof(self->why));
		if (err == -ETIMEDOUT && left > 0) {
			err = 0;	/* nothing yet: the workers may still be busy */
			continue;
		}
		if (err)
			break;
		tally_add(&t, &n);
	}
	TH_LOG("%d kills; %d notifications: policy %d victim %d reap-queued %d reap-done %d victim-freed %d",
	       kills, t.total, t.n[OOM_CMD_POLICY_NTF], t.n[OOM_CMD_VICTIM_NTF],
	       t.n[OOM_CMD_REAP_QUEUED_NTF], t.n[OOM_CMD_REAP_DONE_NTF],
	       t.n[OOM_CMD_VICTIM_FREED_NTF]);
	ASSERT_EQ(0, err) TH_LOG("receiving: %s", self->why);
	for (i = 0; i < WORKERS; i++) {
		EXPECT_TRUE(WIFEXITED(status[i]) && !WEXITSTATUS(status[i]))
			TH_LOG("worker %d: status %#x", i, status[i]);
		EXPECT_LE(MIN_KILLS, sh->killed[i]) TH_LOG("worker %d", i);
	}
	EXPECT_EQ(0, t.misordered) TH_LOG("%d seqs out of order; first: %s",
					  t.misordered, t.first);
	EXPECT_EQ(1, t.n[OOM_CMD_POLICY_NTF]);
	EXPECT_EQ(kills, t.n[OOM_CMD_VICTIM_NTF]);
	EXPECT_EQ(kills, t.n[OOM_CMD_REAP_QUEUED_NTF]);
	EXPECT_EQ(kills, t.n[OOM_CMD_VICTIM_FREED_NTF]);
	/* Nothing was left behind or dropped. */
	err = oomnl_ntf_next(&self->sub, &n, 0, self->why, sizeof(self->why));
	EXPECT_EQ(-ETIMEDOUT, err) TH_LOG("after the last reap-done and victim-freed: %s",
					  err ? self->why : oomnl_cmd_name(n.cmd));
}

TEST_HARNESS_MAIN
