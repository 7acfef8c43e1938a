//! Shared memory objects: `memfd_create` files and System V segments.
//! Both are host memfds, so cages map their pages zero-copy (see
//! [`crate::memory::GuestMemory::map_file`]) and every cage that maps one
//! sees the same bytes. POSIX `shm_open` needs nothing here: musl opens
//! files under `/dev/shm`, a kernel-wide in-memory file system.

use crate::file::FileLike;
use crate::host::host_errno;
use crate::KResult;
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Device number of memfds and segments (tmpfs-like anonymous device).
const DEV: u64 = 0x2f;
static NEXT_INO: AtomicU64 = AtomicU64::new(1);

fn new_memfd(size: u64) -> KResult<OwnedFd> {
    host_memfd(size, rustix::fs::MemfdFlags::CLOEXEC)
}

fn host_memfd(size: u64, flags: rustix::fs::MemfdFlags) -> KResult<OwnedFd> {
    let fd = rustix::fs::memfd_create("lind-shm", flags).map_err(host_errno)?;
    rustix::fs::ftruncate(&fd, size).map_err(host_errno)?;
    Ok(fd)
}

/// fallocate on a host file (every mode the host's file system has).
pub(crate) fn host_allocate(
    fd: impl std::os::fd::AsFd,
    mode: u32,
    offset: u64,
    len: u64,
) -> KResult<()> {
    let mode = rustix::fs::FallocateFlags::from_bits_retain(mode);
    rustix::fs::fallocate(fd, mode, offset, len).map_err(host_errno)
}

/// F_GET_SEALS of a host file.
pub(crate) fn host_seals(fd: impl std::os::fd::AsFd) -> KResult<u32> {
    rustix::fs::fcntl_get_seals(fd)
        .map(|s| s.bits())
        .map_err(host_errno)
}

/// F_ADD_SEALS on a host file: the host kernel checks and enforces them.
pub(crate) fn add_host_seals(fd: impl std::os::fd::AsFd, seals: u32) -> KResult<()> {
    rustix::fs::fcntl_add_seals(fd, rustix::fs::SealFlags::from_bits_retain(seals))
        .map_err(host_errno)
}

/// A file made by `memfd_create`: an anonymous regular file whose bytes
/// live in a host memfd.
pub struct MemFd {
    fd: OwnedFd,
    ino: u64,
    uid: u32,
    gid: u32,
    /// memfd_create's name.
    name: Vec<u8>,
}

impl MemFd {
    /// `allow_sealing`: MFD_ALLOW_SEALING. The host memfd carries the
    /// seals, so the host kernel enforces them on every write, resize and
    /// mapping of its pages, with Linux's errnos.
    pub fn new(uid: u32, gid: u32, name: &[u8], allow_sealing: bool) -> KResult<Arc<Self>> {
        let mut flags = rustix::fs::MemfdFlags::CLOEXEC;
        if allow_sealing {
            flags |= rustix::fs::MemfdFlags::ALLOW_SEALING;
        }
        Ok(Arc::new(MemFd {
            fd: host_memfd(0, flags)?,
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
            uid,
            gid,
            name: name.to_vec(),
        }))
    }
}

impl FileLike for MemFd {
    fn seekable(&self) -> bool {
        true
    }

    fn pread(&self, buf: &mut [u8], offset: u64) -> KResult<usize> {
        rustix::io::pread(&self.fd, buf, offset).map_err(host_errno)
    }

    fn pwrite(&self, data: &[u8], offset: u64) -> KResult<usize> {
        if offset
            .checked_add(data.len() as u64)
            .is_none_or(|end| end > i64::MAX as u64)
        {
            return Err(Errno::EFBIG);
        }
        rustix::io::pwrite(&self.fd, data, offset).map_err(host_errno)
    }

    fn stat(&self) -> KResult<Stat> {
        let st = rustix::fs::fstat(&self.fd).map_err(host_errno)?;
        let time = |sec: i64, nsec: u64| lind_abi::layout::Timespec {
            sec,
            nsec: nsec as i64,
        };
        Ok(Stat {
            dev: DEV,
            ino: self.ino,
            nlink: 1,
            // Linux shows memfds as regular files with mode 0777.
            mode: S_IFREG | 0o777,
            uid: self.uid,
            gid: self.gid,
            rdev: 0,
            size: st.st_size,
            blksize: 4096,
            blocks: st.st_blocks,
            atime: time(st.st_atime, st.st_atime_nsec as u64),
            mtime: time(st.st_mtime, st.st_mtime_nsec as u64),
            ctime: time(st.st_ctime, st.st_ctime_nsec as u64),
        })
    }

    fn truncate(&self, len: u64) -> KResult<()> {
        if len > i64::MAX as u64 {
            return Err(Errno::EFBIG);
        }
        rustix::fs::ftruncate(&self.fd, len).map_err(host_errno)
    }

    fn map_fd(&self) -> KResult<OwnedFd> {
        rustix::io::fcntl_dupfd_cloexec(&self.fd, 0).map_err(host_errno)
    }

    fn allocate(&self, mode: u32, offset: u64, len: u64) -> KResult<()> {
        host_allocate(&self.fd, mode, offset, len)
    }

    fn seals(&self) -> KResult<u32> {
        host_seals(&self.fd)
    }

    fn add_seals(&self, seals: u32) -> KResult<()> {
        add_host_seals(&self.fd, seals)
    }

    fn proc_name(&self) -> Option<Vec<u8>> {
        let mut n = b"/memfd:".to_vec();
        n.extend_from_slice(&self.name);
        n.extend_from_slice(b" (deleted)");
        Some(n)
    }

    fn lock_key(&self) -> Option<crate::lock::FileKey> {
        Some((DEV | 1 << 62, self.ino))
    }
}

/// Largest segment shmget makes (Linux allows far more, but a cage's
/// whole memory is 4 GiB).
pub const SHMMAX: u64 = 1 << 31;

/// A System V shared memory segment.
pub struct Segment {
    pub id: i32,
    pub key: i32,
    pub size: u64,
    fd: OwnedFd,
    pub meta: Mutex<SegmentMeta>,
}

/// What IPC_STAT shows and IPC_SET changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SegmentMeta {
    pub uid: u32,
    pub gid: u32,
    pub cuid: u32,
    pub cgid: u32,
    /// Permission bits (low 9).
    pub mode: u32,
    pub cpid: i32,
    pub lpid: i32,
    pub atime: i64,
    pub dtime: i64,
    pub ctime: i64,
    /// IPC_RMID was done: the key is free, the segment goes away when the
    /// last attachment does.
    pub removed: bool,
}

impl Segment {
    /// A descriptor of the segment's memfd, for shmat.
    pub fn map_fd(&self) -> KResult<OwnedFd> {
        rustix::io::fcntl_dupfd_cloexec(&self.fd, 0).map_err(host_errno)
    }
}

/// Every System V segment of the kernel (all cages share them).
#[derive(Default)]
pub struct ShmTable {
    inner: Mutex<ShmInner>,
}

#[derive(Default)]
struct ShmInner {
    segments: BTreeMap<i32, Arc<Segment>>,
    next_id: i32,
}

/// Who calls shmget: owner of a new segment, and its creator pid.
#[derive(Clone, Copy, Debug)]
pub struct Caller {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
    pub now: i64,
}

impl ShmTable {
    /// shmget(2): the segment for `key` (a new one for IPC_PRIVATE, or
    /// with IPC_CREAT when there is none).
    pub fn get(&self, key: i32, size: u64, flags: u32, who: Caller) -> KResult<i32> {
        let mut inner = self.inner.lock();
        if key != IPC_PRIVATE {
            let found = inner
                .segments
                .values()
                .find(|s| s.key == key && !s.meta.lock().removed)
                .cloned();
            if let Some(seg) = found {
                if flags & IPC_CREAT != 0 && flags & IPC_EXCL != 0 {
                    return Err(Errno::EEXIST);
                }
                if size > seg.size {
                    return Err(Errno::EINVAL);
                }
                return Ok(seg.id);
            }
            if flags & IPC_CREAT == 0 {
                return Err(Errno::ENOENT);
            }
        }
        if size == 0 || size > SHMMAX {
            return Err(Errno::EINVAL);
        }
        let id = inner.next_id;
        inner.next_id = inner.next_id.checked_add(1).ok_or(Errno::ENOSPC)?;
        let seg = Arc::new(Segment {
            id,
            key,
            size,
            fd: new_memfd(size)?,
            meta: Mutex::new(SegmentMeta {
                uid: who.uid,
                gid: who.gid,
                cuid: who.uid,
                cgid: who.gid,
                mode: flags & 0o777,
                cpid: who.pid,
                ctime: who.now,
                ..SegmentMeta::default()
            }),
        });
        inner.segments.insert(id, seg);
        Ok(id)
    }

    /// The segment `id`, or EINVAL.
    pub fn segment(&self, id: i32) -> KResult<Arc<Segment>> {
        self.inner
            .lock()
            .segments
            .get(&id)
            .cloned()
            .ok_or(Errno::EINVAL)
    }

    /// IPC_RMID: the key is free at once; the segment itself goes once
    /// nothing is attached (`attached`: how many attachments there are).
    pub fn remove(&self, id: i32, attached: u64) -> KResult<()> {
        let mut inner = self.inner.lock();
        let seg = inner.segments.get(&id).cloned().ok_or(Errno::EINVAL)?;
        seg.meta.lock().removed = true;
        if attached == 0 {
            inner.segments.remove(&id);
        }
        Ok(())
    }

    /// Drops segment `id` if it was removed and nothing is attached.
    pub fn release(&self, id: i32, attached: u64) {
        let mut inner = self.inner.lock();
        let gone = inner
            .segments
            .get(&id)
            .is_some_and(|s| s.meta.lock().removed && attached == 0);
        if gone {
            inner.segments.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Caller {
        Caller {
            uid: 1000,
            gid: 1000,
            pid: 7,
            now: 100,
        }
    }

    #[test]
    fn keys_create_find_and_exclude() {
        let t = ShmTable::default();
        assert_eq!(t.get(42, 4096, 0o600, who()), Err(Errno::ENOENT));
        let id = t.get(42, 4096, IPC_CREAT | 0o600, who()).unwrap();
        assert_eq!(t.get(42, 100, 0, who()), Ok(id));
        assert_eq!(t.get(42, 8192, 0, who()), Err(Errno::EINVAL));
        assert_eq!(
            t.get(42, 4096, IPC_CREAT | IPC_EXCL, who()),
            Err(Errno::EEXIST)
        );
        let private = t.get(IPC_PRIVATE, 4096, 0, who()).unwrap();
        let other = t.get(IPC_PRIVATE, 4096, 0, who()).unwrap();
        assert!(private != id && other != private);
        assert_eq!(t.get(IPC_PRIVATE, 0, 0, who()), Err(Errno::EINVAL));
        let seg = t.segment(id).unwrap();
        let m = *seg.meta.lock();
        assert_eq!((seg.size, m.mode, m.cpid), (4096, 0o600, 7));
    }

    #[test]
    fn removal_frees_the_key_and_waits_for_detach() {
        let t = ShmTable::default();
        let id = t.get(5, 4096, IPC_CREAT | 0o600, who()).unwrap();
        t.remove(id, 1).unwrap();
        // Still there for those attached, but the key makes a new one.
        assert!(t.segment(id).is_ok());
        let again = t.get(5, 4096, IPC_CREAT | 0o600, who()).unwrap();
        assert_ne!(again, id);
        t.release(id, 0);
        assert_eq!(t.segment(id).err(), Some(Errno::EINVAL));
        t.remove(again, 0).unwrap();
        assert_eq!(t.segment(again).err(), Some(Errno::EINVAL));
        assert_eq!(t.remove(again, 0), Err(Errno::EINVAL));
    }

    #[test]
    fn memfd_reads_writes_truncates_and_stats() {
        let f = MemFd::new(1, 2, b"t", false).unwrap();
        assert_eq!(f.pwrite(b"hello", 10).unwrap(), 5);
        let mut buf = [0u8; 20];
        assert_eq!(f.pread(&mut buf, 0).unwrap(), 15);
        assert_eq!(&buf[10..15], b"hello");
        let st = f.stat().unwrap();
        assert_eq!((st.size, st.mode, st.uid), (15, S_IFREG | 0o777, 1));
        f.truncate(3).unwrap();
        assert_eq!(f.stat().unwrap().size, 3);
        assert!(f.map_fd().is_ok());
    }

    #[test]
    fn memfd_seals_are_enforced_on_writes_and_resizes() {
        let unsealable = MemFd::new(0, 0, b"u", false).unwrap();
        assert_eq!(unsealable.seals(), Ok(F_SEAL_SEAL));
        assert_eq!(unsealable.add_seals(F_SEAL_GROW), Err(Errno::EPERM));

        let f = MemFd::new(0, 0, b"s", true).unwrap();
        assert_eq!(f.seals(), Ok(0));
        f.truncate(100).unwrap();
        f.add_seals(F_SEAL_SHRINK | F_SEAL_GROW).unwrap();
        assert_eq!(f.truncate(50), Err(Errno::EPERM));
        assert_eq!(f.truncate(200), Err(Errno::EPERM));
        assert_eq!(f.pwrite(b"x", 100), Err(Errno::EPERM));
        assert_eq!(f.pwrite(b"in", 0), Ok(2));
        f.add_seals(F_SEAL_WRITE).unwrap();
        assert_eq!(f.pwrite(b"in", 0), Err(Errno::EPERM));
        f.add_seals(F_SEAL_SEAL).unwrap();
        assert_eq!(f.add_seals(F_SEAL_EXEC), Err(Errno::EPERM));
        assert_eq!(
            f.seals(),
            Ok(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
        );
    }
}
