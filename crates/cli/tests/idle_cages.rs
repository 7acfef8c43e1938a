//! Memory is committed only as touched: many idle cages under one `lind
//! run` cost little resident memory each. benches/idle.c forks N children
//! that block in read(); while they wait, lind's VmRSS is read from /proc.
//! (benches/run.py reports the same for 1000 cages, target < 1 GiB.)

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn lind() -> PathBuf {
    std::env::var_os("LIND_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_lind").into())
        .into()
}

fn vm_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/<pid>/status")
}

/// lind's resident memory, in KiB, while `n` idle children wait.
fn rss_with_idle_children(dir: &Path, module: &Path, n: usize) -> u64 {
    let mut child = Command::new(lind())
        .args(["run", "--max-procs", &(n + 16).to_string(), "--root"])
        .arg(dir)
        .arg(module)
        .arg(n.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start lind run");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line.trim_end(), format!("ready {n}"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let rss = vm_rss_kib(child.id());
    child.stdin.take().unwrap().flush().unwrap(); // dropped: EOF ends the run
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line.trim_end(), format!("reaped {n}"));
    assert!(child.wait().unwrap().success());
    rss
}

#[test]
fn two_hundred_idle_cages_cost_little_resident_memory_each() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/idle.c");
    let module = dir.path().join("idle.wasm");
    let ok = Command::new(lind())
        .args(["cc", "-O2", "-o"])
        .arg(&module)
        .arg(&src)
        .status()
        .expect("run lind cc")
        .success();
    assert!(ok, "lind cc {}", src.display());
    let one = rss_with_idle_children(dir.path(), &module, 1);
    let many = rss_with_idle_children(dir.path(), &module, 200);
    let per_cage = many.saturating_sub(one) / 199;
    // Measured: ~50 KiB per idle cage (a native process: ~32 KiB of Pss).
    // The bound leaves a wide margin for other machines, yet fails if each
    // cage committed its stack, its memory or a wasmtime instance's worth
    // of pages.
    assert!(
        per_cage < 512,
        "{per_cage} KiB resident per idle cage (1 cage: {one} KiB, 200: {many} KiB)"
    );
    assert!(many < 256 << 10, "200 idle cages: {many} KiB resident");
}
