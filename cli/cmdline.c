// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: global options, the command, its options and
 * arguments, --help and the word lists for completion, from two tables:
 * options[] (getopt's struct option[], the help lines and the completion
 * words are built from it) and commands[] (with the argument counts that
 * are checked here, once, rather than in each command).
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

struct option_def {
	const char *name;
	int has_arg;		/* no_argument or required_argument */
	char short_name;	/* 0: long only */
	/* The commands that take it, space-separated; NULL: every one,
	 * before or after the command */
	const char *commands;
	const char *syntax;	/* the argument, for --help; NULL: none */
	const char *help;
	/* What the argument may be, printed before help; NULL: nothing */
	const char *(*values)(void);
	/* -1 to go on, or the exit code to return (cmd is NULL before the
	 * command) */
	int (*set)(struct opts *o, const char *cmd, const char *arg);
};

static void help(void);

/*
 * The output formats of -o: text and json for every command, the others
 * for the commands named (space-separated).
 */
static const struct {
	const char *name;
	const char *commands;	/* NULL: every command */
} formats[NFORMATS] = {
	[FMT_TEXT] = { "text", NULL },
	[FMT_JSON] = { "json", NULL },
	[FMT_JOURNAL] = { "journal", "monitor" },
	[FMT_PROMETHEUS] = { "prometheus", "stats" },
};

static bool has_word(const char *list, const char *name);

/* "text, json, journal (monitor), prometheus (stats)" */
static const char *format_syntax(void)
{
	static char buf[128];
	size_t n = 0;

	for (int i = 0; i < NFORMATS && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s%s",
				      i ? ", " : "", formats[i].name,
				      formats[i].commands ? " (" : "",
				      formats[i].commands ? formats[i].commands : "",
				      formats[i].commands ? ")" : "");
	return buf;
}

static int set_format(struct opts *o, const char *cmd, const char *arg)
{
	for (int i = 0; i < NFORMATS; i++) {
		if (strcmp(arg, formats[i].name))
			continue;
		if (cmd && formats[i].commands && !has_word(formats[i].commands, cmd))
			return usage_error(cmd, "-o %s is an output of %s only", arg,
					   formats[i].commands);
		o->format = (enum out_format)i;
		o->format_set = true;
		return -1;
	}
	return usage_error(cmd, "-o: unknown output format '%s' (%s)", arg,
			   format_syntax());
}

static int set_json(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->format = FMT_JSON;
	o->format_set = true;
	return -1;
}

static int set_journal(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->format = FMT_JOURNAL;
	return -1;
}

static int set_pretty(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->pretty = true;
	return -1;
}

static int set_no_header(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->no_header = true;
	return -1;
}

static int show_version(struct opts *o, const char *cmd, const char *arg)
{
	(void)o, (void)cmd, (void)arg;
	printf("oomctl %s (oom netlink family version %d)\n",
	       OOMCTL_VERSION, OOM_FAMILY_VERSION);
	return EXIT_OK;
}

static int show_help(struct opts *o, const char *cmd, const char *arg)
{
	(void)o, (void)cmd, (void)arg;
	help();
	return EXIT_OK;
}

static int set_count(struct opts *o, const char *cmd, const char *arg)
{
	if (parse_u64(arg, &o->count) || o->count == 0)
		return usage_error(cmd, "--count: '%s' is not a positive number", arg);
	o->has_count = true;
	return -1;
}

static int set_timeout(struct opts *o, const char *cmd, const char *arg)
{
	if (parse_duration_ms(arg, &o->timeout_ms))
		return usage_error(cmd, "--timeout: bad duration '%s' (e.g. 500ms, 20s, 5m)", arg);
	o->has_timeout = true;
	return -1;
}

static int set_events(struct opts *o, const char *cmd, const char *arg)
{
	if (event_parse_classes(arg, &o->events))
		return usage_error(cmd, "--events: bad list '%s' (%s)", arg,
				   event_class_syntax());
	return -1;
}

static int set_timestamp(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->timestamp = true;
	return -1;
}

static int set_tracefs(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->tracefs = true;
	return -1;
}

static int set_textfile(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd;
	o->textfile = arg;
	return -1;
}

static int set_dry_run(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->dry_run = true;
	return -1;
}

static int set_check(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->check = true;
	return -1;
}

static int set_root(struct opts *o, const char *cmd, const char *arg)
{
	if (!*arg)
		return usage_error(cmd, "--root: an empty directory name");
	o->root = arg;
	return -1;
}

static int set_no_pager(struct opts *o, const char *cmd, const char *arg)
{
	(void)cmd, (void)arg;
	o->no_pager = true;
	return -1;
}

/* In --help's order */
static const struct option_def options[] = {
	{ "json", no_argument, 'j', NULL, NULL,
	  "JSON output (monitor: one object per line); -o json", NULL, set_json },
	{ "output", required_argument, 'o', NULL, "FORMAT",
	  "", format_syntax, set_format },
	{ "pretty", no_argument, 'p', NULL, NULL, "indented JSON", NULL, set_pretty },
	{ "no-header", no_argument, 'n', NULL, NULL,
	  "no header lines in text output", NULL, set_no_header },
	{ "version", no_argument, 'V', NULL, NULL, "print the version", NULL, show_version },
	{ "help", no_argument, 'h', NULL, NULL, "print this help", NULL, show_help },
	/* systemd's oomctl's: see systemd_oomctl.c */
	{ "no-pager", no_argument, 0, NULL, NULL,
	  "ignored (nothing pages); alone, runs systemd's oomctl", NULL, set_no_pager },
	{ "count", required_argument, 0, "monitor", "N",
	  "stop after N events", NULL, set_count },
	{ "timeout", required_argument, 0, "monitor", "DURATION",
	  "stop after DURATION", NULL, set_timeout },
	{ "events", required_argument, 0, "monitor", "LIST",
	  "(default all)", event_class_syntax, set_events },
	{ "timestamp", no_argument, 0, "monitor", NULL,
	  "start text lines with the time", NULL, set_timestamp },
	{ "tracefs", no_argument, 0, "monitor", NULL,
	  "read the oom trace events, not netlink", NULL, set_tracefs },
	{ "journal", no_argument, 0, "monitor", NULL,
	  "send each event to the systemd journal; -o journal", NULL, set_journal },
	{ "textfile", required_argument, 0, "stats", "DIR",
	  "write the Prometheus format to DIR/oomctl.prom atomically", NULL, set_textfile },
	{ "dry-run", no_argument, 0, "apply", NULL,
	  "print what would change, change nothing", NULL, set_dry_run },
	{ "check", no_argument, 0, "apply", NULL,
	  "change nothing; exit 5 if the policy differs", NULL, set_check },
	{ "root", required_argument, 0, "apply", "DIR",
	  "read the policy directories under DIR", NULL, set_root },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static int cmd_complete(struct opts *o, int argc, char **argv);
static int cmd_help(struct opts *o, int argc, char **argv);

static const struct command commands[] = {
	{ "show", cmd_show, 0, 0, NULL, NULL, CMD_DEFAULT, "",
	  "print the OOM reaper policy (the default)" },
	{ "set", cmd_set, 1, ARGS_ANY, "nothing to set (settings: %s)", NULL, 0,
	  "SETTING VALUE...", "change settings in one atomic update" },
	{ "reset", cmd_reset, 0, 0, NULL, NULL, 0, "",
	  "set everything back to the kernel defaults" },
	{ "apply", cmd_apply, 0, ARGS_ANY, NULL, NULL, 0,
	  "[FILE...|-] [--dry-run|--check] [--root DIR]",
	  "make the policy what policy files say (none given: oomctl.d)" },
	{ "stats", cmd_stats, 0, 0, NULL, NULL, 0, "[--textfile DIR]",
	  "counters and the reap latency histogram" },
	{ "monitor", cmd_monitor, 0, 0, NULL, NULL, 0, "[MONITOR OPTIONS]",
	  "print OOM events as they happen" },
	/* Its arguments are systemd's oomctl's, options included */
	{ "dump", cmd_dump, 0, ARGS_ANY, NULL, NULL, CMD_PASS_THROUGH, "[ARGS...]",
	  "run systemd's oomctl dump (systemd-oomd)" },
	{ "help", cmd_help, 0, 0, NULL, NULL, 0, "", "print this help" },
	/* Hidden: the word lists of completions/oomctl, for its test */
	{ "__complete", cmd_complete, 0, ARGS_ANY, NULL, NULL, 0, NULL, NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Any other command, and --no-pager alone: systemd's oomctl */
static const struct command systemd_command = {
	"systemd's oomctl", cmd_systemd, 0, ARGS_ANY, NULL, NULL, CMD_PASS_THROUGH, NULL, NULL
};

/* Is name one of the space-separated words of list? */
static bool has_word(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (!strncmp(p, name, n) && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static bool takes(const struct option_def *d, const struct command *cmd)
{
	return !d->commands || has_word(d->commands, cmd->name);
}

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
	       "victim held hanging forever; with delay 0 it hung in 9 of 9 OOM kills\n"
	       "of a victim starved 800 ms after the kill (oomctl(8), SETTINGS).\n");
	printf("\nOptions:\n");
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option_def *d = &options[i];
		int n = 0;

		if (d->short_name)
			n = snprintf(buf, sizeof(buf), "-%c, ", d->short_name);
		snprintf(buf + n, sizeof(buf) - (size_t)n, "--%s%s%s", d->name,
			 d->syntax ? " " : "", d->syntax ? d->syntax : "");
		printf("  %-24s %s%s%s%s%s\n", buf, d->commands ? d->commands : "",
		       d->commands ? ": " : "", d->values ? d->values() : "",
		       d->values && *d->help ? " " : "", d->help);
	}
	printf("\nAny other command, and --no-pager without one, runs systemd's oomctl(1)\n"
	       "(systemd-oomd) with the same arguments, if it is installed; its help:\n"
	       "oomctl dump --help.\n");
	printf("\nDURATION: 250ms, 2s, 1.5s, 2m, 1h; a plain number is milliseconds.\n"
	       "Exit status: 0 ok, 1 failed, 2 usage error, 3 the kernel cannot do it\n"
	       "(no oom family, or a stock kernel), 4 permission denied, 5 apply --check:\n"
	       "policy differs.\n"
	       "See oomctl(8).\n");
}

static int cmd_help(struct opts *o, int argc, char **argv)
{
	(void)o, (void)argc, (void)argv;
	help();
	return EXIT_OK;
}

/*
 * oomctl __complete: the word lists bash completion offers, one list a
 * line, so a test can hold completions/oomctl to these tables.
 */
static int cmd_complete(struct opts *o, int argc, char **argv)
{
	(void)o, (void)argc, (void)argv;
	printf("commands");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].help)
			printf(" %s", commands[i].name);
	printf("\nglobal-options");
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (options[i].commands)
			continue;
		if (options[i].short_name)
			printf(" -%c", options[i].short_name);
		printf(" --%s", options[i].name);
	}
	for (size_t c = 0; c < NCOMMANDS; c++) {
		bool any = false;

		for (size_t i = 0; i < NOPTIONS; i++) {
			if (!options[i].commands || !takes(&options[i], &commands[c]))
				continue;
			if (!any)
				printf("\n%s-options", commands[c].name);
			printf(" --%s", options[i].name);
			any = true;
		}
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
	printf("\nsystemd-options %s", systemd_oomctl_options);
	printf("\nformats");
	for (int i = 0; i < NFORMATS; i++)
		printf(" %s", formats[i].name);
	printf("\nevents");
	for (int i = 0; ev_classes[i].name; i++)
		printf(" %s", ev_classes[i].name);
	printf("\n");
	return EXIT_OK;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (name ? !strcmp(commands[i].name, name) : commands[i].flags & CMD_DEFAULT)
			return &commands[i];
	return NULL;
}

/* getopt's value for an option: its letter, or 256 + its index */
static int opt_val(size_t i)
{
	return options[i].short_name ? options[i].short_name : 256 + (int)i;
}

static const struct option_def *opt_by_val(int c)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (opt_val(i) == c)
			return &options[i];
	return NULL;	/* '?': getopt said what was wrong */
}

/* getopt_long()'s view of options[]: "+jpnVh" with prefix "+" */
static void getopt_tables(struct option *lo, char *shorts, const char *prefix)
{
	size_t n = strlen(prefix);

	memcpy(shorts, prefix, n);
	for (size_t i = 0; i < NOPTIONS; i++) {
		lo[i] = (struct option){ options[i].name, options[i].has_arg, NULL, opt_val(i) };
		if (options[i].short_name) {
			shorts[n++] = options[i].short_name;
			if (options[i].has_arg == required_argument)
				shorts[n++] = ':';
		}
	}
	lo[NOPTIONS] = (struct option){ NULL, 0, NULL, 0 };
	shorts[n] = '\0';
}

/* The argument count against cmd's table entry: -1, or EXIT_USAGE */
static int check_args(const struct command *cmd, int nargs, char **args)
{
	if (nargs < cmd->min_args)
		return usage_error(cmd->name, cmd->missing ? cmd->missing : "missing arguments",
				   setting_names());
	if (cmd->max_args != ARGS_ANY && nargs > cmd->max_args)
		return usage_error(cmd->name, cmd->extra ? cmd->extra :
				   "unexpected argument '%s'", args[cmd->max_args + 1]);
	return -1;
}

int cmdline_parse(int argc, char **argv, struct opts *o,
		  const struct command **cmd, int *nargs, char ***args)
{
	struct option lo[NOPTIONS + 1];
	char shorts[2 * NOPTIONS + 2];
	char *deflt[2] = { NULL, NULL };
	const struct option_def *d;
	int c, ret, n = 0;

	memset(o, 0, sizeof(*o));
	*args = NULL;
	/* Options before the command: the global ones only */
	getopt_tables(lo, shorts, "+");
	optind = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		d = opt_by_val(c);
		if (!d) {
			fprintf(stderr, "Try 'oomctl --help'.\n");
			return EXIT_USAGE;
		}
		if (d->commands)
			return usage_error(NULL, "--%s goes after its command", d->name);
		ret = d->set(o, NULL, optarg);
		if (ret != -1)
			return ret;
	}
	argv += optind;
	argc -= optind;
	if (argc == 0 && !o->no_pager) {
		deflt[0] = (char *)find_command(NULL)->name;
		argv = deflt;
		argc = 1;
	}
	*cmd = argc ? find_command(argv[0]) : NULL;
	if (!*cmd)
		*cmd = &systemd_command;
	/* The command, then the whole command line, untouched */
	if ((*cmd)->flags & CMD_PASS_THROUGH) {
		*args = calloc((size_t)(optind + argc) + 1, sizeof(**args));
		if (!*args)
			return EXIT_FAIL;
		(*args)[n++] = argc ? argv[0] : NULL;
		for (int i = 1 - optind; i < argc; i++)
			(*args)[n++] = argv[i];
		*nargs = n;
		return -1;
	}
	/* The command's own options, anywhere among its arguments */
	getopt_tables(lo, shorts, "");
	optind = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		d = opt_by_val(c);
		if (!d) {
			fprintf(stderr, "Try 'oomctl --help'.\n");
			return EXIT_USAGE;
		}
		if (!takes(d, *cmd))
			return usage_error((*cmd)->name, "--%s is not an option of %s",
					   d->name, (*cmd)->name);
		ret = d->set(o, (*cmd)->name, optarg);
		if (ret != -1)
			return ret;
	}
	/* -o before the command was checked without one */
	if (formats[o->format].commands && !has_word(formats[o->format].commands, (*cmd)->name))
		return usage_error((*cmd)->name, "-o %s is an output of %s only",
				   formats[o->format].name, formats[o->format].commands);
	/* The command name, then what getopt left */
	*args = calloc((size_t)(argc - optind) + 2, sizeof(**args));
	if (!*args)
		return EXIT_FAIL;
	(*args)[n++] = (char *)(*cmd)->name;
	for (int i = optind; i < argc; i++)
		(*args)[n++] = argv[i];
	*nargs = n;
	return check_args(*cmd, n - 1, *args);
}
