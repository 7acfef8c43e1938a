//! `/dev`: the character devices programs expect.
//!
//! `null` (reads EOF, writes vanish), `zero` (reads zeros), `full` (reads
//! zeros, writes ENOSPC), `random` and `urandom` (the host's randomness) and,
//! when the runtime says stdin is a terminal, `tty` (the host terminal).
//! Each is S_IFCHR with Linux's device number. The devices ignore offsets
//! like Linux's, so `lseek` on them succeeds. `fd`, `stdin`, `stdout` and
//! `stderr` are symlinks into `/proc/self/fd`, as on Linux: this file
//! system answers EACCES for anything that must follow them, and the VFS
//! walks them (see `syscall::fs::retry`). Not here yet: `/dev/shm`, ptys.

use super::{makedev, now, permitted, FileSystem};
use crate::{
    cage::Cred,
    file::{DirEntry, FileLike},
    host::Host,
    memory::GuestMemory,
    stdio::{HostStream, Stream},
    KResult,
};
use lind_abi::{
    flags::*,
    layout::{Stat, Timespec},
    Errno,
};
use std::sync::Arc;

/// `st_dev` of everything in `/dev` (devtmpfs's 0:6).
const DEV: u64 = 6;
/// Group of `/dev/tty` on Linux (`tty`).
const TTY_GID: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null,
    Zero,
    Full,
    Random,
    Urandom,
}

/// A memory character device (major 1).
struct CharDev {
    kind: Kind,
    st: Stat,
    host: Option<Arc<dyn Host>>,
}

impl FileLike for CharDev {
    fn seekable(&self) -> bool {
        true
    }

    fn pread(&self, buf: &mut [u8], _offset: u64) -> KResult<usize> {
        match self.kind {
            Kind::Null => Ok(0),
            Kind::Zero | Kind::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Kind::Random | Kind::Urandom => {
                match &self.host {
                    Some(h) => h.fill_random(buf),
                    None => buf.fill(0),
                }
                Ok(buf.len())
            }
        }
    }

    fn pwrite(&self, data: &[u8], _offset: u64) -> KResult<usize> {
        match self.kind {
            Kind::Full => Err(Errno::ENOSPC),
            _ => Ok(data.len()),
        }
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(self.st)
    }

    fn truncate(&self, _len: u64) -> KResult<()> {
        // O_TRUNC and ftruncate on a character device are no-ops.
        Ok(())
    }
}

/// `/dev/tty`: the host terminal, with `/dev/tty`'s own identity.
struct Tty {
    inner: HostStream,
    st: Stat,
}

impl FileLike for Tty {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        self.inner.read(buf, status)
    }
    fn write(&self, data: &[u8], status: u32) -> KResult<usize> {
        self.inner.write(data, status)
    }
    fn stat(&self) -> KResult<Stat> {
        Ok(self.st)
    }
    fn ioctl(&self, req: u32, arg: u64, mem: &mut dyn GuestMemory) -> KResult<i64> {
        self.inner.ioctl(req, arg, mem)
    }
    fn is_terminal(&self) -> bool {
        self.inner.is_terminal()
    }
    fn bytes_available(&self) -> KResult<u64> {
        self.inner.bytes_available()
    }
    fn truncate(&self, _len: u64) -> KResult<()> {
        Ok(())
    }
}

fn dev_stat(ino: u64, major: u32, minor: u32, gid: u32, t: Timespec) -> Stat {
    Stat {
        dev: DEV,
        ino,
        nlink: 1,
        mode: S_IFCHR | 0o666,
        uid: 0,
        gid,
        rdev: makedev(major, minor),
        size: 0,
        blksize: 4096,
        blocks: 0,
        atime: t,
        mtime: t,
        ctime: t,
    }
}

/// A `/dev/null` not tied to any mount, for standard streams and tests.
pub fn null_device() -> Arc<dyn FileLike> {
    Arc::new(CharDev {
        kind: Kind::Null,
        st: dev_stat(2, 1, 3, 0, Timespec::default()),
        host: None,
    })
}

struct Node {
    name: &'static [u8],
    file: Arc<dyn FileLike>,
    st: Stat,
}

/// The `/dev` directory itself.
struct DevDir {
    st: Stat,
    entries: Vec<DirEntry>,
}

impl FileLike for DevDir {
    fn read(&self, _buf: &mut [u8], _status: u32) -> KResult<usize> {
        Err(Errno::EISDIR)
    }
    fn stat(&self) -> KResult<Stat> {
        Ok(self.st)
    }
    fn read_dir(&self) -> KResult<Vec<DirEntry>> {
        Ok(self.entries.clone())
    }
}

/// Symlinks in `/dev`: (name, target).
const LINKS: [(&[u8], &[u8]); 4] = [
    (b"fd", b"/proc/self/fd"),
    (b"stderr", b"/proc/self/fd/2"),
    (b"stdin", b"/proc/self/fd/0"),
    (b"stdout", b"/proc/self/fd/1"),
];

/// The `/dev` file system. Read-only: names cannot be added or removed.
pub struct DevFs {
    nodes: Vec<Node>,
    dir: Arc<DevDir>,
    /// `lstat` of each of [`LINKS`], in order.
    link_stats: Vec<Stat>,
}

/// Where `path` meets one of [`LINKS`]: its index, and whether the path
/// goes on past it.
fn link_at(path: &[u8]) -> Option<(usize, bool)> {
    LINKS.iter().enumerate().find_map(|(i, (name, _))| {
        if path == *name {
            Some((i, false))
        } else if path.starts_with(name) && path.get(name.len()) == Some(&b'/') {
            Some((i, true))
        } else {
            None
        }
    })
}

impl DevFs {
    pub fn new(host: Arc<dyn Host>, stdin_is_tty: bool) -> Self {
        let t = now(&*host);
        let mut nodes = Vec::new();
        let devices: [(&'static [u8], Kind, u32); 5] = [
            (b"null", Kind::Null, 3),
            (b"zero", Kind::Zero, 5),
            (b"full", Kind::Full, 7),
            (b"random", Kind::Random, 8),
            (b"urandom", Kind::Urandom, 9),
        ];
        for (i, (name, kind, minor)) in devices.into_iter().enumerate() {
            let st = dev_stat(2 + i as u64, 1, minor, 0, t);
            let host = matches!(kind, Kind::Random | Kind::Urandom).then(|| host.clone());
            nodes.push(Node {
                name,
                file: Arc::new(CharDev { kind, st, host }),
                st,
            });
        }
        if stdin_is_tty {
            let st = dev_stat(2 + nodes.len() as u64, 5, 0, TTY_GID, t);
            let tty = Tty {
                inner: HostStream {
                    which: Stream::Stdin,
                },
                st,
            };
            nodes.push(Node {
                name: b"tty",
                file: Arc::new(tty),
                st,
            });
        }
        let dir_st = Stat {
            dev: DEV,
            ino: 1,
            nlink: 2,
            mode: S_IFDIR | 0o755,
            size: 4096,
            blksize: 4096,
            atime: t,
            mtime: t,
            ctime: t,
            ..Stat::default()
        };
        let mut entries = vec![
            DirEntry {
                ino: 1,
                kind: DT_DIR,
                name: b".".to_vec(),
            },
            DirEntry {
                ino: 1,
                kind: DT_DIR,
                name: b"..".to_vec(),
            },
        ];
        entries.extend(nodes.iter().map(|n| DirEntry {
            ino: n.st.ino,
            kind: DT_CHR,
            name: n.name.to_vec(),
        }));
        let first_link_ino = 2 + nodes.len() as u64;
        let link_stats: Vec<Stat> = LINKS
            .iter()
            .enumerate()
            .map(|(i, (_, target))| Stat {
                dev: DEV,
                ino: first_link_ino + i as u64,
                nlink: 1,
                mode: S_IFLNK | 0o777,
                size: target.len() as i64,
                blksize: 4096,
                atime: t,
                mtime: t,
                ctime: t,
                ..Stat::default()
            })
            .collect();
        entries.extend(
            LINKS
                .iter()
                .zip(&link_stats)
                .map(|((name, _), st)| DirEntry {
                    ino: st.ino,
                    kind: DT_LNK,
                    name: name.to_vec(),
                }),
        );
        DevFs {
            link_stats,
            nodes,
            dir: Arc::new(DevDir {
                st: dir_st,
                entries,
            }),
        }
    }

    fn node(&self, path: &[u8]) -> KResult<&Node> {
        if path.contains(&b'/') {
            // Nothing in /dev is a directory.
            return Err(
                if self
                    .nodes
                    .iter()
                    .any(|n| path.starts_with(n.name) && path.get(n.name.len()) == Some(&b'/'))
                {
                    Errno::ENOTDIR
                } else {
                    Errno::ENOENT
                },
            );
        }
        self.nodes
            .iter()
            .find(|n| n.name == path)
            .ok_or(Errno::ENOENT)
    }
}

impl FileSystem for DevFs {
    fn open(&self, path: &[u8], flags: u32, _mode: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>> {
        let acc = flags & O_ACCMODE;
        if path.is_empty() {
            if flags & O_PATH == 0 && (acc != O_RDONLY || flags & (O_CREAT | O_TRUNC) != 0) {
                return Err(Errno::EISDIR);
            }
            return Ok(self.dir.clone());
        }
        if let Some((_, deeper)) = link_at(path) {
            if !deeper && flags & (O_CREAT | O_EXCL) == O_CREAT | O_EXCL {
                return Err(Errno::EEXIST);
            }
            if !deeper && flags & O_NOFOLLOW != 0 {
                return Err(Errno::ELOOP);
            }
            // The VFS follows the link into /proc.
            return Err(Errno::EACCES);
        }
        let node = match self.node(path) {
            Err(Errno::ENOENT) if flags & O_CREAT != 0 => return Err(Errno::EACCES),
            r => r?,
        };
        if flags & O_CREAT != 0 && flags & O_EXCL != 0 {
            return Err(Errno::EEXIST);
        }
        if flags & O_DIRECTORY != 0 {
            return Err(Errno::ENOTDIR);
        }
        if flags & O_PATH == 0 {
            let mut want = 0;
            if acc == O_RDONLY || acc == O_RDWR {
                want |= R_OK;
            }
            if acc == O_WRONLY || acc == O_RDWR {
                want |= W_OK;
            }
            if !permitted(node.st.mode, node.st.uid, node.st.gid, cred, want) {
                return Err(Errno::EACCES);
            }
        }
        Ok(node.file.clone())
    }

    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat> {
        if path.is_empty() {
            return Ok(self.dir.st);
        }
        match link_at(path) {
            Some((i, false)) if !follow => return Ok(self.link_stats[i]),
            Some(_) => return Err(Errno::EACCES),
            None => {}
        }
        Ok(self.node(path)?.st)
    }

    fn mkdir(&self, path: &[u8], _mode: u32, _cred: &Cred) -> KResult<()> {
        self.stat(path, false)
            .map_or(Err(Errno::EACCES), |_| Err(Errno::EEXIST))
    }

    fn readlink(&self, path: &[u8]) -> KResult<Vec<u8>> {
        if let Some((i, false)) = link_at(path) {
            return Ok(LINKS[i].1.to_vec());
        }
        self.stat(path, false)?;
        Err(Errno::EINVAL)
    }

    fn chmod(&self, path: &[u8], _mode: u32, _follow: bool) -> KResult<()> {
        self.stat(path, true)?;
        Err(Errno::EPERM)
    }

    fn chown(
        &self,
        path: &[u8],
        _uid: Option<u32>,
        _gid: Option<u32>,
        _follow: bool,
    ) -> KResult<()> {
        self.stat(path, true)?;
        Err(Errno::EPERM)
    }

    fn set_times(
        &self,
        path: &[u8],
        _a: crate::file::TimeSpec,
        _m: crate::file::TimeSpec,
        _follow: bool,
    ) -> KResult<()> {
        // Accepted and forgotten, like touching a device node.
        self.stat(path, true).map(|_| ())
    }

    fn truncate(&self, path: &[u8], _len: u64) -> KResult<()> {
        let st = self.stat(path, true)?;
        if st.mode & S_IFMT == S_IFDIR {
            return Err(Errno::EISDIR);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::FakeHost;

    fn devfs(tty: bool) -> DevFs {
        DevFs::new(Arc::new(FakeHost::new()), tty)
    }

    fn user() -> Cred {
        Cred::new(1000, 1000)
    }

    #[test]
    fn null_zero_full_behave_like_linux() {
        let d = devfs(false);
        let null = d.open(b"null", O_RDWR, 0, &user()).unwrap();
        let mut buf = [7u8; 16];
        assert_eq!(null.pread(&mut buf, 0), Ok(0));
        assert_eq!(null.pwrite(b"gone", 0), Ok(4));
        let zero = d.open(b"zero", O_RDWR, 0, &user()).unwrap();
        assert_eq!(zero.pread(&mut buf, 99), Ok(16));
        assert_eq!(buf, [0u8; 16]);
        assert_eq!(zero.pwrite(b"x", 0), Ok(1));
        let full = d.open(b"full", O_WRONLY, 0, &user()).unwrap();
        assert_eq!(full.pwrite(b"x", 0), Err(Errno::ENOSPC));
    }

    #[test]
    fn random_uses_the_host() {
        let d = devfs(false);
        let r = d.open(b"urandom", O_RDONLY, 0, &user()).unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(r.pread(&mut buf, 0), Ok(8));
        let mut want = [0u8; 8];
        FakeHost::new().fill_random(&mut want);
        assert_eq!(buf, want);
        assert!(d.open(b"random", O_RDONLY, 0, &user()).is_ok());
    }

    #[test]
    fn device_numbers_and_types() {
        let d = devfs(true);
        for (name, major, minor) in [
            (&b"null"[..], 1, 3),
            (b"zero", 1, 5),
            (b"full", 1, 7),
            (b"random", 1, 8),
            (b"urandom", 1, 9),
            (b"tty", 5, 0),
        ] {
            let st = d.stat(name, true).unwrap();
            assert_eq!(st.mode, S_IFCHR | 0o666, "{:?}", name);
            assert_eq!(super::super::dev_split(st.rdev), (major, minor));
        }
        assert_eq!(d.stat(b"null", true).unwrap().rdev, 0x103);
        assert_eq!(d.stat(b"", true).unwrap().mode, S_IFDIR | 0o755);
    }

    #[test]
    fn tty_only_when_stdin_is_a_terminal() {
        assert_eq!(devfs(false).stat(b"tty", true).err(), Some(Errno::ENOENT));
        assert!(devfs(true).stat(b"tty", true).is_ok());
    }

    #[test]
    fn listing_and_errors() {
        let d = devfs(false);
        let dir = d.open(b"", O_RDONLY | O_DIRECTORY, 0, &user()).unwrap();
        let names: Vec<_> = dir
            .read_dir()
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names[..2], [b".".to_vec(), b"..".to_vec()]);
        assert!(names.contains(&b"null".to_vec()));
        assert_eq!(d.open(b"", O_WRONLY, 0, &user()).err(), Some(Errno::EISDIR));
        assert_eq!(
            d.open(b"nope", O_RDONLY, 0, &user()).err(),
            Some(Errno::ENOENT)
        );
        assert_eq!(
            d.open(b"null/x", O_RDONLY, 0, &user()).err(),
            Some(Errno::ENOTDIR)
        );
        assert_eq!(
            d.open(b"null", O_RDONLY | O_DIRECTORY, 0, &user()).err(),
            Some(Errno::ENOTDIR)
        );
        assert_eq!(
            d.open(b"new", O_CREAT | O_WRONLY, 0o644, &user()).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(d.unlink(b"null", &user()), Err(Errno::EROFS));
        assert_eq!(d.access(b"null", R_OK | W_OK, &user()), Ok(()));
        assert_eq!(d.access(b"null", X_OK, &user()), Err(Errno::EACCES));
    }
}
