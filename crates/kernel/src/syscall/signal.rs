//! Signal state. Dispositions and the mask are recorded exactly; delivery
//! arrives with the signals work.

use super::{Args, Ctx};
use crate::{
    cage::{SigAction, UNBLOCKABLE},
    memory::GuestMemoryExt,
    KResult,
};
use lind_abi::{flags::*, layout::ksigaction as ks, Errno};

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
            mask: u64::from_le_bytes(b[ks::MASK..ks::MASK + 8].try_into().unwrap_or_default()) & !UNBLOCKABLE,
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
    let set = if a.ptr(1) != 0 { Some(ctx.mem.read_u64(a.ptr(1))?) } else { None };
    let old = {
        let mut s = ctx.cage.signals.lock();
        let old = s.mask;
        if let Some(set) = set {
            s.mask = match how {
                SIG_BLOCK => old | set,
                SIG_UNBLOCK => old & !set,
                SIG_SETMASK => set,
                _ => return Err(Errno::EINVAL),
            } & !UNBLOCKABLE;
        }
        old
    };
    if a.ptr(2) != 0 {
        ctx.mem.write_u64(a.ptr(2), old)?;
    }
    Ok(0)
}
