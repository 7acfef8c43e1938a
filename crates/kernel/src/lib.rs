//! The Lind kernel: everything a POSIX process sees, as plain Rust objects.
//!
//! Guest memory is reached only through [`memory::GuestMemory`] and the host
//! (clocks, randomness) only through [`host::Host`], so every syscall can be
//! unit-tested with fakes. The runtime crate supplies the real ones.
#![forbid(unsafe_code)]

pub mod block;
pub mod cage;
pub mod chunk;
pub mod epoll;
pub mod eventfd;
pub mod fdtable;
pub mod fifo;
pub mod file;
pub mod host;
mod host_net;
pub mod inet;
pub mod itimer;
pub mod kernel;
pub mod lock;
pub mod memory;
pub mod mm;
pub mod pipe;
pub mod poll;
pub mod shm;
pub mod signal;
pub mod signalfd;
pub mod socket;
pub mod stdio;
pub mod syscall;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod thread;
pub mod timerfd;
pub mod unix;
pub mod vfs;

pub use lind_abi::Errno;

/// Result of a kernel operation: a value or the errno the guest will see.
pub type KResult<T> = Result<T, Errno>;

pub use cage::Cage;
pub use kernel::{Kernel, KernelConfig};
pub use memory::GuestMemory;
pub use syscall::{dispatch, Outcome};
