#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 tarball (trixie-backports) without touching
# the system's apt configuration: a private apt state directory whose sources
# point at the mirror the machine's own apt config already uses.
#
# Usage: scripts/fetch-kernel.sh            prints the path of the tarball
# Env:   OOMCTL_CACHE  cache directory (default ~/.cache/oomctl)
#        KVER          kernel series (default 7.3; 7.2 is the fallback)
set -euo pipefail

cache=${OOMCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomctl}
want=${KVER:-7.3}
mkdir -p "$cache"
log() { printf 'fetch-kernel: %s\n' "$*" >&2; }

for v in "$want" 7.2; do
	for t in "$cache"/linux-source-"$v".tar.*; do
		[ -f "$t" ] && { log "cached: $t"; echo "$t"; exit 0; }
	done
done

# The mirror the machine already uses: first http(s) URI in its apt sources.
mirror=$( { cat /etc/apt/sources.list 2>/dev/null
	    cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null; } |
	grep -v '^\s*#' |
	grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)
mirror=${mirror%/}
[ -n "$mirror" ] || { log "cannot find a Debian mirror in /etc/apt; set KSRC=/path/to/linux"; exit 1; }
log "mirror from the system's apt config: $mirror"

state=$cache/apt
mkdir -p "$state"/{lists/partial,cache/archives/partial,etc/sources.list.d,etc/preferences.d,etc/apt.conf.d}
: >"$state/status"
cat >"$state/etc/sources.list.d/trixie-backports.sources" <<SRC
Types: deb
URIs: $mirror
Suites: trixie-backports trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o Dir::State="$state" -o Dir::State::status="$state/status"
	  -o Dir::Cache="$state/cache" -o Dir::Etc="$state/etc"
	  -o Dir::Etc::sourcelist=/dev/null
	  -o Dir::Etc::sourceparts="$state/etc/sources.list.d"
	  -o Dir::Etc::preferencesparts="$state/etc/preferences.d"
	  -o APT::Architecture=amd64 -o Debug::NoLocking=1
	  -o APT::Sandbox::User=root)

start=$(date +%s)
log "apt-get update (private state in $state)"
apt-get "${apt_opts[@]}" -qq update >&2 || { log "apt-get update failed"; exit 1; }

pkg=
for v in "$want" 7.2; do
	if apt-cache "${apt_opts[@]}" show "linux-source-$v" >/dev/null 2>&1; then
		pkg=linux-source-$v; break
	fi
	log "linux-source-$v not available"
done
[ -n "$pkg" ] || { log "neither linux-source-$want nor linux-source-7.2 is in trixie-backports at $mirror; set KSRC=/path/to/linux"; exit 1; }

log "downloading $pkg"
(cd "$state/cache/archives" && apt-get "${apt_opts[@]}" -qq download "$pkg" >&2)
deb=$(ls -t "$state"/cache/archives/"$pkg"_*.deb | head -n1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
tar=$(ls "$tmp"/usr/src/"$pkg".tar.* | head -n1)
mv "$tar" "$cache/"
rm -f "$deb"
log "done in $(( $(date +%s) - start ))s: $cache/$(basename "$tar")"
echo "$cache/$(basename "$tar")"
