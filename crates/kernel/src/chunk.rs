//! Queued stream bytes as owned chunks (pipes, AF_UNIX streams).
//!
//! A write copies guest memory once into a vector, which then moves into
//! the queue whole; a read takes chunks out under the queue's lock and
//! copies them into guest memory after releasing it. So each byte is
//! copied twice, as on Linux, and never while the queue is locked.
//! Splitting a chunk (a write longer than the room left, a read shorter
//! than the chunk) shares its buffer instead of copying it.

use parking_lot::Mutex;
use std::sync::Arc;

/// Bytes a long write copies out of the guest at a time before queueing
/// them: the unit it moves through the queue in (Linux's skbs are about as
/// big).
pub const PIECE: usize = 64 * 1024;
/// Writes shorter than this are appended to the last chunk when it has
/// room, so a stream of tiny writes does not cost a chunk each.
pub const SMALL: usize = 1024;
/// The capacity a chunk for a small write is made with.
const SMALL_CHUNK: usize = 4096;
/// Buffers at least this big are kept for reuse once read ([`Spares`]).
const SPARE_MIN: usize = 16 * 1024;
/// Spare buffers kept for the whole kernel (at most 2 MiB).
const SPARES: usize = 16;

/// Where a write's bytes come from: `source(offset, n, out)` appends the
/// `n` bytes at `offset` of the write to `out` (guest memory or a host
/// buffer).
pub type Source<'a> = dyn FnMut(usize, usize, &mut Vec<u8>) -> crate::KResult<()> + 'a;
/// Where a read's bytes go: `sink(offset, bytes)`.
pub type Sink<'a> = dyn FnMut(usize, &[u8]) -> crate::KResult<()> + 'a;

/// `buf[start..end]`: a run of queued bytes.
#[derive(Clone, Default)]
pub struct Chunk {
    buf: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl std::fmt::Debug for Chunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Chunk({} bytes)", self.len())
    }
}

impl Chunk {
    pub fn new(v: Vec<u8>) -> Self {
        let end = v.len();
        Chunk {
            buf: Arc::new(v),
            start: 0,
            end,
        }
    }

    /// A chunk holding a copy of `data` that later small writes can extend.
    pub fn small(data: &[u8]) -> Self {
        let mut v = Vec::with_capacity(SMALL_CHUNK.max(data.len()));
        v.extend_from_slice(data);
        Self::new(v)
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Splits off the first `n` bytes (at most `len()`), which the returned
    /// chunk holds; `self` keeps the rest. Both share the buffer.
    pub fn split_front(&mut self, n: usize) -> Chunk {
        let n = n.min(self.len());
        let front = Chunk {
            buf: self.buf.clone(),
            start: self.start,
            end: self.start + n,
        };
        self.start += n;
        front
    }

    /// Appends `data` in place if the buffer is this chunk's alone, ends
    /// where the chunk does, and has the capacity (no reallocation under
    /// the queue's lock). Says whether it did.
    pub fn try_append(&mut self, data: &[u8]) -> bool {
        let end = self.end;
        match Arc::get_mut(&mut self.buf) {
            Some(v) if v.len() == end && v.capacity() - v.len() >= data.len() => {
                v.extend_from_slice(data);
                self.end += data.len();
                true
            }
            _ => false,
        }
    }

    /// The bytes as a vector, without copying when the buffer is unshared
    /// and whole.
    pub fn into_vec(self) -> Vec<u8> {
        let (start, end) = (self.start, self.end);
        match Arc::try_unwrap(self.buf) {
            Ok(mut v) if start == 0 => {
                v.truncate(end);
                v
            }
            Ok(v) => v[start..end].to_vec(),
            Err(shared) => shared[start..end].to_vec(),
        }
    }
}

/// Buffers of chunks already read, for the next writes to fill: freeing
/// and allocating 64 KiB per write makes the host allocator hand memory
/// back and fault it in again (freed on another thread than the one that
/// allocated it, glibc trims that thread's arena). One list for all
/// queues, so idle pipes and sockets keep none.
#[derive(Default)]
pub struct Spares(Vec<Vec<u8>>);

static KERNEL_SPARES: Mutex<Spares> = Mutex::new(Spares(Vec::new()));

/// An empty buffer for an `n`-byte piece, reused when one is spare.
pub fn spare(n: usize) -> Vec<u8> {
    if n < SPARE_MIN {
        return Vec::with_capacity(n);
    }
    KERNEL_SPARES.lock().get(n)
}

/// Keeps the buffers of chunks that were read, where worth it.
pub fn recycle(chunks: impl IntoIterator<Item = Chunk>) {
    let mut sp = KERNEL_SPARES.lock();
    for c in chunks {
        sp.put(c);
    }
}

impl Spares {
    /// An empty buffer for `n` bytes: a spare one if `n` is big enough to
    /// be worth it and one is left.
    pub fn get(&mut self, n: usize) -> Vec<u8> {
        if n >= SPARE_MIN {
            if let Some(v) = self.0.pop() {
                return v;
            }
        }
        Vec::with_capacity(n)
    }

    /// Keeps `c`'s buffer if no other chunk shares it, it is big enough
    /// and not oversized, and there is room.
    pub fn put(&mut self, c: Chunk) {
        if self.0.len() >= SPARES {
            return;
        }
        if let Ok(mut v) = Arc::try_unwrap(c.buf) {
            if (SPARE_MIN..=2 * PIECE).contains(&v.capacity()) {
                v.clear();
                self.0.push(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_shares_and_append_only_when_alone() {
        let mut c = Chunk::new(b"hello world".to_vec());
        let front = c.split_front(5);
        assert_eq!(front.bytes(), b"hello");
        assert_eq!(c.bytes(), b" world");
        // Shared with `front`: no append in place.
        assert!(!c.try_append(b"!"));
        drop(front);
        let mut s = Chunk::small(b"ab");
        assert!(s.try_append(b"cd"));
        assert_eq!(s.bytes(), b"abcd");
        assert!(!s.try_append(&[0u8; SMALL_CHUNK]));
        let tail = s.split_front(1);
        assert_eq!(tail.bytes(), b"a");
        assert!(!s.try_append(b"e"), "shared after a split");
        assert_eq!(s.into_vec(), b"bcd");
        assert_eq!(tail.into_vec(), b"a");
        assert_eq!(Chunk::new(vec![1, 2, 3]).into_vec(), vec![1, 2, 3]);
        assert!(Chunk::default().is_empty());
    }

    #[test]
    fn spares_keep_only_unshared_buffers_of_the_right_size() {
        let mut sp = Spares::default();
        sp.put(Chunk::new(Vec::with_capacity(100)));
        assert_eq!(sp.get(PIECE).capacity(), PIECE, "too small: not kept");
        let mut c = Chunk::new(vec![7u8; PIECE]);
        let front = c.split_front(10);
        sp.put(front);
        assert_eq!(sp.0.len(), 0, "shared: not kept");
        sp.put(c);
        let v = sp.get(PIECE);
        assert!(v.is_empty() && v.capacity() >= PIECE);
        assert_eq!(sp.0.len(), 0);
        // Small requests never take a spare.
        sp.put(Chunk::new(v));
        assert!(sp.get(10).capacity() < SPARE_MIN);
        assert_eq!(sp.0.len(), 1);
    }
}
