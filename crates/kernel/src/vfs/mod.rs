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

/// Longest path a syscall accepts, including the NUL (Linux's PATH_MAX).
pub const PATH_MAX: usize = 4096;
/// Longest single component (NAME_MAX).
pub const NAME_MAX: usize = 255;

/// A file system mounted somewhere in the cage's tree. Paths are relative to
/// its root, normalized: no `.`/`..` components, no leading or doubled `/`;
/// the empty path is its root. Defaults are Linux's errnos for file systems
/// that cannot do an operation.
pub trait FileSystem: Send + Sync {
    fn open(&self, path: &[u8], flags: u32, mode: u32, cred: &Cred) -> KResult<Arc<dyn FileLike>>;
    fn stat(&self, path: &[u8], follow: bool) -> KResult<Stat>;
    fn access(&self, path: &[u8], mode: u32, cred: &Cred) -> KResult<()>;
    fn mkdir(&self, _path: &[u8], _mode: u32, _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn rmdir(&self, _path: &[u8]) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn unlink(&self, _path: &[u8]) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn rename(&self, _from: &[u8], _to: &[u8]) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn link(&self, _from: &[u8], _to: &[u8]) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn symlink(&self, _target: &[u8], _path: &[u8], _cred: &Cred) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn readlink(&self, _path: &[u8]) -> KResult<Vec<u8>> {
        Err(Errno::EINVAL)
    }
    fn chmod(&self, _path: &[u8], _mode: u32, _follow: bool) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn chown(&self, _path: &[u8], _uid: Option<u32>, _gid: Option<u32>, _follow: bool) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn set_times(&self, _path: &[u8], _atime: TimeSpec, _mtime: TimeSpec, _follow: bool) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn truncate(&self, _path: &[u8], _len: u64) -> KResult<()> {
        Err(Errno::EROFS)
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
        self.mounts.sort_by(|a, b| b.at.len().cmp(&a.at.len()));
    }

    /// Finds the file system holding absolute normalized path `abs` and the
    /// path relative to that file system's root.
    pub fn resolve<'a>(&'a self, abs: &[u8]) -> KResult<(&'a Mount, Vec<u8>)> {
        for m in &self.mounts {
            if abs == m.at.as_slice() || (abs.starts_with(&m.at) && abs.get(m.at.len()) == Some(&b'/')) {
                let rest = &abs[m.at.len()..];
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                return Ok((m, rest.to_vec()));
            }
        }
        Err(Errno::ENOENT)
    }

    /// Whether `abs` is exactly a mount point (which cannot be removed or
    /// renamed).
    pub fn is_mount_point(&self, abs: &[u8]) -> bool {
        self.mounts.iter().any(|m| m.at == abs) || abs == b"/"
    }
}

/// Joins `path` onto absolute directory `base` and removes `.`, `..` and
/// repeated slashes, without touching any file system. `..` at the root
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
    fn split_last_parts() {
        assert_eq!(split_last(b"a/b/c"), (&b"a/b"[..], &b"c"[..]));
        assert_eq!(split_last(b"c"), (&b""[..], &b"c"[..]));
    }
}
