//! Process identity, start-up, exit, system information and limits.

use super::{Args, Ctx};
use crate::Cage;
use crate::{
    kernel::{WaitFor, WaitOptions},
    memory::GuestMemoryExt,
    signal::SigInfo,
    KResult,
};
use lind_abi::{
    flags::*,
    layout::{rlimit, sysinfo as si, utsname},
    Errno, PAGE_SIZE,
};
use std::sync::atomic::Ordering;

pub fn getpid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.pid as i64)
}
pub fn getppid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.ppid.load(Ordering::Relaxed) as i64)
}
pub fn getuid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.cred.lock().uid as i64)
}
pub fn geteuid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.cred.lock().euid as i64)
}
pub fn getgid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.cred.lock().gid as i64)
}
pub fn getegid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.cred.lock().egid as i64)
}

pub fn setuid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    ctx.cage.cred.lock().setuid(a.uint(0)).map(|()| 0)
}
pub fn setgid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    ctx.cage.cred.lock().setgid(a.uint(0)).map(|()| 0)
}
pub fn setreuid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    ctx.cage
        .cred
        .lock()
        .setreuid(a.uint(0), a.uint(1))
        .map(|()| 0)
}
pub fn setregid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    ctx.cage
        .cred
        .lock()
        .setregid(a.uint(0), a.uint(1))
        .map(|()| 0)
}
pub fn setresuid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (r, e, s) = (a.uint(0), a.uint(1), a.uint(2));
    ctx.cage.cred.lock().setresuid(r, e, s).map(|()| 0)
}
pub fn setresgid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (r, e, s) = (a.uint(0), a.uint(1), a.uint(2));
    ctx.cage.cred.lock().setresgid(r, e, s).map(|()| 0)
}

/// getresuid/getresgid: three ids into three guest words.
fn write_ids(ctx: &mut Ctx, a: &Args, ids: [u32; 3]) -> KResult<i64> {
    for (i, id) in ids.into_iter().enumerate() {
        ctx.mem.write_u32(a.ptr(i), id)?;
    }
    Ok(0)
}
pub fn getresuid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let c = ctx.cage.cred.lock().clone();
    write_ids(ctx, a, [c.uid, c.euid, c.suid])
}
pub fn getresgid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let c = ctx.cage.cred.lock().clone();
    write_ids(ctx, a, [c.gid, c.egid, c.sgid])
}

/// Linux's NGROUPS_MAX.
const NGROUPS_MAX: usize = 65536;

pub fn setgroups(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let size = a.size(0);
    if size > NGROUPS_MAX {
        return Err(Errno::EINVAL);
    }
    if !ctx.cage.cred.lock().is_root() {
        return Err(Errno::EPERM);
    }
    let bytes = if size == 0 {
        Vec::new()
    } else {
        ctx.mem.read_vec(a.ptr(1), size * 4)?
    };
    let groups = bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    ctx.cage.cred.lock().setgroups(groups).map(|()| 0)
}

const PR_SET_PDEATHSIG: u32 = 1;
const PR_GET_PDEATHSIG: u32 = 2;
const PR_GET_DUMPABLE: u32 = 3;
const PR_SET_DUMPABLE: u32 = 4;
const PR_SET_NAME: u32 = 15;
const PR_GET_NAME: u32 = 16;
const PR_SET_NO_NEW_PRIVS: u32 = 38;
const PR_GET_NO_NEW_PRIVS: u32 = 39;
/// A thread name's bytes with its NUL (Linux's TASK_COMM_LEN).
const TASK_COMM_LEN: usize = 16;

/// prctl(2): thread names, the parent-death signal, the dumpable flag and
/// no_new_privs (which lind keeps; no program gains privileges by exec
/// here anyway). Other options are EINVAL, as Linux answers unknown ones.
pub fn prctl(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (arg2, rest_zero) = (a.u64(1), a.u64(2) | a.u64(3) | a.u64(4) == 0);
    match a.uint(0) {
        PR_SET_NAME => {
            // Longer names are cut, as Linux cuts them.
            let at = a.ptr(1);
            let name = match ctx
                .mem
                .read_cstr(at, TASK_COMM_LEN - 1, Errno::ENAMETOOLONG)
            {
                Err(Errno::ENAMETOOLONG) => ctx.mem.read_vec(at, TASK_COMM_LEN - 1)?,
                r => r?,
            };
            ctx.cage.threads.lock().names.insert(ctx.tid, name);
            Ok(0)
        }
        PR_GET_NAME => {
            let mut name = ctx.cage.thread_name(ctx.tid);
            name.resize(TASK_COMM_LEN, 0);
            ctx.mem.write(a.ptr(1), &name)?;
            Ok(0)
        }
        PR_SET_PDEATHSIG => {
            if arg2 > 64 {
                return Err(Errno::EINVAL);
            }
            ctx.cage
                .parent_death_signal
                .store(arg2 as u32, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_PDEATHSIG => {
            let signo = ctx.cage.parent_death_signal.load(Ordering::Relaxed);
            ctx.mem.write_u32(a.ptr(1), signo)?;
            Ok(0)
        }
        PR_GET_DUMPABLE => Ok(ctx.cage.dumpable.load(Ordering::Relaxed) as i64),
        PR_SET_DUMPABLE => {
            if arg2 > 1 {
                return Err(Errno::EINVAL);
            }
            ctx.cage.dumpable.store(arg2 == 1, Ordering::Relaxed);
            Ok(0)
        }
        PR_SET_NO_NEW_PRIVS if arg2 == 1 && rest_zero => {
            ctx.cage.no_new_privs.store(true, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_NO_NEW_PRIVS if arg2 == 0 && rest_zero => {
            Ok(ctx.cage.no_new_privs.load(Ordering::Relaxed) as i64)
        }
        _ => Err(Errno::EINVAL),
    }
}

const PRIO_PROCESS: u32 = 0;
const PRIO_PGRP: u32 = 1;
const PRIO_USER: u32 = 2;

/// The threads a getpriority/setpriority call is about, as (cage, tid):
/// one thread (PRIO_PROCESS: the caller for 0, else any thread id), or
/// every thread of the cages of a process group or a user.
fn priority_targets(ctx: &Ctx, which: u32, who: i32) -> KResult<Vec<(std::sync::Arc<Cage>, i32)>> {
    let threads_of = |c: std::sync::Arc<Cage>| {
        let tids: Vec<i32> = c.threads.lock().live.keys().copied().collect();
        tids.into_iter().map(move |t| (c.clone(), t))
    };
    let targets: Vec<_> = match which {
        PRIO_PROCESS => vec![thread_target(ctx, who)?],
        PRIO_PGRP => {
            let group = if who == 0 {
                ctx.cage.pgid.load(Ordering::Relaxed)
            } else {
                who
            };
            let cages = ctx.kernel.all_cages();
            let members = cages
                .into_iter()
                .filter(|c| c.pgid.load(Ordering::Relaxed) == group);
            members.flat_map(threads_of).collect()
        }
        PRIO_USER => {
            let uid = if who == 0 {
                ctx.cage.cred.lock().uid
            } else {
                who as u32
            };
            let cages = ctx.kernel.all_cages();
            let owned = cages.into_iter().filter(|c| c.cred.lock().uid == uid);
            owned.flat_map(threads_of).collect()
        }
        _ => return Err(Errno::EINVAL),
    };
    if targets.is_empty() {
        return Err(Errno::ESRCH);
    }
    Ok(targets)
}

/// getpriority(2): the most favourable nice value among the targets, as
/// the kernel returns it (20 - nice; the libc turns it back).
pub fn getpriority(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let targets = priority_targets(ctx, a.uint(0), a.int(1))?;
    let best = targets
        .iter()
        .map(|(c, tid)| c.threads.lock().nice_of(*tid))
        .min()
        .unwrap_or(0);
    Ok(i64::from(20 - best))
}

/// setpriority(2): every target thread gets `nice` (clamped to -20..19).
/// Lowering a nice value takes root; another user's threads take root or
/// being their owner (EPERM). The caller's own host thread follows its
/// new value (never more favourable than lind's); other threads' values
/// are recorded for getpriority.
pub fn setpriority(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let nice = a.int(2).clamp(-20, 19);
    let targets = priority_targets(ctx, a.uint(0), a.int(1))?;
    let me = ctx.cage.cred();
    for (cage, tid) in &targets {
        let owner = cage.cred();
        if !me.is_root() && me.euid != owner.uid && me.euid != owner.euid {
            return Err(Errno::EPERM);
        }
        if nice < cage.threads.lock().nice_of(*tid) && !me.is_root() {
            return Err(Errno::EACCES);
        }
    }
    for (cage, tid) in &targets {
        let mut threads = cage.threads.lock();
        if nice == 0 {
            threads.nice.remove(tid);
        } else {
            threads.nice.insert(*tid, nice);
        }
        drop(threads);
        if *tid == ctx.tid && std::sync::Arc::ptr_eq(cage, ctx.cage) {
            ctx.kernel.host.nice_thread(nice);
        }
    }
    Ok(0)
}

/// The thread a call naming one by id is about (sched_*affinity,
/// PRIO_PROCESS): the caller (0) or any thread of any cage; ESRCH if none.
fn thread_target(ctx: &Ctx, pid: i32) -> KResult<(std::sync::Arc<Cage>, i32)> {
    match pid {
        0 => Ok((ctx.cage.clone(), ctx.tid)),
        p if p < 0 => Err(Errno::ESRCH),
        p => Ok((ctx.kernel.cage_of_tid(p).ok_or(Errno::ESRCH)?, p)),
    }
}

/// x86_64's `unsigned long`, the unit of the kernel's CPU masks.
const CPU_MASK_WORD: usize = 8;

/// sched_getaffinity: the thread's CPUs (those it narrowed to, else all
/// lind may use); returns the bytes of mask written, as Linux does.
pub fn sched_getaffinity(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (len, at) = (a.size(1), a.ptr(2));
    let (cage, tid) = thread_target(ctx, a.int(0))?;
    let all = ctx.kernel.host.allowed_cpus();
    let cpu_ids = all.last().map_or(1, |&c| c + 1);
    if len * 8 < cpu_ids || len % CPU_MASK_WORD != 0 {
        return Err(Errno::EINVAL);
    }
    let cpus = cage
        .threads
        .lock()
        .affinity
        .get(&tid)
        .cloned()
        .unwrap_or(all);
    let mut mask = vec![0u8; cpu_ids.div_ceil(64) * CPU_MASK_WORD];
    for c in cpus {
        mask[c / 8] |= 1 << (c % 8);
    }
    ctx.mem.write(at, &mask)?;
    Ok(mask.len() as i64)
}

/// sched_setaffinity: the CPUs asked for that lind may use (none: EINVAL).
/// The calling thread's host thread is bound to them; another thread's
/// mask is recorded for sched_getaffinity.
pub fn sched_setaffinity(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (len, at) = (a.size(1), a.ptr(2));
    let (cage, tid) = thread_target(ctx, a.int(0))?;
    let mask = ctx.mem.read_vec(at, len.min(1024))?;
    let cpus: Vec<usize> = ctx
        .kernel
        .host
        .allowed_cpus()
        .into_iter()
        .filter(|&c| mask.get(c / 8).is_some_and(|b| b & (1 << (c % 8)) != 0))
        .collect();
    if cpus.is_empty() {
        return Err(Errno::EINVAL);
    }
    if tid == ctx.tid && std::sync::Arc::ptr_eq(&cage, ctx.cage) {
        ctx.kernel.host.bind_thread(&cpus)?;
    }
    cage.threads.lock().affinity.insert(tid, cpus);
    Ok(0)
}

pub fn getgroups(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let groups = ctx.cage.cred.lock().groups.clone();
    let size = a.int(0);
    if size < 0 {
        return Err(Errno::EINVAL);
    }
    if size == 0 {
        return Ok(groups.len() as i64);
    }
    if (size as usize) < groups.len() {
        return Err(Errno::EINVAL);
    }
    let bytes: Vec<u8> = groups.iter().flat_map(|g| g.to_le_bytes()).collect();
    ctx.mem.write(a.ptr(1), &bytes)?;
    Ok(groups.len() as i64)
}

pub fn getpgrp(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    Ok(ctx.cage.pgid.load(Ordering::Relaxed) as i64)
}

fn target(ctx: &Ctx, pid: i32) -> KResult<std::sync::Arc<crate::Cage>> {
    if pid == 0 || pid == ctx.cage.pid {
        return Ok(ctx.cage.clone());
    }
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    ctx.kernel.cage(pid).ok_or(Errno::ESRCH)
}

pub fn getpgid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    Ok(target(ctx, a.int(0))?.pgid.load(Ordering::Relaxed) as i64)
}

pub fn getsid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    Ok(target(ctx, a.int(0))?.sid.load(Ordering::Relaxed) as i64)
}

pub fn uname(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let fields: [&[u8]; 6] = [
        b"Linux",
        ctx.kernel.config.hostname.as_bytes(),
        b"6.1.0-lind",
        b"#1 SMP Lind",
        b"wasm32",
        b"(none)",
    ];
    let mut buf = vec![0u8; utsname::SIZE];
    for (i, f) in fields.iter().enumerate() {
        let n = f.len().min(utsname::FIELD - 1);
        buf[i * utsname::FIELD..i * utsname::FIELD + n].copy_from_slice(&f[..n]);
    }
    ctx.mem.write(a.ptr(0), &buf)?;
    Ok(0)
}

pub fn sysinfo(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let mut b = vec![0u8; si::SIZE];
    let put =
        |b: &mut Vec<u8>, off: usize, v: u32| b[off..off + 4].copy_from_slice(&v.to_le_bytes());
    let (total, free) = ctx.kernel.host.memory();
    // Report memory in KiB units so sizes fit 32-bit fields.
    put(
        &mut b,
        si::UPTIME,
        ctx.kernel.host.uptime().as_secs() as u32,
    );
    put(
        &mut b,
        si::TOTALRAM,
        (total >> 10).min(u32::MAX as u64) as u32,
    );
    put(
        &mut b,
        si::FREERAM,
        (free >> 10).min(u32::MAX as u64) as u32,
    );
    b[si::PROCS..si::PROCS + 2].copy_from_slice(&1u16.to_le_bytes());
    put(&mut b, si::MEM_UNIT, 1024);
    ctx.mem.write(a.ptr(0), &b)?;
    Ok(0)
}

fn check_resource(r: u32) -> KResult<usize> {
    if r >= RLIM_NLIMITS {
        return Err(Errno::EINVAL);
    }
    Ok(r as usize)
}

fn write_rlimit(ctx: &mut Ctx, addr: u64, (soft, hard): (u64, u64)) -> KResult<()> {
    let mut b = [0u8; rlimit::SIZE];
    b[0..8].copy_from_slice(&soft.to_le_bytes());
    b[8..16].copy_from_slice(&hard.to_le_bytes());
    ctx.mem.write(addr, &b)
}

fn read_rlimit(ctx: &Ctx, addr: u64) -> KResult<(u64, u64)> {
    Ok((ctx.mem.read_u64(addr)?, ctx.mem.read_u64(addr + 8)?))
}

/// Applies a new limit: soft ≤ hard, and only root raises a hard limit.
/// Sets `target`'s limit `r` for the calling cage: raising a hard limit
/// takes root (CAP_SYS_RESOURCE).
fn set_limit(ctx: &Ctx, target: &Cage, r: usize, new: (u64, u64)) -> KResult<()> {
    if new.0 > new.1 {
        return Err(Errno::EINVAL);
    }
    let root = ctx.cage.cred.lock().is_root();
    if new.1 > target.rlimits.lock()[r].1 && !root {
        return Err(Errno::EPERM);
    }
    if r == RLIMIT_NOFILE as usize && new.1 > 1 << 20 {
        return Err(Errno::EPERM);
    }
    target.set_rlimit(r as u32, new);
    Ok(())
}

/// Linux's check_prlimit_permission: another process's limits are the
/// caller's business if it is root, or if its real, effective and saved
/// ids all match the target's real user and group ids.
fn may_prlimit(caller: &Cage, target: &Cage) -> bool {
    if std::ptr::eq(caller, target) {
        return true;
    }
    let me = caller.cred.lock().clone();
    if me.is_root() {
        return true;
    }
    let them = target.cred.lock().clone();
    [them.uid, them.euid, them.suid]
        .iter()
        .all(|&u| u == me.uid)
        && [them.gid, them.egid, them.sgid]
            .iter()
            .all(|&g| g == me.gid)
}

pub fn getrlimit(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let r = check_resource(a.uint(0))?;
    let lim = ctx.cage.rlimits.lock()[r];
    write_rlimit(ctx, a.ptr(1), lim)?;
    Ok(0)
}

pub fn setrlimit(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let r = check_resource(a.uint(0))?;
    let new = read_rlimit(ctx, a.ptr(1))?;
    set_limit(ctx, ctx.cage, r, new)?;
    Ok(0)
}

/// prlimit64 of the caller (pid 0) or of another cage, by any of its
/// thread ids.
pub fn prlimit64(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let pid = a.int(0);
    let target = match pid {
        0 => ctx.cage.clone(),
        p if p < 0 => return Err(Errno::ESRCH),
        p => ctx.kernel.cage_of_tid(p).ok_or(Errno::ESRCH)?,
    };
    if !may_prlimit(ctx.cage, &target) {
        return Err(Errno::EPERM);
    }
    let r = check_resource(a.uint(1))?;
    let new = if a.ptr(2) != 0 {
        Some(read_rlimit(ctx, a.ptr(2))?)
    } else {
        None
    };
    let old = target.rlimits.lock()[r];
    if let Some(new) = new {
        set_limit(ctx, &target, r, new)?;
    }
    if a.ptr(3) != 0 {
        write_rlimit(ctx, a.ptr(3), old)?;
    }
    Ok(0)
}

pub fn getrandom(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    if a.uint(2) & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0 {
        return Err(Errno::EINVAL);
    }
    let len = a.size(1).min(1 << 25);
    crate::memory::check_range(ctx.mem, a.ptr(0), len as u64)?;
    let mut buf = vec![0u8; len];
    ctx.kernel.host.fill_random(&mut buf);
    ctx.mem.write(a.ptr(0), &buf)?;
    Ok(len as i64)
}

pub fn sched_yield(_ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    std::thread::yield_now();
    Ok(0)
}

/// Builds the start-up block the libc's crt1 asks for: argc, argv, envp and
/// auxv as 32-bit words (Linux's initial stack layout), then the strings,
/// all placed at guest address `base`.
pub fn startup_block(ctx: &Ctx, base: u64) -> Vec<u8> {
    let cage = ctx.cage;
    let cred = cage.cred();
    let mut random = [0u8; 16];
    ctx.kernel.host.fill_random(&mut random);
    let auxv: [(u32, u32); 7] = [
        (AT_PAGESZ, PAGE_SIZE as u32),
        (AT_UID, cred.uid),
        (AT_EUID, cred.euid),
        (AT_GID, cred.gid),
        (AT_EGID, cred.egid),
        (AT_SECURE, 0),
        (AT_RANDOM, 0), // patched below once the address is known
    ];
    let args = cage.args.lock().clone();
    let words = 1 + args.argv.len() + 1 + args.envp.len() + 1 + 2 * (auxv.len() + 1);
    let mut strings_at = base + 4 * words as u64;
    let random_at = strings_at;
    strings_at += 16;
    let mut words_out: Vec<u32> = Vec::with_capacity(words);
    let mut strings: Vec<u8> = random.to_vec();
    words_out.push(args.argv.len() as u32);
    for list in [&args.argv, &args.envp] {
        for s in list.iter() {
            words_out.push((strings_at + strings.len() as u64 - 16) as u32);
            strings.extend_from_slice(s);
            strings.push(0);
        }
        words_out.push(0);
    }
    for (k, v) in auxv {
        words_out.push(k);
        words_out.push(if k == AT_RANDOM { random_at as u32 } else { v });
    }
    words_out.extend([AT_NULL, 0]);
    let mut out: Vec<u8> = words_out.iter().flat_map(|w| w.to_le_bytes()).collect();
    out.extend_from_slice(&strings);
    out
}

pub fn lind_startup(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (buf, len) = (a.ptr(0), a.size(1));
    // Size does not depend on the address, so measure at 0 first.
    let needed = startup_block(ctx, 0).len();
    if len < needed {
        return Ok(needed as i64);
    }
    let block = startup_block(ctx, buf);
    ctx.mem.write(buf, &block)?;
    Ok(ctx.cage.args.lock().argv.len() as i64)
}

/// `fork`, `vfork` and `clone` without CLONE_VM: the kernel half. The
/// runtime makes the child's memory and resumes both.
pub fn fork(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    let child = ctx.kernel.fork_from_thread(ctx.cage, ctx.tid)?;
    let pid = child.pid;
    ctx.forked = Some(child);
    Ok(pid as i64)
}

/// `lind_spawn(arg)`: the kernel half is fork's, except that the child,
/// which is about to exec, has its caught signals back at their defaults
/// already (as musl's posix_spawn child does), so a signal that reaches
/// it before the exec cannot run its parent's handler. Where the child
/// starts differs too (see [`Outcome::Spawn`](super::Outcome::Spawn)).
pub fn lind_spawn(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let arg = a.ptr(0) as u32;
    let pid = fork(ctx, a)?;
    if let Some(child) = &ctx.forked {
        child.reset_caught_signals();
    }
    ctx.spawn_arg = Some(arg);
    Ok(pid)
}

const CLONE_VM: u64 = 0x100;
const CSIGNAL: u64 = 0xff;

pub fn clone(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let flags = a.u64(0);
    if flags & CLONE_VM != 0 {
        return super::thread::clone_thread(ctx, a);
    }
    // Otherwise plain fork-like clones only.
    if flags & !CSIGNAL & !0x0120_0000 != 0 || a.ptr(1) != 0 {
        return Err(Errno::ENOSYS);
    }
    fork(ctx, a)
}

const WNOHANG: u32 = 1;
const WUNTRACED: u32 = 2;
const WCONTINUED: u32 = 8;
const WALL_FLAGS: u32 = 0x4000_0000 | 0x8000_0000 | 0x2000_0000;
/// x86_64 `struct rusage`: two timevals and fourteen longs.
const RUSAGE_SIZE: usize = 144;

pub fn wait4(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (pid, status_ptr, options, rusage) = (a.int(0), a.ptr(1), a.uint(2), a.ptr(3));
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | WALL_FLAGS) != 0 {
        return Err(Errno::EINVAL);
    }
    let which = match pid {
        -1 => WaitFor::Any,
        0 => WaitFor::Group(ctx.cage.pgid.load(Ordering::Relaxed)),
        p if p < -1 => WaitFor::Group(-p),
        p => WaitFor::Pid(p),
    };
    let how = WaitOptions {
        exited: true,
        stopped: options & WUNTRACED != 0,
        continued: options & WCONTINUED != 0,
        nohang: options & WNOHANG != 0,
        keep: false,
    };
    match ctx.kernel.wait_child(ctx.cage, which, how)? {
        None => Ok(0),
        Some(w) => {
            if status_ptr != 0 {
                ctx.mem.write_u32(status_ptr, w.event.wait_status())?;
            }
            if rusage != 0 {
                ctx.mem.write(rusage, &rusage_bytes(w.cpu))?;
            }
            Ok(w.pid as i64)
        }
    }
}

/// Linux's rules: the target is the caller or one of its children, in the
/// caller's session and not a session leader; the group joined must exist
/// in that session unless it is the target's own pid.
pub fn setpgid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (pid, pgid) = (a.int(0), a.int(1));
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    let me = ctx.cage;
    let target = if pid == 0 || pid == me.pid {
        me.clone()
    } else if pid > 0 && ctx.kernel.is_child(me.pid, pid) {
        ctx.kernel.cage(pid).ok_or(Errno::ESRCH)?
    } else {
        return Err(Errno::ESRCH);
    };
    let session = me.sid.load(Ordering::Relaxed);
    if target.sid.load(Ordering::Relaxed) != session {
        return Err(Errno::EPERM);
    }
    if target.sid.load(Ordering::Relaxed) == target.pid {
        return Err(Errno::EPERM);
    }
    let pgid = if pgid == 0 { target.pid } else { pgid };
    if pgid != target.pid {
        let exists = ctx.kernel.all_cages().iter().any(|c| {
            c.pgid.load(Ordering::Relaxed) == pgid && c.sid.load(Ordering::Relaxed) == session
        });
        if !exists {
            return Err(Errno::EPERM);
        }
    }
    target.pgid.store(pgid, Ordering::Relaxed);
    Ok(0)
}

pub fn setsid(ctx: &mut Ctx, _a: &Args) -> KResult<i64> {
    let cage = ctx.cage;
    if cage.pgid.load(Ordering::Relaxed) == cage.pid {
        return Err(Errno::EPERM);
    }
    cage.pgid.store(cage.pid, Ordering::Relaxed);
    cage.sid.store(cage.pid, Ordering::Relaxed);
    Ok(cage.pid as i64)
}

const RUSAGE_SELF: i32 = 0;
const RUSAGE_CHILDREN: i32 = -1;
const RUSAGE_THREAD: i32 = 1;

/// x86_64 `struct rusage` (the libc converts it): user and system time as
/// timevals, then fourteen counters that lind does not track (zero).
fn rusage_bytes(user: std::time::Duration) -> [u8; RUSAGE_SIZE] {
    let mut b = [0u8; RUSAGE_SIZE];
    b[0..8].copy_from_slice(&(user.as_secs() as i64).to_le_bytes());
    b[8..16].copy_from_slice(&(user.subsec_micros() as i64).to_le_bytes());
    b
}

pub fn getrusage(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let user = match a.int(0) {
        RUSAGE_SELF => ctx.kernel.cage_cpu_time(ctx.cage),
        RUSAGE_THREAD => ctx.kernel.host.thread_cpu_time(),
        RUSAGE_CHILDREN => *ctx.cage.children_cpu.lock(),
        _ => return Err(Errno::EINVAL),
    };
    ctx.mem.write(a.ptr(1), &rusage_bytes(user))?;
    Ok(0)
}

/// Clock ticks per second for `times` (Linux's USER_HZ).
const CLK_TCK: u128 = 100;

pub fn times(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let ticks = |d: std::time::Duration| (d.as_millis() * CLK_TCK / 1000) as u32;
    if a.ptr(0) != 0 {
        // struct tms on wasm32: four 32-bit clock_t.
        let mut b = [0u8; 16];
        b[0..4].copy_from_slice(&ticks(ctx.kernel.cage_cpu_time(ctx.cage)).to_le_bytes());
        b[8..12].copy_from_slice(&ticks(*ctx.cage.children_cpu.lock()).to_le_bytes());
        ctx.mem.write(a.ptr(0), &b)?;
    }
    Ok(ticks(ctx.kernel.host.uptime()) as i64 & 0x7fff_ffff)
}

const P_ALL: u32 = 0;
const P_PID: u32 = 1;
const P_PGID: u32 = 2;
const WEXITED: u32 = 4;
const WNOWAIT: u32 = 0x0100_0000;

/// waitid(2): like wait4, reporting through a siginfo_t (si_signo SIGCHLD,
/// si_code, si_pid, si_uid, si_status); WNOWAIT leaves the child waitable.
pub fn waitid(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (idtype, id, info, options) = (a.uint(0), a.int(1), a.ptr(2), a.uint(3));
    if options & !(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WALL_FLAGS) != 0
        || options & (WEXITED | WUNTRACED | WCONTINUED) == 0
    {
        return Err(Errno::EINVAL);
    }
    let which = match idtype {
        P_ALL => WaitFor::Any,
        P_PID if id > 0 => WaitFor::Pid(id),
        P_PGID if id >= 0 => WaitFor::Group(if id == 0 {
            ctx.cage.pgid.load(Ordering::Relaxed)
        } else {
            id
        }),
        _ => return Err(Errno::EINVAL),
    };
    let how = WaitOptions {
        exited: options & WEXITED != 0,
        stopped: options & WUNTRACED != 0,
        continued: options & WCONTINUED != 0,
        nohang: options & WNOHANG != 0,
        keep: options & WNOWAIT != 0,
    };
    let found = ctx.kernel.wait_child(ctx.cage, which, how)?;
    if info == 0 {
        return Ok(0);
    }
    // Nothing to report (WNOHANG): an all-zero siginfo, as Linux leaves it.
    let si = match found {
        Some(w) => {
            let (code, status) = w.event.code_and_status();
            let mut i = SigInfo::sent(SIGCHLD, code, w.pid, ctx.cage.cred.lock().uid);
            i.value = status;
            i.encode()
        }
        None => [0u8; lind_abi::layout::siginfo::SIZE],
    };
    ctx.mem.write(info, &si)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use crate::syscall::{dispatch, Ctx, Outcome};
    use crate::testing::TestEnv;
    use lind_abi::{flags::*, nr};

    #[test]
    fn nice_values_go_up_for_anyone_and_down_for_root_only() {
        let mut t = TestEnv::new();
        let prio = |t: &mut TestEnv| t.call(nr::GETPRIORITY, &[0, 0]);
        assert_eq!(prio(&mut t), 20);
        assert_eq!(t.call(nr::SETPRIORITY, &[0, 0, 7]), 0);
        assert_eq!(prio(&mut t), 13);
        assert_eq!(t.call(nr::SETPRIORITY, &[0, 0, 50]), 0);
        assert_eq!(prio(&mut t), 1);
        // The test cage is not root: lowering is EACCES, and nothing changes.
        assert_eq!(
            t.call(nr::SETPRIORITY, &[0, 0, 3]),
            crate::testing::err(lind_abi::Errno::EACCES)
        );
        assert_eq!(prio(&mut t), 1);
        assert_eq!(
            t.call(nr::GETPRIORITY, &[9, 0]),
            crate::testing::err(lind_abi::Errno::EINVAL)
        );
        assert_eq!(
            t.call(nr::GETPRIORITY, &[0, 4242]),
            crate::testing::err(lind_abi::Errno::ESRCH)
        );
        // A forked child starts with its parent's value.
        let child = t.kernel.fork(&t.cage).unwrap();
        assert_eq!(child.threads.lock().nice_of(child.pid), 19);
    }

    #[test]
    fn lind_spawn_makes_a_fork_of_the_calling_thread_that_starts_at_arg() {
        let mut t = TestEnv::new();
        let fd = t.open("/tmp/f", O_CREAT | O_RDWR);
        let tid = t.kernel.new_thread(&t.cage, 0).unwrap();
        t.cage.signals.lock().set_mask_of(tid, 1 << 16);
        {
            let mut s = t.cage.signals.lock();
            s.actions[SIGUSR1 as usize].handler = 0x1234;
            s.actions[SIGHUP as usize].handler = SIG_IGN;
        }
        let outcome = {
            let mut ctx = Ctx::for_thread(&t.kernel, &t.cage, tid, &mut t.mem);
            dispatch(
                &mut ctx,
                nr::LIND_SPAWN as u64,
                [0x1_0000_1234, 0, 0, 0, 0, 0],
            )
        };
        let Outcome::Spawn(child, arg) = outcome else {
            panic!("lind_spawn did not spawn");
        };
        // Only the low 32 bits are a wasm32 pointer.
        assert_eq!(arg, 0x1234);
        assert_ne!(child.pid, t.cage.pid);
        // One thread, with the spawning thread's mask, as fork.
        assert_eq!(child.thread_count(), 1);
        assert_eq!(child.signals.lock().mask_of(child.pid), 1 << 16);
        let mut ctx = Ctx::new(&t.kernel, &child, &mut t.mem);
        let ppid = dispatch(&mut ctx, nr::GETPPID as u64, [0; 6]);
        assert!(matches!(ppid, Outcome::Return(p) if p == t.cage.pid as i64));
        // The descriptors are copies sharing the open file: an lseek in the
        // child moves the parent's offset.
        let sought = dispatch(&mut ctx, nr::LSEEK as u64, [fd as u64, 5, 0, 0, 0, 0]);
        assert!(matches!(sought, Outcome::Return(5)));
        assert_eq!(t.call(nr::LSEEK, &[fd as u64, 0, 1]), 5);
        // Caught signals are at their defaults in the child, ignored ones
        // stay ignored; the parent keeps its handlers.
        let handler = |c: &crate::Cage, sig: u32| c.signals.lock().actions[sig as usize].handler;
        assert_eq!(handler(&child, SIGUSR1), SIG_DFL);
        assert_eq!(handler(&child, SIGHUP), SIG_IGN);
        assert_eq!(handler(&t.cage, SIGUSR1), 0x1234);
        // A plain fork still rewinds.
        assert!(matches!(t.outcome(nr::FORK, &[]), Outcome::Fork(_)));
    }
}
