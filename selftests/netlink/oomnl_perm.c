// SPDX-License-Identifier: GPL-2.0
/*
 * "oom" family, permissions.  policy-set needs CAP_NET_ADMIN (GENL_ADMIN_PERM,
 * checked by genetlink before the request is parsed, so that a caller
 * without it learns nothing from validation errors) and CAP_SYS_ADMIN
 * (checked by the family), both in the initial user namespace, of both the
 * task and the socket's opener (netlink_capable); CAP_NET_ADMIN alone is
 * not enough.  The family lives in the initial network namespace only: it
 * is not visible from another one, and a socket of another one cannot join
 * its groups (ENOENT).  Joining "events" needs CAP_SYS_ADMIN; "config" and
 * policy-get are for everyone.  Each refused change leaves the policy as
 * it was.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/capability.h>
#include <netlink/genl/ctrl.h>

#include "kselftest_harness.h"
#include "oomnl_test.h"

#define P0_DELAY	1500
#define P0_BYPASS	0
#define P0_ORDER	OOM_REAP_ORDER_FORWARD
#define CHILD_MS	15000

/* Child side: print why and return a distinct code. */
#define CFAIL(code, fmt, ...) do { \
	fprintf(stderr, "# child %d: " fmt "\n", getpid(), ##__VA_ARGS__); \
	return (code); \
} while (0)

FIXTURE(perm) {
	struct oomnl c;
	struct oomnl_reply r;
	char why[256];
	int to_child[2], to_parent[2];
};

FIXTURE_SETUP(perm)
{
	struct oom_pol p;
	int err;

	OOMNL_REQUIRE_FAMILY();
	err = oomnl_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("open: %s", strerror(-err));
	err = oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(P0_DELAY, P0_BYPASS, P0_ORDER),
			       &p, &self->r, self->why, sizeof(self->why));
	ASSERT_EQ(0, err) TH_LOG("policy-set: %s", self->why);
	ASSERT_EQ(0, pipe(self->to_child));
	ASSERT_EQ(0, pipe(self->to_parent));
}

FIXTURE_TEARDOWN(perm)
{
	oomnl_close(&self->c);
	EXPECT_EQ(0, oomnl_restore_defaults());
}

static void expect_unchanged(struct __test_metadata *_metadata, struct oomnl *c,
			     const char *after)
{
	struct oomnl_reply r;
	struct oom_pol p;
	char why[256], buf[96];
	int err;

	err = oomnl_policy_get(c, &p, &r, why, sizeof(why));
	ASSERT_EQ(0, err) TH_LOG("policy-get after %s: %s", after, why);
	EXPECT_TRUE(pol_is(&p, P0_DELAY, P0_BYPASS, P0_ORDER))
		TH_LOG("after %s the policy is %s", after, pol_str(&p, buf, sizeof(buf)));
}

static int send_byte(int fd, char c)
{
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

/* Wait for one byte: it, or -1 on timeout/EOF. */
static int wait_byte(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&pfd, 1, ms) != 1 || read(fd, &c, 1) != 1)
		return -1;
	return c;
}

/* The policy-set requests a non-admin tries. */
static const struct oom_pol_set attempts[] = {
	{ .has_delay = true, .delay_ms = 1 },
	{ .has_bypass = true, .frozen_bypass = 1 },
	{ .has_order = true, .order = OOM_REAP_ORDER_REVERSE },
	OOM_POL_SET_ALL(9000, 1, OOM_REAP_ORDER_REVERSE),
};

/* Every attempt fails with EPERM; policy-get works and shows P0. */
static int try_as_nonadmin(struct oomnl *c, bool events_must_fail)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oom_pol p;
	char why[256];
	size_t i;
	int err;

	if (!r)
		CFAIL(10, "out of memory");
	err = oomnl_policy_get(c, &p, r, why, sizeof(why));
	if (err)
		CFAIL(11, "policy-get refused: %s", why);
	if (!pol_is(&p, P0_DELAY, P0_BYPASS, P0_ORDER))
		CFAIL(12, "policy-get shows %u/%u/%u", p.delay_ms, p.frozen_bypass, p.order);
	for (i = 0; i < ARRAY_SIZE(attempts); i++) {
		err = oomnl_policy_set(c, &attempts[i], &p, r, why, sizeof(why));
		if (err != -EPERM)
			CFAIL(13, "policy-set attempt %zu: %s, expected EPERM",
			      i, err ? why : "accepted");
	}
	err = oomnl_join(c, OOM_MCGRP_EVENTS);
	if (events_must_fail && err != -EPERM)
		CFAIL(14, "joining \"events\": %s, expected EPERM",
		      err ? strerror(-err) : "allowed");
	err = oomnl_join(c, OOM_MCGRP_CONFIG);
	if (err)
		CFAIL(15, "joining \"config\": %s", strerror(-err));
	free(r);
	return 0;
}

static int child_user(void *arg)
{
	uid_t uid = *(uid_t *)arg;
	uint64_t eff, prm;
	struct oomnl c;
	int err;

	if (drop_to_user(uid, uid))
		CFAIL(1, "setresuid(%u): %s", uid, strerror(errno));
	if (caps_get(&eff, &prm) || eff || prm)
		CFAIL(2, "capabilities left after setresuid: %#llx/%#llx",
		      (unsigned long long)eff, (unsigned long long)prm);
	err = oomnl_open(&c);
	if (err)
		CFAIL(3, "resolving the family as uid %u: %s", uid, strerror(-err));
	err = try_as_nonadmin(&c, true);
	oomnl_close(&c);
	return err;
}

TEST_F(perm, unprivileged_user)
{
	uid_t uid = OOMNL_UID_NOBODY;

	EXPECT_EQ(0, run_in_child(child_user, &uid, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "attempts as nobody");
	uid = OOMNL_UID_TEST;
	EXPECT_EQ(0, run_in_child(child_user, &uid, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "attempts as uid 1000");
}

/*
 * Invalid policy-set requests: out of range, unknown or wrong-size
 * attributes, none at all.  Without CAP_NET_ADMIN each one is refused with
 * EPERM before it is parsed, with nothing in the extended ACK that points
 * at an attribute or tells a range; with CAP_NET_ADMIN (and without
 * CAP_SYS_ADMIN) the parser sees them first.
 */
enum { BAD_DELAY, BAD_BYPASS, BAD_ORDER, BAD_SIZE, BAD_UNKNOWN, BAD_EMPTY, NBAD };

static const char *const bad_names[NBAD] = {
	[BAD_DELAY] = "reap-delay-ms above reap-delay-max-ms",
	[BAD_BYPASS] = "frozen-bypass 2",
	[BAD_ORDER] = "reap-order 2",
	[BAD_SIZE] = "reap-delay-ms as 2 bytes",
	[BAD_UNKNOWN] = "an attribute policy-set does not take",
	[BAD_EMPTY] = "no attribute",
};

/* Send invalid request @k: the kernel's -errno, @r filled in. */
static int send_invalid(struct oomnl *c, int k, struct oomnl_reply *r)
{
	struct nl_msg *m = oomnl_msg(c, OOM_CMD_POLICY_SET);
	uint16_t small = 100;
	int err;

	if (!m)
		return -ENOMEM;
	switch (k) {
	case BAD_DELAY:
		nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, OOM_REAP_DELAY_MAX_MS + 1);
		break;
	case BAD_BYPASS:
		nla_put_u32(m, OOM_A_POLICY_FROZEN_BYPASS, 2);
		break;
	case BAD_ORDER:
		nla_put_u32(m, OOM_A_POLICY_REAP_ORDER, 2);
		break;
	case BAD_SIZE:
		nla_put(m, OOM_A_POLICY_REAP_DELAY_MS, sizeof(small), &small);
		break;
	case BAD_UNKNOWN:
		nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MAX_MS, 1);
		break;
	}
	err = oomnl_xfer(c, m, r);
	nlmsg_free(m);
	return err ? err : -r->error;
}

static int child_unpriv_invalid(void *arg)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oomnl c;
	int k, err;

	(void)arg;
	if (!r)
		CFAIL(1, "out of memory");
	if (drop_to_user(OOMNL_UID_NOBODY, OOMNL_UID_NOBODY))
		CFAIL(2, "setresuid: %s", strerror(errno));
	err = oomnl_open(&c);
	if (err)
		CFAIL(3, "open: %s", strerror(-err));
	for (k = 0; k < NBAD; k++) {
		memset(r, 0, sizeof(*r));
		err = send_invalid(&c, k, r);
		if (err != -EPERM)
			CFAIL(10 + k, "policy-set with %s as nobody: %s, expected EPERM (validation before the permission check)",
			      bad_names[k], err ? strerror(-err) : "accepted");
		if (r->has_offs || r->has_pol_max || r->has_miss)
			CFAIL(20 + k, "policy-set with %s as nobody: the extended ACK points at an attribute (offs %d, policy %d, missing %d)",
			      bad_names[k], r->has_offs, r->has_pol_max, r->has_miss);
		if (strstr(r->msg, "range") || strstr(r->msg, "attribute"))
			CFAIL(30 + k, "policy-set with %s as nobody: the kernel told \"%s\"",
			      bad_names[k], r->msg);
	}
	oomnl_close(&c);
	free(r);
	return 0;
}

TEST_F(perm, unprivileged_invalid_set_is_eperm)
{
	EXPECT_EQ(0, run_in_child(child_unpriv_invalid, NULL, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "invalid attempts as nobody");
}

/* The contrast: with CAP_NET_ADMIN the request is parsed before the family
 * checks CAP_SYS_ADMIN, so the validation errors come back. */
static int child_net_admin_invalid(void *arg)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oomnl c;
	int k, err;

	(void)arg;
	if (!r)
		CFAIL(1, "out of memory");
	if (caps_drop(CAP_SYS_ADMIN))
		CFAIL(2, "dropping CAP_SYS_ADMIN: %s", strerror(errno));
	err = oomnl_open(&c);
	if (err)
		CFAIL(3, "open: %s", strerror(-err));
	for (k = 0; k < NBAD; k++) {
		bool parse_error = k != BAD_EMPTY;

		memset(r, 0, sizeof(*r));
		err = send_invalid(&c, k, r);
		/* An empty request parses: the family refuses it for lack of
		 * CAP_SYS_ADMIN before it looks for a setting. */
		if (parse_error ? (err != -EINVAL && err != -ERANGE) : err != -EPERM)
			CFAIL(10 + k, "policy-set with %s with CAP_NET_ADMIN only: %s, expected %s",
			      bad_names[k], err ? strerror(-err) : "accepted",
			      parse_error ? "EINVAL or ERANGE" : "EPERM");
		if (parse_error && !r->has_offs)
			CFAIL(20 + k, "policy-set with %s with CAP_NET_ADMIN only: no attribute offset in the extended ACK",
			      bad_names[k]);
	}
	oomnl_close(&c);
	free(r);
	return 0;
}

TEST_F(perm, net_admin_sees_validation_errors)
{
	EXPECT_EQ(0, run_in_child(child_net_admin_invalid, NULL, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "invalid attempts with CAP_NET_ADMIN only");
}

/* root without CAP_SYS_ADMIN but with CAP_NET_ADMIN (GENL_ADMIN_PERM). */
static int child_net_admin_only(void *arg)
{
	uint64_t eff;
	struct oomnl c;
	int err;

	(void)arg;
	if (caps_drop(CAP_SYS_ADMIN))
		CFAIL(1, "dropping CAP_SYS_ADMIN: %s", strerror(errno));
	if (caps_get(&eff, NULL) || (eff & (1ULL << CAP_SYS_ADMIN)) ||
	    !(eff & (1ULL << CAP_NET_ADMIN)))
		CFAIL(2, "capabilities %#llx", (unsigned long long)eff);
	err = oomnl_open(&c);
	if (err)
		CFAIL(3, "open: %s", strerror(-err));
	err = try_as_nonadmin(&c, true);
	oomnl_close(&c);
	return err;
}

TEST_F(perm, cap_net_admin_is_not_enough)
{
	EXPECT_EQ(0, run_in_child(child_net_admin_only, NULL, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "attempts with CAP_NET_ADMIN only");
}

/* A socket root opened, used after dropping to nobody: the task counts. */
static int child_root_socket_then_drop(void *arg)
{
	struct oomnl c;
	int err;

	(void)arg;
	err = oomnl_open(&c);
	if (err)
		CFAIL(1, "open: %s", strerror(-err));
	if (drop_to_user(OOMNL_UID_NOBODY, OOMNL_UID_NOBODY))
		CFAIL(2, "setresuid: %s", strerror(errno));
	err = try_as_nonadmin(&c, true);
	oomnl_close(&c);
	return err;
}

TEST_F(perm, root_socket_used_by_nobody)
{
	EXPECT_EQ(0, run_in_child(child_root_socket_then_drop, NULL, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "attempts as nobody on root's socket");
}

/*
 * nobody opens a socket and hands it to root, who write(2)s a policy-set to
 * it: netlink_capable() also checks the opener when the sender names no
 * destination (the confused-deputy case: a privileged program writing to a
 * descriptor it was given).  With sendto(2) and the kernel's address
 * (NETLINK_SKB_DST) only the sender's capabilities count, by design.
 */
static int child_send_unpriv_socket(void *arg)
{
	int sv = *(int *)arg;
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "s", .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	struct oomnl c;
	int err;

	if (drop_to_user(OOMNL_UID_NOBODY, OOMNL_UID_NOBODY))
		CFAIL(1, "setresuid: %s", strerror(errno));
	err = oomnl_open(&c);
	if (err)
		CFAIL(2, "open: %s", strerror(-err));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &(int){ nl_socket_get_fd(c.sk) }, sizeof(int));
	if (sendmsg(sv, &mh, 0) != 1)
		CFAIL(3, "sendmsg: %s", strerror(errno));
	oomnl_close(&c);
	return 0;
}

static int recv_fd(int sv, int ms)
{
	char cbuf[CMSG_SPACE(sizeof(int))], b;
	struct iovec iov = { .iov_base = &b, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = sv, .events = POLLIN };
	struct cmsghdr *cm;
	int fd;

	if (poll(&pfd, 1, ms) != 1 || recvmsg(sv, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	return fd;
}

TEST_F(perm, nobody_socket_used_by_root)
{
	struct oom_pol p;
	struct oomnl c;
	int sv[2], fd, err;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	pid = start_child(child_send_unpriv_socket, &sv[1]);
	ASSERT_LT(0, pid);
	fd = recv_fd(sv[0], CHILD_MS);
	ASSERT_EQ(0, finish_child(pid, CHILD_MS));
	ASSERT_LE(0, fd) TH_LOG("no socket from the child");
	ASSERT_EQ(0, oomnl_adopt_fd(&c, fd, &self->c));

	/* We are root with every capability; the socket's opener was not. */
	c.use_write = true;
	err = oomnl_policy_set(&c, &OOM_POL_SET_ALL(9000, 1, OOM_REAP_ORDER_REVERSE),
			       &p, &self->r, self->why, sizeof(self->why));
	EXPECT_EQ(-EPERM, err)
		TH_LOG("policy-set written to a socket nobody opened: %s (netlink_capable() must check the opener)",
		       err ? self->why : "accepted");
	expect_unchanged(_metadata, &self->c, "policy-set written to nobody's socket");
	err = oomnl_policy_get(&c, &p, &self->r, self->why, sizeof(self->why));
	EXPECT_EQ(0, err) TH_LOG("policy-get: %s", self->why);
	c.use_write = false;
	err = oomnl_policy_set(&c, &OOM_POL_SET_ALL(9000, 1, OOM_REAP_ORDER_REVERSE),
			       &p, &self->r, self->why, sizeof(self->why));
	TH_LOG("the same with sendto(2) to the kernel's address: %s",
	       err ? self->why : "accepted (only the sender's capabilities count)");
	oomnl_close(&c);
	close(sv[0]);
	close(sv[1]);
}

/* Positive control for the EPERMs above. */
TEST_F(perm, root_may_join_both_groups)
{
	struct oomnl sub;

	ASSERT_EQ(0, oomnl_open(&sub));
	EXPECT_EQ(0, oomnl_join(&sub, OOM_MCGRP_EVENTS));
	EXPECT_EQ(0, oomnl_join(&sub, OOM_MCGRP_CONFIG));
	oomnl_close(&sub);
}

/* nobody on "config" sees policy changes. */
struct watch_arg {
	int rfd, wfd;
	uint32_t delay;
};

static int child_watch_config(void *p)
{
	struct watch_arg *a = p;
	struct oom_ntf n;
	struct oomnl c;
	char why[256];
	int err;

	if (drop_to_user(OOMNL_UID_NOBODY, OOMNL_UID_NOBODY))
		CFAIL(1, "setresuid: %s", strerror(errno));
	err = oomnl_open(&c);
	if (err)
		CFAIL(2, "open: %s", strerror(-err));
	err = oomnl_join(&c, OOM_MCGRP_CONFIG);
	if (err)
		CFAIL(3, "joining \"config\" as nobody: %s", strerror(-err));
	send_byte(a->wfd, 'j');
	err = oomnl_ntf_next(&c, &n, CHILD_MS, why, sizeof(why));
	if (err)
		CFAIL(4, "waiting for the notification: %s", why);
	if (n.cmd != OOM_CMD_POLICY_NTF || n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS] != a->delay)
		CFAIL(5, "got %s with delay %llu", oomnl_cmd_name(n.cmd),
		      (unsigned long long)n.v[OOM_A_POLICY_NTF_REAP_DELAY_MS]);
	oomnl_close(&c);
	return 0;
}

TEST_F(perm, nobody_watches_config)
{
	struct watch_arg a = { self->to_parent[0], self->to_parent[1], 4321 };
	struct oom_pol p;
	pid_t pid;

	pid = start_child(child_watch_config, &a);
	ASSERT_LT(0, pid);
	ASSERT_EQ('j', wait_byte(self->to_parent[0], CHILD_MS))
		TH_LOG("the child did not join; status %d", finish_child(pid, CHILD_MS));
	ASSERT_EQ(0, oomnl_policy_set(&self->c,
				      &(struct oom_pol_set){ .has_delay = true, .delay_ms = 4321 },
				      &p, &self->r, self->why, sizeof(self->why)));
	EXPECT_EQ(0, finish_child(pid, CHILD_MS));
	/* Put P0 back for the teardown's sake. */
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(P0_DELAY, P0_BYPASS, P0_ORDER),
				      &p, &self->r, self->why, sizeof(self->why)));
}

/* ---- namespaces ---- */

static int write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(s, f) >= 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* New user namespace where we are uid 0 with every capability. */
static int enter_userns(int extra_flags)
{
	if (unshare(CLONE_NEWUSER | extra_flags))
		return -1;
	if (write_str("/proc/self/setgroups", "deny") ||
	    write_str("/proc/self/uid_map", "0 0 1") ||
	    write_str("/proc/self/gid_map", "0 0 1"))
		return -2;
	return 0;
}

static int child_userns_root(void *arg)
{
	uint64_t eff;
	struct oomnl c;
	int err;

	(void)arg;
	err = enter_userns(0);
	if (err)
		CFAIL(1, "entering a user namespace (step %d): %s", -err, strerror(errno));
	if (getuid() != 0 || caps_get(&eff, NULL) || !(eff & (1ULL << CAP_SYS_ADMIN)))
		CFAIL(2, "not root with CAP_SYS_ADMIN in the new user namespace");
	err = oomnl_open(&c);
	if (err)
		CFAIL(3, "the family must stay visible (same network namespace): %s",
		      strerror(-err));
	err = try_as_nonadmin(&c, true);
	oomnl_close(&c);
	return err;
}

TEST_F(perm, root_in_user_namespace)
{
	EXPECT_EQ(0, run_in_child(child_userns_root, NULL, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "attempts from a user namespace");
}

struct netns_arg {
	int flags;		/* extra CLONE_* besides CLONE_NEWNET */
	int family;		/* the family id in the initial namespace */
	int rfd, wfd;		/* sync: parent -> child, child -> parent */
};

/* A raw request to the family id: the kernel's errno (positive). */
static int raw_cmd(struct oomnl *c, int family, uint8_t cmd, bool with_attr)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oomnl tmp = *c;
	struct nl_msg *m;
	int err;

	tmp.family = family;
	m = oomnl_msg(&tmp, cmd);
	if (!r || !m)
		return -ENOMEM;
	if (with_attr)
		nla_put_u32(m, OOM_A_POLICY_REAP_DELAY_MS, 9000);
	err = oomnl_xfer(c, m, r);
	nlmsg_free(m);
	if (!err)
		err = r->error;
	free(r);
	return err;
}

/*
 * A CTRL_CMD_GETPOLICY dump for the family, by name or by the id from the
 * initial namespace: the kernel's errno, or EEXIST if it answered with
 * the policy.
 */
static int ctrl_policy_dump(struct oomnl *c, int family, bool by_name)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct nl_msg *m = nlmsg_alloc();
	int err = ENOMEM;

	if (r && m && genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
				  NLM_F_DUMP, CTRL_CMD_GETPOLICY, 1)) {
		if (by_name)
			nla_put_string(m, CTRL_ATTR_FAMILY_NAME, OOM_FAMILY_NAME);
		else
			nla_put_u16(m, CTRL_ATTR_FAMILY_ID, family);
		err = abs(oomnl_xfer(c, m, r));
		if (r->nreplies)
			err = EEXIST;
		else if (!err)
			err = r->error;
	}
	nlmsg_free(m);
	free(r);
	return err;
}

static int child_netns(void *p)
{
	struct netns_arg *a = p;
	struct nl_sock *sk;
	struct oomnl c;
	int err, id;

	if (a->flags & CLONE_NEWUSER)
		err = enter_userns(CLONE_NEWNET);
	else
		err = unshare(CLONE_NEWNET);
	if (err)
		CFAIL(1, "unshare: %s", strerror(errno));
	err = oomnl_socket(&c);
	if (err)
		CFAIL(2, "socket: %s", strerror(-err));
	err = oomnl_resolve(&c);
	if (err != -ENOENT)
		CFAIL(3, "CTRL_CMD_GETFAMILY \"oom\" in a new netns: %s, expected ENOENT",
		      err ? strerror(-err) : "found");
	/* libnl's resolver agrees. */
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		CFAIL(4, "libnl socket");
	id = genl_ctrl_resolve(sk, OOM_FAMILY_NAME);
	nl_socket_free(sk);
	if (id >= 0)
		CFAIL(5, "genl_ctrl_resolve found the family: %d", id);
	/* The id is global: a request sent to it blindly is refused too. */
	err = raw_cmd(&c, a->family, OOM_CMD_POLICY_SET, true);
	if (err != ENOENT)
		CFAIL(6, "policy-set to family id %d: %s, expected ENOENT", a->family,
		      err ? strerror(abs(err)) : "accepted");
	err = raw_cmd(&c, a->family, OOM_CMD_POLICY_GET, false);
	if (err != ENOENT)
		CFAIL(7, "policy-get to family id %d: %s, expected ENOENT", a->family,
		      err ? strerror(abs(err)) : "answered");
	err = raw_cmd(&c, a->family, OOM_CMD_STATS_GET, false);
	if (err != ENOENT)
		CFAIL(8, "stats-get to family id %d: %s, expected ENOENT", a->family,
		      err ? strerror(abs(err)) : "answered");
	/* Nor does a policy dump find it (it did before the series' genetlink policy-dump patch) */
	err = ctrl_policy_dump(&c, a->family, true);
	if (err != ENOENT)
		CFAIL(9, "CTRL_CMD_GETPOLICY dump of \"oom\": %s, expected ENOENT",
		      err == EEXIST ? "the policy came" : strerror(err));
	err = ctrl_policy_dump(&c, a->family, false);
	if (err != ENOENT)
		CFAIL(10, "CTRL_CMD_GETPOLICY dump of family id %d: %s, expected ENOENT",
		      a->family, err == EEXIST ? "the policy came" : strerror(err));

	oomnl_close(&c);
	return 0;
}

static int join_id(struct oomnl *c, int id)
{
	return setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK,
			  NETLINK_ADD_MEMBERSHIP, &id, sizeof(id)) ? -errno : 0;
}

/*
 * As child_netns: joining the groups by their ids (resolved in the initial
 * namespace) is refused with ENOENT, as for a family that does not exist
 * there, and no notification crosses over.  (Before genetlink refused,
 * the join was allowed and only the sending side kept the notifications
 * in the initial namespace, while such a listener made the family build
 * events for nobody.)
 */
struct leak_arg {
	struct netns_arg ns;
	int grp_config, grp_events;
};

static int child_netns_listen(void *p)
{
	struct leak_arg *a = p;
	struct oom_ntf n;
	struct oomnl c;
	char why[256];
	int err, ec, ee;

	if (a->ns.flags & CLONE_NEWUSER)
		err = enter_userns(CLONE_NEWNET);
	else
		err = unshare(CLONE_NEWNET);
	if (err)
		CFAIL(1, "unshare: %s", strerror(errno));
	err = oomnl_socket(&c);
	if (err)
		CFAIL(2, "socket: %s", strerror(-err));
	c.family = a->ns.family;
	ec = join_id(&c, a->grp_config);
	ee = join_id(&c, a->grp_events);
	if (ec != -ENOENT || ee != -ENOENT)
		CFAIL(5, "in the new netns joining config: %s, events: %s, expected ENOENT for both",
		      ec ? strerror(-ec) : "allowed", ee ? strerror(-ee) : "allowed");
	send_byte(a->ns.wfd, 'r');
	if (wait_byte(a->ns.rfd, CHILD_MS) != 'g')
		CFAIL(3, "no go from the parent");
	/* The parent's change was delivered (it saw it) before 'g'. */
	err = oomnl_ntf_next(&c, &n, 0, why, sizeof(why));
	if (err != -ETIMEDOUT)
		CFAIL(4, "a notification crossed into another network namespace: %s",
		      err ? why : oomnl_cmd_name(n.cmd));
	oomnl_close(&c);
	return 0;
}

static void netns_case(struct __test_metadata *_metadata, FIXTURE_DATA(perm) *self,
		       int flags)
{
	struct netns_arg a = { flags, self->c.family, self->to_child[0], self->to_parent[1] };
	struct leak_arg l = { a, self->c.grp_config, self->c.grp_events };
	struct oom_ntf n;
	struct oomnl sub;
	struct oom_pol p;
	pid_t pid;

	/* Family not visible; blind requests refused. */
	EXPECT_EQ(0, run_in_child(child_netns, &a, CHILD_MS));
	expect_unchanged(_metadata, &self->c, "requests from a new network namespace");

	/* No notification leaks into the namespace. */
	ASSERT_EQ(0, oomnl_subscribe(&sub, true, false));
	pid = start_child(child_netns_listen, &l);
	ASSERT_LT(0, pid);
	ASSERT_EQ('r', wait_byte(self->to_parent[0], CHILD_MS))
		TH_LOG("child not ready: status %d", finish_child(pid, CHILD_MS));
	ASSERT_EQ(0, oomnl_policy_set(&self->c,
				      &(struct oom_pol_set){ .has_delay = true, .delay_ms = 1234 },
				      &p, &self->r, self->why, sizeof(self->why)));
	ASSERT_EQ(0, oomnl_ntf_next(&sub, &n, CHILD_MS, self->why, sizeof(self->why)))
		TH_LOG("the initial namespace did not see the change: %s", self->why);
	send_byte(self->to_child[1], 'g');
	EXPECT_EQ(0, finish_child(pid, CHILD_MS));
	oomnl_close(&sub);
	ASSERT_EQ(0, oomnl_policy_set(&self->c, &OOM_POL_SET_ALL(P0_DELAY, P0_BYPASS, P0_ORDER),
				      &p, &self->r, self->why, sizeof(self->why)));
}

/*
 * Root (all capabilities, initial user namespace) in a new network
 * namespace joins "events" and "config" by the ids resolved before the
 * unshare: ENOENT for a socket of the new namespace.  A socket opened
 * before the unshare belongs to the initial namespace and may still join:
 * what counts is the socket's namespace, not the task's.
 */
struct join_arg {
	int grp_config, grp_events;
};

static int child_netns_join(void *p)
{
	struct join_arg *a = p;
	struct oomnl before, after;
	int err;

	err = oomnl_socket(&before);
	if (err)
		CFAIL(1, "socket: %s", strerror(-err));
	if (unshare(CLONE_NEWNET))
		CFAIL(2, "unshare(CLONE_NEWNET): %s", strerror(errno));
	err = oomnl_socket(&after);
	if (err)
		CFAIL(3, "socket in the new netns: %s", strerror(-err));
	err = join_id(&after, a->grp_events);
	if (err != -ENOENT)
		CFAIL(4, "joining \"events\" (id %d) from a new netns as root: %s, expected ENOENT",
		      a->grp_events, err ? strerror(-err) : "allowed");
	err = join_id(&after, a->grp_config);
	if (err != -ENOENT)
		CFAIL(5, "joining \"config\" (id %d) from a new netns as root: %s, expected ENOENT",
		      a->grp_config, err ? strerror(-err) : "allowed");
	err = join_id(&before, a->grp_events);
	if (err)
		CFAIL(6, "joining \"events\" on a socket of the initial netns: %s", strerror(-err));
	err = join_id(&before, a->grp_config);
	if (err)
		CFAIL(7, "joining \"config\" on a socket of the initial netns: %s", strerror(-err));
	oomnl_close(&after);
	oomnl_close(&before);
	return 0;
}

TEST_F(perm, join_from_new_network_namespace)
{
	struct join_arg a = { self->c.grp_config, self->c.grp_events };

	ASSERT_NE(0, a.grp_config);
	ASSERT_NE(0, a.grp_events);
	EXPECT_EQ(0, run_in_child(child_netns_join, &a, CHILD_MS));
}

TEST_F(perm, new_network_namespace)
{
	netns_case(_metadata, self, 0);
}

TEST_F(perm, root_in_user_and_network_namespace)
{
	netns_case(_metadata, self, CLONE_NEWUSER);
}

TEST_HARNESS_MAIN
