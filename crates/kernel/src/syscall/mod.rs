//! Syscall entry: decode, look up in the one table, call, encode.
//!
//! Each family lives in its own file; a handler decodes its arguments,
//! calls the kernel objects and returns a value or an errno. The table in
//! [`table`] lists every supported call once; it drives dispatch, tracing
//! and the support matrix that `lind syscalls` prints.

pub mod exec;
pub mod fs;
pub mod io;
pub mod lock;
pub mod mem;
pub mod net;
pub mod pipe;
pub mod poll;
pub mod process;
pub mod shm;
pub mod signal;
pub mod table;
pub mod thread;
pub mod time;
mod trace;

use crate::{cage::ExitStatus, memory::GuestMemory, Cage, KResult, Kernel};
use lind_abi::Errno;
use std::sync::Arc;

pub use table::{lookup, Arg, Support, SyscallDef, TABLE};

/// Everything a handler may touch.
pub struct Ctx<'a> {
    pub kernel: &'a Kernel,
    pub cage: &'a Arc<Cage>,
    pub mem: &'a mut dyn GuestMemory,
    /// Set by `fork`: the child whose memory the runtime must now make.
    pub forked: Option<Arc<Cage>>,
    /// Set with `forked` by `lind_spawn`: the child starts at the libc's
    /// `__lind_spawn_start(arg)` instead of resuming the caller's stack.
    pub spawn_arg: Option<u32>,
    /// Set by `execve`: the program to load in place of this one.
    pub exec: Option<exec::ExecImage>,
    /// The calling thread (the pid for the main thread).
    pub tid: i32,
    /// Set by `clone` of a thread: the runtime must start it.
    pub spawn: Option<thread::NewThread>,
    /// Set by `exit` of a thread that is not the cage's last.
    pub thread_exit: bool,
    /// Where an interrupted sleep, poll or select stood: the runtime hands
    /// it to the same call when it makes it again (after a stop, or a
    /// handler another thread ran), which then waits only what is left,
    /// as Linux restarts them.
    pub restart: Option<Restart>,
}

/// See [`Ctx::restart`]. Times are the host's monotonic clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// Ends when it was first due to (nanosleep, poll: Linux's restart
    /// block keeps the expiry).
    Until(std::time::Duration),
    /// Waits what was left when it was interrupted (select: Linux writes
    /// the time left back into the timeout it then reads again).
    Left(std::time::Duration),
}

impl<'a> Ctx<'a> {
    pub fn new(kernel: &'a Kernel, cage: &'a Arc<Cage>, mem: &'a mut dyn GuestMemory) -> Self {
        Ctx {
            kernel,
            cage,
            mem,
            forked: None,
            spawn_arg: None,
            exec: None,
            tid: cage.pid,
            spawn: None,
            thread_exit: false,
            restart: None,
        }
    }

    /// The same, for thread `tid` of the cage.
    pub fn for_thread(
        kernel: &'a Kernel,
        cage: &'a Arc<Cage>,
        tid: i32,
        mem: &'a mut dyn GuestMemory,
    ) -> Self {
        Ctx {
            tid,
            ..Ctx::new(kernel, cage, mem)
        }
    }
}

/// What the runtime does after a syscall.
#[derive(Clone)]
pub enum Outcome {
    /// Return this value (negative errno on failure) to the guest.
    Return(i64),
    /// Stop the cage: it exited or was killed.
    Exit(ExitStatus),
    /// `fork` made this child in the kernel; the runtime copies the
    /// parent's memory into it, then returns its pid to the parent and 0 to
    /// the child.
    Fork(Arc<Cage>),
    /// `lind_spawn` made this child in the kernel; the runtime copies the
    /// parent's memory into it and starts it at `__lind_spawn_start(arg)`,
    /// then returns its pid to the parent.
    Spawn(Arc<Cage>, u32),
    /// `execve` found a program; the runtime loads it (or returns ENOEXEC
    /// if it is not a module it can run) and then calls
    /// [`Cage::commit_exec`].
    Exec(exec::ExecImage),
    /// `clone` made this thread in the kernel; the runtime starts it and
    /// returns its tid (or, if it cannot, forgets it and returns EAGAIN).
    Thread(thread::NewThread),
    /// `exit` ended the calling thread; the cage's other threads go on.
    ThreadExit,
}

/// The six raw arguments, widened to 64 bits by the libc.
#[derive(Clone, Copy, Debug)]
pub struct Args(pub [u64; 6]);

impl Args {
    /// A C `int` argument (fd, flags): only the low 32 bits count, however
    /// the libc extended it.
    pub fn int(&self, i: usize) -> i32 {
        self.0[i] as u32 as i32
    }
    pub fn uint(&self, i: usize) -> u32 {
        self.0[i] as u32
    }
    /// A wasm32 pointer or `size_t`.
    pub fn ptr(&self, i: usize) -> u64 {
        self.0[i] & 0xffff_ffff
    }
    pub fn size(&self, i: usize) -> usize {
        (self.0[i] & 0xffff_ffff) as usize
    }
    /// A 64-bit value passed whole (off_t, loff_t).
    pub fn i64(&self, i: usize) -> i64 {
        self.0[i] as i64
    }
    pub fn u64(&self, i: usize) -> u64 {
        self.0[i]
    }
}

/// Handles one syscall from `ctx.cage`.
pub fn dispatch(ctx: &mut Ctx, nr: u64, raw: [u64; 6]) -> Outcome {
    let args = Args(raw);
    let def = lookup(nr);
    let config = &ctx.kernel.config;
    let traced = (config.trace && trace::selected(config, nr, def))
        .then(|| trace::format_call(ctx, nr, def, &args));
    let result: KResult<i64> = match def {
        Some(def) => (def.handler)(ctx, &args),
        None => {
            if ctx.kernel.first_enosys(nr) {
                let name = table::linux_name(nr).unwrap_or("unknown");
                tracing::warn!(nr, name, "unsupported syscall: returning ENOSYS");
                eprintln!(
                    "lind: [{}] unsupported syscall {nr} ({name}): ENOSYS",
                    ctx.cage.pid
                );
            }
            Err(Errno::ENOSYS)
        }
    };
    let exit = ctx.cage.exit_requested();
    if let Some(line) = traced {
        trace::print_result(ctx, def, &args, line, &result, exit.is_some());
    }
    if let Some(status) = exit {
        if let Some(t) = ctx.spawn.take() {
            ctx.cage.forget_thread(t.tid);
        }
        if let Some(child) = ctx.forked.take() {
            ctx.kernel.exit_cage(
                &child,
                ExitStatus::Signaled {
                    signal: lind_abi::flags::SIGKILL,
                    core: false,
                },
            );
        }
        return Outcome::Exit(status);
    }
    if let Some(child) = ctx.forked.take() {
        return match ctx.spawn_arg.take() {
            Some(arg) => Outcome::Spawn(child, arg),
            None => Outcome::Fork(child),
        };
    }
    if let Some(image) = ctx.exec.take() {
        return Outcome::Exec(image);
    }
    if let Some(t) = ctx.spawn.take() {
        return Outcome::Thread(t);
    }
    if ctx.thread_exit {
        return Outcome::ThreadExit;
    }
    Outcome::Return(match result {
        Ok(v) => v,
        Err(e) => -(e as i64),
    })
}
