//! setjmp/longjmp: the `invoke_*` imports of LLVM's Emscripten-style
//! setjmp lowering (`lind cc -mllvm -enable-emscripten-sjlj`).
//!
//! In a C function that calls setjmp, every call that might longjmp goes
//! through `env.invoke_<signature>(table_index, args...)`. Here that calls
//! the function and catches the trap `longjmp` raises (`CageLongjmp`): the
//! wasm frames between are abandoned, never unwound, so nothing on the way
//! needs Asyncify. libc's `emscripten_longjmp` has already set the
//! thread's `__THREW__`/`__threwValue`, from which the calling function
//! resumes at its setjmp or passes the longjmp on to the next invoke out
//! (see libc's src/setjmp/wasm32/setjmp.c).
//!
//! A trap under an invoke is offered to the program's fault handler here,
//! where a handler's longjmp can still be caught; outer invokes do not
//! offer it again.

use crate::{sigbus, signal, trap, CageLongjmp, CageState};
use wasmtime::{
    error::Context as _, AsContextMut, Caller, FuncType, Linker, Module, Result, Val, ValType,
};

/// The import module LLVM gives the `invoke_*` functions.
pub const INVOKE_MODULE: &str = "env";

/// Whether `module.name` is one of the imports this file provides.
pub fn is_invoke(module: &str, name: &str) -> bool {
    module == INVOKE_MODULE && name.starts_with("invoke_")
}

/// Defines, in `linker`, each `invoke_*` that `module` imports.
pub fn define_invokes(linker: &mut Linker<CageState>, module: &Module) -> Result<()> {
    for import in module.imports() {
        if !is_invoke(import.module(), import.name()) {
            continue;
        }
        let wasmtime::ExternType::Func(ty) = import.ty() else {
            wasmtime::bail!("import `{}` is not a function", import.name());
        };
        if ty.params().next().map(|p| p.is_i32()) != Some(true) {
            wasmtime::bail!("import `{}` does not take a function index", import.name());
        }
        let callee = FuncType::new(
            linker.engine(),
            ty.params().skip(1),
            ty.results().collect::<Vec<ValType>>(),
        );
        linker.func_new(
            INVOKE_MODULE,
            import.name(),
            ty.clone(),
            move |caller, params, results| invoke(caller, &callee, params, results),
        )?;
    }
    Ok(())
}

/// `invoke_<sig>(index, args...)`: calls table entry `index` and catches a
/// longjmp out of it.
fn invoke(
    mut caller: Caller<'_, CageState>,
    callee: &FuncType,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    let index = params[0].unwrap_i32() as u32 as u64;
    let table = caller
        .data()
        .table
        .context("module has no function table; rebuild it with `lind cc`")?;
    let sp = caller
        .data()
        .stack_pointer
        .context("module does not export __stack_pointer")?;
    // A null or mistyped pointer traps as the same call_indirect would.
    let func = match table.get(&mut caller, index) {
        Some(wasmtime::Ref::Func(Some(f))) => f,
        Some(_) => return Err(wasmtime::Trap::IndirectCallToNull.into()),
        None => return Err(wasmtime::Trap::TableOutOfBounds.into()),
    };
    if !FuncType::eq(&func.ty(&caller), callee) {
        return Err(wasmtime::Trap::BadSignature.into());
    }
    let saved_sp = sp.get(&mut caller);
    caller.data_mut().invoke_depth += 1;
    let called = func.call(&mut caller, &params[1..], results);
    caller.data_mut().invoke_depth -= 1;
    let err = match called {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    // A trap interrupt.rs sent to end the thread is no fault.
    let err = if crate::interrupt::redirected_pending() {
        err
    } else {
        offer_fault(&mut caller, err)
    };
    if err.downcast_ref::<CageLongjmp>().is_none() {
        return Err(err);
    }
    // Caught: the abandoned frames' stack goes too. The caller reads what
    // longjmp left in __THREW__ and ignores these results.
    sp.set(&mut caller, saved_sp)?;
    for (slot, ty) in results.iter_mut().zip(callee.results()) {
        *slot = Val::default_for_ty(&ty).unwrap_or(Val::I32(0));
    }
    Ok(())
}

/// A trap the program has not been offered yet becomes its fault signal:
/// returns the handler's longjmp (or exit, or another trap) if it left by
/// one, else the trap. Once a handler returned (or there was none), the
/// trap is on its way to kill the cage, and no later invoke offers it.
pub fn offer_fault(
    store: &mut impl AsContextMut<Data = CageState>,
    err: wasmtime::Error,
) -> wasmtime::Error {
    let mut ctx = store.as_context_mut();
    if err.downcast_ref::<wasmtime::Trap>().is_none() || ctx.data().fault_offered {
        return err;
    }
    let err = if sigbus::take_wasm_fault() {
        err.context(trap::BeyondEndOfFile)
    } else {
        err
    };
    match signal::deliver_fault(&mut ctx, trap::classify(&err).signal) {
        Ok(()) => {
            ctx.data_mut().fault_offered = true;
            err
        }
        Err(handler_left) => handler_left,
    }
}
