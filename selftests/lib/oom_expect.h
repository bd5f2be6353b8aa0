/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest_harness.h assertions on an oom_run's events.
 *
 * Assertions, no return values.  (Elsewhere in lib/: 0 or a positive
 * errno.)
 */
#ifndef OOMCTL_OOM_EXPECT_H
#define OOMCTL_OOM_EXPECT_H

#include "oom_run.h"

/* @kind was seen for the victim. */
#define ASSERT_SEEN(r, kind) \
	ASSERT_TRUE((r)->seen[kind]) { \
		TH_LOG("no %s for victim %d", oom_ev_name[kind], \
		       (r)->victim.pid); \
		oom_run_log(r); \
	}

/* Field @key of event @kind reads exactly @want. */
#define EXPECT_FIELD(r, kind, key, want) do { \
	char __val[64] = ""; \
	trace_field(&(r)->ev[kind], key, __val, sizeof(__val)); \
	EXPECT_STREQ(want, __val) \
		TH_LOG("%s: %s", oom_ev_name[kind], (r)->ev[kind].fields); \
} while (0)

/* Microseconds from event @from to event @to. */
#define GAP_US(r, from, to) oom_run_gap_us(r, from, to)

#endif
