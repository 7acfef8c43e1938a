//! Signals sent to `lind run` itself reach its cages: SIGINT (Ctrl-C) the
//! terminal's foreground group, SIGTERM every cage. Each program under
//! tests/host/ is built with `lind cc` and driven from here.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn lind() -> PathBuf {
    std::env::var_os("LIND_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_lind").into())
        .into()
}

fn build(dir: &Path, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/host/{name}.c"));
    let out = dir.join(format!("{name}.wasm"));
    let status = Command::new(lind())
        .args(["cc", "-O1", "-o"])
        .arg(&out)
        .arg(&src)
        .status()
        .expect("run lind cc");
    assert!(status.success(), "lind cc {}", src.display());
    out
}

fn start(dir: &Path, module: &Path) -> Child {
    Command::new(lind())
        .arg("run")
        .arg("--root")
        .arg(dir)
        .arg(module)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lind run")
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill {sig}");
}

/// Waits for `line` on the child's stdout and returns the reader.
fn expect_line(reader: &mut impl BufRead, line: &str) {
    let mut got = String::new();
    reader.read_line(&mut got).expect("read stdout");
    assert_eq!(got.trim_end(), line);
}

#[test]
fn ctrl_c_reaches_the_handler_then_kills_a_computing_cage() {
    let dir = tempfile::tempdir().unwrap();
    let module = build(dir.path(), "ctrl_c");
    let mut child = start(dir.path(), &module);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    expect_line(&mut out, "ready");
    signal(&child, "-INT");
    expect_line(&mut out, "caught SIGINT");
    std::thread::sleep(Duration::from_millis(100));
    signal(&child, "-INT");
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "lind run exits as its cage: 128+SIGINT"
    );
}

#[test]
fn sigterm_reaches_every_cage() {
    let dir = tempfile::tempdir().unwrap();
    let module = build(dir.path(), "term_all");
    let mut child = start(dir.path(), &module);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    expect_line(&mut out, "child ready");
    signal(&child, "-TERM");
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(143),
        "lind run exits as its first cage: 128+SIGTERM"
    );
}
