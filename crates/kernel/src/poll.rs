//! Readiness of many files at once: the core of poll, ppoll, select and
//! pselect6. A first pass asks each file without registering anything (the
//! common case, something is ready, costs no allocation per queue); if
//! nothing is ready, one [`Waiter`] is registered with every file's wait
//! queues and the cage sleeps on it until one of them changes, the
//! deadline passes or a signal arrives (EINTR), using no CPU meanwhile.

use crate::{
    block::{Waiter, Waker},
    file::OpenFile,
    KResult,
};
use lind_abi::flags::*;
use std::sync::Arc;
use std::time::Instant;

/// What a file without a poll method reports (Linux's DEFAULT_POLLMASK).
pub const DEFAULT_POLLMASK: u32 = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

/// Reported whatever was asked for.
pub const ALWAYS: u32 = POLLERR | POLLHUP | POLLNVAL;

/// The readiness of `file` (see [`crate::file::FileLike::poll`]).
pub fn readiness(file: &OpenFile, waker: Option<&Arc<dyn Waker>>) -> u32 {
    file.file.poll(waker).unwrap_or(DEFAULT_POLLMASK)
}

/// One entry of a poll set: the file (`None` for a descriptor that is not
/// open: POLLNVAL) and the events asked for. Entries with no file and
/// `skip` (a negative fd) are ignored.
pub struct PollEntry {
    pub file: Option<Arc<OpenFile>>,
    pub events: u32,
    pub skip: bool,
}

/// Waits until at least one entry has an event, `deadline` passes (`Some`
/// in the past: just look) or a signal arrives. Returns each entry's
/// revents (POLLERR/POLLHUP/POLLNVAL always count).
pub fn poll(entries: &[PollEntry], deadline: Option<Instant>) -> KResult<Vec<u32>> {
    let scan = |waker: Option<&Arc<dyn Waker>>| -> (Vec<u32>, bool) {
        let mut any = false;
        let out = entries
            .iter()
            .map(|e| {
                if e.skip {
                    return 0;
                }
                let r = match &e.file {
                    None => POLLNVAL,
                    Some(f) => readiness(f, waker) & (e.events | ALWAYS),
                };
                any |= r != 0;
                r
            })
            .collect();
        (out, any)
    };
    let (out, any) = scan(None);
    if any || deadline.is_some_and(|d| Instant::now() >= d) {
        return Ok(out);
    }
    let waiter = Waiter::new();
    let waker: Arc<dyn Waker> = waiter.clone();
    loop {
        // Registering before looking closes the race with a change that
        // happens in between.
        let (out, any) = scan(Some(&waker));
        if any {
            return Ok(out);
        }
        if waiter.wait_until(deadline)? {
            return Ok(scan(None).0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipe::Pipe;
    use std::time::Duration;

    #[test]
    fn pipe_readiness_and_wakeup_from_another_thread() {
        let (r, w) = Pipe::new_pair();
        let rf = OpenFile::new(r, O_RDONLY, None);
        let wf = OpenFile::new(w, O_WRONLY, None);
        let set = |f: &Arc<OpenFile>, ev| PollEntry {
            file: Some(f.clone()),
            events: ev,
            skip: false,
        };
        let now = Some(Instant::now());
        assert_eq!(poll(&[set(&rf, POLLIN)], now).unwrap(), vec![0]);
        assert_eq!(poll(&[set(&wf, POLLOUT)], now).unwrap(), vec![POLLOUT]);
        let w2 = wf.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            w2.write(b"x").unwrap();
        });
        let got = poll(&[set(&rf, POLLIN)], None).unwrap();
        assert_eq!(got, vec![POLLIN]);
        t.join().unwrap();
        drop(wf);
        let got = poll(&[set(&rf, POLLIN)], None).unwrap();
        assert_eq!(got, vec![POLLIN | POLLHUP]);
        let none = PollEntry {
            file: None,
            events: POLLIN,
            skip: false,
        };
        assert_eq!(poll(&[none], None).unwrap(), vec![POLLNVAL]);
        let timeout = Some(Instant::now() + Duration::from_millis(20));
        let (r2, _w2) = Pipe::new_pair();
        let rf2 = OpenFile::new(r2, O_RDONLY, None);
        assert_eq!(poll(&[set(&rf2, POLLIN)], timeout).unwrap(), vec![0]);
    }
}
