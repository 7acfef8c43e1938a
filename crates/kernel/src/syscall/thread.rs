//! Threads: clone of a thread, futex, thread ids and exit.

use super::{Args, Ctx};
use crate::{cage::ExitStatus, KResult};
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

/// exit(2): ends the calling thread. Its `clear_child_tid` word is zeroed
/// and futex-woken (how pthread_join and musl's thread list lock learn of
/// it). The last thread's exit ends the cage with its status.
pub fn exit(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let status = ExitStatus::Exited(a.int(0) as u8);
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
        ctx.kernel.futexes.wake(ctx.cage.pid, clear, 1, u32::MAX);
    }
    ctx.thread_exit = true;
    Ok(0)
}

/// exit_group(2): ends every thread of the cage.
pub fn exit_group(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    ctx.cage.request_exit(ExitStatus::Exited(a.int(0) as u8));
    Ok(0)
}

const FUTEX_WAIT: u32 = 0;
const FUTEX_WAKE: u32 = 1;
const FUTEX_REQUEUE: u32 = 3;
const FUTEX_CMP_REQUEUE: u32 = 4;
const FUTEX_WAIT_BITSET: u32 = 9;
const FUTEX_WAKE_BITSET: u32 = 10;
const FUTEX_PRIVATE_FLAG: u32 = 128;
const FUTEX_CLOCK_REALTIME: u32 = 256;

/// futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET,
/// private or not (a cage's memory is never shared with another cage, so
/// both are the same). The futex word is read with an atomic load.
pub fn futex(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, op, val) = (a.ptr(0), a.uint(1), a.uint(2));
    let cmd = op & !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    if op & FUTEX_CLOCK_REALTIME != 0 && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT {
        return Err(Errno::ENOSYS);
    }
    let space = ctx.cage.pid;
    match cmd {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            let bitset = if cmd == FUTEX_WAIT {
                u32::MAX
            } else {
                a.uint(5)
            };
            if bitset == 0 {
                return Err(Errno::EINVAL);
            }
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
            ctx.kernel.futexes.wait(space, addr, bitset, deadline, || {
                Ok(mem.atomic_load_u32(addr)? == val)
            })?;
            Ok(0)
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET => {
            let bitset = if cmd == FUTEX_WAKE {
                u32::MAX
            } else {
                a.uint(5)
            };
            if bitset == 0 {
                return Err(Errno::EINVAL);
            }
            ctx.mem.atomic_load_u32(addr)?;
            Ok(ctx.kernel.futexes.wake(space, addr, val, bitset) as i64)
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
            Ok(ctx.kernel.futexes.requeue(space, addr, to, val, n_move) as i64)
        }
        _ => Err(Errno::ENOSYS),
    }
}

#[cfg(test)]
mod tests {
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
