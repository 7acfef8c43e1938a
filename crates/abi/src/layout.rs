//! Byte layouts of the structs that cross the syscall boundary, as the
//! wasm32 (x32-style) C headers of our musl port define them. Each type
//! knows only how it is laid out; what the values mean is the kernel's.

/// `struct timespec`: i64 seconds, 32-bit `long` nanoseconds, 4 bytes padding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}

impl Timespec {
    pub const SIZE: usize = 16;
    pub fn to_bytes(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[0..8].copy_from_slice(&self.sec.to_le_bytes());
        b[8..12].copy_from_slice(&(self.nsec as i32).to_le_bytes());
        b
    }
    pub fn from_bytes(b: &[u8; 16]) -> Self {
        Timespec {
            sec: i64::from_le_bytes(b[0..8].try_into().unwrap()),
            nsec: i32::from_le_bytes(b[8..12].try_into().unwrap()) as i64,
        }
    }
}

/// `struct timeval`: i64 seconds, i64 microseconds (`suseconds_t` is 64-bit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timeval {
    pub sec: i64,
    pub usec: i64,
}

impl Timeval {
    pub const SIZE: usize = 16;
    pub fn to_bytes(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[0..8].copy_from_slice(&self.sec.to_le_bytes());
        b[8..16].copy_from_slice(&self.usec.to_le_bytes());
        b
    }
}

/// `struct statfs`, 120 bytes, the x86_64/x32 layout (every field a
/// 64-bit word but `f_fsid`, two 32-bit ones).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatFs {
    pub fs_type: u64,
    pub bsize: u64,
    pub blocks: u64,
    pub bfree: u64,
    pub bavail: u64,
    pub files: u64,
    pub ffree: u64,
    pub fsid: [u32; 2],
    pub namelen: u64,
    pub frsize: u64,
    pub flags: u64,
}

impl StatFs {
    pub const SIZE: usize = 120;
    pub fn to_bytes(&self) -> [u8; 120] {
        let mut b = [0u8; 120];
        let words = [
            self.fs_type,
            self.bsize,
            self.blocks,
            self.bfree,
            self.bavail,
            self.files,
            self.ffree,
        ];
        for (i, w) in words.iter().enumerate() {
            b[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
        }
        b[56..60].copy_from_slice(&self.fsid[0].to_le_bytes());
        b[60..64].copy_from_slice(&self.fsid[1].to_le_bytes());
        b[64..72].copy_from_slice(&self.namelen.to_le_bytes());
        b[72..80].copy_from_slice(&self.frsize.to_le_bytes());
        b[80..88].copy_from_slice(&self.flags.to_le_bytes());
        b
    }
}

/// `f_type` values (Linux's magic numbers) of the file systems lind shows.
pub const TMPFS_MAGIC: u64 = 0x0102_1994;
pub const PROC_SUPER_MAGIC: u64 = 0x9fa0;
pub const PIPEFS_MAGIC: u64 = 0x5049_5045;
pub const SOCKFS_MAGIC: u64 = 0x534f_434b;
pub const ANON_INODE_FS_MAGIC: u64 = 0x0904_1934;
/// `f_flags`: ST_RDONLY, and ST_VALID (the flags are meaningful).
pub const ST_RDONLY: u64 = 1;
pub const ST_VALID: u64 = 0x20;

/// `struct stat`, 144 bytes, the x86_64/x32 layout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub nlink: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub rdev: u64,
    pub size: i64,
    pub blksize: i64,
    pub blocks: i64,
    pub atime: Timespec,
    pub mtime: Timespec,
    pub ctime: Timespec,
}

impl Stat {
    pub const SIZE: usize = 144;
    pub fn to_bytes(&self) -> [u8; 144] {
        let mut b = [0u8; 144];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16..24].copy_from_slice(&self.nlink.to_le_bytes());
        b[24..28].copy_from_slice(&self.mode.to_le_bytes());
        b[28..32].copy_from_slice(&self.uid.to_le_bytes());
        b[32..36].copy_from_slice(&self.gid.to_le_bytes());
        b[40..48].copy_from_slice(&self.rdev.to_le_bytes());
        b[48..56].copy_from_slice(&self.size.to_le_bytes());
        b[56..64].copy_from_slice(&self.blksize.to_le_bytes());
        b[64..72].copy_from_slice(&self.blocks.to_le_bytes());
        b[72..88].copy_from_slice(&self.atime.to_bytes());
        b[88..104].copy_from_slice(&self.mtime.to_bytes());
        b[104..120].copy_from_slice(&self.ctime.to_bytes());
        b
    }
}

/// `struct statx` (256 bytes, identical on every Linux architecture).
pub mod statx {
    pub const SIZE: usize = 256;
    pub const MASK: usize = 0;
    pub const BLKSIZE: usize = 4;
    pub const ATTRIBUTES: usize = 8;
    pub const NLINK: usize = 16;
    pub const UID: usize = 20;
    pub const GID: usize = 24;
    pub const MODE: usize = 28;
    pub const INO: usize = 32;
    pub const SIZE_FIELD: usize = 40;
    pub const BLOCKS: usize = 48;
    pub const ATTRIBUTES_MASK: usize = 56;
    pub const ATIME: usize = 64;
    pub const BTIME: usize = 80;
    pub const CTIME: usize = 96;
    pub const MTIME: usize = 112;
    pub const RDEV_MAJOR: usize = 128;
    pub const RDEV_MINOR: usize = 132;
    pub const DEV_MAJOR: usize = 136;
    pub const DEV_MINOR: usize = 140;
    /// statx timestamps are `{ i64 sec; u32 nsec; i32 pad }`.
    pub const TIMESTAMP_SIZE: usize = 16;
    pub const STATX_BASIC_STATS: u32 = 0x7ff;
}

/// `struct linux_dirent64`: d_ino u64, d_off i64, d_reclen u16, d_type u8,
/// name NUL-terminated, record padded to 8 bytes.
pub mod dirent64 {
    pub const NAME_OFFSET: usize = 19;
    pub const ALIGN: usize = 8;
}

/// `struct iovec` on wasm32: pointer and length, both 32-bit.
pub mod iovec {
    pub const SIZE: usize = 8;
}

/// `struct utsname`: six 65-byte fields.
pub mod utsname {
    pub const FIELD: usize = 65;
    pub const SIZE: usize = 65 * 6;
}

/// `struct rlimit` / `rlimit64`: two u64 (`rlim_t` is 64-bit).
pub mod rlimit {
    pub const SIZE: usize = 16;
}

/// `struct winsize`: four u16.
pub mod winsize {
    pub const SIZE: usize = 8;
}

/// `struct termios` as the kernel passes it (TCGETS): 4 u32 flags, c_line,
/// 19 control chars (36 bytes in Linux's kernel struct; musl adds speeds
/// after it, which TCGETS does not fill).
pub mod termios {
    pub const KERNEL_SIZE: usize = 36;
}

/// `struct sysinfo` on wasm32 (`long`/`unsigned long` are 32-bit).
pub mod sysinfo {
    pub const UPTIME: usize = 0;
    pub const LOADS: usize = 4;
    pub const TOTALRAM: usize = 16;
    pub const FREERAM: usize = 20;
    pub const SHAREDRAM: usize = 24;
    pub const BUFFERRAM: usize = 28;
    pub const TOTALSWAP: usize = 32;
    pub const FREESWAP: usize = 36;
    pub const PROCS: usize = 40;
    pub const TOTALHIGH: usize = 44;
    pub const FREEHIGH: usize = 48;
    pub const MEM_UNIT: usize = 52;
    pub const SIZE: usize = 64;
}

/// `struct k_sigaction` as musl passes it to rt_sigaction on wasm32:
/// handler (u32), flags (u32), restorer (u32), mask (u64; the kernel's
/// sigset is 8 bytes).
pub mod ksigaction {
    pub const HANDLER: usize = 0;
    pub const FLAGS: usize = 4;
    pub const RESTORER: usize = 8;
    pub const MASK: usize = 12;
    pub const SIZE: usize = 20;
}

/// `siginfo_t` on wasm32 (128 bytes): three ints, then a union whose first
/// words are (pid, uid) for kill and SIGCHLD, (timer id, overrun) for
/// timers, then the sigval or the child's status.
pub mod siginfo {
    pub const SIGNO: usize = 0;
    pub const ERRNO: usize = 4;
    pub const CODE: usize = 8;
    pub const PID: usize = 12;
    pub const UID: usize = 16;
    pub const STATUS: usize = 20;
    pub const SIZE: usize = 128;
}

/// `struct sigevent` on wasm32: sigval (4), signo (4), notify (4), then the
/// thread id (SIGEV_THREAD_ID) or function and attributes; 64 bytes.
pub mod sigevent {
    pub const VALUE: usize = 0;
    pub const SIGNO: usize = 4;
    pub const NOTIFY: usize = 8;
    pub const TID: usize = 12;
    pub const SIZE: usize = 64;
}

/// `stack_t` on wasm32: ss_sp, ss_flags, ss_size.
pub mod stack_t {
    pub const SP: usize = 0;
    pub const FLAGS: usize = 4;
    pub const SIZE_FIELD: usize = 8;
    pub const SIZE: usize = 12;
}

/// `struct flock` on wasm32: `short l_type; short l_whence;` (4 bytes
/// padding) `off_t l_start; off_t l_len; pid_t l_pid;` (4 bytes padding).
pub mod flock {
    pub const TYPE: usize = 0;
    pub const WHENCE: usize = 2;
    pub const START: usize = 8;
    pub const LEN: usize = 16;
    pub const PID: usize = 24;
    pub const SIZE: usize = 32;
}

/// `struct pollfd`: `int fd; short events; short revents;`.
pub mod pollfd {
    pub const FD: usize = 0;
    pub const EVENTS: usize = 4;
    pub const REVENTS: usize = 6;
    pub const SIZE: usize = 8;
}

/// `fd_set`: 1024 bits in 32-bit `long`s (bit `fd % 32` of word `fd / 32`,
/// which is the same bytes as little-endian 64-bit words).
pub mod fd_set {
    pub const SIZE: usize = 128;
    pub const FD_SETSIZE: usize = 1024;
}

/// `struct epoll_event` on wasm32: `uint32_t events;` (4 bytes padding)
/// `epoll_data_t data;` (a union holding a u64, so 8-aligned): 16 bytes.
/// musl packs it (12 bytes) only `#ifdef __x86_64__`, which wasm32 is not.
pub mod epoll_event {
    pub const EVENTS: usize = 0;
    pub const DATA: usize = 8;
    pub const SIZE: usize = 16;
}

/// The sixth argument of pselect6: `{ const sigset_t *ss; size_t ss_len; }`
/// as musl passes it, two `syscall_arg_t` (64-bit) words.
pub mod pselect6_sig {
    pub const SS: usize = 0;
    pub const LEN: usize = 8;
    pub const SIZE: usize = 16;
}

/// `struct sockaddr_un`: `sa_family_t sun_family; char sun_path[108];`.
pub mod sockaddr_un {
    pub const FAMILY: usize = 0;
    pub const PATH: usize = 2;
    pub const PATH_MAX: usize = 108;
    pub const SIZE: usize = 110;
}

/// `struct msghdr` on wasm32 (`long` is 32-bit, so no padding): name,
/// namelen, iov, iovlen, control, controllen, flags — seven 4-byte words.
pub mod msghdr {
    pub const NAME: usize = 0;
    pub const NAMELEN: usize = 4;
    pub const IOV: usize = 8;
    pub const IOVLEN: usize = 12;
    pub const CONTROL: usize = 16;
    pub const CONTROLLEN: usize = 20;
    pub const FLAGS: usize = 24;
    pub const SIZE: usize = 28;
}

/// `struct cmsghdr` on wasm32: `socklen_t cmsg_len; int cmsg_level; int
/// cmsg_type;` then data; `CMSG_ALIGN` rounds to `sizeof(size_t)` = 4.
pub mod cmsghdr {
    pub const LEN: usize = 0;
    pub const LEVEL: usize = 4;
    pub const TYPE: usize = 8;
    pub const SIZE: usize = 12;
    pub const ALIGN: usize = 4;
    pub const fn align(n: usize) -> usize {
        (n + ALIGN - 1) & !(ALIGN - 1)
    }
    /// `CMSG_SPACE(n)`.
    pub const fn space(n: usize) -> usize {
        align(n) + align(SIZE)
    }
    /// `CMSG_LEN(n)`.
    pub const fn len(n: usize) -> usize {
        align(SIZE) + n
    }
}

/// `struct ucred`: pid, uid, gid (12 bytes).
pub mod ucred {
    pub const SIZE: usize = 12;
}

/// `struct linger`: two ints.
pub mod linger {
    pub const SIZE: usize = 8;
}

/// `struct shmid_ds` on wasm32 (musl's x32-style layout, 112 bytes):
/// `struct ipc_perm` (key, uid, gid, cuid, cgid, mode, seq, two 64-bit
/// pads), then the segment's size, times, pids and attach count.
pub mod shmid_ds {
    pub const KEY: usize = 0;
    pub const UID: usize = 4;
    pub const GID: usize = 8;
    pub const CUID: usize = 12;
    pub const CGID: usize = 16;
    pub const MODE: usize = 20;
    pub const SEQ: usize = 24;
    pub const SEGSZ: usize = 48;
    pub const ATIME: usize = 56;
    pub const DTIME: usize = 64;
    pub const CTIME: usize = 72;
    pub const CPID: usize = 80;
    pub const LPID: usize = 84;
    pub const NATTCH: usize = 88;
    pub const SIZE: usize = 112;
}
