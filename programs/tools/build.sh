#!/usr/bin/env bash
# Build programs/tools/*.c with `lind cc` into build/programs/root/bin/<name>
# (only the ones whose source, or lind, is newer than the installed module).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOT=$REPO/build/programs/root
if [ -z "${LIND:-}" ]; then
	if [ -x "$REPO/target/release/lind" ]; then LIND=$REPO/target/release/lind; else LIND=$(command -v lind); fi
fi
mkdir -p "$ROOT/bin"
built=()
for src in "$REPO"/programs/tools/*.c; do
	name=$(basename "${src%.c}")
	out=$ROOT/bin/$name
	if [ ! -f "$out" ] || [ "$src" -nt "$out" ] || [ "$LIND" -nt "$out" ]; then
		"$LIND" cc -O2 -Wall -o "$out.tmp" "$src"
		mv "$out.tmp" "$out"
		chmod 0755 "$out"
		built+=("$name")
	fi
done
if [ ${#built[@]} -eq 0 ]; then
	echo "tools: up to date"
else
	echo "tools: built ${built[*]}"
fi
