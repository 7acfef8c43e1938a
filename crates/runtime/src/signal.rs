//! Running a cage's signal handlers.
//!
//! Handlers run when the cage leaves the kernel: after a syscall, the
//! import calls each deliverable handler through the module's function
//! table, on the cage's own stack, before returning to the program. A
//! thread that computes without syscalls is sent into a syscall made for
//! this when the signal is posted (interrupt.rs); code built with epoch
//! checks (`--debug`) runs them from wasmtime's epoch callback within one
//! tick. Fork from such a handler is refused; longjmp out of it works,
//! since longjmp abandons the stack rather than unwinding it. A syscall
//! interrupted by a handler with SA_RESTART is made again (except the
//! calls Linux never restarts); otherwise it returns EINTR.

use crate::CageState;
use lind_abi::{flags::*, nr};
use lind_kernel::cage::{SigAction, SigInfo};
use std::sync::atomic::AtomicU32;
use wasmtime::{bail, error::Context as _, AsContextMut, Result, StoreContextMut, Val};

/// `siginfo_t` is 128 bytes on wasm32.
const SIGINFO_SIZE: i32 = lind_abi::layout::siginfo::SIZE as i32;
/// `ucontext_t` on wasm32 (x32's layout): 920 bytes, `uc_sigmask` at 280.
/// Only the mask is meaningful (there are no registers to show).
const UCONTEXT_SIZE: i32 = 920;
const UC_SIGMASK: i32 = 280;
/// What LLVM lets a wasm leaf function use below `__stack_pointer`.
const WASM_RED_ZONE: i32 = 128;
/// musl's thread-cancellation signal. Its handler marks the thread and
/// re-raises it blocked; the interrupted call must then fail with EINTR
/// (which musl's cancellation points turn into the cancellation) instead
/// of being restarted as SA_RESTART asks: a wasm handler cannot move the
/// interrupted code to musl's `__cp_cancel` as native handlers do.
const SIGCANCEL: u32 = 33;

/// Linux returns EINTR from these whatever SA_RESTART says.
pub fn restartable(syscall: u32) -> bool {
    !matches!(
        syscall,
        nr::PAUSE
            | nr::RT_SIGSUSPEND
            | nr::NANOSLEEP
            | nr::CLOCK_NANOSLEEP
            | nr::POLL
            | nr::PPOLL
            | nr::SELECT
            | nr::PSELECT6
            | nr::EPOLL_WAIT
            | nr::EPOLL_PWAIT
            | nr::RT_SIGTIMEDWAIT
    )
}

/// Runs every handler that is due. Returns `None` if none ran, else
/// whether all that ran asked for SA_RESTART.
pub fn deliver(caller: &mut impl AsContextMut<Data = CageState>) -> Result<Option<bool>> {
    let cage = caller.as_context_mut().data().cage.clone();
    let tid = caller.as_context_mut().data().tid;
    let mut ran = false;
    let mut restart = true;
    while let Some((info, action, restore)) = cage.begin_handler(tid) {
        ran = true;
        restart &= action.flags & SA_RESTART != 0 && info.signo != SIGCANCEL;
        // SA_ONSTACK moves to the alternate stack unless already on it.
        let altstack = cage.signals.lock().enter_altstack(tid, action.flags);
        // A handler that longjmps out leaves its mask in place, as natively.
        caller.as_context_mut().data_mut().handler_depth += 1;
        let r = run_handler(caller, &info, &action, restore, altstack);
        caller.as_context_mut().data_mut().handler_depth -= 1;
        if altstack.is_some() {
            cage.signals.lock().leave_altstack(tid);
        }
        // As sigreturn: the mask comes back from the ucontext, which an
        // SA_SIGINFO handler may have changed.
        cage.end_handler(tid, r?);
    }
    if ran {
        lower_signal_flag(caller);
    }
    Ok(ran.then_some(restart))
}

/// Handlers have run: the flag that asked the loops of setjmp-calling
/// functions to call in for them (interrupt.rs) has done its work.
fn lower_signal_flag(caller: &mut impl AsContextMut<Data = CageState>) {
    let state = caller.as_context_mut();
    let (Some(addr), Some(memory)) = (state.data().signal_flag, state.data().memory.clone()) else {
        return;
    };
    // Cannot fail: the address was checked against the memory, which only
    // grows.
    let _ = memory.write(&mut *caller, u64::from(addr), &[0; 4]);
}

/// For code with epoch checks (`--debug`), whose callback runs handlers
/// where the thread stands: whether to leave them to the check point of
/// the setjmp-calling function the thread is in (see interrupt.rs), as
/// code without the checks does. Raises the flag if so.
pub fn leave_to_check_point(ctx: &mut StoreContextMut<'_, CageState>) -> bool {
    let state = ctx.data();
    if state.setjmp_indices.is_empty() {
        return false;
    }
    let (Some(addr), Some(memory)) = (state.signal_flag, state.memory.clone()) else {
        return false;
    };
    let trace = wasmtime::WasmBacktrace::capture(&*ctx);
    let Some(innermost) = trace.frames().first() else {
        return false;
    };
    if ctx
        .data()
        .setjmp_indices
        .binary_search(&innermost.func_index())
        .is_err()
    {
        return false;
    }
    let flag = memory.base(&*ctx) as usize + addr as usize;
    // SAFETY: 4 aligned bytes inside the cage's memory (checked when the
    // instance was made; memory only grows), whose base never moves; the
    // guest only loads and stores them too.
    crate::interrupt::raise_signal_flag(unsafe { &*(flag as *const AtomicU32) })
}

/// A trap, as the fault signal `sig`: runs the thread's handler for it if
/// the cage has one and the thread has not blocked it (Linux would kill
/// the cage otherwise). Returns Ok when the cage must die of the fault (no
/// handler, or it returned: the faulting instruction cannot be resumed),
/// or the error the handler left by (longjmp, exit, another trap).
pub fn deliver_fault(store: &mut impl AsContextMut<Data = CageState>, sig: u32) -> Result<()> {
    let cage = store.as_context_mut().data().cage.clone();
    let tid = store.as_context_mut().data().tid;
    let catchable = {
        let s = cage.signals.lock();
        s.actions[sig as usize].handler > SIG_IGN && s.mask_of(tid) & (1 << (sig - 1)) == 0
    };
    if !catchable {
        return Ok(());
    }
    // Code 1 is the first of each fault signal's codes (SEGV_MAPERR,
    // ILL_ILLOPC, FPE_INTDIV, BUS_ADRALN); the address is not known.
    let info = SigInfo {
        code: 1,
        ..SigInfo::kernel(sig)
    };
    if cage.post_to_thread(tid, info).is_err() {
        return Ok(());
    }
    deliver(store)?;
    Ok(())
}

/// Runs one handler, on the alternate stack if given; returns the mask
/// to restore after it.
fn run_handler(
    caller: &mut impl AsContextMut<Data = CageState>,
    info: &SigInfo,
    action: &SigAction,
    restore: u64,
    altstack: Option<(u32, u32)>,
) -> Result<u64> {
    let sig = info.signo;
    let state = caller.as_context_mut();
    let table = state
        .data()
        .table
        .context("module has no function table; rebuild it with `lind cc`")?;
    let sp_global = state
        .data()
        .stack_pointer
        .context("module does not export __stack_pointer")?;
    let memory = state.data().memory.clone().context("no memory")?;
    let func = match table.get(&mut *caller, action.handler as u64) {
        Some(wasmtime::Ref::Func(Some(f))) => f,
        _ => bail!(
            "signal {sig}: handler {:#x} is not a function",
            action.handler
        ),
    };
    let Val::I32(sp) = sp_global.get(&mut *caller) else {
        bail!("__stack_pointer is not an i32");
    };
    // The handler's frames go below the stack pointer, past the 128 bytes
    // an interrupted leaf function may use there without moving it (LLVM's
    // wasm red zone), or at the top of the alternate stack.
    let top = match altstack {
        Some((base, size)) => (base.wrapping_add(size) & !15) as i32,
        None => (sp - WASM_RED_ZONE) & !15,
    };
    if action.flags & SA_SIGINFO == 0 {
        let Ok(handler) = func.typed::<i32, ()>(&*caller) else {
            bail!("signal {sig}: handler is not `void handler(int)`");
        };
        sp_global.set(&mut *caller, Val::I32(top))?;
        let r = handler.call(&mut *caller, sig as i32);
        sp_global.set(&mut *caller, Val::I32(sp))?;
        r?;
        return Ok(restore);
    }
    let Ok(handler) = func.typed::<(i32, i32, i32), ()>(&*caller) else {
        bail!("signal {sig}: SA_SIGINFO handler is not `void handler(int, siginfo_t *, void *)`");
    };
    // siginfo_t goes on that stack, and so does a ucontext_t whose
    // uc_sigmask is the mask the handler returns to.
    let info_at = (top - SIGINFO_SIZE) & !15;
    let uc_at = (info_at - UCONTEXT_SIZE) & !15;
    let oob =
        |e: lind_abi::Errno| wasmtime::format_err!("signal frame out of bounds: {}", e.name());
    memory
        .write(&mut *caller, info_at as u32 as u64, &info.encode())
        .map_err(oob)?;
    let mut uc = [0u8; UCONTEXT_SIZE as usize];
    let m = UC_SIGMASK as usize;
    uc[m..m + 8].copy_from_slice(&restore.to_le_bytes());
    memory
        .write(&mut *caller, uc_at as u32 as u64, &uc)
        .map_err(oob)?;
    sp_global.set(&mut *caller, Val::I32(uc_at))?;
    let r = handler.call(&mut *caller, (sig as i32, info_at, uc_at));
    sp_global.set(&mut *caller, Val::I32(sp))?;
    r?;
    let mut mask = [0u8; 8];
    memory
        .read(&mut *caller, (uc_at + UC_SIGMASK) as u32 as u64, &mut mask)
        .map_err(oob)?;
    Ok(u64::from_le_bytes(mask))
}
