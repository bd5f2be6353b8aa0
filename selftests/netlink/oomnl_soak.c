// SPDX-License-Identifier: GPL-2.0
/*
 * OOM storm soak: thousands of real OOM kills in several memory cgroups
 * while the policy flips and listeners come and go, then the books must
 * balance.  Run on the sanitizer kernel by make check, where any kernel
 * report during the run fails it too.
 *
 * Workers (one memory cgroup each) kill victims of five kinds in turn:
 *   exits     OOM-killed in its own page fault, exits by itself
 *   pinned    mm held from outside (lib/mm_pin): only a reap frees it
 *   frozen    its cgroup frozen (cgroup v2 freezer) when it is killed
 *   mrelease  pinned, and a helper calls process_mrelease() in a loop from
 *             the kill on, racing the oom_reaper
 *   mrelease-exits  the same without the pin: races the victim's exit
 * Meanwhile a process sets random policies through netlink, another
 * through the sysctls (valid ones and a share of invalid ones, which must
 * fail); a listener with the smallest receive buffer reads slowly; one
 * joins and leaves the events group over and over; `oomctl -j monitor`
 * (OOMCTL_RCVBUF=1) is stopped and continued so that it overruns.
 *
 * At quiescence:
 *  - the policy equals the last policy-ntf (the last successful write);
 *  - stats: victims = queued (delay + zero-delay + frozen-bypass), and
 *    reaped + exited-first + gave-up = victims + mrelease-calls (every
 *    victim has exactly one oom_reaper reap-done, each process_mrelease()
 *    that got to reap one more): nothing is still queued; and
 *    freed-exit + freed-oom-reaper + freed-mrelease = victims (every
 *    victim's address space ended once, whoever held it last);
 *  - the main listener (16 MiB buffer, never ENOBUFS, joined before the
 *    first kill) misses exactly events-dropped notifications, and every
 *    victim it saw got exactly one reap-done from the oom_reaper;
 *  - every gap the small, the coming-and-going and oomctl's listeners saw
 *    is a notification nobody got (missing at the main listener too) or
 *    follows an ENOBUFS of their own; oomctl printed a "lost" record with
 *    the right count before every gap of its output.
 * Then forward progress: the delay at its maximum, bypass off, victims
 * that cannot exit (pinned): each is reaped within the delay plus the
 * reaper's retries; the worst case is printed.
 *
 * OOMCTL_SOAK_S sets the storm's length in seconds (default 150; make soak
 * runs it alone, longer).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"
#include "child_wait.h"
#include "mm_pin.h"
#include "oomctl_mon.h"
#include "oom_trigger.h"

#define WORKERS		4
#define VICTIM_SIZE	(1UL << 20)	/* small: many kills, also under KASAN */
#define STEP_MS		15000
#define SOAK_S_DEFAULT	150
/* A pinned victim waits for the delay, then the reaper's 10 tries at HZ/10. */
#define REAP_RETRIES_MS	1000
#define FWD_VICTIMS	3
#define MAX_SEQ		(1 << 20)	/* per group: far more than a run makes */
#define NGRPS		2
#define MON_OUT		"/tmp/oomnl_soak.monitor.json"
#define MAX_MON_RECS	(1 << 18)

enum kind { K_EXITS, K_PINNED, K_FROZEN, K_MRELEASE, K_MRELEASE_EXITS, K_NR };
static const char *const kind_name[K_NR] = {
	"exits", "pinned", "frozen", "mrelease", "mrelease-exits",
};

/* Shared with the child processes (MAP_SHARED) */
struct soak_shared {
	volatile int stop;
	unsigned long kills[K_NR];
	unsigned long mrelease_calls, mrelease_ok;
	unsigned long sets_ok, sets_refused, sysctl_ok, sysctl_refused;
	unsigned long bad_refusal;	/* an invalid write that got through */
	/* listeners other than the main one: gaps and how they are explained */
	unsigned long l_msgs, l_gaps, l_enobufs, l_sessions;
	/* seqs those listeners missed without an ENOBUFS before them */
	unsigned int n_unexplained;
	struct { int g; uint64_t seq; } unexplained[512];
	int worker_err[WORKERS];
	char worker_why[WORKERS][160];
};

static struct soak_shared *sh;

static int grp_of(const struct oom_ntf *n)
{
	return n->cmd == OOM_CMD_POLICY_NTF ? 0 : 1;
}

static int soak_seconds(void)
{
	const char *s = getenv("OOMCTL_SOAK_S");
	int v = s ? atoi(s) : 0;

	return v > 0 ? v : SOAK_S_DEFAULT;
}

/* ---- workers ------------------------------------------------------------ */

struct worker_arg {
	int id;
	unsigned int seed;
};

/*
 * process_mrelease() from the kill on: EINVAL until the victim is dying,
 * then 0 (it reaped, or the work was done) or ESRCH (the mm is gone).
 */
static void mrelease_race(pid_t pid, int64_t deadline)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return;
	while (now_ms() < deadline) {
		long r = syscall(SYS_process_mrelease, fd, 0);

		__atomic_add_fetch(&sh->mrelease_calls, 1, __ATOMIC_RELAXED);
		if (!r) {
			__atomic_add_fetch(&sh->mrelease_ok, 1, __ATOMIC_RELAXED);
			break;
		}
		if (errno != EINVAL && errno != EAGAIN && errno != EINTR)
			break;
		usleep(200);	/* race the reaper, but leave the CPUs to the kill */
	}
	close(fd);
}

#define FAIL(code, ...) do { \
	snprintf(sh->worker_why[a->id], sizeof(sh->worker_why[0]), __VA_ARGS__); \
	ret = (code); \
	goto out; \
} while (0)

static int one_kill(const struct worker_arg *a, struct memcg *cg, enum kind k)
{
	struct victim_spawn_opts vo = { .go = k == K_EXITS };
	struct victim v = { 0 };
	struct mm_pin pin = { 0 };
	pid_t trigger = 0;
	int ret = 0, err, status;
	char max[32];

	err = memcg_write(cg, "memory.max", "max");
	if (err)
		FAIL(20, "memory.max=max: %s", strerror(err));
	err = victim_spawn_opts(&v, cg, VICTIM_SIZE, &vo, STEP_MS);
	if (err)
		FAIL(21, "%s victim: %s", kind_name[k], strerror(err));
	if (k == K_EXITS) {
		err = victim_go_oom(&v, cg);
		if (err)
			FAIL(22, "go: %s", strerror(err));
		goto wait_victim;
	}
	if (k == K_PINNED || k == K_MRELEASE) {
		err = mm_pin(&pin, v.pid, v.addr, STEP_MS);
		if (err)
			FAIL(23, "pin: %s", strerror(err));
	}
	if (k == K_FROZEN) {
		err = memcg_freeze(cg, STEP_MS);
		if (err)
			FAIL(24, "freeze: %s", strerror(err));
	}
	/* From outside, well below its usage: only killing it satisfies it */
	snprintf(max, sizeof(max), "%lu", VICTIM_SIZE / 8);
	trigger = oom_trigger_start(cg, max);
	if (trigger < 0)
		FAIL(25, "trigger: %s", strerror(-trigger));
	if (k == K_MRELEASE || k == K_MRELEASE_EXITS)
		mrelease_race(v.pid, now_ms() + STEP_MS);
	/* memory.max is written once the memory is back: reaped or exited */
	err = child_wait(trigger, &status, 0, OOM_REAP_DELAY_MAX_MS + STEP_MS);
	if (err)
		FAIL(26, "%s: memory not back within %d ms: %s", kind_name[k],
		     OOM_REAP_DELAY_MAX_MS + STEP_MS, strerror(err));
	trigger = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL(27, "trigger status %#x", status);
wait_victim:
	err = victim_wait(&v, STEP_MS);
	if (err)
		FAIL(28, "%s victim did not die: %s", kind_name[k], strerror(err));
	if (!WIFSIGNALED(v.status) || WTERMSIG(v.status) != SIGKILL)
		FAIL(29, "%s victim status %#x, not SIGKILL", kind_name[k], v.status);
	__atomic_add_fetch(&sh->kills[k], 1, __ATOMIC_RELAXED);
out:
	oom_trigger_stop(&trigger);
	mm_unpin(&pin);
	victim_destroy(&v);
	if (k == K_FROZEN)
		memcg_write(cg, "cgroup.freeze", "0");
	return ret;
}

static int worker(void *p)
{
	struct worker_arg *a = p;
	struct memcg cg;
	char name[32];
	int ret = 0;

	snprintf(name, sizeof(name), "soak-w%d", a->id);
	if (oomnl_memcg_create(&cg, name))
		return 10;
	while (!sh->stop && !ret)
		ret = one_kill(a, &cg, rand_r(&a->seed) % K_NR);
	sh->worker_err[a->id] = ret;
	memcg_destroy(&cg);
	return ret;
}

/* ---- policy flippers ------------------------------------------------------ */

static const uint32_t delays[] = { 0, 1, 10, 50, 100, 200 };
#define NDELAYS (sizeof(delays) / sizeof(delays[0]))

/*
 * Count one policy write of a flipper: an invalid one must be refused (one
 * that got through is counted apart); a valid one that failed is -1.
 */
static int count_write(bool invalid, int err, unsigned long *ok, unsigned long *refused)
{
	if (invalid)
		__atomic_add_fetch(err ? refused : &sh->bad_refusal, 1, __ATOMIC_RELAXED);
	else if (!err)
		__atomic_add_fetch(ok, 1, __ATOMIC_RELAXED);
	else
		return -1;
	return 0;
}

/* Through netlink: random subsets; one in eight out of range, refused */
static int nl_flipper(void *p)
{
	unsigned int seed = *(unsigned int *)p;
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oomnl c;

	if (!r || oomnl_open(&c))
		return 10;
	while (!sh->stop) {
		struct oom_pol_set s = {
			.has_delay = rand_r(&seed) & 1,
			.has_bypass = rand_r(&seed) & 1,
			.has_order = rand_r(&seed) & 1,
			.delay_ms = delays[rand_r(&seed) % NDELAYS],
			.frozen_bypass = rand_r(&seed) & 1,
			.order = rand_r(&seed) & 1,
		};
		bool invalid = rand_r(&seed) % 8 == 0;
		struct oom_pol got;
		int err;

		if (invalid) {
			s.has_delay = true;
			s.delay_ms = OOM_REAP_DELAY_MAX_MS + 1 + rand_r(&seed) % 1000;
		} else if (!s.has_delay && !s.has_bypass && !s.has_order) {
			s.has_order = true;
		}
		err = oomnl_policy_set(&c, &s, &got, r, NULL, 0);
		if (count_write(invalid, err, &sh->sets_ok, &sh->sets_refused))
			return 11;	/* a valid set refused */
		usleep(50000);	/* pace, not synchronisation */
	}
	oomnl_close(&c);
	free(r);
	return 0;
}

/* Through the sysctls, the same way */
static int sysctl_flipper(void *p)
{
	unsigned int seed = *(unsigned int *)p;

	while (!sh->stop) {
		unsigned int what = rand_r(&seed) % 3, val;
		bool invalid = rand_r(&seed) % 8 == 0;
		const char *path = what == 0 ? OOM_REAP_DELAY_MS :
				   what == 1 ? OOM_REAP_FROZEN_BYPASS : OOM_REAP_ORDER;
		int err;

		val = what == 0 ? delays[rand_r(&seed) % NDELAYS] : rand_r(&seed) & 1;
		if (invalid)
			val = what == 0 ? OOM_REAP_DELAY_MAX_MS + 1 : 2 + rand_r(&seed) % 7;
		err = sysctl_write_uint(path, val);
		if (count_write(invalid, err, &sh->sysctl_ok, &sh->sysctl_refused))
			return 11;
		usleep(50000);
	}
	return 0;
}

/* ---- listeners other than the main one ------------------------------------ */

/*
 * Follow the sequence of one socket.  A gap after an ENOBUFS is the
 * listener's own loss; any other missing seq must be one that nobody got
 * (the parent checks it against the main listener).
 */
/*
 * An overrun sets the socket's error, which the next recv() reports before
 * the messages still queued: the gap comes after the ENOBUFS, later.  One
 * overrun is one run of drops (nothing is queued until the reader reads,
 * and any read reports the error first), so one gap per group.
 */
struct follower {
	uint64_t next[NGRPS];
	bool have[NGRPS];
	int credit[NGRPS];	/* ENOBUFS not yet matched with a gap */
};

static void follow(struct follower *f, const struct oom_ntf *n)
{
	int g = grp_of(n);
	uint64_t seq = ntf_seq(n);

	__atomic_add_fetch(&sh->l_msgs, 1, __ATOMIC_RELAXED);
	if (f->have[g] && seq > f->next[g]) {
		__atomic_add_fetch(&sh->l_gaps, 1, __ATOMIC_RELAXED);
		if (f->credit[g])
			f->credit[g]--;
		else
			for (uint64_t s = f->next[g]; s < seq; s++) {
				unsigned int i = __atomic_fetch_add(&sh->n_unexplained, 1,
								    __ATOMIC_RELAXED);

				if (i < 512) {
					sh->unexplained[i].g = g;
					sh->unexplained[i].seq = s;
				}
			}
	}
	f->have[g] = true;
	if (seq >= f->next[g])
		f->next[g] = seq + 1;
}

static int read_some(struct oomnl *c, struct follower *f, int64_t until)
{
	char why[128];
	struct oom_ntf n;

	while (!sh->stop && now_ms() < until) {
		int err = oomnl_ntf_next(c, &n, 50, why, sizeof(why));

		if (err == -ETIMEDOUT)
			continue;
		if (err == -ENOBUFS) {
			for (int g = 0; g < NGRPS; g++)
				f->credit[g]++;
			__atomic_add_fetch(&sh->l_enobufs, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (err)
			return 12;
		follow(f, &n);
	}
	return 0;
}

/* The smallest receive buffer, read in slow sips */
static int tiny_listener(void *p)
{
	struct follower f = { 0 };
	struct oomnl c;
	int one = 1;

	(void)p;
	if (oomnl_open(&c))
		return 10;
	setsockopt(nl_socket_get_fd(c.sk), SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	if (oomnl_join(&c, OOM_MCGRP_EVENTS) || oomnl_join(&c, OOM_MCGRP_CONFIG))
		return 11;
	while (!sh->stop) {
		if (read_some(&c, &f, now_ms() + 5))
			return 12;
		usleep(100000);	/* let it overrun */
	}
	oomnl_close(&c);
	return 0;
}

/* Joins, reads a while, leaves; again */
static int join_leave(void *p)
{
	unsigned int seed = *(unsigned int *)p;

	while (!sh->stop) {
		struct follower f = { 0 };
		struct oomnl c;

		if (oomnl_open(&c))
			return 10;
		if (oomnl_join(&c, OOM_MCGRP_EVENTS))
			return 11;
		__atomic_add_fetch(&sh->l_sessions, 1, __ATOMIC_RELAXED);
		if (read_some(&c, &f, now_ms() + 50 + rand_r(&seed) % 400))
			return 12;
		oomnl_close(&c);
	}
	return 0;
}

/* ---- the main listener's books ------------------------------------------- */

struct book {
	uint64_t next[NGRPS];
	bool have[NGRPS];
	uint64_t missing;		/* seqs never received */
	uint8_t *got[NGRPS];		/* by seq: received */
	int enobufs;
	unsigned long n[OOM_CMD_MAX + 1];
	/* victims by pid: 0 none, 1 killed, 2+ reap-dones from the oom_reaper */
	uint8_t *victim;
	unsigned long victims_seen, done_twice, done_unknown, reused;
	struct oom_ntf last_policy, prev_policy;
	bool have_policy;
};

static void book_add(struct book *b, const struct oom_ntf *n)
{
	int g = grp_of(n);
	uint64_t seq = ntf_seq(n);
	uint32_t pid = n->v[OOM_A_EVENT_PID];

	if (seq < MAX_SEQ)
		b->got[g][seq] = 1;
	if (b->have[g] && seq > b->next[g])
		b->missing += seq - b->next[g];
	if (!b->have[g] || seq >= b->next[g])
		b->next[g] = seq + 1;
	b->have[g] = true;
	b->n[n->cmd]++;
	if (n->cmd == OOM_CMD_POLICY_NTF) {
		b->prev_policy = b->last_policy;
		b->last_policy = *n;
		b->have_policy = true;
		return;
	}
	if (pid >= 4 << 20)
		return;
	if (n->cmd == OOM_CMD_VICTIM_NTF) {
		if (b->victim[pid] == 1)
			b->reused++;	/* killed again before its reap-done */
		b->victim[pid] = 1;
		b->victims_seen++;
	} else if (n->cmd == OOM_CMD_REAP_DONE_NTF &&
		   n->v[OOM_A_EVENT_SOURCE] == OOM_REAP_SOURCE_OOM_REAPER) {
		if (b->victim[pid] == 0)
			b->done_unknown++;	/* its victim-ntf was dropped */
		else if (b->victim[pid] >= 2)
			b->done_twice++;
		else
			b->victim[pid] = 2;
	}
}

static unsigned long book_open_victims(const struct book *b)
{
	unsigned long open = 0;

	for (uint32_t pid = 0; pid < 4 << 20; pid++)
		open += b->victim[pid] == 1;
	return open;
}

/* ---- the test ------------------------------------------------------------- */

FIXTURE(soak) {
	struct oomnl c, main_l;
	struct oomnl_reply r;
	pid_t kids[WORKERS + 4];
	int nkids;
	pid_t mon;
	struct book b;
	char why[256];
};

FIXTURE_SETUP(soak)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	ASSERT_EQ(0, oomnl_restore_defaults());
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	for (int g = 0; g < NGRPS; g++) {
		self->b.got[g] = calloc(MAX_SEQ, 1);
		ASSERT_NE(NULL, self->b.got[g]);
	}
	self->b.victim = calloc(4 << 20, 1);
	ASSERT_NE(NULL, self->b.victim);
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_subscribe(&self->main_l, true, true);
	ASSERT_EQ(0, err) TH_LOG("subscribing: %s", strerror(-err));
}

FIXTURE_TEARDOWN(soak)
{
	if (sh)
		sh->stop = 1;
	for (int i = 0; i < self->nkids; i++)
		if (self->kids[i] > 0) {
			kill(self->kids[i], SIGKILL);
			finish_child(self->kids[i], STEP_MS);
		}
	if (self->mon > 0) {
		kill(self->mon, SIGKILL);
		waitpid(self->mon, NULL, 0);
	}
	oomnl_close(&self->main_l);
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
	for (int g = 0; g < NGRPS; g++)
		free(self->b.got[g]);
	free(self->b.victim);
}

/* Drain the main listener until @deadline or @until says stop */
static int drain(struct oomnl *l, struct book *b, int64_t deadline,
		 bool (*until)(const struct book *b, void *arg), void *arg,
		 char *why, size_t whylen)
{
	struct oom_ntf n;

	while (!(until && until(b, arg))) {
		int left = ms_left(deadline);
		int err;

		if (!left && !until)
			return 0;
		err = oomnl_ntf_next(l, &n, until ? left : (left < 50 ? left : 50),
				     why, whylen);
		if (err == -ETIMEDOUT) {
			if (until)
				return err;
			continue;
		}
		if (err == -ENOBUFS) {
			b->enobufs++;
			continue;
		}
		if (err)
			return err;
		if (n.nbad)
			snprintf(why, whylen, "%s: %s", oomnl_cmd_name(n.cmd), n.bad);
		book_add(b, &n);
	}
	return 0;
}

/* The barrier: a policy-ntf with these values, sent after @ns */
struct barrier {
	struct oom_pol p;
	uint64_t ns;
};

static bool ntf_is(const struct oom_ntf *n, const struct oom_pol *p)
{
	return n->v[OOM_A_POLICY_NTF_REAP_DELAY_MS] == p->delay_ms &&
	       n->v[OOM_A_POLICY_NTF_FROZEN_BYPASS] == p->frozen_bypass &&
	       n->v[OOM_A_POLICY_NTF_REAP_ORDER] == p->order;
}

static bool seen_barrier(const struct book *b, void *arg)
{
	const struct barrier *w = arg;

	return b->have_policy && ntf_is(&b->last_policy, &w->p) &&
	       b->last_policy.v[OOM_A_POLICY_NTF_TIMESTAMP_NS] >= w->ns;
}

static uint64_t st(const struct oom_stats *a, const struct oom_stats *b, int attr)
{
	return b->c[attr] - a->c[attr];
}

/* Victims' address spaces that ended, however their memory went */
static uint64_t freed(const struct oom_stats *a, const struct oom_stats *b)
{
	return st(a, b, OOM_A_STATS_FREED_EXIT) + st(a, b, OOM_A_STATS_FREED_OOM_REAPER) +
	       st(a, b, OOM_A_STATS_FREED_MRELEASE);
}

/*
 * The harness's limit must allow OOMCTL_SOAK_S (make soak): the guest's
 * per-binary watchdog (TEST_TIMEOUT) is the bound that counts.
 */
TEST_F_TIMEOUT(soak, storm, 7200)
{
	static struct worker_arg wa[WORKERS];
	static unsigned int seeds[3];
	struct oom_stats s0, s1;
	struct oom_pol final, sys;
	struct barrier bar;
	struct mon_check mc;
	int64_t end, t0 = now_ms();
	unsigned long kills = 0, open;
	unsigned int seed = time(NULL);
	struct mon_rec *recs = calloc(MAX_MON_RECS, sizeof(*recs));
	int err, i, nrec;

	ASSERT_NE(NULL, recs);
	TH_LOG("seed %u, %d s storm", seed, soak_seconds());
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &s0, &self->r, self->why, sizeof(self->why)))
		TH_LOG("stats-get: %s", self->why);

	self->mon = oomctl_mon_start(MON_OUT, "1");
	ASSERT_LT(0, self->mon);
	for (i = 0; i < WORKERS; i++) {
		wa[i] = (struct worker_arg){ .id = i, .seed = seed + i };
		self->kids[self->nkids] = start_child(worker, &wa[i]);
		ASSERT_LT(0, self->kids[self->nkids++]);
	}
	for (i = 0; i < 3; i++)
		seeds[i] = seed * 7 + i;
	self->kids[self->nkids] = start_child(nl_flipper, &seeds[0]);
	ASSERT_LT(0, self->kids[self->nkids++]);
	self->kids[self->nkids] = start_child(sysctl_flipper, &seeds[1]);
	ASSERT_LT(0, self->kids[self->nkids++]);
	self->kids[self->nkids] = start_child(tiny_listener, NULL);
	ASSERT_LT(0, self->kids[self->nkids++]);
	self->kids[self->nkids] = start_child(join_leave, &seeds[2]);
	ASSERT_LT(0, self->kids[self->nkids++]);

	/* The storm: drain, and stop and continue oomctl now and then */
	end = now_ms() + soak_seconds() * 1000LL;
	while (now_ms() < end) {
		kill(self->mon, SIGSTOP);
		err = drain(&self->main_l, &self->b, now_ms() + 700, NULL, NULL,
			    self->why, sizeof(self->why));
		kill(self->mon, SIGCONT);
		if (!err)
			err = drain(&self->main_l, &self->b, now_ms() + 1300, NULL, NULL,
				    self->why, sizeof(self->why));
		ASSERT_EQ(0, err) TH_LOG("main listener: %s", self->why);
		for (i = 0; i < WORKERS; i++)
			ASSERT_EQ(0, sh->worker_err[i]) TH_LOG("worker %d: %s", i,
								sh->worker_why[i]);
	}
	sh->stop = 1;
	for (i = 0; i < self->nkids; i++) {
		err = finish_child(self->kids[i], STEP_MS + OOM_REAP_DELAY_MAX_MS);
		EXPECT_EQ(0, err) TH_LOG("child %d (%s): status %d %s", i,
					 i < WORKERS ? "worker" : "flipper/listener", err,
					 i < WORKERS ? sh->worker_why[i] : "");
		self->kids[i] = 0;
	}
	for (i = 0; i < K_NR; i++)
		kills += sh->kills[i];

	/* The policy as the last successful write left it */
	ASSERT_EQ(0, oomnl_policy_get(&self->c, &final, &self->r, self->why, sizeof(self->why)));
	ASSERT_EQ(0, oomnl_sysctl_policy(&sys));
	EXPECT_TRUE(pol_is(&sys, final.delay_ms, final.frozen_bypass, final.order));

	/* Quiescence: every victim's reap and end over, by the counters */
	for (;;) {
		ASSERT_EQ(0, oomnl_stats_get(&self->c, &s1, &self->r, self->why,
					     sizeof(self->why)));
		if ((st(&s0, &s1, OOM_A_STATS_VICTIMS) + st(&s0, &s1, OOM_A_STATS_MRELEASE_CALLS) ==
		     st(&s0, &s1, OOM_A_STATS_REAPED) + st(&s0, &s1, OOM_A_STATS_EXITED_FIRST) +
		     st(&s0, &s1, OOM_A_STATS_GAVE_UP) &&
		     st(&s0, &s1, OOM_A_STATS_VICTIMS) == freed(&s0, &s1)) ||
		    now_ms() - t0 > (soak_seconds() + 60) * 1000LL)
			break;
		drain(&self->main_l, &self->b, now_ms() + 200, NULL, NULL,
		      self->why, sizeof(self->why));
	}
	/* A policy-ntf after everything: the ring is one FIFO for both groups */
	bar.p = final;
	bar.p.order = !final.order;
	bar.ns = now_ns();
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(bar.p.delay_ms,
			bar.p.frozen_bypass, bar.p.order), &sys, &self->r,
			self->why, sizeof(self->why)));
	err = drain(&self->main_l, &self->b, now_ms() + STEP_MS, seen_barrier, &bar,
		    self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("barrier policy-ntf: %s", self->why);
	EXPECT_TRUE(ntf_is(&self->b.prev_policy, &final))
		TH_LOG("last policy-ntf before the barrier {delay %llu, bypass %llu, order %llu} != policy %u/%u/%u",
		       (unsigned long long)self->b.prev_policy.v[OOM_A_POLICY_NTF_REAP_DELAY_MS],
		       (unsigned long long)self->b.prev_policy.v[OOM_A_POLICY_NTF_FROZEN_BYPASS],
		       (unsigned long long)self->b.prev_policy.v[OOM_A_POLICY_NTF_REAP_ORDER],
		       final.delay_ms, final.frozen_bypass, final.order);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &s1, &self->r, self->why, sizeof(self->why)));

	err = oomctl_mon_stop(self->mon, STEP_MS);
	self->mon = 0;
	EXPECT_EQ(0, err) TH_LOG("oomctl monitor: exit status %d", err);
	nrec = oomctl_mon_read(MON_OUT, recs, MAX_MON_RECS);
	ASSERT_LE(0, nrec) TH_LOG(MON_OUT ": %s", strerror(-nrec));
	oomctl_mon_check_lost(recs, nrec, &mc);
	free(recs);

	open = book_open_victims(&self->b);
	TH_LOG("%lu kills in %.0f s (exits %lu, pinned %lu, frozen %lu, mrelease %lu, mrelease-exits %lu)",
	       kills, (now_ms() - t0) / 1000.0, sh->kills[K_EXITS], sh->kills[K_PINNED],
	       sh->kills[K_FROZEN], sh->kills[K_MRELEASE], sh->kills[K_MRELEASE_EXITS]);
	TH_LOG("stats: victims +%llu, queued +%llu/+%llu/+%llu, reaped +%llu, exited-first +%llu, gave-up +%llu, mrelease-calls +%llu, events-dropped +%llu",
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_VICTIMS),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_QUEUED_DELAY),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_QUEUED_ZERO_DELAY),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_QUEUED_FROZEN_BYPASS),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_REAPED),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_EXITED_FIRST),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_GAVE_UP),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_MRELEASE_CALLS),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_EVENTS_DROPPED));
	TH_LOG("stats: freed-exit +%llu, freed-oom-reaper +%llu, freed-mrelease +%llu",
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_FREED_EXIT),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_FREED_OOM_REAPER),
	       (unsigned long long)st(&s0, &s1, OOM_A_STATS_FREED_MRELEASE));
	TH_LOG("main listener: policy %lu victim %lu reap-queued %lu reap-done %lu victim-freed %lu, missing %llu, ENOBUFS %d",
	       self->b.n[OOM_CMD_POLICY_NTF], self->b.n[OOM_CMD_VICTIM_NTF],
	       self->b.n[OOM_CMD_REAP_QUEUED_NTF], self->b.n[OOM_CMD_REAP_DONE_NTF],
	       self->b.n[OOM_CMD_VICTIM_FREED_NTF],
	       (unsigned long long)self->b.missing, self->b.enobufs);
	TH_LOG("policy writes: netlink %lu ok %lu refused, sysctl %lu ok %lu refused; process_mrelease %lu calls %lu ok",
	       sh->sets_ok, sh->sets_refused, sh->sysctl_ok, sh->sysctl_refused,
	       sh->mrelease_calls, sh->mrelease_ok);
	TH_LOG("other listeners: %lu notifications, %lu gaps, %lu ENOBUFS, %lu join/leave sessions; oomctl: %lu records, %lu lost records (%lu events), %lu gaps",
	       sh->l_msgs, sh->l_gaps, sh->l_enobufs, sh->l_sessions, mc.records,
	       mc.lost_records, mc.lost_total, mc.gaps);

	EXPECT_LT(0UL, kills);
	for (i = 0; i < K_NR; i++)
		EXPECT_LT(0UL, sh->kills[i]) TH_LOG("no kill of kind %d", i);
	EXPECT_EQ(0UL, sh->bad_refusal) TH_LOG("out-of-range writes accepted");
	EXPECT_LT(0UL, sh->sets_ok);
	EXPECT_LT(0UL, sh->sysctl_ok);

	/* The counters add up, nothing still queued */
	EXPECT_EQ(st(&s0, &s1, OOM_A_STATS_VICTIMS),
		  st(&s0, &s1, OOM_A_STATS_QUEUED_DELAY) +
		  st(&s0, &s1, OOM_A_STATS_QUEUED_ZERO_DELAY) +
		  st(&s0, &s1, OOM_A_STATS_QUEUED_FROZEN_BYPASS));
	EXPECT_EQ(st(&s0, &s1, OOM_A_STATS_VICTIMS) + st(&s0, &s1, OOM_A_STATS_MRELEASE_CALLS),
		  st(&s0, &s1, OOM_A_STATS_REAPED) + st(&s0, &s1, OOM_A_STATS_EXITED_FIRST) +
		  st(&s0, &s1, OOM_A_STATS_GAVE_UP));
	EXPECT_LE(kills, st(&s0, &s1, OOM_A_STATS_VICTIMS));
	EXPECT_EQ(st(&s0, &s1, OOM_A_STATS_VICTIMS), freed(&s0, &s1));

	/* The main listener missed exactly what nobody got */
	EXPECT_EQ(0, self->b.enobufs);
	EXPECT_EQ(st(&s0, &s1, OOM_A_STATS_EVENTS_DROPPED), self->b.missing);
	EXPECT_LE(self->b.n[OOM_CMD_VICTIM_NTF], st(&s0, &s1, OOM_A_STATS_VICTIMS));
	EXPECT_LE(st(&s0, &s1, OOM_A_STATS_VICTIMS) - self->b.n[OOM_CMD_VICTIM_NTF],
		  self->b.missing);
	/* Every victim it saw: exactly one reap-done from the oom_reaper */
	EXPECT_EQ(0UL, self->b.done_twice);
	EXPECT_EQ(0UL, self->b.reused);
	EXPECT_LE(open + self->b.done_unknown, self->b.missing)
		TH_LOG("%lu victims without a reap-done, %lu reap-dones without a victim",
		       open, self->b.done_unknown);

	/* Every other listener's gap: nobody got it, or its own ENOBUFS */
	{
		unsigned int n = sh->n_unexplained < 512 ? sh->n_unexplained : 512;
		unsigned int bad = sh->n_unexplained - n;	/* unchecked: count them */

		for (unsigned int k = 0; k < n; k++)
			if (sh->unexplained[k].seq >= MAX_SEQ ||
			    self->b.got[sh->unexplained[k].g][sh->unexplained[k].seq])
				bad++;
		EXPECT_EQ(0U, bad) TH_LOG("%u of %u seqs missed by a listener without an ENOBUFS were received by the main listener",
					 bad, sh->n_unexplained);
	}
	/* oomctl: a lost record with the right count before every gap */
	EXPECT_EQ(0UL, mc.bad) TH_LOG("oomctl monitor: %s", mc.first_bad);
	EXPECT_LT(0UL, mc.records);
}

/*
 * Forward progress: the longest delay, no bypass, victims that cannot exit
 * (mm pinned).  Each must be reaped, by the oom_reaper, within the delay
 * plus the reaper's retries (it is serial: the retries of those before it
 * count too).
 */
TEST_F_TIMEOUT(soak, forward_progress, 120)
{
	const int64_t bound_ms = OOM_REAP_DELAY_MAX_MS + FWD_VICTIMS * REAP_RETRIES_MS;
	struct memcg cg[FWD_VICTIMS] = { 0 };
	struct victim v[FWD_VICTIMS] = { 0 };
	struct mm_pin pin[FWD_VICTIMS] = { 0 };
	pid_t trig[FWD_VICTIMS] = { 0 };
	uint64_t kill_ns[FWD_VICTIMS] = { 0 }, done_ns[FWD_VICTIMS] = { 0 };
	uint64_t attempts[FWD_VICTIMS] = { 0 }, dur_us[FWD_VICTIMS] = { 0 };
	uint64_t queued_ns[FWD_VICTIMS] = { 0 };
	int result[FWD_VICTIMS], left = FWD_VICTIMS, i, err = 0;
	int64_t deadline, worst = 0;
	struct oom_pol p;
	char max[32], name[32];

	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(OOM_REAP_DELAY_MAX_MS, 0,
			OOM_REAP_ORDER_DEFAULT), &p, &self->r, self->why, sizeof(self->why)));
	for (i = 0; i < FWD_VICTIMS; i++) {
		snprintf(name, sizeof(name), "soak-fwd%d", i);
		ASSERT_EQ(0, oomnl_memcg_create(&cg[i], name));
		ASSERT_EQ(0, victim_spawn(&v[i], &cg[i], VICTIM_SIZE, STEP_MS));
		ASSERT_EQ(0, mm_pin(&pin[i], v[i].pid, v[i].addr, STEP_MS));
	}
	snprintf(max, sizeof(max), "%lu", VICTIM_SIZE / 8);
	for (i = 0; i < FWD_VICTIMS; i++) {
		trig[i] = oom_trigger_start(&cg[i], max);
		ASSERT_LT(0, trig[i]);
	}
	deadline = now_ms() + 2 * bound_ms;
	while (left && !err) {
		struct oom_ntf n;

		err = oomnl_ntf_next(&self->main_l, &n, ms_left(deadline), self->why,
				     sizeof(self->why));
		if (err || n.cmd == OOM_CMD_POLICY_NTF)
			continue;
		for (i = 0; i < FWD_VICTIMS; i++) {
			if (n.v[OOM_A_EVENT_PID] != (uint64_t)v[i].pid)
				continue;
			if (n.cmd == OOM_CMD_VICTIM_NTF)
				kill_ns[i] = n.v[OOM_A_EVENT_TIMESTAMP_NS];
			if (n.cmd == OOM_CMD_REAP_QUEUED_NTF)
				queued_ns[i] = n.v[OOM_A_EVENT_TIMESTAMP_NS];
			if (n.cmd == OOM_CMD_REAP_DONE_NTF &&
			    n.v[OOM_A_EVENT_SOURCE] == OOM_REAP_SOURCE_OOM_REAPER) {
				done_ns[i] = n.v[OOM_A_EVENT_TIMESTAMP_NS];
				result[i] = n.v[OOM_A_EVENT_RESULT];
				attempts[i] = n.v[OOM_A_EVENT_ATTEMPTS];
				dur_us[i] = n.v[OOM_A_EVENT_DURATION_US];
				left--;
			}
		}
	}
	for (i = 0; i < FWD_VICTIMS; i++) {
		oom_trigger_stop(&trig[i]);
		mm_unpin(&pin[i]);
		victim_destroy(&v[i]);
		memcg_destroy(&cg[i]);
	}
	ASSERT_EQ(0, err) TH_LOG("%d of %d victims not reaped: %s", left, FWD_VICTIMS, self->why);
	for (i = 0; i < FWD_VICTIMS; i++) {
		int64_t ms = (int64_t)(done_ns[i] - kill_ns[i]) / 1000000;

		ASSERT_NE(0ULL, (unsigned long long)kill_ns[i]) TH_LOG("victim %d: no victim-ntf", i);
		EXPECT_EQ(OOM_REAP_RESULT_REAPED, result[i]) TH_LOG("victim %d", i);
		EXPECT_LE(ms, bound_ms) TH_LOG("victim %d reaped %lld ms after the kill",
					       i, (long long)ms);
		TH_LOG("victim %d: kill -> reap-done %lld ms (kill -> queued %lld us), %llu attempt(s), reap %llu us",
		       i, (long long)ms, (long long)(queued_ns[i] - kill_ns[i]) / 1000,
		       (unsigned long long)attempts[i],
		       (unsigned long long)dur_us[i]);
		if (ms > worst)
			worst = ms;
	}
	TH_LOG("forward progress: %d pinned victims, delay %d ms: worst kill -> reaped %lld ms (bound %lld ms)",
	       FWD_VICTIMS, OOM_REAP_DELAY_MAX_MS, (long long)worst, (long long)bound_ms);
}

TEST_HARNESS_MAIN
