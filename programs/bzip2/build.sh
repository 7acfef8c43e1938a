#!/usr/bin/env bash
# Debian's bzip2 (bookworm, 1.0.8) built with its own Makefile, twice from the same
# source: with `lind cc` into build/programs/root/bin (bzip2, bunzip2, bzcat,
# bzip2recover) and with gcc into build/programs/native/bin, the oracle of
# tests/programs/bzip2.
#
#   programs/bzip2/build.sh      build or update (idempotent; quick when up to date)
#
# One patch (programs/bzip2/patches/01-static-bzip2.patch): bzip2 links libbz2.a, not
# Debian's shared libbz2.so. bunzip2 and bzcat are copies of bzip2 (it looks at argv[0]).
NAME=bzip2
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=1.0.8-5
DSC_SHA256=ed9c40f4de3f9e064535e15eac1c61a0f606763db98f4579dbc04067b94a8944

need_cmds gcc make dpkg-source patch
fetch_source bzip2 "$VERSION" "$DSC_SHA256"
unpack_source

# build_tree DIR CC AR RANLIB: the Makefile builds in its source directory; each build
# gets a copy.
build_tree() {
	local dir=$1 cc=$2 ar=$3 ranlib=$4
	if fresh_tree "$dir"; then
		cp -a "$SRC/." "$dir/"
		configured "$dir"
	fi
	logged "$dir/make.out" make -C "$dir" -j"$JOBS" bzip2 bzip2recover \
		CC="$cc" AR="$ar" RANLIB="$ranlib" CFLAGS="-Wall -Winline -O2 -D_FILE_OFFSET_BITS=64"
}
relink_if_lind_newer "$LBLD/bzip2" "$LBLD/bzip2recover"
build_tree "$LBLD" "$LIND_CC" "$LIND_AR" "$LIND_RANLIB"
build_tree "$NBLD" gcc ar ranlib

changed=""
for d in "$ROOT" "$NATIVE"; do
	b=$LBLD
	[ "$d" = "$NATIVE" ] && b=$NBLD
	for p in bzip2 bunzip2 bzcat; do changed+=$(install_if_changed "$b/bzip2" "$d/bin/$p"); done
	changed+=$(install_if_changed "$b/bzip2recover" "$d/bin/bzip2recover")
done
mark_built "$VERSION"
if [ -n "$changed" ]; then say "installed bzip2 bunzip2 bzcat bzip2recover"; else say "up to date"; fi
