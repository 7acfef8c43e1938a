//! `--trace`: one strace-like line per syscall on stderr.

use super::{table::Arg, Args, Ctx, SyscallDef};
use crate::{memory::GuestMemoryExt, KResult};
use lind_abi::{flags::*, Errno};
use std::fmt::Write;

fn escape(bytes: &[u8], max: usize) -> String {
    let mut s = String::from("\"");
    for &b in bytes.iter().take(max) {
        match b {
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\x{b:02x}");
            }
        }
    }
    s.push('"');
    if bytes.len() > max {
        s.push_str("...");
    }
    s
}

fn open_flags(f: u32) -> String {
    let mut parts = vec![match f & O_ACCMODE {
        O_RDONLY => "O_RDONLY",
        O_WRONLY => "O_WRONLY",
        _ => "O_RDWR",
    }
    .to_string()];
    for (bit, name) in [
        (O_CREAT, "O_CREAT"),
        (O_EXCL, "O_EXCL"),
        (O_NOCTTY, "O_NOCTTY"),
        (O_TRUNC, "O_TRUNC"),
        (O_APPEND, "O_APPEND"),
        (O_NONBLOCK, "O_NONBLOCK"),
        (O_DIRECTORY, "O_DIRECTORY"),
        (O_NOFOLLOW, "O_NOFOLLOW"),
        (O_CLOEXEC, "O_CLOEXEC"),
        (O_PATH, "O_PATH"),
    ] {
        if f & bit == bit {
            parts.push(name.into());
        }
    }
    parts.join("|")
}

/// Whether `--trace=LIST` asked for this call (an empty list means all).
pub fn selected(config: &crate::KernelConfig, nr: u64, def: Option<&SyscallDef>) -> bool {
    if config.trace_only.is_empty() {
        return true;
    }
    let name = def
        .map(|d| d.name)
        .or_else(|| super::table::linux_name(nr))
        .unwrap_or("");
    config.trace_only.iter().any(|n| n == name)
}

/// Renders `name(arg, …)` before the call runs (so input strings are shown
/// as the guest passed them).
pub fn format_call(ctx: &Ctx, nr: u64, def: Option<&SyscallDef>, args: &Args) -> String {
    let Some(def) = def else {
        let name = super::table::linux_name(nr).unwrap_or("syscall");
        return format!(
            "{name}({:#x}, {:#x}, {:#x}, ...)",
            args.0[0], args.0[1], args.0[2]
        );
    };
    let mut out = format!("{}(", def.name);
    for (i, kind) in def.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let v = args.0[i];
        let piece = match kind {
            Arg::DirFd if args.int(i) == AT_FDCWD => "AT_FDCWD".to_string(),
            Arg::Fd | Arg::DirFd | Arg::Int | Arg::Signal => args.int(i).to_string(),
            Arg::UInt | Arg::Size => args.ptr(i).to_string(),
            Arg::Off => args.i64(i).to_string(),
            Arg::Hex | Arg::Ptr | Arg::OutBuf => format!("{:#x}", args.ptr(i)),
            Arg::Mode => format!("{:#o}", args.uint(i)),
            Arg::OpenFlags => open_flags(args.uint(i)),
            Arg::Path => match ctx.mem.read_cstr(args.ptr(i), 4096, Errno::ENAMETOOLONG) {
                Ok(p) => escape(&p, 256),
                Err(_) => format!("{:#x}", v),
            },
            Arg::InBuf => {
                let len = args.size(i + 1).min(32);
                match ctx.mem.read_vec(args.ptr(i), len) {
                    Ok(b) => {
                        let mut s = escape(&b, 32);
                        if args.size(i + 1) > 32 && !s.ends_with("...") {
                            s.push_str("...");
                        }
                        s
                    }
                    Err(_) => format!("{:#x}", args.ptr(i)),
                }
            }
        };
        out.push_str(&piece);
    }
    out.push(')');
    out
}

pub fn print_result(
    ctx: &Ctx,
    _def: Option<&SyscallDef>,
    _args: &Args,
    call: String,
    result: &KResult<i64>,
    exiting: bool,
) {
    let pid = ctx.cage.pid;
    if exiting {
        eprintln!("[{pid}] {call} = ?");
        return;
    }
    match result {
        Ok(v) => eprintln!("[{pid}] {call} = {v}"),
        Err(e) => eprintln!("[{pid}] {call} = -1 {}", e.name()),
    }
}
