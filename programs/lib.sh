# Shared by programs/<name>/build.sh (sourced, not run). Each build script sets
# NAME, then calls the helpers below. Layout under build/programs/ (git ignores build/):
#
#   dl/                      apt-get source downloads (the .dsc's sha256 is pinned by the
#                            script; dpkg-source -x checks every other file against the .dsc)
#   <name>/src/              unpacked with Debian's patches, then ours (programs/<name>/patches)
#   <name>/lind/, native/    build trees: cross (lind cc) and native (gcc), same source
#   root/                    what `lind run --root` sees: bin/<program>, ...
#   native/bin/              the native builds, the oracle of the side-by-side tests
#   built/<name>             written last: the program is built and installed both ways
#
# Idempotent: a second run with nothing newer does no work. Objects are rebuilt when the
# sysroot changes (build/.libc-stamp), binaries relinked when `lind` is newer (a newer
# `lind cc` may instrument for fork differently), everything when the source or our
# patches change.
#
# Environment: LIND (default: target/release/lind, else lind on PATH), LIND_JOBS (make
# jobs, default 2).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$REPO/build/programs
DL=$OUT/dl
ROOT=$OUT/root
NATIVE=$OUT/native
SYSROOT=$REPO/build/sysroot
JOBS=${LIND_JOBS:-2}
: "${NAME:?set NAME before sourcing programs/lib.sh}"
PDIR=$OUT/$NAME
SRC=$PDIR/src
LBLD=$PDIR/lind
NBLD=$PDIR/native
BUILT=$OUT/built/$NAME

say() { printf '%s: %s\n' "$NAME" "$*"; }
die() {
	printf '%s: error: %s\n' "$NAME" "$*" >&2
	exit 1
}

if [ -n "${LIND:-}" ]; then
	:
elif [ -x "$REPO/target/release/lind" ]; then
	LIND=$REPO/target/release/lind
else
	LIND=$(command -v lind || true)
fi
[ -n "$LIND" ] && [ -x "$LIND" ] || die "lind not found (cargo build --release -p lind-cli)"
LIND=$(cd "$(dirname "$LIND")" && pwd)/$(basename "$LIND")
[ -f "$SYSROOT/lib/libc.a" ] || die "no sysroot in $SYSROOT (run ./setup.sh)"
SYSROOT_KEY=$(cat "$REPO/build/.libc-stamp" 2>/dev/null || echo none)

# The cross toolchain, as `lind env` prints it.
eval "$("$LIND" env)"
LIND_CC=$CC
LIND_AR=$AR
LIND_RANLIB=$RANLIB
LIND_CPP=$CPP
unset CC AR RANLIB CPP CC_FOR_BUILD
HOST=wasm32-unknown-linux-musl
BUILD_TRIPLE=$(gcc -dumpmachine)

mkdir -p "$DL" "$PDIR" "$ROOT/bin" "$NATIVE/bin" "$OUT/built"
# One build of a program at a time.
exec 8>"$PDIR/.lock"
flock 8

# need_cmds CMD... : fail unless each command exists.
need_cmds() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null || die "$c not found (run ./setup.sh)"; done
}

# need_apt PKG... : install missing Debian packages (as root), else fail saying which.
need_apt() {
	local p missing=()
	for p in "$@"; do
		[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "needs apt packages: ${missing[*]} (apt-get install them as root)"
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
		>"$PDIR/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed (see $PDIR/apt.log)"
}

# fetch_source PKG VERSION DSC_SHA256: the source package in $DL. Sets DSC.
fetch_source() {
	local pkg=$1 ver=$2 sum=$3
	DSC=$DL/${pkg}_${ver#*:}.dsc
	if [ -f "$DSC" ] && [ "$(sha256sum "$DSC" | cut -d' ' -f1)" = "$sum" ]; then
		return 0
	fi
	say "fetching $pkg $ver (apt-get source)"
	(cd "$DL" && apt-get source -q --download-only "$pkg=$ver") >"$PDIR/fetch.log" 2>&1 ||
		die "apt-get source $pkg=$ver failed (needs the deb-src entry ./setup.sh adds; see $PDIR/fetch.log)"
	[ "$(sha256sum "$DSC" | cut -d' ' -f1)" = "$sum" ] || die "$DSC: sha256 mismatch"
}

# unpack_source: $SRC from $DSC with Debian's patches (dpkg-source -x verifies the
# tarballs against the .dsc), then programs/$NAME/patches/*.patch in order. Redone when
# the .dsc or one of our patches is newer than the unpacked tree; then the build trees
# go too. Runs prepare_source (if the script defines it) on a fresh tree.
unpack_source() {
	local stamp=$SRC/.lind-prepared p redo=0
	if [ ! -f "$stamp" ] || [ "$DSC" -nt "$stamp" ]; then redo=1; fi
	for p in "$REPO/programs/$NAME"/patches/*.patch; do
		[ -f "$p" ] && [ "$p" -nt "$stamp" ] && redo=1
	done
	[ $redo = 1 ] || return 0
	say "unpacking $(basename "$DSC") (dpkg-source -x applies Debian's patches)"
	rm -rf "$SRC" "$LBLD" "$NBLD"
	dpkg-source -q -x "$DSC" "$SRC" >"$PDIR/unpack.log" 2>&1 ||
		die "dpkg-source -x failed (see $PDIR/unpack.log)"
	for p in "$REPO/programs/$NAME"/patches/*.patch; do
		[ -f "$p" ] || continue
		patch -d "$SRC" -p1 <"$p" >>"$PDIR/unpack.log" 2>&1 || die "patch $p failed (see $PDIR/unpack.log)"
	done
	if declare -F prepare_source >/dev/null; then
		(cd "$SRC" && prepare_source) >>"$PDIR/unpack.log" 2>&1 || die "preparing the source failed (see $PDIR/unpack.log)"
	fi
	touch "$stamp"
}

# fresh_tree DIR: true (and DIR emptied and recreated) when DIR must be configured
# again: missing, or built against another sysroot. Records the sysroot key in DIR.
fresh_tree() {
	local dir=$1
	if [ -f "$dir/.lind-configured" ] && [ "$(cat "$dir/.lind-configured")" = "$SYSROOT_KEY" ]; then
		return 1
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	return 0
}
configured() { echo "$SYSROOT_KEY" >"$1/.lind-configured"; }

# relink_if_lind_newer FILE...: remove cage modules older than lind, so make relinks them.
relink_if_lind_newer() {
	local f
	for f in "$@"; do
		if [ -f "$f" ] && [ "$LIND" -nt "$f" ]; then rm -f "$f"; fi
	done
}

# logged LOG CMD...: run CMD with output to LOG; on failure show errors and die.
logged() {
	local log=$1
	shift
	if ! "$@" >"$log" 2>&1; then
		grep -E -i 'error|undefined' "$log" | head -n 20 >&2 || true
		tail -n 15 "$log" >&2
		die "$* failed (see $log)"
	fi
}

# install_if_changed FROM TO: copy (mode 0755) unless identical; echoes the name if copied.
install_if_changed() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		install -m 0755 "$1" "$2"
		echo "$(basename "$2")"
	fi
}

# mark_built VERSION: record that the program is installed both ways.
mark_built() {
	echo "$1" >"$BUILT.tmp"
	mv "$BUILT.tmp" "$BUILT"
}

# Runs the script's configure_tree(dir, cc, ar, ranlib[, host]) for the Lind
# and the native build side by side (each is mostly waiting on small compiles).
configure_both() {
	configure_tree "$LBLD" "$LIND_CC" "$LIND_AR" "$LIND_RANLIB" "$HOST" &
	local lpid=$!
	configure_tree "$NBLD" gcc ar ranlib &
	local npid=$!
	wait $lpid || die "configuring the Lind build failed"
	wait $npid || die "configuring the native build failed"
}

# A configure run into "$1/configure.out" failed: show its end and stop.
configure_failed() {
	tail -n 20 "$1/configure.out" >&2
	die "configure failed in $1 (see $1/configure.out)"
}
