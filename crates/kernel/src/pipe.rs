//! Pipes: a bounded byte queue shared by a read end and a write end, held
//! as owned chunks (see [`crate::chunk`]) so that bytes go from the
//! writer's guest memory to the reader's in two copies, neither under the
//! queue's lock.

use crate::{
    block::{WaitQueue, Waker},
    chunk::{self, Chunk, Sink, Source, PIECE, SMALL},
    file::FileLike,
    memory::{gather, iov_total, scatter, GuestMemory, IoVecs},
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
    /// The bytes in flight, oldest first (see [`crate::chunk`]).
    chunks: VecDeque<Chunk>,
    /// Bytes in `chunks`, and those a reader has taken out and is still
    /// copying (they leave the count, making room, once copied).
    len: usize,
    /// Bytes the pipe holds before a writer waits (F_GETPIPE_SZ/F_SETPIPE_SZ).
    capacity: usize,
    readers: usize,
    writers: usize,
}

pub struct Pipe {
    state: Mutex<State>,
    /// Serialises readers, like Linux's pipe mutex: held while a reader
    /// copies the chunks it took out (never while it waits), so the next
    /// reader sees the bytes that follow and a failed copy can put its
    /// chunks back in front. It only orders the readers of this pipe.
    reading: Mutex<()>,
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
        let pipe = Pipe::unopened();
        (Arc::new(pipe.add_reader()), Arc::new(pipe.add_writer()))
    }

    /// A pipe with no ends yet: a named FIFO's, whose ends come and go
    /// with each open (see [`crate::fifo`]).
    pub(crate) fn unopened() -> Arc<Pipe> {
        Arc::new(Pipe {
            state: Mutex::new(State {
                chunks: VecDeque::new(),
                len: 0,
                capacity: PIPE_CAPACITY,
                readers: 0,
                writers: 0,
            }),
            reading: Mutex::new(()),
            readable: WaitQueue::new(),
            writable: WaitQueue::new(),
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// One more read end.
    pub(crate) fn add_reader(self: &Arc<Self>) -> PipeReader {
        self.state.lock().readers += 1;
        self.writable.notify(POLLOUT);
        PipeReader { pipe: self.clone() }
    }

    /// One more write end.
    pub(crate) fn add_writer(self: &Arc<Self>) -> PipeWriter {
        self.state.lock().writers += 1;
        PipeWriter { pipe: self.clone() }
    }

    /// (read ends, write ends) open now.
    pub(crate) fn ends(&self) -> (usize, usize) {
        let st = self.state.lock();
        (st.readers, st.writers)
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
        if st.len > cap {
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

impl Pipe {
    /// Reads at most `len` (> 0) bytes, handing them to `sink(offset,
    /// bytes)` in order after the state lock is released. A sink error
    /// puts the bytes it did not take back (the error is returned if it
    /// took none).
    fn read_with(&self, len: usize, status: u32, sink: &mut Sink<'_>) -> KResult<usize> {
        let (reading, mut taken) = loop {
            let reading = self.reading.lock();
            let mut st = self.state.lock();
            if !st.chunks.is_empty() {
                let mut taken = Vec::new();
                let mut n = 0;
                while n < len {
                    let Some(front) = st.chunks.front_mut() else {
                        break;
                    };
                    if front.len() > len - n {
                        taken.push(front.split_front(len - n));
                        n = len;
                    } else {
                        n += front.len();
                        taken.extend(st.chunks.pop_front());
                    }
                }
                break (reading, taken);
            }
            if st.writers == 0 {
                return Ok(0);
            }
            if status & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            // Other readers may go on while this one waits.
            drop(reading);
            self.readable.wait(&mut st)?;
        };
        let mut copied = 0;
        let mut failed = None;
        for (i, c) in taken.iter().enumerate() {
            if let Err(e) = sink(copied, c.bytes()) {
                failed = Some((i, e));
                break;
            }
            copied += c.len();
        }
        {
            let mut st = self.state.lock();
            st.len -= copied;
            if let Some((i, _)) = failed {
                // Still first: the reading lock kept other readers out.
                for c in taken.drain(i..).rev() {
                    st.chunks.push_front(c);
                }
            }
        }
        drop(reading);
        chunk::recycle(taken);
        if copied > 0 {
            self.writable.notify(POLLOUT);
        }
        match failed {
            Some((0, e)) => Err(e),
            _ => Ok(copied),
        }
    }

    /// Writes `len` bytes that `source(offset, n)` supplies as owned
    /// pieces (copied before the state lock is taken), blocking until
    /// all are queued (or, non-blocking, queueing what fits). Writes of
    /// at most PIPE_BUF bytes are never interleaved.
    fn write_with(&self, len: usize, status: u32, source: &mut Source<'_>) -> KResult<usize> {
        let nonblock = status & O_NONBLOCK != 0;
        let mut done = 0;
        while done < len {
            let left = len - done;
            let n = left.min(PIECE);
            // A small write waits until it fits whole.
            let need = if left <= PIPE_BUF { left } else { 1 };
            if nonblock {
                let st = self.state.lock();
                if st.readers > 0 && st.capacity.saturating_sub(st.len) < need {
                    // Nothing to copy if nothing fits.
                    return if done > 0 {
                        Ok(done)
                    } else {
                        Err(Errno::EAGAIN)
                    };
                }
            }
            let mut v = chunk::spare(n);
            let mut piece = match source(done, n, &mut v) {
                Ok(()) => Chunk::new(v),
                Err(e) if done == 0 => return Err(e),
                Err(_) => return Ok(done),
            };
            let mut st = self.state.lock();
            loop {
                if st.readers == 0 {
                    return if done > 0 {
                        Ok(done)
                    } else {
                        Err(Errno::EPIPE)
                    };
                }
                let space = st.capacity.saturating_sub(st.len);
                let need = if len - done <= PIPE_BUF {
                    len - done
                } else {
                    1
                };
                if space < need {
                    if nonblock {
                        return if done > 0 {
                            Ok(done)
                        } else {
                            Err(Errno::EAGAIN)
                        };
                    }
                    if let Err(e) = self.writable.wait(&mut st) {
                        return if done > 0 { Ok(done) } else { Err(e) };
                    }
                    continue;
                }
                let part = if piece.len() <= space {
                    std::mem::take(&mut piece)
                } else {
                    piece.split_front(space)
                };
                let n = part.len();
                let appended = n < SMALL
                    && st
                        .chunks
                        .back_mut()
                        .is_some_and(|last| last.try_append(part.bytes()));
                if !appended {
                    let c = if n < SMALL {
                        Chunk::small(part.bytes())
                    } else {
                        part
                    };
                    st.chunks.push_back(c);
                }
                st.len += n;
                done += n;
                drop(st);
                self.readable.notify(POLLIN);
                if piece.is_empty() {
                    break;
                }
                st = self.state.lock();
            }
        }
        Ok(done)
    }
}

impl FileLike for PipeReader {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.pipe.read_with(buf.len(), status, &mut |at, b| {
            buf[at..at + b.len()].copy_from_slice(b);
            Ok(())
        })
    }

    fn read_guest(&self, mem: &mut dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        let len = iov_total(iov);
        if len == 0 {
            return Ok(0);
        }
        self.pipe
            .read_with(len, status, &mut |at, b| scatter(mem, iov, at, b))
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(self.pipe.stat())
    }

    fn bytes_available(&self) -> KResult<u64> {
        Ok(self.pipe.state.lock().len as u64)
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
        if st.len > 0 {
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
        self.pipe.write_with(data.len(), status, &mut |at, n, out| {
            out.extend_from_slice(&data[at..at + n]);
            Ok(())
        })
    }

    /// One write for the whole vector: at most PIPE_BUF bytes stay whole.
    fn write_guest(&self, mem: &dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        let len = iov_total(iov);
        self.pipe
            .write_with(len, status, &mut |at, n, out| gather(mem, iov, at, n, out))
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
        if st.capacity.saturating_sub(st.len) >= PIPE_BUF.min(st.capacity) {
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

    fn pattern(at: usize, n: usize) -> Vec<u8> {
        (at..at + n).map(|i| (i ^ ((i >> 8) * 31)) as u8).collect()
    }

    #[test]
    fn chunks_split_at_capacity_and_on_odd_reads() {
        let (r, w) = Pipe::new_pair();
        let big = pattern(0, PIPE_CAPACITY + 5000);
        assert_eq!(w.write(&big[..4000], 0), Ok(4000));
        // The next write fills the room exactly: its piece is split.
        assert_eq!(w.write(&big[4000..], O_NONBLOCK), Ok(PIPE_CAPACITY - 4000));
        assert_eq!(r.bytes_available(), Ok(PIPE_CAPACITY as u64));
        let mut at = 0;
        for n in [1, 7, 4095, 65537] {
            let mut buf = vec![0u8; n];
            let got = r.read(&mut buf, O_NONBLOCK).unwrap();
            assert_eq!(got, n.min(PIPE_CAPACITY - at));
            assert_eq!(buf[..got], pattern(at, got)[..], "at {at}");
            at += got;
        }
        assert_eq!(at, PIPE_CAPACITY);
        // Tiny writes share chunks.
        for i in 0..1000 {
            assert_eq!(w.write(&pattern(i, 1), 0), Ok(1));
        }
        assert!(w.pipe.state.lock().chunks.len() == 1);
        let mut buf = vec![0u8; 2000];
        assert_eq!(r.read(&mut buf, 0), Ok(1000));
        assert_eq!(buf[..1000], pattern(0, 1000)[..]);
    }

    #[test]
    fn failed_copy_keeps_the_bytes_in_order() {
        let (r, w) = Pipe::new_pair();
        let data = pattern(0, PIPE_CAPACITY);
        for piece in data.chunks(5000) {
            assert_eq!(w.write(piece, 0), Ok(piece.len()));
        }
        let mut fail = |_: usize, _: &[u8]| Err(Errno::EFAULT);
        assert_eq!(r.pipe.read_with(10, 0, &mut fail), Err(Errno::EFAULT));
        assert_eq!(r.bytes_available(), Ok(PIPE_CAPACITY as u64));
        let mut seen = Vec::new();
        let mut calls = 0;
        let mut third_fails = |_: usize, b: &[u8]| {
            calls += 1;
            if calls == 3 {
                return Err(Errno::EFAULT);
            }
            seen.extend_from_slice(b);
            Ok(())
        };
        // The failed read split the first chunk (10 bytes went back in
        // front of the other 4990): two copies make the first 5000 bytes.
        assert_eq!(
            r.pipe.read_with(PIPE_CAPACITY, 0, &mut third_fails),
            Ok(5000)
        );
        let mut rest = vec![0u8; PIPE_CAPACITY];
        assert_eq!(r.read(&mut rest, 0), Ok(PIPE_CAPACITY - 5000));
        seen.extend_from_slice(&rest[..PIPE_CAPACITY - 5000]);
        assert_eq!(seen, data);
    }

    #[test]
    fn guest_memory_in_and_out() {
        use crate::memory::VecMemory;
        let (r, w) = Pipe::new_pair();
        let mut mem = VecMemory::new(1 << 20);
        let data = pattern(0, 60_000);
        mem.write(4096, &data).unwrap();
        assert_eq!(w.write_guest(&mem, &[(4096, 60_000)], 0), Ok(60_000));
        assert_eq!(
            w.write_guest(&mem, &[((1 << 20) - 4, 8)], 0),
            Err(Errno::EFAULT)
        );
        assert_eq!(
            r.read_guest(&mut mem, &[((1 << 20) - 4, 8)], 0),
            Err(Errno::EFAULT)
        );
        assert_eq!(r.read_guest(&mut mem, &[(500_000, 100_000)], 0), Ok(60_000));
        assert_eq!(mem.bytes[500_000..560_000], data[..]);
    }

    #[test]
    fn concurrent_readers_each_get_whole_tokens() {
        // A jobserver-like pipe: several readers take tokens while a writer
        // adds them; every token is read exactly once, by one reader.
        let (r, w) = Pipe::new_pair();
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let r = r.clone();
                std::thread::spawn(move || {
                    let mut got = Vec::new();
                    let mut b = [0u8; 4];
                    loop {
                        match r.read(&mut b, 0).unwrap() {
                            0 => break got,
                            4 => got.push(u32::from_le_bytes(b)),
                            n => {
                                // A short read ends on a token boundary only
                                // if the writer wrote less: never here.
                                let mut rest = [0u8; 4];
                                let m = r.read(&mut rest[..4 - n], 0).unwrap();
                                panic!("split token: {n} + {m}");
                            }
                        }
                    }
                })
            })
            .collect();
        drop(r);
        for i in 0..20_000u32 {
            assert_eq!(w.write(&i.to_le_bytes(), 0), Ok(4));
        }
        drop(w);
        let mut all: Vec<u32> = readers
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        all.sort_unstable();
        assert!(all.iter().copied().eq(0..20_000));
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
