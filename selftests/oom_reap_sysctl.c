// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM reaper policy sysctls: their defaults, the bounds they accept,
 * the input they refuse, and the oom:reap_policy event that a successful
 * write fires.
 *
 * Deterministic: every check is a synchronous write(2) or read(2) on
 * /proc/sys, and the tracepoint fires inside the write, so the event is in
 * the ring buffer before write() returns; reading it back only waits for
 * the trace_pipe wakeup.  Each test leaves the defaults behind (teardown).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oom_policy.h"
#include "sysctl.h"
#include "tracefs.h"

struct policy {
	unsigned int delay_ms, frozen_bypass, order;
};

static int read_policy(struct policy *p)
{
	int err = sysctl_read_uint(OOM_REAP_DELAY_MS, &p->delay_ms);

	if (!err)
		err = sysctl_read_uint(OOM_REAP_FROZEN_BYPASS, &p->frozen_bypass);
	if (!err)
		err = sysctl_read_uint(OOM_REAP_ORDER, &p->order);
	return err;
}

/*
 * Out of range, negative, not a number, empty line, past UINT_MAX, past
 * ULONG_MAX, trailing garbage, not an integer.
 */
static const char *const bad_delay[] = {
	"10001\n", "-1\n", "abc\n", "\n", "4294967296\n",
	"18446744073709551616\n", "99999999999999999999999999\n",
	"12abc\n", "1.5\n", NULL,
};

/* Same for the two 0|1 knobs; "reverse" is a word, not a value. */
static const char *const bad_bool[] = {
	"2\n", "-1\n", "abc\n", "\n", "4294967297\n",
	"18446744073709551617\n", "1x\n", "reverse\n", NULL,
};

FIXTURE(sysctl) {
	struct tracer tr;
};

FIXTURE_SETUP(sysctl)
{
	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
}

FIXTURE_TEARDOWN(sysctl)
{
	tracer_close(&self->tr);
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

/* Runs first: a freshly booted kernel (or a well-behaved suite) has the defaults. */
TEST_F(sysctl, defaults)
{
	struct policy p;

	ASSERT_EQ(0, read_policy(&p));
	EXPECT_EQ((unsigned int)OOM_REAP_DELAY_DEFAULT_MS, p.delay_ms);
	EXPECT_EQ((unsigned int)OOM_FROZEN_BYPASS_DEFAULT, p.frozen_bypass);
	EXPECT_EQ((unsigned int)OOM_REAP_ORDER_DEFAULT, p.order);
}

TEST_F(sysctl, bounds_accepted)
{
	static const struct {
		const char *path;
		unsigned int val;
	} ok[] = {
		{ OOM_REAP_DELAY_MS, 0 },
		{ OOM_REAP_DELAY_MS, OOM_REAP_DELAY_MAX },
		{ OOM_REAP_FROZEN_BYPASS, 0 },
		{ OOM_REAP_FROZEN_BYPASS, 1 },
		{ OOM_REAP_ORDER, OOM_REAP_ORDER_FORWARD },
		{ OOM_REAP_ORDER, OOM_REAP_ORDER_REVERSE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		unsigned int got = ~0u;

		ASSERT_EQ(0, sysctl_write_uint(ok[i].path, ok[i].val))
			TH_LOG("%s = %u refused", ok[i].path, ok[i].val);
		ASSERT_EQ(0, sysctl_read_uint(ok[i].path, &got));
		EXPECT_EQ(ok[i].val, got) TH_LOG("%s", ok[i].path);
	}
}

/*
 * A refused write changes nothing, in the knob written or the others.
 * Start from a non-default policy so a write that "resets" is caught too.
 */
TEST_F(sysctl, bad_values_rejected)
{
	static const struct {
		const char *path;
		const char *const *bad;
	} knobs[] = {
		{ OOM_REAP_DELAY_MS, bad_delay },
		{ OOM_REAP_FROZEN_BYPASS, bad_bool },
		{ OOM_REAP_ORDER, bad_bool },
	};
	const struct policy set = { 1234, 0, OOM_REAP_ORDER_FORWARD };
	struct policy now;

	ASSERT_EQ(0, oom_policy_set(set.delay_ms, set.frozen_bypass, set.order));
	for (size_t k = 0; k < ARRAY_SIZE(knobs); k++) {
		const char *const *bad;
		bool changed;
		int err;

		for (bad = knobs[k].bad; *bad; bad++) {
			EXPECT_EQ(EINVAL, sysctl_write_str(knobs[k].path, *bad))
				TH_LOG("%s accepted \"%.*s\"", knobs[k].path,
				       (int)strcspn(*bad, "\n"), *bad);
			ASSERT_EQ(0, read_policy(&now));
			changed = memcmp(&set, &now, sizeof(set));
			EXPECT_FALSE(changed)
				TH_LOG("\"%.*s\" to %s left %u/%u/%u",
				       (int)strcspn(*bad, "\n"), *bad,
				       knobs[k].path, now.delay_ms,
				       now.frozen_bypass, now.order);
			/* Keep the next value's check independent. */
			if (changed)
				ASSERT_EQ(0, oom_policy_set(set.delay_ms,
							    set.frozen_bypass,
							    set.order));
		}
		/* write(fd, "", 0): nothing to parse, so nothing may change. */
		err = sysctl_write_buf(knobs[k].path, "", 0);
		EXPECT_TRUE(err == 0 || err == EINVAL) TH_LOG("errno %d", err);
		ASSERT_EQ(0, read_policy(&now));
		EXPECT_EQ(0, memcmp(&set, &now, sizeof(set)));
	}
}

/* Next reap_policy event; its fields into *p and order's name into @order. */
static int next_policy_event(struct tracer *tr, struct policy *p,
			     char *order, size_t size)
{
	unsigned long long delay, bypass;
	struct trace_event ev;
	int err;

	do {
		err = tracer_next(tr, &ev, 5000);
		if (err)
			return err;
	} while (strcmp(ev.name, "reap_policy"));
	if (trace_field_ull(&ev, "delay_ms", &delay) ||
	    trace_field_ull(&ev, "frozen_bypass", &bypass) ||
	    !trace_field(&ev, "order", order, size))
		return EPROTO;
	p->delay_ms = delay;
	p->frozen_bypass = bypass;
	p->order = !strcmp(order, "forward") ? OOM_REAP_ORDER_FORWARD :
		   !strcmp(order, "reverse") ? OOM_REAP_ORDER_REVERSE : ~0u;
	return 0;
}

/*
 * Each accepted write is reported with the whole new policy.  A refused
 * write reports nothing: the event after it is the next good write's.
 */
TEST_F(sysctl, write_fires_reap_policy)
{
	static const struct {
		const char *path;
		unsigned int val;
		struct policy want;
	} steps[] = {
		/* Each step changes one setting from the defaults on */
		{ OOM_REAP_DELAY_MS, 1500, { 1500, 0, OOM_REAP_ORDER_REVERSE } },
		{ OOM_REAP_FROZEN_BYPASS, 1, { 1500, 1, OOM_REAP_ORDER_REVERSE } },
		{ OOM_REAP_ORDER, 0, { 1500, 1, OOM_REAP_ORDER_FORWARD } },
		{ OOM_REAP_DELAY_MS, 0, { 0, 1, OOM_REAP_ORDER_FORWARD } },
	};
	char name[64], order[16];
	struct policy got;

	ASSERT_TRUE(trace_event_exists("oom", "reap_policy"));
	ASSERT_EQ(0, oom_policy_restore_defaults());
	/* The steps below start from these */
	ASSERT_EQ(0u, OOM_REAP_FROZEN_BYPASS_DEFAULT);
	snprintf(name, sizeof(name), "oomctl-test-%d", getpid());
	ASSERT_EQ(0, tracer_open(&self->tr, name));
	ASSERT_EQ(0, tracer_enable(&self->tr, "oom", "reap_policy"));
	ASSERT_EQ(0, tracer_start(&self->tr));

	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		if (i == ARRAY_SIZE(steps) - 1)
			ASSERT_EQ(EINVAL, sysctl_write_str(OOM_REAP_DELAY_MS,
							   "10001\n"));
		ASSERT_EQ(0, sysctl_write_uint(steps[i].path, steps[i].val));
		ASSERT_EQ(0, next_policy_event(&self->tr, &got, order,
					       sizeof(order)))
			TH_LOG("no reap_policy event after %s = %u",
			       steps[i].path, steps[i].val);
		EXPECT_EQ(steps[i].want.delay_ms, got.delay_ms);
		EXPECT_EQ(steps[i].want.frozen_bypass, got.frozen_bypass);
		EXPECT_STREQ(oom_order_name(steps[i].want.order), order);
	}
}

TEST_HARNESS_MAIN
