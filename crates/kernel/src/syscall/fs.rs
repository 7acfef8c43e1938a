//! File-system syscalls: names, metadata, directories. (Being written.)

use super::{Args, Ctx};
use crate::KResult;
use lind_abi::Errno;

pub fn access(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn chdir(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn chmod(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn chown(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn creat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn faccessat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn faccessat2(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn fchdir(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn fchmod(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn fchmodat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn fchown(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn fchownat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn fstat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn getcwd(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn getdents64(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn lchown(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn link(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn linkat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn lstat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn mkdir(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn mkdirat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn newfstatat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn open(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn openat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn readlink(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn readlinkat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn rename(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn renameat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn renameat2(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn rmdir(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn stat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn statx(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn symlink(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn symlinkat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn truncate(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn umask(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn unlink(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn unlinkat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}

pub fn utimensat(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Err(Errno::ENOSYS)
}
