//! The virtual file system: a mount table over file systems.
//!
//! Paths are resolved lexically to an absolute guest path, the longest
//! matching mount is chosen, and the rest of the path is handed to that file
//! system, which must confine it (the host-directory file system does so with
//! cap-std, so `..`, absolute symlinks and symlink chains never leave it).

use crate::{
    cage::Cred,
    file::{FileLike, TimeSpec},
    KResult,
};
use lind_abi::{layout::Stat, Errno};
use std::sync::Arc;

pub mod devfs;
pub mod hostfs;
pub mod memfs;
pub mod procfs;

/// Longest path a syscall accepts, including the NUL (Linux's PATH_MAX).
pub const PATH_MAX: usize = 4096;
/// Longest single component (NAME_MAX).
pub const NAME_MAX: usize = 255;

/// A file system mounted somewhere in the cage's tree. Paths are relative to
/// its root, normalized: no `.`/`..` components, no leading or doubled `/`;
/// the empty path is its root. Defaults are Linux's errnos for file systems
/// that cannot do an operation.
///
/// Who checks permissions: the file system checks access to names (search
/// and write permission on directories, the sticky bit, open modes) with the
/// `cred` it is given; the syscall layer checks the owner rules of `chmod`,
/// `chown`, `utimensat` and `truncate` (from `stat`) before calling the
/// unchecked `chmod`/`chown`/`set_times`/`truncate` here. The host-directory
/// file system leaves name checks to the host (the lind process's identity).
pub trait FileSystem: Send + Sync {
    fn open(&self, path: &[u8], flags: u32, mode: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>>;
    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat>;
    /// access(2): by the mode bits stat reports (file systems with more
    /// to check, such as a read-only host mount, add to it).
    fn access(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        let st = self.stat(path, true)?;
        if mode & 7 != 0 && !permitted(st.mode, st.uid, st.gid, cred, mode) {
            return Err(Errno::EACCES);
        }
        Ok(())
    }
    fn mkdir(&self, _path: &[u8], _mode: u32, _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn rmdir(&self, _path: &[u8], _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn unlink(&self, _path: &[u8], _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    /// Both paths are in this file system (the VFS answers EXDEV otherwise).
    fn rename(&self, _from: &[u8], _to: &[u8], _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    /// Hard link; `from` is not followed if it is a symlink.
    fn link(&self, _from: &[u8], _to: &[u8], _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn symlink(&self, _target: &[u8], _path: &[u8], _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    /// Creates a special file: a socket (what `bind` of an AF_UNIX socket
    /// makes) or a FIFO; `mode` has the umask applied. Opening one is
    /// ENXIO here: the kernel opens FIFOs itself (see [`crate::fifo`]).
    fn mknod(&self, _path: &[u8], _mode: u32, _cred: &Cred) -> KResult<()> {
        Err(Errno::EPERM)
    }
    fn readlink(&self, _path: &[u8]) -> KResult<Vec<u8>> {
        Err(Errno::EINVAL)
    }
    fn chmod(&self, _path: &[u8], _mode: u32, _follow: bool) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn chown(
        &self,
        _path: &[u8],
        _uid: Option<u32>,
        _gid: Option<u32>,
        _follow: bool,
    ) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn set_times(
        &self,
        _path: &[u8],
        _atime: TimeSpec,
        _mtime: TimeSpec,
        _follow: bool,
    ) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn truncate(&self, _path: &[u8], _len: u64) -> KResult<()> {
        Err(Errno::EROFS)
    }
    /// statfs of the file system: Linux's magic number for its kind, its
    /// size and what is free. By default a tmpfs with nothing to count.
    fn statfs(&self) -> KResult<lind_abi::layout::StatFs> {
        Ok(memory_statfs(lind_abi::layout::TMPFS_MAGIC, 0, 0))
    }
    /// Called once when the kernel that owns the mount table is made, for
    /// file systems that show its state (`/proc`).
    fn attach_kernel(&self, _kernel: &std::sync::Weak<crate::Kernel>) {}
    /// Whether the symlink at `path` is one this file system resolves
    /// itself, with no path to follow (a `/proc/<pid>/fd/N` link to a
    /// pipe): [`Vfs::physical`] stops there instead of reading it.
    fn is_magic_link(&self, _path: &[u8]) -> bool {
        false
    }
}

/// The statfs of a file system kept in memory (tmpfs, proc, pipes…):
/// 4 KiB blocks, 255-byte names.
pub fn memory_statfs(fs_type: u64, blocks: u64, free: u64) -> lind_abi::layout::StatFs {
    lind_abi::layout::StatFs {
        fs_type,
        bsize: 4096,
        blocks,
        bfree: free,
        bavail: free,
        namelen: 255,
        frsize: 4096,
        flags: lind_abi::layout::ST_VALID,
        ..Default::default()
    }
}

/// One entry of the mount table.
#[derive(Clone)]
pub struct Mount {
    /// Absolute guest path, no trailing `/` ("" for the root mount).
    pub at: Vec<u8>,
    pub fs: Arc<dyn FileSystem>,
}

/// The mount table. Cages of one `lind run` share it.
#[derive(Clone, Default)]
pub struct Vfs {
    /// Longest mount point first, so the first match is the right one.
    mounts: Vec<Mount>,
}

impl Vfs {
    pub fn new() -> Self {
        Vfs { mounts: Vec::new() }
    }

    /// Mounts `fs` at the absolute guest path `at` (`/` for the root).
    pub fn mount(&mut self, at: &[u8], fs: Arc<dyn FileSystem>) {
        let at = normalize(b"/", at).unwrap_or_default();
        let at = if at == b"/" { Vec::new() } else { at };
        self.mounts.retain(|m| m.at != at);
        self.mounts.push(Mount { at, fs });
        self.mounts.sort_by_key(|m| std::cmp::Reverse(m.at.len()));
    }

    /// Hands the kernel to every mounted file system
    /// ([`FileSystem::attach_kernel`]).
    pub fn attach_kernel(&self, kernel: &std::sync::Weak<crate::Kernel>) {
        for m in &self.mounts {
            m.fs.attach_kernel(kernel);
        }
    }

    /// Finds the file system holding absolute normalized path `abs` and the
    /// path relative to that file system's root.
    pub fn resolve<'a>(&'a self, abs: &[u8]) -> KResult<(&'a Mount, Vec<u8>)> {
        for m in &self.mounts {
            if abs == m.at.as_slice()
                || (abs.starts_with(&m.at) && abs.get(m.at.len()) == Some(&b'/'))
            {
                let rest = &abs[m.at.len()..];
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                return Ok((m, rest.to_vec()));
            }
        }
        Err(Errno::ENOENT)
    }

    /// Resolves absolute path `path` the way a kernel walks it: symlinks in
    /// every component (the last one too) are followed across mounts, an
    /// absolute target from the cage's root, and `..` goes to the physical
    /// parent, never above `/`. Returns a path free of symlinks, `.` and
    /// `..`. A missing last component is fine (it may be about to be
    /// created); a missing directory before it is ENOENT. Costs one `lstat`
    /// per component, so it is for `chdir` and paths containing `..`, not
    /// for every lookup.
    pub fn physical(&self, path: &[u8]) -> KResult<Vec<u8>> {
        use lind_abi::flags::{S_IFDIR, S_IFLNK, S_IFMT};
        const MAX_SYMLINKS: usize = 40;
        fn comps(p: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
            p.split(|&c| c == b'/')
                .filter(|c| !c.is_empty() && *c != b".")
        }
        let join = |done: &[Vec<u8>]| -> Vec<u8> {
            if done.is_empty() {
                return b"/".to_vec();
            }
            done.iter()
                .flat_map(|c| std::iter::once(&b'/').chain(c.iter()))
                .copied()
                .collect()
        };
        // Components still to walk, next one last.
        let mut todo: Vec<Vec<u8>> = comps(path).rev().map(<[u8]>::to_vec).collect();
        let mut done: Vec<Vec<u8>> = Vec::new();
        let mut hops = 0;
        while let Some(c) = todo.pop() {
            if c == b".." {
                done.pop();
                continue;
            }
            if c.len() > NAME_MAX {
                return Err(Errno::ENAMETOOLONG);
            }
            done.push(c);
            let here = join(&done);
            if here.len() >= PATH_MAX {
                return Err(Errno::ENAMETOOLONG);
            }
            let (m, rel) = self.resolve(&here)?;
            let st = match m.fs.stat(&rel, false) {
                Ok(st) => st,
                Err(Errno::ENOENT) if todo.is_empty() => break,
                Err(e) => return Err(e),
            };
            match st.mode & S_IFMT {
                // A magic link is left to its file system: a leaf, like a file.
                S_IFLNK if !m.fs.is_magic_link(&rel) => {
                    hops += 1;
                    if hops > MAX_SYMLINKS {
                        return Err(Errno::ELOOP);
                    }
                    let target = m.fs.readlink(&rel)?;
                    if target.is_empty() {
                        return Err(Errno::ENOENT);
                    }
                    done.pop();
                    if target[0] == b'/' {
                        done.clear();
                    }
                    todo.extend(comps(&target).rev().map(<[u8]>::to_vec));
                }
                S_IFDIR => {}
                _ if !todo.is_empty() => return Err(Errno::ENOTDIR),
                _ => {}
            }
        }
        Ok(join(&done))
    }

    /// Whether `abs` is exactly a mount point (which cannot be removed or
    /// renamed).
    pub fn is_mount_point(&self, abs: &[u8]) -> bool {
        self.mounts.iter().any(|m| m.at == abs) || abs == b"/"
    }
}

/// Joins `path` onto absolute directory `base` and removes `.`, `..` and
/// repeated slashes, without touching any file system. (A known
/// simplification: `a/link/..` is `a` even where `link` is a symlink to a
/// directory elsewhere; Linux would go to that directory's parent.) `..` at the root
/// stays at the root, as in Linux. Empty paths are ENOENT; over-long ones
/// ENAMETOOLONG.
pub fn normalize(base: &[u8], path: &[u8]) -> KResult<Vec<u8>> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let mut parts: Vec<&[u8]> = Vec::new();
    let joined: Vec<u8>;
    let full: &[u8] = if path[0] == b'/' {
        path
    } else {
        joined = [base, b"/", path].concat();
        &joined
    };
    for comp in full.split(|&c| c == b'/') {
        match comp {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            c => {
                if c.len() > NAME_MAX {
                    return Err(Errno::ENAMETOOLONG);
                }
                parts.push(c)
            }
        }
    }
    let mut out = Vec::with_capacity(full.len());
    for p in &parts {
        out.push(b'/');
        out.extend_from_slice(p);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    Ok(out)
}

/// Splits a normalized relative path into (parent, last component).
pub fn split_last(rel: &[u8]) -> (&[u8], &[u8]) {
    match rel.iter().rposition(|&c| c == b'/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => (&[], rel),
    }
}

/// Whether `cred` may access an inode with `mode`/`uid`/`gid` for `want`
/// (a mix of `R_OK`, `W_OK`, `X_OK`), as Linux decides: owner, then group,
/// then other bits; root may read and write anything and execute anything
/// with an execute bit (or any directory).
pub fn permitted(mode: u32, uid: u32, gid: u32, cred: &Cred, want: u32) -> bool {
    use lind_abi::flags::{S_IFDIR, S_IFMT, X_OK};
    let want = want & 7;
    if cred.is_root() {
        return want & X_OK == 0 || mode & S_IFMT == S_IFDIR || mode & 0o111 != 0;
    }
    let bits = if cred.euid == uid {
        mode >> 6
    } else if cred.in_group(gid) {
        mode >> 3
    } else {
        mode
    } & 7;
    bits & want == want
}

/// Linux's `makedev`.
pub fn makedev(major: u32, minor: u32) -> u64 {
    let (major, minor) = (major as u64, minor as u64);
    (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & !0xff) << 12) | ((major & !0xfff) << 32)
}

/// Linux's `major` and `minor` of a device number.
pub fn dev_split(dev: u64) -> (u32, u32) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major as u32, minor as u32)
}

/// The host's wall clock as a timestamp.
pub fn now(host: &dyn crate::host::Host) -> lind_abi::layout::Timespec {
    let d = host.realtime();
    lind_abi::layout::Timespec {
        sec: d.as_secs() as i64,
        nsec: d.subsec_nanos() as i64,
    }
}

/// The tree a `lind run` cage sees: the host directory `root` at `/` (see
/// [`hostfs`]), an in-memory `/tmp` (mode 01777), an in-memory `/dev/shm`
/// (mode 01777, where musl's shm_open puts POSIX shared memory objects), `/dev` (with `/dev/tty`
/// when `stdin_is_tty`), `/proc` (see [`procfs`]), then each `(guest path, host dir, read_only)` of
/// `mounts` over them (a later mount at the same path wins).
pub fn standard_vfs(
    root: cap_std::fs::Dir,
    mounts: Vec<(Vec<u8>, cap_std::fs::Dir, bool)>,
    host: Arc<dyn crate::host::Host>,
    stdin_is_tty: bool,
) -> Vfs {
    let mut vfs = Vfs::new();
    let has_etc = root.is_dir("etc");
    vfs.mount(b"/", Arc::new(hostfs::HostFs::new(root, false)));
    if !has_etc {
        vfs.mount(b"/etc", Arc::new(etc_overlay(host.clone())));
    }
    vfs.mount(
        b"/tmp",
        Arc::new(memfs::MemFs::new(host.clone(), 0, 0, 0o1777).mounted_at(b"/tmp")),
    );
    vfs.mount(
        b"/dev/shm",
        Arc::new(memfs::MemFs::new(host.clone(), 0, 0, 0o1777).mounted_at(b"/dev/shm")),
    );
    vfs.mount(b"/dev", Arc::new(devfs::DevFs::new(host, stdin_is_tty)));
    vfs.mount(b"/proc", Arc::new(procfs::ProcFs::new()));
    for (at, dir, ro) in mounts {
        vfs.mount(&at, Arc::new(hostfs::HostFs::new(dir, ro)));
    }
    vfs
}

/// What name resolution needs when the cage's root has no `/etc`:
/// `hosts` (localhost), `services`, `protocols` and a `resolv.conf` that
/// gives up quickly (cages reach loopback only by default).
pub const ETC_FILES: &[(&str, &str)] = &[
    (
        "hosts",
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tlind\n",
    ),
    (
        "services",
        "ftp\t\t21/tcp\nssh\t\t22/tcp\ntelnet\t\t23/tcp\nsmtp\t\t25/tcp\t\tmail\n\
domain\t\t53/tcp\ndomain\t\t53/udp\nhttp\t\t80/tcp\t\twww\npop3\t\t110/tcp\n\
ntp\t\t123/udp\nimap2\t\t143/tcp\t\timap\nsnmp\t\t161/udp\nhttps\t\t443/tcp\n\
https\t\t443/udp\nsubmission\t587/tcp\nimaps\t\t993/tcp\npop3s\t\t995/tcp\n\
mysql\t\t3306/tcp\npostgresql\t5432/tcp\nhttp-alt\t8080/tcp\twebcache\n",
    ),
    (
        "protocols",
        "ip\t0\tIP\nicmp\t1\tICMP\ntcp\t6\tTCP\nudp\t17\tUDP\nipv6\t41\tIPv6\n\
ipv6-icmp\t58\tIPv6-ICMP\n",
    ),
    (
        "resolv.conf",
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    ),
];

/// An in-memory `/etc` with [`ETC_FILES`].
pub fn etc_overlay(host: Arc<dyn crate::host::Host>) -> memfs::MemFs {
    let fs = memfs::MemFs::new(host, 0, 0, 0o755).mounted_at(b"/etc");
    let root = Cred::new(0, 0);
    for (name, text) in ETC_FILES {
        if let Ok(f) = fs.open(
            name.as_bytes(),
            lind_abi::flags::O_CREAT | lind_abi::flags::O_WRONLY,
            0o644,
            &root,
        ) {
            let _ = f.pwrite(text.as_bytes(), 0);
        }
    }
    fs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical_and_clamped_at_root() {
        assert_eq!(normalize(b"/a/b", b"c").unwrap(), b"/a/b/c");
        assert_eq!(normalize(b"/a/b", b"../../../..").unwrap(), b"/");
        assert_eq!(normalize(b"/", b"/x//y/./z/..").unwrap(), b"/x/y");
        assert_eq!(normalize(b"/", b""), Err(Errno::ENOENT));
        assert_eq!(normalize(b"/", &[b'a'; 300]), Err(Errno::ENAMETOOLONG));
        assert_eq!(normalize(b"/", &vec![b'/'; 5000]), Err(Errno::ENAMETOOLONG));
    }

    #[test]
    fn physical_walk_follows_symlinks_across_mounts() {
        use crate::{host::FakeHost, vfs::memfs::MemFs};
        let host = Arc::new(FakeHost::new());
        let c = Cred::new(0, 0);
        let root = MemFs::new(host.clone(), 0, 0, 0o755);
        let tmp = MemFs::new(host, 0, 0, 0o1777).mounted_at(b"/tmp");
        root.mkdir(b"a", 0o755, &c).unwrap();
        root.mkdir(b"a/b", 0o755, &c).unwrap();
        root.symlink(b"a/b", b"ab", &c).unwrap();
        root.symlink(b"/tmp/x", b"tx", &c).unwrap();
        root.symlink(b"../../..", b"a/b/up", &c).unwrap();
        root.symlink(b"l2", b"l1", &c).unwrap();
        root.symlink(b"l1", b"l2", &c).unwrap();
        tmp.mkdir(b"x", 0o755, &c).unwrap();
        tmp.symlink(b"/a", b"x/back", &c).unwrap();
        let mut vfs = Vfs::new();
        vfs.mount(b"/", Arc::new(root.clone()));
        vfs.mount(b"/tmp", Arc::new(tmp));
        let p = |path: &[u8]| vfs.physical(path).map(|v| String::from_utf8(v).unwrap());
        assert_eq!(p(b"/ab").unwrap(), "/a/b");
        assert_eq!(p(b"/ab/..").unwrap(), "/a");
        assert_eq!(p(b"/ab/up/a").unwrap(), "/a");
        assert_eq!(p(b"/tx/back/b").unwrap(), "/a/b");
        assert_eq!(p(b"/tx/..").unwrap(), "/tmp");
        assert_eq!(p(b"/../../a/./b//").unwrap(), "/a/b");
        assert_eq!(p(b"/a/new").unwrap(), "/a/new");
        assert_eq!(p(b"/nope/x"), Err(Errno::ENOENT));
        assert_eq!(p(b"/nope/.."), Err(Errno::ENOENT));
        assert_eq!(p(b"/l1"), Err(Errno::ELOOP));
        root.open(b"f", lind_abi::flags::O_CREAT, 0o644, &c)
            .unwrap();
        assert_eq!(p(b"/f/x"), Err(Errno::ENOTDIR));
        assert_eq!(p(b"/f").unwrap(), "/f");
        assert_eq!(p(b"/").unwrap(), "/");
    }

    #[test]
    fn split_last_parts() {
        assert_eq!(split_last(b"a/b/c"), (&b"a/b"[..], &b"c"[..]));
        assert_eq!(split_last(b"c"), (&b""[..], &b"c"[..]));
    }
}
