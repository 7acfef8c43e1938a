//! Clocks and sleeping.

use super::{Args, Ctx};
use crate::{memory::GuestMemoryExt, KResult};
use lind_abi::{
    flags::*,
    layout::{Timespec, Timeval},
    Errno,
};
use std::time::Duration;

fn to_ts(d: Duration) -> Timespec {
    Timespec {
        sec: d.as_secs() as i64,
        nsec: d.subsec_nanos() as i64,
    }
}

fn clock_now(ctx: &Ctx, clock: i32) -> KResult<Duration> {
    let host = &ctx.kernel.host;
    match clock as u32 {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => Ok(host.realtime()),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => {
            Ok(host.monotonic())
        }
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => Ok(host.cpu_time()),
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

fn sleep_for(ctx: &mut Ctx, d: Duration) -> KResult<()> {
    ctx.kernel.host.sleep(d)
}

pub fn nanosleep(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let ts = read_timespec(ctx, a.ptr(0))?;
    sleep_for(ctx, Duration::new(ts.sec as u64, ts.nsec as u32))?;
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
    let d = if a.uint(1) & TIMER_ABSTIME != 0 {
        target.saturating_sub(now)
    } else {
        target
    };
    sleep_for(ctx, d)?;
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
