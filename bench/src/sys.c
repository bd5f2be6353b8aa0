// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "fileio.h"
#include "oom_policy.h"

int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

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

int reap_child(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
	return status;
}

void policy(unsigned int delay_ms, unsigned int bypass, unsigned int order)
{
	int err = oom_policy_set(delay_ms, bypass, order);

	if (err)
		die("cannot set policy %u/%u/%u: %s", delay_ms, bypass, order,
		    strerror(err));
}
