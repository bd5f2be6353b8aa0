/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `oomctl monitor` adds to each event from the host it runs on, in
 * every output: the boot id (which boot a seq belongs to), the user name of
 * a uid, the path of a cgroup id (cgroup_path.h).  None of them is an
 * error when it cannot be had: the event goes out without it.
 */
#ifndef OOMCTL_ENRICH_H
#define OOMCTL_ENRICH_H

#include "event.h"

/* Read the boot id, find cgroupfs: once, at the start */
void enrich_init(void);
void enrich_exit(void);
/* The boot id as /proc/sys/kernel/random/boot_id has it; NULL: unknown */
const char *enrich_boot_id(void);
/*
 * Remember a victim's uid by its pid and tgid, for its freed event, which
 * the kernel sends without one: called for each victim event, printed or
 * not.  The last VICTIMS victims are kept.
 */
void enrich_note_victim(const struct event *ev);
/* Add what ev lacks: the boot id, a time stamp (now), a freed event's uid
 * (of its victim), user, cgroup */
void enrich_event(struct event *ev);

#endif
