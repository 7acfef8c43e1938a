#!/usr/bin/env bash
# Set up a Debian 12 machine to build and run Lind, from scratch or again.
#
#   ./setup.sh               as root; idempotent (a second run changes nothing)
#   SKIP_CARGO=1 ./setup.sh  everything but building the `lind` binary
#
# Steps (one line of output each; logs in build/setup-*.log):
#   1. apt packages: clang-19, lld-19, llvm-19, llvm-19-dev, g++,
#      libclang-rt-19-dev-wasm32,
#      binaryen, dpkg-dev, gcc, make, and autoconf, automake and dash for
#      the dash acceptance tests (installed only if missing)
#   2. a deb-src entry for Debian's main archive (for `apt-get source musl`)
#   3. libc/build.sh: fetch + verify musl 1.2.3, build build/sysroot
#   4. cargo build --release -p lind-cli  (target/release/lind)
#   5. /usr/local/bin/lind -> target/release/lind
#   6. examples/*.c -> build/examples/*.wasm (for the README demo)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOGS=$REPO/build
mkdir -p "$LOGS"

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: FAILED: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# --- 1. apt packages ---------------------------------------------------------
# gdb: crates/cli/tests/debugger.rs; wasi-libc: the WASI column of benches/;
# llvm-19-dev and g++ (its C++ library): lind cc's LLVM pass plugin.
PACKAGES=(clang-19 lld-19 llvm-19 llvm-19-dev g++ libclang-rt-19-dev-wasm32 binaryen dpkg-dev gcc make autoconf automake dash gdb wasi-libc)
missing=()
for p in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	say "apt packages: all present"
else
	is_root || fail "apt packages missing (${missing[*]}): run ./setup.sh as root"
	log=$LOGS/setup-apt.log
	{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"; } >"$log" 2>&1 ||
		{ tail -n 5 "$log" >&2; fail "apt-get install ${missing[*]} (see $log)"; }
	say "apt packages: installed ${missing[*]}"
fi

# --- 2. deb-src ------------------------------------------------------------------
# Needed by `apt-get source musl` in libc/build.sh. Debian 12 uses the deb822
# file debian.sources ("Types: deb"); older setups use sources.list lines.
has_deb_src() {
	grep -qsE '^[[:space:]]*(Types:.*\bdeb-src\b|deb-src[[:space:]])' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}
if has_deb_src && apt-cache showsrc musl 2>/dev/null | grep -q '^Package: musl'; then
	say "deb-src: enabled"
else
	is_root || fail "no deb-src entry for Debian's archive: run ./setup.sh as root"
	if ! has_deb_src; then
		deb822=/etc/apt/sources.list.d/debian.sources
		if [ -f "$deb822" ] && grep -qE '^Types:[[:space:]]*deb[[:space:]]*$' "$deb822"; then
			sed -i -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb deb-src/' "$deb822"
			what="added deb-src to $deb822"
		else
			echo "deb-src http://deb.debian.org/debian bookworm main" \
				>/etc/apt/sources.list.d/lind-deb-src.list
			what="added /etc/apt/sources.list.d/lind-deb-src.list"
		fi
	else
		what="source indexes fetched"
	fi
	log=$LOGS/setup-apt.log
	apt-get update -q >"$log" 2>&1 || { tail -n 5 "$log" >&2; fail "apt-get update (see $log)"; }
	apt-cache showsrc musl 2>/dev/null | grep -q '^Package: musl' ||
		fail "deb-src: apt still knows no source package musl after apt-get update"
	say "deb-src: $what"
fi

# --- 3. libc sysroot -------------------------------------------------------------
log=$LOGS/setup-libc.log
if "$REPO/libc/build.sh" >"$log" 2>&1; then
	say "$(tail -n 1 "$log")"
else
	tail -n 8 "$log" >&2
	fail "libc/build.sh (see $log)"
fi

# --- 4. lind binary ---------------------------------------------------------------
if [ -n "${SKIP_CARGO:-}" ]; then
	say "cargo: skipped (SKIP_CARGO is set)"
else
	command -v cargo >/dev/null || fail "cargo not found: install a Rust toolchain (rustup) first"
	log=$LOGS/setup-cargo.log
	start=$(date +%s)
	if (cd "$REPO" && cargo build --release -p lind-cli) >"$log" 2>&1; then
		say "cargo build --release -p lind-cli: ok ($(( $(date +%s) - start ))s)"
	else
		grep -E '^(error|warning: unused)' -A 5 "$log" | head -n 20 >&2 || tail -n 20 "$log" >&2
		fail "cargo build --release -p lind-cli (see $log)"
	fi
fi

# --- 5. /usr/local/bin/lind ---------------------------------------------------------
target=$REPO/target/release/lind
link=/usr/local/bin/lind
if [ -n "${SKIP_CARGO:-}" ] && [ ! -x "$target" ]; then
	say "$link: skipped (no $target yet)"
elif [ "$(readlink "$link" 2>/dev/null || true)" = "$target" ]; then
	say "$link -> $target (already)"
else
	is_root || fail "cannot create $link: run ./setup.sh as root"
	ln -sfn "$target" "$link" || fail "ln -s $target $link"
	say "$link -> $target"
fi

# --- 6. examples ----------------------------------------------------------------------
# The README's demo runs build/examples/*.wasm; rebuilt only when a source,
# lind or the sysroot is newer.
if [ -x "$target" ]; then
	mkdir -p "$REPO/build/examples"
	built=()
	for src in "$REPO"/examples/*.c; do
		out=$REPO/build/examples/$(basename "${src%.c}").wasm
		if [ ! -f "$out" ] || [ "$src" -nt "$out" ] || [ "$target" -nt "$out" ] ||
		   [ "$REPO/build/.libc-stamp" -nt "$out" ]; then
			"$target" cc -O2 -o "$out" "$src" || fail "lind cc $src"
			built+=("$(basename "$out")")
		fi
	done
	if [ ${#built[@]} -eq 0 ]; then say "examples: up to date"; else say "examples: built ${built[*]}"; fi
fi
