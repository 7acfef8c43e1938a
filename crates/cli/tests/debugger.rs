//! Debugging C programs on lind: `gdb --args lind run --debug prog.wasm`
//! breaks on a C function and on file:line, steps and prints arguments and
//! locals of a `lind cc -g` module that Asyncify instrumented; and a trap's
//! backtrace names C file:line after Asyncify, unoptimised and at -O2.
//! The program is tests/host/debug_me.c. Without gdb the gdb test is
//! skipped with a message (./setup.sh installs gdb, so CI runs it).
//! Also: a siglongjmp into an interrupted loop works under `--debug`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn lind() -> PathBuf {
    std::env::var_os("LIND_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_lind").into())
        .into()
}

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/host/debug_me.c")
        .canonicalize()
        .expect("tests/host/debug_me.c")
}

/// The 1-based line of the source that contains `needle`.
fn line_of(needle: &str) -> usize {
    let text = std::fs::read_to_string(source()).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in debug_me.c"))
        + 1
}

fn build(dir: &Path, flags: &[&str]) -> PathBuf {
    let out = dir.join("debug_me.wasm");
    let status = Command::new(lind())
        .arg("cc")
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(source())
        .status()
        .expect("run lind cc");
    assert!(status.success(), "lind cc {flags:?}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes
            .windows(b"asyncify_start_unwind".len())
            .any(|w| w == b"asyncify_start_unwind"),
        "debug_me.c forks, so lind cc should have run Asyncify over it"
    );
    out
}

/// `lind cc FLAGS -o out src`, which must succeed.
fn lind_cc(flags: &[&str], out: &Path, src: &Path) {
    let ok = Command::new(lind())
        .arg("cc")
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg(src)
        .status()
        .expect("run lind cc")
        .success();
    assert!(ok, "lind cc {flags:?} {}", src.display());
}

/// Runs `cmd` to its end (or kills it after `limit`) and returns its
/// status and stdout+stderr.
fn run_for(mut cmd: Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = out_reader.join().unwrap() + &err_reader.join().unwrap();
    (status, text)
}

fn gdb_available() -> bool {
    Command::new("gdb")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn gdb_breaks_steps_and_prints_locals() {
    if !gdb_available() {
        eprintln!("SKIPPED gdb_breaks_steps_and_prints_locals: gdb is not installed (./setup.sh installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let module = build(dir.path(), &["-g", "-O0"]);
    let first_line = line_of("int total = 0;");
    let total_line = line_of("/* LINE-TOTAL */");
    let script = dir.path().join("cmds.gdb");
    std::fs::write(
        &script,
        format!(
            "set breakpoint pending on\n\
             set pagination off\n\
             set confirm off\n\
             handle SIGSEGV SIGBUS SIGFPE SIGILL SIGUSR1 SIGUSR2 nostop noprint pass\n\
             break square_sum\n\
             break debug_me.c:{total_line}\n\
             run\n\
             info args\n\
             next\n\
             print total\n\
             continue\n\
             print total\n\
             continue\n\
             print total\n\
             delete\n\
             finish\n\
             continue\n"
        ),
    )
    .unwrap();
    let mut gdb = Command::new("gdb");
    gdb.arg("-batch")
        .arg("-nx")
        .arg("-x")
        .arg(&script)
        .arg("--args")
        .arg(lind())
        .arg("run")
        .arg("--debug")
        .arg("--root")
        .arg(dir.path())
        .arg(&module)
        .env("LIND_CACHE_DIR", dir.path().join("cache"));
    let (_, out) = run_for(gdb, Duration::from_secs(300));
    let want = [
        // break by function: stops after the prologue with its argument.
        format!("square_sum (n=5) at {}:{first_line}", source().display()),
        "n = 5".to_string(),
        // next: one line on.
        format!("{}\t", first_line + 1),
        "$1 = 0".to_string(),
        // break by file:line, twice round the loop, printing a local.
        format!("square_sum (n=5) at {}:{total_line}", source().display()),
        "$2 = 0".to_string(),
        "$3 = 1".to_string(),
        // finish: the caller gets the value.
        "Value returned is $4 = 55".to_string(),
        "result 55 child 7".to_string(),
    ];
    let mut at = 0;
    for w in &want {
        match out[at..].find(w.as_str()) {
            Some(i) => at += i + w.len(),
            None => panic!("gdb output lacks `{w}` (in order); it was:\n{out}"),
        }
    }
}

#[test]
fn trap_backtrace_names_c_lines_after_asyncify() {
    let crash_line = line_of("/* LINE-CRASH */");
    let call_line = line_of("/* LINE-CALL */");
    for opt in ["-O0", "-O2"] {
        let dir = tempfile::tempdir().unwrap();
        let module = build(dir.path(), &["-g", opt]);
        let mut run = Command::new(lind());
        run.arg("run")
            .arg("--no-cache")
            .arg("--root")
            .arg(dir.path())
            .arg(&module)
            .arg("crash");
        let (status, out) = run_for(run, Duration::from_secs(120));
        assert_eq!(status, Some(128 + 8), "{opt}: SIGFPE expected:\n{out}");
        assert!(
            out.contains("killed by SIGFPE (integer division by zero)"),
            "{opt}:\n{out}"
        );
        let at_crash = format!("debug_me.c:{crash_line})");
        assert!(out.contains(&at_crash), "{opt}: no `{at_crash}` in:\n{out}");
        if opt == "-O0" {
            // Not inlined: both frames, each with its line.
            assert!(out.contains("at crash ("), "{opt}:\n{out}");
            let at_call = format!("at main ({}:{call_line})", source().display());
            assert!(out.contains(&at_call), "{opt}: no `{at_call}` in:\n{out}");
        }
    }
}

/// Under `--debug` handlers run from wasmtime's epoch checks, which stand
/// at loop headers too: a handler that interrupted the loop of the very
/// function that called sigsetjmp must still siglongjmp back into it (the
/// check point there delivers it instead). Native output is the oracle.
#[test]
fn debug_mode_siglongjmps_into_the_interrupted_loop() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/c/signals/longjmp_into_loop.c");
    let native = dir.path().join("native");
    let ok = Command::new("gcc")
        .args(["-O2", "-pthread", "-o"])
        .arg(&native)
        .arg(&src)
        .status()
        .expect("run gcc")
        .success();
    assert!(ok, "gcc");
    let expected = Command::new(&native).output().expect("run native");
    let module = dir.path().join("longjmp_into_loop.wasm");
    lind_cc(&["-O2", "-pthread"], &module, &src);
    let got = Command::new(lind())
        .args(["run", "--debug"])
        .arg(&module)
        .output()
        .expect("run lind run --debug");
    assert!(
        got.status.success(),
        "lind run --debug: {}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        String::from_utf8_lossy(&expected.stdout)
    );
}

/// A longjmp that an `invoke_*` will catch is raised without a backtrace
/// (the cost of one is most of a longjmp's); one that nothing catches
/// still ends the cage with a report that shows where it came from: the
/// function that called longjmp, or the one whose own setjmp caught it
/// and passed it on.
#[test]
fn stale_longjmp_report_keeps_its_backtrace() {
    for (main_catches, named) in [(false, "jump_back"), (true, "__original_main")] {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("stale.c");
        let main_setjmp = if main_catches {
            "setjmp(here) == 0 &&"
        } else {
            ""
        };
        let program = format!(
            r#"#include <setjmp.h>
#include <stdio.h>
static jmp_buf jb, here;
__attribute__((noinline)) static int arm(void) {{ return setjmp(jb); }}
__attribute__((noinline)) static void jump_back(void) {{ longjmp(jb, 1); }}
int main(void)
{{
	if ({main_setjmp} arm() == 0) {{
		puts("armed");
		jump_back();
	}}
	puts("returned");
	return 0;
}}
"#
        );
        std::fs::write(&src, program).unwrap();
        let module = dir.path().join("stale.wasm");
        lind_cc(&["-O1"], &module, &src);
        let mut run = Command::new(lind());
        run.arg("run").arg(&module);
        let (status, out) = run_for(run, Duration::from_secs(60));
        assert_eq!(status, Some(128 + 9), "{out}");
        assert!(out.contains("armed") && !out.contains("returned"), "{out}");
        assert!(out.contains("whose setjmp is no longer running"), "{out}");
        let frame = format!("stale.wasm!{named}\n");
        assert!(out.contains(&frame), "no `{frame}` in:\n{out}");
    }
}
