#!/usr/bin/env python3
"""Resident memory of N idle cages under one `lind run` (and of the same
program natively): starts benches/idle.c, waits for its "ready N" line,
reads the memory of the process tree, then lets everyone exit.

  idle_rss.py LIND IDLE_WASM [N] [--native IDLE_NATIVE]

Prints "idle_cages_rss N BYTES" (lind's VmRSS) and, with --native,
"idle_native_pss N BYTES" (the sum of Pss over the native processes).
"""
import os
import subprocess
import sys
import time


def status_kib(pid, field, name="status"):
    with open(f"/proc/{pid}/{name}") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def measure(cmd, n, native):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        if line.split() != ["ready", str(n)]:
            raise SystemExit(f"idle_rss: expected 'ready {n}', got {line!r}")
        time.sleep(0.5)  # let the last children settle into read()
        if native:
            total = sum(status_kib(q, "Pss", "smaps_rollup") for q in tree(p.pid))
        else:
            total = status_kib(p.pid, "VmRSS")
            threads = status_kib(p.pid, "Threads")
            print(f"# lind: {threads} host threads, VmRSS {total} KiB, "
                  f"Pss {status_kib(p.pid, 'Pss', 'smaps_rollup')} KiB", file=sys.stderr)
        p.stdin.close()
        rest = p.stdout.read()
        if p.wait() != 0 or f"reaped {n}" not in rest:
            raise SystemExit(f"idle_rss: the run failed: {rest!r}")
        return total * 1024
    finally:
        if p.poll() is None:
            p.kill()


def main():
    args = sys.argv[1:]
    native = None
    if "--native" in args:
        i = args.index("--native")
        native = args[i + 1]
        del args[i:i + 2]
    lind, wasm = args[0], args[1]
    n = int(args[2]) if len(args) > 2 else 1000
    rss = measure([lind, "run", "--max-procs", str(n + 16), wasm, str(n)], n, False)
    print(f"idle_cages_rss {n} {rss}")
    if native:
        print(f"idle_native_pss {n} {measure([native, str(n)], n, True)}")


if __name__ == "__main__":
    main()
