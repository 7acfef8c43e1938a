//! pipe and pipe2.

use super::{Args, Ctx};
use crate::{fdtable::FdEntry, file::OpenFile, pipe::Pipe, KResult};
use lind_abi::{flags::*, Errno};

pub fn pipe(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    make(ctx, a.ptr(0), 0)
}

pub fn pipe2(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    make(ctx, a.ptr(0), a.uint(1))
}

fn make(ctx: &mut Ctx, out: u64, flags: u32) -> KResult<i64> {
    if flags & !(O_CLOEXEC | O_NONBLOCK | O_DIRECT) != 0 {
        return Err(Errno::EINVAL);
    }
    // Check the destination before creating anything.
    crate::memory::check_range(ctx.mem, out, 8)?;
    let (r, w) = Pipe::new_pair();
    let status = flags & O_NONBLOCK;
    let cloexec = flags & O_CLOEXEC != 0;
    let limit = ctx.cage.rlimit(RLIMIT_NOFILE).0;
    let (rfd, wfd) = {
        let mut fds = ctx.cage.fds.lock();
        let rfd = fds.insert_lowest(
            FdEntry {
                file: OpenFile::new(r, O_RDONLY | status, None),
                cloexec,
            },
            0,
            limit,
        )?;
        match fds.insert_lowest(
            FdEntry {
                file: OpenFile::new(w, O_WRONLY | status, None),
                cloexec,
            },
            0,
            limit,
        ) {
            Ok(wfd) => (rfd, wfd),
            Err(e) => {
                let _ = fds.remove(rfd);
                return Err(e);
            }
        }
    };
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&rfd.to_le_bytes());
    b[4..].copy_from_slice(&wfd.to_le_bytes());
    if let Err(e) = ctx.mem.write(out, &b) {
        let mut fds = ctx.cage.fds.lock();
        let _ = fds.remove(rfd);
        let _ = fds.remove(wfd);
        return Err(e);
    }
    Ok(0)
}
