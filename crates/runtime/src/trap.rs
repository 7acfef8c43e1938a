//! Turning a wasm trap into the signal that kills the cage, and a report a
//! person can act on: the signal, the reason, and the guest backtrace with
//! C file:line where the module has debug info.

use lind_abi::flags::*;
use parking_lot::Mutex;
use std::sync::OnceLock;
use wasmtime::{Engine, Store, Trap, WasmBacktrace};

/// `err` with an empty backtrace attached: wasmtime captures one for an
/// error from a host call only if it carries none, and capturing walks up
/// to 20 frames, ~0.3 µs each. An empty one comes from a store whose
/// engine keeps no backtraces, without looking at any stack.
pub fn without_backtrace(err: wasmtime::Error) -> wasmtime::Error {
    static NO_BACKTRACES: OnceLock<Option<Mutex<Store<()>>>> = OnceLock::new();
    let store = NO_BACKTRACES.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        config.wasm_backtrace_max_frames(None);
        let engine = Engine::new(&config).ok()?;
        Some(Mutex::new(Store::new(&engine, ())))
    });
    match store {
        Some(store) => err.context(WasmBacktrace::capture(&*store.lock())),
        None => err,
    }
}

pub struct Fault {
    pub signal: u32,
    pub reason: String,
}

pub fn describe_signal(sig: u32) -> &'static str {
    match sig {
        SIGHUP => "SIGHUP",
        SIGINT => "SIGINT",
        SIGQUIT => "SIGQUIT",
        SIGILL => "SIGILL",
        SIGTRAP => "SIGTRAP",
        SIGABRT => "SIGABRT",
        SIGBUS => "SIGBUS",
        SIGFPE => "SIGFPE",
        SIGKILL => "SIGKILL",
        SIGUSR1 => "SIGUSR1",
        SIGSEGV => "SIGSEGV",
        SIGUSR2 => "SIGUSR2",
        SIGPIPE => "SIGPIPE",
        SIGALRM => "SIGALRM",
        SIGTERM => "SIGTERM",
        SIGCHLD => "SIGCHLD",
        SIGSYS => "SIGSYS",
        _ => "signal",
    }
}

/// Marks a trap caused by touching a page of a file mapping that lies
/// beyond the end of the file (see `sigbus`): SIGBUS, as on Linux.
#[derive(Debug)]
pub struct BeyondEndOfFile;

impl std::fmt::Display for BeyondEndOfFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("access to a file mapping beyond the end of the file")
    }
}

/// Maps a trap to the signal Linux would have sent for the same fault.
pub fn classify(err: &wasmtime::Error) -> Fault {
    if err.downcast_ref::<BeyondEndOfFile>().is_some() {
        return Fault {
            signal: SIGBUS,
            reason: BeyondEndOfFile.to_string(),
        };
    }
    let (signal, reason) = match err.downcast_ref::<Trap>() {
        Some(Trap::MemoryOutOfBounds) => (
            SIGSEGV,
            "out-of-bounds memory access, or an access its page's mprotect forbids",
        ),
        Some(Trap::HeapMisaligned) => (SIGBUS, "misaligned atomic access"),
        Some(Trap::TableOutOfBounds) => (SIGSEGV, "call through an invalid function pointer"),
        Some(Trap::IndirectCallToNull) => (SIGSEGV, "call through a NULL function pointer"),
        Some(Trap::BadSignature) => (
            SIGSEGV,
            "call through a function pointer of the wrong type (Wasm checks the exact signature)",
        ),
        Some(Trap::StackOverflow) => (SIGSEGV, "stack overflow"),
        Some(Trap::IntegerDivisionByZero) => (SIGFPE, "integer division by zero"),
        Some(Trap::IntegerOverflow) => (SIGFPE, "integer overflow in division"),
        Some(Trap::BadConversionToInteger) => (SIGFPE, "float to integer conversion out of range"),
        Some(Trap::UnreachableCodeReached) => {
            (SIGILL, "unreachable code reached (__builtin_trap or abort)")
        }
        Some(Trap::Interrupt) => (SIGKILL, "interrupted"),
        Some(other) => (SIGSEGV, return_reason(other)),
        None => (SIGSYS, "runtime error"),
    };
    Fault {
        signal,
        reason: if err.downcast_ref::<Trap>().is_none() {
            format!("{reason}: {err:#}")
        } else {
            reason.to_string()
        },
    }
}

fn return_reason(_t: &Trap) -> &'static str {
    "wasm trap"
}

/// One line naming the signal and reason, then the guest's backtrace.
pub fn report(pid: i32, fault: &Fault, err: &wasmtime::Error) -> String {
    let mut out = format!(
        "lind: cage {pid} killed by {} ({})",
        describe_signal(fault.signal),
        fault.reason
    );
    if let Some(bt) = err.downcast_ref::<WasmBacktrace>() {
        for frame in bt.frames().iter().take(32) {
            let name = frame.func_name().unwrap_or("<unknown>");
            let mut line = format!("\n    at {name}");
            let place = match frame.symbols().iter().find(|s| s.file().is_some()) {
                Some(sym) => Some((sym.file().unwrap_or("?").to_string(), sym.line())),
                None => frame
                    .module_offset()
                    .and_then(|at| crate::lines::location(frame.module(), at)),
            };
            if let Some((file, number)) = place {
                let number = number.map_or_else(|| "?".into(), |n| n.to_string());
                line.push_str(&format!(" ({file}:{number})"));
            }
            out.push_str(&line);
        }
    }
    out
}
