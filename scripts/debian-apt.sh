# Sourced by the scripts that fetch Debian packages (fetch-kernel.sh,
# build-sparse.sh): apt in a private state directory whose sources point at
# the mirror the machine's own apt config already uses.  The system's apt
# configuration is never touched, and no mirror host is written down here.
#
#   debian_apt STATE TYPES SUITES
#	writes STATE/etc/sources.list.d/oomctl.sources (TYPES: "deb",
#	"deb-src" or both; SUITES: e.g. "trixie-backports trixie"), sets the
#	array apt_opts and runs apt-get update.  Afterwards:
#	apt-get "${apt_opts[@]}" download|source ...,  apt-cache "${apt_opts[@]}" ...
# The caller defines log().

# The mirror the machine already uses: first http(s) URI in its apt sources.
debian_mirror() {
	local m
	m=$( { cat /etc/apt/sources.list 2>/dev/null
	       cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null; } |
		grep -v '^\s*#' |
		grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)
	[ -n "$m" ] || return 1
	echo "${m%/}"
}

debian_apt() {
	local state=$1 types=$2 suites=$3 mirror
	mirror=$(debian_mirror) || { log "cannot find a Debian mirror in /etc/apt"; return 1; }
	log "mirror from the system's apt config: $mirror"
	mkdir -p "$state"/{lists/partial,cache/archives/partial,etc/sources.list.d,etc/preferences.d,etc/apt.conf.d}
	: >"$state/status"
	rm -f "$state"/etc/sources.list.d/*.sources
	cat >"$state/etc/sources.list.d/oomctl.sources" <<-SRC
	Types: $types
	URIs: $mirror
	Suites: $suites
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
	log "apt-get update (private state in $state)"
	apt-get "${apt_opts[@]}" -qq update >&2 || { log "apt-get update failed"; return 1; }
}
