// SPDX-License-Identifier: GPL-2.0
/*
 * vm.oom_reap_order: the direction in which the address space is torn down
 * is the configured one, reported by oom:reap_result, for both ways of
 * reaping: the OOM reaper after a memcg OOM kill, and process_mrelease(2)
 * after a SIGKILL sent through a pidfd.
 *
 * Deterministic:
 * - oom_reaper: the victim's mm is pinned (lib/mm_pin.h), so the reaper
 *   always finds memory to reap; delay 0 keeps it quick.
 * - process_mrelease: the victim is traced with PTRACE_O_TRACEEXIT
 *   (lib/exit_stop.h), so after SIGKILL it stops in do_exit() before
 *   exit_mm(), still holding all its memory, and only our
 *   process_mrelease() can free it.
 * Both variants run, so a kernel that reports one fixed order fails one.
 *
 * What is reported must also be what is done: with process_mrelease(2) the
 * victim's pages are freed in our own context, and kmem:mm_page_free tells
 * their PFNs in the order they are freed.  /proc/PID/pagemap maps each PFN
 * back to its address in the victim's one large VMA, so the order in which
 * its page-table ranges (PMD_SIZE each) are first freed is the order of
 * the walk: upwards for forward, downwards for reverse, also inside the
 * VMA.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "exit_stop.h"
#include "oom_expect.h"
#include "oom_policy.h"
#include "oom_run.h"
#include "tracefs.h"

#define PAGE		4096UL
#define RANGE		(2UL << 20)	/* PMD_SIZE on x86-64 */
#define PM_PRESENT	(1ULL << 63)
#define PM_PFN		((1ULL << 55) - 1)
#define MAX_RANGES	64

struct pfn_slot {
	uint64_t pfn;
	unsigned long addr;
};

static int cmp_pfn(const void *a, const void *b)
{
	const struct pfn_slot *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* PFN -> address for every present page of [addr, addr + size) of @pid. */
static struct pfn_slot *pagemap_read(pid_t pid, unsigned long addr,
				     size_t size, size_t *n)
{
	size_t pages = size / PAGE, got = 0;
	struct pfn_slot *map = calloc(pages, sizeof(*map));
	uint64_t *pm = calloc(pages, sizeof(*pm));
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (map && pm && fd >= 0 &&
	    pread(fd, pm, pages * sizeof(*pm), addr / PAGE * sizeof(*pm)) ==
	    (ssize_t)(pages * sizeof(*pm))) {
		for (size_t i = 0; i < pages; i++)
			if ((pm[i] & PM_PRESENT) && (pm[i] & PM_PFN))
				map[got++] = (struct pfn_slot){ pm[i] & PM_PFN, addr + i * PAGE };
		qsort(map, got, sizeof(*map), cmp_pfn);
	}
	if (fd >= 0)
		close(fd);
	free(pm);
	*n = got;
	return map;
}

FIXTURE(order) {
	struct oom_run run;
	int pidfd;
	bool traced;
};

FIXTURE_VARIANT(order) {
	unsigned int order;
};

FIXTURE_VARIANT_ADD(order, forward) {
	.order = OOM_REAP_ORDER_FORWARD,
};

FIXTURE_VARIANT_ADD(order, reverse) {
	.order = OOM_REAP_ORDER_REVERSE,
};

FIXTURE_SETUP(order)
{
	if (!oom_policy_present())
		SKIP(return, "%s absent: kernel without the oomctl patches",
		     OOM_REAP_DELAY_MS);
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, oom_run_setup(&self->run, OOM_RUN_VICTIM_SIZE));
	ASSERT_EQ(0, oom_policy_set(0, 1, variant->order));
}

FIXTURE_TEARDOWN(order)
{
	/* A tracee held in its exit stop would make the reap wait forever. */
	if (self->traced)
		exit_stop_abandon(self->run.victim.pid, OOM_RUN_STEP_MS);
	if (self->pidfd > 0)
		close(self->pidfd);
	oom_run_teardown(&self->run);
	EXPECT_EQ(0, oom_policy_restore_defaults());
}

TEST_F(order, oom_reaper_reports_order)
{
	struct oom_run *r = &self->run;

	ASSERT_EQ(0, oom_run_pin(r));
	ASSERT_EQ(0, oom_run_kill(r));
	oom_run_wait(r, OOM_EV_REAP_RESULT, 10000);
	ASSERT_SEEN(r, OOM_EV_MARK_VICTIM);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "oom_reaper");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "order",
		     oom_order_name(variant->order));
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);
}

TEST_F(order, process_mrelease_reports_order)
{
	struct oom_run *r = &self->run;
	pid_t pid = r->victim.pid;

	self->pidfd = syscall(__NR_pidfd_open, pid, 0);
	ASSERT_LE(0, self->pidfd);
	ASSERT_EQ(0, exit_stop_seize(pid));
	self->traced = true;

	ASSERT_EQ(0, syscall(__NR_pidfd_send_signal, self->pidfd, SIGKILL,
			     NULL, 0));
	ASSERT_EQ(0, exit_stop_wait(pid, OOM_RUN_STEP_MS));
	/* Dying but stopped before exit_mm(): nothing has been freed yet. */
	ASSERT_GE(oom_run_charged(r), OOM_RUN_VICTIM_SIZE);

	ASSERT_EQ(0, syscall(__NR_process_mrelease, self->pidfd, 0));
	EXPECT_LT(oom_run_charged(r), OOM_RUN_VICTIM_SIZE / 4);

	/* The tracepoint fired inside the syscall: no waiting really needed. */
	oom_run_wait(r, OOM_EV_REAP_RESULT, 5000);
	ASSERT_SEEN(r, OOM_EV_REAP_RESULT);
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "source", "process_mrelease");
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "order",
		     oom_order_name(variant->order));
	EXPECT_FIELD(r, OOM_EV_REAP_RESULT, "result", "reaped");
	/* Not an OOM kill: the OOM killer never saw this victim. */
	EXPECT_FALSE(r->seen[OOM_EV_MARK_VICTIM]);

	ASSERT_EQ(0, exit_stop_release(pid));
	self->traced = false;
}

TEST_F(order, process_mrelease_walks_in_order)
{
	struct oom_run *r = &self->run;
	unsigned long base = (unsigned long)r->victim.addr;
	unsigned long first = base & ~(RANGE - 1);
	int nranges = (base + OOM_RUN_VICTIM_SIZE - first + RANGE - 1) / RANGE;
	int seen_order[MAX_RANGES], nseen = 0, freed = 0, err;
	bool seen[MAX_RANGES] = { false }, marker = false;
	pid_t pid = r->victim.pid;
	struct tracer kt = { .pipe_fd = -1 };
	struct pfn_slot *map, key, *hit;
	struct trace_event ev;
	char name[64], mpath[300];
	size_t npfn;
	int fd;

	ASSERT_GE(MAX_RANGES, nranges);
	ASSERT_LE(4, nranges) TH_LOG("the victim spans %d page-table ranges", nranges);
	map = pagemap_read(pid, base, OOM_RUN_VICTIM_SIZE, &npfn);
	ASSERT_NE(NULL, map);
	/* Resident, with PFNs: root reads them */
	ASSERT_LE(OOM_RUN_VICTIM_SIZE / PAGE * 9 / 10, npfn)
		TH_LOG("only %zu of %lu pages have a PFN", npfn, OOM_RUN_VICTIM_SIZE / PAGE);

	snprintf(name, sizeof(name), "oomctl-walk-%d", getpid());
	ASSERT_EQ(0, tracer_open(&kt, name));
	ASSERT_EQ(0, tracer_enable(&kt, "kmem", "mm_page_free"));
	ASSERT_EQ(0, tracer_start(&kt));

	self->pidfd = syscall(__NR_pidfd_open, pid, 0);
	ASSERT_LE(0, self->pidfd);
	ASSERT_EQ(0, exit_stop_seize(pid));
	self->traced = true;
	ASSERT_EQ(0, syscall(__NR_pidfd_send_signal, self->pidfd, SIGKILL, NULL, 0));
	ASSERT_EQ(0, exit_stop_wait(pid, OOM_RUN_STEP_MS));
	ASSERT_EQ(0, syscall(__NR_process_mrelease, self->pidfd, 0));

	/* Everything it freed is in the buffer before this marker. */
	snprintf(mpath, sizeof(mpath), "%s/trace_marker", kt.dir);
	fd = open(mpath, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, write(fd, "oomctl-walk-done", 16));
	close(fd);

	while (!marker && !(err = tracer_next(&kt, &ev, OOM_RUN_STEP_MS))) {
		unsigned long long pfn;
		int range;

		if (strstr(ev.fields, "oomctl-walk-done")) {
			marker = true;
			break;
		}
		if (strcmp(ev.name, "mm_page_free") ||
		    trace_field_ull(&ev, "pfn", &pfn))
			continue;
		key.pfn = pfn;
		hit = bsearch(&key, map, npfn, sizeof(*map), cmp_pfn);
		if (!hit)
			continue;	/* not the victim's */
		freed++;
		range = (hit->addr - first) / RANGE;
		if (!seen[range]) {
			seen[range] = true;
			seen_order[nseen++] = range;
		}
	}
	tracer_close(&kt);
	free(map);
	ASSERT_TRUE(marker) TH_LOG("trace marker never came: %s", strerror(err));
	ASSERT_LE((int)(OOM_RUN_VICTIM_SIZE / PAGE / 2), freed)
		TH_LOG("only %d of the victim's pages were seen freed", freed);
	ASSERT_EQ(nranges, nseen);
	for (int i = 0; i < nseen; i++) {
		int want = variant->order == OOM_REAP_ORDER_REVERSE ? nranges - 1 - i : i;
		char got[4 * MAX_RANGES] = "";

		for (int j = 0; j < nseen; j++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " %d", seen_order[j]);
		ASSERT_EQ(want, seen_order[i])
			TH_LOG("%s walk: ranges 0..%d first freed in the order%s",
			       oom_order_name(variant->order), nranges - 1, got);
	}

	ASSERT_EQ(0, exit_stop_release(pid));
	self->traced = false;
}

TEST_HARNESS_MAIN
