#!/usr/bin/env bash
# Debian's zlib (bookworm, 1.2.13) built with its own configure + Makefile, twice from
# the same source: with `lind cc` (installed into build/programs/root/bin) and with gcc
# (build/programs/native/bin, the oracle of tests/programs/zlib). Installs zlib's test
# programs: example, minigzip, example64, minigzip64 and infcover.
#
#   programs/zlib/build.sh      build or update (idempotent; quick when up to date)
#
# zlib's configure is not autoconf: cross-compiling is CHOST plus CC/AR/RANLIB; --static
# (a cage has no dynamic loader). No patches.
NAME=zlib
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=1:1.2.13.dfsg-1
DSC_SHA256=3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8
PROGS="example minigzip example64 minigzip64 infcover"

need_cmds gcc make dpkg-source
fetch_source zlib "$VERSION" "$DSC_SHA256"
unpack_source

# configure_tree DIR CC AR RANLIB [CHOST]
configure_tree() {
	local dir=$1 cc=$2 ar=$3 ranlib=$4 chost=${5:-}
	if fresh_tree "$dir"; then
		say "configure in $dir"
		# zlib's configure writes into the current directory; SRCDIR lets it build out of tree.
		(cd "$dir" && CHOST=$chost CC=$cc AR=$ar RANLIB=$ranlib CFLAGS=-O2 \
			"$SRC/configure" --static --prefix=/) >"$dir/configure.out" 2>&1 ||
			configure_failed "$dir"
		configured "$dir"
	fi
}
configure_tree "$LBLD" "$LIND_CC" "$LIND_AR" "$LIND_RANLIB" "$HOST"
configure_tree "$NBLD" gcc ar ranlib

relink_if_lind_newer $(for p in $PROGS; do echo "$LBLD/$p"; done)
# infcover is not in zlib's `all`; make it by name.
logged "$LBLD/make.log" make -C "$LBLD" -j"$JOBS" $PROGS
logged "$NBLD/make.log" make -C "$NBLD" -j"$JOBS" $PROGS

changed=""
for p in $PROGS; do
	changed+=$(install_if_changed "$LBLD/$p" "$ROOT/bin/$p")
	changed+=$(install_if_changed "$NBLD/$p" "$NATIVE/bin/$p")
done
mark_built "${VERSION#*:}"
if [ -n "$changed" ]; then say "installed $PROGS"; else say "up to date"; fi
