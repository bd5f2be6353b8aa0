/* SPDX-License-Identifier: GPL-2.0 */
/* Shared bits of the "oom" netlink tests; include after kselftest_harness.h. */
#ifndef OOMNL_TEST_H
#define OOMNL_TEST_H

#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "oomnl.h"
#include "kmsg.h"
#include "memcg.h"
#include "proc.h"
#include "victim.h"

#define OOMNL_UID_NOBODY	65534
#define OOMNL_UID_TEST		1000

/* /sys/fs/cgroup/@name-PID (lib/memcg.h): each test process its own. */
static inline int oomnl_memcg_create(struct memcg *cg, const char *name)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s-%d", name, getpid());
	return memcg_create(cg, buf);
}

/* Stock kernel: skip.  oomctl kernel without the family: fail. */
#define OOMNL_REQUIRE_FAMILY() do { \
	char _why[256] = ""; \
	int _st = oomnl_family_state(_why, sizeof(_why)); \
	if (_st < 0) \
		SKIP(return, "%s", _why); \
	ASSERT_EQ(1, _st) TH_LOG("%s", _why); \
} while (0)

static inline const char *pol_str(const struct oom_pol *p, char *buf, size_t len)
{
	snprintf(buf, len, "{delay %u, bypass %u, order %s, max %u}", p->delay_ms,
		 p->frozen_bypass,
		 p->order == OOM_REAP_ORDER_FORWARD ? "forward" :
		 p->order == OOM_REAP_ORDER_REVERSE ? "reverse" : "?",
		 p->delay_max_ms);
	return buf;
}

/* Every notification's sequence number; policy-ntf has its own attribute. */
static inline uint64_t ntf_seq(const struct oom_ntf *n)
{
	return n->cmd == OOM_CMD_POLICY_NTF ? n->v[OOM_A_POLICY_NTF_SEQ] : n->v[OOM_A_EVENT_SEQ];
}

static inline bool pol_is(const struct oom_pol *p, uint32_t d, uint32_t b,
			  uint32_t o)
{
	return p->delay_ms == d && p->frozen_bypass == b && p->order == o;
}

/* Policy through netlink; on any failure @why says why. */
static inline int pol_get(struct oom_pol *p, char *why, size_t len)
{
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oomnl c;
	int err;

	if (!r)
		return -ENOMEM;
	err = oomnl_open(&c);
	if (err) {
		snprintf(why, len, "open: %s", strerror(-err));
		free(r);
		return err;
	}
	err = oomnl_policy_get(&c, p, r, why, len);
	oomnl_close(&c);
	free(r);
	return err;
}

/* Back to the boot defaults through netlink, else through the sysctls. */
static inline int oomnl_restore_defaults(void)
{
	struct oom_pol_set s = OOM_POL_SET_ALL(OOM_REAP_DELAY_DEFAULT_MS,
					       OOM_FROZEN_BYPASS_DEFAULT,
					       OOM_REAP_ORDER_DEFAULT);
	struct oomnl_reply *r = calloc(1, sizeof(*r));
	struct oom_pol p;
	struct oomnl c;
	int err = -ENOMEM;

	if (r && !(err = oomnl_open(&c))) {
		err = oomnl_policy_set(&c, &s, &p, r, NULL, 0);
		oomnl_close(&c);
	}
	free(r);
	if (err && !access(OOM_REAP_DELAY_MS, W_OK))
		err = -oom_policy_restore_defaults();
	return err;
}

/* Subscriber socket on @group(s), big buffer. */
static inline int oomnl_subscribe(struct oomnl *c, bool config, bool events)
{
	int err = oomnl_open(c);

	if (err)
		return err;
	oomnl_big_rcvbuf(c, 16 << 20);
	if (config)
		err = oomnl_join(c, OOM_MCGRP_CONFIG);
	if (!err && events)
		err = oomnl_join(c, OOM_MCGRP_EVENTS);
	if (err)
		oomnl_close(c);
	return err;
}

#endif
