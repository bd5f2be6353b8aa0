// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_wait.h"
#include "clock.h"
#include "oomctl_mon.h"

pid_t oomctl_mon_start(const char *path, const char *rcvbuf)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		if (rcvbuf)
			setenv("OOMCTL_RCVBUF", rcvbuf, 1);
		execlp("oomctl", "oomctl", "-j", "monitor", (char *)NULL);
		_exit(127);
	}
	return pid;
}

int oomctl_mon_stop(pid_t pid, int timeout_ms)
{
	int status, err;

	kill(pid, SIGCONT);
	kill(pid, SIGTERM);
	err = child_wait(pid, &status, 0, timeout_ms);
	if (err) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -err;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool json_u64(const char *line, const char *key, uint64_t *v)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	if (!p)
		return false;
	*v = strtoull(p + strlen(pat), NULL, 10);
	return true;
}

static void parse(const char *line, struct mon_rec *r)
{
	const char *t = strstr(line, "\"type\":\"");

	memset(r, 0, sizeof(*r));
	if (t)
		sscanf(t + 8, "%15[^\"]", r->type);
	r->has_seq = json_u64(line, "seq", &r->seq);
	r->has_count = json_u64(line, "count", &r->count);
	json_u64(line, "pid", &r->pid);
}

int oomctl_mon_read(const char *path, struct mon_rec *r, int max)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f))
		parse(line, &r[n++]);
	fclose(f);
	return n;
}

int oomctl_mon_wait(const char *path, const char *type, pid_t pid, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char line[2048];

	do {
		FILE *f = fopen(path, "r");

		while (f && fgets(line, sizeof(line), f)) {
			struct mon_rec r;

			parse(line, &r);
			if (!strcmp(r.type, type) && (!pid || r.pid == (uint64_t)pid)) {
				fclose(f);
				return 0;
			}
		}
		if (f)
			fclose(f);
		usleep(20000);	/* a file has no event to wait for: poll it */
	} while (now_ms() < deadline);
	return ETIMEDOUT;
}

void oomctl_mon_check_lost(const struct mon_rec *r, int n, struct mon_check *m)
{
	uint64_t next[2] = { 0 }, pending = 0;
	bool have[2] = { false }, lost = false;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < n; i++) {
		int g = !strcmp(r[i].type, "policy") ? 0 : 1;

		m->records++;
		if (!strcmp(r[i].type, "lost")) {
			m->lost_records++;
			if (r[i].has_count) {
				pending += r[i].count;
				m->lost_total += r[i].count;
			}
			lost = true;
			continue;
		}
		if (!r[i].has_seq)
			continue;
		if (have[g] && r[i].seq > next[g]) {
			m->gaps++;
			if ((!lost || pending != r[i].seq - next[g]) && !m->bad++)
				snprintf(m->first_bad, sizeof(m->first_bad),
					 "gap %llu..%llu, lost record %s count %llu",
					 (unsigned long long)next[g],
					 (unsigned long long)r[i].seq - 1,
					 lost ? "with" : "without",
					 (unsigned long long)pending);
		} else if (lost && pending && have[g] && !m->bad++) {
			snprintf(m->first_bad, sizeof(m->first_bad),
				 "lost record (count %llu) before seq %llu, no gap",
				 (unsigned long long)pending,
				 (unsigned long long)r[i].seq);
		}
		lost = false;
		pending = 0;
		have[g] = true;
		if (r[i].seq >= next[g])
			next[g] = r[i].seq + 1;
	}
}
