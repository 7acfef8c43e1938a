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
    pub mask: u64,
    pub pending: u64,
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState {
            actions: [SigAction::default(); NSIG as usize],
            mask: 0,
            pending: 0,
        }
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
    /// `set_tid_address` pointer, cleared and woken at thread exit.
    pub clear_child_tid: Mutex<u64>,
    exit: Mutex<Option<ExitStatus>>,
    /// Program arguments and environment, handed over by LIND_STARTUP.
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
            signals: Mutex::new(SignalState::default()),
            clear_child_tid: Mutex::new(0),
            exit: Mutex::new(None),
            argv,
            envp,
        }
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
    }

    pub fn exit_requested(&self) -> Option<ExitStatus> {
        *self.exit.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_status_encoding_matches_linux() {
        assert_eq!(ExitStatus::Exited(3).wait_status(), 0x0300);
        assert_eq!(
            ExitStatus::Signaled { signal: 11, core: true }.wait_status(),
            0x8b
        );
        assert_eq!(ExitStatus::Signaled { signal: 9, core: false }.host_code(), 137);
    }
}
