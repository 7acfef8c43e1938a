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
//! * every epoch tick the runtime sends [`signal`] to each such thread whose
//!   cage needs it ([`Running::needs_attention`]);
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

use lind_kernel::{Cage, Kernel};
use parking_lot::Mutex;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// Where a compiled module's wasm function bodies lie, and a trap site.
pub struct CodeMap {
    bodies: Vec<(usize, usize)>,
    trap_at: usize,
}

impl CodeMap {
    /// `None` if no trap site is found (the module then cannot be
    /// interrupted this way; the caller compiles it with checks).
    pub fn of(module: &wasmtime::Module) -> Option<CodeMap> {
        let text = module.text();
        let base = text.as_ptr() as usize;
        let mut bodies: Vec<(usize, usize)> = module
            .functions()
            .map(|f| (base + f.offset, base + f.offset + f.len))
            .collect();
        bodies.sort_unstable();
        // Cranelift ends a function with its out-of-line traps (the stack
        // check's `ud2` first among them): a function whose last
        // instruction is `ud2` gives a registered trap site.
        let trap_at = module.functions().find_map(|f| {
            let body = text.get(f.offset..f.offset + f.len)?;
            body.ends_with(&[0x0f, 0x0b])
                .then(|| base + f.offset + f.len - 2)
        })?;
        Some(CodeMap { bodies, trap_at })
    }

    fn in_body(&self, pc: usize) -> bool {
        let i = self.bodies.partition_point(|&(start, _)| start <= pc);
        i > 0 && pc < self.bodies[i - 1].1
    }
}

/// A host thread running a cage thread's unchecked code.
pub struct Running {
    pub cage: Arc<Cage>,
    pub kernel: Arc<Kernel>,
    pub tid: i32,
    pub code: Arc<CodeMap>,
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
        exec_waiting: Box<dyn Fn() -> bool + Send + Sync>,
    ) -> Self {
        Running {
            cage,
            kernel,
            tid,
            code,
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
            && (self.must_end() || self.cage.stop_pending() || self.cage.is_stopped())
    }
}

static RUNNING: Mutex<Vec<Arc<Running>>> = Mutex::new(Vec::new());

thread_local! {
    static CURRENT: Cell<*const Running> = const { Cell::new(std::ptr::null()) };
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
    CURRENT.with(|c| {
        let running = c.get();
        // SAFETY: CURRENT is set only while the Guard that owns this
        // `Running` (an Arc) lives on this thread, and cleared in its drop.
        !running.is_null() && unsafe { (*running).redirected.load(Ordering::Acquire) }
    })
}

/// Registers the calling thread until the guard drops.
pub fn enter(running: Running) -> Guard {
    install_handler();
    let running = Arc::new(running);
    RUNNING.lock().push(running.clone());
    CURRENT.with(|c| c.set(Arc::as_ptr(&running)));
    Guard(running)
}

/// Signals the registered threads whose cages need them.
pub fn tick() {
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
    let running = CURRENT.with(|c| c.get());
    if running.is_null() {
        return;
    }
    // SAFETY: CURRENT points into the Arc the thread's Guard holds; the
    // guard clears it before dropping that Arc, on this same thread.
    let r = unsafe { &*running };
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
    fn only_pcs_inside_function_bodies_count() {
        let code = CodeMap {
            bodies: vec![(100, 150), (160, 200)],
            trap_at: 198,
        };
        for pc in [100, 149, 160, 199] {
            assert!(code.in_body(pc), "{pc}");
        }
        for pc in [0, 99, 150, 155, 200, 1000] {
            assert!(!code.in_body(pc), "{pc}");
        }
    }
}
