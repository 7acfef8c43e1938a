#!/usr/bin/env bash
# Debian's GNU grep (bookworm, 3.8) built with its autoconf build, twice from the same
# source: with `lind cc` into build/programs/root/bin/grep, and with gcc into
# build/programs/native/bin, the oracle of tests/programs/grep.
#
#   programs/grep/build.sh      build or update (idempotent; quick when up to date)
#
# No source patches (Debian's 7 stay applied). Build notes:
#   * Debian's 05-grep-wrapper-sh.patch changes src/Makefile.am and gnulib.mk; `automake`
#     (the same 1.16.5 grep 3.8 was made with) regenerates the Makefile.in files, then the
#     generated files are touched so make does not try to rerun autoconf.
#   * Configured as Debian does for musl: --with-included-regex (gnulib's regex, GNU
#     extensions and all); the native build uses it too, so both have the same matcher.
#   * --disable-perl-regexp (no PCRE2 for wasm32 yet), --disable-nls, --disable-threads
#     (no threads in Lind yet).
NAME=grep
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=3.8-5
DSC_SHA256=12b8d98e0112683e0439e61d5b3b7cdeafdfc579641c35aa25199bc0431061d0

prepare_source() {
	automake
	touch aclocal.m4 configure config.hin Makefile.in ./*/Makefile.in
}

need_apt autoconf automake
need_cmds gcc make dpkg-source
fetch_source grep "$VERSION" "$DSC_SHA256"
unpack_source

# configure_tree DIR CC AR RANLIB [HOST]
configure_tree() {
	local dir=$1 cc=$2 ar=$3 ranlib=$4 host=${5:-}
	fresh_tree "$dir" || return 0
	say "configure in $dir"
	local hostargs=(--build="$BUILD_TRIPLE")
	[ -n "$host" ] && hostargs+=(--host="$host")
	(cd "$dir" && "$SRC/configure" "${hostargs[@]}" --prefix=/ \
		--with-included-regex --disable-perl-regexp --disable-nls --disable-threads \
		CC="$cc" AR="$ar" RANLIB="$ranlib" CFLAGS="-O2") >"$dir/configure.out" 2>&1 ||
		configure_failed "$dir"
	configured "$dir"
}
configure_both

relink_if_lind_newer "$LBLD/src/grep"
# Only lib/ and src/: doc/ would need makeinfo (Debian's patches touch grep.texi).
logged "$LBLD/make.log" make -C "$LBLD" -j"$JOBS" SUBDIRS="lib src"
logged "$NBLD/make.log" make -C "$NBLD" -j"$JOBS" SUBDIRS="lib src"

changed=""
changed+=$(install_if_changed "$LBLD/src/grep" "$ROOT/bin/grep")
changed+=$(install_if_changed "$NBLD/src/grep" "$NATIVE/bin/grep")
mark_built "$VERSION"
if [ -n "$changed" ]; then say "installed grep"; else say "up to date"; fi
