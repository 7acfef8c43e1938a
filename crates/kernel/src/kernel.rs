//! The kernel object: what all cages of one `lind run` share.

use crate::cage::ExitStatus;
use crate::signal::SigInfo;
use crate::{
    cage::{Cage, Cred},
    fdtable::FdEntry,
    file::OpenFile,
    host::Host,
    vfs::{normalize, Vfs},
    KResult,
};
use lind_abi::{flags::*, Errno};
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct KernelConfig {
    /// Print an strace-like line for every syscall on stderr.
    pub trace: bool,
    /// With `trace`, only these syscalls (by name); empty means all.
    pub trace_only: Vec<String>,
    pub hostname: String,
    /// Most cages alive at once in this run (`lind run --max-procs`): fork
    /// fails with EAGAIN beyond it, so a fork bomb cannot exhaust the host.
    pub max_procs: usize,
    /// Which networks AF_INET/AF_INET6 sockets may reach (`--net`).
    pub net: crate::inet::NetPolicy,
    /// Most linear memory a cage may have, in bytes (`lind run
    /// --max-memory`); also the first cage's RLIMIT_AS, inherited.
    pub max_memory: Option<u64>,
}

impl Default for KernelConfig {
    fn default() -> Self {
        KernelConfig {
            trace: false,
            trace_only: Vec::new(),
            hostname: "lind".into(),
            max_procs: 512,
            net: crate::inet::NetPolicy::default(),
            max_memory: None,
        }
    }
}

pub struct Kernel {
    pub vfs: Vfs,
    pub host: Arc<dyn Host>,
    pub config: KernelConfig,
    cages: Mutex<HashMap<i32, Arc<Cage>>>,
    next_pid: AtomicI32,
    /// Unknown syscall numbers already reported, so each is logged once.
    enosys_seen: Mutex<HashSet<u64>>,
    procs: Mutex<ProcTable>,
    /// Signalled whenever a cage exits, for `wait`.
    child_exited: Arc<Condvar>,
    /// Record locks and `flock` locks of every cage.
    pub locks: Arc<crate::lock::Locks>,
    /// The terminal's foreground process group (tcsetpgrp): where a
    /// Ctrl-C at `lind run`'s terminal goes.
    pub foreground: AtomicI32,
    /// Names bound by AF_UNIX sockets.
    pub unix: Arc<crate::unix::Names>,
    /// Threads sleeping on futexes, of every cage.
    pub futexes: crate::thread::Futexes,
    /// System V shared memory segments.
    pub shm: crate::shm::ShmTable,
    /// Named pipes that some cage has open.
    pub fifos: crate::fifo::Fifos,
}

/// Parent/child links and zombies.
#[derive(Default)]
struct ProcTable {
    /// Live or zombie cage → its parent.
    parent: HashMap<i32, i32>,
    /// Exited but not yet waited for.
    zombies: HashMap<i32, ExitStatus>,
    /// The latest stop or continue of a live child, until waited for.
    changes: HashMap<i32, ChildEvent>,
}

/// A child `wait` reported: its pid, what happened, and the CPU time it
/// and the children it waited for used (wait4's rusage; zero unless it
/// was reaped, since a live cage's time is counted at its exit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waited {
    pub pid: i32,
    pub event: ChildEvent,
    pub cpu: std::time::Duration,
}

/// What `wait` reports about a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildEvent {
    Exited(ExitStatus),
    /// Stopped by this signal (WUNTRACED).
    Stopped(u32),
    /// Continued by SIGCONT (WCONTINUED).
    Continued,
}

impl ChildEvent {
    /// The `wstatus` word `wait4` stores, as Linux encodes it.
    pub fn wait_status(self) -> u32 {
        match self {
            ChildEvent::Exited(status) => status.wait_status(),
            ChildEvent::Stopped(sig) => (sig << 8) | 0x7f,
            ChildEvent::Continued => 0xffff,
        }
    }

    /// si_code and si_status of the SIGCHLD (or waitid) siginfo.
    pub fn code_and_status(self) -> (i32, i32) {
        match self {
            ChildEvent::Exited(ExitStatus::Exited(c)) => (CLD_EXITED, c as i32),
            ChildEvent::Exited(ExitStatus::Signaled { signal, core }) => {
                (if core { CLD_DUMPED } else { CLD_KILLED }, signal as i32)
            }
            ChildEvent::Stopped(sig) => (CLD_STOPPED, sig as i32),
            ChildEvent::Continued => (CLD_CONTINUED, SIGCONT as i32),
        }
    }
}

/// Which child state changes a `wait` call reports, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitOptions {
    pub exited: bool,
    /// WUNTRACED / WSTOPPED.
    pub stopped: bool,
    pub continued: bool,
    pub nohang: bool,
    /// WNOWAIT: leave the child waitable.
    pub keep: bool,
}

/// Which children a `wait` call accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    Any,
    Pid(i32),
    Group(i32),
}

/// The SIGCHLD siginfo for `event` of `child`.
fn child_info(child: &Cage, event: ChildEvent) -> SigInfo {
    let (code, status) = event.code_and_status();
    let mut info = SigInfo::sent(SIGCHLD, code, child.pid, child.cred.lock().uid);
    info.value = status;
    info
}

/// The pid that adopts orphans.
pub const INIT_PID: i32 = 1;

impl Kernel {
    pub fn new(vfs: Vfs, host: Arc<dyn Host>, config: KernelConfig) -> Arc<Self> {
        Arc::new_cyclic(|me| {
            // File systems that show kernel state (/proc) keep a handle.
            vfs.attach_kernel(me);
            Kernel {
                vfs,
                host,
                config,
                cages: Mutex::new(HashMap::new()),
                next_pid: AtomicI32::new(1),
                enosys_seen: Mutex::new(HashSet::new()),
                procs: Mutex::new(ProcTable::default()),
                child_exited: Arc::new(Condvar::new()),
                locks: crate::lock::Locks::new(),
                foreground: AtomicI32::new(INIT_PID),
                unix: Default::default(),
                futexes: crate::thread::Futexes::new(),
                shm: Default::default(),
                fifos: Default::default(),
            }
        })
    }

    /// Creates the first cage (pid 1) with the given standard descriptors.
    pub fn spawn_init(
        &self,
        argv: Vec<Vec<u8>>,
        envp: Vec<Vec<u8>>,
        cred: Cred,
        stdio: [Arc<OpenFile>; 3],
    ) -> Arc<Cage> {
        let pid = self.next_pid.fetch_add(1, Ordering::Relaxed);
        let cage = Arc::new(Cage::new(pid, 0, cred, argv, envp));
        if let Some(bytes) = self.config.max_memory {
            cage.cap_memory(bytes);
        }
        {
            let mut fds = cage.fds.lock();
            for (fd, file) in stdio.into_iter().enumerate() {
                // Cannot fail: the table is empty and 0..3 is under any limit.
                let _ = fds.insert_at(
                    fd as i32,
                    FdEntry {
                        file,
                        cloexec: false,
                    },
                    3,
                );
            }
        }
        self.cages.lock().insert(pid, cage.clone());
        cage
    }

    /// A fresh thread id, from the pid space (as on Linux).
    pub fn next_tid(&self) -> i32 {
        self.next_pid.fetch_add(1, Ordering::Relaxed)
    }

    /// Makes the kernel half of a forked child: a new pid with a copy of
    /// the parent's state. EAGAIN past the parent's RLIMIT_NPROC.
    pub fn fork(&self, parent: &Cage) -> KResult<Arc<Cage>> {
        self.fork_from_thread(parent, parent.pid)
    }

    /// [`Kernel::fork`] called by thread `tid` of `parent`.
    pub fn fork_from_thread(&self, parent: &Cage, tid: i32) -> KResult<Arc<Cage>> {
        let limit = parent.rlimit(RLIMIT_NPROC).0;
        let mut cages = self.cages.lock();
        if cages.len() as u64 >= limit || cages.len() >= self.config.max_procs {
            return Err(Errno::EAGAIN);
        }
        let pid = self.next_pid.fetch_add(1, Ordering::Relaxed);
        let child = Arc::new(parent.fork_copy(pid, tid));
        cages.insert(pid, child.clone());
        drop(cages);
        self.procs.lock().parent.insert(pid, parent.pid);
        Ok(child)
    }

    /// Ends a cage: its descriptors are closed now (so pipe readers see
    /// EOF), its children go to init, and it stays a zombie until its
    /// parent waits for it.
    pub fn exit_cage(&self, cage: &Cage, status: ExitStatus) {
        // `--trace` (all calls, or `--trace=maps`): the address space the
        // cage ends with, as /proc/<pid>/maps shows it.
        let c = &self.config;
        if c.trace && (c.trace_only.is_empty() || c.trace_only.iter().any(|n| n == "maps")) {
            let maps = crate::vfs::procfs::ProcFs::maps(cage);
            let mut text = format!("[{}] maps at exit:\n", cage.pid);
            for line in String::from_utf8_lossy(&maps).lines() {
                text.push_str(&format!("[{}]   {line}\n", cage.pid));
            }
            eprint!("{text}");
        }
        *cage.cpu_used.lock() = self.cage_cpu_time(cage);
        let old_fds = std::mem::take(&mut *cage.fds.lock());
        drop(old_fds);
        cage.real_timer.disarm();
        for timer in std::mem::take(&mut *cage.timers.lock())
            .into_iter()
            .flatten()
        {
            timer.disarm();
        }
        self.locks.release_pid(cage.pid);
        let parent = {
            let mut procs = self.procs.lock();
            let mut orphans = Vec::new();
            for (&child, p) in procs.parent.iter_mut().filter(|(_, p)| **p == cage.pid) {
                *p = INIT_PID;
                orphans.push(child);
            }
            for child in orphans.into_iter().filter_map(|c| self.cage(c)) {
                child.ppid.store(INIT_PID, Ordering::Relaxed);
                // prctl(PR_SET_PDEATHSIG): the child hears of its parent's end.
                let signo = child.parent_death_signal.load(Ordering::Relaxed);
                if signo != 0 {
                    let uid = cage.cred.lock().uid;
                    let _ = child.post(SigInfo::sent(signo, SI_USER, cage.pid, uid));
                }
            }
            procs.zombies.insert(cage.pid, status);
            procs.changes.remove(&cage.pid);
            procs.parent.get(&cage.pid).copied()
        };
        // SIGCHLD is pending before a waiting parent wakes, as on Linux: its
        // handler then runs as the wait returns, in order with other reports.
        if let Some(parent) = parent.and_then(|p| self.cage(p)) {
            let _ = parent.post(child_info(cage, ChildEvent::Exited(status)));
        }
        self.child_exited.notify_all();
    }

    /// Where a cage acts on a due stop signal, on its own thread (the
    /// runtime calls it when the cage leaves the kernel): it stops, its
    /// parent is told (wait with WUNTRACED, SIGCHLD unless SA_NOCLDSTOP),
    /// and it sleeps until SIGCONT or SIGKILL; a continue is reported the
    /// same way. Returns whether the cage stopped.
    pub fn stop_point(&self, cage: &Cage) -> bool {
        let Some(sig) = cage.take_stop() else {
            // Another thread took the stop: a stopped process stops whole.
            if cage.is_stopped() {
                cage.wait_while_stopped();
                return true;
            }
            return false;
        };
        self.report_change(cage, ChildEvent::Stopped(sig));
        cage.wait_while_stopped();
        if cage.exit_requested().is_none() {
            self.report_change(cage, ChildEvent::Continued);
        }
        true
    }

    fn report_change(&self, cage: &Cage, event: ChildEvent) {
        let parent = {
            let mut procs = self.procs.lock();
            procs.changes.insert(cage.pid, event);
            procs.parent.get(&cage.pid).copied()
        };
        if let Some(parent) = parent.and_then(|p| self.cage(p)) {
            let quiet = parent.signals.lock().actions[SIGCHLD as usize].flags & SA_NOCLDSTOP != 0;
            if !quiet {
                let _ = parent.post(child_info(cage, event));
            }
        }
        self.child_exited.notify_all();
    }

    /// Reports a state change of a child that matches `which`, as `how`
    /// asks: `Ok(Some(waited))`, `Ok(None)` if there is none yet and
    /// `how.nohang`, ECHILD if there is no such child at all. Blocks
    /// otherwise (the table lock is released while waiting). An exit reaps
    /// the child unless `how.keep`.
    pub fn wait_child(
        &self,
        parent: &Cage,
        which: WaitFor,
        how: WaitOptions,
    ) -> KResult<Option<Waited>> {
        let waited = |pid, event| Waited {
            pid,
            event,
            cpu: Default::default(),
        };
        let mut procs = self.procs.lock();
        loop {
            let matches = |pid: i32| match which {
                WaitFor::Any => true,
                WaitFor::Pid(p) => p == pid,
                WaitFor::Group(g) => self
                    .cage(pid)
                    .is_some_and(|c| c.pgid.load(Ordering::Relaxed) == g),
            };
            let children: Vec<i32> = procs
                .parent
                .iter()
                .filter(|(&c, &p)| p == parent.pid && matches(c))
                .map(|(&c, _)| c)
                .collect();
            if children.is_empty() {
                return Err(Errno::ECHILD);
            }
            let change = children.iter().find_map(|c| match procs.changes.get(c) {
                Some(e @ ChildEvent::Stopped(_)) if how.stopped => Some((*c, *e)),
                Some(e @ ChildEvent::Continued) if how.continued => Some((*c, *e)),
                _ => None,
            });
            let exited = children
                .iter()
                .find(|c| how.exited && procs.zombies.contains_key(c));
            if let (Some((pid, event)), None) = (change, exited) {
                if !how.keep {
                    procs.changes.remove(&pid);
                }
                return Ok(Some(waited(pid, event)));
            }
            if let Some(&pid) = exited {
                if how.keep {
                    let status = procs
                        .zombies
                        .get(&pid)
                        .copied()
                        .unwrap_or(ExitStatus::Exited(0));
                    return Ok(Some(waited(pid, ChildEvent::Exited(status))));
                }
                let status = procs.zombies.remove(&pid).unwrap_or(ExitStatus::Exited(0));
                procs.parent.remove(&pid);
                drop(procs);
                let mut reaped = waited(pid, ChildEvent::Exited(status));
                if let Some(child) = self.cages.lock().remove(&pid) {
                    reaped.cpu = *child.cpu_used.lock() + *child.children_cpu.lock();
                    *parent.children_cpu.lock() += reaped.cpu;
                }
                return Ok(Some(reaped));
            }
            if how.nohang {
                return Ok(None);
            }
            crate::block::wait(&self.child_exited, &mut procs)?;
        }
    }

    /// What closing one of `pid`'s descriptors for `file` does besides
    /// dropping it: the process's record locks on that file go, whichever
    /// descriptor they were taken through (POSIX). Every path that closes
    /// a descriptor (close, dup2 over it, close-on-exec) calls this.
    pub fn fd_closed(&self, pid: i32, file: &OpenFile) {
        if self.locks.holds_any(pid) {
            if let Some(key) = file.file.lock_key() {
                self.locks.release_file(key, pid);
            }
        }
    }

    /// Closes descriptors already taken out of `cage`'s table (see
    /// [`Kernel::fd_closed`]).
    pub fn close_entries(&self, cage: &Cage, entries: Vec<FdEntry>) {
        for e in &entries {
            self.fd_closed(cage.pid, &e.file);
        }
        drop(entries);
    }

    /// Forgets a forked child that never ran (the runtime could not start
    /// it), so the parent sees neither a pid nor a zombie.
    pub fn discard_cage(&self, cage: &Cage) {
        drop(std::mem::take(&mut *cage.fds.lock()));
        self.procs.lock().parent.remove(&cage.pid);
        self.cages.lock().remove(&cage.pid);
    }

    /// Blocks until every cage has exited (orphans included), so that
    /// `lind run` ends when the last of them does, as a pipeline reading
    /// its output would see natively.
    pub fn wait_all_exited(&self) {
        let mut procs = self.procs.lock();
        loop {
            let all_done = self
                .cages
                .lock()
                .keys()
                .all(|p| procs.zombies.contains_key(p));
            if all_done {
                return;
            }
            self.child_exited
                .wait_for(&mut procs, std::time::Duration::from_millis(100));
        }
    }

    /// A signal from outside every cage (the host terminal, or a kill of
    /// `lind run` itself) to the process group `pgrp`, or to every cage.
    pub fn signal_from_host(&self, sig: u32, pgrp: Option<i32>) {
        for cage in self.all_cages() {
            if pgrp.is_none_or(|g| cage.pgid.load(Ordering::Relaxed) == g) {
                let _ = cage.post(SigInfo::kernel(sig));
            }
        }
    }

    /// Whether `pid` is a (live or zombie) child of `parent`.
    pub fn is_child(&self, parent: i32, pid: i32) -> bool {
        self.procs.lock().parent.get(&pid) == Some(&parent)
    }

    /// Every cage that has not been reaped.
    pub fn all_cages(&self) -> Vec<Arc<Cage>> {
        self.cages.lock().values().cloned().collect()
    }

    /// Number of live (not yet reaped) cages.
    pub fn cage_count(&self) -> usize {
        self.cages.lock().len()
    }

    pub fn cage(&self, pid: i32) -> Option<Arc<Cage>> {
        self.cages.lock().get(&pid).cloned()
    }

    pub fn remove_cage(&self, pid: i32) {
        self.cages.lock().remove(&pid);
    }

    /// True the first time an unknown syscall number is seen.
    pub fn first_enosys(&self, nr: u64) -> bool {
        self.enosys_seen.lock().insert(nr)
    }

    /// Turns a path argument of an `*at` call into an absolute guest path:
    /// absolute paths stand alone, others are relative to the cwd
    /// (`AT_FDCWD`) or to the directory open at `dirfd`.
    pub fn abs_path(&self, cage: &Cage, dirfd: i32, path: &[u8]) -> KResult<Vec<u8>> {
        if path.first() == Some(&b'/') {
            return normalize(b"/", path);
        }
        if dirfd == AT_FDCWD {
            return normalize(&cage.cwd(), path);
        }
        let file = cage.fds.lock().get(dirfd)?;
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        if file.file.stat()?.mode & S_IFMT != S_IFDIR {
            return Err(Errno::ENOTDIR);
        }
        let base = file.path.clone().ok_or(Errno::ENOTDIR)?;
        normalize(&base, path)
    }
}
