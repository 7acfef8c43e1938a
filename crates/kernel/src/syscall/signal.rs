//! Signal state. Dispositions and the mask are recorded exactly; delivery
//! arrives with the signals work.

use super::{Args, Ctx};
use crate::{
    cage::{SigAction, UNBLOCKABLE},
    memory::GuestMemoryExt,
    KResult,
};
use lind_abi::{flags::*, layout::ksigaction as ks, Errno};
use std::sync::atomic::Ordering;

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

/// Sends `sig` to cage `pid` (signal 0 only probes that it exists).
fn send(ctx: &Ctx, pid: i32, sig: u32) -> KResult<i64> {
    let target = if pid == ctx.cage.pid {
        Some(ctx.cage.clone())
    } else {
        ctx.kernel.cage(pid)
    };
    let target = target.ok_or(Errno::ESRCH)?;
    if sig != 0 {
        target.post_signal(sig);
    }
    Ok(0)
}

/// kill(2): one cage, the caller's group (0), a group (-pgid), or every
/// cage but init and the caller (-1).
pub fn kill(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = valid_signal(a.int(1))?;
    let pid = a.int(0);
    if pid > 0 {
        return send(ctx, pid, sig);
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
        // The caller last, so the others are signalled even if it dies.
        for t in targets.iter().filter(|t| t.pid != me) {
            t.post_signal(sig);
        }
        if targets.iter().any(|t| t.pid == me) {
            ctx.cage.post_signal(sig);
        }
    }
    Ok(0)
}

/// Sends `sig` to thread `tid`: its handler runs in that thread.
fn send_thread(ctx: &Ctx, tgid: Option<i32>, tid: i32, sig: u32) -> KResult<i64> {
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
    if sig != 0 {
        target.post_thread_signal(tid, sig);
    }
    Ok(0)
}

pub fn tkill(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = valid_signal(a.int(1))?;
    if a.int(0) <= 0 {
        return Err(Errno::EINVAL);
    }
    send_thread(ctx, None, a.int(0), sig)
}

pub fn tgkill(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let sig = valid_signal(a.int(2))?;
    if a.int(0) <= 0 || a.int(1) <= 0 {
        return Err(Errno::EINVAL);
    }
    send_thread(ctx, Some(a.int(0)), a.int(1), sig)
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

/// pause(2): sleeps until a signal must be handled (today: until the cage
/// is killed; handlers come with signal delivery).
pub fn pause(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    loop {
        crate::block::sleep(std::time::Duration::from_secs(3600))?;
    }
}

/// sigaltstack(2): accepted and reported as "no alternate stack"; handlers
/// run on the cage's own stack.
pub fn sigaltstack(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.ptr(1) != 0 {
        // stack_t on wasm32: ss_sp, ss_flags, ss_size; SS_DISABLE = 2.
        let mut b = [0u8; 12];
        b[4..8].copy_from_slice(&2u32.to_le_bytes());
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
