//! eventfd: a 64-bit counter that read takes and write adds to.

use crate::{
    block::{WaitQueue, Waker},
    file::FileLike,
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::sync::Arc;

const MAX: u64 = u64::MAX - 1;

pub struct EventFd {
    count: Mutex<u64>,
    semaphore: bool,
    /// Signalled on every change (readers and writers both wait here).
    queue: WaitQueue,
}

impl EventFd {
    pub fn new(initval: u32, flags: u32) -> Arc<Self> {
        Arc::new(EventFd {
            count: Mutex::new(initval as u64),
            semaphore: flags & EFD_SEMAPHORE != 0,
            queue: WaitQueue::new(),
        })
    }
}

impl FileLike for EventFd {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        let mut c = self.count.lock();
        while *c == 0 {
            if status & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            self.queue.wait(&mut c)?;
        }
        let v = if self.semaphore { 1 } else { *c };
        *c -= v;
        drop(c);
        buf[..8].copy_from_slice(&v.to_le_bytes());
        self.queue.notify(POLLOUT);
        Ok(8)
    }

    fn write(&self, data: &[u8], status: u32) -> KResult<usize> {
        let v = u64::from_le_bytes(
            data.get(..8)
                .ok_or(Errno::EINVAL)?
                .try_into()
                .unwrap_or_default(),
        );
        if v == u64::MAX {
            return Err(Errno::EINVAL);
        }
        let mut c = self.count.lock();
        while MAX - *c < v {
            if status & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            self.queue.wait(&mut c)?;
        }
        *c += v;
        drop(c);
        if v > 0 {
            self.queue.notify(POLLIN);
        }
        Ok(8)
    }

    fn stat(&self) -> KResult<Stat> {
        crate::file::anon_inode_stat()
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.queue.register(w);
        }
        let c = *self.count.lock();
        let mut m = 0;
        if c > 0 {
            m |= POLLIN | POLLRDNORM;
        }
        if c < MAX {
            m |= POLLOUT | POLLWRNORM;
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_and_semaphore() {
        let e = EventFd::new(2, 0);
        let mut b = [0u8; 8];
        assert_eq!(e.read(&mut b, 0), Ok(8));
        assert_eq!(u64::from_le_bytes(b), 2);
        assert_eq!(e.read(&mut b, O_NONBLOCK), Err(Errno::EAGAIN));
        assert_eq!(e.write(&5u64.to_le_bytes(), 0), Ok(8));
        assert_eq!(
            e.poll(None),
            Some(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)
        );
        let s = EventFd::new(2, EFD_SEMAPHORE);
        assert_eq!(s.read(&mut b, 0), Ok(8));
        assert_eq!(u64::from_le_bytes(b), 1);
        assert_eq!(e.write(&u64::MAX.to_le_bytes(), 0), Err(Errno::EINVAL));
        assert_eq!(e.write(&(MAX - 5).to_le_bytes(), 0), Ok(8));
        assert_eq!(e.write(&1u64.to_le_bytes(), O_NONBLOCK), Err(Errno::EAGAIN));
        assert_eq!(e.read(&mut [0u8; 4], 0), Err(Errno::EINVAL));
    }
}
