//! Blocking that a signal can interrupt.
//!
//! Each thread of a cage runs on its own host thread, so the runtime
//! records which cage the current thread serves ([`enter`]). Blocking kernel code waits through
//! [`wait`], which registers the condition variable with that cage; posting
//! a signal that needs the cage's attention notifies it, and the wait
//! returns EINTR. A bounded wait is the backstop for a signal posted in the
//! instant between the check and the wait.

use crate::{Cage, KResult};
use lind_abi::Errno;
use parking_lot::{Condvar, MutexGuard};
use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

thread_local! {
    static CURRENT: RefCell<Option<(Arc<Cage>, i32)>> = const { RefCell::new(None) };
}

/// Longest a blocked cage sleeps before re-checking for signals on its
/// own; wake-ups normally come at once through the registered condvar.
const BACKSTOP: Duration = Duration::from_millis(100);

/// Records that this thread runs `cage` (the runtime calls it once per
/// cage thread).
pub fn enter(cage: Arc<Cage>) {
    let tid = cage.pid;
    enter_thread(cage, tid);
}

/// Records that this host thread runs thread `tid` of `cage`, whose CPU
/// time starts now.
pub fn enter_thread(cage: Arc<Cage>, tid: i32) {
    cage.thread_on_host(tid, crate::host::start_thread_cpu_clock());
    CURRENT.with(|c| *c.borrow_mut() = Some((cage, tid)));
}

/// Records that this host thread runs no cage thread any more (it is
/// kept for another); the cage keeps the CPU time the thread used.
pub fn leave() {
    if let Some((cage, tid)) = CURRENT.with(|c| c.borrow_mut().take()) {
        cage.thread_off_host(tid, crate::host::cage_thread_cpu_time());
    }
    crate::host::unbind_thread();
}

/// The cage this thread runs, if any (what `/proc/self` names).
pub fn current() -> Option<Arc<Cage>> {
    CURRENT.with(|c| c.borrow().as_ref().map(|(c, _)| c.clone()))
}

/// The cage and thread id this host thread runs, if any.
pub fn current_thread() -> Option<(Arc<Cage>, i32)> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Waits on `cv` (releasing `guard`'s lock) until notified, `deadline`
/// passes, or the current cage must handle a signal (EINTR). Returns
/// whether the deadline passed. Callers loop on their own condition.
pub fn wait_until<T>(
    cv: &Arc<Condvar>,
    guard: &mut MutexGuard<'_, T>,
    deadline: Option<Instant>,
) -> KResult<bool> {
    let current = current_thread();
    let cage = current.as_ref().map(|(c, _)| c);
    let tid = current.as_ref().map_or(0, |(_, t)| *t);
    if let Some(c) = cage {
        if c.interrupted_for(tid) {
            return Err(Errno::EINTR);
        }
        c.waiting_on.lock().push(cv.clone());
    }
    let until = match deadline {
        Some(d) if cage.is_none() => d,
        Some(d) => d.min(Instant::now() + BACKSTOP),
        None if cage.is_none() => Instant::now() + Duration::from_secs(3600),
        None => Instant::now() + BACKSTOP,
    };
    cv.wait_until(guard, until);
    if let Some(c) = cage {
        {
            let mut w = c.waiting_on.lock();
            if let Some(i) = w.iter().position(|x| Arc::ptr_eq(x, cv)) {
                w.swap_remove(i);
            }
        }
        if c.interrupted_for(tid) {
            return Err(Errno::EINTR);
        }
    }
    Ok(deadline.is_some_and(|d| Instant::now() >= d))
}

/// [`wait_until`] without a deadline.
pub fn wait<T>(cv: &Arc<Condvar>, guard: &mut MutexGuard<'_, T>) -> KResult<()> {
    wait_until(cv, guard, None).map(|_| ())
}

/// Sleeps for `d` unless the current cage must handle a signal first.
pub fn sleep(d: Duration) -> KResult<()> {
    let deadline = Instant::now() + d;
    let lock = parking_lot::Mutex::new(());
    let cv = Arc::new(Condvar::new());
    let mut guard = lock.lock();
    while !wait_until(&cv, &mut guard, Some(deadline))? {}
    Ok(())
}

/// Something woken when an object's readiness may have changed: a cage
/// blocked in poll/select ([`Waiter`]) or an epoll interest entry.
/// `events` says what changed (POLLIN, POLLOUT…), as a hint.
pub trait Waker: Send + Sync {
    fn wake(&self, events: u32);
}

/// Where an object's waiters wait. A call blocked on the object itself (a
/// pipe read) waits on the condition variable with the object's lock, as
/// [`wait`] does; poll, select and epoll register a [`Waker`]. `notify`
/// reaches both, so every kind of waiting shares one wake-up path and one
/// way of being interrupted by signals.
pub struct WaitQueue {
    cv: Arc<Condvar>,
    wakers: parking_lot::Mutex<Vec<std::sync::Weak<dyn Waker>>>,
}

impl Default for WaitQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitQueue {
    pub fn new() -> Self {
        WaitQueue {
            cv: Arc::new(Condvar::new()),
            wakers: parking_lot::Mutex::new(Vec::new()),
        }
    }

    /// [`wait`] on this queue.
    pub fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) -> KResult<()> {
        wait(&self.cv, guard)
    }

    /// [`wait_until`] on this queue.
    pub fn wait_until<T>(
        &self,
        guard: &mut MutexGuard<'_, T>,
        deadline: Option<Instant>,
    ) -> KResult<bool> {
        wait_until(&self.cv, guard, deadline)
    }

    /// Wakes everything waiting: blocked calls and registered wakers
    /// (dropped wakers are forgotten here).
    pub fn notify(&self, events: u32) {
        self.cv.notify_all();
        let live: Vec<Arc<dyn Waker>> = {
            let mut w = self.wakers.lock();
            if w.is_empty() {
                return;
            }
            let mut live = Vec::with_capacity(w.len());
            w.retain(|x| match x.upgrade() {
                Some(a) => {
                    live.push(a);
                    true
                }
                None => false,
            });
            live
        };
        // Called without the list's lock: a waker may take other locks.
        for w in live {
            w.wake(events);
        }
    }

    /// Registers `w` (once) until it is dropped.
    pub fn register(&self, w: &Arc<dyn Waker>) {
        let weak = Arc::downgrade(w);
        let mut list = self.wakers.lock();
        list.retain(|x| x.strong_count() > 0);
        if !list.iter().any(|x| std::sync::Weak::ptr_eq(x, &weak)) {
            list.push(weak);
        }
    }
}

/// A cage waiting for any of several objects (poll, select, epoll_wait):
/// registered with each object's [`WaitQueue`], woken by the first that
/// changes, interruptible like every other blocking wait.
pub struct Waiter {
    fired: parking_lot::Mutex<bool>,
    cv: Arc<Condvar>,
}

impl Waiter {
    pub fn new() -> Arc<Self> {
        Arc::new(Waiter {
            fired: parking_lot::Mutex::new(false),
            cv: Arc::new(Condvar::new()),
        })
    }

    /// Blocks until woken since the last call, `deadline` passes (returns
    /// true) or a signal must be handled (EINTR). Uses no CPU meanwhile.
    pub fn wait_until(&self, deadline: Option<Instant>) -> KResult<bool> {
        let mut fired = self.fired.lock();
        while !*fired {
            if wait_until(&self.cv, &mut fired, deadline)? {
                return Ok(true);
            }
        }
        *fired = false;
        Ok(false)
    }
}

impl Waker for Waiter {
    fn wake(&self, _events: u32) {
        *self.fired.lock() = true;
        self.cv.notify_all();
    }
}
