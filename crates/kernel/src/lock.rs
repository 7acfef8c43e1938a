//! File locks: POSIX record locks (`fcntl` F_SETLK…) and `flock`.
//!
//! Both are kept per *file*, keyed by [`FileKey`] (the file's device and
//! inode, from [`crate::file::FileLike::lock_key`]), in one table the whole
//! kernel shares, as Linux keeps them on the inode:
//!
//! * a record lock belongs to a *process* (cage pid) and covers a byte
//!   range; a process's own ranges split and merge, never conflict; all of
//!   its locks on a file go when it closes any descriptor for that file,
//!   and all of them when it exits; `fork` children start with none;
//! * a `flock` lock belongs to an *open-file description* (so `dup` and
//!   `fork` share it) and goes when the description's last descriptor
//!   closes ([`FlockOwner`]'s `Drop`).
//!
//! The two kinds do not interact, as on Linux. Blocking requests wait
//! through [`crate::block`], so a signal or kill interrupts them. Locks are
//! Lind's own: they do not take host locks, so host processes do not see
//! them.

use crate::KResult;
use lind_abi::Errno;
use parking_lot::{Condvar, Mutex};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

/// Which file a lock is on: (device, inode).
pub type FileKey = (u64, u64);

/// Largest offset a lock can reach (Linux's OFFSET_MAX); a range ending
/// here runs "to EOF and beyond".
pub const OFFSET_MAX: u64 = i64::MAX as u64;

/// How far [`Locks::set`] follows a chain of waiting owners looking for a
/// deadlock (Linux's MAX_DEADLK_ITERATIONS).
const MAX_DEADLOCK_DEPTH: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

impl Kind {
    fn conflicts(self, other: Kind) -> bool {
        self == Kind::Write || other == Kind::Write
    }
}

/// One record lock: bytes `start..=end` of a file, held by `pid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub pid: i32,
    pub kind: Kind,
    pub start: u64,
    pub end: u64,
}

impl Range {
    fn overlaps(&self, start: u64, end: u64) -> bool {
        self.start <= end && start <= self.end
    }
}

#[derive(Default)]
struct State {
    /// Record locks per file; each owner's ranges sorted by start, never
    /// overlapping, adjacent ones of one kind merged.
    posix: HashMap<FileKey, Vec<Range>>,
    /// Owner blocked in F_SETLKW → the owner of the lock it waits for.
    waiting: HashMap<i32, i32>,
    /// `flock` locks per file: (description id, exclusive).
    flocks: HashMap<FileKey, Vec<(u64, bool)>>,
}

/// The kernel's lock table.
#[derive(Default)]
pub struct Locks {
    state: Mutex<State>,
    /// Notified whenever a lock goes or shrinks.
    changed: Arc<Condvar>,
}

impl Locks {
    pub fn new() -> Arc<Self> {
        Arc::new(Locks::default())
    }

    // ------------------------------------------------------------ POSIX

    /// The first lock another owner holds that a `kind` lock by `pid` on
    /// `start..=end` would conflict with (F_GETLK).
    pub fn test(&self, key: FileKey, pid: i32, kind: Kind, start: u64, end: u64) -> Option<Range> {
        conflict(&self.state.lock(), key, pid, kind, start, end)
    }

    /// Sets (`Some(kind)`) or removes (`None`) `pid`'s lock on
    /// `start..=end`. A conflict is EAGAIN, or with `wait` a wait until
    /// it goes (EINTR if the cage is signalled, EDEADLK if the owner in
    /// the way is itself waiting, directly or not, for `pid`).
    pub fn set(
        &self,
        key: FileKey,
        pid: i32,
        kind: Option<Kind>,
        start: u64,
        end: u64,
        wait: bool,
    ) -> KResult<()> {
        let mut st = self.state.lock();
        if let Some(kind) = kind {
            while let Some(c) = conflict(&st, key, pid, kind, start, end) {
                if !wait {
                    return Err(Errno::EAGAIN);
                }
                if would_deadlock(&st, pid, c.pid) {
                    return Err(Errno::EDEADLK);
                }
                st.waiting.insert(pid, c.pid);
                let r = crate::block::wait(&self.changed, &mut st);
                st.waiting.remove(&pid);
                r?;
            }
        }
        let list = st.posix.entry(key).or_default();
        let mut mine: Vec<Range> = Vec::new();
        list.retain(|l| {
            if l.pid == pid {
                mine.push(*l);
            }
            l.pid != pid
        });
        let mut kept = Vec::with_capacity(mine.len() + 2);
        for l in mine {
            if !l.overlaps(start, end) {
                kept.push(l);
                continue;
            }
            if l.start < start {
                kept.push(Range {
                    end: start - 1,
                    ..l
                });
            }
            if l.end > end {
                kept.push(Range {
                    start: end + 1,
                    ..l
                });
            }
        }
        if let Some(kind) = kind {
            kept.push(Range {
                pid,
                kind,
                start,
                end,
            });
        }
        kept.sort_by_key(|l| l.start);
        let mut merged: Vec<Range> = Vec::with_capacity(kept.len());
        for l in kept {
            match merged.last_mut() {
                Some(prev) if prev.kind == l.kind && prev.end.saturating_add(1) >= l.start => {
                    prev.end = prev.end.max(l.end);
                }
                _ => merged.push(l),
            }
        }
        list.extend(merged);
        if list.is_empty() {
            st.posix.remove(&key);
        }
        drop(st);
        self.changed.notify_all();
        Ok(())
    }

    /// `pid`'s record locks on `key`, sorted by start (for tests and
    /// tracing).
    pub fn held(&self, key: FileKey, pid: i32) -> Vec<Range> {
        let st = self.state.lock();
        let mut v: Vec<Range> = st
            .posix
            .get(&key)
            .map(|l| l.iter().filter(|r| r.pid == pid).copied().collect())
            .unwrap_or_default();
        v.sort_by_key(|r| r.start);
        v
    }

    /// Whether `pid` holds any record lock at all (cheap; lets `close`
    /// skip finding the file's key).
    pub fn holds_any(&self, pid: i32) -> bool {
        let st = self.state.lock();
        st.posix.values().any(|l| l.iter().any(|r| r.pid == pid))
    }

    /// Drops `pid`'s record locks on `key` (it closed a descriptor for
    /// the file).
    pub fn release_file(&self, key: FileKey, pid: i32) {
        let mut st = self.state.lock();
        if let Some(list) = st.posix.get_mut(&key) {
            list.retain(|r| r.pid != pid);
            if list.is_empty() {
                st.posix.remove(&key);
            }
        }
        drop(st);
        self.changed.notify_all();
    }

    /// Drops every record lock of `pid` (it exited).
    pub fn release_pid(&self, pid: i32) {
        let mut st = self.state.lock();
        st.posix.retain(|_, list| {
            list.retain(|r| r.pid != pid);
            !list.is_empty()
        });
        st.waiting.remove(&pid);
        drop(st);
        self.changed.notify_all();
    }

    // ------------------------------------------------------------ flock

    /// `flock` for description `owner` on `key`: `Some(exclusive)` takes
    /// or converts a lock (EWOULDBLOCK on conflict if `!wait`, else waits;
    /// a conversion first drops the old lock, as Linux does), `None`
    /// unlocks.
    pub fn flock(
        &self,
        key: FileKey,
        owner: &FlockOwner,
        want: Option<bool>,
        wait: bool,
    ) -> KResult<()> {
        let id = owner.id;
        let mut st = self.state.lock();
        let list = st.flocks.entry(key).or_default();
        let old = list.iter().position(|&(o, _)| o == id);
        if let (Some(i), Some(ex)) = (old, want) {
            if list[i].1 == ex {
                return Ok(());
            }
        }
        if let Some(i) = old {
            list.remove(i);
            self.changed.notify_all();
        }
        let Some(exclusive) = want else {
            if list.is_empty() {
                st.flocks.remove(&key);
            }
            return Ok(());
        };
        loop {
            let list = st.flocks.entry(key).or_default();
            if !list.iter().any(|&(o, ex)| o != id && (ex || exclusive)) {
                list.push((id, exclusive));
                let mut keys = owner.keys.lock();
                if !keys.contains(&key) {
                    keys.push(key);
                }
                return Ok(());
            }
            if !wait {
                // EWOULDBLOCK, which is EAGAIN on Linux.
                return Err(Errno::EAGAIN);
            }
            crate::block::wait(&self.changed, &mut st)?;
        }
    }

    /// Whether description `owner` holds a `flock` lock on `key`, and if
    /// so whether exclusive (for tests).
    pub fn flock_held(&self, key: FileKey, owner: &FlockOwner) -> Option<bool> {
        let st = self.state.lock();
        st.flocks
            .get(&key)?
            .iter()
            .find(|&&(o, _)| o == owner.id)
            .map(|&(_, ex)| ex)
    }

    fn flock_release_all(&self, id: u64, keys: &[FileKey]) {
        let mut st = self.state.lock();
        for key in keys {
            if let Some(list) = st.flocks.get_mut(key) {
                list.retain(|&(o, _)| o != id);
                if list.is_empty() {
                    st.flocks.remove(key);
                }
            }
        }
        drop(st);
        self.changed.notify_all();
    }
}

fn conflict(st: &State, key: FileKey, pid: i32, kind: Kind, start: u64, end: u64) -> Option<Range> {
    st.posix
        .get(&key)?
        .iter()
        .copied()
        .find(|l| l.pid != pid && l.overlaps(start, end) && l.kind.conflicts(kind))
}

/// Whether `pid` waiting for `blocker` closes a cycle of waiters.
fn would_deadlock(st: &State, pid: i32, blocker: i32) -> bool {
    let mut who = blocker;
    for _ in 0..MAX_DEADLOCK_DEPTH {
        if who == pid {
            return true;
        }
        match st.waiting.get(&who) {
            Some(&next) => who = next,
            None => return false,
        }
    }
    false
}

static NEXT_FLOCK_OWNER: AtomicU64 = AtomicU64::new(1);

/// The `flock` identity of one open-file description, made the first time
/// it calls `flock`. Dropped with the description (its last descriptor
/// closed), it releases the description's locks.
pub struct FlockOwner {
    id: u64,
    locks: Weak<Locks>,
    /// Files it has locked (one, normally), so the drop knows where to look.
    keys: Mutex<Vec<FileKey>>,
}

impl FlockOwner {
    pub fn new(locks: &Arc<Locks>) -> Self {
        FlockOwner {
            id: NEXT_FLOCK_OWNER.fetch_add(1, Ordering::Relaxed),
            locks: Arc::downgrade(locks),
            keys: Mutex::new(Vec::new()),
        }
    }
}

impl Drop for FlockOwner {
    fn drop(&mut self) {
        let keys = std::mem::take(&mut *self.keys.lock());
        if let (Some(locks), false) = (self.locks.upgrade(), keys.is_empty()) {
            locks.flock_release_all(self.id, &keys);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: FileKey = (1, 2);

    fn r(pid: i32, kind: Kind, start: u64, end: u64) -> Range {
        Range {
            pid,
            kind,
            start,
            end,
        }
    }

    #[test]
    fn own_ranges_split_and_merge() {
        let l = Locks::new();
        l.set(K, 1, Some(Kind::Write), 0, 99, false).unwrap();
        l.set(K, 1, Some(Kind::Read), 10, 19, false).unwrap();
        assert_eq!(
            l.held(K, 1),
            [
                r(1, Kind::Write, 0, 9),
                r(1, Kind::Read, 10, 19),
                r(1, Kind::Write, 20, 99)
            ]
        );
        l.set(K, 1, None, 50, 59, false).unwrap();
        assert_eq!(l.held(K, 1).len(), 4);
        l.set(K, 1, Some(Kind::Write), 10, 59, false).unwrap();
        assert_eq!(l.held(K, 1), [r(1, Kind::Write, 0, 99)]);
        // Adjacent ranges of one kind merge.
        l.set(K, 1, Some(Kind::Write), 100, OFFSET_MAX, false)
            .unwrap();
        assert_eq!(l.held(K, 1), [r(1, Kind::Write, 0, OFFSET_MAX)]);
        l.set(K, 1, None, 0, OFFSET_MAX, false).unwrap();
        assert!(l.held(K, 1).is_empty());
        assert!(!l.holds_any(1));
    }

    #[test]
    fn readers_share_writers_conflict() {
        let l = Locks::new();
        l.set(K, 1, Some(Kind::Read), 0, 9, false).unwrap();
        l.set(K, 2, Some(Kind::Read), 5, 14, false).unwrap();
        assert_eq!(
            l.set(K, 2, Some(Kind::Write), 0, 0, false),
            Err(Errno::EAGAIN)
        );
        assert_eq!(
            l.test(K, 3, Kind::Write, 12, 20),
            Some(r(2, Kind::Read, 5, 14))
        );
        assert_eq!(l.test(K, 3, Kind::Read, 0, 100), None);
        assert_eq!(l.test(K, 2, Kind::Write, 10, 14), None);
        l.set(K, 2, Some(Kind::Write), 10, 20, false).unwrap();
        l.release_file(K, 1);
        l.set(K, 3, Some(Kind::Write), 0, 4, false).unwrap();
        l.release_pid(2);
        l.release_pid(3);
        assert!(l.state.lock().posix.is_empty());
    }

    #[test]
    fn waiting_and_deadlock() {
        let l = Locks::new();
        l.set(K, 1, Some(Kind::Write), 0, 0, false).unwrap();
        l.set(K, 2, Some(Kind::Write), 1, 1, false).unwrap();
        let l2 = l.clone();
        let t = std::thread::spawn(move || l2.set(K, 2, Some(Kind::Write), 0, 0, true));
        while !l.state.lock().waiting.contains_key(&2) {
            std::thread::yield_now();
        }
        // 1 waiting for 2 while 2 waits for 1.
        assert_eq!(
            l.set(K, 1, Some(Kind::Write), 1, 1, true),
            Err(Errno::EDEADLK)
        );
        l.set(K, 1, None, 0, 0, false).unwrap();
        assert_eq!(t.join().unwrap(), Ok(()));
        assert_eq!(l.held(K, 2), [r(2, Kind::Write, 0, 1)]);
    }

    #[test]
    fn flock_by_description() {
        let l = Locks::new();
        let a = FlockOwner::new(&l);
        let b = FlockOwner::new(&l);
        l.flock(K, &a, Some(false), false).unwrap();
        l.flock(K, &b, Some(false), false).unwrap();
        assert_eq!(l.flock(K, &b, Some(true), false), Err(Errno::EAGAIN));
        // The failed conversion dropped b's shared lock, as on Linux.
        assert_eq!(l.flock_held(K, &b), None);
        drop(a);
        l.flock(K, &b, Some(true), false).unwrap();
        assert_eq!(l.flock_held(K, &b), Some(true));
        let c = FlockOwner::new(&l);
        assert_eq!(l.flock(K, &c, Some(false), false), Err(Errno::EAGAIN));
        l.flock(K, &b, None, false).unwrap();
        l.flock(K, &c, Some(false), false).unwrap();
        drop(c);
        drop(b);
        assert!(l.state.lock().flocks.is_empty());
    }
}
