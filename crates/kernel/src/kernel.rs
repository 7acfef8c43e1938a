//! The kernel object: what all cages of one `lind run` share.

use crate::cage::ExitStatus;
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
}

impl Default for KernelConfig {
    fn default() -> Self {
        KernelConfig {
            trace: false,
            trace_only: Vec::new(),
            hostname: "lind".into(),
            max_procs: 512,
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
    /// Threads sleeping on futexes, of every cage.
    pub futexes: crate::thread::Futexes,
}

/// Parent/child links and zombies.
#[derive(Default)]
struct ProcTable {
    /// Live or zombie cage → its parent.
    parent: HashMap<i32, i32>,
    /// Exited but not yet waited for.
    zombies: HashMap<i32, ExitStatus>,
}

/// Which children a `wait` call accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    Any,
    Pid(i32),
    Group(i32),
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
                futexes: crate::thread::Futexes::new(),
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
        let limit = parent.rlimit(RLIMIT_NPROC).0;
        let mut cages = self.cages.lock();
        if cages.len() as u64 >= limit || cages.len() >= self.config.max_procs {
            return Err(Errno::EAGAIN);
        }
        let pid = self.next_pid.fetch_add(1, Ordering::Relaxed);
        let child = Arc::new(parent.fork_copy(pid));
        cages.insert(pid, child.clone());
        drop(cages);
        self.procs.lock().parent.insert(pid, parent.pid);
        Ok(child)
    }

    /// Ends a cage: its descriptors are closed now (so pipe readers see
    /// EOF), its children go to init, and it stays a zombie until its
    /// parent waits for it.
    pub fn exit_cage(&self, cage: &Cage, status: ExitStatus) {
        // Called on the cage's own thread, so this is its CPU time.
        *cage.cpu_used.lock() = self.host.thread_cpu_time();
        let old_fds = std::mem::take(&mut *cage.fds.lock());
        drop(old_fds);
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
            }
            procs.zombies.insert(cage.pid, status);
            procs.parent.get(&cage.pid).copied()
        };
        self.child_exited.notify_all();
        if let Some(parent) = parent.and_then(|p| self.cage(p)) {
            parent.post_signal(SIGCHLD);
        }
    }

    /// Reaps a child that matches `which`: `Ok(Some((pid, status)))`,
    /// `Ok(None)` if none has exited and `nohang`, ECHILD if there is no
    /// such child at all. Blocks otherwise (the table lock is released
    /// while waiting).
    /// With `keep` (waitid's WNOWAIT) the child stays a zombie.
    pub fn wait_child(
        &self,
        parent: &Cage,
        which: WaitFor,
        nohang: bool,
        keep: bool,
    ) -> KResult<Option<(i32, ExitStatus)>> {
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
            if let Some(&pid) = children.iter().find(|c| procs.zombies.contains_key(c)) {
                if keep {
                    let status = procs
                        .zombies
                        .get(&pid)
                        .copied()
                        .unwrap_or(ExitStatus::Exited(0));
                    return Ok(Some((pid, status)));
                }
                let status = procs.zombies.remove(&pid).unwrap_or(ExitStatus::Exited(0));
                procs.parent.remove(&pid);
                drop(procs);
                if let Some(child) = self.cages.lock().remove(&pid) {
                    let spent = *child.cpu_used.lock() + *child.children_cpu.lock();
                    *parent.children_cpu.lock() += spent;
                }
                return Ok(Some((pid, status)));
            }
            if nohang {
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
