// SPDX-License-Identifier: GPL-2.0
/*
 * Transparent hugepages for the victims' heaps.
 *
 * A THP-on victim is set up (mapped and touched) while
 * /sys/kernel/mm/transparent_hugepage/enabled and /defrag say "always", and
 * both are put back to what they were as soon as it reports ready, before
 * anything is measured:
 *  - madvise(MADV_HUGEPAGE) would be the narrower tool, but kernels built
 *    from tinyconfig lack madvise(2) (CONFIG_ADVISE_SYSCALLS) and fail it
 *    with ENOSYS, and the bench should run on them too;
 *  - "always" only during the setup gives what MADV_HUGEPAGE would: the
 *    victim's heap is PMD-mapped at fault time (its pieces start on 2 MiB
 *    boundaries), while the kill itself, the victim's overflow area (where
 *    it is OOM-killed), the bench, the listeners and the memory.max writer
 *    fault with the system's own setting, the same in the THP-off and
 *    THP-on configurations; khugepaged has nothing left to collapse;
 *  - defrag "always" lets those setup faults reclaim and compact directly
 *    for a huge page, so the heap really is huge after a few hundred kills
 *    have fragmented the guest's 1 GiB; that is untimed.
 * Every record says how much of the victim was huge (AnonHugePages of
 * smaps_rollup).  The original values are restored at the end of the
 * section and at exit, so a failed section leaves nothing changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "fileio.h"

#define THP_DIR		"/sys/kernel/mm/transparent_hugepage"

static const char *const knobs[] = { "enabled", "defrag" };
static char orig[2][32];	/* the values to put back, "" = none read */
static bool registered, raised;

/* The bracketed word of a sysfs choice list: "always [madvise] never" */
static int thp_mode(const char *knob, char *mode, size_t size)
{
	char path[128], buf[256], *open, *close;

	snprintf(path, sizeof(path), THP_DIR "/%s", knob);
	if (file_read(path, buf, sizeof(buf)))
		return -1;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close || (size_t)(close - open) > size)
		return -1;
	snprintf(mode, size, "%.*s", (int)(close - open - 1), open + 1);
	return 0;
}

static int thp_write(const char *knob, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), THP_DIR "/%s", knob);
	return file_write_str(path, val);
}

bool thp_available(void)
{
	return access(THP_DIR "/enabled", F_OK) == 0;
}

void thp_victim_begin(void)
{
	for (int i = 0; i < 2; i++)
		if (thp_write(knobs[i], "always"))
			die("thp: cannot write always to %s/%s", THP_DIR, knobs[i]);
	raised = true;
}

void thp_victim_end(void)
{
	for (int i = 0; i < 2; i++)
		if (orig[i][0] && thp_write(knobs[i], orig[i]))
			note("thp: cannot restore %s/%s to %s", THP_DIR, knobs[i],
			     orig[i]);
	raised = false;
}

void thp_restore(void)
{
	if (raised)
		thp_victim_end();
}

int thp_parse(const char *list, bool want[2])
{
	char buf[64], *tok, *save;

	want[0] = want[1] = false;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "off"))
			want[0] = true;
		else if (!strcmp(tok, "on"))
			want[1] = true;
		else
			return EINVAL;
	}
	return want[0] || want[1] ? 0 : EINVAL;
}

int thp_begin(const char *sec, const char *list, bool want[2])
{
	char size[32] = "";
	struct rec r;

	if (thp_parse(list, want))
		die("%s: THP modes '%s': give off, on or off,on", sec, list);
	if (!want[1])
		return 0;
	rec_begin(&r, "thp");
	rec_str(&r, "for", sec);
	if (!thp_available()) {
		note("%s: %s absent (kernel without THP): THP-on rows skipped",
		     sec, THP_DIR);
		want[1] = false;
		rec_int(&r, "available", 0);
		rec_end(&r);
		return want[0] ? 0 : ENOENT;
	}
	for (int i = 0; i < 2; i++)
		if (thp_mode(knobs[i], orig[i], sizeof(orig[i])))
			die("%s: cannot read %s/%s", sec, THP_DIR, knobs[i]);
	if (!registered) {
		atexit(thp_restore);
		registered = true;
	}
	file_read(THP_DIR "/hpage_pmd_size", size, sizeof(size));
	rec_int(&r, "available", 1);
	rec_str(&r, "enabled", orig[0]);
	rec_str(&r, "defrag", orig[1]);
	rec_str(&r, "method", "enabled=always, defrag=always during the victim's setup");
	rec_int(&r, "pmd_size", atoll(size));
	rec_end(&r);
	return 0;
}

int thp_modes(const char *sec, const char *list, bool modes[2])
{
	bool want[2];
	int n = 0;

	if (thp_begin(sec, list ? list : "off,on", want))
		die("%s: only THP-on configurations asked for, and no THP", sec);
	if (want[0])
		modes[n++] = false;
	if (want[1])
		modes[n++] = true;
	return n;
}
