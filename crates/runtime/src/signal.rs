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
use lind_kernel::cage::SigAction;
use wasmtime::{bail, error::Context as _, AsContextMut, Result, Val};

/// `siginfo_t` is 128 bytes on wasm32.
const SIGINFO_SIZE: i32 = 128;
/// SI_USER: sent by kill(2).
const SI_USER: i32 = 0;

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
    let mut ran = false;
    let mut restart = true;
    while let Some((sig, action, restore)) = cage.begin_handler() {
        ran = true;
        restart &= action.flags & SA_RESTART != 0;
        // A handler that longjmps out leaves its mask in place, as natively.
        caller.as_context_mut().data_mut().handler_depth += 1;
        let r = run_handler(caller, sig, &action);
        caller.as_context_mut().data_mut().handler_depth -= 1;
        r?;
        cage.end_handler(restore);
    }
    Ok(ran.then_some(restart))
}

fn run_handler(
    caller: &mut impl AsContextMut<Data = CageState>,
    sig: u32,
    action: &SigAction,
) -> Result<()> {
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
    if action.flags & SA_SIGINFO == 0 {
        let Ok(handler) = func.typed::<i32, ()>(&*caller) else {
            bail!("signal {sig}: handler is not `void handler(int)`");
        };
        return handler.call(&mut *caller, sig as i32);
    }
    let Ok(handler) = func.typed::<(i32, i32, i32), ()>(&*caller) else {
        bail!("signal {sig}: SA_SIGINFO handler is not `void handler(int, siginfo_t *, void *)`");
    };
    // siginfo_t goes on the cage's own stack, below its stack pointer.
    let Val::I32(sp) = sp_global.get(&mut *caller) else {
        bail!("__stack_pointer is not an i32");
    };
    let info_at = (sp - SIGINFO_SIZE) & !15;
    let mut info = [0u8; SIGINFO_SIZE as usize];
    info[0..4].copy_from_slice(&(sig as i32).to_le_bytes());
    info[8..12].copy_from_slice(&SI_USER.to_le_bytes());
    memory
        .write(&mut *caller, info_at as u32 as u64, &info)
        .map_err(|e| wasmtime::format_err!("siginfo out of bounds: {}", e.name()))?;
    sp_global.set(&mut *caller, Val::I32(info_at))?;
    let r = handler.call(&mut *caller, (sig as i32, info_at, 0));
    sp_global.set(&mut *caller, Val::I32(sp))?;
    r
}
