//! SIGBUS from file mappings: a page of a mapped file that lies wholly
//! beyond the file's end raises SIGBUS on the host, which wasmtime does
//! not handle on Linux. This handler keeps it from killing `lind`:
//!
//! - touched by wasm code: the page is replaced with a PROT_NONE page, so
//!   the instruction faults again as an ordinary out-of-bounds access that
//!   wasmtime turns into a trap; the runtime then sees the pending SIGBUS
//!   ([`take_wasm_fault`]), maps the file page back and raises SIGBUS in
//!   the cage instead of SIGSEGV.
//! - touched by a kernel copy (`read()` into such a page): the page is
//!   replaced with a zero page so the copy completes, [`copy`] maps the
//!   file page back and the syscall fails with EFAULT, as on Linux.
//!
//! Any other SIGBUS is not ours: the default action is restored and the
//! fault happens again, ending the process as it would have.

use std::cell::Cell;
use std::sync::atomic::{compiler_fence, Ordering};
use std::sync::Once;

thread_local! {
    /// Set while the runtime copies to or from guest memory.
    static IN_COPY: Cell<bool> = const { Cell::new(false) };
    /// Whether a page was replaced during the current copy.
    static COPY_FAULT: Cell<bool> = const { Cell::new(false) };
    /// Host address of a page replaced under wasm code, else 0.
    static WASM_FAULT: Cell<usize> = const { Cell::new(0) };
}

const PAGE: usize = 4096;

/// Installs the handler (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: a plain sigaction call with a zeroed, then filled, struct;
        // the handler only touches thread-locals, the memory registry and
        // mmap, and is installed before any file is mapped.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handler as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut()) != 0 {
                tracing::warn!("cannot install the SIGBUS handler");
            }
        }
    });
}

extern "C" fn handler(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = addr & !(PAGE - 1);
    let in_copy = IN_COPY.with(|c| c.get());
    if page != 0 && crate::cow::is_file_page(page) {
        let prot = if in_copy {
            libc::PROT_READ | libc::PROT_WRITE
        } else {
            libc::PROT_NONE
        };
        // SAFETY: the page is inside a cage memory's own reservation
        // (checked just above), so replacing it harms nothing else; the
        // runtime maps the file page back once the fault is handled.
        let r = unsafe {
            libc::mmap(
                page as *mut libc::c_void,
                PAGE,
                prot,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if r != libc::MAP_FAILED {
            if in_copy {
                COPY_FAULT.with(|c| c.set(true));
            } else {
                WASM_FAULT.with(|c| c.set(page));
            }
            return;
        }
    }
    // SAFETY: back to the default action; returning re-runs the faulting
    // access, which then ends the process as an unhandled SIGBUS does.
    unsafe {
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
    }
}

/// Runs a copy to or from the `len` guest bytes at host address `at`;
/// EFAULT (after mapping the file pages back) if it touched a file page
/// beyond the end of its file.
pub fn copy<T>(at: usize, len: usize, f: impl FnOnce() -> T) -> Result<T, lind_abi::Errno> {
    // The fences keep the compiler from moving the flag's stores across
    // the copy: only the signal handler reads it.
    IN_COPY.with(|c| c.set(true));
    compiler_fence(Ordering::SeqCst);
    let r = f();
    compiler_fence(Ordering::SeqCst);
    IN_COPY.with(|c| c.set(false));
    if COPY_FAULT.with(|c| c.replace(false)) {
        let start = at & !(PAGE - 1);
        let mut page = start;
        while page < at + len {
            crate::cow::restore_page(page);
            page += PAGE;
        }
        return Err(lind_abi::Errno::EFAULT);
    }
    Ok(r)
}

/// After a trap: whether it was a wasm access beyond the end of a mapped
/// file (then the file page is mapped back, so a later touch faults the
/// same way).
pub fn take_wasm_fault() -> bool {
    let page = WASM_FAULT.with(|c| c.replace(0));
    if page != 0 {
        crate::cow::restore_page(page);
    }
    page != 0
}
