// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: trace_pipe lines as `oomctl monitor --tracefs` reads
 * them (tracefs.c), and the events they give printed as text and JSON
 * (event.c): a line is whatever a task name or a corrupt buffer holds.
 */
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "tracefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[sizeof(((struct tracefs *)NULL)->buf)];	/* tracefs_read()'s */
	struct event ev;

	if (size >= sizeof(line))
		return 0;	/* tracefs_read() drops longer lines */
	memcpy(line, data, size);
	line[size] = '\0';
	if (strchr(line, '\n'))
		return 0;	/* tracefs_read() splits lines there */
	if (tracefs_parse_line(line, &ev))
		return 0;
	FUZZ_ASSERT(ev.type < EV_NTYPES);
	for (int json = 0; json < 2; json++) {
		out_init(fuzz_devnull(), json, false);
		event_print(&ev, !json);
	}
	return 0;
}
