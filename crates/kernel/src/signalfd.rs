//! signalfd: pending signals of a set, read as `struct signalfd_siginfo`
//! records instead of running handlers. As on Linux, the signals read are
//! those of the cage that reads (or polls), so after fork the child's
//! descriptor reads the child's signals.

use crate::{
    block::{self, Waker},
    file::FileLike,
    signal::{bit, SigInfo},
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::sync::Arc;

/// `sizeof(struct signalfd_siginfo)`.
pub const SIGINFO_SIZE: usize = 128;

pub struct SignalFd {
    mask: Mutex<u64>,
}

impl SignalFd {
    pub fn new(mask: u64) -> Arc<Self> {
        Arc::new(SignalFd {
            mask: Mutex::new(Self::clean(mask)),
        })
    }

    /// SIGKILL and SIGSTOP are silently left out.
    fn clean(mask: u64) -> u64 {
        mask & !(bit(SIGKILL) | bit(SIGSTOP))
    }

    pub fn set_mask(&self, mask: u64) {
        *self.mask.lock() = Self::clean(mask);
    }
}

/// One `struct signalfd_siginfo`.
pub fn encode(info: &SigInfo) -> [u8; SIGINFO_SIZE] {
    let mut b = [0u8; SIGINFO_SIZE];
    let mut put = |o: usize, v: u32| b[o..o + 4].copy_from_slice(&v.to_le_bytes());
    put(0, info.signo);
    put(8, info.code as u32);
    if info.code == SI_TIMER {
        put(24, info.pid as u32); // ssi_tid: the timer id
        put(32, info.uid); // ssi_overrun
    } else {
        put(12, info.pid as u32);
        put(16, info.uid);
    }
    put(40, info.value as u32); // ssi_status
    put(44, info.value as u32); // ssi_int
    b[48..56].copy_from_slice(&(info.value as u32 as u64).to_le_bytes()); // ssi_ptr
    b
}

impl FileLike for SignalFd {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        if buf.len() < SIGINFO_SIZE {
            return Err(Errno::EINVAL);
        }
        let Some((cage, tid)) = block::current_thread() else {
            return Err(Errno::EAGAIN);
        };
        let mask = *self.mask.lock();
        loop {
            let seen = *cage.signal_seq.lock();
            let mut n = 0;
            while n + SIGINFO_SIZE <= buf.len() {
                let Some(info) = cage.take_signal(tid, mask) else {
                    break;
                };
                buf[n..n + SIGINFO_SIZE].copy_from_slice(&encode(&info));
                n += SIGINFO_SIZE;
            }
            if n > 0 {
                return Ok(n);
            }
            if status & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            let mut seq = cage.signal_seq.lock();
            while *seq == seen {
                cage.signal_events.wait(&mut seq)?;
            }
        }
    }

    fn stat(&self) -> KResult<Stat> {
        crate::file::anon_inode_stat()
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        let (cage, tid) = block::current_thread()?;
        if let Some(w) = waker {
            cage.signal_events.register(w);
        }
        let ready = cage.signals.lock().pending_for_thread(tid) & *self.mask.lock() != 0;
        Some(if ready { POLLIN | POLLRDNORM } else { 0 })
    }

    fn as_signalfd(&self) -> Option<&SignalFd> {
        Some(self)
    }
}
