// SPDX-License-Identifier: GPL-2.0
/*
 * Section 5 (storm), phase "cost": what the oom family costs per kill,
 * measured where it is spent, with kernel timestamps, instead of as the
 * difference of two wall-clock kill loops (whose noise under TCG is ~17 %
 * IQR per block against a 2 % target).
 *
 * The storm's kill loop runs in 25-kill blocks of three kinds, rotating as
 * in the fine-grained phase: "left" (no member of the family's groups, the
 * kernel captures nothing), "queued" (a socket is a member, read only
 * after the block), "read" (a thread reads as the messages come).  A
 * private tracefs instance records, per CPU, the tracepoints that sit
 * right next to each of the family's hooks in mm/oom_kill.c:
 *
 *   oom:mark_victim -> printk:console "Killed process"
 *        oom_nl_victim() (+ put_cred() and formatting that printk)
 *   oom:reap_queued -> timer:timer_start of wake_oom_reaper
 *        oom_nl_reap_queued() (+ get_task_struct(), timer_setup())
 *   oom:reap_result (softirq) -> timer:timer_expire_exit, same CPU
 *        oom_nl_reap_done() (+ put_task_struct()), the delay timer's end
 *
 * Inside a bracket, workqueue:workqueue_queue_work of oom_nl_work_fn (the
 * record is in the ring, queue_work() starts) and sched:sched_waking of a
 * kworker (queue_work() wakes the sender) split it into capture (record
 * built, numbered, copied into the ring), queueing and waking the sender
 * with what follows the hook.
 *
 * And the sender work item: workqueue:workqueue_execute_start/end of
 * oom_nl_work_fn, and every kworker's time on a CPU (sched:sched_switch
 * into and out of a kworker), which adds the worker's wake-ups.  Each
 * bracket's kind-minus-left difference is what capturing the record
 * costs in the OOM path; the bracket itself in "left" blocks bounds what
 * the family costs with nobody listening (everything a kernel with
 * CONFIG_OOM_NETLINK=y runs per kill that =n does not is inside them).
 *
 * Trace timestamps are printed in whole microseconds; a bracket's mean over
 * a block is unbiased (the events fall at random phases of the
 * microsecond).  The tracepoints themselves cost the same in every kind.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "bench.h"
#include "fileio.h"

#define COST_CPUS	8
#define COST_MAX	256	/* bracket samples kept per block */

/* The address of @sym in /proc/kallsyms, or 0 */
static unsigned long long ksym(const char *sym)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256], name[128], type;
	unsigned long long addr, found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &addr, &type, name) == 3 &&
		    !strcmp(name, sym))
			found = addr;
	fclose(f);
	return found;
}

static int ev_write(struct tracer *t, const char *ev, const char *file,
		    const char *val)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/events/%s/%s", t->dir, ev, file);
	return file_write_str(path, val);
}

/* Enable @ev ("system/event") with @filter if given; a refused filter is noted */
static int ev_on(struct tracer *t, const char *ev, const char *filter)
{
	if (filter && ev_write(t, ev, "filter", filter))
		note("cost: filter '%s' on %s refused, unfiltered", filter, ev);
	return ev_write(t, ev, "enable", "1");
}

/* A bracket: its samples in one block */
struct bracket {
	int n;
	double v[COST_MAX];
	/* brackets with a queue_work() inside: start -> queue_work ... */
	int nq;
	double to_queue, queue_to_wake, wake_to_end;
	int nw;			/* ... of which woke a kworker */
};

/* Mean after dropping the top and bottom 10 % (interrupts, preemption) */
static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double trimmed(struct bracket *b)
{
	int cut = b->n / 10, n = 0;
	double s = 0;

	if (!b->n)
		return -1;
	qsort(b->v, b->n, sizeof(*b->v), cmp_d);
	for (int i = cut; i < b->n - cut; i++, n++)
		s += b->v[i];
	return s / n;
}

static double mean(const struct bracket *b)
{
	double s = 0;

	for (int i = 0; i < b->n; i++)
		s += b->v[i];
	return b->n ? s / b->n : -1;
}

static void add(struct bracket *b, double v)
{
	if (b->n < COST_MAX)
		b->v[b->n++] = v;
}

enum { B_VICTIM, B_QUEUED, B_DONE, B_NR };
static const char *const bname[B_NR] = { "victim", "queued", "done" };

struct block {
	int64_t t0, t1;			/* the timed loop, CLOCK_MONOTONIC us */
	struct bracket b[B_NR];
	long exec_n;			/* oom_nl_work_fn executions */
	double exec_us;			/* ... their summed duration */
	double kw_us;			/* every kworker's time on a CPU */
	long kw_runs;
	long done_softirq, done_other;	/* reap_result in the timer or not */
};

/* Per CPU: open brackets, the worker running and its state */
struct cpu_state {
	int64_t open[B_NR];
	int64_t qw[B_NR], wk[B_NR];	/* queue_work, waking inside it */
	int64_t exec_start;
	int64_t kw_in;			/* a kworker switched in at, -1 = no */
};

static bool in_block(const struct block *blk, int64_t ts, int64_t grace)
{
	return ts >= blk->t0 && ts <= blk->t1 + grace;
}

/* A bracket closed at @ts: its sample and its parts */
static void close_b(struct block *blk, struct cpu_state *c, int i, int64_t ts)
{
	struct bracket *b = &blk->b[i];

	if (c->open[i] < 0 || !in_block(blk, c->open[i], 0))
		return;
	add(b, ts - c->open[i]);
	if (c->qw[i] >= 0) {
		b->nq++;
		b->to_queue += c->qw[i] - c->open[i];
		if (c->wk[i] >= 0) {
			b->nw++;
			b->queue_to_wake += c->wk[i] - c->qw[i];
			b->wake_to_end += ts - c->wk[i];
		}
	}
}

/* The one bracket open on this CPU, or -1 */
static int open_b(const struct cpu_state *c)
{
	for (int i = 0; i < B_NR; i++)
		if (c->open[i] >= 0)
			return i;
	return -1;
}

static void start_b(struct cpu_state *c, int i, int64_t ts)
{
	c->open[i] = ts;
	c->qw[i] = c->wk[i] = -1;
}

static void feed(struct block *blk, struct cpu_state *c,
		 const struct trace_event *ev)
{
	int64_t ts = ev->ts_us;
	char val[64];
	int i;

	if (!strcmp(ev->name, "mark_victim")) {
		start_b(c, B_VICTIM, ts);
	} else if (!strcmp(ev->name, "console")) {
		if (strstr(ev->fields, "Killed process"))
			close_b(blk, c, B_VICTIM, ts);
		c->open[B_VICTIM] = -1;
	} else if (!strcmp(ev->name, "reap_queued")) {
		start_b(c, B_QUEUED, ts);
	} else if (!strcmp(ev->name, "timer_start")) {
		if (strstr(ev->fields, "function=wake_oom_reaper")) {
			close_b(blk, c, B_QUEUED, ts);
			c->open[B_QUEUED] = -1;
		}
	} else if (!strcmp(ev->name, "reap_result")) {
		bool sirq = trace_in_irq(ev);

		if (in_block(blk, ts, 0)) {
			blk->done_softirq += sirq;
			blk->done_other += !sirq;
		}
		if (sirq)
			start_b(c, B_DONE, ts);
		else
			c->open[B_DONE] = -1;
	} else if (!strcmp(ev->name, "timer_expire_exit")) {
		close_b(blk, c, B_DONE, ts);
		c->open[B_DONE] = -1;
	} else if (!strcmp(ev->name, "workqueue_queue_work")) {
		i = open_b(c);
		if (i >= 0 && c->qw[i] < 0 && strstr(ev->fields, "oom_nl_work_fn"))
			c->qw[i] = ts;
	} else if (!strcmp(ev->name, "sched_waking")) {
		i = open_b(c);
		if (i >= 0 && c->qw[i] >= 0 && c->wk[i] < 0)
			c->wk[i] = ts;
	} else if (!strcmp(ev->name, "workqueue_execute_start")) {
		c->exec_start = strstr(ev->fields, "oom_nl_work_fn") ? ts : -1;
	} else if (!strcmp(ev->name, "workqueue_execute_end")) {
		if (c->exec_start >= 0 && strstr(ev->fields, "oom_nl_work_fn") &&
		    in_block(blk, c->exec_start, 50000)) {
			blk->exec_n++;
			blk->exec_us += ts - c->exec_start;
		}
		c->exec_start = -1;
	} else if (!strcmp(ev->name, "sched_switch")) {
		/* The worker may be preempted or move: close on switch-out */
		if (c->kw_in >= 0 && trace_field(ev, "prev_comm", val, sizeof(val)) &&
		    !strncmp(val, "kworker", 7)) {
			if (in_block(blk, c->kw_in, 50000)) {
				blk->kw_us += ts - c->kw_in;
				blk->kw_runs++;
			}
			c->kw_in = -1;
		}
		if (trace_field(ev, "next_comm", val, sizeof(val)) &&
		    !strncmp(val, "kworker", 7))
			c->kw_in = ts;
		/* An execution cut by a switch is not one we can time */
		c->exec_start = -1;
	}
}

/* Read every CPU's pipe empty, feeding @blk */
static void collect(int ncpu, int fds[], struct block *blk)
{
	for (int cpu = 0; cpu < ncpu; cpu++) {
		struct cpu_state c = {
			.open = { -1, -1, -1 }, .qw = { -1, -1, -1 },
			.wk = { -1, -1, -1 }, .exec_start = -1, .kw_in = -1,
		};
		char buf[16384], line[1024];
		size_t len = 0;
		ssize_t n;

		if (fds[cpu] < 0)
			continue;
		while ((n = read(fds[cpu], buf + len, sizeof(buf) - len - 1)) > 0) {
			char *p = buf, *nl;

			len += n;
			buf[len] = '\0';
			while ((nl = memchr(p, '\n', buf + len - p))) {
				struct trace_event ev;

				snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
				if (!trace_parse_line(line, &ev))
					feed(blk, &c, &ev);
				p = nl + 1;
			}
			len = buf + len - p;
			memmove(buf, p, len);
			if (len >= sizeof(buf) - 1)
				len = 0;	/* a line longer than buf */
		}
	}
}

struct reader {
	struct genl g;
	volatile bool stop;
	long msgs;
};

static void *reader_main(void *arg)
{
	char buf[65536] __attribute__((aligned(4)));
	struct reader *x = arg;

	while (!x->stop)
		if (recv(x->g.fd, buf, sizeof(buf), 0) > 0)
			x->msgs++;
	return NULL;
}

static int member(struct genl *g, bool join)
{
	int opt = join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;

	if (setsockopt(g->fd, SOL_NETLINK, opt, &g->grp_config,
		       sizeof(g->grp_config)) ||
	    setsockopt(g->fd, SOL_NETLINK, opt, &g->grp_events,
		       sizeof(g->grp_events)))
		return errno;
	return 0;
}

static long drain(struct genl *g)
{
	char buf[65536] __attribute__((aligned(4)));
	long n = 0;

	while (recv(g->fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

static void block_rec(const struct bopts *o, struct block *blk,
		      const char *phase, bool family, const char *kind, int rep,
		      int kills, int killed, long msgs)
{
	struct rec r;
	char key[32];

	rec_begin(&r, "storm");
	rec_str(&r, "phase", phase);
	rec_int(&r, "family", family);
	rec_str(&r, "cfg", kind);
	rec_int(&r, "rep", rep);
	rec_int(&r, "kills", kills);
	rec_int(&r, "killed", killed);
	rec_num(&r, "loop_ms", (blk->t1 - blk->t0) / 1000.0);
	rec_num(&r, "ms_per_kill", (blk->t1 - blk->t0) / 1000.0 / kills);
	rec_int(&r, "messages", msgs);
	for (int i = 0; i < B_NR; i++) {
		snprintf(key, sizeof(key), "%s_n", bname[i]);
		rec_int(&r, key, blk->b[i].n);
		snprintf(key, sizeof(key), "%s_mean_us", bname[i]);
		rec_num(&r, key, mean(&blk->b[i]));
		snprintf(key, sizeof(key), "%s_tmean_us", bname[i]);
		rec_num(&r, key, trimmed(&blk->b[i]));
		snprintf(key, sizeof(key), "%s_nq", bname[i]);
		rec_int(&r, key, blk->b[i].nq);
		snprintf(key, sizeof(key), "%s_nw", bname[i]);
		rec_int(&r, key, blk->b[i].nw);
		snprintf(key, sizeof(key), "%s_to_q_us", bname[i]);
		rec_num(&r, key, blk->b[i].to_queue);
		snprintf(key, sizeof(key), "%s_q_to_w_us", bname[i]);
		rec_num(&r, key, blk->b[i].queue_to_wake);
		snprintf(key, sizeof(key), "%s_w_to_end_us", bname[i]);
		rec_num(&r, key, blk->b[i].wake_to_end);
	}
	rec_int(&r, "done_softirq", blk->done_softirq);
	rec_int(&r, "done_other", blk->done_other);
	rec_int(&r, "exec_n", blk->exec_n);
	rec_num(&r, "exec_us", blk->exec_us);
	rec_int(&r, "kworker_runs", blk->kw_runs);
	rec_num(&r, "kworker_us", blk->kw_us);
	if (o->label)
		rec_str(&r, "label", o->label);
	rec_end(&r);
}

void storm_cost(const struct bopts *o, int rounds, int kills, bool left_only,
		const char *phase)
{
	static const char *const kinds[] = { "left", "queued", "read" };
	int nkinds = left_only ? 1 : 3;
	bool family;
	struct tracer t;
	struct reader x = { 0 };
	struct genl q;
	pthread_t th;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	int fds[COST_CPUS], ncpu = 0, killed, err;
	unsigned long long fn;
	char path[400], filter[96];

	err = tracer_open(&t, "oombench-cost");
	if (err) {
		note("cost: no tracefs instance: %s", strerror(err));
		return;
	}
	snprintf(path, sizeof(path), "%s/buffer_size_kb", t.dir);
	file_write_str(path, "8192");
	err = ev_on(&t, "oom/mark_victim", NULL) ?:
	      ev_on(&t, "oom/reap_queued", NULL) ?:
	      ev_on(&t, "oom/reap_result", NULL) ?:
	      ev_on(&t, "printk/console", "msg ~ \"*Killed process*\"") ?:
	      ev_on(&t, "timer/timer_expire_exit", NULL) ?:
	      ev_on(&t, "sched/sched_waking", "comm ~ \"kworker*\"") ?:
	      ev_on(&t, "sched/sched_switch",
		    "prev_comm ~ \"kworker*\" || next_comm ~ \"kworker*\"");
	fn = ksym("wake_oom_reaper");
	snprintf(filter, sizeof(filter), "function == 0x%llx", fn);
	err = err ?: ev_on(&t, "timer/timer_start", fn ? filter : NULL);
	/* The sender: absent with CONFIG_OOM_NETLINK=n */
	fn = ksym("oom_nl_work_fn");
	snprintf(filter, sizeof(filter), "function == 0x%llx", fn);
	if (fn) {
		err = err ?: ev_on(&t, "workqueue/workqueue_queue_work", filter);
		err = err ?: ev_on(&t, "workqueue/workqueue_execute_start", filter);
		err = err ?: ev_on(&t, "workqueue/workqueue_execute_end", filter);
	}
	if (err) {
		note("cost: tracepoints: %s", strerror(err));
		tracer_close(&t);
		return;
	}
	for (int cpu = 0; cpu < COST_CPUS; cpu++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe", t.dir, cpu);
		fds[cpu] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fds[cpu] >= 0)
			ncpu = cpu + 1;
	}

	err = genl_open(&x.g);
	family = err != -ENOENT;
	if (!family && left_only)	/* CONFIG_OOM_NETLINK=n: nobody to join */
		err = 0;
	else if (!err)
		err = genl_open(&q);
	if (err)
		die("cost: oom family: %s", strerror(-err));
	if (family) {
		setsockopt(x.g.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		pthread_create(&th, NULL, reader_main, &x);
	}
	{
		struct block scratch = { 0 };

		collect(ncpu, fds, &scratch);	/* whatever came before */
	}
	for (int p = 0; p < rounds; p++) {
		for (int i = 0; i < nkinds; i++) {
			const char *kind = kinds[(i + p) % nkinds];
			struct block *blk = calloc(1, sizeof(*blk));
			long m0 = x.msgs, msgs = 0;

			if (!blk)
				die("cost: out of memory");
			if (!left_only && (member(&x.g, !strcmp(kind, "read")) ||
					   member(&q, !strcmp(kind, "queued"))))
				die("cost: membership: %s", strerror(errno));
			blk->t0 = now_us();
			storm_run(kills, &killed);
			blk->t1 = now_us();
			/* Let the sender finish what the block captured */
			usleep(20000);
			if (!left_only) {
				member(&q, false);
				member(&x.g, false);
				msgs = drain(&q) + x.msgs - m0;
			}
			collect(ncpu, fds, blk);
			block_rec(o, blk, phase, family, kind, p, kills, killed, msgs);
			free(blk);
		}
	}
	if (family) {
		x.stop = true;
		pthread_join(th, NULL);
		genl_close(&x.g);
	}
	if (!left_only)
		genl_close(&q);
	for (int cpu = 0; cpu < ncpu; cpu++)
		if (fds[cpu] >= 0)
			close(fds[cpu]);
	snprintf(path, sizeof(path), "%s/events/enable", t.dir);
	file_write_str(path, "0");
	tracer_close(&t);
	note("cost: %d rounds of %d-kill blocks, traced", rounds, kills);
}

/*
 * Section "cost": only the "left" blocks of the phase above, on whatever
 * kernel is booted: bench/run.sh boots the patched kernel and the same
 * with CONFIG_OOM_NETLINK=n (make kernel-nonl) alternately, and the
 * difference of their brackets is what the family costs with nobody
 * listening.  -n rounds of 25 kills.
 */
int sec_cost(const struct bopts *o)
{
	struct memcg cg;
	int killed, err;

	err = storm_setup(&cg, "oombench-cost");
	if (err)
		die("cost: memcg: %s", strerror(err));
	storm_run(5, &killed);	/* warm up */
	storm_cost(o, o->reps, 25, true, "nonl-cmp");
	storm_teardown(&cg);
	return 0;
}
