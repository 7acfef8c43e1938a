//! A cage: one isolated process.

pub use crate::signal::{
    default_action, DefaultAction, SigAction, SigInfo, SignalState, UNBLOCKABLE,
};
use crate::{fdtable::FdTable, mm::MemMap, KResult};
use lind_abi::flags::*;
use lind_abi::Errno;
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

/// An id argument of the set*id calls that leaves the id as it is (-1).
pub const ID_UNCHANGED: u32 = u32::MAX;

/// The real, effective and saved ids of one kind (user or group), with
/// Linux's rules for changing them: root (CAP_SETUID/CAP_SETGID, which lind
/// takes to be effective uid 0) sets any id; anyone else only moves ids
/// among the values the three already hold.
struct Ids<'a> {
    real: &'a mut u32,
    effective: &'a mut u32,
    saved: &'a mut u32,
    privileged: bool,
}

impl Ids<'_> {
    fn may_take(&self, id: u32) -> bool {
        id == ID_UNCHANGED
            || self.privileged
            || [*self.real, *self.effective, *self.saved].contains(&id)
    }

    /// setuid/setgid: root sets all three; anyone else may set the
    /// effective id to the real or saved one.
    fn set(self, id: u32) -> KResult<()> {
        if id == ID_UNCHANGED {
            return Err(Errno::EINVAL);
        }
        if self.privileged {
            (*self.real, *self.effective, *self.saved) = (id, id, id);
        } else if id == *self.real || id == *self.saved {
            *self.effective = id;
        } else {
            return Err(Errno::EPERM);
        }
        Ok(())
    }

    /// setreuid/setregid: the real id may become the real or effective
    /// one; the saved id follows the new effective id when the real id is
    /// set or the effective id becomes something other than the old real.
    fn set_re(self, real: u32, effective: u32) -> KResult<()> {
        let real_ok = real == ID_UNCHANGED
            || self.privileged
            || real == *self.real
            || real == *self.effective;
        if !real_ok || !self.may_take(effective) {
            return Err(Errno::EPERM);
        }
        let old_real = *self.real;
        if real != ID_UNCHANGED {
            *self.real = real;
        }
        if effective != ID_UNCHANGED {
            *self.effective = effective;
        }
        if real != ID_UNCHANGED || (effective != ID_UNCHANGED && effective != old_real) {
            *self.saved = *self.effective;
        }
        Ok(())
    }

    /// setresuid/setresgid.
    fn set_res(self, real: u32, effective: u32, saved: u32) -> KResult<()> {
        if !(self.may_take(real) && self.may_take(effective) && self.may_take(saved)) {
            return Err(Errno::EPERM);
        }
        for (slot, id) in [
            (self.real, real),
            (self.effective, effective),
            (self.saved, saved),
        ] {
            if id != ID_UNCHANGED {
                *slot = id;
            }
        }
        Ok(())
    }
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

    fn uids(&mut self) -> Ids<'_> {
        let privileged = self.is_root();
        Ids {
            real: &mut self.uid,
            effective: &mut self.euid,
            saved: &mut self.suid,
            privileged,
        }
    }

    fn gids(&mut self) -> Ids<'_> {
        let privileged = self.is_root();
        Ids {
            real: &mut self.gid,
            effective: &mut self.egid,
            saved: &mut self.sgid,
            privileged,
        }
    }

    pub fn setuid(&mut self, uid: u32) -> KResult<()> {
        self.uids().set(uid)
    }
    pub fn setgid(&mut self, gid: u32) -> KResult<()> {
        self.gids().set(gid)
    }
    pub fn setreuid(&mut self, real: u32, effective: u32) -> KResult<()> {
        self.uids().set_re(real, effective)
    }
    pub fn setregid(&mut self, real: u32, effective: u32) -> KResult<()> {
        self.gids().set_re(real, effective)
    }
    pub fn setresuid(&mut self, real: u32, effective: u32, saved: u32) -> KResult<()> {
        self.uids().set_res(real, effective, saved)
    }
    pub fn setresgid(&mut self, real: u32, effective: u32, saved: u32) -> KResult<()> {
        self.gids().set_res(real, effective, saved)
    }

    /// setgroups: root only (CAP_SETGID).
    pub fn setgroups(&mut self, groups: Vec<u32>) -> KResult<()> {
        if !self.is_root() {
            return Err(Errno::EPERM);
        }
        self.groups = groups;
        Ok(())
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
    /// False only while no signal is pending for the cage or any of its
    /// threads: every syscall return asks whether a handler or a stop is
    /// due, and this answers the usual "no" without taking `signals`.
    /// Set under that lock when a signal is queued, cleared under it when
    /// a check finds nothing.
    pub(crate) maybe_pending: std::sync::atomic::AtomicBool,
    /// The cage's threads (the main one's tid is the pid).
    pub threads: Mutex<crate::thread::Threads>,
    /// Signalled when a thread's host thread ends (see `Threads::hosts`).
    pub threads_changed: parking_lot::Condvar,
    exit: Mutex<Option<ExitStatus>>,
    /// The condition variables this cage's threads are blocked on, so a
    /// signal (or the cage's end) can wake them (see `block`).
    pub waiting_on: Mutex<Vec<std::sync::Arc<parking_lot::Condvar>>>,
    /// How [`Cage::wake`] also reaches threads that run without entering
    /// the kernel (the runtime's, for code it can interrupt).
    kickers: Mutex<Vec<std::sync::Weak<dyn Kick>>>,
    /// Set while every thread but one must end (exec in a threaded cage).
    stopping: std::sync::atomic::AtomicBool,
    /// Notified whenever a signal becomes pending (signalfd readers and
    /// pollers wait here); `signal_seq` counts those events, and readers
    /// wait with its lock (never with `signals`, which the wait itself
    /// takes to look for interruptions).
    pub signal_events: crate::block::WaitQueue,
    pub signal_seq: Mutex<u64>,
    /// Set once the cage must stop; checked without a lock on every
    /// syscall return and at the runtime's interruption points.
    exiting: std::sync::atomic::AtomicBool,
    /// The stop signal that stopped the cage, while it is stopped.
    pub stopped: Mutex<Option<u32>>,
    /// Notified when SIGCONT (or SIGKILL) ends a stop.
    pub resumed: std::sync::Arc<parking_lot::Condvar>,
    /// POSIX timers (timer_create), by id.
    pub timers: Mutex<Vec<Option<std::sync::Arc<crate::itimer::Timer>>>>,
    /// ITIMER_REAL (alarm, setitimer); not inherited by fork.
    pub real_timer: std::sync::Arc<crate::itimer::Timer>,
    /// CPU time used, recorded when the cage exits.
    pub cpu_used: Mutex<std::time::Duration>,
    /// CPU time of waited-for children (and theirs), for RUSAGE_CHILDREN.
    pub children_cpu: Mutex<std::time::Duration>,
    /// Program arguments and environment, handed over by LIND_STARTUP;
    /// replaced by exec.
    pub args: Mutex<ProgramArgs>,
    /// prctl(PR_SET_PDEATHSIG): the signal this cage gets when its parent
    /// ends (0: none). Not inherited by fork.
    pub parent_death_signal: AtomicU32,
    /// prctl(PR_SET_DUMPABLE).
    pub dumpable: std::sync::atomic::AtomicBool,
    /// prctl(PR_SET_NO_NEW_PRIVS): once set, for good, and inherited.
    pub no_new_privs: std::sync::atomic::AtomicBool,
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
            maybe_pending: std::sync::atomic::AtomicBool::new(false),
            threads: Mutex::new(crate::thread::Threads::new(pid)),
            threads_changed: parking_lot::Condvar::new(),
            exit: Mutex::new(None),
            waiting_on: Mutex::new(Vec::new()),
            kickers: Mutex::new(Vec::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
            signal_events: crate::block::WaitQueue::new(),
            signal_seq: Mutex::new(0),
            exiting: std::sync::atomic::AtomicBool::new(false),
            stopped: Mutex::new(None),
            resumed: Default::default(),
            timers: Mutex::new(Vec::new()),
            real_timer: crate::itimer::Timer::alarm(),
            cpu_used: Mutex::new(Default::default()),
            children_cpu: Mutex::new(Default::default()),
            args: Mutex::new(ProgramArgs { argv, envp }),
            parent_death_signal: AtomicU32::new(0),
            dumpable: std::sync::atomic::AtomicBool::new(true),
            no_new_privs: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The name of thread `tid` (prctl PR_GET_NAME, `/proc/<pid>/comm`):
    /// the one it set, else the program's file name, at most 15 bytes.
    pub fn thread_name(&self, tid: i32) -> Vec<u8> {
        if let Some(name) = self.threads.lock().names.get(&tid) {
            return name.clone();
        }
        let args = self.args.lock();
        let a0 = args.argv.first().map(Vec::as_slice).unwrap_or_default();
        let base = a0.rsplit(|&b| b == b'/').next().unwrap_or_default();
        base[..base.len().min(15)].to_vec()
    }

    /// The child's copy of this cage, as `fork` makes it: the fd table is
    /// copied but shares every open-file description; cwd, umask,
    /// credentials, limits, memory map, signal dispositions and mask are
    /// inherited; pending signals are not.
    /// The child of a fork by thread `tid`: it starts as that thread alone,
    /// so it keeps that thread's signal mask and alternate stack.
    pub fn fork_copy(&self, pid: i32, tid: i32) -> Cage {
        let signals = {
            let s = self.signals.lock();
            SignalState {
                actions: s.actions,
                mask: s.mask_of(tid),
                main: pid,
                // ... and that thread's alternate signal stack.
                altstacks: s
                    .altstacks
                    .get(&tid)
                    .map(|&st| [(pid, st)].into())
                    .unwrap_or_default(),
                ..SignalState::default()
            }
        };
        let args = self.args.lock().clone();
        Cage {
            pgid: AtomicI32::new(self.pgid.load(Ordering::Relaxed)),
            sid: AtomicI32::new(self.sid.load(Ordering::Relaxed)),
            fds: Mutex::new(self.fds.lock().clone()),
            cwd: Mutex::new(self.cwd()),
            umask: AtomicU32::new(self.umask()),
            rlimits: Mutex::new(*self.rlimits.lock()),
            mm: Mutex::new(self.mm.lock().clone()),
            signals: Mutex::new(signals),
            threads: {
                let parent = self.threads.lock();
                Mutex::new(crate::thread::Threads::forked(
                    pid,
                    parent.names.get(&tid).cloned(),
                    parent.nice_of(tid),
                ))
            },
            dumpable: std::sync::atomic::AtomicBool::new(self.dumpable.load(Ordering::Relaxed)),
            no_new_privs: std::sync::atomic::AtomicBool::new(
                self.no_new_privs.load(Ordering::Relaxed),
            ),
            // The rest starts afresh: only the thread that called fork
            // lives on in the child, with no signal pending.
            ..Cage::new(pid, self.pid, self.cred(), args.argv, args.envp)
        }
    }

    /// What exec keeps and drops, once the new program is known to load:
    /// (the runtime releases the robust lists with the old image's memory,
    /// see [`crate::Kernel::release_all_robust`]) close-on-exec descriptors close, caught signals go back to SIG_DFL
    /// (ignored ones stay ignored, the mask stays), the arguments change.
    /// Returns the closed descriptors, for [`crate::Kernel::close_entries`]
    /// (which also drops the record locks closing them releases).
    pub fn commit_exec(
        &self,
        argv: Vec<Vec<u8>>,
        envp: Vec<Vec<u8>>,
    ) -> Vec<crate::fdtable::FdEntry> {
        let closed = self.fds.lock().take_cloexec();
        // POSIX timers do not survive exec; ITIMER_REAL does.
        for timer in std::mem::take(&mut *self.timers.lock())
            .into_iter()
            .flatten()
        {
            timer.disarm();
        }
        self.reset_caught_signals();
        *self.args.lock() = ProgramArgs { argv, envp };
        // The new program is named by its file again.
        self.threads.lock().names.clear();
        closed
    }

    /// What exec does to dispositions: caught signals go back to their
    /// defaults, ignored ones stay ignored. A posix_spawn child gets this
    /// before its exec too, so none of its parent's handlers can run in it.
    pub fn reset_caught_signals(&self) {
        let mut s = self.signals.lock();
        for a in s.actions.iter_mut() {
            if a.handler != SIG_IGN {
                *a = SigAction::default();
            }
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

    /// Sets a resource limit, and hands RLIMIT_AS and RLIMIT_DATA to the
    /// vmmap, which enforces them. The caller has checked permissions.
    pub fn set_rlimit(&self, resource: u32, value: (u64, u64)) {
        self.rlimits.lock()[resource as usize] = value;
        self.sync_memory_limits();
    }

    /// Copies the RLIMIT_AS and RLIMIT_DATA soft limits into the vmmap.
    pub fn sync_memory_limits(&self) {
        let (address_space, data) = {
            let r = self.rlimits.lock();
            (r[RLIMIT_AS as usize].0, r[RLIMIT_DATA as usize].0)
        };
        let mut mm = self.mm.lock();
        mm.limits.address_space = address_space;
        mm.limits.data = data;
    }

    /// A fresh vmmap for a new program (start-up, exec) whose heap begins
    /// at `heap_base`, whose memory is `mem_size` bytes and whose stack
    /// ends at `stack_top`. The limits carry over.
    pub fn reset_memory_map(&self, heap_base: u64, mem_size: u64, stack_top: u64) {
        {
            let mut mm = self.mm.lock();
            let limits = mm.limits;
            *mm = MemMap::new(heap_base, mem_size);
            mm.stack_top = stack_top;
            mm.limits = limits;
        }
        self.sync_memory_limits();
    }

    /// Caps this cage's linear memory at `bytes` (`lind run --max-memory`)
    /// and makes that its RLIMIT_AS, soft and hard, as `ulimit -v` would;
    /// children inherit both.
    pub fn cap_memory(&self, bytes: u64) {
        self.mm.lock().limits.memory = bytes;
        self.set_rlimit(RLIMIT_AS, (bytes, bytes));
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
    /// other threads must end, a signal handler must run, or the cage must
    /// stop.
    pub fn interrupted(&self) -> bool {
        self.interrupted_for(self.pid)
    }

    /// [`Cage::interrupted`], for thread `tid`.
    pub fn interrupted_for(&self, tid: i32) -> bool {
        self.exiting.load(Ordering::Acquire)
            || self.stopping.load(Ordering::Acquire)
            || self.handler_pending_for(tid)
            || self.stop_pending()
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

    /// Wakes the cage's threads that are blocked in the kernel, and kicks
    /// those that compute outside it.
    pub fn wake(&self) {
        for cv in self.waiting_on.lock().iter() {
            cv.notify_all();
        }
        let kickers: Vec<std::sync::Arc<dyn Kick>> = {
            let mut k = self.kickers.lock();
            k.retain(|w| w.strong_count() > 0);
            k.iter().filter_map(std::sync::Weak::upgrade).collect()
        };
        for k in kickers {
            k.kick();
        }
    }

    /// Registers `kicker` until it is dropped (dropped ones are forgotten
    /// here too, so a cage that starts many threads keeps no trail).
    pub fn add_kicker(&self, kicker: std::sync::Weak<dyn Kick>) {
        let mut k = self.kickers.lock();
        k.retain(|w| w.strong_count() > 0);
        k.push(kicker);
    }
}

/// Something that makes a thread of the cage notice a pending signal, a
/// stop or its end now rather than at its next syscall.
pub trait Kick: Send + Sync {
    fn kick(&self);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{err, TestEnv};
    use lind_abi::{nr, Errno};

    #[test]
    fn thread_names_come_from_the_program_until_set_and_survive_fork_not_exec() {
        let cage = Cage::new(
            7,
            1,
            Cred::new(0, 0),
            vec![b"/usr/bin/a-very-long-program-name".to_vec()],
            vec![],
        );
        assert_eq!(cage.thread_name(7), b"a-very-long-pro");
        cage.threads.lock().names.insert(7, b"named".to_vec());
        assert_eq!(cage.thread_name(7), b"named");
        let child = cage.fork_copy(8, 7);
        assert_eq!(child.thread_name(8), b"named");
        cage.commit_exec(vec![b"/bin/sh".to_vec()], vec![]);
        assert_eq!(cage.thread_name(7), b"sh");
    }

    #[test]
    fn dropping_root_keeps_a_way_back_only_through_the_saved_id() {
        let mut c = Cred::new(0, 0);
        c.setresuid(1000, 1000, 0).unwrap();
        assert!(!c.is_root());
        assert_eq!(c.setuid(2000), Err(Errno::EPERM));
        // seteuid(0) is setresuid(-1, 0, -1).
        c.setresuid(ID_UNCHANGED, 0, ID_UNCHANGED).unwrap();
        assert_eq!((c.uid, c.euid, c.suid), (1000, 0, 0));
        // setreuid: an effective id other than the old real one moves the
        // saved id along; back to the real one leaves it.
        c.setreuid(ID_UNCHANGED, 1000).unwrap();
        assert_eq!((c.uid, c.euid, c.suid), (1000, 1000, 0));
        c.setresuid(ID_UNCHANGED, ID_UNCHANGED, 1000).unwrap();
        assert_eq!(c.setresuid(0, 0, 0), Err(Errno::EPERM));
        assert_eq!(c.setreuid(0, ID_UNCHANGED), Err(Errno::EPERM));
        assert_eq!(c.setgroups(vec![1]), Err(Errno::EPERM));
        assert_eq!(c.setuid(ID_UNCHANGED), Err(Errno::EINVAL));
        c.setuid(1000).unwrap();
        assert_eq!((c.uid, c.euid, c.suid), (1000, 1000, 1000));
    }

    #[test]
    fn root_sets_every_id_with_setuid_and_setgid() {
        let mut c = Cred::new(0, 0);
        c.setgroups(vec![5, 7]).unwrap();
        c.setgid(100).unwrap();
        c.setuid(1000).unwrap();
        assert_eq!(
            (c.gid, c.egid, c.sgid, c.groups.clone()),
            (100, 100, 100, vec![5, 7])
        );
        assert_eq!((c.uid, c.euid, c.suid), (1000, 1000, 1000));
        // Unprivileged now: the group may only move among its own ids.
        assert_eq!(c.setregid(5, ID_UNCHANGED), Err(Errno::EPERM));
        c.setregid(ID_UNCHANGED, 100).unwrap();
    }

    struct Counter(std::sync::atomic::AtomicU32);

    impl Kick for Counter {
        fn kick(&self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn a_posted_signal_kicks_live_kickers_only() {
        let t = TestEnv::new();
        let live = std::sync::Arc::new(Counter(Default::default()));
        let dropped = std::sync::Arc::new(Counter(Default::default()));
        let live_dyn: std::sync::Arc<dyn Kick> = live.clone();
        let dropped_dyn: std::sync::Arc<dyn Kick> = dropped.clone();
        t.cage.add_kicker(std::sync::Arc::downgrade(&dropped_dyn));
        drop(dropped_dyn);
        drop(dropped);
        t.cage.add_kicker(std::sync::Arc::downgrade(&live_dyn));
        assert_eq!(
            t.cage.kickers.lock().len(),
            1,
            "a new one pushes out the dropped one"
        );
        let again: std::sync::Arc<dyn Kick> = std::sync::Arc::new(Counter(Default::default()));
        t.cage.add_kicker(std::sync::Arc::downgrade(&again));
        drop(again);
        t.cage
            .post(crate::cage::SigInfo::kernel(lind_abi::flags::SIGUSR1))
            .unwrap();
        // SIGUSR1 ends the cage by default: the post and the exit request
        // both wake it.
        assert!(live.0.load(Ordering::Relaxed) >= 1);
        assert_eq!(
            t.cage.kickers.lock().len(),
            1,
            "the dropped one is forgotten"
        );
    }

    #[test]
    fn memory_rlimits_reach_the_vmmap_and_are_inherited() {
        let mut t = TestEnv::new();
        let lim = t.put(&[(8u64 << 20).to_le_bytes(), (16u64 << 20).to_le_bytes()].concat());
        assert_eq!(t.call(nr::SETRLIMIT, &[RLIMIT_AS as u64, lim]), 0);
        assert_eq!(t.call(nr::SETRLIMIT, &[RLIMIT_DATA as u64, lim]), 0);
        let limits = t.cage.mm.lock().limits;
        assert_eq!((limits.address_space, limits.data), (8 << 20, 8 << 20));
        // A new program keeps them (exec), a child gets them (fork).
        t.cage.reset_memory_map(0x20000, 0x100000, 0x10000);
        let child = t.kernel.fork(&t.cage).unwrap();
        assert_eq!(child.mm.lock().limits, t.cage.mm.lock().limits);
        let mut mm = t.cage.mm.lock();
        assert_eq!(
            mm.map(0, 9 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, false),
            Err(Errno::ENOMEM)
        );
        drop(mm);
        // Only root raises a hard limit; soft above hard is EINVAL.
        let lim = t.put(&[(32u64 << 20).to_le_bytes(), (32u64 << 20).to_le_bytes()].concat());
        t.cage.cred.lock().euid = 1000;
        assert_eq!(
            t.call(nr::SETRLIMIT, &[RLIMIT_AS as u64, lim]),
            err(Errno::EPERM)
        );
    }

    #[test]
    fn max_memory_caps_the_first_cage() {
        let t = TestEnv::new();
        let config = crate::KernelConfig {
            max_memory: Some(32 << 20),
            ..Default::default()
        };
        let kernel = crate::Kernel::new(
            crate::testing::test_vfs(t.host.clone(), &Cred::new(0, 0)),
            t.host.clone(),
            config,
        );
        let stdio =
            [0, 1, 2].map(|_| crate::file::OpenFile::new(crate::testing::null(), O_RDWR, None));
        let cage = kernel.spawn_init(vec![b"x".to_vec()], Vec::new(), Cred::new(0, 0), stdio);
        assert_eq!(cage.rlimit(RLIMIT_AS), (32 << 20, 32 << 20));
        assert_eq!(cage.mm.lock().limits.memory, 32 << 20);
        let child = kernel.fork(&cage).unwrap();
        assert_eq!(child.mm.lock().limits.memory, 32 << 20);
    }

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
