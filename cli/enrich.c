// SPDX-License-Identifier: GPL-2.0
/* The boot id, user names and cgroup paths of events: see enrich.h */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_path.h"
#include "enrich.h"

#define BOOT_ID_FILE "/proc/sys/kernel/random/boot_id"
#define USERS 8		/* the names last looked up */
#define USER_MS 60000	/* kept this long: NSS may be slow, a storm has one uid */

static char boot_id[37];	/* 8-4-4-4-12 hex digits */

static struct {
	bool used, found;
	uint32_t uid;
	uint64_t when_ms;
	char name[64];
} users[USERS];
static unsigned int next_user;

#define VICTIMS 64	/* a storm's victims whose freed events are still to come */
static struct {
	bool used;
	uint64_t pid, tgid, uid;
} victims[VICTIMS];
static unsigned int next_victim;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* 36 characters, hex digits with dashes at 8, 13, 18 and 23 */
static bool is_uuid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	}
	return s[36] == '\0';
}

void enrich_init(void)
{
	FILE *f = fopen(BOOT_ID_FILE, "re");
	char buf[64] = "";

	/* No /proc (a bare chroot): events go out without it */
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	if (is_uuid(buf))
		memcpy(boot_id, buf, sizeof(boot_id));
	cgpath_init();
}

void enrich_exit(void)
{
	cgpath_exit();
	memset(victims, 0, sizeof(victims));
	next_victim = 0;
	boot_id[0] = '\0';
}

const char *enrich_boot_id(void)
{
	return boot_id[0] ? boot_id : NULL;
}

/* The name of uid in this system's user database; NULL: none */
static const char *user_name(uint32_t uid)
{
	uint64_t now = now_ns() / 1000000;
	struct passwd pw, *res = NULL;
	char buf[1024];
	int i;

	for (i = 0; i < USERS; i++)
		if (users[i].used && users[i].uid == uid && now - users[i].when_ms < USER_MS)
			return users[i].found ? users[i].name : NULL;
	i = (int)next_user;
	next_user = (next_user + 1) % USERS;
	users[i].used = true;
	users[i].uid = uid;
	users[i].when_ms = now;
	users[i].found = getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res &&
			 strlen(pw.pw_name) < sizeof(users[i].name);
	if (users[i].found)
		strcpy(users[i].name, pw.pw_name);
	return users[i].found ? users[i].name : NULL;
}

static bool has(const struct event *ev, enum ev_field f)
{
	return ev->have & (1ULL << f);
}

void enrich_note_victim(const struct event *ev)
{
	unsigned int i = next_victim;

	if (!has(ev, F_UID) || !has(ev, F_PID))
		return;
	next_victim = (next_victim + 1) % VICTIMS;
	victims[i].used = true;
	victims[i].pid = ev->v[F_PID];
	/* tracefs's mark_victim has no tgid: the pid stands for it */
	victims[i].tgid = has(ev, F_TGID) ? ev->v[F_TGID] : ev->v[F_PID];
	victims[i].uid = ev->v[F_UID];
}

/* The uid of the victim whose memory a freed event reports: a match on
 * pid or tgid, newest first */
static void freed_uid(struct event *ev)
{
	uint64_t pid = ev->v[F_PID], tgid = has(ev, F_TGID) ? ev->v[F_TGID] : pid;

	if (!has(ev, F_PID) || has(ev, F_UID))
		return;
	for (unsigned int k = 1; k <= VICTIMS; k++) {
		unsigned int i = (next_victim + VICTIMS - k) % VICTIMS;

		if (victims[i].used && (victims[i].pid == pid || victims[i].tgid == tgid)) {
			event_set(ev, F_UID, victims[i].uid);
			return;
		}
	}
}

void enrich_event(struct event *ev)
{
	const char *s;

	if (ev->type == EV_FREED)
		freed_uid(ev);

	if (boot_id[0])
		ev->boot_id = boot_id;
	/* Every output of the event tells the same time */
	if (!ev->has_ts) {
		ev->ts_ns = now_ns();
		ev->has_ts = true;
	}
	if ((ev->have & (1ULL << F_UID)) && !(ev->have & (1ULL << F_USER)) &&
	    ev->v[F_UID] <= UINT32_MAX && (s = user_name((uint32_t)ev->v[F_UID])))
		event_set_str(ev, F_USER, s);
	/* memcg_id 0: a kernel without memcg */
	if ((ev->have & (1ULL << F_MEMCG_ID)) && ev->v[F_MEMCG_ID] &&
	    !(ev->have & (1ULL << F_CGROUP)) &&
	    (s = cgpath_lookup(ev->v[F_MEMCG_ID], ev->cgroup, sizeof(ev->cgroup))))
		ev->have |= 1ULL << F_CGROUP;
}
