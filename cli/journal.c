// SPDX-License-Identifier: GPL-2.0
/*
 * monitor -o journal: see journal.h.  Fields: MESSAGE (the text line),
 * PRIORITY and MESSAGE_ID by event type (the table below), SYSLOG_IDENTIFIER,
 * and each key of the event's JSON object as OOM_<KEY> (event_pairs()).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-journal.h>

#include "journal.h"
#include "oomctl.h"

/*
 * One MESSAGE_ID per event type (made once with `journalctl --new-id128`'s
 * equivalent; oomctl(8) lists them: they never change) and the priority:
 * a kill is a warning (the kernel logs it as an error already; this is
 * its record, for tools), and so are lost events and a reap that gave up;
 * a policy change is a notice, the rest of a kill's course is info, the
 * memory coming back (freed) too: it is the good end of the kill.
 */
static const struct {
	const char *id;
	int priority;
} types[EV_NTYPES] = {
	[EV_VICTIM] = { "290026f310f94d669f6f725efdb2f2d8", LOG_WARNING },
	[EV_REAP_QUEUED] = { "6325775ac0e94ff787d66ed92a38d4fa", LOG_INFO },
	[EV_REAP_DONE] = { "2c4e5ed122ff454fa85cff1494e9aa7c", LOG_INFO },
	[EV_FREED] = { "a98f02343381439b91878984dd68f854", LOG_INFO },
	[EV_POLICY] = { "68784fc37e56493f8c84fce7d3ee4032", LOG_NOTICE },
	[EV_REAP_WAKE] = { "1375b119ea2d433d8876f07108b630a2", LOG_INFO },
	[EV_REAP_START] = { "8d47b3ddc22346f4a63c88300036a832", LOG_INFO },
	[EV_REAP_SKIP] = { "08207b44dd0043ac80c857f441692b1b", LOG_INFO },
	[EV_LOST] = { "c7e99e544f4c4a9f92d3b7b73f401b0b", LOG_WARNING },
};

/* The result of reap-done that is a warning: the memory stayed */
#define RESULT_GAVE_UP 2

/* JSON keys whose journal field is not OOM_ and the key in capitals */
static const struct {
	const char *key, *field;
} renamed[] = {
	{ "type", "OOM_EVENT" },
	{ "memcg_id", "OOM_CGROUP_ID" },	/* it is the cgroup's id */
	{ "oom_score_adj", "OOM_SCORE_ADJ" },	/* not OOM_OOM_ */
};

_Static_assert(__builtin_types_compatible_p(journal_sendv_fn, __typeof__(&sd_journal_sendv)),
	       "journal_sendv_fn is sd_journal_sendv's type");

static void *lib;
static journal_sendv_fn sendv;

const char *journal_message_id(enum ev_type type)
{
	return types[type].id;
}

int journal_priority(const struct event *ev)
{
	if (ev->type == EV_REAP_DONE && (ev->have & (1ULL << F_RESULT)) &&
	    ev->v[F_RESULT] == RESULT_GAVE_UP)
		return LOG_WARNING;
	return types[ev->type].priority;
}

void journal_set_sendv(journal_sendv_fn fn)
{
	sendv = fn;
}

int journal_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	int fd, err = 0;

	lib = dlopen(JOURNAL_LIB, RTLD_NOW | RTLD_LOCAL);
	if (lib)
		sendv = (journal_sendv_fn)dlsym(lib, "sd_journal_sendv");
	if (!lib || !sendv) {
		msg("monitor: -o journal needs %s: %s", JOURNAL_LIB, dlerror());
		journal_close();
		return -1;
	}
	/*
	 * Is anybody there?  Every event would be refused otherwise: say so
	 * now rather than lose them.  (sd_journal_sendv() sends to this
	 * address each time, so a journald restarted later is found again.)
	 */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err) {
		msg("monitor: -o journal: cannot reach systemd-journald at %s: %s%s", JOURNAL_SOCKET,
		    strerror(err), err == ENOENT || err == ECONNREFUSED ?
		    " (is systemd-journald running?)" : "");
		journal_close();
		return -1;
	}
	return 0;
}

void journal_close(void)
{
	if (lib)
		dlclose(lib);
	lib = NULL;
	sendv = NULL;
}

/* The fields of one entry, each "NAME=value" */
struct entry {
	struct iovec iov[8 + 6 + NFIELDS];
	int n;
	bool nomem;
};

static void add(struct entry *e, const char *name, const char *value)
{
	char *s;
	int len;

	if (e->n >= (int)(sizeof(e->iov) / sizeof(e->iov[0])) ||
	    (len = asprintf(&s, "%s=%s", name, value)) < 0) {
		e->nomem = true;
		return;
	}
	e->iov[e->n++] = (struct iovec){ .iov_base = s, .iov_len = (size_t)len };
}

/* A key of the JSON object as OOM_<KEY> */
static int add_pair(void *ctx, const char *key, const char *value)
{
	char name[64] = "OOM_";
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (!strcmp(key, renamed[i].key)) {
			add(ctx, renamed[i].field, value);
			return 0;
		}
	for (; *key && n < sizeof(name) - 1; key++)
		name[n++] = *key >= 'a' && *key <= 'z' ? (char)(*key - 'a' + 'A') : *key;
	name[n] = '\0';
	add(ctx, name, value);
	return 0;
}

int journal_send(const struct event *ev)
{
	struct entry e = { .n = 0 };
	char *text = event_text(ev), prio[4];
	int ret = -ENOMEM;

	if (!sendv)
		return -EBADF;
	snprintf(prio, sizeof(prio), "%d", journal_priority(ev));
	add(&e, "MESSAGE", text ? text : "");
	add(&e, "PRIORITY", prio);
	add(&e, "MESSAGE_ID", types[ev->type].id);
	add(&e, "SYSLOG_IDENTIFIER", "oomctl");
	event_pairs(ev, add_pair, &e);
	if (text && !e.nomem)
		ret = sendv(e.iov, e.n);
	/*
	 * libsystemd drops a record without a word when the socket is not
	 * there (ENOENT: "the journal is not available"): lost all the same
	 */
	if (!ret && lib && access(JOURNAL_SOCKET, F_OK))
		ret = -errno;
	free(text);
	for (int i = 0; i < e.n; i++)
		free(e.iov[i].iov_base);
	return ret;
}
