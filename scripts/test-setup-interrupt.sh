#!/usr/bin/env bash
# Interrupted set-up (issue 12): Ctrl-C in a first `make check`, a dropped
# ssh session or a CI timeout stops `make tree` / `make kernel` anywhere.
# This stops them at each step of the set-up, one after the other, each time
# with a signal sent to the whole process group the moment a watched
# condition holds, and reruns the README's commands: every rerun must get
# past the point where the last one stopped, with no manual step between.
#
#   make tree    SIGINT  while apt-get writes the .deb
#   make kernel  SIGTERM while tar extracts the tree (at mm/oom_kill.c)
#   make kernel  SIGHUP  while git add indexes the pristine tree, with a
#                        truncated tarball in the cache before it
#   make tree    SIGINT  in git am, after 6 patches   (and again, SIGHUP)
#   make kernel  SIGINT  while the config is generated
#   make kernel  SIGTERM in the compile (at init/main.o)
#   make kernel  SIGINT  once it has compiled 5 more objects
# and between them: make export refuses to drop patches, a commit of the
# user's own on an interrupted tree stops make kernel with a precise message.
# The last rerun stops once the compile goes on rather than building all of
# the kernel (minutes from ccache, 15 without): past the config check the
# build is kbuild's, which resumes an interrupted compile by itself.
#
# Nothing is downloaded: a fake apt-get on PATH serves a .deb made from the
# cached tarball (scripts/fetch-kernel.sh's, fetched first if absent).
# Runs on a clone of this checkout (HEAD plus its uncommitted changes, or
# REV) in build/setup-test, removed at the end; build/linux and build/kobj*
# are never touched.  The commands' output: build/setup-test.log.
#
# Usage: scripts/test-setup-interrupt.sh [REV]   TAP on stdout
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/tap.sh"
rev=${1:-}
W=$top/build/setup-test
R=$W/repo
out=$W.log
limit=${SETUP_TEST_STEP_LIMIT:-600}	# s: a step that takes longer fails
say() { printf 'test-setup-interrupt: [%ss] %s\n' "$SECONDS" "$*" >&2; }
# Never let a git command in a tree without .git reach the checkout above.
export GIT_CEILING_DIRECTORIES=$W

tap_header
t_start=$SECONDS
rm -rf "$W"
mkdir -p "$W/fake" "$W/bin" "$W/cache"
: >"$out"

# --- the clone -------------------------------------------------------------
bail() { echo "Bail out! $*"; exit 1; }
git clone -q --shared "$top" "$R" || bail "git clone of $top"
if [ -n "$rev" ]; then
	git -C "$R" checkout -q --detach "$rev" || bail "no commit $rev"
else	# what make check tests: the checkout as it is, not only HEAD
	git -C "$top" diff HEAD --binary | git -C "$R" apply --allow-empty ||
		bail "the checkout's uncommitted changes do not apply to a clone of HEAD"
	(cd "$top" && git ls-files -z --others --exclude-standard |
		tar --null -T - -cf -) | tar -xf - -C "$R"
fi
say "testing $( [ -n "$rev" ] && echo "$rev" || echo "the checkout") in $R"

# --- a fake apt that serves the cached tarball ------------------------------
real=$("$top/scripts/fetch-kernel.sh") || bail "no kernel tarball (scripts/fetch-kernel.sh)"
pkg=$(basename "$real"); pkg=${pkg%.tar.*}
ver=7.3.99-1~test
mkdir -p "$W/debroot/DEBIAN" "$W/debroot/usr/src"
ln "$real" "$W/debroot/usr/src/" 2>/dev/null || cp "$real" "$W/debroot/usr/src/"
printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: oomctl <oomctl@localhost>\nDescription: test\n' \
	"$pkg" "$ver" >"$W/debroot/DEBIAN/control"
deb=$W/fake/${pkg}_${ver}_all.deb
dpkg-deb -Znone -b "$W/debroot" "$deb" >/dev/null
rm -rf "$W/debroot"
sha=$(sha256sum "$deb" | cut -d' ' -f1)
mkfifo "$W/fake/hold"
# apt-get update: nothing; apt-get download: the .deb into the current
# directory, the first time only half of it, then wait to be killed.
cat >"$W/bin/apt-get" <<EOF
#!/bin/sh
for a; do case \$a in update) exit 0 ;; download) dl=1 ;; esac; done
[ -n "\${dl:-}" ] || exit 100
n=\$(cat "$W/fake/downloads" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$W/fake/downloads"
if [ "\$n" = 0 ]; then
	head -c $(( $(stat -c %s "$deb") / 2 )) "$deb" >"$(basename "$deb")"
	: >"$W/fake/stalled"
	exec cat "$W/fake/hold"
fi
cp "$deb" .
EOF
cat >"$W/bin/apt-cache" <<EOF
#!/bin/sh
printf 'Package: %s\nVersion: %s\nSHA256: %s\n' "$pkg" "$ver" "$sha"
EOF
chmod +x "$W/bin/apt-get" "$W/bin/apt-cache"
export PATH=$W/bin:$PATH OOMCTL_CACHE=$W/cache
unset TREE KOBJ KSRC FORCE EXTRA_FRAGMENT EXTRA_MAKE MAKEFLAGS MAKELEVEL
# No automatic git gc: the one git detaches after the pristine commit (it
# packs 90k objects) would outlive the interrupts, and take the 2 CPUs from
# the steps after it for minutes.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0
cp -r "$R/kernel" "$W/kernel.orig"
nseries=$(grep -cv '^[[:space:]]*\(#\|$\)' "$R/kernel/series")

# --- running and interrupting ----------------------------------------------
# Each command runs in $R in a process group of its own (set -m), as a
# shell's foreground job would; its output goes to $out.
launch() {
	printf '\n### %s\n' "$*" >>"$out"
	touch "$W/launched"
	say "running: $*"
	set -m
	(cd "$R" && exec nice -n 10 "$@") >>"$out" 2>&1 </dev/null &
	pid=$!
	set +m
	t0=$SECONDS
}
alive() {	# the command's leader has not exited
	local st
	st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}
group_gone() { ! ps -eo pgid=,stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; }
# Wait for the command; rc in $rc, and no process of its group left.
finish() {
	wait "$pid"; rc=$?
	local t=$SECONDS
	until group_gone; do
		(( SECONDS - t < 60 )) || { kill -KILL -- -"$pid" 2>/dev/null; break; }
		sleep 0.05
	done
	secs=$((SECONDS - t0))
}
# run CMD...: to the end (killed after $limit s).
run() {
	launch "$@"
	while alive; do
		(( SECONDS - t0 < limit )) || { kill -KILL -- -"$pid"; break; }
		sleep 0.05
	done
	finish
}
# stop_at COND SIG CMD...: run CMD until COND holds, then send SIG to its
# process group.  0 if COND was reached; else CMD exited before (or took
# longer than $limit s), and its last output is shown.
stop_at() {
	local cond=$1 sig=$2; shift 2
	launch "$@"
	until $cond; do
		if ! alive || (( SECONDS - t0 >= limit )); then
			kill -KILL -- -"$pid" 2>/dev/null
			finish
			echo "# '$*' exited ($rc) after ${secs}s before $cond; its last lines:"
			last_log | tail -n 8 | tap_diag
			return 1
		fi
		sleep 0.02
	done
	kill -s "$sig" -- -"$pid"
	finish
	say "'$*': $sig at $cond after ${secs}s"
	return 0
}
step() {	# DESC COND SIG CMD...: one interrupted run as a TAP result
	local d=$1; shift
	if stop_at "$@"; then tap_ok "$d" "${secs}s"; else tap_fail "$d"; fi
}
# The log of the last command.
last_log() { awk '/^### /{ buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$out"; }

tree=$R/build/linux
kobj=$R/build/kobj
# The watched conditions: they look at the state any version of the scripts
# leaves behind, wherever it puts its temporary tree.  What an earlier run
# may have left must be newer than this run's start ($W/launched).
newer() { [ -e "$1" ] && [ "$1" -nt "$W/launched" ]; }
at_download() { [ -e "$W/fake/stalled" ]; }
at_extract() {	# tar keeps the archive's dates: no earlier run extracted
	compgen -G "$R/build/*/mm/oom_kill.c" >/dev/null || compgen -G "$R/build/*/*/mm/oom_kill.c" >/dev/null
}
at_git_add() { compgen -G "$R/build/*/.git/index.lock" >/dev/null || compgen -G "$R/build/*/*/.git/index.lock" >/dev/null; }
at_am_7() {	# git am of the 7th patch running
	newer "$tree/.git/rebase-apply" &&
	[ "$(git -C "$tree" rev-list --count oomctl-base..HEAD 2>/dev/null || echo 0)" -ge 6 ]
}
at_config() { newer "$kobj/.config"; }
at_compile() { newer "$kobj/init/main.o"; }
at_5_objects() { [ "$(find "$kobj" -name '*.o' -newer "$W/launched" 2>/dev/null | head -n 5 | wc -l)" = 5 ]; }

tree_is_series() { (cd "$R" && scripts/export-series.sh --check) >/dev/null 2>&1; }
kernel_unchanged() { diff -r "$W/kernel.orig" "$R/kernel" >/dev/null; }
restore_kernel() { rm -rf "$R/kernel"; cp -r "$W/kernel.orig" "$R/kernel"; }
tarball_cached() { cmp -s "$real" "$W/cache/$(basename "$real")"; }

# --- download ----------------------------------------------------------------
step "make tree, SIGINT while apt-get downloads the kernel source" at_download INT make tree
tap_check "download interrupted: no tarball under the cached name" \
	test -z "$(ls "$W/cache" | grep "^$pkg\.tar")"
tap_check "download interrupted: no build/linux" test ! -e "$tree"

# --- extraction ----------------------------------------------------------------
step "make kernel, SIGTERM while tar extracts the tree" at_extract TERM make kernel
tap_check "extraction interrupted: no half-extracted build/linux" test ! -e "$tree"

# What an older fetch-kernel.sh left when interrupted while it copied the
# tarball into the cache from another file system (a tmpfs /tmp).
head -c 8M "$real" >"$W/cache/$(basename "$real")"

# --- git init / add ------------------------------------------------------------
step "make kernel again (a truncated tarball in the cache), SIGHUP while git add indexes the tree" \
	at_git_add HUP make kernel
if tarball_cached; then tap_ok "the truncated tarball was downloaded again, complete"
else
	tap_fail "the truncated tarball was downloaded again, complete"
	cp "$real" "$W/cache/"	# so that the next steps test their own point
	echo "# (the test put the tarball back to go on)"
fi
tap_check "git add interrupted: no build/linux without its oomctl-base tag" test ! -e "$tree"

# --- git am ----------------------------------------------------------------
step "make tree again, SIGINT in git am after 6 of the $nseries patches" at_am_7 INT make tree
run make export
if [ $rc != 0 ] && kernel_unchanged && last_log | grep -q 'FORCE=1'; then
	tap_ok "make export on the 6-patch tree refuses (kernel/ unchanged, FORCE=1 named)"
else
	tap_fail "make export on the 6-patch tree refuses (kernel/ unchanged, FORCE=1 named)"
	echo "# make export: exit $rc; kernel/: $(diff -rq "$W/kernel.orig" "$R/kernel" | wc -l) file(s) differ"
	last_log | tap_diag
	restore_kernel
fi
step "make tree on the interrupted tree, SIGHUP in git am after 6 patches again" at_am_7 HUP make tree
if last_log | grep -q "make export"; then
	tap_fail "make tree does not advise 'make export' for an interrupted set-up"
	last_log | grep "make export" | tap_diag
else tap_ok "make tree does not advise 'make export' for an interrupted set-up"; fi

# A commit of the user's own on the interrupted tree: no script can tell
# what it wants kept, so make kernel must stop and say so, touching nothing.
echo "# my own note" >>"$tree/README"
git -C "$tree" -c user.name=me -c user.email=me@localhost commit -q -m "wip: my note" -- README
head_before=$(git -C "$tree" rev-parse HEAD)
run make kernel
if [ $rc != 0 ] && [ "$(git -C "$tree" rev-parse HEAD)" = "$head_before" ] &&
   last_log | grep -q "wip: my note" && last_log | grep -q "FORCE=1 make tree"; then
	tap_ok "make kernel on an interrupted tree with a commit of the user's stops, names it and FORCE=1" "${secs}s"
else
	tap_fail "make kernel on an interrupted tree with a commit of the user's stops, names it and FORCE=1"
	echo "# make kernel: exit $rc after ${secs}s; its last lines:"
	last_log | tail -n 8 | tap_diag
fi
git -C "$tree" reset -q --keep "$head_before~1"	# the user takes it back

# --- the kernel build --------------------------------------------------------
step "make kernel, SIGINT while the config is generated" at_config INT make kernel
tap_check "make kernel re-applied the whole series before building ($nseries patches, as kernel/)" tree_is_series
frag_ok() { cat "$R/kernel/vm.config" | cmp -s - "$kobj/.oomctl-fragment"; }
config_ok() {
	local l
	while IFS= read -r l; do
		case $l in CONFIG_*=*) grep -qx "$l" "$kobj/.config" || return 1 ;; esac
	done <"$R/kernel/vm.config"
}
tap_check "config interrupted: no fragment stamp for an incomplete .config" \
	sh -c '! [ -f "$1/.oomctl-fragment" ]' - "$kobj"

step "make kernel again, SIGTERM in the compile (init/main.o)" at_compile TERM make kernel
if ! last_log | grep -q "Kconfig dropped it" && config_ok && frag_ok; then
	tap_ok "the config is complete: every line of kernel/vm.config, the stamp matches"
else
	tap_fail "the config is complete: every line of kernel/vm.config, the stamp matches"
	last_log | grep -E "dropped|wanted" | tap_diag
fi
cfg_mtime=$(stat -c %Y "$kobj/.config" 2>/dev/null)
step "make kernel again resumes the compile (SIGINT after 5 more objects)" at_5_objects INT make kernel
tap_check "the interrupted compile's config was kept (not regenerated)" \
	test "$(stat -c %Y "$kobj/.config" 2>/dev/null)" = "$cfg_mtime"

# --- afterwards: make tree and make export on the recovered tree ------------------
run make tree
if [ $rc = 0 ] && tree_is_series; then tap_ok "make tree on the recovered tree: the series, no complaint" "${secs}s"
else
	tap_fail "make tree on the recovered tree: the series, no complaint"
	last_log | tail -n 5 | tap_diag
fi
run make export
tap_check "make export on the recovered tree leaves kernel/ as it is" test $rc = 0 -a -z "$(diff -r "$W/kernel.orig" "$R/kernel")"
git -C "$tree" reset -q --hard HEAD~2
run make export
if [ $rc != 0 ] && kernel_unchanged; then tap_ok "make export refuses to drop the 2 patches the tree lacks"
else tap_fail "make export refuses to drop the 2 patches the tree lacks"; restore_kernel; fi
run env FORCE=1 make export
tap_check "FORCE=1 make export drops them" test $rc = 0 -a "$(grep -c . "$R/kernel/series")" = $((nseries - 2))

echo "# took $((SECONDS - t_start))s"
rm -rf "$W"
tap_finish
