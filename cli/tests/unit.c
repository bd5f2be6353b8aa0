// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of oomctl: TAP on stdout, no kernel support needed */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "output.h"
#include "tap.h"

static int n, failed;

void ok(bool pass, const char *fmt, ...)
{
	char desc[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	for (char *p = desc; *p; p++)	/* one line, whatever was quoted */
		if (*p == '\n' || *p == '#')
			*p = *p == '#' ? '%' : ' ';
	fflush(stdout);
	printf("%sok %d - %s\n", pass ? "" : "not ", ++n, desc);
	fflush(stdout);
	if (!pass)
		failed++;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void skip(int count, const char *what, const char *why)
{
	for (int i = 0; i < count; i++) {
		fflush(stdout);
		printf("ok %d - %s # SKIP %s\n", ++n, what, why);
	}
	fflush(stdout);
}

char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	out_init(stdout, false, false);
	return buf;
}

int main(void)
{
	printf("TAP version 13\n");
	/* OOMCTL_PROM_DUMP=DIR (tests/host-prom.sh): the renderings only */
	if (getenv("OOMCTL_PROM_DUMP")) {
		test_prom();
		printf("1..%d\n", n);
		return failed ? 1 : 0;
	}
	test_parse();
	test_cmdline();
	test_policyfile();
	test_confdirs();
	test_polsrc();
	test_sysctld();
	test_json();
	test_nl();
	test_tracefs();
	test_stock();
	test_monitor();
	test_journal();
	test_cgpath();
	test_prom();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
