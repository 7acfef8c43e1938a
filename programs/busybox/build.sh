#!/usr/bin/env bash
# Debian's busybox (bookworm, 1.35.0) built with its own Kbuild, twice from the same
# source and the same configuration: with `lind cc` into build/programs/root/bin/busybox
# and with gcc into build/programs/native/bin/busybox, the oracle of
# tests/programs/busybox. Only the busybox binary is installed (no applet links: the
# root's /bin/cat, ls, ... stay the tools the dash suite compares), so tests call
# `busybox APPLET ...`.
#
#   programs/busybox/build.sh      build or update (idempotent; quick when up to date)
#
# No source patches (Debian's 14 stay applied). Configuration: `make allnoconfig`, then
# the applets listed in programs/busybox/applets, then `make oldconfig` with the default
# answer for every feature they bring in. Cross build: CC="lind cc", HOSTCC=gcc for the
# generators; scripts/trylink drops the linker options wasm-ld lacks by itself.
NAME=busybox
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=1:1.35.0-4+deb12u1
DSC_SHA256=9c01fe128b0eeded371c70e37d474fdb5055f71b5d0a778db44c6b0c62d3a7fa
APPLETS=$REPO/programs/busybox/applets

need_cmds gcc make dpkg-source
fetch_source busybox "$VERSION" "$DSC_SHA256"
unpack_source

# configure_tree DIR MAKEARGS...: out-of-tree (O=DIR) configuration from the applet list.
configure_tree() {
	local dir=$1
	shift
	if [ -f "$dir/.config" ] && [ "$dir/.config" -nt "$APPLETS" ] && ! fresh_tree_needed "$dir"; then
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	say "configure in $dir"
	{
		make -C "$SRC" O="$dir" "$@" allnoconfig &&
		# Forget allnoconfig's "no" for options (features, shell builtins) so that
		# oldconfig gives them their defaults; applets stay off unless listed.
		sed -i -E '/^# CONFIG_(FEATURE_|ASH_|SH_|LONG_OPTS|LFS|SHOW_USAGE|BUSYBOX|PLATFORM_LINUX|USE_BB_)/d' "$dir/.config" &&
		# This kconfig keeps the first value of a symbol: drop the listed ones first.
		for n in $(grep -v '^#' "$APPLETS"); do
			n=${n#!}
			echo "/^# CONFIG_$n is not set\$/d; /^CONFIG_$n=/d"
		done >"$dir/.lind-sed" &&
		sed -i -f "$dir/.lind-sed" "$dir/.config" &&
		grep -v '^#' "$APPLETS" | tr -s ' \n' '\n\n' |
			sed -E '/^$/d; s/^!(.*)/# CONFIG_\1 is not set/; s/^[A-Z].*/CONFIG_&=y/' >>"$dir/.config" &&
		{ yes '' || true; } | make -C "$dir" "$@" oldconfig
	} >"$dir/configure.out" 2>&1 || { tail -n 20 "$dir/configure.out" >&2; die "configuring $dir failed"; }
	configured "$dir"
}
fresh_tree_needed() { [ "$(cat "$1/.lind-configured" 2>/dev/null)" != "$SYSROOT_KEY" ]; }

LARGS=(CC="$LIND_CC" AR="$LIND_AR" HOSTCC=gcc SKIP_STRIP=y)
NARGS=(CC=gcc HOSTCC=gcc SKIP_STRIP=y)
configure_tree "$LBLD" "${LARGS[@]}"
configure_tree "$NBLD" "${NARGS[@]}"

# Kbuild takes ~15 s even when nothing changed: skip it when our last build is newer
# than everything it came from.
stamp=$PDIR/.lind-built
if [ -f "$stamp" ] && [ -f "$BUILT" ] && [ "$stamp" -nt "$LIND" ] && [ "$stamp" -nt "$APPLETS" ] &&
	[ "$stamp" -nt "$SRC/.lind-prepared" ] && [ "$stamp" -nt "$LBLD/.lind-configured" ] &&
	[ "$stamp" -nt "$NBLD/.lind-configured" ] && [ "$stamp" -nt "$0" ] &&
	cmp -s "$LBLD/busybox" "$ROOT/bin/busybox" && cmp -s "$NBLD/busybox" "$NATIVE/bin/busybox"; then
	say "up to date"
	exit 0
fi
rm -f "$stamp"
relink_if_lind_newer "$LBLD/busybox_unstripped" "$LBLD/busybox"
logged "$LBLD/make.log" make -C "$LBLD" -j"$JOBS" "${LARGS[@]}" busybox
logged "$NBLD/make.log" make -C "$NBLD" -j"$JOBS" "${NARGS[@]}" busybox

changed=""
changed+=$(install_if_changed "$LBLD/busybox" "$ROOT/bin/busybox")
changed+=$(install_if_changed "$NBLD/busybox" "$NATIVE/bin/busybox")
mark_built "${VERSION#*:}"
touch "$stamp"
if [ -n "$changed" ]; then say "installed busybox"; else say "up to date"; fi
