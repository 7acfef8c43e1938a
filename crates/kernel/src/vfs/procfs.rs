//! `/proc`: a minimal view of the cages, as Linux's procfs shows processes.
//!
//! * `/proc/self` — a symlink to the calling cage's pid (the cage whose
//!   thread asks, [`crate::block::current`]); ENOENT where no cage runs.
//! * `/proc/<pid>/` for every cage not yet reaped, with `cmdline`,
//!   `environ`, `stat`, `status` (Name, Umask, State, Tgid, Pid, PPid,
//!   Uid, Gid, FDSize, Groups, Threads, signal masks), `maps` (the
//!   vmmap in Linux's format: the stack, static data, `[heap]`, every
//!   mmap region), `cwd` (a symlink) and `fd/`. There is no `exe`
//!   (ENOENT).
//! * `/proc/<pid>/fd/N` — a symlink per descriptor. `readlink` gives the
//!   open file's path (physical, as Linux shows it), or `pipe:[ino]`,
//!   `socket:[ino]`, `/dev/null`, … for files without one. `open` gives a
//!   *new* open-file description: for a file with a path, by reopening
//!   that path (the file system answers EACCES and the VFS walks the link,
//!   so permissions are checked and the new description knows its path;
//!   a file unlinked since it was opened cannot be reopened, unlike
//!   Linux); for one without (a pipe, a standard stream), by sharing the
//!   same file object under a fresh offset and flags (EACCES for an
//!   access mode the original description does not have).
//!
//! `fd/`, `environ` and `cwd` of a cage with another effective uid are
//! EACCES unless the caller is root, like Linux's ptrace check. Contents
//! are made when a file is opened; everything is read-only.

use super::{dev_split, makedev, now, FileSystem};
use crate::{
    cage::Cred,
    file::{DirEntry, FileLike, OpenFile},
    mm::AreaKind,
    Cage, KResult, Kernel,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use std::sync::{Arc, OnceLock, Weak};

/// `st_dev` of everything in `/proc` (0:0x15).
fn dev() -> u64 {
    makedev(0, 0x15)
}

/// Inode numbers: fixed ones for the root and `self`, `pid << 16 | n` for
/// what is under a pid.
const ROOT_INO: u64 = 1;
const SELF_INO: u64 = 2;
const FD_LINK_BASE: u64 = 0x100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Info {
    Cmdline,
    Environ,
    Stat,
    Status,
    Maps,
    Comm,
}

impl Info {
    fn name(self) -> &'static [u8] {
        match self {
            Info::Cmdline => b"cmdline",
            Info::Environ => b"environ",
            Info::Stat => b"stat",
            Info::Status => b"status",
            Info::Maps => b"maps",
            Info::Comm => b"comm",
        }
    }
    fn ino_part(self) -> u64 {
        match self {
            Info::Cmdline => 3,
            Info::Environ => 4,
            Info::Stat => 5,
            Info::Status => 6,
            Info::Maps => 8,
            Info::Comm => 9,
        }
    }
    const ALL: [Info; 6] = [
        Info::Cmdline,
        Info::Environ,
        Info::Stat,
        Info::Status,
        Info::Maps,
        Info::Comm,
    ];
}

/// What a path names.
enum Node {
    Root,
    SelfLink(i32),
    PidDir(Arc<Cage>),
    FdDir(Arc<Cage>),
    FdLink(Arc<Cage>, i32, Arc<OpenFile>),
    CwdLink(Arc<Cage>),
    File(Arc<Cage>, Info),
}

/// A decimal number as procfs names take it (no sign, no leading zeros).
fn parse_num(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 10 || (s.len() > 1 && s[0] == b'0') {
        return None;
    }
    if !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// The `/proc` file system.
#[derive(Default)]
pub struct ProcFs {
    kernel: OnceLock<Weak<Kernel>>,
}

impl ProcFs {
    pub fn new() -> Self {
        ProcFs::default()
    }

    fn kernel(&self) -> KResult<Arc<Kernel>> {
        self.kernel
            .get()
            .and_then(Weak::upgrade)
            .ok_or(Errno::ENOENT)
    }

    /// Finds the node `path` names; `self` in the middle of a path is
    /// followed here. A symlink that must be followed to go on (`cwd/x`,
    /// `fd/3/x` to a file with a path) is EACCES, for the VFS to walk.
    fn lookup(&self, path: &[u8]) -> KResult<Node> {
        if path.is_empty() {
            return Ok(Node::Root);
        }
        let kernel = self.kernel()?;
        let comps: Vec<&[u8]> = path.split(|&c| c == b'/').collect();
        let pid = if comps[0] == b"self" {
            let me = crate::block::current().ok_or(Errno::ENOENT)?.pid;
            if comps.len() == 1 {
                return Ok(Node::SelfLink(me));
            }
            me
        } else {
            parse_num(comps[0])
                .and_then(|p| i32::try_from(p).ok())
                .ok_or(Errno::ENOENT)?
        };
        let cage = kernel.cage(pid).ok_or(Errno::ENOENT)?;
        let Some(&name) = comps.get(1) else {
            return Ok(Node::PidDir(cage));
        };
        let rest = &comps[2..];
        if matches!(name, b"fd" | b"cwd" | b"environ" | b"maps") {
            // Whoever asks (stat and readlink have no credentials of their
            // own): the calling cage.
            if let Some(me) = crate::block::current() {
                Self::may_inspect(&cage, &me.cred())?;
            }
        }
        let node = match name {
            b"fd" => match rest.first() {
                None => return Ok(Node::FdDir(cage)),
                Some(n) => {
                    let fd = parse_num(n)
                        .and_then(|f| i32::try_from(f).ok())
                        .ok_or(Errno::ENOENT)?;
                    let file = cage.fds.lock().get(fd).map_err(|_| Errno::ENOENT)?;
                    if rest.len() > 1 {
                        return Err(if file.path.is_some() {
                            Errno::EACCES
                        } else {
                            Errno::ENOTDIR
                        });
                    }
                    return Ok(Node::FdLink(cage, fd, file));
                }
            },
            b"cwd" => Node::CwdLink(cage),
            _ => match Info::ALL.iter().find(|i| i.name() == name) {
                Some(&i) => Node::File(cage, i),
                None => return Err(Errno::ENOENT),
            },
        };
        if !rest.is_empty() {
            return Err(if matches!(node, Node::CwdLink(_)) {
                Errno::EACCES
            } else {
                Errno::ENOTDIR
            });
        }
        Ok(node)
    }

    fn base_stat(&self, ino: u64, mode: u32, owner: Option<&Cage>) -> Stat {
        let (uid, gid) = owner.map_or((0, 0), |c| {
            let cred = c.cred();
            (cred.euid, cred.egid)
        });
        let t = self.kernel().map(|k| now(&*k.host)).unwrap_or_default();
        Stat {
            dev: dev(),
            ino,
            nlink: if mode & S_IFMT == S_IFDIR { 2 } else { 1 },
            mode,
            uid,
            gid,
            blksize: 1024,
            atime: t,
            mtime: t,
            ctime: t,
            ..Stat::default()
        }
    }

    /// `lstat` of a node.
    fn node_stat(&self, node: &Node) -> KResult<Stat> {
        let pid_ino = |c: &Cage, n: u64| ((c.pid as u64) << 16) | n;
        Ok(match node {
            Node::Root => self.base_stat(ROOT_INO, S_IFDIR | 0o555, None),
            Node::SelfLink(pid) => {
                let mut st = self.base_stat(SELF_INO, S_IFLNK | 0o777, None);
                st.size = pid.to_string().len() as i64;
                st
            }
            Node::PidDir(c) => self.base_stat(pid_ino(c, 1), S_IFDIR | 0o555, Some(c)),
            Node::FdDir(c) => self.base_stat(pid_ino(c, 2), S_IFDIR | 0o500, Some(c)),
            Node::CwdLink(c) => self.base_stat(pid_ino(c, 7), S_IFLNK | 0o777, Some(c)),
            Node::FdLink(c, fd, _) => {
                let mut st = self.base_stat(
                    pid_ino(c, FD_LINK_BASE + *fd as u64),
                    S_IFLNK | 0o700,
                    Some(c),
                );
                st.size = 64;
                st
            }
            Node::File(c, i) => {
                let mode = if *i == Info::Environ { 0o400 } else { 0o444 };
                self.base_stat(pid_ino(c, i.ino_part()), S_IFREG | mode, Some(c))
            }
        })
    }

    /// What `readlink` shows for a descriptor.
    pub(crate) fn describe(kernel: &Kernel, f: &OpenFile) -> Vec<u8> {
        if let Some(n) = f.file.proc_name() {
            return n;
        }
        if let Some(p) = &f.path {
            return kernel.vfs.physical(p).unwrap_or_else(|_| p.clone());
        }
        let Ok(st) = f.file.stat() else {
            return b"anon_inode:[unknown]".to_vec();
        };
        let s = match st.mode & S_IFMT {
            S_IFIFO => format!("pipe:[{}]", st.ino),
            S_IFSOCK => format!("socket:[{}]", st.ino),
            S_IFCHR => match dev_split(st.rdev) {
                (1, 3) => "/dev/null".into(),
                (1, 5) => "/dev/zero".into(),
                (1, 7) => "/dev/full".into(),
                (1, 8) => "/dev/random".into(),
                (1, 9) => "/dev/urandom".into(),
                (5, 0) => "/dev/tty".into(),
                (5, 1) => "/dev/console".into(),
                (4, n) => format!("/dev/tty{n}"),
                (136..=143, n) => format!("/dev/pts/{n}"),
                (maj, min) => format!("/dev/char/{maj}:{min}"),
            },
            _ => "anon_inode:[unknown]".into(),
        };
        s.into_bytes()
    }

    fn link_target(&self, node: &Node) -> KResult<Vec<u8>> {
        match node {
            Node::SelfLink(pid) => Ok(pid.to_string().into_bytes()),
            Node::CwdLink(c) => Ok(c.cwd()),
            Node::FdLink(_, _, f) => Ok(Self::describe(&*self.kernel()?, f)),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Linux's ptrace-style check for what reveals another process's
    /// files.
    fn may_inspect(cage: &Cage, cred: &Cred) -> KResult<()> {
        if cred.is_root() || cage.cred().euid == cred.euid {
            Ok(())
        } else {
            Err(Errno::EACCES)
        }
    }

    fn listing(&self, dir: &Node) -> KResult<Vec<DirEntry>> {
        let st = self.node_stat(dir)?;
        let mut v = vec![
            DirEntry {
                ino: st.ino,
                kind: DT_DIR,
                name: b".".to_vec(),
            },
            DirEntry {
                ino: ROOT_INO,
                kind: DT_DIR,
                name: b"..".to_vec(),
            },
        ];
        match dir {
            Node::Root => {
                v.push(DirEntry {
                    ino: SELF_INO,
                    kind: DT_LNK,
                    name: b"self".to_vec(),
                });
                let mut pids: Vec<i32> = self.kernel()?.all_cages().iter().map(|c| c.pid).collect();
                pids.sort_unstable();
                v.extend(pids.into_iter().map(|p| DirEntry {
                    ino: ((p as u64) << 16) | 1,
                    kind: DT_DIR,
                    name: p.to_string().into_bytes(),
                }));
            }
            Node::PidDir(c) => {
                let base = (c.pid as u64) << 16;
                v[1].ino = ROOT_INO;
                let mut add = |name: &[u8], kind: u8, n: u64| {
                    v.push(DirEntry {
                        ino: base | n,
                        kind,
                        name: name.to_vec(),
                    })
                };
                add(b"cmdline", DT_REG, 3);
                add(b"comm", DT_REG, 9);
                add(b"cwd", DT_LNK, 7);
                add(b"environ", DT_REG, 4);
                add(b"fd", DT_DIR, 2);
                add(b"maps", DT_REG, 8);
                add(b"stat", DT_REG, 5);
                add(b"status", DT_REG, 6);
            }
            Node::FdDir(c) => {
                let base = (c.pid as u64) << 16;
                v[1].ino = base | 1;
                let fds: Vec<i32> = c.fds.lock().open_fds().collect();
                v.extend(fds.into_iter().map(|fd| DirEntry {
                    ino: base | (FD_LINK_BASE + fd as u64),
                    kind: DT_LNK,
                    name: fd.to_string().into_bytes(),
                }));
            }
            _ => return Err(Errno::ENOTDIR),
        }
        Ok(v)
    }

    /// `/proc/<pid>/maps` in Linux's format, from the cage's vmmap.
    pub fn maps(c: &Cage) -> Vec<u8> {
        let areas = c.mm.lock().areas();
        let mut out = String::new();
        for a in areas {
            let flag = |bit: u32, ch: char| if a.prot & bit != 0 { ch } else { '-' };
            let (offset, (major, minor), ino) = match &a.object {
                Some((off, n)) => (*off, super::dev_split(n.dev), n.ino),
                None => (0, (0, 0), 0),
            };
            let line = format!(
                "{:08x}-{:08x} {}{}{}{} {offset:08x} {major:02x}:{minor:02x} {ino} ",
                a.start,
                a.end,
                flag(PROT_READ, 'r'),
                flag(PROT_WRITE, 'w'),
                flag(PROT_EXEC, 'x'),
                if a.shared { 's' } else { 'p' },
            );
            out.push_str(&line);
            let name = match (&a.kind, &a.object) {
                (_, Some((_, n))) => String::from_utf8_lossy(&n.path).into_owned(),
                (AreaKind::Stack, _) => "[stack]".into(),
                (AreaKind::Heap, _) => "[heap]".into(),
                _ => String::new(),
            };
            if !name.is_empty() {
                // Linux pads the fixed part to 72 columns before the name.
                out.push_str(&" ".repeat(72usize.saturating_sub(line.len())));
                out.push(' ');
                out.push_str(&name);
            }
            out.push('\n');
        }
        out.into_bytes()
    }

    fn contents(c: &Cage, info: Info) -> Vec<u8> {
        let zombie = c.exit_requested().is_some();
        let args = c.args.lock().clone();
        let nul_joined = |v: &[Vec<u8>]| -> Vec<u8> {
            v.iter()
                .flat_map(|a| a.iter().copied().chain(std::iter::once(0)))
                .collect()
        };
        let comm = String::from_utf8_lossy(&c.thread_name(c.pid)).into_owned();
        let state = if zombie { "Z (zombie)" } else { "R (running)" };
        let ppid = c.ppid.load(std::sync::atomic::Ordering::Relaxed);
        match info {
            Info::Maps if zombie => Vec::new(),
            Info::Maps => Self::maps(c),
            Info::Cmdline if zombie => Vec::new(),
            Info::Cmdline => nul_joined(&args.argv),
            Info::Comm => format!("{comm}\n").into_bytes(),
            Info::Environ if zombie => Vec::new(),
            Info::Environ => nul_joined(&args.envp),
            Info::Status => {
                let cred = c.cred();
                let sig = c.signals.lock().clone();
                let (mut ign, mut cgt) = (0u64, 0u64);
                for (i, a) in sig.actions.iter().enumerate().skip(1) {
                    if a.handler == SIG_IGN {
                        ign |= 1 << (i - 1);
                    } else if a.handler != SIG_DFL {
                        cgt |= 1 << (i - 1);
                    }
                }
                let nfds = c.fds.lock().open_fds().last().map_or(0, |f| f + 1);
                let groups: Vec<String> = cred.groups.iter().map(|g| g.to_string()).collect();
                format!(
                    "Name:\t{comm}\nUmask:\t{:04o}\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\n\
                     Pid:\t{pid}\nPPid:\t{ppid}\nTracerPid:\t0\n\
                     Uid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\n\
                     FDSize:\t{}\nGroups:\t{} \nThreads:\t1\n\
                     SigPnd:\t{:016x}\nShdPnd:\t{:016x}\nSigBlk:\t{:016x}\n\
                     SigIgn:\t{ign:016x}\nSigCgt:\t{cgt:016x}\n",
                    c.umask(),
                    cred.uid,
                    cred.euid,
                    cred.suid,
                    cred.euid,
                    cred.gid,
                    cred.egid,
                    cred.sgid,
                    cred.egid,
                    (nfds as u64).max(1).next_multiple_of(64),
                    groups.join(" "),
                    sig.pending,
                    0,
                    sig.mask,
                    pid = c.pid,
                )
                .into_bytes()
            }
            Info::Stat => {
                let st = if zombie { 'Z' } else { 'R' };
                let pgrp = c.pgid.load(std::sync::atomic::Ordering::Relaxed);
                let sid = c.sid.load(std::sync::atomic::Ordering::Relaxed);
                let mut s = format!("{} ({comm}) {st} {ppid} {pgrp} {sid} 0 -1 0", c.pid);
                // minflt … the remaining 43 fields, zero except priority
                // (20), nice (0), num_threads (1) and exit_signal (17).
                for i in 10..=52 {
                    let v = match i {
                        18 => 20,
                        20 => 1,
                        38 => 17,
                        _ => 0,
                    };
                    s.push_str(&format!(" {v}"));
                }
                s.push('\n');
                s.into_bytes()
            }
        }
    }
}

/// A `/proc` directory, listed afresh at each rewind.
struct ProcDir {
    fs: ProcFs,
    /// The path inside `/proc` it was opened by, with `self` resolved.
    path: Vec<u8>,
    st: Stat,
}

impl FileLike for ProcDir {
    fn read(&self, _buf: &mut [u8], _status: u32) -> KResult<usize> {
        Err(Errno::EISDIR)
    }
    fn stat(&self) -> KResult<Stat> {
        Ok(self.st)
    }
    fn read_dir(&self) -> KResult<Vec<DirEntry>> {
        // A cage that has gone since leaves an empty directory.
        match self.fs.lookup(&self.path) {
            Ok(node) => self.fs.listing(&node),
            Err(_) => Ok(Vec::new()),
        }
    }
}

/// A generated file: a snapshot of its text taken at open.
struct ProcFile {
    data: Vec<u8>,
    st: Stat,
}

impl FileLike for ProcFile {
    fn seekable(&self) -> bool {
        true
    }
    fn pread(&self, buf: &mut [u8], offset: u64) -> KResult<usize> {
        let start = (offset.min(self.data.len() as u64)) as usize;
        let n = buf.len().min(self.data.len() - start);
        buf[..n].copy_from_slice(&self.data[start..start + n]);
        Ok(n)
    }
    fn pwrite(&self, _data: &[u8], _offset: u64) -> KResult<usize> {
        Err(Errno::EBADF)
    }
    fn stat(&self) -> KResult<Stat> {
        Ok(self.st)
    }
}

impl ProcFs {
    fn open_node(&self, path: &[u8], flags: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>> {
        let node = match self.lookup(path) {
            Err(Errno::ENOENT) if flags & O_CREAT != 0 => return Err(Errno::EACCES),
            r => r?,
        };
        if flags & (O_CREAT | O_EXCL) == O_CREAT | O_EXCL {
            return Err(Errno::EEXIST);
        }
        let acc = flags & O_ACCMODE;
        let wants_write = flags & O_PATH == 0 && (acc != O_RDONLY || flags & O_TRUNC != 0);
        let node = match node {
            Node::SelfLink(_) | Node::FdLink(..) | Node::CwdLink(_) if flags & O_NOFOLLOW != 0 => {
                return Err(Errno::ELOOP)
            }
            Node::SelfLink(pid) => {
                let cage = self.kernel()?.cage(pid).ok_or(Errno::ENOENT)?;
                Node::PidDir(cage)
            }
            n => n,
        };
        match node {
            Node::Root | Node::PidDir(_) | Node::FdDir(_) => {
                if wants_write {
                    return Err(Errno::EISDIR);
                }
                let dir_path = match &node {
                    Node::Root => Vec::new(),
                    Node::PidDir(c) => c.pid.to_string().into_bytes(),
                    Node::FdDir(c) => {
                        Self::may_inspect(c, cred)?;
                        format!("{}/fd", c.pid).into_bytes()
                    }
                    _ => Vec::new(),
                };
                Ok(Arc::new(ProcDir {
                    fs: ProcFs {
                        kernel: self.kernel.clone(),
                    },
                    path: dir_path,
                    st: self.node_stat(&node)?,
                }))
            }
            Node::CwdLink(c) => {
                Self::may_inspect(&c, cred)?;
                // The VFS follows the path.
                Err(Errno::EACCES)
            }
            Node::FdLink(c, _, f) => {
                Self::may_inspect(&c, cred)?;
                if f.path.is_some() {
                    // Reopened by its path: the VFS walks the link.
                    return Err(Errno::EACCES);
                }
                if flags & O_DIRECTORY != 0 {
                    return Err(Errno::ENOTDIR);
                }
                if flags & O_PATH == 0 {
                    let reads = acc == O_RDONLY || acc == O_RDWR;
                    let writes = acc == O_WRONLY || acc == O_RDWR;
                    if (reads && !f.readable()) || (writes && !f.writable()) {
                        return Err(Errno::EACCES);
                    }
                }
                Ok(f.file.clone())
            }
            Node::File(c, info) => {
                if matches!(info, Info::Environ | Info::Maps) {
                    Self::may_inspect(&c, cred)?;
                }
                if flags & O_DIRECTORY != 0 {
                    return Err(Errno::ENOTDIR);
                }
                if wants_write {
                    return Err(Errno::EACCES);
                }
                let st = self.node_stat(&Node::File(c.clone(), info))?;
                Ok(Arc::new(ProcFile {
                    data: Self::contents(&c, info),
                    st,
                }))
            }
            Node::SelfLink(_) => Err(Errno::ENOENT),
        }
    }
}

impl FileSystem for ProcFs {
    fn statfs(&self) -> KResult<lind_abi::layout::StatFs> {
        Ok(super::memory_statfs(
            lind_abi::layout::PROC_SUPER_MAGIC,
            0,
            0,
        ))
    }

    fn open(&self, path: &[u8], flags: u32, _mode: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>> {
        self.open_node(path, flags, cred)
    }

    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat> {
        let node = self.lookup(path)?;
        if !follow {
            return self.node_stat(&node);
        }
        match node {
            Node::SelfLink(pid) => {
                let cage = self.kernel()?.cage(pid).ok_or(Errno::ENOENT)?;
                self.node_stat(&Node::PidDir(cage))
            }
            Node::FdLink(_, _, f) => f.file.stat(),
            Node::CwdLink(_) => Err(Errno::EACCES),
            n => self.node_stat(&n),
        }
    }

    fn mkdir(&self, path: &[u8], _mode: u32, _cred: &Cred) -> KResult<()> {
        self.lookup(path)
            .map_or(Err(Errno::ENOENT), |_| Err(Errno::EEXIST))
    }

    fn readlink(&self, path: &[u8]) -> KResult<Vec<u8>> {
        let node = self.lookup(path)?;
        self.link_target(&node)
    }

    fn attach_kernel(&self, kernel: &Weak<Kernel>) {
        let _ = self.kernel.set(kernel.clone());
    }

    fn is_magic_link(&self, path: &[u8]) -> bool {
        matches!(self.lookup(path), Ok(Node::FdLink(_, _, f)) if f.path.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        host::FakeHost,
        testing::{err, test_vfs, TestEnv, TEST_GID, TEST_UID},
    };
    use lind_abi::nr;

    /// The standard test tree plus `/proc`, with this thread running the
    /// cage (so `/proc/self` means it).
    fn env() -> TestEnv {
        let host = Arc::new(FakeHost::new());
        let cred = Cred::new(TEST_UID, TEST_GID);
        let mut vfs = test_vfs(host.clone(), &cred);
        vfs.mount(b"/proc", Arc::new(ProcFs::new()));
        let t = TestEnv::with_vfs(host, vfs, cred);
        crate::block::enter(t.cage.clone());
        t
    }

    fn readlink(t: &mut TestEnv, path: &str) -> Result<String, i64> {
        let p = t.cstr(path);
        let buf = t.alloc(256);
        let n = t.call(nr::READLINK, &[p, buf, 256]);
        if n < 0 {
            return Err(n);
        }
        Ok(String::from_utf8(t.read(buf, n as usize)).unwrap())
    }

    fn open(t: &mut TestEnv, path: &str, flags: u32) -> i64 {
        let p = t.cstr(path);
        t.call(nr::OPEN, &[p, flags as u64, 0o644])
    }

    fn list(t: &mut TestEnv, path: &str) -> Vec<String> {
        let fd = t.open(path, O_RDONLY | O_DIRECTORY);
        let buf = t.alloc(8192);
        let n = t.call(nr::GETDENTS64, &[fd as u64, buf, 8192]);
        assert!(n > 0, "getdents({path}) = {n}");
        let b = t.read(buf, n as usize);
        let mut names = Vec::new();
        let mut at = 0;
        while at < b.len() {
            let reclen = u16::from_le_bytes([b[at + 16], b[at + 17]]) as usize;
            let name = &b[at + 19..at + reclen];
            let end = name.iter().position(|&c| c == 0).unwrap();
            names.push(String::from_utf8(name[..end].to_vec()).unwrap());
            at += reclen;
        }
        t.call(nr::CLOSE, &[fd as u64]);
        names
    }

    fn stat_mode(t: &mut TestEnv, path: &str, nofollow: bool) -> Result<u32, i64> {
        let p = t.cstr(path);
        let buf = t.alloc(256);
        let n = if nofollow { nr::LSTAT } else { nr::STAT };
        let r = t.call(n, &[p, buf]);
        if r < 0 {
            return Err(r);
        }
        Ok(t.read_u32(buf + 24))
    }

    #[test]
    fn self_status_and_cmdline() {
        let mut t = env();
        let pid = t.cage.pid.to_string();
        assert_eq!(readlink(&mut t, "/proc/self").unwrap(), pid);
        assert_eq!(
            stat_mode(&mut t, "/proc/self", true).unwrap() & S_IFMT,
            S_IFLNK
        );
        assert_eq!(
            stat_mode(&mut t, "/proc/self", false).unwrap() & S_IFMT,
            S_IFDIR
        );
        let status = String::from_utf8(t.read_file("/proc/self/status")).unwrap();
        for line in [
            "Name:\ttest\n".to_string(),
            "State:\tR (running)\n".into(),
            format!("Pid:\t{pid}\n"),
            "PPid:\t0\n".into(),
            format!("Uid:\t{TEST_UID}\t{TEST_UID}\t{TEST_UID}\t{TEST_UID}\n"),
            format!("Gid:\t{TEST_GID}\t{TEST_GID}\t{TEST_GID}\t{TEST_GID}\n"),
        ] {
            assert!(status.contains(&line), "{line:?} not in {status}");
        }
        assert_eq!(t.read_file(&format!("/proc/{pid}/cmdline")), b"test\0");
        let stat = String::from_utf8(t.read_file("/proc/self/stat")).unwrap();
        assert!(stat.starts_with(&format!("{pid} (test) R 0 ")), "{stat}");
        assert_eq!(stat.split(' ').count(), 52);
        assert_eq!(readlink(&mut t, "/proc/self/cwd").unwrap(), "/");
        assert_eq!(open(&mut t, "/proc/self/exe", O_RDONLY), err(Errno::ENOENT));
        assert_eq!(
            open(&mut t, "/proc/self/status", O_RDWR),
            err(Errno::EACCES)
        );
        assert_eq!(
            open(&mut t, "/proc/self/new", O_CREAT | O_WRONLY),
            err(Errno::EACCES)
        );
        assert_eq!(open(&mut t, "/proc/99", O_RDONLY), err(Errno::ENOENT));
        assert_eq!(open(&mut t, "/proc/01", O_RDONLY), err(Errno::ENOENT));
        assert_eq!(
            readlink(&mut t, "/proc/self/status"),
            Err(err(Errno::EINVAL))
        );
    }

    #[test]
    fn root_lists_cages() {
        let mut t = env();
        let child = t.kernel.fork(&t.cage).unwrap();
        let names = list(&mut t, "/proc");
        assert_eq!(names, [".", "..", "self", "1", &child.pid.to_string()]);
        let status =
            String::from_utf8(t.read_file(&format!("/proc/{}/status", child.pid))).unwrap();
        assert!(status.contains("PPid:\t1\n"));
        assert_eq!(
            list(&mut t, "/proc/self"),
            [".", "..", "cmdline", "comm", "cwd", "environ", "fd", "maps", "stat", "status"]
        );
        let comm = t.read_file("/proc/self/comm");
        assert_eq!(comm, b"test\n");
        // Another user's descriptors are not for us.
        child.cred.lock().euid = 4242;
        let fd_dir = format!("/proc/{}/fd", child.pid);
        assert_eq!(open(&mut t, &fd_dir, O_RDONLY), err(Errno::EACCES));
        assert_eq!(
            open(&mut t, &format!("{fd_dir}/0"), O_RDONLY),
            err(Errno::EACCES)
        );
    }

    #[test]
    fn fd_links_name_their_files() {
        let mut t = env();
        t.write_file("/tmp/x", b"hello");
        let fd = t.open("/tmp/x", O_RDONLY);
        let pipe = t.alloc(8);
        assert_eq!(t.call(nr::PIPE, &[pipe]), 0);
        let (r, w) = (t.read_u32(pipe), t.read_u32(pipe + 4));
        let names = list(&mut t, "/proc/self/fd");
        // The listing's own descriptor shows too, as on Linux.
        assert_eq!(names, [".", "..", "0", "1", "2", "3", "4", "5", "6"]);
        assert_eq!(
            readlink(&mut t, &format!("/proc/self/fd/{fd}")).unwrap(),
            "/tmp/x"
        );
        assert_eq!(readlink(&mut t, "/proc/self/fd/0").unwrap(), "/dev/null");
        let ino = t
            .cage
            .fds
            .lock()
            .get(r as i32)
            .unwrap()
            .file
            .stat()
            .unwrap()
            .ino;
        assert_eq!(
            readlink(&mut t, &format!("/proc/self/fd/{w}")).unwrap(),
            format!("pipe:[{ino}]")
        );
        assert_eq!(
            stat_mode(&mut t, &format!("/proc/self/fd/{fd}"), true).unwrap(),
            S_IFLNK | 0o700
        );
        assert_eq!(
            stat_mode(&mut t, &format!("/proc/self/fd/{fd}"), false).unwrap() & S_IFMT,
            S_IFREG
        );
        assert_eq!(
            readlink(&mut t, "/proc/self/fd/77"),
            Err(err(Errno::ENOENT))
        );
    }

    #[test]
    fn opening_fd_links_makes_new_descriptions() {
        let mut t = env();
        t.write_file("/tmp/x", b"hello");
        let fd = t.open("/tmp/x", O_RDONLY);
        assert_eq!(t.read_fd(fd, 2).unwrap(), b"he");
        // A new description: its own offset, and it knows its path.
        let again = t.open(&format!("/proc/self/fd/{fd}"), O_RDONLY);
        assert_eq!(t.read_fd(again, 5).unwrap(), b"hello");
        assert_eq!(
            readlink(&mut t, &format!("/proc/self/fd/{again}")).unwrap(),
            "/tmp/x"
        );
        // Reopened by path, so a write open is allowed where the file is.
        let w = t.open(&format!("/dev/fd/{fd}"), O_WRONLY | O_APPEND);
        assert_eq!(t.write_fd(w, b"!"), 1);
        assert_eq!(t.read_file("/tmp/x"), b"hello!");
        assert_eq!(
            open(
                &mut t,
                &format!("/proc/self/fd/{fd}"),
                O_RDONLY | O_NOFOLLOW
            ),
            err(Errno::ELOOP)
        );
        // A pipe has no path: the same pipe, through a new description.
        let pipe = t.alloc(8);
        assert_eq!(t.call(nr::PIPE, &[pipe]), 0);
        let (r, w) = (t.read_u32(pipe) as i32, t.read_u32(pipe + 4) as i32);
        let w2 = t.open(&format!("/dev/fd/{w}"), O_WRONLY);
        assert_eq!(t.write_fd(w2, b"via"), 3);
        let r2 = t.open(&format!("/proc/self/fd/{r}"), O_RDONLY);
        assert_eq!(t.read_fd(r2, 16).unwrap(), b"via");
        assert_eq!(
            open(&mut t, &format!("/proc/self/fd/{r}"), O_WRONLY),
            err(Errno::EACCES)
        );
        // /dev/stdin is descriptor 0, whatever it is.
        assert_eq!(t.call(nr::DUP2, &[r as u64, 0]), 0);
        assert_eq!(t.write_fd(w, b"in"), 2);
        let stdin = t.open("/dev/stdin", O_RDONLY);
        assert_eq!(t.read_fd(stdin, 16).unwrap(), b"in");
        assert_eq!(
            stat_mode(&mut t, "/dev/stdin", false).unwrap() & S_IFMT,
            S_IFIFO
        );
    }

    #[test]
    fn dev_links() {
        let mut t = env();
        assert_eq!(readlink(&mut t, "/dev/fd").unwrap(), "/proc/self/fd");
        assert_eq!(readlink(&mut t, "/dev/stdout").unwrap(), "/proc/self/fd/1");
        assert_eq!(readlink(&mut t, "/dev/fd/1").unwrap(), "/dev/null");
        assert_eq!(
            stat_mode(&mut t, "/dev/stderr", true).unwrap(),
            S_IFLNK | 0o777
        );
        assert_eq!(
            stat_mode(&mut t, "/dev/stderr", false).unwrap() & S_IFMT,
            S_IFCHR
        );
        assert_eq!(
            stat_mode(&mut t, "/dev/fd", false).unwrap() & S_IFMT,
            S_IFDIR
        );
        assert_eq!(list(&mut t, "/dev/fd"), [".", "..", "0", "1", "2", "3"]);
        let names = list(&mut t, "/dev");
        assert!(names.contains(&"stdin".to_string()));
        assert_eq!(open(&mut t, "/dev/fd/9", O_RDONLY), err(Errno::ENOENT));
        assert_eq!(
            open(&mut t, "/dev/stdout", O_WRONLY | O_NOFOLLOW),
            err(Errno::ELOOP)
        );
        let p = t.cstr("/dev/fd");
        assert_eq!(t.call(nr::MKDIR, &[p, 0o755]), err(Errno::EEXIST));
    }

    #[test]
    fn maps_lists_the_vmmap_in_linux_format() {
        let mut t = env();
        t.cage.reset_memory_map(0x20000, 0x100000, 0x10000);
        let brk = t.call(nr::BRK, &[0x22000]);
        assert_eq!(brk, 0x22000);
        {
            let mut mm = t.cage.mm.lock();
            mm.map(
                0x80000,
                0x3000,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS,
                true,
            )
            .unwrap();
            mm.protect(0x81000, 0x1000, PROT_NONE).unwrap();
            mm.map(0x90000, 0x1000, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, true)
                .unwrap();
            mm.map(0xa0000, 0x2000, PROT_READ | PROT_EXEC, MAP_PRIVATE, true)
                .unwrap();
            let name = crate::mm::MapName {
                dev: crate::vfs::makedev(8, 1),
                ino: 1234,
                path: b"/data/f".to_vec(),
            };
            mm.set_name(0xa0000, 0x1000, name);
        }
        let maps = String::from_utf8(t.read_file("/proc/self/maps")).unwrap();
        let pad =
            |prefix: &str, name: &str| format!("{prefix}{}{name}\n", " ".repeat(73 - prefix.len()));
        let want = [
            pad("00000000-00010000 rw-p 00000000 00:00 0 ", "[stack]"),
            "00010000-00020000 rw-p 00000000 00:00 0 \n".to_string(),
            pad("00020000-00022000 rw-p 00000000 00:00 0 ", "[heap]"),
            "00080000-00081000 rw-p 00000000 00:00 0 \n".to_string(),
            "00081000-00082000 ---p 00000000 00:00 0 \n".to_string(),
            "00082000-00083000 rw-p 00000000 00:00 0 \n".to_string(),
            "00090000-00091000 r--s 00000000 00:00 0 \n".to_string(),
            pad("000a0000-000a2000 r-xp 00001000 08:01 1234 ", "/data/f"),
        ]
        .concat();
        assert_eq!(maps, want);
        let pid = t.cage.pid;
        assert_eq!(t.read_file(&format!("/proc/{pid}/maps")), want.as_bytes());
        // Another user's address space is not for us.
        let child = t.kernel.fork(&t.cage).unwrap();
        child.cred.lock().euid = 4242;
        let path = format!("/proc/{}/maps", child.pid);
        assert_eq!(open(&mut t, &path, O_RDONLY), err(Errno::EACCES));
    }

    #[test]
    fn maps_names_a_memfd_mapping_and_its_offset() {
        let mut t = env();
        t.cage.reset_memory_map(0x20000, 0x100000, 0x10000);
        let name = t.cstr("kern");
        let fd = t.call(nr::MEMFD_CREATE, &[name, 0]);
        assert!(fd >= 0);
        assert_eq!(t.call(nr::FTRUNCATE, &[fd as u64, 0x3000]), 0);
        // A private mapping (this memory copies it) from the second page.
        let at = t.call(
            nr::MMAP,
            &[
                0x80000,
                0x2000,
                PROT_READ as u64,
                (MAP_PRIVATE | MAP_FIXED) as u64,
                fd as u64,
                0x1000,
            ],
        );
        assert_eq!(at, 0x80000);
        let maps = String::from_utf8(t.read_file("/proc/self/maps")).unwrap();
        let line = maps
            .lines()
            .find(|l| l.starts_with(&format!("{at:08x}-")))
            .unwrap();
        assert!(line.contains(" r--p 00001000 "), "{line}");
        assert!(line.ends_with(" /memfd:kern (deleted)"), "{line}");
        assert_eq!(
            readlink(&mut t, &format!("/proc/self/fd/{fd}")).unwrap(),
            "/memfd:kern (deleted)"
        );
    }

    #[test]
    fn self_without_a_running_cage_is_enoent() {
        let t = TestEnv::new();
        let fs = ProcFs::new();
        fs.attach_kernel(&Arc::downgrade(&t.kernel));
        let child = std::thread::spawn(move || fs.stat(b"self", false).err());
        assert_eq!(child.join().unwrap(), Some(Errno::ENOENT));
    }
}
