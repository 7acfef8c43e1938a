//! Signals that reach `lind run` itself go to its cages, as a terminal
//! and the process tree would deliver them natively: Ctrl-C (SIGINT) and
//! Ctrl-\ (SIGQUIT) to the terminal's foreground process group, SIGTERM
//! and SIGHUP to every cage. The host process is not ended by them; it
//! ends when its cages do.

use lind_kernel::Kernel;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::{atomic::Ordering, Arc, Weak};

/// Starts forwarding for `kernel` (for the rest of the host process).
pub fn forward_to(kernel: &Arc<Kernel>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGQUIT, SIGTERM, SIGHUP])?;
    let kernel: Weak<Kernel> = Arc::downgrade(kernel);
    std::thread::Builder::new()
        .name("lind-host-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                let Some(kernel) = kernel.upgrade() else {
                    return;
                };
                let group = match sig {
                    SIGINT | SIGQUIT => Some(kernel.foreground.load(Ordering::Relaxed)),
                    _ => None,
                };
                // Host and guest share Linux's x86_64 signal numbers.
                kernel.signal_from_host(sig as u32, group);
            }
        })?;
    Ok(())
}
