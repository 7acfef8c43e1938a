//! A cage: one isolated process.

use crate::{fdtable::FdTable, mm::MemMap};
use lind_abi::flags::*;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

/// Identity used for permission checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub euid: u32,
    pub suid: u32,
    pub gid: u32,
    pub egid: u32,
    pub sgid: u32,
    pub groups: Vec<u32>,
}

impl Cred {
    pub fn new(uid: u32, gid: u32) -> Self {
        Cred {
            uid,
            euid: uid,
            suid: uid,
            gid,
            egid: gid,
            sgid: gid,
            groups: vec![gid],
        }
    }
    /// The identity of the user running lind: cages act as that user.
    pub fn from_host() -> Self {
        let mut c = Cred::new(
            rustix::process::getuid().as_raw(),
            rustix::process::getgid().as_raw(),
        );
        c.euid = rustix::process::geteuid().as_raw();
        c.egid = rustix::process::getegid().as_raw();
        c
    }
    pub fn is_root(&self) -> bool {
        self.euid == 0
    }
    pub fn in_group(&self, gid: u32) -> bool {
        self.egid == gid || self.groups.contains(&gid)
    }
}

/// How a cage ended, encoded for `wait` exactly as Linux does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Exited(u8),
    Signaled { signal: u32, core: bool },
}

impl ExitStatus {
    /// The `wstatus` word `wait4` stores.
    pub fn wait_status(self) -> u32 {
        match self {
            ExitStatus::Exited(code) => (code as u32) << 8,
            ExitStatus::Signaled { signal, core } => signal | if core { 0x80 } else { 0 },
        }
    }
    /// Exit code of a host process standing for this cage (shells' 128+N).
    pub fn host_code(self) -> i32 {
        match self {
            ExitStatus::Exited(code) => code as i32,
            ExitStatus::Signaled { signal, .. } => 128 + signal as i32,
        }
    }
}

/// What a signal does when it arrives, as set by `rt_sigaction`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigAction {
    pub handler: u32,
    pub flags: u32,
    pub restorer: u32,
    pub mask: u64,
}

/// Signal dispositions and mask. Delivery comes with the signals issue;
/// for now the state is recorded faithfully.
#[derive(Clone, Debug)]
pub struct SignalState {
    pub actions: [SigAction; NSIG as usize],
    /// The main thread's mask (see [`SignalState::mask_of`]).
    pub mask: u64,
    /// The main thread's tid (the pid).
    pub main: i32,
    /// The masks of the other threads, by tid.
    pub thread_masks: std::collections::BTreeMap<i32, u64>,
    /// Pending signals sent to the cage (any thread may take them).
    pub pending: u64,
    /// Pending signals sent to one thread (tkill, tgkill, pthread_kill),
    /// by tid; only that thread takes them.
    pub thread_pending: std::collections::BTreeMap<i32, u64>,
    /// The masks `rt_sigsuspend` replaced, by tid, restored after the
    /// handler that ends the suspension.
    pub suspend_masks: std::collections::BTreeMap<i32, u64>,
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState {
            actions: [SigAction::default(); NSIG as usize],
            mask: 0,
            main: 0,
            thread_masks: Default::default(),
            pending: 0,
            thread_pending: Default::default(),
            suspend_masks: Default::default(),
        }
    }
}

impl SignalState {
    /// Thread `tid`'s signal mask.
    pub fn mask_of(&self, tid: i32) -> u64 {
        if tid == self.main {
            self.mask
        } else {
            self.thread_masks.get(&tid).copied().unwrap_or(self.mask)
        }
    }

    pub fn set_mask_of(&mut self, tid: i32, mask: u64) {
        let mask = mask & !UNBLOCKABLE;
        if tid == self.main {
            self.mask = mask;
        } else {
            self.thread_masks.insert(tid, mask);
        }
    }

    /// Signals no thread blocks.
    fn unblocked_anywhere(&self) -> u64 {
        self.thread_masks
            .values()
            .fold(!self.mask, |acc, m| acc | !m)
    }

    /// What thread `tid` may take: the cage's pending signals and its own.
    pub fn pending_for_thread(&self, tid: i32) -> u64 {
        self.pending_for(tid)
    }

    fn pending_for(&self, tid: i32) -> u64 {
        self.pending | self.thread_pending.get(&tid).copied().unwrap_or(0)
    }

    /// Whether posting `sig` does nothing (ignored, or ignored by default).
    fn discards(&self, sig: u32) -> bool {
        let action = self.actions[sig as usize];
        (action.handler == SIG_IGN && sig != SIGKILL)
            || (action.handler == SIG_DFL
                && matches!(
                    default_action(sig),
                    DefaultAction::Ignore | DefaultAction::Continue
                ))
    }
}

/// What a signal does when its disposition is SIG_DFL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    Terminate,
    /// Terminate and (on Linux) dump core.
    Core,
    Ignore,
    Stop,
    Continue,
}

pub fn default_action(sig: u32) -> DefaultAction {
    match sig {
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGXCPU | SIGXFSZ
        | SIGSYS => DefaultAction::Core,
        SIGCHLD | SIGURG | SIGWINCH => DefaultAction::Ignore,
        SIGCONT => DefaultAction::Continue,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => DefaultAction::Stop,
        _ => DefaultAction::Terminate,
    }
}

/// Signals that can never be caught, blocked or ignored.
pub const UNBLOCKABLE: u64 = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));

/// Resource limits, (soft, hard) per RLIMIT_*.
pub type Rlimits = [(u64, u64); RLIM_NLIMITS as usize];

pub fn default_rlimits() -> Rlimits {
    let mut r = [(RLIM_INFINITY, RLIM_INFINITY); RLIM_NLIMITS as usize];
    r[RLIMIT_NOFILE as usize] = (crate::fdtable::DEFAULT_NOFILE, 4096);
    r[RLIMIT_STACK as usize] = (1 << 20, 1 << 20);
    r[RLIMIT_CORE as usize] = (0, RLIM_INFINITY);
    r[RLIMIT_NPROC as usize] = (1024, 1024);
    r
}

pub struct Cage {
    pub pid: i32,
    pub ppid: AtomicI32,
    pub pgid: AtomicI32,
    pub sid: AtomicI32,
    pub fds: Mutex<FdTable>,
    /// Absolute, normalized guest path.
    pub cwd: Mutex<Vec<u8>>,
    pub umask: AtomicU32,
    pub cred: Mutex<Cred>,
    pub rlimits: Mutex<Rlimits>,
    pub mm: Mutex<MemMap>,
    pub signals: Mutex<SignalState>,
    /// The cage's threads (the main one's tid is the pid).
    pub threads: Mutex<crate::thread::Threads>,
    /// Signalled when a thread's host thread ends (see `Threads::hosts`).
    pub threads_changed: parking_lot::Condvar,
    exit: Mutex<Option<ExitStatus>>,
    /// The condition variables this cage's threads are blocked on, so a
    /// signal (or the cage's end) can wake them (see `block`).
    pub waiting_on: Mutex<Vec<std::sync::Arc<parking_lot::Condvar>>>,
    /// Set while every thread but one must end (exec in a threaded cage).
    stopping: std::sync::atomic::AtomicBool,
    /// Set once the cage must stop; checked without a lock on every
    /// syscall return and at the runtime's interruption points.
    exiting: std::sync::atomic::AtomicBool,
    /// ITIMER_REAL (alarm, setitimer); not inherited by fork.
    pub real_timer: crate::itimer::RealTimer,
    /// CPU time used, recorded when the cage exits.
    pub cpu_used: Mutex<std::time::Duration>,
    /// CPU time of waited-for children (and theirs), for RUSAGE_CHILDREN.
    pub children_cpu: Mutex<std::time::Duration>,
    /// Program arguments and environment, handed over by LIND_STARTUP;
    /// replaced by exec.
    pub args: Mutex<ProgramArgs>,
}

#[derive(Clone, Debug, Default)]
pub struct ProgramArgs {
    pub argv: Vec<Vec<u8>>,
    pub envp: Vec<Vec<u8>>,
}

impl Cage {
    pub fn new(pid: i32, ppid: i32, cred: Cred, argv: Vec<Vec<u8>>, envp: Vec<Vec<u8>>) -> Self {
        Cage {
            pid,
            ppid: AtomicI32::new(ppid),
            pgid: AtomicI32::new(pid),
            sid: AtomicI32::new(pid),
            fds: Mutex::new(FdTable::new()),
            cwd: Mutex::new(b"/".to_vec()),
            umask: AtomicU32::new(0o022),
            cred: Mutex::new(cred),
            rlimits: Mutex::new(default_rlimits()),
            mm: Mutex::new(MemMap::default()),
            signals: Mutex::new(SignalState {
                main: pid,
                ..SignalState::default()
            }),
            threads: Mutex::new(crate::thread::Threads::new(pid)),
            threads_changed: parking_lot::Condvar::new(),
            exit: Mutex::new(None),
            waiting_on: Mutex::new(Vec::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
            exiting: std::sync::atomic::AtomicBool::new(false),
            real_timer: Default::default(),
            cpu_used: Mutex::new(Default::default()),
            children_cpu: Mutex::new(Default::default()),
            args: Mutex::new(ProgramArgs { argv, envp }),
        }
    }

    /// The child's copy of this cage, as `fork` makes it: the fd table is
    /// copied but shares every open-file description; cwd, umask,
    /// credentials, limits, memory map, signal dispositions and mask are
    /// inherited; pending signals are not.
    pub fn fork_copy(&self, pid: i32) -> Cage {
        let signals = {
            let s = self.signals.lock();
            SignalState {
                actions: s.actions,
                mask: s.mask,
                main: pid,
                thread_masks: Default::default(),
                pending: 0,
                thread_pending: Default::default(),
                suspend_masks: Default::default(),
            }
        };
        Cage {
            pid,
            ppid: AtomicI32::new(self.pid),
            pgid: AtomicI32::new(self.pgid.load(Ordering::Relaxed)),
            sid: AtomicI32::new(self.sid.load(Ordering::Relaxed)),
            fds: Mutex::new(self.fds.lock().clone()),
            cwd: Mutex::new(self.cwd()),
            umask: AtomicU32::new(self.umask()),
            cred: Mutex::new(self.cred()),
            rlimits: Mutex::new(*self.rlimits.lock()),
            mm: Mutex::new(self.mm.lock().clone()),
            signals: Mutex::new(signals),
            // Only the thread that called fork lives on in the child.
            threads: Mutex::new(crate::thread::Threads::new(pid)),
            threads_changed: parking_lot::Condvar::new(),
            exit: Mutex::new(None),
            waiting_on: Mutex::new(Vec::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
            exiting: std::sync::atomic::AtomicBool::new(false),
            real_timer: Default::default(),
            cpu_used: Mutex::new(Default::default()),
            children_cpu: Mutex::new(Default::default()),
            args: Mutex::new(self.args.lock().clone()),
        }
    }

    /// What exec keeps and drops, once the new program is known to load:
    /// close-on-exec descriptors close, caught signals go back to SIG_DFL
    /// (ignored ones stay ignored, the mask stays), the arguments change.
    /// Returns the closed descriptors, for [`crate::Kernel::close_entries`]
    /// (which also drops the record locks closing them releases).
    pub fn commit_exec(
        &self,
        argv: Vec<Vec<u8>>,
        envp: Vec<Vec<u8>>,
    ) -> Vec<crate::fdtable::FdEntry> {
        let closed = self.fds.lock().take_cloexec();
        {
            let mut s = self.signals.lock();
            for a in s.actions.iter_mut() {
                if a.handler != SIG_IGN {
                    *a = SigAction::default();
                }
            }
        }
        *self.args.lock() = ProgramArgs { argv, envp };
        closed
    }

    pub fn cred(&self) -> Cred {
        self.cred.lock().clone()
    }

    pub fn cwd(&self) -> Vec<u8> {
        self.cwd.lock().clone()
    }

    pub fn rlimit(&self, resource: u32) -> (u64, u64) {
        self.rlimits.lock()[resource as usize]
    }

    pub fn umask(&self) -> u32 {
        self.umask.load(Ordering::Relaxed)
    }

    /// Marks the cage as ending; the runtime stops it at the syscall return.
    pub fn request_exit(&self, status: ExitStatus) {
        let mut e = self.exit.lock();
        if e.is_none() {
            *e = Some(status);
        }
        self.exiting.store(true, Ordering::Release);
        drop(e);
        self.wake();
    }

    pub fn exit_requested(&self) -> Option<ExitStatus> {
        if !self.exiting.load(Ordering::Acquire) {
            return None;
        }
        *self.exit.lock()
    }

    /// Whether a blocking call must stop now: the cage is ending, its
    /// other threads must end, or a signal handler must run.
    pub fn interrupted(&self) -> bool {
        self.interrupted_for(self.pid)
    }

    /// [`Cage::interrupted`], for thread `tid`.
    pub fn interrupted_for(&self, tid: i32) -> bool {
        self.exiting.load(Ordering::Acquire)
            || self.stopping.load(Ordering::Acquire)
            || self.handler_pending_for(tid)
    }

    /// Whether every thread but the one ending the others must stop.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Asks every thread but the caller to end (exec) or, with `false`,
    /// lets threads run again.
    pub fn set_stopping(&self, on: bool) {
        self.stopping.store(on, Ordering::Release);
        if on {
            self.wake();
        }
    }

    /// Wakes the cage's threads that are blocked in the kernel.
    pub fn wake(&self) {
        for cv in self.waiting_on.lock().iter() {
            cv.notify_all();
        }
    }

    /// Queues a signal. Until handlers can run, a signal whose disposition
    /// is SIG_DFL with a terminating action ends the cage when unblocked;
    /// ignored ones are dropped; caught ones stay pending.
    pub fn post_signal(&self, sig: u32) {
        if self.exit_requested().is_some() {
            return; // a zombie, or about to be one
        }
        let mut s = self.signals.lock();
        if s.discards(sig) {
            return;
        }
        s.pending |= 1 << (sig - 1);
        let wake = s.unblocked_anywhere() & (1 << (sig - 1)) != 0;
        drop(s);
        self.check_pending();
        if wake {
            // A caught signal interrupts a blocking call; its handler runs
            // when the call returns to the runtime.
            self.wake();
        }
    }

    /// Queues a signal for thread `tid` only (tkill). What it does when
    /// not caught (terminate, ignore) applies to the whole cage.
    pub fn post_thread_signal(&self, tid: i32, sig: u32) {
        if self.exit_requested().is_some() {
            return;
        }
        let mut s = self.signals.lock();
        if s.discards(sig) {
            return;
        }
        *s.thread_pending.entry(tid).or_default() |= 1 << (sig - 1);
        let wake = s.mask_of(tid) & (1 << (sig - 1)) == 0;
        drop(s);
        self.check_pending();
        if wake {
            self.wake();
        }
    }

    /// A thread ended: signals sent to it alone are dropped.
    pub fn forget_thread_signals(&self, tid: i32) {
        let mut s = self.signals.lock();
        s.thread_pending.remove(&tid);
        s.thread_masks.remove(&tid);
        s.suspend_masks.remove(&tid);
    }

    /// Whether an unblocked signal with a handler is pending for the main
    /// thread.
    pub fn handler_pending(&self) -> bool {
        self.handler_pending_for(self.pid)
    }

    /// Whether an unblocked signal with a handler is pending that thread
    /// `tid` may take.
    pub fn handler_pending_for(&self, tid: i32) -> bool {
        let s = self.signals.lock();
        let ready = s.pending_for(tid) & !s.mask_of(tid);
        ready != 0
            && (1..NSIG).any(|sig| {
                ready & (1 << (sig - 1)) != 0 && s.actions[sig as usize].handler > SIG_IGN
            })
    }

    /// Takes the next signal whose handler must run now, applying what
    /// entering the handler does: the pending bit clears, the mask gains the
    /// action's mask and the signal itself (unless SA_NODEFER), and
    /// SA_RESETHAND restores SIG_DFL. Returns the signal, its action and the
    /// mask to restore when the handler returns.
    pub fn begin_handler(&self, tid: i32) -> Option<(u32, SigAction, u64)> {
        let mut s = self.signals.lock();
        let ready = s.pending_for(tid) & !s.mask_of(tid);
        let sig = (1..NSIG).find(|&sig| {
            ready & (1 << (sig - 1)) != 0 && s.actions[sig as usize].handler > SIG_IGN
        })?;
        let action = s.actions[sig as usize];
        let bit = 1u64 << (sig - 1);
        // A signal sent to this thread goes first.
        match s.thread_pending.get_mut(&tid) {
            Some(p) if *p & bit != 0 => *p &= !bit,
            _ => s.pending &= !bit,
        }
        // After sigsuspend, the mask to return to is the one it replaced.
        let mask = s.mask_of(tid);
        let restore = s.suspend_masks.remove(&tid).unwrap_or(mask);
        let during = mask
            | action.mask
            | if action.flags & SA_NODEFER == 0 {
                bit
            } else {
                0
            };
        s.set_mask_of(tid, during);
        if action.flags & SA_RESETHAND != 0 {
            s.actions[sig as usize] = SigAction::default();
        }
        Some((sig, action, restore))
    }

    /// The handler returned: its mask is replaced by the saved one.
    pub fn end_handler(&self, tid: i32, restore: u64) {
        self.signals.lock().set_mask_of(tid, restore);
        self.check_pending();
    }

    /// A new thread starts with its creator's signal mask.
    pub fn inherit_mask(&self, creator: i32, tid: i32) {
        let mut s = self.signals.lock();
        let m = s.mask_of(creator);
        s.set_mask_of(tid, m);
    }

    /// Acts on pending, unblocked signals whose default action ends the
    /// cage. Called whenever the pending set or the mask changes.
    pub fn check_pending(&self) {
        let s = self.signals.lock();
        let to_threads = s
            .thread_pending
            .iter()
            .fold(0, |a, (&t, p)| a | (p & !s.mask_of(t)));
        let all = s.thread_pending.values().fold(s.pending, |a, p| a | p);
        let deliverable = (s.pending & s.unblocked_anywhere()) | to_threads | (all & UNBLOCKABLE);
        if deliverable == 0 {
            return;
        }
        for sig in 1..NSIG {
            if deliverable & (1 << (sig - 1)) == 0
                || s.actions[sig as usize].handler != SIG_DFL && sig != SIGKILL
            {
                continue;
            }
            let core = match default_action(sig) {
                DefaultAction::Terminate => false,
                DefaultAction::Core => true,
                _ => continue,
            };
            drop(s);
            self.request_exit(ExitStatus::Signaled { signal: sig, core });
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_status_encoding_matches_linux() {
        assert_eq!(ExitStatus::Exited(3).wait_status(), 0x0300);
        assert_eq!(
            ExitStatus::Signaled {
                signal: 11,
                core: true
            }
            .wait_status(),
            0x8b
        );
        assert_eq!(
            ExitStatus::Signaled {
                signal: 9,
                core: false
            }
            .host_code(),
            137
        );
    }
}
