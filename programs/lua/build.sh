#!/usr/bin/env bash
# Debian's lua5.4 (bookworm, 5.4.4) built with Lua's own Makefile (`make posix`), twice
# from the same source: with `lind cc` into build/programs/root/bin/lua (and luac), and
# with gcc into build/programs/native/bin, the oracle of tests/programs/lua.
#
#   programs/lua/build.sh      build or update (idempotent; quick when up to date)
#
# Source changes (on top of Debian's patches, which stay applied: module paths, extern C,
# two CVE fixes):
#   * Debian's 0001-build-system.patch is reverted: it replaces Lua's Makefile with a
#     libtool one for Debian's shared liblua5.4.so (a cage has no dynamic loader).
#   * src/lua5.4-deb-multiarch.h, which debian/rules generates, is written with a fixed
#     DEB_HOST_MULTIARCH ("wasm32-lind", the same in both builds so package.cpath matches).
# `make posix` (LUA_USE_POSIX: mkstemp, popen, ...; no dlopen, no readline).
NAME=lua
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=5.4.4-3+deb12u1
DSC_SHA256=d47c50154294a68c8a209c5d61bc09e5b22891c01b7c47501ac3f9725eb4a813

prepare_source() {
	patch -R -p1 <debian/patches/0001-build-system.patch
	echo '#define DEB_HOST_MULTIARCH "wasm32-lind"' >src/lua5.4-deb-multiarch.h
}

need_cmds gcc make dpkg-source patch
fetch_source lua5.4 "$VERSION" "$DSC_SHA256"
unpack_source

# build_tree DIR CC AR RANLIB: Lua builds in its source directory, so each build gets a copy.
build_tree() {
	local dir=$1 cc=$2 ar=$3 ranlib=$4
	if fresh_tree "$dir"; then
		cp -a "$SRC/src/." "$dir/"
		configured "$dir"
	fi
	logged "$dir/make.out" make -C "$dir" -j"$JOBS" posix \
		CC="$cc -std=gnu99" AR="$ar rcu" RANLIB="$ranlib" MYCFLAGS=-O2
}
relink_if_lind_newer "$LBLD/lua" "$LBLD/luac"
build_tree "$LBLD" "$LIND_CC" "$LIND_AR" "$LIND_RANLIB"
build_tree "$NBLD" gcc ar ranlib

changed=""
for p in lua luac; do
	changed+=$(install_if_changed "$LBLD/$p" "$ROOT/bin/$p")
	changed+=$(install_if_changed "$NBLD/$p" "$NATIVE/bin/$p")
done
mark_built "$VERSION"
if [ -n "$changed" ]; then say "installed lua luac"; else say "up to date"; fi
