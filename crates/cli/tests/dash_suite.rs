//! The dash suite: every `tests/dash/<name>.sh` runs under the host's Debian `dash` and
//! under Debian's dash built for Lind (`programs/dash/build.sh`), and stdout plus exit
//! status must match. A run killed by signal N counts as status 128+N.
//!
//! Both runs start in a fresh directory holding only a copy of the script, run it as
//! `sh <name>.sh [ARGS]` (so `$0` and dash's error messages are the same) with an empty
//! environment except `PATH`:
//!   native: `dash <name>.sh` with PATH = the tools of `programs/tools/*.c` built with the
//!           host compiler, plus `sh` and `dash` linking to the host's dash;
//!   lind:   `lind run --root <dir> --mount <root>/bin:/bin:ro --env PATH=/bin
//!           <root>/bin/sh <name>.sh` where <root> is build/programs/root (dash as
//!           /bin/sh and /bin/dash, the same tools built with `lind cc`).
//!
//! Before any test runs, `programs/dash/build.sh` is called (it is quick when everything
//! is up to date, and builds dash and the tools when they are missing or older than
//! `lind`); if it fails, every test fails with its output.
//!
//! Directives, in the leading `#` comment lines of a script:
//!   `# ARGS: a "b c"`   script arguments (shell-like quoting)
//!   `# TIMEOUT: S`      per-run timeout in seconds (default 30)
//! `<name>.stdin` next to the script is fed to stdin; otherwise stdin is /dev/null.
//!
//! Environment knobs:
//!   `LIND_BIN`            use this `lind` (also to build dash) instead of cargo's
//!   `LIND_DASH_NATIVE`    the native dash (default: `dash` on PATH, else /bin/dash)
//!   `LIND_DASH_NO_BUILD=1` do not call build.sh (use build/programs/root as it is)
//!   `LIND_SUITE_FILTER`   comma-separated substrings; only matching scripts are listed
//!   `LIND_SUITE_KEEP=1`   keep the run directories of failing tests
//!   `LIND_SUITE_CC`       native compiler for the tools (default `cc`)

use libtest_mimic::{Arguments, Failed, Trial};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

mod support;
use support::*;

const DEFAULT_TIMEOUT_SECS: u64 = 30;
const OUTPUT_CAP: usize = 16 << 20;

fn main() {
    let args = Arguments::from_args();
    close_inherited_fds();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap_or(repo);
    let dir = repo.join("tests/dash");
    let cases = cases_or_exit("dash_suite", &dir, collect_cases(&dir));
    let cases = apply_suite_filter(cases, |c| c.name.clone());
    // Only prepare (build dash, build the native tools) when a test will actually run.
    let listing = args.list;
    let setup: Arc<Result<Setup, String>> = Arc::new(if listing || cases.is_empty() {
        Err("not set up (listing only)".to_string())
    } else {
        prepare(&repo)
    });
    let trials = cases
        .into_iter()
        .map(|case| {
            let setup = setup.clone();
            Trial::test(format!("dash/{}", case.name), move || match &*setup {
                Ok(s) => run_case(s, &case),
                Err(e) => Err(e.clone().into()),
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

// ---------------------------------------------------------------------------------------
// Set-up: dash for Lind, the native dash, the native tools

struct Setup {
    lind: OsString,
    /// build/programs/root: bin/sh, bin/dash and the tools, as `lind cc` built them.
    root: PathBuf,
    native_dash: PathBuf,
    /// Holds the native tools (and `sh`, `dash` links); removed when the run ends.
    native_bin: tempfile::TempDir,
}

fn prepare(repo: &Path) -> Result<Setup, String> {
    let lind = lind_bin();
    let root = repo.join("build/programs/root");
    let skip_build = env_flag("LIND_DASH_NO_BUILD");
    if !skip_build {
        let script = repo.join("programs/dash/build.sh");
        let mut cmd = Command::new(&script);
        cmd.env("LIND", &lind);
        let out = run_with_timeout(cmd, None, Duration::from_secs(1800), OUTPUT_CAP)
            .map_err(|e| format!("cannot run {}: {}", script.display(), msg(&e)))?;
        if out.timed_out || out.status != 0 {
            return Err(format!(
                "building dash for Lind failed ({} exited with {}):\n{}{}",
                script.display(),
                out.status,
                clip(&out.stdout, 2000),
                clip(&out.stderr, 4000)
            ));
        }
    }
    for name in ["sh", "dash"] {
        if !root.join("bin").join(name).is_file() {
            return Err(format!(
                "{} is missing: run programs/dash/build.sh",
                root.join("bin").join(name).display()
            ));
        }
    }

    let (native_dash, native_bin) = native_shell_tools(repo, "lind-dash-tools-")?;
    Ok(Setup {
        lind,
        root,
        native_dash,
        native_bin,
    })
}

// ---------------------------------------------------------------------------------------
// Test discovery and directives

#[derive(Clone, Debug)]
struct Case {
    name: String,
    script: PathBuf,
    args: Vec<String>,
    timeout: Duration,
    stdin: Option<PathBuf>,
}

fn collect_cases(dir: &Path) -> std::io::Result<Vec<Case>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    files.sort();
    Ok(files.iter().map(|f| parse_case(f)).collect())
}

fn parse_case(file: &Path) -> Case {
    let mut case = Case {
        name: file.file_stem().unwrap().to_string_lossy().into_owned(),
        script: file.to_path_buf(),
        args: Vec::new(),
        timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
        stdin: Some(file.with_extension("stdin")).filter(|p| p.is_file()),
    };
    let text = fs::read_to_string(file).unwrap_or_default();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let body = line.trim_start_matches('#').trim();
        if let Some(rest) = body.strip_prefix("ARGS:") {
            case.args = shell_split(rest);
        } else if let Some(rest) = body.strip_prefix("TIMEOUT:") {
            if let Ok(s) = rest.trim().parse() {
                case.timeout = Duration::from_secs(s);
            }
        }
    }
    case
}

// ---------------------------------------------------------------------------------------
// Running one case

fn run_case(setup: &Setup, case: &Case) -> Result<(), Failed> {
    let keep = env_flag("LIND_SUITE_KEEP");
    let work = tempfile::Builder::new()
        .prefix("lind-dash-suite-")
        .tempdir()
        .map_err(|e| Failed::from(format!("cannot create a temporary directory: {e}")))?;
    let result = run_case_in(setup, case, work.path());
    if result.is_err() && keep {
        let path = work.keep();
        return result.map_err(|e| {
            Failed::from(format!(
                "{}\n(kept the run directories under {})",
                msg(&e),
                path.display()
            ))
        });
    }
    result
}

/// A fresh directory holding only a copy of the script.
fn rundir(work: &Path, name: &str, case: &Case) -> Result<(PathBuf, String), Failed> {
    let dir = work.join(name);
    fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file = format!("{}.sh", case.name);
    fs::copy(&case.script, dir.join(&file))
        .map_err(|e| format!("cannot copy {}: {e}", case.script.display()))?;
    Ok((dir, file))
}

fn run_case_in(setup: &Setup, case: &Case, work: &Path) -> Result<(), Failed> {
    // Native: the host's dash with the natively built tools.
    let (dir, file) = rundir(work, "native", case)?;
    let mut cmd = Command::new(&setup.native_dash);
    cmd.arg(&file)
        .args(&case.args)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", setup.native_bin.path());
    let native = run_with_timeout(cmd, case.stdin.as_deref(), case.timeout, OUTPUT_CAP)?;
    if native.timed_out {
        return Err(format!(
            "native run timed out after {:?} (test defect?)\n--- native stderr ---\n{}",
            case.timeout,
            clip(&native.stderr, 2000)
        )
        .into());
    }

    // Lind: dash.wasm as /bin/sh, the lind-built tools in /bin.
    let (dir, file) = rundir(work, "lind", case)?;
    let bin = setup.root.join("bin");
    let mut mount = OsString::from(&bin);
    mount.push(":/bin:ro");
    let mut cmd = Command::new(&setup.lind);
    cmd.arg("run")
        .arg("--root")
        .arg(&dir)
        .arg("--mount")
        .arg(mount)
        .arg("--env")
        .arg("PATH=/bin")
        .arg("--")
        .arg(bin.join("sh"))
        .arg(&file)
        .args(&case.args)
        .current_dir(&dir);
    let lind = run_with_timeout(cmd, case.stdin.as_deref(), case.timeout, OUTPUT_CAP)?;

    compare_with_native(&native, &lind, case.timeout)
}

// ---------------------------------------------------------------------------------------
// Reporting
