#!/usr/bin/env bash
# Make sure the Debian packages the project needs are installed.
# Fast path: one dpkg-query call, no network, when everything is present.
# As root: apt-get update once, then install only what is missing.
# Not root: print the apt-get command and exit 1 (we never sudo on our own).
set -euo pipefail

pkgs=(
	# kernel build (scripts/build-kernel.sh)
	build-essential flex bison bc libelf-dev libssl-dev ccache
	# sparse for C=1 runs, built from Debian's source (scripts/build-sparse.sh)
	dpkg-dev patch
	# fetching the kernel source (scripts/fetch-kernel.sh) + tree handling
	git rsync xz-utils ca-certificates debian-archive-keyring
	# the VM: TCG qemu, busybox userland, initramfs packing
	qemu-system-x86 busybox-static cpio
	# oomctl CLI (libmnl/libnl generic netlink), ynl spec tooling
	pkg-config libmnl-dev libnl-3-dev libnl-genl-3-dev python3 python3-yaml python3-jsonschema python3-ply python3-git
	# bench plots, completion + man page checks, leak checks on the host
	gnuplot-nox bash-completion man-db valgrind
	# the CLI's second build (ASan/UBSan) and its fuzzers: clang, and the
	# compiler-rt of -fsanitize=address,undefined,fuzzer (libFuzzer's
	# libclang_rt.fuzzer is in libclang-rt-14-dev, only a Recommends of clang)
	clang libclang-rt-14-dev
	# issue 14, fleets: monitor -o journal (libsystemd, loaded when asked;
	# systemd-journald and journalctl for the round trip), systemd's own
	# oomctl to live beside (systemd-oomd), make deb (debhelper, lintian,
	# fakeroot), the Prometheus parser, ansible-playbook --syntax-check
	systemd libsystemd-dev systemd-oomd debhelper lintian fakeroot
	python3-prometheus-client ansible-core
)

# dpkg-query prints one status line per known package; unknown ones go to
# stderr and simply do not show up as installed.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null |
	awk '$2 == "installed" { print $1 }' || true)
missing=()
for p in "${pkgs[@]}"; do
	grep -qxF "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
