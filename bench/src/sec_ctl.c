// SPDX-License-Identifier: GPL-2.0
/*
 * Section 4: the control plane.
 *
 * In-process (records "ctl", kind "inproc"): per operation, in blocks of
 * o->kills operations, interleaved and alternating which goes first:
 *   nl       policy-get round trip on an open generic netlink socket
 *   nl-cold  socket + family lookup + policy-get + close (what a one-shot
 *            tool pays)
 *   sysctl   open/read/close of the three vm.oom_reap_* files
 * Whole processes (kind "proc"): fork+exec+wait of
 *   show     `oomctl show` (or `oombench nlget`, our one-shot client, if
 *            there is no oomctl yet: the record says which)
 *   sysctl   busybox `sysctl -n` of the three keys (static binary)
 *   version  `oomctl --version`: the cost of starting the dynamic binary
 *            (exec, ld.so, libmnl + libc) before any netlink
 *   nlget    `oombench nlget`: our one-shot raw-socket policy-get
 * stdout of the processes goes to /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "fileio.h"
#include "oom_policy.h"

extern char **environ;

static const char *const sysctl_files[] = {
	OOM_REAP_DELAY_MS, OOM_REAP_FROZEN_BYPASS, OOM_REAP_ORDER,
};

static int read_sysctls(struct oom_pol *p)
{
	char buf[32];
	uint32_t *dst[] = { &p->delay_ms, &p->bypass, &p->order };

	for (int i = 0; i < 3; i++) {
		int err = file_read(sysctl_files[i], buf, sizeof(buf));

		if (err)
			return -err;
		*dst[i] = strtoul(buf, NULL, 10);
	}
	return 0;
}

/* Mean microseconds per operation over @n operations of @kind */
static double time_inproc(const char *kind, struct genl *g, int n)
{
	struct oom_pol p;
	int64_t t0 = now_us();

	for (int i = 0; i < n; i++) {
		int err;

		if (!strcmp(kind, "nl")) {
			err = genl_policy_get(g, &p);
		} else if (!strcmp(kind, "nl-cold")) {
			struct genl c;

			err = genl_open(&c);
			if (!err)
				err = genl_policy_get(&c, &p);
			genl_close(&c);
		} else {
			err = read_sysctls(&p);
		}
		if (err)
			die("ctl: %s: %s", kind, strerror(-err));
	}
	return (double)(now_us() - t0) / n;
}

static double time_proc(char *const argv[], int n)
{
	posix_spawn_file_actions_t fa;
	int64_t t0;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now_us();
	for (int i = 0; i < n; i++) {
		pid_t pid;
		int status;

		if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ))
			die("ctl: cannot run %s", argv[0]);
		status = reap_child(pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("ctl: %s %s failed (status 0x%x)", argv[0],
			    argv[1] ? argv[1] : "", status);
	}
	posix_spawn_file_actions_destroy(&fa);
	return (double)(now_us() - t0) / n;
}

static void emit(const struct bopts *o, const char *kind, const char *what,
		 int rep, int n, double us)
{
	struct rec r;

	rec_begin(&r, "ctl");
	rec_str(&r, "kind", kind);
	rec_str(&r, "cfg", what);
	rec_int(&r, "rep", rep);
	rec_int(&r, "ops", n);
	rec_num(&r, "us_per_op", us);
	if (o->label)
		rec_str(&r, "label", o->label);
	rec_end(&r);
}

int sec_ctl(const struct bopts *o)
{
	static const char *const inproc[] = { "nl", "sysctl", "nl-cold" };
	char self[256];
	char *show_argv[4], *sysctl_argv[6], *ver_argv[3], *nlget_argv[3];
	const char *show_name;
	struct oom_pol p, s;
	struct genl g;
	int n = o->kills > 0 ? o->kills : 200;
	int nproc = n / 10 > 0 ? n / 10 : 1;
	int err;

	err = genl_open(&g);
	if (err)
		die("ctl: oom family: %s", strerror(-err));
	/* Both interfaces see the same policy */
	err = genl_policy_get(&g, &p);
	if (!err)
		err = read_sysctls(&s);
	if (err || p.delay_ms != s.delay_ms || p.bypass != s.bypass ||
	    p.order != s.order)
		die("ctl: netlink and sysctl disagree (%s)", strerror(-err));

	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len < 0)
		die("ctl: readlink: %s", strerror(errno));
	self[len] = '\0';
	if (o->oomctl && access(o->oomctl, X_OK) == 0) {
		show_argv[0] = (char *)o->oomctl;
		show_argv[1] = "show";
		show_argv[2] = NULL;
		show_name = "oomctl-show";
	} else {
		show_argv[0] = self;
		show_argv[1] = "nlget";
		show_argv[2] = NULL;
		show_name = "oombench-nlget";
	}
	/* What a process costs before it does anything: exec + dynamic loading */
	ver_argv[0] = show_argv[0];
	ver_argv[1] = show_argv[0] == self ? "nlget" : "--version";
	ver_argv[2] = NULL;
	nlget_argv[0] = self;
	nlget_argv[1] = "nlget";
	nlget_argv[2] = NULL;
	sysctl_argv[0] = "/sbin/sysctl";
	if (access(sysctl_argv[0], X_OK))
		sysctl_argv[0] = "/bin/busybox";
	{
		int i = 1;

		if (!strcmp(sysctl_argv[0], "/bin/busybox"))
			sysctl_argv[i++] = "sysctl";
		sysctl_argv[i++] = "-n";
		sysctl_argv[i++] = "vm.oom_reap_delay_ms";
		sysctl_argv[i++] = "vm.oom_reap_frozen_bypass";
		sysctl_argv[i++] = "vm.oom_reap_order";
		if (i < 6)
			sysctl_argv[i] = NULL;
	}
	/* One warm-up of each, unrecorded: page cache, dynamic loader */
	time_inproc("nl", &g, 10);
	time_inproc("sysctl", &g, 10);
	time_proc(show_argv, 1);

	for (int rep = 0; rep < o->reps; rep++) {
		for (int i = 0; i < 3; i++) {
			const char *k = inproc[(i + rep) % 3];

			emit(o, "inproc", k, rep, n, time_inproc(k, &g, n));
		}
		{
			char *const *pargv[] = { show_argv, sysctl_argv, ver_argv,
						 nlget_argv };
			const char *pname[] = { show_name, "sysctl-n",
				show_argv[0] == self ? "oombench-nlget" : "oomctl-version",
				"oombench-nlget" };
			int np = show_argv[0] == self ? 2 : 4;

			for (int i = 0; i < np; i++) {
				int k = (i + rep) % np;

				emit(o, "proc", pname[k], rep, nproc,
				     time_proc(pargv[k], nproc));
			}
		}
	}
	genl_close(&g);
	note("ctl: %d repetitions of %d in-process and %d whole-process operations",
	     o->reps, n, nproc);
	return 0;
}

/* `oombench nlget`: a one-shot policy-get, printed like `sysctl -n` */
int tool_nlget(void)
{
	struct oom_pol p;
	struct genl g;
	int err = genl_open(&g);

	if (!err)
		err = genl_policy_get(&g, &p);
	genl_close(&g);
	if (err) {
		fprintf(stderr, "nlget: %s\n", strerror(-err));
		return 1;
	}
	printf("%u\n%u\n%u\n", p.delay_ms, p.bypass, p.order);
	return 0;
}
