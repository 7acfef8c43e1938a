//! The host as the kernel sees it: time and randomness come in through this
//! trait so that tests can run the kernel on a fake clock.

use crate::block::Waker;
use crate::KResult;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A host socket (AF_INET/AF_INET6 TCP or UDP) as the kernel sees it.
/// Always non-blocking on the host: every call completes at once or fails
/// with EAGAIN (EINPROGRESS/EALREADY for connect); the kernel does the
/// waiting on its own queues, woken through [`HostSocket::watch`].
/// Flags, levels and option names are Linux's.
pub trait HostSocket: Send + Sync {
    fn bind(&self, addr: SocketAddr) -> KResult<()>;
    fn listen(&self, backlog: i32) -> KResult<()>;
    /// A pending connection (non-blocking, close-on-exec on the host).
    fn accept(&self) -> KResult<(Arc<dyn HostSocket>, SocketAddr)>;
    /// `None`: AF_UNSPEC, dissolve the association.
    fn connect(&self, addr: Option<SocketAddr>) -> KResult<()>;
    fn send(&self, data: &[u8], to: Option<SocketAddr>, flags: u32) -> KResult<usize>;
    /// Bytes received (the whole datagram's length with MSG_TRUNC) and
    /// the sender.
    fn recv(&self, buf: &mut [u8], flags: u32) -> KResult<(usize, Option<SocketAddr>)>;
    fn shutdown(&self, how: u32) -> KResult<()>;
    /// `None` while unbound.
    fn local_addr(&self) -> KResult<Option<SocketAddr>>;
    fn peer_addr(&self) -> KResult<SocketAddr>;
    /// SO_ERROR (read and cleared).
    fn take_error(&self) -> KResult<Option<lind_abi::Errno>>;
    /// An integer option; SO_LINGER as -1 (off) or seconds.
    fn set_opt(&self, level: u32, name: u32, value: i32) -> KResult<()>;
    fn get_opt(&self, level: u32, name: u32) -> KResult<i32>;
    /// Readiness now (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLRDHUP).
    fn readiness(&self) -> u32;
    /// FIONREAD.
    fn bytes_available(&self) -> KResult<u64>;
    /// From now on, `waker` is woken whenever the readiness may have
    /// changed (new data, room, a connection, an error, hang-up).
    fn watch(&self, waker: Weak<dyn Waker>);
}

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
    /// A new host socket; hosts without a network say EAFNOSUPPORT.
    fn socket(&self, _domain: u32, _ty: u32, _protocol: u32) -> KResult<Arc<dyn HostSocket>> {
        Err(lind_abi::Errno::EAFNOSUPPORT)
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
        host_thread_cpu_time().saturating_sub(CAGE_THREAD_CPU_BASE.get())
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
    fn socket(&self, domain: u32, ty: u32, protocol: u32) -> KResult<Arc<dyn HostSocket>> {
        crate::host_net::socket(domain, ty, protocol)
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

fn host_thread_cpu_time() -> Duration {
    rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime)
        .try_into()
        .unwrap_or_default()
}

thread_local! {
    /// The host thread's CPU time when it began to run its cage thread:
    /// pooled host threads run one cage thread after another.
    static CAGE_THREAD_CPU_BASE: std::cell::Cell<Duration> = const { std::cell::Cell::new(Duration::ZERO) };
}

/// This host thread starts running a cage thread: its CPU time counts
/// from now (see [`crate::block::enter_thread`]).
pub fn start_thread_cpu_clock() {
    CAGE_THREAD_CPU_BASE.set(host_thread_cpu_time());
}
