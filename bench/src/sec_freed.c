// SPDX-License-Identifier: GPL-2.0
/*
 * What reporting "memory is back" costs (the oom:victim_freed tracepoint and
 * victim-freed-ntf), and whether the kernel's kill-to-freed agrees with the
 * bench's own derivation from tracepoints.
 *
 * Section exitcost (also on stock 7.3, bench/run.sh alternates the two
 * kernels): the exit of a process that is not an OOM victim, the path every
 * process takes, where the series adds one mm flag test in exit_mmap() and
 * one test per page table in the zap.  A child pinned to CPU 1 maps and
 * touches N MiB of anonymous memory, tells us on a pipe, and _exit()s; we
 * (CPU 0) time the pipe message to waitpid() returning: the exit, its
 * exit_mmap() included, and our wakeup.  Blocks of -k children per size,
 * the sizes (-c, MiB) interleaved, their order rotating; one record per
 * block with the median and mean.
 *
 * Section freed (patched kernel): OOM kills of an exiting victim (order's
 * kill: it goes over memory.max in its own page fault, the default policy,
 * so its exit frees everything) with nobody listening to the oom family's
 * events ("quiet") or a thread of ours reading them ("listener"),
 * interleaved.  Every record carries, from the tracepoints, the bench's
 * derivation (oom:mark_victim to the victim's exit_mmap() releasing the
 * mmap write lock) and the kernel's kill_to_freed_us (oom:victim_freed);
 * with the listener, also victim-freed-ntf's kill-to-freed-us.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "bench.h"

#define CHILD_CPU	1
#define PARENT_CPU	0
#define MAX_SIZES	4

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* One child: touch @size bytes, say so, exit.  Its exit in us, or -1 */
static int64_t one_exit(size_t size, int64_t *total_us)
{
	int64_t t0, t1, t2;
	int p[2], status;
	pid_t pid;
	char c;

	if (pipe(p))
		die("exitcost: pipe: %s", strerror(errno));
	t0 = now_us();
	pid = fork();
	if (pid < 0)
		die("exitcost: fork: %s", strerror(errno));
	if (!pid) {
		long page = sysconf(_SC_PAGESIZE);
		volatile char *m = NULL;

		close(p[0]);
		pin_self(CHILD_CPU);
		if (size) {
			m = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED)
				_exit(1);
			for (size_t off = 0; off < size; off += page)
				m[off] = 1;
		}
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		die("exitcost: child %d died before its exit", pid);
	t1 = now_us();
	status = reap_child(pid);
	t2 = now_us();
	close(p[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("exitcost: child status %#x", status);
	*total_us = t2 - t0;
	return t2 - t1;
}

int sec_exitcost(const struct bopts *o)
{
	int sizes[MAX_SIZES], nsizes = 0;
	char buf[64], *tok, *save;
	int64_t *ex, *tot;

	snprintf(buf, sizeof(buf), "%s", o->cases ? o->cases : "1,16");
	for (tok = strtok_r(buf, ",", &save); tok && nsizes < MAX_SIZES;
	     tok = strtok_r(NULL, ",", &save))
		sizes[nsizes++] = atoi(tok);
	ex = calloc(o->kills, sizeof(*ex));
	tot = calloc(o->kills, sizeof(*tot));
	if (!ex || !tot || o->kills < 1)
		die("exitcost: -k %d", o->kills);
	pin_self(PARENT_CPU);
	for (int rep = 0; rep < o->reps; rep++) {
		for (int i = 0; i < nsizes; i++) {
			int s = sizes[(i + rep) % nsizes];
			int64_t sum = 0;
			struct rec r;

			for (int k = 0; k < o->kills; k++) {
				ex[k] = one_exit((size_t)s * MIB, &tot[k]);
				sum += ex[k];
			}
			qsort(ex, o->kills, sizeof(*ex), cmp_i64);
			qsort(tot, o->kills, sizeof(*tot), cmp_i64);
			rec_begin(&r, "exitcost");
			rec_str(&r, "kernel", kernel_kind());
			rec_int(&r, "rep", rep);
			rec_int(&r, "size_mib", s);
			rec_int(&r, "n", o->kills);
			rec_num(&r, "exit_med_us", ex[o->kills / 2]);
			rec_num(&r, "exit_mean_us", (double)sum / o->kills);
			rec_num(&r, "exit_p10_us", ex[o->kills / 10]);
			rec_num(&r, "exit_p90_us", ex[o->kills * 9 / 10]);
			rec_num(&r, "total_med_us", tot[o->kills / 2]);
			if (o->label)
				rec_str(&r, "label", o->label);
			rec_end(&r);
		}
		note("exitcost: round %d/%d", rep + 1, o->reps);
	}
	unpin_all(true);
	free(ex);
	free(tot);
	return 0;
}

/* ---- section freed ---- */

/* A reader of the events group: the last victim-freed-ntf's pid and time */
struct freed_rx {
	struct genl g;
	pthread_t th;
	volatile bool stop;
	volatile pid_t pid;
	volatile int64_t k2f_us;
	volatile long msgs;
};

static void *freed_rx_main(void *arg)
{
	char buf[16384] __attribute__((aligned(4)));
	struct freed_rx *x = arg;

	while (!x->stop) {
		ssize_t len = recv(x->g.fd, buf, sizeof(buf), 0);
		struct nlmsghdr *n;

		if (len <= 0)
			continue;
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, (size_t)len);
		     n = NLMSG_NEXT(n, len)) {
			struct genlmsghdr *gh = NLMSG_DATA(n);
			struct nlattr *a;
			int rem;
			uint64_t k2f = 0;
			uint32_t pid = 0;

			if (n->nlmsg_type != x->g.family)
				continue;
			x->msgs++;
			if (gh->cmd != OOM_CMD_VICTIM_FREED_NTF)
				continue;
			genl_for_each_attr(a, n, rem) {
				uint16_t t = a->nla_type & NLA_TYPE_MASK;

				if (t == OOM_A_EVENT_PID)
					memcpy(&pid, (char *)a + NLA_HDRLEN, 4);
				else if (t == OOM_A_EVENT_KILL_TO_FREED_US)
					genl_attr_uint(a, &k2f);
			}
			x->k2f_us = k2f;
			x->pid = pid;
		}
	}
	return NULL;
}

int sec_freed(const struct bopts *o)
{
	static const char *const cfgs[] = { "quiet", "listener" };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	struct ocase c = { "many", o->vmas };
	struct freed_rx x = { 0 };
	struct ktrace kt;
	struct memcg cg;
	int err;

	err = genl_open(&x.g);
	if (err)
		die("freed: oom family: %s", strerror(-err));
	setsockopt(x.g.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	pthread_create(&x.th, NULL, freed_rx_main, &x);
	kill_setup(&kt, &cg, "oombench-freed");
	for (int rep = 0; rep < o->reps; rep++) {
		for (int i = 0; i < 2; i++) {
			const char *cfg = cfgs[(i + rep) % 2];
			bool listen = !strcmp(cfg, "listener");
			struct rec r;

			x.pid = 0;
			if (listen && genl_join(&x.g, x.g.grp_events))
				die("freed: joining events: %s", strerror(errno));
			kill_oom_once(o, &kt, &cg, "freed", &c, cfg, rep, false);
			if (!listen)
				continue;
			/* The notification leaves a jiffy after the exit */
			for (int w = 0; w < 100 && !x.pid; w++)
				usleep(10000);
			if (setsockopt(x.g.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP,
				       &x.g.grp_events, sizeof(x.g.grp_events)))
				die("freed: leaving events: %s", strerror(errno));
			rec_begin(&r, "freed_ntf");
			rec_int(&r, "rep", rep);
			rec_int(&r, "pid", x.pid);
			rec_int(&r, "kill_to_freed_us", x.pid ? x.k2f_us : -1);
			rec_end(&r);
		}
		note("freed: round %d/%d", rep + 1, o->reps);
	}
	x.stop = true;
	pthread_join(x.th, NULL);
	genl_close(&x.g);
	ktrace_close(&kt);
	memcg_destroy(&cg);
	unpin_all(true);
	return 0;
}
