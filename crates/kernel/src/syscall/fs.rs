//! File-system syscalls: names, metadata, directories.
//!
//! Each handler reads its arguments, turns the path into an absolute guest
//! path ([`abs_path`]: lexical unless it has `..`, which is walked
//! physically), picks the mount (`Vfs::resolve`) and calls the file system
//! or open file. Owner rules for chmod/chown/utimensat live here, once
//! for every file system; access to names is each file system's.

use super::{io::file, Args, Ctx};
use crate::{
    cage::{Cage, Cred},
    fdtable::FdEntry,
    file::{OpenFile, TimeSpec},
    memory::{check_range, GuestMemoryExt},
    vfs::{dev_split, normalize, permitted, Mount, PATH_MAX},
    KResult, Kernel,
};
use lind_abi::{
    flags::*,
    layout::{dirent64, statx as sx, Stat, Timespec},
    Errno,
};
use std::sync::Arc;

/// `statx` mask bits that are reserved (EINVAL).
const STATX_RESERVED: u32 = 0x8000_0000;

/// Reads a path argument: NULL and unmapped pointers are EFAULT, paths of
/// PATH_MAX bytes or more ENAMETOOLONG.
fn path_arg(ctx: &Ctx, addr: u64) -> KResult<Vec<u8>> {
    if addr == 0 {
        return Err(Errno::EFAULT);
    }
    ctx.mem.read_cstr(addr, PATH_MAX - 1, Errno::ENAMETOOLONG)
}

/// `a/b/` names a directory: Linux then follows a final symlink and wants a
/// directory.
fn trailing_slash(path: &[u8]) -> bool {
    path.len() > 1 && path.ends_with(b"/")
}

/// The last component as written (`.` and `..` have rules of their own).
fn last_component(path: &[u8]) -> &[u8] {
    let mut end = path.len();
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    let p = &path[..end];
    match p.iter().rposition(|&c| c == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// Where a path lands: its absolute guest path, the mount, and the path
/// inside that mount.
struct Loc<'k> {
    abs: Vec<u8>,
    mount: &'k Mount,
    rel: Vec<u8>,
}

fn locate<'k>(kernel: &'k Kernel, cage: &Cage, dirfd: i32, path: &[u8]) -> KResult<Loc<'k>> {
    let abs = abs_path(kernel, cage, dirfd, path)?;
    locate_abs(kernel, abs)
}

/// The absolute guest path `path` names. Paths without `..` are joined
/// lexically (the file system follows their symlinks); in one with `..`,
/// everything up to the last `..` is walked physically
/// ([`crate::vfs::Vfs::physical`]), so `link/..` is the parent of where
/// `link` leads, as on Linux.
pub fn abs_path(kernel: &Kernel, cage: &Cage, dirfd: i32, path: &[u8]) -> KResult<Vec<u8>> {
    let parts: Vec<&[u8]> = path.split(|&c| c == b'/').collect();
    let Some(last_up) = parts.iter().rposition(|c| *c == b"..") else {
        return kernel.abs_path(cage, dirfd, path);
    };
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let base = if path.first() == Some(&b'/') {
        Vec::new()
    } else {
        kernel.abs_path(cage, dirfd, b".")?
    };
    let head = parts[..=last_up].join(&b'/');
    let dir = kernel.vfs.physical(&[&base[..], b"/", &head].concat())?;
    let tail = parts[last_up + 1..].join(&b'/');
    if tail.iter().all(|&c| c == b'/') {
        return Ok(dir);
    }
    normalize(&dir, &tail)
}

fn locate_abs(kernel: &Kernel, abs: Vec<u8>) -> KResult<Loc<'_>> {
    let (mount, rel) = kernel.vfs.resolve(&abs)?;
    Ok(Loc { abs, mount, rel })
}

/// `abs` with its symlinks resolved by the VFS (the last component's only
/// if `follow`), or `None` if that changes nothing.
fn walked<'k>(kernel: &'k Kernel, abs: &[u8], follow: bool) -> KResult<Option<Loc<'k>>> {
    let new = if follow {
        kernel.vfs.physical(abs)?
    } else {
        let i = abs.iter().rposition(|&c| c == b'/').unwrap_or(0);
        let name = &abs[i + 1..];
        if name.is_empty() {
            return Ok(None);
        }
        normalize(&kernel.vfs.physical(&abs[..i.max(1)])?, name)?
    };
    if new == abs {
        return Ok(None);
    }
    locate_abs(kernel, new).map(Some)
}

/// Runs `op` at `loc`. A host directory does not follow an absolute
/// symlink, or a relative one climbing out of it: it answers EACCES. Then
/// the path is walked by the VFS instead ([`crate::vfs::Vfs::physical`]:
/// absolute targets from the cage's root, across mounts, `..` stopping at
/// `/`) and `op` runs once more there, so symlinks behave as under chroot
/// while every access still goes through the confined file system.
/// Returns `op`'s value and where it ran.
fn retry<'k, T>(
    kernel: &'k Kernel,
    loc: Loc<'k>,
    follow: bool,
    op: impl Fn(&Loc<'k>) -> KResult<T>,
) -> KResult<(T, Loc<'k>)> {
    match op(&loc) {
        Ok(v) => Ok((v, loc)),
        Err(Errno::EACCES) => match walked(kernel, &loc.abs, follow)? {
            Some(l) => Ok((op(&l)?, l)),
            None => Err(Errno::EACCES),
        },
        Err(e) => Err(e),
    }
}

/// [`retry`] at `path` relative to `dirfd`.
fn at_path<'k, T>(
    kernel: &'k Kernel,
    cage: &Cage,
    dirfd: i32,
    path: &[u8],
    follow: bool,
    op: impl Fn(&Loc<'k>) -> KResult<T>,
) -> KResult<(T, Loc<'k>)> {
    retry(kernel, locate(kernel, cage, dirfd, path)?, follow, op)
}

/// [`retry`] for calls naming two paths (rename, link): if `op` says
/// EACCES, both are walked (without following their last components).
fn retry2<'k>(
    kernel: &'k Kernel,
    a: &Loc<'k>,
    b: &Loc<'k>,
    op: impl Fn(&Loc<'k>, &Loc<'k>) -> KResult<()>,
) -> KResult<()> {
    match op(a, b) {
        Err(Errno::EACCES) => {
            let (a2, b2) = (
                walked(kernel, &a.abs, false)?,
                walked(kernel, &b.abs, false)?,
            );
            if a2.is_none() && b2.is_none() {
                return Err(Errno::EACCES);
            }
            op(a2.as_ref().unwrap_or(a), b2.as_ref().unwrap_or(b))
        }
        r => r,
    }
}

fn nofile(ctx: &Ctx) -> u64 {
    ctx.cage.rlimit(RLIMIT_NOFILE).0
}

fn is_dir(st: &Stat) -> bool {
    st.mode & S_IFMT == S_IFDIR
}

/// The credentials `access` checks with: the real ids unless AT_EACCESS.
fn access_cred(cage: &Cage, effective: bool) -> Cred {
    let mut cred = cage.cred();
    if !effective {
        cred.euid = cred.uid;
        cred.egid = cred.gid;
    }
    cred
}

// ---------------------------------------------------------------- open

/// Opens `path` (relative to `dirfd`) as `open(2)` would, without taking a
/// descriptor: for `exec`, `bind` and anything else that needs a file by
/// name. `mode` is the caller's; the cage's umask is applied here.
pub fn open_path(
    kernel: &Kernel,
    cage: &Cage,
    dirfd: i32,
    path: &[u8],
    flags: u32,
    mode: u32,
) -> KResult<Arc<OpenFile>> {
    if flags & O_TMPFILE == O_TMPFILE {
        return Err(Errno::EOPNOTSUPP);
    }
    if flags & (O_CREAT | O_DIRECTORY) == O_CREAT | O_DIRECTORY {
        return Err(Errno::EINVAL);
    }
    let mut fs_flags = flags;
    if trailing_slash(path) {
        if flags & O_CREAT != 0 {
            return Err(Errno::EISDIR);
        }
        fs_flags |= O_DIRECTORY;
    }
    let mode = if flags & O_CREAT != 0 {
        mode & 0o7777 & !cage.umask()
    } else {
        0
    };
    // O_CREAT|O_EXCL never follows a final symlink; O_NOFOLLOW refuses one.
    let follow = flags & O_NOFOLLOW == 0 && flags & (O_CREAT | O_EXCL) != O_CREAT | O_EXCL;
    let cred = cage.cred();
    // File systems refuse to open special files (ENXIO); a FIFO's opens
    // meet in the kernel instead, once the lookup is done.
    let (opened, loc) = at_path(kernel, cage, dirfd, path, follow, |l| {
        match l.mount.fs.open(&l.rel, fs_flags, mode, &cred) {
            Err(Errno::ENXIO) if flags & O_PATH == 0 => {
                let st = l.mount.fs.stat(&l.rel, true)?;
                if st.mode & S_IFMT != S_IFIFO {
                    return Err(Errno::ENXIO);
                }
                Ok(Err(st))
            }
            opened => opened.map(Ok),
        }
    })?;
    let f = match opened {
        Ok(f) => f,
        Err(fifo) => kernel.fifos.open(fifo, flags)?,
    };
    Ok(OpenFile::new(f, flags, Some(loc.abs)))
}

/// `stat`/`lstat` of a path relative to `dirfd`, for other syscall families.
pub fn stat_path(
    kernel: &Kernel,
    cage: &Cage,
    dirfd: i32,
    path: &[u8],
    follow: bool,
) -> KResult<Stat> {
    let follow = follow || trailing_slash(path);
    let (st, _) = at_path(kernel, cage, dirfd, path, follow, |l| {
        l.mount.fs.stat(&l.rel, follow)
    })?;
    if trailing_slash(path) && !is_dir(&st) {
        return Err(Errno::ENOTDIR);
    }
    Ok(st)
}

/// Makes a special file (a socket for `bind`, a FIFO for `mknod`) at
/// `path` relative to `dirfd` and returns its `lstat`. `mode` has the
/// umask applied. EEXIST if the name exists.
pub fn mknod_path(
    kernel: &Kernel,
    cage: &Cage,
    dirfd: i32,
    path: &[u8],
    mode: u32,
) -> KResult<Stat> {
    if trailing_slash(path) {
        return Err(Errno::ENOENT);
    }
    let cred = cage.cred();
    let (st, _) = at_path(kernel, cage, dirfd, path, false, |l| {
        if kernel.vfs.is_mount_point(&l.abs) {
            return Err(Errno::EEXIST);
        }
        l.mount.fs.mknod(&l.rel, mode, &cred)?;
        l.mount.fs.stat(&l.rel, false)
    })?;
    Ok(st)
}

fn do_open(ctx: &mut Ctx, dirfd: i32, path_addr: u64, flags: u32, mode: u32) -> KResult<i64> {
    let path = path_arg(ctx, path_addr)?;
    let limit = nofile(ctx);
    // Linux takes the descriptor first, so EMFILE creates nothing.
    {
        let fds = ctx.cage.fds.lock();
        let mut free = 0;
        for fd in fds.open_fds() {
            if fd != free {
                break;
            }
            free += 1;
        }
        if free as u64 >= limit {
            return Err(Errno::EMFILE);
        }
    }
    let file = open_path(ctx.kernel, ctx.cage, dirfd, &path, flags, mode)?;
    let entry = FdEntry {
        file,
        cloexec: flags & O_CLOEXEC != 0,
    };
    let fd = ctx.cage.fds.lock().insert_lowest(entry, 0, limit)?;
    Ok(fd as i64)
}

pub fn open(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_open(ctx, AT_FDCWD, a.ptr(0), a.uint(1), a.uint(2))
}

pub fn openat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_open(ctx, a.int(0), a.ptr(1), a.uint(2), a.uint(3))
}

pub fn mknod(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_mknod(ctx, AT_FDCWD, a.ptr(0), a.uint(1))
}

pub fn mknodat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_mknod(ctx, a.int(0), a.ptr(1), a.uint(2))
}

/// FIFOs and socket nodes; regular files as an exclusive create. Device
/// nodes need a privilege no cage has (EPERM), as do directories.
fn do_mknod(ctx: &mut Ctx, dirfd: i32, path_addr: u64, mode: u32) -> KResult<i64> {
    let path = path_arg(ctx, path_addr)?;
    let perm = mode & 0o7777 & !ctx.cage.umask();
    match mode & S_IFMT {
        S_IFIFO | S_IFSOCK => {
            mknod_path(ctx.kernel, ctx.cage, dirfd, &path, mode & S_IFMT | perm)?;
        }
        0 | S_IFREG => {
            let flags = O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY;
            open_path(ctx.kernel, ctx.cage, dirfd, &path, flags, mode & 0o7777)?;
        }
        S_IFCHR | S_IFBLK | S_IFDIR => return Err(Errno::EPERM),
        _ => return Err(Errno::EINVAL),
    }
    Ok(0)
}

pub fn creat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_open(
        ctx,
        AT_FDCWD,
        a.ptr(0),
        O_CREAT | O_WRONLY | O_TRUNC,
        a.uint(1),
    )
}

// ---------------------------------------------------------------- stat

/// What a stat-like call with `dirfd`, a path and AT_* flags names.
enum Target<'k> {
    /// A name, with its `stat` as found when it was resolved.
    Path {
        loc: Loc<'k>,
        follow: bool,
        st: Stat,
    },
    Fd(Arc<OpenFile>),
}

impl Target<'_> {
    fn stat(&self) -> KResult<Stat> {
        match self {
            Target::Path { st, .. } => Ok(*st),
            Target::Fd(f) => f.file.stat(),
        }
    }
}

/// Resolves the (dirfd, path, flags) triple of the `*at` calls. `path` is
/// `None` for a NULL pointer that the call allows.
fn target<'k>(ctx: &Ctx<'k>, dirfd: i32, path: Option<Vec<u8>>, flags: u32) -> KResult<Target<'k>> {
    let path = path.unwrap_or_default();
    if path.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Errno::ENOENT);
        }
        if dirfd == AT_FDCWD {
            let loc = locate_abs(ctx.kernel, ctx.cage.cwd())?;
            let st = loc.mount.fs.stat(&loc.rel, true)?;
            return Ok(Target::Path {
                loc,
                follow: true,
                st,
            });
        }
        return Ok(Target::Fd(file(ctx, dirfd)?));
    }
    let follow = flags & AT_SYMLINK_NOFOLLOW == 0 || trailing_slash(&path);
    let (st, loc) = at_path(ctx.kernel, ctx.cage, dirfd, &path, follow, |l| {
        l.mount.fs.stat(&l.rel, follow)
    })?;
    if trailing_slash(&path) && !is_dir(&st) {
        return Err(Errno::ENOTDIR);
    }
    Ok(Target::Path { loc, follow, st })
}

fn stat_at(ctx: &Ctx, dirfd: i32, path_addr: u64, flags: u32) -> KResult<Stat> {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = path_arg(ctx, path_addr)?;
    target(ctx, dirfd, Some(path), flags)?.stat()
}

fn put_stat(ctx: &mut Ctx, addr: u64, st: &Stat) -> KResult<i64> {
    ctx.mem.write(addr, &st.to_bytes())?;
    Ok(0)
}

pub fn stat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let st = stat_at(ctx, AT_FDCWD, a.ptr(0), 0)?;
    put_stat(ctx, a.ptr(1), &st)
}

pub fn lstat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let st = stat_at(ctx, AT_FDCWD, a.ptr(0), AT_SYMLINK_NOFOLLOW)?;
    put_stat(ctx, a.ptr(1), &st)
}

pub fn fstat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let st = file(ctx, a.int(0))?.file.stat()?;
    put_stat(ctx, a.ptr(1), &st)
}

/// statfs(2): the file system holding `path` (following symlinks).
pub fn statfs(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    let (s, _) = at_path(ctx.kernel, ctx.cage, AT_FDCWD, &path, true, |l| {
        l.mount.fs.stat(&l.rel, true)?;
        l.mount.fs.statfs()
    })?;
    ctx.mem.write(a.ptr(1), &s.to_bytes())?;
    Ok(0)
}

/// fstatfs(2): a file opened by path reports its file system; pipes,
/// sockets, memfds and the other anonymous files report Linux's pipefs,
/// sockfs, tmpfs and anon-inode file systems.
pub fn fstatfs(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    use lind_abi::layout::{ANON_INODE_FS_MAGIC, PIPEFS_MAGIC, SOCKFS_MAGIC, TMPFS_MAGIC};
    let f = file(ctx, a.int(0))?;
    let by_path = f.path.as_ref().and_then(|p| {
        let (mount, _) = ctx.kernel.vfs.resolve(p).ok()?;
        Some(mount.fs.statfs())
    });
    let s = match by_path {
        Some(s) => s?,
        None => {
            let kind = match f.file.stat()?.mode & S_IFMT {
                S_IFIFO => PIPEFS_MAGIC,
                S_IFSOCK => SOCKFS_MAGIC,
                S_IFREG => TMPFS_MAGIC,
                _ => ANON_INODE_FS_MAGIC,
            };
            crate::vfs::memory_statfs(kind, 0, 0)
        }
    };
    ctx.mem.write(a.ptr(1), &s.to_bytes())?;
    Ok(0)
}

pub fn newfstatat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let st = stat_at(ctx, a.int(0), a.ptr(1), a.uint(3))?;
    put_stat(ctx, a.ptr(2), &st)
}

/// The 256-byte `struct statx` for `st` (basic stats; no birth time).
pub fn statx_bytes(st: &Stat) -> [u8; sx::SIZE] {
    let mut b = [0u8; sx::SIZE];
    let mut put = |at: usize, v: &[u8]| b[at..at + v.len()].copy_from_slice(v);
    put(sx::MASK, &sx::STATX_BASIC_STATS.to_le_bytes());
    put(sx::BLKSIZE, &(st.blksize as u32).to_le_bytes());
    put(sx::NLINK, &(st.nlink as u32).to_le_bytes());
    put(sx::UID, &st.uid.to_le_bytes());
    put(sx::GID, &st.gid.to_le_bytes());
    put(sx::MODE, &(st.mode as u16).to_le_bytes());
    put(sx::INO, &st.ino.to_le_bytes());
    put(sx::SIZE_FIELD, &(st.size as u64).to_le_bytes());
    put(sx::BLOCKS, &(st.blocks as u64).to_le_bytes());
    for (at, t) in [
        (sx::ATIME, st.atime),
        (sx::CTIME, st.ctime),
        (sx::MTIME, st.mtime),
    ] {
        put(at, &t.sec.to_le_bytes());
        put(at + 8, &(t.nsec as u32).to_le_bytes());
    }
    let (rmaj, rmin) = dev_split(st.rdev);
    let (dmaj, dmin) = dev_split(st.dev);
    put(sx::RDEV_MAJOR, &rmaj.to_le_bytes());
    put(sx::RDEV_MINOR, &rmin.to_le_bytes());
    put(sx::DEV_MAJOR, &dmaj.to_le_bytes());
    put(sx::DEV_MINOR, &dmin.to_le_bytes());
    b
}

pub fn statx(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (dirfd, path_addr, flags, mask, buf) = (a.int(0), a.ptr(1), a.uint(2), a.uint(3), a.ptr(4));
    let allowed = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE;
    if flags & !allowed != 0
        || flags & AT_STATX_SYNC_TYPE == AT_STATX_SYNC_TYPE
        || mask & STATX_RESERVED != 0
    {
        return Err(Errno::EINVAL);
    }
    // Linux 6.11+ takes a NULL path with AT_EMPTY_PATH.
    let path = if path_addr == 0 && flags & AT_EMPTY_PATH != 0 {
        Vec::new()
    } else {
        path_arg(ctx, path_addr)?
    };
    let st = target(ctx, dirfd, Some(path), flags)?.stat()?;
    ctx.mem.write(buf, &statx_bytes(&st))?;
    Ok(0)
}

// ---------------------------------------------------------------- access

fn do_access(ctx: &mut Ctx, dirfd: i32, path_addr: u64, mode: u32, flags: u32) -> KResult<i64> {
    if mode & !(R_OK | W_OK | X_OK) != 0
        || flags & !(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0
    {
        return Err(Errno::EINVAL);
    }
    let path = path_arg(ctx, path_addr)?;
    let cred = access_cred(ctx.cage, flags & AT_EACCESS != 0);
    match target(ctx, dirfd, Some(path), flags)? {
        // The file systems check what a name leads to; a symlink itself
        // (AT_SYMLINK_NOFOLLOW) is checked here from its own mode.
        Target::Path {
            st, follow: false, ..
        } if st.mode & S_IFMT == S_IFLNK => {
            if mode != 0 && !permitted(st.mode, st.uid, st.gid, &cred, mode) {
                return Err(Errno::EACCES);
            }
        }
        Target::Path { loc, .. } => loc.mount.fs.access(&loc.rel, mode, &cred)?,
        Target::Fd(f) => {
            let st = f.file.stat()?;
            if mode != 0 && !permitted(st.mode, st.uid, st.gid, &cred, mode) {
                return Err(Errno::EACCES);
            }
        }
    }
    Ok(0)
}

pub fn access(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_access(ctx, AT_FDCWD, a.ptr(0), a.uint(1), 0)
}

pub fn faccessat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_access(ctx, a.int(0), a.ptr(1), a.uint(2), 0)
}

pub fn faccessat2(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_access(ctx, a.int(0), a.ptr(1), a.uint(2), a.uint(3))
}

// ---------------------------------------------------------------- directories

/// Fills `buf` with whole `linux_dirent64` records from the directory's
/// position on; `d_off` of a record is the index of the entry after it.
pub fn getdents64(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (fd, buf, count) = (a.int(0), a.ptr(1), a.size(2));
    let f = file(ctx, fd)?;
    if f.status() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    let (entries, pos) = f.dir_entries()?;
    check_range(ctx.mem, buf, count as u64)?;
    let mut out = Vec::with_capacity(count.min(64 * 1024));
    let mut i = pos as usize;
    while let Some(e) = entries.get(i) {
        let reclen = (dirent64::NAME_OFFSET + e.name.len() + 1).next_multiple_of(dirent64::ALIGN);
        if out.len() + reclen > count {
            if out.is_empty() {
                return Err(Errno::EINVAL);
            }
            break;
        }
        out.extend_from_slice(&e.ino.to_le_bytes());
        out.extend_from_slice(&((i + 1) as i64).to_le_bytes());
        out.extend_from_slice(&(reclen as u16).to_le_bytes());
        out.push(e.kind);
        out.extend_from_slice(&e.name);
        out.resize(out.len() + reclen - dirent64::NAME_OFFSET - e.name.len(), 0);
        i += 1;
    }
    ctx.mem.write(buf, &out)?;
    f.set_dir_position(i as u64);
    Ok(out.len() as i64)
}

fn do_mkdir(ctx: &mut Ctx, dirfd: i32, path_addr: u64, mode: u32) -> KResult<i64> {
    let path = path_arg(ctx, path_addr)?;
    let mode = mode & 0o1777 & !ctx.cage.umask();
    let (kernel, cred) = (ctx.kernel, ctx.cage.cred());
    at_path(kernel, ctx.cage, dirfd, &path, false, |l| {
        if kernel.vfs.is_mount_point(&l.abs) {
            return Err(Errno::EEXIST);
        }
        l.mount.fs.mkdir(&l.rel, mode, &cred)
    })?;
    Ok(0)
}

pub fn mkdir(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_mkdir(ctx, AT_FDCWD, a.ptr(0), a.uint(1))
}

pub fn mkdirat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_mkdir(ctx, a.int(0), a.ptr(1), a.uint(2))
}

fn do_rmdir(ctx: &mut Ctx, dirfd: i32, path: &[u8]) -> KResult<i64> {
    match last_component(path) {
        b"." => return Err(Errno::EINVAL),
        b".." => return Err(Errno::ENOTEMPTY),
        _ => {}
    }
    let (kernel, cred) = (ctx.kernel, ctx.cage.cred());
    at_path(kernel, ctx.cage, dirfd, path, false, |l| {
        if kernel.vfs.is_mount_point(&l.abs) {
            return Err(Errno::EBUSY);
        }
        l.mount.fs.rmdir(&l.rel, &cred)
    })?;
    Ok(0)
}

fn do_unlink(ctx: &mut Ctx, dirfd: i32, path: &[u8]) -> KResult<i64> {
    let (kernel, cred) = (ctx.kernel, ctx.cage.cred());
    at_path(kernel, ctx.cage, dirfd, path, false, |l| {
        if kernel.vfs.is_mount_point(&l.abs) {
            return Err(Errno::EISDIR);
        }
        if trailing_slash(path) {
            let st = l.mount.fs.stat(&l.rel, false)?;
            return Err(if is_dir(&st) {
                Errno::EISDIR
            } else {
                Errno::ENOTDIR
            });
        }
        l.mount.fs.unlink(&l.rel, &cred)
    })?;
    Ok(0)
}

pub fn rmdir(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    do_rmdir(ctx, AT_FDCWD, &path)
}

pub fn unlink(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    do_unlink(ctx, AT_FDCWD, &path)
}

pub fn unlinkat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.uint(2);
    if flags & !AT_REMOVEDIR != 0 {
        return Err(Errno::EINVAL);
    }
    let path = path_arg(ctx, a.ptr(1))?;
    if flags & AT_REMOVEDIR != 0 {
        do_rmdir(ctx, a.int(0), &path)
    } else {
        do_unlink(ctx, a.int(0), &path)
    }
}

fn do_rename(
    ctx: &mut Ctx,
    olddirfd: i32,
    old_addr: u64,
    newdirfd: i32,
    new_addr: u64,
) -> KResult<i64> {
    let old = path_arg(ctx, old_addr)?;
    let new = path_arg(ctx, new_addr)?;
    for p in [&old, &new] {
        if matches!(last_component(p), b"." | b"..") {
            return Err(Errno::EBUSY);
        }
    }
    let (kernel, cred) = (ctx.kernel, ctx.cage.cred());
    let from = locate(kernel, ctx.cage, olddirfd, &old)?;
    let to = locate(kernel, ctx.cage, newdirfd, &new)?;
    retry2(kernel, &from, &to, |from, to| {
        if kernel.vfs.is_mount_point(&from.abs) || kernel.vfs.is_mount_point(&to.abs) {
            return Err(Errno::EBUSY);
        }
        if from.mount.at != to.mount.at {
            return Err(Errno::EXDEV);
        }
        // `rename("a/", …)` only names directories.
        if (trailing_slash(&old) || trailing_slash(&new))
            && !is_dir(&from.mount.fs.stat(&from.rel, false)?)
        {
            return Err(Errno::ENOTDIR);
        }
        from.mount.fs.rename(&from.rel, &to.rel, &cred)
    })?;
    Ok(0)
}

pub fn rename(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_rename(ctx, AT_FDCWD, a.ptr(0), AT_FDCWD, a.ptr(1))
}

pub fn renameat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_rename(ctx, a.int(0), a.ptr(1), a.int(2), a.ptr(3))
}

pub fn renameat2(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.uint(4) != 0 {
        return Err(Errno::EINVAL);
    }
    do_rename(ctx, a.int(0), a.ptr(1), a.int(2), a.ptr(3))
}

fn do_link(
    ctx: &mut Ctx,
    olddirfd: i32,
    old_addr: u64,
    newdirfd: i32,
    new_addr: u64,
    flags: u32,
) -> KResult<i64> {
    if flags & !(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let old = path_arg(ctx, old_addr)?;
    let new = path_arg(ctx, new_addr)?;
    // An empty `old` with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: ENOENT.
    let (kernel, cred) = (ctx.kernel, ctx.cage.cred());
    let mut from = locate(kernel, ctx.cage, olddirfd, &old)?;
    if flags & AT_SYMLINK_FOLLOW != 0 {
        from = locate_abs(kernel, kernel.vfs.physical(&from.abs)?)?;
    }
    let to = locate(kernel, ctx.cage, newdirfd, &new)?;
    retry2(kernel, &from, &to, |from, to| {
        if kernel.vfs.is_mount_point(&to.abs) {
            return Err(Errno::EEXIST);
        }
        if from.mount.at != to.mount.at {
            return Err(Errno::EXDEV);
        }
        if trailing_slash(&new) {
            return Err(Errno::ENOENT);
        }
        from.mount.fs.link(&from.rel, &to.rel, &cred)
    })?;
    Ok(0)
}

pub fn link(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_link(ctx, AT_FDCWD, a.ptr(0), AT_FDCWD, a.ptr(1), 0)
}

pub fn linkat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_link(ctx, a.int(0), a.ptr(1), a.int(2), a.ptr(3), a.uint(4))
}

fn do_symlink(ctx: &mut Ctx, target_addr: u64, dirfd: i32, path_addr: u64) -> KResult<i64> {
    let target = path_arg(ctx, target_addr)?;
    let path = path_arg(ctx, path_addr)?;
    if target.is_empty() {
        return Err(Errno::ENOENT);
    }
    let (kernel, cred) = (ctx.kernel, ctx.cage.cred());
    at_path(kernel, ctx.cage, dirfd, &path, false, |l| {
        if kernel.vfs.is_mount_point(&l.abs) {
            return Err(Errno::EEXIST);
        }
        l.mount.fs.symlink(&target, &l.rel, &cred)
    })?;
    Ok(0)
}

pub fn symlink(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_symlink(ctx, a.ptr(0), AT_FDCWD, a.ptr(1))
}

pub fn symlinkat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_symlink(ctx, a.ptr(0), a.int(1), a.ptr(2))
}

fn do_readlink(ctx: &mut Ctx, dirfd: i32, path_addr: u64, buf: u64, size: u64) -> KResult<i64> {
    let size = size as u32 as i32;
    if size <= 0 {
        return Err(Errno::EINVAL);
    }
    let path = path_arg(ctx, path_addr)?;
    let (target, _) = at_path(ctx.kernel, ctx.cage, dirfd, &path, false, |l| {
        l.mount.fs.readlink(&l.rel)
    })?;
    let n = target.len().min(size as usize);
    ctx.mem.write(buf, &target[..n])?;
    Ok(n as i64)
}

pub fn readlink(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_readlink(ctx, AT_FDCWD, a.ptr(0), a.ptr(1), a.u64(2))
}

pub fn readlinkat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_readlink(ctx, a.int(0), a.ptr(1), a.ptr(2), a.u64(3))
}

// ---------------------------------------------------------------- cwd

/// Makes absolute path `abs` the cwd if it is a directory the cage may
/// search.
fn set_cwd(ctx: &mut Ctx, abs: Vec<u8>) -> KResult<i64> {
    let loc = locate_abs(ctx.kernel, abs)?;
    if !is_dir(&loc.mount.fs.stat(&loc.rel, true)?) {
        return Err(Errno::ENOTDIR);
    }
    loc.mount.fs.access(&loc.rel, X_OK, &ctx.cage.cred())?;
    *ctx.cage.cwd.lock() = loc.abs;
    Ok(0)
}

/// The cwd is kept physical, as Linux's is: `chdir` through a symlink
/// lands in (and `getcwd` shows) where it leads.
pub fn chdir(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let base = if path[0] == b'/' {
        Vec::new()
    } else {
        ctx.cage.cwd()
    };
    let abs = ctx
        .kernel
        .vfs
        .physical(&[&base[..], b"/", &path].concat())?;
    set_cwd(ctx, abs)
}

pub fn fchdir(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    if !is_dir(&f.file.stat()?) {
        return Err(Errno::ENOTDIR);
    }
    let abs = f.path.clone().ok_or(Errno::ENOTDIR)?;
    let abs = ctx.kernel.vfs.physical(&abs)?;
    set_cwd(ctx, abs)
}

/// Returns the length written, NUL included, as the Linux syscall does.
pub fn getcwd(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (buf, size) = (a.ptr(0), a.size(1));
    let mut cwd = ctx.cage.cwd();
    cwd.push(0);
    if size < cwd.len() {
        return Err(Errno::ERANGE);
    }
    ctx.mem.write(buf, &cwd)?;
    Ok(cwd.len() as i64)
}

// ---------------------------------------------------------------- metadata

pub fn truncate(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    let len = u64::try_from(a.i64(1)).map_err(|_| Errno::EINVAL)?;
    let cred = ctx.cage.cred();
    at_path(ctx.kernel, ctx.cage, AT_FDCWD, &path, true, |l| {
        let fs = &l.mount.fs;
        if is_dir(&fs.stat(&l.rel, true)?) {
            return Err(Errno::EISDIR);
        }
        fs.access(&l.rel, W_OK, &cred)?;
        fs.truncate(&l.rel, len)
    })?;
    Ok(0)
}

pub fn umask(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let old = ctx
        .cage
        .umask
        .swap(a.uint(0) & 0o777, std::sync::atomic::Ordering::Relaxed);
    Ok(old as i64)
}

/// The mode chmod may set, or EPERM: only the owner (or root) changes
/// modes, and set-group-ID drops unless the caller is in the file's group.
fn chmod_mode(cred: &Cred, st: &Stat, mode: u32) -> KResult<u32> {
    if !cred.is_root() && cred.euid != st.uid {
        return Err(Errno::EPERM);
    }
    let mut mode = mode & 0o7777;
    if !cred.is_root() && !cred.in_group(st.gid) {
        mode &= !S_ISGID;
    }
    Ok(mode)
}

fn do_chmod(ctx: &mut Ctx, t: Target, mode: u32) -> KResult<i64> {
    let st = t.stat()?;
    let mode = chmod_mode(&ctx.cage.cred(), &st, mode)?;
    match t {
        Target::Path { loc, follow, .. } => loc.mount.fs.chmod(&loc.rel, mode, follow)?,
        Target::Fd(f) => f.file.chmod(mode)?,
    }
    Ok(0)
}

pub fn chmod(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    let t = target(ctx, AT_FDCWD, Some(path), 0)?;
    do_chmod(ctx, t, a.uint(1))
}

pub fn fchmodat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(1))?;
    let t = target(ctx, a.int(0), Some(path), 0)?;
    do_chmod(ctx, t, a.uint(2))
}

/// The descriptor of an `f*` metadata call; `O_PATH` ones are EBADF.
fn meta_fd(ctx: &Ctx, fd: i32) -> KResult<Arc<OpenFile>> {
    let f = file(ctx, fd)?;
    if f.status() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    Ok(f)
}

pub fn fchmod(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = meta_fd(ctx, a.int(0))?;
    do_chmod(ctx, Target::Fd(f), a.uint(1))
}

/// `-1` (as a 32-bit id) leaves an id unchanged.
fn id_arg(v: u32) -> Option<u32> {
    (v != u32::MAX).then_some(v)
}

/// Linux's chown rules: root may do anything; the owner may "change" the
/// owner to itself and the group to one of its own groups.
fn chown_allowed(cred: &Cred, st: &Stat, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
    if cred.is_root() {
        return Ok(());
    }
    let owner = cred.euid == st.uid;
    if uid.is_some_and(|u| !owner || u != st.uid) {
        return Err(Errno::EPERM);
    }
    if gid.is_some_and(|g| !owner || (g != st.gid && !cred.in_group(g))) {
        return Err(Errno::EPERM);
    }
    Ok(())
}

fn do_chown(ctx: &mut Ctx, t: Target, uid: u32, gid: u32) -> KResult<i64> {
    let (uid, gid) = (id_arg(uid), id_arg(gid));
    let st = t.stat()?;
    chown_allowed(&ctx.cage.cred(), &st, uid, gid)?;
    match t {
        Target::Path { loc, follow, .. } => loc.mount.fs.chown(&loc.rel, uid, gid, follow)?,
        Target::Fd(f) => f.file.chown(uid, gid)?,
    }
    Ok(0)
}

pub fn chown(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    let t = target(ctx, AT_FDCWD, Some(path), 0)?;
    do_chown(ctx, t, a.uint(1), a.uint(2))
}

pub fn lchown(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let path = path_arg(ctx, a.ptr(0))?;
    let t = target(ctx, AT_FDCWD, Some(path), AT_SYMLINK_NOFOLLOW)?;
    do_chown(ctx, t, a.uint(1), a.uint(2))
}

pub fn fchown(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = meta_fd(ctx, a.int(0))?;
    do_chown(ctx, Target::Fd(f), a.uint(1), a.uint(2))
}

pub fn fchownat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.uint(4);
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = path_arg(ctx, a.ptr(1))?;
    let t = target(ctx, a.int(0), Some(path), flags)?;
    do_chown(ctx, t, a.uint(2), a.uint(3))
}

/// One `struct timespec` of `utimensat`.
fn time_arg(ts: Timespec) -> KResult<TimeSpec> {
    match ts.nsec {
        UTIME_NOW => Ok(TimeSpec::Now),
        UTIME_OMIT => Ok(TimeSpec::Omit),
        0..=999_999_999 => Ok(TimeSpec::At(ts)),
        _ => Err(Errno::EINVAL),
    }
}

pub fn utimensat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (dirfd, path_addr, times, flags) = (a.int(0), a.ptr(1), a.ptr(2), a.uint(3));
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let (atime, mtime) = if times == 0 {
        (TimeSpec::Now, TimeSpec::Now)
    } else {
        let raw = ctx.mem.read_vec(times, 2 * Timespec::SIZE)?;
        let ts = |i: usize| {
            Timespec::from_bytes(raw[i * 16..i * 16 + 16].try_into().unwrap_or(&[0; 16]))
        };
        (time_arg(ts(0))?, time_arg(ts(1))?)
    };
    // A NULL path means the descriptor itself (futimens).
    let t = if path_addr == 0 {
        if flags & AT_SYMLINK_NOFOLLOW != 0 {
            return Err(Errno::EINVAL);
        }
        if dirfd == AT_FDCWD {
            return Err(Errno::EFAULT);
        }
        Target::Fd(file(ctx, dirfd)?)
    } else {
        let path = path_arg(ctx, path_addr)?;
        target(ctx, dirfd, Some(path), flags)?
    };
    let st = t.stat()?;
    if atime == TimeSpec::Omit && mtime == TimeSpec::Omit {
        return Ok(0);
    }
    let cred = ctx.cage.cred();
    let owner = cred.is_root() || cred.euid == st.uid;
    let explicit = matches!(atime, TimeSpec::At(_)) || matches!(mtime, TimeSpec::At(_));
    if !owner {
        if explicit {
            return Err(Errno::EPERM);
        }
        // Setting "now" only needs write permission.
        let can_write = match &t {
            Target::Path { loc, .. } => loc.mount.fs.access(&loc.rel, W_OK, &cred).is_ok(),
            Target::Fd(_) => permitted(st.mode, st.uid, st.gid, &cred, W_OK),
        };
        if !can_write {
            return Err(Errno::EACCES);
        }
    }
    match t {
        Target::Path { loc, follow, .. } => {
            loc.mount.fs.set_times(&loc.rel, atime, mtime, follow)?
        }
        Target::Fd(f) => f.file.set_times(atime, mtime)?,
    }
    Ok(0)
}

#[cfg(test)]
#[path = "fs_tests.rs"]
mod tests;
