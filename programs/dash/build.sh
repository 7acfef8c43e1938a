#!/usr/bin/env bash
# Build Debian's dash (bookworm, 0.5.12-2) for Lind with its own configure + make,
# cross-compiling with `lind cc`, and install it as the root's /bin/sh and /bin/dash.
# Also builds programs/tools (cat, echo, ...) into the same root.
#
#   programs/dash/build.sh            build or update (idempotent; quick when up to date)
#   programs/dash/build.sh --clean    forget the build tree first
#
# Layout (under build/, which git ignores):
#   build/programs/dl/               apt-get source download (sha256-checked)
#   build/programs/dash/src/         unpacked, Debian patches applied, autoreconf'ed
#   build/programs/dash/build/       out-of-tree configure + make
#   build/programs/root/bin/sh       dash.wasm (also bin/dash)
#
# How the cross build works (no changes to dash's sources or build system):
#   * --host=wasm32-unknown-linux-musl makes configure cross-compile: CC="lind cc",
#     no run tests, helpers (mkinit, mknodes, mksyntax, mksignames) built with
#     CC_FOR_BUILD=gcc, which dash's configure.ac supports.
#   * `lind cc` has no -E, so CPP is clang-19 -E with lind's target, sysroot and macros,
#     and builtins.def (the one rule that runs $(COMPILE) -E) is made first with
#     CC=$CPP_CC, a preprocessing-only compiler with the same flags.
#   * Debian's configure options: --disable-fnmatch --disable-lineno --disable-glob.
#   * autoreconf -fi as Debian's dh does: Debian's patches touch configure.ac and
#     src/Makefile.am (needs autoconf + automake; installed if missing and root).
#
# Environment: LIND_JOBS (default 2) parallel make jobs; LIND (default: lind on PATH,
# else target/release/lind).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$REPO/build/programs
DL=$OUT/dl
SRC=$OUT/dash/src
BLD=$OUT/dash/build
ROOT=$OUT/root
SYSROOT=$REPO/build/sysroot
JOBS=${LIND_JOBS:-2}

DASH_DEB_VERSION=0.5.12-2
DASH_DSC_SHA256=25c0fb805c735fdb7470ce485ce76dae1a7b6c04efdfb0fdac5eab921cbd78a5
DASH_ORIG_SHA256=6a474ac46e8b0b32916c4c60df694c82058d3297d8b385b74508030ca4a8f28a
DASH_DEBIAN_SHA256=bddd9129215eb60f4cc43a0ffdcc42d8f25e0bd09730520d599a2b7bc492e375

say() { printf 'dash: %s\n' "$*"; }
die() { printf 'dash: error: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = "--clean" ]; then
	rm -rf "$BLD"
elif [ $# -gt 0 ]; then
	die "usage: programs/dash/build.sh [--clean]"
fi

if [ -n "${LIND:-}" ]; then
	:
elif [ -x "$REPO/target/release/lind" ]; then
	LIND=$REPO/target/release/lind
else
	LIND=$(command -v lind || true)
fi
[ -n "$LIND" ] && [ -x "$LIND" ] || die "lind not found (cargo build --release -p lind-cli)"
[ -f "$SYSROOT/lib/libc.a" ] || die "no sysroot in $SYSROOT (run ./setup.sh)"
for tool in clang-19 llvm-ar-19 llvm-ranlib-19 gcc make dpkg-source flock; do
	command -v "$tool" >/dev/null || die "$tool not found (run ./setup.sh)"
done
if ! command -v autoreconf >/dev/null || ! command -v automake >/dev/null; then
	[ "$(id -u)" = 0 ] || die "autoconf and automake are needed (apt-get install autoconf automake)"
	say "installing autoconf automake"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		autoconf automake >"$OUT/apt.log" 2>&1 || die "apt-get install autoconf automake (see $OUT/apt.log)"
fi

# One build at a time (test harnesses may call this script concurrently).
mkdir -p "$DL" "$OUT/dash"
exec 9>"$OUT/dash/.lock"
flock 9

# --- 1. Source: fetch, verify, unpack with Debian's patches, autoreconf ---------
dsc=$DL/dash_$DASH_DEB_VERSION.dsc
orig=$DL/dash_${DASH_DEB_VERSION%-*}.orig.tar.gz
deb=$DL/dash_$DASH_DEB_VERSION.debian.tar.xz
check() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
if ! check "$dsc" "$DASH_DSC_SHA256" || ! check "$orig" "$DASH_ORIG_SHA256" ||
   ! check "$deb" "$DASH_DEBIAN_SHA256"; then
	say "fetching dash $DASH_DEB_VERSION (apt-get source)"
	(cd "$DL" && apt-get source -q --download-only "dash=$DASH_DEB_VERSION") >"$DL/fetch.log" 2>&1 ||
		die "apt-get source dash=$DASH_DEB_VERSION failed (needs the deb-src entry ./setup.sh adds; see $DL/fetch.log)"
	check "$dsc" "$DASH_DSC_SHA256" || die "$dsc: sha256 mismatch"
	check "$orig" "$DASH_ORIG_SHA256" || die "$orig: sha256 mismatch"
	check "$deb" "$DASH_DEBIAN_SHA256" || die "$deb: sha256 mismatch"
fi
if [ ! -f "$SRC/.lind-prepared" ]; then
	say "unpacking (dpkg-source -x applies Debian's patches) and autoreconf -fi"
	rm -rf "$SRC" "$BLD"
	dpkg-source -q -x "$dsc" "$SRC" >"$OUT/dash/unpack.log" 2>&1 ||
		die "dpkg-source -x failed (see $OUT/dash/unpack.log)"
	# Our own patches, if any (each documented in programs/README.md).
	for p in "$REPO"/programs/dash/patches/*.patch; do
		[ -f "$p" ] || continue
		patch -d "$SRC" -p1 <"$p" >>"$OUT/dash/unpack.log" 2>&1 || die "patch $p failed"
	done
	(cd "$SRC" && autoreconf -fi) >>"$OUT/dash/unpack.log" 2>&1 ||
		die "autoreconf failed (see $OUT/dash/unpack.log)"
	touch "$SRC/.lind-prepared"
fi

# --- 2. Configure (once per sysroot) ---------------------------------------------
RESOURCE_DIR=$(clang-19 -print-resource-dir)
TARGET_FLAGS="--target=wasm32-unknown-unknown -mbulk-memory -mmutable-globals -msign-ext -mnontrapping-fptoint"
CPP_CC="clang-19 $TARGET_FLAGS --sysroot=$SYSROOT -nostdinc -isystem $SYSROOT/include -isystem $RESOURCE_DIR/include -D__lind__=1"
CPP="$CPP_CC -E"
sysroot_key=$(cat "$REPO/build/.libc-stamp" 2>/dev/null || echo none)
if [ ! -f "$BLD/Makefile" ] || [ "$(cat "$BLD/.sysroot-key" 2>/dev/null)" != "$sysroot_key" ]; then
	say "configure (--host=wasm32-unknown-linux-musl, CC=lind cc)"
	rm -rf "$BLD"
	mkdir -p "$BLD"
	(cd "$BLD" && "$SRC/configure" \
		--build="$(gcc -dumpmachine)" --host=wasm32-unknown-linux-musl \
		--prefix=/ --disable-fnmatch --disable-lineno --disable-glob \
		CC="$LIND cc" CPP="$CPP" CFLAGS="-O2" CC_FOR_BUILD=gcc CFLAGS_FOR_BUILD="-O2" \
		AR=llvm-ar-19 RANLIB=llvm-ranlib-19) >"$OUT/dash/configure.log" 2>&1 ||
		{ tail -n 20 "$OUT/dash/configure.log" >&2; die "configure failed (see $OUT/dash/configure.log)"; }
	echo "$sysroot_key" >"$BLD/.sysroot-key"
fi

# --- 3. make ----------------------------------------------------------------------
# A newer lind may instrument differently (Asyncify plan): relink then.
if [ -f "$BLD/src/dash" ] && [ "$LIND" -nt "$BLD/src/dash" ]; then
	rm -f "$BLD/src/dash"
fi
log=$OUT/dash/make.log
{
	make -C "$BLD/src" CC="$CPP_CC" builtins.def &&
	make -C "$BLD" -j"$JOBS"
} >"$log" 2>&1 || { grep -E 'error|Error' "$log" | head -n 20 >&2; die "make failed (see $log)"; }
[ -f "$BLD/src/dash" ] || die "make did not produce $BLD/src/dash"

# --- 4. Install into the root -------------------------------------------------------
mkdir -p "$ROOT/bin"
changed=0
for name in sh dash; do
	if ! cmp -s "$BLD/src/dash" "$ROOT/bin/$name"; then
		install -m 0755 "$BLD/src/dash" "$ROOT/bin/$name"
		changed=1
	fi
done
if [ $changed = 1 ]; then
	say "installed $ROOT/bin/sh and $ROOT/bin/dash ($(stat -c %s "$ROOT/bin/sh") bytes)"
else
	say "up to date ($ROOT/bin/sh)"
fi

"$REPO/programs/tools/build.sh"
