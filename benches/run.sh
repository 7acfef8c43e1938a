#!/bin/sh
# Lind vs native benchmarks: builds benches/*.c both ways into build/bench/,
# runs them one side after the other and prints one table (see run.py).
#   benches/run.sh [--rounds N] [--ms MS] [--reps N] [--startup-runs N] [--keep]
exec python3 "$(dirname "$0")/run.py" "$@"
