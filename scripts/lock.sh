#!/usr/bin/env bash
# One VM pipeline at a time per checkout.  Two runs at once would wipe each
# other's build/guest, repack the initramfs under a booting VM, and write
# both consoles into the same build/vm-MODE.log.
#   sourced (". scripts/lock.sh"): holds build/.lock until the script exits
#   scripts/lock.sh CMD...         runs CMD holding it
# Nested users (check.sh -> run-vm.sh) see OOMCTL_LOCK and do not wait for
# themselves.
set -euo pipefail
if [ -z "${OOMCTL_LOCK:-}" ]; then
	_lock=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/.lock
	mkdir -p "${_lock%/*}"
	exec 9>"$_lock"
	if ! flock -n 9; then
		printf 'lock: another build/VM run holds build/.lock; waiting\n' >&2
		flock 9
	fi
	export OOMCTL_LOCK=$$
fi
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
	exec "$@"
fi
