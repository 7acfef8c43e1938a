#!/usr/bin/env bash
# The whole test suite: formatting, Rust unit and property tests, the C suite
# (each program built natively and with `lind cc`, outputs compared), the dash
# suite and the programs suite (real programs from Debian's sources, built by
# programs/build.sh first, run side by side with their native builds).
# Run ./setup.sh first. LIND_SKIP_PROGRAMS=1 skips building the programs (their
# tests are then skipped, unless they were built before).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
echo "test: cargo fmt --check"
cargo fmt --all -- --check
if [ -z "${LIND_SKIP_PROGRAMS:-}" ]; then
	echo "test: programs/build.sh"
	cargo build --release -q -p lind-cli
	LIND=$PWD/target/release/lind programs/build.sh
fi
echo "test: cargo test --release --workspace"
cargo test --release --workspace
