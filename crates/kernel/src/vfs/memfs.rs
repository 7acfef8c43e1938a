//! An in-memory file system (`/tmp` by default; the root in tests).
//!
//! Inodes carry mode, owner, times and a link count; regular files are
//! sparse maps of 4 KiB pages (holes read as zeros and cost nothing),
//! directories a sorted map of names, symlinks their target. Permission checks follow
//! Linux, against the caller's [`Cred`]: search permission on every
//! directory walked, write+search on the parent to create or remove a name,
//! the sticky bit (only the owner of the file or the directory, or root, may
//! remove or rename an entry of a sticky directory), root bypassing all but
//! execute.
//!
//! Symlinks: relative targets resolve from the link's directory, `..`
//! included, and never climb above this file system's root. An absolute
//! target resolves inside this file system when it starts with the mount
//! point given by [`MemFs::mounted_at`] (so `/tmp/a -> /tmp/b` works); any
//! other absolute target would leave the file system and is EACCES, as an
//! escape from a host directory is (the syscall layer then resolves it
//! through the VFS, across mounts). With mount point `/`, every absolute
//! target resolves here.
//!
//! Times come from the [`Host`] clock; reads do not update `atime` (as with
//! `noatime`). The pages all files hold are capped (ENOSPC), so a guest
//! cannot exhaust host memory.

use super::{now, permitted, split_last, FileSystem, NAME_MAX};
use crate::host::host_errno;
use crate::{
    cage::Cred,
    file::{DirEntry, FileLike, TimeSpec},
    host::Host,
    KResult,
};
use lind_abi::{
    flags::*,
    layout::{Stat, Timespec},
    Errno,
};
use parking_lot::{Mutex, RwLock};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

/// Linux's limit on symlinks followed in one lookup.
const MAX_SYMLINKS: usize = 40;
/// Default cap on the bytes all files of one memfs hold.
pub const DEFAULT_CAPACITY: u64 = 2 << 30;
/// Block size reported by `stat`.
const BLKSIZE: i64 = 4096;

/// Each memfs gets its own `st_dev` (0:0x30, 0:0x31, … like tmpfs's
/// anonymous device numbers).
static NEXT_DEV: AtomicU64 = AtomicU64::new(0x30);

/// What all inodes and open files of one memfs share.
struct Shared {
    host: Arc<dyn Host>,
    dev: u64,
    next_ino: AtomicU64,
    /// Bytes held by regular files, and the cap.
    used: AtomicU64,
    capacity: AtomicU64,
    /// Taken by every operation that changes names, so that parent links
    /// and entries stay put while one is checked and done; lookups only
    /// take one directory lock at a time.
    tree: Mutex<()>,
}

impl Shared {
    fn now(&self) -> Timespec {
        now(&*self.host)
    }

    /// Takes `pages` more pages from the budget, or ENOSPC.
    fn charge(&self, pages: usize) -> KResult<()> {
        let bytes = (pages * PAGE) as u64;
        let prev = self.used.fetch_add(bytes, Ordering::Relaxed);
        if prev + bytes > self.capacity.load(Ordering::Relaxed) {
            self.used.fetch_sub(bytes, Ordering::Relaxed);
            return Err(Errno::ENOSPC);
        }
        Ok(())
    }

    fn release(&self, pages: usize) {
        self.used
            .fetch_sub((pages * PAGE) as u64, Ordering::Relaxed);
    }
}

/// Granule of file storage: only pages written hold memory, so sparse
/// files cost what they contain (as on tmpfs).
const PAGE: usize = 4096;

/// A regular file's contents: its size and the pages that hold data.
/// Missing pages read as zeros. A file that is mmapped moves into a host
/// memfd (`fd`) for good, so that cages map its pages zero-copy and
/// share them with `read`/`write`; from then on it is charged for its
/// whole size, since stores through a mapping are not seen page by page.
#[derive(Default)]
struct Data {
    size: u64,
    pages: BTreeMap<u64, Box<[u8; PAGE]>>,
    fd: Option<std::os::fd::OwnedFd>,
}

impl Data {
    /// Pages charged to the file system's budget.
    fn charged(&self) -> usize {
        match self.fd {
            Some(_) => self.size.div_ceil(PAGE as u64) as usize,
            None => self.pages.len(),
        }
    }

    fn read(&self, buf: &mut [u8], offset: u64) -> usize {
        if offset >= self.size {
            return 0;
        }
        let n = (buf.len() as u64).min(self.size - offset) as usize;
        if let Some(fd) = &self.fd {
            let mut done = 0;
            while done < n {
                match rustix::io::pread(fd, &mut buf[done..n], offset + done as u64) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => done += k,
                }
            }
            // A concurrent truncation: what is gone reads as zeros.
            buf[done..n].fill(0);
            return n;
        }
        let mut done = 0;
        while done < n {
            let pos = offset + done as u64;
            let (idx, at) = (pos / PAGE as u64, (pos % PAGE as u64) as usize);
            let take = (PAGE - at).min(n - done);
            let out = &mut buf[done..done + take];
            match self.pages.get(&idx) {
                Some(page) => out.copy_from_slice(&page[at..at + take]),
                None => out.fill(0),
            }
            done += take;
        }
        n
    }

    /// Writes `src` at `offset`; the caller checked the end fits in i64.
    fn write(&mut self, src: &[u8], offset: u64, sh: &Shared) -> KResult<()> {
        if self.fd.is_some() {
            let end = offset + src.len() as u64;
            if end > self.size {
                self.resize(end, sh)?;
            }
            let fd = self.fd.as_ref().ok_or(Errno::EIO)?;
            let mut done = 0;
            while done < src.len() {
                done += rustix::io::pwrite(fd, &src[done..], offset + done as u64)
                    .map_err(host_errno)?;
            }
            return Ok(());
        }
        let (first, last) = (
            offset / PAGE as u64,
            (offset + src.len() as u64 - 1) / PAGE as u64,
        );
        let missing = (first..=last)
            .filter(|i| !self.pages.contains_key(i))
            .count();
        sh.charge(missing)?;
        let mut done = 0;
        while done < src.len() {
            let pos = offset + done as u64;
            let (idx, at) = (pos / PAGE as u64, (pos % PAGE as u64) as usize);
            let take = (PAGE - at).min(src.len() - done);
            let page = self.pages.entry(idx).or_insert_with(|| Box::new([0; PAGE]));
            page[at..at + take].copy_from_slice(&src[done..done + take]);
            done += take;
        }
        self.size = self.size.max(offset + src.len() as u64);
        Ok(())
    }

    /// Sets the size of a memfd-backed file, charging the difference.
    fn resize(&mut self, len: u64, sh: &Shared) -> KResult<()> {
        let (old, new) = (
            self.size.div_ceil(PAGE as u64) as usize,
            len.div_ceil(PAGE as u64) as usize,
        );
        if new > old {
            sh.charge(new - old)?;
        }
        if let Some(fd) = &self.fd {
            if let Err(e) = rustix::fs::ftruncate(fd, len) {
                if new > old {
                    sh.release(new - old);
                }
                return Err(host_errno(e));
            }
        }
        if new < old {
            sh.release(old - new);
        }
        self.size = len;
        Ok(())
    }

    fn truncate(&mut self, len: u64, sh: &Shared) -> KResult<()> {
        if self.fd.is_some() {
            return self.resize(len, sh);
        }
        if len < self.size {
            let dropped = self.pages.split_off(&len.div_ceil(PAGE as u64));
            sh.release(dropped.len());
            // Bytes past the new end must read as zeros if it grows again.
            if !len.is_multiple_of(PAGE as u64) {
                if let Some(page) = self.pages.get_mut(&(len / PAGE as u64)) {
                    page[(len % PAGE as u64) as usize..].fill(0);
                }
            }
        }
        self.size = len;
        Ok(())
    }

    /// A descriptor of the file's memfd, moving the contents there first.
    fn map_fd(&mut self, sh: &Shared) -> KResult<std::os::fd::OwnedFd> {
        if self.fd.is_none() {
            let fd = rustix::fs::memfd_create("lind-memfs", rustix::fs::MemfdFlags::CLOEXEC)
                .map_err(host_errno)?;
            rustix::fs::ftruncate(&fd, self.size).map_err(host_errno)?;
            for (&idx, page) in &self.pages {
                let at = idx * PAGE as u64;
                let n = (self.size - at).min(PAGE as u64) as usize;
                let mut done = 0;
                while done < n {
                    done += rustix::io::pwrite(&fd, &page[done..n], at + done as u64)
                        .map_err(host_errno)?;
                }
            }
            let (had, want) = (self.pages.len(), self.size.div_ceil(PAGE as u64) as usize);
            if want > had {
                sh.charge(want - had)?;
            } else {
                sh.release(had - want);
            }
            self.pages.clear();
            self.fd = Some(fd);
        }
        let fd = self.fd.as_ref().ok_or(Errno::EIO)?;
        rustix::io::fcntl_dupfd_cloexec(fd, 0).map_err(host_errno)
    }
}

#[derive(Clone, Copy, Debug)]
struct Meta {
    /// Type and permission bits.
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u64,
    atime: Timespec,
    mtime: Timespec,
    ctime: Timespec,
}

struct DirData {
    entries: BTreeMap<Vec<u8>, Arc<Inode>>,
    /// The root's parent is itself.
    parent: Weak<Inode>,
    /// Set by rmdir: nothing may be created in it any more.
    removed: bool,
}

impl DirData {
    /// Whether `cred` may add `name` to this directory (`dir`'s contents):
    /// the checks creating and linking share, in Linux's order.
    fn may_add(&self, name: &[u8], dir: &Inode, cred: &Cred) -> KResult<()> {
        if self.entries.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        if self.removed {
            return Err(Errno::ENOENT);
        }
        if !dir.permits(cred, W_OK | X_OK) {
            return Err(Errno::EACCES);
        }
        Ok(())
    }
}

/// A regular file's bytes; they are given back to the file system's
/// budget when the last name and descriptor are gone.
struct FileBody {
    data: RwLock<Data>,
    sh: Arc<Shared>,
}

impl Drop for FileBody {
    fn drop(&mut self) {
        self.sh.release(self.data.get_mut().charged());
    }
}

enum Body {
    File(FileBody),
    Dir(Mutex<DirData>),
    Symlink(Vec<u8>),
    /// A socket (what `bind` makes); its type is in the mode.
    Special,
}

struct Inode {
    ino: u64,
    meta: Mutex<Meta>,
    body: Body,
}

impl Inode {
    fn is_dir(&self) -> bool {
        matches!(self.body, Body::Dir(_))
    }

    fn dir(&self) -> KResult<&Mutex<DirData>> {
        match &self.body {
            Body::Dir(d) => Ok(d),
            _ => Err(Errno::ENOTDIR),
        }
    }

    fn permits(&self, cred: &Cred, want: u32) -> bool {
        let m = self.meta.lock();
        permitted(m.mode, m.uid, m.gid, cred, want)
    }

    fn d_type(&self) -> u8 {
        match self.body {
            Body::File(_) => DT_REG,
            Body::Dir(_) => DT_DIR,
            Body::Symlink(_) => DT_LNK,
            Body::Special if self.meta.lock().mode & S_IFMT == S_IFIFO => DT_FIFO,
            Body::Special => DT_SOCK,
        }
    }

    fn size(&self) -> u64 {
        match &self.body {
            Body::File(f) => f.data.read().size,
            Body::Dir(_) => BLKSIZE as u64,
            Body::Symlink(t) => t.len() as u64,
            Body::Special => 0,
        }
    }

    fn stat(&self, dev: u64) -> Stat {
        let size = self.size();
        let blocks = match &self.body {
            Body::File(f) => (f.data.read().charged() * PAGE / 512) as i64,
            _ => (size.div_ceil(BLKSIZE as u64) * (BLKSIZE as u64 / 512)) as i64,
        };
        let m = *self.meta.lock();
        Stat {
            dev,
            ino: self.ino,
            nlink: m.nlink,
            mode: m.mode,
            uid: m.uid,
            gid: m.gid,
            rdev: 0,
            size: size as i64,
            blksize: BLKSIZE,
            blocks,
            atime: m.atime,
            mtime: m.mtime,
            ctime: m.ctime,
        }
    }

    /// Marks a content change: mtime and ctime.
    fn touch(&self, t: Timespec) {
        let mut m = self.meta.lock();
        m.mtime = t;
        m.ctime = t;
    }

    fn change(&self, t: Timespec) {
        self.meta.lock().ctime = t;
    }
}

/// Whether `cred` may remove or replace `victim` in `dir` (sticky bit).
fn sticky_ok(dir: &Inode, victim: &Inode, cred: &Cred) -> bool {
    let d = *dir.meta.lock();
    d.mode & S_ISVTX == 0
        || cred.is_root()
        || cred.euid == d.uid
        || cred.euid == victim.meta.lock().uid
}

/// An in-memory file system. Cheap to clone: clones share the tree.
#[derive(Clone)]
pub struct MemFs {
    sh: Arc<Shared>,
    root: Arc<Inode>,
    /// Guest path it is mounted at ("" for `/`), for absolute symlinks.
    mount_point: Vec<u8>,
}

impl MemFs {
    /// A file system whose root directory has permission bits `mode`
    /// (01777 for `/tmp`) and the given owner.
    pub fn new(host: Arc<dyn Host>, uid: u32, gid: u32, mode: u32) -> Self {
        let t = now(&*host);
        let sh = Arc::new(Shared {
            host,
            dev: NEXT_DEV.fetch_add(1, Ordering::Relaxed),
            next_ino: AtomicU64::new(2),
            used: AtomicU64::new(0),
            capacity: AtomicU64::new(DEFAULT_CAPACITY),
            tree: Mutex::new(()),
        });
        let root = Arc::new_cyclic(|me| Inode {
            ino: 1,
            meta: Mutex::new(Meta {
                mode: S_IFDIR | (mode & 0o7777),
                uid,
                gid,
                nlink: 2,
                atime: t,
                mtime: t,
                ctime: t,
            }),
            body: Body::Dir(Mutex::new(DirData {
                entries: BTreeMap::new(),
                parent: me.clone(),
                removed: false,
            })),
        });
        MemFs {
            sh,
            root,
            mount_point: Vec::new(),
        }
    }

    /// Tells the file system where it is mounted (`/tmp`), so absolute
    /// symlinks pointing inside it resolve.
    pub fn mounted_at(mut self, at: &[u8]) -> Self {
        let at = at.strip_suffix(b"/").unwrap_or(at);
        self.mount_point = at.to_vec();
        self
    }

    /// Caps the bytes its files may hold (ENOSPC past it).
    pub fn with_capacity(self, bytes: u64) -> Self {
        self.sh.capacity.store(bytes, Ordering::Relaxed);
        self
    }

    /// Bytes its regular files hold now.
    pub fn used(&self) -> u64 {
        self.sh.used.load(Ordering::Relaxed)
    }

    fn new_inode(&self, mode: u32, cred: &Cred, parent: &Inode, body: Body) -> Arc<Inode> {
        let t = self.sh.now();
        let pm = *parent.meta.lock();
        let mut mode = mode;
        let gid = if pm.mode & S_ISGID != 0 {
            if mode & S_IFMT == S_IFDIR {
                mode |= S_ISGID;
            }
            pm.gid
        } else {
            cred.egid
        };
        let nlink = if mode & S_IFMT == S_IFDIR { 2 } else { 1 };
        Arc::new(Inode {
            ino: self.sh.next_ino.fetch_add(1, Ordering::Relaxed),
            meta: Mutex::new(Meta {
                mode,
                uid: cred.euid,
                gid,
                nlink,
                atime: t,
                mtime: t,
                ctime: t,
            }),
            body,
        })
    }

    /// Resolves `path` from `start` (absolute targets from the root),
    /// following symlinks in the middle and, if `follow_last`, at the end.
    /// With a `cred`, every directory walked needs search permission.
    fn walk(
        &self,
        start: &Arc<Inode>,
        path: &[u8],
        follow_last: bool,
        cred: Option<&Cred>,
        hops: &mut usize,
    ) -> KResult<Arc<Inode>> {
        let mut cur = start.clone();
        let comps: Vec<&[u8]> = path
            .split(|&c| c == b'/')
            .filter(|c| !c.is_empty() && *c != b".")
            .collect();
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let next = {
                let dir = cur.dir()?;
                if let Some(c) = cred {
                    if !cur.permits(c, X_OK) {
                        return Err(Errno::EACCES);
                    }
                }
                if *comp == b".." {
                    dir.lock()
                        .parent
                        .upgrade()
                        .unwrap_or_else(|| self.root.clone())
                } else {
                    if comp.len() > NAME_MAX {
                        return Err(Errno::ENAMETOOLONG);
                    }
                    dir.lock()
                        .entries
                        .get(*comp)
                        .cloned()
                        .ok_or(Errno::ENOENT)?
                }
            };
            cur = match &next.body {
                Body::Symlink(target) if !last || follow_last => {
                    *hops += 1;
                    if *hops > MAX_SYMLINKS {
                        return Err(Errno::ELOOP);
                    }
                    self.follow(&cur, target, cred, hops)?
                }
                _ => next,
            };
        }
        Ok(cur)
    }

    /// Resolves a symlink `target` found in directory `dir`.
    fn follow(
        &self,
        dir: &Arc<Inode>,
        target: &[u8],
        cred: Option<&Cred>,
        hops: &mut usize,
    ) -> KResult<Arc<Inode>> {
        if target.is_empty() {
            return Err(Errno::ENOENT);
        }
        if target[0] != b'/' {
            return self.walk(dir, target, true, cred, hops);
        }
        let mp = &self.mount_point;
        let inside = target.starts_with(mp) && matches!(target.get(mp.len()), None | Some(b'/'));
        if !inside {
            return Err(Errno::EACCES);
        }
        self.walk(&self.root, &target[mp.len()..], true, cred, hops)
    }

    fn lookup(&self, path: &[u8], follow: bool, cred: Option<&Cred>) -> KResult<Arc<Inode>> {
        self.walk(&self.root, path, follow, cred, &mut 0)
    }

    /// The directory that holds the last component of `path`, and that
    /// name. The root itself has no parent: `Err(root_err)`.
    fn parent<'p>(
        &self,
        path: &'p [u8],
        cred: Option<&Cred>,
        root_err: Errno,
    ) -> KResult<(Arc<Inode>, &'p [u8])> {
        let (dir, name) = split_last(path);
        if name.is_empty() {
            return Err(root_err);
        }
        if name.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        let d = self.lookup(dir, true, cred)?;
        if !d.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if let Some(c) = cred {
            if !d.permits(c, X_OK) {
                return Err(Errno::EACCES);
            }
        }
        Ok((d, name))
    }

    fn handle(&self, node: Arc<Inode>) -> Arc<dyn FileLike> {
        Arc::new(MemFile {
            sh: self.sh.clone(),
            node,
        })
    }

    /// Creates a new entry through `make`, after the checks every creation
    /// shares.
    fn create(
        &self,
        path: &[u8],
        cred: &Cred,
        make: impl FnOnce(&Inode) -> Arc<Inode>,
    ) -> KResult<Arc<Inode>> {
        let _tree = self.sh.tree.lock();
        let (dir, name) = self.parent(path, Some(cred), Errno::EEXIST)?;
        let d = dir.dir()?;
        let mut g = d.lock();
        g.may_add(name, &dir, cred)?;
        let node = make(&dir);
        if let Body::Dir(child) = &node.body {
            child.lock().parent = Arc::downgrade(&dir);
            dir.meta.lock().nlink += 1;
        }
        g.entries.insert(name.to_vec(), node.clone());
        dir.touch(self.sh.now());
        Ok(node)
    }
}

impl FileSystem for MemFs {
    /// A tmpfs of the file system's capacity, less what files hold.
    fn statfs(&self) -> KResult<lind_abi::layout::StatFs> {
        let page = PAGE as u64;
        let blocks = self.sh.capacity.load(Ordering::Relaxed) / page;
        let used = self.sh.used.load(Ordering::Relaxed).div_ceil(page);
        Ok(super::memory_statfs(
            lind_abi::layout::TMPFS_MAGIC,
            blocks,
            blocks.saturating_sub(used),
        ))
    }

    fn open(&self, path: &[u8], flags: u32, mode: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>> {
        let nofollow = flags & O_NOFOLLOW != 0;
        let node = if flags & O_CREAT != 0 && !path.is_empty() {
            if flags & O_DIRECTORY != 0 {
                return Err(Errno::EINVAL);
            }
            let tree = self.sh.tree.lock();
            let (dir, name) = self.parent(path, Some(cred), Errno::EISDIR)?;
            let d = dir.dir()?;
            let mut g = d.lock();
            match g.entries.get(name).cloned() {
                Some(existing) => {
                    drop(g);
                    drop(tree);
                    if flags & O_EXCL != 0 {
                        return Err(Errno::EEXIST);
                    }
                    match &existing.body {
                        Body::Symlink(_) if nofollow => return Err(Errno::ELOOP),
                        Body::Symlink(target) => self.follow(&dir, target, Some(cred), &mut 1)?,
                        _ => existing,
                    }
                }
                None => {
                    if g.removed {
                        return Err(Errno::ENOENT);
                    }
                    if !dir.permits(cred, W_OK | X_OK) {
                        return Err(Errno::EACCES);
                    }
                    let node = self.new_inode(
                        S_IFREG | (mode & 0o7777),
                        cred,
                        &dir,
                        Body::File(FileBody {
                            data: RwLock::new(Data::default()),
                            sh: self.sh.clone(),
                        }),
                    );
                    g.entries.insert(name.to_vec(), node.clone());
                    dir.touch(self.sh.now());
                    // A new file opens in any access mode, whatever its mode.
                    return Ok(self.handle(node));
                }
            }
        } else {
            self.lookup(path, !nofollow, Some(cred))?
        };
        let acc = flags & O_ACCMODE;
        let path_only = flags & O_PATH != 0;
        match &node.body {
            Body::Symlink(_) if !path_only => return Err(Errno::ELOOP),
            Body::Dir(_) if !path_only && (acc != O_RDONLY || flags & (O_CREAT | O_TRUNC) != 0) => {
                return Err(Errno::EISDIR)
            }
            Body::Dir(_) => {}
            _ if flags & O_DIRECTORY != 0 => return Err(Errno::ENOTDIR),
            _ => {}
        }
        if path_only {
            return Ok(self.handle(node));
        }
        let mut want = 0;
        if acc == O_RDONLY || acc == O_RDWR {
            want |= R_OK;
        }
        let special = matches!(node.body, Body::Special);
        if acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC != 0 && !special) {
            want |= W_OK;
        }
        if !node.permits(cred, want) {
            return Err(Errno::EACCES);
        }
        // Sockets cannot be opened (connect to them instead); the kernel
        // opens FIFOs itself.
        if special {
            return Err(Errno::ENXIO);
        }
        if flags & O_TRUNC != 0 {
            if let Body::File(f) = &node.body {
                f.data.write().truncate(0, &self.sh)?;
                node.touch(self.sh.now());
            }
        }
        Ok(self.handle(node))
    }

    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat> {
        Ok(self.lookup(path, follow, None)?.stat(self.sh.dev))
    }

    fn access(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        let node = self.lookup(path, true, Some(cred))?;
        if mode & (R_OK | W_OK | X_OK) != 0 && !node.permits(cred, mode) {
            return Err(Errno::EACCES);
        }
        Ok(())
    }

    fn mkdir(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        self.create(path, cred, |parent| {
            let body = Body::Dir(Mutex::new(DirData {
                entries: BTreeMap::new(),
                parent: Weak::new(),
                removed: false,
            }));
            self.new_inode(S_IFDIR | (mode & 0o7777), cred, parent, body)
        })?;
        Ok(())
    }

    fn rmdir(&self, path: &[u8], cred: &Cred) -> KResult<()> {
        let _tree = self.sh.tree.lock();
        let (dir, name) = self.parent(path, Some(cred), Errno::EBUSY)?;
        let d = dir.dir()?;
        let mut g = d.lock();
        let victim = g.entries.get(name).cloned().ok_or(Errno::ENOENT)?;
        let vd = victim.dir()?;
        let mut vg = vd.lock();
        if !vg.entries.is_empty() {
            return Err(Errno::ENOTEMPTY);
        }
        if !dir.permits(cred, W_OK | X_OK) {
            return Err(Errno::EACCES);
        }
        if !sticky_ok(&dir, &victim, cred) {
            return Err(Errno::EPERM);
        }
        g.entries.remove(name);
        vg.removed = true;
        let t = self.sh.now();
        {
            let mut vm = victim.meta.lock();
            vm.nlink = 0;
            vm.ctime = t;
        }
        dir.meta.lock().nlink -= 1;
        dir.touch(t);
        Ok(())
    }

    fn unlink(&self, path: &[u8], cred: &Cred) -> KResult<()> {
        let _tree = self.sh.tree.lock();
        let (dir, name) = self.parent(path, Some(cred), Errno::EISDIR)?;
        let d = dir.dir()?;
        let mut g = d.lock();
        let victim = g.entries.get(name).cloned().ok_or(Errno::ENOENT)?;
        if victim.is_dir() {
            return Err(Errno::EISDIR);
        }
        if !dir.permits(cred, W_OK | X_OK) {
            return Err(Errno::EACCES);
        }
        if !sticky_ok(&dir, &victim, cred) {
            return Err(Errno::EPERM);
        }
        g.entries.remove(name);
        let t = self.sh.now();
        {
            let mut vm = victim.meta.lock();
            vm.nlink = vm.nlink.saturating_sub(1);
            vm.ctime = t;
        }
        dir.touch(t);
        Ok(())
    }

    fn rename(&self, from: &[u8], to: &[u8], cred: &Cred) -> KResult<()> {
        let _tree = self.sh.tree.lock();
        let (fdir, fname) = self.parent(from, Some(cred), Errno::EBUSY)?;
        let (tdir, tname) = self.parent(to, Some(cred), Errno::EBUSY)?;
        let same_dir = Arc::ptr_eq(&fdir, &tdir);
        let src = fdir
            .dir()?
            .lock()
            .entries
            .get(fname)
            .cloned()
            .ok_or(Errno::ENOENT)?;
        let (dst, removed) = {
            let g = tdir.dir()?.lock();
            (g.entries.get(tname).cloned(), g.removed)
        };
        if removed {
            return Err(Errno::ENOENT);
        }
        if dst.as_ref().is_some_and(|d| Arc::ptr_eq(d, &src)) {
            return Ok(());
        }
        // A directory may not move below itself. Parent links only change
        // under the tree lock, which we hold.
        if src.is_dir() {
            let mut up = tdir.clone();
            loop {
                if Arc::ptr_eq(&up, &src) {
                    return Err(Errno::EINVAL);
                }
                let p = up.dir()?.lock().parent.upgrade();
                match p {
                    Some(p) if !Arc::ptr_eq(&p, &up) => up = p,
                    _ => break,
                }
            }
        }
        if let Some(dst) = &dst {
            match (src.is_dir(), dst.is_dir()) {
                (true, false) => return Err(Errno::ENOTDIR),
                (false, true) => return Err(Errno::EISDIR),
                (true, true) if !dst.dir()?.lock().entries.is_empty() => {
                    return Err(Errno::ENOTEMPTY)
                }
                _ => {}
            }
        }
        if !fdir.permits(cred, W_OK | X_OK) || !tdir.permits(cred, W_OK | X_OK) {
            return Err(Errno::EACCES);
        }
        if !sticky_ok(&fdir, &src, cred) || dst.as_ref().is_some_and(|d| !sticky_ok(&tdir, d, cred))
        {
            return Err(Errno::EPERM);
        }
        // Moving a directory to a new parent rewrites its `..`.
        if src.is_dir() && !same_dir && !src.permits(cred, W_OK) {
            return Err(Errno::EACCES);
        }
        let t = self.sh.now();
        // The target name switches to the source in one step.
        tdir.dir()?
            .lock()
            .entries
            .insert(tname.to_vec(), src.clone());
        fdir.dir()?.lock().entries.remove(fname);
        if let Some(dst) = dst {
            if let Body::Dir(dd) = &dst.body {
                dd.lock().removed = true;
                dst.meta.lock().nlink = 0;
                tdir.meta.lock().nlink -= 1;
            } else {
                let mut dm = dst.meta.lock();
                dm.nlink = dm.nlink.saturating_sub(1);
            }
            dst.change(t);
        }
        if let Body::Dir(sd) = &src.body {
            if !same_dir {
                sd.lock().parent = Arc::downgrade(&tdir);
                fdir.meta.lock().nlink -= 1;
                tdir.meta.lock().nlink += 1;
            }
        }
        src.change(t);
        fdir.touch(t);
        tdir.touch(t);
        Ok(())
    }

    fn link(&self, from: &[u8], to: &[u8], cred: &Cred) -> KResult<()> {
        let _tree = self.sh.tree.lock();
        let src = self.lookup(from, false, Some(cred))?;
        if src.is_dir() {
            return Err(Errno::EPERM);
        }
        let (dir, name) = self.parent(to, Some(cred), Errno::EEXIST)?;
        let d = dir.dir()?;
        let mut g = d.lock();
        g.may_add(name, &dir, cred)?;
        let t = self.sh.now();
        {
            let mut m = src.meta.lock();
            if m.nlink == 0 {
                return Err(Errno::ENOENT);
            }
            m.nlink += 1;
            m.ctime = t;
        }
        g.entries.insert(name.to_vec(), src);
        dir.touch(t);
        Ok(())
    }

    fn symlink(&self, target: &[u8], path: &[u8], cred: &Cred) -> KResult<()> {
        if target.is_empty() {
            return Err(Errno::ENOENT);
        }
        self.create(path, cred, |parent| {
            self.new_inode(
                S_IFLNK | 0o777,
                cred,
                parent,
                Body::Symlink(target.to_vec()),
            )
        })?;
        Ok(())
    }

    fn mknod(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()> {
        if !matches!(mode & S_IFMT, S_IFSOCK | S_IFIFO) {
            return Err(Errno::EPERM);
        }
        self.create(path, cred, |parent| {
            self.new_inode(mode & (S_IFMT | 0o7777), cred, parent, Body::Special)
        })?;
        Ok(())
    }

    fn readlink(&self, path: &[u8]) -> KResult<Vec<u8>> {
        match &self.lookup(path, false, None)?.body {
            Body::Symlink(t) => Ok(t.clone()),
            _ => Err(Errno::EINVAL),
        }
    }

    fn chmod(&self, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        let node = self.lookup(path, follow, None)?;
        if matches!(node.body, Body::Symlink(_)) {
            return Err(Errno::EOPNOTSUPP);
        }
        self.handle(node).chmod(mode)
    }

    fn chown(&self, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        let node = self.lookup(path, follow, None)?;
        self.handle(node).chown(uid, gid)
    }

    fn set_times(
        &self,
        path: &[u8],
        atime: TimeSpec,
        mtime: TimeSpec,
        follow: bool,
    ) -> KResult<()> {
        let node = self.lookup(path, follow, None)?;
        self.handle(node).set_times(atime, mtime)
    }

    fn truncate(&self, path: &[u8], len: u64) -> KResult<()> {
        let node = self.lookup(path, true, None)?;
        self.handle(node).truncate(len)
    }
}

/// An open memfs inode (any kind: directories and, with `O_PATH`, symlinks
/// too).
struct MemFile {
    sh: Arc<Shared>,
    node: Arc<Inode>,
}

impl FileLike for MemFile {
    fn seekable(&self) -> bool {
        matches!(self.node.body, Body::File(_))
    }

    /// Pages are made as they are written, so there is nothing to
    /// reserve: mode 0 grows the file, FALLOC_FL_KEEP_SIZE has nothing to
    /// do; hole punching and the other modes are EOPNOTSUPP here.
    fn allocate(&self, mode: u32, offset: u64, len: u64) -> KResult<()> {
        const FALLOC_FL_KEEP_SIZE: u32 = 1;
        let end = offset.checked_add(len).ok_or(Errno::EFBIG)?;
        match mode {
            0 if end > self.stat()?.size as u64 => self.truncate(end),
            0 | FALLOC_FL_KEEP_SIZE => Ok(()),
            _ => Err(Errno::EOPNOTSUPP),
        }
    }

    /// Linux's tmpfs files are shmem files sealed with F_SEAL_SEAL from
    /// the start: F_GET_SEALS says so and F_ADD_SEALS is EPERM.
    fn seals(&self) -> KResult<u32> {
        match self.node.body {
            Body::File(_) => Ok(F_SEAL_SEAL),
            _ => Err(Errno::EINVAL),
        }
    }

    fn add_seals(&self, _seals: u32) -> KResult<()> {
        self.seals().and(Err(Errno::EPERM))
    }

    fn read(&self, _buf: &mut [u8], _status: u32) -> KResult<usize> {
        Err(if self.node.is_dir() {
            Errno::EISDIR
        } else {
            Errno::EINVAL
        })
    }

    fn pread(&self, buf: &mut [u8], offset: u64) -> KResult<usize> {
        match &self.node.body {
            Body::File(f) => Ok(f.data.read().read(buf, offset)),
            Body::Dir(_) => Err(Errno::EISDIR),
            Body::Symlink(_) | Body::Special => Err(Errno::EBADF),
        }
    }

    fn pwrite(&self, src: &[u8], offset: u64) -> KResult<usize> {
        let Body::File(f) = &self.node.body else {
            return Err(Errno::EBADF);
        };
        if src.is_empty() {
            return Ok(0);
        }
        let end = offset.checked_add(src.len() as u64).ok_or(Errno::EFBIG)?;
        if end > i64::MAX as u64 {
            return Err(Errno::EFBIG);
        }
        f.data.write().write(src, offset, &self.sh)?;
        self.node.touch(self.sh.now());
        Ok(src.len())
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(self.node.stat(self.sh.dev))
    }

    fn map_fd(&self) -> KResult<std::os::fd::OwnedFd> {
        match &self.node.body {
            Body::File(f) => f.data.write().map_fd(&self.sh),
            _ => Err(Errno::ENODEV),
        }
    }

    /// Tagged so a memfs file never shares a lock key with a host file
    /// whose (anonymous) device number happens to be the same.
    fn lock_key(&self) -> Option<crate::lock::FileKey> {
        Some((self.sh.dev | 1 << 63, self.node.ino))
    }

    fn read_dir(&self) -> KResult<Vec<DirEntry>> {
        let d = self.node.dir()?;
        let g = d.lock();
        let parent = g.parent.upgrade().map_or(self.node.ino, |p| p.ino);
        let mut out = Vec::with_capacity(g.entries.len() + 2);
        out.push(DirEntry {
            ino: self.node.ino,
            kind: DT_DIR,
            name: b".".to_vec(),
        });
        out.push(DirEntry {
            ino: parent,
            kind: DT_DIR,
            name: b"..".to_vec(),
        });
        for (name, node) in &g.entries {
            out.push(DirEntry {
                ino: node.ino,
                kind: node.d_type(),
                name: name.clone(),
            });
        }
        Ok(out)
    }

    fn truncate(&self, len: u64) -> KResult<()> {
        match &self.node.body {
            Body::File(f) => {
                if len > i64::MAX as u64 {
                    return Err(Errno::EFBIG);
                }
                f.data.write().truncate(len, &self.sh)?;
                self.node.touch(self.sh.now());
                Ok(())
            }
            Body::Dir(_) => Err(Errno::EISDIR),
            Body::Symlink(_) | Body::Special => Err(Errno::EINVAL),
        }
    }

    fn chmod(&self, mode: u32) -> KResult<()> {
        let t = self.sh.now();
        let mut m = self.node.meta.lock();
        m.mode = (m.mode & S_IFMT) | (mode & 0o7777);
        m.ctime = t;
        Ok(())
    }

    fn chown(&self, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        let t = self.sh.now();
        let mut m = self.node.meta.lock();
        if let Some(u) = uid {
            m.uid = u;
        }
        if let Some(g) = gid {
            m.gid = g;
        }
        // As Linux: a change of owner drops set-user-ID (and set-group-ID on
        // group-executable files) from non-directories.
        if (uid.is_some() || gid.is_some()) && m.mode & S_IFMT != S_IFDIR {
            m.mode &= !S_ISUID;
            if m.mode & 0o010 != 0 {
                m.mode &= !S_ISGID;
            }
        }
        m.ctime = t;
        Ok(())
    }

    fn set_times(&self, atime: TimeSpec, mtime: TimeSpec) -> KResult<()> {
        let t = self.sh.now();
        let mut m = self.node.meta.lock();
        let pick = |spec: TimeSpec, old: Timespec| match spec {
            TimeSpec::Now => t,
            TimeSpec::Omit => old,
            TimeSpec::At(ts) => ts,
        };
        m.atime = pick(atime, m.atime);
        m.mtime = pick(mtime, m.mtime);
        m.ctime = t;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::FakeHost;
    use std::time::Duration;

    fn fs() -> (MemFs, Arc<FakeHost>) {
        let host = Arc::new(FakeHost::new());
        (
            MemFs::new(host.clone(), 0, 0, 0o1777).mounted_at(b"/tmp"),
            host,
        )
    }

    fn user(uid: u32) -> Cred {
        Cred::new(uid, uid)
    }

    fn root() -> Cred {
        Cred::new(0, 0)
    }

    fn create(fs: &MemFs, path: &[u8], data: &[u8], cred: &Cred) -> Arc<dyn FileLike> {
        let f = fs.open(path, O_CREAT | O_RDWR, 0o644, cred).unwrap();
        assert_eq!(f.pwrite(data, 0), Ok(data.len()));
        f
    }

    fn read_all(f: &dyn FileLike) -> Vec<u8> {
        let mut buf = vec![0u8; f.stat().unwrap().size as usize];
        let n = f.pread(&mut buf, 0).unwrap();
        buf.truncate(n);
        buf
    }

    fn names(fs: &MemFs, dir: &[u8]) -> Vec<Vec<u8>> {
        let d = fs.open(dir, O_RDONLY | O_DIRECTORY, 0, &root()).unwrap();
        d.read_dir().unwrap().into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn files_read_write_and_grow_sparsely() {
        let (fs, _) = fs();
        let f = create(&fs, b"a", b"hello", &root());
        assert_eq!(f.pwrite(b"!", 10), Ok(1));
        assert_eq!(read_all(&*f), b"hello\0\0\0\0\0!");
        let mut buf = [0u8; 4];
        assert_eq!(f.pread(&mut buf, 100), Ok(0));
        f.truncate(2).unwrap();
        assert_eq!(read_all(&*f), b"he");
        let st = f.stat().unwrap();
        assert_eq!(st.mode, S_IFREG | 0o644);
        assert_eq!((st.nlink, st.size, st.blocks), (1, 2, 8));
        assert_eq!(fs.used(), 4096);
    }

    #[test]
    fn sparse_files_cost_only_their_pages() {
        let (fs, _) = fs();
        let f = create(&fs, b"s", b"", &root());
        let far = 1u64 << 33;
        assert_eq!(f.pwrite(b"xy", far - 1), Ok(2));
        let st = f.stat().unwrap();
        assert_eq!((st.size, st.blocks), (far as i64 + 1, 16));
        assert_eq!(fs.used(), 2 * 4096);
        let mut buf = [9u8; 8];
        assert_eq!(f.pread(&mut buf, far - 4), Ok(5));
        assert_eq!(buf[..5], [0, 0, 0, b'x', b'y']);
        assert_eq!(f.pread(&mut buf, 12345), Ok(8));
        assert_eq!(buf, [0; 8]);
        // Cut inside a page, grow again: the cut bytes read as zeros.
        f.truncate(far).unwrap();
        assert_eq!(fs.used(), 4096);
        f.truncate(far + 10).unwrap();
        assert_eq!(f.pread(&mut buf, far - 1), Ok(8));
        assert_eq!(buf, [b'x', 0, 0, 0, 0, 0, 0, 0]);
        f.truncate(5 << 30).unwrap();
        assert_eq!(f.stat().unwrap().size, 5 << 30);
        assert_eq!(fs.used(), 0);
        assert_eq!(f.truncate(1 << 63), Err(Errno::EFBIG));
        assert_eq!(f.pwrite(b"x", i64::MAX as u64), Err(Errno::EFBIG));
    }

    #[test]
    fn fifo_nodes_are_checked_then_left_to_the_kernel() {
        let (fs, _) = fs();
        fs.mknod(b"p", S_IFIFO | 0o600, &root()).unwrap();
        assert_eq!(fs.stat(b"p", false).unwrap().mode, S_IFIFO | 0o600);
        let d = fs.open(b"", O_RDONLY | O_DIRECTORY, 0, &root()).unwrap();
        let entry = d.read_dir().unwrap().into_iter().find(|e| e.name == b"p");
        assert_eq!(entry.map(|e| e.kind), Some(DT_FIFO));
        // Permission first (as Linux's may_open), then ENXIO: the kernel
        // opens FIFOs. O_TRUNC asks for no write permission on one.
        assert_eq!(
            fs.open(b"p", O_RDONLY, 0, &user(5)).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(
            fs.open(b"p", O_RDONLY | O_TRUNC, 0, &root()).err(),
            Some(Errno::ENXIO)
        );
        assert!(fs.open(b"p", O_PATH, 0, &user(5)).is_ok());
        assert_eq!(fs.mknod(b"c", S_IFCHR | 0o600, &root()), Err(Errno::EPERM));
    }

    #[test]
    fn open_flags() {
        let (fs, _) = fs();
        let c = root();
        create(&fs, b"f", b"data", &c);
        fs.mkdir(b"d", 0o755, &c).unwrap();
        fs.symlink(b"f", b"l", &c).unwrap();
        assert_eq!(
            fs.open(b"f", O_CREAT | O_EXCL | O_WRONLY, 0o644, &c).err(),
            Some(Errno::EEXIST)
        );
        assert_eq!(
            fs.open(b"f", O_RDONLY | O_DIRECTORY, 0, &c).err(),
            Some(Errno::ENOTDIR)
        );
        assert_eq!(fs.open(b"d", O_WRONLY, 0, &c).err(), Some(Errno::EISDIR));
        assert_eq!(fs.open(b"d", O_RDWR, 0, &c).err(), Some(Errno::EISDIR));
        assert_eq!(
            fs.open(b"d", O_RDONLY | O_CREAT, 0o644, &c).err(),
            Some(Errno::EISDIR)
        );
        assert_eq!(
            fs.open(b"l", O_RDONLY | O_NOFOLLOW, 0, &c).err(),
            Some(Errno::ELOOP)
        );
        assert!(fs.open(b"l", O_PATH | O_NOFOLLOW, 0, &c).is_ok());
        assert_eq!(
            fs.open(b"missing", O_RDONLY, 0, &c).err(),
            Some(Errno::ENOENT)
        );
        assert_eq!(fs.open(b"f/x", O_RDONLY, 0, &c).err(), Some(Errno::ENOTDIR));
        assert_eq!(
            fs.open(b"nodir/x", O_CREAT | O_WRONLY, 0o644, &c).err(),
            Some(Errno::ENOENT)
        );
        // Through the symlink, O_CREAT opens the existing target.
        let f = fs.open(b"l", O_CREAT | O_RDWR, 0o600, &c).unwrap();
        assert_eq!(read_all(&*f), b"data");
        let f = fs.open(b"f", O_WRONLY | O_TRUNC, 0, &c).unwrap();
        assert_eq!(f.stat().unwrap().size, 0);
        // A new file opens for writing whatever mode it gets.
        assert!(fs.open(b"ro", O_CREAT | O_WRONLY, 0o444, &user(5)).is_ok());
        assert_eq!(
            fs.open(b"ro", O_WRONLY, 0, &user(5)).err(),
            Some(Errno::EACCES)
        );
    }

    #[test]
    fn directories_and_link_counts() {
        let (fs, _) = fs();
        let c = root();
        fs.mkdir(b"d", 0o755, &c).unwrap();
        fs.mkdir(b"d/e", 0o755, &c).unwrap();
        assert_eq!(fs.mkdir(b"d", 0o755, &c), Err(Errno::EEXIST));
        assert_eq!(fs.mkdir(b"", 0o755, &c), Err(Errno::EEXIST));
        assert_eq!(fs.stat(b"d", true).unwrap().nlink, 3);
        assert_eq!(fs.stat(b"", true).unwrap().nlink, 3);
        assert_eq!(fs.rmdir(b"d", &c), Err(Errno::ENOTEMPTY));
        assert_eq!(fs.unlink(b"d", &c), Err(Errno::EISDIR));
        create(&fs, b"f", b"", &c);
        assert_eq!(fs.rmdir(b"f", &c), Err(Errno::ENOTDIR));
        let d = fs.open(b"d", O_RDONLY, 0, &c).unwrap();
        let ents = d.read_dir().unwrap();
        assert_eq!(ents[0].name, b".");
        assert_eq!(ents[0].ino, fs.stat(b"d", true).unwrap().ino);
        assert_eq!(ents[1].name, b"..");
        assert_eq!(ents[1].ino, fs.stat(b"", true).unwrap().ino);
        assert_eq!((ents[2].name.as_slice(), ents[2].kind), (&b"e"[..], DT_DIR));
        fs.rmdir(b"d/e", &c).unwrap();
        fs.rmdir(b"d", &c).unwrap();
        assert_eq!(fs.stat(b"", true).unwrap().nlink, 2);
        // The open directory lives on, empty, and takes no new names.
        assert_eq!(d.stat().unwrap().nlink, 0);
        assert_eq!(d.read_dir().unwrap().len(), 2);
        assert_eq!(fs.rmdir(b"", &c), Err(Errno::EBUSY));
    }

    #[test]
    fn hard_links_share_the_inode() {
        let (fs, _) = fs();
        let c = root();
        create(&fs, b"a", b"x", &c);
        fs.link(b"a", b"b", &c).unwrap();
        assert_eq!(fs.stat(b"a", true).unwrap().nlink, 2);
        assert_eq!(
            fs.stat(b"a", true).unwrap().ino,
            fs.stat(b"b", true).unwrap().ino
        );
        assert_eq!(fs.link(b"a", b"b", &c), Err(Errno::EEXIST));
        fs.mkdir(b"d", 0o755, &c).unwrap();
        assert_eq!(fs.link(b"d", b"d2", &c), Err(Errno::EPERM));
        fs.unlink(b"a", &c).unwrap();
        let b = fs.open(b"b", O_RDONLY, 0, &c).unwrap();
        assert_eq!(read_all(&*b), b"x");
        assert_eq!(b.stat().unwrap().nlink, 1);
        // Unlinked but open: still readable; bytes come back when closed.
        fs.unlink(b"b", &c).unwrap();
        assert_eq!(read_all(&*b), b"x");
        assert_eq!(fs.used(), 4096);
        drop(b);
        assert_eq!(fs.used(), 0);
    }

    #[test]
    fn rename_rules() {
        let (fs, _) = fs();
        let c = root();
        create(&fs, b"a", b"A", &c);
        create(&fs, b"b", b"B", &c);
        fs.mkdir(b"d", 0o755, &c).unwrap();
        fs.mkdir(b"d/sub", 0o755, &c).unwrap();
        fs.mkdir(b"e", 0o755, &c).unwrap();
        fs.rename(b"a", b"b", &c).unwrap();
        assert_eq!(fs.stat(b"a", true).err(), Some(Errno::ENOENT));
        assert_eq!(read_all(&*fs.open(b"b", O_RDONLY, 0, &c).unwrap()), b"A");
        assert_eq!(fs.rename(b"b", b"d", &c), Err(Errno::EISDIR));
        assert_eq!(fs.rename(b"d", b"b", &c), Err(Errno::ENOTDIR));
        assert_eq!(fs.rename(b"e", b"d", &c), Err(Errno::ENOTEMPTY));
        assert_eq!(fs.rename(b"d", b"d/sub/x", &c), Err(Errno::EINVAL));
        assert_eq!(fs.rename(b"d", b"d/x", &c), Err(Errno::EINVAL));
        assert_eq!(fs.rename(b"nope", b"x", &c), Err(Errno::ENOENT));
        assert_eq!(fs.rename(b"", b"x", &c), Err(Errno::EBUSY));
        // Same file: nothing happens.
        fs.link(b"b", b"b2", &c).unwrap();
        fs.rename(b"b", b"b2", &c).unwrap();
        assert!(fs.stat(b"b", true).is_ok());
        // A directory over an empty one, to a new parent.
        fs.rename(b"d/sub", b"e", &c).unwrap();
        assert_eq!(fs.stat(b"d", true).unwrap().nlink, 2);
        assert_eq!(fs.stat(b"", true).unwrap().nlink, 4);
        fs.rename(b"e", b"d/moved", &c).unwrap();
        assert_eq!(fs.stat(b"d", true).unwrap().nlink, 3);
        assert_eq!(fs.stat(b"", true).unwrap().nlink, 3);
        let moved = fs.open(b"d/moved", O_RDONLY, 0, &c).unwrap();
        assert_eq!(
            moved.read_dir().unwrap()[1].ino,
            fs.stat(b"d", true).unwrap().ino
        );
        // `..` inside the moved directory now leads to its new parent.
        fs.symlink(b"../..", b"d/moved/up", &c).unwrap();
        assert_eq!(fs.stat(b"d/moved/up", true).unwrap().ino, 1);
    }

    #[test]
    fn symlinks_resolve_inside_and_never_escape() {
        let (fs, _) = fs();
        let c = root();
        fs.mkdir(b"d", 0o755, &c).unwrap();
        create(&fs, b"d/f", b"F", &c);
        fs.symlink(b"f", b"d/rel", &c).unwrap();
        fs.symlink(b"/tmp/d/f", b"abs", &c).unwrap();
        fs.symlink(b"/etc/passwd", b"out", &c).unwrap();
        fs.symlink(b"/tmpx", b"out2", &c).unwrap();
        fs.symlink(b"../../../../d/f", b"d/up", &c).unwrap();
        fs.symlink(b"d", b"dl", &c).unwrap();
        fs.symlink(b"loop2", b"loop1", &c).unwrap();
        fs.symlink(b"loop1", b"loop2", &c).unwrap();
        let ino = fs.stat(b"d/f", true).unwrap().ino;
        assert_eq!(fs.stat(b"d/rel", true).unwrap().ino, ino);
        assert_eq!(fs.stat(b"abs", true).unwrap().ino, ino);
        assert_eq!(fs.stat(b"d/up", true).unwrap().ino, ino);
        assert_eq!(fs.stat(b"dl/f", false).unwrap().ino, ino);
        assert_eq!(fs.stat(b"out", true).err(), Some(Errno::EACCES));
        assert_eq!(fs.stat(b"out2", true).err(), Some(Errno::EACCES));
        assert_eq!(fs.stat(b"loop1", true).err(), Some(Errno::ELOOP));
        assert_eq!(fs.stat(b"d/rel", false).unwrap().mode, S_IFLNK | 0o777);
        assert_eq!(fs.stat(b"d/rel", false).unwrap().size, 1);
        assert_eq!(fs.readlink(b"abs").unwrap(), b"/tmp/d/f");
        assert_eq!(fs.readlink(b"d/f"), Err(Errno::EINVAL));
        assert_eq!(fs.symlink(b"", b"e", &c), Err(Errno::ENOENT));
        assert_eq!(fs.symlink(b"x", b"abs", &c), Err(Errno::EEXIST));
        // Mounted at `/`, every absolute target is inside.
        let rootfs = MemFs::new(Arc::new(FakeHost::new()), 0, 0, 0o755);
        rootfs.mkdir(b"etc", 0o755, &c).unwrap();
        rootfs.symlink(b"/etc", b"e", &c).unwrap();
        assert_eq!(rootfs.stat(b"e", true).unwrap().mode & S_IFMT, S_IFDIR);
    }

    #[test]
    fn permissions_and_sticky_bit() {
        let (fs, _) = fs();
        let (alice, bob) = (user(1000), user(1001));
        create(&fs, b"alice", b"", &alice);
        // /tmp is 01777: bob may create but not remove alice's file.
        create(&fs, b"bob", b"", &bob);
        assert_eq!(fs.unlink(b"alice", &bob), Err(Errno::EPERM));
        assert_eq!(fs.rename(b"alice", b"x", &bob), Err(Errno::EPERM));
        assert_eq!(fs.rename(b"bob", b"alice", &bob), Err(Errno::EPERM));
        fs.unlink(b"alice", &root()).unwrap();
        fs.mkdir(b"private", 0o700, &alice).unwrap();
        create(&fs, b"private/f", b"", &alice);
        assert_eq!(fs.stat(b"private/f", true).unwrap().uid, 1000);
        assert_eq!(
            fs.open(b"private/f", O_RDONLY, 0, &bob).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(
            fs.open(b"private/g", O_CREAT | O_WRONLY, 0o644, &bob).err(),
            Some(Errno::EACCES)
        );
        assert_eq!(fs.access(b"private/f", F_OK, &bob), Err(Errno::EACCES));
        assert_eq!(fs.access(b"private", R_OK | W_OK | X_OK, &alice), Ok(()));
        assert_eq!(fs.access(b"private", R_OK, &bob), Err(Errno::EACCES));
        // Root reads and writes anything, but executes only what has an x bit.
        assert!(fs.open(b"private/f", O_RDWR, 0, &root()).is_ok());
        assert_eq!(fs.access(b"private/f", X_OK, &root()), Err(Errno::EACCES));
        fs.chmod(b"private/f", 0o744, true).unwrap();
        assert_eq!(fs.access(b"private/f", X_OK, &root()), Ok(()));
        // Write-protected directory.
        fs.mkdir(b"ro", 0o555, &alice).unwrap();
        assert_eq!(fs.mkdir(b"ro/x", 0o755, &alice), Err(Errno::EACCES));
        assert_eq!(fs.symlink(b"t", b"ro/x", &alice), Err(Errno::EACCES));
        // Set-group-ID directories hand down their group.
        fs.mkdir(b"shared", 0o2777, &root()).unwrap();
        fs.chown(b"shared", None, Some(50), true).unwrap();
        create(&fs, b"shared/f", b"", &alice);
        fs.mkdir(b"shared/d", 0o755, &alice).unwrap();
        assert_eq!(fs.stat(b"shared/f", true).unwrap().gid, 50);
        assert_eq!(fs.stat(b"shared/d", true).unwrap().mode, S_IFDIR | 0o2755);
    }

    #[test]
    fn inodes_are_unique_and_times_follow_the_clock() {
        let (fs, host) = fs();
        let c = root();
        let mut seen = std::collections::HashSet::new();
        for i in 0..50 {
            let name = format!("f{i}");
            create(&fs, name.as_bytes(), b"", &c);
            assert!(seen.insert(fs.stat(name.as_bytes(), true).unwrap().ino));
        }
        let t0 = fs.stat(b"f0", true).unwrap();
        assert_eq!(t0.mtime.sec, 1_700_000_000);
        host.sleep(Duration::from_secs(5)).unwrap();
        let f = fs.open(b"f0", O_WRONLY, 0, &c).unwrap();
        f.pwrite(b"x", 0).unwrap();
        let t1 = f.stat().unwrap();
        assert_eq!(t1.mtime.sec, 1_700_000_005);
        assert_eq!(t1.ctime.sec, 1_700_000_005);
        assert_eq!(t1.atime.sec, 1_700_000_000);
        f.set_times(TimeSpec::At(Timespec { sec: 7, nsec: 8 }), TimeSpec::Omit)
            .unwrap();
        let t2 = f.stat().unwrap();
        assert_eq!(
            (t2.atime, t2.mtime),
            (Timespec { sec: 7, nsec: 8 }, t1.mtime)
        );
        // A new name changes the directory's mtime.
        host.sleep(Duration::from_secs(1)).unwrap();
        create(&fs, b"late", b"", &c);
        assert_eq!(fs.stat(b"", true).unwrap().mtime.sec, 1_700_000_006);
    }

    #[test]
    fn capacity_is_enforced() {
        let (fs, _) = fs();
        let fs = fs.with_capacity(2 * 4096);
        let f = create(&fs, b"f", &[1; 60], &root());
        assert_eq!(f.pwrite(&[2; 50], 8192), Ok(50));
        assert_eq!(f.pwrite(&[2; 50], 4090), Err(Errno::ENOSPC));
        assert_eq!(f.pwrite(&[3; 10], 4000), Ok(10));
        assert_eq!(fs.used(), 2 * 4096);
        // Holes are free.
        f.truncate(1 << 40).unwrap();
        assert_eq!(fs.used(), 2 * 4096);
        f.truncate(0).unwrap();
        assert_eq!(fs.used(), 0);
    }

    #[test]
    fn statfs_is_a_tmpfs_of_the_capacity_less_what_files_hold() {
        let (fs, _) = fs();
        let fs = fs.with_capacity(8 * 4096);
        let f = create(&fs, b"f", &[1; 5000], &root());
        let s = fs.statfs().unwrap();
        assert_eq!(s.fs_type, lind_abi::layout::TMPFS_MAGIC);
        assert_eq!((s.bsize, s.blocks, s.bfree, s.bavail), (4096, 8, 6, 6));
        f.truncate(0).unwrap();
        assert_eq!(fs.statfs().unwrap().bfree, 8);
    }

    #[test]
    fn mapped_files_move_into_a_memfd_and_stay_consistent() {
        let (fs, _) = fs();
        let fs = fs.with_capacity(4 * 4096);
        let f = create(&fs, b"f", b"hello", &root());
        f.pwrite(b"far", 6000).unwrap();
        assert_eq!(fs.used(), 2 * 4096);
        let fd = f.map_fd().unwrap();
        // The host descriptor has what the file had, holes as zeros.
        let mut buf = [0u8; 6003];
        assert_eq!(rustix::io::pread(&fd, &mut buf, 0).unwrap(), 6003);
        assert_eq!((&buf[..5], &buf[6000..]), (&b"hello"[..], &b"far"[..]));
        assert!(buf[5..6000].iter().all(|&b| b == 0));
        // Stores through the host side (a mapping) are what read() sees,
        // and write() is what the host side sees.
        rustix::io::pwrite(&fd, b"HE", 0).unwrap();
        f.pwrite(b"LLO", 2).unwrap();
        assert_eq!(read_all(&*f)[..5], *b"HELLO");
        // Charged for its whole size from now on, growing and shrinking.
        f.truncate(3 * 4096).unwrap();
        assert_eq!(fs.used(), 3 * 4096);
        assert_eq!(f.truncate(5 * 4096), Err(Errno::ENOSPC));
        assert_eq!(f.stat().unwrap().size, 3 * 4096);
        f.truncate(10).unwrap();
        assert_eq!(fs.used(), 4096);
        assert_eq!(rustix::fs::fstat(&fd).unwrap().st_size, 10);
        drop(f);
        fs.unlink(b"f", &root()).unwrap();
        assert_eq!(fs.used(), 0);
    }

    #[test]
    fn chown_drops_setuid_and_chmod_keeps_type() {
        let (fs, _) = fs();
        let f = create(&fs, b"f", b"", &root());
        f.chmod(0o6755).unwrap();
        assert_eq!(f.stat().unwrap().mode, S_IFREG | 0o6755);
        f.chown(Some(5), None).unwrap();
        assert_eq!(f.stat().unwrap().mode, S_IFREG | 0o755);
        assert_eq!(f.stat().unwrap().uid, 5);
        fs.symlink(b"f", b"l", &root()).unwrap();
        assert_eq!(fs.chmod(b"l", 0o600, false), Err(Errno::EOPNOTSUPP));
        assert_eq!(names(&fs, b""), [&b"."[..], b"..", b"f", b"l"]);
    }

    #[test]
    fn concurrent_renames_and_lookups_do_not_deadlock() {
        let (fs, _) = fs();
        let c = root();
        fs.mkdir(b"a", 0o777, &c).unwrap();
        fs.mkdir(b"b", 0o777, &c).unwrap();
        create(&fs, b"a/f", b"", &c);
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let fs = fs.clone();
                std::thread::spawn(move || {
                    let c = root();
                    for _ in 0..500 {
                        let _ = fs.rename(b"a/f", b"b/f", &c);
                        let _ = fs.rename(b"b/f", b"a/f", &c);
                        let _ = fs.stat(b"a/f", true);
                        let _ = fs.rename(b"a", b"b/a", &c);
                        let _ = fs.rename(b"b/a", b"a", &c);
                        if i == 0 {
                            let _ = fs.open(b"a/g", O_CREAT | O_RDWR, 0o644, &c);
                            let _ = fs.unlink(b"a/g", &c);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let total = fs.stat(b"a/f", true).is_ok() as u32 + fs.stat(b"b/f", true).is_ok() as u32;
        assert_eq!(total, 1);
    }
}
