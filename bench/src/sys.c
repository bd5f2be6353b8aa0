// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "fileio.h"
#include "oom_policy.h"
#include "victim.h"

int pin_pid(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set) ? errno : 0;
}

int pin_self(int cpu)
{
	return pin_pid(0, cpu);
}

pid_t reaper_pid(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char path[300], comm[64];

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (file_read(path, comm, sizeof(comm)))
			continue;
		if (!strcmp(comm, "oom_reaper\n"))
			found = atoi(de->d_name);
	}
	closedir(d);
	return found;
}

int pin_reaper(int cpu)
{
	pid_t pid = reaper_pid();
	int err;

	if (!pid) {
		note("no oom_reaper thread found");
		return ESRCH;
	}
	err = pin_pid(pid, cpu);
	if (err)
		note("cannot pin oom_reaper (pid %d) to CPU %d: %s", pid, cpu,
		     strerror(err));
	return err;
}

int set_oom_score_adj(pid_t pid, int adj)
{
	char path[64], val[16];

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid ? pid : getpid());
	snprintf(val, sizeof(val), "%d", adj);
	return file_write_str(path, val);
}

long proc_status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			val = strtol(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

long proc_smaps_kb(pid_t pid, const char *key)
{
	char path[64], buf[4096], *p;
	size_t klen = strlen(key);

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	if (file_read(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; (p = strstr(p, key)); p += klen)
		if ((p == buf || p[-1] == '\n') && p[klen] == ':')
			return strtol(p + klen + 1, NULL, 10);
	return -1;
}

/* utime + stime of @pid from /proc/PID/stat, in ms; -1 if unreadable */
long proc_cpu_ms(pid_t pid)
{
	unsigned long long ut, st;
	char path[64], buf[1024];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (file_read(path, buf, sizeof(buf)))
		return -1;
	/* comm may hold spaces: the fields we want follow its ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return (long)((ut + st) * 1000 / sysconf(_SC_CLK_TCK));
}

int reap_child(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
	return status;
}

int bench_victim(struct victim *v, const struct memcg *cg, size_t size,
		 int vmas, int cpu, bool thp)
{
	return bench_victim_threads(v, cg, size, vmas, cpu, thp, 0);
}

int bench_victim_threads(struct victim *v, const struct memcg *cg,
			 size_t size, int vmas, int cpu, bool thp, int threads)
{
	struct victim_spawn_opts o = {
		.vmas = vmas < 1 ? 1 : vmas,
		.pin = cpu >= 0,
		.cpu = cpu,
		.set_score = true,
		.oom_score_adj = 0,
		.go = true,
		.threads = threads,
	};
	int err;

	if (thp)
		thp_victim_begin();
	err = victim_spawn_opts(v, cg, size, &o, 120000);
	if (thp)	/* its heap is mapped: the rest faults as usual */
		thp_victim_end();
	if (err == ENOMEM && v->exited) {
		/* It said so, or died during its setup: say which */
		if (WIFSIGNALED(v->status))
			note("victim %d: killed by signal %d during its setup",
			     v->pid, WTERMSIG(v->status));
		else
			note("victim %d: setup failed (exit %d)", v->pid,
			     WEXITSTATUS(v->status));
		v->pid = 0;
	}
	return err;
}

void unpin_all(bool self)
{
	pid_t rp = reaper_pid();
	cpu_set_t all;

	CPU_ZERO(&all);
	CPU_SET(0, &all);
	CPU_SET(1, &all);
	if (rp)
		sched_setaffinity(rp, sizeof(all), &all);
	if (self)
		sched_setaffinity(0, sizeof(all), &all);
}

const char *kernel_kind(void)
{
	return oom_policy_present() ? "patched" : "stock";
}

void policy(unsigned int delay_ms, unsigned int bypass, unsigned int order)
{
	int err = oom_policy_set(delay_ms, bypass, order);

	if (err)
		die("cannot set policy %u/%u/%u: %s", delay_ms, bypass, order,
		    strerror(err));
}

/*
 * Host parallelism probe.  Under TCG each vCPU is a host thread, and the
 * host's 2 cores are shared with other work: at times both vCPUs really
 * run at once, at times they take turns on one core, and then no kernel
 * policy can make two CPUs free memory in parallel.  The probe spins the
 * same work on CPU 0 and CPU 1 at once and compares the slower of the two
 * with the best single-CPU time seen at calibration:
 *   par = 2 * t_single_best / t_both
 * 2.0 = two full CPUs, 1.0 = one CPU's worth (taking turns, or both slowed
 * down by half), below 1 = less than one.
 */
static long probe_iters;
static atomic_int probe_ready, probe_go;

struct spin {
	int cpu;
	long iters;
	int64_t us;
};

static void spin_work(long iters)
{
	for (volatile long i = 0; i < iters; i++)
		;
}

static void *spin_main(void *arg)
{
	struct spin *s = arg;
	int64_t t0;

	pin_self(s->cpu);
	atomic_fetch_add(&probe_ready, 1);
	while (!atomic_load(&probe_go))
		;
	t0 = now_us();
	spin_work(s->iters);
	s->us = now_us() - t0;
	return NULL;
}

static int64_t run_spins(int ncpu, const int *cpus, long iters)
{
	pthread_t th[2];
	struct spin s[2];

	atomic_store(&probe_ready, 0);
	atomic_store(&probe_go, 0);
	for (int i = 0; i < ncpu; i++) {
		s[i] = (struct spin){ .cpu = cpus[i], .iters = iters };
		pthread_create(&th[i], NULL, spin_main, &s[i]);
	}
	/* Start together: every thread is pinned and spinning on the flag */
	while (atomic_load(&probe_ready) < ncpu)
		;
	atomic_store(&probe_go, 1);
	for (int i = 0; i < ncpu; i++)
		pthread_join(th[i], NULL);
	return ncpu == 1 ? s[0].us : (s[0].us > s[1].us ? s[0].us : s[1].us);
}

/* jiffies, through times(2): USER_HZ ticks derived from jiffies_64 */

int64_t jiffies_ms(void)
{
	static long hz;
	struct tms t;
	clock_t c = times(&t);

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	return (int64_t)c * 1000 / hz;
}

double par_probe(void)
{
	static const int c0[] = { 0 }, c1[] = { 1 }, both[] = { 0, 1 };
	static int64_t cal;
	int64_t ab;

	if (!probe_iters) {	/* about 6 ms of spinning on one CPU */
		long n = 100000;
		int64_t us;

		do {
			n *= 2;
			us = run_spins(1, c0, n);
		} while (us < 1000 && n < (1L << 30));
		probe_iters = n * 6000 / (us > 0 ? us : 1);
		/* the best of a few runs on each CPU: one uncontended CPU */
		for (int i = 0; i < 6; i++) {
			int64_t t = run_spins(1, i % 2 ? c1 : c0, probe_iters);

			if (!cal || t < cal)
				cal = t;
		}
	}
	ab = run_spins(2, both, probe_iters);
	if (ab <= 0)
		return 0;
	return ab < cal ? 2.0 : 2.0 * cal / ab;
}
