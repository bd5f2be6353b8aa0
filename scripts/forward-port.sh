#!/usr/bin/env bash
# Forward port check (issue 13): does kernel/series apply to, and build on,
# the newest kernel source Debian carries in unstable (sid) or experimental?
#
#  1. A private apt state (scripts/debian-apt.sh, in ~/.cache/oomctl/apt-fwd;
#     sources on the mirror the machine's own apt config uses) lists the
#     linux-source-X.Y packages of both suites; the highest version of them
#     all is the candidate.  Its .deb is downloaded once, checked against the
#     archive's SHA256, and the tarball it holds (/usr/src/linux-source-X.Y
#     .tar.xz) cached under ~/.cache/oomctl/forward/ with the Debian version
#     in its name (fetch-kernel.sh's linux-source-7.3.tar.xz is the base's).
#  2. build/linux-fwd: a git tree of that tarball, tag oomctl-base (made in
#     build/linux-fwd.partial and renamed when complete; reused while the
#     tarball is the same), kernel/series applied with git am, one patch at
#     a time: the first that fails is reported with the files it conflicts on.
#  3. The build: tinyconfig + kernel/vm.config (the VM kernel's fragment,
#     after the series, which adds some of its symbols; a dropped option
#     fails), out of tree in build/kobj-fwd through ccache, `make prepare`,
#     then with W=1 the objects of the .c files the series touches (mm/
#     oom_kill.o oom_netlink.o oom_netlink_autogen.o memory.o, kernel/
#     freezer.o, net/netlink/genetlink.o).  Any warning or error fails.
#  4. The YNL-generated files the series carries (every file with the
#     oom.yaml YNL-GEN marker, as tools/net/ynl/ynl-regen.sh finds them: the
#     UAPI header and the kernel glue) regenerated with the new tree's
#     generator (patch 0006 applied) must be byte for byte what the series
#     carries.  ynl-regen.sh itself wants a git checkout of its own; the
#     generator is called the way it calls it.
#
# NOT built or checked, and why: vmlinux/bzImage (a cold build of a new
# version is ~15 min on 2 cores, too long for make check's budget; a link
# error across files or a Kconfig dependency elsewhere would show only
# there), other configs (CONFIG_OOM_NETLINK=n, the sanitizer fragment),
# checkpatch and sparse (scripts/check-series.sh does them on the base), and
# nothing is booted: the VM tests run on the 7.3 base only.
#
# When the newest source there is not newer than the series' base
# (build/linux, tag oomctl-base), this says so and checks it anyway: it then
# checks nothing new.
#
# Output: TAP on stdout (scripts/check.sh's stage "forward"): one line for
# the apply, one for the build, one for the generated files; a package that
# cannot be reached (no network, no mirror, the mirror lacks the suite) is
# one SKIP naming why.  Offline, apt keeps the lists of the last update: the
# check then runs on the package they name if its tarball is cached, and
# says so.  A summary (markdown) on stderr and in build/forward-port.md;
# --record also writes it to docs/forward-port.md.
#
# Time (2 cores, busy with other builds): cold ~2 min (download ~160 MB,
# extract + git commit of the tree ~1 min, config + prepare + the objects
# ~1 min even without ccache); warm ~40 s (apt-get update, re-apply, ccache).
#
# Usage: scripts/forward-port.sh [--record]          (make forward-port)
# Env:   OOMCTL_CACHE  cache directory (default ~/.cache/oomctl)
#        SERIES_DIR    directory with series + patches (default kernel/):
#                      e.g. a copy with a damaged patch, to see it fail
#        FWD_SUITES    suites to look at (default "unstable experimental")
#        JOBS          make -j (default nproc); the makes run under nice
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cache=${OOMCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomctl}
fwcache=$cache/forward
tree=$top/build/linux-fwd
kobj=$top/build/kobj-fwd
base_tree=$top/build/linux
sdir=$(realpath "${SERIES_DIR:-$top/kernel}")
suites=${FWD_SUITES:-unstable experimental}
jobs=${JOBS:-$(nproc)}
spec_rel=Documentation/netlink/specs/oom.yaml
record=0
case "${1:-}" in
--record) record=1 ;;
'') ;;
*) echo "usage: $0 [--record]" >&2; exit 2 ;;
esac
log() { printf 'forward-port: %s\n' "$*" >&2; }
# shellcheck source=scripts/tap.sh
. "$top/scripts/tap.sh"
# shellcheck source=scripts/debian-apt.sh
. "$top/scripts/debian-apt.sh"
t0=$SECONDS
phase() { printf '%s %ss' "$1" "$((SECONDS - $2))"; }
times=()

# One run at a time on build/linux-fwd (make check and make forward-port).
mkdir -p "$top/build" "$fwcache"
exec 7>"$tree.lock"
flock -n 7 || { log "another forward-port.sh is at work on build/linux-fwd; waiting"; flock 7; }

gitf() { git -C "$1" --git-dir=.git -c user.name=oomctl -c user.email=oomctl@localhost -c gc.auto=0 "${@:2}" 7>&-; }
kver() { make -s -C "$1" kernelversion 2>/dev/null; }

# The summary: markdown lines, printed on stderr and saved at the end.
sum=()
put() { sum+=("$*"); }
finish() {
	local f=$top/build/forward-port.md
	put ""
	put "Time taken: $((SECONDS - t0)) s${times[*]:+ (${times[*]})}."
	put ""
	put "Not checked: vmlinux/bzImage (a cold build is ~15 min on 2 cores; link"
	put "errors and Kconfig effects elsewhere would show only there), other configs"
	put "(CONFIG_OOM_NETLINK=n, kernel/debug.config), checkpatch and sparse, and no"
	put "VM boot or test: those run on the base only (scripts/check-series.sh, make check)."
	printf '%s\n' "${sum[@]}" >"$f.tmp" && mv "$f.tmp" "$f"
	{ echo; printf '%s\n' "${sum[@]}"; echo; } >&2
	if [ $record = 1 ]; then
		cp "$f" "$top/docs/forward-port.md"
		log "recorded in docs/forward-port.md"
	fi
	tap_finish
}

tap_header
put "# Forward port of kernel/series"
put ""
put "Checked $(date -u '+%Y-%m-%d %H:%M UTC') by scripts/forward-port.sh (make forward-port)."
put ""
base_ver="7.3 (build/linux absent: make tree)"
if [ -f "$base_tree/Makefile" ]; then base_ver=$(kver "$base_tree") || base_ver="7.3 (unknown)"; fi

# 1. The newest linux-source-X.Y in the suites.  apt-get update fails as a
# whole when one suite is missing on the mirror: then each suite alone.
t=$SECONDS
mirror=$(debian_mirror) || mirror=
why=
if [ -z "$mirror" ]; then
	why="no Debian mirror in the system's apt sources (/etc/apt)"
else
	reached=
	tries=("$suites")
	# shellcheck disable=SC2206 # one suite a word
	[ "${suites// /}" = "$suites" ] || tries+=($suites)
	aptlog=$cache/apt-fwd.log
	for s in "${tries[@]}"; do
		rc=0
		debian_apt "$cache/apt-fwd" deb "$s" 2>"$aptlog" || rc=$?
		cat "$aptlog" >&2
		if [ $rc = 0 ]; then reached=$s; break; fi
	done
	[ -n "$reached" ] || why="apt-get update of $suites at $mirror failed (no network, or the mirror lacks the suites)"
fi
# apt-get update succeeds without the network when it has lists from
# before: then the newest is the newest of those, and the summary says so.
stale=""
if [ -z "$why" ] && grep -q '^W: Failed to fetch' "$aptlog"; then
	stale=$(find "$cache/apt-fwd/lists" -maxdepth 1 -name '*_InRelease' -printf '%TY-%Tm-%Td\n' | sort | tail -n1)
	if [ -n "$stale" ]; then stale="the mirror was not reached (offline?): apt's lists of $stale were used"
	else stale="the mirror was not reached (offline?) and apt has no lists from before"; fi
	log "$stale"
	echo "# $stale"
fi
best="" best_ver="" best_suite=""
if [ -z "$why" ]; then
	while IFS='|' read -r p v where; do
		p=${p// /} v=${v// /}
		case "$p" in linux-source-[0-9]*.[0-9]*) ;; *) continue ;; esac
		if [ -z "$best_ver" ] || dpkg --compare-versions "$v" gt "$best_ver"; then
			best=$p best_ver=$v best_suite=$(awk '{ print $2 }' <<<"$where")
		fi
	done < <(apt-cache "${apt_opts[@]}" pkgnames linux-source- |
		 grep -E '^linux-source-[0-9]+\.[0-9]+$' |
		 xargs -r apt-cache "${apt_opts[@]}" madison)
	[ -n "$best" ] || why="no linux-source-X.Y package in $reached at $mirror${stale:+: $stale}"
fi
if [ -n "$why" ]; then
	log "$why"
	tap_skip "kernel/series on Debian's newest linux-source (${suites// //})" "$why"
	put "Not checked: $why."
	finish
fi
best_suite=${best_suite%%/*}
log "newest: $best $best_ver ($best_suite)"
put "Debian package: $best $best_ver ($best_suite, $mirror); the newest"
put "linux-source-X.Y in ${reached// //}${stale:+ ($stale)}."

# 2. Its tarball, cached under its version.
tarball=$fwcache/${best}_${best_ver//:/%3a}.tar.xz
if [ -f "$tarball" ]; then
	log "cached: $tarball"
else
	tmp=$fwcache/partial
	rm -rf "$tmp"
	mkdir -p "$tmp/deb" "$tmp/x"
	trap 'rm -rf "$tmp"' EXIT
	log "downloading $best $best_ver"
	if ! (cd "$tmp/deb" && apt-get "${apt_opts[@]}" -qq download "$best=$best_ver" >&2); then
		why="apt-get download $best=$best_ver from $mirror failed"
		tap_skip "kernel/series on Debian's $best $best_ver" "$why"
		put "Not checked: $why."
		finish
	fi
	deb=$(ls "$tmp"/deb/*.deb)
	sha_want=$(apt-cache "${apt_opts[@]}" show "$best=$best_ver" | sed -n 's/^SHA256: //p' | head -n1)
	sha_got=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$sha_got" != "$sha_want" ]; then
		why="${deb##*/} is damaged: sha256 $sha_got, the archive says ${sha_want:-nothing}"
		tap_skip "kernel/series on Debian's $best $best_ver" "$why"
		put "Not checked: $why."
		finish
	fi
	dpkg-deb -x "$deb" "$tmp/x"
	mv "$(ls "$tmp"/x/usr/src/"$best".tar.*)" "$tarball.tmp"
	mv "$tarball.tmp" "$tarball"
	rm -rf "$tmp"
	# Older versions' tarballs are of no more use.
	find "$fwcache" -maxdepth 1 -name 'linux-source-*.tar.*' ! -path "$tarball" -delete
	log "cached: $tarball"
fi
times+=("$(phase fetch "$t")")

# 3. build/linux-fwd: the pristine tree, tagged, reused while the tarball is
# the same (.git/oomctl-source names it).
t=$SECONDS
src_id=${tarball##*/}
if [ "$(cat "$tree/.git/oomctl-source" 2>/dev/null)" != "$src_id" ] ||
   ! gitf "$tree" rev-parse -q --verify oomctl-base >/dev/null 2>&1; then
	part=$tree.partial
	rm -rf "$part"
	mkdir -p "$part"
	log "extracting $src_id into build/linux-fwd"
	tar -xf "$tarball" -C "$part" --strip-components=1
	gitf "$part" init -q
	log "committing the pristine tree"
	# Debian's tarball has a .gitignore that ignores the top level ("/*").
	gitf "$part" add -f -A .
	gitf "$part" commit -q -m "Pristine $(kver "$part") (Debian $best $best_ver)"
	gitf "$part" tag oomctl-base
	echo "$src_id" >"$part/.git/oomctl-source"
	rm -rf "$tree"
	mv "$part" "$tree"
fi
new_ver=$(kver "$tree")
times+=("$(phase tree "$t")")
put "Its kernel: $new_ver. The series' base: $base_ver (build/linux, tag oomctl-base)."
# Upstream versions as Debian orders them: 7.3.0-rc7 is 7.3.0~rc7.
if dpkg --compare-versions "${new_ver/-rc/~rc}" gt "${base_ver%% *}"; then
	newer=1
	put ""
else
	newer=0
	msg="$best $best_ver ($new_ver) is not newer than the base $base_ver: no forward port to check, this checks nothing new (the series on it anyway)"
	log "$msg"
	echo "# $msg"
	put ""
	put "**Nothing new checked**: Debian's newest source in ${reached// //} is not newer than"
	put "the base; the series was applied and built on it anyway."
	put ""
fi

# 4. kernel/series, patch by patch.
t=$SECONDS
mapfile -t patches < <(grep -v '^[[:space:]]*\(#\|$\)' "$sdir/series")
gitf "$tree" am --abort >/dev/null 2>&1 || true
rm -rf "$tree/.git/rebase-apply"
gitf "$tree" checkout -q -f -B forward oomctl-base
gitf "$tree" clean -q -f -d -x
put "| patch | git am on $new_ver |"
put "|---|---|"
applied=0 failed_patch="" conflict=""
for p in "${patches[@]}"; do
	if [ -n "$failed_patch" ]; then put "| $p | not tried |"; continue; fi
	if out=$(gitf "$tree" am -q --keep-cr "$sdir/$p" 2>&1); then
		applied=$((applied + 1))
		put "| $p | applies |"
		continue
	fi
	failed_patch=$p
	gitf "$tree" am --abort >/dev/null 2>&1 || true
	# The files it does not apply to, from git apply's own check.
	chk=$(gitf "$tree" apply --check "$sdir/$p" 2>&1 || true)
	conflict=$(sed -nE 's/^error: patch failed: (.*):[0-9]+$/\1/p
		s/^error: (.*): (does not exist in index|already exists in working directory|No such file or directory)$/\1/p' \
		<<<"$chk" | sort -u | tr '\n' ' ')
	conflict=${conflict% }
	put "| $p | **fails** on ${conflict:-(no file named: a corrupt patch?)} |"
	[ -n "$chk" ] || chk=$out	# git apply's errors, else git am's
	head -n 20 <<<"$chk" | sed 's/^/#   /'
done
times+=("$(phase apply "$t")")
desc="kernel/series (${#patches[@]} patches) applies with git am to Debian $best $best_ver ($new_ver)"
if [ -z "$failed_patch" ]; then
	tap_ok "$desc"
else
	[ -n "$conflict" ] || conflict="(git apply names no file: a corrupt patch?)"
	tap_fail "$desc: $failed_patch fails on $conflict, $applied applied before it"
fi
put ""

# 5. The build of the touched objects, W=1, no warning allowed.
buildlog=$top/build/forward-build.log
if [ -n "$failed_patch" ]; then
	tap_fail "the touched objects build with W=1 on $new_ver: not built, the series does not apply"
	tap_fail "the YNL-generated files regenerate byte for byte on $new_ver: not checked, the series does not apply"
	put "Build: not tried (the series does not apply). Generated files: not checked."
	finish
fi
t=$SECONDS
cc=gcc; command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_BASEDIR=$top
mk() { nice -n 10 make -s -C "$tree" O="$kobj" CC="$cc" HOSTCC="$cc" -j"$jobs" "$@"; }
mkdir -p "$kobj"
mapfile -t objs < <(gitf "$tree" diff --name-only oomctl-base HEAD -- '*.c' | grep -v '^tools/' | sed 's/\.c$/.o/')
build() {	# (called in an || list: no set -e in here)
	mk tinyconfig >/dev/null || return
	KCONFIG_CONFIG="$kobj/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$kobj" "$kobj/.config" "$top/kernel/vm.config" >/dev/null || return
	mk olddefconfig >/dev/null || return
	local line dropped=
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" "$kobj/.config" || dropped+=" $line"
	done <"$top/kernel/vm.config"
	if [ -n "$dropped" ]; then echo "kernel/vm.config: Kconfig dropped$dropped"; return 1; fi
	mk prepare || return
	(cd "$kobj" && rm -f "${objs[@]}") || return
	mk W=1 "${objs[@]}"
}
log "building ${objs[*]} with W=1 in build/kobj-fwd (log: build/forward-build.log)"
rc=0
build >"$buildlog" 2>&1 || rc=$?
warn=$(grep -E 'warning:|error:|dropped' "$buildlog" | sort -u || true)
times+=("$(phase build "$t")")
desc="the ${#objs[@]} objects the series touches build with W=1, no warnings, on $new_ver"
if [ $rc = 0 ] && [ -z "$warn" ]; then
	tap_ok "$desc"
	put "Build: tinyconfig + kernel/vm.config, \`make prepare\`, then with W=1 ${objs[*]}:"
	put "built, no warnings."
else
	tap_fail "$desc (exit $rc, $(grep -cE 'warning:' "$buildlog" || true) warning(s), log: build/forward-build.log)"
	shown=$warn
	[ -n "$shown" ] || shown=$(tail -n 20 "$buildlog")
	head -n 20 <<<"$shown" | sed 's/^/#   /'
	put "Build: tinyconfig + kernel/vm.config, then with W=1 ${objs[*]}:"
	put "**fails** (exit $rc; build/forward-build.log):"
	put ""
	put '```'
	mapfile -t -n 20 lines <<<"$shown"
	for l in "${lines[@]}"; do put "$l"; done
	put '```'
fi

# 6. The generated files against a regeneration by the new tree's generator.
t=$SECONDS
desc="the YNL-generated files the series carries regenerate byte for byte on $new_ver"
gen=$tree/tools/net/ynl/pyynl/ynl_gen_c.py
if ! python3 -c 'import yaml' 2>/dev/null; then
	tap_skip "$desc" "python3 with PyYAML (python3-yaml) is not installed"
	put "Generated files: not checked (python3-yaml is not installed)."
	finish
fi
mapfile -t gfiles < <(cd "$tree" && grep -rlF --include='*.[ch]' "/*	$spec_rel */" \
	include/uapi mm kernel net lib 2>/dev/null | sort)
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
bad=()
for f in "${gfiles[@]}"; do
	read -r mode kind < <(sed -n 's@^/\* YNL-GEN \([a-z]*\) \([a-z]*\) \*/$@\1 \2@p' "$tree/$f")
	args=$(sed -n 's@^/\* YNL-ARG \(.*\) \*/$@\1@p' "$tree/$f")
	out=$tmpd/$(basename "$f")
	# shellcheck disable=SC2086 # YNL-ARG holds several arguments
	if ! timeout 120 python3 "$gen" --mode "$mode" "--$kind" --spec "$tree/$spec_rel" $args \
		-o "$out" >"$tmpd/gen.log" 2>&1; then
		bad+=("$f (the generator failed)"); sed 's/^/#   /' "$tmpd/gen.log" | head -n 10
	elif ! cmp -s "$out" "$tree/$f"; then
		bad+=("$f"); diff -u "$tree/$f" "$out" | head -n 20 | sed 's/^/#   /'
	fi
done
times+=("$(phase regen "$t")")
if [ ${#gfiles[@]} -lt 3 ]; then
	tap_fail "$desc: found ${#gfiles[@]} of the 3 (UAPI header, kernel source, kernel header)"
	put "Generated files: **only ${#gfiles[@]} of 3 found** (${gfiles[*]:-none})."
elif [ ${#bad[@]} -gt 0 ]; then
	tap_fail "$desc: ${bad[*]} differ"
	put "Generated files: **differ**: ${bad[*]}."
else
	tap_ok "$desc"
	put "Generated files: ${gfiles[*]} regenerate byte for byte with the tree's"
	put "tools/net/ynl/pyynl/ynl_gen_c.py (what ynl-regen.sh runs)."
fi
[ $newer = 1 ] || put "(Not newer than the base: nothing new was checked.)"
finish
