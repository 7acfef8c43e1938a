//! Threads of a cage, and the futex table.
//!
//! A thread is a tid in its cage's [`Threads`]; the runtime runs each on
//! its own host thread as a wasm instance over the cage's shared memory.
//! Threads share everything of the cage (fd table, cwd, memory map, signal
//! dispositions; for now also the signal mask and pending set) but their
//! tid and their `clear_child_tid` word.
//!
//! Futexes are keyed by (address space, address): the cage's pid stands for
//! its address space, so threads of one cage meet and a forked child, whose
//! memory is a copy, does not. A waiter enqueues itself before it reads the
//! futex word, and no lock is held while it reads or sleeps, so a wake
//! between the read and the sleep is never lost.

use crate::{block, Cage, KResult, Kernel};
use lind_abi::Errno;
use parking_lot::{Condvar, Mutex};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A cage's threads.
pub struct Threads {
    /// Live threads: tid → the `clear_child_tid` address (0: none), which
    /// is zeroed and futex-woken when the thread exits.
    pub live: BTreeMap<i32, u64>,
    /// Host threads still running one of the cage's instances. The
    /// runtime counts them, so the cage's end waits for all of them.
    pub hosts: usize,
    /// Robust-futex list heads (`set_robust_list`), by tid.
    pub robust: BTreeMap<i32, u64>,
    /// Where each thread running on a host thread reads its CPU time.
    pub clocks: BTreeMap<i32, crate::host::ThreadClock>,
    /// CPU time of the threads that have left their host threads.
    pub ended_cpu: Duration,
    /// The CPUs of threads that narrowed theirs (sched_setaffinity).
    pub affinity: BTreeMap<i32, Vec<usize>>,
    /// Names threads gave themselves (prctl PR_SET_NAME); exec forgets them.
    pub names: BTreeMap<i32, Vec<u8>>,
    /// Nice values (setpriority) other than 0, by tid: per thread, as on
    /// Linux; a new thread or forked child starts with its creator's.
    pub nice: BTreeMap<i32, i32>,
}

impl Threads {
    /// A cage's only thread, the main one, whose tid is the pid.
    pub fn new(pid: i32) -> Self {
        Threads {
            live: BTreeMap::from([(pid, 0)]),
            hosts: 1,
            robust: BTreeMap::new(),
            clocks: BTreeMap::new(),
            ended_cpu: Duration::ZERO,
            affinity: BTreeMap::new(),
            names: BTreeMap::new(),
            nice: BTreeMap::new(),
        }
    }

    /// Thread `tid`'s nice value.
    pub fn nice_of(&self, tid: i32) -> i32 {
        self.nice.get(&tid).copied().unwrap_or(0)
    }

    /// A forked child's: its one thread keeps the name of the thread that
    /// forked.
    pub fn forked(pid: i32, name: Option<Vec<u8>>, nice: i32) -> Self {
        let mut t = Threads::new(pid);
        t.names.extend(name.map(|n| (pid, n)));
        if nice != 0 {
            t.nice.insert(pid, nice);
        }
        t
    }
}

impl Cage {
    /// Number of threads that have not exited.
    pub fn thread_count(&self) -> usize {
        self.threads.lock().live.len()
    }

    /// The runtime started a host thread for one of the cage's threads.
    pub fn host_started(&self) {
        self.threads.lock().hosts += 1;
    }

    /// The runtime's host thread for one of the cage's threads ended.
    pub fn host_ended(&self) {
        let mut t = self.threads.lock();
        t.hosts = t.hosts.saturating_sub(1);
        drop(t);
        self.threads_changed.notify_all();
    }

    /// Blocks (not interruptibly: the caller is ending the others) until
    /// only the calling host thread runs an instance of the cage.
    pub fn wait_other_hosts(&self) {
        let mut t = self.threads.lock();
        while t.hosts > 1 {
            self.threads_changed
                .wait_for(&mut t, std::time::Duration::from_millis(50));
        }
    }

    /// A new thread `tid` starts with its creator's nice value.
    pub fn inherit_nice(&self, creator: i32, tid: i32) {
        let mut threads = self.threads.lock();
        let nice = threads.nice_of(creator);
        if nice != 0 {
            threads.nice.insert(tid, nice);
        }
    }

    /// Thread `tid` runs on a host thread from now, whose CPU time it
    /// reads through `clock`.
    pub fn thread_on_host(&self, tid: i32, clock: crate::host::ThreadClock) {
        self.threads.lock().clocks.insert(tid, clock);
    }

    /// Thread `tid` left its host thread after using `used` CPU time.
    pub fn thread_off_host(&self, tid: i32, used: Duration) {
        let mut t = self.threads.lock();
        if t.clocks.remove(&tid).is_some() {
            t.ended_cpu += used;
        }
        t.affinity.remove(&tid);
        t.nice.remove(&tid);
    }

    /// The thread `tid` is gone without running (the runtime could not
    /// start it) or was ended with the others: forget it.
    pub fn forget_thread(&self, tid: i32) {
        self.threads.lock().live.remove(&tid);
    }

    /// Forgets every thread but `tid` (exec, after the others ended).
    pub fn keep_only_thread(&self, tid: i32) {
        let mut t = self.threads.lock();
        t.live.retain(|&t, _| t == tid);
        t.robust.retain(|&t, _| t == tid);
    }

    /// After an exec by a thread other than the main one (which may have
    /// exited already): the cage is its main thread alone again, with no
    /// `clear_child_tid` (the memory it pointed into is gone).
    pub fn become_single_threaded(&self) {
        self.threads.lock().live = BTreeMap::from([(self.pid, 0)]);
        let mut s = self.signals.lock();
        s.thread_pending.clear();
        s.thread_masks.clear();
        s.suspend_masks.clear();
        s.queue.retain(|(t, _)| t.is_none());
    }
}

impl Cage {
    /// Which futex queue `addr` belongs to: the cage's own (its pid, and
    /// the address), or for a non-`private` futex in shared memory, the
    /// mapped object's (its identity, and the offset in it), which every
    /// cage mapping the object meets in wherever it maps it, as Linux keys
    /// shared futexes by inode and offset. MAP_SHARED anonymous memory is
    /// its mapping's object (shared across fork); files, memfds, shm_open
    /// objects and System V segments are themselves.
    pub fn futex_key(&self, addr: u64, private: bool) -> FutexKey {
        let own = (i64::from(self.pid), addr);
        if private {
            return own;
        }
        let mm = self.mm.lock();
        let Some(r) = mm.region_containing(addr) else {
            return own;
        };
        if r.flags & lind_abi::flags::MAP_TYPE == lind_abi::flags::MAP_PRIVATE {
            return own;
        }
        let offset = (addr as i64 + r.delta) as u64;
        if r.share_id != 0 {
            return (-i64::from(r.share_id), offset);
        }
        match mm.names.get(&r.name) {
            Some(n) => (object_space(n.dev, n.ino), offset),
            None => own,
        }
    }
}

impl Kernel {
    /// Releases the robust mutexes thread `tid` of `cage` still holds (see
    /// [`release_robust_list`]) and forgets its list.
    pub fn release_robust(&self, cage: &Cage, tid: i32, mem: &mut dyn crate::GuestMemory) {
        let Some(head) = cage.threads.lock().robust.remove(&tid) else {
            return;
        };
        let space = |addr: u64| cage.futex_key(addr, false);
        release_robust_list(mem, &self.futexes, space, tid, head);
    }

    /// Releases every robust list the cage's threads still have: at
    /// exit_group, and when the cage ends some other way (a signal, a
    /// trap; the runtime calls this with the memory before the cage's end
    /// is reported).
    pub fn release_all_robust(&self, cage: &Cage, mem: &mut dyn crate::GuestMemory) {
        let tids: Vec<i32> = cage.threads.lock().robust.keys().copied().collect();
        for tid in tids {
            self.release_robust(cage, tid, mem);
        }
    }

    /// Adds a thread to `cage`; returns its tid (from the pid space, as on
    /// Linux).
    pub fn new_thread(&self, cage: &Cage, clear_child_tid: u64) -> KResult<i32> {
        let tid = self.next_tid();
        cage.threads.lock().live.insert(tid, clear_child_tid);
        Ok(tid)
    }

    /// The CPU time of all of `cage`'s threads, ended and running
    /// (CLOCK_PROCESS_CPUTIME_ID, RUSAGE_SELF), as Linux counts a process.
    /// The calling host thread's own share is read directly.
    pub fn cage_cpu_time(&self, cage: &Cage) -> Duration {
        let me = crate::block::current_thread().filter(|(c, _)| c.pid == cage.pid);
        let (ended, others): (Duration, Vec<crate::host::ThreadClock>) = {
            let t = cage.threads.lock();
            let others = t
                .clocks
                .iter()
                .filter(|(tid, _)| me.as_ref().is_none_or(|(_, mine)| mine != *tid))
                .map(|(_, clock)| *clock)
                .collect();
            (t.ended_cpu, others)
        };
        let own = if me.is_some() {
            self.host.thread_cpu_time()
        } else {
            Duration::ZERO
        };
        others.into_iter().fold(ended + own, |sum, clock| {
            sum + self.host.other_thread_cpu_time(clock).unwrap_or_default()
        })
    }

    /// The cage that has a thread `tid`.
    pub fn cage_of_tid(&self, tid: i32) -> Option<Arc<Cage>> {
        if let Some(c) = self.cage(tid) {
            return Some(c);
        }
        self.all_cages()
            .into_iter()
            .find(|c| c.threads.lock().live.contains_key(&tid))
    }
}

/// The bits of a robust futex word (Linux's protocol, which musl follows):
/// the owner's tid, "waiters may sleep on it", "its owner died".
pub const FUTEX_TID_MASK: u32 = 0x3fff_ffff;
pub const FUTEX_WAITERS: u32 = 0x8000_0000;
pub const FUTEX_OWNER_DIED: u32 = 0x4000_0000;
/// At most this many entries of a robust list are looked at (Linux's
/// ROBUST_LIST_LIMIT): a corrupt or circular list cannot hang the exit.
const ROBUST_LIST_LIMIT: usize = 2048;

/// A thread `tid` of a cage ends (exit, exit_group, the cage's end): every
/// robust mutex it still holds, on the list whose head it registered with
/// `set_robust_list` at `head`, is marked FUTEX_OWNER_DIED and one waiter
/// woken, so the next locker gets EOWNERDEAD. `futex_key` says which
/// futex queue an address belongs to. The list is guest memory: bad
/// pointers end the walk quietly (the thread is gone either way).
///
/// wasm32 layout: `struct robust_list_head { next; long futex_offset;
/// list_op_pending; }`, each entry's futex word at entry + futex_offset.
pub fn release_robust_list(
    mem: &mut dyn crate::GuestMemory,
    futexes: &Futexes,
    futex_key: impl Fn(u64) -> FutexKey,
    tid: i32,
    head: u64,
) {
    use crate::memory::GuestMemoryExt;
    let (Ok(first), Ok(offset), Ok(pending)) = (
        mem.read_u32(head),
        mem.read_u32(head + 4),
        mem.read_u32(head + 8),
    ) else {
        return;
    };
    let offset = offset as i32 as i64;
    let futex_of = |entry: u64| (entry as i64 + offset) as u64 & 0xffff_ffff;
    let pending = u64::from(pending & !1);
    let mut entry = u64::from(first & !1);
    for _ in 0..ROBUST_LIST_LIMIT {
        if entry == head || entry == 0 {
            break;
        }
        // The next link first: once released, another thread may unlink it.
        let Ok(next) = mem.read_u32(entry) else {
            break;
        };
        if entry != pending {
            owner_died(mem, futexes, &futex_key, futex_of(entry), tid);
        }
        entry = u64::from(next & !1);
    }
    if pending != 0 {
        owner_died(mem, futexes, &futex_key, futex_of(pending), tid);
    }
}

/// One robust futex of a dead owner `tid`: if `tid` still owns it, the
/// word becomes FUTEX_OWNER_DIED (keeping FUTEX_WAITERS) and, if anyone
/// waits, one waiter is woken.
fn owner_died(
    mem: &mut dyn crate::GuestMemory,
    futexes: &Futexes,
    futex_key: &impl Fn(u64) -> FutexKey,
    addr: u64,
    tid: i32,
) {
    let Ok(mut word) = mem.atomic_load_u32(addr) else {
        return;
    };
    loop {
        if word & FUTEX_TID_MASK != tid as u32 {
            return;
        }
        let new = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        match mem.atomic_cmpxchg_u32(addr, word, new) {
            Ok(seen) if seen == word => break,
            Ok(seen) => word = seen,
            Err(_) => return,
        }
    }
    if word & FUTEX_WAITERS != 0 {
        let (space, at) = futex_key(addr);
        futexes.wake(space, at, 1, u32::MAX);
    }
}

/// One thread sleeping on a futex.
struct Waiter {
    bitset: u32,
    /// The waiting thread, for a PI futex (FUTEX_LOCK_PI), to which an
    /// unlock hands the lock; 0 for plain waiters.
    tid: i32,
    state: Mutex<WaiterState>,
    cv: Arc<Condvar>,
    /// Set by a wake while it holds `state`'s lock (which the condvar wait
    /// pairs with); the spin in `wait` reads it without the lock.
    woken: AtomicBool,
}

/// How long a futex waiter spins before it sleeps. A contended handoff
/// between two threads usually comes within a few microseconds; a host
/// thread that sleeps instead needs a wake-up through the host's
/// scheduler first, which in a VM costs 5-15 us per handoff.
const FUTEX_SPIN: Duration = Duration::from_micros(20);

struct WaiterState {
    /// Where the waiter is queued now (requeue moves it).
    key: Key,
}

/// A futex queue: a space (a cage's pid; a shared mapping's or object's
/// negative id) and an address or offset in it.
pub type FutexKey = (i64, u64);
type Key = FutexKey;

/// The futex space of a mapped object (device and inode): below every
/// share id, so the two never collide.
fn object_space(dev: u64, ino: u64) -> i64 {
    static IDS: std::sync::OnceLock<Mutex<HashMap<(u64, u64), i64>>> = std::sync::OnceLock::new();
    let mut ids = IDS.get_or_init(Default::default).lock();
    let next = ids.len() as i64 + 1;
    *ids.entry((dev, ino)).or_insert(-(1 << 32) - next)
}

/// Spins for up to [`FUTEX_SPIN`] (not past `deadline`) until `woken`;
/// returns whether it was. Not on a single CPU, where the spin would only
/// keep the waker from running.
fn spin_until_woken(woken: &AtomicBool, deadline: Option<Instant>) -> bool {
    static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cpus = *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if cpus < 2 {
        return woken.load(Ordering::Acquire);
    }
    let start = Instant::now();
    let until = deadline.map_or(start + FUTEX_SPIN, |d| d.min(start + FUTEX_SPIN));
    loop {
        for _ in 0..64 {
            if woken.load(Ordering::Acquire) {
                return true;
            }
            std::hint::spin_loop();
        }
        if Instant::now() >= until {
            return woken.load(Ordering::Acquire);
        }
    }
}

/// A PI futex word as one thread uses it: its queue, its guest address
/// and the calling thread.
#[derive(Clone, Copy, Debug)]
pub struct PiFutex {
    pub key: FutexKey,
    pub addr: u64,
    pub tid: i32,
}

/// Every futex waiter of a kernel.
#[derive(Default)]
pub struct Futexes {
    queues: Mutex<HashMap<Key, Vec<Arc<Waiter>>>>,
}

impl Futexes {
    pub fn new() -> Self {
        Futexes::default()
    }

    /// FUTEX_WAIT(_BITSET): sleeps on `(space, addr)` while `still_equal`
    /// says the futex word still holds the expected value (checked after
    /// enqueueing), until woken (Ok), `deadline` (ETIMEDOUT) or a signal or
    /// the cage's end (EINTR). A word that differs is EAGAIN.
    pub fn wait(
        &self,
        space: i64,
        addr: u64,
        bitset: u32,
        deadline: Option<Instant>,
        still_equal: impl FnOnce() -> KResult<bool>,
    ) -> KResult<()> {
        self.wait_as((space, addr), 0, bitset, deadline, still_equal)
    }

    /// [`Futexes::wait`] for thread `tid` (0: a plain waiter).
    fn wait_as(
        &self,
        key: Key,
        tid: i32,
        bitset: u32,
        deadline: Option<Instant>,
        still_equal: impl FnOnce() -> KResult<bool>,
    ) -> KResult<()> {
        let w = Arc::new(Waiter {
            bitset,
            tid,
            state: Mutex::new(WaiterState { key }),
            cv: Arc::new(Condvar::new()),
            woken: AtomicBool::new(false),
        });
        self.queues.lock().entry(key).or_default().push(w.clone());
        let gone = |e: Errno| {
            // Woken meanwhile: the wake counted us, so report it.
            if self.remove(&w) {
                Err(e)
            } else {
                Ok(())
            }
        };
        match still_equal() {
            Ok(true) => {}
            Ok(false) => return gone(Errno::EAGAIN),
            Err(e) => return gone(e),
        }
        if spin_until_woken(&w.woken, deadline) {
            return Ok(());
        }
        let mut st = w.state.lock();
        loop {
            if w.woken.load(Ordering::Acquire) {
                return Ok(());
            }
            let r = block::wait_until(&w.cv, &mut st, deadline);
            if w.woken.load(Ordering::Acquire) {
                return Ok(());
            }
            match r {
                Ok(false) => {}
                Ok(true) => {
                    drop(st);
                    return gone(Errno::ETIMEDOUT);
                }
                Err(e) => {
                    drop(st);
                    return gone(e);
                }
            }
        }
    }

    /// Takes `w` out of its queue; false if a wake already did.
    fn remove(&self, w: &Arc<Waiter>) -> bool {
        let mut q = self.queues.lock();
        let st = w.state.lock();
        if w.woken.load(Ordering::Acquire) {
            return false;
        }
        if let Some(list) = q.get_mut(&st.key) {
            list.retain(|x| !Arc::ptr_eq(x, w));
            if list.is_empty() {
                q.remove(&st.key);
            }
        }
        true
    }

    /// FUTEX_WAKE(_BITSET): wakes up to `n` waiters on `(space, addr)`
    /// whose bitset meets `bitset`, oldest first; returns how many.
    pub fn wake(&self, space: i64, addr: u64, n: u32, bitset: u32) -> u32 {
        let mut q = self.queues.lock();
        let key = (space, addr);
        let Some(list) = q.get_mut(&key) else {
            return 0;
        };
        let mut woken = 0;
        list.retain(|w| {
            if woken >= n || w.bitset & bitset == 0 {
                return true;
            }
            {
                let _state = w.state.lock();
                w.woken.store(true, Ordering::Release);
            }
            w.cv.notify_all();
            woken += 1;
            false
        });
        if list.is_empty() {
            q.remove(&key);
        }
        woken
    }

    /// FUTEX_(CMP_)REQUEUE: wakes up to `n_wake` waiters on `from` and
    /// moves up to `n_move` of the rest to `to`; returns both counts'
    /// sum, as Linux does.
    pub fn requeue(&self, from: Key, to: Key, n_wake: u32, n_move: u32) -> u32 {
        let woken = self.wake(from.0, from.1, n_wake, u32::MAX);
        if from == to || n_move == 0 {
            return woken;
        }
        let mut q = self.queues.lock();
        let Some(list) = q.get_mut(&from) else {
            return woken;
        };
        let take = (n_move as usize).min(list.len());
        let moved: Vec<Arc<Waiter>> = list.drain(..take).collect();
        if list.is_empty() {
            q.remove(&from);
        }
        for w in &moved {
            w.state.lock().key = to;
        }
        let n = moved.len() as u32;
        q.entry(to).or_default().extend(moved);
        woken + n
    }

    /// Number of waiters on `(space, addr)` (tests and /proc).
    pub fn waiters(&self, space: i64, addr: u64) -> usize {
        self.queues.lock().get(&(space, addr)).map_or(0, Vec::len)
    }

    /// FUTEX_LOCK_PI (`try_only`: FUTEX_TRYLOCK_PI) of `pi`: a free word (no owner in
    /// FUTEX_TID_MASK) becomes `tid`, keeping FUTEX_OWNER_DIED; an owned
    /// one gets FUTEX_WAITERS and the thread sleeps until an unlock hands
    /// the word over to it. Lind has no priorities, so nothing is
    /// inherited: what remains is Linux's ownership protocol. Errors as
    /// Linux: EDEADLK (already the owner), EAGAIN (trylock of an owned
    /// word), ESRCH (`owner_exists` says no thread has the owner's tid),
    /// ETIMEDOUT, EINTR.
    pub fn lock_pi(
        &self,
        mem: &mut dyn crate::GuestMemory,
        pi: PiFutex,
        try_only: bool,
        deadline: Option<Instant>,
        owner_exists: impl Fn(i32) -> bool,
    ) -> KResult<()> {
        let PiFutex { key, addr, tid } = pi;
        loop {
            let word = mem.atomic_load_u32(addr)?;
            let owner = word & FUTEX_TID_MASK;
            if owner == tid as u32 {
                return Err(Errno::EDEADLK);
            }
            if owner == 0 {
                // Waiters still queued keep the next unlock in the kernel.
                let waiters = if self.waiters(key.0, key.1) > 0 {
                    FUTEX_WAITERS
                } else {
                    0
                };
                let new = tid as u32 | (word & FUTEX_OWNER_DIED) | waiters;
                if mem.atomic_cmpxchg_u32(addr, word, new)? == word {
                    return Ok(());
                }
                continue;
            }
            if try_only {
                return Err(Errno::EAGAIN);
            }
            if !owner_exists(owner as i32) {
                // The owner may have unlocked and ended since the word
                // was read (Linux's handle_exit_race): look again.
                if mem.atomic_load_u32(addr)? != word {
                    continue;
                }
                return Err(Errno::ESRCH);
            }
            let marked = word | FUTEX_WAITERS;
            if marked != word && mem.atomic_cmpxchg_u32(addr, word, marked)? != word {
                continue;
            }
            let reader: &dyn crate::GuestMemory = &*mem;
            match self.wait_as(key, tid, u32::MAX, deadline, || {
                Ok(reader.atomic_load_u32(addr)? == marked)
            }) {
                // Handed over, or woken some other way: look again.
                Ok(()) | Err(Errno::EAGAIN) => {
                    if mem.atomic_load_u32(addr)? & FUTEX_TID_MASK == tid as u32 {
                        return Ok(());
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// FUTEX_UNLOCK_PI of `pi`: the word goes to the oldest thread
    /// waiting in [`Futexes::lock_pi`] (with FUTEX_WAITERS if others
    /// remain), or becomes 0. EPERM unless the calling thread owns it.
    pub fn unlock_pi(&self, mem: &mut dyn crate::GuestMemory, pi: PiFutex) -> KResult<()> {
        let PiFutex { key, addr, tid } = pi;
        let word = mem.atomic_load_u32(addr)?;
        if word & FUTEX_TID_MASK != tid as u32 {
            return Err(Errno::EPERM);
        }
        // Other threads may only add FUTEX_WAITERS meanwhile.
        let mut store = |new: u32| -> KResult<()> {
            let mut seen = word;
            loop {
                match mem.atomic_cmpxchg_u32(addr, seen, new)? {
                    now if now == seen => return Ok(()),
                    now if now & FUTEX_TID_MASK != tid as u32 => return Err(Errno::EINVAL),
                    now => seen = now,
                }
            }
        };
        let mut queues = self.queues.lock();
        let Some(list) = queues.get_mut(&key) else {
            drop(queues);
            return store(0);
        };
        let Some(at) = list.iter().position(|w| w.tid != 0) else {
            drop(queues);
            return store(0);
        };
        let next = list.remove(at);
        let more = list.iter().any(|w| w.tid != 0);
        if list.is_empty() {
            queues.remove(&key);
        }
        // Holding the waiter's state (taken after the queues, as `remove`
        // does) keeps it from timing out before the word is its own.
        let state = next.state.lock();
        drop(queues);
        let r = store(next.tid as u32 | if more { FUTEX_WAITERS } else { 0 });
        // Woken either way: on failure it finds the word not its own and
        // waits again.
        next.woken.store(true, Ordering::Release);
        drop(state);
        next.cv.notify_all();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    fn wait_for_waiters(f: &Futexes, addr: u64, n: usize) {
        let give_up = Instant::now() + Duration::from_secs(10);
        while f.waiters(1, addr) < n {
            assert!(Instant::now() < give_up, "waiters never queued");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn value_mismatch_is_eagain_and_leaves_no_waiter() {
        let f = Futexes::new();
        assert_eq!(
            f.wait(1, 64, u32::MAX, None, || Ok(false)),
            Err(Errno::EAGAIN)
        );
        assert_eq!(f.waiters(1, 64), 0);
        assert_eq!(
            f.wait(1, 64, u32::MAX, None, || Err(Errno::EFAULT)),
            Err(Errno::EFAULT)
        );
        assert_eq!(f.waiters(1, 64), 0);
    }

    #[test]
    fn timeout_is_etimedout() {
        let f = Futexes::new();
        let t = Instant::now();
        let d = Some(t + Duration::from_millis(30));
        assert_eq!(
            f.wait(1, 64, u32::MAX, d, || Ok(true)),
            Err(Errno::ETIMEDOUT)
        );
        assert!(t.elapsed() >= Duration::from_millis(30));
        assert_eq!(f.waiters(1, 64), 0);
    }

    /// A deadline inside the spin window ends the wait on time; the spin
    /// itself ends at a wake, or after FUTEX_SPIN.
    #[test]
    fn the_spin_keeps_deadlines_and_takes_wakes() {
        let f = Futexes::new();
        let t = Instant::now();
        let d = Some(t + FUTEX_SPIN / 4);
        assert_eq!(
            f.wait(1, 8, u32::MAX, d, || Ok(true)),
            Err(Errno::ETIMEDOUT)
        );
        assert!(t.elapsed() < Duration::from_millis(50));
        assert_eq!(f.waiters(1, 8), 0);

        let woken = AtomicBool::new(true);
        assert!(spin_until_woken(&woken, None), "already woken");
        let never = AtomicBool::new(false);
        let t = Instant::now();
        assert!(!spin_until_woken(&never, None));
        assert!(t.elapsed() >= FUTEX_SPIN);
    }

    #[test]
    fn wake_counts_and_wakes_in_order() {
        let f = Arc::new(Futexes::new());
        let done = Arc::new(AtomicU32::new(0));
        let hs: Vec<_> = (0..3)
            .map(|_| {
                let (f, done) = (f.clone(), done.clone());
                std::thread::spawn(move || {
                    f.wait(1, 128, u32::MAX, None, || Ok(true)).unwrap();
                    done.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        wait_for_waiters(&f, 128, 3);
        // Another address space or address wakes nobody.
        assert_eq!(f.wake(2, 128, 10, u32::MAX), 0);
        assert_eq!(f.wake(1, 132, 10, u32::MAX), 0);
        assert_eq!(f.wake(1, 128, 2, u32::MAX), 2);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(done.load(Ordering::SeqCst), 2);
        assert_eq!(f.wake(1, 128, 10, u32::MAX), 1);
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(f.waiters(1, 128), 0);
    }

    #[test]
    fn bitsets_select_waiters() {
        let f = Arc::new(Futexes::new());
        let h = {
            let f = f.clone();
            std::thread::spawn(move || f.wait(1, 256, 0b10, None, || Ok(true)))
        };
        wait_for_waiters(&f, 256, 1);
        assert_eq!(f.wake(1, 256, 1, 0b01), 0);
        assert_eq!(f.wake(1, 256, 1, 0b11), 1);
        assert_eq!(h.join().unwrap(), Ok(()));
    }

    #[test]
    fn requeue_moves_waiters() {
        let f = Arc::new(Futexes::new());
        let hs: Vec<_> = (0..3)
            .map(|_| {
                let f = f.clone();
                std::thread::spawn(move || f.wait(1, 512, u32::MAX, None, || Ok(true)))
            })
            .collect();
        wait_for_waiters(&f, 512, 3);
        assert_eq!(f.requeue((1, 512), (1, 1024), 1, 10), 3);
        assert_eq!(f.waiters(1, 512), 0);
        assert_eq!(f.waiters(1, 1024), 2);
        assert_eq!(f.wake(1, 512, 10, u32::MAX), 0);
        assert_eq!(f.wake(1, 1024, 10, u32::MAX), 2);
        for h in hs {
            assert_eq!(h.join().unwrap(), Ok(()));
        }
    }

    #[test]
    fn a_wake_racing_the_check_is_not_lost() {
        // The value check runs after enqueueing: a wake that lands in
        // between wakes this waiter (it returns Ok, not EAGAIN).
        let f = Futexes::new();
        let r = f.wait(1, 64, u32::MAX, None, || {
            assert_eq!(f.wake(1, 64, 1, u32::MAX), 1);
            Ok(false)
        });
        assert_eq!(r, Ok(()));
    }

    #[test]
    fn a_cage_counts_its_running_and_ended_threads_cpu() {
        use crate::host::ThreadClock;
        let t = crate::testing::TestEnv::new();
        let ms = Duration::from_millis;
        t.host
            .thread_cpu
            .lock()
            .extend([(100, ms(50)), (200, ms(20))]);
        t.cage.thread_on_host(
            5,
            ThreadClock {
                host_tid: 100,
                base: ms(10),
            },
        );
        t.cage.thread_on_host(
            6,
            ThreadClock {
                host_tid: 200,
                base: ms(0),
            },
        );
        // No cage thread runs on the test's own thread: only the others count.
        assert_eq!(t.kernel.cage_cpu_time(&t.cage), ms(60));
        t.cage.thread_off_host(6, ms(25));
        assert_eq!(t.kernel.cage_cpu_time(&t.cage), ms(65));
        // A thread that never ran on a host thread adds nothing.
        t.cage.thread_off_host(9, ms(1000));
        assert_eq!(t.kernel.cage_cpu_time(&t.cage), ms(65));
    }

    /// Guest memory of four futex words that several host threads share.
    #[derive(Clone, Default)]
    struct Words(Arc<[AtomicU32; 4]>);

    impl Words {
        fn get(&self, addr: u64) -> KResult<&AtomicU32> {
            if !addr.is_multiple_of(4) {
                return Err(Errno::EINVAL);
            }
            self.0.get(addr as usize / 4).ok_or(Errno::EFAULT)
        }
    }

    impl crate::GuestMemory for Words {
        fn size(&self) -> u64 {
            16
        }
        fn read(&self, _addr: u64, _buf: &mut [u8]) -> KResult<()> {
            Err(Errno::EFAULT)
        }
        fn write(&mut self, _addr: u64, _data: &[u8]) -> KResult<()> {
            Err(Errno::EFAULT)
        }
        fn grow_to(&mut self, _bytes: u64) -> KResult<()> {
            Err(Errno::ENOMEM)
        }
        fn atomic_load_u32(&self, addr: u64) -> KResult<u32> {
            Ok(self.get(addr)?.load(Ordering::SeqCst))
        }
        fn atomic_cmpxchg_u32(&mut self, addr: u64, old: u32, new: u32) -> KResult<u32> {
            Ok(
                match self
                    .get(addr)?
                    .compare_exchange(old, new, Ordering::SeqCst, Ordering::SeqCst)
                {
                    Ok(v) | Err(v) => v,
                },
            )
        }
    }

    fn pi(tid: i32) -> PiFutex {
        PiFutex {
            key: (1, 4),
            addr: 4,
            tid,
        }
    }

    #[test]
    fn pi_lock_takes_a_free_word_and_refuses_others() {
        let f = Futexes::new();
        let mut mem = Words::default();
        let alive = |_| true;
        assert_eq!(f.lock_pi(&mut mem, pi(5), false, None, alive), Ok(()));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 5);
        assert_eq!(
            f.lock_pi(&mut mem, pi(5), false, None, alive),
            Err(Errno::EDEADLK)
        );
        assert_eq!(
            f.lock_pi(&mut mem, pi(6), true, None, alive),
            Err(Errno::EAGAIN)
        );
        assert_eq!(
            f.lock_pi(&mut mem, pi(6), false, None, |_| false),
            Err(Errno::ESRCH)
        );
        // An owner gone because it unlocked and ended meanwhile is no
        // error: the word is read again and taken.
        let other_view = mem.clone();
        let owner_left = |_| {
            other_view.0[1].store(0, Ordering::SeqCst);
            false
        };
        let mut side = mem.clone();
        assert_eq!(f.lock_pi(&mut side, pi(6), false, None, owner_left), Ok(()));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 6);
        mem.0[1].store(5, Ordering::SeqCst);
        assert_eq!(f.unlock_pi(&mut mem, pi(6)), Err(Errno::EPERM));
        assert_eq!(f.unlock_pi(&mut mem, pi(5)), Ok(()));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 0);
        // A dead owner's word (robust list walk) goes to the next locker
        // with FUTEX_OWNER_DIED kept.
        mem.0[1].store(FUTEX_OWNER_DIED, Ordering::SeqCst);
        assert_eq!(f.lock_pi(&mut mem, pi(7), true, None, alive), Ok(()));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 7 | FUTEX_OWNER_DIED);
        // Unlocking clears everything.
        assert_eq!(f.unlock_pi(&mut mem, pi(7)), Ok(()));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 0);
    }

    #[test]
    fn pi_unlock_hands_the_word_to_the_oldest_waiter() {
        let f = Arc::new(Futexes::new());
        let mut mem = Words::default();
        assert_eq!(f.lock_pi(&mut mem, pi(5), false, None, |_| true), Ok(()));
        let waiter = |tid: i32| {
            let (f, mut mem) = (f.clone(), mem.clone());
            std::thread::spawn(move || {
                let r = f.lock_pi(&mut mem, pi(tid), false, None, |_| true);
                let word = mem.0[1].load(Ordering::SeqCst);
                (r, word & FUTEX_TID_MASK)
            })
        };
        let first = waiter(6);
        wait_for_waiters(&f, 4, 1);
        let second = waiter(7);
        wait_for_waiters(&f, 4, 2);
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 5 | FUTEX_WAITERS);
        assert_eq!(f.unlock_pi(&mut mem, pi(5)), Ok(()));
        // The first waiter owns it as it returns; one waiter is left.
        assert_eq!(first.join().unwrap(), (Ok(()), 6));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 6 | FUTEX_WAITERS);
        assert_eq!(f.unlock_pi(&mut mem, pi(6)), Ok(()));
        assert_eq!(second.join().unwrap(), (Ok(()), 7));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 7);
        assert_eq!(f.unlock_pi(&mut mem, pi(7)), Ok(()));
        assert_eq!(f.waiters(1, 4), 0);
    }

    #[test]
    fn pi_lock_times_out_and_leaves_the_owner_alone() {
        let f = Futexes::new();
        let mut mem = Words::default();
        mem.0[1].store(5, Ordering::SeqCst);
        let deadline = Some(Instant::now() + Duration::from_millis(30));
        assert_eq!(
            f.lock_pi(&mut mem, pi(6), false, deadline, |_| true),
            Err(Errno::ETIMEDOUT)
        );
        assert_eq!(f.waiters(1, 4), 0);
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 5 | FUTEX_WAITERS);
        assert_eq!(f.unlock_pi(&mut mem, pi(5)), Ok(()));
        assert_eq!(mem.0[1].load(Ordering::SeqCst), 0);
    }
}
