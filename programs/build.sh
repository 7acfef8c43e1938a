#!/usr/bin/env bash
# Build every program under programs/ for Lind (and natively, for the side-by-side
# tests), or only the ones named:
#
#   programs/build.sh                 dash (and the tools), then each of PROGRAMS below
#   programs/build.sh zlib lua        only these
#
# Each programs/<name>/build.sh is idempotent and quick when up to date. Prints one line
# per program and the time it took; stops at the first failure (exit status 1).
# Programs that take too long for CI are not in the default list (see programs/README.md).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROGRAMS=(zlib lua sqlite3 bzip2 grep busybox lighttpd)

if [ $# -gt 0 ]; then
	list=("$@")
else
	list=(dash "${PROGRAMS[@]}")
fi
for name in "${list[@]}"; do
	script=$HERE/$name/build.sh
	[ -x "$script" ] || { echo "programs: no $script" >&2; exit 1; }
	start=$(date +%s)
	if ! "$script"; then
		echo "programs: $name FAILED" >&2
		exit 1
	fi
	echo "programs: $name ok ($(( $(date +%s) - start ))s)"
done
