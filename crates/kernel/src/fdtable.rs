//! The per-cage descriptor table. Only close-on-exec lives here; offset and
//! status flags live in the shared [`OpenFile`].

use crate::{file::OpenFile, KResult};
use lind_abi::Errno;
use std::sync::Arc;

#[derive(Clone)]
pub struct FdEntry {
    pub file: Arc<OpenFile>,
    pub cloexec: bool,
}

#[derive(Clone)]
pub struct FdTable {
    entries: Vec<Option<FdEntry>>,
}

/// Default RLIMIT_NOFILE soft limit, as on Linux.
pub const DEFAULT_NOFILE: u64 = 1024;

impl Default for FdTable {
    fn default() -> Self {
        Self::new()
    }
}

impl FdTable {
    pub fn new() -> Self {
        FdTable {
            entries: Vec::new(),
        }
    }

    pub fn get(&self, fd: i32) -> KResult<Arc<OpenFile>> {
        self.entry(fd).map(|e| e.file.clone())
    }

    pub fn entry(&self, fd: i32) -> KResult<&FdEntry> {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.entries.get(i))
            .and_then(|e| e.as_ref())
            .ok_or(Errno::EBADF)
    }

    pub fn entry_mut(&mut self, fd: i32) -> KResult<&mut FdEntry> {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.entries.get_mut(i))
            .and_then(|e| e.as_mut())
            .ok_or(Errno::EBADF)
    }

    /// Installs at the lowest free number ≥ `min`; EMFILE past `limit`.
    pub fn insert_lowest(&mut self, entry: FdEntry, min: i32, limit: u64) -> KResult<i32> {
        let min = usize::try_from(min).map_err(|_| Errno::EINVAL)?;
        let free = (min..)
            .find(|&i| self.entries.get(i).is_none_or(|e| e.is_none()))
            .unwrap_or(min);
        if free as u64 >= limit {
            return Err(Errno::EMFILE);
        }
        self.place(free, entry);
        Ok(free as i32)
    }

    /// Installs at `fd`, returning what was there (the caller closes it
    /// after dropping its locks).
    pub fn insert_at(&mut self, fd: i32, entry: FdEntry, limit: u64) -> KResult<Option<FdEntry>> {
        let i = usize::try_from(fd).map_err(|_| Errno::EBADF)?;
        if i as u64 >= limit {
            return Err(Errno::EBADF);
        }
        let old = self.entries.get_mut(i).and_then(|e| e.take());
        self.place(i, entry);
        Ok(old)
    }

    fn place(&mut self, i: usize, entry: FdEntry) {
        if self.entries.len() <= i {
            self.entries.resize(i + 1, None);
        }
        self.entries[i] = Some(entry);
    }

    pub fn remove(&mut self, fd: i32) -> KResult<FdEntry> {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.entries.get_mut(i))
            .and_then(|e| e.take())
            .ok_or(Errno::EBADF)
    }

    /// Drops close-on-exec entries, returning them for closing.
    pub fn take_cloexec(&mut self) -> Vec<FdEntry> {
        self.entries
            .iter_mut()
            .filter(|e| e.as_ref().is_some_and(|e| e.cloexec))
            .filter_map(|e| e.take())
            .collect()
    }

    /// The slots numbered `first..=last` that exist.
    fn range_mut(&mut self, first: u32, last: u32) -> &mut [Option<FdEntry>] {
        let end = self.entries.len().min(last as usize + 1);
        let start = (first as usize).min(end);
        &mut self.entries[start..end]
    }

    /// close_range: takes the entries numbered `first..=last` out, for
    /// closing.
    pub fn take_range(&mut self, first: u32, last: u32) -> Vec<FdEntry> {
        self.range_mut(first, last)
            .iter_mut()
            .filter_map(|e| e.take())
            .collect()
    }

    /// close_range with CLOSE_RANGE_CLOEXEC: `first..=last` become
    /// close-on-exec instead.
    pub fn set_cloexec_range(&mut self, first: u32, last: u32) {
        for e in self.range_mut(first, last).iter_mut().flatten() {
            e.cloexec = true;
        }
    }

    /// Numbers in use, ascending.
    pub fn open_fds(&self) -> impl Iterator<Item = i32> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_some())
            .map(|(i, _)| i as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file::FileLike;
    use lind_abi::layout::Stat;

    struct Dummy;
    impl FileLike for Dummy {
        fn stat(&self) -> KResult<Stat> {
            Ok(Stat::default())
        }
    }

    fn entry(cloexec: bool) -> FdEntry {
        FdEntry {
            file: OpenFile::new(Arc::new(Dummy), 0, None),
            cloexec,
        }
    }

    #[test]
    fn ranges_close_or_mark_only_what_they_cover() {
        let mut t = FdTable::new();
        for _ in 0..6 {
            t.insert_lowest(entry(false), 0, 64).unwrap();
        }
        t.set_cloexec_range(1, 2);
        assert!(t.entry(1).unwrap().cloexec && t.entry(2).unwrap().cloexec);
        assert!(!t.entry(0).unwrap().cloexec && !t.entry(3).unwrap().cloexec);
        assert_eq!(t.take_range(2, 3).len(), 2);
        assert_eq!(t.open_fds().collect::<Vec<_>>(), [0, 1, 4, 5]);
        assert_eq!(t.take_range(5, u32::MAX).len(), 1);
        assert!(t.take_range(100, u32::MAX).is_empty());
        assert_eq!(t.open_fds().collect::<Vec<_>>(), [0, 1, 4]);
    }

    #[test]
    fn lowest_free_and_limits() {
        let mut t = FdTable::new();
        assert_eq!(t.insert_lowest(entry(false), 0, 3), Ok(0));
        assert_eq!(t.insert_lowest(entry(false), 0, 3), Ok(1));
        t.remove(0).unwrap();
        assert_eq!(t.insert_lowest(entry(false), 0, 3), Ok(0));
        assert_eq!(t.insert_lowest(entry(false), 0, 3), Ok(2));
        assert_eq!(
            t.insert_lowest(entry(false), 0, 3).unwrap_err(),
            Errno::EMFILE
        );
        assert_eq!(t.get(7).err(), Some(Errno::EBADF));
        assert_eq!(t.get(-1).err(), Some(Errno::EBADF));
    }

    #[test]
    fn dup_shares_description_and_cloexec_is_per_fd() {
        let mut t = FdTable::new();
        let e = entry(true);
        let shared = e.file.clone();
        t.insert_at(5, e, 1024).unwrap();
        t.insert_at(
            6,
            FdEntry {
                file: shared.clone(),
                cloexec: false,
            },
            1024,
        )
        .unwrap();
        assert!(Arc::ptr_eq(&t.get(5).unwrap(), &t.get(6).unwrap()));
        let closed = t.take_cloexec();
        assert_eq!(closed.len(), 1);
        assert!(t.get(5).is_err());
        assert!(t.get(6).is_ok());
    }
}
