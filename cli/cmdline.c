// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: global options, the command, its options and
 * arguments, --help and the word lists for completion, from two tables.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "event.h"
#include "oomctl.h"
#include "output.h"
#include "parse.h"

/* Options; the command-specific ones are allowed by the commands' masks */
enum {
	O_COUNT = 256, O_TIMEOUT, O_EVENTS, O_TIMESTAMP, O_TRACEFS,
	O_DRY_RUN, O_CHECK,
};
#define BIT(o) (1u << ((o) - O_COUNT))
#define MONITOR_OPTS (BIT(O_COUNT) | BIT(O_TIMEOUT) | BIT(O_EVENTS) | \
		      BIT(O_TIMESTAMP) | BIT(O_TRACEFS))
#define APPLY_OPTS (BIT(O_DRY_RUN) | BIT(O_CHECK))

static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "no-header", no_argument, NULL, 'n' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "count", required_argument, NULL, O_COUNT },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "events", required_argument, NULL, O_EVENTS },
	{ "timestamp", no_argument, NULL, O_TIMESTAMP },
	{ "tracefs", no_argument, NULL, O_TRACEFS },
	{ "dry-run", no_argument, NULL, O_DRY_RUN },
	{ "check", no_argument, NULL, O_CHECK },
	{ NULL, 0, NULL, 0 }
};
#define NGLOBAL 5	/* the first entries: allowed everywhere */

/* Help for each option, in longopts order */
static const char *const opthelp[][2] = {
	{ "-j, --json", "JSON output (monitor: one object per line)" },
	{ "-p, --pretty", "indented JSON" },
	{ "-n, --no-header", "no header lines in text output" },
	{ "-V, --version", "print the version" },
	{ "-h, --help", "print this help" },
	{ "--count N", "monitor: stop after N events" },
	{ "--timeout DURATION", "monitor: stop after DURATION" },
	{ "--events LIST", NULL },	/* the classes: event_class_syntax() */
	{ "--timestamp", "monitor: start text lines with the time" },
	{ "--tracefs", "monitor: read the oom trace events, not netlink" },
	{ "--dry-run", "apply: print what would change, change nothing" },
	{ "--check", "apply: change nothing; exit 5 if the policy differs" },
};

static int cmd_complete(struct opts *o, int argc, char **argv);

static const struct command commands[] = {
	{ "show", cmd_show, 0, "", "print the OOM reaper policy (the default)" },
	{ "set", cmd_set, 0, "SETTING VALUE...", "change settings in one atomic update" },
	{ "reset", cmd_reset, 0, "", "set everything back to the kernel defaults" },
	{ "apply", cmd_apply, APPLY_OPTS, "FILE|- [--dry-run|--check]",
	  "make the policy what a policy file says" },
	{ "stats", cmd_stats, 0, "", "counters and the reap latency histogram" },
	{ "monitor", cmd_monitor, MONITOR_OPTS, "[MONITOR OPTIONS]",
	  "print OOM events as they happen" },
	{ "dump", cmd_dump, 0, "[ARGS...]", "run systemd's oomctl dump (systemd-oomd)" },
	/* Hidden: the word lists of completions/oomctl, for its test */
	{ "__complete", cmd_complete, 0, NULL, NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void help(void)
{
	char buf[128];

	printf("Usage: oomctl [OPTIONS] COMMAND [ARGS]\n"
	       "Show and change the Linux OOM reaper's policy, watch OOM kills.\n\n"
	       "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (!commands[i].help)
			continue;
		snprintf(buf, sizeof(buf), "%s %s", commands[i].name, commands[i].args);
		if (strlen(buf) > 24)
			printf("  %s\n  %-24s %s\n", buf, "", commands[i].help);
		else
			printf("  %-24s %s\n", buf, commands[i].help);
	}
	printf("\nSettings (set, apply; reset restores the default):\n");
	for (int i = 0; i < NSETTINGS; i++) {
		char def[32];

		settings[i].format(settings[i].def, def, sizeof(def));
		snprintf(buf, sizeof(buf), "%s %s", settings[i].name, settings[i].syntax);
		printf("  %-24s %s (default %s)\n", buf, settings[i].help, def);
	}
	printf("Robust futexes: delay 0, a delay shorter than a victim needs to exit,\n"
	       "or frozen-bypass on can leave processes waiting on a robust mutex the\n"
	       "victim held hanging forever (oomctl(8), SETTINGS).\n");
	printf("\nOptions:\n");
	for (size_t i = 0; i < sizeof(opthelp) / sizeof(opthelp[0]); i++) {
		if (opthelp[i][1])
			printf("  %-24s %s\n", opthelp[i][0], opthelp[i][1]);
		else
			printf("  %-24s monitor: %s (default all)\n", opthelp[i][0],
			       event_class_syntax());
	}
	printf("\nDURATION: 250ms, 2s, 1.5s, 2m, 1h; a plain number is milliseconds.\n"
	       "Exit status: 0 ok, 1 failed, 2 usage error, 3 the kernel has no oom\n"
	       "netlink family, 4 permission denied, 5 apply --check: policy differs.\n"
	       "See oomctl(8).\n");
}

/*
 * oomctl __complete: the word lists bash completion offers, one list a
 * line, so a test can hold completions/oomctl to this table.
 */
static int cmd_complete(struct opts *o, int argc, char **argv)
{
	(void)o, (void)argc, (void)argv;
	printf("commands");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].help)
			printf(" %s", commands[i].name);
	printf("\nglobal-options");
	for (int i = 0; i < NGLOBAL; i++)
		printf(" -%c --%s", longopts[i].val, longopts[i].name);
	for (size_t c = 0; c < NCOMMANDS; c++) {
		if (!commands[c].opts)
			continue;
		printf("\n%s-options", commands[c].name);
		for (int i = NGLOBAL; longopts[i].name; i++)
			if (commands[c].opts & BIT(longopts[i].val))
				printf(" --%s", longopts[i].name);
	}
	printf("\nsettings");
	for (int i = 0; i < NSETTINGS; i++)
		printf(" %s", settings[i].name);
	for (int i = 0; i < NSETTINGS; i++) {
		if (!settings[i].words)
			continue;
		printf("\nvalues-%s", settings[i].name);
		for (int w = 0; settings[i].words[w]; w++)
			printf(" %s", settings[i].words[w]);
	}
	printf("\nevents");
	for (int i = 0; ev_classes[i].name; i++)
		printf(" %s", ev_classes[i].name);
	printf("\n");
	return EXIT_OK;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* A global option (j p n V h): -1 if it was one of those and we go on */
static int global_opt(struct opts *o, int c)
{
	switch (c) {
	case 'j':
		o->json = true;
		return -1;
	case 'p':
		o->pretty = true;
		return -1;
	case 'n':
		o->no_header = true;
		return -1;
	case 'V':
		printf("oomctl %s (oom netlink family version %d)\n",
		       OOMCTL_VERSION, OOM_FAMILY_VERSION);
		return EXIT_OK;
	case 'h':
		help();
		return EXIT_OK;
	default:	/* getopt said what was wrong */
		fprintf(stderr, "Try 'oomctl --help'.\n");
		return EXIT_USAGE;
	}
}

static int command_opt(struct opts *o, const struct command *cmd, int c,
		       const char *arg)
{
	int ret;

	if (c < O_COUNT)
		return global_opt(o, c);
	if (!(cmd->opts & BIT(c)))
		return usage_error(cmd->name, "--%s is not an option of %s",
				   longopts[NGLOBAL + c - O_COUNT].name, cmd->name);
	switch (c) {
	case O_COUNT:
		if (parse_u64(arg, &o->count) || o->count == 0)
			return usage_error(cmd->name, "--count: '%s' is not a positive number", arg);
		o->has_count = true;
		break;
	case O_TIMEOUT:
		ret = parse_duration_ms(arg, &o->timeout_ms);
		if (ret)
			return usage_error(cmd->name, "--timeout: bad duration '%s' (e.g. 500ms, 20s, 5m)", arg);
		o->has_timeout = true;
		break;
	case O_EVENTS:
		if (event_parse_classes(arg, &o->events))
			return usage_error(cmd->name, "--events: bad list '%s' (%s)", arg,
					   event_class_syntax());
		break;
	case O_TIMESTAMP:
		o->timestamp = true;
		break;
	case O_TRACEFS:
		o->tracefs = true;
		break;
	case O_DRY_RUN:
		o->dry_run = true;
		break;
	case O_CHECK:
		o->check = true;
		break;
	}
	return -1;
}

int cmdline_parse(int argc, char **argv, struct opts *o,
		  const struct command **cmd, int *nargs, char ***args)
{
	static char *deflt[] = { "show", NULL };
	int c, ret, n = 0;

	memset(o, 0, sizeof(*o));
	*args = NULL;
	/* Options before the command */
	optind = 0;
	while ((c = getopt_long(argc, argv, "+jpnVh", longopts, NULL)) != -1) {
		if (c >= O_COUNT)
			return usage_error(NULL, "--%s goes after its command",
					   longopts[NGLOBAL + c - O_COUNT].name);
		ret = global_opt(o, c);
		if (ret != -1)
			return ret;
	}
	argv += optind;
	argc -= optind;
	if (argc == 0) {
		argv = deflt;
		argc = 1;
	}
	*cmd = find_command(argv[0]);
	if (!*cmd)
		return usage_error(NULL, "unknown command '%s'", argv[0]);
	/* The command's own options, anywhere among its arguments; dump's
	 * arguments are systemd's oomctl's */
	optind = 0;
	while ((*cmd)->run != cmd_dump &&
	       (c = getopt_long(argc, argv, "jpnVh", longopts, NULL)) != -1) {
		ret = command_opt(o, *cmd, c, optarg);
		if (ret != -1)
			return ret;
	}
	if ((*cmd)->run == cmd_dump)
		optind = 1;
	/* The command name, then what getopt left */
	*args = calloc((size_t)(argc - optind) + 2, sizeof(**args));
	if (!*args)
		return EXIT_FAIL;
	(*args)[n++] = (char *)(*cmd)->name;
	for (int i = optind; i < argc; i++)
		(*args)[n++] = argv[i];
	*nargs = n;
	return -1;
}
