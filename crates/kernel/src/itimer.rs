//! Timers that send a signal: ITIMER_REAL behind alarm() and setitimer()
//! (SIGALRM), and POSIX timers from timer_create (any signal, with a
//! sigval and an overrun count).

use crate::signal::{bit, SigInfo};
use crate::Cage;
use lind_abi::flags::{CLOCK_REALTIME, SIGALRM, SI_TIMER};
use parking_lot::{Condvar, Mutex};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    deadline: Option<Instant>,
    interval: Duration,
    /// Bumped on every arm/disarm, so an older timer thread retires.
    generation: u64,
    /// Expirations while the last signal was still pending.
    missed: i32,
    /// What timer_getoverrun reports: `missed` when the last signal went out.
    overrun: i32,
}

pub struct Timer {
    state: Mutex<State>,
    changed: Arc<Condvar>,
    /// What an expiration sends; None for SIGEV_NONE.
    signal: Option<SigInfo>,
    /// SIGEV_THREAD_ID: the one thread it goes to.
    thread: Option<i32>,
    /// The clock TIMER_ABSTIME times are read against.
    pub clock: u32,
}

impl Timer {
    /// A timer on `clock` that sends `signal` (None: nothing) at each
    /// expiration.
    pub fn new(signal: Option<SigInfo>, clock: u32) -> Arc<Self> {
        Self::to_thread(signal, clock, None)
    }

    /// [`Timer::new`], with the signal sent to thread `thread` only
    /// (SIGEV_THREAD_ID) when given.
    pub fn to_thread(signal: Option<SigInfo>, clock: u32, thread: Option<i32>) -> Arc<Self> {
        Arc::new(Timer {
            state: Mutex::default(),
            changed: Arc::default(),
            signal,
            thread,
            clock,
        })
    }

    /// ITIMER_REAL.
    pub fn alarm() -> Arc<Self> {
        Self::new(Some(SigInfo::kernel(SIGALRM)), CLOCK_REALTIME)
    }

    /// Time left and interval, as getitimer and timer_gettime report them.
    pub fn get(&self) -> (Duration, Duration) {
        let s = self.state.lock();
        let left = s.deadline.map_or(Duration::ZERO, |d| {
            d.saturating_duration_since(Instant::now())
        });
        (left, s.interval)
    }

    pub fn overrun(&self) -> i32 {
        self.state.lock().overrun
    }

    /// Arms (or, with a zero `value`, disarms) the timer for `cage`;
    /// returns the previous (left, interval).
    pub fn set(
        self: &Arc<Self>,
        cage: &Arc<Cage>,
        value: Duration,
        interval: Duration,
    ) -> (Duration, Duration) {
        let old = self.get();
        let generation = {
            let mut s = self.state.lock();
            s.generation += 1;
            s.interval = interval;
            s.deadline = (!value.is_zero()).then(|| Instant::now() + value);
            s.missed = 0;
            s.generation
        };
        self.changed.notify_all();
        if !value.is_zero() {
            let (cage, timer) = (Arc::downgrade(cage), Arc::downgrade(self));
            let _ = std::thread::Builder::new()
                .name("lind-timer".into())
                .spawn(move || run(cage, timer, generation));
        }
        old
    }

    /// Stops the timer for good (timer_delete, exit).
    pub fn disarm(&self) {
        let mut s = self.state.lock();
        s.generation += 1;
        s.deadline = None;
        drop(s);
        self.changed.notify_all();
    }
}

/// The timer thread: sleeps to the deadline, sends the signal, re-arms
/// with the interval, and retires when the timer is changed or the cage or
/// timer is gone.
fn run(cage: Weak<Cage>, timer: Weak<Timer>, generation: u64) {
    loop {
        let (Some(c), Some(timer)) = (cage.upgrade(), timer.upgrade()) else {
            return;
        };
        if c.exit_requested().is_some() {
            return;
        }
        let mut s = timer.state.lock();
        if s.generation != generation {
            return;
        }
        let Some(deadline) = s.deadline else { return };
        let now = Instant::now();
        if now < deadline {
            let changed = timer.changed.clone();
            // Wake at least every second to notice a vanished cage.
            changed.wait_until(&mut s, deadline.min(now + Duration::from_secs(1)));
            continue;
        }
        s.deadline = (!s.interval.is_zero()).then(|| deadline + s.interval);
        let Some(mut info) = timer.signal else {
            continue;
        };
        let still_pending = {
            let signals = c.signals.lock();
            let pending = match timer.thread {
                Some(tid) => signals.thread_pending.get(&tid).copied().unwrap_or(0),
                None => signals.pending,
            };
            pending & bit(info.signo) != 0
        };
        if info.code == SI_TIMER && still_pending {
            // Still pending from the last expiration: count it instead.
            s.missed = s.missed.saturating_add(1);
            continue;
        }
        s.overrun = s.missed;
        s.missed = 0;
        info.uid = s.overrun as u32;
        drop(s);
        let _ = match timer.thread {
            Some(tid) => c.post_to_thread(tid, info),
            None => c.post(info),
        };
    }
}
