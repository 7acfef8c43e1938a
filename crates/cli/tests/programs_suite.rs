//! The programs suite: real programs built from Debian's sources by
//! `programs/<prog>/build.sh`, each twice from the same source (with `lind cc` into
//! build/programs/root/bin, with gcc into build/programs/native/bin), run side by side:
//! stdout and exit status must match. A run killed by signal N counts as status 128+N.
//!
//! Cases live in `tests/programs/<prog>/`:
//!   `<case>.sh`           run as `sh <case>.sh [ARGS]`
//!   `<case>.<ext>`        when `run-<ext>.sh` exists there: `sh run-<ext>.sh <case>.<ext>`
//!                         (e.g. `run-lua.sh` runs `lua "$1"`)
//! Every other file is data. Each run starts in a fresh directory holding a copy of the
//! whole `tests/programs/<prog>/` directory, with an empty environment except `PATH`,
//! `HOME=/nonexistent-home` and `SRC` (the program's unpacked, patched source, read-only:
//! sample files, test inputs):
//!   native: the host's dash, PATH = build/programs/native/bin, then `programs/tools/*.c`
//!           built with the host compiler; SRC = build/programs/<prog>/src
//!   lind:   `lind run --root <dir> --mount <root>/bin:/bin:ro --mount <src>:/src:ro
//!           --env PATH=/bin --env SRC=/src <root>/bin/sh ...`, where <root> is
//!           build/programs/root (dash as /bin/sh, the tools and the programs).
//!
//! This harness does not build anything but the native tools: `./test.sh` runs
//! `programs/build.sh` first. A program whose build has not run (no
//! build/programs/built/<prog>) has its cases ignored, with the reason printed.
//!
//! Directives, in the leading comment lines (`#` or `--`) of a case:
//!   `ARGS: a "b c"`   arguments (shell-like quoting)
//!   `TIMEOUT: S`      per-run timeout in seconds (default 60)
//!   `NEEDS: a b`      programs that an optional build step installs (e.g. sqlite3's
//!                     speedtest1); without them in both bin directories the case is
//!                     ignored, with the reason printed
//! `<case>.stdin` next to the case is fed to stdin; otherwise stdin is /dev/null.
//!
//! Environment knobs: `LIND_BIN`, `LIND_DASH_NATIVE`, `LIND_SUITE_FILTER`,
//! `LIND_SUITE_KEEP=1`, `LIND_SUITE_CC` as in the dash suite.

use libtest_mimic::{Arguments, Failed, Trial};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

mod support;
use support::*;

const DEFAULT_TIMEOUT_SECS: u64 = 60;
const OUTPUT_CAP: usize = 16 << 20;
/// Both sides get this `$HOME`, which exists on neither (so no rc files are read, and
/// programs that look for one do not fall back to the password database, which the
/// host has and a cage's root does not).
const HOME: &str = "/nonexistent-home";

fn main() {
    let args = Arguments::from_args();
    close_inherited_fds();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap_or(repo);
    let dir = repo.join("tests/programs");
    let cases = cases_or_exit("programs_suite", &dir, collect_cases(&dir));
    let cases = apply_suite_filter(cases, Case::id);

    // Which programs are built; say once why the others are skipped.
    let out = repo.join("build/programs");
    let mut progs: Vec<&str> = cases.iter().map(|c| c.prog.as_str()).collect();
    progs.dedup();
    let mut skipped = Vec::new();
    for prog in &progs {
        let why = if !out.join("root/bin/sh").is_file() {
            Some("dash is not built (programs/dash/build.sh)".to_string())
        } else if !out.join("built").join(prog).is_file() {
            Some(format!(
                "not built: run programs/{prog}/build.sh (./test.sh runs programs/build.sh)"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            if !args.list {
                eprintln!("programs_suite: SKIPPING {prog}: {why}");
            }
            skipped.push(prog.to_string());
        }
    }

    let runnable = cases.iter().any(|c| !skipped.contains(&c.prog));
    let setup: Arc<Result<Setup, String>> = Arc::new(if args.list || !runnable {
        Err("not set up".to_string())
    } else {
        prepare(&repo)
    });
    let trials = cases
        .into_iter()
        .map(|case| {
            let missing: Vec<&str> = case
                .needs
                .iter()
                .filter(|n| {
                    !out.join("root/bin").join(n).is_file()
                        || !out.join("native/bin").join(n).is_file()
                })
                .map(String::as_str)
                .collect();
            if !missing.is_empty() && !args.list && !skipped.contains(&case.prog) {
                eprintln!(
                    "programs_suite: SKIPPING {}: needs {} (see programs/{}/build.sh)",
                    case.id(),
                    missing.join(" "),
                    case.prog
                );
            }
            let ignored = skipped.contains(&case.prog) || !missing.is_empty();
            let setup = setup.clone();
            Trial::test(case.id(), move || match &*setup {
                Ok(s) => run_case(s, &case),
                Err(e) => Err(e.clone().into()),
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

// ---------------------------------------------------------------------------------------
// Set-up

struct Setup {
    lind: OsString,
    /// build/programs: root/, native/bin, <prog>/src
    out: PathBuf,
    native_dash: PathBuf,
    /// Holds the native tools (and `sh`, `dash` links); removed when the run ends.
    native_tools: tempfile::TempDir,
}

fn prepare(repo: &Path) -> Result<Setup, String> {
    let (native_dash, native_tools) = native_shell_tools(repo, "lind-programs-tools-")?;
    Ok(Setup {
        lind: lind_bin(),
        out: repo.join("build/programs"),
        native_dash,
        native_tools,
    })
}

// ---------------------------------------------------------------------------------------
// Test discovery and directives

#[derive(Clone, Debug)]
struct Case {
    prog: String,
    /// tests/programs/<prog>
    dir: PathBuf,
    /// The case's file name, relative to `dir`.
    file: String,
    /// `sh` arguments: the case file, or the runner and the case file, then ARGS.
    argv: Vec<String>,
    timeout: Duration,
    stdin: Option<PathBuf>,
    /// `NEEDS:` programs.
    needs: Vec<String>,
}

impl Case {
    fn id(&self) -> String {
        format!("programs/{}/{}", self.prog, self.file)
    }
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

fn collect_cases(dir: &Path) -> std::io::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for pdir in sorted_entries(dir)?.into_iter().filter(|p| p.is_dir()) {
        let prog = pdir.file_name().unwrap().to_string_lossy().into_owned();
        for file in sorted_entries(&pdir)?.into_iter().filter(|p| p.is_file()) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("run-") {
                continue;
            }
            let Some(ext) = file.extension().map(|e| e.to_string_lossy().into_owned()) else {
                continue;
            };
            let mut argv = Vec::new();
            if ext != "sh" {
                let runner = format!("run-{ext}.sh");
                if !pdir.join(&runner).is_file() {
                    continue;
                }
                argv.push(runner);
            }
            argv.push(name.clone());
            cases.push(parse_case(&prog, &pdir, &file, name, argv));
        }
    }
    Ok(cases)
}

fn parse_case(prog: &str, dir: &Path, file: &Path, name: String, mut argv: Vec<String>) -> Case {
    let mut case = Case {
        prog: prog.to_string(),
        dir: dir.to_path_buf(),
        file: name,
        argv: Vec::new(),
        timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
        stdin: Some(file.with_extension("stdin")).filter(|p| p.is_file()),
        needs: Vec::new(),
    };
    let text = fs::read_to_string(file).unwrap_or_default();
    for line in text.lines() {
        let body = if let Some(b) = line.strip_prefix("--") {
            b
        } else if let Some(b) = line.strip_prefix('#') {
            b
        } else {
            break;
        };
        let body = body.trim_start_matches(['#', '-']).trim();
        if let Some(rest) = body.strip_prefix("ARGS:") {
            argv.extend(shell_split(rest));
        } else if let Some(rest) = body.strip_prefix("TIMEOUT:") {
            if let Ok(s) = rest.trim().parse() {
                case.timeout = Duration::from_secs(s);
            }
        } else if let Some(rest) = body.strip_prefix("NEEDS:") {
            case.needs
                .extend(rest.split_whitespace().map(str::to_string));
        }
    }
    case.argv = argv;
    case
}

// ---------------------------------------------------------------------------------------
// Running one case

fn run_case(setup: &Setup, case: &Case) -> Result<(), Failed> {
    in_work_dir("lind-programs-suite-", |work| {
        run_case_in(setup, case, work)
    })
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in sorted_entries(from).map_err(|e| format!("cannot read {}: {e}", from.display()))? {
        let dest = to.join(entry.file_name().unwrap());
        if entry.is_dir() {
            copy_dir(&entry, &dest)?;
        } else {
            fs::copy(&entry, &dest).map_err(|e| format!("cannot copy {}: {e}", entry.display()))?;
        }
    }
    Ok(())
}

fn run_case_in(setup: &Setup, case: &Case, work: &Path) -> Result<(), Failed> {
    let src = setup.out.join(&case.prog).join("src");

    // Native: the host's dash, the natively built programs, then the native tools.
    let dir = work.join("native");
    copy_dir(&case.dir, &dir)?;
    let path = std::env::join_paths([
        setup.out.join("native/bin"),
        setup.native_tools.path().into(),
    ])
    .map_err(|e| format!("bad PATH: {e}"))?;
    let mut cmd = Command::new(&setup.native_dash);
    cmd.args(&case.argv)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", path)
        .env("SRC", &src)
        .env("HOME", HOME);
    let native = run_with_timeout(cmd, case.stdin.as_deref(), case.timeout, OUTPUT_CAP)?;
    if native.timed_out {
        return Err(format!(
            "native run timed out after {:?} (test defect?)\n--- native stderr ---\n{}",
            case.timeout,
            clip(&native.stderr, 2000)
        )
        .into());
    }

    // Lind: dash.wasm as /bin/sh, the lind-built programs and tools in /bin.
    let dir = work.join("lind");
    copy_dir(&case.dir, &dir)?;
    let bin = setup.out.join("root/bin");
    let mount = |host: &Path, guest: &str| {
        let mut m = OsString::from(host);
        m.push(format!(":{guest}:ro"));
        m
    };
    let mut cmd = Command::new(&setup.lind);
    cmd.arg("run")
        .arg("--root")
        .arg(&dir)
        .arg("--mount")
        .arg(mount(&bin, "/bin"));
    if src.is_dir() {
        cmd.arg("--mount").arg(mount(&src, "/src"));
    }
    cmd.args(["--env", "PATH=/bin", "--env", "SRC=/src", "--env"])
        .arg(format!("HOME={HOME}"))
        .arg("--")
        .arg(bin.join("sh"))
        .args(&case.argv)
        .current_dir(&dir);
    let lind = run_with_timeout(cmd, case.stdin.as_deref(), case.timeout, OUTPUT_CAP)?;

    compare_with_native(&native, &lind, case.timeout)
}
