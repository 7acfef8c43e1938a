//! timerfd: a timer read as a file. Expirations are counted lazily from
//! the deadline whenever the file is looked at; while armed, one host
//! thread sleeps until each deadline only to wake poll/epoll waiters.

use crate::{
    block::{WaitQueue, Waker},
    file::FileLike,
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::{Condvar, Mutex};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    deadline: Option<Instant>,
    interval: Duration,
    /// Expirations not yet read.
    ticks: u64,
    /// Bumped on every settime, so an older waking thread retires.
    generation: u64,
}

impl State {
    /// Counts the expirations up to now.
    fn settle(&mut self) {
        let now = Instant::now();
        let Some(d) = self.deadline else { return };
        if now < d {
            return;
        }
        if self.interval.is_zero() {
            self.ticks += 1;
            self.deadline = None;
            return;
        }
        let late = now.duration_since(d).as_nanos();
        let n = (late / self.interval.as_nanos()) as u64 + 1;
        self.ticks = self.ticks.saturating_add(n);
        let step = self.interval.as_nanos().saturating_mul(n as u128);
        self.deadline = Some(d + Duration::from_nanos(step.min(u64::MAX as u128) as u64));
    }
}

pub struct TimerFd {
    me: Weak<TimerFd>,
    /// The clock it was made on (TFD_TIMER_ABSTIME times are read on it).
    pub clock: u32,
    st: Mutex<State>,
    /// Wakes the waking thread when the timer is set again or dropped.
    changed: Condvar,
    queue: WaitQueue,
}

impl TimerFd {
    pub fn new(clock: u32) -> Arc<Self> {
        Arc::new_cyclic(|me| TimerFd {
            me: me.clone(),
            clock,
            st: Mutex::new(State::default()),
            changed: Condvar::new(),
            queue: WaitQueue::new(),
        })
    }

    /// Time left and interval.
    pub fn get(&self) -> (Duration, Duration) {
        let mut st = self.st.lock();
        st.settle();
        let left = st.deadline.map_or(Duration::ZERO, |d| {
            d.saturating_duration_since(Instant::now())
                .max(Duration::from_nanos(1))
        });
        (left, st.interval)
    }

    /// Arms (a zero `value` disarms) and returns the old setting.
    pub fn set(&self, value: Duration, interval: Duration) -> (Duration, Duration) {
        let old = self.get();
        let generation = {
            let mut st = self.st.lock();
            st.generation += 1;
            st.ticks = 0;
            st.interval = interval;
            st.deadline = (!value.is_zero()).then(|| Instant::now() + value);
            st.generation
        };
        self.changed.notify_all();
        if !value.is_zero() {
            let weak = self.me.clone();
            let _ = std::thread::Builder::new()
                .name("lind-timerfd".into())
                .spawn(move || wake_loop(weak, generation));
        }
        old
    }
}

/// Sleeps until each deadline of `generation` and wakes the timer's
/// waiters; ends when the timer is set again, disarmed or dropped.
fn wake_loop(weak: Weak<TimerFd>, generation: u64) {
    loop {
        let Some(t) = weak.upgrade() else { return };
        let mut st = t.st.lock();
        if st.generation != generation {
            return;
        }
        st.settle();
        let ready = st.ticks > 0;
        let Some(deadline) = st.deadline else {
            drop(st);
            if ready {
                t.queue.notify(POLLIN);
            }
            return;
        };
        if ready {
            drop(st);
            t.queue.notify(POLLIN);
            continue;
        }
        // Bounded, so a dropped timer's thread ends soon.
        let until = deadline.min(Instant::now() + Duration::from_secs(1));
        t.changed.wait_until(&mut st, until);
    }
}

impl Drop for TimerFd {
    fn drop(&mut self) {
        self.changed.notify_all();
    }
}

impl FileLike for TimerFd {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        let mut st = self.st.lock();
        loop {
            st.settle();
            if st.ticks > 0 {
                let n = std::mem::take(&mut st.ticks);
                buf[..8].copy_from_slice(&n.to_le_bytes());
                return Ok(8);
            }
            if status & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            let deadline = st.deadline;
            self.queue.wait_until(&mut st, deadline)?;
        }
    }

    fn stat(&self) -> KResult<Stat> {
        crate::file::anon_inode_stat()
    }

    fn bytes_available(&self) -> KResult<u64> {
        Err(Errno::EINVAL)
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.queue.register(w);
        }
        let mut st = self.st.lock();
        st.settle();
        Some(if st.ticks > 0 { POLLIN | POLLRDNORM } else { 0 })
    }

    fn as_timerfd(&self) -> Option<&TimerFd> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_expirations_and_wakes_pollers() {
        let t = TimerFd::new(CLOCK_MONOTONIC);
        let mut b = [0u8; 8];
        assert_eq!(t.read(&mut b, O_NONBLOCK), Err(Errno::EAGAIN));
        t.set(Duration::from_millis(10), Duration::from_millis(10));
        assert_eq!(t.read(&mut b, 0), Ok(8));
        assert!(u64::from_le_bytes(b) >= 1);
        std::thread::sleep(Duration::from_millis(35));
        assert_eq!(t.poll(None), Some(POLLIN | POLLRDNORM));
        assert_eq!(t.read(&mut b, 0), Ok(8));
        assert!(u64::from_le_bytes(b) >= 3);
        let (_, interval) = t.set(Duration::ZERO, Duration::ZERO);
        assert_eq!(interval, Duration::from_millis(10));
        assert_eq!(t.poll(None), Some(0));
        assert_eq!(t.get(), (Duration::ZERO, Duration::ZERO));
        // A poller is woken by the expiry.
        let w = crate::block::Waiter::new();
        let wk: Arc<dyn Waker> = w.clone();
        t.set(Duration::from_millis(20), Duration::ZERO);
        let timeout = Some(Instant::now() + Duration::from_secs(5));
        // (An older wake-up may come first: look again until ready.)
        while t.poll(Some(&wk)) == Some(0) {
            assert_eq!(w.wait_until(timeout), Ok(false));
        }
        assert_eq!(t.poll(None), Some(POLLIN | POLLRDNORM));
    }
}
