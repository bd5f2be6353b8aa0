// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink: requests as built, replies as the kernel sends them, and
 * crafted ones that are truncated or malformed, which must be reported
 * and never crash (valgrind watches the reads).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "oomnl.h"
#include "tap.h"

#define FAMILY 0x1a
#define SEQ 7
#define PORTID 99

static char buf[16384];

/* A genetlink message from the kernel, as the reply to our request */
static struct nlmsghdr *kmsg(void *where, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(where);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static struct nlmsghdr *policy_reply(void *where)
{
	struct nlmsghdr *nlh = kmsg(where, FAMILY, OOM_CMD_POLICY_GET);

	mnl_attr_put_u32(nlh, OOM_A_POLICY_REAP_DELAY_MS, 2000);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_FROZEN_BYPASS, 1);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_REAP_ORDER, OOM_REAP_ORDER_REVERSE);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_REAP_DELAY_MAX_MS, 10000);
	return nlh;
}

/* A uint as the kernel's nla_put_uint() sends it: 4 bytes if it fits */
static void put_uint(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	if (v <= UINT32_MAX)
		mnl_attr_put_u32(nlh, type, (uint32_t)v);
	else
		mnl_attr_put_u64(nlh, type, v);
}

/* A victim notification: uints of 4 and of 8 bytes */
static struct nlmsghdr *victim_ntf(void *where)
{
	struct nlmsghdr *nlh = kmsg(where, FAMILY, OOM_CMD_VICTIM_NTF);

	put_uint(nlh, OOM_A_EVENT_SEQ, 41);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 5000000000ULL);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_PID, 1234);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_TGID, 1234);
	mnl_attr_put_strz(nlh, OOM_A_EVENT_COMM, "tail");
	mnl_attr_put_u32(nlh, OOM_A_EVENT_UID, 1000);
	put_uint(nlh, OOM_A_EVENT_MEMCG_ID, 77);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_OOM_SCORE_ADJ, (uint32_t)-1000);
	put_uint(nlh, OOM_A_EVENT_ANON_RSS_KB, 32768);
	put_uint(nlh, OOM_A_EVENT_FILE_RSS_KB, 4);
	put_uint(nlh, OOM_A_EVENT_SHMEM_RSS_KB, 0);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_FROZEN, 1);
	return nlh;
}

/* A latency-bucket nest; high 0: the open last bucket */
static void put_bucket(struct nlmsghdr *nlh, uint64_t low, uint64_t high,
		       uint64_t count)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, OOM_A_STATS_LATENCY_BUCKET);

	put_uint(nlh, OOM_A_LATENCY_BUCKET_LOW_US, low);
	if (high)
		put_uint(nlh, OOM_A_LATENCY_BUCKET_HIGH_US, high);
	put_uint(nlh, OOM_A_LATENCY_BUCKET_COUNT, count);
	mnl_attr_nest_end(nlh, nest);
}

#define KERNEL_BUCKETS 24	/* what the kernel sends today */

/* A stats reply as the kernel builds it (oom_nl_stats_get_doit()) */
static struct nlmsghdr *stats_reply(void *where)
{
	struct nlmsghdr *nlh = kmsg(where, FAMILY, OOM_CMD_STATS_GET);

	for (int i = OOM_A_STATS_VICTIMS; i <= OOM_A_STATS_EVENTS_DROPPED; i++)
		put_uint(nlh, i, (i == OOM_A_STATS_REAPED ? 5ULL << 32 : 100) + (uint64_t)i);
	for (int i = 0; i < KERNEL_BUCKETS; i++)
		put_bucket(nlh, i ? 1ULL << i : 0,
			   i < KERNEL_BUCKETS - 1 ? 2ULL << i : 0,
			   i == 3 ? 7ULL << 40 : 1000 + (uint64_t)i);
	return nlh;
}

/* The kernel's ACK or error for a request, extack TLVs after it */
static struct nlmsghdr *ack(void *where, const struct nlmsghdr *req, int error,
			    bool capped)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(where);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = PORTID;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg = *req;
	if (!capped) {
		/* The request follows the header (which is in err->msg) */
		void *copy = mnl_nlmsg_put_extra_header(nlh, req->nlmsg_len - sizeof(*req));

		memcpy(copy, (const char *)req + sizeof(*req), req->nlmsg_len - sizeof(*req));
	}
	return nlh;
}

static void test_build(void)
{
	struct policy p = { .val = { 250, 0, OOM_REAP_ORDER_FORWARD }, .have = 1 | 4 };
	const struct nlattr *tb[OOM_A_POLICY_MAX + 1];
	static const struct nl_rule rules[OOM_A_POLICY_MAX + 1] = {
		[OOM_A_POLICY_REAP_DELAY_MS] = { .type = MNL_TYPE_U32 },
		[OOM_A_POLICY_FROZEN_BYPASS] = { .type = MNL_TYPE_U32 },
		[OOM_A_POLICY_REAP_ORDER] = { .type = MNL_TYPE_U32 },
	};
	struct nlmsghdr *nlh = oom_policy_set_msg(buf, FAMILY, &p);
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nl_err e;

	nl_err_clear(&e);
	ok(nlh->nlmsg_type == FAMILY && nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	   g->cmd == OOM_CMD_POLICY_SET && g->version == OOM_FAMILY_VERSION,
	   "policy-set: our family, REQUEST|ACK, command and version");
	ok(nl_parse_attrs(nlh, sizeof(*g), rules, OOM_A_POLICY_MAX, tb, &e) == 0 &&
	   tb[OOM_A_POLICY_REAP_DELAY_MS] && mnl_attr_get_u32(tb[OOM_A_POLICY_REAP_DELAY_MS]) == 250 &&
	   tb[OOM_A_POLICY_REAP_ORDER] && mnl_attr_get_u32(tb[OOM_A_POLICY_REAP_ORDER]) == 0 &&
	   !tb[OOM_A_POLICY_FROZEN_BYPASS],
	   "policy-set carries exactly the settings given, as u32");
	ok(nlh->nlmsg_len == MNL_NLMSG_HDRLEN + 4 + 2 * 8, "policy-set is %u bytes", nlh->nlmsg_len);
	nlh = oom_get_msg(buf, FAMILY, OOM_CMD_STATS_GET);
	ok(nlh->nlmsg_len == MNL_NLMSG_HDRLEN + 4 &&
	   ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == OOM_CMD_STATS_GET,
	   "stats-get has no attributes");
}

/* Replies whose defect the parser must name */
static void bad_policy(const char *what, struct nlmsghdr *nlh, const char *want)
{
	struct policy p;
	struct nl_err e;
	int ret;

	nl_err_clear(&e);
	ret = oom_parse_policy(nlh, &p, &e);
	ok(ret == -EBADMSG && e.malformed && strstr(e.msg, want),
	   "policy reply, %s: rejected, '%s'", what, e.msg);
}

static void test_policy_replies(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct policy p;
	struct nl_err e;
	char want[96];

	nl_err_clear(&e);
	nlh = policy_reply(buf);
	mnl_attr_put_u8(nlh, 42, 1);		/* from a newer kernel */
	ok(oom_parse_policy(nlh, &p, &e) == 0 && p.have == 7 && p.val[SET_DELAY] == 2000 &&
	   p.val[SET_FROZEN_BYPASS] == 1 && p.val[SET_ORDER] == 1 && p.delay_max_ms == 10000,
	   "policy reply parsed; unknown attributes skipped");

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_REAP_DELAY_MS, 2000);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_REAP_ORDER, 1);
	bad_policy("a setting missing", nlh, "policy reply without frozen-bypass");

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_GET);
	mnl_attr_put_u16(nlh, OOM_A_POLICY_REAP_DELAY_MS, 2000);
	snprintf(want, sizeof(want), "attribute %d: expected 4 bytes, got 2", OOM_A_POLICY_REAP_DELAY_MS);
	bad_policy("u32 sent as u16", nlh, want);

	nlh = policy_reply(buf);
	mnl_attr_put_u64(nlh, OOM_A_POLICY_FROZEN_BYPASS, 1);
	snprintf(want, sizeof(want), "attribute %d: expected 4 bytes, got 8", OOM_A_POLICY_FROZEN_BYPASS);
	bad_policy("u32 sent twice, once as u64", nlh, want);

	nlh = policy_reply(buf);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_REAP_DELAY_MS, 1);
	snprintf(want, sizeof(want), "attribute %d repeated", OOM_A_POLICY_REAP_DELAY_MS);
	bad_policy("an attribute repeated", nlh, want);

	nlh = policy_reply(buf);
	a = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) + 4);
	a->nla_len = 200;
	snprintf(want, sizeof(want), "attribute %d: length 200 does not fit in 32 bytes",
		 OOM_A_POLICY_REAP_DELAY_MS);
	bad_policy("nla_len past the end", nlh, want);

	nlh = policy_reply(buf);
	a->nla_len = 2;
	bad_policy("nla_len below the header", nlh, "length 2 does not fit");

	nlh = policy_reply(buf);
	nlh->nlmsg_len += 3;			/* three bytes that are no attribute */
	bad_policy("stray bytes after the attributes", nlh, "3 stray bytes after the last attribute");

	nlh = policy_reply(buf);
	nlh->nlmsg_len -= 2;			/* cut into the last attribute */
	snprintf(want, sizeof(want), "attribute %d: length 8 does not fit in 6 bytes",
		 OOM_A_POLICY_REAP_DELAY_MAX_MS);
	bad_policy("truncated in the last attribute", nlh, want);

	nlh = policy_reply(buf);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	bad_policy("shorter than its genetlink header", nlh, "too short for its header");

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_GET);
	bad_policy("empty", nlh, "policy reply without delay");
}

/* A stats reply the parser must refuse, naming the defect */
static void bad_stats(const char *what, struct nlmsghdr *nlh, const char *want)
{
	struct oom_stats st;
	struct nl_err e;

	nl_err_clear(&e);
	ok(oom_parse_stats(nlh, &st, &e) == -EBADMSG && e.malformed && strstr(e.msg, want),
	   "stats, %s: rejected, '%s'", what, e.msg);
}

/* Stats with two buckets, [0, 2) then b (low, high, count; count < 0: none) */
static struct nlmsghdr *stats_buckets(int64_t low, int64_t high, int64_t count)
{
	struct nlmsghdr *nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	struct nlattr *nest;

	put_uint(nlh, OOM_A_STATS_VICTIMS, 1);
	put_bucket(nlh, 0, 2, 5);
	nest = mnl_attr_nest_start(nlh, OOM_A_STATS_LATENCY_BUCKET);
	if (low >= 0)
		put_uint(nlh, OOM_A_LATENCY_BUCKET_LOW_US, (uint64_t)low);
	if (high >= 0)
		put_uint(nlh, OOM_A_LATENCY_BUCKET_HIGH_US, (uint64_t)high);
	if (count >= 0)
		put_uint(nlh, OOM_A_LATENCY_BUCKET_COUNT, (uint64_t)count);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_stats(void)
{
	struct nlmsghdr *nlh = stats_reply(buf);
	struct oom_stats st;
	struct nl_err e;
	bool bounds = true;
	char want[96];

	nl_err_clear(&e);
	ok(oom_parse_stats(nlh, &st, &e) == 0 && st.nhist == KERNEL_BUCKETS &&
	   st.count[OOM_A_STATS_VICTIMS] == 100 + OOM_A_STATS_VICTIMS &&
	   st.count[OOM_A_STATS_EVENTS_DROPPED] == 100 + OOM_A_STATS_EVENTS_DROPPED &&
	   st.have == ((1u << (OOM_A_STATS_EVENTS_DROPPED + 1)) - (1u << OOM_A_STATS_VICTIMS)),
	   "stats: nine counters and %d nested latency buckets (%s)", KERNEL_BUCKETS, e.msg);
	ok(st.count[OOM_A_STATS_REAPED] == (5ULL << 32) + OOM_A_STATS_REAPED &&
	   st.hist[3].count == 7ULL << 40, "stats: 8-byte uints next to 4-byte ones");
	for (unsigned int i = 0; i < st.nhist; i++)
		bounds &= st.hist[i].low_us == (i ? 1ULL << i : 0) &&
			  st.hist[i].has_high == (i + 1 < st.nhist) &&
			  (!st.hist[i].has_high || st.hist[i].high_us == 2ULL << i) &&
			  (i == 3 || st.hist[i].count == 1000 + i);
	ok(bounds, "latency buckets: the kernel's low/high bounds and counts, last one open");

	/* patch 14's: freed counters and the kill -> freed histogram apart */
	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	put_uint(nlh, OOM_A_STATS_VICTIMS, 3);
	put_uint(nlh, OOM_A_STATS_FREED_EXIT, 2);
	put_uint(nlh, OOM_A_STATS_FREED_OOM_REAPER, 1ULL << 40);
	put_uint(nlh, OOM_A_STATS_FREED_MRELEASE, 0);
	put_bucket(nlh, 0, 2, 1);
	put_bucket(nlh, 2, 0, 2);
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, OOM_A_STATS_FREED_LATENCY_BUCKET);

		put_uint(nlh, OOM_A_LATENCY_BUCKET_LOW_US, 1024);
		put_uint(nlh, OOM_A_LATENCY_BUCKET_HIGH_US, 2048);
		put_uint(nlh, OOM_A_LATENCY_BUCKET_COUNT, 5);
		mnl_attr_nest_end(nlh, nest);
		nest = mnl_attr_nest_start(nlh, OOM_A_STATS_FREED_LATENCY_BUCKET);
		put_uint(nlh, OOM_A_LATENCY_BUCKET_LOW_US, 512);	/* out of order */
		put_uint(nlh, OOM_A_LATENCY_BUCKET_HIGH_US, 1024);
		put_uint(nlh, OOM_A_LATENCY_BUCKET_COUNT, 1);
		mnl_attr_nest_end(nlh, nest);
	}
	nl_err_clear(&e);
	ok(oom_parse_stats(nlh, &st, &e) == -EBADMSG &&
	   strstr(e.msg, "freed latency bucket 1 out of order"),
	   "stats: the freed histogram is checked on its own, named in errors: %s", e.msg);
	/* the same without the bad bucket */
	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	put_uint(nlh, OOM_A_STATS_FREED_EXIT, 2);
	put_uint(nlh, OOM_A_STATS_FREED_OOM_REAPER, 1ULL << 40);
	put_uint(nlh, OOM_A_STATS_FREED_MRELEASE, 0);
	put_bucket(nlh, 0, 2, 1);
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, OOM_A_STATS_FREED_LATENCY_BUCKET);

		put_uint(nlh, OOM_A_LATENCY_BUCKET_LOW_US, 1024);
		put_uint(nlh, OOM_A_LATENCY_BUCKET_COUNT, 5);
		mnl_attr_nest_end(nlh, nest);
	}
	nl_err_clear(&e);
	ok(oom_parse_stats(nlh, &st, &e) == 0 && st.count[OOM_A_STATS_FREED_EXIT] == 2 &&
	   st.count[OOM_A_STATS_FREED_OOM_REAPER] == 1ULL << 40 &&
	   (st.have & (1u << OOM_A_STATS_FREED_MRELEASE)) && st.nhist == 1 &&
	   st.nfreed_hist == 1 && st.freed_hist[0].low_us == 1024 &&
	   !st.freed_hist[0].has_high && st.freed_hist[0].count == 5,
	   "stats: freed-exit, -oom-reaper, -mrelease and the freed histogram, apart from the reap one (%s)",
	   e.msg);

	/* The same histogram with bounds that are not powers of two */
	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	put_bucket(nlh, 0, 10, 1);
	put_bucket(nlh, 10, 250, 2);
	put_bucket(nlh, 500, 0, 3);		/* a gap is no disorder */
	ok(oom_parse_stats(nlh, &st, &e) == 0 && st.nhist == 3 && st.hist[1].low_us == 10 &&
	   st.hist[1].high_us == 250 && st.hist[2].low_us == 500 && !st.hist[2].has_high,
	   "latency buckets: any increasing bounds are taken as sent");

	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	for (int i = 0; i <= OOM_HIST_MAX; i++)
		put_bucket(nlh, (uint64_t)i * 10, (uint64_t)i * 10 + 10, 1);
	bad_stats("more than 64 buckets", nlh, "more than 64 latency buckets");

	bad_stats("a bucket without count", stats_buckets(2, 4, -1),
		  "latency bucket 1 without count");
	bad_stats("a bucket without low-us", stats_buckets(-1, 4, 1),
		  "latency bucket 1 without low-us");
	bad_stats("a bucket out of order", stats_buckets(1, 4, 1),
		  "latency bucket 1 out of order: low-us 1 below the high-us 2 of bucket 0");
	bad_stats("high-us not above low-us", stats_buckets(8, 8, 1),
		  "latency bucket 1: high-us 8 not above low-us 8");

	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	put_bucket(nlh, 0, 0, 1);		/* open, but not last */
	put_bucket(nlh, 2, 4, 1);
	bad_stats("a bucket after the open one", nlh, "latency bucket 1 follows the open bucket 0");

	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	put_uint(nlh, OOM_A_STATS_VICTIMS, 1);
	mnl_attr_put_u64(nlh, OOM_A_STATS_LATENCY_BUCKET, 1);
	bad_stats("a bucket that is no nest", nlh, "latency bucket 0: attribute");

	nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, OOM_A_STATS_LATENCY_BUCKET);

		put_uint(nlh, OOM_A_LATENCY_BUCKET_LOW_US, 0);
		mnl_attr_put_u16(nlh, OOM_A_LATENCY_BUCKET_COUNT, 1);
		mnl_attr_nest_end(nlh, nest);
	}
	snprintf(want, sizeof(want), "latency bucket 0: attribute %d: expected a uint of 4 or 8 bytes, got 2",
		 OOM_A_LATENCY_BUCKET_COUNT);
	bad_stats("a 2-byte count in a bucket", nlh, want);

	/* Counters: a uint is 4 or 8 bytes, nothing else */
	for (int k = 0; k < 3; k++) {
		static const uint16_t sizes[] = { 2, 3, 16 };
		char zero[16] = { 0 }, what[48];

		nlh = kmsg(buf, FAMILY, OOM_CMD_STATS_GET);
		mnl_attr_put(nlh, OOM_A_STATS_GAVE_UP, sizes[k], zero);
		snprintf(want, sizeof(want), "attribute %d: expected a uint of 4 or 8 bytes, got %u",
			 OOM_A_STATS_GAVE_UP, sizes[k]);
		snprintf(what, sizeof(what), "a %u-byte counter", sizes[k]);
		bad_stats(what, nlh, want);
	}
}

static void test_events(void)
{
	struct nlmsghdr *nlh;
	struct event ev;
	struct nl_err e;
	struct nlattr *a;

	nl_err_clear(&e);
	nlh = victim_ntf(buf);
	ok(oom_parse_event(nlh, &ev, &e) == 0 && ev.type == EV_VICTIM && ev.has_seq &&
	   ev.seq == 41 && ev.ts_ns == 5000000000ULL && ev.v[F_PID] == 1234 &&
	   !strcmp(ev.comm, "tail") && (int64_t)ev.v[F_OOM_SCORE_ADJ] == -1000 &&
	   ev.v[F_MEMCG_ID] == 77 && ev.v[F_FROZEN] == 1 && ev.v[F_ANON_RSS_KB] == 32768,
	   "victim notification: every field, oom_score_adj sign-extended");

	nlh = kmsg(buf, FAMILY, OOM_CMD_REAP_DONE_NTF);
	put_uint(nlh, OOM_A_EVENT_SEQ, 1ULL << 33);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_RESULT, OOM_REAP_RESULT_EXITED_FIRST);
	put_uint(nlh, OOM_A_EVENT_DURATION_US, 35000);
	ok(oom_parse_event(nlh, &ev, &e) == 0 && ev.type == EV_REAP_DONE &&
	   ev.seq == 1ULL << 33 && ev.ts_ns == 1 &&
	   ev.v[F_RESULT] == OOM_REAP_RESULT_EXITED_FIRST && ev.v[F_DURATION_US] == 35000 &&
	   !(ev.have & (1ULL << F_PID)), "reap-done notification: an 8-byte seq, 4-byte uints");

	nlh = kmsg(buf, FAMILY, OOM_CMD_REAP_DONE_NTF);
	put_uint(nlh, OOM_A_EVENT_SEQ, 43);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
	mnl_attr_put_u64(nlh, OOM_A_EVENT_DURATION_US, 35000);	/* 8 bytes, fits in 4 */
	mnl_attr_put_u64(nlh, OOM_A_EVENT_ANON_RSS_KB, 1ULL << 40);
	ok(oom_parse_event(nlh, &ev, &e) == 0 && ev.v[F_DURATION_US] == 35000 &&
	   ev.v[F_ANON_RSS_KB] == 1ULL << 40,
	   "reap-done notification: an 8-byte uint that would fit in 4 is taken too");

	/* Every uint of the event set: 2, 3 and 16 bytes are refused */
	{
		static const uint16_t uints[] = {
			OOM_A_EVENT_SEQ, OOM_A_EVENT_TIMESTAMP_NS, OOM_A_EVENT_MEMCG_ID,
			OOM_A_EVENT_ANON_RSS_KB, OOM_A_EVENT_FILE_RSS_KB,
			OOM_A_EVENT_SHMEM_RSS_KB, OOM_A_EVENT_DURATION_US,
		};
		static const uint16_t sizes[] = { 2, 3, 16 };
		char zero[16] = { 0 }, want[96], first[320] = "";
		int bad = 0;

		for (size_t u = 0; u < sizeof(uints) / sizeof(uints[0]); u++)
			for (size_t k = 0; k < 3; k++) {
				/* seq and timestamp first, unless under test */
				nlh = kmsg(buf, FAMILY, OOM_CMD_REAP_DONE_NTF);
				if (uints[u] != OOM_A_EVENT_SEQ)
					put_uint(nlh, OOM_A_EVENT_SEQ, 1);
				if (uints[u] != OOM_A_EVENT_TIMESTAMP_NS)
					put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
				mnl_attr_put(nlh, uints[u], sizes[k], zero);
				snprintf(want, sizeof(want),
					 "attribute %u: expected a uint of 4 or 8 bytes, got %u",
					 uints[u], sizes[k]);
				nl_err_clear(&e);
				if (oom_parse_event(nlh, &ev, &e) != -EBADMSG || !strstr(e.msg, want)) {
					if (!bad++)
						snprintf(first, sizeof(first), "attribute %u, %u bytes: '%s'",
							 uints[u], sizes[k], e.msg);
				}
			}
		ok(!bad, "events: seq, timestamp, memcg-id, *-rss-kb, duration-us of 2, 3, 16 bytes rejected, by name%s%s",
		   bad ? "; first failure: " : "", first);
	}

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_NTF);
	put_uint(nlh, OOM_A_POLICY_NTF_SEQ, 44);
	put_uint(nlh, OOM_A_POLICY_NTF_TIMESTAMP_NS, 6000000000ULL);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_NTF_REAP_DELAY_MS, 250);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_NTF_FROZEN_BYPASS, 0);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_NTF_REAP_ORDER, OOM_REAP_ORDER_FORWARD);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_NTF_CHANGED_VIA, OOM_CHANGED_VIA_SYSCTL);
	mnl_attr_put_u32(nlh, OOM_A_POLICY_NTF_MAX + 1, 7);	/* from a newer kernel */
	nl_err_clear(&e);
	ok(oom_parse_event(nlh, &ev, &e) == 0 && ev.type == EV_POLICY && ev.seq == 44 &&
	   ev.ts_ns == 6000000000ULL && ev.v[F_DELAY_MS] == 250 && ev.v[F_FROZEN_BYPASS] == 0 &&
	   ev.v[F_ORDER] == OOM_REAP_ORDER_FORWARD &&
	   ev.v[F_CHANGED_VIA] == OOM_CHANGED_VIA_SYSCTL &&
	   ev.have == ((1ULL << F_DELAY_MS) | (1ULL << F_FROZEN_BYPASS) | (1ULL << F_ORDER) |
		       (1ULL << F_CHANGED_VIA)),
	   "policy notification: its own attribute set, nothing else (%s)", e.msg);

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_NTF);
	put_uint(nlh, OOM_A_POLICY_NTF_SEQ, 44);
	mnl_attr_put(nlh, OOM_A_POLICY_NTF_TIMESTAMP_NS, 3, "abc");
	{
		char want[96];

		snprintf(want, sizeof(want), "attribute %d: expected a uint of 4 or 8 bytes, got 3",
			 OOM_A_POLICY_NTF_TIMESTAMP_NS);
		nl_err_clear(&e);
		ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, want),
		   "policy notification: a 3-byte timestamp rejected: %s", e.msg);
	}
	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_NTF);
	put_uint(nlh, OOM_A_POLICY_NTF_SEQ, 44);
	mnl_attr_put(nlh, OOM_A_POLICY_NTF_TIMESTAMP_NS, 16, "0123456789abcdef");
	nl_err_clear(&e);
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, "got 16"),
	   "policy notification: a 16-byte timestamp rejected: %s", e.msg);

	nlh = kmsg(buf, FAMILY, 99);
	ok(oom_parse_event(nlh, &ev, &e) == 1 && ev.unknown && !ev.has_seq,
	   "an unknown command is no event (ignored)");

	/* A newer kernel's notification: its seq, nothing else, kept */
	nlh = kmsg(buf, FAMILY, OOM_CMD_MAX + 1);
	put_uint(nlh, OOM_A_EVENT_SEQ, 1ULL << 35);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 9);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_MAX + 3, 1);
	ok(oom_parse_event(nlh, &ev, &e) == 1 && ev.unknown && ev.has_seq &&
	   ev.seq == 1ULL << 35 && !ev.have,
	   "an unknown command with a seq: skipped, its seq kept for the monitor");
	nlh = kmsg(buf, FAMILY, OOM_CMD_MAX + 1);
	mnl_attr_put(nlh, OOM_A_EVENT_SEQ, 3, "abc");
	ok(oom_parse_event(nlh, &ev, &e) == 1 && ev.unknown && !ev.has_seq,
	   "an unknown command with a 3-byte seq: no seq taken");

	/* The freed notification as the kernel sends it */
	nlh = kmsg(buf, FAMILY, OOM_CMD_VICTIM_FREED_NTF);
	put_uint(nlh, OOM_A_EVENT_SEQ, 42);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 5100000000ULL);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_PID, 1234);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_TGID, 1234);
	mnl_attr_put_strz(nlh, OOM_A_EVENT_COMM, "tail");
	put_uint(nlh, OOM_A_EVENT_MEMCG_ID, 77);
	put_uint(nlh, OOM_A_EVENT_KILL_TO_FREED_US, 35123);
	put_uint(nlh, OOM_A_EVENT_FREED_KB, 1ULL << 33);
	mnl_attr_put_u32(nlh, OOM_A_EVENT_FREED_BY, OOM_FREED_BY_OOM_REAPER);
	put_uint(nlh, OOM_A_EVENT_FREED_EXIT_KB, 4);
	put_uint(nlh, OOM_A_EVENT_FREED_OOM_REAPER_KB, (1ULL << 33) - 4);
	put_uint(nlh, OOM_A_EVENT_FREED_MRELEASE_KB, 0);
	nl_err_clear(&e);
	ok(oom_parse_event(nlh, &ev, &e) == 0 && ev.type == EV_FREED && !ev.unknown &&
	   ev.seq == 42 && ev.ts_ns == 5100000000ULL && ev.v[F_PID] == 1234 &&
	   !strcmp(ev.comm, "tail") && ev.v[F_MEMCG_ID] == 77 &&
	   ev.v[F_KILL_TO_FREED_US] == 35123 && ev.v[F_FREED_KB] == 1ULL << 33 &&
	   ev.v[F_FREED_BY] == OOM_FREED_BY_OOM_REAPER && ev.v[F_FREED_EXIT_KB] == 4 &&
	   ev.v[F_FREED_OOM_REAPER_KB] == (1ULL << 33) - 4 &&
	   (ev.have & (1ULL << F_FREED_MRELEASE_KB)) && ev.v[F_FREED_MRELEASE_KB] == 0,
	   "freed notification: every field, an 8-byte freed-kb (%s)", e.msg);
	{
		char *text = event_text(&ev);

		ok(text && !strcmp(text, "freed seq=42 pid=1234 tgid=1234 comm=tail memcg_id=77 "
				   "kill_to_freed_us=35123 freed_kb=8589934592 freed_by=oom-reaper "
				   "freed_exit_kb=4 freed_oom_reaper_kb=8589934588 freed_mrelease_kb=0"),
		   "freed event: its text line, freed_by as a word: %s", text ? text : "(null)");
		free(text);
		event_set(&ev, F_FREED_BY, OOM_FREED_BY_PROCESS_MRELEASE);
		text = event_text(&ev);
		ok(text && strstr(text, " freed_by=process-mrelease "),
		   "freed event: freed_by process-mrelease");
		free(text);
	}
	nlh = kmsg(buf, FAMILY, OOM_CMD_VICTIM_FREED_NTF);
	put_uint(nlh, OOM_A_EVENT_SEQ, 42);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
	mnl_attr_put(nlh, OOM_A_EVENT_KILL_TO_FREED_US, 2, "ab");
	nl_err_clear(&e);
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, "expected a uint"),
	   "freed notification: a 2-byte kill-to-freed-us rejected: %s", e.msg);
	nlh = kmsg(buf, FAMILY, OOM_CMD_VICTIM_FREED_NTF);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, "freed notification without sequence number"),
	   "freed notification without seq rejected: %s", e.msg);

	nlh = kmsg(buf, FAMILY, OOM_CMD_REAP_QUEUED_NTF);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, "without sequence number"),
	   "an event without seq rejected: %s", e.msg);

	nlh = victim_ntf(buf);
	a = mnl_nlmsg_get_payload_tail(nlh);
	nlh = kmsg(buf, FAMILY, OOM_CMD_VICTIM_NTF);
	put_uint(nlh, OOM_A_EVENT_SEQ, 1);
	put_uint(nlh, OOM_A_EVENT_TIMESTAMP_NS, 1);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put(nlh, OOM_A_EVENT_COMM, 4, "tail");	/* no NUL */
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, "not NUL-terminated"),
	   "comm without its NUL rejected: %s", e.msg);
	a->nla_len = 4;
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG, "an empty comm rejected");

	nlh = victim_ntf(buf);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	ok(oom_parse_event(nlh, &ev, &e) == -EBADMSG && strstr(e.msg, "no genetlink header"),
	   "a notification without genetlink header rejected");
}

static void test_acks(void)
{
	char reqbuf[MNL_SOCKET_BUFFER_SIZE];
	struct policy p = { .val = { 20000, 1, 1 }, .have = 7 };
	struct nlmsghdr *req = oom_policy_set_msg(reqbuf, FAMILY, &p), *nlh;
	struct nlattr *delay = mnl_nlmsg_get_payload_offset(req, sizeof(struct genlmsghdr));
	struct nlattr *nest;
	struct nl_err e;

	req->nlmsg_seq = SEQ;
	nl_err_clear(&e);
	nlh = ack(buf, req, 0, true);
	ok(nl_parse_ack(nlh, req, &e) == 0 && e.code == 0, "ACK: error 0");

	/* What the kernel says to policy-set delay 20000: range error */
	nlh = ack(buf, req, -ERANGE, true);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "integer out of range");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)((char *)delay - (char *)req));
	nest = mnl_attr_nest_start(nlh, NLMSGERR_ATTR_POLICY);
	mnl_attr_put_u32(nlh, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 10000);
	mnl_attr_nest_end(nlh, nest);
	nl_err_clear(&e);
	ok(nl_parse_ack(nlh, req, &e) == -ERANGE && e.code == ERANGE && e.from_kernel &&
	   !strcmp(e.msg, "integer out of range"), "extack message: '%s'", e.msg);
	ok(e.attr == OOM_A_POLICY_REAP_DELAY_MS, "extack offset points at the delay attribute");
	ok(e.has_range && e.min == 0 && e.max == 10000, "extack policy: range 0..10000");

	/* Not capped: our request comes back before the TLVs */
	nlh = ack(buf, req, -EPERM, false);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "changing the OOM reap policy needs CAP_SYS_ADMIN");
	nl_err_clear(&e);
	ok(nl_parse_ack(nlh, req, &e) == -EPERM && e.code == EPERM &&
	   strstr(e.msg, "needs CAP_SYS_ADMIN") && e.attr == -1,
	   "uncapped error: TLVs found after the echoed request");

	nlh = ack(buf, req, -EINVAL, true);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 3);	/* inside the header */
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, OOM_A_POLICY_REAP_ORDER);
	nl_err_clear(&e);
	ok(nl_parse_ack(nlh, req, &e) == -EINVAL && e.attr == -1 &&
	   e.missing == OOM_A_POLICY_REAP_ORDER && !e.from_kernel,
	   "an offset that is no attribute start points nowhere; missing attribute kept");

	nlh = ack(buf, req, -EINVAL, true);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");	/* no NUL */
	nl_err_clear(&e);
	ok(nl_parse_ack(nlh, req, &e) == -EINVAL && e.code == EINVAL && !e.msg[0] && !e.malformed,
	   "malformed extack: the error stays, the detail goes");

	nlh = ack(buf, req, -EINVAL, false);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 5000;
	nl_err_clear(&e);
	ok(nl_parse_ack(nlh, req, &e) == -EINVAL && !e.msg[0],
	   "echoed request longer than the error message: TLVs ignored");
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 3;
	ok(nl_parse_ack(nlh, req, &e) == -EINVAL, "echoed request shorter than a header: TLVs ignored");

	nlh = ack(buf, req, -EINVAL, true);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 8;
	nl_err_clear(&e);
	ok(nl_parse_ack(nlh, req, &e) == -EBADMSG && e.malformed, "truncated error message: %s", e.msg);
	nlh = ack(buf, req, 5, true);
	ok(nl_parse_ack(nlh, req, &e) == -EBADMSG, "a positive error code is malformed");
}

struct count {
	int calls;
	struct policy p;
};

static int count_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e)
{
	struct count *c = data;

	c->calls++;
	return oom_parse_policy(nlh, &c->p, e);
}

static void test_dispatch(void)
{
	char reqbuf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req = oom_get_msg(reqbuf, FAMILY, OOM_CMD_POLICY_GET), *nlh, *next;
	struct count c = { 0 };
	struct nl_err e;
	size_t len;

	req->nlmsg_seq = SEQ;
	nl_err_clear(&e);
	nlh = policy_reply(buf);
	next = ack((char *)nlh + nlh->nlmsg_len, req, 0, true);
	len = nlh->nlmsg_len + next->nlmsg_len;
	ok(nl_dispatch(buf, len, PORTID, req, count_cb, &c, &e) == 0 && c.calls == 1 &&
	   c.p.val[SET_DELAY] == 2000, "reply then ACK in one read: done, callback once");

	c.calls = 0;
	ok(nl_dispatch(buf, nlh->nlmsg_len, PORTID, req, count_cb, &c, &e) == 1 && c.calls == 1,
	   "reply without ACK yet: read on");

	nlh = victim_ntf(buf);
	nlh->nlmsg_seq = 0;			/* a notification in between */
	nlh->nlmsg_pid = 0;
	next = policy_reply((char *)nlh + nlh->nlmsg_len);
	next->nlmsg_seq = SEQ - 1;		/* a late reply to an older request */
	len = nlh->nlmsg_len + next->nlmsg_len;
	next = ack(buf + len, req, 0, true);
	len += next->nlmsg_len;
	c.calls = 0;
	ok(nl_dispatch(buf, len, PORTID, req, count_cb, &c, &e) == 0 && c.calls == 0,
	   "messages of other sequence numbers are skipped");

	nlh = policy_reply(buf);
	nlh->nlmsg_type = FAMILY + 1;
	ok(nl_dispatch(buf, nlh->nlmsg_len, PORTID, req, count_cb, &c, &e) == -EBADMSG &&
	   strstr(e.msg, "reply of type 27"), "a reply of another family: %s", e.msg);

	nlh = policy_reply(buf);
	len = nlh->nlmsg_len;
	next = ack(buf + len, req, 0, true);
	len += next->nlmsg_len - 6;		/* the read ends inside the ACK */
	ok(nl_dispatch(buf, len, PORTID, req, count_cb, &c, &e) == -EBADMSG &&
	   strstr(e.msg, "truncated message"), "a truncated buffer: %s", e.msg);

	ok(nl_dispatch(buf, 10, PORTID, req, count_cb, &c, &e) == -EBADMSG,
	   "a read shorter than a netlink header");

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_GET);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	ok(nl_dispatch(buf, nlh->nlmsg_len, PORTID, req, count_cb, &c, &e) == -EBADMSG &&
	   strstr(e.msg, "no genetlink header"), "a reply without genetlink header");

	nlh = kmsg(buf, FAMILY, OOM_CMD_POLICY_GET);	/* empty: the callback fails */
	ok(nl_dispatch(buf, nlh->nlmsg_len, PORTID, req, count_cb, &c, &e) == -EBADMSG &&
	   strstr(e.msg, "without delay"), "the callback's error comes back");

	nlh = ack(buf, req, -ENOENT, true);
	ok(nl_dispatch(buf, nlh->nlmsg_len, PORTID, req, count_cb, &c, &e) == -ENOENT,
	   "an error message ends the exchange with its error");
}

static void test_family(void)
{
	struct genl_family_info fi;
	struct nlmsghdr *nlh;
	struct nlattr *list, *grp;
	struct nl_err e;

	nl_err_clear(&e);
	nlh = kmsg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "oom");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	list = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (int i = 0; i < 2; i++) {
		grp = mnl_attr_nest_start(nlh, i + 1);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, i ? "events" : "config");
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 40 + i);
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, list);
	ok(genl_parse_family(nlh, &fi, &e) == 0 && fi.id == FAMILY && fi.version == 1 &&
	   fi.ngroups == 2 && genl_group(&fi, "config") == 40 && genl_group(&fi, "events") == 41 &&
	   genl_group(&fi, "nope") == 0, "family reply: id, version, groups by name");

	grp->nla_len += 40;			/* the last group overruns its list */
	ok(genl_parse_family(nlh, &fi, &e) == -EBADMSG, "a group nest overrunning: %s", e.msg);

	nlh = kmsg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	list = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "config");
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, list);
	ok(genl_parse_family(nlh, &fi, &e) == -EBADMSG && strstr(e.msg, "without a name or id"),
	   "a group without an id: %s", e.msg);

	nlh = kmsg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "oom");
	ok(genl_parse_family(nlh, &fi, &e) == -EBADMSG && strstr(e.msg, "without a family id"),
	   "a family reply without id: %s", e.msg);
}

/* The kernel itself: nlctrl exists everywhere, oom only when patched */
static void test_live(void)
{
	struct genl_family_info fi;
	struct nl_err e;
	struct nl nl;
	char reqbuf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req;
	int ret;

	if (nl_open(&nl)) {
		ok(true, "live netlink # SKIP no generic netlink socket here");
		return;
	}
	ret = genl_resolve(&nl, "nlctrl", &fi, &e);
	ok(ret == 0 && fi.id == GENL_ID_CTRL && genl_group(&fi, "notify") != 0,
	   "live: nlctrl resolved by name (%d, id %u)", ret, ret ? 0 : fi.id);
	ret = genl_resolve(&nl, "oom", &fi, &e);
	if (ret == 0)
		ok(genl_group(&fi, "config") && genl_group(&fi, "events"),
		   "live: this kernel has the oom family, with groups config and events");
	else
		ok(ret == -ENOENT && e.code == ENOENT,
		   "live: no oom family on this kernel: ENOENT (%s)", e.msg[0] ? e.msg : "no extack");
	/* A request the kernel's policy rejects: a u16 id one byte long */
	req = genl_msg(reqbuf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_u8(req, CTRL_ATTR_FAMILY_ID, 1);
	ret = nl_transact(&nl, req, NULL, NULL, &e);
	ok(ret == -EINVAL || ret == -ERANGE, "live: a malformed request is refused (%d)", ret);
	diag("the kernel said: %s (attribute %d)", e.msg[0] ? e.msg : "(no extack)", e.attr);
	ok(!e.from_kernel || e.attr == -1 || e.attr == CTRL_ATTR_FAMILY_ID,
	   "live: extack, if any, points at the attribute we sent");
	nl_close(&nl);
}

static int fuzz_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e)
{
	struct event ev;
	struct policy p;
	struct oom_stats st;
	int *rejects = data, r = 0;

	r |= oom_parse_event(nlh, &ev, e) < 0;
	r |= oom_parse_policy(nlh, &p, e) < 0;
	r |= oom_parse_stats(nlh, &st, e) < 0;
	*rejects += r;
	return 0;
}

/* Random damage to good messages: parsers must reject, never crash */
static void test_fuzz(void)
{
	char reqbuf[MNL_SOCKET_BUFFER_SIZE], good[1024], bad[1024];
	struct nlmsghdr *req = oom_get_msg(reqbuf, FAMILY, OOM_CMD_POLICY_GET);
	unsigned int seed = 1, len, n = 3000;
	int rejects = 0, ret, errors = 0;
	struct nl_err e;

	req->nlmsg_seq = SEQ;
	for (unsigned int i = 0; i < n; i++) {
		struct nlmsghdr *nlh;

		memset(good, 0, sizeof(good));	/* libmnl leaves padding as it was */
		nlh = i % 3 == 2 ? stats_reply(good) : i % 3 ? victim_ntf(good) : policy_reply(good);
		len = nlh->nlmsg_len;
		memcpy(bad, good, len);
		for (int k = 0; k < 1 + (int)(rand_r(&seed) % 4); k++)
			bad[rand_r(&seed) % len] = (char)rand_r(&seed);
		if (rand_r(&seed) % 3 == 0)
			len = rand_r(&seed) % len;	/* a short read */
		nl_err_clear(&e);
		ret = nl_dispatch(bad, len, PORTID, req, fuzz_cb, &rejects, &e);
		errors += ret < 0;
	}
	ok(rejects + errors > 0, "%u damaged messages: %d rejected by the parsers, %d by dispatch, no crash",
	   n, rejects, errors);
}

void test_nl(void)
{
	test_build();
	test_policy_replies();
	test_stats();
	test_events();
	test_acks();
	test_dispatch();
	test_family();
	test_live();
	test_fuzz();
}
