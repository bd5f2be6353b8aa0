// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what the kernel sends oomctl, parsed as nl.c and
 * oomnl.c parse it.  The input is one receive buffer, taken three ways: as
 * the replies to a policy-set, a stats-get and a family lookup, acks and
 * extended acks included (nl_dispatch()), and as a buffer of notifications
 * for the monitor (oom_parse_event(), each event then printed).  What a
 * parser accepts must hold what it promises.
 */
#include <string.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "oomnl.h"
#include "output.h"

#define FAMILY	0x1a	/* the oom family's id in the seeds */
#define PORTID	4242	/* our socket's in the seeds */
#define SEQ	1

/* The three requests, built once as oomctl builds them */
static struct nlmsghdr *req_set, *req_stats, *req_family;

static struct nlmsghdr *request(uint16_t type, uint8_t cmd)
{
	void *buf = calloc(1, MNL_SOCKET_BUFFER_SIZE);
	struct policy p = { .val = { 250, 1, 0 }, .have = 7 };
	struct nlmsghdr *nlh;

	if (!buf)
		abort();
	if (cmd == OOM_CMD_POLICY_SET) {
		nlh = oom_policy_set_msg(buf, type, &p);
	} else {
		nlh = genl_msg(buf, type, cmd, 1, SEQ);
		if (type == GENL_ID_CTRL)
			mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, OOM_FAMILY_NAME);
	}
	nlh->nlmsg_seq = SEQ;
	return nlh;
}

static void replies(const char *buf, size_t len)
{
	struct genl_family_info fi;
	struct oom_stats st;
	struct policy p;
	struct nl_err e;

	nl_err_clear(&e);
	memset(&p, 0, sizeof(p));
	if (nl_dispatch(buf, len, PORTID, req_set, oom_policy_cb, &p, &e) >= 0 && p.have)
		FUZZ_ASSERT(p.have == (1u << NSETTINGS) - 1);
	nl_err_clear(&e);
	if (nl_dispatch(buf, len, PORTID, req_stats, oom_stats_cb, &st, &e) < 0)
		FUZZ_ASSERT(e.code > 0 && e.code <= 4095);
	nl_err_clear(&e);
	memset(&fi, 0, sizeof(fi));
	if (nl_dispatch(buf, len, PORTID, req_family, genl_family_cb, &fi, &e) >= 0)
		FUZZ_ASSERT(fi.ngroups <= GENL_MAX_GROUPS);
}

/* The monitor's loop over a buffer of notifications (monitor_src.c) */
static void notifications(const char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	size_t left = len;
	struct event ev;
	struct nl_err e;

	for (; nl_msg_ok(nlh, left); nlh = nl_msg_next(nlh, &left)) {
		if (nlh->nlmsg_type != FAMILY)
			continue;
		nl_err_clear(&e);
		if (oom_parse_event(nlh, &ev, &e))
			continue;
		FUZZ_ASSERT(ev.type < EV_NTYPES && ev.has_seq && ev.has_ts);
		for (int json = 0; json < 2; json++) {
			out_init(fuzz_devnull(), json, false);
			event_print(&ev, !json);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/*
	 * Aligned as a socket's receive buffer is (malloc), and exactly the
	 * input's size, so that ASan sees a read past its end
	 */
	char *buf;

	if (size > 16384)
		return 0;	/* more than nl.c's receive buffer holds */
	if (!req_set) {
		req_set = request(FAMILY, OOM_CMD_POLICY_SET);
		req_stats = request(FAMILY, OOM_CMD_STATS_GET);
		req_family = request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	}
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	replies(buf, size);
	notifications(buf, size);
	free(buf);
	return 0;
}
