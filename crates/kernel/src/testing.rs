//! Test helpers: a whole kernel with one cage, a fake host and a flat guest
//! memory, so any syscall can be unit-tested in a few lines:
//!
//! ```ignore
//! let mut t = TestEnv::new();
//! let path = t.cstr("/f");
//! let fd = t.call(nr::OPEN, &[path, (O_CREAT | O_RDWR) as u64, 0o644]);
//! assert!(fd >= 3);
//! assert_eq!(t.call(nr::CLOSE, &[fd as u64]), 0);
//! assert_eq!(t.call(nr::CLOSE, &[fd as u64]), err(Errno::EBADF));
//! ```
//!
//! The default tree: an in-memory root owned by the cage's user (mode
//! 0755), an in-memory `/tmp` (root's, 01777) and `/dev`; or a host
//! directory as the root with [`TestEnv::with_host_root`]. Standard streams
//! are `/dev/null`-like. Available to other crates with the `testing`
//! feature.

use crate::{
    cage::Cred,
    file::{FileLike, OpenFile},
    host::FakeHost,
    memory::{GuestMemory, VecMemory},
    syscall::{dispatch, Ctx, Outcome},
    vfs::{devfs::DevFs, memfs::MemFs, Vfs},
    Cage, Kernel, KernelConfig,
};
use lind_abi::{flags::*, Errno};
use std::sync::Arc;

/// Size of the flat guest memory a [`TestEnv`] starts with.
pub const MEM_SIZE: usize = 1 << 20;
/// Where [`TestEnv::alloc`] starts handing out scratch memory.
pub const SCRATCH_BASE: u64 = 0x10000;

/// User and group a [`TestEnv`] cage runs as unless told otherwise.
pub const TEST_UID: u32 = 1000;
pub const TEST_GID: u32 = 1000;

/// A kernel, one cage and its memory.
pub struct TestEnv {
    pub host: Arc<FakeHost>,
    pub kernel: Arc<Kernel>,
    pub cage: Arc<Cage>,
    pub mem: VecMemory,
    next: u64,
}

/// The value a syscall returns for `e`: `-errno`.
pub fn err(e: Errno) -> i64 {
    -(e as i64)
}

/// The standard test tree: memfs root owned by `owner`, memfs `/tmp`, `/dev`.
pub fn test_vfs(host: Arc<FakeHost>, owner: &Cred) -> Vfs {
    let mut vfs = Vfs::new();
    vfs.mount(
        b"/",
        Arc::new(MemFs::new(host.clone(), owner.euid, owner.egid, 0o755)),
    );
    vfs.mount(
        b"/tmp",
        Arc::new(MemFs::new(host.clone(), 0, 0, 0o1777).mounted_at(b"/tmp")),
    );
    vfs.mount(
        b"/dev/shm",
        Arc::new(MemFs::new(host.clone(), 0, 0, 0o1777).mounted_at(b"/dev/shm")),
    );
    vfs.mount(b"/dev", Arc::new(DevFs::new(host, false)));
    vfs
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// The standard tree, run as an ordinary user ([`TEST_UID`]).
    pub fn new() -> Self {
        Self::with_cred(Cred::new(TEST_UID, TEST_GID))
    }

    /// The standard tree, run as `cred` (the root dir is owned by it).
    pub fn with_cred(cred: Cred) -> Self {
        let host = Arc::new(FakeHost::new());
        let vfs = test_vfs(host.clone(), &cred);
        Self::with_vfs(host, vfs, cred)
    }

    /// Any mount table (a hostfs over a temp dir, say).
    pub fn with_vfs(host: Arc<FakeHost>, vfs: Vfs, cred: Cred) -> Self {
        let kernel = Kernel::new(vfs, host.clone(), KernelConfig::default());
        let stdio = [
            OpenFile::new(null(), O_RDONLY, None),
            OpenFile::new(null(), O_WRONLY, None),
            OpenFile::new(null(), O_WRONLY, None),
        ];
        let cage = kernel.spawn_init(vec![b"test".to_vec()], Vec::new(), cred, stdio);
        TestEnv {
            host,
            kernel,
            cage,
            mem: VecMemory::new(MEM_SIZE),
            next: SCRATCH_BASE,
        }
    }

    /// A host directory as `/` (plus the in-memory `/tmp` and `/dev` of
    /// [`crate::vfs::standard_vfs`]), run as the user running the tests.
    pub fn with_host_root(root: &std::path::Path) -> Self {
        let dir = cap_std::fs::Dir::open_ambient_dir(root, cap_std::ambient_authority())
            .expect("cannot open the test root");
        let host = Arc::new(FakeHost::new());
        let vfs = crate::vfs::standard_vfs(dir, Vec::new(), host.clone(), false);
        Self::with_vfs(host, vfs, Cred::from_host())
    }

    /// Reserves `len` bytes of zeroed scratch guest memory (8-aligned).
    pub fn alloc(&mut self, len: usize) -> u64 {
        let addr = self.next;
        self.next = (addr + len as u64 + 7) & !7;
        if self.next > self.mem.size() {
            let new = self.next.next_power_of_two();
            self.mem.grow_to(new).expect("test memory limit");
        }
        self.mem.zero(addr, len as u64).expect("scratch memory");
        addr
    }

    /// Copies `data` into scratch guest memory and returns its address.
    pub fn put(&mut self, data: &[u8]) -> u64 {
        let addr = self.alloc(data.len().max(1));
        self.mem.write(addr, data).expect("scratch memory");
        addr
    }

    /// A NUL-terminated copy of `s` in guest memory.
    pub fn cstr(&mut self, s: impl AsRef<[u8]>) -> u64 {
        let mut v = s.as_ref().to_vec();
        v.push(0);
        self.put(&v)
    }

    /// Reads `len` bytes of guest memory.
    pub fn read(&self, addr: u64, len: usize) -> Vec<u8> {
        let mut v = vec![0u8; len];
        self.mem.read(addr, &mut v).expect("guest read");
        v
    }

    pub fn read_u32(&self, addr: u64) -> u32 {
        u32::from_le_bytes(self.read(addr, 4).try_into().unwrap())
    }

    pub fn read_u64(&self, addr: u64) -> u64 {
        u64::from_le_bytes(self.read(addr, 8).try_into().unwrap())
    }

    /// Runs syscall `nr`; missing arguments are 0.
    pub fn outcome(&mut self, nr: u32, args: &[u64]) -> Outcome {
        let mut raw = [0u64; 6];
        raw[..args.len()].copy_from_slice(args);
        let mut ctx = Ctx::new(&self.kernel, &self.cage, &mut self.mem);
        dispatch(&mut ctx, nr as u64, raw)
    }

    /// Runs syscall `nr` and returns its value (`-errno` on failure).
    /// Panics if the call does anything else (exit, fork…).
    pub fn call(&mut self, nr: u32, args: &[u64]) -> i64 {
        match self.outcome(nr, args) {
            Outcome::Return(v) => v,
            Outcome::Exit(s) => panic!("syscall {nr} ended the cage: {s:?}"),
            #[allow(unreachable_patterns)]
            _ => panic!("syscall {nr} did not return a value (use `outcome`)"),
        }
    }

    /// Opens `path` with `flags` (mode 0644 if creating) and returns the fd;
    /// panics on failure.
    pub fn open(&mut self, path: &str, flags: u32) -> i32 {
        let p = self.cstr(path);
        let fd = self.call(lind_abi::nr::OPEN, &[p, flags as u64, 0o644]);
        assert!(fd >= 0, "open({path}) = {fd}");
        fd as i32
    }

    /// Writes `data` to `fd` through the `write` syscall.
    pub fn write_fd(&mut self, fd: i32, data: &[u8]) -> i64 {
        let buf = self.put(data);
        self.call(lind_abi::nr::WRITE, &[fd as u64, buf, data.len() as u64])
    }

    /// Reads up to `len` bytes from `fd` through the `read` syscall.
    pub fn read_fd(&mut self, fd: i32, len: usize) -> Result<Vec<u8>, i64> {
        let buf = self.alloc(len);
        let n = self.call(lind_abi::nr::READ, &[fd as u64, buf, len as u64]);
        if n < 0 {
            return Err(n);
        }
        Ok(self.read(buf, n as usize))
    }

    /// Creates a file with `data` in it (through the syscalls).
    pub fn write_file(&mut self, path: &str, data: &[u8]) {
        let fd = self.open(path, O_CREAT | O_WRONLY | O_TRUNC);
        assert_eq!(self.write_fd(fd, data), data.len() as i64);
        assert_eq!(self.call(lind_abi::nr::CLOSE, &[fd as u64]), 0);
    }

    /// Reads a whole (small) file (through the syscalls).
    pub fn read_file(&mut self, path: &str) -> Vec<u8> {
        let fd = self.open(path, O_RDONLY);
        let mut out = Vec::new();
        loop {
            let chunk = self.read_fd(fd, 4096).expect("read");
            if chunk.is_empty() {
                break;
            }
            out.extend_from_slice(&chunk);
        }
        assert_eq!(self.call(lind_abi::nr::CLOSE, &[fd as u64]), 0);
        out
    }
}

/// A `/dev/null` for standard streams.
pub fn null() -> Arc<dyn FileLike> {
    crate::vfs::devfs::null_device()
}
