//! Open files: the object behind a descriptor.
//!
//! [`FileLike`] is what a file *is* (regular file, directory, device, pipe
//! end…); its default methods return the errno Linux gives for an operation
//! that kind of file does not support, so each kind implements only what it
//! has. [`OpenFile`] is the open-file description: offset and status flags,
//! shared by every descriptor that `dup` or `fork` made from one `open`.

use crate::{
    memory::{gather, iov_total, scatter, GuestMemory, IoVecs},
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// What fstat says of an epoll, eventfd, timerfd or signalfd descriptor:
/// as on Linux, they all share one anonymous inode.
pub fn anon_inode_stat() -> KResult<Stat> {
    Ok(Stat {
        dev: 0xd,
        ino: 1,
        nlink: 1,
        mode: 0o600,
        blksize: 4096,
        ..Stat::default()
    })
}

/// One directory entry as `getdents64` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub ino: u64,
    pub kind: u8,
    pub name: Vec<u8>,
}

/// Ownership, mode and time changes that `fchmod`/`fchown`/`futimens` (and
/// their path forms) apply to an inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    Now,
    Omit,
    At(lind_abi::layout::Timespec),
}

/// Largest single host-side transfer of a read or write; longer calls on
/// regular files loop, streams return a short count.
pub const GUEST_IO_MAX: usize = 1 << 20;

/// [`FileLike::read_guest`] through a host buffer: one read of at most
/// [`GUEST_IO_MAX`] bytes.
pub fn read_guest_buffered<F: FileLike + ?Sized>(
    f: &F,
    mem: &mut dyn GuestMemory,
    iov: &IoVecs,
    status: u32,
) -> KResult<usize> {
    let total = iov_total(iov);
    let mut buf = vec![0u8; total.min(GUEST_IO_MAX)];
    let n = f.read(&mut buf, status)?;
    scatter(mem, iov, 0, &buf[..n])?;
    Ok(n)
}

/// [`FileLike::write_guest`] through host buffers: writes until all is
/// written, a write takes nothing, or one fails (an error only if nothing
/// was written).
pub fn write_guest_buffered<F: FileLike + ?Sized>(
    f: &F,
    mem: &dyn GuestMemory,
    iov: &IoVecs,
    status: u32,
) -> KResult<usize> {
    let total = iov_total(iov);
    if total == 0 {
        return f.write(&[], status);
    }
    let mut done = 0;
    while done < total {
        let n = (total - done).min(GUEST_IO_MAX);
        let mut buf = Vec::with_capacity(n);
        if let Err(e) = gather(mem, iov, done, n, &mut buf) {
            return if done > 0 { Ok(done) } else { Err(e) };
        }
        let mut at = 0;
        while at < n {
            match f.write(&buf[at..], status) {
                Ok(0) => return Ok(done + at),
                Ok(k) => at += k,
                Err(e) if done + at == 0 => return Err(e),
                Err(_) => return Ok(done + at),
            }
        }
        done += n;
    }
    Ok(done)
}

/// What a file is. Defaults are Linux's answers for unsupported operations.
pub trait FileLike: Send + Sync {
    /// Positioned files (regular files, block devices) take offsets;
    /// streams (pipes, ttys, sockets, character devices) ignore them.
    /// A terminal: job-control ioctls (TIOCGPGRP, TIOCSPGRP) apply.
    fn is_terminal(&self) -> bool {
        false
    }
    fn seekable(&self) -> bool {
        false
    }
    /// Stream read; only called when `seekable()` is false.
    fn read(&self, _buf: &mut [u8], _status: u32) -> KResult<usize> {
        Err(Errno::EINVAL)
    }
    /// Stream write; only called when `seekable()` is false.
    fn write(&self, _data: &[u8], _status: u32) -> KResult<usize> {
        Err(Errno::EINVAL)
    }
    /// Stream read straight into the guest buffers `iov` (checked by the
    /// caller; their total is not 0). The default reads into a host buffer
    /// first; queues (pipes, sockets) override it to copy once.
    fn read_guest(&self, mem: &mut dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        read_guest_buffered(self, mem, iov, status)
    }
    /// Stream write of the guest buffers `iov` (checked by the caller).
    /// The default copies them into host buffers ([`GUEST_IO_MAX`] at a
    /// time) and writes those.
    fn write_guest(&self, mem: &dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        write_guest_buffered(self, mem, iov, status)
    }
    fn pread(&self, _buf: &mut [u8], _offset: u64) -> KResult<usize> {
        Err(Errno::ESPIPE)
    }
    fn pwrite(&self, _data: &[u8], _offset: u64) -> KResult<usize> {
        Err(Errno::ESPIPE)
    }
    fn stat(&self) -> KResult<Stat>;
    /// The whole listing, `.` and `..` included; only directories have one.
    fn read_dir(&self) -> KResult<Vec<DirEntry>> {
        Err(Errno::ENOTDIR)
    }
    fn truncate(&self, _len: u64) -> KResult<()> {
        Err(Errno::EINVAL)
    }
    fn sync(&self) -> KResult<()> {
        Ok(())
    }
    /// What `/proc/<pid>/fd` and `/proc/<pid>/maps` call a file that
    /// has no path (`/memfd:NAME (deleted)`); None: its path, or its kind.
    fn proc_name(&self) -> Option<Vec<u8>> {
        None
    }
    /// A host descriptor (a new one, close-on-exec) for mapping the file's
    /// pages into a cage's memory; files without one say ENODEV (then a
    /// private mapping is a copy, and a shared one fails).
    fn map_fd(&self) -> KResult<std::os::fd::OwnedFd> {
        Err(Errno::ENODEV)
    }
    /// fallocate on a regular file: `mode` 0 makes `offset..offset+len`
    /// part of the file (growing it), FALLOC_FL_KEEP_SIZE reserves without
    /// growing; what else a file system supports is its own. Files that
    /// cannot say ENODEV.
    fn allocate(&self, _mode: u32, _offset: u64, _len: u64) -> KResult<()> {
        Err(Errno::ENODEV)
    }
    /// The file's seals (F_GET_SEALS). Only shmem files have them on
    /// Linux: every other file says EINVAL.
    fn seals(&self) -> KResult<u32> {
        Err(Errno::EINVAL)
    }
    /// F_ADD_SEALS, with `seals` already checked against the known bits.
    fn add_seals(&self, _seals: u32) -> KResult<()> {
        Err(Errno::EINVAL)
    }
    fn chmod(&self, _mode: u32) -> KResult<()> {
        Err(Errno::EPERM)
    }
    fn chown(&self, _uid: Option<u32>, _gid: Option<u32>) -> KResult<()> {
        Err(Errno::EPERM)
    }
    fn set_times(&self, _atime: TimeSpec, _mtime: TimeSpec) -> KResult<()> {
        Err(Errno::EPERM)
    }
    /// Device-specific requests; `arg` is a guest pointer or integer.
    fn ioctl(&self, _req: u32, _arg: u64, _mem: &mut dyn GuestMemory) -> KResult<i64> {
        Err(Errno::ENOTTY)
    }
    /// Bytes readable without blocking, for FIONREAD.
    fn bytes_available(&self) -> KResult<u64> {
        Err(Errno::ENOTTY)
    }
    /// The file's identity for record locks and `flock` (see
    /// [`crate::lock`]): the same for every open of one file. Defaults to
    /// `(st_dev, st_ino)`.
    fn lock_key(&self) -> Option<crate::lock::FileKey> {
        self.stat().ok().map(|st| (st.dev, st.ino))
    }
    /// Readiness now (POLLIN, POLLOUT, POLLHUP…); with a `waker`, also
    /// registers it with the queues that announce changes. `None`: the
    /// file has no poll method, like regular files and `/dev/null` on
    /// Linux: always ready for poll/select, EPERM for epoll.
    fn poll(&self, _waker: Option<&Arc<dyn crate::block::Waker>>) -> Option<u32> {
        None
    }
    /// The socket behind this file, for the socket calls (ENOTSOCK
    /// otherwise).
    fn as_socket(&self) -> Option<&dyn crate::socket::Socket> {
        None
    }
    /// The timerfd behind this file, for timerfd_settime/gettime.
    fn as_timerfd(&self) -> Option<&crate::timerfd::TimerFd> {
        None
    }
    /// The signalfd behind this file, for signalfd on an existing one.
    fn as_signalfd(&self) -> Option<&crate::signalfd::SignalFd> {
        None
    }
    /// The epoll instance behind this file, for epoll_ctl/epoll_wait.
    fn as_epoll(&self) -> Option<&crate::epoll::Epoll> {
        None
    }
    /// The pipe behind this file (either end), for F_GETPIPE_SZ/F_SETPIPE_SZ.
    fn as_pipe(&self) -> Option<&crate::pipe::Pipe> {
        None
    }
}

/// An open-file description.
pub struct OpenFile {
    pub file: Arc<dyn FileLike>,
    /// Access mode and status flags (O_APPEND, O_NONBLOCK…).
    status: AtomicU32,
    offset: Mutex<u64>,
    /// Directory listing snapshot taken when a `getdents` starts at 0.
    dir_snapshot: Mutex<Option<Arc<Vec<DirEntry>>>>,
    /// Absolute guest path it was opened by, if any: used for `*at` calls
    /// relative to a directory fd, `fchdir` and tracing.
    pub path: Option<Vec<u8>>,
    /// This description's `flock` identity, made by its first `flock`;
    /// dropping it (with the description) releases its locks.
    pub flock_owner: std::sync::OnceLock<crate::lock::FlockOwner>,
}

impl OpenFile {
    pub fn new(file: Arc<dyn FileLike>, status: u32, path: Option<Vec<u8>>) -> Arc<Self> {
        Arc::new(OpenFile {
            file,
            status: AtomicU32::new(status & !(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)),
            offset: Mutex::new(0),
            dir_snapshot: Mutex::new(None),
            path,
            flock_owner: std::sync::OnceLock::new(),
        })
    }

    pub fn status(&self) -> u32 {
        self.status.load(Ordering::Relaxed)
    }

    /// The file offset (`SEEK_CUR`'s base), without moving it.
    pub fn offset(&self) -> u64 {
        *self.offset.lock()
    }

    /// F_SETFL: only the changeable status flags move.
    pub fn set_status(&self, flags: u32) {
        let old = self.status();
        let new = (old & !O_SETFL_MASK) | (flags & O_SETFL_MASK);
        self.status.store(new, Ordering::Relaxed);
    }

    pub fn readable(&self) -> bool {
        let acc = self.status() & O_ACCMODE;
        self.status() & O_PATH == 0 && (acc == O_RDONLY || acc == O_RDWR)
    }

    pub fn writable(&self) -> bool {
        let acc = self.status() & O_ACCMODE;
        self.status() & O_PATH == 0 && (acc == O_WRONLY || acc == O_RDWR)
    }

    pub fn read(&self, buf: &mut [u8]) -> KResult<usize> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        if !self.file.seekable() {
            return self.file.read(buf, self.status());
        }
        let mut off = self.offset.lock();
        let n = self.file.pread(buf, *off)?;
        *off += n as u64;
        Ok(n)
    }

    pub fn write(&self, data: &[u8]) -> KResult<usize> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        if !self.file.seekable() {
            return self.file.write(data, self.status());
        }
        let mut off = self.offset.lock();
        if self.status() & O_APPEND != 0 {
            *off = self.file.stat()?.size as u64;
        }
        let n = self.file.pwrite(data, *off)?;
        *off += n as u64;
        Ok(n)
    }

    /// [`FileLike::read_guest`] on a stream (not seekable) description.
    pub fn read_guest(&self, mem: &mut dyn GuestMemory, iov: &IoVecs) -> KResult<usize> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        self.file.read_guest(mem, iov, self.status())
    }

    /// [`FileLike::write_guest`] on a stream (not seekable) description.
    pub fn write_guest(&self, mem: &dyn GuestMemory, iov: &IoVecs) -> KResult<usize> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        self.file.write_guest(mem, iov, self.status())
    }

    pub fn pread(&self, buf: &mut [u8], offset: i64) -> KResult<usize> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        if !self.file.seekable() {
            return Err(Errno::ESPIPE);
        }
        let offset = u64::try_from(offset).map_err(|_| Errno::EINVAL)?;
        self.file.pread(buf, offset)
    }

    pub fn pwrite(&self, data: &[u8], offset: i64) -> KResult<usize> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        if !self.file.seekable() {
            return Err(Errno::ESPIPE);
        }
        let offset = u64::try_from(offset).map_err(|_| Errno::EINVAL)?;
        // Linux appends even with pwrite on an O_APPEND file.
        let offset = if self.status() & O_APPEND != 0 {
            self.file.stat()?.size as u64
        } else {
            offset
        };
        self.file.pwrite(data, offset)
    }

    pub fn seek(&self, offset: i64, whence: u32) -> KResult<u64> {
        let is_dir = self.file.stat()?.mode & S_IFMT == S_IFDIR;
        if !self.file.seekable() && !is_dir {
            return Err(Errno::ESPIPE);
        }
        let mut off = self.offset.lock();
        let base: i64 = match whence {
            SEEK_SET => 0,
            SEEK_CUR => *off as i64,
            SEEK_END => self.file.stat()?.size,
            SEEK_DATA | SEEK_HOLE => {
                let size = self.file.stat()?.size;
                if offset < 0 || offset >= size {
                    return Err(Errno::ENXIO);
                }
                let pos = if whence == SEEK_DATA { offset } else { size };
                *off = pos as u64;
                return Ok(*off);
            }
            _ => return Err(Errno::EINVAL),
        };
        let new = base.checked_add(offset).ok_or(Errno::EOVERFLOW)?;
        if new < 0 {
            return Err(Errno::EINVAL);
        }
        *off = new as u64;
        if is_dir && new == 0 {
            *self.dir_snapshot.lock() = None;
        }
        Ok(*off)
    }

    /// Returns directory entries from the current position on and the
    /// position each one ends at, taking a fresh snapshot at position 0.
    pub fn dir_entries(&self) -> KResult<(Arc<Vec<DirEntry>>, u64)> {
        let off = *self.offset.lock();
        let mut snap = self.dir_snapshot.lock();
        if off == 0 || snap.is_none() {
            *snap = Some(Arc::new(self.file.read_dir()?));
        }
        Ok((snap.clone().unwrap_or_default(), off))
    }

    /// Records how far `getdents` got.
    pub fn set_dir_position(&self, pos: u64) {
        *self.offset.lock() = pos;
    }
}
