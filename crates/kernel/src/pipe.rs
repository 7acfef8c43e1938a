//! Pipes: a bounded byte queue shared by a read end and a write end.

use crate::{
    block::{WaitQueue, Waker},
    file::FileLike,
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Linux's default pipe capacity.
pub const PIPE_CAPACITY: usize = 64 * 1024;
/// Writes up to this size are atomic.
pub const PIPE_BUF: usize = 4096;
/// The largest capacity F_SETPIPE_SZ grants without privilege (Linux's default
/// /proc/sys/fs/pipe-max-size).
pub const PIPE_MAX_SIZE: usize = 1024 * 1024;
/// The page size pipe capacities are counted in.
const PAGE: usize = 4096;

struct State {
    buf: VecDeque<u8>,
    /// Bytes the pipe holds before a writer waits (F_GETPIPE_SZ/F_SETPIPE_SZ).
    capacity: usize,
    readers: usize,
    writers: usize,
}

pub struct Pipe {
    state: Mutex<State>,
    /// Signalled when data arrives or the last writer leaves.
    readable: WaitQueue,
    /// Signalled when space frees up or the last reader leaves.
    writable: WaitQueue,
    ino: u64,
}

static NEXT_INO: AtomicU64 = AtomicU64::new(1 << 40);

impl Pipe {
    /// A new pipe and its (read, write) ends.
    pub fn new_pair() -> (Arc<PipeReader>, Arc<PipeWriter>) {
        let pipe = Arc::new(Pipe {
            state: Mutex::new(State {
                buf: VecDeque::new(),
                capacity: PIPE_CAPACITY,
                readers: 1,
                writers: 1,
            }),
            readable: WaitQueue::new(),
            writable: WaitQueue::new(),
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
        });
        (
            Arc::new(PipeReader { pipe: pipe.clone() }),
            Arc::new(PipeWriter { pipe }),
        )
    }

    /// The capacity in bytes (F_GETPIPE_SZ).
    pub fn capacity(&self) -> usize {
        self.state.lock().capacity
    }

    /// F_SETPIPE_SZ: the capacity becomes `size` rounded up to a power-of-two number
    /// of pages (at least one page) and is returned. As on Linux: EINVAL beyond 2^31
    /// bytes, EPERM beyond PIPE_MAX_SIZE without privilege, EBUSY when the pipe holds
    /// more than the new capacity.
    pub fn set_capacity(&self, size: u64, privileged: bool) -> KResult<usize> {
        if size > 1 << 31 {
            return Err(Errno::EINVAL);
        }
        let pages = (size as usize).div_ceil(PAGE).max(1).next_power_of_two();
        let cap = pages * PAGE;
        if cap > PIPE_MAX_SIZE && !privileged {
            return Err(Errno::EPERM);
        }
        let mut st = self.state.lock();
        if st.buf.len() > cap {
            return Err(Errno::EBUSY);
        }
        let grew = cap > st.capacity;
        st.capacity = cap;
        drop(st);
        if grew {
            self.writable.notify(POLLOUT);
        }
        Ok(cap)
    }

    fn stat(&self) -> Stat {
        Stat {
            dev: 0xc,
            ino: self.ino,
            nlink: 1,
            mode: S_IFIFO | 0o600,
            blksize: PIPE_BUF as i64,
            ..Stat::default()
        }
    }
}

pub struct PipeReader {
    pipe: Arc<Pipe>,
}

pub struct PipeWriter {
    pipe: Arc<Pipe>,
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        self.pipe.state.lock().readers -= 1;
        self.pipe.writable.notify(POLLERR);
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        self.pipe.state.lock().writers -= 1;
        self.pipe.readable.notify(POLLHUP);
    }
}

impl FileLike for PipeReader {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let p = &self.pipe;
        let mut st = p.state.lock();
        while st.buf.is_empty() {
            if st.writers == 0 {
                return Ok(0);
            }
            if status & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            p.readable.wait(&mut st)?;
        }
        let n = buf.len().min(st.buf.len());
        let (a, b) = st.buf.as_slices();
        let from_a = n.min(a.len());
        buf[..from_a].copy_from_slice(&a[..from_a]);
        buf[from_a..n].copy_from_slice(&b[..n - from_a]);
        st.buf.drain(..n);
        drop(st);
        p.writable.notify(POLLOUT);
        Ok(n)
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(self.pipe.stat())
    }

    fn bytes_available(&self) -> KResult<u64> {
        Ok(self.pipe.state.lock().buf.len() as u64)
    }

    fn as_pipe(&self) -> Option<&Pipe> {
        Some(&self.pipe)
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.pipe.readable.register(w);
        }
        let st = self.pipe.state.lock();
        let mut m = 0;
        if !st.buf.is_empty() {
            m |= POLLIN | POLLRDNORM;
        }
        if st.writers == 0 {
            m |= POLLHUP;
        }
        Some(m)
    }
}

impl FileLike for PipeWriter {
    fn as_pipe(&self) -> Option<&Pipe> {
        Some(&self.pipe)
    }

    /// Blocks until everything is written (or, non-blocking, writes what
    /// fits). Writes of at most PIPE_BUF bytes are never interleaved.
    fn write(&self, data: &[u8], status: u32) -> KResult<usize> {
        let p = &self.pipe;
        let mut st = p.state.lock();
        let mut done = 0;
        while done < data.len() {
            if st.readers == 0 {
                return if done > 0 {
                    Ok(done)
                } else {
                    Err(Errno::EPIPE)
                };
            }
            let space = st.capacity.saturating_sub(st.buf.len());
            let left = data.len() - done;
            // A small write waits until it fits whole.
            let need = if left <= PIPE_BUF { left } else { 1 };
            if space < need {
                if status & O_NONBLOCK != 0 {
                    return if done > 0 {
                        Ok(done)
                    } else {
                        Err(Errno::EAGAIN)
                    };
                }
                if let Err(e) = p.writable.wait(&mut st) {
                    return if done > 0 { Ok(done) } else { Err(e) };
                }
                continue;
            }
            let n = space.min(left);
            st.buf.extend(&data[done..done + n]);
            done += n;
            p.readable.notify(POLLIN);
        }
        Ok(done)
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(self.pipe.stat())
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.pipe.writable.register(w);
        }
        let st = self.pipe.state.lock();
        let mut m = 0;
        if st.capacity.saturating_sub(st.buf.len()) >= PIPE_BUF.min(st.capacity) {
            m |= POLLOUT | POLLWRNORM;
        }
        if st.readers == 0 {
            m |= POLLERR;
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_flows_and_eof_after_last_writer() {
        let (r, w) = Pipe::new_pair();
        assert_eq!(w.write(b"hello", 0), Ok(5));
        let mut buf = [0u8; 16];
        assert_eq!(r.read(&mut buf, 0), Ok(5));
        assert_eq!(&buf[..5], b"hello");
        assert_eq!(r.read(&mut buf, O_NONBLOCK), Err(Errno::EAGAIN));
        drop(w);
        assert_eq!(r.read(&mut buf, 0), Ok(0));
    }

    #[test]
    fn epipe_without_readers_and_eagain_when_full() {
        let (r, w) = Pipe::new_pair();
        let big = vec![7u8; PIPE_CAPACITY];
        assert_eq!(w.write(&big, O_NONBLOCK), Ok(PIPE_CAPACITY));
        assert_eq!(w.write(b"x", O_NONBLOCK), Err(Errno::EAGAIN));
        drop(r);
        assert_eq!(w.write(b"x", 0), Err(Errno::EPIPE));
    }

    #[test]
    fn set_capacity_rounds_to_pages_and_bounds_writes() {
        let (r, w) = Pipe::new_pair();
        let pipe = w.as_pipe().unwrap();
        assert_eq!(pipe.capacity(), PIPE_CAPACITY);
        assert_eq!(pipe.set_capacity(0, false), Ok(4096));
        assert_eq!(pipe.set_capacity(4097, false), Ok(8192));
        assert_eq!(pipe.set_capacity(3 * 4096, false), Ok(16384));
        assert_eq!(pipe.set_capacity(1 << 20, false), Ok(1 << 20));
        assert_eq!(pipe.set_capacity((1 << 20) + 1, false), Err(Errno::EPERM));
        assert_eq!(pipe.set_capacity((1 << 20) + 1, true), Ok(2 << 20));
        assert_eq!(pipe.set_capacity((1 << 31) + 1, true), Err(Errno::EINVAL));
        // A non-blocking writer fills exactly the new capacity.
        assert_eq!(pipe.set_capacity(8192, false), Ok(8192));
        let big = vec![7u8; 20_000];
        assert_eq!(w.write(&big, O_NONBLOCK), Ok(8192));
        assert_eq!(w.poll(None), Some(0), "full: not writable");
        // It cannot shrink below what it holds; growing makes room.
        assert_eq!(pipe.set_capacity(4096, false), Err(Errno::EBUSY));
        assert_eq!(r.as_pipe().unwrap().set_capacity(16384, false), Ok(16384));
        assert_eq!(w.poll(None), Some(POLLOUT | POLLWRNORM));
        assert_eq!(w.write(&big, O_NONBLOCK), Ok(8192));
        let mut buf = vec![0u8; 20_000];
        assert_eq!(r.read(&mut buf, 0), Ok(16384));
    }

    #[test]
    fn one_page_pipe_is_writable_only_when_empty() {
        let (r, w) = Pipe::new_pair();
        assert_eq!(w.as_pipe().unwrap().set_capacity(1, false), Ok(4096));
        assert_eq!(w.poll(None), Some(POLLOUT | POLLWRNORM));
        assert_eq!(w.write(b"x", 0), Ok(1));
        assert_eq!(w.poll(None), Some(0));
        // A write of PIPE_BUF bytes waits to fit whole; a bigger one takes what fits.
        assert_eq!(w.write(&[0u8; 4096], O_NONBLOCK), Err(Errno::EAGAIN));
        assert_eq!(w.write(&[0u8; 4097], O_NONBLOCK), Ok(4095));
        let mut buf = [0u8; 4096];
        assert_eq!(r.read(&mut buf, 0), Ok(4096));
        assert_eq!(w.poll(None), Some(POLLOUT | POLLWRNORM));
    }

    #[test]
    fn blocking_reader_wakes_for_writer_on_another_thread() {
        let (r, w) = Pipe::new_pair();
        let t = std::thread::spawn(move || {
            let mut total = 0usize;
            let mut buf = vec![0u8; 10_000];
            loop {
                let n = r.read(&mut buf, 0).unwrap();
                if n == 0 {
                    break total;
                }
                total += n;
            }
        });
        let chunk = vec![1u8; 100_000];
        for _ in 0..10 {
            assert_eq!(w.write(&chunk, 0), Ok(chunk.len()));
        }
        drop(w);
        assert_eq!(t.join().unwrap(), 1_000_000);
    }
}
