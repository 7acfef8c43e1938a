//! Clocks and sleeping.

use super::{Args, Ctx, Restart};
use crate::{memory::GuestMemoryExt, KResult};
use lind_abi::{
    flags::*,
    layout::{Timespec, Timeval},
    Errno,
};
use std::time::Duration;

pub(super) fn to_ts(d: Duration) -> Timespec {
    Timespec {
        sec: d.as_secs() as i64,
        nsec: d.subsec_nanos() as i64,
    }
}

pub(super) fn clock_now(ctx: &Ctx, clock: i32) -> KResult<Duration> {
    let host = &ctx.kernel.host;
    match clock as u32 {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => Ok(host.realtime()),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => {
            Ok(host.monotonic())
        }
        CLOCK_PROCESS_CPUTIME_ID => Ok(ctx.kernel.cage_cpu_time(ctx.cage)),
        CLOCK_THREAD_CPUTIME_ID => Ok(host.thread_cpu_time()),
        _ => Err(Errno::EINVAL),
    }
}

pub(crate) fn read_timespec(ctx: &Ctx, addr: u64) -> KResult<Timespec> {
    let b = ctx.mem.read_vec(addr, Timespec::SIZE)?;
    let ts = Timespec::from_bytes(b.as_slice().try_into().map_err(|_| Errno::EFAULT)?);
    if ts.sec < 0 || !(0..1_000_000_000).contains(&ts.nsec) {
        return Err(Errno::EINVAL);
    }
    Ok(ts)
}

pub fn clock_gettime(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let now = clock_now(ctx, a.int(0))?;
    ctx.mem.write(a.ptr(1), &to_ts(now).to_bytes())?;
    Ok(0)
}

pub fn clock_getres(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    clock_now(ctx, a.int(0))?;
    if a.ptr(1) != 0 {
        ctx.mem
            .write(a.ptr(1), &Timespec { sec: 0, nsec: 1 }.to_bytes())?;
    }
    Ok(0)
}

pub fn gettimeofday(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.ptr(0) != 0 {
        let now = ctx.kernel.host.realtime();
        let tv = Timeval {
            sec: now.as_secs() as i64,
            usec: now.subsec_micros() as i64,
        };
        ctx.mem.write(a.ptr(0), &tv.to_bytes())?;
    }
    if a.ptr(1) != 0 {
        // struct timezone: minutes west and DST flag, both zero (UTC).
        ctx.mem.write(a.ptr(1), &[0u8; 8])?;
    }
    Ok(0)
}

pub fn time(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let secs = ctx.kernel.host.realtime().as_secs() as i64;
    if a.ptr(0) != 0 {
        ctx.mem.write_u64(a.ptr(0), secs as u64)?;
    }
    Ok(secs)
}

/// Sleeps `d`; a signal ends it early (EINTR), and then the time left is
/// written at `rem` unless that is NULL. Made again by the runtime (no
/// handler of this thread ran), it sleeps only what was left.
fn sleep_relative(ctx: &mut Ctx, d: Duration, rem: u64) -> KResult<()> {
    let host = ctx.kernel.host.clone();
    let deadline = match ctx.restart {
        Some(Restart::Until(at)) => at,
        _ => host.monotonic() + d,
    };
    match host.sleep(deadline.saturating_sub(host.monotonic())) {
        Err(Errno::EINTR) => {
            ctx.restart = Some(Restart::Until(deadline));
            if rem != 0 {
                let left = deadline.saturating_sub(host.monotonic());
                ctx.mem.write(rem, &to_ts(left).to_bytes())?;
            }
            Err(Errno::EINTR)
        }
        slept => slept,
    }
}

pub fn nanosleep(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let ts = read_timespec(ctx, a.ptr(0))?;
    sleep_relative(ctx, Duration::new(ts.sec as u64, ts.nsec as u32), a.ptr(1))?;
    Ok(0)
}

pub fn clock_nanosleep(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let clock = a.int(0);
    let now = clock_now(ctx, clock)?;
    if clock as u32 == CLOCK_THREAD_CPUTIME_ID {
        return Err(Errno::EINVAL);
    }
    let ts = read_timespec(ctx, a.ptr(2))?;
    let target = Duration::new(ts.sec as u64, ts.nsec as u32);
    if a.uint(1) & TIMER_ABSTIME != 0 {
        // Made again after a stop, it still ends at `target`.
        ctx.kernel.host.sleep(target.saturating_sub(now))?;
    } else {
        sleep_relative(ctx, target, a.ptr(3))?;
    }
    Ok(0)
}

const ITIMER_REAL: i32 = 0;

fn timeval_duration(b: &[u8]) -> KResult<Duration> {
    let sec = i64::from_le_bytes(b[0..8].try_into().map_err(|_| Errno::EFAULT)?);
    let usec = i64::from_le_bytes(b[8..16].try_into().map_err(|_| Errno::EFAULT)?);
    if sec < 0 || !(0..1_000_000).contains(&usec) {
        return Err(Errno::EINVAL);
    }
    Ok(Duration::new(sec as u64, usec as u32 * 1000))
}

/// `struct itimerval` on wasm32: interval then value, each an i64 pair.
fn itimerval_bytes(left: Duration, interval: Duration) -> [u8; 32] {
    let tv = |d: Duration| Timeval {
        sec: d.as_secs() as i64,
        usec: d.subsec_micros() as i64,
    };
    let mut b = [0u8; 32];
    b[0..16].copy_from_slice(&tv(interval).to_bytes());
    b[16..32].copy_from_slice(&tv(left).to_bytes());
    b
}

pub fn getitimer(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.int(0) != ITIMER_REAL {
        return Err(Errno::EINVAL);
    }
    let (left, interval) = ctx.cage.real_timer.get();
    ctx.mem.write(a.ptr(1), &itimerval_bytes(left, interval))?;
    Ok(0)
}

pub fn setitimer(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.int(0) != ITIMER_REAL {
        return Err(Errno::EINVAL);
    }
    let (value, interval) = if a.ptr(1) != 0 {
        let b = ctx.mem.read_vec(a.ptr(1), 32)?;
        (timeval_duration(&b[16..32])?, timeval_duration(&b[0..16])?)
    } else {
        (Duration::ZERO, Duration::ZERO)
    };
    let (left, old_interval) = ctx.cage.real_timer.set(ctx.cage, value, interval);
    if a.ptr(2) != 0 {
        ctx.mem
            .write(a.ptr(2), &itimerval_bytes(left, old_interval))?;
    }
    Ok(0)
}

/// alarm(2): seconds left on the previous alarm, rounded as Linux does.
pub fn alarm(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (left, _) = ctx.cage.real_timer.set(
        ctx.cage,
        Duration::from_secs(a.uint(0) as u64),
        Duration::ZERO,
    );
    let secs = left.as_secs() + u64::from(left.subsec_micros() >= 500_000);
    Ok(if left.is_zero() {
        0
    } else {
        secs.max(1) as i64
    })
}

/// `struct itimerspec`: interval, then value, each a timespec.
/// A guest `struct itimerspec` as (interval, value): EINVAL for a negative
/// time or nanoseconds out of range (timer_settime, timerfd_settime).
pub(super) fn read_itimerspec(ctx: &mut Ctx, addr: u64) -> KResult<(Duration, Duration)> {
    let b = ctx.mem.read_vec(addr, 32)?;
    let ts = |o: usize| {
        let ts = Timespec::from_bytes(b[o..o + 16].try_into().map_err(|_| Errno::EFAULT)?);
        if ts.sec < 0 || !(0..1_000_000_000).contains(&ts.nsec) {
            return Err(Errno::EINVAL);
        }
        Ok(Duration::new(ts.sec as u64, ts.nsec as u32))
    };
    Ok((ts(0)?, ts(16)?))
}

pub(super) fn itimerspec_bytes(left: Duration, interval: Duration) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[0..16].copy_from_slice(&to_ts(interval).to_bytes());
    b[16..32].copy_from_slice(&to_ts(left).to_bytes());
    b
}

fn timer(ctx: &Ctx, id: i32) -> KResult<std::sync::Arc<crate::itimer::Timer>> {
    let timers = ctx.cage.timers.lock();
    usize::try_from(id)
        .ok()
        .and_then(|i| timers.get(i).cloned().flatten())
        .ok_or(Errno::EINVAL)
}

/// Most POSIX timers one cage may have (Linux bounds them by
/// RLIMIT_SIGPENDING); timer_create fails with EAGAIN beyond.
const MAX_TIMERS: usize = 1024;

/// timer_create(clock, sigevent, id): SIGEV_SIGNAL, SIGEV_NONE and
/// SIGEV_THREAD_ID (to one thread of the cage; musl's SIGEV_THREAD timers
/// are built on it) on the real-time and monotonic clocks.
pub fn timer_create(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    use lind_abi::layout::sigevent as sev;
    let clock = a.int(0) as u32;
    if !matches!(clock, CLOCK_REALTIME | CLOCK_MONOTONIC | CLOCK_BOOTTIME) {
        return Err(Errno::EINVAL);
    }
    let id = {
        let timers = ctx.cage.timers.lock();
        timers
            .iter()
            .position(Option::is_none)
            .unwrap_or(timers.len())
    };
    let mut thread = None;
    let signal = if a.ptr(1) == 0 {
        Some((SIGALRM, id as i32))
    } else {
        // musl passes the kernel's 16-byte sigevent head.
        let b = ctx.mem.read_vec(a.ptr(1), 16)?;
        let word = |o: usize| i32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        match word(sev::NOTIFY) as u32 {
            SIGEV_NONE => None,
            notify @ (SIGEV_SIGNAL | SIGEV_THREAD_ID) => {
                let signo = word(sev::SIGNO);
                if signo <= 0 || signo as u32 >= NSIG {
                    return Err(Errno::EINVAL);
                }
                if notify == SIGEV_THREAD_ID {
                    let tid = word(sev::TID);
                    if !ctx.cage.threads.lock().live.contains_key(&tid) {
                        return Err(Errno::EINVAL);
                    }
                    thread = Some(tid);
                }
                Some((signo as u32, word(sev::VALUE)))
            }
            _ => return Err(Errno::EINVAL),
        }
    };
    if id >= MAX_TIMERS {
        return Err(Errno::EAGAIN);
    }
    let info = signal.map(|(signo, value)| crate::signal::SigInfo {
        signo,
        code: SI_TIMER,
        pid: id as i32,
        uid: 0,
        value,
    });
    ctx.mem.write_u32(a.ptr(2), id as u32)?;
    let mut timers = ctx.cage.timers.lock();
    if id == timers.len() {
        timers.push(None);
    }
    timers[id] = Some(crate::itimer::Timer::to_thread(info, clock, thread));
    Ok(0)
}

/// timer_settime(id, flags, new, old): TIMER_ABSTIME is against the
/// clock the timer was made on (realtime or monotonic), read once: a
/// later change of the realtime clock does not move the expiry.
pub fn timer_settime(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let t = timer(ctx, a.int(0))?;
    let (interval, mut value) = read_itimerspec(ctx, a.ptr(2))?;
    if a.uint(1) & TIMER_ABSTIME != 0 && !value.is_zero() {
        // An absolute time already past fires at once.
        let now = clock_now(ctx, t.clock as i32)?;
        value = value.saturating_sub(now).max(Duration::from_nanos(1));
    }
    let (left, old_interval) = t.set(ctx.cage, value, interval);
    if a.ptr(3) != 0 {
        ctx.mem
            .write(a.ptr(3), &itimerspec_bytes(left, old_interval))?;
    }
    Ok(0)
}

pub fn timer_gettime(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (left, interval) = timer(ctx, a.int(0))?.get();
    ctx.mem.write(a.ptr(1), &itimerspec_bytes(left, interval))?;
    Ok(0)
}

pub fn timer_getoverrun(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    Ok(timer(ctx, a.int(0))?.overrun() as i64)
}

pub fn timer_delete(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let t = timer(ctx, a.int(0))?;
    t.disarm();
    ctx.cage.timers.lock()[a.int(0) as usize] = None;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use crate::testing::TestEnv;
    use lind_abi::{flags::*, nr, Errno};

    /// The kernel's sigevent head: value, signo, notify, tid.
    fn sigevent(t: &mut TestEnv, signo: u32, notify: u32, tid: i32) -> u64 {
        let mut b = [0u8; 16];
        b[0..4].copy_from_slice(&77i32.to_le_bytes());
        b[4..8].copy_from_slice(&signo.to_le_bytes());
        b[8..12].copy_from_slice(&notify.to_le_bytes());
        b[12..16].copy_from_slice(&tid.to_le_bytes());
        t.put(&b)
    }

    #[test]
    fn sigev_thread_id_timer_signals_only_that_thread() {
        let mut t = TestEnv::new();
        let tid = t.kernel.new_thread(&t.cage, 0).unwrap();
        let id_at = t.alloc(4);
        let bad = sigevent(&mut t, SIGUSR1, SIGEV_THREAD_ID, 999_999);
        assert_eq!(
            t.call(nr::TIMER_CREATE, &[CLOCK_MONOTONIC as u64, bad, id_at]),
            -(Errno::EINVAL as i64)
        );
        let good = sigevent(&mut t, SIGUSR1, SIGEV_THREAD_ID, tid);
        assert_eq!(
            t.call(nr::TIMER_CREATE, &[CLOCK_MONOTONIC as u64, good, id_at]),
            0
        );
        let id = t.read_u32(id_at) as u64;
        // One shot in 1 ms.
        let mut its = [0u8; 32];
        its[24..32].copy_from_slice(&1_000_000i64.to_le_bytes());
        let its = t.put(&its);
        assert_eq!(t.call(nr::TIMER_SETTIME, &[id, 0, its, 0]), 0);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while t.cage.signals.lock().pending_for_thread(tid) & (1 << (SIGUSR1 - 1)) == 0 {
            assert!(std::time::Instant::now() < deadline, "timer never fired");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let signals = t.cage.signals.lock();
        assert_eq!(
            signals.pending & (1 << (SIGUSR1 - 1)),
            0,
            "not for the cage"
        );
    }
}
