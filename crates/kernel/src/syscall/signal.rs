//! Signal syscalls: dispositions, masks, sending (kill, sigqueue), waiting
//! (sigsuspend, sigtimedwait) and the alternate stack. The state and its
//! rules live in `crate::signal`; handlers run in the runtime.

use super::{Args, Ctx};
use crate::{
    cage::{SigAction, UNBLOCKABLE},
    memory::GuestMemoryExt,
    signal::SigInfo,
    Cage, KResult,
};
use lind_abi::{
    flags::*,
    layout::{ksigaction as ks, siginfo, stack_t},
    Errno,
};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The kernel's sigset is 8 bytes; musl passes `_NSIG/8`.
const SIGSET_SIZE: usize = 8;

pub fn rt_sigaction(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = a.int(0);
    if a.size(3) != SIGSET_SIZE || sig < 1 || sig as u32 >= NSIG {
        return Err(Errno::EINVAL);
    }
    let sig = sig as u32;
    let new = if a.ptr(1) != 0 {
        if sig == SIGKILL || sig == SIGSTOP {
            return Err(Errno::EINVAL);
        }
        let b = ctx.mem.read_vec(a.ptr(1), ks::SIZE)?;
        let word = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap_or_default());
        Some(SigAction {
            handler: word(ks::HANDLER),
            flags: word(ks::FLAGS),
            restorer: word(ks::RESTORER),
            mask: u64::from_le_bytes(b[ks::MASK..ks::MASK + 8].try_into().unwrap_or_default())
                & !UNBLOCKABLE,
        })
    } else {
        None
    };
    let old = {
        let mut s = ctx.cage.signals.lock();
        let old = s.actions[sig as usize];
        if let Some(n) = new {
            s.actions[sig as usize] = n;
        }
        old
    };
    // A pending signal whose action becomes "ignore" is thrown away.
    ctx.cage.check_pending();
    if a.ptr(2) != 0 {
        let mut b = [0u8; ks::SIZE];
        b[ks::HANDLER..ks::HANDLER + 4].copy_from_slice(&old.handler.to_le_bytes());
        b[ks::FLAGS..ks::FLAGS + 4].copy_from_slice(&old.flags.to_le_bytes());
        b[ks::RESTORER..ks::RESTORER + 4].copy_from_slice(&old.restorer.to_le_bytes());
        b[ks::MASK..ks::MASK + 8].copy_from_slice(&old.mask.to_le_bytes());
        ctx.mem.write(a.ptr(2), &b)?;
    }
    Ok(0)
}

pub fn rt_sigprocmask(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.size(3) != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let how = a.uint(0);
    let set = if a.ptr(1) != 0 {
        Some(ctx.mem.read_u64(a.ptr(1))?)
    } else {
        None
    };
    let old = {
        let mut s = ctx.cage.signals.lock();
        let old = s.mask_of(ctx.tid);
        if let Some(set) = set {
            let new = match how {
                SIG_BLOCK => old | set,
                SIG_UNBLOCK => old & !set,
                SIG_SETMASK => set,
                _ => return Err(Errno::EINVAL),
            };
            s.set_mask_of(ctx.tid, new);
        }
        old
    };
    ctx.cage.check_pending();
    if a.ptr(2) != 0 {
        ctx.mem.write_u64(a.ptr(2), old)?;
    }
    Ok(0)
}

fn valid_signal(sig: i32) -> KResult<u32> {
    if sig < 0 || sig as u32 >= NSIG {
        return Err(Errno::EINVAL);
    }
    Ok(sig as u32)
}

fn find(ctx: &Ctx, pid: i32) -> KResult<Arc<Cage>> {
    if pid == ctx.cage.pid {
        return Ok(ctx.cage.clone());
    }
    ctx.kernel.cage(pid).ok_or(Errno::ESRCH)
}

/// What a signal sent by the calling cage carries.
fn from_caller(ctx: &Ctx, sig: u32, code: i32) -> SigInfo {
    SigInfo::sent(sig, code, ctx.cage.pid, ctx.cage.cred.lock().uid)
}

/// Sends `info` to cage `pid` (signal 0 only probes that it exists).
fn send(ctx: &Ctx, pid: i32, info: SigInfo) -> KResult<i64> {
    let target = find(ctx, pid)?;
    if info.signo != 0 {
        target.post(info)?;
    }
    Ok(0)
}

/// kill(2): one cage, the caller's group (0), a group (-pgid), or every
/// cage but init and the caller (-1).
pub fn kill(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = valid_signal(a.int(1))?;
    let pid = a.int(0);
    if pid > 0 {
        return send(ctx, pid, from_caller(ctx, sig, SI_USER));
    }
    let me = ctx.cage.pid;
    let targets: Vec<_> = match pid {
        0 => {
            let group = ctx.cage.pgid.load(Ordering::Relaxed);
            ctx.kernel
                .all_cages()
                .into_iter()
                .filter(|c| c.pgid.load(Ordering::Relaxed) == group)
                .collect()
        }
        -1 => ctx
            .kernel
            .all_cages()
            .into_iter()
            .filter(|c| c.pid != 1 && c.pid != me)
            .collect(),
        p if p == i32::MIN => return Err(Errno::ESRCH),
        p => ctx
            .kernel
            .all_cages()
            .into_iter()
            .filter(|c| c.pgid.load(Ordering::Relaxed) == -p)
            .collect(),
    };
    if targets.is_empty() {
        return Err(Errno::ESRCH);
    }
    if sig != 0 {
        let info = from_caller(ctx, sig, SI_USER);
        // The caller last, so the others are signalled even if it dies.
        for t in targets.iter().filter(|t| t.pid != me) {
            let _ = t.post(info);
        }
        if targets.iter().any(|t| t.pid == me) {
            let _ = ctx.cage.post(info);
        }
    }
    Ok(0)
}

/// Sends `info` to thread `tid`: its handler runs in that thread.
fn send_thread(ctx: &Ctx, tgid: Option<i32>, tid: i32, info: SigInfo) -> KResult<i64> {
    let target = if ctx.cage.threads.lock().live.contains_key(&tid) {
        Some(ctx.cage.clone())
    } else {
        ctx.kernel.cage_of_tid(tid)
    };
    let target = target
        .filter(|c| c.threads.lock().live.contains_key(&tid))
        .ok_or(Errno::ESRCH)?;
    if tgid.is_some_and(|g| g != target.pid) {
        return Err(Errno::ESRCH);
    }
    if info.signo != 0 {
        target.post_to_thread(tid, info)?;
    }
    Ok(0)
}

pub fn tkill(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = valid_signal(a.int(1))?;
    if a.int(0) <= 0 {
        return Err(Errno::EINVAL);
    }
    send_thread(ctx, None, a.int(0), from_caller(ctx, sig, SI_TKILL))
}

pub fn tgkill(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = valid_signal(a.int(2))?;
    if a.int(0) <= 0 || a.int(1) <= 0 {
        return Err(Errno::EINVAL);
    }
    send_thread(
        ctx,
        Some(a.int(0)),
        a.int(1),
        from_caller(ctx, sig, SI_TKILL),
    )
}

/// The siginfo a sigqueue-style call passes. A process may not pose as
/// the kernel or kill(2) when signalling another one (EPERM), as Linux.
fn queued_info(ctx: &Ctx, target: i32, sig: u32, addr: u64) -> KResult<SigInfo> {
    let b = ctx.mem.read_vec(addr, siginfo::SIZE)?;
    let b: &[u8; siginfo::SIZE] = b.as_slice().try_into().map_err(|_| Errno::EFAULT)?;
    let mut info = SigInfo::decode(b);
    if (info.code >= 0 || info.code == SI_TKILL) && target != ctx.cage.pid {
        return Err(Errno::EPERM);
    }
    info.signo = sig;
    Ok(info)
}

/// rt_sigqueueinfo(pid, sig, info): what sigqueue(3) uses.
pub fn rt_sigqueueinfo(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (pid, sig) = (a.int(0), valid_signal(a.int(1))?);
    let info = queued_info(ctx, pid, sig, a.ptr(2))?;
    send(ctx, pid, info)
}

/// rt_tgsigqueueinfo(tgid, tid, sig, info): sigqueue to one thread.
pub fn rt_tgsigqueueinfo(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (tgid, tid, sig) = (a.int(0), a.int(1), valid_signal(a.int(2))?);
    if tgid <= 0 || tid <= 0 {
        return Err(Errno::EINVAL);
    }
    let info = queued_info(ctx, tgid, sig, a.ptr(3))?;
    send_thread(ctx, Some(tgid), tid, info)
}

/// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal
/// in `set` (normally blocked ones), waiting up to `timeout` (EAGAIN)
/// unless a handled signal outside `set` interrupts (EINTR).
pub fn rt_sigtimedwait(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.size(3) != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let set = ctx.mem.read_u64(a.ptr(0))? & !UNBLOCKABLE;
    let deadline = match a.ptr(2) {
        0 => None,
        t => {
            let ts = super::time::read_timespec(ctx, t)?;
            Some(
                std::time::Instant::now() + std::time::Duration::new(ts.sec as u64, ts.nsec as u32),
            )
        }
    };
    let cage = ctx.cage.clone();
    cage.signals.lock().awaited = set;
    let taken = wait_for_signal(&cage, ctx.tid, set, deadline);
    cage.signals.lock().awaited = 0;
    // Signals that arrived for the wait but were not taken act now.
    cage.check_pending();
    let info = taken?;
    if a.ptr(1) != 0 {
        ctx.mem.write(a.ptr(1), &info.encode())?;
    }
    Ok(info.signo as i64)
}

fn wait_for_signal(
    cage: &Arc<Cage>,
    tid: i32,
    set: u64,
    deadline: Option<std::time::Instant>,
) -> KResult<SigInfo> {
    let lock = parking_lot::Mutex::new(());
    let cv = Arc::new(parking_lot::Condvar::new());
    loop {
        if let Some(info) = cage.take_signal(tid, set) {
            return Ok(info);
        }
        let mut guard = lock.lock();
        match crate::block::wait_until(&cv, &mut guard, deadline) {
            Ok(true) => return cage.take_signal(tid, set).ok_or(Errno::EAGAIN),
            Ok(false) => {}
            // A signal in the set may be what interrupted the wait.
            Err(e) => return cage.take_signal(tid, set).ok_or(e),
        }
    }
}

pub fn rt_sigpending(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.size(1) > SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let s = ctx.cage.signals.lock();
    let pending = s.pending_for_thread(ctx.tid) & s.mask_of(ctx.tid);
    drop(s);
    ctx.mem.write_u64(a.ptr(0), pending)?;
    Ok(0)
}

/// pause(2): sleeps until a signal must be handled or the cage ends.
pub fn pause(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    loop {
        crate::block::sleep(std::time::Duration::from_secs(3600))?;
    }
}

/// lind_signal_point: nothing to do here; the caller's due handlers run
/// on the way back, as after every call.
pub fn lind_signal_point(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(0)
}

/// SS_AUTODISARM: accepted (Linux 4.7+); lind does not disarm.
const SS_AUTODISARM: u32 = 1 << 31;

/// sigaltstack(2): the calling thread's stack for SA_ONSTACK handlers (the
/// runtime moves the wasm stack pointer there). EPERM while running on it.
pub fn sigaltstack(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (current, on_it) = ctx.cage.signals.lock().altstack_of(ctx.tid);
    if a.ptr(0) != 0 {
        let b = ctx.mem.read_vec(a.ptr(0), stack_t::SIZE)?;
        let word = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let (sp, flags, size) = (
            word(stack_t::SP),
            word(stack_t::FLAGS),
            word(stack_t::SIZE_FIELD),
        );
        if on_it {
            return Err(Errno::EPERM);
        }
        let new = match flags & !SS_AUTODISARM {
            SS_DISABLE => None,
            0 | SS_ONSTACK if size < MINSIGSTKSZ => return Err(Errno::ENOMEM),
            0 | SS_ONSTACK => Some((sp, size)),
            _ => return Err(Errno::EINVAL),
        };
        ctx.cage.signals.lock().set_altstack(ctx.tid, new);
    }
    if a.ptr(1) != 0 {
        let (sp, size) = current.unwrap_or((0, 0));
        let flags = if on_it {
            SS_ONSTACK
        } else if current.is_none() {
            SS_DISABLE
        } else {
            0
        };
        let mut b = [0u8; stack_t::SIZE];
        b[stack_t::SP..stack_t::SP + 4].copy_from_slice(&sp.to_le_bytes());
        b[stack_t::FLAGS..stack_t::FLAGS + 4].copy_from_slice(&flags.to_le_bytes());
        b[stack_t::SIZE_FIELD..stack_t::SIZE_FIELD + 4].copy_from_slice(&size.to_le_bytes());
        ctx.mem.write(a.ptr(1), &b)?;
    }
    Ok(0)
}

/// rt_sigsuspend(2): replaces the mask and sleeps until a signal is
/// delivered; always EINTR. The old mask comes back when the handler that
/// woke it returns (the runtime runs it).
pub fn rt_sigsuspend(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.size(1) != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let new = ctx.mem.read_u64(a.ptr(0))? & !UNBLOCKABLE;
    {
        let mut s = ctx.cage.signals.lock();
        let old = s.mask_of(ctx.tid);
        s.suspend_masks.insert(ctx.tid, old);
        s.set_mask_of(ctx.tid, new);
    }
    ctx.cage.check_pending();
    let r = loop {
        if let Err(e) = crate::block::sleep(std::time::Duration::from_secs(3600)) {
            break e;
        }
    };
    // Nothing to deliver (the cage is ending): put the mask back now.
    if !ctx.cage.handler_pending_for(ctx.tid) {
        let mut s = ctx.cage.signals.lock();
        if let Some(old) = s.suspend_masks.remove(&ctx.tid) {
            s.set_mask_of(ctx.tid, old);
        }
    }
    Err(r)
}
