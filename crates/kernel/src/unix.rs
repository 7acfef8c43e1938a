//! AF_UNIX sockets, served entirely in the kernel.
//!
//! Every socket owns its receive [`Buffer`]; a connection (stream or
//! seqpacket) is two buffers, each end writing into the other's. A datagram
//! socket's buffer takes messages from anyone who names it. Names live in
//! the kernel's [`Names`] table: path names are keyed by the socket file's
//! (st_dev, st_ino), made in the cage's file system by bind (so `unlink`
//! removes the name and a new file at the path is a different socket),
//! abstract names by their bytes.
//!
//! Closing a socket shuts both directions of its connection: the peer reads
//! EOF and its writes fail with EPIPE. Sockets hold their peers weakly, so
//! a connection never keeps its other end open.

use crate::{
    block::{WaitQueue, Waker},
    chunk::{self, Chunk, Sink, Source, PIECE, SMALL},
    file::{read_guest_buffered, write_guest_buffered, FileLike, OpenFile},
    memory::{gather, iov_total, scatter, GuestMemory, IoVecs},
    socket::{int_opt, opt_int, Ancillary, Received, SockCtx, Socket, Ucred},
    KResult,
};
use lind_abi::{flags::*, layout::sockaddr_un, layout::Stat, Errno};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Instant;

/// Bytes a stream connection buffers in each direction.
pub const STREAM_CAP: usize = 256 * 1024;
/// Linux's default (and maximum settable) SO_SNDBUF/SO_RCVBUF.
const DEFAULT_BUF: i32 = 212_992;
const MIN_SNDBUF: i32 = 4608;
const MIN_RCVBUF: i32 = 2304;
/// Datagrams queued on one socket before senders wait.
const MAX_DGRAMS: usize = 512;
/// SCM_MAX_FD.
pub const MAX_RIGHTS: usize = 253;
/// Every event: what a close or shutdown may change.
const ALL_EVENTS: u32 = POLLIN | POLLOUT | POLLHUP | POLLERR | POLLRDHUP;

static NEXT_INO: AtomicU64 = AtomicU64::new(1 << 41);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum NameKey {
    Path(u64, u64),
    Abstract(Vec<u8>),
}

/// A bound name: its key and the address getsockname reports.
#[derive(Clone)]
struct Name {
    key: NameKey,
    addr: Vec<u8>,
}

/// The names bound by every cage of a run.
#[derive(Default)]
pub struct Names {
    map: Mutex<HashMap<NameKey, Weak<UnixSocket>>>,
}

impl Names {
    fn get(&self, key: &NameKey) -> Option<Arc<UnixSocket>> {
        self.map.lock().get(key).and_then(Weak::upgrade)
    }
}

fn unnamed() -> Vec<u8> {
    (AF_UNIX as u16).to_le_bytes().to_vec()
}

/// A parsed `sockaddr_un`.
enum Addr {
    Path(Vec<u8>),
    Abstract(Vec<u8>),
}

/// Checks and decodes a `sockaddr_un` of a bind/connect/sendto (Linux's
/// unix_validate_addr): EINVAL unless longer than the family and at most
/// `sizeof(struct sockaddr_un)`, and of family AF_UNIX.
fn parse(addr: &[u8]) -> KResult<(Addr, Vec<u8>)> {
    if addr.len() <= sockaddr_un::PATH || addr.len() > sockaddr_un::SIZE {
        return Err(Errno::EINVAL);
    }
    if u16::from_le_bytes([addr[0], addr[1]]) as u32 != AF_UNIX {
        return Err(Errno::EINVAL);
    }
    let path = &addr[sockaddr_un::PATH..];
    if path[0] == 0 {
        return Ok((Addr::Abstract(path[1..].to_vec()), addr.to_vec()));
    }
    let end = path.iter().position(|&c| c == 0).unwrap_or(path.len());
    let path = path[..end].to_vec();
    let mut reported = unnamed();
    reported.extend_from_slice(&path);
    reported.push(0);
    Ok((Addr::Path(path), reported))
}

/// A message (datagram, seqpacket), or on a stream a run of bytes written
/// with the same credentials and no descriptors (or one write carrying
/// descriptors, read on its own). Stream segments are never empty.
struct Seg {
    data: Chunk,
    rights: Vec<Arc<OpenFile>>,
    cred: Ucred,
    from: Option<Vec<u8>>,
}

#[derive(Default)]
struct BufState {
    segs: VecDeque<Seg>,
    /// Bytes queued, with (on a stream) those a reader took out and is
    /// still copying: they make room once copied.
    bytes: usize,
    /// No more data will come (the writer shut down, or the reader did).
    shut: bool,
    /// The reader is gone (datagram senders get ECONNREFUSED).
    dead: bool,
}

impl BufState {
    /// Queues stream bytes. Small plain writes extend the last segment
    /// when it has the room, so tiny writes do not cost a segment each.
    fn queue_stream(&mut self, data: Chunk, rights: Vec<Arc<OpenFile>>, cred: Ucred) {
        let small = rights.is_empty() && data.len() < SMALL;
        if small {
            if let Some(last) = self.segs.back_mut() {
                if last.rights.is_empty() && last.cred == cred && last.data.try_append(data.bytes())
                {
                    return;
                }
            }
        }
        let data = if small {
            Chunk::small(data.bytes())
        } else {
            data
        };
        self.segs.push_back(Seg {
            data,
            rights,
            cred,
            from: None,
        });
    }
}

/// One direction of data: a socket's receive queue.
struct Buffer {
    st: Mutex<BufState>,
    /// Serialises stream readers, like Linux's `u->iolock`: held while a
    /// reader copies the segments it took out into guest memory (never
    /// while it waits), so the next reader sees the bytes that follow and
    /// a failed copy can put its segments back in front. It only orders the
    /// readers of this buffer; writers never take it.
    reading: Mutex<()>,
    /// Data arrived, or the buffer was shut.
    readable: WaitQueue,
    /// Room freed up, or the reader left.
    writable: WaitQueue,
}

impl Buffer {
    fn new() -> Arc<Self> {
        Arc::new(Buffer {
            st: Mutex::new(BufState::default()),
            reading: Mutex::new(()),
            readable: WaitQueue::new(),
            writable: WaitQueue::new(),
        })
    }

    fn shut(&self, dead: bool) {
        {
            let mut st = self.st.lock();
            st.shut = true;
            st.dead |= dead;
        }
        self.readable.notify(ALL_EVENTS);
        self.writable.notify(ALL_EVENTS);
    }
}

enum Conn {
    Idle,
    Listening {
        backlog: usize,
        pending: VecDeque<Arc<UnixSocket>>,
        cred: Ucred,
    },
    Connected {
        tx: Arc<Buffer>,
        peer_addr: Vec<u8>,
        peer_cred: Ucred,
    },
}

struct State {
    name: Option<Name>,
    /// The table holding our name, left when the socket closes (accepted
    /// sockets report the listener's name but do not own it).
    names: Option<Arc<Names>>,
    conn: Conn,
    shut_wr: bool,
    /// SO_PASSCRED: received messages carry SCM_CREDENTIALS.
    passcred: bool,
    sndbuf: i32,
    rcvbuf: i32,
    /// Options accepted and reported back but without effect here
    /// (SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER, timeouts…).
    other: HashMap<u32, Vec<u8>>,
}

pub struct UnixSocket {
    me: Weak<UnixSocket>,
    ty: u32,
    ino: u64,
    rx: Arc<Buffer>,
    st: Mutex<State>,
    /// Listener: connections arrive and leave the backlog.
    events: WaitQueue,
}

impl UnixSocket {
    /// When a blocking call gives up, from SO_RCVTIMEO or SO_SNDTIMEO
    /// (`name`) as it is when the call starts; None: never. A wait that
    /// reaches it makes the call end as O_NONBLOCK would, with EAGAIN or
    /// with what it has moved, as Linux does.
    fn deadline(&self, name: u32) -> Option<Instant> {
        let st = self.st.lock();
        let timeout = crate::inet::decode_timeout(st.other.get(&name)?).ok()??;
        Some(Instant::now() + timeout)
    }

    fn make(ty: u32) -> Arc<Self> {
        Arc::new_cyclic(|me| UnixSocket {
            me: me.clone(),
            ty,
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
            rx: Buffer::new(),
            st: Mutex::new(State {
                name: None,
                names: None,
                conn: Conn::Idle,
                shut_wr: false,
                passcred: false,
                sndbuf: DEFAULT_BUF,
                rcvbuf: DEFAULT_BUF,
                other: HashMap::new(),
            }),
            events: WaitQueue::new(),
        })
    }

    /// A new socket of type `ty` (SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET).
    pub fn new(ty: u32) -> KResult<Arc<Self>> {
        match ty {
            SOCK_STREAM | SOCK_DGRAM | SOCK_SEQPACKET => Ok(Self::make(ty)),
            _ => Err(Errno::ESOCKTNOSUPPORT),
        }
    }

    /// `socketpair`: two connected sockets, each crediting `cred`.
    pub fn pair(ty: u32, cred: Ucred) -> KResult<(Arc<Self>, Arc<Self>)> {
        let a = Self::new(ty)?;
        let b = Self::new(ty)?;
        a.st.lock().conn = Conn::Connected {
            tx: b.rx.clone(),
            peer_addr: unnamed(),
            peer_cred: cred,
        };
        b.st.lock().conn = Conn::Connected {
            tx: a.rx.clone(),
            peer_addr: unnamed(),
            peer_cred: cred,
        };
        Ok((a, b))
    }

    fn connection_oriented(&self) -> bool {
        self.ty != SOCK_DGRAM
    }

    fn tx(&self) -> Option<Arc<Buffer>> {
        match &self.st.lock().conn {
            Conn::Connected { tx, .. } => Some(tx.clone()),
            _ => None,
        }
    }

    /// Finds the socket bound to `addr`.
    fn lookup(&self, cx: &SockCtx, addr: &[u8]) -> KResult<(Arc<UnixSocket>, Vec<u8>)> {
        let (a, reported) = parse(addr)?;
        let key = match a {
            Addr::Abstract(n) => NameKey::Abstract(n),
            Addr::Path(p) => {
                let st = crate::syscall::fs::stat_path(cx.kernel, cx.cage, AT_FDCWD, &p, true)?;
                if st.mode & S_IFMT != S_IFSOCK {
                    return Err(Errno::ECONNREFUSED);
                }
                NameKey::Path(st.dev, st.ino)
            }
        };
        let s = cx.kernel.unix.get(&key).ok_or(Errno::ECONNREFUSED)?;
        Ok((s, reported))
    }

    /// Queues a message (whole, for datagrams and seqpackets) or stream
    /// bytes (as much as fits, waiting for room unless `nonblock`).
    fn push(
        &self,
        buf: &Buffer,
        data: &[u8],
        mut anc: Ancillary,
        cred: Ucred,
        from: Option<Vec<u8>>,
        mut nonblock: bool,
    ) -> KResult<usize> {
        let cred = anc.cred.unwrap_or(cred);
        let deadline = self.deadline(SO_SNDTIMEO);
        if self.ty == SOCK_STREAM {
            let mut source = |at: usize, n: usize, out: &mut Vec<u8>| {
                out.extend_from_slice(&data[at..at + n]);
                Ok(())
            };
            return self.push_stream(buf, data.len(), &mut source, anc.rights, cred, nonblock);
        }
        let sndbuf = self.st.lock().sndbuf as usize;
        if data.len() > sndbuf.max(STREAM_CAP) {
            return Err(Errno::EMSGSIZE);
        }
        let mut st = buf.st.lock();
        loop {
            if st.shut {
                return Err(if st.dead && !self.connection_oriented() {
                    Errno::ECONNREFUSED
                } else {
                    Errno::EPIPE
                });
            }
            let room = STREAM_CAP.saturating_sub(st.bytes);
            if room >= data.len().max(1) && st.segs.len() < MAX_DGRAMS {
                st.segs.push_back(Seg {
                    data: Chunk::new(data.to_vec()),
                    rights: std::mem::take(&mut anc.rights),
                    cred,
                    from,
                });
                st.bytes += data.len();
                drop(st);
                buf.readable.notify(POLLIN);
                return Ok(data.len());
            }
            if nonblock {
                return Err(Errno::EAGAIN);
            }
            nonblock = buf.writable.wait_until(&mut st, deadline)?;
        }
    }

    /// Queues `len` stream bytes that `source(offset, n)` supplies as owned
    /// pieces, copied before the buffer is locked and moved into it (split
    /// without copying where only part fits). Blocks until all are queued
    /// unless `nonblock`; returns how many were. Descriptors go with the
    /// first byte.
    fn push_stream(
        &self,
        buf: &Buffer,
        len: usize,
        source: &mut Source<'_>,
        mut rights: Vec<Arc<OpenFile>>,
        cred: Ucred,
        mut nonblock: bool,
    ) -> KResult<usize> {
        let deadline = self.deadline(SO_SNDTIMEO);
        if len == 0 {
            // Nothing to queue (descriptors need at least one byte).
            return if buf.st.lock().shut {
                Err(Errno::EPIPE)
            } else {
                Ok(0)
            };
        }
        let partial = |done: usize, e: Errno| if done > 0 { Ok(done) } else { Err(e) };
        let mut done = 0;
        while done < len {
            let n = (len - done).min(PIECE);
            if nonblock {
                let st = buf.st.lock();
                if !st.shut && st.bytes >= STREAM_CAP {
                    // Nothing to copy if nothing fits.
                    return partial(done, Errno::EAGAIN);
                }
            }
            let mut v = chunk::spare(n);
            let mut piece = match source(done, n, &mut v) {
                Ok(()) => Chunk::new(v),
                Err(e) => return partial(done, e),
            };
            let mut st = buf.st.lock();
            loop {
                if st.shut {
                    return partial(done, Errno::EPIPE);
                }
                let room = STREAM_CAP.saturating_sub(st.bytes);
                if room == 0 {
                    if nonblock {
                        return partial(done, Errno::EAGAIN);
                    }
                    match buf.writable.wait_until(&mut st, deadline) {
                        Ok(timed_out) => nonblock = timed_out,
                        Err(e) => return partial(done, e),
                    }
                    continue;
                }
                let part = if piece.len() <= room {
                    std::mem::take(&mut piece)
                } else {
                    piece.split_front(room)
                };
                let n = part.len();
                st.queue_stream(part, std::mem::take(&mut rights), cred);
                st.bytes += n;
                done += n;
                drop(st);
                buf.readable.notify(POLLIN);
                if piece.is_empty() {
                    break;
                }
                st = buf.st.lock();
            }
        }
        Ok(done)
    }

    fn take(
        &self,
        max: usize,
        flags: u32,
        mut nonblock: bool,
        passcred: bool,
    ) -> KResult<Received> {
        let deadline = self.deadline(SO_RCVTIMEO);
        let peek = flags & MSG_PEEK != 0;
        let stream = self.ty == SOCK_STREAM;
        let waitall = flags & MSG_WAITALL != 0 && stream && !peek;
        let buf = &self.rx;
        // Stream readers take turns (see `Buffer::reading`).
        let mut reading = stream.then(|| buf.reading.lock());
        let mut st = buf.st.lock();
        let mut out = Received::default();
        loop {
            if st.segs.is_empty() {
                if st.shut || (!out.data.is_empty() && !waitall) {
                    break;
                }
                if nonblock {
                    if out.data.is_empty() {
                        return Err(Errno::EAGAIN);
                    }
                    break;
                }
                reading = None;
                match buf.readable.wait_until(&mut st, deadline) {
                    Err(e) if out.data.is_empty() => return Err(e),
                    Err(_) => break,
                    Ok(timed_out) => nonblock = timed_out,
                }
                if stream {
                    drop(st);
                    reading = Some(buf.reading.lock());
                    st = buf.st.lock();
                }
                continue;
            }
            if !stream {
                // One message per call; the rest of a long one is lost.
                let seg = if peek {
                    let s = &st.segs[0];
                    Seg {
                        data: s.data.clone(),
                        rights: s.rights.clone(),
                        cred: s.cred,
                        from: s.from.clone(),
                    }
                } else {
                    match st.segs.pop_front() {
                        Some(s) => {
                            st.bytes -= s.data.len();
                            s
                        }
                        None => continue,
                    }
                };
                out.full_len = seg.data.len();
                out.data = seg.data.into_vec();
                out.data.truncate(max);
                out.rights = seg.rights;
                out.from = seg.from;
                out.cred = passcred.then_some(seg.cred);
                break;
            }
            // Stream: bytes from consecutive segments. A segment carrying
            // descriptors starts a read of its own and ends it.
            let mut stop = false;
            let mut i = 0;
            let BufState { segs, bytes, .. } = &mut *st;
            while out.data.len() < max && i < segs.len() {
                let seg = &mut segs[i];
                if !seg.rights.is_empty() && !out.data.is_empty() {
                    stop = true;
                    break;
                }
                if out.data.is_empty() {
                    out.cred = passcred.then_some(seg.cred);
                }
                let n = seg.data.len().min(max - out.data.len());
                out.data.extend_from_slice(&seg.data.bytes()[..n]);
                let had_rights = !seg.rights.is_empty();
                if peek {
                    out.rights.extend(seg.rights.iter().cloned());
                    i += 1;
                } else {
                    out.rights.append(&mut seg.rights);
                    seg.data.split_front(n);
                    *bytes -= n;
                    if seg.data.is_empty() {
                        segs.pop_front();
                    }
                }
                if had_rights {
                    stop = true;
                    break;
                }
            }
            out.full_len = out.data.len();
            if stop || !waitall || out.data.len() >= max {
                break;
            }
        }
        drop(st);
        drop(reading);
        if !peek {
            buf.writable.notify(POLLOUT);
        }
        Ok(out)
    }

    /// read(2) on a stream: at most `len` (> 0) bytes, handed to
    /// `sink(offset, bytes)` in order once the buffer's lock is released
    /// (for read(2), straight into guest memory). A sink error puts the
    /// bytes it did not take back, and is returned if it took none.
    /// Descriptors passed with the bytes are closed, as read(2) has no way
    /// to receive them.
    fn read_stream_with(
        &self,
        len: usize,
        mut nonblock: bool,
        sink: &mut Sink<'_>,
    ) -> KResult<usize> {
        let deadline = self.deadline(SO_RCVTIMEO);
        if !matches!(self.st.lock().conn, Conn::Connected { .. }) {
            return Err(Errno::EINVAL);
        }
        let rx = &self.rx;
        let (reading, mut taken) = loop {
            let reading = rx.reading.lock();
            let mut st = rx.st.lock();
            if !st.segs.is_empty() {
                let mut taken: Vec<Seg> = Vec::new();
                let mut n = 0;
                while n < len {
                    let Some(seg) = st.segs.front_mut() else {
                        break;
                    };
                    let had_rights = !seg.rights.is_empty();
                    if had_rights && n > 0 {
                        break;
                    }
                    if seg.data.len() > len - n {
                        taken.push(Seg {
                            data: seg.data.split_front(len - n),
                            rights: std::mem::take(&mut seg.rights),
                            cred: seg.cred,
                            from: None,
                        });
                        n = len;
                    } else {
                        n += seg.data.len();
                        taken.extend(st.segs.pop_front());
                    }
                    if had_rights {
                        break;
                    }
                }
                break (reading, taken);
            }
            if st.shut {
                return Ok(0);
            }
            if nonblock {
                return Err(Errno::EAGAIN);
            }
            // Other readers may go on while this one waits.
            drop(reading);
            nonblock = rx.readable.wait_until(&mut st, deadline)?;
        };
        let mut copied = 0;
        let mut failed = None;
        let mut dropped = Vec::new();
        for (i, seg) in taken.iter().enumerate() {
            if let Err(e) = sink(copied, seg.data.bytes()) {
                failed = Some((i, e));
                break;
            }
            copied += seg.data.len();
        }
        {
            let mut st = rx.st.lock();
            st.bytes -= copied;
            if let Some((i, _)) = failed {
                // Still first: the reading lock kept other readers out.
                for seg in taken.drain(i..).rev() {
                    st.segs.push_front(seg);
                }
            }
        }
        drop(reading);
        let mut read = Vec::with_capacity(taken.len());
        for seg in taken {
            dropped.extend(seg.rights);
            read.push(seg.data);
        }
        chunk::recycle(read);
        // Closing a descriptor may reach this buffer: no lock is held.
        drop(dropped);
        if copied > 0 {
            rx.writable.notify(POLLOUT);
        }
        match failed {
            Some((0, e)) => Err(e),
            _ => Ok(copied),
        }
    }

    /// The buffer a write(2) goes to: ENOTCONN (EDESTADDRREQ for a
    /// datagram socket) unless connected, EPIPE after SHUT_WR.
    fn write_target(&self) -> KResult<Arc<Buffer>> {
        let st = self.st.lock();
        let tx = match &st.conn {
            Conn::Connected { tx, .. } => tx.clone(),
            _ => {
                return Err(if self.connection_oriented() {
                    Errno::ENOTCONN
                } else {
                    Errno::EDESTADDRREQ
                })
            }
        };
        if st.shut_wr {
            return Err(Errno::EPIPE);
        }
        Ok(tx)
    }

    fn readiness(&self) -> u32 {
        let st = self.st.lock();
        let rx = self.rx.st.lock();
        let mut m = 0;
        let rcv_shut = rx.shut;
        let (snd_shut, connected, listening, room) = match &st.conn {
            Conn::Connected { tx, .. } => {
                let t = tx.st.lock();
                (
                    st.shut_wr || t.shut,
                    true,
                    false,
                    t.bytes < STREAM_CAP && (self.ty == SOCK_STREAM || t.segs.len() < MAX_DGRAMS),
                )
            }
            Conn::Listening { pending, .. } => {
                if !pending.is_empty() {
                    m |= POLLIN | POLLRDNORM;
                }
                (st.shut_wr, false, true, false)
            }
            Conn::Idle => (st.shut_wr, false, false, true),
        };
        if rcv_shut && snd_shut {
            m |= POLLHUP;
        }
        if rcv_shut {
            m |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if !rx.segs.is_empty() || rx.bytes > 0 {
            m |= POLLIN | POLLRDNORM;
        }
        if self.connection_oriented() && !connected && !listening {
            m |= POLLHUP;
        }
        if !listening && room {
            m |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        m
    }
}

impl Drop for UnixSocket {
    fn drop(&mut self) {
        let st = self.st.get_mut();
        if let (Some(name), Some(names)) = (&st.name, &st.names) {
            let mut map = names.map.lock();
            if map.get(&name.key).is_some_and(|w| w.strong_count() == 0) {
                map.remove(&name.key);
            }
        }
        match std::mem::replace(&mut st.conn, Conn::Idle) {
            Conn::Connected { tx, .. } => {
                if self.ty != SOCK_DGRAM {
                    tx.shut(false);
                }
            }
            Conn::Listening { pending, .. } => drop(pending),
            Conn::Idle => {}
        }
        // Data nobody will read goes (descriptors in flight close, after
        // the lock is released: closing one may reach this buffer).
        let unread = {
            let mut rx = self.rx.st.lock();
            std::mem::take(&mut rx.segs)
        };
        drop(unread);
        self.rx.shut(true);
        self.events.notify(ALL_EVENTS);
    }
}

impl Socket for UnixSocket {
    fn domain(&self) -> u32 {
        AF_UNIX
    }

    fn sock_type(&self) -> u32 {
        self.ty
    }

    fn bind(&self, cx: &SockCtx, addr: &[u8]) -> KResult<()> {
        if addr.len() < sockaddr_un::PATH
            || addr.len() > sockaddr_un::SIZE
            || u16::from_le_bytes([addr[0], addr[1]]) as u32 != AF_UNIX
        {
            return Err(Errno::EINVAL);
        }
        if self.st.lock().name.is_some() {
            // Linux makes the file first: an existing path wins.
            if let Ok((Addr::Path(p), _)) = parse(addr) {
                if crate::syscall::fs::stat_path(cx.kernel, cx.cage, AT_FDCWD, &p, false).is_ok() {
                    return Err(Errno::EADDRINUSE);
                }
            }
            return Err(Errno::EINVAL);
        }
        let names = cx.kernel.unix.clone();
        let (key, reported) = if addr.len() == sockaddr_un::PATH {
            // Autobind: an abstract name of five hex digits.
            let n = self.ino & 0xfffff;
            let name = format!("{n:05x}").into_bytes();
            let mut reported = unnamed();
            reported.push(0);
            reported.extend_from_slice(&name);
            (NameKey::Abstract(name), reported)
        } else {
            match parse(addr)? {
                (Addr::Abstract(n), reported) => (NameKey::Abstract(n), reported),
                (Addr::Path(p), reported) => {
                    let mode = S_IFSOCK | (0o777 & !cx.cage.umask());
                    let st = crate::syscall::fs::mknod_path(cx.kernel, cx.cage, AT_FDCWD, &p, mode)
                        .map_err(|e| {
                            if e == Errno::EEXIST {
                                Errno::EADDRINUSE
                            } else {
                                e
                            }
                        })?;
                    (NameKey::Path(st.dev, st.ino), reported)
                }
            }
        };
        {
            let mut map = names.map.lock();
            if map.get(&key).is_some_and(|w| w.strong_count() > 0) {
                return Err(Errno::EADDRINUSE);
            }
            map.insert(key.clone(), self.me.clone());
        }
        let mut st = self.st.lock();
        st.name = Some(Name {
            key,
            addr: reported,
        });
        st.names = Some(names);
        Ok(())
    }

    fn listen(&self, backlog: i32) -> KResult<()> {
        if !self.connection_oriented() {
            return Err(Errno::EOPNOTSUPP);
        }
        let backlog = (backlog as u32).min(SOMAXCONN) as usize;
        let cred = Ucred::current();
        let mut st = self.st.lock();
        if st.name.is_none() {
            return Err(Errno::EINVAL);
        }
        match &mut st.conn {
            Conn::Connected { .. } => Err(Errno::EINVAL),
            Conn::Listening { backlog: b, .. } => {
                *b = backlog;
                drop(st);
                self.events.notify(POLLOUT);
                Ok(())
            }
            Conn::Idle => {
                st.conn = Conn::Listening {
                    backlog,
                    pending: VecDeque::new(),
                    cred,
                };
                Ok(())
            }
        }
    }

    fn accept(&self, mut nonblock: bool) -> KResult<(Arc<dyn FileLike>, Vec<u8>)> {
        if !self.connection_oriented() {
            return Err(Errno::EOPNOTSUPP);
        }
        let deadline = self.deadline(SO_RCVTIMEO);
        let mut st = self.st.lock();
        loop {
            let Conn::Listening { pending, .. } = &mut st.conn else {
                return Err(Errno::EINVAL);
            };
            if let Some(s) = pending.pop_front() {
                drop(st);
                self.events.notify(POLLOUT);
                let peer = s.peer_addr().unwrap_or_else(|_| unnamed());
                return Ok((s, peer));
            }
            if nonblock {
                return Err(Errno::EAGAIN);
            }
            nonblock = self.events.wait_until(&mut st, deadline)?;
        }
    }

    fn connect(&self, cx: &SockCtx, addr: &[u8], mut nonblock: bool) -> KResult<()> {
        if self.ty == SOCK_DGRAM
            && addr.len() >= 2
            && u16::from_le_bytes([addr[0], addr[1]]) as u32 == AF_UNSPEC
        {
            // Dissolves a datagram association.
            self.st.lock().conn = Conn::Idle;
            return Ok(());
        }
        let (target, target_addr) = self.lookup(cx, addr)?;
        if target.ty != self.ty {
            return Err(Errno::EPROTOTYPE);
        }
        let me = Ucred::of(cx.cage);
        if self.ty == SOCK_DGRAM {
            let tx = target.rx.clone();
            let mut st = self.st.lock();
            st.conn = Conn::Connected {
                tx,
                peer_addr: target_addr,
                peer_cred: me,
            };
            return Ok(());
        }
        // Linux looks at the listener's backlog before at our own state.
        let my_state = || -> KResult<Vec<u8>> {
            let st = self.st.lock();
            match st.conn {
                Conn::Connected { .. } => Err(Errno::EISCONN),
                Conn::Listening { .. } => Err(Errno::EINVAL),
                Conn::Idle => Ok(st
                    .name
                    .as_ref()
                    .map(|n| n.addr.clone())
                    .unwrap_or_else(unnamed)),
            }
        };
        // The server's end, waiting in the listener's backlog.
        let server = Self::make(self.ty);
        let listener_cred;
        let deadline = self.deadline(SO_SNDTIMEO);
        {
            let mut lst = target.st.lock();
            loop {
                let Conn::Listening {
                    backlog,
                    pending,
                    cred,
                } = &mut lst.conn
                else {
                    return Err(Errno::ECONNREFUSED);
                };
                if pending.len() <= *backlog {
                    let my_addr = my_state()?;
                    listener_cred = *cred;
                    let mut sst = server.st.lock();
                    sst.name = lst.name.clone();
                    sst.conn = Conn::Connected {
                        tx: self.rx.clone(),
                        peer_addr: my_addr,
                        peer_cred: me,
                    };
                    drop(sst);
                    if let Conn::Listening { pending, .. } = &mut lst.conn {
                        pending.push_back(server.clone());
                    }
                    break;
                }
                if nonblock {
                    return Err(Errno::EAGAIN);
                }
                nonblock = target.events.wait_until(&mut lst, deadline)?;
            }
        }
        target.events.notify(POLLIN);
        self.st.lock().conn = Conn::Connected {
            tx: server.rx.clone(),
            peer_addr: target_addr,
            peer_cred: listener_cred,
        };
        self.events.notify(POLLOUT);
        Ok(())
    }

    fn send(
        &self,
        cx: &SockCtx,
        data: &[u8],
        to: Option<&[u8]>,
        anc: Ancillary,
        _flags: u32,
        nonblock: bool,
    ) -> KResult<usize> {
        if anc.rights.len() > MAX_RIGHTS {
            return Err(Errno::EINVAL);
        }
        let cred = Ucred::of(cx.cage);
        let from = self.st.lock().name.as_ref().map(|n| n.addr.clone());
        if self.connection_oriented() {
            if to.is_some_and(|a| !a.is_empty()) {
                return Err(match self.st.lock().conn {
                    Conn::Connected { .. } => Errno::EISCONN,
                    _ => Errno::EOPNOTSUPP,
                });
            }
            let tx = {
                let st = self.st.lock();
                if st.shut_wr {
                    return Err(Errno::EPIPE);
                }
                match &st.conn {
                    Conn::Connected { tx, .. } => tx.clone(),
                    _ => return Err(Errno::ENOTCONN),
                }
            };
            return self.push(&tx, data, anc, cred, from, nonblock);
        }
        if self.st.lock().shut_wr {
            return Err(Errno::EPIPE);
        }
        let tx = match to.filter(|a| !a.is_empty()) {
            Some(addr) => {
                let (target, _) = self.lookup(cx, addr)?;
                if target.ty != SOCK_DGRAM {
                    return Err(Errno::EPROTOTYPE);
                }
                target.rx.clone()
            }
            None => self.tx().ok_or(Errno::ENOTCONN)?,
        };
        let r = self.push(&tx, data, anc, cred, from, nonblock);
        if r == Err(Errno::ECONNREFUSED) {
            // The peer is gone: the association dissolves.
            let mut st = self.st.lock();
            if matches!(&st.conn, Conn::Connected { tx: t, .. } if Arc::ptr_eq(t, &tx)) {
                st.conn = Conn::Idle;
            }
        }
        r
    }

    fn recv(&self, max: usize, flags: u32, nonblock: bool) -> KResult<Received> {
        let passcred = {
            let st = self.st.lock();
            if self.ty == SOCK_STREAM && !matches!(st.conn, Conn::Connected { .. }) {
                return Err(Errno::EINVAL);
            }
            st.passcred
        };
        self.take(max, flags, nonblock, passcred)
    }

    fn shutdown(&self, how: u32) -> KResult<()> {
        if how > SHUT_RDWR {
            return Err(Errno::EINVAL);
        }
        let rd = how == SHUT_RD || how == SHUT_RDWR;
        let wr = how == SHUT_WR || how == SHUT_RDWR;
        let tx = {
            let mut st = self.st.lock();
            st.shut_wr |= wr;
            match &st.conn {
                Conn::Connected { tx, .. } if self.connection_oriented() => Some(tx.clone()),
                _ => None,
            }
        };
        if rd {
            self.rx.shut(false);
        }
        if let (Some(tx), true) = (tx, wr) {
            tx.shut(false);
        }
        self.events.notify(ALL_EVENTS);
        Ok(())
    }

    fn local_addr(&self) -> Vec<u8> {
        self.st
            .lock()
            .name
            .as_ref()
            .map(|n| n.addr.clone())
            .unwrap_or_else(unnamed)
    }

    fn peer_addr(&self) -> KResult<Vec<u8>> {
        match &self.st.lock().conn {
            Conn::Connected { peer_addr, .. } => Ok(peer_addr.clone()),
            _ => Err(Errno::ENOTCONN),
        }
    }

    fn getsockopt(&self, level: u32, name: u32) -> KResult<Vec<u8>> {
        if level != SOL_SOCKET {
            return Err(Errno::EOPNOTSUPP);
        }
        let st = self.st.lock();
        Ok(match name {
            SO_TYPE => int_opt(self.ty as i32),
            SO_DOMAIN => int_opt(AF_UNIX as i32),
            SO_PROTOCOL => int_opt(0),
            SO_ERROR => int_opt(0),
            SO_ACCEPTCONN => int_opt(matches!(st.conn, Conn::Listening { .. }) as i32),
            SO_PASSCRED => int_opt(st.passcred as i32),
            SO_SNDBUF => int_opt(st.sndbuf),
            SO_RCVBUF => int_opt(st.rcvbuf),
            SO_PEERCRED => match &st.conn {
                Conn::Connected { peer_cred, .. } if self.connection_oriented() => {
                    peer_cred.to_bytes().to_vec()
                }
                _ => Ucred {
                    pid: 0,
                    uid: u32::MAX,
                    gid: u32::MAX,
                }
                .to_bytes()
                .to_vec(),
            },
            SO_LINGER => st.other.get(&name).cloned().unwrap_or_else(|| vec![0; 8]),
            SO_RCVTIMEO | SO_SNDTIMEO => {
                st.other.get(&name).cloned().unwrap_or_else(|| vec![0; 16])
            }
            SO_REUSEADDR | SO_REUSEPORT | SO_KEEPALIVE | SO_BROADCAST | SO_DEBUG | SO_DONTROUTE
            | SO_OOBINLINE => st.other.get(&name).cloned().unwrap_or_else(|| int_opt(0)),
            SO_RCVLOWAT | SO_SNDLOWAT => int_opt(1),
            _ => return Err(Errno::ENOPROTOOPT),
        })
    }

    fn setsockopt(&self, level: u32, name: u32, value: &[u8]) -> KResult<()> {
        if level != SOL_SOCKET {
            return Err(Errno::EOPNOTSUPP);
        }
        let mut st = self.st.lock();
        match name {
            SO_PASSCRED => st.passcred = opt_int(value)? != 0,
            SO_SNDBUF | SO_SNDBUFFORCE => {
                let v = opt_int(value)?.clamp(0, DEFAULT_BUF);
                st.sndbuf = (v * 2).max(MIN_SNDBUF);
            }
            SO_RCVBUF | SO_RCVBUFFORCE => {
                let v = opt_int(value)?.clamp(0, DEFAULT_BUF);
                st.rcvbuf = (v * 2).max(MIN_RCVBUF);
            }
            SO_LINGER => {
                if value.len() < 8 {
                    return Err(Errno::EINVAL);
                }
                st.other.insert(name, value[..8].to_vec());
            }
            SO_RCVTIMEO | SO_SNDTIMEO => {
                crate::inet::decode_timeout(value)?;
                st.other.insert(name, value[..16].to_vec());
            }
            SO_REUSEADDR | SO_REUSEPORT | SO_KEEPALIVE | SO_BROADCAST | SO_DEBUG | SO_DONTROUTE
            | SO_OOBINLINE => {
                let v = (opt_int(value)? != 0) as i32;
                st.other.insert(name, int_opt(v));
            }
            SO_RCVLOWAT | SO_SNDLOWAT => {
                opt_int(value)?;
            }
            SO_TYPE | SO_DOMAIN | SO_PROTOCOL | SO_ERROR | SO_PEERCRED | SO_ACCEPTCONN => {
                return Err(Errno::ENOPROTOOPT)
            }
            _ => return Err(Errno::ENOPROTOOPT),
        }
        Ok(())
    }
}

impl FileLike for UnixSocket {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        if self.ty == SOCK_STREAM && !buf.is_empty() {
            return self.read_stream_with(buf.len(), status & O_NONBLOCK != 0, &mut |at, b| {
                buf[at..at + b.len()].copy_from_slice(b);
                Ok(())
            });
        }
        let r = self.recv(buf.len(), 0, status & O_NONBLOCK != 0)?;
        buf[..r.data.len()].copy_from_slice(&r.data);
        Ok(r.data.len())
    }

    fn read_guest(&self, mem: &mut dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        let len = iov_total(iov);
        if self.ty == SOCK_STREAM && len > 0 {
            return self.read_stream_with(len, status & O_NONBLOCK != 0, &mut |at, b| {
                scatter(mem, iov, at, b)
            });
        }
        read_guest_buffered(self, mem, iov, status)
    }

    fn write(&self, data: &[u8], status: u32) -> KResult<usize> {
        let nonblock = status & O_NONBLOCK != 0;
        // Without a kernel at hand only connected sends are possible, which
        // is all write(2) allows.
        let cred = Ucred::current();
        let tx = self.write_target()?;
        let from = self.st.lock().name.as_ref().map(|n| n.addr.clone());
        self.push(&tx, data, Ancillary::default(), cred, from, nonblock)
    }

    fn write_guest(&self, mem: &dyn GuestMemory, iov: &IoVecs, status: u32) -> KResult<usize> {
        if self.ty != SOCK_STREAM {
            return write_guest_buffered(self, mem, iov, status);
        }
        let tx = self.write_target()?;
        let len = iov_total(iov);
        let mut source = |at: usize, n: usize, out: &mut Vec<u8>| gather(mem, iov, at, n, out);
        let nonblock = status & O_NONBLOCK != 0;
        self.push_stream(
            &tx,
            len,
            &mut source,
            Vec::new(),
            Ucred::current(),
            nonblock,
        )
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(crate::socket::socket_stat(self.ino))
    }

    fn bytes_available(&self) -> KResult<u64> {
        let rx = self.rx.st.lock();
        Ok(if self.ty == SOCK_STREAM {
            rx.bytes as u64
        } else {
            rx.segs.front().map_or(0, |s| s.data.len() as u64)
        })
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.rx.readable.register(w);
            self.events.register(w);
            if let Some(tx) = self.tx() {
                tx.writable.register(w);
            }
        }
        Some(self.readiness())
    }

    fn as_socket(&self) -> Option<&dyn Socket> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{err, TestEnv};
    use lind_abi::nr;

    fn addr(t: &mut TestEnv, path: &[u8]) -> (u64, u64) {
        let mut a = unnamed();
        a.extend_from_slice(path);
        a.push(0);
        let len = a.len() as u64;
        (t.put(&a), len)
    }

    #[test]
    fn pair_streams_and_eof_and_epipe() {
        let (a, b) = UnixSocket::pair(SOCK_STREAM, Ucred::default()).unwrap();
        assert_eq!(a.write(b"hello", 0), Ok(5));
        let mut buf = [0u8; 3];
        assert_eq!(b.read(&mut buf, 0), Ok(3));
        assert_eq!(&buf, b"hel");
        assert_eq!(b.bytes_available(), Ok(2));
        assert_eq!(b.poll(None).unwrap() & POLLIN, POLLIN);
        drop(a);
        assert_eq!(b.read(&mut buf, 0), Ok(2));
        assert_eq!(b.read(&mut buf, 0), Ok(0));
        assert_eq!(b.write(b"x", 0), Err(Errno::EPIPE));
        let m = b.poll(None).unwrap();
        assert_eq!(
            m & (POLLHUP | POLLRDHUP | POLLIN),
            POLLHUP | POLLRDHUP | POLLIN
        );
    }

    fn pattern(at: usize, n: usize) -> Vec<u8> {
        (at..at + n).map(|i| (i ^ ((i >> 8) * 31)) as u8).collect()
    }

    fn tx_of(s: &UnixSocket) -> Arc<Buffer> {
        s.tx().unwrap()
    }

    #[test]
    fn stream_chunks_split_at_capacity_and_on_odd_reads() {
        let (a, b) = UnixSocket::pair(SOCK_STREAM, Ucred::default()).unwrap();
        // A write bigger than the room queues what fits (the piece is split
        // without copying), the rest waits.
        let big = pattern(0, STREAM_CAP + 1000);
        assert_eq!(a.write(&big, O_NONBLOCK), Ok(STREAM_CAP));
        assert_eq!(a.write(b"x", O_NONBLOCK), Err(Errno::EAGAIN));
        assert_eq!(a.poll(None).unwrap() & POLLOUT, 0);
        assert_eq!(b.bytes_available(), Ok(STREAM_CAP as u64));
        let mut at = 0;
        for n in [1, 7, 4095, 65537, 300_000] {
            let mut buf = vec![0u8; n];
            let got = b.read(&mut buf, O_NONBLOCK).unwrap();
            assert_eq!(got, n.min(STREAM_CAP - at));
            assert_eq!(buf[..got], pattern(at, got)[..], "at {at}");
            at += got;
        }
        assert_eq!(at, STREAM_CAP);
        assert_eq!(b.read(&mut [0u8; 8], O_NONBLOCK), Err(Errno::EAGAIN));
        // Small writes share a segment; reads still see every byte in order.
        for i in 0..100 {
            assert_eq!(a.write(&pattern(i * 3, 3), 0), Ok(3));
        }
        assert!(b.rx.st.lock().segs.len() < 5);
        let mut buf = vec![0u8; 1000];
        assert_eq!(b.read(&mut buf, 0), Ok(300));
        assert_eq!(buf[..300], pattern(0, 300)[..]);
    }

    #[test]
    fn stream_rights_segment_reads_on_its_own() {
        let (a, b) = UnixSocket::pair(SOCK_STREAM, Ucred::default()).unwrap();
        let (r, _w) = crate::pipe::Pipe::new_pair();
        let file = OpenFile::new(r, O_RDONLY, None);
        let tx = tx_of(&a);
        let cred = Ucred::default();
        let push = |data: &[u8], rights: Vec<Arc<OpenFile>>| {
            let anc = Ancillary { rights, cred: None };
            a.push(&tx, data, anc, cred, None, false)
        };
        assert_eq!(push(b"before", vec![]), Ok(6));
        assert_eq!(push(b"with", vec![file.clone()]), Ok(4));
        assert_eq!(push(b"after", vec![]), Ok(5));
        // A read stops before the segment with descriptors, which then
        // comes alone; peeking sees the same.
        let r1 = b.recv(100, 0, true).unwrap();
        assert_eq!((r1.data.as_slice(), r1.rights.len()), (&b"before"[..], 0));
        let p = b.recv(100, MSG_PEEK, true).unwrap();
        assert_eq!((p.data.as_slice(), p.rights.len()), (&b"with"[..], 1));
        // A short read takes the descriptors with its first bytes.
        let r2 = b.recv(2, 0, true).unwrap();
        assert_eq!((r2.data.as_slice(), r2.rights.len()), (&b"wi"[..], 1));
        let r3 = b.recv(100, 0, true).unwrap();
        assert_eq!((r3.data.as_slice(), r3.rights.len()), (&b"thafter"[..], 0));
        assert_eq!(Arc::strong_count(&file), 3);
    }

    #[test]
    fn failed_copy_puts_bytes_and_rights_back() {
        let (a, b) = UnixSocket::pair(SOCK_STREAM, Ucred::default()).unwrap();
        let (r, _w) = crate::pipe::Pipe::new_pair();
        let file = OpenFile::new(r, O_RDONLY, None);
        let tx = tx_of(&a);
        let anc = Ancillary {
            rights: vec![file.clone()],
            cred: None,
        };
        assert_eq!(
            a.push(&tx, b"rights", anc, Ucred::default(), None, false),
            Ok(6)
        );
        assert_eq!(a.write(&pattern(0, 100_000), 0), Ok(100_000));
        // The first copy fails: nothing is consumed.
        let mut fail = |_: usize, _: &[u8]| Err(Errno::EFAULT);
        assert_eq!(b.read_stream_with(3, false, &mut fail), Err(Errno::EFAULT));
        assert_eq!(b.bytes_available(), Ok(100_006));
        assert_eq!(Arc::strong_count(&file), 2);
        let mut buf = [0u8; 3];
        assert_eq!(b.read(&mut buf, 0), Ok(3));
        assert_eq!(&buf, b"rig");
        // read(2) closed the descriptors that came with the bytes.
        assert_eq!(Arc::strong_count(&file), 1);
        // The rest of that segment runs on into the plain bytes.
        let mut buf = [0u8; 16];
        assert_eq!(b.read(&mut buf, 0), Ok(16));
        assert_eq!(&buf[..3], b"hts");
        let mut seen = buf[3..].to_vec();
        // A copy failing after the first segment returns what went before
        // and keeps the rest in order.
        assert_eq!(a.write(&pattern(100_000, 100_000), 0), Ok(100_000));
        let mut calls = 0;
        let mut second_fails = |_: usize, b: &[u8]| {
            calls += 1;
            if calls == 2 {
                return Err(Errno::EFAULT);
            }
            seen.extend_from_slice(b);
            Ok(())
        };
        let n = b
            .read_stream_with(200_000, false, &mut second_fails)
            .unwrap();
        assert_eq!(n + 13, seen.len());
        assert!(n > 0 && n < 199_987);
        let mut rest = vec![0u8; 200_000];
        assert_eq!(b.read(&mut rest, 0), Ok(199_987 - n));
        seen.extend_from_slice(&rest[..199_987 - n]);
        assert_eq!(seen, pattern(0, 200_000));
    }

    #[test]
    fn guest_memory_streams_through_both_ends() {
        use crate::memory::VecMemory;
        let (a, b) = UnixSocket::pair(SOCK_STREAM, Ucred::default()).unwrap();
        let mut mem = VecMemory::new(1 << 20);
        let data = pattern(0, 200_000);
        mem.write(4096, &data).unwrap();
        assert_eq!(a.write_guest(&mem, &[(4096, 200_000)], 0), Ok(200_000));
        let mut at = 0;
        while at < 200_000 {
            at += b
                .read_guest(&mut mem, &[(300_000 + at as u64, 65_537)], 0)
                .unwrap();
        }
        assert_eq!(mem.bytes[300_000..500_000], data[..]);
        // EFAULT from guest memory: nothing queued, nothing lost.
        assert_eq!(a.write_guest(&mem, &[(1 << 20, 10)], 0), Err(Errno::EFAULT));
        assert_eq!(a.write(b"abc", 0), Ok(3));
        assert_eq!(
            b.read_guest(&mut mem, &[((1 << 20) - 1, 3)], 0),
            Err(Errno::EFAULT)
        );
        assert_eq!(b.read_guest(&mut mem, &[(8192, 3)], 0), Ok(3));
        assert_eq!(&mem.bytes[8192..8195], b"abc");
    }

    #[test]
    fn concurrent_stream_keeps_every_byte_in_order() {
        let (a, b) = UnixSocket::pair(SOCK_STREAM, Ucred::default()).unwrap();
        const TOTAL: usize = 4 << 20;
        let t = std::thread::spawn(move || {
            let mut got = Vec::with_capacity(TOTAL);
            let sizes = [1, 7, 4095, 65537, 300_000];
            let mut buf = vec![0u8; 300_000];
            for i in 0.. {
                let n = b.read(&mut buf[..sizes[i % 5]], 0).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            got
        });
        let data = pattern(0, TOTAL);
        let mut at = 0;
        for n in [300_000, 1, 65537, 7, 4095].iter().cycle() {
            if at == TOTAL {
                break;
            }
            let n = (*n).min(TOTAL - at);
            assert_eq!(a.write(&data[at..at + n], 0), Ok(n));
            at += n;
        }
        drop(a);
        assert!(t.join().unwrap() == data);
    }

    #[test]
    fn datagrams_keep_boundaries_and_truncate() {
        let (a, b) = UnixSocket::pair(SOCK_DGRAM, Ucred::default()).unwrap();
        assert_eq!(a.write(b"one", 0), Ok(3));
        assert_eq!(a.write(b"", 0), Ok(0));
        assert_eq!(a.write(b"three", 0), Ok(5));
        let r = b.recv(10, 0, true).unwrap();
        assert_eq!(r.data, b"one");
        assert_eq!(b.recv(10, 0, true).unwrap().data, b"");
        let r = b.recv(2, MSG_PEEK, true).unwrap();
        assert_eq!((r.data.as_slice(), r.full_len), (&b"th"[..], 5));
        assert_eq!(b.recv(2, 0, true).unwrap().full_len, 5);
        assert_eq!(b.recv(2, 0, true).err(), Some(Errno::EAGAIN));
    }

    #[test]
    fn named_listener_through_syscalls() {
        let mut t = TestEnv::new();
        let l = t.call(nr::SOCKET, &[AF_UNIX as u64, SOCK_STREAM as u64, 0]);
        let (a, alen) = addr(&mut t, b"/tmp/s");
        assert_eq!(t.call(nr::BIND, &[l as u64, a, alen]), 0);
        assert_eq!(
            t.call(nr::BIND, &[l as u64, a, alen]),
            err(Errno::EADDRINUSE)
        );
        assert_eq!(t.call(nr::BIND, &[l as u64, a, 1]), err(Errno::EINVAL));
        let st = t.alloc(144);
        let p = t.cstr("/tmp/s");
        assert_eq!(t.call(nr::STAT, &[p, st]), 0);
        assert_eq!(t.read_u32(st + 24) & S_IFMT, S_IFSOCK);
        let c = t.call(
            nr::SOCKET,
            &[AF_UNIX as u64, (SOCK_STREAM | SOCK_NONBLOCK) as u64, 0],
        );
        assert_eq!(
            t.call(nr::CONNECT, &[c as u64, a, alen]),
            err(Errno::ECONNREFUSED)
        );
        assert_eq!(t.call(nr::LISTEN, &[l as u64, 0]), 0);
        assert_eq!(t.call(nr::CONNECT, &[c as u64, a, alen]), 0);
        let s = t.call(nr::ACCEPT4, &[l as u64, 0, 0, SOCK_CLOEXEC as u64]);
        assert!(s > c);
        assert_eq!(t.write_fd(c as i32, b"ping"), 4);
        assert_eq!(t.read_fd(s as i32, 16).unwrap(), b"ping");
        assert_eq!(t.call(nr::UNLINK, &[p]), 0);
        let c2 = t.call(nr::SOCKET, &[AF_UNIX as u64, SOCK_STREAM as u64, 0]);
        assert_eq!(
            t.call(nr::CONNECT, &[c2 as u64, a, alen]),
            err(Errno::ENOENT)
        );
        // Not sockets, closed descriptors, other families.
        assert_eq!(t.call(nr::LISTEN, &[0, 1]), err(Errno::ENOTSOCK));
        assert_eq!(t.call(nr::LISTEN, &[99, 1]), err(Errno::EBADF));
        assert_eq!(
            t.call(nr::SOCKET, &[AF_INET as u64, SOCK_STREAM as u64, 0]),
            err(Errno::EAFNOSUPPORT)
        );
    }
}
