//! Running a cage's signal handlers.
//!
//! Handlers run when the cage leaves the kernel: after a syscall, the
//! import calls each deliverable handler through the module's function
//! table, on the cage's own stack, before returning to the program. A cage
//! that computes without syscalls runs them from wasmtime's epoch callback
//! within one tick (fork from such a handler is refused; longjmp out of it
//! works, since longjmp abandons the stack rather than unwinding it). A
//! syscall interrupted by a handler with SA_RESTART is made again (except
//! the calls Linux never restarts); otherwise it returns EINTR.

use crate::CageState;
use lind_abi::{flags::*, nr};
use lind_kernel::cage::{SigAction, SigInfo};
use wasmtime::{bail, error::Context as _, AsContextMut, Result, Val};

/// `siginfo_t` is 128 bytes on wasm32.
const SIGINFO_SIZE: i32 = lind_abi::layout::siginfo::SIZE as i32;

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

/// Runs every handler that is due. Returns whether at least one ran and
/// all that ran asked for SA_RESTART.
pub fn deliver(caller: &mut impl AsContextMut<Data = CageState>) -> Result<bool> {
    let cage = caller.as_context_mut().data().cage.clone();
    let mut ran = false;
    let mut restart = true;
    while let Some((info, action, restore)) = cage.begin_handler() {
        ran = true;
        restart &= action.flags & SA_RESTART != 0;
        // SA_ONSTACK moves to the alternate stack unless already on it.
        let altstack = {
            let mut s = cage.signals.lock();
            match s.altstack {
                Some(stack) if action.flags & SA_ONSTACK != 0 && !s.on_altstack => {
                    s.on_altstack = true;
                    Some(stack)
                }
                _ => None,
            }
        };
        // A handler that longjmps out leaves its mask in place, as natively.
        caller.as_context_mut().data_mut().handler_depth += 1;
        let r = run_handler(caller, &info, &action, altstack);
        caller.as_context_mut().data_mut().handler_depth -= 1;
        if altstack.is_some() {
            cage.signals.lock().on_altstack = false;
        }
        r?;
        cage.end_handler(restore);
    }
    Ok(ran && restart)
}

/// A trap, as the fault signal `sig`: runs the cage's handler for it if it
/// has one and has not blocked it (Linux would kill the cage otherwise).
/// Returns Ok when the cage must die of the fault (no handler, or it
/// returned: the faulting instruction cannot be resumed), or the error
/// the handler left by (longjmp, exit, another trap).
pub fn deliver_fault(store: &mut impl AsContextMut<Data = CageState>, sig: u32) -> Result<()> {
    let cage = store.as_context_mut().data().cage.clone();
    let catchable = {
        let s = cage.signals.lock();
        s.actions[sig as usize].handler > SIG_IGN && s.mask & (1 << (sig - 1)) == 0
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
    if cage.post(info).is_err() {
        return Ok(());
    }
    deliver(store)?;
    Ok(())
}

fn run_handler(
    caller: &mut impl AsContextMut<Data = CageState>,
    info: &SigInfo,
    action: &SigAction,
    altstack: Option<(u32, u32)>,
) -> Result<()> {
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
    let memory = state.data().memory.context("no memory")?;
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
    // The handler's frames (and siginfo) go below the stack pointer, or at
    // the top of the alternate stack.
    let top = match altstack {
        Some((base, size)) => (base.wrapping_add(size) & !15) as i32,
        None => sp,
    };
    let r = if action.flags & SA_SIGINFO == 0 {
        let Ok(handler) = func.typed::<i32, ()>(&*caller) else {
            bail!("signal {sig}: handler is not `void handler(int)`");
        };
        sp_global.set(&mut *caller, Val::I32(top))?;
        handler.call(&mut *caller, sig as i32)
    } else {
        let Ok(handler) = func.typed::<(i32, i32, i32), ()>(&*caller) else {
            bail!(
                "signal {sig}: SA_SIGINFO handler is not `void handler(int, siginfo_t *, void *)`"
            );
        };
        let info_at = (top - SIGINFO_SIZE) & !15;
        memory.write(&mut *caller, info_at as u32 as usize, &info.encode())?;
        sp_global.set(&mut *caller, Val::I32(info_at))?;
        handler.call(&mut *caller, (sig as i32, info_at, 0))
    };
    sp_global.set(&mut *caller, Val::I32(sp))?;
    r
}
