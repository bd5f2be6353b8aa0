/* SPDX-License-Identifier: GPL-2.0 */
/*
 * monitor -o journal: each event to the systemd journal, with fields of
 * its own, through libsystemd's sd_journal_sendv().  libsystemd is loaded
 * when asked (dlopen), so that oomctl needs it for this and nothing else.
 */
#ifndef OOMCTL_JOURNAL_H
#define OOMCTL_JOURNAL_H

#include <sys/uio.h>

#include "event.h"

#define JOURNAL_LIB "libsystemd.so.0"
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/*
 * Load libsystemd and check that journald listens: 0, or -1 with the
 * reason said (for the monitor: exit 1).
 */
int journal_open(void);
void journal_close(void);

/* Send ev: 0, or -errno from sd_journal_sendv() */
int journal_send(const struct event *ev);

/* The MESSAGE_ID and PRIORITY of an event (journal.c's table) */
const char *journal_message_id(enum ev_type type);
int journal_priority(const struct event *ev);

/* Send through fn instead of libsystemd (tests): NULL puts it back */
typedef int (*journal_sendv_fn)(const struct iovec *iov, int n);
void journal_set_sendv(journal_sendv_fn fn);

#endif
