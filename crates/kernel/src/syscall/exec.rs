//! execve: find the new program (following `#!` lines as Linux does) and
//! hand it to the runtime, which loads it into the same cage.

use super::{
    fs::{open_path, stat_path},
    io::file,
    Args, Ctx,
};
use crate::{file::OpenFile, memory::GuestMemoryExt, vfs::PATH_MAX, Cage, KResult, Kernel};
use lind_abi::{flags::*, layout::Stat, Errno};

/// What the runtime needs to replace the cage's program.
#[derive(Clone, Debug)]
pub struct ExecImage {
    pub module: Vec<u8>,
    pub argv: Vec<Vec<u8>>,
    pub envp: Vec<Vec<u8>>,
}

/// Linux's limit on argument plus environment size for one exec (with an
/// 8 MiB stack): a quarter of the stack.
pub const ARG_MAX: usize = 2 << 20;
/// Interpreter lines longer than this are cut, as Linux's BINPRM_BUF_SIZE.
const SHEBANG_MAX: usize = 256;
/// `#!` scripts may name interpreters that are scripts, this deep.
const MAX_INTERPRETER_DEPTH: usize = 4;
/// Refuse modules larger than this rather than exhaust host memory.
const MODULE_MAX: i64 = 512 << 20;

fn string_array(ctx: &Ctx, addr: u64, total: &mut usize) -> KResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    for i in 0.. {
        let p = ctx.mem.read_u32(addr + 4 * i)? as u64;
        if p == 0 {
            break;
        }
        let s = ctx.mem.read_cstr(p, ARG_MAX, Errno::E2BIG)?;
        *total += s.len() + 1 + 4;
        if *total > ARG_MAX {
            return Err(Errno::E2BIG);
        }
        out.push(s);
    }
    Ok(out)
}

/// Reads the program at `path`, following `#!` interpreters.
pub fn load(
    kernel: &Kernel,
    cage: &Cage,
    dirfd: i32,
    path: &[u8],
    argv: Vec<Vec<u8>>,
    depth: usize,
) -> KResult<(Vec<u8>, Vec<Vec<u8>>)> {
    // Checked before the open: opening a FIFO would wait.
    let st = executable(stat_path(kernel, cage, dirfd, path, true)?)?;
    let file = open_path(kernel, cage, dirfd, path, O_RDONLY, 0)?;
    load_file(kernel, cage, &file, st, path, argv, depth)
}

/// `st` if it is a regular file someone may execute, else EACCES.
fn executable(st: Stat) -> KResult<Stat> {
    if st.mode & S_IFMT != S_IFREG || st.mode & 0o111 == 0 {
        return Err(Errno::EACCES);
    }
    Ok(st)
}

/// [`load`] of a file already open, whose `st` passed [`executable`]
/// (`path` names it to a `#!` interpreter).
fn load_file(
    kernel: &Kernel,
    cage: &Cage,
    file: &OpenFile,
    st: Stat,
    path: &[u8],
    argv: Vec<Vec<u8>>,
    depth: usize,
) -> KResult<(Vec<u8>, Vec<Vec<u8>>)> {
    let mut head = [0u8; SHEBANG_MAX];
    let n = file.pread(&mut head, 0)?;
    let head = &head[..n];
    if let Some(line) = head.strip_prefix(b"#!") {
        if depth >= MAX_INTERPRETER_DEPTH {
            return Err(Errno::ELOOP);
        }
        let line = &line[..line.iter().position(|&c| c == b'\n').unwrap_or(line.len())];
        let line = trim(line);
        let split = line
            .iter()
            .position(|c| c.is_ascii_whitespace())
            .unwrap_or(line.len());
        let (interp, rest) = (&line[..split], trim(&line[split..]));
        if interp.is_empty() {
            return Err(Errno::ENOEXEC);
        }
        let mut new_argv = vec![interp.to_vec()];
        if !rest.is_empty() {
            new_argv.push(rest.to_vec());
        }
        new_argv.push(path.to_vec());
        new_argv.extend(argv.into_iter().skip(1));
        return load(kernel, cage, AT_FDCWD, interp, new_argv, depth + 1);
    }
    if !head.starts_with(b"\0asm") {
        return Err(Errno::ENOEXEC);
    }
    if st.size > MODULE_MAX {
        return Err(Errno::ENOMEM);
    }
    let mut module = vec![0u8; st.size as usize];
    let mut got = 0;
    while got < module.len() {
        let k = file.pread(&mut module[got..], got as i64)?;
        if k == 0 {
            break;
        }
        got += k;
    }
    module.truncate(got);
    Ok((module, argv))
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

fn exec(
    ctx: &mut Ctx,
    dirfd: i32,
    path_addr: u64,
    argv_addr: u64,
    envp_addr: u64,
    flags: u32,
) -> KResult<i64> {
    if flags & !(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = ctx
        .mem
        .read_cstr(path_addr, PATH_MAX, Errno::ENAMETOOLONG)?;
    let empty_path = path.is_empty() && flags & AT_EMPTY_PATH != 0;
    if path.is_empty() && !empty_path {
        return Err(Errno::ENOENT);
    }
    if flags & AT_SYMLINK_NOFOLLOW != 0 && !empty_path {
        let st = stat_path(ctx.kernel, ctx.cage, dirfd, &path, false)?;
        if st.mode & S_IFMT == S_IFLNK {
            return Err(Errno::ELOOP);
        }
    }
    let mut total = 0;
    let argv = string_array(ctx, argv_addr, &mut total)?;
    let envp = string_array(ctx, envp_addr, &mut total)?;
    let (module, argv) = if empty_path {
        // fexecve: the program is the open file itself; a script's
        // interpreter is given it as /dev/fd/N, as on Linux.
        let file = file(ctx, dirfd)?;
        let name = format!("/dev/fd/{dirfd}").into_bytes();
        load_file(
            ctx.kernel,
            ctx.cage,
            &file,
            executable(file.file.stat()?)?,
            &name,
            argv,
            0,
        )?
    } else {
        load(ctx.kernel, ctx.cage, dirfd, &path, argv, 0)?
    };
    ctx.exec = Some(ExecImage { module, argv, envp });
    Ok(0)
}

pub fn execve(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    exec(ctx, AT_FDCWD, a.ptr(0), a.ptr(1), a.ptr(2), 0)
}

pub fn execveat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    exec(ctx, a.int(0), a.ptr(1), a.ptr(2), a.ptr(3), a.uint(4))
}
