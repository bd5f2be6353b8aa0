// SPDX-License-Identifier: GPL-2.0
/* Generic netlink over libmnl: see nl.h */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "nl.h"

_Static_assert(NL_TYPE_UINT > MNL_TYPE_MAX, "NL_TYPE_UINT collides with libmnl");

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

void nl_err_clear(struct nl_err *e)
{
	memset(e, 0, sizeof(*e));
	e->attr = -1;
	e->missing = -1;
}

int nl_err_bad(struct nl_err *e, const char *fmt, ...)
{
	va_list ap;

	e->code = EBADMSG;
	e->malformed = true;
	e->from_kernel = false;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

int nl_open(struct nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->buflen = MNL_SOCKET_BUFFER_SIZE > 16384 ? MNL_SOCKET_BUFFER_SIZE : 16384;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf)
		return -ENOMEM;
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk)
		goto fail;
	/* Extended ACKs, and no copy of our request in them */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = 1;
	return 0;
fail:
	err = -errno;
	nl_close(nl);
	return err;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

int nl_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

int nl_join(struct nl *nl, uint32_t group)
{
	int on = 1;

	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	/* Without it (an old kernel), nl->group stays 0: unknown */
	mnl_socket_setsockopt(nl->sk, NETLINK_PKTINFO, &on, sizeof(on));
	return 0;
}

void nl_set_rcvbuf(struct nl *nl, int bytes)
{
	if (setsockopt(nl_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(nl_fd(nl), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

ssize_t nl_recv_ntf(struct nl *nl)
{
	char ctl[CMSG_SPACE(sizeof(struct nl_pktinfo))];
	struct iovec iov = { .iov_base = nl->buf, .iov_len = nl->buflen };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	ssize_t n = recvmsg(nl_fd(nl), &mh, MSG_DONTWAIT);

	nl->group = 0;
	if (n >= 0) {
		/* A multicast message is a datagram of its own: one group */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_PKTINFO &&
			    c->cmsg_len >= CMSG_LEN(sizeof(struct nl_pktinfo))) {
				struct nl_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				nl->group = pi.group;
			}
		return n;
	}
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

struct nlmsghdr *genl_msg(void *buf, uint16_t family, uint8_t cmd,
			  uint8_t version, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	/* Attribute padding is ours to clear: no stack bytes to the kernel */
	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* Does the payload of one attribute match its rule? NULL if so */
static const char *attr_check(const struct nlattr *a, uint8_t type)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);

	switch (type) {
	case MNL_TYPE_U8:
		return len == 1 ? NULL : "expected 1 byte";
	case MNL_TYPE_U16:
		return len == 2 ? NULL : "expected 2 bytes";
	case MNL_TYPE_U32:
		return len == 4 ? NULL : "expected 4 bytes";
	case MNL_TYPE_U64:
		return len == 8 ? NULL : "expected 8 bytes";
	case NL_TYPE_UINT:
		return len == 4 || len == 8 ? NULL : "expected a uint of 4 or 8 bytes";
	case MNL_TYPE_NUL_STRING:
		if (len == 0 || p[len - 1] != '\0')
			return "string not NUL-terminated";
		return NULL;
	case MNL_TYPE_NESTED:
		return len == 0 || len >= sizeof(struct nlattr) ? NULL :
		       "nest too short";
	default:
		return NULL;
	}
}

uint64_t nl_attr_get_uint(const struct nlattr *a)
{
	if (mnl_attr_get_payload_len(a) == sizeof(uint64_t))
		return mnl_attr_get_u64(a);	/* copies: may be unaligned */
	return mnl_attr_get_u32(a);
}

static int parse_attrs(const char *start, size_t len,
		       const struct nl_rule *rules, unsigned int maxtype,
		       const struct nlattr **tb, struct nl_err *e)
{
	const char *p = start;

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	while (len > 0) {
		const struct nlattr *a = (const void *)p;
		uint16_t type, alen;
		const char *why;

		if (len < sizeof(*a))
			return nl_err_bad(e, "%zu stray bytes after the last attribute", len);
		alen = a->nla_len;
		type = mnl_attr_get_type(a);
		if (alen < sizeof(*a) || alen > len)
			return nl_err_bad(e, "attribute %u: length %u does not fit in %zu bytes",
					  type, alen, len);
		if (type <= maxtype && rules[type].type != MNL_TYPE_UNSPEC) {
			why = attr_check(a, rules[type].type);
			if (why)
				return nl_err_bad(e, "attribute %u: %s, got %u",
						  type, why, alen - (unsigned int)sizeof(*a));
			if (tb[type] && !rules[type].multi)
				return nl_err_bad(e, "attribute %u repeated", type);
			if (!tb[type])
				tb[type] = a;
		}
		/* The last attribute's padding may be missing */
		if ((size_t)MNL_ALIGN(alen) >= len)
			break;
		p += MNL_ALIGN(alen);
		len -= MNL_ALIGN(alen);
	}
	return 0;
}

int nl_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
		   const struct nl_rule *rules, unsigned int maxtype,
		   const struct nlattr **tb, struct nl_err *e)
{
	size_t plen;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(offset))
		return nl_err_bad(e, "message of %u bytes too short for its header",
				  nlh->nlmsg_len);
	plen = nlh->nlmsg_len - MNL_NLMSG_HDRLEN - MNL_ALIGN(offset);
	return parse_attrs((const char *)mnl_nlmsg_get_payload_offset(nlh, offset),
			   plen, rules, maxtype, tb, e);
}

int nl_parse_nested(const struct nlattr *attr, const struct nl_rule *rules,
		    unsigned int maxtype, const struct nlattr **tb,
		    struct nl_err *e)
{
	return parse_attrs(mnl_attr_get_payload(attr),
			   mnl_attr_get_payload_len(attr), rules, maxtype, tb, e);
}

/* Where in req does the attribute at byte offset off start? Its type, or -1 */
static int req_attr_at(const struct nlmsghdr *req, uint32_t off)
{
	const struct nlattr *a;

	if (!req)
		return -1;
	mnl_attr_for_each(a, req, sizeof(struct genlmsghdr))
		if ((const char *)a - (const char *)req == (long)off)
			return mnl_attr_get_type(a);
	return -1;
}

static const struct nl_rule ext_rules[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .type = MNL_TYPE_NUL_STRING },
	[NLMSGERR_ATTR_OFFS] = { .type = MNL_TYPE_U32 },
	[NLMSGERR_ATTR_POLICY] = { .type = MNL_TYPE_NESTED },
	[NLMSGERR_ATTR_MISS_TYPE] = { .type = MNL_TYPE_U32 },
};

static const struct nl_rule pol_rules[NL_POLICY_TYPE_ATTR_MAX + 1] = {
	[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] = { .type = MNL_TYPE_U64 },
	[NL_POLICY_TYPE_ATTR_MAX_VALUE_S] = { .type = MNL_TYPE_U64 },
	[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] = { .type = MNL_TYPE_U64 },
	[NL_POLICY_TYPE_ATTR_MAX_VALUE_U] = { .type = MNL_TYPE_U64 },
};

static void parse_policy(const struct nlattr *nest, struct nl_err *e)
{
	const struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];
	struct nl_err ignore;

	nl_err_clear(&ignore);
	if (nl_parse_nested(nest, pol_rules, NL_POLICY_TYPE_ATTR_MAX, tb, &ignore))
		return;
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) {
		e->has_range = true;
		e->min = (int64_t)mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]);
		e->max = (int64_t)mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]);
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]) {
		e->has_range = true;
		e->min = (int64_t)mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]);
		e->max = (int64_t)mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]);
	}
}

int nl_parse_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		 struct nl_err *e)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlmsgerr *err;
	size_t off;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*err))
		return nl_err_bad(e, "truncated error message (%u bytes)", nlh->nlmsg_len);
	err = mnl_nlmsg_get_payload(nlh);
	if (err->error > 0 || err->error < -4095)
		return nl_err_bad(e, "error message with error %d", err->error);
	e->code = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return err->error;
	/* The TLVs follow our request, or only its header if capped */
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += MNL_ALIGN(err->msg.nlmsg_len) - sizeof(err->msg);
	if (off > nlh->nlmsg_len - MNL_NLMSG_HDRLEN ||
	    nl_parse_attrs(nlh, off, ext_rules, NLMSGERR_ATTR_MAX, tb, e)) {
		int code = -err->error;

		/* Keep the kernel's error: a bad extack only loses detail */
		nl_err_clear(e);
		e->code = code;
		return err->error;
	}
	if (tb[NLMSGERR_ATTR_MSG]) {
		snprintf(e->msg, sizeof(e->msg), "%s", mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
		e->from_kernel = true;
	}
	if (tb[NLMSGERR_ATTR_OFFS])
		e->attr = req_attr_at(req, mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		e->missing = (int)mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (tb[NLMSGERR_ATTR_POLICY])
		parse_policy(tb[NLMSGERR_ATTR_POLICY], e);
	return err->error;
}

bool nl_msg_ok(const struct nlmsghdr *nlh, size_t left)
{
	/* Not mnl_nlmsg_ok(): it takes an nlmsg_len over 2 GiB for negative */
	return left >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= left;
}

const struct nlmsghdr *nl_msg_next(const struct nlmsghdr *nlh, size_t *left)
{
	size_t n = MNL_ALIGN(nlh->nlmsg_len);

	if (n > *left)		/* the last message's padding may be missing */
		n = *left;
	*left -= n;
	return (const struct nlmsghdr *)((const char *)nlh + n);
}

int nl_dispatch(const void *buf, size_t len, uint32_t portid,
		const struct nlmsghdr *req, nl_reply_cb cb, void *data,
		struct nl_err *e)
{
	const struct nlmsghdr *nlh = buf;
	size_t left = len;
	int ret;

	if (len < sizeof(*nlh))
		return nl_err_bad(e, "short read of %zu bytes", len);
	while (nl_msg_ok(nlh, left)) {
		/* Not ours: a stray notification or a late reply to an old request */
		if (nlh->nlmsg_seq != req->nlmsg_seq ||
		    (nlh->nlmsg_pid && nlh->nlmsg_pid != portid))
			goto next;
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			ret = nl_parse_ack(nlh, req, e);
			return ret < 0 ? ret : 0;
		case NLMSG_DONE:
			return 0;
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			break;
		default:
			if (nlh->nlmsg_type != req->nlmsg_type)
				return nl_err_bad(e, "reply of type %u to a request of type %u",
						  nlh->nlmsg_type, req->nlmsg_type);
			if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr))
				return nl_err_bad(e, "reply of %u bytes has no genetlink header",
						  nlh->nlmsg_len);
			if (cb) {
				ret = cb(nlh, data, e);
				if (ret < 0)
					return ret;
			}
		}
next:
		nlh = nl_msg_next(nlh, &left);
	}
	if (left > 0)
		return nl_err_bad(e, "truncated message: %zu bytes left over", left);
	return 1;
}

int nl_transact(struct nl *nl, struct nlmsghdr *req, nl_reply_cb cb,
		void *data, struct nl_err *e)
{
	ssize_t n;
	int ret;

	nl_err_clear(e);
	req->nlmsg_seq = nl->seq++;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0) {
		e->code = errno;
		return -errno;
	}
	do {
		n = mnl_socket_recvfrom(nl->sk, nl->buf, nl->buflen);
		if (n < 0) {
			e->code = errno;
			return -errno;
		}
		ret = nl_dispatch(nl->buf, (size_t)n, nl->portid, req, cb, data, e);
	} while (ret > 0);
	return ret;
}

static const struct nl_rule grp_rules[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { .type = MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_MCAST_GRP_ID] = { .type = MNL_TYPE_U32 },
};

static const struct nl_rule family_rules[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = MNL_TYPE_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .type = MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_VERSION] = { .type = MNL_TYPE_U32 },
	[CTRL_ATTR_MCAST_GROUPS] = { .type = MNL_TYPE_NESTED },
};

int genl_parse_family(const struct nlmsghdr *nlh, struct genl_family_info *fi,
		      struct nl_err *e)
{
	static const struct nl_rule list_rules[1];	/* entries: any index */
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *g;
	int ret;

	memset(fi, 0, sizeof(*fi));
	ret = nl_parse_attrs(nlh, sizeof(struct genlmsghdr), family_rules,
			     CTRL_ATTR_MAX, tb, e);
	if (ret)
		return ret;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return nl_err_bad(e, "family reply without a family id");
	fi->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fi->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	/* The list: one nest per group, each with a name and an id */
	if (nl_parse_nested(tb[CTRL_ATTR_MCAST_GROUPS], list_rules, 0, gtb, e))
		return -EBADMSG;
	mnl_attr_for_each_nested(g, tb[CTRL_ATTR_MCAST_GROUPS]) {
		if (nl_parse_nested(g, grp_rules, CTRL_ATTR_MCAST_GRP_MAX, gtb, e))
			return -EBADMSG;
		if (!gtb[CTRL_ATTR_MCAST_GRP_NAME] || !gtb[CTRL_ATTR_MCAST_GRP_ID])
			return nl_err_bad(e, "multicast group without a name or id");
		if (fi->ngroups == GENL_MAX_GROUPS)
			break;
		snprintf(fi->groups[fi->ngroups].name, GENL_NAMSIZ, "%s",
			 mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]));
		fi->groups[fi->ngroups].id = mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
		fi->ngroups++;
	}
	return 0;
}

uint32_t genl_group(const struct genl_family_info *fi, const char *name)
{
	for (int i = 0; i < fi->ngroups; i++)
		if (!strcmp(fi->groups[i].name, name))
			return fi->groups[i].id;
	return 0;
}

int genl_family_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e)
{
	return genl_parse_family(nlh, data, e);
}

int genl_resolve(struct nl *nl, const char *name, struct genl_family_info *fi,
		 struct nl_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req;
	int ret;

	memset(fi, 0, sizeof(*fi));
	req = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, name);
	ret = nl_transact(nl, req, genl_family_cb, fi, e);
	if (ret == 0 && !fi->id)
		return nl_err_bad(e, "no reply to the family lookup");
	return ret;
}
