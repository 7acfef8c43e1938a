//! Stopping and ending threads that run code compiled without epoch checks.
//!
//! wasmtime's epoch check at every loop header and function entry costs
//! loop-heavy code a third of its speed. It is only needed to run a signal
//! handler in a cage that computes without syscalls (a handler must be
//! called and return, so the code must offer a place to call it from).
//! A program that cannot install a handler (see [`may_install_handlers`])
//! is compiled without the checks; such a cage still stops (SIGSTOP and
//! friends), dies (SIGKILL, default actions, exit_group from another
//! thread, exec) within one tick, through a host signal:
//!
//! * every epoch tick, and whenever the kernel wakes its cage (a signal
//!   posted, a stop, an exit), the runtime sends [`signal`] to each such
//!   thread whose cage needs it ([`Running::needs_attention`]);
//! * the handler acts only when the thread was interrupted inside a wasm
//!   function body (not in host code or a trampoline), so no host lock is
//!   held on it: it may wait in the kernel's stop point, and it ends the
//!   thread by moving its program counter to one of the module's trap
//!   sites, which wasmtime then unwinds as any trap;
//! * the runtime sees that trap came from here ([`Guard::redirected`]) and
//!   ends the thread the way the cage's state asks (exit, thread exit,
//!   exec).
//!
//! A thread interrupted in host code acts at its syscall return, as before.
//!
//! A program that can install handlers runs without the checks too when
//! its libc exports `__lind_signal_entry`: a thread with a handler due,
//! interrupted inside a wasm function body, is made to call that function
//! ([`inject`]) as if the interrupted instruction had called it. It makes
//! a syscall, on whose return the handlers run as after any other; then
//! every register comes back and the interrupted code goes on. A handler
//! that longjmps out or exits traps out of these frames like any other.
//!
//! Except in a function that calls setjmp ([`SetjmpCheck`]): a handler's
//! longjmp back into it can only land at one of its calls. There the
//! runtime raises the libc's `__lind_signal_flag` instead, and the check
//! point `lind cc` put at each of its loop headers makes the call. A flag
//! not taken for a whole tick (no loop, or code built without the check
//! points) is overridden: the thread is sent in anyway.

use lind_kernel::{Cage, Kernel};
use parking_lot::Mutex;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Once};

/// Whether a module can install a signal handler (then it needs epoch
/// checks): musl's sigaction (what signal(), sigset() and friends call)
/// or the raw syscall() function is in it. A module without a name
/// section is assumed to.
pub fn may_install_handlers(bytes: &[u8]) -> bool {
    const CALLS: &[&str] = &[
        "__libc_sigaction",
        "__sigaction",
        "sigaction",
        "signal",
        "syscall",
    ];
    let mut named = false;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(wasmparser::Payload::CustomSection(c)) = payload else {
            continue;
        };
        let wasmparser::KnownCustom::Name(names) = c.as_known() else {
            continue;
        };
        for sub in names {
            let Ok(wasmparser::Name::Function(map)) = sub else {
                continue;
            };
            named = true;
            for n in map.into_iter().flatten() {
                if CALLS.contains(&n.name) {
                    return true;
                }
            }
        }
    }
    !named
}

/// Whether a module's libc exports `__lind_signal_entry` (see the module
/// doc): then it gets its handlers without epoch checks. Reads no further
/// than the export section (which comes before the code).
pub fn has_signal_entry(bytes: &[u8]) -> bool {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::ExportSection(exports)) => {
                return exports.into_iter().any(|e| {
                    e.is_ok_and(|e| {
                        e.name == "__lind_signal_entry" && e.kind == wasmparser::ExternalKind::Func
                    })
                })
            }
            Ok(wasmparser::Payload::CodeSectionStart { .. }) | Err(_) => return false,
            _ => {}
        }
    }
    false
}

/// Where a compiled module's wasm function bodies lie, and a trap site.
pub struct CodeMap {
    /// Each function's code (start, end) and index, by start.
    bodies: Vec<(usize, usize, u32)>,
    trap_at: usize,
}

/// Each compiled module's [`CodeMap`], by the address of its compiled code:
/// set (or cleared) at every compile, as lines.rs keeps DWARF, so a live
/// module's entry is its own. Threads and forked children then start with
/// a lookup instead of a walk over every function, whose names wasmtime
/// decodes on the way (8% of a thread create+join).
static CODE_MAPS: Mutex<Option<std::collections::HashMap<usize, Arc<CodeMap>>>> = Mutex::new(None);

impl CodeMap {
    /// Maps `module` (just compiled) and records the map; false if it has
    /// no trap site (then it cannot be interrupted this way).
    pub fn record(module: &wasmtime::Module) -> bool {
        let map = CodeMap::of(module).map(Arc::new);
        let key = module.text().as_ptr() as usize;
        let mut maps = CODE_MAPS.lock();
        let maps = maps.get_or_insert_with(Default::default);
        match map {
            Some(m) => {
                maps.insert(key, m);
                true
            }
            None => {
                maps.remove(&key);
                false
            }
        }
    }

    /// `module`'s recorded map (made now if it was compiled elsewhere).
    pub fn recorded(module: &wasmtime::Module) -> Option<Arc<CodeMap>> {
        let key = module.text().as_ptr() as usize;
        if let Some(m) = CODE_MAPS.lock().as_ref().and_then(|m| m.get(&key)) {
            return Some(m.clone());
        }
        CodeMap::of(module).map(Arc::new)
    }

    /// `None` if no trap site is found (the module then cannot be
    /// interrupted this way; the caller compiles it with checks).
    pub fn of(module: &wasmtime::Module) -> Option<CodeMap> {
        let text = module.text();
        let base = text.as_ptr() as usize;
        // One walk: wasmtime decodes every function's name on the way.
        let mut bodies: Vec<(usize, usize, u32)> = module
            .functions()
            .map(|f| (base + f.offset, base + f.offset + f.len, f.index.as_u32()))
            .collect();
        // Cranelift ends a function with its out-of-line traps (the stack
        // check's `ud2` first among them): a function whose last
        // instruction is `ud2` gives a registered trap site.
        let trap_at = bodies.iter().find_map(|&(start, end, _)| {
            let body = text.get(start - base..end - base)?;
            body.ends_with(&[0x0f, 0x0b]).then_some(end - 2)
        })?;
        bodies.sort_unstable();
        Some(CodeMap { bodies, trap_at })
    }

    /// The index of the function whose code starts at `start`.
    pub fn index_at(&self, start: usize) -> Option<u32> {
        let i = self
            .bodies
            .binary_search_by_key(&start, |&(s, _, _)| s)
            .ok()?;
        Some(self.bodies[i].2)
    }

    fn in_body(&self, pc: usize) -> bool {
        self.body_start(pc).is_some()
    }

    /// Where the function whose body holds `pc` starts.
    fn body_start(&self, pc: usize) -> Option<usize> {
        let i = self.bodies.partition_point(|&(start, _, _)| start <= pc);
        (i > 0 && pc < self.bodies[i - 1].1).then(|| self.bodies[i - 1].0)
    }
}

/// The functions that call setjmp (where the compiled code of each
/// starts) and the host address of the flag their loops check.
pub struct SetjmpCheck {
    code: Vec<usize>,
    flag: usize,
}

impl SetjmpCheck {
    /// `flag` must be the address of 4 aligned bytes of the cage's memory,
    /// which lives as long as any thread that runs with it.
    pub fn new(mut code: Vec<usize>, flag: usize) -> Self {
        code.sort_unstable();
        SetjmpCheck { code, flag }
    }

    /// Whether the thread, interrupted at `pc` with a handler due, is left
    /// to call in at its next check point: it runs a setjmp-calling
    /// function and the flag has not been up unanswered for a whole tick.
    fn leave_to_check_point(&self, code: &CodeMap, pc: usize) -> bool {
        let Some(start) = code.body_start(pc) else {
            return false;
        };
        if self.code.binary_search(&start).is_err() {
            return false;
        }
        // SAFETY: 4 aligned bytes of the cage's memory, mapped while the
        // thread runs (see `new`); the guest only reads and stores it too.
        raise_signal_flag(unsafe { &*(self.flag as *const AtomicU32) })
    }
}

/// Raises the libc's `__lind_signal_flag` if it is down; returns whether
/// the thread is left to its check point: the flag has not been up
/// unanswered for a whole tick.
pub fn raise_signal_flag(flag: &AtomicU32) -> bool {
    // Raised with the tick it went up in (odd, so never 0).
    let now = (TICKS.load(Ordering::Relaxed) << 1) | 1;
    match flag.compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => true,
        Err(raised) => now.wrapping_sub(raised) >> 1 < 2,
    }
}

/// Ticks so far, to age a raised flag.
static TICKS: AtomicU32 = AtomicU32::new(0);

/// The compiled code of `func`, a function of the store's own instance.
pub fn code_address(func: &wasmtime::Func, store: impl wasmtime::AsContextMut) -> Option<usize> {
    raw_entry(func, store).map(|e| e.wasm_call)
}

/// `func`'s `wasm_call` and `vmctx`, whatever its type.
fn raw_entry(func: &wasmtime::Func, mut store: impl wasmtime::AsContextMut) -> Option<WasmEntry> {
    let funcref = func.to_raw(&mut store) as *const usize;
    if funcref.is_null() {
        return None;
    }
    // SAFETY: `to_raw` returns a pointer to the function's VMFuncRef,
    // alive as long as the store; wasmtime 48 lays it out (repr(C)) as
    // `array_call`, `wasm_call`, `type_index` (u32, padded), `vmctx`.
    let (wasm_call, vmctx) = unsafe { (*funcref.add(1), *funcref.add(3)) };
    (wasm_call != 0 && vmctx != 0).then_some(WasmEntry { wasm_call, vmctx })
}

/// Where compiled code enters a wasm function when wasm calls it: the
/// function's `wasm_call` pointer and its instance's `vmctx`.
#[repr(C)]
pub struct WasmEntry {
    wasm_call: usize,
    vmctx: usize,
}

impl WasmEntry {
    /// The entry of `func`, a function of the store's own instance.
    pub fn of(func: &wasmtime::Func, store: impl wasmtime::AsContextMut) -> Option<Self> {
        let ty = func.ty(&store);
        if ty.params().len() != 0 || ty.results().len() != 0 {
            return None;
        }
        raw_entry(func, store)
    }
}

/// A host thread running a cage thread's unchecked code.
pub struct Running {
    pub cage: Arc<Cage>,
    pub kernel: Arc<Kernel>,
    pub tid: i32,
    pub code: Arc<CodeMap>,
    /// Where the thread is sent to run a due handler (`None`: it has no
    /// way to, and gets its handlers at syscall returns only).
    signal_entry: Option<WasmEntry>,
    setjmp: Option<SetjmpCheck>,
    /// Whether another thread's exec waits for this (main) thread to end.
    pub exec_waiting: Box<dyn Fn() -> bool + Send + Sync>,
    thread: libc::pthread_t,
    redirected: AtomicBool,
    /// Waiting in the stop point, inside the handler.
    parked: AtomicBool,
}

impl Running {
    pub fn new(
        cage: Arc<Cage>,
        kernel: Arc<Kernel>,
        tid: i32,
        code: Arc<CodeMap>,
        signal_entry: Option<WasmEntry>,
        setjmp: Option<SetjmpCheck>,
        exec_waiting: Box<dyn Fn() -> bool + Send + Sync>,
    ) -> Self {
        Running {
            cage,
            kernel,
            tid,
            code,
            signal_entry,
            setjmp,
            exec_waiting,
            // SAFETY: pthread_self has no preconditions.
            thread: unsafe { libc::pthread_self() },
            redirected: AtomicBool::new(false),
            parked: AtomicBool::new(false),
        }
    }

    /// The thread must end now.
    fn must_end(&self) -> bool {
        self.cage.exit_requested().is_some()
            || (self.cage.stopping() && (self.tid != self.cage.pid || (self.exec_waiting)()))
    }

    fn needs_attention(&self) -> bool {
        !self.parked.load(Ordering::Acquire)
            && (self.must_end()
                || self.cage.stop_pending()
                || self.cage.is_stopped()
                || self.handler_due())
    }

    fn handler_due(&self) -> bool {
        self.signal_entry.is_some() && self.cage.handler_pending_for(self.tid)
    }
}

static RUNNING: Mutex<Vec<Arc<Running>>> = Mutex::new(Vec::new());

thread_local! {
    static CURRENT: Cell<*const Running> = const { Cell::new(std::ptr::null()) };
    /// Asyncify is unwinding or rewinding this thread's stack (fork): its
    /// code must not be sent anywhere meanwhile.
    static ASYNCIFY_BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Marks the start or end of an Asyncify unwind or rewind on this thread.
pub fn set_asyncify_busy(busy: bool) {
    ASYNCIFY_BUSY.with(|b| b.set(busy));
}

/// Keeps a thread registered while it runs unchecked code.
pub struct Guard(Arc<Running>);

impl Guard {
    /// Whether the trap the thread ended with was sent from here.
    pub fn redirected(&self) -> bool {
        self.0.redirected.swap(false, Ordering::AcqRel)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(std::ptr::null()));
        // Under the lock that `tick` sends with: once removed, this thread
        // gets no more signals, and it may then end.
        RUNNING.lock().retain(|r| !Arc::ptr_eq(r, &self.0));
    }
}

/// Whether a trap this thread is unwinding was sent from here (not yet
/// taken by its guard): an `invoke` must let it through.
pub fn redirected_pending() -> bool {
    with_current(|r| r.redirected.load(Ordering::Acquire)).unwrap_or(false)
}

/// `f` of the calling thread's `Running`, if it runs unchecked code.
fn with_current<R>(f: impl FnOnce(&Running) -> R) -> Option<R> {
    let running = CURRENT.with(|c| c.get());
    // SAFETY: CURRENT is set only while the Guard that owns this `Running`
    // (an Arc) lives on this thread, and cleared in its drop, on this same
    // thread; the reference does not outlive `f`.
    (!running.is_null()).then(|| f(unsafe { &*running }))
}

impl lind_kernel::cage::Kick for Running {
    /// A signal was posted to the cage (or it must stop or end): the
    /// thread acts now, not at the next tick.
    fn kick(&self) {
        // SAFETY: pthread_self and pthread_equal have no preconditions.
        if unsafe { libc::pthread_equal(libc::pthread_self(), self.thread) } != 0 {
            return; // the thread itself, in the kernel: it acts on its way out
        }
        let running = RUNNING.lock();
        // Under the lock a thread leaves RUNNING with before it ends: it is
        // alive while listed.
        if running.iter().any(|r| std::ptr::eq(Arc::as_ptr(r), self)) && self.needs_attention() {
            // SAFETY: the thread is alive (above).
            unsafe { libc::pthread_kill(self.thread, signal()) };
        }
    }
}

/// Registers the calling thread until the guard drops.
pub fn enter(running: Running) -> Guard {
    install_handler();
    let running = Arc::new(running);
    let kicker: Arc<dyn lind_kernel::cage::Kick> = running.clone();
    running.cage.add_kicker(Arc::downgrade(&kicker));
    RUNNING.lock().push(running.clone());
    CURRENT.with(|c| c.set(Arc::as_ptr(&running)));
    Guard(running)
}

/// Signals the registered threads whose cages need them.
pub fn tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
    let running = RUNNING.lock();
    for r in running.iter() {
        if r.needs_attention() {
            // SAFETY: the thread is alive: it leaves RUNNING (under this
            // lock) before it ends.
            unsafe { libc::pthread_kill(r.thread, signal()) };
        }
    }
}

/// The host signal used: a real-time one nobody else here uses.
fn signal() -> libc::c_int {
    libc::SIGRTMIN() + 5
}

fn install_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: a plain sigaction call with a zeroed, then filled, struct.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as usize;
            // SA_RESTART: host syscalls it interrupts start again.
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(signal(), &sa, std::ptr::null_mut()) != 0 {
                tracing::warn!("cannot install the interrupt handler");
            }
        }
    });
}

extern "C" fn on_signal(_sig: libc::c_int, _info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    with_current(|r| act(r, ctx));
}

/// What [`on_signal`] does for the thread's `Running` `r`.
fn act(r: &Running, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid ucontext to an SA_SIGINFO handler.
    let uc = unsafe { &mut *(ctx as *mut libc::ucontext_t) };
    let Some(pc) = program_counter(uc) else {
        return;
    };
    if !r.code.in_body(pc) {
        return; // host code: it acts at its syscall return
    }
    // The thread was running the cage's own code: it holds no host lock,
    // so the kernel may be called from here.
    if r.cage.stop_pending() || r.cage.is_stopped() {
        r.parked.store(true, Ordering::Release);
        r.kernel.stop_point(&r.cage);
        r.parked.store(false, Ordering::Release);
    }
    if r.must_end() {
        r.redirected.store(true, Ordering::Release);
        set_program_counter(uc, r.code.trap_at);
        return;
    }
    if !ASYNCIFY_BUSY.with(|b| b.get()) && r.handler_due() {
        let at_check_point = r
            .setjmp
            .as_ref()
            .is_some_and(|s| s.leave_to_check_point(&r.code, pc));
        if !at_check_point {
            inject(uc);
        }
    }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn program_counter(uc: &libc::ucontext_t) -> Option<usize> {
    Some(uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize)
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn set_program_counter(uc: &mut libc::ucontext_t, pc: usize) {
    uc.uc_mcontext.gregs[libc::REG_RIP as usize] = pc as i64;
}

/// Makes the interrupted code call [`lind_signal_entry`] when the signal
/// handler returns: its return address is pushed as a call would, and
/// the program counter moved there. Not when the stack pointer is
/// unaligned (a function's prologue or epilogue: its frame pointer is not
/// yet or no longer its own); a later tick catches the thread elsewhere.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn inject(uc: &mut libc::ucontext_t) {
    let regs = &mut uc.uc_mcontext.gregs;
    let sp = regs[libc::REG_RSP as usize] as usize;
    if !sp.is_multiple_of(16) {
        return;
    }
    let return_to = sp - 8;
    // SAFETY: the slot is just below the interrupted code's stack pointer,
    // on its own thread's stack, which compiled wasm never uses (Cranelift
    // keeps no red zone) and which wasmtime's stack limit keeps well away
    // from the guard page.
    unsafe { *(return_to as *mut u64) = regs[libc::REG_RIP as usize] as u64 };
    regs[libc::REG_RSP as usize] = return_to as i64;
    regs[libc::REG_RIP as usize] = lind_signal_entry as *const () as usize as i64;
}

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
fn inject(_uc: &mut libc::ucontext_t) {}

/// The entry of the interrupted thread's `__lind_signal_entry`, for
/// [`lind_signal_entry`] (null if it has none).
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
extern "C" fn signal_entry_target() -> *const WasmEntry {
    with_current(|r| r.signal_entry.as_ref().map(|e| e as *const WasmEntry))
        .flatten()
        .unwrap_or(std::ptr::null())
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
extern "C" {
    /// Entered as if the interrupted wasm instruction had called it: saves
    /// every register and the flags, calls the thread's
    /// `__lind_signal_entry` as wasm calls a function (Cranelift's tail
    /// convention: callee and caller vmctx in rdi and rsi; only rbp and
    /// rsp survive), restores everything and returns to the interrupted
    /// instruction. Its frame is an ordinary frame-pointer frame, so
    /// wasmtime's stack walks and trap unwinding pass through it.
    fn lind_signal_entry();
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl lind_signal_entry",
    ".hidden lind_signal_entry",
    ".type lind_signal_entry, @function",
    "lind_signal_entry:",
    "push rbp",
    "mov rbp, rsp",
    "pushfq",
    "push rax",
    "push rcx",
    "push rdx",
    "push rbx",
    "push rsi",
    "push rdi",
    "push r8",
    "push r9",
    "push r10",
    "push r11",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    // 15 pushes: rsp = rbp - 120. The vector and x87 state goes below,
    // 16-byte aligned, at rbp - 640.
    "sub rsp, 520",
    "fxsave64 [rsp]",
    "cld",
    "call {target}",
    "test rax, rax",
    "jz 2f",
    "mov rdi, [rax + 8]",
    "mov rsi, rdi",
    "call qword ptr [rax]",
    "2:",
    "lea rsp, [rbp - 640]",
    "fxrstor64 [rsp]",
    "add rsp, 520",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop r11",
    "pop r10",
    "pop r9",
    "pop r8",
    "pop rdi",
    "pop rsi",
    "pop rbx",
    "pop rdx",
    "pop rcx",
    "pop rax",
    "popfq",
    "pop rbp",
    "ret",
    ".size lind_signal_entry, . - lind_signal_entry",
    target = sym signal_entry_target,
);

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
fn program_counter(_uc: &libc::ucontext_t) -> Option<usize> {
    None
}

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
fn set_program_counter(_uc: &mut libc::ucontext_t, _pc: usize) {}

/// Whether this host can interrupt unchecked code at all.
pub const SUPPORTED: bool = cfg!(all(target_os = "linux", target_arch = "x86_64"));

#[cfg(test)]
mod tests {
    use super::*;

    /// A module holding only a name section that names functions `names`.
    fn named(names: &[&str]) -> Vec<u8> {
        let mut sub = vec![names.len() as u8];
        for (i, n) in names.iter().enumerate() {
            sub.push(i as u8);
            sub.push(n.len() as u8);
            sub.extend_from_slice(n.as_bytes());
        }
        let mut section = vec![4, b'n', b'a', b'm', b'e', 1, sub.len() as u8];
        section.extend(sub);
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.push(0);
        m.push(section.len() as u8);
        m.extend(section);
        m
    }

    #[test]
    fn handlers_are_possible_with_sigaction_or_syscall_or_without_names() {
        assert!(!may_install_handlers(&named(&["main", "printf", "fork"])));
        assert!(may_install_handlers(&named(&["main", "__libc_sigaction"])));
        assert!(may_install_handlers(&named(&["signal"])));
        assert!(may_install_handlers(&named(&["syscall", "main"])));
        assert!(may_install_handlers(b"\0asm\x01\0\0\0"));
    }

    #[test]
    fn signal_entry_is_an_exported_function() {
        let with = wat::parse_str(r#"(module (func (export "__lind_signal_entry")))"#).unwrap();
        let global =
            wat::parse_str(r#"(module (global (export "__lind_signal_entry") i32 (i32.const 0)))"#)
                .unwrap();
        let without = wat::parse_str(r#"(module (func (export "main")))"#).unwrap();
        assert!(has_signal_entry(&with));
        assert!(!has_signal_entry(&global));
        assert!(!has_signal_entry(&without));
    }

    /// `WasmEntry::of` reads wasmtime's private funcref layout: its
    /// `wasm_call` must be the function's own compiled code, and `vmctx`
    /// its instance's (shared by the instance's functions, not by another
    /// instance's).
    #[test]
    fn wasm_entry_is_the_functions_code_and_instance() {
        let engine = wasmtime::Engine::default();
        let bytes = wat::parse_str(
            r#"(module (func $a (export "a")) (func $b (export "b") (nop))
                       (func $c (export "c") (param i32)))"#,
        )
        .unwrap();
        let module = wasmtime::Module::new(&engine, &bytes).unwrap();
        let mut store = wasmtime::Store::new(&engine, ());
        let one = wasmtime::Instance::new(&mut store, &module, &[]).unwrap();
        let two = wasmtime::Instance::new(&mut store, &module, &[]).unwrap();
        let func =
            |i: &wasmtime::Instance, s: &mut wasmtime::Store<()>, n| i.get_func(s, n).unwrap();
        let (a, b) = (func(&one, &mut store, "a"), func(&one, &mut store, "b"));
        let other_a = func(&two, &mut store, "a");
        let c = func(&one, &mut store, "c");
        let a = WasmEntry::of(&a, &mut store).unwrap();
        let b = WasmEntry::of(&b, &mut store).unwrap();
        let other_a = WasmEntry::of(&other_a, &mut store).unwrap();
        assert!(WasmEntry::of(&c, &mut store).is_none(), "takes a parameter");
        let base = module.text().as_ptr() as usize;
        let code: Vec<usize> = module.functions().map(|f| base + f.offset).collect();
        assert_eq!(a.wasm_call, code[0]);
        assert_eq!(b.wasm_call, code[1]);
        assert_eq!(other_a.wasm_call, code[0]);
        assert_eq!(a.vmctx, b.vmctx);
        assert_ne!(a.vmctx, other_a.vmctx);
    }

    #[test]
    fn only_pcs_inside_function_bodies_count() {
        let code = CodeMap {
            bodies: vec![(100, 150, 0), (160, 200, 1)],
            trap_at: 198,
        };
        for pc in [100, 149, 160, 199] {
            assert!(code.in_body(pc), "{pc}");
        }
        for pc in [0, 99, 150, 155, 200, 1000] {
            assert!(!code.in_body(pc), "{pc}");
        }
    }

    /// Inside a setjmp-calling function the flag goes up (with its tick),
    /// and the thread is left to its check point for the rest of that tick
    /// and the next; a flag still up after that is overridden. Elsewhere
    /// the flag is not touched.
    #[test]
    fn setjmp_functions_raise_the_flag_until_it_goes_stale() {
        let code = CodeMap {
            bodies: vec![(100, 150, 0), (160, 200, 1)],
            trap_at: 198,
        };
        let flag = Box::new(AtomicU32::new(0));
        let check = SetjmpCheck::new(vec![160], &*flag as *const AtomicU32 as usize);
        assert!(!check.leave_to_check_point(&code, 120));
        assert!(!check.leave_to_check_point(&code, 155));
        assert_eq!(flag.load(Ordering::Relaxed), 0);
        assert!(check.leave_to_check_point(&code, 170));
        assert_ne!(flag.load(Ordering::Relaxed), 0);
        assert!(check.leave_to_check_point(&code, 180), "same tick");
        TICKS.fetch_add(1, Ordering::Relaxed);
        assert!(check.leave_to_check_point(&code, 180), "the next tick");
        TICKS.fetch_add(1, Ordering::Relaxed);
        assert!(
            !check.leave_to_check_point(&code, 180),
            "not taken for a tick"
        );
        flag.store(0, Ordering::Relaxed); // taken: the poll lowers it
        assert!(check.leave_to_check_point(&code, 180));
    }
}
