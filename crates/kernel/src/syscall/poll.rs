//! poll, ppoll, select, pselect6, epoll_*, eventfd: thin wrappers over
//! [`crate::poll`], [`crate::epoll`] and [`crate::eventfd`].

use super::{io, Args, Ctx, Restart};
use crate::{
    cage::UNBLOCKABLE,
    epoll::{Epoll, Event},
    eventfd::EventFd,
    memory::{check_range, GuestMemoryExt},
    poll::PollEntry,
    KResult,
};
use lind_abi::{
    flags::*,
    layout::{epoll_event, pollfd, pselect6_sig, Timespec},
    Errno,
};
use std::time::{Duration, Instant};

/// The kernel's sigset size.
const SIGSET_SIZE: usize = 8;

/// select's read, write and exception sets in poll events (Linux's
/// POLLIN_SET, POLLOUT_SET, POLLEX_SET).
const IN_SET: u32 = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR;
const OUT_SET: u32 = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR;
const EX_SET: u32 = POLLPRI;

fn deadline_in(d: Duration) -> Option<Instant> {
    Some(Instant::now().checked_add(d).unwrap_or_else(far_future))
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(100 * 365 * 86400)
}

/// Runs a poll or select with `deadline`, made again by the runtime after
/// a stop as Linux does: a poll keeps its first deadline; a select waits
/// what was left when it was interrupted (the stopped time does not
/// count). epoll_wait starts over, there and here.
fn restartable(
    ctx: &mut Ctx,
    deadline: Option<Instant>,
    keep_expiry: bool,
    run: impl FnOnce(&mut Ctx, Option<Instant>) -> KResult<i64>,
) -> KResult<i64> {
    let host = ctx.kernel.host.clone();
    let deadline = match (ctx.restart, deadline) {
        (Some(Restart::Until(at)), Some(_)) => deadline_in(at.saturating_sub(host.monotonic())),
        (Some(Restart::Left(left)), Some(_)) => deadline_in(left),
        _ => deadline,
    };
    let done = run(ctx, deadline);
    if let (Err(Errno::EINTR), Some(d)) = (&done, deadline) {
        let left = d.saturating_duration_since(Instant::now());
        ctx.restart = Some(if keep_expiry {
            Restart::Until(host.monotonic() + left)
        } else {
            Restart::Left(left)
        });
    }
    done
}

/// A millisecond timeout (negative: forever).
fn ms_deadline(ms: i32) -> Option<Instant> {
    (ms >= 0)
        .then(|| deadline_in(Duration::from_millis(ms as u64)))
        .flatten()
}

/// A `struct timespec *` timeout (NULL: forever); EINVAL if malformed.
fn ts_deadline(ctx: &Ctx, addr: u64) -> KResult<Option<Instant>> {
    if addr == 0 {
        return Ok(None);
    }
    let mut b = [0u8; Timespec::SIZE];
    ctx.mem.read(addr, &mut b)?;
    let ts = Timespec::from_bytes(&b);
    if ts.sec < 0 || !(0..1_000_000_000).contains(&ts.nsec) {
        return Err(Errno::EINVAL);
    }
    Ok(deadline_in(Duration::new(ts.sec as u64, ts.nsec as u32)))
}

/// Runs `f` with the signal mask replaced by the one at `mask_addr` (if
/// any), as ppoll, pselect6 and epoll_pwait do. If `f` is interrupted, the
/// old mask comes back after the handler runs (as for sigsuspend);
/// otherwise at once.
fn with_sigmask<T>(
    ctx: &mut Ctx,
    mask_addr: u64,
    size: usize,
    f: impl FnOnce(&mut Ctx) -> KResult<T>,
) -> KResult<T> {
    if mask_addr == 0 {
        return f(ctx);
    }
    if size != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let new = ctx.mem.read_u64(mask_addr)? & !UNBLOCKABLE;
    let tid = ctx.tid;
    {
        let mut s = ctx.cage.signals.lock();
        let old = s.mask_of(tid);
        s.suspend_masks.insert(tid, old);
        s.set_mask_of(tid, new);
    }
    ctx.cage.check_pending();
    let r = f(ctx);
    if r.as_ref().err() != Some(&Errno::EINTR) || !ctx.cage.handler_pending_for(tid) {
        let mut s = ctx.cage.signals.lock();
        if let Some(old) = s.suspend_masks.remove(&tid) {
            s.set_mask_of(tid, old);
        }
    }
    r
}

fn do_poll(ctx: &mut Ctx, fds: u64, nfds: usize, deadline: Option<Instant>) -> KResult<i64> {
    if nfds as u64 > ctx.cage.rlimit(RLIMIT_NOFILE).0 {
        return Err(Errno::EINVAL);
    }
    let raw = ctx.mem.read_vec(fds, nfds * pollfd::SIZE)?;
    let entries: Vec<PollEntry> = {
        let table = ctx.cage.fds.lock();
        raw.chunks_exact(pollfd::SIZE)
            .map(|c| {
                let fd = i32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                let events = u16::from_le_bytes([c[4], c[5]]) as u32;
                PollEntry {
                    file: table.get(fd).ok(),
                    events,
                    skip: fd < 0,
                }
            })
            .collect()
    };
    let revents = crate::poll::poll(&entries, deadline)?;
    let mut out = raw;
    let mut n = 0;
    for (c, r) in out.chunks_exact_mut(pollfd::SIZE).zip(&revents) {
        c[pollfd::REVENTS..pollfd::REVENTS + 2].copy_from_slice(&(*r as u16).to_le_bytes());
        n += (*r != 0) as i64;
    }
    ctx.mem.write(fds, &out)?;
    Ok(n)
}

pub fn poll(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let deadline = ms_deadline(a.int(2));
    let (fds, nfds) = (a.ptr(0), a.size(1));
    restartable(ctx, deadline, true, |ctx, deadline| {
        do_poll(ctx, fds, nfds, deadline)
    })
}

pub fn ppoll(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let deadline = ts_deadline(ctx, a.ptr(2))?;
    let (fds, nfds) = (a.ptr(0), a.size(1));
    with_sigmask(ctx, a.ptr(3), a.size(4), |ctx| {
        restartable(ctx, deadline, true, |ctx, deadline| {
            do_poll(ctx, fds, nfds, deadline)
        })
    })
}

/// The three sets of a select: `(addr, bits)` each, read from the guest.
fn do_select(ctx: &mut Ctx, n: i32, sets: [u64; 3], deadline: Option<Instant>) -> KResult<i64> {
    if n < 0 {
        return Err(Errno::EINVAL);
    }
    let n = (n as usize).min(ctx.cage.rlimit(RLIMIT_NOFILE).0 as usize);
    // Whole 32-bit words, as the guest's fd_set is made of them.
    let bytes = n.div_ceil(32) * 4;
    let mut bits: [Vec<u8>; 3] = Default::default();
    for (i, &addr) in sets.iter().enumerate() {
        if addr != 0 {
            bits[i] = ctx.mem.read_vec(addr, bytes)?;
        }
    }
    let is_set = |v: &Vec<u8>, fd: usize| v.get(fd / 8).is_some_and(|b| b & (1 << (fd % 8)) != 0);
    let mut fds = Vec::new();
    let mut entries = Vec::new();
    {
        let table = ctx.cage.fds.lock();
        for fd in 0..n {
            let want = [IN_SET, OUT_SET, EX_SET]
                .iter()
                .enumerate()
                .filter(|(i, _)| is_set(&bits[*i], fd))
                .fold(0, |acc, (_, m)| acc | m);
            if want == 0 {
                continue;
            }
            let file = table.get(fd as i32)?;
            fds.push(fd);
            entries.push(PollEntry {
                file: Some(file),
                events: want,
                skip: false,
            });
        }
    }
    let revents = crate::poll::poll(&entries, deadline)?;
    let mut out: [Vec<u8>; 3] = [vec![0; bytes], vec![0; bytes], vec![0; bytes]];
    let mut count = 0;
    for (&fd, &r) in fds.iter().zip(&revents) {
        for (i, m) in [IN_SET, OUT_SET, EX_SET].iter().enumerate() {
            if is_set(&bits[i], fd) && r & m != 0 {
                out[i][fd / 8] |= 1 << (fd % 8);
                count += 1;
            }
        }
    }
    for (i, &addr) in sets.iter().enumerate() {
        if addr != 0 {
            ctx.mem.write(addr, &out[i])?;
        }
    }
    Ok(count)
}

pub fn select(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let tv = a.ptr(4);
    let deadline = if tv == 0 {
        None
    } else {
        let sec = ctx.mem.read_u64(tv)? as i64;
        let usec = ctx.mem.read_u64(tv + 8)? as i64;
        if sec < 0 || !(0..1_000_000).contains(&usec) {
            return Err(Errno::EINVAL);
        }
        deadline_in(Duration::new(sec as u64, usec as u32 * 1000))
    };
    let (n, sets) = (a.int(0), [a.ptr(1), a.ptr(2), a.ptr(3)]);
    restartable(ctx, deadline, false, |ctx, deadline| {
        do_select(ctx, n, sets, deadline)
    })
}

pub fn pselect6(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let deadline = ts_deadline(ctx, a.ptr(4))?;
    let (mask, size) = match a.ptr(5) {
        0 => (0, SIGSET_SIZE),
        p => {
            check_range(ctx.mem, p, pselect6_sig::SIZE as u64)?;
            (
                ctx.mem.read_u64(p + pselect6_sig::SS as u64)? & 0xffff_ffff,
                ctx.mem.read_u64(p + pselect6_sig::LEN as u64)? as usize,
            )
        }
    };
    let (n, sets) = (a.int(0), [a.ptr(1), a.ptr(2), a.ptr(3)]);
    with_sigmask(ctx, mask, size, |ctx| {
        restartable(ctx, deadline, false, |ctx, deadline| {
            do_select(ctx, n, sets, deadline)
        })
    })
}

// ---------------------------------------------------------------- epoll

fn new_epoll(ctx: &mut Ctx, cloexec: bool) -> KResult<i64> {
    io::install(ctx, Epoll::new(), O_RDWR, cloexec).map(i64::from)
}

pub fn epoll_create(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.int(0) <= 0 {
        return Err(Errno::EINVAL);
    }
    new_epoll(ctx, false)
}

pub fn epoll_create1(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.uint(0);
    if flags & !EPOLL_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    new_epoll(ctx, flags & EPOLL_CLOEXEC != 0)
}

pub fn epoll_ctl(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (epfd, op, fd, evp) = (a.int(0), a.uint(1), a.int(2), a.ptr(3));
    let ev = if op == EPOLL_CTL_DEL {
        Event { events: 0, data: 0 }
    } else {
        Event {
            events: ctx.mem.read_u32(evp + epoll_event::EVENTS as u64)?,
            data: ctx.mem.read_u64(evp + epoll_event::DATA as u64)?,
        }
    };
    let (epf, file) = {
        let t = ctx.cage.fds.lock();
        (t.get(epfd)?, t.get(fd)?)
    };
    // Linux's order: a target without poll, then the epoll itself.
    if file.file.poll(None).is_none() {
        return Err(Errno::EPERM);
    }
    let ep = epf.file.as_epoll().ok_or(Errno::EINVAL)?;
    if ev.events & EPOLLEXCLUSIVE != 0 && op == EPOLL_CTL_ADD {
        let allowed = EPOLLIN
            | EPOLLOUT
            | EPOLLERR
            | EPOLLHUP
            | EPOLLET
            | EPOLLEXCLUSIVE
            | EPOLLWAKEUP
            | POLLRDNORM
            | POLLWRNORM
            | POLLRDBAND
            | POLLWRBAND;
        if ev.events & !allowed != 0 {
            return Err(Errno::EINVAL);
        }
    }
    ep.ctl(op, fd, &file, &epf, ev)?;
    Ok(0)
}

fn do_epoll_wait(
    ctx: &mut Ctx,
    epfd: i32,
    out: u64,
    max: i32,
    deadline: Option<Instant>,
) -> KResult<i64> {
    if max <= 0 || max as usize > i32::MAX as usize / epoll_event::SIZE {
        return Err(Errno::EINVAL);
    }
    let max = max as usize;
    check_range(ctx.mem, out, (max * epoll_event::SIZE) as u64)?;
    let epf = io::file(ctx, epfd)?;
    let ep = epf.file.as_epoll().ok_or(Errno::EINVAL)?;
    let events = ep.wait(max, deadline)?;
    let mut buf = vec![0u8; events.len() * epoll_event::SIZE];
    for (c, e) in buf.chunks_exact_mut(epoll_event::SIZE).zip(&events) {
        c[epoll_event::EVENTS..epoll_event::EVENTS + 4].copy_from_slice(&e.events.to_le_bytes());
        c[epoll_event::DATA..epoll_event::DATA + 8].copy_from_slice(&e.data.to_le_bytes());
    }
    ctx.mem.write(out, &buf)?;
    Ok(events.len() as i64)
}

pub fn epoll_wait(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_epoll_wait(ctx, a.int(0), a.ptr(1), a.int(2), ms_deadline(a.int(3)))
}

pub fn epoll_pwait(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (epfd, out, max, deadline) = (a.int(0), a.ptr(1), a.int(2), ms_deadline(a.int(3)));
    with_sigmask(ctx, a.ptr(4), a.size(5), |ctx| {
        do_epoll_wait(ctx, epfd, out, max, deadline)
    })
}

pub fn epoll_pwait2(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let deadline = ts_deadline(ctx, a.ptr(3))?;
    let (epfd, out, max) = (a.int(0), a.ptr(1), a.int(2));
    with_sigmask(ctx, a.ptr(4), a.size(5), |ctx| {
        do_epoll_wait(ctx, epfd, out, max, deadline)
    })
}

// ---------------------------------------------------------------- eventfd

pub fn eventfd(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    io::install(ctx, EventFd::new(a.uint(0), 0), O_RDWR, false).map(i64::from)
}

pub fn eventfd2(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.uint(1);
    if flags & !(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE) != 0 {
        return Err(Errno::EINVAL);
    }
    let file = EventFd::new(a.uint(0), flags);
    io::install(
        ctx,
        file,
        O_RDWR | (flags & EFD_NONBLOCK),
        flags & EFD_CLOEXEC != 0,
    )
    .map(i64::from)
}

// ---------------------------------------------------------------- timerfd

const TFD_TIMER_ABSTIME: u32 = 1;
const TFD_TIMER_CANCEL_ON_SET: u32 = 2;
const CLOCK_REALTIME_ALARM: u32 = 8;
const CLOCK_BOOTTIME_ALARM: u32 = 9;

pub fn timerfd_create(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (clock, flags) = (a.uint(0), a.uint(1));
    let clock = match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_ALARM => CLOCK_REALTIME,
        CLOCK_MONOTONIC | CLOCK_BOOTTIME | CLOCK_BOOTTIME_ALARM => CLOCK_MONOTONIC,
        _ => return Err(Errno::EINVAL),
    };
    if flags & !(O_NONBLOCK | O_CLOEXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    let t = crate::timerfd::TimerFd::new(clock);
    io::install(
        ctx,
        t,
        O_RDWR | (flags & O_NONBLOCK),
        flags & O_CLOEXEC != 0,
    )
    .map(i64::from)
}

fn timerfd_file(ctx: &Ctx, fd: i32) -> KResult<std::sync::Arc<crate::file::OpenFile>> {
    let f = io::file(ctx, fd)?;
    if f.file.as_timerfd().is_none() {
        return Err(Errno::EINVAL);
    }
    Ok(f)
}

/// timerfd_settime(fd, flags, new, old): TFD_TIMER_ABSTIME is read
/// against the timer's clock once (a later realtime change does not move
/// it; TFD_TIMER_CANCEL_ON_SET is accepted and never fires).
pub fn timerfd_settime(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.uint(1);
    if flags & !(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) != 0 {
        return Err(Errno::EINVAL);
    }
    let f = timerfd_file(ctx, a.int(0))?;
    let t = f.file.as_timerfd().ok_or(Errno::EINVAL)?;
    let (interval, mut value) = super::time::read_itimerspec(ctx, a.ptr(2))?;
    if flags & TFD_TIMER_ABSTIME != 0 && !value.is_zero() {
        let now = super::time::clock_now(ctx, t.clock as i32)?;
        value = value.saturating_sub(now).max(Duration::from_nanos(1));
    }
    if a.ptr(3) != 0 {
        check_range(ctx.mem, a.ptr(3), 32)?;
    }
    let (left, old_interval) = t.set(value, interval);
    if a.ptr(3) != 0 {
        ctx.mem
            .write(a.ptr(3), &super::time::itimerspec_bytes(left, old_interval))?;
    }
    Ok(0)
}

pub fn timerfd_gettime(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = timerfd_file(ctx, a.int(0))?;
    let (left, interval) = f.file.as_timerfd().ok_or(Errno::EINVAL)?.get();
    ctx.mem
        .write(a.ptr(1), &super::time::itimerspec_bytes(left, interval))?;
    Ok(0)
}

// ---------------------------------------------------------------- signalfd

fn do_signalfd(ctx: &mut Ctx, a: &Args, flags: u32) -> KResult<i64> {
    if a.size(2) != SIGSET_SIZE || flags & !(O_NONBLOCK | O_CLOEXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    let mask = ctx.mem.read_u64(a.ptr(1))?;
    let fd = a.int(0);
    if fd != -1 {
        let f = io::file(ctx, fd)?;
        let s = f.file.as_signalfd().ok_or(Errno::EINVAL)?;
        s.set_mask(mask);
        return Ok(fd as i64);
    }
    let s = crate::signalfd::SignalFd::new(mask);
    io::install(
        ctx,
        s,
        O_RDWR | (flags & O_NONBLOCK),
        flags & O_CLOEXEC != 0,
    )
    .map(i64::from)
}

pub fn signalfd(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_signalfd(ctx, a, 0)
}

pub fn signalfd4(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_signalfd(ctx, a, a.uint(3))
}
