// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family, bad input: every malformed or out-of-range request is
 * refused with the right errno, with an extack message (and the offset of
 * the offending attribute, and the policy's limit for range errors) where
 * the netlink policy machinery can give one; nothing of a refused request is
 * applied, even the valid attributes before or after the bad one; the
 * kernel logs no WARNING/BUG and its taint does not change.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"

/* A non-default starting point, so a refused request that resets the
 * policy is caught too. */
#define P0_DELAY	1500
#define P0_BYPASS	0
#define P0_ORDER	OOM_REAP_ORDER_FORWARD

/* Where the attributes start in a request. */
#define ATTR0	(NLMSG_HDRLEN + GENL_HDRLEN)

FIXTURE(input) {
	struct oomnl c;
	struct oomnl_reply r;
	struct kmsg_watch kw;
	bool kw_ok;
	char why[256];
};

FIXTURE_SETUP(input)
{
	struct oom_pol p;
	int err;

	OOMNL_REQUIRE_FAMILY();
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(P0_DELAY, P0_BYPASS, P0_ORDER),
			       &p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	err = kmsg_watch_start(&self->kw);
	self->kw_ok = !err;
	if (err)
		TH_LOG("cannot watch /dev/kmsg (%s): kernel log not checked", strerror(err));
}

FIXTURE_TEARDOWN(input)
{
	char bad[512];
	int nrec = 0, n;

	if (self->kw_ok) {
		n = kmsg_watch_check(&self->kw, bad, sizeof(bad), &nrec);
		EXPECT_EQ(0, n) TH_LOG("kernel log after the bad input: %s", bad);
		kmsg_watch_stop(&self->kw);
	}
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

/* Still P0, through both interfaces. */
static void expect_unchanged(struct __test_metadata *_metadata, struct oomnl *c,
			     const char *after)
{
	struct oomnl_reply r;
	struct oom_pol p, s;
	char why[256], buf[96];
	int err;

	err = oomnl_policy_get(c, &p, &r, why, sizeof(why));
	ASSERT_EQ(0, err) TH_LOG("policy-get after %s: %s", after, why);
	EXPECT_TRUE(pol_is(&p, P0_DELAY, P0_BYPASS, P0_ORDER))
		TH_LOG("after %s the policy is %s: a refused request changed it",
		       after, pol_str(&p, buf, sizeof(buf)));
	ASSERT_EQ(0, oomnl_sysctl_policy(&s));
	EXPECT_TRUE(pol_is(&s, P0_DELAY, P0_BYPASS, P0_ORDER))
		TH_LOG("after %s the sysctls say %s", after, pol_str(&s, buf, sizeof(buf)));
}

enum { ANY_OFFS = -1, NO_OFFS = -2 };

struct refusal {
	const char *what;
	int err1, err2;		/* acceptable errnos (err2 0: only err1) */
	bool need_msg;		/* an extack message is required */
	int offs;		/* expected NLMSGERR_ATTR_OFFS, or ANY/NO_OFFS */
	int64_t pol_max;	/* expected policy max in the extack, or -1 */
};

static void expect_refused(struct __test_metadata *_metadata,
			   const struct oomnl_reply *r, int xfer_err,
			   const struct refusal *f)
{
	ASSERT_EQ(0, xfer_err) TH_LOG("%s: no answer: %s", f->what, strerror(-xfer_err));
	EXPECT_TRUE(r->error == f->err1 || (f->err2 && r->error == f->err2))
		TH_LOG("%s: errno %d (%s), expected %s%s%s", f->what, r->error,
		       r->error ? strerror(r->error) : "success, it was accepted",
		       strerror(f->err1), f->err2 ? " or " : "",
		       f->err2 ? strerror(f->err2) : "");
	EXPECT_EQ(0, r->nreplies) TH_LOG("%s: a refused request got a reply", f->what);
	if (f->need_msg) {
		EXPECT_NE(0, r->msg[0]) TH_LOG("%s: no extack message", f->what);
	}
	if (f->offs >= 0) {
		EXPECT_TRUE(r->has_offs) TH_LOG("%s: no NLMSGERR_ATTR_OFFS", f->what);
		if (r->has_offs) {
			EXPECT_EQ((uint32_t)f->offs, r->offs)
				TH_LOG("%s: extack points at byte %u, the attribute is at %d",
				       f->what, r->offs, f->offs);
		}
	} else if (f->offs == ANY_OFFS) {
		EXPECT_TRUE(r->has_offs) TH_LOG("%s: no NLMSGERR_ATTR_OFFS", f->what);
	}
	if (f->pol_max >= 0) {
		EXPECT_TRUE(r->has_pol_max)
			TH_LOG("%s: extack without the policy's maximum", f->what);
		if (r->has_pol_max) {
			EXPECT_EQ((uint64_t)f->pol_max, r->pol_max);
		}
	}
	TH_LOG("%s: %s%s%s%s", f->what, strerror(r->error), r->msg[0] ? " \"" : "",
	       r->msg, r->msg[0] ? "\"" : "");
}

/* Offset the next attribute of @m will have. */
static int next_offs(struct nl_msg *m)
{
	return nlmsg_hdr(m)->nlmsg_len;
}

static int xfer_free(struct oomnl *c, struct nl_msg *m, struct oomnl_reply *r)
{
	int err = oomnl_xfer(c, m, r);

	nlmsg_free(m);
	return err;
}

/* One policy-set with a single u32 attribute @type = @val. */
static void set_one_refused(struct __test_metadata *_metadata, struct oomnl *c,
			    struct oomnl_reply *r, const char *what, int type,
			    uint32_t val, int64_t pol_max)
{
	struct nl_msg *m = oomnl_msg(c, OOM_CMD_POLICY_SET);
	struct refusal f = { what, ERANGE, EINVAL, true, 0, pol_max };

	ASSERT_NE(NULL, m);
	f.offs = next_offs(m);
	ASSERT_EQ(0, nla_put_u32(m, type, val));
	expect_refused(_metadata, r, xfer_free(c, m, r), &f);
	expect_unchanged(_metadata, c, what);
}

TEST_F(input, delay_above_max)
{
	set_one_refused(_metadata, &self->c, &self->r, "reap-delay-ms 10001",
			OOM_A_POLICY_REAP_DELAY_MS, OOM_REAP_DELAY_MAX_MS + 1,
			OOM_REAP_DELAY_MAX_MS);
	set_one_refused(_metadata, &self->c, &self->r, "reap-delay-ms 0xffffffff",
			OOM_A_POLICY_REAP_DELAY_MS, 0xffffffffu, OOM_REAP_DELAY_MAX_MS);
	set_one_refused(_metadata, &self->c, &self->r, "reap-delay-ms 0x80000000",
			OOM_A_POLICY_REAP_DELAY_MS, 0x80000000u, OOM_REAP_DELAY_MAX_MS);
}

TEST_F(input, bypass_2)
{
	set_one_refused(_metadata, &self->c, &self->r, "frozen-bypass 2",
			OOM_A_POLICY_FROZEN_BYPASS, 2, 1);
	set_one_refused(_metadata, &self->c, &self->r, "frozen-bypass 0xffffffff",
			OOM_A_POLICY_FROZEN_BYPASS, 0xffffffffu, 1);
}

TEST_F(input, order_2)
{
	set_one_refused(_metadata, &self->c, &self->r, "reap-order 2",
			OOM_A_POLICY_REAP_ORDER, 2, OOM_REAP_ORDER_REVERSE);
	set_one_refused(_metadata, &self->c, &self->r, "reap-order 0xffffffff",
			OOM_A_POLICY_REAP_ORDER, 0xffffffffu, OOM_REAP_ORDER_REVERSE);
}

/* Valid attributes around an invalid one: none of them may be applied. */
TEST_F(input, all_or_nothing)
{
	struct refusal f = { "", ERANGE, EINVAL, true, 0, -1 };
	struct nl_msg *m;

	m = oomnl_msg(&self->c, OOM_CMD_POLICY_SET);
	ASSERT_NE(NULL, m);
	nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 100);
	nla_put_u32(m, OOM_A_POLICY_FROZEN_BYPASS, 1);
	f.offs = next_offs(m);
	nla_put_u32(m, OOM_A_POLICY_REAP_ORDER, 2);
	f.what = "{delay 100, bypass 1, order 2}";
	expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);

	m = oomnl_msg(&self->c, OOM_CMD_POLICY_SET);
	ASSERT_NE(NULL, m);
	f.offs = next_offs(m);
	nla_put_u32(m, OOM_A_POLICY_FROZEN_BYPASS, 7);
	nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 100);
	nla_put_u32(m, OOM_A_POLICY_REAP_ORDER, OOM_REAP_ORDER_REVERSE);
	f.what = "{bypass 7, delay 100, order reverse}";
	expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);

	m = oomnl_msg(&self->c, OOM_CMD_POLICY_SET);
	ASSERT_NE(NULL, m);
	nla_put_u32(m, OOM_A_POLICY_REAP_ORDER, OOM_REAP_ORDER_REVERSE);
	f.offs = next_offs(m);
	nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, OOM_REAP_DELAY_MAX_MS + 1);
	f.what = "{order reverse, delay 10001}";
	expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);
}

TEST_F(input, empty_set)
{
	struct refusal f = { "empty policy-set", EINVAL, 0, true, NO_OFFS, -1 };
	struct nl_msg *m = oomnl_msg(&self->c, OOM_CMD_POLICY_SET);

	ASSERT_NE(NULL, m);
	expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);
}

/* Wrong payload sizes for u32 attributes, and the nested flag. */
TEST_F(input, wrong_type_or_length)
{
	static const struct {
		const char *what;
		int type;
		int len;
	} cases[] = {
		{ "reap-delay-ms as u8", OOM_A_POLICY_REAP_DELAY_MS, 1 },
		{ "reap-delay-ms as u16", OOM_A_POLICY_REAP_DELAY_MS, 2 },
		{ "reap-delay-ms of 3 bytes", OOM_A_POLICY_REAP_DELAY_MS, 3 },
		{ "reap-delay-ms as u64", OOM_A_POLICY_REAP_DELAY_MS, 8 },
		{ "reap-delay-ms empty", OOM_A_POLICY_REAP_DELAY_MS, 0 },
		{ "frozen-bypass as u8", OOM_A_POLICY_FROZEN_BYPASS, 1 },
		{ "frozen-bypass as u64", OOM_A_POLICY_FROZEN_BYPASS, 8 },
		{ "reap-order as u8", OOM_A_POLICY_REAP_ORDER, 1 },
		{ "reap-order as u64", OOM_A_POLICY_REAP_ORDER, 8 },
		{ "reap-order of 5 bytes", OOM_A_POLICY_REAP_ORDER, 5 },
		{ "reap-delay-ms flagged NLA_F_NESTED",
		  OOM_A_POLICY_REAP_DELAY_MS | NLA_F_NESTED, 4 },
	};
	/* Small values, valid in range, so only the size/type is wrong. */
	unsigned char val[8] = { 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct refusal f = { cases[i].what, EINVAL, 0, true, 0, -1 };
		struct nl_msg *m = oomnl_msg(&self->c, OOM_CMD_POLICY_SET);

		ASSERT_NE(NULL, m);
		f.offs = next_offs(m);
		ASSERT_EQ(0, nla_put(m, cases[i].type, cases[i].len, val));
		expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
		expect_unchanged(_metadata, &self->c, f.what);
	}
}

TEST_F(input, unknown_attribute)
{
	static const struct {
		const char *what;
		int type;
	} cases[] = {
		{ "attribute 0", 0 },
		{ "reap-delay-max-ms (read-only)", OOM_A_POLICY_REAP_DELAY_MAX_MS },
		/* policy-ntf's seq..changed-via have a set of their own now */
		{ "attribute __OOM_A_POLICY_MAX", __OOM_A_POLICY_MAX },
		{ "attribute __OOM_A_POLICY_NTF_MAX", __OOM_A_POLICY_NTF_MAX },
		{ "attribute 200", 200 },
		{ "attribute 0x3fff", 0x3fff },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct refusal f = { cases[i].what, EINVAL, 0, true, 0, -1 };
		struct nl_msg *m = oomnl_msg(&self->c, OOM_CMD_POLICY_SET);

		/* A valid change first: it must not be applied either. */
		ASSERT_NE(NULL, m);
		nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
		f.offs = next_offs(m);
		ASSERT_EQ(0, nla_put_u32(m, cases[i].type, 1));
		expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
		expect_unchanged(_metadata, &self->c, f.what);
	}
}

/* Requests without attributes in the spec take none. */
TEST_F(input, attributes_on_get)
{
	static const uint8_t cmds[] = { OOM_CMD_POLICY_GET, OOM_CMD_STATS_GET };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct refusal f = { oomnl_cmd_name(cmds[i]), EINVAL, 0, true, 0, -1 };
		struct nl_msg *m = oomnl_msg(&self->c, cmds[i]);

		ASSERT_NE(NULL, m);
		f.offs = next_offs(m);
		nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
		expect_refused(_metadata, &self->r, xfer_free(&self->c, m, &self->r), &f);
	}
	expect_unchanged(_metadata, &self->c, "attributes on get");
}

/* ---- hand-made messages ---- */

struct raw {
	unsigned char b[72 * 1024] __attribute__((aligned(8)));
	size_t len;
};

static struct nlmsghdr *raw_start(struct raw *m, int family, uint8_t cmd,
				  uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->b;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->b + NLMSG_HDRLEN);

	memset(m->b, 0, sizeof(m->b));
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = OOM_FAMILY_VERSION;
	m->len = ATTR0;
	nlh->nlmsg_len = m->len;
	return nlh;
}

/* Append an attribute; returns its offset. */
static int raw_attr(struct raw *m, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(m->b + m->len);
	int offs = m->len;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	((struct nlmsghdr *)m->b)->nlmsg_len = m->len;
	return offs;
}

static int raw_u32(struct raw *m, uint16_t type, uint32_t v)
{
	return raw_attr(m, type, &v, sizeof(v));
}

#define REQ (NLM_F_REQUEST | NLM_F_ACK)

/* The genl header is cut short (nlmsg_len says so). */
TEST_F(input, truncated_header)
{
	struct refusal f = { "", EINVAL, 0, false, NO_OFFS, -1 };
	struct raw *m = malloc(sizeof(*m));
	struct nlmsghdr *nlh;

	ASSERT_NE(NULL, m);
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	f.what = "half a genl header";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, nlh->nlmsg_len, &self->r), &f);
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	f.what = "no genl header";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, nlh->nlmsg_len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, "truncated headers");
	free(m);
}

/* The last attribute runs past the end of the message. */
TEST_F(input, truncated_attribute)
{
	struct refusal f = { "", EINVAL, 0, true, NO_OFFS, -1 };
	struct raw *m = malloc(sizeof(*m));
	struct nlmsghdr *nlh;

	ASSERT_NE(NULL, m);
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	raw_u32(m, OOM_A_POLICY_REAP_ORDER, OOM_REAP_ORDER_REVERSE);
	nlh->nlmsg_len -= 2;		/* order: header + 2 of its 4 bytes */
	f.what = "attribute cut after 2 of 4 bytes";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, nlh->nlmsg_len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);

	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	raw_u32(m, OOM_A_POLICY_REAP_ORDER, OOM_REAP_ORDER_REVERSE);
	nlh->nlmsg_len -= 6;		/* order: 2 bytes of its header */
	f.what = "attribute header cut in half";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, nlh->nlmsg_len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);

	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	((struct nlattr *)(m->b + ATTR0))->nla_len = 2;	/* shorter than its header */
	f.what = "nla_len 2";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, nlh->nlmsg_len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);
	free(m);
}

/*
 * The datagram is shorter than its nlmsg_len: netlink drops it without an
 * answer.  The next request on the same socket gets its own answer, nothing
 * for the dropped one, and nothing was applied.
 */
TEST_F(input, truncated_datagram)
{
	struct raw *m = malloc(sizeof(*m));
	struct nlmsghdr *nlh;
	struct oom_pol p;
	int seq, err;

	ASSERT_NE(NULL, m);
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	raw_u32(m, OOM_A_POLICY_FROZEN_BYPASS, 1);
	seq = oomnl_send_raw(&self->c, m->b, nlh->nlmsg_len - 8);
	ASSERT_LT(0, seq) TH_LOG("send: %s", strerror(-seq));
	err = oomnl_policy_get(&self->c, &p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-get after it: %s", self->why);
	EXPECT_EQ(0, self->r.stray)
		TH_LOG("%d unexpected message(s), first with seq %u (the truncated one was %d)",
		       self->r.stray, self->r.stray_seq, seq);
	expect_unchanged(_metadata, &self->c, "a truncated datagram");
	free(m);
}

TEST_F(input, oversized)
{
	struct refusal f = { "", EINVAL, 0, true, NO_OFFS, -1 };
	struct raw *m = malloc(sizeof(*m));
	static unsigned char big[65000];
	struct nlmsghdr *nlh;
	int i;

	ASSERT_NE(NULL, m);
	/* A valid request followed by 60 KiB of zeros inside the message. */
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	m->len += 60 * 1024;
	nlh->nlmsg_len = m->len;
	f.what = "valid attribute + 60 KiB of zeros";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);

	/* One u32 attribute with 65000 bytes of payload. */
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	big[0] = 1;
	f.offs = raw_attr(m, OOM_A_POLICY_REAP_DELAY_MS, big, sizeof(big));
	f.what = "reap-delay-ms of 65000 bytes";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);

	/* 5000 valid attributes and one bad one at the end: nothing applied,
	 * and the extack points at the bad one far into the message. */
	nlh = raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	for (i = 0; i < 5000; i++)
		raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 100 + i);
	f.offs = raw_u32(m, OOM_A_POLICY_REAP_ORDER, 2);
	f.err1 = ERANGE, f.err2 = EINVAL;
	f.what = "5000 valid attributes then reap-order 2";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, f.what);
	free(m);
}

TEST_F(input, unknown_command)
{
	static const uint8_t cmds[] = {
		0, OOM_CMD_POLICY_NTF, OOM_CMD_VICTIM_NTF, OOM_CMD_REAP_QUEUED_NTF,
		OOM_CMD_REAP_DONE_NTF, OOM_CMD_VICTIM_FREED_NTF, __OOM_CMD_MAX, 100, 255,
	};
	struct raw *m = malloc(sizeof(*m));
	char what[64];
	size_t i;

	ASSERT_NE(NULL, m);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct refusal f = { what, EOPNOTSUPP, 0, false, NO_OFFS, -1 };

		snprintf(what, sizeof(what), "command %u", cmds[i]);
		raw_start(m, self->c.family, cmds[i], REQ);
		raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
		expect_refused(_metadata, &self->r,
			       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);
	}
	/* The commands exist only as "do": a dump is unknown too. */
	for (i = OOM_CMD_POLICY_GET; i <= OOM_CMD_STATS_GET; i++) {
		struct refusal f = { what, EOPNOTSUPP, 0, false, NO_OFFS, -1 };

		snprintf(what, sizeof(what), "%s as a dump", oomnl_cmd_name(i));
		raw_start(m, self->c.family, i, REQ | NLM_F_DUMP);
		expect_refused(_metadata, &self->r,
			       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);
	}
	expect_unchanged(_metadata, &self->c, "unknown commands");
	free(m);
}

/* What the generic netlink core checks for new families (resv_start_op). */
TEST_F(input, bad_genl_header)
{
	struct refusal f = { "", EINVAL, 0, true, NO_OFFS, -1 };
	struct raw *m = malloc(sizeof(*m));

	ASSERT_NE(NULL, m);
	raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ);
	((struct genlmsghdr *)(m->b + NLMSG_HDRLEN))->reserved = 1;
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	f.what = "genlmsghdr.reserved 1";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);

	raw_start(m, self->c.family, OOM_CMD_POLICY_SET, REQ | NLM_F_CREATE);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	f.what = "NLM_F_CREATE";
	expect_refused(_metadata, &self->r,
		       oomnl_xfer_raw(&self->c, m->b, m->len, &self->r), &f);
	expect_unchanged(_metadata, &self->c, "bad genl headers");
	free(m);
}

/* Without NLM_F_REQUEST the kernel acks and does nothing. */
TEST_F(input, not_a_request)
{
	struct raw *m = malloc(sizeof(*m));
	int err;

	ASSERT_NE(NULL, m);
	raw_start(m, self->c.family, OOM_CMD_POLICY_SET, NLM_F_ACK);
	raw_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 42);
	err = oomnl_xfer_raw(&self->c, m->b, m->len, &self->r);
	ASSERT_EQ(0, err) TH_LOG("no answer: %s", strerror(-err));
	EXPECT_EQ(0, self->r.nreplies);
	expect_unchanged(_metadata, &self->c, "a message without NLM_F_REQUEST");
	free(m);
}

TEST_HARNESS_MAIN
