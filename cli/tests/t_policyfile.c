// SPDX-License-Identifier: GPL-2.0
/* Policy files: every kind of bad input, named by file:line */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <linux/oom_netlink.h>

#include "policyfile.h"
#include "tap.h"

struct result {
	int errors;
	struct policy_file pf;
	char err[2048];
};

static struct result parse(const char *text, size_t len)
{
	struct result r;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	r.errors = policy_file_parse("t.conf", text, len, &r.pf, f);
	fclose(f);
	snprintf(r.err, sizeof(r.err), "%s", buf);
	free(buf);
	return r;
}

#define PARSE(s) parse((s), sizeof(s) - 1)

/* One bad file: it fails, and the message has this text */
static void bad(const char *what, const char *text, size_t len, const char *want)
{
	struct result r = parse(text, len);

	ok(r.errors > 0 && strstr(r.err, want), "%s: rejected with '%s'", what, want);
	if (r.errors == 0 || !strstr(r.err, want))
		diag("errors %d, said: %s", r.errors, r.err);
}
#define BAD(what, s, want) bad((what), (s), sizeof(s) - 1, (want))

/* A good file: no error, and the notes said this (NULL: no notes) */
static struct result good(const char *what, const char *text, size_t len, const char *note)
{
	struct result r = parse(text, len);

	ok(r.errors == 0 && (note ? strstr(r.err, note) != NULL : !r.err[0]),
	   "%s: accepted%s%s", what, note ? ", noting " : "", note ? note : "");
	if (r.errors || (note ? !strstr(r.err, note) : r.err[0] != '\0'))
		diag("errors %d, said: %s", r.errors, r.err);
	return r;
}
#define GOOD(what, s, note) good((what), (s), sizeof(s) - 1, (note))

/* sysctl.d(5) lines: the sysctls' keys and values, BOM, '-', duplicates */
static void test_policyfile_sysctl(void)
{
	struct result r;

	r = GOOD("sysctl keys and values",
		 "vm.oom_reap_delay_ms = 250\n"
		 "vm/oom_reap_frozen_bypass=1\n"
		 "vm.oom_reap_order = 0\n", NULL);
	ok(r.pf.p.have == 7 && r.pf.p.val[SET_DELAY] == 250 &&
	   r.pf.p.val[SET_FROZEN_BYPASS] == 1 && r.pf.p.val[SET_ORDER] == OOM_REAP_ORDER_FORWARD &&
	   r.pf.line[SET_FROZEN_BYPASS] == 2 && !r.pf.optional,
	   "vm.oom_reap_delay_ms 250, vm/oom_reap_frozen_bypass 1, vm.oom_reap_order 0 (forward)");
	r = GOOD("sysctl and oomctl keys mixed", "vm.oom_reap_order = 1\ndelay = 2s\n", NULL);
	ok(r.pf.p.val[SET_ORDER] == OOM_REAP_ORDER_REVERSE && r.pf.p.val[SET_DELAY] == 2000,
	   "order 1 is reverse, delay 2s is 2000");
	BAD("sysctl key, oomctl value", "vm.oom_reap_frozen_bypass = on\n",
	    "t.conf:1: vm.oom_reap_frozen_bypass: bad value 'on' (expected 0 or 1)");
	BAD("sysctl key, order word", "vm/oom_reap_order = reverse\n",
	    "vm/oom_reap_order: bad value 'reverse' (expected 0 (forward) or 1 (reverse))");
	BAD("sysctl key, a duration", "vm.oom_reap_delay_ms = 250ms\n",
	    "bad value '250ms' (expected a number of milliseconds)");
	BAD("sysctl key, 2 for a 0/1 sysctl", "vm.oom_reap_order = 2\n",
	    "t.conf:1: vm.oom_reap_order: '2' is out of range (0 (forward) or 1 (reverse))");
	BAD("sysctl key, negative", "vm.oom_reap_delay_ms = -1\n", "bad value '-1'");
	BAD("sysctl key, hex", "vm.oom_reap_delay_ms = 0x10\n", "bad value '0x10'");
	BAD("sysctl key, beyond 32 bits", "vm.oom_reap_delay_ms = 4294967296\n",
	    "'4294967296' is out of range");
	BAD("sysctl key, empty value", "vm.oom_reap_delay_ms =\n", "bad value ''");
	BAD("another vm sysctl", "vm.swappiness = 10\n", "t.conf:1: unknown key 'vm.swappiness'");
	BAD("sysctl key without vm.", "oom_reap_delay_ms = 10\n", "unknown key 'oom_reap_delay_ms'");
	BAD("sysctl key, other separator", "vm:oom_reap_delay_ms = 10\n", "unknown key");
	BAD("JSON key is not a file key", "frozen_bypass = 1\n", "unknown key 'frozen_bypass'");

	/* A UTF-8 byte order mark: before the first key, nowhere else */
	r = GOOD("a UTF-8 BOM", "\xef\xbb\xbf" "delay = 300\n", NULL);
	ok(r.pf.p.have == 1 && r.pf.p.val[SET_DELAY] == 300 && r.pf.line[SET_DELAY] == 1,
	   "a BOM is skipped, the first line is still line 1");
	GOOD("a BOM before a comment", "\xef\xbb\xbf# policy\nvm.oom_reap_order = 1\n", NULL);
	GOOD("only a BOM", "\xef\xbb\xbf", NULL);
	BAD("a BOM on line 2", "delay = 1\n\xef\xbb\xbforder = forward\n",
	    "t.conf:2: unknown key '\\xef\\xbb\\xbforder'");
	BAD("half a BOM", "\xef\xbb" "delay = 1\n", "unknown key '\\xef\\xbbdelay'");

	/* Empty files and files of comments set nothing, and that is fine */
	r = GOOD("an empty file", "", NULL);
	ok(r.pf.p.have == 0, "an empty file sets nothing");
	r = GOOD("comments only", "# nothing\n\n   \n; here\n", NULL);
	ok(r.pf.p.have == 0, "a file of comments sets nothing");

	/* A leading '-': failures of that key are ignored (by apply) */
	r = GOOD("leading '-'", "-delay = 250\n-vm.oom_reap_order = 0\nfrozen-bypass = on\n", NULL);
	ok(r.pf.p.have == 7 && r.pf.p.val[SET_DELAY] == 250 && r.pf.p.val[SET_ORDER] == 0 &&
	   r.pf.optional == ((1u << SET_DELAY) | (1u << SET_ORDER)),
	   "'-delay' and '-vm.oom_reap_order' are optional, frozen-bypass is not");
	r = GOOD("'- key' with a space", "- delay = 5\n", NULL);
	ok(r.pf.p.val[SET_DELAY] == 5 && r.pf.optional == 1u << SET_DELAY, "'- delay' is '-delay'");
	r = GOOD("an unknown key with '-'", "-vm.oom_reap_future = 3\ndelay = 1\n",
		 "t.conf:1: unknown key 'vm.oom_reap_future' ignored (leading '-')");
	ok(r.pf.p.have == 1u << SET_DELAY && r.pf.notes == 1, "the unknown '-' key sets nothing");
	BAD("'-' does not excuse a bad value", "-delay = soon\n", "t.conf:1: delay: bad value 'soon'");
	BAD("'-' does not excuse a range error", "-vm.oom_reap_order = 7\n",
	    "vm.oom_reap_order: '7' is out of range");
	BAD("'-' alone", "- = 5\n", "t.conf:1: unknown key ''");
	BAD("'-' without '='", "-delay\n", "t.conf:1: expected KEY = VALUE, got '-delay'");

	/* Set twice: the last one wins, with a note naming both lines */
	r = GOOD("a key set twice", "delay = 1\norder = forward\ndelay = 2\n",
		 "oomctl: t.conf:3: delay set again: this wins over t.conf:1");
	ok(r.pf.p.val[SET_DELAY] == 2 && r.pf.line[SET_DELAY] == 3 && r.pf.notes == 1,
	   "the last value and its line are kept");
	r = GOOD("a setting set by both of its keys", "-delay = 100\nvm.oom_reap_delay_ms = 300\n",
		 "t.conf:2: vm.oom_reap_delay_ms set again: this wins over t.conf:1");
	ok(r.pf.p.val[SET_DELAY] == 300 && !r.pf.optional,
	   "the last line decides the value and whether a failure is ignored");
}

/* Files merged in order, later wins, each setting with its file:line */
static void test_policyfile_merge(void)
{
	struct policy_set m;
	struct result a = PARSE("delay = 100\norder = forward\n");
	struct result b = PARSE("# b\n-vm.oom_reap_delay_ms = 300\n");
	struct result c = PARSE("");
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	policy_set_init(&m);
	policy_set_merge(&m, &a.pf, "/etc/oomctl.conf", f);
	policy_set_merge(&m, &c.pf, "/usr/lib/oomctl.d/10-empty.conf", f);
	policy_set_merge(&m, &b.pf, "/etc/oomctl.d/50-b.conf", f);
	fclose(f);
	ok(m.p.have == ((1u << SET_DELAY) | (1u << SET_ORDER)) && m.p.val[SET_DELAY] == 300 &&
	   m.p.val[SET_ORDER] == OOM_REAP_ORDER_FORWARD, "merged: delay 300 of the later file, order forward");
	ok(!strcmp(m.src[SET_DELAY].file, "/etc/oomctl.d/50-b.conf") && m.src[SET_DELAY].line == 2 &&
	   !strcmp(m.src[SET_ORDER].file, "/etc/oomctl.conf") && m.src[SET_ORDER].line == 2 &&
	   !m.src[SET_FROZEN_BYPASS].file, "each setting's file and line");
	ok(m.optional == 1u << SET_DELAY, "the winning line's '-' counts");
	ok(buf && !strcmp(buf, "oomctl: /etc/oomctl.d/50-b.conf:2: delay set again: this wins "
			  "over /etc/oomctl.conf:1\n"), "one note for the override, naming both: %s", buf);
	free(buf);
}

void test_policyfile(void)
{
	struct result r;
	char big[400], many[4096], *huge;
	char path[] = "/tmp/oomctl-test-XXXXXX";
	size_t len;
	int fd;

	r = PARSE("# fleet policy\n"
		  "delay = 250ms\n"
		  "\n"
		  "  frozen-bypass=on   # inline comment\n"
		  "; also a comment\n"
		  "order\t=\treverse\r\n");
	ok(r.errors == 0 && r.pf.p.have == 7 && r.pf.p.val[SET_DELAY] == 250 &&
	   r.pf.p.val[SET_FROZEN_BYPASS] == 1 && r.pf.p.val[SET_ORDER] == 1,
	   "a good file with comments, blank lines, tabs and CRLF");
	ok(r.pf.line[SET_DELAY] == 2 && r.pf.line[SET_FROZEN_BYPASS] == 4 &&
	   r.pf.line[SET_ORDER] == 6, "the line of each setting is kept");
	r = PARSE("delay = 2s");
	ok(r.errors == 0 && r.pf.p.have == 1 && r.pf.p.val[SET_DELAY] == 2000,
	   "a subset, no final newline");

	BAD("unknown key", "delay = 1\nfrobnicate = 3\n", "t.conf:2: unknown key 'frobnicate'");
	BAD("unknown key lists the keys", "x = 1\n",
	    "keys: delay, frozen-bypass, order; or the sysctls vm.oom_reap_delay_ms, "
	    "vm.oom_reap_frozen_bypass, vm.oom_reap_order");
	BAD("JSON key is not a file key", "delay_ms = 1\n", "unknown key 'delay_ms'");
	BAD("bad delay", "delay = soon\n", "t.conf:1: delay: bad value 'soon'");
	BAD("bad bool", "\nfrozen-bypass = sometimes\n", "t.conf:2: frozen-bypass: bad value 'sometimes' (expected on|off)");
	BAD("bad order", "order = sideways\n", "order: bad value 'sideways'");
	BAD("empty value", "delay =\n", "t.conf:1: delay: bad value ''");
	BAD("out of range", "delay = 99999999999\n", "t.conf:1: delay: '99999999999' is out of range");
	BAD("missing '='", "delay 250\n", "t.conf:1: expected KEY = VALUE, got 'delay 250'");
	BAD("empty key", "= 5\n", "t.conf:1: unknown key ''");
	memset(big, 'x', sizeof(big));
	memcpy(big, "delay = 1 #", 11);
	big[sizeof(big) - 1] = '\n';
	bad("overlong line", big, sizeof(big), "t.conf:1: line too long (399 characters, at most 256)");
	memcpy(big, "delay = 1 #", 11);
	big[300] = '\n';
	memcpy(big + 301, "order = up\n", 11);
	r = parse(big, 312);
	ok(r.errors == 2 && strstr(r.err, "t.conf:1: line too long") &&
	   strstr(r.err, "t.conf:2: order: bad value"),
	   "an overlong line does not hide the error on the next line");
	BAD("NUL byte", "delay = 1\nord\0er = forward\n", "t.conf:2: NUL byte: not a text file");
	BAD("binary junk", "\x7f" "ELF\x02\x01\x01\x00\x00\x00", "t.conf:1: NUL byte");
	BAD("control characters", "delay = 1\x1b[31m\n", "t.conf:1: control character 0x1b");
	BAD("binary junk without NUL", "\xff\xfe\x01\x02garbage\n", "control character 0x01");
	BAD("high bytes are shown escaped", "d\xe9lay = 1\n", "unknown key 'd\\xe9lay'");
	test_policyfile_sysctl();
	test_policyfile_merge();

	/* Many errors: the first ten, then a count */
	len = 0;
	for (int i = 0; i < 15; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len, "bogus%d = 1\n", i);
	r = parse(many, len);
	ok(r.errors == 15 && strstr(r.err, "t.conf:10: unknown key 'bogus9'") &&
	   !strstr(r.err, "bogus10") && strstr(r.err, "5 more errors"),
	   "15 errors: ten reported, then '5 more errors'");

	/* Reading: a file, a missing file, one too big */
	fd = mkstemp(path);
	ok(fd >= 0 && write(fd, "order = forward\n", 16) == 16, "temporary policy file written");
	close(fd);
	{
		char why[128], *buf;

		ok(policy_file_read(path, &buf, &len, why, sizeof(why)) == 0 && len == 16 &&
		   !memcmp(buf, "order = forward\n", 16), "policy_file_read reads the file");
		free(buf);
		ok(policy_file_read("/nonexistent/oom.conf", &buf, &len, why, sizeof(why)) < 0 &&
		   strstr(why, "No such file"), "a missing file: %s", why);
		huge = calloc(1, PF_MAX_SIZE + 10);
		memset(huge, '#', PF_MAX_SIZE + 9);
		fd = open(path, O_WRONLY | O_TRUNC);
		ok(write(fd, huge, PF_MAX_SIZE + 9) == PF_MAX_SIZE + 9, "big file written");
		close(fd);
		free(huge);
		ok(policy_file_read(path, &buf, &len, why, sizeof(why)) == -EFBIG &&
		   strstr(why, "larger than"), "a file over %d bytes is refused: %s", PF_MAX_SIZE, why);
	}
	unlink(path);
}
