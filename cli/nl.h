/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thin generic netlink layer over libmnl: family and group resolution by
 * name, request/ack with extended ACK parsing, attribute validation.  The
 * functions that take a buffer instead of a socket are pure, so the unit
 * tests feed them crafted messages.
 */
#ifndef OOMCTL_NL_H
#define OOMCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

struct mnl_socket;

/* What went wrong with a request: the kernel's error and extack, or ours */
struct nl_err {
	int code;		/* positive errno; 0: no error */
	char msg[200];		/* extack message, or what a reply did wrong */
	bool from_kernel;	/* msg came from the kernel's extack */
	bool malformed;		/* a reply failed validation */
	int attr;		/* request attribute the kernel pointed at, or -1 */
	int missing;		/* attribute the kernel said is missing, or -1 */
	bool has_range;
	int64_t min, max;	/* valid range from NLMSGERR_ATTR_POLICY */
};

void nl_err_clear(struct nl_err *e);
/* Report a malformed message: sets code EBADMSG, returns -EBADMSG */
int nl_err_bad(struct nl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	char *buf;		/* receive buffer */
	size_t buflen;
	uint32_t group;		/* nl_recv_ntf: the multicast group of what it read; 0: unknown */
};

int nl_open(struct nl *nl);	/* 0 or -errno */
void nl_close(struct nl *nl);
int nl_fd(const struct nl *nl);
/* 0 or -errno; asks for the group of each message too (NETLINK_PKTINFO) */
int nl_join(struct nl *nl, uint32_t group);
/*
 * Room for bytes of notifications in the socket's receive buffer: beyond
 * net.core.rmem_max if we may (CAP_NET_ADMIN), else up to it.
 */
void nl_set_rcvbuf(struct nl *nl, int bytes);
/*
 * One receive buffer of notifications into nl->buf, without waiting: its
 * length, 0 if nothing is there yet, -ENOBUFS when the kernel dropped
 * messages that did not fit (the socket goes on), or -errno.
 */
ssize_t nl_recv_ntf(struct nl *nl);

#define GENL_MAX_GROUPS 8
struct genl_family_info {
	uint16_t id;
	uint32_t version;
	int ngroups;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} groups[GENL_MAX_GROUPS];
};

/* 0, -ENOENT when the kernel has no such family, or -errno */
int genl_resolve(struct nl *nl, const char *name, struct genl_family_info *fi,
		 struct nl_err *e);
/* Group id by name, 0 if the family has no such group */
uint32_t genl_group(const struct genl_family_info *fi, const char *name);
/* Parse a CTRL_CMD_NEWFAMILY message: 0 or -EBADMSG */
int genl_parse_family(const struct nlmsghdr *nlh, struct genl_family_info *fi,
		      struct nl_err *e);
/* The same as an nl_transact() callback: data is the genl_family_info */
int genl_family_cb(const struct nlmsghdr *nlh, void *data, struct nl_err *e);

/* A request with NLM_F_REQUEST | NLM_F_ACK in buf (MNL_SOCKET_BUFFER_SIZE) */
struct nlmsghdr *genl_msg(void *buf, uint16_t family, uint8_t cmd,
			  uint8_t version, uint32_t seq);

/* Does a whole message start at nlh, with left bytes in the buffer? */
bool nl_msg_ok(const struct nlmsghdr *nlh, size_t left);
/* The message after nlh; *left shrinks (to 0 at the end) */
const struct nlmsghdr *nl_msg_next(const struct nlmsghdr *nlh, size_t *left);

/* Called for each reply message of a request: 0 or -errno (set e) */
typedef int (*nl_reply_cb)(const struct nlmsghdr *nlh, void *data,
			   struct nl_err *e);

/*
 * Send req, run cb on each reply, wait for the ACK.  0, or -errno with e
 * describing the kernel's error (extack) or the reply's defect.
 */
int nl_transact(struct nl *nl, struct nlmsghdr *req, nl_reply_cb cb,
		void *data, struct nl_err *e);
/*
 * One receive buffer of the exchange for req: 1 to read on, 0 when the
 * ACK (or DONE) came, -errno on an error message or a bad reply.
 */
int nl_dispatch(const void *buf, size_t len, uint32_t portid,
		const struct nlmsghdr *req, nl_reply_cb cb, void *data,
		struct nl_err *e);
/* An NLMSG_ERROR message: its error (0 for an ACK), extack in e */
int nl_parse_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		 struct nl_err *e);

/*
 * A variable-width unsigned integer (NLA_UINT, "type: uint" in a YNL spec):
 * the kernel sends 4 bytes when the value fits in 32 bits, else 8
 * (nla_put_uint()).  A rule type beyond libmnl's MNL_TYPE_*.
 */
#define NL_TYPE_UINT	0xff

/* How each attribute type of a set must look; indexed by type */
struct nl_rule {
	uint8_t type;		/* MNL_TYPE_* or NL_TYPE_UINT; MNL_TYPE_UNSPEC: ignored */
	bool multi;		/* may repeat */
};

/*
 * The value of a u32, u64 or uint attribute, by its length (4 or 8 bytes);
 * for attributes already validated as one of those.
 */
uint64_t nl_attr_get_uint(const struct nlattr *a);

/*
 * Validate every attribute after offset bytes of payload against rules
 * (maxtype + 1 entries) and index them in tb (the first of a multi one).
 * Unknown types are skipped (newer kernels add attributes); a wrong
 * length, a repeated single attribute, an unterminated string or bytes
 * left over are errors.  0 or -EBADMSG.
 */
int nl_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
		   const struct nl_rule *rules, unsigned int maxtype,
		   const struct nlattr **tb, struct nl_err *e);
/* The same for the attributes nested in attr */
int nl_parse_nested(const struct nlattr *attr, const struct nl_rule *rules,
		    unsigned int maxtype, const struct nlattr **tb,
		    struct nl_err *e);

#endif
