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

/// Records that this host thread runs thread `tid` of `cage`.
pub fn enter_thread(cage: Arc<Cage>, tid: i32) {
    CURRENT.with(|c| *c.borrow_mut() = Some((cage, tid)));
}

/// The cage this thread runs, if any (what `/proc/self` names).
pub fn current() -> Option<Arc<Cage>> {
    CURRENT.with(|c| c.borrow().as_ref().map(|(c, _)| c.clone()))
}

fn current_thread() -> Option<(Arc<Cage>, i32)> {
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
