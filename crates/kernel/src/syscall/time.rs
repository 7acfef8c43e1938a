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

fn read_timespec(ctx: &Ctx, addr: u64) -> KResult<Timespec> {
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
