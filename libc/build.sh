#!/usr/bin/env bash
# Build Lind's wasm32 sysroot: musl 1.2.3 (from Debian's source package) with
# our port layer (this directory) copied over it.
#
#   libc/build.sh            build or update build/sysroot (idempotent)
#   libc/build.sh --clean    forget all objects first
#
# Layout (everything under build/, which git ignores):
#   build/musl-src/          apt-get source download + pristine unpacked tree
#   build/musl-1.2.3/        working tree: pristine + overlay + objects
#   build/sysroot/           include/, lib/{crt1.o,libc.a,lib*.a,builtins},
#                            lib/lind-signal-poll.so (lind cc's LLVM pass plugin)
#
# A run whose inputs (this directory, the tools' versions) did not change
# since the last successful one does nothing and takes well under a second.
# When they changed, only what is needed is redone: a changed .c file
# recompiles that file; a changed header or flag recompiles everything
# (musl's Makefile does not track header dependencies).
#
# Environment: LIND_JOBS (default 2) parallel compile jobs.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIBC=$REPO/libc
BUILD=$REPO/build
DL=$BUILD/musl-src
TREE=$BUILD/musl-1.2.3
SYSROOT=$BUILD/sysroot
JOBS=${LIND_JOBS:-2}

MUSL_VERSION=1.2.3
MUSL_DEB_VERSION=1.2.3-1
# sha256 of musl-1.2.3.tar.gz as released upstream (Debian's .orig.tar.gz is
# the same file) and of Debian's packaging for 1.2.3-1.
MUSL_ORIG_SHA256=7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4
MUSL_DEBIAN_SHA256=8f12cc808dbec030179a25ce2645a4c0b622ee8011c2afcec53b87ec5867a8cc

CC=clang-19
CXX=clang++-19
LLVM_CONFIG=llvm-config-19
AR=llvm-ar-19
RANLIB=llvm-ranlib-19
BUILTINS=/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a

# Flags every wasm32 object of Lind is built with (lind cc uses the same).
# -enable-emscripten-sjlj: setjmp/longjmp without Asyncify (src/setjmp/wasm32/setjmp.c).
TARGET_FLAGS="--target=wasm32-unknown-unknown -matomics -mbulk-memory -mmutable-globals -msign-ext -fno-stack-protector -mllvm -enable-emscripten-sjlj"

say() { printf 'libc: %s\n' "$*"; }
die() { printf 'libc: error: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = "--clean" ]; then
	rm -rf "$TREE/obj" "$TREE/lib" "$BUILD/.libc-stamp"
elif [ $# -gt 0 ]; then
	die "usage: libc/build.sh [--clean]"
fi

for tool in "$CC" "$CXX" "$LLVM_CONFIG" "$AR" "$RANLIB" make; do
	command -v "$tool" >/dev/null || die "$tool not found (run ./setup.sh)"
done
[ -f "$BUILTINS" ] || die "$BUILTINS not found (package libclang-rt-19-dev-wasm32; run ./setup.sh)"

# --- 0. Up to date? ------------------------------------------------------
# The key covers our sources, this script and the compiler.
key=$( {
	cd "$LIBC"
	find . -type f ! -name '*~' ! -name '*.swp' -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum
	"$CC" --version | head -n1
	echo "$TARGET_FLAGS $MUSL_ORIG_SHA256"
} | sha256sum | cut -d' ' -f1)
if [ -f "$BUILD/.libc-stamp" ] && [ "$(cat "$BUILD/.libc-stamp")" = "$key" ] &&
   [ -f "$SYSROOT/lib/libc.a" ] && [ -f "$SYSROOT/lib/crt1.o" ] &&
   [ -f "$SYSROOT/include/stdio.h" ] && [ -f "$SYSROOT/lib/lind-signal-poll.so" ]; then
	say "sysroot up to date ($SYSROOT)"
	exit 0
fi
mkdir -p "$BUILD"

# --- 1. Fetch and verify musl's source -------------------------------------
pristine=$DL/musl-$MUSL_VERSION
if [ ! -f "$DL/.verified" ] || [ ! -f "$pristine/VERSION" ]; then
	rm -rf "$DL"
	mkdir -p "$DL"
	say "fetching musl $MUSL_DEB_VERSION source (apt-get source)"
	# Pin the Debian revision we checked; if the archive no longer has it,
	# take the current one, whose upstream tarball must still match.
	if ! (cd "$DL" && apt-get source -q --download-only "musl=$MUSL_DEB_VERSION" >"$DL/fetch.log" 2>&1) &&
	   ! (cd "$DL" && apt-get source -q --download-only musl >>"$DL/fetch.log" 2>&1); then
		tail -n 5 "$DL/fetch.log" >&2
		die "apt-get source musl failed: needs a deb-src entry for bookworm main and 'apt-get update' (./setup.sh does both)"
	fi
	dsc=$(ls "$DL"/musl_*.dsc 2>/dev/null | head -n1)
	[ -n "$dsc" ] || die "no musl .dsc was downloaded"
	deb_version=$(sed -n 's/^Version: //p' "$dsc")
	case "$deb_version" in
		"$MUSL_VERSION"-*) ;;
		*) die "apt-get source fetched musl $deb_version, need $MUSL_VERSION" ;;
	esac
	orig=$DL/musl_$MUSL_VERSION.orig.tar.gz
	[ -f "$orig" ] || die "missing $orig"
	echo "$MUSL_ORIG_SHA256  $orig" | sha256sum -c --quiet - ||
		die "sha256 of $orig does not match the recorded musl $MUSL_VERSION tarball"
	if [ "$deb_version" = "$MUSL_DEB_VERSION" ]; then
		echo "$MUSL_DEBIAN_SHA256  $DL/musl_$deb_version.debian.tar.xz" | sha256sum -c --quiet - ||
			die "sha256 of Debian's musl_$deb_version.debian.tar.xz does not match"
	else
		say "note: Debian now ships musl $deb_version (script checked $MUSL_DEB_VERSION); upstream tarball verified"
	fi
	# dpkg-source checks every file against the checksums in the .dsc (which
	# apt verified against the signed archive index) and applies Debian's
	# patches, if any.
	(cd "$DL" && dpkg-source --require-strong-checksums -x "$(basename "$dsc")" "musl-$MUSL_VERSION" >>"$DL/fetch.log" 2>&1) ||
		{ tail -n 5 "$DL/fetch.log" >&2; die "dpkg-source -x $(basename "$dsc") failed (checksums?)"; }
	[ "$(cat "$pristine/VERSION")" = "$MUSL_VERSION" ] || die "unpacked tree is not musl $MUSL_VERSION"
	echo "$deb_version" >"$DL/.verified"
	rm -rf "$TREE"
fi

# --- 2. Working tree ---------------------------------------------------------
if [ ! -f "$TREE/.lind-tree" ]; then
	say "preparing working tree $TREE"
	rm -rf "$TREE"
	cp -a "$pristine" "$TREE"
	rm -rf "$TREE/debian" "$TREE/.pc"
	: >"$TREE/.lind-tree"
fi

# --- 3. Overlay ----------------------------------------------------------
# Stage the complete overlay: our files, the musl headers we take unchanged
# from another arch (copied from the pristine tree, never committed), and
# config.mak. Then copy into the tree only what differs, so that make's
# timestamps stay meaningful.
stage=$BUILD/.libc-overlay
rm -rf "$stage"
mkdir -p "$stage/arch/wasm32/bits"
take() { cp "$pristine/arch/$1" "$stage/arch/wasm32/$2"; }
# x32 is our model: ILP32 over the x86_64 kernel ABI.
for h in fcntl.h ioctl_fix.h ipc.h limits.h mman.h msg.h posix.h ptrace.h reg.h \
         sem.h shm.h signal.h socket.h stat.h statfs.h user.h; do
	take "x32/bits/$h" "bits/$h"
done
take x32/kstat.h kstat.h
# Real x86_64 syscall numbers (x32's add 0x40000000).
take x86_64/bits/syscall.h.in bits/syscall.h.in
# long double is IEEE binary128, as on aarch64.
take aarch64/bits/float.h bits/float.h
(cd "$LIBC" && find arch crt include src -type f ! -name '*~' ! -name '*.swp' -print0 |
	xargs -0 cp --parents -t "$stage")

cat >"$stage/config.mak" <<EOF
# Generated by libc/build.sh; musl's configure does not know wasm32.
ARCH = wasm32
SUBARCH =
ASMSUBARCH =
srcdir = .
prefix = /
exec_prefix = /
bindir = /bin
libdir = /lib
includedir = /include
syslibdir = /lib
CC = $CC
CFLAGS_C99FSE = -std=c99 -nostdinc -ffreestanding -frounding-math
CFLAGS_AUTO = -O2 -fno-unwind-tables -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections -w -Wno-pointer-to-int-cast -Werror=implicit-function-declaration -Werror=implicit-int -Werror=pointer-sign -Werror=pointer-arith -Werror=int-conversion -Werror=incompatible-pointer-types -Qunused-arguments
CFLAGS_MEMOPS =
CFLAGS_NOSSP = -fno-stack-protector
CPPFLAGS =
CFLAGS = $TARGET_FLAGS
LDFLAGS_AUTO =
LIBCC =
OPTIMIZE_GLOBS = internal/*.c malloc/*.c string/*.c
# musl's other allocator (its build option): in wasm its boundary-tag heap
# keeps Lua's objects as close together as wasi-libc's dlmalloc does, where
# mallocng's size-class groups spread them (Lua 4-5% slower, malloc_free 2x;
# see benches/README.md).
MALLOC_DIR = oldmalloc
ALL_TOOLS =
TOOL_LIBS =
SHARED_LIBS =
AR = $AR
RANLIB = $RANLIB
EOF

manifest_new=$(cd "$stage" && find . -type f | LC_ALL=C sort)
manifest_old=$(cat "$TREE/.lind-overlay" 2>/dev/null || true)
full_rebuild=0
changed=0
while IFS= read -r f; do
	[ -n "$f" ] || continue
	if ! cmp -s "$stage/$f" "$TREE/$f"; then
		mkdir -p "$(dirname "$TREE/$f")"
		cp "$stage/$f" "$TREE/$f"
		changed=$((changed + 1))
		case "$f" in *.c) ;; *) full_rebuild=1 ;; esac
	fi
done <<<"$manifest_new"
# Files that left the overlay: restore musl's version, or delete ours.
while IFS= read -r f; do
	[ -n "$f" ] || continue
	if ! grep -qxF -- "$f" <<<"$manifest_new"; then
		if [ -f "$pristine/$f" ]; then cp "$pristine/$f" "$TREE/$f"; else rm -f "$TREE/$f"; fi
		changed=$((changed + 1))
		full_rebuild=1
	fi
done <<<"$manifest_old"
printf '%s\n' "$manifest_new" >"$TREE/.lind-overlay"
rm -rf "$stage"
if [ "$full_rebuild" = 1 ] && [ -d "$TREE/obj" ]; then
	say "headers or flags changed: rebuilding all objects"
	rm -rf "$TREE/obj" "$TREE/lib"
fi

# --- 4. Compile ------------------------------------------------------------
say "building musl for wasm32 (make -j$JOBS; log in build/musl-build.log)"
start=$(date +%s)
if ! make -C "$TREE" -j"$JOBS" lib/libc.a lib/crt1.o >"$BUILD/musl-build.log" 2>&1; then
	grep -E 'error|Error' "$BUILD/musl-build.log" | head -n 20 >&2 || true
	die "musl build failed (see build/musl-build.log)"
fi

# --- 5. Install the sysroot --------------------------------------------------
new=$BUILD/.sysroot-new
rm -rf "$new"
mkdir -p "$new/lib"
# What musl's `make install-headers` does (its install.sh per file is slow):
# include/, then bits/ from arch/generic, arch/wasm32 (wins) and the
# generated alltypes.h and syscall.h.
mkdir -p "$new/include/bits"
(cd "$TREE/include" && find . -name '*.h' -print0 | xargs -0 cp --parents -t "$new/include")
cp "$TREE"/arch/generic/bits/*.h "$new/include/bits/"
cp "$TREE"/arch/wasm32/bits/*.h "$new/include/bits/"
cp "$TREE"/obj/include/bits/alltypes.h "$TREE"/obj/include/bits/syscall.h "$new/include/bits/"
cp "$TREE/lib/libc.a" "$TREE/lib/crt1.o" "$new/lib/"
for l in m pthread rt dl util xnet crypt resolv; do
	"$AR" rc "$new/lib/lib$l.a"
done
cp "$BUILTINS" "$new/lib/"
# The pass plugin lind cc loads into every compile (llvm/signal_poll.cpp).
if ! "$CXX" -shared -fPIC -O2 $("$LLVM_CONFIG" --cxxflags) "$LIBC/llvm/signal_poll.cpp" \
	-o "$new/lib/lind-signal-poll.so" >"$BUILD/plugin-build.log" 2>&1; then
	head -n 20 "$BUILD/plugin-build.log" >&2
	die "building the LLVM pass plugin failed (packages llvm-19-dev and g++; run ./setup.sh)"
fi
printf 'musl %s (Debian %s), lind libc key %s\n' "$MUSL_VERSION" "$(cat "$DL/.verified")" "$key" \
	>"$new/lind-sysroot.txt"
rm -rf "$SYSROOT"
mv "$new" "$SYSROOT"
echo "$key" >"$BUILD/.libc-stamp"
say "sysroot ready in $SYSROOT ($changed overlay files updated, $(( $(date +%s) - start ))s)"
