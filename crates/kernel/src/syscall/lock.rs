//! File locks: `fcntl` F_GETLK/F_SETLK/F_SETLKW (POSIX record locks, per
//! process) and `flock` (per open-file description). The tables and their
//! rules are in [`crate::lock`].

use super::{io::file, Args, Ctx};
use crate::{
    file::OpenFile,
    lock::{FlockOwner, Kind, OFFSET_MAX},
    memory::GuestMemoryExt,
    KResult,
};
use lind_abi::{flags::*, layout::flock as fl, Errno};

/// The absolute byte range `start..=end` a `struct flock` names, as Linux
/// computes it (`flock64_to_posix_lock`): EINVAL for a bad `whence` or a
/// range starting before 0, EOVERFLOW past OFFSET_MAX; `len` 0 runs to
/// OFFSET_MAX, a negative `len` ends just before `start`.
fn byte_range(f: &OpenFile, whence: i16, start: i64, len: i64) -> KResult<(u64, u64)> {
    const MAX: i64 = OFFSET_MAX as i64;
    let base: i64 = match whence as u32 {
        SEEK_SET => 0,
        SEEK_CUR => f.offset().min(OFFSET_MAX) as i64,
        SEEK_END => f.file.stat()?.size.max(0),
        _ => return Err(Errno::EINVAL),
    };
    if start > MAX - base {
        return Err(Errno::EOVERFLOW);
    }
    let mut s = base + start;
    if s < 0 {
        return Err(Errno::EINVAL);
    }
    let e = match len {
        0 => MAX,
        l if l > 0 => {
            if l - 1 > MAX - s {
                return Err(Errno::EOVERFLOW);
            }
            s + (l - 1)
        }
        l => {
            if s + l < 0 {
                return Err(Errno::EINVAL);
            }
            let e = s - 1;
            s += l;
            e
        }
    };
    Ok((s as u64, e as u64))
}

fn i16_at(b: &[u8], at: usize) -> i16 {
    i16::from_le_bytes([b[at], b[at + 1]])
}

fn i64_at(b: &[u8], at: usize) -> i64 {
    let mut v = [0u8; 8];
    v.copy_from_slice(&b[at..at + 8]);
    i64::from_le_bytes(v)
}

/// F_GETLK, F_SETLK and F_SETLKW on `fd` with the `struct flock` at `addr`.
pub fn fcntl_lock(ctx: &mut Ctx, fd: i32, cmd: u32, addr: u64) -> KResult<i64> {
    let f = file(ctx, fd)?;
    if f.status() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    let raw = ctx.mem.read_vec(addr, fl::SIZE)?;
    let typ = i16_at(&raw, fl::TYPE) as i32;
    let kind = match typ {
        t if t == F_RDLCK as i32 => Some(Kind::Read),
        t if t == F_WRLCK as i32 => Some(Kind::Write),
        t if t == F_UNLCK as i32 && cmd != F_GETLK => None,
        _ if cmd == F_GETLK => return Err(Errno::EINVAL),
        // Range errors come before type errors, as in Linux.
        _ => {
            byte_range(
                &f,
                i16_at(&raw, fl::WHENCE),
                i64_at(&raw, fl::START),
                i64_at(&raw, fl::LEN),
            )?;
            return Err(Errno::EINVAL);
        }
    };
    let (start, end) = byte_range(
        &f,
        i16_at(&raw, fl::WHENCE),
        i64_at(&raw, fl::START),
        i64_at(&raw, fl::LEN),
    )?;
    let key = f.file.lock_key().ok_or(Errno::EINVAL)?;
    let locks = &ctx.kernel.locks;
    let pid = ctx.cage.pid;
    if cmd == F_GETLK {
        let kind = kind.unwrap_or(Kind::Read);
        let Some(c) = locks.test(key, pid, kind, start, end) else {
            // Only l_type changes when nothing is in the way.
            ctx.mem
                .write(addr + fl::TYPE as u64, &(F_UNLCK as i16).to_le_bytes())?;
            return Ok(0);
        };
        let mut out = raw;
        let t = if c.kind == Kind::Write {
            F_WRLCK
        } else {
            F_RDLCK
        };
        let len = if c.end == OFFSET_MAX {
            0
        } else {
            c.end - c.start + 1
        };
        out[fl::TYPE..fl::TYPE + 2].copy_from_slice(&(t as i16).to_le_bytes());
        out[fl::WHENCE..fl::WHENCE + 2].copy_from_slice(&(SEEK_SET as i16).to_le_bytes());
        out[fl::START..fl::START + 8].copy_from_slice(&(c.start as i64).to_le_bytes());
        out[fl::LEN..fl::LEN + 8].copy_from_slice(&(len as i64).to_le_bytes());
        out[fl::PID..fl::PID + 4].copy_from_slice(&c.pid.to_le_bytes());
        ctx.mem.write(addr, &out)?;
        return Ok(0);
    }
    match kind {
        Some(Kind::Read) if !f.readable() => return Err(Errno::EBADF),
        Some(Kind::Write) if !f.writable() => return Err(Errno::EBADF),
        _ => {}
    }
    locks.set(key, pid, kind, start, end, cmd == F_SETLKW)?;
    Ok(0)
}

/// `flock(fd, op)`: LOCK_SH / LOCK_EX / LOCK_UN, with LOCK_NB for
/// EWOULDBLOCK instead of waiting.
pub fn flock(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = file(ctx, a.int(0))?;
    if f.status() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    let op = a.uint(1);
    let want = match op & !LOCK_NB {
        LOCK_SH => Some(false),
        LOCK_EX => Some(true),
        LOCK_UN => None,
        _ => return Err(Errno::EINVAL),
    };
    let key = f.file.lock_key().ok_or(Errno::EINVAL)?;
    let locks = &ctx.kernel.locks;
    let owner = f.flock_owner.get_or_init(|| FlockOwner::new(locks));
    locks.flock(key, owner, want, op & LOCK_NB == 0)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use crate::{
        memory::{GuestMemory, VecMemory},
        syscall::{dispatch, Ctx, Outcome},
        testing::{err, TestEnv, MEM_SIZE, SCRATCH_BASE},
        Cage, Kernel,
    };
    use lind_abi::{flags::*, layout::flock as fl, nr, Errno};
    use std::sync::Arc;

    fn flock_bytes(typ: u32, whence: u32, start: i64, len: i64) -> [u8; fl::SIZE] {
        let mut b = [0u8; fl::SIZE];
        b[fl::TYPE..fl::TYPE + 2].copy_from_slice(&(typ as i16).to_le_bytes());
        b[fl::WHENCE..fl::WHENCE + 2].copy_from_slice(&(whence as i16).to_le_bytes());
        b[fl::START..fl::START + 8].copy_from_slice(&start.to_le_bytes());
        b[fl::LEN..fl::LEN + 8].copy_from_slice(&len.to_le_bytes());
        b
    }

    /// Runs a syscall as `cage` with memory `mem`.
    fn call_in(
        kernel: &Kernel,
        cage: &Arc<Cage>,
        mem: &mut dyn GuestMemory,
        n: u32,
        args: &[u64],
    ) -> Outcome {
        let mut raw = [0u64; 6];
        raw[..args.len()].copy_from_slice(args);
        let mut ctx = Ctx::new(kernel, cage, mem);
        dispatch(&mut ctx, n as u64, raw)
    }

    fn call_as(t: &mut TestEnv, cage: &Arc<Cage>, n: u32, args: &[u64]) -> i64 {
        match call_in(&t.kernel, cage, &mut t.mem, n, args) {
            Outcome::Return(v) => v,
            _ => panic!("syscall {n} did not return"),
        }
    }

    /// fcntl(fd, cmd, &flock) as `cage`; returns (result, flock after).
    fn lk(
        t: &mut TestEnv,
        cage: &Arc<Cage>,
        fd: i32,
        cmd: u32,
        b: [u8; fl::SIZE],
    ) -> (i64, Vec<u8>) {
        let addr = t.put(&b);
        let r = call_as(t, cage, nr::FCNTL, &[fd as u64, cmd as u64, addr]);
        (r, t.read(addr, fl::SIZE))
    }

    fn setlk(t: &mut TestEnv, cage: &Arc<Cage>, fd: i32, typ: u32, start: i64, len: i64) -> i64 {
        lk(t, cage, fd, F_SETLK, flock_bytes(typ, SEEK_SET, start, len)).0
    }

    fn field_i64(b: &[u8], at: usize) -> i64 {
        i64::from_le_bytes(b[at..at + 8].try_into().unwrap())
    }

    fn field_i16(b: &[u8], at: usize) -> i16 {
        i16::from_le_bytes(b[at..at + 2].try_into().unwrap())
    }

    fn field_i32(b: &[u8], at: usize) -> i32 {
        i32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    fn env_with_child() -> (TestEnv, Arc<Cage>, Arc<Cage>, i32) {
        let mut t = TestEnv::new();
        t.write_file("/f", &[0u8; 100]);
        let fd = t.open("/f", O_RDWR);
        let child = t.kernel.fork(&t.cage).unwrap();
        let parent = t.cage.clone();
        (t, parent, child, fd)
    }

    #[test]
    fn conflicts_between_cages_and_getlk() {
        let (mut t, p, c, fd) = env_with_child();
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 10), 0);
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 5, 10), err(Errno::EAGAIN));
        assert_eq!(setlk(&mut t, &c, fd, F_RDLCK, 9, 1), err(Errno::EAGAIN));
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 10, 0), 0);
        // F_GETLK from the child sees the parent's lock, in absolute terms.
        let (r, out) = lk(
            &mut t,
            &c,
            fd,
            F_GETLK,
            flock_bytes(F_RDLCK, SEEK_SET, 3, 2),
        );
        assert_eq!(r, 0);
        assert_eq!(field_i16(&out, fl::TYPE), F_WRLCK as i16);
        assert_eq!(field_i16(&out, fl::WHENCE), SEEK_SET as i16);
        assert_eq!(field_i64(&out, fl::START), 0);
        assert_eq!(field_i64(&out, fl::LEN), 10);
        assert_eq!(field_i32(&out, fl::PID), p.pid);
        // And the parent sees the child's lock to EOF as l_len 0.
        let (_, out) = lk(
            &mut t,
            &p,
            fd,
            F_GETLK,
            flock_bytes(F_RDLCK, SEEK_SET, 50, 1),
        );
        assert_eq!(field_i16(&out, fl::TYPE), F_WRLCK as i16);
        assert_eq!(field_i64(&out, fl::START), 10);
        assert_eq!(field_i64(&out, fl::LEN), 0);
        assert_eq!(field_i32(&out, fl::PID), c.pid);
        // Nothing in the way: only l_type changes.
        let (_, out) = lk(
            &mut t,
            &p,
            fd,
            F_GETLK,
            flock_bytes(F_WRLCK, SEEK_CUR, 0, 5),
        );
        assert_eq!(out.to_vec(), flock_bytes(F_UNLCK, SEEK_CUR, 0, 5).to_vec());
        // Own locks never conflict; unlocking lets the other in.
        assert_eq!(setlk(&mut t, &p, fd, F_RDLCK, 0, 100), err(Errno::EAGAIN));
        assert_eq!(setlk(&mut t, &c, fd, F_UNLCK, 0, 0), 0);
        assert_eq!(setlk(&mut t, &p, fd, F_RDLCK, 0, 100), 0);
        assert_eq!(setlk(&mut t, &c, fd, F_RDLCK, 0, 0), 0);
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 0, 0), err(Errno::EAGAIN));
    }

    #[test]
    fn argument_errors() {
        let mut t = TestEnv::new();
        t.write_file("/f", b"0123456789");
        let ro = t.open("/f", O_RDONLY);
        let wo = t.open("/f", O_WRONLY);
        let p = t.cage.clone();
        assert_eq!(setlk(&mut t, &p, ro, F_WRLCK, 0, 1), err(Errno::EBADF));
        assert_eq!(setlk(&mut t, &p, wo, F_RDLCK, 0, 1), err(Errno::EBADF));
        assert_eq!(setlk(&mut t, &p, ro, F_RDLCK, 0, 1), 0);
        assert_eq!(setlk(&mut t, &p, wo, F_UNLCK, 0, 1), 0);
        assert_eq!(setlk(&mut t, &p, ro, 7, 0, 1), err(Errno::EINVAL));
        assert_eq!(setlk(&mut t, &p, ro, F_RDLCK, -1, 1), err(Errno::EINVAL));
        assert_eq!(setlk(&mut t, &p, ro, F_RDLCK, 0, -1), err(Errno::EINVAL));
        assert_eq!(
            setlk(&mut t, &p, ro, F_RDLCK, i64::MAX, 2),
            err(Errno::EOVERFLOW)
        );
        assert_eq!(setlk(&mut t, &p, 99, F_RDLCK, 0, 1), err(Errno::EBADF));
        let b = flock_bytes(F_RDLCK, 9, 0, 1);
        assert_eq!(lk(&mut t, &p, ro, F_SETLK, b).0, err(Errno::EINVAL));
        let b = flock_bytes(F_UNLCK, SEEK_SET, 0, 1);
        assert_eq!(lk(&mut t, &p, ro, F_GETLK, b).0, err(Errno::EINVAL));
        let b = flock_bytes(F_RDLCK, SEEK_SET, 0, 1);
        assert_eq!(lk(&mut t, &p, ro, F_OFD_SETLK, b).0, err(Errno::EINVAL));
        assert_eq!(
            t.call(nr::FCNTL, &[ro as u64, F_SETLK as u64, 0]),
            err(Errno::EFAULT)
        );
        let path = t.cstr("/f");
        let opath = t.call(nr::OPEN, &[path, (O_PATH | O_RDONLY) as u64]);
        assert_eq!(
            setlk(&mut t, &p, opath as i32, F_UNLCK, 0, 1),
            err(Errno::EBADF)
        );
    }

    #[test]
    fn whence_and_negative_lengths() {
        let (mut t, p, c, fd) = env_with_child();
        let key = t.cage.fds.lock().get(fd).unwrap().file.lock_key().unwrap();
        let off = t.call(nr::LSEEK, &[fd as u64, 40, SEEK_SET as u64]);
        assert_eq!(off, 40);
        // SEEK_CUR -10, len 5: bytes 30..=34; SEEK_END -5, len -5: 90..=94.
        let b = flock_bytes(F_WRLCK, SEEK_CUR, -10, 5);
        assert_eq!(lk(&mut t, &p, fd, F_SETLK, b).0, 0);
        let b = flock_bytes(F_WRLCK, SEEK_END, -5, -5);
        assert_eq!(lk(&mut t, &p, fd, F_SETLK, b).0, 0);
        let held: Vec<(u64, u64)> = t
            .kernel
            .locks
            .held(key, p.pid)
            .iter()
            .map(|r| (r.start, r.end))
            .collect();
        assert_eq!(held, [(30, 34), (90, 94)]);
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 35, 55), 0);
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 34, 1), err(Errno::EAGAIN));
    }

    #[test]
    fn closing_any_fd_of_the_file_releases() {
        let mut t = TestEnv::new();
        t.write_file("/f", b"x");
        let fd = t.open("/f", O_RDWR);
        let other = t.open("/f", O_RDONLY);
        let p = t.cage.clone();
        let c = t.kernel.fork(&p).unwrap();
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 0), 0);
        // The child shares the descriptor but does not own the lock: its
        // close releases nothing of the parent's.
        assert_eq!(call_as(&mut t, &c, nr::CLOSE, &[fd as u64]), 0);
        assert_eq!(setlk(&mut t, &c, other, F_RDLCK, 0, 0), err(Errno::EAGAIN));
        // The parent closing another description of the file does.
        assert_eq!(t.call(nr::CLOSE, &[other as u64]), 0);
        assert_eq!(setlk(&mut t, &c, other, F_RDLCK, 0, 0), 0);
        assert_eq!(setlk(&mut t, &c, other, F_UNLCK, 0, 0), 0);
        // So does dup2 over a descriptor.
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 0), 0);
        let dup = t.call(nr::DUP, &[fd as u64]);
        assert_eq!(t.call(nr::DUP2, &[0, dup as u64]), dup);
        assert_eq!(setlk(&mut t, &c, other, F_RDLCK, 0, 0), 0);
    }

    #[test]
    fn not_inherited_and_released_at_exit() {
        let mut t = TestEnv::new();
        t.write_file("/f", b"x");
        let fd = t.open("/f", O_RDWR);
        let p = t.cage.clone();
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 0), 0);
        let c = t.kernel.fork(&p).unwrap();
        let key = p.fds.lock().get(fd).unwrap().file.lock_key().unwrap();
        assert!(t.kernel.locks.held(key, c.pid).is_empty());
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 0, 0), err(Errno::EAGAIN));
        assert_eq!(setlk(&mut t, &p, fd, F_UNLCK, 0, 0), 0);
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 0, 0), 0);
        t.kernel.exit_cage(&c, crate::cage::ExitStatus::Exited(0));
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 0), 0);
    }

    #[test]
    fn exec_closing_cloexec_fds_releases() {
        let (mut t, p, c, fd) = env_with_child();
        let path = t.cstr("/f");
        let ce = t.call(nr::OPEN, &[path, (O_RDONLY | O_CLOEXEC) as u64]);
        assert!(ce > 0);
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 0), 0);
        let closed = p.commit_exec(vec![b"x".to_vec()], Vec::new());
        assert_eq!(closed.len(), 1);
        assert_eq!(setlk(&mut t, &c, fd, F_RDLCK, 0, 0), err(Errno::EAGAIN));
        t.kernel.close_entries(&p, closed);
        assert_eq!(setlk(&mut t, &c, fd, F_RDLCK, 0, 0), 0);
    }

    /// Runs fcntl(F_SETLKW) as `cage` on its own thread.
    fn setlkw_thread(
        kernel: Arc<Kernel>,
        cage: Arc<Cage>,
        fd: i32,
        typ: u32,
        start: i64,
        len: i64,
    ) -> std::thread::JoinHandle<Outcome> {
        std::thread::spawn(move || {
            crate::block::enter(cage.clone());
            let mut mem = VecMemory::new(MEM_SIZE);
            let at = SCRATCH_BASE;
            mem.write(at, &flock_bytes(typ, SEEK_SET, start, len))
                .unwrap();
            call_in(
                &kernel,
                &cage,
                &mut mem,
                nr::FCNTL,
                &[fd as u64, F_SETLKW as u64, at],
            )
        })
    }

    fn wait_until_blocked(c: &Cage) {
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while c.waiting_on.lock().is_empty() {
            assert!(std::time::Instant::now() < give_up, "never blocked");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    #[test]
    fn setlkw_waits_for_the_unlock() {
        let (mut t, p, c, fd) = env_with_child();
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 0), 0);
        let h = setlkw_thread(t.kernel.clone(), c.clone(), fd, F_RDLCK, 5, 1);
        wait_until_blocked(&c);
        assert_eq!(setlk(&mut t, &p, fd, F_UNLCK, 0, 5), 0);
        // Bytes 0..5 are free now, 5 is not: still waiting.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!h.is_finished());
        assert_eq!(setlk(&mut t, &p, fd, F_UNLCK, 0, 0), 0);
        assert!(matches!(h.join().unwrap(), Outcome::Return(0)));
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 5, 1), err(Errno::EAGAIN));
    }

    #[test]
    fn setlkw_is_interrupted_by_a_kill_and_detects_deadlock() {
        let (mut t, p, c, fd) = env_with_child();
        assert_eq!(setlk(&mut t, &p, fd, F_WRLCK, 0, 1), 0);
        assert_eq!(setlk(&mut t, &c, fd, F_WRLCK, 1, 1), 0);
        let h = setlkw_thread(t.kernel.clone(), c.clone(), fd, F_WRLCK, 0, 1);
        wait_until_blocked(&c);
        // The parent now waiting for the child's byte would deadlock.
        let b = flock_bytes(F_WRLCK, SEEK_SET, 1, 1);
        assert_eq!(lk(&mut t, &p, fd, F_SETLKW, b).0, err(Errno::EDEADLK));
        c.post_signal(SIGKILL);
        assert!(matches!(h.join().unwrap(), Outcome::Exit(_)));
        t.kernel.exit_cage(&c, crate::cage::ExitStatus::Exited(0));
        assert_eq!(lk(&mut t, &p, fd, F_SETLKW, b).0, 0);
    }

    #[test]
    fn flock_is_per_description() {
        let mut t = TestEnv::new();
        t.write_file("/f", b"x");
        let a = t.open("/f", O_RDONLY);
        let b = t.open("/f", O_RDONLY);
        let p = t.cage.clone();
        let fl = |t: &mut TestEnv, cage: &Arc<Cage>, fd: i32, op: u32| {
            call_as(t, cage, nr::FLOCK, &[fd as u64, op as u64])
        };
        assert_eq!(fl(&mut t, &p, a, LOCK_EX), 0);
        assert_eq!(fl(&mut t, &p, a, LOCK_EX | LOCK_NB), 0);
        // Another open of the same file conflicts, even in one process.
        assert_eq!(fl(&mut t, &p, b, LOCK_SH | LOCK_NB), err(Errno::EAGAIN));
        // dup and fork share the description, so the lock.
        let d = t.call(nr::DUP, &[a as u64]) as i32;
        let c = t.kernel.fork(&p).unwrap();
        assert_eq!(fl(&mut t, &c, d, LOCK_EX | LOCK_NB), 0);
        assert_eq!(fl(&mut t, &c, a, LOCK_UN), 0);
        assert_eq!(fl(&mut t, &p, b, LOCK_SH | LOCK_NB), 0);
        assert_eq!(fl(&mut t, &p, a, LOCK_SH | LOCK_NB), 0);
        assert_eq!(fl(&mut t, &p, b, LOCK_UN), 0);
        assert_eq!(fl(&mut t, &p, a, LOCK_EX | LOCK_NB), 0);
        // The lock goes with the description's last descriptor.
        assert_eq!(t.call(nr::CLOSE, &[a as u64]), 0);
        assert_eq!(t.call(nr::CLOSE, &[d as u64]), 0);
        assert_eq!(fl(&mut t, &p, b, LOCK_EX | LOCK_NB), err(Errno::EAGAIN));
        t.kernel.exit_cage(&c, crate::cage::ExitStatus::Exited(0));
        assert_eq!(fl(&mut t, &p, b, LOCK_EX | LOCK_NB), 0);
        assert_eq!(fl(&mut t, &p, b, 3), err(Errno::EINVAL));
        assert_eq!(fl(&mut t, &p, 77, LOCK_UN), err(Errno::EBADF));
    }

    #[test]
    fn flock_blocks_until_released() {
        let mut t = TestEnv::new();
        t.write_file("/f", b"x");
        let a = t.open("/f", O_RDONLY);
        let b = t.open("/f", O_RDONLY);
        assert_eq!(t.call(nr::FLOCK, &[a as u64, LOCK_SH as u64]), 0);
        let c = t.kernel.fork(&t.cage).unwrap();
        let (kernel, cage) = (t.kernel.clone(), c.clone());
        let h = std::thread::spawn(move || {
            crate::block::enter(cage.clone());
            let mut mem = VecMemory::new(MEM_SIZE);
            call_in(
                &kernel,
                &cage,
                &mut mem,
                nr::FLOCK,
                &[b as u64, LOCK_EX as u64],
            )
        });
        wait_until_blocked(&c);
        assert_eq!(t.call(nr::CLOSE, &[a as u64]), 0);
        // The child still holds `a`'s description: no release yet.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!h.is_finished());
        t.kernel
            .close_entries(&c, vec![c.fds.lock().remove(a).unwrap()]);
        assert!(matches!(h.join().unwrap(), Outcome::Return(0)));
    }
}
