#!/usr/bin/env bash
# Debian's lighttpd (bookworm, 1.4.69) built with its autoconf build, twice from the same
# source: with `lind cc` into build/programs/root/bin/lighttpd, and with gcc into
# build/programs/native/bin/lighttpd (the native side of the HTTP benchmark).
#
#   programs/lighttpd/build.sh      build or update (idempotent; quick when up to date)
#
# No source patches (Debian's series is empty). Build notes:
#   * One static binary, modules linked in (LIGHTTPD_STATIC=yes, lighttpd's own switch
#     for platforms without dlopen): the modules it can load are listed in
#     src/plugin-static.h, which lighttpd expects the builder to write (prepare_source).
#   * --without-pcre2 --without-zlib and no TLS, no databases: only what a static file
#     server needs. The event loop is chosen at run time (`server.event-handler =
#     "linux-sysepoll"`, also lighttpd's default on Linux).
#   * lighttpd's configuration parser generator (lemon) runs on the host: CC_FOR_BUILD=gcc.
#   * musl has no <sys/queue.h> (BSD list macros, which lighttpd's bundled ls-hpack
#     includes): the Lind build takes the host's (glibc's; pure macros, no
#     architecture-dependent content) from a private include directory, as Alpine's
#     bsd-compat-headers package does for musl.
#   * Also built: lighttpd's unit tests (src/t/test_common, test_configfile, test_mod),
#     into build/programs/lighttpd/{lind,native}/src/t/, run by crates/cli/tests/lighttpd.rs.
NAME=lighttpd
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=1.4.69-1
DSC_SHA256=79de5cd54b9876b135f85fb617cca2dbd2df79b63563f7fa02851a1a516587db
# The modules compiled into the static binary (lighttpd_SOURCES under LIGHTTPD_STATIC in
# src/Makefile.am) that can be loaded, all but mod_deflate (no compression library is
# built) and mod_ajp13/mod_rrdtool (of no use here).
MODULES="access accesslog alias auth authn_file cgi dirlisting evhost expire extforward
fastcgi indexfile proxy redirect rewrite scgi setenv simple_vhost sockproxy ssi
staticfile status userdir vhostdb webdav"

prepare_source() {
	local m
	for m in $MODULES; do echo "PLUGIN_INIT(mod_$m)"; done >src/plugin-static.h
}

need_cmds gcc make dpkg-source
QUEUE_H=/usr/include/$BUILD_TRIPLE/sys/queue.h
[ -f "$QUEUE_H" ] || QUEUE_H=/usr/include/sys/queue.h
[ -f "$QUEUE_H" ] || die "no sys/queue.h on the host (apt-get install libc6-dev)"
fetch_source lighttpd "$VERSION" "$DSC_SHA256"
unpack_source

# configure_tree DIR CC AR RANLIB [HOST]
configure_tree() {
	local dir=$1 cc=$2 ar=$3 ranlib=$4 host=${5:-}
	fresh_tree "$dir" || return 0
	say "configure in $dir"
	local hostargs=(--build="$BUILD_TRIPLE") cppflags=""
	if [ -n "$host" ]; then
		hostargs+=(--host="$host")
		mkdir -p "$dir/compat/sys"
		cp "$QUEUE_H" "$dir/compat/sys/queue.h"
		cppflags="-I$dir/compat"
	fi
	(cd "$dir" && LIGHTTPD_STATIC=yes "$SRC/configure" "${hostargs[@]}" --prefix=/ \
		--disable-shared --enable-static --disable-dependency-tracking \
		--without-pcre2 --without-pcre --without-zlib --without-zstd --without-bzip2 \
		--without-brotli --without-libdeflate --without-xxhash \
		CC="$cc" AR="$ar" RANLIB="$ranlib" CFLAGS="-O2" CPPFLAGS="$cppflags" CC_FOR_BUILD=gcc) \
		>"$dir/configure.out" 2>&1 ||
		configure_failed "$dir"
	configured "$dir"
}
configure_both

TESTS=(src/t/test_common src/t/test_configfile src/t/test_mod)
# make takes ~15 s even when nothing changed (automake's phony generated-header
# targets): skip it when our last build is newer than everything it came from.
stamp=$PDIR/.lind-built
if [ -f "$stamp" ] && [ -f "$BUILT" ] && [ "$stamp" -nt "$LIND" ] &&
	[ "$stamp" -nt "$SRC/.lind-prepared" ] && [ "$stamp" -nt "$LBLD/.lind-configured" ] &&
	[ "$stamp" -nt "$NBLD/.lind-configured" ] && [ "$stamp" -nt "$0" ] &&
	cmp -s "$LBLD/src/lighttpd" "$ROOT/bin/lighttpd" &&
	cmp -s "$NBLD/src/lighttpd" "$NATIVE/bin/lighttpd"; then
	say "up to date"
	exit 0
fi
rm -f "$stamp"
relink_if_lind_newer "$LBLD/src/lighttpd" "${TESTS[@]/#/$LBLD/}"
# The generated headers first (make's BUILT_SOURCES only apply to `make all`).
for dir in "$LBLD" "$NBLD"; do
	logged "$dir/make-gen.log" make -C "$dir/src" parsers versionstamp
	logged "$dir/make.log" make -C "$dir/src" -j"$JOBS" lighttpd "${TESTS[@]#src/}"
done

changed=""
changed+=$(install_if_changed "$LBLD/src/lighttpd" "$ROOT/bin/lighttpd")
changed+=$(install_if_changed "$NBLD/src/lighttpd" "$NATIVE/bin/lighttpd")
mark_built "$VERSION"
touch "$stamp"
if [ -n "$changed" ]; then say "installed lighttpd"; else say "up to date"; fi
