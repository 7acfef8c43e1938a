#!/usr/bin/env bash
# The whole test suite: formatting, Rust unit and property tests, and the C
# suite (each program built natively and with `lind cc`, outputs compared).
# Run ./setup.sh first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
echo "test: cargo fmt --check"
cargo fmt --all -- --check
echo "test: cargo test --release --workspace"
cargo test --release --workspace
