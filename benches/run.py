#!/usr/bin/env python3
"""Lind benchmarks: the same C programs natively and under lind, two tables.

Run from anywhere (normally `benches/run.sh` from the repo root, after
./setup.sh). Builds benches/*.c with gcc -O2 and with `lind cc -O2` into
build/bench/, runs both sides one after the other (never in parallel: the
machine is small and shared) in scratch directories that are the native cwd
and the cage root, and prints:

  benchmark | native | lind | lind/native | target      (micro.c, proc.c, start-up)
  asyncify  | without | with | with/without | target    (compute.c, dash)

plus one verdict line per target. Every number is the best (minimum) of
several repetitions over --rounds rounds; a round runs each benchmark program
once on every side, so a burst of load from other tenants spoils one round's
samples rather than one whole measurement. Start-up is the best of several
process runs, cold (empty LIND_CACHE_DIR) and warm (module compiled and
cached by an earlier run).

Exit status: 0 when everything built and ran (missed targets included: this
is a report), 1 when a build or a run failed, 2 for bad usage.
"""

import argparse
import fcntl
import functools
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHES = REPO / "benches"
OUT = REPO / "build" / "bench"
DASH_SRC = REPO / "build" / "programs" / "dash" / "build" / "src"
DASH_LOCK = REPO / "build" / "programs" / "dash" / ".lock"
ZLIB_SRC = REPO / "build" / "programs" / "zlib" / "src"
ZLIB_FILES = ["adler32.c", "crc32.c", "deflate.c", "trees.c", "zutil.c", "compress.c"]
# sqlite_speedtest1.c: test/speedtest1.c of Debian's sqlite3 source and the
# amalgamation sqlite3.c that programs/sqlite3/build.sh generated (the same file
# in its native and lind build directories). The same defines in all three
# builds: no threads, no extension loading, and SQLITE_OS_OTHER with the
# benchmark's own in-memory-only VFS (3.40's unix VFS does not compile for
# wasi-libc; with :memory: a VFS only supplies the time and the random seed).
SQLITE_DIR = REPO / "build" / "programs" / "sqlite3"
SQLITE_DEFINES = ["-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_OS_OTHER=1"]
# lua_bench.c: Lua 5.4's own sources (programs/lua/build.sh), all but the lua.c and
# luac.c front ends, with Lua's Makefile's flags (generic build: no LUA_USE_POSIX),
# and the same fixed string-hash seed and sort-pivot seed in every build: Lua
# derives them from addresses, time() and clock(), which differ between builds,
# and its tables then collide differently (a 5-10% swing between builds).
LUA_SRC = REPO / "build" / "programs" / "lua" / "src" / "src"
LUA_FLAGS = ["-std=gnu99", "-DLUA_COMPAT_5_3", "-Dluai_makeseed(L)=12345u", "-Dl_randomizePivot()=12345u"]
# ... and for WASI only (Debian's wasi-libc has no setjmp, system, tmpnam, tmpfile,
# and signal.h and clock() only as opt-in emulations): benches/wasi-lua/ (see its two files)
# stands in for them; an error in the script would stop it. The script raises none.
LUA_WASI = ["-D_WASI_EMULATED_SIGNAL", "-D_WASI_EMULATED_PROCESS_CLOCKS", "-DL_tmpnam=20",
            "-I", str(BENCHES / "wasi-lua"), str(BENCHES / "wasi-lua" / "stubs.c"),
            "-lwasi-emulated-signal", "-lwasi-emulated-process-clocks"]
# The WASI peer: Debian's wasi-libc (apt package wasi-libc) with clang-19,
# run by wasmtime's own CLI, installed on first use into build/tools/ (a
# long build: cargo install wasmtime-cli --version '^48' --locked).
WASI_SYSROOT = Path("/usr")
WASI_LIBC = WASI_SYSROOT / "lib" / "wasm32-wasi" / "libc.a"
TOOLS = REPO / "build" / "tools"

MS = 1e6  # ns
# Targets: ("ratio", x) lind/native time <= x; ("lind", ns) lind time <= ns;
# ("tput", x) lind/native throughput >= x.

# micro.c items: name, what, targets
MICRO = [
    ("null_syscall", "getppid() via syscall(SYS_getppid)", [("ratio", 0.5)]),
    ("getpid", "getpid()", []),
    ("clock_gettime", "clock_gettime(CLOCK_MONOTONIC) (vDSO natively)", []),
    ("write_devnull_1b", "write(fd, buf, 1) to /dev/null", [("ratio", 1.5)]),
    ("pread_1b", "pread of 1 byte from a small file", []),
    ("open_close", "open(O_RDONLY)+close of a small file", [("ratio", 2.0)]),
    ("stat", "stat of a small file", []),
    ("read_1mib", "pread of a 1 MiB file, per MiB", []),
    ("memcpy_1mib", "memcpy of 1 MiB in the program, per MiB", []),
    ("malloc_free", "malloc+free pair, 16 B..64 KiB (glibc natively, musl in lind)", []),
    ("fnv_1mib", "FNV-1a hash of 1 MiB, per MiB (pure computation)", []),
    ("mmap_touch_1mib", "mmap of 1 MiB anonymous + a write per page + munmap", [("ratio", 2.0)]),
    ("mmap_read_64mib", "MiB/s reading a 64 MiB file through mmap (map, sum every word, munmap)",
     [("tput", 0.8)]),
    ("pwrite_1b", "pwrite of 1 byte to a file", []),
    ("getdents_1000", "opendir + readdir of 1000 entries + closedir", []),
    ("signal_roundtrip", "kill(getpid(), SIGUSR1) + a handler run", [("ratio", 3.0)]),
    ("setjmp_longjmp", "setjmp, then longjmp to it from 4 calls deeper", []),
    ("poll_1_ready", "poll() of one ready pipe, timeout 0", [("ratio", 2.0)]),
    ("epoll_wait_1_ready", "epoll_wait() with one ready pipe, timeout 0", [("ratio", 2.0)]),
    ("mutex_lock_unlock", "pthread_mutex_lock+unlock, uncontended", [("ratio", 2.0)]),
    ("thread_create_join", "pthread_create of a thread that returns at once + pthread_join", []),
    ("mutex_contended_handoff", "one handoff between two threads through a pair of mutexes", [("ratio", 3.0)]),
    ("condvar_pingpong", "one round trip between two threads through a mutex + condvar", [("ratio", 3.0)]),
]
# micro.c's parallel_1t and parallel_2t (the same CPU-bound work on 1 and on
# 2 threads) make one row: the speedup 1-thread time / 2-thread time, of
# native and of lind; the target is lind's speedup.
PARALLEL = [("parallel_speedup", "1-thread time / 2-thread time of a CPU-bound sum (micro.c)",
             [("speedup", 1.7)])]
PARALLEL_ITEMS = ["parallel_1t", "parallel_2t"]
# The cost of reaching a cage that computes without syscalls, on compute.c,
# each against the same module with no way to reach it (LIND_ALWAYS_EPOCH=1
# LIND_NO_EPOCH=1, benchmark-only switches): as lind runs compute.c (it
# installs no signal handler: no checks; stopped or killed by a host
# signal), as lind runs it built with -DWITH_HANDLER (it installs one: no
# checks either; a host signal sends the thread into its handlers), and,
# for reference, with wasmtime's epoch checks (LIND_ALWAYS_EPOCH=1), which
# only `lind run --debug` and modules built before __lind_signal_entry use.
# (name, what, measured run, baseline run, targets)
POLL = [("poll_point_cost", "coremark_iter as run / without any interruption", "compute-asyncify",
         "compute-noepoch", [("ratio", 1.05)]),
        ("poll_point_cost_handlers", "the same, built to install a signal handler",
         "compute-handler", "compute-handler-noepoch", [("ratio", 1.05)]),
        ("epoch_checks_cost", "coremark_iter with wasmtime's epoch checks / without any interruption",
         "compute-epoch", "compute-noepoch", [])]
# proc.c items, in the order of the table (proc.c runs them in its own order)
PROC = [
    ("fork_exit_wait", "fork + child _exit(0) + waitpid", [("lind", 0.5 * MS), ("ratio", 5.0)]),
    ("fork_exit_wait_64mib", "the same, 64 MiB heap in use", [("lind", 2 * MS)]),
    ("fork_exit_wait_64mib_aged", "the same after scattered writes over 4 forks", []),
    ("exec_small", "fork + execve(./exec-tiny) + waitpid", []),
    ("pipe_throughput", "MiB/s through a pipe, 64 KiB writes", [("tput", 0.5)]),
    ("unix_stream_throughput", "MiB/s through an AF_UNIX stream socketpair, 64 KiB writes", [("tput", 1.0)]),
    ("tcp_throughput", "MiB/s through a TCP connection on 127.0.0.1, 64 KiB writes", []),
    ("pipeline_3stage_64mib", "64 MiB through gen -> transform -> checksum", []),
]
# compute rows: name, program, what, targets ("wasi": lind no slower than wasi)
COMPUTE = [
    ("coremark_iter", "compute", "one CoreMark-like iteration (compute.c)", [("ratio", 1.3), ("wasi", 1.0)]),
    ("zlib_compress_64mib", "zlib64", "zlib 1.2.13 deflate (level 1) of 64 MiB in memory",
     [("ratio", 1.3), ("wasi", 1.0)]),
    ("sqlite_speedtest1", "sqlite_speedtest1", "SQLite 3.40.1 speedtest1 --memdb --size 50, one run",
     [("ratio", 1.3), ("wasi", 1.0)]),
    ("lua_bench", "lua_bench", "Lua 5.4.4 running benches/lua_bench.lua, one run",
     [("ratio", 1.3), ("wasi", 1.0)]),
]
THROUGHPUT = {"pipe_throughput", "unix_stream_throughput", "tcp_throughput"}  # ns per MiB; shown as MiB/s
MICRO_MIB = {"mmap_read_64mib": 64}  # micro.c prints ns per operation of this many MiB; shown as MiB/s
# Idle cages: benches/idle.c forks this many children that block in read();
# the row is lind's resident memory (VmRSS) while they all wait.
IDLE_CAGES = 1000
IDLE_TARGET = 1 << 30
# A real server: lighttpd (programs/lighttpd/build.sh), the same source built natively and
# with `lind cc`, serving SMALL_FILE bytes over keep-alive connections to wrk (Debian's
# package; installed with apt when missing and run as root), one wrk thread, HTTP_CONNS
# connections, --http-secs per run. Kept as ns per request (so that the best is the
# minimum, as everywhere here) and shown as requests per second.
HTTP = [("http_keepalive_rps", "lighttpd, wrk GETs of a 1 KiB file over keep-alive connections",
         [("tput", 0.5)])]
LIGHTTPD = {"native": REPO / "build" / "programs" / "native" / "bin" / "lighttpd",
            "lind": REPO / "build" / "programs" / "root" / "bin" / "lighttpd"}
SMALL_FILE = 1024
HTTP_CONNS = 16
LIGHTTPD_CONF = """server.document-root = "{docroot}"
server.bind = "127.0.0.1"
server.port = {port}
server.event-handler = "linux-sysepoll"
server.modules = ("mod_staticfile")
server.max-keep-alive-requests = 100000
server.max-keep-alive-idle = 60
mimetype.assign = (".html" => "text/html")
"""


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


@functools.lru_cache(maxsize=None)
def sourced_programs():
    """The compute programs built together with a fetched source:
    {prog: (cflags, sources, wasi-only flags and sources)}; logs what is skipped."""
    out = {}
    if (ZLIB_SRC / "zlib.h").is_file():
        out["zlib64"] = (["-w", "-I", str(ZLIB_SRC)], [str(ZLIB_SRC / f) for f in ZLIB_FILES], [])
    else:
        log("zlib64: skipped (no zlib source: run programs/zlib/build.sh)")
    amalgamation = next((p for p in (SQLITE_DIR / "native" / "sqlite3.c", SQLITE_DIR / "lind" / "sqlite3.c")
                         if p.is_file()), None)
    speedtest1 = SQLITE_DIR / "src" / "test" / "speedtest1.c"
    if amalgamation and speedtest1.is_file():
        out["sqlite_speedtest1"] = (["-w", *SQLITE_DEFINES, "-I", str(amalgamation.parent),
                                     "-I", str(speedtest1.parent)], [str(amalgamation)], [])
    else:
        log("sqlite_speedtest1: skipped (no sqlite3.c and speedtest1.c: run programs/sqlite3/build.sh)")
    if (LUA_SRC / "lua.h").is_file():
        lua = sorted(str(p) for p in LUA_SRC.glob("*.c") if p.name not in ("lua.c", "luac.c"))
        out["lua_bench"] = (["-w", *LUA_FLAGS, "-I", str(LUA_SRC)], lua, LUA_WASI)
    else:
        log("lua_bench: skipped (no Lua source: run programs/lua/build.sh)")
    return out


def build(lind, cc):
    """Builds every benchmark program both ways; returns {name: (native, wasm)}."""
    OUT.mkdir(parents=True, exist_ok=True)
    bins = {}
    for prog in ("micro", "hello", "proc", "exec_tiny", "compute", "idle"):
        src = BENCHES / f"{prog}.c"
        native = OUT / f"{prog}-native"
        wasm = OUT / f"{prog}.wasm"
        run([cc, "-O2", "-pthread", "-o", str(native), str(src)], what=f"native build of {src.name}")
        run([lind, "cc", "-O2", "-pthread", "-o", str(wasm), str(src)], what=f"lind cc of {src.name}")
        bins[prog] = (native, wasm)
    for prog, (cflags, sources, _) in sourced_programs().items():
        native, wasm = OUT / f"{prog}-native", OUT / f"{prog}.wasm"
        src = str(BENCHES / f"{prog}.c")
        run([cc, "-O2", *cflags, "-o", str(native), src, *sources, "-lm"], what=f"native build of {prog}.c")
        run([lind, "cc", "-O2", *cflags, "-o", str(wasm), src, *sources], what=f"lind cc of {prog}.c")
        bins[prog] = (native, wasm)
    # compute.c installing a signal handler: what reaching such a program costs.
    handler = OUT / "compute-handler.wasm"
    run([lind, "cc", "-O2", "-pthread", "-DWITH_HANDLER", "-o", str(handler), str(BENCHES / "compute.c")],
        what="lind cc -DWITH_HANDLER of compute.c")
    bins["compute-handler"] = (None, handler)
    # compute.c again, without Asyncify: what instrumentation costs.
    plain = OUT / "compute-noasyncify.wasm"
    run([lind, "cc", "-O2", "-o", str(plain), str(BENCHES / "compute.c")],
        env=dict(os.environ, LIND_ASYNCIFY="0"), what="LIND_ASYNCIFY=0 lind cc of compute.c")
    bins["compute-noasyncify"] = (None, plain)
    # ... and that build through the `wasm-opt -O1` lind cc runs after
    # Asyncify: without it, the comparison would credit Binaryen's
    # optimisations to Asyncify's account.
    opt = with_wasm_opt(plain, OUT / "compute-noasyncify-O1.wasm")
    if opt:
        bins["compute-noasyncify-O1"] = (None, opt)
    return bins


def build_wasi():
    """The WASI peer's modules (clang-19 + Debian's wasi-libc): {name: path}."""
    if not WASI_LIBC.is_file():
        log("wasi: skipped (no wasi-libc: apt-get install wasi-libc, or ./setup.sh)")
        return {}
    clang = shutil.which("clang-19") or "clang-19"
    out = {}
    sourced = {prog: cflags + sources + wasi_only
               for prog, (cflags, sources, wasi_only) in sourced_programs().items()}
    for prog in ("micro", "compute", "hello", *sourced):
        extra = sourced.get(prog, [])
        wasm = OUT / f"{prog}-wasi.wasm"
        run([clang, "--target=wasm32-wasi", f"--sysroot={WASI_SYSROOT}", "-O2", "-o", str(wasm),
             str(BENCHES / f"{prog}.c")] + extra, what=f"wasm32-wasi build of {prog}.c")
        out[prog] = wasm
    return out


def find_wasmtime():
    """wasmtime's CLI: $WASMTIME, else build/tools/bin/wasmtime, installed
    there on first use (cargo install; ~20-40 min on 2 busy CPUs)."""
    if os.environ.get("WASMTIME"):
        return os.environ["WASMTIME"]
    tool = TOOLS / "bin" / "wasmtime"
    if not tool.is_file():
        log(f"installing wasmtime-cli 48 into {TOOLS.relative_to(REPO)}/ (once; a long build)")
        run(["cargo", "install", "wasmtime-cli", "--version", "^48", "--locked", "--root", str(TOOLS)],
            what="cargo install wasmtime-cli")
    return str(tool)


def wasm_opt():
    return os.environ.get("LIND_WASM_OPT") or shutil.which("wasm-opt")


def with_wasm_opt(src, out):
    """src through `wasm-opt -O1 -g` (lind cc's post-Asyncify pass), or None."""
    tool = wasm_opt()
    if not tool:
        return None
    run([tool, str(src), "-O1", "-g", "-o", str(out)], what=f"wasm-opt -O1 of {src.name}")
    return out


def link_dash(lind):
    """Relinks dash's objects (programs/dash/build.sh) with and without
    Asyncify into build/bench/; returns (with, without, note) or (None, None,
    why it was skipped). Never fails the run: dash is another work in progress."""
    if not (DASH_SRC / "Makefile").is_file():
        return None, None, "not built (programs/dash/build.sh)"
    out_with, out_without = OUT / "dash.wasm", OUT / "dash-noasyncify.wasm"
    DASH_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(DASH_LOCK, "w") as lock:
        # build.sh holds this lock while it builds: wait for it, a while.
        deadline = time.monotonic() + 30
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return None, None, "skipped: programs/dash/build.sh was busy for 30 s"
                time.sleep(0.2)
        # The link line of dash's automake Makefile: $(CC) $(CFLAGS) -o dash
        # $(dash_OBJECTS) $(dash_LDADD) $(LIBS).
        probe = ("lindbenchvars:\n\t@echo $(CFLAGS)\n\t@echo $(dash_OBJECTS) $(dash_LDADD)\n"
                 "\t@echo $(LDFLAGS) $(LIBS)\n")
        try:
            p = subprocess.run(["make", "-s", "-f", "Makefile", "-f", "-", "lindbenchvars"],
                               cwd=DASH_SRC, input=probe, capture_output=True, text=True)
        except OSError as e:
            return None, None, f"cannot run make: {e}"
        lines = p.stdout.splitlines()
        if p.returncode != 0 or len(lines) < 2:
            return None, None, "could not read the link line from its Makefile"
        cflags, objs = lines[0].split(), lines[1].split()
        extra = lines[2].split() if len(lines) > 2 else []
        paths = [DASH_SRC / o for o in objs]
        if not objs or not all(o.is_file() for o in paths):
            return None, None, "its objects are not all built (programs/dash/build.sh)"
        newest = max(os.stat(o).st_mtime for o in paths + [Path(shutil.which(lind) or lind)])
        fresh = all(o.is_file() and os.stat(o).st_mtime > newest for o in (out_with, out_without))
        if not fresh:
            for out, env in ((out_with, os.environ), (out_without, dict(os.environ, LIND_ASYNCIFY="0"))):
                try:
                    run([lind, "cc"] + cflags + ["-o", str(out)] + objs + extra, cwd=DASH_SRC,
                        env=env, what="relinking dash")
                except Failure as e:
                    return None, None, f"relink failed: {str(e).splitlines()[-1]}"
    return out_with, out_without, "relinked from build/programs/dash/build/src/*.o"


def size_rows(name, plain, instrumented, target):
    """Asyncify table rows for a module's size: against the LIND_ASYNCIFY=0
    build as is, and against that build through wasm-opt -O1."""
    rows = [(f"{name} size", None, os.path.getsize(plain), os.path.getsize(instrumented), "B", target)]
    opt = with_wasm_opt(plain, plain.with_name(plain.stem + "-O1.wasm"))
    if opt:
        rows.append((f"{name} size, both -O1", None, os.path.getsize(opt), os.path.getsize(instrumented),
                     "B", []))
    return rows


def parse_items(out, names, side, optional=()):
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                got[parts[0]] = float(parts[1])
            except ValueError:
                pass
    missing = [n for n in names if n not in got and n not in optional]
    if missing:
        raise Failure(f"{side} printed no result for {', '.join(missing)}; output was:\n{out}")
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


def fmt_bytes(b):
    if b >= 1 << 30:
        return f"{b / (1 << 30):.2f} GiB"
    return f"{b / (1 << 20):.1f} MiB"


def read_kib(path, field):
    with open(path) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def process_tree(pid):
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


def idle_once(cmd, cwd, env, native):
    """Runs idle.c; returns bytes resident while every child waits."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        if line.split() != ["ready", str(IDLE_CAGES)]:
            raise Failure(f"idle: expected 'ready {IDLE_CAGES}', got {line!r}: {p.stderr.read()[-2000:]}")
        time.sleep(0.5)  # the last children settle into read()
        if native:
            kib = sum(read_kib(f"/proc/{q}/smaps_rollup", "Pss") for q in process_tree(p.pid))
        else:
            kib = read_kib(f"/proc/{p.pid}/status", "VmRSS")
        p.stdin.close()  # EOF: the children are told to exit
        out, err = p.stdout.read(), p.stderr.read()
        p.wait(timeout=120)
        if p.returncode != 0 or f"reaped {IDLE_CAGES}" not in out:
            raise Failure(f"idle: the run failed (status {p.returncode}): {out!r} {err[-2000:]}")
        return kib * 1024
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def idle_rss(lind, bins, scratch, env):
    """(lind VmRSS, native sum of Pss) in bytes for IDLE_CAGES idle children."""
    native, wasm = bins
    n = idle_once([str(native), str(IDLE_CAGES)], scratch, env, True)
    l = idle_once([lind, "run", "--max-procs", str(IDLE_CAGES + 16), "--root", str(scratch), str(wasm),
                   str(IDLE_CAGES)], scratch, env, False)
    return l, n


def fmt_value(v, unit):
    if unit == "MiB/s":
        return f"{v:.0f} MiB/s"
    if unit == "req/s":
        return f"{v:.0f} req/s"
    if unit == "B":
        return f"{v / 1024:.1f} KiB"
    if unit == "x":
        return f"{v:.2f}x"
    return fmt_time(v)


def fmt_target(targets):
    parts = []
    for kind, x in targets:
        if kind == "wasi":
            parts.append("<= wasi")
        elif kind == "ratio":
            parts.append(f"<= {x}x")
        elif kind == "lind":
            parts.append(f"lind <= {x / MS:g} ms")
        elif kind == "tput":
            parts.append(f">= {x}x")
        elif kind == "speedup":
            parts.append(f"lind >= {x}x")
    return " and ".join(parts) if parts else "-"


def verdicts(name, n, l, targets, label="lind/native", w=None):
    """One line per target: (text, met)."""
    out = []
    for kind, x in targets:
        if kind == "wasi":
            if w is None:
                out.append(f"target {name}: lind no slower than wasi: no wasi number")
            else:
                ok = l <= w * x
                out.append(f"target {name}: lind/wasi = {l / w:.2f}x, target <= {x}x: {'met' if ok else 'NOT met'}")
        elif kind == "ratio":
            ok = l / n <= x
            out.append(f"target {name}: {label} = {l / n:.2f}x, target <= {x}x: {'met' if ok else 'NOT met'}")
        elif kind == "lind":
            ok = l <= x
            out.append(f"target {name}: lind = {fmt_time(l)}, target <= {x / MS:g} ms: {'met' if ok else 'NOT met'}")
        elif kind == "tput":
            ok = l / n >= x
            out.append(f"target {name}: lind/native throughput = {l / n:.2f}x, target >= {x}x: "
                       f"{'met' if ok else 'NOT met'}")
        elif kind == "speedup":
            ok = l >= x
            out.append(f"target {name}: lind speedup = {l:.2f}x (native {n:.2f}x), target >= {x}x: "
                       f"{'met' if ok else 'NOT met'}")
    return out


def print_table(table, left_cols=1):
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for i, r in enumerate(table):
        cells = [c.ljust(w) if j < left_cols or j == len(r) - 1 else c.rjust(w)
                 for j, (c, w) in enumerate(zip(r, widths))]
        print("| " + " | ".join(cells) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


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


def find_wrk():
    """wrk from PATH, else installed with apt (as root); None when there is none."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get install wrk)")
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"],
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return shutil.which("wrk")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_run(side, lind, wrk, http_dir, env, secs):
    """Starts lighttpd on one side, lets wrk load it for `secs`, stops it (SIGTERM).
    Returns ns per request."""
    port = free_port()
    docroot = "/www" if side == "lind" else str(http_dir / "www")
    conf = http_dir / "etc" / f"{side}.conf"
    conf.write_text(LIGHTTPD_CONF.format(docroot=docroot, port=port))
    if side == "lind":
        cmd = [lind, "run", "--root", str(http_dir), str(LIGHTTPD["lind"]), "-D", "-f", f"/etc/{side}.conf"]
    else:
        cmd = [str(LIGHTTPD["native"]), "-D", "-f", str(conf)]
    log_path = http_dir / f"{side}.log"
    with open(log_path, "wb") as errlog:
        server = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=errlog)
    what = f"{side} lighttpd"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise Failure(f"{what} exited ({server.returncode}):\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    raise Failure(f"{what} does not listen on port {port} after 60 s")
                time.sleep(0.05)
        out = run([wrk, "-t1", f"-c{HTTP_CONNS}", f"-d{secs}s", f"http://127.0.0.1:{port}/small.html"],
                  env=env, what=f"wrk against {what}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if "Non-2xx" in out or "Socket errors" in out:
        raise Failure(f"wrk against {what}: errors:\n{out}")
    rps = [float(line.split()[1]) for line in out.splitlines() if line.startswith("Requests/sec:")]
    if not rps or rps[0] <= 0:
        raise Failure(f"wrk against {what}: no Requests/sec in:\n{out}")
    log(f"{what}: {rps[0]:.0f} requests/s")
    return 1e9 / rps[0]


def keep_min(best, got):
    for k, v in got.items():
        best[k] = min(v, best.get(k, v))


def main():
    ap = argparse.ArgumentParser(description="Lind vs native benchmarks (one table, and one for Asyncify).")
    ap.add_argument("--rounds", type=int, default=5,
                    help="rounds, each running every program on each side once (default 5)")
    ap.add_argument("--ms", type=int, default=50,
                    help="milliseconds per repetition of each benchmark item (default 50)")
    ap.add_argument("--reps", type=int, default=2,
                    help="repetitions per item per round (default 2)")
    ap.add_argument("--startup-runs", type=int, default=1,
                    help="lind cold and warm start-up runs per round (default 1; native hello runs 4x as many)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--http-secs", type=int, default=3,
                    help="seconds of wrk load per lighttpd run, one run per side per round (default 3)")
    ap.add_argument("--no-http", action="store_true", help="skip the lighttpd requests-per-second row")
    ap.add_argument("--no-wasi", action="store_true",
                    help="skip the wasm32-wasi column (it needs wasi-libc and wasmtime's CLI)")
    args = ap.parse_args()
    if min(args.rounds, args.ms, args.reps, args.startup_runs, args.http_secs) < 1:
        ap.error("--rounds, --ms, --reps, --startup-runs and --http-secs must be positive")

    t_start = time.perf_counter()
    lind = find_lind()
    cc = os.environ.get("CC_NATIVE") or shutil.which("gcc") or shutil.which("cc") or "gcc"
    log(f"building with {cc} and {lind} cc into {OUT.relative_to(REPO)}/")
    bins = build(lind, cc)
    dash_with, dash_without, dash_note = link_dash(lind)
    wasi = {} if args.no_wasi else build_wasi()
    wasmtime = find_wasmtime() if wasi else None
    wrk, http_note = None, None
    if args.no_http:
        http_note = "skipped (--no-http)"
    elif not all(p.is_file() for p in LIGHTTPD.values()):
        http_note = "skipped: lighttpd is not built (programs/build.sh lighttpd)"
    else:
        wrk = find_wrk()
        if not wrk:
            http_note = "skipped: no wrk (apt-get install wrk)"
    if http_note:
        log(f"http_keepalive_rps {http_note}")

    scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=OUT))
    caches = Path(tempfile.mkdtemp(prefix="cache-", dir=OUT))
    # proc.c execs ./exec-tiny: natively from scratch/native (its cwd), in a
    # cage from scratch/lind (its root, where the cage's cwd / is).
    proc_native_dir, proc_lind_dir = scratch / "native", scratch / "lind"
    for d, exe in ((proc_native_dir, bins["exec_tiny"][0]), (proc_lind_dir, bins["exec_tiny"][1])):
        d.mkdir()
        shutil.copy2(exe, d / "exec-tiny")
    env = dict(os.environ)
    env.pop("LIND_LOG", None)  # no tracing output while measuring
    env["LIND_CACHE_DIR"] = str(caches / "shared")
    http_dir = scratch / "http"
    (http_dir / "www").mkdir(parents=True)
    (http_dir / "etc").mkdir()
    (http_dir / "www" / "small.html").write_bytes(bytes(b"0123456789abcdef"[i % 16] for i in range(SMALL_FILE)))
    shutil.copy2(BENCHES / "lua_bench.lua", scratch)  # lua_bench reads it from its cwd
    micro_names = [n for n, _, _ in MICRO] + PARALLEL_ITEMS
    proc_names = [n for n, _, _ in PROC]
    try:
        opts = ["-t", str(args.ms), "-r", str(args.reps)]
        hello_native, hello_wasm = bins["hello"]
        lind_hello = [lind, "run", "--root", str(scratch), str(hello_wasm)]
        expect = "hello, world"
        warm_env = dict(env, LIND_CACHE_DIR=str(caches / "warm"))
        time_process(lind_hello, cwd=scratch, env=warm_env, expect=expect, what="lind hello (priming)")
        # (label, cmd, cwd, names, best): one run of each per round
        def lind_cmd(root, wasm):
            return [lind, "run", "--root", str(root), str(wasm)]
        def wasi_cmd(wasm):
            return [wasmtime, "run", "--dir", ".", str(wasm)]
        wasi_micro_missing = ("getpid", "write_devnull_1b", "signal_roundtrip", "setjmp_longjmp",
                              "poll_1_ready",
                              "epoll_wait_1_ready", "mmap_touch_1mib", "mmap_read_64mib",
                              "mutex_lock_unlock", "thread_create_join",
                              "mutex_contended_handoff", "condvar_pingpong", *PARALLEL_ITEMS)
        programs = [
            ("native micro", [str(bins["micro"][0])], scratch, micro_names, "native"),
            ("lind micro", lind_cmd(scratch, bins["micro"][1]), scratch, micro_names, "lind"),
            ("native proc", [str(bins["proc"][0])], proc_native_dir, proc_names, "native"),
            ("lind proc", lind_cmd(proc_lind_dir, bins["proc"][1]), proc_lind_dir, proc_names, "lind"),
            ("native compute", [str(bins["compute"][0])], scratch, ["coremark_iter"], "compute-native"),
            ("lind compute", lind_cmd(scratch, bins["compute"][1]), scratch, ["coremark_iter"],
             "compute-asyncify"),
            ("lind compute (LIND_ASYNCIFY=0)", lind_cmd(scratch, bins["compute-noasyncify"][1]), scratch,
             ["coremark_iter"], "compute-plain"),
            ("lind compute (no interruption)",
             ["env", "LIND_ALWAYS_EPOCH=1", "LIND_NO_EPOCH=1"] + lind_cmd(scratch, bins["compute"][1]),
             scratch, ["coremark_iter"], "compute-noepoch"),
            ("lind compute (LIND_ALWAYS_EPOCH=1)", ["env", "LIND_ALWAYS_EPOCH=1"] + lind_cmd(scratch, bins["compute"][1]),
             scratch, ["coremark_iter"], "compute-epoch"),
            ("lind compute (with a handler)", lind_cmd(scratch, bins["compute-handler"][1]), scratch,
             ["coremark_iter"], "compute-handler"),
            ("lind compute (with a handler, no interruption)",
             ["env", "LIND_ALWAYS_EPOCH=1", "LIND_NO_EPOCH=1"] + lind_cmd(scratch, bins["compute-handler"][1]),
             scratch, ["coremark_iter"], "compute-handler-noepoch"),
        ]
        if "micro" in wasi:
            programs.insert(2, ("wasi micro", wasi_cmd(wasi["micro"]), scratch,
                                [n for n in micro_names if n not in wasi_micro_missing], "wasi"))
        for name, prog, _, _ in COMPUTE:
            if prog not in bins:
                continue
            if prog != "compute":  # compute.c's native and lind runs are below
                programs.insert(0, (f"native {prog}", [str(bins[prog][0])], scratch, [name], "native"))
                programs.insert(1, (f"lind {prog}", lind_cmd(scratch, bins[prog][1]), scratch, [name], "lind"))
            if prog in wasi:
                programs.insert(2, (f"wasi {prog}", wasi_cmd(wasi[prog]), scratch, [name], "wasi"))
        if "compute-noasyncify-O1" in bins:
            programs.append(("lind compute (LIND_ASYNCIFY=0, wasm-opt -O1)",
                             lind_cmd(scratch, bins["compute-noasyncify-O1"][1]), scratch,
                             ["coremark_iter"], "compute-plain-O1"))
        n_compute = sum(1 for *_, side in programs if side.startswith("compute-") and side != "compute-native")
        best = {side: {} for *_, side in programs}
        native_runs, cold_runs, warm_runs = [], [], []
        wasi_cold_runs, wasi_warm_runs = [], []
        if "hello" in wasi:
            hello_cwasm = OUT / "hello-wasi.cwasm"
            run([wasmtime, "compile", "-o", str(hello_cwasm), str(wasi["hello"])], what="wasmtime compile")
        log(f"{IDLE_CAGES} idle cages")
        idle_lind, idle_native = idle_rss(lind, bins["idle"], scratch, env)
        for r in range(args.rounds):
            log(f"round {r + 1}/{args.rounds}")
            # The two compute builds swap places every round: neither always
            # runs right after the native one.
            k = len(programs) - n_compute
            order = programs if r % 2 == 0 else programs[:k] + programs[k:][::-1]
            for label, cmd, cwd, names, side in order:
                got = parse_items(run(cmd + opts, cwd=cwd, env=env, what=label), names, label,
                                  optional=wasi_micro_missing if side == "wasi" else ())
                keep_min(best[side], got)
            if wrk:
                # native first in even rounds, lind first in odd ones
                for side in (("native", "lind") if r % 2 == 0 else ("lind", "native")):
                    keep_min(best[side], {HTTP[0][0]: http_run(side, lind, wrk, http_dir, env, args.http_secs)})
            for _ in range(4 * args.startup_runs):
                native_runs.append(time_process([str(hello_native)], cwd=scratch, env=env,
                                                expect=expect, what="native hello"))
            for i in range(args.startup_runs):
                cold_env = dict(env, LIND_CACHE_DIR=str(caches / f"cold-{r}-{i}"))
                cold_runs.append(time_process(lind_hello, cwd=scratch, env=cold_env, expect=expect,
                                              what="lind hello (cold)"))
                warm_runs.append(time_process(lind_hello, cwd=scratch, env=warm_env, expect=expect,
                                              what="lind hello (warm)"))
                if "hello" in wasi:
                    # cold: compiled on every run (wasmtime's cache off);
                    # warm: the module precompiled by `wasmtime compile`.
                    wasi_cold_runs.append(time_process(
                        [wasmtime, "run", "-C", "cache=n", str(wasi["hello"])], cwd=scratch, env=env,
                        expect=expect, what="wasmtime hello (cold)"))
                    wasi_warm_runs.append(time_process(
                        [wasmtime, "run", "--allow-precompiled", str(hello_cwasm)], cwd=scratch, env=env,
                        expect=expect, what="wasmtime hello (warm)"))
    finally:
        shutil.rmtree(caches, ignore_errors=True)
        if args.keep:
            log(f"kept scratch directory {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    # --- report: lind vs native ----------------------------------------------
    rows = []  # (name, native, lind, unit, targets, wasi or None)
    wasi_best = best.get("wasi", {})
    for name, prog, _, targets in COMPUTE:
        n_side, l_side = ("compute-native", "compute-asyncify") if prog == "compute" else ("native", "lind")
        if name in best[n_side]:
            rows.append((name, best[n_side][name], best[l_side][name], "ns", targets, wasi_best.get(name)))
    for name, _, targets in MICRO:
        n, l, w = best["native"][name], best["lind"][name], wasi_best.get(name)
        if name in MICRO_MIB:  # ns per operation -> MiB/s
            mib = MICRO_MIB[name]
            rows.append((name, mib * 1e9 / n, mib * 1e9 / l, "MiB/s", targets, mib * 1e9 / w if w else None))
        else:
            rows.append((name, n, l, "ns", targets, w))
    for name, _, targets in PARALLEL:
        rows.append((name, best["native"]["parallel_1t"] / best["native"]["parallel_2t"],
                     best["lind"]["parallel_1t"] / best["lind"]["parallel_2t"], "x", targets, None))
    for name, _, targets in PROC:
        n, l = best["native"][name], best["lind"][name]
        if name in THROUGHPUT:  # ns per MiB -> MiB/s
            rows.append((name, 1e9 / n, 1e9 / l, "MiB/s", targets, None))
        else:
            rows.append((name, n, l, "ns", targets, None))
    for name, _, targets in HTTP:
        if name in best["lind"]:  # ns per request -> requests per second
            rows.append((name, 1e9 / best["native"][name], 1e9 / best["lind"][name], "req/s", targets, None))
    native_start = min(native_runs)
    rows.append(("startup_cold", native_start, min(cold_runs), "ns", [],
                 min(wasi_cold_runs) if wasi_cold_runs else None))
    rows.append(("startup_warm", native_start, min(warm_runs), "ns", [],
                 min(wasi_warm_runs) if wasi_warm_runs else None))

    ncpu, cpu, kernel = machine()
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
    print(f"machine: {ncpu} CPUs, {cpu}, Linux {kernel}; load average at the end: {load}")
    real = os.path.realpath(lind)
    print(f"lind:    {lind}{' -> ' + real if real != lind else ''} (repo {git_rev()}); native: {Path(cc).name} -O2")
    print(f"wasi:    " + (f"clang-19 --target=wasm32-wasi -O2 (Debian wasi-libc), run by {wasmtime}"
                          if wasi else "skipped"))
    print("http:    " + (http_note or f"lighttpd (programs/lighttpd) native and in a cage, "
                                         f"{Path(wrk).name} -t1 -c{HTTP_CONNS} -d{args.http_secs}s "
                                         f"GET of a {SMALL_FILE}-byte file, keep-alive; best of "
                                         f"{args.rounds} runs per side, sides alternating"))
    print(f"method:  best of {args.rounds} rounds x {args.reps} reps x ~{args.ms} ms per item, "
          f"sides run one after the other; start-up = best of {len(cold_runs)} cold / "
          f"{len(warm_runs)} warm lind and {len(native_runs)} native process runs")
    print()
    table = [("benchmark", "native", "lind", "wasi", "lind/native", "wasi/native", "target")]
    for name, n, l, unit, targets, w in rows:
        ratio, wratio = l / n, (w / n if w else None)
        table.append((name, fmt_value(n, unit), fmt_value(l, unit), fmt_value(w, unit) if w else "n/a",
                      f"{ratio:.2f}x", f"{wratio:.2f}x" if wratio else "n/a", fmt_target(targets)))
    print_table(table)
    print()
    itable = [("memory", "native", "lind", "lind/native", "target"),
              (f"idle_cages_rss ({IDLE_CAGES} cages)", fmt_bytes(idle_native), fmt_bytes(idle_lind),
               f"{idle_lind / idle_native:.2f}x", f"lind < {fmt_bytes(IDLE_TARGET)}")]
    print_table(itable)
    print(f"idle_cages_rss: one program forking {IDLE_CAGES} children that block in read() "
          f"(benches/idle.c); lind: VmRSS of the one `lind run` process; native: the sum of Pss "
          f"over the {IDLE_CAGES + 1} processes (shared pages divided among them)")
    print()
    print("n/a in the wasi column: WASI has no such call (fork, exec, pipes, signals, epoll, pids, "
          "/dev/null); wasi's null_syscall is fcntl(F_GETFL) (fd_fdstat_get). "
          "coremark_iter per iteration, zlib_compress_64mib per 64 MiB, sqlite_speedtest1 per "
          "speedtest1 run (--memdb --size 50), lua_bench per run of benches/lua_bench.lua; "
          "per operation, except: *_1mib per MiB; malloc_free per malloc+free pair; "
          "*_throughput in MiB/s and http_keepalive_rps in requests/s (their lind/native is a "
          "throughput ratio: higher is better); "
          "fork_*/exec_small per fork+wait; pipeline_3stage_64mib per 64 MiB; "
          "startup_* per process (`lind run hello.wasm` vs ./hello; cold = empty LIND_CACHE_DIR, "
          "warm = compiled module cached)")

    # --- report: what Asyncify costs -----------------------------------------
    t_native = best["compute-native"]["coremark_iter"]
    t_with = best["compute-asyncify"]["coremark_iter"]
    t_without = best["compute-plain"]["coremark_iter"]
    # (name, native, without, with, unit, targets)
    arows = size_rows("compute.wasm", bins["compute-noasyncify"][1], bins["compute"][1], [("ratio", 1.3)])
    arows.append(("compute run time", t_native, t_without, t_with, "ns", [("ratio", 1.1)]))
    if "compute-plain-O1" in best:
        arows.append(("compute run time, both -O1", t_native, best["compute-plain-O1"]["coremark_iter"],
                      t_with, "ns", []))
    if dash_with:
        arows += size_rows("dash.wasm", dash_without, dash_with, [("ratio", 1.3)])
    print()
    atable = [("asyncify", "native", "lind, LIND_ASYNCIFY=0", "lind (Asyncify)", "with/without", "target")]
    for name, n, wo, w, unit, targets in arows:
        atable.append((name, fmt_value(n, unit) if n is not None else "-", fmt_value(wo, unit),
                       fmt_value(w, unit), f"{w / wo:.2f}x", fmt_target(targets)))
    print_table(atable)
    print()
    print(f"compute run time per CoreMark-like iteration (compute.c; it can fork, but its hot path "
          f"cannot); wasm/native = {t_without / t_native:.2f}x without Asyncify. Sizes are the whole "
          f"module (code, data, names). lind cc runs wasm-opt after linking: at -O1 after Asyncify, "
          f"else at the -O level asked for (both builds here are -O2); \"both -O1\": the "
          f"LIND_ASYNCIFY=0 build through wasm-opt -O1 once more. dash: {dash_note}"
          + ("; without Asyncify it cannot fork, which its runs need, so only its size is compared."
             if dash_with else "."))
    # --- report: what epoch poll points cost ----------------------------------
    prow = [(name, best[base]["coremark_iter"], best[key]["coremark_iter"], targets)
            for name, _, key, base, targets in POLL]
    print()
    ptable = [("poll points", "no interruption", "lind", "with/without", "target")]
    for name, wo, w, targets in prow:
        ptable.append((name, fmt_time(wo), fmt_time(w), f"{w / wo:.2f}x", fmt_target(targets)))
    print_table(ptable)
    print()
    print("poll_point_cost: compute.c's coremark_iter in lind as it runs (it installs no signal handler; "
          "stopped or killed through a host signal); poll_point_cost_handlers: compute.c built to install "
          "one (-DWITH_HANDLER), as it runs (a host signal sends its thread into the handler); each "
          "against the same module with no way to interrupt it (LIND_ALWAYS_EPOCH=1 LIND_NO_EPOCH=1, "
          "benchmark-only switches). epoch_checks_cost: what wasmtime's epoch checks would cost instead "
          "(LIND_ALWAYS_EPOCH=1; only `lind run --debug` and old modules use them). The runs swap places "
          "every round.")
    print()
    lines = []
    for name, n, l, unit, targets, w in rows:
        lines += verdicts(name, n, l, targets, w=w)
    lines.append(f"target idle_cages_rss: lind = {fmt_bytes(idle_lind)}, target < {fmt_bytes(IDLE_TARGET)}: "
                 f"{'met' if idle_lind < IDLE_TARGET else 'NOT met'}")
    for name, n, wo, w, unit, targets in arows:
        lines += verdicts(f"asyncify {name}", wo, w, targets, label="with/without")
    for name, wo, w, targets in prow:
        lines += verdicts(name, wo, w, targets, label="with/without")
    print("\n".join(lines))

    with open(OUT / "results.tsv", "w") as f:
        f.write("benchmark\tnative\tlind\tunit\tratio\ttarget\twasi\n")
        for name, n, l, unit, targets, w in rows:
            f.write(f"{name}\t{n:.2f}\t{l:.2f}\t{unit}\t{l / n:.4f}\t{fmt_target(targets)}"
                    f"\t{'' if w is None else f'{w:.2f}'}\n")
        f.write(f"idle_cages_rss\t{idle_native}\t{idle_lind}\tB\t{idle_lind / idle_native:.4f}"
                f"\tlind < {fmt_bytes(IDLE_TARGET)}\t\n")
        for name, wo, w, targets in prow:
            f.write(f"{name}\t{wo:.2f}\t{w:.2f}\tns\t{w / wo:.4f}\t{fmt_target(targets)}"
                    f"\t(native column: no interruption; lind column: as named)\n")
        for name, n, wo, w, unit, targets in arows:
            f.write(f"asyncify {name}\t{wo:.2f}\t{w:.2f}\t{unit}\t{w / wo:.4f}\t{fmt_target(targets)}"
                    f"\t(native column: without Asyncify; lind column: with)\n")
    log(f"done in {time.perf_counter() - t_start:.1f} s; raw numbers in {(OUT / 'results.tsv').relative_to(REPO)}")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
