// SPDX-License-Identifier: GPL-2.0
/* The command line: options before and after the command, errors */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "event.h"
#include "tap.h"

struct parsed {
	int ret, nargs;
	const struct command *cmd;
	struct opts o;
	char *args[8];
};

/* Parse "oomctl" + words (NULL-terminated), with stdout/stderr muted */
static struct parsed parse(const char *first, ...)
{
	char *argv[16] = { "oomctl" };
	int argc = 1, out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	struct parsed p = { .nargs = 0 };
	char **args;
	va_list ap;

	va_start(ap, first);
	for (const char *w = first; w && argc < 15; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	fflush(stdout);
	dup2(null, 1);
	dup2(null, 2);
	p.ret = cmdline_parse(argc, argv, &p.o, &p.cmd, &p.nargs, &args);
	fflush(stdout);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	for (int i = 0; args && i < p.nargs && i < 8; i++)
		p.args[i] = args[i];
	free(args);
	return p;
}

static bool is(const struct parsed *p, const char *cmd, int nargs)
{
	return p->ret == -1 && p->cmd && !strcmp(p->cmd->name, cmd) && p->nargs == nargs;
}

void test_cmdline(void)
{
	struct parsed p;

	p = parse(NULL);
	ok(is(&p, "show", 1), "no command means show");
	p = parse("-j", "-p", NULL);
	ok(is(&p, "show", 1) && (p.o.format == FMT_JSON) && p.o.pretty, "-j -p alone: show, pretty JSON");
	p = parse("--json", "--no-header", "stats", NULL);
	ok(is(&p, "stats", 1) && (p.o.format == FMT_JSON) && p.o.no_header, "--json --no-header stats");
	p = parse("monitor", "-j", "--count", "3", "--timeout", "20s", NULL);
	ok(is(&p, "monitor", 1) && (p.o.format == FMT_JSON) && p.o.has_count && p.o.count == 3 &&
	   p.o.has_timeout && p.o.timeout_ms == 20000,
	   "monitor -j --count 3 --timeout 20s: options after the command");
	p = parse("monitor", "--events", "victim,policy", "--timestamp", "--tracefs", NULL);
	ok(is(&p, "monitor", 1) && p.o.events == (EVC_VICTIM | EVC_POLICY) &&
	   p.o.timestamp && p.o.tracefs, "monitor --events victim,policy --timestamp --tracefs");
	p = parse("set", "delay", "250ms", "order", "forward", NULL);
	ok(is(&p, "set", 5) && !strcmp(p.args[1], "delay") && !strcmp(p.args[4], "forward"),
	   "set delay 250ms order forward: four arguments");
	p = parse("set", "delay", "250", "-n", NULL);
	ok(is(&p, "set", 3) && p.o.no_header, "set delay 250 -n: a global option at the end");
	p = parse("apply", "--check", "/etc/oom.conf", NULL);
	ok(is(&p, "apply", 2) && p.o.check && !strcmp(p.args[1], "/etc/oom.conf"),
	   "apply --check FILE");
	p = parse("apply", "-", "--dry-run", NULL);
	ok(is(&p, "apply", 2) && p.o.dry_run && !strcmp(p.args[1], "-"),
	   "apply - --dry-run: '-' is stdin, not an option");
	p = parse("dump", "--foo", "-j", NULL);
	ok(is(&p, "dump", 4) && !(p.o.format == FMT_JSON) && !strcmp(p.args[1], "dump") &&
	   !strcmp(p.args[2], "--foo") && !strcmp(p.args[3], "-j"),
	   "dump passes its arguments through untouched");
	p = parse("--no-pager", "dump", "--no-pager", NULL);
	ok(is(&p, "dump", 4) && !strcmp(p.args[1], "--no-pager") && !strcmp(p.args[2], "dump"),
	   "--no-pager dump: systemd's oomctl gets the whole command line");

	/* What this oomctl does not know is systemd's oomctl's */
	p = parse("bogus", "--no-pager", "x", NULL);
	ok(p.ret == -1 && p.cmd->run == cmd_systemd && p.nargs == 4 && !strcmp(p.args[0], "bogus") &&
	   !strcmp(p.args[1], "bogus") && !strcmp(p.args[3], "x"),
	   "an unknown command goes to systemd's oomctl, whole command line");
	p = parse("-n", "bogus", "--count", "x", NULL);
	ok(p.ret == -1 && p.cmd->run == cmd_systemd && p.nargs == 5 && !strcmp(p.args[0], "bogus") &&
	   !strcmp(p.args[1], "-n") && !strcmp(p.args[2], "bogus"),
	   "options before an unknown command go along, options after it are not parsed");
	p = parse("--no-pager", NULL);
	ok(p.ret == -1 && p.cmd->run == cmd_systemd && p.nargs == 2 && !p.args[0] &&
	   !strcmp(p.args[1], "--no-pager"),
	   "--no-pager alone: systemd's oomctl (its default, dump)");
	p = parse("--no-pager", "show", NULL);
	ok(is(&p, "show", 1) && p.o.no_pager, "--no-pager show: this oomctl, --no-pager ignored");
	p = parse("stats", "--no-pager", NULL);
	ok(is(&p, "stats", 1) && p.o.no_pager, "stats --no-pager: a global option after the command");
	p = parse("help", NULL);
	ok(is(&p, "help", 1), "help is this oomctl's");
	p = parse("help", "dump", NULL);
	ok(p.ret == 2, "help dump: no arguments, exit 2");

	p = parse("-o", "json", "show", NULL);
	ok(is(&p, "show", 1) && p.o.format == FMT_JSON, "-o json show: as -j");
	p = parse("monitor", "-o", "journal", NULL);
	ok(is(&p, "monitor", 1) && p.o.format == FMT_JOURNAL, "monitor -o journal");
	p = parse("-o", "prometheus", "stats", NULL);
	ok(is(&p, "stats", 1) && p.o.format == FMT_PROMETHEUS,
	   "-o prometheus stats: before the command too");
	p = parse("-o", "prometheus", "show", NULL);
	ok(p.ret == 2, "-o prometheus show: a format of stats only, exit 2");
	p = parse("stats", "-o", "journal", NULL);
	ok(p.ret == 2, "stats -o journal: a format of monitor only, exit 2");
	p = parse("-o", "yaml", NULL);
	ok(p.ret == 2, "-o yaml: unknown format, exit 2");
	p = parse("-o", NULL);
	ok(p.ret == 2, "-o without a value: exit 2");

	p = parse("--bogus", NULL);
	ok(p.ret == 2, "unknown global option: exit 2");
	p = parse("show", "--count", "3", NULL);
	ok(p.ret == 2, "show --count: a monitor option elsewhere is exit 2");
	p = parse("--count", "3", "monitor", NULL);
	ok(p.ret == 2, "--count before the command: exit 2");
	p = parse("monitor", "--count", "0", NULL);
	ok(p.ret == 2, "--count 0: exit 2");
	p = parse("monitor", "--count", "x", NULL);
	ok(p.ret == 2, "--count x: exit 2");
	p = parse("monitor", "--count", NULL);
	ok(p.ret == 2, "--count without a value: exit 2");
	p = parse("monitor", "--timeout", "soon", NULL);
	ok(p.ret == 2, "--timeout soon: exit 2");
	p = parse("monitor", "--events", "victims", NULL);
	ok(p.ret == 2, "--events victims: exit 2");
	p = parse("apply", "--check", "--dry-run", "f", NULL);
	ok(is(&p, "apply", 2) && p.o.check && p.o.dry_run,
	   "apply --check --dry-run parses (the command refuses the pair)");
	p = parse("-h", NULL);
	ok(p.ret == 0, "-h: exit 0");
	p = parse("set", "--help", NULL);
	ok(p.ret == 0, "set --help: exit 0");
	p = parse("-V", NULL);
	ok(p.ret == 0, "-V: exit 0");
	p = parse("__complete", NULL);
	ok(is(&p, "__complete", 1), "__complete is a (hidden) command");

	/* Argument counts come from the command table */
	p = parse("show", "extra", NULL);
	ok(p.ret == 2, "show extra: no arguments, exit 2");
	p = parse("monitor", "--count", "2", "extra", NULL);
	ok(p.ret == 2, "monitor --count 2 extra: options are not arguments, the rest is exit 2");
	p = parse("set", NULL);
	ok(p.ret == 2, "set alone: nothing to set, exit 2");
	p = parse("set", "delay", NULL);
	ok(is(&p, "set", 2), "set delay: parsed; set itself asks for the value");
	p = parse("apply", NULL);
	ok(is(&p, "apply", 1), "apply without a file: the configuration directories");
	p = parse("apply", "a", "-", "b", NULL);
	ok(is(&p, "apply", 4), "apply a - b: several files");
	p = parse("apply", "--root", "/img", "--check", NULL);
	ok(is(&p, "apply", 1) && p.o.check && p.o.root && !strcmp(p.o.root, "/img"),
	   "apply --root DIR --check");
	p = parse("apply", "--root", "", NULL);
	ok(p.ret == 2, "apply --root '': exit 2");
	p = parse("show", "--root", "/img", NULL);
	ok(p.ret == 2, "--root is apply's: show --root, exit 2");
	p = parse("dump", "a", "b", "c", NULL);
	ok(is(&p, "dump", 5), "dump takes any number of arguments");

	/* The --events classes come from event.c's one table */
	char list[32];
	unsigned int all = 0;

	ok(!strcmp(event_class_list(EVC_VICTIM | EVC_POLICY, list, sizeof(list)), "victim,policy"),
	   "event classes victim|policy print as 'victim,policy'");
	ok(!strcmp(event_class_list(EVC_ALL, list, sizeof(list)), "victim,reap,policy,freed"),
	   "all classes print as their names, not 'all'");
	ok(!strcmp(event_class_syntax(), "victim,reap,policy,freed or all"),
	   "--events syntax: 'victim,reap,policy,freed or all'");
	ok(event_class(EV_FREED) == EVC_FREED &&
	   event_parse_classes("all", &all) == 0 && (all & EVC_FREED) &&
	   !(EVC_FREED & (EVC_VICTIM | EVC_REAP | EVC_POLICY)),
	   "freed events are a class of their own, in all");
}
