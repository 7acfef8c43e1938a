//! What `lind cc` instruments with Asyncify: a program that starts other
//! programs only through system(), popen() and posix_spawn() gets no
//! instrumentation at all (posix_spawn's child starts at an entry point of
//! its own, see libc's posix_spawn.c), while one that forks still does.

use std::path::{Path, PathBuf};
use std::process::Command;

fn lind() -> PathBuf {
    std::env::var_os("LIND_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_lind").into())
        .into()
}

/// Builds `source` with `lind cc -O2` and says whether Asyncify ran.
fn instrumented(dir: &Path, name: &str, source: &str) -> bool {
    let c = dir.join(format!("{name}.c"));
    let out = dir.join(format!("{name}.wasm"));
    std::fs::write(&c, source).unwrap();
    let status = Command::new(lind())
        .args(["cc", "-O2", "-o"])
        .arg(&out)
        .arg(&c)
        .status()
        .expect("run lind cc");
    assert!(status.success(), "lind cc {name}.c");
    let bytes = std::fs::read(&out).unwrap();
    bytes
        .windows(b"asyncify_start_unwind".len())
        .any(|w| w == b"asyncify_start_unwind")
}

const SPAWNS: &str = r#"
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
extern char **environ;
int main(void)
{
    int r = system("true");
    FILE *f = popen("echo hi", "r");
    if (f)
        pclose(f);
    pid_t pid;
    char *argv[] = {"true", 0};
    if (posix_spawnp(&pid, "true", 0, 0, argv, environ) == 0)
        waitpid(pid, 0, 0);
    if (posix_spawn(&pid, "/bin/true", 0, 0, argv, environ) == 0)
        waitpid(pid, 0, 0);
    return r;
}
"#;

const FORKS: &str = r#"
#include <unistd.h>
#include <sys/wait.h>
int main(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, 0, 0);
    return 0;
}
"#;

#[test]
fn spawning_needs_no_asyncify_but_fork_does() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        !instrumented(dir.path(), "spawns", SPAWNS),
        "system/popen/posix_spawn should not reach __lind_syscall_unwinding"
    );
    assert!(
        instrumented(dir.path(), "forks", FORKS),
        "fork must still be instrumented"
    );
}
