// SPDX-License-Identifier: GPL-2.0
/* The oom family's messages: see oomnl.h */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "oomnl.h"

struct nlmsghdr *oom_get_msg(void *buf, uint16_t family, uint8_t cmd)
{
	return genl_msg(buf, family, cmd, OOM_FAMILY_VERSION, 0);
}

struct nlmsghdr *oom_policy_set_msg(void *buf, uint16_t family,
				    const struct policy *p)
{
	struct nlmsghdr *nlh = oom_get_msg(buf, family, OOM_CMD_POLICY_SET);

	for (int i = 0; i < NSETTINGS; i++)
		if (p->have & (1u << i))
			mnl_attr_put_u32(nlh, settings[i].attr, p->val[i]);
	return nlh;
}

/* policy-get and policy-set replies */
static const struct nl_rule policy_rules[OOM_A_POLICY_MAX + 1] = {
	[OOM_A_POLICY_REAP_DELAY_MS] = { .type = MNL_TYPE_U32 },
	[OOM_A_POLICY_FROZEN_BYPASS] = { .type = MNL_TYPE_U32 },
	[OOM_A_POLICY_REAP_ORDER] = { .type = MNL_TYPE_U32 },
	[OOM_A_POLICY_REAP_DELAY_MAX_MS] = { .type = MNL_TYPE_U32 },
};

int oom_parse_policy(const struct nlmsghdr *nlh, struct policy *p,
		     struct nl_err *e)
{
	const struct nlattr *tb[OOM_A_POLICY_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (nl_parse_attrs(nlh, sizeof(struct genlmsghdr), policy_rules,
			   OOM_A_POLICY_MAX, tb, e))
		return -EBADMSG;
	for (int i = 0; i < NSETTINGS; i++) {
		if (!tb[settings[i].attr])
			return nl_err_bad(e, "policy reply without %s", settings[i].name);
		p->val[i] = mnl_attr_get_u32(tb[settings[i].attr]);
		p->have |= 1u << i;
	}
	if (tb[OOM_A_POLICY_REAP_DELAY_MAX_MS])
		p->delay_max_ms = mnl_attr_get_u32(tb[OOM_A_POLICY_REAP_DELAY_MAX_MS]);
	return 0;
}

int oom_policy_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e)
{
	return oom_parse_policy(nlh, data, e);
}

static const struct nl_rule stats_rules[OOM_A_STATS_MAX + 1] = {
	[OOM_A_STATS_VICTIMS ... OOM_A_STATS_EVENTS_DROPPED] = { .type = NL_TYPE_UINT },
	[OOM_A_STATS_LATENCY_BUCKET] = { .type = MNL_TYPE_NESTED, .multi = true },
	[OOM_A_STATS_FREED_EXIT ... OOM_A_STATS_FREED_MRELEASE] = { .type = NL_TYPE_UINT },
	[OOM_A_STATS_FREED_LATENCY_BUCKET] = { .type = MNL_TYPE_NESTED, .multi = true },
};

static const struct nl_rule bucket_rules[OOM_A_LATENCY_BUCKET_MAX + 1] = {
	[OOM_A_LATENCY_BUCKET_LOW_US] = { .type = NL_TYPE_UINT },
	[OOM_A_LATENCY_BUCKET_HIGH_US] = { .type = NL_TYPE_UINT },
	[OOM_A_LATENCY_BUCKET_COUNT] = { .type = NL_TYPE_UINT },
};

/* One latency-bucket nest of hist (n so far), checked against the
 * bucket before it; what names the histogram in errors */
static int parse_bucket(const struct nlattr *nest, struct oom_bucket *hist,
			unsigned int *nhist, const char *what, struct nl_err *e)
{
	const struct nlattr *tb[OOM_A_LATENCY_BUCKET_MAX + 1];
	const struct oom_bucket *prev = *nhist ? &hist[*nhist - 1] : NULL;
	unsigned int n = *nhist;
	struct oom_bucket *b;

	if (n == OOM_HIST_MAX)
		return nl_err_bad(e, "more than %d %s buckets", OOM_HIST_MAX, what);
	if (nl_parse_nested(nest, bucket_rules, OOM_A_LATENCY_BUCKET_MAX, tb, e)) {
		char why[sizeof(e->msg)];

		snprintf(why, sizeof(why), "%s", e->msg);
		return nl_err_bad(e, "%s bucket %u: %s", what, n, why);
	}
	if (!tb[OOM_A_LATENCY_BUCKET_LOW_US] || !tb[OOM_A_LATENCY_BUCKET_COUNT])
		return nl_err_bad(e, "%s bucket %u without %s", what, n,
				  tb[OOM_A_LATENCY_BUCKET_LOW_US] ? "count" : "low-us");
	if (prev && !prev->has_high)
		return nl_err_bad(e, "%s bucket %u follows the open bucket %u", what, n, n - 1);
	b = &hist[n];
	b->low_us = nl_attr_get_uint(tb[OOM_A_LATENCY_BUCKET_LOW_US]);
	b->count = nl_attr_get_uint(tb[OOM_A_LATENCY_BUCKET_COUNT]);
	b->has_high = tb[OOM_A_LATENCY_BUCKET_HIGH_US] != NULL;
	if (b->has_high) {
		b->high_us = nl_attr_get_uint(tb[OOM_A_LATENCY_BUCKET_HIGH_US]);
		if (b->high_us <= b->low_us)
			return nl_err_bad(e, "%s bucket %u: high-us %llu not above low-us %llu",
					  what, n, (unsigned long long)b->high_us,
					  (unsigned long long)b->low_us);
	}
	if (prev && b->low_us < prev->high_us)
		return nl_err_bad(e, "%s bucket %u out of order: low-us %llu below the high-us %llu of bucket %u",
				  what, n, (unsigned long long)b->low_us,
				  (unsigned long long)prev->high_us, n - 1);
	(*nhist)++;
	return 0;
}

int oom_parse_stats(const struct nlmsghdr *nlh, struct oom_stats *st,
		    struct nl_err *e)
{
	const struct nlattr *tb[OOM_A_STATS_MAX + 1], *a;

	memset(st, 0, sizeof(*st));
	if (nl_parse_attrs(nlh, sizeof(struct genlmsghdr), stats_rules,
			   OOM_A_STATS_MAX, tb, e))
		return -EBADMSG;
	for (int i = OOM_A_STATS_VICTIMS; i <= OOM_A_STATS_MAX; i++) {
		if (!tb[i] || stats_rules[i].type != NL_TYPE_UINT)
			continue;
		st->count[i] = nl_attr_get_uint(tb[i]);
		st->have |= 1u << i;
	}
	/* Validated above: every LATENCY_BUCKET is a nest */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == OOM_A_STATS_LATENCY_BUCKET &&
		    parse_bucket(a, st->hist, &st->nhist, "latency", e))
			return -EBADMSG;
		if (mnl_attr_get_type(a) == OOM_A_STATS_FREED_LATENCY_BUCKET &&
		    parse_bucket(a, st->freed_hist, &st->nfreed_hist, "freed latency", e))
			return -EBADMSG;
	}
	return 0;
}

int oom_stats_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e)
{
	return oom_parse_stats(nlh, data, e);
}

static const struct nl_rule event_rules[OOM_A_EVENT_MAX + 1] = {
	[OOM_A_EVENT_SEQ] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_TIMESTAMP_NS] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_PID] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_TGID] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_COMM] = { .type = MNL_TYPE_NUL_STRING },
	[OOM_A_EVENT_UID] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_MEMCG_ID] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_OOM_SCORE_ADJ] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_ANON_RSS_KB] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_FILE_RSS_KB] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_SHMEM_RSS_KB] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_FROZEN] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_DELAY_MS] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_REASON] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_SOURCE] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_REAP_ORDER] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_RESULT] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_ATTEMPTS] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_DURATION_US] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_KILL_TO_FREED_US] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_FREED_KB] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_FREED_BY] = { .type = MNL_TYPE_U32 },
	[OOM_A_EVENT_FREED_EXIT_KB] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_FREED_OOM_REAPER_KB] = { .type = NL_TYPE_UINT },
	[OOM_A_EVENT_FREED_MRELEASE_KB] = { .type = NL_TYPE_UINT },
};

/* Attribute -> event field + 1 (0: none); seq and timestamp apart */
static const int event_fields[OOM_A_EVENT_MAX + 1] = {
	[OOM_A_EVENT_PID] = F_PID + 1,
	[OOM_A_EVENT_TGID] = F_TGID + 1,
	[OOM_A_EVENT_UID] = F_UID + 1,
	[OOM_A_EVENT_MEMCG_ID] = F_MEMCG_ID + 1,
	[OOM_A_EVENT_OOM_SCORE_ADJ] = F_OOM_SCORE_ADJ + 1,
	[OOM_A_EVENT_ANON_RSS_KB] = F_ANON_RSS_KB + 1,
	[OOM_A_EVENT_FILE_RSS_KB] = F_FILE_RSS_KB + 1,
	[OOM_A_EVENT_SHMEM_RSS_KB] = F_SHMEM_RSS_KB + 1,
	[OOM_A_EVENT_FROZEN] = F_FROZEN + 1,
	[OOM_A_EVENT_DELAY_MS] = F_DELAY_MS + 1,
	[OOM_A_EVENT_REASON] = F_REASON + 1,
	[OOM_A_EVENT_SOURCE] = F_SOURCE + 1,
	[OOM_A_EVENT_REAP_ORDER] = F_ORDER + 1,
	[OOM_A_EVENT_RESULT] = F_RESULT + 1,
	[OOM_A_EVENT_ATTEMPTS] = F_ATTEMPTS + 1,
	[OOM_A_EVENT_DURATION_US] = F_DURATION_US + 1,
	[OOM_A_EVENT_KILL_TO_FREED_US] = F_KILL_TO_FREED_US + 1,
	[OOM_A_EVENT_FREED_KB] = F_FREED_KB + 1,
	[OOM_A_EVENT_FREED_BY] = F_FREED_BY + 1,
	[OOM_A_EVENT_FREED_EXIT_KB] = F_FREED_EXIT_KB + 1,
	[OOM_A_EVENT_FREED_OOM_REAPER_KB] = F_FREED_OOM_REAPER_KB + 1,
	[OOM_A_EVENT_FREED_MRELEASE_KB] = F_FREED_MRELEASE_KB + 1,
};

/* policy-ntf: a set of its own, the policy and how it changed */
static const struct nl_rule policy_ntf_rules[OOM_A_POLICY_NTF_MAX + 1] = {
	[OOM_A_POLICY_NTF_SEQ] = { .type = NL_TYPE_UINT },
	[OOM_A_POLICY_NTF_TIMESTAMP_NS] = { .type = NL_TYPE_UINT },
	[OOM_A_POLICY_NTF_REAP_DELAY_MS] = { .type = MNL_TYPE_U32 },
	[OOM_A_POLICY_NTF_FROZEN_BYPASS] = { .type = MNL_TYPE_U32 },
	[OOM_A_POLICY_NTF_REAP_ORDER] = { .type = MNL_TYPE_U32 },
	[OOM_A_POLICY_NTF_CHANGED_VIA] = { .type = MNL_TYPE_U32 },
};

static const int policy_ntf_fields[OOM_A_POLICY_NTF_MAX + 1] = {
	[OOM_A_POLICY_NTF_REAP_DELAY_MS] = F_DELAY_MS + 1,
	[OOM_A_POLICY_NTF_FROZEN_BYPASS] = F_FROZEN_BYPASS + 1,
	[OOM_A_POLICY_NTF_REAP_ORDER] = F_ORDER + 1,
	[OOM_A_POLICY_NTF_CHANGED_VIA] = F_CHANGED_VIA + 1,
};

/* Copy the attributes of tb into ev by the field map */
static void fill_event(struct event *ev, const struct nlattr *const *tb,
		       const struct nl_rule *rules, const int *map,
		       unsigned int max)
{
	for (unsigned int t = 0; t <= max; t++) {
		enum ev_field f = (enum ev_field)(map[t] - 1);

		if (!tb[t] || !map[t])
			continue;
		if (rules[t].type == NL_TYPE_UINT)
			event_set(ev, f, nl_attr_get_uint(tb[t]));
		else if (event_field_kind(f) == 's')
			event_set(ev, f, (uint64_t)(int64_t)(int32_t)mnl_attr_get_u32(tb[t]));
		else
			event_set(ev, f, mnl_attr_get_u32(tb[t]));
	}
}

/*
 * A command we do not know: a newer kernel's notification.  Every
 * notification of the family carries its seq as attribute 1, a uint
 * (OOM_A_EVENT_SEQ, OOM_A_POLICY_NTF_SEQ), so its place in the sequence
 * is known even if nothing else is: the monitor counts it, so that it
 * is no gap.  Anything else in it is not looked at.  Always 1.
 */
static int unknown_ntf(const struct nlmsghdr *nlh, struct event *ev)
{
	const struct nlattr *a;

	event_init(ev, EV_LOST, "netlink");	/* a type it never prints as */
	ev->unknown = true;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		uint16_t len = mnl_attr_get_payload_len(a);

		if (mnl_attr_get_type(a) != OOM_A_EVENT_SEQ)
			continue;
		if (len == 4 || len == 8) {
			ev->has_seq = true;
			ev->seq = nl_attr_get_uint(a);
		}
		break;
	}
	return 1;
}

int oom_parse_event(const struct nlmsghdr *nlh, struct event *ev,
		    struct nl_err *e)
{
	const struct nlattr *tb[OOM_A_EVENT_MAX + 1];
	const struct nlattr *ptb[OOM_A_POLICY_NTF_MAX + 1];
	const struct genlmsghdr *g;
	const struct nlattr *seq, *ts;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g))
		return nl_err_bad(e, "notification of %u bytes has no genetlink header",
				  nlh->nlmsg_len);
	g = mnl_nlmsg_get_payload(nlh);
	switch (g->cmd) {
	case OOM_CMD_POLICY_NTF:
		event_init(ev, EV_POLICY, "netlink");
		if (nl_parse_attrs(nlh, sizeof(*g), policy_ntf_rules,
				   OOM_A_POLICY_NTF_MAX, ptb, e))
			return -EBADMSG;
		fill_event(ev, ptb, policy_ntf_rules, policy_ntf_fields,
			   OOM_A_POLICY_NTF_MAX);
		seq = ptb[OOM_A_POLICY_NTF_SEQ];
		ts = ptb[OOM_A_POLICY_NTF_TIMESTAMP_NS];
		break;
	case OOM_CMD_VICTIM_NTF:
	case OOM_CMD_REAP_QUEUED_NTF:
	case OOM_CMD_REAP_DONE_NTF:
	case OOM_CMD_VICTIM_FREED_NTF:
		event_init(ev, g->cmd == OOM_CMD_VICTIM_NTF ? EV_VICTIM :
			   g->cmd == OOM_CMD_REAP_QUEUED_NTF ? EV_REAP_QUEUED :
			   g->cmd == OOM_CMD_REAP_DONE_NTF ? EV_REAP_DONE : EV_FREED,
			   "netlink");
		if (nl_parse_attrs(nlh, sizeof(*g), event_rules, OOM_A_EVENT_MAX, tb, e))
			return -EBADMSG;
		fill_event(ev, tb, event_rules, event_fields, OOM_A_EVENT_MAX);
		if (tb[OOM_A_EVENT_COMM]) {
			snprintf(ev->comm, sizeof(ev->comm), "%s",
				 mnl_attr_get_str(tb[OOM_A_EVENT_COMM]));
			ev->have |= 1ULL << F_COMM;
		}
		seq = tb[OOM_A_EVENT_SEQ];
		ts = tb[OOM_A_EVENT_TIMESTAMP_NS];
		break;
	default:
		return unknown_ntf(nlh, ev);
	}
	if (!seq || !ts)
		return nl_err_bad(e, "%s notification without %s",
				  ev_type_names[ev->type], seq ? "timestamp" : "sequence number");
	ev->has_seq = ev->has_ts = true;
	ev->seq = nl_attr_get_uint(seq);
	ev->ts_ns = nl_attr_get_uint(ts);
	return 0;
}
