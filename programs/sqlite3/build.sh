#!/usr/bin/env bash
# Debian's sqlite3 (bookworm, 3.40.1) built with its autoconf build (as Debian does:
# autoreconf, configure, make), twice from the same source: the sqlite3 shell with
# `lind cc` into build/programs/root/bin/sqlite3, and with gcc into
# build/programs/native/bin, the oracle of tests/programs/sqlite3.
#
#   programs/sqlite3/build.sh               build or update (idempotent)
#   programs/sqlite3/build.sh --speedtest1  also speedtest1 (compiles sqlite3.c once more
#                                           per build; not part of ./test.sh)
#
# No source patches (Debian's 14 stay applied). Build notes:
#   * autoreconf -fi as Debian's dh_autoreconf: Debian's patches change configure.ac
#     (needs autoconf, automake, libtool; installed if missing, as root).
#   * The amalgamation sqlite3.c is generated on the build machine (tclsh, installed if
#     missing); Debian's 30-cross.patch builds the lemon parser generator with the build
#     compiler when CROSS_BUILDING=yes, which we pass to make for the Lind build.
#   * --disable-shared (no dynamic loader in a cage), --disable-threadsafe (no threads
#     yet), --disable-load-extension (no dlopen), no readline, no TCL extension.
#   * CFLAGS: Debian's feature set (FTS3/4/5, RTREE, JSON, DBSTAT, SOUNDEX, ...) minus
#     threads and extension loading, identical for both builds.
NAME=sqlite3
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VERSION=3.40.1-2+deb12u2
DSC_SHA256=ee3459ae9d00939741c7708fc1b8ce1bde12d8c3fb1dfa005bbbc8651d884e23

SPEEDTEST=0
case "${1:-}" in
--speedtest1) SPEEDTEST=1 ;;
"") ;;
*) die "usage: programs/sqlite3/build.sh [--speedtest1]" ;;
esac

prepare_source() {
	autoreconf -fi
}

need_apt autoconf automake libtool tcl
need_cmds gcc make dpkg-source tclsh
fetch_source sqlite3 "$VERSION" "$DSC_SHA256"
unpack_source

FEATURES="-DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3
 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
 -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB
 -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1
 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1
 -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION
 -DSQLITE_ENABLE_STMTVTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000"
FEATURES=$(echo $FEATURES)

# configure_tree DIR CC AR RANLIB [HOST]
configure_tree() {
	local dir=$1 cc=$2 ar=$3 ranlib=$4 host=${5:-}
	fresh_tree "$dir" || return 0
	say "configure in $dir"
	local hostargs=(--build="$BUILD_TRIPLE")
	[ -n "$host" ] && hostargs+=(--host="$host")
	(cd "$dir" && "$SRC/configure" "${hostargs[@]}" --prefix=/ \
		--disable-shared --enable-static --disable-threadsafe --disable-load-extension \
		--disable-readline --disable-editline --disable-tcl \
		--enable-fts4 --enable-fts5 --enable-rtree \
		CC="$cc" AR="$ar" RANLIB="$ranlib" CFLAGS="-O2 -fno-strict-aliasing $FEATURES" \
		BUILD_CC=gcc) >"$dir/configure.out" 2>&1 ||
		configure_failed "$dir"
	configured "$dir"
}
configure_both

TARGETS="sqlite3"
if [ $SPEEDTEST = 1 ]; then
	TARGETS+=" speedtest1"
elif [ "$LIND" -nt "$ROOT/bin/speedtest1" ] || [ "$LBLD/.lind-configured" -nt "$ROOT/bin/speedtest1" ]; then
	# A speedtest1 from an earlier --speedtest1 build that this build would not refresh:
	# drop it (its test is then skipped) rather than test a stale module.
	rm -f "$ROOT/bin/speedtest1" "$NATIVE/bin/speedtest1"
fi
relink_if_lind_newer "$LBLD/sqlite3" "$LBLD/speedtest1"
# The two builds run side by side (each compiles one big sqlite3.c).
logged "$LBLD/make.log" make -C "$LBLD" CROSS_BUILDING=yes $TARGETS &
lpid=$!
logged "$NBLD/make.log" make -C "$NBLD" CROSS_BUILDING=no $TARGETS &
npid=$!
wait $lpid || die "the Lind build failed"
wait $npid || die "the native build failed"

changed=""
for p in $TARGETS; do
	changed+=$(install_if_changed "$LBLD/$p" "$ROOT/bin/$p")
	changed+=$(install_if_changed "$NBLD/$p" "$NATIVE/bin/$p")
done
mark_built "$VERSION"
if [ -n "$changed" ]; then say "installed $TARGETS"; else say "up to date"; fi
