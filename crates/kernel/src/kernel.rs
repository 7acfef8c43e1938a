//! The kernel object: what all cages of one `lind run` share.

use crate::{
    cage::{Cage, Cred},
    fdtable::FdEntry,
    file::OpenFile,
    host::Host,
    vfs::{normalize, Vfs},
    KResult,
};
use lind_abi::{flags::*, Errno};
use parking_lot::Mutex;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct KernelConfig {
    /// Print an strace-like line for every syscall on stderr.
    pub trace: bool,
    pub hostname: String,
}

impl Default for KernelConfig {
    fn default() -> Self {
        KernelConfig {
            trace: false,
            hostname: "lind".into(),
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
}

impl Kernel {
    pub fn new(vfs: Vfs, host: Arc<dyn Host>, config: KernelConfig) -> Arc<Self> {
        Arc::new(Kernel {
            vfs,
            host,
            config,
            cages: Mutex::new(HashMap::new()),
            next_pid: AtomicI32::new(1),
            enosys_seen: Mutex::new(HashSet::new()),
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
                let _ = fds.insert_at(fd as i32, FdEntry { file, cloexec: false }, 3);
            }
        }
        self.cages.lock().insert(pid, cage.clone());
        cage
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
