//! Threads: clone of a thread, futex, thread ids and exit.

use super::{Args, Ctx};
use crate::{cage::ExitStatus, memory::GuestMemoryExt, thread::PiFutex, KResult};
use lind_abi::Errno;
use std::time::{Duration, Instant};

const CLONE_VM: u64 = 0x100;
const CLONE_FS: u64 = 0x200;
const CLONE_FILES: u64 = 0x400;
const CLONE_SIGHAND: u64 = 0x800;
const CLONE_VFORK: u64 = 0x4000;
const CLONE_THREAD: u64 = 0x10000;
const CLONE_SYSVSEM: u64 = 0x40000;
const CLONE_SETTLS: u64 = 0x80000;
const CLONE_PARENT_SETTID: u64 = 0x100000;
const CLONE_CHILD_CLEARTID: u64 = 0x200000;
const CLONE_DETACHED: u64 = 0x400000;
const CLONE_CHILD_SETTID: u64 = 0x1000000;
/// What a thread shares with its cage, all of which Lind always shares.
const THREAD_FLAGS: u64 = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
const THREAD_OPTIONAL: u64 = CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID
    | CLONE_DETACHED
    | CLONE_CHILD_SETTID;

/// A thread the runtime must start: a new instance over the cage's memory
/// whose `__stack_pointer` is `stack`, entered at `__lind_thread_start(stack)`
/// (libc's wasm32 `__clone` left what the thread needs there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewThread {
    pub tid: i32,
    pub stack: u32,
}

/// clone(2) with CLONE_VM: a thread of the calling cage. Only whole
/// threads (VM, FS, FILES, SIGHAND and THREAD together, as pthread_create
/// asks) are supported; other sharing combinations are EINVAL, and
/// CLONE_VM without CLONE_THREAD (vfork-style spawning) ENOSYS.
pub fn clone_thread(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.u64(0) & !0xff;
    if flags & CLONE_THREAD == 0 || flags & CLONE_VFORK != 0 {
        return Err(Errno::ENOSYS);
    }
    if flags & THREAD_FLAGS != THREAD_FLAGS || flags & !(THREAD_FLAGS | THREAD_OPTIONAL) != 0 {
        return Err(Errno::EINVAL);
    }
    let (stack, ptid, ctid) = (a.ptr(1), a.ptr(2), a.ptr(3));
    if stack == 0 || !stack.is_multiple_of(16) {
        return Err(Errno::EINVAL);
    }
    // Check the tid words before the thread exists.
    if flags & CLONE_PARENT_SETTID != 0 {
        ctx.mem.atomic_load_u32(ptid)?;
    }
    if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
        ctx.mem.atomic_load_u32(ctid)?;
    }
    let clear = if flags & CLONE_CHILD_CLEARTID != 0 {
        ctid
    } else {
        0
    };
    let tid = ctx.kernel.new_thread(ctx.cage, clear)?;
    ctx.cage.inherit_mask(ctx.tid, tid);
    ctx.cage.inherit_nice(ctx.tid, tid);
    if flags & CLONE_PARENT_SETTID != 0 {
        ctx.mem.atomic_store_u32(ptid, tid as u32)?;
    }
    if flags & CLONE_CHILD_SETTID != 0 {
        ctx.mem.atomic_store_u32(ctid, tid as u32)?;
    }
    ctx.spawn = Some(NewThread {
        tid,
        stack: stack as u32,
    });
    Ok(tid as i64)
}

pub fn gettid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.tid as i64)
}

pub fn set_tid_address(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if let Some(w) = ctx.cage.threads.lock().live.get_mut(&ctx.tid) {
        *w = a.ptr(0);
    }
    Ok(ctx.tid as i64)
}

/// `struct robust_list_head` on wasm32: three 4-byte words.
const ROBUST_HEAD_SIZE: u64 = 12;

/// set_robust_list(2): where the calling thread's list of held robust
/// mutexes starts; walked when the thread or its cage exits.
pub fn set_robust_list(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.u64(1) != ROBUST_HEAD_SIZE {
        return Err(Errno::EINVAL);
    }
    let mut t = ctx.cage.threads.lock();
    match a.ptr(0) {
        0 => t.robust.remove(&ctx.tid),
        head => t.robust.insert(ctx.tid, head),
    };
    Ok(0)
}

/// get_robust_list(2): the list head of thread `pid` (0: the caller), of
/// any cage (lind's cages all belong to one user).
pub fn get_robust_list(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let tid = match a.int(0) {
        0 => ctx.tid,
        t if t < 0 => return Err(Errno::ESRCH),
        t => t,
    };
    let head = if tid == ctx.tid {
        ctx.cage.threads.lock().robust.get(&tid).copied()
    } else {
        let cage = ctx.kernel.cage_of_tid(tid).ok_or(Errno::ESRCH)?;
        let t = cage.threads.lock();
        if !t.live.contains_key(&tid) {
            return Err(Errno::ESRCH);
        }
        t.robust.get(&tid).copied()
    };
    ctx.mem.write_u32(a.ptr(1), head.unwrap_or(0) as u32)?;
    ctx.mem.write_u32(a.ptr(2), ROBUST_HEAD_SIZE as u32)?;
    Ok(0)
}

/// exit(2): ends the calling thread. Its robust mutexes are released, and
/// its `clear_child_tid` word is zeroed and futex-woken (how pthread_join
/// and musl's thread list lock learn of it). The last thread's exit ends
/// the cage with its status.
pub fn exit(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let status = ExitStatus::Exited(a.int(0) as u8);
    ctx.kernel.release_robust(ctx.cage, ctx.tid, &mut *ctx.mem);
    let (last, clear) = {
        let mut t = ctx.cage.threads.lock();
        let clear = t.live.remove(&ctx.tid).unwrap_or(0);
        (t.live.is_empty(), clear)
    };
    if last {
        ctx.cage.request_exit(status);
        return Ok(0);
    }
    ctx.cage.forget_thread_signals(ctx.tid);
    if clear != 0 && ctx.mem.atomic_store_u32(clear, 0).is_ok() {
        ctx.kernel
            .futexes
            .wake(i64::from(ctx.cage.pid), clear, 1, u32::MAX);
    }
    ctx.thread_exit = true;
    Ok(0)
}

/// exit_group(2): ends every thread of the cage, releasing the robust
/// mutexes each holds.
pub fn exit_group(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    ctx.kernel.release_all_robust(ctx.cage, &mut *ctx.mem);
    ctx.cage.request_exit(ExitStatus::Exited(a.int(0) as u8));
    Ok(0)
}

const FUTEX_WAIT: u32 = 0;
const FUTEX_WAKE: u32 = 1;
const FUTEX_REQUEUE: u32 = 3;
const FUTEX_CMP_REQUEUE: u32 = 4;
const FUTEX_LOCK_PI: u32 = 6;
const FUTEX_UNLOCK_PI: u32 = 7;
const FUTEX_TRYLOCK_PI: u32 = 8;
const FUTEX_WAIT_BITSET: u32 = 9;
const FUTEX_WAKE_BITSET: u32 = 10;
const FUTEX_LOCK_PI2: u32 = 13;
const FUTEX_PRIVATE_FLAG: u32 = 128;
const FUTEX_CLOCK_REALTIME: u32 = 256;

/// The waiters a WAIT or WAKE concerns: all of them, or for the _BITSET
/// forms those whose bits meet the sixth argument (never none).
fn futex_bitset(cmd: u32, a: &Args) -> KResult<u32> {
    let bitset = match cmd {
        FUTEX_WAIT_BITSET | FUTEX_WAKE_BITSET => a.uint(5),
        _ => u32::MAX,
    };
    if bitset == 0 {
        return Err(Errno::EINVAL);
    }
    Ok(bitset)
}

/// futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET,
/// private or not (non-private futexes in shared memory meet across the
/// cages that map the same object, by offset; elsewhere both are the same). The
/// futex word is read with an atomic load.
pub fn futex(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, op, val) = (a.ptr(0), a.uint(1), a.uint(2));
    let cmd = op & !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    if op & FUTEX_CLOCK_REALTIME != 0
        && !matches!(cmd, FUTEX_WAIT_BITSET | FUTEX_WAIT | FUTEX_LOCK_PI2)
    {
        return Err(Errno::ENOSYS);
    }
    let private = op & FUTEX_PRIVATE_FLAG != 0;
    let (space, at) = ctx.cage.futex_key(addr, private);
    match cmd {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            let bitset = futex_bitset(cmd, a)?;
            // Check the word is readable and aligned before sleeping.
            ctx.mem.atomic_load_u32(addr)?;
            let deadline = if a.ptr(3) == 0 {
                None
            } else {
                let ts = super::time::read_timespec(ctx, a.ptr(3))?;
                let t = Duration::new(ts.sec as u64, ts.nsec as u32);
                let rel = if cmd == FUTEX_WAIT {
                    t
                } else if op & FUTEX_CLOCK_REALTIME != 0 {
                    t.saturating_sub(ctx.kernel.host.realtime())
                } else {
                    t.saturating_sub(ctx.kernel.host.monotonic())
                };
                Some(Instant::now() + rel)
            };
            let mem = &*ctx.mem;
            ctx.kernel.futexes.wait(space, at, bitset, deadline, || {
                Ok(mem.atomic_load_u32(addr)? == val)
            })?;
            Ok(0)
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET => {
            let bitset = futex_bitset(cmd, a)?;
            ctx.mem.atomic_load_u32(addr)?;
            Ok(ctx.kernel.futexes.wake(space, at, val, bitset) as i64)
        }
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            let (n_move, to) = (a.uint(3), a.ptr(4));
            if (val as i32) < 0 || (n_move as i32) < 0 {
                return Err(Errno::EINVAL);
            }
            ctx.mem.atomic_load_u32(to)?;
            let now = ctx.mem.atomic_load_u32(addr)?;
            // The comparison is not atomic with the requeue (Linux holds
            // the queue locks while it reads); callers recheck anyway.
            if cmd == FUTEX_CMP_REQUEUE && now != a.uint(5) {
                return Err(Errno::EAGAIN);
            }
            let to = ctx.cage.futex_key(to, private);
            Ok(ctx.kernel.futexes.requeue((space, at), to, val, n_move) as i64)
        }
        FUTEX_LOCK_PI | FUTEX_LOCK_PI2 | FUTEX_TRYLOCK_PI => {
            // An absolute timeout: CLOCK_REALTIME for LOCK_PI, else
            // CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME says otherwise.
            let deadline = if cmd == FUTEX_TRYLOCK_PI || a.ptr(3) == 0 {
                None
            } else {
                let ts = super::time::read_timespec(ctx, a.ptr(3))?;
                let at = Duration::new(ts.sec as u64, ts.nsec as u32);
                let now = if cmd == FUTEX_LOCK_PI || op & FUTEX_CLOCK_REALTIME != 0 {
                    ctx.kernel.host.realtime()
                } else {
                    ctx.kernel.host.monotonic()
                };
                Some(Instant::now() + at.saturating_sub(now))
            };
            let kernel = ctx.kernel;
            let owner_exists = |tid: i32| kernel.cage_of_tid(tid).is_some();
            let pi = PiFutex {
                key: (space, at),
                addr,
                tid: ctx.tid,
            };
            let try_only = cmd == FUTEX_TRYLOCK_PI;
            kernel
                .futexes
                .lock_pi(ctx.mem, pi, try_only, deadline, owner_exists)
                .map(|()| 0)
        }
        FUTEX_UNLOCK_PI => {
            let pi = PiFutex {
                key: (space, at),
                addr,
                tid: ctx.tid,
            };
            ctx.kernel.futexes.unlock_pi(ctx.mem, pi).map(|()| 0)
        }
        _ => Err(Errno::ENOSYS),
    }
}

#[cfg(test)]
mod tests {
    use crate::memory::GuestMemoryExt;
    use crate::testing::TestEnv;
    use lind_abi::{nr, Errno};

    const WAIT: u64 = 0;
    const WAKE: u64 = 1;
    const PRIVATE: u64 = 128;

    #[test]
    fn futex_errors() {
        let mut t = TestEnv::new();
        let at = t.put(&5u32.to_le_bytes());
        // Value differs: EAGAIN; bad and unaligned addresses.
        assert_eq!(
            t.call(nr::FUTEX, &[at, WAIT | PRIVATE, 4]),
            -(Errno::EAGAIN as i64)
        );
        assert_eq!(t.call(nr::FUTEX, &[0, WAIT, 5]), -(Errno::EFAULT as i64));
        assert_eq!(
            t.call(nr::FUTEX, &[1 << 40, WAKE, 1]),
            -(Errno::EFAULT as i64)
        );
        assert_eq!(
            t.call(nr::FUTEX, &[at + 2, WAIT, 5]),
            -(Errno::EINVAL as i64)
        );
        assert_eq!(t.call(nr::FUTEX, &[at, 99, 5]), -(Errno::ENOSYS as i64));
        assert_eq!(t.call(nr::FUTEX, &[at, WAKE | PRIVATE, 1]), 0);
    }

    #[test]
    fn futex_wait_times_out() {
        let mut t = TestEnv::new();
        let at = t.put(&5u32.to_le_bytes());
        // 20 ms, as struct timespec { i64 sec; i32 nsec; }.
        let mut b = [0u8; 16];
        b[8..12].copy_from_slice(&20_000_000u32.to_le_bytes());
        let ts = t.put(&b);
        let start = std::time::Instant::now();
        assert_eq!(
            t.call(nr::FUTEX, &[at, WAIT, 5, ts]),
            -(Errno::ETIMEDOUT as i64)
        );
        assert!(start.elapsed() >= std::time::Duration::from_millis(20));
    }

    const OWNER_DIED: u32 = crate::thread::FUTEX_OWNER_DIED;
    const WAITERS: u32 = crate::thread::FUTEX_WAITERS;

    /// Lays out, as musl does on wasm32, a robust list head and two
    /// mutexes on it (lock word at +4, list link at +16), locked with the
    /// given words; returns (head, lock word addresses).
    fn robust_list(t: &mut TestEnv, words: [u32; 2]) -> (u64, [u64; 2]) {
        let head = t.alloc(12);
        let m = [t.alloc(32), t.alloc(32)];
        let put = |t: &mut TestEnv, at: u64, v: u32| t.mem.write_u32(at, v).unwrap();
        // head -> m0 -> m1 -> head; futex_offset = 4 - 16.
        put(t, head, (m[0] + 16) as u32);
        put(t, head + 4, (-12i32) as u32);
        put(t, head + 8, 0);
        put(t, m[0] + 16, (m[1] + 16) as u32);
        put(t, m[1] + 16, head as u32);
        put(t, m[0] + 4, words[0]);
        put(t, m[1] + 4, words[1]);
        (head, [m[0] + 4, m[1] + 4])
    }

    #[test]
    fn robust_list_calls() {
        let mut t = TestEnv::new();
        let head = t.alloc(12);
        assert_eq!(
            t.call(nr::SET_ROBUST_LIST, &[head, 24]),
            -(Errno::EINVAL as i64)
        );
        let out = t.alloc(8);
        // None registered yet: a null head.
        assert_eq!(t.call(nr::GET_ROBUST_LIST, &[0, out, out + 4]), 0);
        assert_eq!((t.read_u32(out), t.read_u32(out + 4)), (0, 12));
        assert_eq!(t.call(nr::SET_ROBUST_LIST, &[head, 12]), 0);
        let pid = t.cage.pid as u64;
        assert_eq!(t.call(nr::GET_ROBUST_LIST, &[pid, out, out + 4]), 0);
        assert_eq!(t.read_u32(out), head as u32);
        assert_eq!(
            t.call(nr::GET_ROBUST_LIST, &[99999, out, out + 4]),
            -(Errno::ESRCH as i64)
        );
        assert_eq!(
            t.call(nr::GET_ROBUST_LIST, &[0, 0, out]),
            -(Errno::EFAULT as i64)
        );
    }

    #[test]
    fn thread_exit_marks_its_robust_mutexes_owner_died_and_wakes_a_waiter() {
        let mut t = TestEnv::new();
        let tid = t.kernel.new_thread(&t.cage, 0).unwrap();
        // The thread holds m0 (with a waiter); m1 is another thread's.
        let other = tid + 1000;
        let (head, w) = robust_list(&mut t, [tid as u32 | WAITERS, other as u32]);
        let pid = t.cage.pid;
        let kernel = t.kernel.clone();
        let word = w[0];
        let waiter = std::thread::spawn(move || {
            kernel
                .futexes
                .wait(i64::from(pid), word, u32::MAX, None, || Ok(true))
        });
        while t.kernel.futexes.waiters(i64::from(pid), word) == 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let mut ctx = crate::syscall::Ctx::for_thread(&t.kernel, &t.cage, tid, &mut t.mem);
        let r = crate::dispatch(&mut ctx, nr::SET_ROBUST_LIST as u64, [head, 12, 0, 0, 0, 0]);
        assert!(matches!(r, crate::Outcome::Return(0)));
        let r = crate::dispatch(&mut ctx, nr::EXIT as u64, [0; 6]);
        assert!(matches!(r, crate::Outcome::ThreadExit));
        assert_eq!(t.read_u32(w[0]), OWNER_DIED | WAITERS);
        assert_eq!(t.read_u32(w[1]), other as u32);
        assert_eq!(waiter.join().unwrap(), Ok(()));
        assert!(t.cage.threads.lock().robust.is_empty());
    }

    #[test]
    fn exit_group_releases_every_threads_list_and_survives_a_bad_one() {
        let mut t = TestEnv::new();
        let pid = t.cage.pid;
        let tid = t.kernel.new_thread(&t.cage, 0).unwrap();
        let (head, w) = robust_list(&mut t, [pid as u32, tid as u32]);
        // The main thread's list is good; the other thread's points nowhere.
        assert_eq!(t.call(nr::SET_ROBUST_LIST, &[head, 12]), 0);
        t.cage.threads.lock().robust.insert(tid, 1 << 40);
        assert!(matches!(
            t.outcome(nr::EXIT_GROUP, &[0]),
            crate::Outcome::Exit(_)
        ));
        assert_eq!(t.read_u32(w[0]), OWNER_DIED);
        // m1 is the other thread's, but on the main thread's list: not
        // touched (only the dying owner's own mutexes are).
        assert_eq!(t.read_u32(w[1]), tid as u32);
    }

    #[test]
    fn exec_keeps_the_robust_list_for_the_runtime_to_release() {
        let mut t = TestEnv::new();
        let pid = t.cage.pid;
        let (head, w) = robust_list(&mut t, [pid as u32, 0]);
        assert_eq!(t.call(nr::SET_ROBUST_LIST, &[head, 12]), 0);
        t.cage.commit_exec(vec![b"x".to_vec()], Vec::new());
        // Still there: the runtime walks it with the old image's memory.
        assert_eq!(t.cage.threads.lock().robust.get(&pid), Some(&head));
        t.kernel.release_all_robust(&t.cage, &mut t.mem);
        assert_eq!(t.read_u32(w[0]), OWNER_DIED);
        assert!(t.cage.threads.lock().robust.is_empty());
    }

    #[test]
    fn a_circular_robust_list_ends_the_walk() {
        let mut t = TestEnv::new();
        let pid = t.cage.pid as u32;
        let (head, w) = robust_list(&mut t, [pid, 0]);
        // m1 -> m0 instead of -> head: a loop.
        let m0_link = w[0] + 12;
        t.mem.write_u32(w[1] + 12, m0_link as u32).unwrap();
        assert_eq!(t.call(nr::SET_ROBUST_LIST, &[head, 12]), 0);
        assert!(matches!(
            t.outcome(nr::EXIT_GROUP, &[0]),
            crate::Outcome::Exit(_)
        ));
        assert_eq!(t.read_u32(w[0]), OWNER_DIED);
    }

    #[test]
    fn non_private_futexes_in_shared_anonymous_memory_meet_across_fork() {
        use lind_abi::flags::*;
        let t = TestEnv::new();
        let mut mm = t.cage.mm.lock();
        let (shared, _) = mm
            .map(
                0,
                4096,
                PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_ANONYMOUS,
                false,
            )
            .unwrap();
        let (private, _) = mm
            .map(
                0,
                4096,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS,
                false,
            )
            .unwrap();
        drop(mm);
        let child = t.cage.fork_copy(t.cage.pid + 1, t.cage.pid);
        let key = |c: &crate::Cage, a, p| c.futex_key(a, p);
        assert!(key(&t.cage, shared + 8, false).0 < 0);
        assert_eq!(key(&t.cage, shared + 8, false).1, 8);
        assert_eq!(
            key(&t.cage, shared + 8, false),
            key(&child, shared + 8, false)
        );
        // Private futexes, and other memory, stay the cage's own.
        let own = |c: &crate::Cage, a| (i64::from(c.pid), a);
        assert_eq!(key(&t.cage, shared + 8, true), own(&t.cage, shared + 8));
        assert_eq!(key(&t.cage, private + 8, false), own(&t.cage, private + 8));
        assert_eq!(key(&child, private + 8, false), own(&child, private + 8));
        // One object (a file) mapped shared at different places by two
        // cages: the same queue, by offset; a private mapping of it is
        // the cage's own.
        let name = || crate::mm::MapName {
            dev: 7,
            ino: 99,
            path: b"/f".to_vec(),
        };
        let place = |c: &crate::Cage, at: u64, flags: u32, offset: u64| {
            let mut mm = c.mm.lock();
            mm.map(at, 8192, PROT_READ | PROT_WRITE, flags, true)
                .unwrap();
            mm.set_name(at, offset, name());
        };
        place(&t.cage, 0x30000, MAP_SHARED, 0x1000);
        place(&child, 0x50000, MAP_SHARED, 0);
        place(&child, 0x60000, MAP_PRIVATE, 0);
        let k = key(&t.cage, 0x30010, false);
        assert!(k.0 < -(1 << 32));
        assert_eq!(k, key(&child, 0x51010, false));
        assert_ne!(k, key(&child, 0x50010, false));
        assert_eq!(key(&child, 0x61010, false), own(&child, 0x61010));
    }

    #[test]
    fn thread_exit_clears_tid_and_last_exit_ends_the_cage() {
        let mut t = TestEnv::new();
        let word = t.put(&77u32.to_le_bytes());
        let pid = t.cage.pid;
        let tid = t.kernel.new_thread(&t.cage, word).unwrap();
        assert_eq!(t.cage.thread_count(), 2);
        // The thread exits: its word is cleared, the cage lives on.
        let mut ctx = crate::syscall::Ctx::for_thread(&t.kernel, &t.cage, tid, &mut t.mem);
        assert!(matches!(
            crate::dispatch(&mut ctx, nr::EXIT as u64, [3, 0, 0, 0, 0, 0]),
            crate::Outcome::ThreadExit
        ));
        assert_eq!(t.read_u32(word), 0);
        assert_eq!(t.cage.thread_count(), 1);
        assert!(t.cage.exit_requested().is_none());
        assert_eq!(t.call(nr::GETTID, &[]), pid as i64);
        // The last thread's exit is the cage's.
        assert!(matches!(
            t.outcome(nr::EXIT, &[4]),
            crate::Outcome::Exit(crate::cage::ExitStatus::Exited(4))
        ));
    }

    #[test]
    fn fork_by_a_thread_keeps_its_mask_and_exec_handoff_leaves_one_thread() {
        let t = TestEnv::new();
        let tid = t.kernel.new_thread(&t.cage, 0).unwrap();
        t.cage.signals.lock().set_mask_of(tid, 1 << 9);
        let child = t.kernel.fork_from_thread(&t.cage, tid).unwrap();
        assert_eq!(child.signals.lock().mask_of(child.pid), 1 << 9);
        assert_eq!(child.thread_count(), 1);
        // The main thread's own fork keeps the main thread's mask.
        let other = t.kernel.fork(&t.cage).unwrap();
        assert_eq!(other.signals.lock().mask_of(other.pid), 0);
        // An exec by the thread: the cage is its main thread alone again.
        t.cage.become_single_threaded();
        assert_eq!(t.cage.thread_count(), 1);
        assert_eq!(t.cage.signals.lock().mask_of(tid), 0);
    }
}
