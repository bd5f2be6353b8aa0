// SPDX-License-Identifier: GPL-2.0
/* What oomctl says a stock kernel's reaper does, release by release */
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
		{ "4.19.325", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.4.290-generic", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.10.112", 0, OOM_REAP_ORDER_FORWARD },
		/* Its stable backports, from their own patch release on */
		{ "5.10.113", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.10.240-cip", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.14.21-150400.24-default", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.15.35", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.15.36", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.16.20", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.17.4", 0, OOM_REAP_ORDER_FORWARD },
		{ "5.17.5", 2000, OOM_REAP_ORDER_FORWARD },
		/* Mainline from 5.18 */
		{ "5.18", 2000, OOM_REAP_ORDER_FORWARD },
		{ "5.18.0-rc4", 2000, OOM_REAP_ORDER_FORWARD },
		{ "6.1.0-37-amd64", 2000, OOM_REAP_ORDER_FORWARD },
		{ "6.17.13", 2000, OOM_REAP_ORDER_FORWARD },
		/* The reverse walk from 6.18 */
		{ "6.18", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.18.44-fc-v669", 2000, OOM_REAP_ORDER_REVERSE },
		{ "6.19-rc1", 2000, OOM_REAP_ORDER_REVERSE },
		{ "7.3.0", 2000, OOM_REAP_ORDER_REVERSE },
		{ "10.0.0", 2000, OOM_REAP_ORDER_REVERSE },
	};

	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		struct policy p;

		stock_policy(kernels[i].release, &p);
		ok(p.have == (1u << NSETTINGS) - 1 &&
		   p.val[SET_DELAY] == kernels[i].delay_ms &&
		   p.val[SET_FROZEN_BYPASS] == 0 &&
		   p.val[SET_ORDER] == kernels[i].order,
		   "stock %s: delay %u ms, frozen-bypass off, order %s",
		   kernels[i].release, kernels[i].delay_ms,
		   order_names[kernels[i].order]);
	}
}
