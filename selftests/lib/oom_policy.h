/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OOM reaper policy sysctls added by the oomctl kernel patches.
 *
 * Return values, as everywhere in lib/: 0 or a positive errno.
 */
#ifndef OOMCTL_OOM_POLICY_H
#define OOMCTL_OOM_POLICY_H

#include <stdbool.h>
#include <linux/oom_netlink.h>	/* the defaults and limits, from the spec */

#define OOM_REAP_DELAY_MS	"/proc/sys/vm/oom_reap_delay_ms"
#define OOM_REAP_FROZEN_BYPASS	"/proc/sys/vm/oom_reap_frozen_bypass"
#define OOM_REAP_ORDER		"/proc/sys/vm/oom_reap_order"

/* Unsigned, as the sysctls are read and written */
#define OOM_REAP_DELAY_DEFAULT		((unsigned int)OOM_REAP_DELAY_DEFAULT_MS)
#define OOM_REAP_DELAY_MAX		((unsigned int)OOM_REAP_DELAY_MAX_MS)
#define OOM_REAP_FROZEN_BYPASS_DEFAULT	((unsigned int)OOM_FROZEN_BYPASS_DEFAULT)

/* The patched kernel is running (the sysctls exist). */
bool oom_policy_present(void);

/* Set all three knobs; returns 0 or the errno of the first failed write. */
int oom_policy_set(unsigned int delay_ms, unsigned int frozen_bypass,
		   unsigned int order);

/* Back to the defaults; a no-op on a kernel without the sysctls. */
int oom_policy_restore_defaults(void);

/* "forward"/"reverse", as the tracepoints print the order. */
const char *oom_order_name(unsigned int order);

#endif
