// SPDX-License-Identifier: GPL-2.0
/* Policy files: every kind of bad input, named by file:line */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

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
	BAD("unknown key lists the keys", "x = 1\n", "keys: delay, frozen-bypass, order");
	BAD("JSON key is not a file key", "delay_ms = 1\n", "unknown key 'delay_ms'");
	BAD("bad delay", "delay = soon\n", "t.conf:1: delay: bad value 'soon'");
	BAD("bad bool", "\nfrozen-bypass = sometimes\n", "t.conf:2: frozen-bypass: bad value 'sometimes' (expected on|off)");
	BAD("bad order", "order = sideways\n", "order: bad value 'sideways'");
	BAD("empty value", "delay =\n", "t.conf:1: delay: bad value ''");
	BAD("out of range", "delay = 99999999999\n", "t.conf:1: delay: '99999999999' is out of range");
	BAD("duplicate key", "delay = 1\norder = forward\ndelay = 2\n",
	    "t.conf:3: duplicate key 'delay' (first on line 1)");
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
	BAD("empty file", "", "t.conf: no settings");
	BAD("comments only", "# nothing\n\n   \n", "t.conf: no settings");
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
