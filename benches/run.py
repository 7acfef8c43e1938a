#!/usr/bin/env python3
"""Lind benchmarks: the same C programs natively and under lind, one table.

Run from anywhere (normally `benches/run.sh` from the repo root, after
./setup.sh). Builds benches/micro.c and benches/hello.c with gcc -O2 and with
`lind cc -O2` into build/bench/, runs both sides one after the other (never
in parallel: the machine is small and shared) in a scratch directory that is
the native cwd and the cage root, and prints:

  benchmark | native | lind | lind/native | target

plus one verdict line per target. Micro-benchmarks are the best of several
repetitions over --rounds alternating native/lind rounds; start-up is the
best of several process runs, cold (empty LIND_CACHE_DIR) and warm (module
compiled and cached by an earlier run).

Exit status: 0 when everything built and ran (missed targets included: this
is a report), 1 when a build or a run failed, 2 for bad usage.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHES = REPO / "benches"
OUT = REPO / "build" / "bench"

# name, unit shown in the legend, target ratio (lind/native must be <= it)
MICRO = [
    ("null_syscall", "getppid() via syscall(SYS_getppid)", 0.5),
    ("getpid", "getpid()", None),
    ("clock_gettime", "clock_gettime(CLOCK_MONOTONIC) (vDSO natively)", None),
    ("write_devnull_1b", "write(fd, buf, 1) to /dev/null", 1.5),
    ("pread_1b", "pread of 1 byte from a small file", None),
    ("open_close", "open(O_RDONLY)+close of a small file", 2.0),
    ("stat", "stat of a small file", None),
    ("read_1mib", "pread of a 1 MiB file, per MiB", None),
    ("memcpy_1mib", "memcpy of 1 MiB in the program, per MiB", None),
    ("malloc_free", "malloc+free pair, 16 B..64 KiB (glibc natively, musl in lind)", None),
    ("fnv_1mib", "FNV-1a hash of 1 MiB, per MiB (pure computation)", None),
]
STARTUP_TARGETS = {}  # no targets for start-up: ratios only


class Failure(Exception):
    pass


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def find_lind():
    if os.environ.get("LIND"):
        return os.environ["LIND"]
    on_path = shutil.which("lind")
    if on_path:
        return on_path
    built = REPO / "target" / "release" / "lind"
    if built.is_file() and os.access(built, os.X_OK):
        return str(built)
    raise Failure("no `lind` on PATH and no target/release/lind: run ./setup.sh "
                  "(or cargo build --release -p lind-cli)")


def run(cmd, *, cwd=None, env=None, what):
    """Runs cmd, returns its stdout; raises Failure with its stderr on error."""
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise Failure(f"{what}: cannot run {cmd[0]}: {e}")
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-15:])
        raise Failure(f"{what} failed (exit status {p.returncode}): {' '.join(map(str, cmd))}\n{tail}")
    return p.stdout


def build(lind, cc):
    OUT.mkdir(parents=True, exist_ok=True)
    bins = {}
    for prog in ("micro", "hello"):
        src = BENCHES / f"{prog}.c"
        native = OUT / f"{prog}-native"
        wasm = OUT / f"{prog}.wasm"
        run([cc, "-O2", "-o", str(native), str(src)], what=f"native build of {src.name}")
        run([lind, "cc", "-O2", "-o", str(wasm), str(src)], what=f"lind cc of {src.name}")
        bins[prog] = (native, wasm)
    return bins


def parse_micro(out, side):
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                got[parts[0]] = float(parts[1])
            except ValueError:
                pass
    missing = [n for n, _, _ in MICRO if n not in got]
    if missing:
        raise Failure(f"{side} micro printed no result for {', '.join(missing)}; output was:\n{out}")
    return got


def time_process(cmd, *, cwd, env, expect, what):
    t0 = time.perf_counter()
    out = run(cmd, cwd=cwd, env=env, what=what)
    dt = time.perf_counter() - t0
    if expect not in out:
        raise Failure(f"{what}: expected {expect!r} on stdout, got {out!r}")
    return dt * 1e9


def fmt_time(ns):
    if ns is None:
        return "-"
    if ns < 1e3:
        return f"{ns:.1f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} us"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ncpu = len(os.sched_getaffinity(0))
    except AttributeError:
        ncpu = os.cpu_count()
    return ncpu, cpu, platform.release()


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("+dirty" if dirty else "") if rev else "unknown"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description="Lind vs native benchmarks (one table).")
    ap.add_argument("--rounds", type=int, default=5,
                    help="rounds, each running native then lind (default 5)")
    ap.add_argument("--ms", type=int, default=50,
                    help="milliseconds per repetition of each micro-benchmark (default 50)")
    ap.add_argument("--reps", type=int, default=2,
                    help="repetitions per micro-benchmark per round (default 2)")
    ap.add_argument("--startup-runs", type=int, default=1,
                    help="lind cold and warm start-up runs per round (default 1; native hello runs 4x as many)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    if min(args.rounds, args.ms, args.reps, args.startup_runs) < 1:
        ap.error("--rounds, --ms, --reps and --startup-runs must be positive")

    t_start = time.perf_counter()
    lind = find_lind()
    cc = os.environ.get("CC_NATIVE") or shutil.which("gcc") or shutil.which("cc") or "gcc"
    log(f"building with {cc} and {lind} cc into {OUT.relative_to(REPO)}/")
    bins = build(lind, cc)

    scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=OUT))
    caches = Path(tempfile.mkdtemp(prefix="cache-", dir=OUT))
    env = dict(os.environ)
    env.pop("LIND_LOG", None)  # no tracing output while measuring
    env["LIND_CACHE_DIR"] = str(caches / "shared")
    try:
        # Every round runs the micro-benchmarks on each side in turn, then a
        # few start-up samples, so a burst of load from other tenants spoils
        # one round's samples rather than one whole measurement.
        micro_native, micro_wasm = bins["micro"]
        hello_native, hello_wasm = bins["hello"]
        opts = ["-t", str(args.ms), "-r", str(args.reps)]
        lind_hello = [lind, "run", "--root", str(scratch), str(hello_wasm)]
        expect = "hello, world"
        warm_env = dict(env, LIND_CACHE_DIR=str(caches / "warm"))
        time_process(lind_hello, cwd=scratch, env=warm_env, expect=expect, what="lind hello (priming)")
        best = {"native": {}, "lind": {}}
        native_runs, cold_runs, warm_runs = [], [], []
        for r in range(args.rounds):
            log(f"round {r + 1}/{args.rounds}")
            for side in ("native", "lind"):
                if side == "native":
                    cmd = [str(micro_native)] + opts
                else:
                    cmd = [lind, "run", "--root", str(scratch), str(micro_wasm)] + opts
                got = parse_micro(run(cmd, cwd=scratch, env=env, what=f"{side} micro"), side)
                for k, v in got.items():
                    best[side][k] = min(v, best[side].get(k, v))
            for _ in range(4 * args.startup_runs):
                native_runs.append(time_process([str(hello_native)], cwd=scratch, env=env,
                                                expect=expect, what="native hello"))
            for i in range(args.startup_runs):
                cold_env = dict(env, LIND_CACHE_DIR=str(caches / f"cold-{r}-{i}"))
                cold_runs.append(time_process(lind_hello, cwd=scratch, env=cold_env, expect=expect,
                                              what="lind hello (cold)"))
                warm_runs.append(time_process(lind_hello, cwd=scratch, env=warm_env, expect=expect,
                                              what="lind hello (warm)"))
    except Failure:
        raise
    finally:
        shutil.rmtree(caches, ignore_errors=True)
        if args.keep:
            log(f"kept scratch directory {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    # --- report ------------------------------------------------------------
    rows = []  # (name, native_ns, lind_ns, target)
    for name, _, target in MICRO:
        rows.append((name, best["native"][name], best["lind"][name], target))
    native_start = min(native_runs)
    rows.append(("startup_cold", native_start, min(cold_runs), None))
    rows.append(("startup_warm", native_start, min(warm_runs), None))

    ncpu, cpu, kernel = machine()
    print(f"machine: {ncpu} CPUs, {cpu}, Linux {kernel}")
    real = os.path.realpath(lind)
    print(f"lind:    {lind}{' -> ' + real if real != lind else ''} (repo {git_rev()}); native: {Path(cc).name} -O2")
    print(f"method:  micro = best of {args.rounds} rounds x {args.reps} reps x ~{args.ms} ms, "
          f"sides run one after the other; start-up = best of {len(cold_runs)} cold / "
          f"{len(warm_runs)} warm lind and {len(native_runs)} native process runs")
    print()
    table = [("benchmark", "native", "lind", "lind/native", "target")]
    for name, n, l, target in rows:
        table.append((name, fmt_time(n), fmt_time(l), f"{l / n:.2f}x",
                      f"<= {target}x" if target is not None else "-"))
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for i, r in enumerate(table):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:4], widths[1:4])] + [r[4].ljust(widths[4])]
        print("| " + " | ".join(cells) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print()
    print("per operation, except: *_1mib per MiB; malloc_free per malloc+free pair; "
          "startup_* per process (`lind run hello.wasm` vs ./hello; cold = empty LIND_CACHE_DIR, "
          "warm = compiled module cached)")
    print()
    for name, n, l, target in rows:
        if target is None:
            continue
        ratio = l / n
        verdict = "met" if ratio <= target else "NOT met"
        print(f"target {name}: lind/native = {ratio:.2f}x, target <= {target}x: {verdict}")

    with open(OUT / "results.tsv", "w") as f:
        f.write("benchmark\tnative_ns\tlind_ns\tratio\ttarget\n")
        for name, n, l, target in rows:
            f.write(f"{name}\t{n:.2f}\t{l:.2f}\t{l / n:.4f}\t{target if target is not None else ''}\n")
    log(f"done in {time.perf_counter() - t_start:.1f} s; raw numbers in {(OUT / 'results.tsv').relative_to(REPO)}")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
