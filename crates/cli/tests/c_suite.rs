//! The C test suite: every `tests/c/<area>/<name>.c` is built natively (gcc) and with
//! `lind cc`, both builds are run, and stdout plus exit status must match. A native run
//! killed by signal N counts as status 128+N, which is what `lind run` reports for a cage
//! killed by signal N.
//!
//! Directives, in the `//` comment lines at the top of a test file:
//!   `// ARGS: a b "c d"`   program arguments (shell-like quoting: "..", '..', \)
//!   `// ENV: K=V K2="x y"` environment variables (repeatable); both runs otherwise get an
//!                          empty environment (`lind run` gets `--env K=V`)
//!   `// EXIT: N`           expected exit status; checked against the native run too, and
//!                          the only oracle for LIND-ONLY tests (default 0 there)
//!   `// LIND-ONLY`         no native oracle: stdout must equal `<name>.expected`
//!   `// TIMEOUT: S`        per-run timeout in seconds (default 60)
//!   `// CFLAGS: -pthread`  extra flags for both builds (gcc and `lind cc`)
//!   `// LIND-RUN: --max-memory 32M`  extra `lind run` flags (the lind run only)
//!   `// SELF: PATH`        the program's own build (native executable or .wasm) is
//!                          copied to PATH inside the run directory (the cage's
//!                          root), so it can exec itself as `./PATH`
//! `<name>.stdin` next to the test is fed to stdin; otherwise stdin is /dev/null.
//!
//! Environment knobs:
//!   `LIND_BIN`            use this `lind` instead of the one cargo built
//!   `LIND_SUITE_FILTER`   comma-separated substrings; only matching tests are listed
//!   `LIND_SUITE_TIMEOUT`  default per-run timeout in seconds
//!   `LIND_SUITE_KEEP=1`   keep the build/run directories of failing tests
//!   `LIND_SUITE_CC`       native compiler (default `cc`)
//! libtest-mimic's own arguments work as usual, e.g.
//!   `cargo test --release -p lind-cli --test c_suite -- files/ --test-threads 1`

use libtest_mimic::{Arguments, Failed, Trial};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod support;
use support::*;

const DEFAULT_TIMEOUT_SECS: u64 = 60;
const COMPILE_TIMEOUT_SECS: u64 = 300;
/// Output beyond this is dropped (a runaway program must not eat the machine's memory).
const OUTPUT_CAP: usize = 64 << 20;

fn main() {
    let args = Arguments::from_args();
    close_inherited_fds();
    let root = suite_dir();
    let cases = cases_or_exit("c_suite", &root, collect_cases(&root));
    let trials = apply_suite_filter(cases, |c| c.name.clone())
        .into_iter()
        .map(|case| {
            let name = case.name.clone();
            let kind = if case.lind_only {
                "lind-only"
            } else {
                "vs-native"
            };
            Trial::test(name, move || run_case(&case)).with_kind(kind)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/c")
}

// ---------------------------------------------------------------------------------------
// Test discovery and directives

#[derive(Clone, Debug)]
struct Case {
    /// `<area>/<name>`
    name: String,
    source: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    exit: Option<i32>,
    lind_only: bool,
    timeout: Duration,
    self_copy: Option<String>,
    cflags: Vec<String>,
    lind_run: Vec<String>,
    stdin: Option<PathBuf>,
    expected: Option<PathBuf>,
}

fn collect_cases(root: &Path) -> std::io::Result<Vec<Case>> {
    let mut cases = Vec::new();
    let mut areas: Vec<PathBuf> = fs::read_dir(root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    areas.sort();
    for area in areas {
        let mut files: Vec<PathBuf> = fs::read_dir(&area)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "c"))
            .collect();
        files.sort();
        for file in files {
            cases.push(parse_case(&area, &file));
        }
    }
    Ok(cases)
}

fn parse_case(area: &Path, file: &Path) -> Case {
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let area_name = area.file_name().unwrap().to_string_lossy().into_owned();
    let default_timeout = std::env::var("LIND_SUITE_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    let mut case = Case {
        name: format!("{area_name}/{stem}"),
        source: file.to_path_buf(),
        args: Vec::new(),
        env: Vec::new(),
        exit: None,
        lind_only: false,
        timeout: Duration::from_secs(default_timeout),
        self_copy: None,
        cflags: Vec::new(),
        lind_run: Vec::new(),
        stdin: Some(file.with_extension("stdin")).filter(|p| p.is_file()),
        expected: Some(file.with_extension("expected")).filter(|p| p.is_file()),
    };
    // Directive problems surface when the trial runs (as a failure), not here.
    let text = fs::read_to_string(file).unwrap_or_default();
    for line in text
        .lines()
        .take_while(|l| l.trim_start().starts_with("//"))
    {
        let body = line.trim_start().trim_start_matches('/').trim();
        if let Some(rest) = body.strip_prefix("ARGS:") {
            case.args = shell_split(rest);
        } else if let Some(rest) = body.strip_prefix("ENV:") {
            for kv in shell_split(rest) {
                let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
                case.env.push((k.to_string(), v.to_string()));
            }
        } else if let Some(rest) = body.strip_prefix("EXIT:") {
            case.exit = Some(rest.trim().parse().unwrap_or(-1));
        } else if let Some(rest) = body.strip_prefix("TIMEOUT:") {
            if let Ok(s) = rest.trim().parse() {
                case.timeout = Duration::from_secs(s);
            }
        } else if body == "LIND-ONLY" {
            case.lind_only = true;
        } else if let Some(rest) = body.strip_prefix("CFLAGS:") {
            case.cflags = shell_split(rest);
        } else if let Some(rest) = body.strip_prefix("LIND-RUN:") {
            case.lind_run = shell_split(rest);
        } else if let Some(rest) = body.strip_prefix("SELF:") {
            case.self_copy = Some(rest.trim().to_string());
        }
    }
    case
}

// ---------------------------------------------------------------------------------------
// Running one case

fn run_case(case: &Case) -> Result<(), Failed> {
    // <work>/build holds the binaries; <work>/native and <work>/lind are the (empty) run
    // directories, so that programs listing their directory see only what they create.
    in_work_dir("lind-c-suite-", |work| run_case_in(case, work))
}

fn subdir(work: &Path, name: &str) -> Result<PathBuf, Failed> {
    let p = work.join(name);
    fs::create_dir(&p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
    Ok(p)
}

fn run_case_in(case: &Case, work: &Path) -> Result<(), Failed> {
    let build = &subdir(work, "build")?;
    if let Some(-1) = case.exit {
        return Err(format!("{}: malformed `// EXIT:` directive", case.source.display()).into());
    }
    let stem = case
        .source
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();

    // The oracle: the native build, or `<name>.expected` for LIND-ONLY tests.
    let (oracle_stdout, oracle_status, oracle_desc, oracle_stderr) = if case.lind_only {
        let expected = case.expected.as_ref().ok_or_else(|| {
            format!(
                "LIND-ONLY test without {}",
                case.source.with_extension("expected").display()
            )
        })?;
        let bytes =
            fs::read(expected).map_err(|e| format!("cannot read {}: {e}", expected.display()))?;
        (bytes, case.exit.unwrap_or(0), "expected", Vec::new())
    } else {
        let exe = build.join(&stem);
        let cc = std::env::var_os("LIND_SUITE_CC").unwrap_or_else(|| "cc".into());
        let mut cmd = Command::new(&cc);
        cmd.args(["-O2", "-w"])
            .args(&case.cflags)
            .arg("-o")
            .arg(&exe)
            .arg(&case.source)
            .arg("-lm");
        compile(
            cmd,
            &format!("native build ({} -O2 -w)", cc.to_string_lossy()),
        )?;
        let rundir = subdir(work, "native")?;
        place_self(case, &exe, &rundir)?;
        let mut cmd = Command::new(&exe);
        cmd.args(&case.args).current_dir(&rundir).env_clear();
        for (k, v) in &case.env {
            cmd.env(k, v);
        }
        let out = run_with_timeout(cmd, case.stdin.as_deref(), case.timeout, OUTPUT_CAP)?;
        if out.timed_out {
            return Err(format!(
                "native run timed out after {:?} (test defect?)",
                case.timeout
            )
            .into());
        }
        if let Some(want) = case.exit {
            if out.status != want {
                return Err(format!(
                    "native run exited with {} but the test says `// EXIT: {want}` (test defect)\n\
                     --- native stdout ---\n{}--- native stderr ---\n{}",
                    describe_status(&out),
                    clip(&out.stdout, 2000),
                    clip(&out.stderr, 2000)
                )
                .into());
            }
        }
        (out.stdout, out.status, "native", out.stderr)
    };

    // The lind side.
    let lind = lind_bin();
    let wasm = build.join(format!("{stem}.wasm"));
    let mut cmd = Command::new(&lind);
    cmd.args(["cc", "-O2"])
        .args(&case.cflags)
        .arg("-o")
        .arg(&wasm)
        .arg(&case.source);
    compile(cmd, "`lind cc`")?;
    let rundir = subdir(work, "lind")?;
    place_self(case, &wasm, &rundir)?;
    let mut cmd = Command::new(&lind);
    cmd.arg("run")
        .arg("--root")
        .arg(&rundir)
        .args(&case.lind_run);
    for (k, v) in &case.env {
        cmd.arg("--env").arg(format!("{k}={v}"));
    }
    cmd.arg("--")
        .arg(&wasm)
        .args(&case.args)
        .current_dir(&rundir);
    let out = run_with_timeout(cmd, case.stdin.as_deref(), case.timeout, OUTPUT_CAP)?;

    let mut problems = Vec::new();
    if out.timed_out {
        problems.push(format!(
            "lind run timed out after {:?} and was killed",
            case.timeout
        ));
    }
    if out.stdout != oracle_stdout {
        problems.push("stdout differs".to_string());
    }
    if !out.timed_out && out.status != oracle_status {
        problems.push(format!(
            "exit status differs: {oracle_desc} {oracle_status}, lind {}",
            describe_status(&out)
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut m = problems.join("; ");
    m.push('\n');
    if out.stdout != oracle_stdout {
        m.push_str(&stdout_diff(&oracle_stdout, &out.stdout, oracle_desc));
    }
    if !oracle_stderr.is_empty() {
        let _ = write!(
            m,
            "--- {oracle_desc} stderr ---\n{}",
            clip(&oracle_stderr, 1500)
        );
    }
    let _ = write!(
        m,
        "--- lind stderr ({:.1?}) ---\n{}",
        out.elapsed,
        clip(&out.stderr, 3000)
    );
    Err(m.into())
}

/// Runs a compiler command; its output says why when it fails.
fn compile(cmd: Command, what: &str) -> Result<(), Failed> {
    let out = run_with_timeout(
        cmd,
        None,
        Duration::from_secs(COMPILE_TIMEOUT_SECS),
        OUTPUT_CAP,
    )?;
    if out.timed_out || out.status != 0 {
        let how = if out.timed_out {
            "timed out".to_string()
        } else {
            format!("status {}", out.status)
        };
        return Err(format!(
            "{what} failed ({how}):\n{}{}",
            clip(&out.stderr, 3000),
            clip(&out.stdout, 1000)
        )
        .into());
    }
    Ok(())
}

/// Copies the program's build into its run directory for `// SELF:`.
fn place_self(case: &Case, built: &Path, rundir: &Path) -> Result<(), Failed> {
    let Some(rel) = &case.self_copy else {
        return Ok(());
    };
    let dest = rundir.join(rel);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("SELF: {e}"))?;
    }
    fs::copy(built, &dest).map_err(|e| format!("SELF: copying to {}: {e}", dest.display()))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reporting
