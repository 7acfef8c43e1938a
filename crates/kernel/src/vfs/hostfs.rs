//! A host directory as a file system, confined with cap-std.
//!
//! Every path is resolved by cap-std relative to the directory handle it was
//! given (with `openat2(RESOLVE_BENEATH)` where the host kernel has it), so
//! `..`, absolute symlinks and chains of symlinks cannot reach anything
//! outside. cap-std reports such an escape attempt as `PermissionDenied`
//! without an OS error; the cage sees **EACCES**. This includes any absolute
//! symlink inside the directory, even one that would land inside it: cap-std
//! does not resolve absolute targets. A symlink loop is ELOOP.
//!
//! Permissions: the host decides, with the identity of the lind process
//! (name lookups, opens, removals); `access` checks the mode bits against
//! the cage's credentials. Ownership and times are the host's. With
//! `read_only` (`--mount HOST:GUEST:ro`) anything that would change the
//! tree or a file is EROFS.
//!
//! Guest open flags are translated one by one into the host's (they are
//! x86_64 values, which other host architectures do not share).

use super::{permitted, FileSystem};
use crate::{
    cage::Cred,
    file::{DirEntry, FileLike, TimeSpec},
    KResult,
};
use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt, SystemTimeSpec};
use cap_std::fs::{
    Dir, DirBuilder, DirBuilderExt, Metadata, MetadataExt, OpenOptions, OpenOptionsExt,
    PermissionsExt,
};
use lind_abi::{
    flags::*,
    layout::{Stat, Timespec},
    Errno,
};
use rustix::fs::{AtFlags, OFlags};
use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// The errno the guest sees for a host I/O error.
pub fn io_errno(e: &io::Error) -> Errno {
    if let Some(n) = e.raw_os_error() {
        return Errno::from_raw(n).unwrap_or(Errno::EIO);
    }
    match e.kind() {
        // cap-std's "a path led outside of the filesystem".
        io::ErrorKind::PermissionDenied => Errno::EACCES,
        io::ErrorKind::NotFound => Errno::ENOENT,
        io::ErrorKind::AlreadyExists => Errno::EEXIST,
        io::ErrorKind::InvalidInput => Errno::EINVAL,
        io::ErrorKind::Unsupported => Errno::EOPNOTSUPP,
        io::ErrorKind::Interrupted => Errno::EINTR,
        _ => Errno::EIO,
    }
}

fn errno(e: io::Error) -> Errno {
    io_errno(&e)
}

fn rerrno(e: rustix::io::Errno) -> Errno {
    Errno::from_raw(e.raw_os_error()).unwrap_or(Errno::EIO)
}

/// A guest path relative to the root as a host path ("" is the root).
fn host_path(p: &[u8]) -> &Path {
    if p.is_empty() {
        Path::new(".")
    } else {
        Path::new(OsStr::from_bytes(p))
    }
}

fn stat_of(m: &Metadata) -> Stat {
    Stat {
        dev: m.dev(),
        ino: m.ino(),
        nlink: m.nlink(),
        mode: m.mode(),
        uid: m.uid(),
        gid: m.gid(),
        rdev: m.rdev(),
        size: m.size() as i64,
        blksize: m.blksize() as i64,
        blocks: m.blocks() as i64,
        atime: Timespec {
            sec: m.atime(),
            nsec: m.atime_nsec(),
        },
        mtime: Timespec {
            sec: m.mtime(),
            nsec: m.mtime_nsec(),
        },
        ctime: Timespec {
            sec: m.ctime(),
            nsec: m.ctime_nsec(),
        },
    }
}

fn stat_of_raw(st: &rustix::fs::Stat) -> Stat {
    Stat {
        dev: st.st_dev,
        ino: st.st_ino,
        nlink: st.st_nlink,
        mode: st.st_mode,
        uid: st.st_uid,
        gid: st.st_gid,
        rdev: st.st_rdev,
        size: st.st_size,
        blksize: st.st_blksize,
        blocks: st.st_blocks,
        atime: Timespec {
            sec: st.st_atime,
            nsec: st.st_atime_nsec as i64,
        },
        mtime: Timespec {
            sec: st.st_mtime,
            nsec: st.st_mtime_nsec as i64,
        },
        ctime: Timespec {
            sec: st.st_ctime,
            nsec: st.st_ctime_nsec as i64,
        },
    }
}

fn time_spec(t: TimeSpec) -> KResult<Option<SystemTimeSpec>> {
    Ok(match t {
        TimeSpec::Omit => None,
        TimeSpec::Now => Some(SystemTimeSpec::SymbolicNow),
        TimeSpec::At(ts) => {
            let nsec = u32::try_from(ts.nsec).map_err(|_| Errno::EINVAL)?;
            let t = if ts.sec >= 0 {
                UNIX_EPOCH.checked_add(Duration::new(ts.sec as u64, nsec))
            } else {
                UNIX_EPOCH
                    .checked_sub(Duration::from_secs(ts.sec.unsigned_abs()))
                    .and_then(|t| t.checked_add(Duration::from_nanos(nsec as u64)))
            };
            Some(SystemTimeSpec::Absolute(
                cap_std::time::SystemTime::from_std(t.ok_or(Errno::EINVAL)?),
            ))
        }
    })
}

fn rustix_time(t: TimeSpec) -> rustix::fs::Timespec {
    match t {
        TimeSpec::Now => rustix::fs::Timespec {
            tv_sec: 0,
            tv_nsec: rustix::fs::UTIME_NOW,
        },
        TimeSpec::Omit => rustix::fs::Timespec {
            tv_sec: 0,
            tv_nsec: rustix::fs::UTIME_OMIT,
        },
        TimeSpec::At(ts) => rustix::fs::Timespec {
            tv_sec: ts.sec,
            tv_nsec: ts.nsec as _,
        },
    }
}

/// The guest's `O_*` status bits that are also host open flags.
fn host_oflags(flags: u32) -> OFlags {
    let mut o = OFlags::empty();
    for (guest, host) in [
        (O_CREAT, OFlags::CREATE),
        (O_EXCL, OFlags::EXCL),
        (O_TRUNC, OFlags::TRUNC),
        (O_DIRECTORY, OFlags::DIRECTORY),
        (O_NOCTTY, OFlags::NOCTTY),
        (O_PATH, OFlags::PATH),
    ] {
        if flags & guest == guest {
            o |= host;
        }
    }
    o
}

/// A file system over one host directory.
pub struct HostFs {
    root: Dir,
    read_only: bool,
}

impl HostFs {
    pub fn new(root: Dir, read_only: bool) -> Self {
        HostFs { root, read_only }
    }

    fn writable(&self) -> KResult<()> {
        if self.read_only {
            Err(Errno::EROFS)
        } else {
            Ok(())
        }
    }

    /// Opens `path` as an `O_PATH` handle, for chown.
    fn open_path(&self, path: &[u8], follow: bool) -> KResult<cap_std::fs::File> {
        let mut o = OpenOptions::new();
        o.read(true).custom_flags(OFlags::PATH.bits() as i32);
        if !follow {
            o.follow(FollowSymlinks::No);
        }
        self.root.open_with(host_path(path), &o).map_err(errno)
    }
}

impl FileSystem for HostFs {
    fn open(&self, path: &[u8], flags: u32, mode: u32, _cred: &Cred) -> KResult<Arc<dyn FileLike>> {
        let acc = flags & O_ACCMODE;
        let path_only = flags & O_PATH != 0;
        if flags & O_CREAT != 0 && flags & O_DIRECTORY != 0 {
            return Err(Errno::EINVAL);
        }
        if self.read_only {
            let changes = !path_only && (acc != O_RDONLY || flags & O_TRUNC != 0);
            match self.stat(path, flags & O_NOFOLLOW == 0) {
                Ok(_) if flags & O_CREAT != 0 && flags & O_EXCL != 0 => return Err(Errno::EEXIST),
                Ok(st) if changes && st.mode & S_IFMT == S_IFDIR => return Err(Errno::EISDIR),
                Ok(_) if changes => return Err(Errno::EROFS),
                Ok(_) => {}
                Err(Errno::ENOENT) if flags & O_CREAT != 0 => return Err(Errno::EROFS),
                Err(e) => return Err(e),
            }
        }
        let mut o = OpenOptions::new();
        match acc {
            _ if path_only => o.read(true),
            O_RDONLY => o.read(true),
            O_WRONLY => o.write(true),
            O_RDWR => o.read(true).write(true),
            _ => return Err(Errno::EINVAL),
        };
        // Creation flags go in as raw host flags: cap-std's own `create`
        // refuses O_RDONLY|O_CREAT, which POSIX allows.
        let extra =
            host_oflags(flags & (O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY | O_NOCTTY | O_PATH));
        o.custom_flags(extra.bits() as i32).mode(mode & 0o7777);
        if flags & O_NOFOLLOW != 0 {
            o.follow(FollowSymlinks::No);
        }
        let file = self
            .root
            .open_with(host_path(path), &o)
            .map_err(errno)?
            .into_std();
        let st = rustix::fs::fstat(&file).map_err(rerrno)?;
        let kind = st.st_mode & S_IFMT;
        // Linux opens O_PATH|O_NOFOLLOW on a symlink, and refuses the rest.
        if kind == S_IFLNK && !path_only {
            return Err(Errno::ELOOP);
        }
        Ok(Arc::new(HostFile {
            file,
            kind,
            is_root: path.is_empty(),
            read_only: self.read_only,
        }))
    }

    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat> {
        let m = if path.is_empty() {
            self.root.dir_metadata()
        } else if follow {
            self.root.metadata(host_path(path))
        } else {
            self.root.symlink_metadata(host_path(path))
        };
        Ok(stat_of(&m.map_err(errno)?))
    }

    fn access(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        let st = self.stat(path, true)?;
        if mode & (R_OK | W_OK | X_OK) != 0 && !permitted(st.mode, st.uid, st.gid, cred, mode) {
            return Err(Errno::EACCES);
        }
        if mode & W_OK != 0 {
            self.writable()?;
        }
        Ok(())
    }

    fn mkdir(&self, path: &[u8], mode: u32, _cred: &Cred) -> KResult<()> {
        if path.is_empty() {
            return Err(Errno::EEXIST);
        }
        if self.read_only {
            // EEXIST wins over EROFS, as on Linux.
            return match self.stat(path, false) {
                Ok(_) => Err(Errno::EEXIST),
                Err(_) => Err(Errno::EROFS),
            };
        }
        let mut b = DirBuilder::new();
        b.mode(mode & 0o7777);
        self.root
            .create_dir_with(host_path(path), &b)
            .map_err(errno)
    }

    fn rmdir(&self, path: &[u8], _cred: &Cred) -> KResult<()> {
        if path.is_empty() {
            return Err(Errno::EBUSY);
        }
        self.writable()?;
        self.root.remove_dir(host_path(path)).map_err(errno)
    }

    fn unlink(&self, path: &[u8], _cred: &Cred) -> KResult<()> {
        if path.is_empty() {
            return Err(Errno::EISDIR);
        }
        self.writable()?;
        self.root.remove_file(host_path(path)).map_err(errno)
    }

    fn rename(&self, from: &[u8], to: &[u8], _cred: &Cred) -> KResult<()> {
        if from.is_empty() || to.is_empty() {
            return Err(Errno::EBUSY);
        }
        self.writable()?;
        self.root
            .rename(host_path(from), &self.root, host_path(to))
            .map_err(errno)
    }

    fn link(&self, from: &[u8], to: &[u8], _cred: &Cred) -> KResult<()> {
        if to.is_empty() {
            return Err(Errno::EEXIST);
        }
        self.writable()?;
        self.root
            .hard_link(host_path(from), &self.root, host_path(to))
            .map_err(errno)
    }

    fn symlink(&self, target: &[u8], path: &[u8], _cred: &Cred) -> KResult<()> {
        if target.is_empty() {
            return Err(Errno::ENOENT);
        }
        if path.is_empty() {
            return Err(Errno::EEXIST);
        }
        self.writable()?;
        self.root
            .symlink_contents(OsStr::from_bytes(target), host_path(path))
            .map_err(errno)
    }

    fn readlink(&self, path: &[u8]) -> KResult<Vec<u8>> {
        if path.is_empty() {
            return Err(Errno::EINVAL);
        }
        let t = self
            .root
            .read_link_contents(host_path(path))
            .map_err(errno)?;
        Ok(t.into_os_string().into_vec())
    }

    fn chmod(&self, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        let st = self.stat(path, follow)?;
        if st.mode & S_IFMT == S_IFLNK {
            return Err(Errno::EOPNOTSUPP);
        }
        self.writable()?;
        let perm = cap_std::fs::Permissions::from_mode(mode & 0o7777);
        self.root
            .set_permissions(host_path(path), perm)
            .map_err(errno)
    }

    fn chown(&self, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        let f = self.open_path(path, follow)?;
        self.writable()?;
        rustix::fs::chownat(
            &f,
            "",
            uid.map(rustix::fs::Uid::from_raw),
            gid.map(rustix::fs::Gid::from_raw),
            AtFlags::EMPTY_PATH,
        )
        .map_err(rerrno)
    }

    fn set_times(
        &self,
        path: &[u8],
        atime: TimeSpec,
        mtime: TimeSpec,
        follow: bool,
    ) -> KResult<()> {
        self.stat(path, follow)?;
        self.writable()?;
        let (a, m) = (time_spec(atime)?, time_spec(mtime)?);
        let p = host_path(path);
        if follow {
            self.root.set_times(p, a, m)
        } else {
            self.root.set_symlink_times(p, a, m)
        }
        .map_err(errno)
    }

    fn truncate(&self, path: &[u8], len: u64) -> KResult<()> {
        let st = self.stat(path, true)?;
        if st.mode & S_IFMT == S_IFDIR {
            return Err(Errno::EISDIR);
        }
        self.writable()?;
        let f = self
            .root
            .open_with(host_path(path), OpenOptions::new().write(true))
            .map_err(errno)?;
        f.set_len(len).map_err(errno)
    }
}

/// An open host file or directory.
struct HostFile {
    file: std::fs::File,
    /// `S_IFMT` bits: regular files and block devices take offsets; FIFOs
    /// and character devices are streams.
    kind: u32,
    /// The mount's root directory: its `..` is itself.
    is_root: bool,
    read_only: bool,
}

impl HostFile {
    fn writable(&self) -> KResult<()> {
        if self.read_only {
            Err(Errno::EROFS)
        } else {
            Ok(())
        }
    }

    fn is_dir(&self) -> bool {
        self.kind == S_IFDIR
    }
}

/// Retries a host call interrupted by a signal delivered to lind itself.
fn retry<T>(mut f: impl FnMut() -> io::Result<T>) -> KResult<T> {
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r.map_err(errno),
        }
    }
}

impl FileLike for HostFile {
    fn seekable(&self) -> bool {
        self.kind == S_IFREG || self.kind == S_IFBLK
    }

    fn read(&self, buf: &mut [u8], _status: u32) -> KResult<usize> {
        if self.is_dir() {
            return Err(Errno::EISDIR);
        }
        retry(|| (&self.file).read(buf))
    }

    fn write(&self, data: &[u8], _status: u32) -> KResult<usize> {
        retry(|| (&self.file).write(data))
    }

    fn pread(&self, buf: &mut [u8], offset: u64) -> KResult<usize> {
        retry(|| self.file.read_at(buf, offset))
    }

    fn pwrite(&self, data: &[u8], offset: u64) -> KResult<usize> {
        if offset
            .checked_add(data.len() as u64)
            .is_none_or(|end| end > i64::MAX as u64)
        {
            return Err(Errno::EFBIG);
        }
        retry(|| self.file.write_at(data, offset))
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(stat_of_raw(&rustix::fs::fstat(&self.file).map_err(rerrno)?))
    }

    fn read_dir(&self) -> KResult<Vec<DirEntry>> {
        if !self.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let st = self.stat()?;
        let mut dir = rustix::fs::Dir::read_from(&self.file).map_err(rerrno)?;
        let mut out = Vec::new();
        while let Some(ent) = dir.read() {
            let ent = ent.map_err(rerrno)?;
            let name = ent.file_name().to_bytes();
            let ino = if self.is_root && name == b".." {
                st.ino
            } else {
                ent.ino()
            };
            let kind = match ent.file_type() {
                rustix::fs::FileType::RegularFile => DT_REG,
                rustix::fs::FileType::Directory => DT_DIR,
                rustix::fs::FileType::Symlink => DT_LNK,
                rustix::fs::FileType::Fifo => DT_FIFO,
                rustix::fs::FileType::Socket => DT_SOCK,
                rustix::fs::FileType::CharacterDevice => DT_CHR,
                rustix::fs::FileType::BlockDevice => DT_BLK,
                _ => DT_UNKNOWN,
            };
            out.push(DirEntry {
                ino,
                kind,
                name: name.to_vec(),
            });
        }
        // `.` and `..` first, as programs that skip two entries expect.
        out.sort_by_key(|e| match e.name.as_slice() {
            b"." => 0,
            b".." => 1,
            _ => 2,
        });
        Ok(out)
    }

    fn truncate(&self, len: u64) -> KResult<()> {
        self.writable()?;
        if self.is_dir() {
            return Err(Errno::EISDIR);
        }
        if !self.seekable() {
            // Linux ignores O_TRUNC/ftruncate on FIFOs and terminals.
            return Ok(());
        }
        let len = i64::try_from(len).map_err(|_| Errno::EFBIG)?;
        retry(|| self.file.set_len(len as u64))
    }

    fn sync(&self) -> KResult<()> {
        if self.read_only {
            return Ok(());
        }
        rustix::fs::fsync(&self.file).map_err(rerrno)
    }

    fn chmod(&self, mode: u32) -> KResult<()> {
        self.writable()?;
        rustix::fs::fchmod(&self.file, rustix::fs::Mode::from_raw_mode(mode & 0o7777))
            .map_err(rerrno)
    }

    fn chown(&self, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        self.writable()?;
        rustix::fs::fchown(
            &self.file,
            uid.map(rustix::fs::Uid::from_raw),
            gid.map(rustix::fs::Gid::from_raw),
        )
        .map_err(rerrno)
    }

    fn set_times(&self, atime: TimeSpec, mtime: TimeSpec) -> KResult<()> {
        self.writable()?;
        let t = rustix::fs::Timestamps {
            last_access: rustix_time(atime),
            last_modification: rustix_time(mtime),
        };
        rustix::fs::futimens(&self.file, &t).map_err(rerrno)
    }
}
