//! The one syscall table. A row: number, name, handler, argument kinds (for
//! `--trace`) and how complete the support is (for `lind syscalls`).

use super::{
    exec, fs, io, lock, mem, net, pipe, poll, process, shm, signal, thread, time, Args, Ctx,
};
use crate::KResult;
use lind_abi::nr;
use std::sync::OnceLock;

pub type Handler = fn(&mut Ctx, &Args) -> KResult<i64>;

/// How an argument is shown by `--trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    Fd,
    DirFd,
    Int,
    UInt,
    Hex,
    Ptr,
    Path,
    /// A buffer the guest passes in; its length is the next argument.
    InBuf,
    /// A buffer the kernel fills.
    OutBuf,
    Size,
    Off,
    OpenFlags,
    Mode,
    Signal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    Full,
    /// Works, with the stated gap.
    Partial(&'static str),
}

pub struct SyscallDef {
    pub nr: u32,
    pub name: &'static str,
    pub handler: Handler,
    pub args: &'static [Arg],
    pub support: Support,
}

macro_rules! syscall_table {
    ($( ($nr:ident, $name:literal, $handler:path, [$($arg:ident),*], $support:expr) ),* $(,)?) => {
        pub static TABLE: &[SyscallDef] = &[
            $( SyscallDef {
                nr: nr::$nr,
                name: $name,
                handler: $handler,
                args: &[$(Arg::$arg),*],
                support: $support,
            } ),*
        ];
    };
}

use Support::*;

syscall_table! {
    // Files: data.
    (READ, "read", io::read, [Fd, OutBuf, Size], Full),
    (WRITE, "write", io::write, [Fd, InBuf, Size], Full),
    (READV, "readv", io::readv, [Fd, Ptr, Int], Full),
    (WRITEV, "writev", io::writev, [Fd, Ptr, Int], Full),
    (PREAD64, "pread64", io::pread64, [Fd, OutBuf, Size, Off], Full),
    (PWRITE64, "pwrite64", io::pwrite64, [Fd, InBuf, Size, Off], Full),
    (LSEEK, "lseek", io::lseek, [Fd, Off, Int], Full),
    (CLOSE, "close", io::close, [Fd], Full),
    (STATFS, "statfs", fs::statfs, [Path, Ptr], Full),
    (FSTATFS, "fstatfs", fs::fstatfs, [Fd, Ptr], Full),
    (FALLOCATE, "fallocate", io::fallocate, [Fd, Hex, Int, Int], Partial("host files and memfds: what the host file system supports; /tmp and /dev/shm: mode 0 and FALLOC_FL_KEEP_SIZE")),
    (FADVISE64, "fadvise64", io::fadvise64, [Fd, Int, Int, Int], Full),
    (CLOSE_RANGE, "close_range", io::close_range, [UInt, UInt, Hex], Partial("CLOSE_RANGE_UNSHARE only in a single-threaded cage (threads always share the table)")),
    (DUP, "dup", io::dup, [Fd], Full),
    (DUP2, "dup2", io::dup2, [Fd, Fd], Full),
    (DUP3, "dup3", io::dup3, [Fd, Fd, OpenFlags], Full),
    (FCNTL, "fcntl", io::fcntl, [Fd, Int, Hex], Partial("F_DUPFD[_CLOEXEC], F_GETFD/SETFD, F_GETFL/SETFL, F_GETPIPE_SZ/SETPIPE_SZ, F_ADD_SEALS/F_GET_SEALS, F_GETLK/SETLK/SETLKW (between cages; not seen by host processes); F_OFD_* locks are EINVAL")),
    (FLOCK, "flock", lock::flock, [Fd, Hex], Partial("between cages; not seen by host processes")),
    (IOCTL, "ioctl", io::ioctl, [Fd, Hex, Hex], Partial("TCGETS, TIOCGWINSZ, FIONREAD, FIONBIO, FIOCLEX/FIONCLEX; others ENOTTY")),
    (FSYNC, "fsync", io::fsync, [Fd], Full),
    (FDATASYNC, "fdatasync", io::fsync, [Fd], Full),
    (FTRUNCATE, "ftruncate", io::ftruncate, [Fd, Off], Full),
    // Files: names and metadata.
    (OPEN, "open", fs::open, [Path, OpenFlags, Mode], Partial("O_TMPFILE is EOPNOTSUPP")),
    (OPENAT, "openat", fs::openat, [DirFd, Path, OpenFlags, Mode], Partial("O_TMPFILE is EOPNOTSUPP")),
    (CREAT, "creat", fs::creat, [Path, Mode], Full),
    (STAT, "stat", fs::stat, [Path, Ptr], Full),
    (FSTAT, "fstat", fs::fstat, [Fd, Ptr], Full),
    (LSTAT, "lstat", fs::lstat, [Path, Ptr], Full),
    (NEWFSTATAT, "newfstatat", fs::newfstatat, [DirFd, Path, Ptr, Hex], Full),
    (STATX, "statx", fs::statx, [DirFd, Path, Hex, Hex, Ptr], Full),
    (ACCESS, "access", fs::access, [Path, Int], Full),
    (FACCESSAT, "faccessat", fs::faccessat, [DirFd, Path, Int], Full),
    (FACCESSAT2, "faccessat2", fs::faccessat2, [DirFd, Path, Int, Hex], Full),
    (GETDENTS64, "getdents64", fs::getdents64, [Fd, OutBuf, Size], Full),
    (MKDIR, "mkdir", fs::mkdir, [Path, Mode], Full),
    (MKDIRAT, "mkdirat", fs::mkdirat, [DirFd, Path, Mode], Full),
    (MKNOD, "mknod", fs::mknod, [Path, Mode, Hex], Partial("FIFOs, sockets and regular files; device nodes are EPERM")),
    (MKNODAT, "mknodat", fs::mknodat, [DirFd, Path, Mode, Hex], Partial("FIFOs, sockets and regular files; device nodes are EPERM")),
    (RMDIR, "rmdir", fs::rmdir, [Path], Full),
    (UNLINK, "unlink", fs::unlink, [Path], Full),
    (UNLINKAT, "unlinkat", fs::unlinkat, [DirFd, Path, Hex], Full),
    (RENAME, "rename", fs::rename, [Path, Path], Full),
    (RENAMEAT, "renameat", fs::renameat, [DirFd, Path, DirFd, Path], Full),
    (RENAMEAT2, "renameat2", fs::renameat2, [DirFd, Path, DirFd, Path, Hex], Partial("flags other than 0 are EINVAL")),
    (LINK, "link", fs::link, [Path, Path], Full),
    (LINKAT, "linkat", fs::linkat, [DirFd, Path, DirFd, Path, Hex], Partial("AT_EMPTY_PATH is ENOENT (as without CAP_DAC_READ_SEARCH)")),
    (SYMLINK, "symlink", fs::symlink, [Path, Path], Full),
    (SYMLINKAT, "symlinkat", fs::symlinkat, [Path, DirFd, Path], Full),
    (READLINK, "readlink", fs::readlink, [Path, OutBuf, Size], Full),
    (READLINKAT, "readlinkat", fs::readlinkat, [DirFd, Path, OutBuf, Size], Partial("an empty path (an O_PATH symlink fd) is ENOENT")),
    (CHDIR, "chdir", fs::chdir, [Path], Full),
    (FCHDIR, "fchdir", fs::fchdir, [Fd], Full),
    (GETCWD, "getcwd", fs::getcwd, [OutBuf, Size], Full),
    (TRUNCATE, "truncate", fs::truncate, [Path, Off], Full),
    (UMASK, "umask", fs::umask, [Mode], Full),
    (CHMOD, "chmod", fs::chmod, [Path, Mode], Full),
    (FCHMOD, "fchmod", fs::fchmod, [Fd, Mode], Full),
    (FCHMODAT, "fchmodat", fs::fchmodat, [DirFd, Path, Mode], Full),
    (CHOWN, "chown", fs::chown, [Path, Int, Int], Full),
    (FCHOWN, "fchown", fs::fchown, [Fd, Int, Int], Full),
    (LCHOWN, "lchown", fs::lchown, [Path, Int, Int], Full),
    (FCHOWNAT, "fchownat", fs::fchownat, [DirFd, Path, Int, Int, Hex], Full),
    (UTIMENSAT, "utimensat", fs::utimensat, [DirFd, Path, Ptr, Hex], Full),
    // Memory.
    (BRK, "brk", mem::brk, [Hex], Full),
    (MMAP, "mmap", mem::mmap, [Hex, Size, Hex, Hex, Fd, Off], Full),
    (MUNMAP, "munmap", mem::munmap, [Hex, Size], Full),
    (MPROTECT, "mprotect", mem::mprotect, [Hex, Size, Hex], Partial("PROT_EXEC accepted and ignored")),
    (MREMAP, "mremap", mem::mremap, [Hex, Size, Size, Hex, Hex], Full),
    (MADVISE, "madvise", mem::madvise, [Hex, Size, Int], Partial("MADV_DONTNEED zeroes; other advice accepted")),
    (MSYNC, "msync", mem::msync, [Hex, Size, Hex], Full),
    (MINCORE, "mincore", mem::mincore, [Hex, Size, Ptr], Full),
    (MEMFD_CREATE, "memfd_create", shm::memfd_create, [Ptr, Hex], Partial("MFD_HUGETLB, MFD_NOEXEC_SEAL and MFD_EXEC are EINVAL; seals (MFD_ALLOW_SEALING, F_ADD_SEALS) are enforced")),
    (SHMGET, "shmget", shm::shmget, [Int, Size, Hex], Partial("permission bits recorded, not checked")),
    (SHMAT, "shmat", shm::shmat, [Int, Hex, Hex], Full),
    (SHMDT, "shmdt", shm::shmdt, [Hex], Full),
    (SHMCTL, "shmctl", shm::shmctl, [Int, Hex, Ptr], Partial("IPC_STAT, IPC_SET, IPC_RMID; no IPC_INFO/SHM_INFO/SHM_LOCK")),
    // Time.
    (CLOCK_GETTIME, "clock_gettime", time::clock_gettime, [Int, Ptr], Full),
    (CLOCK_GETRES, "clock_getres", time::clock_getres, [Int, Ptr], Full),
    (GETTIMEOFDAY, "gettimeofday", time::gettimeofday, [Ptr, Ptr], Full),
    (TIME, "time", time::time, [Ptr], Full),
    (NANOSLEEP, "nanosleep", time::nanosleep, [Ptr, Ptr], Full),
    (ALARM, "alarm", time::alarm, [UInt], Full),
    (GETITIMER, "getitimer", time::getitimer, [Int, Ptr], Partial("ITIMER_REAL only")),
    (SETITIMER, "setitimer", time::setitimer, [Int, Ptr, Ptr], Partial("ITIMER_REAL only")),
    (CLOCK_NANOSLEEP, "clock_nanosleep", time::clock_nanosleep, [Int, Hex, Ptr, Ptr], Full),
    // Process identity and limits.
    (GETPID, "getpid", process::getpid, [], Full),
    (GETPPID, "getppid", process::getppid, [], Full),
    (GETTID, "gettid", thread::gettid, [], Full),
    (GETUID, "getuid", process::getuid, [], Full),
    (GETEUID, "geteuid", process::geteuid, [], Full),
    (GETGID, "getgid", process::getgid, [], Full),
    (GETEGID, "getegid", process::getegid, [], Full),
    (GETGROUPS, "getgroups", process::getgroups, [Int, Ptr], Full),
    (GETRESUID, "getresuid", process::getresuid, [Ptr, Ptr, Ptr], Full),
    (GETRESGID, "getresgid", process::getresgid, [Ptr, Ptr, Ptr], Full),
    (SETUID, "setuid", process::setuid, [UInt], Full),
    (SETGID, "setgid", process::setgid, [UInt], Full),
    (SETREUID, "setreuid", process::setreuid, [UInt, UInt], Full),
    (SETREGID, "setregid", process::setregid, [UInt, UInt], Full),
    (SETRESUID, "setresuid", process::setresuid, [UInt, UInt, UInt], Full),
    (SETRESGID, "setresgid", process::setresgid, [UInt, UInt, UInt], Full),
    (SETGROUPS, "setgroups", process::setgroups, [UInt, Ptr], Full),
    (GETPGRP, "getpgrp", process::getpgrp, [], Full),
    (GETPGID, "getpgid", process::getpgid, [Int], Full),
    (GETSID, "getsid", process::getsid, [Int], Full),
    (SET_TID_ADDRESS, "set_tid_address", thread::set_tid_address, [Ptr], Full),
    (EXIT, "exit", thread::exit, [Int], Full),
    (SET_ROBUST_LIST, "set_robust_list", thread::set_robust_list, [Ptr, Size], Full),
    (GET_ROBUST_LIST, "get_robust_list", thread::get_robust_list, [Int, Ptr, Ptr], Full),
    (EXIT_GROUP, "exit_group", thread::exit_group, [Int], Full),
    (UNAME, "uname", process::uname, [Ptr], Full),
    (SYSINFO, "sysinfo", process::sysinfo, [Ptr], Full),
    (GETRLIMIT, "getrlimit", process::getrlimit, [Int, Ptr], Full),
    (SETRLIMIT, "setrlimit", process::setrlimit, [Int, Ptr], Full),
    (PRLIMIT64, "prlimit64", process::prlimit64, [Int, Int, Ptr, Ptr], Partial("own pid (or 0) only")),
    (GETRANDOM, "getrandom", process::getrandom, [OutBuf, Size, Hex], Full),
    (SCHED_YIELD, "sched_yield", process::sched_yield, [], Full),
    (GETPRIORITY, "getpriority", process::getpriority, [Int, Int], Full),
    (SETPRIORITY, "setpriority", process::setpriority, [Int, Int, Int], Partial("per thread; the caller's own host thread follows (never above lind's priority), other threads' values are recorded")),
    (PRCTL, "prctl", process::prctl, [Int, Hex, Hex, Hex, Hex], Partial("PR_SET/GET_NAME, PR_SET/GET_PDEATHSIG, PR_SET/GET_DUMPABLE, PR_SET/GET_NO_NEW_PRIVS; other options EINVAL")),
    (SCHED_GETAFFINITY, "sched_getaffinity", process::sched_getaffinity, [Int, UInt, Ptr], Full),
    (SCHED_SETAFFINITY, "sched_setaffinity", process::sched_setaffinity, [Int, UInt, Ptr], Partial("binds the caller's own host thread; another thread's mask is recorded, not applied")),
    (LIND_STARTUP, "lind_startup", process::lind_startup, [Ptr, Size], Full),
    // Processes.
    (FORK, "fork", process::fork, [], Full),
    // posix_spawn's fork whose child starts at libc's __lind_spawn_start(arg).
    (LIND_SPAWN, "lind_spawn", process::lind_spawn, [Ptr], Full),
    (VFORK, "vfork", process::fork, [], Partial("a fork: the parent does not wait")),
    (CLONE, "clone", process::clone, [Hex, Ptr, Ptr, Ptr, Hex], Partial("fork-like flags, or a whole thread (CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, as pthread_create); CLONE_VM without CLONE_THREAD is ENOSYS")),
    (FUTEX, "futex", thread::futex, [Ptr, Hex, UInt, Ptr, Ptr, Hex], Partial("WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET (private, or shared: keyed by mapped object and offset), LOCK_PI, LOCK_PI2, TRYLOCK_PI, UNLOCK_PI (ownership handed to the oldest waiter; no priorities to inherit); no WAKE_OP or WAIT_REQUEUE_PI")),
    (EXECVE, "execve", exec::execve, [Path, Ptr, Ptr], Full),
    (EXECVEAT, "execveat", exec::execveat, [DirFd, Path, Ptr, Ptr, Hex], Full),
    (WAIT4, "wait4", process::wait4, [Int, Ptr, Hex, Ptr], Partial("rusage: CPU time of a reaped child and its waited-for children, as user time; counters zero")),
    (WAITID, "waitid", process::waitid, [Int, Int, Ptr, Hex, Ptr], Full),
    (GETRUSAGE, "getrusage", process::getrusage, [Int, Ptr], Partial("CPU time (the cage's threads, one thread, or reaped children) reported as user time; counters zero")),
    (TIMES, "times", process::times, [Ptr], Partial("user CPU time only")),
    (SETPGID, "setpgid", process::setpgid, [Int, Int], Full),
    (SETSID, "setsid", process::setsid, [], Full),
    (PIPE, "pipe", pipe::pipe, [Ptr], Full),
    (PIPE2, "pipe2", pipe::pipe2, [Ptr, Hex], Full),
    // Multiplexing.
    (POLL, "poll", poll::poll, [Ptr, UInt, Int], Full),
    (PPOLL, "ppoll", poll::ppoll, [Ptr, UInt, Ptr, Ptr, Size], Full),
    (SELECT, "select", poll::select, [Int, Ptr, Ptr, Ptr, Ptr], Partial("the timeout is not updated with the time left")),
    (PSELECT6, "pselect6", poll::pselect6, [Int, Ptr, Ptr, Ptr, Ptr, Ptr], Partial("the timeout is not updated with the time left")),
    (EPOLL_CREATE, "epoll_create", poll::epoll_create, [Int], Full),
    (EPOLL_CREATE1, "epoll_create1", poll::epoll_create1, [Hex], Full),
    (EPOLL_CTL, "epoll_ctl", poll::epoll_ctl, [Fd, Int, Fd, Ptr], Partial("EPOLLEXCLUSIVE accepted and ignored (every waiter wakes); nested epoll loops are not detected")),
    (EPOLL_WAIT, "epoll_wait", poll::epoll_wait, [Fd, Ptr, Int, Int], Full),
    (EPOLL_PWAIT, "epoll_pwait", poll::epoll_pwait, [Fd, Ptr, Int, Int, Ptr, Size], Full),
    (EPOLL_PWAIT2, "epoll_pwait2", poll::epoll_pwait2, [Fd, Ptr, Int, Ptr, Ptr, Size], Full),
    (EVENTFD, "eventfd", poll::eventfd, [UInt], Full),
    (EVENTFD2, "eventfd2", poll::eventfd2, [UInt, Hex], Full),
    (TIMERFD_CREATE, "timerfd_create", poll::timerfd_create, [Int, Hex], Full),
    (TIMERFD_SETTIME, "timerfd_settime", poll::timerfd_settime, [Fd, Hex, Ptr, Ptr], Partial("TFD_TIMER_CANCEL_ON_SET accepted, never cancels")),
    (TIMERFD_GETTIME, "timerfd_gettime", poll::timerfd_gettime, [Fd, Ptr], Full),
    (SIGNALFD, "signalfd", poll::signalfd, [Int, Ptr, Size], Full),
    (SIGNALFD4, "signalfd4", poll::signalfd4, [Int, Ptr, Size, Hex], Full),
    // Sockets.
    (SOCKET, "socket", net::socket, [Int, Hex, Int], Partial("AF_UNIX (stream, dgram, seqpacket) in the kernel; AF_INET/AF_INET6 TCP and UDP through host sockets under the --net policy; other families EAFNOSUPPORT")),
    (SOCKETPAIR, "socketpair", net::socketpair, [Int, Hex, Int, Ptr], Partial("AF_UNIX")),
    (BIND, "bind", net::bind, [Fd, Ptr, UInt], Partial("AF_UNIX: paths (socket files in the cage's file system), abstract names, autobind")),
    (LISTEN, "listen", net::listen, [Fd, Int], Full),
    (ACCEPT, "accept", net::accept, [Fd, Ptr, Ptr], Full),
    (ACCEPT4, "accept4", net::accept4, [Fd, Ptr, Ptr, Hex], Full),
    (CONNECT, "connect", net::connect, [Fd, Ptr, UInt], Full),
    (GETSOCKNAME, "getsockname", net::getsockname, [Fd, Ptr, Ptr], Full),
    (GETPEERNAME, "getpeername", net::getpeername, [Fd, Ptr, Ptr], Full),
    (SENDTO, "sendto", net::sendto, [Fd, InBuf, Size, Hex, Ptr, UInt], Full),
    (RECVFROM, "recvfrom", net::recvfrom, [Fd, OutBuf, Size, Hex, Ptr, Ptr], Full),
    (SENDMSG, "sendmsg", net::sendmsg, [Fd, Ptr, Hex], Partial("SCM_RIGHTS and SCM_CREDENTIALS")),
    (RECVMSG, "recvmsg", net::recvmsg, [Fd, Ptr, Hex], Partial("SCM_RIGHTS and SCM_CREDENTIALS")),
    (SHUTDOWN, "shutdown", net::shutdown, [Fd, Int], Full),
    (SETSOCKOPT, "setsockopt", net::setsockopt, [Fd, Int, Int, Ptr, UInt], Partial("SOL_SOCKET (SO_RCVTIMEO/SO_SNDTIMEO applied; SO_LINGER/SO_KEEPALIVE/SO_REUSEADDR recorded without effect on AF_UNIX), IP and TCP options on host sockets")),
    (GETSOCKOPT, "getsockopt", net::getsockopt, [Fd, Int, Int, Ptr, Ptr], Partial("SOL_SOCKET: SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR, SO_ACCEPTCONN, SO_PEERCRED, SO_PASSCRED, SO_SNDBUF/SO_RCVBUF and recorded options")),
    // Signals (state only until delivery lands).
    (RT_SIGACTION, "rt_sigaction", signal::rt_sigaction, [Signal, Ptr, Ptr, Size], Partial("handlers run on the way out of the kernel, or when posted in a thread computing without syscalls; SA_SIGINFO gets si_signo/si_code/si_pid")),
    (RT_SIGPROCMASK, "rt_sigprocmask", signal::rt_sigprocmask, [Int, Ptr, Ptr, Size], Full),
    (PAUSE, "pause", signal::pause, [], Full),
    (RT_SIGSUSPEND, "rt_sigsuspend", signal::rt_sigsuspend, [Ptr, Size], Full),
    (SIGALTSTACK, "sigaltstack", signal::sigaltstack, [Ptr, Ptr], Full),
    // Where a host signal sends a thread computing without syscalls, so
    // that its handlers run (the libc's __lind_signal_entry).
    (LIND_SIGNAL_POINT, "lind_signal_point", signal::lind_signal_point, [], Full),
    (RT_SIGQUEUEINFO, "rt_sigqueueinfo", signal::rt_sigqueueinfo, [Int, Signal, Ptr], Full),
    (RT_TGSIGQUEUEINFO, "rt_tgsigqueueinfo", signal::rt_tgsigqueueinfo, [Int, Int, Signal, Ptr], Full),
    (RT_SIGTIMEDWAIT, "rt_sigtimedwait", signal::rt_sigtimedwait, [Ptr, Ptr, Ptr, Size], Full),
    (TIMER_CREATE, "timer_create", time::timer_create, [Int, Ptr, Ptr], Partial("CLOCK_REALTIME/MONOTONIC/BOOTTIME; SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID (SIGEV_THREAD in libc)")),
    (TIMER_SETTIME, "timer_settime", time::timer_settime, [Int, Int, Ptr, Ptr], Full),
    (TIMER_GETTIME, "timer_gettime", time::timer_gettime, [Int, Ptr], Full),
    (TIMER_GETOVERRUN, "timer_getoverrun", time::timer_getoverrun, [Int], Full),
    (TIMER_DELETE, "timer_delete", time::timer_delete, [Int], Full),
    (RT_SIGPENDING, "rt_sigpending", signal::rt_sigpending, [Ptr, Size], Full),
    (KILL, "kill", signal::kill, [Int, Signal], Full),
    (TKILL, "tkill", signal::tkill, [Int, Signal], Full),
    (TGKILL, "tgkill", signal::tgkill, [Int, Int, Signal], Full),
}

/// Finds the row for `nr`, by direct index.
pub fn lookup(nr: u64) -> Option<&'static SyscallDef> {
    static INDEX: OnceLock<Vec<Option<&'static SyscallDef>>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let max = TABLE.iter().map(|d| d.nr).max().unwrap_or(0) as usize;
        let mut v = vec![None; max + 1];
        for d in TABLE {
            v[d.nr as usize] = Some(d);
        }
        v
    });
    usize::try_from(nr)
        .ok()
        .and_then(|i| index.get(i).copied().flatten())
}

/// Linux's name for a number, supported or not.
pub fn linux_name(nr: u64) -> Option<&'static str> {
    nr::NAMES
        .iter()
        .find(|(n, _)| *n as u64 == nr)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates_and_names_match_linux() {
        let mut seen = std::collections::HashSet::new();
        for d in TABLE {
            assert!(seen.insert(d.nr), "{} listed twice", d.name);
            if d.nr < nr::LIND_FIRST {
                assert_eq!(linux_name(d.nr as u64), Some(d.name), "row {}", d.nr);
            }
            assert_eq!(lookup(d.nr as u64).map(|x| x.name), Some(d.name));
        }
        assert!(lookup(9999).is_none());
        assert!(lookup(u64::MAX).is_none());
    }
}
