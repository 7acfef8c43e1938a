//! `lind run`: one cage from a module file, with the host's stdio.

use anyhow::{bail, Context};
use cap_std::{ambient_authority, fs::Dir};
use clap::Args;
use lind_kernel::{
    cage::Cred, host::SystemHost, inet::NetPolicy, stdio::host_stdio, Kernel, KernelConfig,
};
use lind_runtime::{Runtime, RuntimeOptions, CAGE_THREAD_STACK};
use std::io::IsTerminal;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;

/// Set by `main` to "0" unless the user set it (see there).
pub const LIB_BACKTRACE: &str = "RUST_LIB_BACKTRACE";
/// Whether lind set [`LIB_BACKTRACE`] itself, so `--inherit-env` leaves it out.
pub static LIB_BACKTRACE_SET_BY_LIND: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

#[derive(Args)]
pub struct RunArgs {
    /// Host directory that is the cage's `/` (confined; default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Set an environment variable in the cage (repeatable).
    #[arg(long = "env", value_name = "K=V")]
    env: Vec<String>,
    /// Pass lind's own environment to the cage (before any --env).
    #[arg(long)]
    inherit_env: bool,
    /// Mount a host directory into the cage: HOST:GUEST or HOST:GUEST:ro (repeatable).
    #[arg(long = "mount", value_name = "HOST:GUEST[:ro]")]
    mounts: Vec<String>,
    /// Print every syscall (strace-like) on stderr, or only those listed
    /// (`--trace=open,read,fork`), for every cage with its pid; with all
    /// calls or `--trace=maps`, also each cage's /proc/<pid>/maps at exit.
    #[arg(long, value_name = "SYSCALLS", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    trace: Option<String>,
    /// Most cages alive at once; fork fails with EAGAIN beyond it.
    #[arg(long, value_name = "N", default_value_t = 512)]
    max_procs: usize,
    /// Most memory each cage may have (its whole linear memory), e.g. 64M
    /// or 1G: mmap, brk and mremap fail with ENOMEM beyond it (malloc
    /// returns NULL). Also every cage's RLIMIT_AS, soft and hard.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Let a native debugger see the C program: `gdb --args lind run --debug
    /// prog.wasm` (build it with `lind cc -g -O0` for the best results).
    #[arg(long)]
    debug: bool,
    /// Network policy for AF_INET/AF_INET6 sockets: `loopback` (default:
    /// 127.0.0.1 and ::1 only), `host` (everything the host allows) or
    /// `none` (no IP sockets, EACCES).
    #[arg(long, value_name = "POLICY", default_value = "loopback", value_parser = parse_net)]
    net: NetPolicy,
    /// Do not read or write the compiled-module cache.
    #[arg(long)]
    no_cache: bool,
    /// The module built by `lind cc`.
    module: PathBuf,
    /// Arguments for the program.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<std::ffi::OsString>,
}

fn parse_net(s: &str) -> Result<NetPolicy, String> {
    match s {
        "loopback" => Ok(NetPolicy::Loopback),
        "host" => Ok(NetPolicy::Host),
        "none" => Ok(NetPolicy::None),
        _ => Err(format!(
            "unknown network policy `{s}` (use loopback, host or none)"
        )),
    }
}

/// A byte count with an optional K, M or G suffix (powers of 1024), at
/// least one 64 KiB wasm page and at most the 4 GiB a wasm32 memory has.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("`{s}`: expected a size such as 64M or 1G")),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}`: expected a size such as 64M or 1G"))?;
    let bytes = n
        .checked_mul(1 << shift)
        .filter(|b| (lind_abi::WASM_PAGE..=1 << 32).contains(b))
        .ok_or_else(|| format!("`{s}`: must be between 64K and 4G"))?;
    Ok(bytes)
}

fn wasm_error(e: lind_runtime::Error) -> anyhow::Error {
    anyhow::anyhow!("{e:#}")
}

fn open_dir(path: &std::path::Path, what: &str) -> anyhow::Result<Dir> {
    Dir::open_ambient_dir(path, ambient_authority())
        .with_context(|| format!("cannot open {what} directory {}", path.display()))
}

fn parse_mount(spec: &str) -> anyhow::Result<(Vec<u8>, Dir, bool)> {
    let mut parts = spec.splitn(3, ':');
    let (host, guest) = match (parts.next(), parts.next()) {
        (Some(h), Some(g)) if !h.is_empty() && g.starts_with('/') => (h, g),
        _ => bail!("--mount {spec}: expected HOST:GUEST[:ro] with an absolute GUEST path"),
    };
    let ro = match parts.next() {
        None => false,
        Some("ro") => true,
        Some("rw") => false,
        Some(other) => bail!("--mount {spec}: unknown option `{other}` (use ro or rw)"),
    };
    Ok((
        guest.as_bytes().to_vec(),
        open_dir(host.as_ref(), "mount")?,
        ro,
    ))
}

pub fn main(args: RunArgs) -> anyhow::Result<i32> {
    let root = open_dir(&args.root, "root")?;
    let mounts = args
        .mounts
        .iter()
        .map(|m| parse_mount(m))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut envp: Vec<Vec<u8>> = Vec::new();
    if args.inherit_env {
        let ours = LIB_BACKTRACE_SET_BY_LIND.load(std::sync::atomic::Ordering::Relaxed);
        for (k, v) in std::env::vars_os() {
            if ours && k == LIB_BACKTRACE {
                continue; // lind's own setting, not the user's
            }
            envp.push([k.as_bytes(), b"=", v.as_bytes()].concat());
        }
    }
    for kv in &args.env {
        if !kv.contains('=') {
            bail!("--env {kv}: expected K=V");
        }
        let key = &kv.as_bytes()[..=kv.find('=').unwrap_or(0)];
        envp.retain(|e| !e.starts_with(key));
        envp.push(kv.as_bytes().to_vec());
    }
    let mut argv = vec![args.module.as_os_str().as_bytes().to_vec()];
    argv.extend(args.args.iter().map(|a| a.as_bytes().to_vec()));

    let runtime = Runtime::new(RuntimeOptions {
        cache_dir: if args.no_cache {
            None
        } else {
            RuntimeOptions::default().cache_dir
        },
        debug: args.debug,
    })
    .map_err(wasm_error)?;
    let module = runtime.load(&args.module).map_err(wasm_error)?;

    let host: Arc<SystemHost> = Arc::new(SystemHost::new());
    let vfs =
        lind_kernel::vfs::standard_vfs(root, mounts, host.clone(), std::io::stdin().is_terminal());
    let kernel = Kernel::new(
        vfs,
        host,
        KernelConfig {
            trace: args.trace.is_some(),
            trace_only: args
                .trace
                .iter()
                .flat_map(|list| list.split(','))
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
            max_procs: args.max_procs.max(1),
            net: args.net,
            max_memory: args.max_memory,
            ..KernelConfig::default()
        },
    );
    let cage = kernel.spawn_init(argv, envp, Cred::from_host(), host_stdio());
    lind_runtime::forward_host_signals(&kernel).context("cannot watch the host's signals")?;
    // The cage runs on a thread with room for deep wasm recursion. Like a
    // pipeline reading its output, lind run ends when the last cage does
    // (orphans included), with the first cage's status.
    let waiter = kernel.clone();
    let end = std::thread::Builder::new()
        .name(format!("cage-{}", cage.pid))
        .stack_size(CAGE_THREAD_STACK)
        .spawn(move || runtime.run(kernel, cage, &module))
        .context("cannot start the cage thread")?
        .join()
        .map_err(|_| anyhow::anyhow!("the cage thread panicked (a lind bug)"))?
        .map_err(wasm_error)?;
    if let Some(report) = end.report {
        eprintln!("{report}");
    }
    waiter.wait_all_exited();
    Ok(end.status.host_code())
}
