/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages of the "oom" generic netlink family (linux/oom_netlink.h):
 * requests built, replies and notifications parsed and validated.
 * Pure functions over buffers; the socket side is in nl.c.
 */
#ifndef OOMCTL_OOMNL_H
#define OOMCTL_OOMNL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/oom_netlink.h>

#include "event.h"
#include "nl.h"
#include "settings.h"

#define OOM_HIST_MAX 64		/* buckets we accept; the kernel sends 24 */

/* One latency bucket as the kernel bounds it: [low_us, high_us) */
struct oom_bucket {
	uint64_t low_us;
	uint64_t high_us;	/* only if has_high: the last bucket is open */
	uint64_t count;
	bool has_high;
};

struct oom_stats {
	uint64_t count[OOM_A_STATS_MAX + 1];	/* by OOM_A_STATS_* */
	unsigned int have;			/* bit (1 << attr) */
	struct oom_bucket hist[OOM_HIST_MAX];	/* in increasing order */
	unsigned int nhist;
	/* kill -> freed (freed-latency-bucket), the same way */
	struct oom_bucket freed_hist[OOM_HIST_MAX];
	unsigned int nfreed_hist;
};

/* policy-get, stats-get: a request without attributes */
struct nlmsghdr *oom_get_msg(void *buf, uint16_t family, uint8_t cmd);
/* policy-set with the settings p has */
struct nlmsghdr *oom_policy_set_msg(void *buf, uint16_t family,
				    const struct policy *p);

/* The reply to policy-get and policy-set: 0 or -EBADMSG */
int oom_parse_policy(const struct nlmsghdr *nlh, struct policy *p,
		     struct nl_err *e);
int oom_parse_stats(const struct nlmsghdr *nlh, struct oom_stats *st,
		    struct nl_err *e);
/* The two parsers as nl_transact() callbacks: data is what they fill */
int oom_policy_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e);
int oom_stats_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e);
/*
 * A notification: 0, 1 if it is no event we know, or -EBADMSG.  With 1,
 * ev->unknown is set, and its seq (ev->has_seq) if the message has one
 * where every notification of the family has it (attribute 1, a uint),
 * so that the monitor can follow the sequence past it.
 */
int oom_parse_event(const struct nlmsghdr *nlh, struct event *ev,
		    struct nl_err *e);

#endif
