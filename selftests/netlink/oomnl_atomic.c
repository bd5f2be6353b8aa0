// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family, atomicity: two setters race full policies A and B, each on
 * its own socket; readers doing policy-get in a loop, every set reply and
 * every policy-ntf must show exactly A or B, never a mix of the two, and
 * each reply the policy its own request produced.  The
 * notifications carry consecutive seqs and the last one (by seq) describes
 * the policy that is in force at the end.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"

#define ROUNDS		2000
#define NREADERS	2

static const struct oom_pol POL_A = { 100, 0, OOM_REAP_ORDER_FORWARD, 0 };
static const struct oom_pol POL_B = { 9000, 1, OOM_REAP_ORDER_REVERSE, 0 };

static int which(const struct oom_pol *p)
{
	if (pol_is(p, POL_A.delay_ms, POL_A.frozen_bypass, POL_A.order))
		return 'A';
	if (pol_is(p, POL_B.delay_ms, POL_B.frozen_bypass, POL_B.order))
		return 'B';
	return 0;
}

struct shared {
	atomic_int setters_left;
	atomic_int mixes;		/* replies/reads/ntfs that were neither */
	atomic_int errors;
	atomic_long reads;
	char first_mix[160];
	pthread_mutex_t lock;
};

static void note_mix(struct shared *sh, const char *who, const struct oom_pol *p)
{
	char buf[96];

	if (atomic_fetch_add(&sh->mixes, 1) == 0) {
		pthread_mutex_lock(&sh->lock);
		snprintf(sh->first_mix, sizeof(sh->first_mix), "%s saw %s", who,
			 pol_str(p, buf, sizeof(buf)));
		pthread_mutex_unlock(&sh->lock);
	}
}

static void note_error(struct shared *sh, const char *who, const char *why)
{
	if (atomic_fetch_add(&sh->errors, 1) < 3)
		fprintf(stderr, "# %s: %s\n", who, why);
}

struct setter {
	struct shared *sh;
	struct oom_pol want;
	int own, other;		/* replies showing our policy / the other's */
};

static void *setter_main(void *p)
{
	struct setter *s = p;
	struct oom_pol_set req = OOM_POL_SET_ALL(s->want.delay_ms, s->want.frozen_bypass,
						 s->want.order);
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oom_pol got;
	struct oomnl c;
	char why[256];
	int i, err;

	if (!r || oomnl_open(&c)) {
		note_error(s->sh, "setter", "cannot open a socket");
		goto out;
	}
	for (i = 0; i < ROUNDS; i++) {
		err = oomnl_policy_set(&c, &req, &got, r, why, sizeof(why));
		if (err) {
			note_error(s->sh, "setter", why);
			continue;
		}
		if (!which(&got))
			note_mix(s->sh, "a policy-set reply", &got);
		else if (which(&got) == which(&s->want))
			s->own++;
		else
			s->other++;
	}
	oomnl_close(&c);
out:
	free(r);
	atomic_fetch_sub(&s->sh->setters_left, 1);
	return NULL;
}

static void *reader_main(void *p)
{
	struct shared *sh = p;
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oom_pol got;
	struct oomnl c;
	char why[256];

	if (!r || oomnl_open(&c)) {
		note_error(sh, "reader", "cannot open a socket");
		free(r);
		return NULL;
	}
	while (atomic_load(&sh->setters_left) > 0) {
		if (oomnl_policy_get(&c, &got, r, why, sizeof(why))) {
			note_error(sh, "reader", why);
			continue;
		}
		atomic_fetch_add(&sh->reads, 1);
		if (!which(&got))
			note_mix(sh, "policy-get", &got);
	}
	oomnl_close(&c);
	free(r);
	return NULL;
}

struct drain {
	struct shared *sh;
	struct oomnl *sub;
	long count;
	uint64_t first_seq, last_seq;
	struct oom_pol last;
	int gaps;
	char gap[128];
	int nbad;		/* notifications that deviate from the spec */
	char bad[160];
};

/* Read notifications until the setters are done and the queue is empty
 * (they are queued before each policy-set returns). */
static void *drain_main(void *p)
{
	struct drain *d = p;
	struct oom_ntf n;
	char why[256];
	int err;

	for (;;) {
		bool done = atomic_load(&d->sh->setters_left) == 0;

		err = oomnl_ntf_next(d->sub, &n, done ? 0 : 200, why, sizeof(why));
		if (err == -ETIMEDOUT) {
			if (done)
				break;
			continue;
		}
		if (err) {
			note_error(d->sh, "notifications", why);
			if (err != -EPROTO)
				break;
			continue;
		}
		if (n.nbad && !d->nbad++)
			snprintf(d->bad, sizeof(d->bad), "%s", n.bad);
		if (n.cmd != OOM_CMD_POLICY_NTF) {
			note_error(d->sh, "notifications", "not a policy-ntf");
			continue;
		}
		if (d->count++ && n.v[OOM_A_POLICY_NTF_SEQ] != d->last_seq + 1 && !d->gaps++)
			snprintf(d->gap, sizeof(d->gap), "seq %llu after %llu",
				 (unsigned long long)n.v[OOM_A_POLICY_NTF_SEQ],
				 (unsigned long long)d->last_seq);
		if (d->count == 1)
			d->first_seq = n.v[OOM_A_POLICY_NTF_SEQ];
		d->last_seq = n.v[OOM_A_POLICY_NTF_SEQ];
		d->last.delay_ms = n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS];
		d->last.frozen_bypass = n.v[OOM_A_POLICY_NTF_FROZEN_BYPASS];
		d->last.order = n.v[OOM_A_POLICY_NTF_REAP_ORDER];
		if (!which(&d->last))
			note_mix(d->sh, "policy-ntf", &d->last);
	}
	return NULL;
}

FIXTURE(atomic) {
	struct oomnl c;
};

FIXTURE_SETUP(atomic)
{
	OOMNL_REQUIRE_FAMILY();
	ASSERT_EQ(0, oomnl_open(&self->c));
}

FIXTURE_TEARDOWN(atomic)
{
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

TEST_F_TIMEOUT(atomic, concurrent_full_sets, 300)
{
	struct shared sh = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct setter sa = { &sh, POL_A, 0, 0 }, sb = { &sh, POL_B, 0, 0 };
	pthread_t ta, tb, tr[NREADERS], td;
	struct oomnl_reply r;
	struct drain d = { 0 };
	struct oom_pol fin, sys;
	struct oomnl sub;
	char why[256], buf[96];
	int i;

	ASSERT_EQ(0, oomnl_policy_set(&self->c,
				      &OOM_POL_SET_ALL(POL_A.delay_ms, POL_A.frozen_bypass,
						       POL_A.order),
				      &fin, &r, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, oomnl_subscribe(&sub, true, false));
	d.sh = &sh;
	d.sub = &sub;
	atomic_store(&sh.setters_left, 2);

	ASSERT_EQ(0, pthread_create(&td, NULL, drain_main, &d));
	for (i = 0; i < NREADERS; i++)
		ASSERT_EQ(0, pthread_create(&tr[i], NULL, reader_main, &sh));
	ASSERT_EQ(0, pthread_create(&ta, NULL, setter_main, &sa));
	ASSERT_EQ(0, pthread_create(&tb, NULL, setter_main, &sb));
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	for (i = 0; i < NREADERS; i++)
		pthread_join(tr[i], NULL);
	pthread_join(td, NULL);
	oomnl_close(&sub);

	TH_LOG("%d+%d sets (replies own/other: A %d/%d, B %d/%d), %ld reads, %ld notifications",
	       ROUNDS, ROUNDS, sa.own, sa.other, sb.own, sb.other,
	       atomic_load(&sh.reads), d.count);
	EXPECT_EQ(0, atomic_load(&sh.errors));
	EXPECT_EQ(0, atomic_load(&sh.mixes)) TH_LOG("first mix: %s", sh.first_mix);
	EXPECT_EQ(2 * ROUNDS, sa.own + sa.other + sb.own + sb.other);
	/* The reply is the policy this request produced, not a later one. */
	EXPECT_EQ(0, sa.other + sb.other)
		TH_LOG("%d replies showed the other setter's policy", sa.other + sb.other);
	EXPECT_LT(0, atomic_load(&sh.reads));
	/* Each set changes the policy at least whenever the other one ran in
	 * between, so there are notifications, with no gaps in their seqs. */
	EXPECT_LT(0, d.count);
	EXPECT_GE(2 * ROUNDS, d.count);
	EXPECT_EQ(0, d.gaps) TH_LOG("first gap: %s", d.gap);
	EXPECT_EQ(0, d.nbad) TH_LOG("%d notifications not as the spec says: %s", d.nbad, d.bad);

	/* The end state: get, sysctls and the last notification agree. */
	ASSERT_EQ(0, oomnl_policy_get(&self->c, &fin, &r, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_NE(0, which(&fin)) TH_LOG("final policy %s", pol_str(&fin, buf, sizeof(buf)));
	ASSERT_EQ(0, oomnl_sysctl_policy(&sys));
	EXPECT_TRUE(pol_is(&sys, fin.delay_ms, fin.frozen_bypass, fin.order))
		TH_LOG("sysctls %s", pol_str(&sys, buf, sizeof(buf)));
	if (d.count) {
		EXPECT_TRUE(pol_is(&d.last, fin.delay_ms, fin.frozen_bypass, fin.order))
			TH_LOG("the last notification (seq %llu) says %s but the policy is %s: notifications are not sent in the order the changes were applied",
			       (unsigned long long)d.last_seq,
			       pol_str(&d.last, why, sizeof(why)),
			       pol_str(&fin, buf, sizeof(buf)));
	}
}

/*
 * Subsets race too: one process sets only the delay, another only the
 * order.  Neither may undo the other's field (a lost update): after each of
 * its own sets, each sees its own value both in the reply and in a
 * following get, since nobody else touches that field.
 */
TEST_F_TIMEOUT(atomic, concurrent_subsets_compose, 300)
{
	struct oom_pol_set sd = { .has_delay = true }, so = { .has_order = true };
	struct oomnl_reply r;
	struct oom_pol p;
	char why[256];
	int i, err;
	pid_t pid;

	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(100, 1, OOM_REAP_ORDER_FORWARD),
				      &p, &r, why, sizeof(why))) TH_LOG("%s", why);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct oomnl c;

		if (oomnl_open(&c))
			_exit(1);
		for (i = 0; i < ROUNDS; i++) {
			so.order = i & 1 ? OOM_REAP_ORDER_FORWARD : OOM_REAP_ORDER_REVERSE;
			if (oomnl_policy_set(&c, &so, &p, &r, NULL, 0) ||
			    p.order != so.order || p.frozen_bypass != 1 ||
			    (p.delay_ms != 100 && p.delay_ms != 9000))
				_exit(2);
			if (oomnl_policy_get(&c, &p, &r, NULL, 0) || p.order != so.order)
				_exit(3);
		}
		_exit(0);
	}
	for (i = 0; i < ROUNDS; i++) {
		sd.delay_ms = i & 1 ? 100 : 9000;
		err = oomnl_policy_set(&self->c, &sd, &p, &r, why, sizeof(why));
		ASSERT_EQ(0, err) TH_LOG("%s", why);
		ASSERT_EQ(sd.delay_ms, p.delay_ms) TH_LOG("the reply lost our own change");
		ASSERT_EQ(1u, p.frozen_bypass);
		ASSERT_TRUE(p.order == OOM_REAP_ORDER_FORWARD || p.order == OOM_REAP_ORDER_REVERSE);
		err = oomnl_policy_get(&self->c, &p, &r, why, sizeof(why));
		ASSERT_EQ(0, err) TH_LOG("%s", why);
		ASSERT_EQ(sd.delay_ms, p.delay_ms)
			TH_LOG("round %d: our delay was overwritten by an order-only set", i);
	}
	err = finish_child(pid, 120000);
	ASSERT_EQ(0, err) TH_LOG("order setter: %s",
				 err == 2 ? "bad reply" : err == 3 ? "its order was overwritten by a delay-only set" : "failed");
	/* Last delay set: i = ROUNDS - 1 (odd) -> 100; last order: forward. */
	ASSERT_EQ(0, oomnl_policy_get(&self->c, &p, &r, why, sizeof(why)));
	EXPECT_TRUE(pol_is(&p, 100, 1, OOM_REAP_ORDER_FORWARD))
		TH_LOG("end state %s: a subset update overwrote the other field",
		       pol_str(&p, why, sizeof(why)));
}

TEST_HARNESS_MAIN
