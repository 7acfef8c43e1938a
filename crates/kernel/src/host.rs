//! The host as the kernel sees it: time and randomness come in through this
//! trait so that tests can run the kernel on a fake clock.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub trait Host: Send + Sync {
    /// Wall-clock time since the Unix epoch.
    fn realtime(&self) -> Duration;
    /// Monotonic time since an arbitrary fixed point.
    fn monotonic(&self) -> Duration;
    /// CPU time this process has used (CLOCK_PROCESS_CPUTIME_ID).
    fn cpu_time(&self) -> Duration {
        self.monotonic()
    }
    /// CPU time of the calling host thread: a cage runs on its own thread,
    /// so this is the cage's CPU time.
    fn thread_cpu_time(&self) -> Duration {
        self.cpu_time()
    }
    fn fill_random(&self, buf: &mut [u8]);
    /// Sleeps the calling cage; EINTR if a signal must be handled first.
    fn sleep(&self, d: Duration) -> crate::KResult<()>;
    /// Total and free memory to report in `sysinfo`.
    fn memory(&self) -> (u64, u64) {
        (24 << 30, 16 << 30)
    }
    fn uptime(&self) -> Duration {
        self.monotonic()
    }
}

/// The real host, through std.
pub struct SystemHost {
    start: Instant,
}

impl SystemHost {
    pub fn new() -> Self {
        SystemHost {
            start: Instant::now(),
        }
    }
}

impl Default for SystemHost {
    fn default() -> Self {
        Self::new()
    }
}

impl Host for SystemHost {
    fn realtime(&self) -> Duration {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
    }
    fn monotonic(&self) -> Duration {
        // Offset so the cage never sees a monotonic clock of zero.
        self.start.elapsed() + Duration::from_secs(1)
    }
    fn cpu_time(&self) -> Duration {
        rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime)
            .try_into()
            .unwrap_or_default()
    }
    fn thread_cpu_time(&self) -> Duration {
        rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime)
            .try_into()
            .unwrap_or_default()
    }
    fn fill_random(&self, buf: &mut [u8]) {
        // The OS generator only fails if it is unavailable at all; fall back
        // to something nonzero rather than handing the guest constant bytes.
        if getrandom::fill(buf).is_err() {
            let seed = self.realtime().as_nanos() as u64;
            for (i, b) in buf.iter_mut().enumerate() {
                *b = (seed.rotate_left(i as u32 % 64) >> 3) as u8 ^ i as u8;
            }
        }
    }
    fn sleep(&self, d: Duration) -> crate::KResult<()> {
        crate::block::sleep(d)
    }
    fn memory(&self) -> (u64, u64) {
        let info = rustix::system::sysinfo();
        let unit = info.mem_unit as u64;
        (info.totalram * unit, info.freeram * unit)
    }
}

/// A deterministic host for tests: time only moves when told.
pub struct FakeHost {
    pub now: parking_lot::Mutex<Duration>,
}

impl FakeHost {
    pub fn new() -> Self {
        FakeHost {
            now: parking_lot::Mutex::new(Duration::from_secs(1_700_000_000)),
        }
    }
}

impl Default for FakeHost {
    fn default() -> Self {
        Self::new()
    }
}

impl Host for FakeHost {
    fn realtime(&self) -> Duration {
        *self.now.lock()
    }
    fn monotonic(&self) -> Duration {
        *self.now.lock() - Duration::from_secs(1_699_999_000)
    }
    fn fill_random(&self, buf: &mut [u8]) {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(31).wrapping_add(7);
        }
    }
    fn sleep(&self, d: Duration) -> crate::KResult<()> {
        *self.now.lock() += d;
        Ok(())
    }
}
