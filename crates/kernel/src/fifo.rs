//! Named pipes (FIFOs, `mkfifo`): a node in a file system whose opens
//! meet in one kernel pipe. The node only names the FIFO; its bytes live
//! here, keyed by the node's (st_dev, st_ino), for as long as some end is
//! open (or an open is waiting), as on Linux, where the pipe goes away
//! with its last opener and unread bytes with it.

use crate::{
    block::{WaitQueue, Waker},
    file::FileLike,
    memory::{GuestMemory, IoVecs},
    pipe::{Pipe, PipeReader, PipeWriter},
    KResult,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

/// The FIFOs some cage has open, of every cage of a run.
#[derive(Default)]
pub struct Fifos {
    open: Mutex<HashMap<(u64, u64), Weak<Fifo>>>,
}

impl Fifos {
    /// Opens the FIFO whose node `stat` describes, as open(2) does:
    /// O_RDONLY waits for a writer and O_WRONLY for a reader unless
    /// O_NONBLOCK (then a writer with no reader gets ENXIO); O_RDWR never
    /// waits. A signal ends the wait (EINTR) with nothing opened.
    pub fn open(&self, node: Stat, flags: u32) -> KResult<Arc<dyn FileLike>> {
        let fifo = {
            let mut open = self.open.lock();
            let key = (node.dev, node.ino);
            match open.get(&key).and_then(Weak::upgrade) {
                Some(f) => f,
                None => {
                    open.retain(|_, f| f.strong_count() > 0);
                    let f = Arc::new(Fifo {
                        pipe: Pipe::unopened(),
                        opens: Mutex::new(Opens::default()),
                        partner: WaitQueue::new(),
                    });
                    open.insert(key, Arc::downgrade(&f));
                    f
                }
            }
        };
        fifo.open(node, flags)
    }
}

/// How many read and write opens there have been: a waiting open waits
/// for the other side's count to move (an end that opened and closed
/// again meanwhile still counts), as Linux's `wait_for_partner` does.
#[derive(Default)]
struct Opens {
    readers: u64,
    writers: u64,
}

struct Fifo {
    pipe: Arc<Pipe>,
    opens: Mutex<Opens>,
    /// Signalled at every open.
    partner: WaitQueue,
}

impl Fifo {
    fn open(self: &Arc<Self>, node: Stat, flags: u32) -> KResult<Arc<dyn FileLike>> {
        let nonblock = flags & O_NONBLOCK != 0;
        let (read, write) = match flags & O_ACCMODE {
            O_RDONLY => (true, false),
            O_WRONLY => (false, true),
            O_RDWR => (true, true),
            _ => return Err(Errno::EINVAL),
        };
        let mut opens = self.opens.lock();
        if write && !read && nonblock && self.pipe.ends().0 == 0 {
            return Err(Errno::ENXIO);
        }
        // Ends count from here on, so the other side's opens see them
        // while this one waits; dropping them undoes that.
        let reader = read.then(|| self.pipe.add_reader());
        let writer = write.then(|| self.pipe.add_writer());
        opens.readers += read as u64;
        opens.writers += write as u64;
        let (readers_seen, writers_seen) = (opens.readers, opens.writers);
        self.partner.notify(POLLIN | POLLOUT);
        if !nonblock && read != write {
            loop {
                let (readers, writers) = self.pipe.ends();
                let partnered = if read {
                    writers > 0 || opens.writers != writers_seen
                } else {
                    readers > 0 || opens.readers != readers_seen
                };
                if partnered {
                    break;
                }
                self.partner.wait(&mut opens)?;
            }
        }
        drop(opens);
        Ok(Arc::new(FifoEnd {
            node,
            reader,
            writer,
            writers_seen,
            fifo: self.clone(),
        }))
    }
}

/// One open of a FIFO: its read end, write end or both (O_RDWR).
struct FifoEnd {
    /// The file system node's stat at open, which fstat shows.
    node: Stat,
    reader: Option<PipeReader>,
    writer: Option<PipeWriter>,
    /// Write opens counted when this end opened: a reader reports
    /// POLLHUP for a FIFO without writers only once some writer came
    /// after it (Linux), not merely because none has come yet.
    writers_seen: u64,
    fifo: Arc<Fifo>,
}

impl FileLike for FifoEnd {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        self.reader.as_ref().ok_or(Errno::EBADF)?.read(buf, status)
    }

    fn write(&self, data: &[u8], status: u32) -> KResult<usize> {
        self.writer
            .as_ref()
            .ok_or(Errno::EBADF)?
            .write(data, status)
    }

    fn read_guest(&self, mem: &mut dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        self.reader
            .as_ref()
            .ok_or(Errno::EBADF)?
            .read_guest(mem, iov, status)
    }

    fn write_guest(&self, mem: &dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        self.writer
            .as_ref()
            .ok_or(Errno::EBADF)?
            .write_guest(mem, iov, status)
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(self.node)
    }

    fn bytes_available(&self) -> KResult<u64> {
        match &self.reader {
            Some(r) => r.bytes_available(),
            None => Ok(0),
        }
    }

    fn as_pipe(&self) -> Option<&Pipe> {
        Some(&self.fifo.pipe)
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        let mut mask = 0;
        if let Some(r) = &self.reader {
            let m = r.poll(waker).unwrap_or(0);
            let writer_came = self.fifo.opens.lock().writers != self.writers_seen;
            mask |= if writer_came { m } else { m & !POLLHUP };
        }
        if let Some(w) = &self.writer {
            mask |= w.poll(waker).unwrap_or(0);
        }
        Some(mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(ino: u64) -> Stat {
        Stat {
            dev: 7,
            ino,
            mode: S_IFIFO | 0o644,
            nlink: 1,
            ..Stat::default()
        }
    }

    #[test]
    fn nonblocking_opens_follow_linux() {
        let fifos = Fifos::default();
        // A writer with no reader: ENXIO, and nothing is left open.
        assert_eq!(
            fifos.open(node(1), O_WRONLY | O_NONBLOCK).err(),
            Some(Errno::ENXIO)
        );
        let r = fifos.open(node(1), O_RDONLY | O_NONBLOCK).unwrap();
        let mut buf = [0u8; 8];
        // No writer yet: end of file, and no POLLHUP before one came.
        assert_eq!(r.read(&mut buf, O_NONBLOCK), Ok(0));
        assert_eq!(r.poll(None), Some(0));
        let w = fifos.open(node(1), O_WRONLY | O_NONBLOCK).unwrap();
        assert_eq!(w.write(b"abc", 0), Ok(3));
        assert_eq!(r.read(&mut buf, 0), Ok(3));
        assert_eq!(&buf[..3], b"abc");
        assert_eq!(r.read(&mut buf, O_NONBLOCK), Err(Errno::EAGAIN));
        drop(w);
        assert_eq!(r.poll(None), Some(POLLHUP));
        assert_eq!(r.read(&mut buf, 0), Ok(0));
        assert_eq!(r.stat().unwrap().ino, 1);
    }

    #[test]
    fn bytes_live_while_some_end_is_open_and_go_with_the_last() {
        let fifos = Fifos::default();
        let rw = fifos.open(node(2), O_RDWR).unwrap();
        let w = fifos.open(node(2), O_WRONLY).unwrap();
        assert_eq!(w.write(b"kept", 0), Ok(4));
        drop(w);
        let r = fifos.open(node(2), O_RDONLY).unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(r.read(&mut buf, 0), Ok(4));
        assert_eq!(rw.write(b"gone", 0), Ok(4));
        drop((r, rw));
        let r = fifos.open(node(2), O_RDONLY | O_NONBLOCK).unwrap();
        assert_eq!(r.read(&mut buf, 0), Ok(0));
        // Another node is another FIFO.
        let other = fifos.open(node(3), O_RDWR).unwrap();
        assert_eq!(other.write(b"x", 0), Ok(1));
        assert_eq!(r.bytes_available(), Ok(0));
    }

    #[test]
    fn blocking_opens_wait_for_each_other() {
        let fifos = Arc::new(Fifos::default());
        let f = fifos.clone();
        let reader = std::thread::spawn(move || {
            let r = f.open(node(4), O_RDONLY).unwrap();
            let mut buf = [0u8; 8];
            let n = r.read(&mut buf, 0).unwrap();
            buf[..n].to_vec()
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        let w = fifos.open(node(4), O_WRONLY).unwrap();
        assert_eq!(w.write(b"hi", 0), Ok(2));
        assert_eq!(reader.join().unwrap(), b"hi");
        // A writer that opens first waits for the reader the same way.
        let f = fifos.clone();
        let writer = std::thread::spawn(move || {
            let w = f.open(node(5), O_WRONLY).unwrap();
            w.write(b"yo", 0).unwrap()
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = fifos.open(node(5), O_RDONLY).unwrap();
        assert_eq!(writer.join().unwrap(), 2);
        let mut buf = [0u8; 8];
        assert_eq!(r.read(&mut buf, 0), Ok(2));
    }
}
