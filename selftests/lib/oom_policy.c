// SPDX-License-Identifier: GPL-2.0
#include <unistd.h>

#include "oom_policy.h"
#include "sysctl.h"

bool oom_policy_present(void)
{
	return access(OOM_REAP_DELAY_MS, F_OK) == 0;
}

int oom_policy_set(unsigned int delay_ms, unsigned int frozen_bypass,
		   unsigned int order)
{
	int err;

	err = sysctl_write_uint(OOM_REAP_DELAY_MS, delay_ms);
	if (!err)
		err = sysctl_write_uint(OOM_REAP_FROZEN_BYPASS, frozen_bypass);
	if (!err)
		err = sysctl_write_uint(OOM_REAP_ORDER, order);
	return err;
}

int oom_policy_restore_defaults(void)
{
	if (!oom_policy_present())
		return 0;
	return oom_policy_set(OOM_REAP_DELAY_DEFAULT,
			      OOM_REAP_FROZEN_BYPASS_DEFAULT,
			      OOM_REAP_ORDER_DEFAULT);
}

const char *oom_order_name(unsigned int order)
{
	return order == OOM_REAP_ORDER_FORWARD ? "forward" : "reverse";
}
