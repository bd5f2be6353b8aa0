#!/usr/bin/env bash
# make deb: the Debian package, build/deb/oomctl_VERSION_ARCH.deb, built with
# dpkg-buildpackage -us -uc -b from a copy of the working tree (its tracked
# files and new ones that are not ignored) in build/deb/oomctl-VERSION/,
# since dpkg-buildpackage writes its results next to the source directory.
# Prints the path of the .deb on stdout; the build's output goes to stderr.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
out=$top/build/deb
src=$out/oomctl-$version
rm -rf "$out"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do
		[ -e "$f" ] || continue		# deleted in the working tree
		printf '%s\0' "$f"
	done | rsync -a --from0 --files-from=- ./ "$src/"
(cd "$src" && dpkg-buildpackage -us -uc -b) >&2
ls "$out"/oomctl_"$version"_*.deb
