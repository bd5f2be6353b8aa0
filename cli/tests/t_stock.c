// SPDX-License-Identifier: GPL-2.0
/*
 * What oomctl says a stock kernel's reaper does, release by release: the
 * releases just before and at each change and backport (cli/stock.c says
 * where each fact comes from), -rc and distribution suffixes.
 */
#include <string.h>

#include "oomctl.h"
#include "tap.h"

void test_stock(void)
{
	static const struct {
		const char *release;
		uint32_t delay_ms;
		uint32_t order;
	} kernels[] = {
		/* No delay before e4a38402c36e: the reaper was woken at once */
		{ "4.9.337", 0, OOM_REAP_ORDER_FORWARD },
		{ "4.14.336", 0, OOM_REAP_ORDER_FORWARD },
		{ "4.19.240", 0, OOM_REAP_ORDER_FORWARD },
		{ "4.19.325", 0, OOM_REAP_ORDER_FORWARD },
		/* Its stable backports, from their own patch release on */
		{ "5.4.190", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.4.191", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.4.290-generic", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.4.0-216-generic", 0, OOM_REAP_ORDER_FORWARD },	/* uname alone: 5.4.0 */
		{ "5.10.112", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.10.113", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.10.240-cip", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.10.0-35-amd64", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.14.21-150400.24-default", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.15.35", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.15.36", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.15.36-1-amd64", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.15.36-rc1", 2000, OOM_REAP_ORDER_FORWARD },	/* a stable -rc: its backports are in */
		{ "5.15.35-rc1", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.16.20", 0, OOM_REAP_ORDER_FORWARD },		/* 5.16 was EOL: no backport */
		{ "5.17.4", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.17.5", 2000, OOM_REAP_ORDER_FORWARD },
		/* Mainline from 5.18-rc4 */
		{ "5.18-rc3", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.18.0-rc3", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.18.0-rc4", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.18", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.18.0", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.19.0-rc1", 2000, OOM_REAP_ORDER_FORWARD },
		{ "6.1.0-37-amd64", 2000, OOM_REAP_ORDER_FORWARD },
		{ "6.12.48+deb13-amd64", 2000, OOM_REAP_ORDER_FORWARD },
		{ "6.17.13", 2000, OOM_REAP_ORDER_FORWARD },
		{ "6.17.0-rc7", 2000, OOM_REAP_ORDER_FORWARD },
		/* The reverse walk (5e1953dc71af) from 6.18-rc1 */
		{ "6.18.0-rc1", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.18.0-rc3", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.18-rc3", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.18", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.18.44-fc-v669", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.19-rc1", 2000, OOM_REAP_ORDER_REVERSE },
		{ "7.3.0", 2000, OOM_REAP_ORDER_REVERSE },
		{ "10.0.0", 2000, OOM_REAP_ORDER_REVERSE },
		/* Not a release at all: the oldest behaviour, not a crash */
		{ "", 0, OOM_REAP_ORDER_FORWARD },
		{ "garbage", 0, OOM_REAP_ORDER_FORWARD },
	};
	static const struct {
		const char *sig, *want;	/* want NULL: no version in it */
	} sigs[] = {
		{ "Ubuntu 5.15.0-91.101-generic 5.15.131\n", "5.15.131" },
		{ "Ubuntu 5.4.0-216.236-generic 5.4.290", "5.4.290" },
		{ "Ubuntu 6.8.0-31.31-generic 6.8.1  \n", "6.8.1" },
		{ "", NULL },
		{ "Ubuntu", NULL },
		{ "Ubuntu 5.15.0-91.101-generic generic\n", NULL },
	};

	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		struct policy p;

		stock_policy(kernels[i].release, &p);
		ok(p.have == (1u << NSETTINGS) - 1 &&
		   p.val[SET_DELAY] == kernels[i].delay_ms &&
		   p.val[SET_FROZEN_BYPASS] == 0 &&
		   p.val[SET_ORDER] == kernels[i].order,
		   "stock '%s': delay %u ms, frozen-bypass off, order %s",
		   kernels[i].release, kernels[i].delay_ms,
		   order_names[kernels[i].order]);
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		char buf[32] = "";
		bool found = stock_signature_version(sigs[i].sig, buf, sizeof(buf));

		ok(sigs[i].want ? found && !strcmp(buf, sigs[i].want) : !found,
		   "version_signature '%.40s': %s", sigs[i].sig,
		   sigs[i].want ? sigs[i].want : "no upstream release");
	}
	{
		char buf[4];

		ok(!stock_signature_version("Ubuntu 5.15.0-91.101-generic 5.15.131", buf,
					    sizeof(buf)), "a release longer than the buffer is no release");
	}
}
