//! Descriptor I/O: read/write and friends, seeking, dup, fcntl, ioctl.

use super::{Args, Ctx};
use crate::{
    fdtable::FdEntry,
    file::OpenFile,
    memory::{check_range, gather, iov_total, scatter, GuestMemoryExt},
    KResult,
};
use lind_abi::{flags::*, layout::iovec, Errno};
use std::sync::{atomic::Ordering, Arc};

/// Largest single host-side transfer; longer calls loop over chunks.
const CHUNK: usize = crate::file::GUEST_IO_MAX;
/// Linux's IOV_MAX.
const IOV_MAX: usize = 1024;

pub(crate) fn file(ctx: &Ctx, fd: i32) -> KResult<Arc<OpenFile>> {
    ctx.cage.fds.lock().get(fd)
}

/// Reads into guest memory. Regular files fill the whole request unless
/// EOF comes first; streams return what one read gives.
fn read_into(
    ctx: &mut Ctx,
    f: &OpenFile,
    addr: u64,
    len: usize,
    mut op: impl FnMut(&mut [u8], u64) -> KResult<usize>,
) -> KResult<usize> {
    check_range(ctx.mem, addr, len as u64)?;
    let mut buf = vec![0u8; len.min(CHUNK)];
    let mut done = 0usize;
    while done < len {
        let want = (len - done).min(CHUNK);
        let n = match op(&mut buf[..want], done as u64) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        ctx.mem.write(addr + done as u64, &buf[..n])?;
        done += n;
        if n < want || !f.file.seekable() {
            break;
        }
    }
    Ok(done)
}

fn write_from(
    ctx: &mut Ctx,
    f: &OpenFile,
    addr: u64,
    len: usize,
    mut op: impl FnMut(&[u8], u64) -> KResult<usize>,
) -> KResult<usize> {
    check_range(ctx.mem, addr, len as u64)?;
    let mut buf = vec![0u8; len.min(CHUNK)];
    let mut done = 0usize;
    loop {
        let want = (len - done).min(CHUNK);
        ctx.mem.read(addr + done as u64, &mut buf[..want])?;
        let n = match op(&buf[..want], done as u64) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += n;
        if done >= len || n < want || !f.file.seekable() {
            break;
        }
    }
    Ok(done)
}

pub fn read(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let (addr, len) = (a.ptr(1), a.size(2));
    if len > 0 && !f.file.seekable() {
        // Streams copy straight between their queue and guest memory.
        check_range(ctx.mem, addr, len as u64)?;
        return Ok(f.read_guest(ctx.mem, &[(addr, len)])? as i64);
    }
    let n = read_into(ctx, &f, addr, len, |b, _| f.read(b))?;
    Ok(n as i64)
}

/// A write to a pipe nobody reads also raises SIGPIPE, as on Linux.
fn sigpipe_on_epipe<T>(ctx: &Ctx, r: KResult<T>) -> KResult<T> {
    if r.as_ref().err() == Some(&Errno::EPIPE) {
        ctx.cage.post_signal(SIGPIPE);
    }
    r
}

pub fn write(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let (addr, len) = (a.ptr(1), a.size(2));
    if !f.file.seekable() {
        check_range(ctx.mem, addr, len as u64)?;
        let n = f.write_guest(&*ctx.mem, &[(addr, len)]);
        return Ok(sigpipe_on_epipe(ctx, n)? as i64);
    }
    let n = write_from(ctx, &f, addr, len, |b, _| f.write(b));
    Ok(sigpipe_on_epipe(ctx, n)? as i64)
}

pub fn pread64(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let off = a.i64(3);
    if off < 0 {
        return Err(Errno::EINVAL);
    }
    let n = read_into(ctx, &f, a.ptr(1), a.size(2), |b, done| {
        f.pread(b, off + done as i64)
    })?;
    Ok(n as i64)
}

pub fn pwrite64(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let off = a.i64(3);
    if off < 0 {
        return Err(Errno::EINVAL);
    }
    let n = write_from(ctx, &f, a.ptr(1), a.size(2), |b, done| {
        f.pwrite(b, off + done as i64)
    })?;
    Ok(n as i64)
}

/// Reads a guest iovec array as (address, length) pairs.
pub(crate) fn iovecs(ctx: &Ctx, addr: u64, count: i32) -> KResult<Vec<(u64, usize)>> {
    let count = usize::try_from(count).map_err(|_| Errno::EINVAL)?;
    if count > IOV_MAX {
        return Err(Errno::EINVAL);
    }
    let raw = ctx.mem.read_vec(addr, count * iovec::SIZE)?;
    let mut total: usize = 0;
    let v: Vec<(u64, usize)> = raw
        .chunks_exact(iovec::SIZE)
        .map(|c| {
            let base = u32::from_le_bytes(c[0..4].try_into().unwrap_or_default()) as u64;
            let len = u32::from_le_bytes(c[4..8].try_into().unwrap_or_default()) as usize;
            (base, len)
        })
        .collect();
    for &(base, len) in &v {
        total = total.checked_add(len).ok_or(Errno::EINVAL)?;
        check_range(ctx.mem, base, len as u64)?;
    }
    if total > isize::MAX as usize || total > i32::MAX as usize {
        return Err(Errno::EINVAL);
    }
    Ok(v)
}

pub fn readv(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let iov = iovecs(ctx, a.ptr(1), a.int(2))?;
    let total = iov_total(&iov);
    if total > 0 && !f.file.seekable() {
        // Streams scatter straight from their queue into the buffers.
        return Ok(f.read_guest(ctx.mem, &iov)? as i64);
    }
    // Files (streams took the path above): read until the vector is full
    // or at end of file, then scatter.
    let mut buf = vec![0u8; total];
    let mut n = 0;
    while n < total {
        let got = match f.read(&mut buf[n..]) {
            Ok(g) => g,
            Err(e) if n == 0 => return Err(e),
            Err(_) => break,
        };
        n += got;
        if got == 0 {
            break;
        }
    }
    scatter(ctx.mem, &iov, 0, &buf[..n])?;
    Ok(n as i64)
}

pub fn writev(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let iov = iovecs(ctx, a.ptr(1), a.int(2))?;
    if !f.file.seekable() {
        // One write of the whole vector: a pipe keeps a small one whole.
        let n = f.write_guest(&*ctx.mem, &iov);
        return Ok(sigpipe_on_epipe(ctx, n)? as i64);
    }
    // Files (streams took the path above): gathered, then written.
    let total = iov_total(&iov);
    let mut buf = Vec::with_capacity(total);
    gather(&*ctx.mem, &iov, 0, total, &mut buf)?;
    let mut n = 0;
    while n < buf.len() {
        let put = match f.write(&buf[n..]) {
            Ok(p) => p,
            Err(e) if n == 0 => return sigpipe_on_epipe(ctx, Err(e)),
            Err(_) => break,
        };
        n += put;
        if put == 0 {
            break;
        }
    }
    Ok(n as i64)
}

pub fn lseek(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let pos = f.seek(a.i64(1), a.uint(2))?;
    i64::try_from(pos).map_err(|_| Errno::EOVERFLOW)
}

pub fn close(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let entry = ctx.cage.fds.lock().remove(a.int(0))?;
    // The description (and maybe the file) is released here, outside the lock.
    ctx.kernel.close_entries(ctx.cage, vec![entry]);
    Ok(0)
}

/// fallocate(2), with Linux's checks in Linux's order before the file
/// system's own: the range, the open mode, then the kind of file.
pub fn fallocate(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (mode, offset, len) = (a.uint(1), a.i64(2), a.i64(3));
    let f = file(ctx, a.int(0))?;
    if offset < 0 || len <= 0 {
        return Err(Errno::EINVAL);
    }
    if !f.writable() {
        return Err(Errno::EBADF);
    }
    match f.file.stat()?.mode & S_IFMT {
        S_IFIFO => return Err(Errno::ESPIPE),
        S_IFDIR => return Err(Errno::EISDIR),
        S_IFREG | S_IFBLK => {}
        _ => return Err(Errno::ENODEV),
    }
    offset.checked_add(len).ok_or(Errno::EFBIG)?;
    f.file.allocate(mode, offset as u64, len as u64).map(|()| 0)
}

/// The advice posix_fadvise knows (POSIX_FADV_NORMAL..POSIX_FADV_NOREUSE).
const FADV_LAST: u32 = 5;

/// fadvise64: checked as Linux checks it; the advice itself is only a
/// hint, which lind's files (host page cache, memory) have no use for.
pub fn fadvise64(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (len, advice) = (a.i64(2), a.uint(3));
    let f = file(ctx, a.int(0))?;
    if f.file.stat()?.mode & S_IFMT == S_IFIFO {
        return Err(Errno::ESPIPE);
    }
    if advice > FADV_LAST || len < 0 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

const CLOSE_RANGE_UNSHARE: u32 = 1 << 1;
const CLOSE_RANGE_CLOEXEC: u32 = 1 << 2;

/// close_range(2): closes (or, with CLOSE_RANGE_CLOEXEC, marks
/// close-on-exec) every descriptor from `first` to `last`. A cage's threads
/// always share one table, so CLOSE_RANGE_UNSHARE is only taken from a
/// single-threaded cage, whose table nobody shares.
pub fn close_range(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (first, last, flags) = (a.uint(0), a.uint(1), a.uint(2));
    if flags & !(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) != 0 || first > last {
        return Err(Errno::EINVAL);
    }
    if flags & CLOSE_RANGE_UNSHARE != 0 && ctx.cage.thread_count() > 1 {
        return Err(Errno::EINVAL);
    }
    if flags & CLOSE_RANGE_CLOEXEC != 0 {
        ctx.cage.fds.lock().set_cloexec_range(first, last);
        return Ok(0);
    }
    let closed = ctx.cage.fds.lock().take_range(first, last);
    ctx.kernel.close_entries(ctx.cage, closed);
    Ok(0)
}

fn nofile(ctx: &Ctx) -> u64 {
    ctx.cage.rlimit(RLIMIT_NOFILE).0
}

/// Opens a new description for `file` at the lowest free descriptor
/// (EMFILE past RLIMIT_NOFILE).
pub(crate) fn install(
    ctx: &Ctx,
    file: Arc<dyn crate::file::FileLike>,
    status: u32,
    cloexec: bool,
) -> KResult<i32> {
    install_open(ctx, OpenFile::new(file, status, None), cloexec)
}

/// Installs an existing description (a received SCM_RIGHTS file).
pub(crate) fn install_open(ctx: &Ctx, file: Arc<OpenFile>, cloexec: bool) -> KResult<i32> {
    let limit = nofile(ctx);
    ctx.cage
        .fds
        .lock()
        .insert_lowest(FdEntry { file, cloexec }, 0, limit)
}

pub fn dup(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let limit = nofile(ctx);
    let mut fds = ctx.cage.fds.lock();
    let file = fds.get(a.int(0))?;
    fds.insert_lowest(
        FdEntry {
            file,
            cloexec: false,
        },
        0,
        limit,
    )
    .map(i64::from)
}

fn dup_onto(ctx: &mut Ctx, old: i32, new: i32, cloexec: bool) -> KResult<i64> {
    let limit = nofile(ctx);
    let replaced = {
        let mut fds = ctx.cage.fds.lock();
        let file = fds.get(old)?;
        fds.insert_at(new, FdEntry { file, cloexec }, limit)?
    };
    ctx.kernel
        .close_entries(ctx.cage, replaced.into_iter().collect());
    Ok(new as i64)
}

pub fn dup2(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (old, new) = (a.int(0), a.int(1));
    if old == new {
        ctx.cage.fds.lock().get(old)?;
        return Ok(new as i64);
    }
    dup_onto(ctx, old, new, false)
}

pub fn dup3(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (old, new, flags) = (a.int(0), a.int(1), a.uint(2));
    if old == new || flags & !O_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    dup_onto(ctx, old, new, flags & O_CLOEXEC != 0)
}

pub fn fcntl(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let fd = a.int(0);
    let cmd = a.uint(1);
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            let min = a.int(2);
            let limit = nofile(ctx);
            if min < 0 || min as u64 >= limit {
                return Err(Errno::EINVAL);
            }
            let mut fds = ctx.cage.fds.lock();
            let file = fds.get(fd)?;
            let entry = FdEntry {
                file,
                cloexec: cmd == F_DUPFD_CLOEXEC,
            };
            fds.insert_lowest(entry, min, limit).map(i64::from)
        }
        F_GETFD => Ok(ctx.cage.fds.lock().entry(fd)?.cloexec as i64),
        F_SETFD => {
            ctx.cage.fds.lock().entry_mut(fd)?.cloexec = a.uint(2) & FD_CLOEXEC != 0;
            Ok(0)
        }
        F_GETFL => Ok(file(ctx, fd)?.status() as i64),
        F_SETFL => {
            file(ctx, fd)?.set_status(a.uint(2));
            Ok(0)
        }
        F_GETLK | F_SETLK | F_SETLKW => super::lock::fcntl_lock(ctx, fd, cmd, a.ptr(2)),
        F_GETOWN => {
            file(ctx, fd)?;
            Ok(0)
        }
        // Linux answers EBADF for a file that is not a pipe.
        F_GETPIPE_SZ => {
            let f = file(ctx, fd)?;
            let pipe = f.file.as_pipe().ok_or(Errno::EBADF)?;
            Ok(pipe.capacity() as i64)
        }
        F_SETPIPE_SZ => {
            let f = file(ctx, fd)?;
            let pipe = f.file.as_pipe().ok_or(Errno::EBADF)?;
            let privileged = ctx.cage.cred.lock().euid == 0;
            // The argument is an `unsigned int` on Linux.
            pipe.set_capacity(u64::from(a.uint(2)), privileged)
                .map(|c| c as i64)
        }
        F_GET_SEALS => file(ctx, fd)?.file.seals().map(i64::from),
        // Linux's order: a file without seals, unknown bits (EINVAL), then
        // an open file description not open for writing (EPERM).
        F_ADD_SEALS => {
            let f = file(ctx, fd)?;
            f.file.seals()?;
            let seals = a.uint(2);
            let known = F_SEAL_SEAL
                | F_SEAL_SHRINK
                | F_SEAL_GROW
                | F_SEAL_WRITE
                | F_SEAL_FUTURE_WRITE
                | F_SEAL_EXEC;
            if seals & !known != 0 {
                return Err(Errno::EINVAL);
            }
            if !f.writable() {
                return Err(Errno::EPERM);
            }
            f.file.add_seals(seals).map(|()| 0)
        }
        _ => {
            file(ctx, fd)?;
            Err(Errno::EINVAL)
        }
    }
}

pub fn ioctl(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let fd = a.int(0);
    let req = a.uint(1);
    let arg = a.ptr(2);
    match req {
        FIOCLEX | FIONCLEX => {
            ctx.cage.fds.lock().entry_mut(fd)?.cloexec = req == FIOCLEX;
            Ok(0)
        }
        FIONBIO => {
            let f = file(ctx, fd)?;
            let on = ctx.mem.read_u32(arg)? != 0;
            let st = f.status();
            f.set_status(if on {
                st | O_NONBLOCK
            } else {
                st & !O_NONBLOCK
            });
            Ok(0)
        }
        TIOCGPGRP | TIOCSPGRP => {
            let f = file(ctx, fd)?;
            if !f.file.is_terminal() {
                return Err(Errno::ENOTTY);
            }
            if req == TIOCGPGRP {
                let pgrp = ctx.kernel.foreground.load(Ordering::Relaxed);
                ctx.mem.write(arg, &pgrp.to_le_bytes())?;
                return Ok(0);
            }
            let pgrp = ctx.mem.read_u32(arg)? as i32;
            if pgrp <= 0 {
                return Err(Errno::EINVAL);
            }
            // The group must exist in the caller's session.
            let session = ctx.cage.sid.load(Ordering::Relaxed);
            let exists = ctx.kernel.all_cages().iter().any(|c| {
                c.pgid.load(Ordering::Relaxed) == pgrp && c.sid.load(Ordering::Relaxed) == session
            });
            if !exists {
                return Err(Errno::EPERM);
            }
            ctx.kernel.foreground.store(pgrp, Ordering::Relaxed);
            Ok(0)
        }
        FIONREAD => {
            let f = file(ctx, fd)?;
            let n = f.file.bytes_available()?;
            ctx.mem.write_u32(arg, n.min(i32::MAX as u64) as u32)?;
            Ok(0)
        }
        _ => {
            let f = file(ctx, fd)?;
            f.file.ioctl(req, arg, ctx.mem)
        }
    }
}

pub fn fsync(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    file(ctx, a.int(0))?.file.sync()?;
    Ok(0)
}

pub fn ftruncate(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    let len = u64::try_from(a.i64(1)).map_err(|_| Errno::EINVAL)?;
    if !f.writable() {
        return Err(Errno::EINVAL);
    }
    f.file.truncate(len)?;
    Ok(0)
}
