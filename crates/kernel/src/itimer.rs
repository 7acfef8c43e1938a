//! ITIMER_REAL: the per-cage real-time interval timer behind alarm() and
//! setitimer(), which sends SIGALRM.

use crate::Cage;
use lind_abi::flags::SIGALRM;
use parking_lot::{Condvar, Mutex};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    deadline: Option<Instant>,
    interval: Duration,
    /// Bumped on every arm/disarm, so an older timer thread retires.
    generation: u64,
}

#[derive(Default)]
pub struct RealTimer {
    state: Mutex<State>,
    changed: Arc<Condvar>,
}

impl RealTimer {
    /// Time left and interval, as getitimer reports them.
    pub fn get(&self) -> (Duration, Duration) {
        let s = self.state.lock();
        let left = s.deadline.map_or(Duration::ZERO, |d| {
            d.saturating_duration_since(Instant::now())
        });
        (left, s.interval)
    }

    /// Arms (or, with a zero `value`, disarms) the timer for `cage`;
    /// returns the previous (left, interval).
    pub fn set(
        &self,
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
            s.generation
        };
        self.changed.notify_all();
        if !value.is_zero() {
            let weak = Arc::downgrade(cage);
            let _ = std::thread::Builder::new()
                .name("lind-itimer".into())
                .spawn(move || run(weak, generation));
        }
        old
    }
}

/// The timer thread: sleeps to the deadline, sends SIGALRM, re-arms with
/// the interval, and retires when the timer is changed or the cage is gone.
fn run(cage: Weak<Cage>, generation: u64) {
    loop {
        let Some(c) = cage.upgrade() else { return };
        if c.exit_requested().is_some() {
            return;
        }
        let timer = &c.real_timer;
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
        drop(s);
        c.post_signal(SIGALRM);
    }
}
