//! A host directory as a file system, confined with cap-std.
//!
//! Every path is resolved by cap-std relative to the directory handle it was
//! given (with `openat2(RESOLVE_BENEATH)` where the host kernel has it), so
//! `..`, absolute symlinks and chains of symlinks cannot reach anything
//! outside. cap-std reports such an escape attempt as `PermissionDenied`
//! without an OS error, mapped to **EACCES**. This includes any absolute
//! symlink inside the directory, even one that would land inside it: cap-std
//! does not resolve absolute targets. A symlink loop is ELOOP. (The syscall
//! layer answers such an EACCES by walking the path itself, symlink by
//! symlink through the VFS with absolute targets taken from the cage's root,
//! and retrying: so the cage sees chroot semantics, and every access still
//! goes through this confined file system.)
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
use crate::host::host_errno;
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

/// What an operation does to a directory entry, for [`HostFs::may_change_entry`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Creates it (an existing one is the operation's own EEXIST).
    Add,
    /// Removes it (a missing one is the operation's own ENOENT).
    Remove,
    /// Creates it, or replaces the one there (rename's target).
    Replace,
}

impl HostFs {
    /// A new entry made for a cage acting as another user than lind's own
    /// belongs to that user, as on Linux. Best effort: a lind that is not
    /// root cannot give files away.
    fn give_to(&self, path: &[u8], cred: &Cred) {
        if !acts_as_host_user(cred) {
            let _ = FileSystem::chown(self, path, Some(cred.euid), Some(cred.egid), false);
        }
    }

    /// Linux's may_create/may_delete for a cage acting as another user
    /// than lind's own (one that dropped root): the directory needs write
    /// and search permission for the cage's identity, and removing from a
    /// sticky directory needs owning the entry or the directory (EPERM).
    fn may_change_entry(&self, path: &[u8], cred: &Cred, change: Change) -> KResult<()> {
        if host_checks(cred) {
            return Ok(());
        }
        let Ok(dir) = self.stat(super::split_last(path).0, true) else {
            return Ok(());
        };
        let entry = self.stat(path, false).ok();
        match (&entry, change) {
            (Some(_), Change::Add) | (None, Change::Remove) => return Ok(()),
            _ => {}
        }
        if !permitted(dir.mode, dir.uid, dir.gid, cred, W_OK | X_OK) {
            return Err(Errno::EACCES);
        }
        if let Some(entry) = entry {
            let sticky = dir.mode & S_ISVTX != 0;
            if sticky && cred.euid != dir.uid && cred.euid != entry.uid {
                return Err(Errno::EPERM);
            }
        }
        Ok(())
    }

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
    /// The host file system's own numbers (its kind, size and free
    /// space), read-only if the mount is.
    fn statfs(&self) -> KResult<lind_abi::layout::StatFs> {
        let root = self.open_path(b"", true)?;
        let s = rustix::fs::fstatfs(&root).map_err(host_errno)?;
        // rustix keeps statfs's fsid private; statvfs has it as one word.
        let fsid = rustix::fs::fstatvfs(&root).map_err(host_errno)?.f_fsid;
        let fsid = [fsid as u32, (fsid >> 32) as u32];
        let read_only = if self.read_only {
            lind_abi::layout::ST_RDONLY
        } else {
            0
        };
        Ok(lind_abi::layout::StatFs {
            fs_type: s.f_type as u64,
            bsize: s.f_bsize as u64,
            blocks: s.f_blocks,
            bfree: s.f_bfree,
            bavail: s.f_bavail,
            files: s.f_files,
            ffree: s.f_ffree,
            fsid,
            namelen: s.f_namelen as u64,
            frsize: s.f_frsize as u64,
            flags: s.f_flags as u64 | read_only,
        })
    }

    fn open(&self, path: &[u8], flags: u32, mode: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>> {
        let acc = flags & O_ACCMODE;
        let path_only = flags & O_PATH != 0;
        if flags & O_CREAT != 0 && flags & O_DIRECTORY != 0 {
            return Err(Errno::EINVAL);
        }
        // lind's host process may be allowed more than the cage's user (a
        // cage that dropped root): an existing file's mode bits are checked
        // against the cage's credentials before the host opens (or
        // truncates) it. A cage acting as lind's own user leaves that to
        // the host.
        if !path_only && !host_checks(cred) {
            let want = match acc {
                O_WRONLY => W_OK,
                O_RDWR => R_OK | W_OK,
                _ => R_OK,
            } | if flags & O_TRUNC != 0 { W_OK } else { 0 };
            match self.stat(path, flags & O_NOFOLLOW == 0) {
                Ok(st) if !permitted(st.mode, st.uid, st.gid, cred, want) => {
                    return Err(Errno::EACCES)
                }
                Err(Errno::ENOENT) if flags & O_CREAT != 0 => {
                    self.may_change_entry(path, cred, Change::Add)?
                }
                _ => {}
            }
        }
        if self.read_only {
            let changes = !path_only && (acc != O_RDONLY || flags & O_TRUNC != 0);
            match self.stat(path, flags & O_NOFOLLOW == 0) {
                Ok(_) if flags & O_CREAT != 0 && flags & O_EXCL != 0 => return Err(Errno::EEXIST),
                // The kernel opens FIFOs (they hold no data on the mount).
                Ok(st) if !path_only && st.mode & S_IFMT == S_IFIFO => return Err(Errno::ENXIO),
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
        if flags & O_NOFOLLOW != 0 {
            o.follow(FollowSymlinks::No);
        }
        // Creation flags go in as raw host flags: cap-std's own `create`
        // refuses O_RDONLY|O_CREAT, which POSIX allows.
        // Always non-blocking on the host: opening a host FIFO must not
        // wait there (it is found below and opened by the kernel).
        let open = |flags: u32| {
            let extra =
                host_oflags(flags & (O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY | O_NOCTTY | O_PATH))
                    | if path_only {
                        OFlags::empty()
                    } else {
                        OFlags::NONBLOCK
                    };
            let mut o = o.clone();
            o.custom_flags(extra.bits() as i32).mode(mode & 0o7777);
            self.root.open_with(host_path(path), &o).map_err(errno)
        };
        // The host applies lind's own umask to new files, so a file this
        // call creates gets the cage's mode set exactly afterwards. To know
        // whether it did create it, O_CREAT without O_EXCL is tried as a
        // plain open first.
        let (file, created) = match flags & (O_CREAT | O_EXCL) {
            0 => (open(flags)?, false),
            O_CREAT => match open(flags & !O_CREAT) {
                Ok(f) => (f, false),
                Err(Errno::ENOENT) => match open(flags | O_EXCL) {
                    Ok(f) => (f, true),
                    Err(Errno::EEXIST) => (open(flags & !O_CREAT)?, false),
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            },
            _ => (open(flags)?, flags & O_CREAT != 0),
        };
        let file = file.into_std();
        let st = rustix::fs::fstat(&file).map_err(host_errno)?;
        let kind = st.st_mode & S_IFMT;
        // Linux opens O_PATH|O_NOFOLLOW on a symlink, and refuses the rest.
        if kind == S_IFLNK && !path_only {
            return Err(Errno::ELOOP);
        }
        if !path_only {
            match kind {
                S_IFIFO => return Err(Errno::ENXIO),
                // Where O_NONBLOCK means something, the cage's choice holds.
                S_IFCHR | S_IFBLK if flags & O_NONBLOCK == 0 => {
                    let status = rustix::fs::fcntl_getfl(&file).map_err(host_errno)?;
                    rustix::fs::fcntl_setfl(&file, status - OFlags::NONBLOCK)
                        .map_err(host_errno)?;
                }
                _ => {}
            }
        }
        if created && st.st_mode & 0o7777 != mode & 0o7777 {
            rustix::fs::fchmod(&file, rustix::fs::Mode::from_raw_mode(mode & 0o7777))
                .map_err(host_errno)?;
        }
        if created {
            self.give_to(path, cred);
        }
        Ok(Arc::new(HostFile {
            file,
            kind,
            is_root: path.is_empty(),
            read_only: self.read_only,
        }))
    }

    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat> {
        let p = host_path(path);
        let m = if path.is_empty() {
            self.root.dir_metadata()
        } else if !follow {
            self.root.symlink_metadata(p)
        } else if !path.contains(&b'/') {
            // cap-std stats one name without following in one host call
            // (following costs an open, a stat and a close): try that first.
            match self.root.symlink_metadata(p) {
                Ok(m) if !m.file_type().is_symlink() => Ok(m),
                Ok(_) => self.root.metadata(p),
                Err(e) => Err(e),
            }
        } else {
            self.root.metadata(p)
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

    fn mkdir(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        if path.is_empty() {
            return Err(Errno::EEXIST);
        }
        self.may_change_entry(path, cred, Change::Add)?;
        if self.read_only {
            // EEXIST wins over EROFS, as on Linux.
            return match self.stat(path, false) {
                Ok(_) => Err(Errno::EEXIST),
                Err(_) => Err(Errno::EROFS),
            };
        }
        let mut b = DirBuilder::new();
        b.mode(mode & 0o7777);
        let p = host_path(path);
        self.root.create_dir_with(p, &b).map_err(errno)?;
        // As for files: the host's umask is not the cage's.
        let perm = cap_std::fs::Permissions::from_mode(mode & 0o7777);
        self.root.set_permissions(p, perm).map_err(errno)?;
        self.give_to(path, cred);
        Ok(())
    }

    fn rmdir(&self, path: &[u8], cred: &Cred) -> KResult<()> {
        if path.is_empty() {
            return Err(Errno::EBUSY);
        }
        self.may_change_entry(path, cred, Change::Remove)?;
        self.writable()?;
        self.root.remove_dir(host_path(path)).map_err(errno)
    }

    fn unlink(&self, path: &[u8], cred: &Cred) -> KResult<()> {
        if path.is_empty() {
            return Err(Errno::EISDIR);
        }
        self.may_change_entry(path, cred, Change::Remove)?;
        self.writable()?;
        self.root.remove_file(host_path(path)).map_err(errno)
    }

    fn rename(&self, from: &[u8], to: &[u8], cred: &Cred) -> KResult<()> {
        if from.is_empty() || to.is_empty() {
            return Err(Errno::EBUSY);
        }
        self.may_change_entry(from, cred, Change::Remove)?;
        self.may_change_entry(to, cred, Change::Replace)?;
        self.writable()?;
        self.root
            .rename(host_path(from), &self.root, host_path(to))
            .map_err(errno)
    }

    fn link(&self, from: &[u8], to: &[u8], cred: &Cred) -> KResult<()> {
        if to.is_empty() {
            return Err(Errno::EEXIST);
        }
        self.may_change_entry(to, cred, Change::Add)?;
        self.writable()?;
        self.root
            .hard_link(host_path(from), &self.root, host_path(to))
            .map_err(errno)
    }

    fn symlink(&self, target: &[u8], path: &[u8], cred: &Cred) -> KResult<()> {
        if target.is_empty() {
            return Err(Errno::ENOENT);
        }
        if path.is_empty() {
            return Err(Errno::EEXIST);
        }
        self.may_change_entry(path, cred, Change::Add)?;
        self.writable()?;
        self.root
            .symlink_contents(OsStr::from_bytes(target), host_path(path))
            .map_err(errno)?;
        self.give_to(path, cred);
        Ok(())
    }

    fn mknod(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        let kind = match mode & S_IFMT {
            S_IFSOCK => rustix::fs::FileType::Socket,
            S_IFIFO => rustix::fs::FileType::Fifo,
            _ => return Err(Errno::EPERM),
        };
        if path.is_empty() {
            return Err(Errno::EEXIST);
        }
        self.may_change_entry(path, cred, Change::Add)?;
        self.writable()?;
        // The parent is opened through cap-std (confined); the node is made
        // relative to it, and mknodat never follows the last component.
        let (parent, name) = super::split_last(path);
        let dir = if parent.is_empty() {
            self.root.try_clone().map_err(errno)?
        } else {
            self.root.open_dir(host_path(parent)).map_err(errno)?
        };
        rustix::fs::mknodat(
            &dir,
            OsStr::from_bytes(name),
            kind,
            rustix::fs::Mode::from_raw_mode(mode & 0o7777),
            0,
        )
        .map_err(host_errno)?;
        // The host's umask is not the cage's.
        let _ = rustix::fs::chmodat(
            &dir,
            OsStr::from_bytes(name),
            rustix::fs::Mode::from_raw_mode(mode & 0o7777),
            AtFlags::empty(),
        );
        self.give_to(path, cred);
        Ok(())
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
        .map_err(host_errno)
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
        match st.mode & S_IFMT {
            S_IFDIR => return Err(Errno::EISDIR),
            // Linux's answer, and a host FIFO must not be opened here.
            S_IFREG => {}
            _ => return Err(Errno::EINVAL),
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

/// Whether the host's own checks hold for `cred`: root passes mode bits
/// anyway, and lind's own identity is what the host checks.
fn host_checks(cred: &Cred) -> bool {
    cred.is_root() || acts_as_host_user(cred)
}

/// Whether `cred` is the identity lind itself runs with, whose access the
/// host checks on every open.
fn acts_as_host_user(cred: &Cred) -> bool {
    static HOST: std::sync::OnceLock<(u32, u32)> = std::sync::OnceLock::new();
    let &(euid, egid) = HOST.get_or_init(|| {
        (
            rustix::process::geteuid().as_raw(),
            rustix::process::getegid().as_raw(),
        )
    });
    cred.euid == euid && cred.egid == egid
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
        Ok(stat_of_raw(
            &rustix::fs::fstat(&self.file).map_err(host_errno)?,
        ))
    }

    fn read_dir(&self) -> KResult<Vec<DirEntry>> {
        if !self.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let st = self.stat()?;
        let mut dir = rustix::fs::Dir::read_from(&self.file).map_err(host_errno)?;
        let mut out = Vec::new();
        while let Some(ent) = dir.read() {
            let ent = ent.map_err(host_errno)?;
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

    fn allocate(&self, mode: u32, offset: u64, len: u64) -> KResult<()> {
        crate::shm::host_allocate(&self.file, mode, offset, len)
    }

    /// The host's answer: a host tmpfs file has F_SEAL_SEAL, other file
    /// systems have no seals (EINVAL).
    fn seals(&self) -> KResult<u32> {
        crate::shm::host_seals(&self.file)
    }

    fn add_seals(&self, seals: u32) -> KResult<()> {
        crate::shm::add_host_seals(&self.file, seals)
    }

    fn map_fd(&self) -> KResult<std::os::fd::OwnedFd> {
        if self.kind != S_IFREG {
            return Err(Errno::ENODEV);
        }
        rustix::io::fcntl_dupfd_cloexec(&self.file, 0).map_err(host_errno)
    }

    fn sync(&self) -> KResult<()> {
        if self.read_only {
            return Ok(());
        }
        rustix::fs::fsync(&self.file).map_err(host_errno)
    }

    fn chmod(&self, mode: u32) -> KResult<()> {
        self.writable()?;
        rustix::fs::fchmod(&self.file, rustix::fs::Mode::from_raw_mode(mode & 0o7777))
            .map_err(host_errno)
    }

    fn chown(&self, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        self.writable()?;
        rustix::fs::fchown(
            &self.file,
            uid.map(rustix::fs::Uid::from_raw),
            gid.map(rustix::fs::Gid::from_raw),
        )
        .map_err(host_errno)
    }

    fn set_times(&self, atime: TimeSpec, mtime: TimeSpec) -> KResult<()> {
        self.writable()?;
        let t = rustix::fs::Timestamps {
            last_access: rustix_time(atime),
            last_modification: rustix_time(mtime),
        };
        rustix::fs::futimens(&self.file, &t).map_err(host_errno)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cap_std::ambient_authority;
    use std::os::unix::fs::{symlink, PermissionsExt as _};

    /// A temp dir holding `outside` (a secret file) and `root/`, the
    /// directory the file system serves.
    fn setup() -> (tempfile::TempDir, HostFs) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("outside"), b"secret").unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("f"), b"hello").unwrap();
        std::fs::create_dir(root.join("d")).unwrap();
        let dir = Dir::open_ambient_dir(&root, ambient_authority()).unwrap();
        (tmp, HostFs::new(dir, false))
    }

    fn me() -> Cred {
        Cred::from_host()
    }

    fn read_all(f: &dyn FileLike) -> Vec<u8> {
        let mut buf = vec![0u8; 4096];
        let n = f.pread(&mut buf, 0).unwrap();
        buf.truncate(n);
        buf
    }

    #[test]
    fn escapes_are_refused() {
        let (tmp, fs) = setup();
        let root = tmp.path().join("root");
        symlink("../outside", root.join("dotdot")).unwrap();
        symlink(tmp.path().join("outside"), root.join("abs")).unwrap();
        symlink("/", root.join("slash")).unwrap();
        symlink("d/../../outside", root.join("sneaky")).unwrap();
        // A chain: each hop is relative, together they leave.
        symlink("../hop2", root.join("d/hop1")).unwrap();
        symlink("d/../..", root.join("hop2")).unwrap();
        symlink("loop_b", root.join("loop_a")).unwrap();
        symlink("loop_a", root.join("loop_b")).unwrap();
        for (path, what) in [
            (&b"dotdot"[..], "symlink to .."),
            (b"abs", "absolute symlink"),
            (b"sneaky", "symlink through a dir"),
        ] {
            assert_eq!(
                fs.open(path, O_RDONLY, 0, &me()).err(),
                Some(Errno::EACCES),
                "{what}"
            );
            assert_eq!(fs.stat(path, true).err(), Some(Errno::EACCES), "{what}");
            assert_eq!(fs.truncate(path, 0).err(), Some(Errno::EACCES), "{what}");
        }
        assert_eq!(
            fs.open(b"slash/etc/passwd", O_RDONLY, 0, &me()).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(fs.stat(b"slash", true).err(), Some(Errno::EACCES));
        assert_eq!(
            fs.open(b"d/hop1/outside", O_RDONLY, 0, &me()).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(fs.stat(b"d/hop1", true).err(), Some(Errno::EACCES));
        assert_eq!(
            fs.mkdir(b"slash/tmp/x", 0o755, &me()).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(
            fs.open(b"loop_a", O_RDONLY, 0, &me()).err(),
            Some(Errno::ELOOP)
        );
        assert_eq!(fs.stat(b"loop_a", true).err(), Some(Errno::ELOOP));
        // Lexical `..` never reaches the file system (the VFS removes it),
        // but if it did, it is refused too.
        assert_eq!(
            fs.open(b"../outside", O_RDONLY, 0, &me()).err(),
            Some(Errno::EACCES)
        );
        // The links themselves are fine to look at.
        assert_eq!(fs.stat(b"abs", false).unwrap().mode & S_IFMT, S_IFLNK);
        assert_eq!(fs.readlink(b"dotdot").unwrap(), b"../outside");
        // Writing through an escaping link creates nothing outside.
        assert!(fs
            .open(b"dotdot", O_CREAT | O_WRONLY | O_TRUNC, 0o644, &me())
            .is_err());
        assert_eq!(
            std::fs::read(tmp.path().join("outside")).unwrap(),
            b"secret"
        );
        // Relative symlinks inside work.
        symlink("d/../f", root.join("ok")).unwrap();
        assert_eq!(
            read_all(&*fs.open(b"ok", O_RDONLY, 0, &me()).unwrap()),
            b"hello"
        );
    }

    #[test]
    fn files_read_write_stat() {
        let (tmp, fs) = setup();
        let f = fs.open(b"f", O_RDWR, 0, &me()).unwrap();
        assert!(f.seekable());
        assert_eq!(read_all(&*f), b"hello");
        assert_eq!(f.pwrite(b"J", 0), Ok(1));
        assert_eq!(f.pwrite(b"!", 7), Ok(1));
        assert_eq!(read_all(&*f), b"Jello\0\0!");
        let st = f.stat().unwrap();
        let host = std::fs::metadata(tmp.path().join("root/f")).unwrap();
        use std::os::unix::fs::MetadataExt as _;
        assert_eq!(
            (st.ino, st.dev, st.size, st.mode),
            (host.ino(), host.dev(), 8, host.mode())
        );
        assert_eq!(fs.stat(b"f", true).unwrap(), st);
        f.truncate(2).unwrap();
        assert_eq!(read_all(&*f), b"Je");
        f.chmod(0o600).unwrap();
        assert_eq!(fs.stat(b"f", true).unwrap().mode, S_IFREG | 0o600);
        f.set_times(
            TimeSpec::At(Timespec { sec: 1000, nsec: 5 }),
            TimeSpec::Omit,
        )
        .unwrap();
        assert_eq!(
            fs.stat(b"f", true).unwrap().atime,
            Timespec { sec: 1000, nsec: 5 }
        );
        f.chown(Some(st.uid), Some(st.gid)).unwrap();
        f.sync().unwrap();
    }

    #[test]
    fn open_flags() {
        let (_tmp, fs) = setup();
        let c = me();
        assert_eq!(fs.open(b"d", O_WRONLY, 0, &c).err(), Some(Errno::EISDIR));
        assert_eq!(
            fs.open(b"f", O_RDONLY | O_DIRECTORY, 0, &c).err(),
            Some(Errno::ENOTDIR)
        );
        assert_eq!(
            fs.open(b"f", O_CREAT | O_EXCL | O_WRONLY, 0o644, &c).err(),
            Some(Errno::EEXIST)
        );
        assert_eq!(fs.open(b"nope", O_RDONLY, 0, &c).err(), Some(Errno::ENOENT));
        assert_eq!(fs.open(b"f/x", O_RDONLY, 0, &c).err(), Some(Errno::ENOTDIR));
        // POSIX allows creating a file opened read-only.
        let n = fs.open(b"new", O_CREAT | O_RDONLY, 0o640, &c).unwrap();
        assert_eq!(n.stat().unwrap().mode, S_IFREG | 0o640);
        symlink("f", _tmp.path().join("root/l")).unwrap();
        assert_eq!(
            fs.open(b"l", O_RDONLY | O_NOFOLLOW, 0, &c).err(),
            Some(Errno::ELOOP)
        );
        let p = fs.open(b"l", O_PATH | O_NOFOLLOW, 0, &c).unwrap();
        assert_eq!(p.stat().unwrap().mode & S_IFMT, S_IFLNK);
        let t = fs.open(b"f", O_WRONLY | O_TRUNC, 0, &c).unwrap();
        assert_eq!(t.stat().unwrap().size, 0);
    }

    #[test]
    fn host_fifos_are_never_opened_on_the_host() {
        let (tmp, fs) = setup();
        let c = me();
        fs.mknod(b"p", S_IFIFO | 0o640, &c).unwrap();
        let host = std::fs::symlink_metadata(tmp.path().join("root/p")).unwrap();
        use std::os::unix::fs::FileTypeExt as _;
        assert!(host.file_type().is_fifo());
        assert_eq!(fs.stat(b"p", false).unwrap().mode, S_IFIFO | 0o640);
        // Neither end would return on the host without the other; both
        // come back at once, for the kernel to open.
        for flags in [O_RDONLY, O_WRONLY, O_RDWR, O_WRONLY | O_CREAT] {
            assert_eq!(fs.open(b"p", flags, 0o600, &c).err(), Some(Errno::ENXIO));
        }
        assert!(fs.open(b"p", O_PATH, 0, &c).is_ok());
        assert_eq!(fs.truncate(b"p", 0), Err(Errno::EINVAL));
        assert_eq!(fs.mknod(b"c", S_IFCHR | 0o600, &c), Err(Errno::EPERM));
    }

    #[test]
    fn new_files_get_the_cage_mode_not_the_host_umask() {
        let (tmp, fs) = setup();
        let c = me();
        let f = fs.open(b"g", O_CREAT | O_WRONLY, 0o666, &c).unwrap();
        assert_eq!(f.stat().unwrap().mode, S_IFREG | 0o666);
        let f = fs.open(b"h", O_CREAT | O_EXCL | O_RDWR, 0o777, &c).unwrap();
        assert_eq!(f.stat().unwrap().mode, S_IFREG | 0o777);
        // An existing file keeps its mode.
        std::fs::set_permissions(
            tmp.path().join("root/f"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        let f = fs.open(b"f", O_CREAT | O_WRONLY, 0o666, &c).unwrap();
        assert_eq!(f.stat().unwrap().mode, S_IFREG | 0o600);
        fs.mkdir(b"open", 0o777, &c).unwrap();
        assert_eq!(fs.stat(b"open", true).unwrap().mode, S_IFDIR | 0o777);
        assert_eq!(
            fs.open(b"nodir/x", O_CREAT | O_WRONLY, 0o666, &c).err(),
            Some(Errno::ENOENT)
        );
    }

    #[test]
    fn directories_list_dot_and_dotdot() {
        let (tmp, fs) = setup();
        let root = fs.open(b"", O_RDONLY | O_DIRECTORY, 0, &me()).unwrap();
        assert!(!root.seekable());
        let mut buf = [0u8; 4];
        assert_eq!(root.read(&mut buf, 0), Err(Errno::EISDIR));
        let ents = root.read_dir().unwrap();
        assert_eq!(ents[0].name, b".");
        assert_eq!(ents[1].name, b"..");
        let root_ino = fs.stat(b"", true).unwrap().ino;
        // The root's `..` is itself: nothing about the host's parent leaks.
        assert_eq!((ents[0].ino, ents[1].ino), (root_ino, root_ino));
        let mut rest: Vec<_> = ents[2..].iter().map(|e| (e.name.clone(), e.kind)).collect();
        rest.sort();
        assert_eq!(rest, [(b"d".to_vec(), DT_DIR), (b"f".to_vec(), DT_REG)]);
        let d = fs.open(b"d", O_RDONLY, 0, &me()).unwrap();
        let ents = d.read_dir().unwrap();
        assert_eq!(ents[1].ino, root_ino);
        assert_eq!(
            fs.open(b"f", O_RDONLY, 0, &me()).unwrap().read_dir().err(),
            Some(Errno::ENOTDIR)
        );
        drop(tmp);
    }

    #[test]
    fn names_change() {
        let (tmp, fs) = setup();
        let c = me();
        fs.mkdir(b"d/e", 0o750, &c).unwrap();
        assert_eq!(fs.stat(b"d/e", true).unwrap().mode & 0o777, 0o750);
        assert_eq!(fs.mkdir(b"d/e", 0o750, &c), Err(Errno::EEXIST));
        assert_eq!(fs.rmdir(b"d", &c), Err(Errno::ENOTEMPTY));
        assert_eq!(fs.unlink(b"d", &c), Err(Errno::EISDIR));
        fs.rename(b"f", b"d/e/g", &c).unwrap();
        fs.link(b"d/e/g", b"h", &c).unwrap();
        assert_eq!(fs.stat(b"h", true).unwrap().nlink, 2);
        fs.symlink(b"/anything/at/all", b"s", &c).unwrap();
        assert_eq!(fs.readlink(b"s").unwrap(), b"/anything/at/all");
        assert_eq!(fs.readlink(b"h"), Err(Errno::EINVAL));
        fs.unlink(b"s", &c).unwrap();
        fs.unlink(b"d/e/g", &c).unwrap();
        fs.rmdir(b"d/e", &c).unwrap();
        fs.chmod(b"h", 0o604, true).unwrap();
        fs.set_times(
            b"h",
            TimeSpec::Now,
            TimeSpec::At(Timespec { sec: 42, nsec: 0 }),
            true,
        )
        .unwrap();
        let st = fs.stat(b"h", true).unwrap();
        assert_eq!((st.mode & 0o777, st.mtime.sec), (0o604, 42));
        fs.chown(b"h", None, None, false).unwrap();
        fs.truncate(b"h", 1).unwrap();
        assert_eq!(std::fs::read(tmp.path().join("root/h")).unwrap(), b"h");
        assert_eq!(fs.rename(b"", b"x", &c), Err(Errno::EBUSY));
        assert_eq!(fs.rmdir(b"", &c), Err(Errno::EBUSY));
        assert_eq!(fs.access(b"h", R_OK | W_OK, &c), Ok(()));
        assert_eq!(fs.access(b"h", X_OK, &c), Err(Errno::EACCES));
    }

    #[test]
    fn read_only_mounts_refuse_changes() {
        let (tmp, _) = setup();
        let dir = Dir::open_ambient_dir(tmp.path().join("root"), ambient_authority()).unwrap();
        let fs = HostFs::new(dir, true);
        let c = me();
        let f = fs.open(b"f", O_RDONLY, 0, &c).unwrap();
        assert_eq!(read_all(&*f), b"hello");
        assert_eq!(fs.open(b"f", O_WRONLY, 0, &c).err(), Some(Errno::EROFS));
        assert_eq!(
            fs.open(b"f", O_RDONLY | O_TRUNC, 0, &c).err(),
            Some(Errno::EROFS)
        );
        assert_eq!(
            fs.open(b"new", O_CREAT | O_WRONLY, 0o644, &c).err(),
            Some(Errno::EROFS)
        );
        assert_eq!(fs.open(b"new", O_RDONLY, 0, &c).err(), Some(Errno::ENOENT));
        assert_eq!(
            fs.open(b"f", O_CREAT | O_EXCL | O_WRONLY, 0o644, &c).err(),
            Some(Errno::EEXIST)
        );
        assert!(fs.open(b"f", O_CREAT | O_RDONLY, 0o644, &c).is_ok());
        assert_eq!(fs.mkdir(b"x", 0o755, &c), Err(Errno::EROFS));
        assert_eq!(fs.mkdir(b"d", 0o755, &c), Err(Errno::EEXIST));
        assert_eq!(fs.unlink(b"f", &c), Err(Errno::EROFS));
        assert_eq!(fs.rmdir(b"d", &c), Err(Errno::EROFS));
        assert_eq!(fs.rename(b"f", b"g", &c), Err(Errno::EROFS));
        assert_eq!(fs.link(b"f", b"g", &c), Err(Errno::EROFS));
        assert_eq!(fs.symlink(b"f", b"g", &c), Err(Errno::EROFS));
        assert_eq!(fs.chmod(b"f", 0o777, true), Err(Errno::EROFS));
        assert_eq!(fs.chown(b"f", None, None, true), Err(Errno::EROFS));
        assert_eq!(
            fs.set_times(b"f", TimeSpec::Now, TimeSpec::Now, true),
            Err(Errno::EROFS)
        );
        assert_eq!(fs.truncate(b"f", 0), Err(Errno::EROFS));
        assert_eq!(fs.access(b"f", W_OK, &c), Err(Errno::EROFS));
        assert_eq!(f.chmod(0o777), Err(Errno::EROFS));
        assert_eq!(f.truncate(0), Err(Errno::EROFS));
        assert_eq!(std::fs::read(tmp.path().join("root/f")).unwrap(), b"hello");
    }
}
