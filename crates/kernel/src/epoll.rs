//! epoll: an interest list of (fd, open file) entries, each registered as a
//! [`Waker`] with its file's wait queues. A file announcing a change queues
//! its entry on the ready list and wakes `epoll_wait`, so waiting costs
//! nothing and a wait looks only at entries that changed (plus the
//! level-triggered ones still ready), as Linux's epoll does.
//!
//! Entries hold their open file weakly: closing the last descriptor of a
//! file drops it from every interest list (as on Linux), so an epoll set
//! never keeps a pipe or socket open.

use crate::{
    block::{WaitQueue, Waker},
    file::{FileLike, OpenFile},
    poll::readiness,
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Instant;

/// Events epoll_ctl may ask for besides the poll bits.
const FLAG_BITS: u32 = EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP;

type Key = (i32, usize);

pub struct Epoll {
    me: Weak<Epoll>,
    state: Mutex<State>,
    /// Signalled when an entry is queued: epoll_wait and whoever polls
    /// this epoll fd (nested epoll) wait here.
    queue: WaitQueue,
}

#[derive(Default)]
struct State {
    interest: HashMap<Key, Arc<Entry>>,
    ready: VecDeque<Arc<Entry>>,
}

struct Entry {
    me: Weak<Entry>,
    epoll: Weak<Epoll>,
    file: Weak<OpenFile>,
    /// (events, data) as epoll_ctl gave them.
    ev: Mutex<(u32, u64)>,
    /// On the ready list.
    queued: AtomicBool,
    /// EPOLLONESHOT fired (until EPOLL_CTL_MOD), or deleted.
    disabled: AtomicBool,
}

impl Entry {
    fn queue(&self) {
        if self.disabled.load(Ordering::Acquire) || self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let (Some(ep), Some(me)) = (self.epoll.upgrade(), self.me.upgrade()) else {
            return;
        };
        ep.state.lock().ready.push_back(me);
        ep.queue.notify(POLLIN);
    }
}

impl Waker for Entry {
    fn wake(&self, events: u32) {
        let asked = self.ev.lock().0;
        if events != 0 && events & (asked | POLLERR | POLLHUP) == 0 {
            return;
        }
        self.queue();
    }
}

/// One event epoll_wait reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub events: u32,
    pub data: u64,
}

impl Epoll {
    pub fn new() -> Arc<Self> {
        Arc::new_cyclic(|me| Epoll {
            me: me.clone(),
            state: Mutex::new(State::default()),
            queue: WaitQueue::new(),
        })
    }

    /// EPOLL_CTL_ADD/MOD/DEL for descriptor `fd`, open as `file`.
    /// `self_file` is the epoll's own description (adding it is EINVAL).
    pub fn ctl(
        &self,
        op: u32,
        fd: i32,
        file: &Arc<OpenFile>,
        self_file: &Arc<OpenFile>,
        ev: Event,
    ) -> KResult<()> {
        if Arc::ptr_eq(file, self_file) {
            return Err(Errno::EINVAL);
        }
        if file.file.poll(None).is_none() {
            return Err(Errno::EPERM);
        }
        let key = (fd, Arc::as_ptr(file) as usize);
        match op {
            EPOLL_CTL_ADD => {
                let entry = {
                    let mut st = self.state.lock();
                    // Entries whose file is gone are dropped here too.
                    st.interest.retain(|_, e| e.file.strong_count() > 0);
                    if st.interest.contains_key(&key) {
                        return Err(Errno::EEXIST);
                    }
                    let entry = Arc::new_cyclic(|me| Entry {
                        me: me.clone(),
                        epoll: self.me.clone(),
                        file: Arc::downgrade(file),
                        ev: Mutex::new((ev.events, ev.data)),
                        queued: AtomicBool::new(false),
                        disabled: AtomicBool::new(false),
                    });
                    st.interest.insert(key, entry.clone());
                    entry
                };
                self.arm(&entry, file);
                Ok(())
            }
            EPOLL_CTL_MOD => {
                let entry = self
                    .state
                    .lock()
                    .interest
                    .get(&key)
                    .cloned()
                    .ok_or(Errno::ENOENT)?;
                {
                    let mut cur = entry.ev.lock();
                    if cur.0 & EPOLLEXCLUSIVE != 0 || ev.events & EPOLLEXCLUSIVE != 0 {
                        return Err(Errno::EINVAL);
                    }
                    *cur = (ev.events, ev.data);
                }
                entry.disabled.store(false, Ordering::Release);
                self.arm(&entry, file);
                Ok(())
            }
            EPOLL_CTL_DEL => {
                let entry = self
                    .state
                    .lock()
                    .interest
                    .remove(&key)
                    .ok_or(Errno::ENOENT)?;
                entry.disabled.store(true, Ordering::Release);
                Ok(())
            }
            _ => Err(Errno::EINVAL),
        }
    }

    /// Registers the entry with its file and queues it if already ready.
    /// Called without the state lock: a file's poll takes the file's lock,
    /// and files call wakers (which take the state lock) under it.
    fn arm(&self, entry: &Arc<Entry>, file: &OpenFile) {
        let waker: Arc<dyn Waker> = entry.clone();
        let asked = entry.ev.lock().0;
        if readiness(file, Some(&waker)) & (asked | POLLERR | POLLHUP) != 0 {
            entry.queue();
        }
    }

    /// Collects up to `max` events, waiting until one comes, `deadline`
    /// passes (`Some` in the past: just look) or a signal (EINTR).
    pub fn wait(&self, max: usize, deadline: Option<Instant>) -> KResult<Vec<Event>> {
        loop {
            let batch: Vec<Arc<Entry>> = self.state.lock().ready.drain(..).collect();
            let mut out = Vec::new();
            let mut again = Vec::new();
            for e in batch {
                e.queued.store(false, Ordering::Release);
                if out.len() >= max {
                    again.push(e);
                    continue;
                }
                if e.disabled.load(Ordering::Acquire) {
                    continue;
                }
                let Some(file) = e.file.upgrade() else {
                    continue;
                };
                let (asked, data) = *e.ev.lock();
                let got = readiness(&file, None) & ((asked & !FLAG_BITS) | POLLERR | POLLHUP);
                if got == 0 {
                    continue;
                }
                out.push(Event { events: got, data });
                if asked & EPOLLONESHOT != 0 {
                    e.disabled.store(true, Ordering::Release);
                } else if asked & EPOLLET == 0 {
                    // Level-triggered: looked at again next time.
                    again.push(e);
                }
            }
            if !again.is_empty() {
                let mut st = self.state.lock();
                for e in again {
                    if !e.queued.swap(true, Ordering::AcqRel) {
                        st.ready.push_back(e);
                    }
                }
            }
            if !out.is_empty() {
                return Ok(out);
            }
            let mut st = self.state.lock();
            if st.ready.is_empty() {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Ok(out);
                }
                if self.queue.wait_until(&mut st, deadline)? && st.ready.is_empty() {
                    return Ok(out);
                }
            }
        }
    }
}

impl FileLike for Epoll {
    fn stat(&self) -> KResult<Stat> {
        crate::file::anon_inode_stat()
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.queue.register(w);
        }
        let ready = !self.state.lock().ready.is_empty();
        Some(if ready { POLLIN | POLLRDNORM } else { 0 })
    }

    fn as_epoll(&self) -> Option<&Epoll> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipe::Pipe;
    use std::time::Duration;

    fn files() -> (Arc<OpenFile>, Arc<OpenFile>, Arc<Epoll>, Arc<OpenFile>) {
        let (r, w) = Pipe::new_pair();
        let ep = Epoll::new();
        let epf = OpenFile::new(ep.clone(), O_RDWR, None);
        (
            OpenFile::new(r, O_RDONLY, None),
            OpenFile::new(w, O_WRONLY, None),
            ep,
            epf,
        )
    }

    fn now() -> Option<Instant> {
        Some(Instant::now())
    }

    #[test]
    fn level_and_edge_triggered() {
        let (r, w, ep, epf) = files();
        let lt = Event {
            events: EPOLLIN,
            data: 7,
        };
        ep.ctl(EPOLL_CTL_ADD, 3, &r, &epf, lt).unwrap();
        assert_eq!(ep.ctl(EPOLL_CTL_ADD, 3, &r, &epf, lt), Err(Errno::EEXIST));
        assert!(ep.wait(8, now()).unwrap().is_empty());
        w.write(b"ab").unwrap();
        let got = ep.wait(8, now()).unwrap();
        assert_eq!(
            got,
            vec![Event {
                events: EPOLLIN,
                data: 7
            }]
        );
        // Level-triggered: still reported while data is there.
        assert_eq!(ep.wait(8, now()).unwrap().len(), 1);
        let et = Event {
            events: EPOLLIN | EPOLLET,
            data: 8,
        };
        ep.ctl(EPOLL_CTL_MOD, 3, &r, &epf, et).unwrap();
        assert_eq!(ep.wait(8, now()).unwrap().len(), 1);
        assert!(ep.wait(8, now()).unwrap().is_empty());
        w.write(b"c").unwrap();
        assert_eq!(ep.wait(8, now()).unwrap()[0].data, 8);
        assert!(ep.wait(8, now()).unwrap().is_empty());
        ep.ctl(EPOLL_CTL_DEL, 3, &r, &epf, et).unwrap();
        assert_eq!(ep.ctl(EPOLL_CTL_DEL, 3, &r, &epf, et), Err(Errno::ENOENT));
        assert_eq!(ep.ctl(EPOLL_CTL_ADD, 4, &epf, &epf, et), Err(Errno::EINVAL));
    }

    #[test]
    fn oneshot_and_hangup_and_wakeup() {
        let (r, w, ep, epf) = files();
        let os = Event {
            events: EPOLLIN | EPOLLONESHOT,
            data: 1,
        };
        ep.ctl(EPOLL_CTL_ADD, 3, &r, &epf, os).unwrap();
        let w2 = w.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            w2.write(b"x").unwrap();
        });
        assert_eq!(ep.wait(8, None).unwrap().len(), 1);
        t.join().unwrap();
        w.write(b"y").unwrap();
        assert!(ep.wait(8, now()).unwrap().is_empty());
        ep.ctl(EPOLL_CTL_MOD, 3, &r, &epf, os).unwrap();
        assert_eq!(ep.wait(8, now()).unwrap().len(), 1);
        let lt = Event {
            events: EPOLLIN,
            data: 2,
        };
        ep.ctl(EPOLL_CTL_MOD, 3, &r, &epf, lt).unwrap();
        drop(w);
        let got = ep.wait(8, now()).unwrap();
        assert_eq!(got[0].events, EPOLLIN | EPOLLHUP);
        // Closing the file removes it from the set.
        drop(r);
        assert!(ep.wait(8, now()).unwrap().is_empty());
        let t0 = Instant::now();
        assert!(ep
            .wait(8, Some(t0 + Duration::from_millis(20)))
            .unwrap()
            .is_empty());
        assert!(t0.elapsed() >= Duration::from_millis(20));
    }
}
