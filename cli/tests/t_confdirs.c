// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration directories under a temporary root: sorting across the
 * directories, masking by name and by /dev/null, the main file, and every
 * kind of entry that is no configuration file.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "confdirs.h"
#include "tap.h"

static char root[64];

/* Make root/rel's parent directories, then what make() says */
static void parents(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

static void file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	parents(rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void link_to(const char *rel, const char *target)
{
	char path[512];

	parents(rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (symlink(target, path))
		diag("symlink %s: %s", path, strerror(errno));
}

static void dir(const char *rel)
{
	char path[512];

	parents(rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdir(path, 0755);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void clean(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	mkdir(root, 0755);
}

/* The list's names, space-separated; paths checked to be root + name */
static const char *names(const struct conf_list *l)
{
	static char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n && n < sizeof(buf); i++) {
		char want[512];

		snprintf(want, sizeof(want), "%s%s", root, l->files[i].name);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s", i ? " " : "",
				      l->files[i].name, strcmp(want, l->files[i].path) ? "(BAD PATH)" : "");
	}
	return buf;
}

/* conf_list of set under root (with suffix appended) fails with why containing want */
static void fails(const char *what, const struct conf_set *set, const char *want)
{
	struct conf_list l;
	char why[256] = "";
	int ret = conf_list(root, set, &l, why, sizeof(why));

	ok(ret < 0 && strstr(why, want), "%s: error '%s'", what, why);
	conf_list_free(&l);
}

void test_confdirs(void)
{
	struct conf_list l;
	char why[256] = "", slash[80];
	int ret;

	snprintf(root, sizeof(root), "/tmp/oomctl-confdirs-XXXXXX");
	if (!mkdtemp(root)) {
		ok(false, "mkdtemp: %s", strerror(errno));
		return;
	}

	ret = conf_list(root, &conf_oomctl, &l, why, sizeof(why));
	ok(ret == 0 && l.n == 0, "an empty root: no files, no error (%s)", why);
	conf_list_free(&l);

	file("etc/oomctl.conf", "delay = 1\n");
	file("etc/oomctl.d/10-a.conf", "");
	file("etc/oomctl.d/50-b.conf", "");
	link_to("etc/oomctl.d/70-masked.conf", "/dev/null");
	file("etc/oomctl.d/.hidden.conf", "");
	file("etc/oomctl.d/README", "");
	file("etc/oomctl.d/40-x.conf.dpkg-old", "");
	file("etc/oomctl.d/.conf", "");
	file("etc/shared/p.conf", "");
	link_to("etc/oomctl.d/20-link.conf", "../shared/p.conf");
	file("run/oomctl.d/50-b.conf", "");
	file("run/oomctl.d/60-c.conf", "");
	file("usr/local/lib/oomctl.d/65-local.conf", "");
	file("usr/lib/oomctl.d/10-a.conf", "");
	file("usr/lib/oomctl.d/60-c.conf", "");
	file("usr/lib/oomctl.d/70-masked.conf", "");
	file("usr/lib/oomctl.d/90-z.conf", "");
	file("usr/lib/oomctl.d/05-first.conf", "");
	file("usr/lib/oomctl.d/500-after-50-b.conf", "");
	file("usr/lib/sysctl.d/50-other-dir.conf", "");
	ret = conf_list(root, &conf_oomctl, &l, why, sizeof(why));
	ok(ret == 0 && !strcmp(names(&l),
			       "/etc/oomctl.conf /usr/lib/oomctl.d/05-first.conf "
			       "/etc/oomctl.d/10-a.conf /etc/oomctl.d/20-link.conf "
			       "/etc/oomctl.d/50-b.conf /usr/lib/oomctl.d/500-after-50-b.conf "
			       "/run/oomctl.d/60-c.conf /usr/local/lib/oomctl.d/65-local.conf "
			       "/usr/lib/oomctl.d/90-z.conf"),
	   "the main file, then *.conf sorted by name across /etc, /run, /usr/local/lib, "
	   "/usr/lib; /etc masks /run and /usr/lib, /run masks /usr/lib, /dev/null masks, "
	   "hidden and other names left out: %s", names(&l));
	conf_list_free(&l);

	snprintf(slash, sizeof(slash), "%s//", root);
	ret = conf_list(slash, &conf_oomctl, &l, why, sizeof(why));
	ok(ret == 0 && l.n == 9 && !strcmp(l.files[0].name, "/etc/oomctl.conf") &&
	   !strncmp(l.files[0].path, root, strlen(root)) && l.files[0].path[strlen(root)] == '/' &&
	   l.files[0].path[strlen(root) + 1] == 'e', "a root with trailing slashes: the same files");
	conf_list_free(&l);

	unlink(strcat(strcpy(slash, root), "/etc/oomctl.conf"));
	link_to("etc/oomctl.conf", "/dev/null");
	ret = conf_list(root, &conf_oomctl, &l, why, sizeof(why));
	ok(ret == 0 && l.n == 8 && !strcmp(l.files[0].name, "/usr/lib/oomctl.d/05-first.conf"),
	   "/etc/oomctl.conf linked to /dev/null: not read");
	conf_list_free(&l);

	/* Entries that are no configuration files */
	dir("usr/lib/oomctl.d/80-dir.conf");
	fails("a directory named *.conf", &conf_oomctl, "/usr/lib/oomctl.d/80-dir.conf: not a regular file");
	rmdir(strcat(strcpy(slash, root), "/usr/lib/oomctl.d/80-dir.conf"));
	link_to("run/oomctl.d/30-dangling.conf", "/nonexistent/x.conf");
	fails("a dangling symlink", &conf_oomctl,
	      "/run/oomctl.d/30-dangling.conf: No such file or directory");
	unlink(strcat(strcpy(slash, root), "/run/oomctl.d/30-dangling.conf"));
	clean();
	file("run/oomctl.d", "a file where a directory belongs\n");
	fails("a file where a directory belongs", &conf_oomctl, "/run/oomctl.d: Not a directory");
	clean();
	dir("etc/oomctl.conf");
	fails("a directory where the main file belongs", &conf_oomctl,
	      "/etc/oomctl.conf: not a regular file");
	clean();
	for (int i = 0; i <= CONF_MAX_FILES; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "usr/lib/oomctl.d/%03d.conf", i);
		file(rel, "");
	}
	fails("more files than anyone means", &conf_oomctl, "more than 256 *.conf files");
	clean();
	for (int i = 0; i < CONF_MAX_FILES; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "%s/oomctl.d/%03d.conf", i % 2 ? "etc" : "usr/lib", i);
		file(rel, "");
	}
	file("etc/oomctl.conf", "");
	ret = conf_list(root, &conf_oomctl, &l, why, sizeof(why));
	ok(ret == 0 && l.n == CONF_MAX_FILES + 1, "%d drop-ins and the main file: all of them (%s)",
	   CONF_MAX_FILES, why);
	conf_list_free(&l);

	/* sysctl.d: /etc/sysctl.conf last, once */
	clean();
	file("etc/sysctl.conf", "vm.swappiness = 1\n");
	file("etc/sysctl.d/10-a.conf", "");
	file("usr/lib/sysctl.d/10-a.conf", "");
	file("usr/lib/sysctl.d/50-pid-max.conf", "");
	file("lib/sysctl.d/60-lib.conf", "");
	ret = conf_list(root, &conf_sysctl, &l, why, sizeof(why));
	ok(ret == 0 && !strcmp(names(&l), "/etc/sysctl.d/10-a.conf /usr/lib/sysctl.d/50-pid-max.conf "
			       "/lib/sysctl.d/60-lib.conf /etc/sysctl.conf"),
	   "sysctl.d: the directories, then /etc/sysctl.conf: %s", names(&l));
	conf_list_free(&l);
	link_to("etc/sysctl.d/99-sysctl.conf", "../sysctl.conf");
	ret = conf_list(root, &conf_sysctl, &l, why, sizeof(why));
	ok(ret == 0 && !strcmp(names(&l), "/etc/sysctl.d/10-a.conf /usr/lib/sysctl.d/50-pid-max.conf "
			       "/lib/sysctl.d/60-lib.conf /etc/sysctl.d/99-sysctl.conf"),
	   "Debian's 99-sysctl.conf -> ../sysctl.conf: read once, as 99-sysctl.conf: %s", names(&l));
	conf_list_free(&l);

	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
