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
    /// CPU time of the cage thread the calling host thread runs
    /// (CLOCK_THREAD_CPUTIME_ID): each cage thread has its own host thread.
    fn thread_cpu_time(&self) -> Duration {
        self.monotonic()
    }
    /// CPU time of another cage thread, read through its clock; `None`
    /// if it cannot be read (the thread is gone).
    fn other_thread_cpu_time(&self, _clock: ThreadClock) -> Option<Duration> {
        None
    }
    /// The CPUs cages may run on (sched_getaffinity), ascending.
    fn allowed_cpus(&self) -> Vec<usize> {
        vec![0]
    }
    /// Keeps the calling host thread on `cpus` (sched_setaffinity) until
    /// it leaves the cage thread it runs.
    fn bind_thread(&self, _cpus: &[usize]) -> KResult<()> {
        Ok(())
    }
    /// Gives the calling host thread nice value `nice` (setpriority) until
    /// it leaves the cage thread it runs; never more favourable than lind's
    /// own, whatever a cage's root asks.
    fn nice_thread(&self, _nice: i32) {}
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
        // Read now, on the thread that starts lind, before any cage
        // thread could narrow its own CPUs or change its nice value.
        lind_cpus();
        lind_nice();
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
    fn thread_cpu_time(&self) -> Duration {
        cage_thread_cpu_time()
    }
    fn other_thread_cpu_time(&self, clock: ThreadClock) -> Option<Duration> {
        other_host_thread_cpu_time(clock.host_tid).map(|t| t.saturating_sub(clock.base))
    }
    fn allowed_cpus(&self) -> Vec<usize> {
        lind_cpus().clone()
    }
    fn bind_thread(&self, cpus: &[usize]) -> KResult<()> {
        set_host_affinity(cpus)?;
        THREAD_BOUND.set(true);
        Ok(())
    }
    fn nice_thread(&self, nice: i32) {
        let nice = nice.max(lind_nice());
        if rustix::process::setpriority_process(None, nice).is_ok() {
            THREAD_NICED.set(true);
        }
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
    /// CPU time of other host threads, by host tid.
    pub thread_cpu: parking_lot::Mutex<std::collections::HashMap<i32, Duration>>,
}

impl FakeHost {
    pub fn new() -> Self {
        FakeHost {
            now: parking_lot::Mutex::new(Duration::from_secs(1_700_000_000)),
            thread_cpu: Default::default(),
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
    fn other_thread_cpu_time(&self, clock: ThreadClock) -> Option<Duration> {
        let used = *self.thread_cpu.lock().get(&clock.host_tid)?;
        Some(used.saturating_sub(clock.base))
    }
}

/// A host call's error as the guest's errno (EIO for one lind does not
/// know).
pub(crate) fn host_errno(e: rustix::io::Errno) -> lind_abi::Errno {
    lind_abi::Errno::from_raw(e.raw_os_error()).unwrap_or(lind_abi::Errno::EIO)
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
/// from now (see [`crate::block::enter_thread`]). Returns where other
/// threads read it from.
pub fn start_thread_cpu_clock() -> ThreadClock {
    let base = host_thread_cpu_time();
    CAGE_THREAD_CPU_BASE.set(base);
    ThreadClock {
        host_tid: rustix::thread::gettid().as_raw_nonzero().get(),
        base,
    }
}

/// The CPU time this host thread spent on the cage thread it runs.
pub fn cage_thread_cpu_time() -> Duration {
    host_thread_cpu_time().saturating_sub(CAGE_THREAD_CPU_BASE.get())
}

/// Where one cage thread's CPU time is read from by another thread: its
/// host thread, and that thread's CPU time when it took the cage thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadClock {
    pub host_tid: i32,
    pub base: Duration,
}

/// The CPU time host thread `host_tid` of this process has used, from
/// `/proc/self/task/<tid>/schedstat` (its first field is the same
/// sum_exec_runtime that CLOCK_THREAD_CPUTIME_ID reports).
fn other_host_thread_cpu_time(host_tid: i32) -> Option<Duration> {
    let text = std::fs::read_to_string(format!("/proc/self/task/{host_tid}/schedstat")).ok()?;
    let ns = text.split_whitespace().next()?.parse::<u64>().ok()?;
    Some(Duration::from_nanos(ns))
}

/// The CPUs lind's process may use, as it started.
fn lind_cpus() -> &'static Vec<usize> {
    static CPUS: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    CPUS.get_or_init(|| {
        let set = rustix::thread::sched_getaffinity(None).unwrap_or_else(|_| {
            let mut s = rustix::thread::CpuSet::new();
            s.set(0);
            s
        });
        (0..rustix::thread::CpuSet::MAX_CPU)
            .filter(|&c| set.is_set(c))
            .collect()
    })
}

fn set_host_affinity(cpus: &[usize]) -> KResult<()> {
    let mut set = rustix::thread::CpuSet::new();
    for &c in cpus {
        set.set(c);
    }
    rustix::thread::sched_setaffinity(None, &set).map_err(host_errno)
}

thread_local! {
    /// Whether the cage thread this host thread runs narrowed its CPUs.
    static THREAD_BOUND: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// lind's own nice value, as it started.
fn lind_nice() -> i32 {
    static NICE: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
    *NICE.get_or_init(|| rustix::process::getpriority_process(None).unwrap_or(0))
}

thread_local! {
    /// Whether the cage thread this host thread runs changed its nice value.
    static THREAD_NICED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// This host thread stops running a cage thread: a binding and a nice
/// value it set go, so the next cage thread it takes starts as lind does.
pub fn unbind_thread() {
    if THREAD_BOUND.replace(false) {
        let _ = set_host_affinity(lind_cpus());
    }
    if THREAD_NICED.replace(false) {
        let _ = rustix::process::setpriority_process(None, lind_nice());
    }
}
