/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/oom.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_OOM_NETLINK_H
#define _UAPI_LINUX_OOM_NETLINK_H

#define OOM_FAMILY_NAME		"oom"
#define OOM_FAMILY_VERSION	1

#define OOM_REAP_DELAY_MAX_MS		10000
#define OOM_REAP_DELAY_DEFAULT_MS	2000
#define OOM_FROZEN_BYPASS_DEFAULT	0
#define OOM_REAP_ORDER_DEFAULT		1

/**
 * enum oom_reap_order - Direction in which the victim's address space is
 *   reaped.
 * @OOM_REAP_ORDER_FORWARD: From the lowest address up, like exit_mmap().
 * @OOM_REAP_ORDER_REVERSE: From the highest address down.
 */
enum oom_reap_order {
	OOM_REAP_ORDER_FORWARD,
	OOM_REAP_ORDER_REVERSE,
};

/**
 * enum oom_reap_reason - Why a victim was queued for the reaper with the delay
 *   it got.
 * @OOM_REAP_REASON_DELAY: It waits reap-delay-ms.
 * @OOM_REAP_REASON_ZERO_DELAY: reap-delay-ms is 0; queued without a timer.
 * @OOM_REAP_REASON_FROZEN_BYPASS: It was frozen when killed and frozen-bypass
 *   is on; no delay.
 */
enum oom_reap_reason {
	OOM_REAP_REASON_DELAY,
	OOM_REAP_REASON_ZERO_DELAY,
	OOM_REAP_REASON_FROZEN_BYPASS,
};

/**
 * enum oom_reap_source - Who reaped.
 * @OOM_REAP_SOURCE_OOM_REAPER: The oom_reaper kernel thread.
 * @OOM_REAP_SOURCE_PROCESS_MRELEASE: A process_mrelease(2) call.
 */
enum oom_reap_source {
	OOM_REAP_SOURCE_OOM_REAPER,
	OOM_REAP_SOURCE_PROCESS_MRELEASE,
};

/**
 * enum oom_reap_result - How a reap ended.
 * @OOM_REAP_RESULT_REAPED: The address space was unmapped.
 * @OOM_REAP_RESULT_EXITED_FIRST: The victim's exit_mmap() got there first.
 * @OOM_REAP_RESULT_GAVE_UP: The address space could not be reaped: the
 *   mmap_lock stayed contended, or an mmu notifier would have had to block,
 *   through all of the oom_reaper's attempts or the single attempt of
 *   process_mrelease(2), which then fails with EAGAIN.
 */
enum oom_reap_result {
	OOM_REAP_RESULT_REAPED,
	OOM_REAP_RESULT_EXITED_FIRST,
	OOM_REAP_RESULT_GAVE_UP,
};

/**
 * enum oom_freed_by - How most of a victim's memory was unmapped when its
 *   address space was torn down: the way that unmapped the most resident
 *   pages.
 * @OOM_FREED_BY_EXIT: The address space's own teardown, exit_mmap(), run by
 *   the last task to drop it: the victim's exit, or the last holder of a
 *   reference to it.
 * @OOM_FREED_BY_OOM_REAPER: The oom_reaper kernel thread, before the teardown.
 * @OOM_FREED_BY_PROCESS_MRELEASE: process_mrelease(2) calls, before the
 *   teardown.
 */
enum oom_freed_by {
	OOM_FREED_BY_EXIT,
	OOM_FREED_BY_OOM_REAPER,
	OOM_FREED_BY_PROCESS_MRELEASE,
};

/*
 * Interface a policy change came through.
 */
enum oom_changed_via {
	OOM_CHANGED_VIA_NETLINK,
	OOM_CHANGED_VIA_SYSCTL,
};

enum {
	OOM_A_POLICY_REAP_DELAY_MS = 1,
	OOM_A_POLICY_FROZEN_BYPASS,
	OOM_A_POLICY_REAP_ORDER,
	OOM_A_POLICY_REAP_DELAY_MAX_MS,

	__OOM_A_POLICY_MAX,
	OOM_A_POLICY_MAX = (__OOM_A_POLICY_MAX - 1)
};

enum {
	OOM_A_POLICY_NTF_SEQ = 1,
	OOM_A_POLICY_NTF_TIMESTAMP_NS,
	OOM_A_POLICY_NTF_REAP_DELAY_MS,
	OOM_A_POLICY_NTF_FROZEN_BYPASS,
	OOM_A_POLICY_NTF_REAP_ORDER,
	OOM_A_POLICY_NTF_CHANGED_VIA,

	__OOM_A_POLICY_NTF_MAX,
	OOM_A_POLICY_NTF_MAX = (__OOM_A_POLICY_NTF_MAX - 1)
};

enum {
	OOM_A_EVENT_SEQ = 1,
	OOM_A_EVENT_TIMESTAMP_NS,
	OOM_A_EVENT_PID,
	OOM_A_EVENT_TGID,
	OOM_A_EVENT_COMM,
	OOM_A_EVENT_UID,
	OOM_A_EVENT_MEMCG_ID,
	OOM_A_EVENT_OOM_SCORE_ADJ,
	OOM_A_EVENT_ANON_RSS_KB,
	OOM_A_EVENT_FILE_RSS_KB,
	OOM_A_EVENT_SHMEM_RSS_KB,
	OOM_A_EVENT_FROZEN,
	OOM_A_EVENT_DELAY_MS,
	OOM_A_EVENT_REASON,
	OOM_A_EVENT_SOURCE,
	OOM_A_EVENT_REAP_ORDER,
	OOM_A_EVENT_RESULT,
	OOM_A_EVENT_ATTEMPTS,
	OOM_A_EVENT_DURATION_US,
	OOM_A_EVENT_KILL_TO_FREED_US,
	OOM_A_EVENT_FREED_KB,
	OOM_A_EVENT_FREED_BY,
	OOM_A_EVENT_FREED_EXIT_KB,
	OOM_A_EVENT_FREED_OOM_REAPER_KB,
	OOM_A_EVENT_FREED_MRELEASE_KB,

	__OOM_A_EVENT_MAX,
	OOM_A_EVENT_MAX = (__OOM_A_EVENT_MAX - 1)
};

enum {
	OOM_A_LATENCY_BUCKET_LOW_US = 1,
	OOM_A_LATENCY_BUCKET_HIGH_US,
	OOM_A_LATENCY_BUCKET_COUNT,

	__OOM_A_LATENCY_BUCKET_MAX,
	OOM_A_LATENCY_BUCKET_MAX = (__OOM_A_LATENCY_BUCKET_MAX - 1)
};

enum {
	OOM_A_STATS_VICTIMS = 1,
	OOM_A_STATS_QUEUED_DELAY,
	OOM_A_STATS_QUEUED_ZERO_DELAY,
	OOM_A_STATS_QUEUED_FROZEN_BYPASS,
	OOM_A_STATS_REAPED,
	OOM_A_STATS_EXITED_FIRST,
	OOM_A_STATS_GAVE_UP,
	OOM_A_STATS_MRELEASE_CALLS,
	OOM_A_STATS_EVENTS_DROPPED,
	OOM_A_STATS_LATENCY_BUCKET,
	OOM_A_STATS_FREED_EXIT,
	OOM_A_STATS_FREED_OOM_REAPER,
	OOM_A_STATS_FREED_MRELEASE,
	OOM_A_STATS_FREED_LATENCY_BUCKET,

	__OOM_A_STATS_MAX,
	OOM_A_STATS_MAX = (__OOM_A_STATS_MAX - 1)
};

enum {
	OOM_CMD_POLICY_GET = 1,
	OOM_CMD_POLICY_SET,
	OOM_CMD_STATS_GET,
	OOM_CMD_POLICY_NTF,
	OOM_CMD_VICTIM_NTF,
	OOM_CMD_REAP_QUEUED_NTF,
	OOM_CMD_REAP_DONE_NTF,
	OOM_CMD_VICTIM_FREED_NTF,

	__OOM_CMD_MAX,
	OOM_CMD_MAX = (__OOM_CMD_MAX - 1)
};

#define OOM_MCGRP_CONFIG	"config"
#define OOM_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_OOM_NETLINK_H */
