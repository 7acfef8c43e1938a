//! Shared memory: memfd_create and System V shmget/shmat/shmdt/shmctl
//! (objects in `crate::shm`; mapping through the cage's vmmap).

use super::{io, Args, Ctx};
use crate::memory::GuestMemoryExt;
use crate::mm::Backing;
use crate::shm::{Caller, MemFd};
use crate::KResult;
use lind_abi::{flags::*, layout::shmid_ds, Errno, PAGE_SIZE};

/// Longest memfd name (Linux: 249 bytes plus the "memfd:" prefix).
const MFD_NAME_MAX: usize = 249;

pub fn memfd_create(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.uint(1);
    if flags & !(MFD_CLOEXEC | MFD_ALLOW_SEALING) != 0 {
        // MFD_HUGETLB and unknown flags.
        return Err(Errno::EINVAL);
    }
    let name = ctx.mem.read_cstr(a.ptr(0), MFD_NAME_MAX, Errno::EINVAL)?;
    let cred = ctx.cage.cred();
    let file = MemFd::new(cred.euid, cred.egid, &name, flags & MFD_ALLOW_SEALING != 0)?;
    io::install(ctx, file, O_RDWR, flags & MFD_CLOEXEC != 0).map(i64::from)
}

fn caller(ctx: &Ctx) -> Caller {
    let cred = ctx.cage.cred();
    Caller {
        uid: cred.euid,
        gid: cred.egid,
        pid: ctx.cage.pid,
        now: ctx.kernel.host.realtime().as_secs() as i64,
    }
}

/// How many attachments segment `id` has, over every cage (a run of
/// regions of the segment is one attachment; mprotect may split it).
pub(crate) fn attachments(ctx: &Ctx, id: i32) -> u64 {
    let mut n = 0;
    for cage in ctx.kernel.all_cages() {
        let mm = cage.mm.lock();
        let mut prev_end = None;
        for (&s, r) in &mm.regions {
            if let Backing::Shm { id: rid, .. } = r.backing {
                if rid == id && prev_end != Some((s, id)) {
                    n += 1;
                }
                prev_end = Some((s + r.len, rid));
            } else {
                prev_end = None;
            }
        }
    }
    n
}

pub fn shmget(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (key, size, flags) = (a.int(0), a.size(1) as u64, a.uint(2));
    let who = caller(ctx);
    ctx.kernel.shm.get(key, size, flags, who).map(i64::from)
}

pub fn shmat(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (id, addr, flags) = (a.int(0), a.ptr(1), a.uint(2));
    let seg = ctx.kernel.shm.segment(id)?;
    let addr = if flags & SHM_RND != 0 {
        addr & !(SHMLBA - 1)
    } else {
        addr
    };
    if !addr.is_multiple_of(SHMLBA) {
        return Err(Errno::EINVAL);
    }
    let writable = flags & SHM_RDONLY == 0;
    let prot = if writable {
        PROT_READ | PROT_WRITE
    } else {
        PROT_READ
    };
    let fixed = addr != 0;
    let len = crate::mm::page_align_up(seg.size).ok_or(Errno::EINVAL)?;
    if fixed && flags & SHM_REMAP == 0 {
        let end = addr.checked_add(len).ok_or(Errno::EINVAL)?;
        let mm = ctx.cage.mm.lock();
        if mm
            .regions
            .range(..end)
            .next_back()
            .is_some_and(|(&s, r)| s + r.len > addr)
        {
            return Err(Errno::EINVAL);
        }
    }
    let fd = seg.map_fd()?;
    let (start, prep) = ctx
        .cage
        .mm
        .lock()
        .map(addr, len, prot, MAP_SHARED, fixed)
        .map_err(|e| {
            if e == Errno::ENOMEM && fixed {
                Errno::EINVAL
            } else {
                e
            }
        })?;
    // The segment's pages replace these: no zeroing.
    let prep = crate::mm::Prepare {
        zero_len: 0,
        ..prep
    };
    let done = super::mem::prepare_fresh(ctx, start, len, prep)
        .and_then(|()| ctx.mem.map_file(start, len, fd, 0, true, writable))
        .and_then(|()| {
            if writable {
                Ok(())
            } else {
                ctx.mem.protect(start, len, prot)
            }
        });
    if let Err(e) = done {
        let _ = ctx.cage.mm.lock().unmap(start, len);
        let _ = ctx.mem.unshare(start, len);
        return Err(e);
    }
    {
        let mut mm = ctx.cage.mm.lock();
        mm.set_backing(start, Backing::Shm { id, writable });
        // Linux's name and numbers for a segment's mapping: the shm file
        // system's device, the id as inode.
        let name = crate::mm::MapName {
            dev: crate::vfs::makedev(0, 1),
            ino: id as u64,
            path: format!("/SYSV{:08x} (deleted)", seg.key as u32).into_bytes(),
        };
        mm.set_name(start, 0, name);
    }
    let mut m = seg.meta.lock();
    m.atime = caller(ctx).now;
    m.lpid = ctx.cage.pid;
    Ok(start as i64)
}

pub fn shmdt(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let addr = a.ptr(0);
    if !addr.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    // The attachment: the run of regions of one segment starting at addr.
    let (id, end) = {
        let mm = ctx.cage.mm.lock();
        let id = match mm.region_at(addr).map(|r| r.backing) {
            Some(Backing::Shm { id, .. }) => id,
            _ => return Err(Errno::EINVAL),
        };
        let mut end = addr;
        for (&s, r) in mm.regions.range(addr..) {
            match r.backing {
                Backing::Shm { id: rid, .. } if rid == id && s == end => end = s + r.len,
                _ => break,
            }
        }
        (id, end)
    };
    ctx.cage.mm.lock().unmap(addr, end - addr)?;
    ctx.mem.unshare(addr, end - addr)?;
    ctx.mem.protect(addr, end - addr, PROT_READ | PROT_WRITE)?;
    if let Ok(seg) = ctx.kernel.shm.segment(id) {
        let mut m = seg.meta.lock();
        m.dtime = caller(ctx).now;
        m.lpid = ctx.cage.pid;
    }
    let left = attachments(ctx, id);
    ctx.kernel.shm.release(id, left);
    Ok(0)
}

pub fn shmctl(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (id, cmd, buf) = (a.int(0), a.uint(1) & !IPC_64, a.ptr(2));
    match cmd {
        IPC_STAT => {
            let seg = ctx.kernel.shm.segment(id)?;
            let m = *seg.meta.lock();
            let mut b = [0u8; shmid_ds::SIZE];
            let mut put = |at: usize, v: &[u8]| b[at..at + v.len()].copy_from_slice(v);
            put(shmid_ds::KEY, &seg.key.to_le_bytes());
            put(shmid_ds::UID, &m.uid.to_le_bytes());
            put(shmid_ds::GID, &m.gid.to_le_bytes());
            put(shmid_ds::CUID, &m.cuid.to_le_bytes());
            put(shmid_ds::CGID, &m.cgid.to_le_bytes());
            // Linux reports SHM_DEST (01000) once removed.
            let mode = m.mode | if m.removed { 0o1000 } else { 0 };
            put(shmid_ds::MODE, &mode.to_le_bytes());
            put(shmid_ds::SEQ, &0u32.to_le_bytes());
            put(shmid_ds::SEGSZ, &(seg.size as u32).to_le_bytes());
            put(shmid_ds::ATIME, &m.atime.to_le_bytes());
            put(shmid_ds::DTIME, &m.dtime.to_le_bytes());
            put(shmid_ds::CTIME, &m.ctime.to_le_bytes());
            put(shmid_ds::CPID, &m.cpid.to_le_bytes());
            put(shmid_ds::LPID, &m.lpid.to_le_bytes());
            let n = attachments(ctx, id) as u32;
            put(shmid_ds::NATTCH, &n.to_le_bytes());
            ctx.mem.write(buf, &b)?;
            Ok(0)
        }
        IPC_SET => {
            let seg = ctx.kernel.shm.segment(id)?;
            let b = ctx.mem.read_vec(buf, shmid_ds::SIZE)?;
            let word = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
            let cred = ctx.cage.cred();
            let mut m = seg.meta.lock();
            if !cred.is_root() && cred.euid != m.uid && cred.euid != m.cuid {
                return Err(Errno::EPERM);
            }
            m.uid = word(shmid_ds::UID);
            m.gid = word(shmid_ds::GID);
            m.mode = word(shmid_ds::MODE) & 0o777;
            m.ctime = caller(ctx).now;
            Ok(0)
        }
        IPC_RMID => {
            let seg = ctx.kernel.shm.segment(id)?;
            let cred = ctx.cage.cred();
            {
                let m = seg.meta.lock();
                if !cred.is_root() && cred.euid != m.uid && cred.euid != m.cuid {
                    return Err(Errno::EPERM);
                }
            }
            let n = attachments(ctx, id);
            ctx.kernel.shm.remove(id, n)?;
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{err, TestEnv};
    use lind_abi::{flags::*, layout::shmid_ds, nr, Errno};

    fn env() -> TestEnv {
        let t = TestEnv::new();
        *t.cage.mm.lock() = crate::mm::MemMap::new(0x20000, 1 << 20);
        t
    }

    #[test]
    fn memfd_create_makes_a_read_write_file() {
        let mut t = env();
        let name = t.cstr("x");
        assert_eq!(t.call(nr::MEMFD_CREATE, &[name, 0x100]), err(Errno::EINVAL));
        assert_eq!(
            t.call(nr::MEMFD_CREATE, &[name, MFD_HUGETLB as u64]),
            err(Errno::EINVAL)
        );
        let fd = t.call(
            nr::MEMFD_CREATE,
            &[name, (MFD_CLOEXEC | MFD_ALLOW_SEALING) as u64],
        );
        assert!(fd >= 0);
        assert_eq!(t.call(nr::FTRUNCATE, &[fd as u64, 100]), 0);
        assert_eq!(t.write_fd(fd as i32, b"abc"), 3);
        assert_eq!(t.call(nr::LSEEK, &[fd as u64, 0, 0]), 0);
        assert_eq!(t.read_fd(fd as i32, 4).unwrap(), b"abc\0");
        assert_eq!(
            t.call(nr::FCNTL, &[fd as u64, F_GETFD as u64]),
            FD_CLOEXEC as i64
        );
    }

    #[test]
    fn fcntl_seals_check_the_file_the_bits_and_the_open_mode() {
        let mut t = env();
        let name = t.cstr("x");
        let fd = t.call(nr::MEMFD_CREATE, &[name, MFD_ALLOW_SEALING as u64]) as u64;
        let seal = |t: &mut TestEnv, fd: u64, s: u32| {
            t.call(nr::FCNTL, &[fd, F_ADD_SEALS as u64, s as u64])
        };
        assert_eq!(seal(&mut t, fd, 0x100), err(Errno::EINVAL));
        // A read-only open file description of the same memfd (what an
        // O_RDONLY open of /proc/self/fd/N makes).
        let ro = {
            let mut fds = t.cage.fds.lock();
            let memfd = fds.get(fd as i32).unwrap().file.clone();
            let entry = crate::fdtable::FdEntry {
                file: crate::file::OpenFile::new(memfd, O_RDONLY, None),
                cloexec: false,
            };
            fds.insert_lowest(entry, 0, 1024).unwrap()
        };
        assert_eq!(seal(&mut t, ro as u64, F_SEAL_GROW), err(Errno::EPERM));
        assert_eq!(seal(&mut t, fd, F_SEAL_GROW), 0);
        // The same file through the other open file description.
        assert_eq!(
            t.call(nr::FCNTL, &[ro as u64, F_GET_SEALS as u64]),
            F_SEAL_GROW as i64
        );
        let other = t.call(nr::EVENTFD2, &[0, 0]) as u64;
        assert_eq!(
            t.call(nr::FCNTL, &[other, F_GET_SEALS as u64]),
            err(Errno::EINVAL)
        );
        assert_eq!(seal(&mut t, other, F_SEAL_GROW), err(Errno::EINVAL));
    }

    #[test]
    fn shmctl_stat_fills_the_guest_layout() {
        let mut t = env();
        let id = t.call(nr::SHMGET, &[IPC_PRIVATE as u64, 5000, 0o640]);
        assert!(id >= 0);
        let buf = t.alloc(shmid_ds::SIZE);
        assert_eq!(
            t.call(nr::SHMCTL, &[id as u64, (IPC_STAT | IPC_64) as u64, buf]),
            0
        );
        assert_eq!(t.read_u32(buf + shmid_ds::SEGSZ as u64), 5000);
        assert_eq!(t.read_u32(buf + shmid_ds::MODE as u64), 0o640);
        assert_eq!(t.read_u32(buf + shmid_ds::CPID as u64), t.cage.pid as u32);
        assert_eq!(t.read_u32(buf + shmid_ds::NATTCH as u64), 0);
        assert_eq!(
            t.call(nr::SHMCTL, &[id as u64, 99, buf]),
            err(Errno::EINVAL)
        );
        // A memory that cannot map files: shmat fails and maps nothing.
        assert_eq!(
            t.call(nr::SHMAT, &[id as u64, 0x40000, 0]),
            err(Errno::ENODEV)
        );
        assert!(t.cage.mm.lock().regions.is_empty());
        assert_eq!(
            t.call(nr::SHMAT, &[id as u64, 0x30001, 0]),
            err(Errno::EINVAL)
        );
        assert_eq!(t.call(nr::SHMDT, &[0x30000]), err(Errno::EINVAL));
        assert_eq!(t.call(nr::SHMCTL, &[id as u64, IPC_RMID as u64, 0]), 0);
        assert_eq!(
            t.call(nr::SHMCTL, &[id as u64, IPC_STAT as u64, buf]),
            err(Errno::EINVAL)
        );
    }

    #[test]
    fn msync_and_mincore_check_their_arguments() {
        let mut t = env();
        let prot = (PROT_READ | PROT_WRITE) as u64;
        // Fixed, inside the small test memory.
        let flags = (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) as u64;
        let a = t.call(nr::MMAP, &[0x40000, 8192, prot, flags, u64::MAX, 0]) as u64;
        assert_eq!(a, 0x40000);
        assert_eq!(t.call(nr::MSYNC, &[a, 8192, MS_SYNC as u64]), 0);
        assert_eq!(
            t.call(nr::MSYNC, &[a, 100, (MS_ASYNC | MS_INVALIDATE) as u64]),
            0
        );
        assert_eq!(
            t.call(nr::MSYNC, &[a, 8192, (MS_SYNC | MS_ASYNC) as u64]),
            err(Errno::EINVAL)
        );
        assert_eq!(t.call(nr::MSYNC, &[a, 8192, 8]), err(Errno::EINVAL));
        assert_eq!(t.call(nr::MSYNC, &[a + 1, 10, 0]), err(Errno::EINVAL));
        assert_eq!(t.call(nr::MSYNC, &[a + 8192, 4096, 0]), err(Errno::ENOMEM));
        let vec = t.alloc(2);
        assert_eq!(t.call(nr::MINCORE, &[a, 8192, vec]), 0);
        assert_eq!(t.read(vec, 2), [1, 1]);
        assert_eq!(t.call(nr::MINCORE, &[a + 1, 10, vec]), err(Errno::EINVAL));
        assert_eq!(t.call(nr::MINCORE, &[a, 3 * 4096, vec]), err(Errno::ENOMEM));
        assert_eq!(t.call(nr::MINCORE, &[a, 4096, 0]), err(Errno::EFAULT));
    }

    #[test]
    fn shared_file_mappings_need_host_pages_and_write_access() {
        let mut t = env();
        t.write_file("/tmp/f", b"data");
        let ro = t.open("/tmp/f", O_RDONLY) as u64;
        let rw = t.open("/tmp/f", O_RDWR) as u64;
        let (r, w) = (PROT_READ as u64, (PROT_READ | PROT_WRITE) as u64);
        let (sh, pr) = (
            (MAP_SHARED | MAP_FIXED) as u64,
            (MAP_PRIVATE | MAP_FIXED) as u64,
        );
        let at = 0x40000;
        assert_eq!(
            t.call(nr::MMAP, &[at, 4096, w, sh, ro, 0]),
            err(Errno::EACCES)
        );
        // This memory cannot map files: shared is refused, private copies.
        assert_eq!(
            t.call(nr::MMAP, &[at, 4096, r, sh, rw, 0]),
            err(Errno::ENODEV)
        );
        assert!(t.cage.mm.lock().regions.is_empty());
        let a = t.call(nr::MMAP, &[at, 4096, w, pr, ro, 0]);
        assert_eq!(a, at as i64);
        assert_eq!(t.read(a as u64, 5), b"data\0");
    }
}
