// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family, policy commands: policy-get/policy-set agree with each other
 * and with the vm.oom_reap_* sysctls, subsets change only what they name,
 * every change (netlink or sysctl) is announced once on the "config" group
 * with what changed and through which interface, never who made it (the
 * group is open to everybody), refused changes are not announced, and
 * stats-get is well formed.  Client: libnl-genl-3.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"

#define NTF_MS 5000

FIXTURE(policy) {
	struct oomnl c;
	struct oomnl_reply r;
	char why[256];
};

FIXTURE_SETUP(policy)
{
	int err;

	OOMNL_REQUIRE_FAMILY();
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_restore_defaults();
	ASSERT_EQ(0, err) TH_LOG("setting the defaults: %s", strerror(-err));
}

FIXTURE_TEARDOWN(policy)
{
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

/* policy-get and the three sysctls both say {d, b, o}. */
static void expect_policy(struct __test_metadata *_metadata, struct oomnl *c,
			  uint32_t d, uint32_t b, uint32_t o)
{
	struct oomnl_reply r;
	struct oom_pol p, s;
	char why[256], buf[96];
	int err;

	err = oomnl_policy_get(c, &p, &r, why, sizeof(why));
	ASSERT_EQ(0, err) TH_LOG("policy-get: %s", why);
	EXPECT_TRUE(pol_is(&p, d, b, o))
		TH_LOG("policy-get says %s, expected {%u, %u, %u}",
		       pol_str(&p, buf, sizeof(buf)), d, b, o);
	EXPECT_EQ((uint32_t)OOM_REAP_DELAY_MAX_MS, p.delay_max_ms);
	err = oomnl_sysctl_policy(&s);
	ASSERT_EQ(0, err) TH_LOG("reading the sysctls: %s", strerror(-err));
	EXPECT_TRUE(pol_is(&s, d, b, o))
		TH_LOG("the sysctls say %s, expected {%u, %u, %u}",
		       pol_str(&s, buf, sizeof(buf)), d, b, o);
}

/* policy-set @s; the reply must be the full policy {d, b, o}. */
static void set_expect(struct __test_metadata *_metadata, struct oomnl *c,
		       struct oom_pol_set s, uint32_t d, uint32_t b, uint32_t o)
{
	struct oomnl_reply r;
	struct oom_pol p;
	char why[256], buf[96];
	int err;

	err = oomnl_policy_set(c, &s, &p, &r, why, sizeof(why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", why);
	EXPECT_TRUE(pol_is(&p, d, b, o))
		TH_LOG("policy-set replied %s, expected {%u, %u, %u}",
		       pol_str(&p, buf, sizeof(buf)), d, b, o);
	EXPECT_EQ((uint32_t)OOM_REAP_DELAY_MAX_MS, p.delay_max_ms);
	expect_policy(_metadata, c, d, b, o);
}

TEST_F(policy, family_registered)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id;

	EXPECT_EQ((uint32_t)OOM_FAMILY_VERSION, self->c.version);
	EXPECT_NE(0, self->c.grp_config) TH_LOG("no \"config\" multicast group");
	EXPECT_NE(0, self->c.grp_events) TH_LOG("no \"events\" multicast group");
	EXPECT_NE(self->c.grp_config, self->c.grp_events);

	/* libnl's own resolver must agree with our CTRL_CMD_GETFAMILY. */
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, genl_connect(sk));
	id = genl_ctrl_resolve(sk, OOM_FAMILY_NAME);
	EXPECT_EQ(self->c.family, id);
	id = genl_ctrl_resolve_grp(sk, OOM_FAMILY_NAME, OOM_MCGRP_CONFIG);
	EXPECT_EQ(self->c.grp_config, id);
	id = genl_ctrl_resolve_grp(sk, OOM_FAMILY_NAME, OOM_MCGRP_EVENTS);
	EXPECT_EQ(self->c.grp_events, id);
	nl_socket_free(sk);
}

TEST_F(policy, get_defaults)
{
	expect_policy(_metadata, &self->c, OOM_REAP_DELAY_DEFAULT_MS,
		      OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
}

TEST_F(policy, set_delay_only)
{
	static const uint32_t vals[] = { 1234, 0, OOM_REAP_DELAY_MAX_MS, 1, 2000 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vals); i++)
		set_expect(_metadata, &self->c,
			   (struct oom_pol_set){ .has_delay = true, .delay_ms = vals[i] },
			   vals[i], OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
}

TEST_F(policy, set_bypass_only)
{
	set_expect(_metadata, &self->c,
		   (struct oom_pol_set){ .has_bypass = true, .frozen_bypass = 0 },
		   OOM_REAP_DELAY_DEFAULT_MS, 0, OOM_REAP_ORDER_DEFAULT);
	set_expect(_metadata, &self->c,
		   (struct oom_pol_set){ .has_bypass = true, .frozen_bypass = 1 },
		   OOM_REAP_DELAY_DEFAULT_MS, 1, OOM_REAP_ORDER_DEFAULT);
}

TEST_F(policy, set_order_only)
{
	set_expect(_metadata, &self->c,
		   (struct oom_pol_set){ .has_order = true, .order = OOM_REAP_ORDER_FORWARD },
		   OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_FORWARD);
	set_expect(_metadata, &self->c,
		   (struct oom_pol_set){ .has_order = true, .order = OOM_REAP_ORDER_REVERSE },
		   OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_REVERSE);
}

TEST_F(policy, set_two_of_three)
{
	set_expect(_metadata, &self->c,
		   (struct oom_pol_set){ .has_delay = true, .delay_ms = 3333,
					 .has_order = true, .order = OOM_REAP_ORDER_FORWARD },
		   3333, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_FORWARD);
	set_expect(_metadata, &self->c,
		   (struct oom_pol_set){ .has_bypass = true, .frozen_bypass = 0,
					 .has_order = true, .order = OOM_REAP_ORDER_REVERSE },
		   3333, 0, OOM_REAP_ORDER_REVERSE);
}

TEST_F(policy, set_all_three)
{
	set_expect(_metadata, &self->c, OOM_POL_SET_ALL(777, 0, OOM_REAP_ORDER_FORWARD),
		   777, 0, OOM_REAP_ORDER_FORWARD);
	set_expect(_metadata, &self->c,
		   OOM_POL_SET_ALL(OOM_REAP_DELAY_MAX_MS, 1, OOM_REAP_ORDER_REVERSE),
		   OOM_REAP_DELAY_MAX_MS, 1, OOM_REAP_ORDER_REVERSE);
	set_expect(_metadata, &self->c, OOM_POL_SET_ALL(0, 0, OOM_REAP_ORDER_FORWARD),
		   0, 0, OOM_REAP_ORDER_FORWARD);
}

TEST_F(policy, sysctl_write_seen_by_get)
{
	ASSERT_EQ(0, sysctl_write_uint(OOM_REAP_DELAY_MS, 4321));
	expect_policy(_metadata, &self->c, 4321, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	ASSERT_EQ(0, sysctl_write_uint(OOM_REAP_FROZEN_BYPASS, 0));
	expect_policy(_metadata, &self->c, 4321, 0, OOM_REAP_ORDER_DEFAULT);
	ASSERT_EQ(0, sysctl_write_uint(OOM_REAP_ORDER, OOM_REAP_ORDER_FORWARD));
	expect_policy(_metadata, &self->c, 4321, 0, OOM_REAP_ORDER_FORWARD);
}

/* ---- notifications on the "config" group ---- */

struct ntf_expect {
	uint32_t d, b, o;
	uint32_t via;
	uint64_t seq;		/* 0: any (the first one) */
	uint64_t t0;		/* CLOCK_MONOTONIC before the change */
};

/* Exactly the attributes the spec lists for policy-ntf: nothing says who. */
#define POLICY_NTF_ATTRS ((1u << OOM_A_POLICY_NTF_SEQ) | \
			  (1u << OOM_A_POLICY_NTF_TIMESTAMP_NS) | \
			  (1u << OOM_A_POLICY_NTF_REAP_DELAY_MS) | \
			  (1u << OOM_A_POLICY_NTF_FROZEN_BYPASS) | \
			  (1u << OOM_A_POLICY_NTF_REAP_ORDER) | \
			  (1u << OOM_A_POLICY_NTF_CHANGED_VIA))

/* The next notification is exactly the policy-ntf @e describes; its seq. */
static uint64_t expect_policy_ntf(struct __test_metadata *_metadata,
				  struct oomnl *sub, const struct ntf_expect *e)
{
	struct oom_ntf n;
	char why[256];
	uint64_t t1;
	int err;

	err = oomnl_ntf_next(sub, &n, NTF_MS, why, sizeof(why));
	t1 = now_ns();
	EXPECT_EQ(0, err) TH_LOG("waiting for policy-ntf: %s", why);
	if (err)
		return 0;
	EXPECT_EQ(OOM_CMD_POLICY_NTF, n.cmd) TH_LOG("got %s", oomnl_cmd_name(n.cmd));
	EXPECT_EQ(0, n.nbad) TH_LOG("not as the spec says: %s", n.bad);
	/* parse_ntf() counts any other attribute (a changer pid or uid of
	 * the old uAPI, say) in nbad; check the mask as well */
	EXPECT_EQ(POLICY_NTF_ATTRS, n.present)
		TH_LOG("policy-ntf attributes %#x, the spec lists %#x", n.present,
		       POLICY_NTF_ATTRS);
	EXPECT_EQ(e->d, n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS]);
	EXPECT_EQ(e->b, n.v[OOM_A_POLICY_NTF_FROZEN_BYPASS]);
	EXPECT_EQ(e->o, n.v[OOM_A_POLICY_NTF_REAP_ORDER]);
	EXPECT_EQ(e->via, n.v[OOM_A_POLICY_NTF_CHANGED_VIA])
		TH_LOG("changed-via %llu, expected %s",
		       (unsigned long long)n.v[OOM_A_POLICY_NTF_CHANGED_VIA],
		       e->via == OOM_CHANGED_VIA_NETLINK ? "netlink" : "sysctl");
	if (e->seq) {
		EXPECT_EQ(e->seq, n.v[OOM_A_POLICY_NTF_SEQ])
			TH_LOG("notification seq not consecutive");
	}
	EXPECT_LE(e->t0, n.v[OOM_A_POLICY_NTF_TIMESTAMP_NS]);
	EXPECT_GE(t1, n.v[OOM_A_POLICY_NTF_TIMESTAMP_NS]);
	return n.v[OOM_A_POLICY_NTF_SEQ];
}

/* Nothing else is queued: notifications are sent before the change returns. */
static void expect_no_ntf(struct __test_metadata *_metadata, struct oomnl *sub)
{
	struct oom_ntf n;
	char why[256];
	int err = oomnl_ntf_next(sub, &n, 0, why, sizeof(why));

	EXPECT_EQ(-ETIMEDOUT, err)
		TH_LOG("unexpected notification %s (seq %llu): %s", oomnl_cmd_name(n.cmd),
		       (unsigned long long)ntf_seq(&n), err ? why : "");
}

struct set_arg {
	struct oom_pol_set s;
	uid_t uid;		/* 0, or become this uid keeping capabilities */
	const char *sysctl;	/* write this sysctl instead */
	uint32_t val;
};

static int child_change(void *p)
{
	struct set_arg *a = p;
	struct oomnl_reply r;
	struct oom_pol pol;
	struct oomnl c;
	char why[256];
	int err;

	if (a->sysctl) {
		err = sysctl_write_uint(a->sysctl, a->val);
		if (err)
			fprintf(stderr, "# child: writing %s: %s\n", a->sysctl, strerror(err));
		return err ? 1 : 0;
	}
	if (a->uid && become_user_keep_caps(a->uid, a->uid)) {
		fprintf(stderr, "# child: becoming uid %u: %s\n", a->uid, strerror(errno));
		return 2;
	}
	err = oomnl_open(&c);
	if (err) {
		fprintf(stderr, "# child: open: %s\n", strerror(-err));
		return 3;
	}
	err = oomnl_policy_set(&c, &a->s, &pol, &r, why, sizeof(why));
	oomnl_close(&c);
	if (err)
		fprintf(stderr, "# child: policy-set: %s\n", why);
	return err ? 4 : 0;
}

/* Run child_change(@a) and wait until it finished OK. */
static void change_in_child(struct __test_metadata *_metadata, struct set_arg *a)
{
	pid_t pid = start_child(child_change, a);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, finish_child(pid, 10000));
}

TEST_F(policy, ntf_on_netlink_set)
{
	struct set_arg a = { .s = OOM_POL_SET_ALL(222, 1, OOM_REAP_ORDER_FORWARD) };
	struct ntf_expect e = { .via = OOM_CHANGED_VIA_NETLINK };
	struct oom_pol p;
	struct oomnl sub;
	uint64_t seq;

	ASSERT_EQ(0, oomnl_subscribe(&sub, true, false));

	/* From this process, as root. */
	e.t0 = now_ns();
	ASSERT_EQ(0, oomnl_policy_set(&self->c,
				      &OOM_POL_SET_ALL(111, 0, OOM_REAP_ORDER_FORWARD),
				      &p, &self->r, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	e.d = 111, e.b = 0, e.o = OOM_REAP_ORDER_FORWARD;
	seq = expect_policy_ntf(_metadata, &sub, &e);
	ASSERT_NE((uint64_t)0, seq) TH_LOG("seq 0 in the first notification");

	/* From another process: the same attributes, nothing about it. */
	e.t0 = now_ns();
	change_in_child(_metadata, &a);
	e.d = 222, e.b = 1, e.seq = seq + 1;
	seq = expect_policy_ntf(_metadata, &sub, &e);

	/* From uid 1000 holding the capabilities: its uid is not told. */
	a.s = (struct oom_pol_set){ .has_delay = true, .delay_ms = 333 };
	a.uid = OOMNL_UID_TEST;
	e.t0 = now_ns();
	change_in_child(_metadata, &a);
	e.d = 333, e.seq = seq + 1;
	expect_policy_ntf(_metadata, &sub, &e);

	expect_no_ntf(_metadata, &sub);
	oomnl_close(&sub);
}

TEST_F(policy, ntf_on_sysctl_write)
{
	struct ntf_expect e = { .via = OOM_CHANGED_VIA_SYSCTL };
	struct set_arg a = { .sysctl = OOM_REAP_DELAY_MS, .val = 4444 };
	struct oomnl sub;
	uint64_t seq;

	ASSERT_EQ(0, oomnl_subscribe(&sub, true, false));

	e.t0 = now_ns();
	change_in_child(_metadata, &a);
	e.d = 4444, e.b = OOM_FROZEN_BYPASS_DEFAULT, e.o = OOM_REAP_ORDER_DEFAULT;
	seq = expect_policy_ntf(_metadata, &sub, &e);
	ASSERT_NE((uint64_t)0, seq);

	/* A refused write (out of range) changes nothing and says nothing. */
	EXPECT_NE(0, sysctl_write_uint(OOM_REAP_DELAY_MS, OOM_REAP_DELAY_MAX_MS + 1));
	EXPECT_NE(0, sysctl_write_uint(OOM_REAP_ORDER, 2));
	expect_no_ntf(_metadata, &sub);

	a.sysctl = OOM_REAP_ORDER, a.val = OOM_REAP_ORDER_FORWARD;
	e.t0 = now_ns();
	change_in_child(_metadata, &a);
	e.o = OOM_REAP_ORDER_FORWARD, e.seq = seq + 1;
	seq = expect_policy_ntf(_metadata, &sub, &e);

	/* Away from the default, whatever the default is */
	a.sysctl = OOM_REAP_FROZEN_BYPASS, a.val = !OOM_FROZEN_BYPASS_DEFAULT;
	e.t0 = now_ns();
	change_in_child(_metadata, &a);
	e.b = !OOM_FROZEN_BYPASS_DEFAULT, e.seq = seq + 1;
	seq = expect_policy_ntf(_metadata, &sub, &e);

	/* And netlink right after: same counter. */
	e.t0 = now_ns();
	ASSERT_EQ(0, oomnl_policy_set(&self->c,
				      &(struct oom_pol_set){ .has_delay = true, .delay_ms = 55 },
				      &(struct oom_pol){ 0 }, &self->r, self->why,
				      sizeof(self->why))) TH_LOG("%s", self->why);
	e.via = OOM_CHANGED_VIA_NETLINK, e.d = 55, e.seq = seq + 1;
	expect_policy_ntf(_metadata, &sub, &e);

	expect_no_ntf(_metadata, &sub);
	oomnl_close(&sub);
}

static int child_unpriv_set(void *p)
{
	struct oomnl_reply r;
	struct oom_pol pol;
	struct oomnl c;
	int err;

	(void)p;
	if (drop_to_user(OOMNL_UID_NOBODY, OOMNL_UID_NOBODY))
		return 1;
	if (oomnl_open(&c))
		return 2;
	err = oomnl_policy_set(&c, &OOM_POL_SET_ALL(1, 0, 0), &pol, &r, NULL, 0);
	oomnl_close(&c);
	return err == -EPERM ? 0 : 3;
}

TEST_F(policy, no_ntf_on_refused_set)
{
	struct ntf_expect e = { .via = OOM_CHANGED_VIA_NETLINK, .d = 600, .b = 0,
				.o = OOM_REAP_ORDER_FORWARD };
	struct oom_pol p;
	struct oomnl sub;
	uint64_t seq;

	ASSERT_EQ(0, oomnl_subscribe(&sub, true, false));
	e.t0 = now_ns();
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(600, 0, OOM_REAP_ORDER_FORWARD),
				      &p, &self->r, self->why, sizeof(self->why)));
	seq = expect_policy_ntf(_metadata, &sub, &e);

	/* Out of range, half valid, empty, and not allowed. */
	EXPECT_GT(0, oomnl_policy_set(&self->c,
				      &(struct oom_pol_set){ .has_delay = true,
							     .delay_ms = OOM_REAP_DELAY_MAX_MS + 1 },
				      &p, &self->r, NULL, 0));
	EXPECT_GT(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(700, 1, 2),
				      &p, &self->r, NULL, 0));
	EXPECT_GT(0, oomnl_policy_set(&self->c, &(struct oom_pol_set){ 0 },
				      &p, &self->r, NULL, 0));
	EXPECT_EQ(0, run_in_child(child_unpriv_set, NULL, 10000))
		TH_LOG("policy-set as nobody did not fail with EPERM");
	expect_no_ntf(_metadata, &sub);
	expect_policy(_metadata, &self->c, 600, 0, OOM_REAP_ORDER_FORWARD);

	e.t0 = now_ns();
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(800, 1, OOM_REAP_ORDER_REVERSE),
				      &p, &self->r, self->why, sizeof(self->why)));
	e.d = 800, e.b = 1, e.o = OOM_REAP_ORDER_REVERSE, e.seq = seq + 1;
	expect_policy_ntf(_metadata, &sub, &e);
	oomnl_close(&sub);
}

TEST_F(policy, stats_get)
{
	struct oom_stats a, b;
	int t, i;

	ASSERT_EQ(0, oomnl_stats_get(&self->c, &a, &self->r, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, oomnl_stats_get(&self->c, &b, &self->r, self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	for (t = OOM_A_STATS_VICTIMS; t <= OOM_A_STATS_EVENTS_DROPPED; t++)
		EXPECT_LE(a.c[t], b.c[t]) TH_LOG("counter %d went down", t);
	/* The buckets are the reply's: the same ones twice, none going down */
	ASSERT_EQ(a.nbuckets, b.nbuckets);
	for (i = 0; i < a.nbuckets; i++) {
		EXPECT_EQ(a.bucket[i].low_us, b.bucket[i].low_us);
		EXPECT_EQ(a.bucket[i].high_us, b.bucket[i].high_us);
		EXPECT_LE(a.bucket[i].count, b.bucket[i].count)
			TH_LOG("latency bucket %d went down", i);
	}
}

TEST_HARNESS_MAIN
