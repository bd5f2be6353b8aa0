// SPDX-License-Identifier: GPL-2.0
/*
 * Sections 5 and 6 (monitor side): a storm of memcg OOM kills.
 *
 * A kill: clone3(CLONE_INTO_CGROUP) puts a child straight into a cgroup
 * with memory.max = 4 MiB; it touches memory until the memcg OOM-kills it
 * in its own page fault; we reap it and start the next.  The policy is the
 * default (delay 2000 ms), so each kill makes three notifications:
 * victim, reap-queued at once, reap-done when the timer fires.
 *
 * overhead (records "storm", phase "overhead"): chunks of o->kills kills
 *   without a listener and with one (oomctl monitor -j to a file, or our
 *   raw-socket nlmon), interleaved, the order alternating; the kill loop
 *   is timed, the listener started and ready before and stopped after.
 * session (phase "session"): one listener attached over o->session kills:
 *   events delivered, lost (gaps in seq, the listener's own "lost"
 *   records, the kernel's events-dropped counter), listener VmHWM.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/oom_netlink.h>

#include "bench.h"
#include "fileio.h"

extern char **environ;

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

#define STORM_MAX	"4M"
#define CHILD_MAP	(64UL << 20)

static int cgfd = -1;

static void __attribute__((noreturn)) storm_child(void)
{
	long page = 4096;
	volatile char *m = mmap(NULL, CHILD_MAP, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		_exit(2);
	for (;;)	/* until the memcg OOM-kills us */
		for (size_t off = 0; off < CHILD_MAP; off += page)
			m[off] = 1;
}

/* One OOM kill; true if the child died of SIGKILL; *pidp = its pid */
static bool kill_one(pid_t *pidp)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgfd,
	};
	long pid = syscall(SYS_clone3, &args, sizeof(args));
	int status;

	if (pid < 0)
		die("storm: clone3: %s", strerror(errno));
	if (pid == 0)
		storm_child();
	*pidp = pid;
	status = reap_child(pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/*
 * Kill loop: returns elapsed microseconds, *killed = SIGKILLed children;
 * their pids go to @pids unless it is NULL.
 */
static int64_t storm(int n, int *killed, pid_t *pids)
{
	int64_t t0 = now_us();
	pid_t pid;

	*killed = 0;
	for (int i = 0; i < n; i++) {
		*killed += kill_one(&pid);
		if (pids)
			pids[i] = pid;
	}
	return now_us() - t0;
}

int storm_setup(struct memcg *cg, const char *name)
{
	int err = memcg_create(cg, name);

	if (!err)
		err = memcg_write(cg, "memory.max", STORM_MAX);
	if (err)
		return err;
	cgfd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return cgfd < 0 ? errno : 0;
}

int64_t storm_run(int n, int *killed)
{
	return storm(n, killed, NULL);
}

void storm_teardown(struct memcg *cg)
{
	if (cgfd >= 0)
		close(cgfd);
	cgfd = -1;
	memcg_destroy(cg);
}

struct listener {
	const char *kind;	/* "oomctl" or "nlmon" */
	pid_t pid;
	char out[64];
	int warmup;		/* kills made to see it ready */
	long hwm_kb, rss_kb;
	long cpu_ms, wakeups;	/* its CPU time and voluntary switches */
};

static bool file_has(const char *path, const char *needle)
{
	char buf[8192];

	if (file_read(path, buf, sizeof(buf)))
		return false;
	return strstr(buf, needle) != NULL;
}

static void listener_start(struct listener *l, const struct bopts *o,
			   const char *self, int id)
{
	posix_spawn_file_actions_t fa;
	char *argv[5];
	int killed;

	snprintf(l->out, sizeof(l->out), "/tmp/oombench-%s-%d.out", l->kind, id);
	unlink(l->out);
	if (!strcmp(l->kind, "oomctl")) {
		argv[0] = (char *)o->oomctl;
		argv[1] = "monitor";
		argv[2] = "-j";
		argv[3] = NULL;
	} else {
		argv[0] = (char *)self;
		argv[1] = "nlmon";
		argv[2] = NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, l->out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (posix_spawn(&l->pid, argv[0], &fa, NULL, argv, environ))
		die("storm: cannot start %s", argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	/*
	 * Ready = it has received an event: kill until it shows one (nlmon
	 * also says "ready" once it has joined the groups).
	 */
	l->warmup = 0;
	for (int i = 0; i < 50; i++) {
		if (file_has(l->out, "\"victim\"") ||
		    file_has(l->out, "\"ready\""))
			return;
		if (i % 10 == 9 || !strcmp(l->kind, "oomctl")) {
			storm(1, &killed, NULL);
			l->warmup++;
		}
		usleep(100000);
	}
	die("storm: %s never became ready", l->kind);
}

/* Stop it; returns its exit status */
static int listener_stop(struct listener *l)
{
	int status = 0;

	l->hwm_kb = proc_status_kb(l->pid, "VmHWM");
	l->rss_kb = proc_status_kb(l->pid, "VmRSS");
	l->cpu_ms = proc_cpu_ms(l->pid);
	l->wakeups = proc_status_kb(l->pid, "voluntary_ctxt_switches");
	kill(l->pid, SIGINT);
	for (int i = 0; i < 50; i++) {
		if (waitpid(l->pid, &status, WNOHANG) == l->pid)
			return status;
		usleep(100000);
	}
	kill(l->pid, SIGKILL);
	return reap_child(l->pid);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct delivery {
	long events, victim, queued, done, policy, lost_records, lost_count;
	long seq_missing, dup;
	/* the timed loop's kills: how many had each of their three events */
	long k_victim, k_queued, k_done;
	long long enobufs, lat_max_us, lat_avg_us;	/* nlmon only */
};

static long num_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Per pid: bit 0 killed in the timed loop, bits 1-3 events seen */
static unsigned char *pidmap;
static long pidmax;

static void pidmap_reset(const pid_t *pids, int n)
{
	if (!pidmap) {
		char v[32] = "";

		file_read("/proc/sys/kernel/pid_max", v, sizeof(v));
		pidmax = atol(v) > 0 ? atol(v) + 1 : 4194305;
		pidmap = calloc(pidmax, 1);
		if (!pidmap)
			die("storm: out of memory");
	}
	memset(pidmap, 0, pidmax);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0 && pids[i] < pidmax)
			pidmap[pids[i]] = 1;
}

/*
 * One JSON object per line, from oomctl monitor -j or from nlmon (which
 * prints the same keys, and a summary line at the end).
 */
static void parse_events(const char *path, struct delivery *d)
{
	size_t cap = 4096, n = 0;
	uint64_t *seqs = malloc(cap * sizeof(*seqs));
	char line[4096];
	FILE *f = fopen(path, "re");

	memset(d, 0, sizeof(*d));
	if (!f || !seqs)
		die("storm: cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		long seq = num_after(line, "\"seq\":");
		long pid = num_after(line, "\"pid\":");
		int bit = 0;

		if (strstr(line, "\"summary\"")) {
			d->enobufs = num_after(line, "\"enobufs\":");
			d->lat_max_us = num_after(line, "\"lat_max_us\":");
			d->lat_avg_us = num_after(line, "\"lat_avg_us\":");
			continue;
		}
		if (strstr(line, "\"ready\""))
			continue;
		if (strstr(line, "\"type\":\"lost\"")) {
			long c = num_after(line, "\"count\":");

			d->lost_records++;
			d->lost_count += c > 0 ? c : 0;
			continue;
		}
		d->events++;
		if (strstr(line, "\"type\":\"victim\"")) {
			d->victim++;
			bit = 2;
		} else if (strstr(line, "\"type\":\"reap-queued\"")) {
			d->queued++;
			bit = 4;
		} else if (strstr(line, "\"type\":\"reap-done\"")) {
			d->done++;
			bit = 8;
		} else if (strstr(line, "\"type\":\"policy\"")) {
			d->policy++;
		}
		if (bit && pid > 0 && pid < pidmax && (pidmap[pid] & 1))
			pidmap[pid] |= bit;
		if (seq >= 0) {
			if (n == cap) {
				cap *= 2;
				seqs = realloc(seqs, cap * sizeof(*seqs));
				if (!seqs)
					die("storm: out of memory");
			}
			seqs[n++] = seq;
		}
	}
	fclose(f);
	qsort(seqs, n, sizeof(*seqs), cmp_u64);
	for (size_t i = 1; i < n; i++) {
		if (seqs[i] == seqs[i - 1])
			d->dup++;
		else
			d->seq_missing += seqs[i] - seqs[i - 1] - 1;
	}
	free(seqs);
	for (long p = 0; p < pidmax; p++) {
		if (!(pidmap[p] & 1))
			continue;
		d->k_victim += !!(pidmap[p] & 2);
		d->k_queued += !!(pidmap[p] & 4);
		d->k_done += !!(pidmap[p] & 8);
	}
}

static void delivery_rec(struct rec *r, const struct listener *l,
			 const struct delivery *d, int kills, int status)
{
	rec_str(r, "listener", l->kind);
	rec_int(r, "warmup_kills", l->warmup);
	rec_int(r, "expected", 3L * kills);
	rec_int(r, "delivered", d->k_victim + d->k_queued + d->k_done);
	rec_int(r, "k_victim", d->k_victim);
	rec_int(r, "k_queued", d->k_queued);
	rec_int(r, "k_done", d->k_done);
	rec_int(r, "events", d->events);
	rec_int(r, "victim", d->victim);
	rec_int(r, "queued", d->queued);
	rec_int(r, "done", d->done);
	rec_int(r, "policy", d->policy);
	rec_int(r, "seq_missing", d->seq_missing);
	rec_int(r, "seq_dup", d->dup);
	rec_int(r, "lost_records", d->lost_records);
	rec_int(r, "lost_count", d->lost_count);
	if (WIFSIGNALED(status))
		rec_int(r, "listener_signal", WTERMSIG(status));
	else
		rec_int(r, "listener_exit", WEXITSTATUS(status));
	rec_int(r, "hwm_kb", l->hwm_kb);
	rec_int(r, "rss_kb", l->rss_kb);
	rec_int(r, "cpu_ms", l->cpu_ms);
	rec_int(r, "wakeups", l->wakeups);
	if (!strcmp(l->kind, "nlmon")) {
		rec_int(r, "enobufs", d->enobufs);
		rec_int(r, "lat_max_us", d->lat_max_us);
		rec_int(r, "lat_avg_us", d->lat_avg_us);
	}
}

/*
 * Fine-grained overhead: a receiver thread in this process on its own
 * socket; between blocks of kills the socket joins or leaves both groups
 * (setsockopt, effective at once), so "listener" and "no listener" blocks
 * alternate every few hundred milliseconds and drifts of the host's load
 * cancel out.  With no member left the kernel builds no message at all
 * (genl_has_listeners()), which is the baseline the target is about.
 */
#include <pthread.h>

struct rx {
	struct genl g;
	volatile bool stop;
	long events;
};

static void *rx_main(void *arg)
{
	char buf[65536] __attribute__((aligned(4)));
	struct rx *x = arg;

	while (!x->stop) {
		ssize_t len = recv(x->g.fd, buf, sizeof(buf), 0);

		if (len > 0)
			x->events++;
	}
	return NULL;
}

static int rx_member(struct rx *x, bool join)
{
	int opt = join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;

	if (setsockopt(x->g.fd, SOL_NETLINK, opt, &x->g.grp_config,
		       sizeof(x->g.grp_config)) ||
	    setsockopt(x->g.fd, SOL_NETLINK, opt, &x->g.grp_events,
		       sizeof(x->g.grp_events)))
		return errno;
	return 0;
}

/* Read whatever is queued on the socket without waiting: messages read */
static long rx_drain(struct rx *x)
{
	char buf[65536] __attribute__((aligned(4)));
	long n = 0;

	while (recv(x->g.fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

/*
 * Three kinds of block, in an order rotating from one round to the next:
 *   left      no member: the kernel builds no notification at all
 *   queued    joined, nobody reading during the block: the kernel builds
 *             and queues the notifications in the OOM path, and that is
 *             all (the socket is drained after the block, untimed) -- the
 *             OOM-path cost of having a listener
 *   read      joined, a receiver thread reading as they come: adds the
 *             wakeups and the receiver's CPU time on a 2-vCPU guest
 */
static void finegrain(const struct bopts *o, int rounds, int block)
{
	static const char *const kinds[] = { "left", "queued", "read" };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	struct rx x = { 0 }, q = { 0 };
	pthread_t th;
	int killed, err;

	err = genl_open(&x.g);
	if (!err)
		err = genl_open(&q.g);
	if (err)
		die("storm: oom family: %s", strerror(-err));
	/* recv() wakes up now and then to see the stop flag */
	setsockopt(x.g.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	pthread_create(&th, NULL, rx_main, &x);
	for (int p = 0; p < rounds; p++) {
		for (int i = 0; i < 3; i++) {
			const char *kind = kinds[(i + p) % 3];
			long ev0 = x.events, queued = 0;
			struct rec r;
			int64_t us;

			if (rx_member(&x, !strcmp(kind, "read")) ||
			    rx_member(&q, !strcmp(kind, "queued")))
				die("storm: membership: %s", strerror(errno));
			us = storm(block, &killed, NULL);
			if (!strcmp(kind, "queued")) {
				rx_member(&q, false);
				queued = rx_drain(&q);
			}
			rec_begin(&r, "storm");
			rec_str(&r, "phase", "finegrain");
			rec_str(&r, "cfg", kind);
			rec_int(&r, "rep", p);
			rec_int(&r, "kills", block);
			rec_int(&r, "killed", killed);
			rec_num(&r, "loop_ms", us / 1000.0);
			rec_num(&r, "ms_per_kill", us / 1000.0 / block);
			rec_int(&r, "messages", x.events - ev0 + queued);
			if (o->label)
				rec_str(&r, "label", o->label);
			rec_end(&r);
		}
	}
	rx_member(&x, false);
	rx_member(&q, false);
	x.stop = true;
	pthread_join(th, NULL);
	genl_close(&x.g);
	genl_close(&q.g);
	note("storm: fine-grained overhead, %d rounds of %d-kill blocks", rounds, block);
}

static void counters(struct genl *g, uint64_t *dropped, uint64_t *victims)
{
	if (genl_stats_dropped(g, dropped, victims))
		*dropped = *victims = 0;
}

int sec_storm(const struct bopts *o)
{
	const char *kinds[3];
	int nkinds = 0, killed, status = 0, id = 0;
	pid_t *pids;
	char self[256], buf[128], *tok, *save;
	struct memcg cg;
	struct genl g;
	uint64_t drop0, drop1, vic0, vic1;
	ssize_t len;
	int err;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		die("storm: readlink: %s", strerror(errno));
	self[len] = '\0';
	snprintf(buf, sizeof(buf), "%s", o->cases ? o->cases : "auto");
	for (tok = strtok_r(buf, ",", &save); tok && nkinds < 2;
	     tok = strtok_r(NULL, ",", &save)) {
		bool have_oomctl = o->oomctl && !access(o->oomctl, X_OK);
		const char *k = NULL;

		if (!strcmp(tok, "auto"))
			k = have_oomctl ? "oomctl" : "nlmon";
		else if (!strcmp(tok, "oomctl") && have_oomctl)
			k = "oomctl";
		else if (!strcmp(tok, "nlmon"))
			k = "nlmon";
		else
			note("storm: listener '%s' not available, skipped", tok);
		if (k && !(nkinds == 1 && !strcmp(kinds[0], k)))
			kinds[nkinds++] = k;
	}
	if (!nkinds)
		die("storm: no listener");

	policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	err = storm_setup(&cg, "oombench-storm");
	if (err)
		die("storm: memcg: %s", strerror(err));
	err = genl_open(&g);
	if (err)
		die("storm: oom family: %s", strerror(-err));

	pids = calloc(o->kills > o->session ? o->kills : o->session, sizeof(*pids));
	if (!pids)
		die("storm: out of memory");
	storm(5, &killed, NULL);	/* warm up */
	if (killed != 5)
		die("storm: warm-up: %d of 5 children were OOM-killed", killed);

	/* overhead, fine-grained: our own socket joining and leaving */
	if (o->kills >= 10)
		finegrain(o, o->chunks * 3, 25);
	else
		finegrain(o, 1, o->kills);
	/* the same blocks traced: the cost where it is spent (sec_cost.c) */
	if (o->kills >= 10)
		storm_cost(o, o->chunks * 3, 25, false, "cost");
	else
		storm_cost(o, 1, o->kills, false, "cost");

	/* overhead: none vs each listener process, interleaved */
	for (int c = 0; c < o->chunks; c++) {
		int nmodes = nkinds + 1;

		for (int m = 0; m < nmodes; m++) {
			int mode = (m + c) % nmodes;	/* 0 = no listener */
			struct listener l = { 0 };
			struct delivery d;
			struct rec r;
			int64_t us;

			if (mode) {
				l.kind = kinds[mode - 1];
				listener_start(&l, o, self, id++);
			}
			us = storm(o->kills, &killed, pids);
			if (mode) {
				usleep(2600 * 1000);	/* the reap-done events */
				status = listener_stop(&l);
				pidmap_reset(pids, o->kills);
				parse_events(l.out, &d);
			}
			rec_begin(&r, "storm");
			rec_str(&r, "phase", "overhead");
			rec_str(&r, "cfg", mode ? l.kind : "none");
			rec_int(&r, "rep", c);
			rec_int(&r, "kills", o->kills);
			rec_int(&r, "killed", killed);
			rec_num(&r, "loop_ms", us / 1000.0);
			rec_num(&r, "ms_per_kill", us / 1000.0 / o->kills);
			if (mode)
				delivery_rec(&r, &l, &d, o->kills, status);
			if (o->label)
				rec_str(&r, "label", o->label);
			rec_end(&r);
			if (mode && !getenv("OOMBENCH_KEEP"))
				unlink(l.out);
		}
		note("storm: overhead chunk %d/%d done", c + 1, o->chunks);
	}

	/* one long session per listener */
	for (int k = 0; k < nkinds && o->session > 0; k++) {
		struct listener l = { .kind = kinds[k] };
		struct delivery d;
		struct rec r;
		int64_t us;

		counters(&g, &drop0, &vic0);
		listener_start(&l, o, self, id++);
		us = storm(o->session, &killed, pids);
		usleep(2600 * 1000);
		status = listener_stop(&l);
		counters(&g, &drop1, &vic1);
		pidmap_reset(pids, o->session);
		parse_events(l.out, &d);
		rec_begin(&r, "storm");
		rec_str(&r, "phase", "session");
		rec_str(&r, "cfg", l.kind);
		rec_int(&r, "rep", 0);
		rec_int(&r, "kills", o->session);
		rec_int(&r, "killed", killed);
		rec_num(&r, "loop_ms", us / 1000.0);
		rec_num(&r, "ms_per_kill", us / 1000.0 / o->session);
		delivery_rec(&r, &l, &d, o->session, status);
		rec_int(&r, "kernel_victims", vic1 - vic0);
		rec_int(&r, "kernel_dropped", drop1 - drop0);
		{
			char v[64] = "";

			file_read("/proc/sys/net/core/rmem_default", v, sizeof(v));
			rec_int(&r, "rmem_default", atol(v));
			file_read("/proc/sys/net/core/rmem_max", v, sizeof(v));
			rec_int(&r, "rmem_max", atol(v));
		}
		if (o->label)
			rec_str(&r, "label", o->label);
		rec_end(&r);
		if (!getenv("OOMBENCH_KEEP"))
			unlink(l.out);
		note("storm: %s session of %d kills: %ld of %d events of those kills, %ld seq missing",
		     l.kind, o->session, d.k_victim + d.k_queued + d.k_done,
		     3 * o->session, d.seq_missing);
	}
	free(pids);
	genl_close(&g);
	close(cgfd);
	memcg_destroy(&cg);
	return 0;
}

/* ---- `oombench nlmon`: count the oom family's notifications ---- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int tool_nlmon(int argc, char **argv)
{
	char buf[65536] __attribute__((aligned(4)));
	struct sigaction sa = { .sa_handler = on_signal };
	long long events = 0, by_cmd[OOM_CMD_MAX + 1] = { 0 }, enobufs = 0;
	long long missing = 0, lat_max = 0, lat_sum = 0, lat_n = 0;
	uint64_t next = 0;
	struct genl g;
	int err;

	(void)argc;
	(void)argv;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = genl_open(&g);
	if (!err)
		err = genl_join(&g, g.grp_config);
	if (!err)
		err = genl_join(&g, g.grp_events);
	if (err) {
		fprintf(stderr, "nlmon: %s\n", strerror(-err));
		return 1;
	}
	printf("{\"ready\":1}\n");
	fflush(stdout);
	while (!stop) {
		ssize_t len = recv(g.fd, buf, sizeof(buf), 0);
		int64_t now = now_us();
		struct nlmsghdr *n;

		if (len < 0) {
			if (errno == ENOBUFS)
				enobufs++;
			else if (errno != EINTR)
				break;
			continue;
		}
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, (size_t)len);
		     n = NLMSG_NEXT(n, len)) {
			struct genlmsghdr *gh = NLMSG_DATA(n);
			struct nlattr *a;
			int rem;
			uint64_t seq = 0, ts = 0;
			uint32_t pid = 0;

			if (n->nlmsg_type != g.family)
				continue;
			events++;
			if (gh->cmd <= OOM_CMD_MAX)
				by_cmd[gh->cmd]++;
			genl_for_each_attr(a, n, rem) {
				uint16_t t = a->nla_type & NLA_TYPE_MASK;

				bool pol = gh->cmd == OOM_CMD_POLICY_NTF;

				if (!pol && t == OOM_A_EVENT_PID)
					memcpy(&pid, (char *)a + NLA_HDRLEN, 4);
				/* uints: 4 bytes while they fit, then 8 */
				if (t == (pol ? OOM_A_POLICY_NTF_SEQ : OOM_A_EVENT_SEQ))
					genl_attr_uint(a, &seq);
				if (t == (pol ? OOM_A_POLICY_NTF_TIMESTAMP_NS :
					       OOM_A_EVENT_TIMESTAMP_NS))
					genl_attr_uint(a, &ts);
			}
			{
				static const char *const names[] = {
					[OOM_CMD_POLICY_NTF] = "policy",
					[OOM_CMD_VICTIM_NTF] = "victim",
					[OOM_CMD_REAP_QUEUED_NTF] = "reap-queued",
					[OOM_CMD_REAP_DONE_NTF] = "reap-done",
					[OOM_CMD_VICTIM_FREED_NTF] = "freed",
				};
				const char *name = gh->cmd <= OOM_CMD_MAX &&
					names[gh->cmd] ? names[gh->cmd] : "other";

				printf("{\"type\":\"%s\",\"pid\":%u,\"seq\":%llu}\n",
				       name, pid, (unsigned long long)seq);
			}
			if (seq) {
				if (next && seq > next)
					missing += seq - next;
				if (seq >= next)
					next = seq + 1;
			}
			if (ts) {
				long long lat = now - (long long)(ts / 1000);

				if (lat > lat_max)
					lat_max = lat;
				lat_sum += lat;
				lat_n++;
			}
		}
	}
	printf("{\"summary\":1,\"events\":%lld,\"victim\":%lld,\"queued\":%lld,\"done\":%lld,"
	       "\"freed\":%lld,\"policy\":%lld,\"missing\":%lld,\"enobufs\":%lld,"
	       "\"lat_max_us\":%lld,\"lat_avg_us\":%lld}\n",
	       events, by_cmd[OOM_CMD_VICTIM_NTF], by_cmd[OOM_CMD_REAP_QUEUED_NTF],
	       by_cmd[OOM_CMD_REAP_DONE_NTF], by_cmd[OOM_CMD_VICTIM_FREED_NTF],
	       by_cmd[OOM_CMD_POLICY_NTF],
	       missing, enobufs, lat_max, lat_n ? lat_sum / lat_n : 0);
	genl_close(&g);
	return 0;
}
