//! What the suite harnesses share: running a program with a timeout and
//! capped output, and describing how outputs differ.

use libtest_mimic::Failed;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Native programs must start with only fds 0, 1 and 2, as a cage does. cargo hands its
/// jobserver pipe to test binaries without close-on-exec, so close every such fd here,
/// before any thread or child exists. (No libc dependency: /proc/self/fdinfo tells the
/// flags, and dropping an `OwnedFd` closes it.)
pub fn close_inherited_fds() {
    const O_CLOEXEC: u32 = 0o2000000;
    let Ok(dir) = fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<i32> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&fd| fd > 2)
        .collect();
    for fd in fds {
        let Ok(info) = fs::read_to_string(format!("/proc/self/fdinfo/{fd}")) else {
            continue;
        };
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok());
        if let Some(flags) = flags {
            if flags & O_CLOEXEC == 0 {
                // SAFETY: nothing else in this process owns or uses these inherited fds.
                drop(unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd) });
            }
        }
    }
}

pub fn lind_bin() -> OsString {
    std::env::var_os("LIND_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_lind").into())
}

/// Splits like a POSIX shell would for plain words, '...' and "..." (with \" and \\).
pub fn shell_split(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            cur.push(chars.next().unwrap())
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    cur.push(c);
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

pub struct Outcome {
    /// Exit code, or 128+N when killed by signal N.
    pub status: i32,
    pub signal: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub timed_out: bool,
    pub elapsed: Duration,
}

pub fn msg(f: &Failed) -> String {
    f.message().unwrap_or("").to_string()
}

pub fn describe_status(o: &Outcome) -> String {
    match o.signal {
        Some(sig) => format!("{} (killed by signal {sig})", o.status),
        None => o.status.to_string(),
    }
}

/// Runs `cmd` with stdout/stderr captured (at most `cap` bytes each) and stdin from
/// `stdin` (or /dev/null), in its own process group so that a timeout kills the whole tree.
pub fn run_with_timeout(
    mut cmd: Command,
    stdin: Option<&Path>,
    timeout: Duration,
    cap: usize,
) -> Result<Outcome, Failed> {
    let stdin = match stdin {
        Some(p) => {
            Stdio::from(fs::File::open(p).map_err(|e| format!("cannot open {}: {e}", p.display()))?)
        }
        None => Stdio::null(),
    };
    cmd.stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", cmd.get_program().to_string_lossy()))?;
    let out_reader = reader(child.stdout.take().unwrap(), cap);
    let err_reader = reader(child.stderr.take().unwrap(), cap);
    let mut timed_out = false;
    let status: ExitStatus = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) => {}
            Err(e) => return Err(format!("waiting for the child failed: {e}").into()),
        }
        if start.elapsed() > timeout {
            timed_out = true;
            kill_group(child.id());
            let _ = child.kill();
            break child
                .wait()
                .map_err(|e| format!("waiting for the killed child failed: {e}"))?;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    // Leftover grandchildren holding the pipes open must not hang us either.
    kill_group(child.id());
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let (code, signal) = match (status.code(), status.signal()) {
        (Some(c), _) => (c, None),
        (None, Some(s)) => (128 + s, Some(s)),
        (None, None) => (-1, None),
    };
    Ok(Outcome {
        status: code,
        signal,
        stdout,
        stderr,
        timed_out,
        elapsed,
    })
}

pub fn reader<R: Read + Send + 'static>(mut r: R, cap: usize) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        kept
    })
}

pub fn kill_group(pgid: u32) {
    // Without a libc dependency: the `kill` utility can signal a whole process group.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// At most `max` bytes of `b` as text: the head and the tail when it is longer.
pub fn clip(b: &[u8], max: usize) -> String {
    let mut s = if b.len() <= max {
        String::from_utf8_lossy(b).into_owned()
    } else {
        let head = max * 2 / 3;
        let tail = max - head;
        format!(
            "{}\n[... {} bytes omitted ...]\n{}",
            String::from_utf8_lossy(&b[..head]),
            b.len() - max,
            String::from_utf8_lossy(&b[b.len() - tail..])
        )
    };
    if !s.is_empty() && !s.ends_with('\n') {
        s.push_str("\n[no newline at end]\n");
    }
    s
}

/// A compact view of where two outputs part: the first differing line with context.
pub fn stdout_diff(want: &[u8], got: &[u8], want_name: &str) -> String {
    let w: Vec<&[u8]> = want.split_inclusive(|&b| b == b'\n').collect();
    let g: Vec<&[u8]> = got.split_inclusive(|&b| b == b'\n').collect();
    let first = w
        .iter()
        .zip(g.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let from = first.saturating_sub(3);
    let mut m = format!(
        "--- stdout: {want_name} {} bytes / {} lines, lind {} bytes / {} lines; first difference at line {} ---\n",
        want.len(),
        w.len(),
        got.len(),
        g.len(),
        first + 1
    );
    let show = |line: &[u8]| {
        let s = String::from_utf8_lossy(line);
        let s = s
            .strip_suffix('\n')
            .map(str::to_string)
            .unwrap_or_else(|| format!("{s}⏎(no newline)"));
        if s.len() > 200 {
            format!(
                "{}…",
                &s[..s.char_indices().nth(200).map_or(s.len(), |(i, _)| i)]
            )
        } else {
            s
        }
    };
    for (i, line) in w.iter().enumerate().take(first).skip(from) {
        let _ = writeln!(m, "   {:>4}  {}", i + 1, show(line));
    }
    let end = (first + 12).max(first + 1);
    for i in first..end.min(w.len().max(g.len())) {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {
                let _ = writeln!(m, "   {:>4}  {}", i + 1, show(a));
            }
            (a, b) => {
                if let Some(l) = a {
                    let _ = writeln!(m, " - {:>4}  {}", i + 1, show(l));
                }
                if let Some(l) = b {
                    let _ = writeln!(m, " + {:>4}  {}", i + 1, show(l));
                }
            }
        }
    }
    let rest = w.len().max(g.len()).saturating_sub(end);
    if rest > 0 {
        let _ = writeln!(m, "   ... {rest} more lines");
    }
    let _ = writeln!(m, "   (- {want_name}, + lind)");
    m
}

/// Builds `programs/tools/*.c` (cat, echo, sort, ...) with the host compiler
/// (`$LIND_SUITE_CC`, default `cc`) into `dir`: the native twins of the tools that
/// `programs/tools/build.sh` installs into the root, so that scripts print the same.
#[allow(dead_code)] // each suite uses its own subset of this module
pub fn build_native_tools(repo: &Path, dir: &Path) -> Result<(), String> {
    let cc = std::env::var_os("LIND_SUITE_CC").unwrap_or_else(|| "cc".into());
    let mut tools: Vec<PathBuf> = fs::read_dir(repo.join("programs/tools"))
        .map_err(|e| format!("cannot read programs/tools: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    tools.sort();
    for src in tools {
        let exe = dir.join(src.file_stem().unwrap());
        let mut cmd = Command::new(&cc);
        cmd.args(["-O2", "-w", "-o"]).arg(&exe).arg(&src);
        let out = run_with_timeout(cmd, None, Duration::from_secs(300), 1 << 20)
            .map_err(|e| format!("native build of {}: {}", src.display(), msg(&e)))?;
        if out.timed_out || out.status != 0 {
            return Err(format!(
                "native build of {} failed:\n{}",
                src.display(),
                clip(&out.stderr, 3000)
            ));
        }
    }
    Ok(())
}

/// `name` found in `$PATH`.
#[allow(dead_code)]
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// The host's dash (`$LIND_DASH_NATIVE`, else `dash` on PATH, else /bin/dash).
#[allow(dead_code)]
pub fn native_dash() -> Result<PathBuf, String> {
    let dash = match std::env::var_os("LIND_DASH_NATIVE") {
        Some(p) => PathBuf::from(p),
        None => find_in_path("dash").unwrap_or_else(|| PathBuf::from("/bin/dash")),
    };
    if dash.is_file() {
        Ok(dash)
    } else {
        Err(format!(
            "the native dash ({}) is missing: apt-get install dash, or set LIND_DASH_NATIVE",
            dash.display()
        ))
    }
}

/// The native side's tools for suites that run shell scripts both ways: a
/// temporary directory with [`build_native_tools`] and `sh` and `dash`
/// linked to the host's dash (which is returned too).
#[allow(dead_code)]
pub fn native_shell_tools(
    repo: &Path,
    prefix: &str,
) -> Result<(PathBuf, tempfile::TempDir), String> {
    let dash = native_dash()?;
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    build_native_tools(repo, dir.path())?;
    for name in ["sh", "dash"] {
        std::os::unix::fs::symlink(&dash, dir.path().join(name))
            .map_err(|e| format!("cannot link {name} to the native dash: {e}"))?;
    }
    Ok((dash, dir))
}

/// Whether the environment variable is set to something other than "" or "0".
#[allow(dead_code)]
pub fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The verdict of a side-by-side run: Ok when lind's stdout and exit
/// status match native's, else what differs, with a diff and both stderrs.
#[allow(dead_code)]
pub fn compare_with_native(
    native: &Outcome,
    lind: &Outcome,
    timeout: Duration,
) -> Result<(), Failed> {
    let mut problems = Vec::new();
    if lind.timed_out {
        problems.push(format!(
            "lind run timed out after {:?} and was killed",
            timeout
        ));
    }
    if lind.stdout != native.stdout {
        problems.push("stdout differs".to_string());
    }
    if !lind.timed_out && lind.status != native.status {
        problems.push(format!(
            "exit status differs: native {}, lind {}",
            describe_status(native),
            describe_status(lind)
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut m = problems.join("; ");
    m.push('\n');
    if lind.stdout != native.stdout {
        m.push_str(&stdout_diff(&native.stdout, &lind.stdout, "native"));
    }
    if !native.stderr.is_empty() {
        let _ = write!(m, "--- native stderr ---\n{}", clip(&native.stderr, 1500));
    }
    let _ = write!(
        m,
        "--- lind stderr ({:.1?}) ---\n{}",
        lind.elapsed,
        clip(&lind.stderr, 3000)
    );
    Err(m.into())
}

/// The suite's cases, or a clear message and exit status 101 (libtest's
/// "the harness failed") when the test tree cannot be read.
#[allow(dead_code)] // not every harness uses it
pub fn cases_or_exit<T>(suite: &str, dir: &Path, cases: std::io::Result<Vec<T>>) -> Vec<T> {
    cases.unwrap_or_else(|e| {
        eprintln!("{suite}: cannot read {}: {e}", dir.display());
        std::process::exit(101);
    })
}

/// `LIND_SUITE_FILTER=a,b`: only the cases whose name contains one of the
/// comma-separated words (all of them when it is unset or empty).
#[allow(dead_code)] // not every harness uses it
pub fn apply_suite_filter<T>(cases: Vec<T>, name: impl Fn(&T) -> String) -> Vec<T> {
    let filters: Vec<String> = std::env::var("LIND_SUITE_FILTER")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    cases
        .into_iter()
        .filter(|c| filters.is_empty() || filters.iter().any(|f| name(c).contains(f.as_str())))
        .collect()
}

/// Runs `case_in` in a fresh temporary directory named `prefix…`, removed
/// afterwards unless the case failed and `LIND_SUITE_KEEP` is set.
#[allow(dead_code)] // not every harness uses it
pub fn in_work_dir(
    prefix: &str,
    case_in: impl FnOnce(&Path) -> Result<(), Failed>,
) -> Result<(), Failed> {
    let work = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| Failed::from(format!("cannot create a temporary directory: {e}")))?;
    let result = case_in(work.path());
    if result.is_err() && env_flag("LIND_SUITE_KEEP") {
        let path = work.keep();
        return result.map_err(|e| {
            Failed::from(format!(
                "{}\n(kept the work directories under {})",
                msg(&e),
                path.display()
            ))
        });
    }
    result
}
