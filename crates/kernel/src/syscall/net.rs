//! The socket calls: decode guest addresses, buffers and control messages,
//! call the [`Socket`] behind the descriptor, encode the results.

use super::{io, Args, Ctx};
use crate::{
    file::OpenFile,
    memory::{check_range, gather, iov_total, scatter, GuestMemoryExt},
    socket::{self, Ancillary, Received, SockCtx, Socket, Ucred},
    KResult,
};
use lind_abi::{
    flags::*,
    layout::{cmsghdr, msghdr, ucred},
    Errno,
};
use std::sync::Arc;

/// `sizeof(struct sockaddr_storage)`: the longest address a call takes.
const SOCKADDR_MAX: usize = 128;
/// Linux's UIO_MAXIOV.
const IOV_MAX: usize = 1024;
/// Types Linux knows at all (SOCK_MAX); others are EINVAL.
const SOCK_MAX: u32 = 11;

/// The open file at `fd` if it is a socket (EBADF, ENOTSOCK).
fn sock_file(ctx: &Ctx, fd: i32) -> KResult<Arc<OpenFile>> {
    let f = io::file(ctx, fd)?;
    if f.file.as_socket().is_none() {
        return Err(Errno::ENOTSOCK);
    }
    Ok(f)
}

fn sock(f: &OpenFile) -> &dyn Socket {
    // Checked by `sock_file`.
    f.file.as_socket().expect("socket")
}

fn sctx<'a>(ctx: &'a Ctx) -> SockCtx<'a> {
    SockCtx {
        kernel: ctx.kernel,
        cage: ctx.cage,
    }
}

/// Copies in a sockaddr of `len` bytes (EINVAL past sockaddr_storage).
fn read_addr(ctx: &Ctx, addr: u64, len: u32) -> KResult<Vec<u8>> {
    let len = len as i32;
    if len < 0 || len as usize > SOCKADDR_MAX {
        return Err(Errno::EINVAL);
    }
    ctx.mem.read_vec(addr, len as usize)
}

/// Stores an address for accept/getsockname/recvfrom: as much as fits in
/// `*lenp`, then the real length in `*lenp`.
fn write_addr(ctx: &mut Ctx, addr: u64, lenp: u64, value: &[u8]) -> KResult<()> {
    if addr == 0 || lenp == 0 {
        return Ok(());
    }
    let room = ctx.mem.read_u32(lenp)? as i32;
    if room < 0 {
        return Err(Errno::EINVAL);
    }
    let n = value.len().min(room as usize);
    ctx.mem.write(addr, &value[..n])?;
    ctx.mem.write_u32(lenp, value.len() as u32)
}

fn nonblock(f: &OpenFile, flags: u32) -> bool {
    f.status() & O_NONBLOCK != 0 || flags & MSG_DONTWAIT != 0
}

/// A send that finds no reader raises SIGPIPE unless MSG_NOSIGNAL.
fn sigpipe(ctx: &Ctx, flags: u32, r: KResult<usize>) -> KResult<i64> {
    if r == Err(Errno::EPIPE) && flags & MSG_NOSIGNAL == 0 {
        ctx.cage.post_signal(SIGPIPE);
    }
    r.map(|n| n as i64)
}

fn split_type(ty: u32) -> KResult<(u32, u32)> {
    let flags = ty & !SOCK_TYPE_MASK;
    if flags & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 || ty & SOCK_TYPE_MASK >= SOCK_MAX {
        return Err(Errno::EINVAL);
    }
    Ok((ty & SOCK_TYPE_MASK, flags))
}

pub fn socket(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (ty, flags) = split_type(a.uint(1))?;
    let s = socket::create(ctx.kernel, a.uint(0), ty, a.uint(2))?;
    io::install(
        ctx,
        s,
        O_RDWR | (flags & SOCK_NONBLOCK),
        flags & SOCK_CLOEXEC != 0,
    )
    .map(i64::from)
}

pub fn socketpair(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (ty, flags) = split_type(a.uint(1))?;
    let out = a.ptr(3);
    check_range(ctx.mem, out, 8)?;
    let (x, y) = socket::pair(a.uint(0), ty, a.uint(2))?;
    let status = O_RDWR | (flags & SOCK_NONBLOCK);
    let cloexec = flags & SOCK_CLOEXEC != 0;
    let fx = io::install(ctx, x, status, cloexec)?;
    let fy = match io::install(ctx, y, status, cloexec) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = ctx.cage.fds.lock().remove(fx);
            return Err(e);
        }
    };
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&fx.to_le_bytes());
    b[4..].copy_from_slice(&fy.to_le_bytes());
    ctx.mem.write(out, &b)?;
    Ok(0)
}

pub fn bind(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let addr = read_addr(ctx, a.ptr(1), a.uint(2))?;
    sock(&f).bind(&sctx(ctx), &addr)?;
    Ok(0)
}

pub fn listen(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    sock(&f).listen(a.int(1))?;
    Ok(0)
}

fn do_accept(ctx: &mut Ctx, a: &Args, flags: u32) -> KResult<i64> {
    if flags & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    let f = sock_file(ctx, a.int(0))?;
    // As on Linux, a bad address length is found only after a connection
    // was taken (and is then lost).
    let (addr, lenp) = (a.ptr(1), a.ptr(2));
    // Take the descriptor's room first, so EMFILE leaves the connection queued.
    {
        let limit = ctx.cage.rlimit(RLIMIT_NOFILE).0;
        let t = ctx.cage.fds.lock();
        if t.open_fds().count() as u64 >= limit {
            return Err(Errno::EMFILE);
        }
    }
    let (conn, peer) = sock(&f).accept(nonblock(&f, 0))?;
    let fd = io::install(
        ctx,
        conn,
        O_RDWR | (flags & SOCK_NONBLOCK),
        flags & SOCK_CLOEXEC != 0,
    )?;
    write_addr(ctx, addr, lenp, &peer)?;
    Ok(fd as i64)
}

pub fn accept(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_accept(ctx, a, 0)
}

pub fn accept4(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    do_accept(ctx, a, a.uint(3))
}

pub fn connect(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let addr = read_addr(ctx, a.ptr(1), a.uint(2))?;
    sock(&f).connect(&sctx(ctx), &addr, nonblock(&f, 0))?;
    Ok(0)
}

pub fn getsockname(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let addr = sock(&f).local_addr();
    check_range(ctx.mem, a.ptr(2), 4)?;
    write_addr(ctx, a.ptr(1), a.ptr(2), &addr)?;
    Ok(0)
}

pub fn getpeername(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let addr = sock(&f).peer_addr()?;
    check_range(ctx.mem, a.ptr(2), 4)?;
    write_addr(ctx, a.ptr(1), a.ptr(2), &addr)?;
    Ok(0)
}

pub fn shutdown(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    sock(&f).shutdown(a.uint(1))?;
    Ok(0)
}

/// A connected AF_UNIX stream: plain send/recv on it move bytes straight
/// between guest memory and the queue, as write/read do.
fn unix_stream(f: &OpenFile) -> bool {
    let s = sock(f);
    s.domain() == AF_UNIX && s.sock_type() == SOCK_STREAM
}

/// The status a FileLike stream call gets for a send/recv's flags.
fn status_for(f: &OpenFile, flags: u32) -> u32 {
    if nonblock(f, flags) {
        O_NONBLOCK
    } else {
        0
    }
}

pub fn sendto(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let flags = a.uint(3);
    if a.ptr(4) == 0 && flags & !(MSG_DONTWAIT | MSG_NOSIGNAL) == 0 && unix_stream(&f) {
        let (addr, len) = (a.ptr(1), a.size(2));
        check_range(ctx.mem, addr, len as u64)?;
        let r = f
            .file
            .write_guest(&*ctx.mem, &[(addr, len)], status_for(&f, flags));
        return sigpipe(ctx, flags, r);
    }
    let data = ctx.mem.read_vec(a.ptr(1), a.size(2))?;
    let to = match a.ptr(4) {
        0 => None,
        p => Some(read_addr(ctx, p, a.uint(5))?),
    };
    let r = sock(&f).send(
        &sctx(ctx),
        &data,
        to.as_deref(),
        Ancillary::default(),
        flags,
        nonblock(&f, flags),
    );
    sigpipe(ctx, flags, r)
}

pub fn recvfrom(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let flags = a.uint(3);
    let (buf, len) = (a.ptr(1), a.size(2));
    if len > 0 && flags & !MSG_DONTWAIT == 0 && unix_stream(&f) {
        // A bad buffer fails the copy (the bytes stay queued).
        let n = f
            .file
            .read_guest(ctx.mem, &[(buf, len)], status_for(&f, flags))?;
        write_addr(ctx, a.ptr(4), a.ptr(5), &[])?;
        return Ok(n as i64);
    }
    // A bad buffer is found when the data is copied (Linux: the data is
    // then lost), so an empty socket still says EAGAIN.
    let r = sock(&f).recv(len, flags, nonblock(&f, flags))?;
    ctx.mem.write(buf, &r.data)?;
    write_addr(ctx, a.ptr(4), a.ptr(5), r.from.as_deref().unwrap_or(&[]))?;
    // Descriptors sent with data read by plain recv are closed.
    drop(r.rights);
    Ok(if flags & MSG_TRUNC != 0 {
        r.full_len
    } else {
        r.data.len()
    } as i64)
}

/// A guest `struct msghdr`.
struct MsgHdr {
    name: u64,
    namelen: u32,
    iov: Vec<(u64, usize)>,
    control: u64,
    controllen: usize,
}

fn read_msghdr(ctx: &Ctx, addr: u64) -> KResult<MsgHdr> {
    let raw = ctx.mem.read_vec(addr, msghdr::SIZE)?;
    let word =
        |off: usize| u32::from_le_bytes([raw[off], raw[off + 1], raw[off + 2], raw[off + 3]]);
    let iovlen = word(msghdr::IOVLEN) as i32;
    if iovlen < 0 || iovlen as usize > IOV_MAX {
        return Err(Errno::EMSGSIZE);
    }
    Ok(MsgHdr {
        name: word(msghdr::NAME) as u64,
        namelen: word(msghdr::NAMELEN),
        iov: io::iovecs(ctx, word(msghdr::IOV) as u64, iovlen)?,
        control: word(msghdr::CONTROL) as u64,
        controllen: word(msghdr::CONTROLLEN) as usize,
    })
}

/// Parses SCM_RIGHTS and SCM_CREDENTIALS control messages (EINVAL for
/// malformed ones, EBADF for a descriptor that is not open, EPERM for
/// credentials that are not the sender's).
fn read_control(ctx: &Ctx, addr: u64, len: usize) -> KResult<Ancillary> {
    let mut anc = Ancillary::default();
    if len == 0 {
        return Ok(anc);
    }
    if len > 1 << 20 {
        return Err(Errno::ENOBUFS);
    }
    let raw = ctx.mem.read_vec(addr, len)?;
    let mut at = 0;
    while at + cmsghdr::SIZE <= raw.len() {
        let w = |o: usize| u32::from_le_bytes([raw[o], raw[o + 1], raw[o + 2], raw[o + 3]]);
        let clen = w(at + cmsghdr::LEN) as usize;
        let (level, ty) = (w(at + cmsghdr::LEVEL), w(at + cmsghdr::TYPE));
        if clen < cmsghdr::SIZE || clen > raw.len() - at {
            return Err(Errno::EINVAL);
        }
        let data = &raw[at + cmsghdr::SIZE..at + clen];
        if level != SOL_SOCKET {
            return Err(Errno::EINVAL);
        }
        match ty {
            SCM_RIGHTS => {
                if data.len() % 4 != 0 || data.len() / 4 > crate::unix::MAX_RIGHTS {
                    return Err(Errno::EINVAL);
                }
                let t = ctx.cage.fds.lock();
                for c in data.chunks_exact(4) {
                    let fd = i32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                    anc.rights.push(t.get(fd)?);
                }
            }
            SCM_CREDENTIALS => {
                if data.len() != ucred::SIZE {
                    return Err(Errno::EINVAL);
                }
                let w =
                    |o: usize| u32::from_le_bytes([data[o], data[o + 1], data[o + 2], data[o + 3]]);
                let given = Ucred {
                    pid: w(0) as i32,
                    uid: w(4),
                    gid: w(8),
                };
                let c = ctx.cage.cred();
                let ok = c.is_root()
                    || (given.pid == ctx.cage.pid
                        && [c.uid, c.euid, c.suid].contains(&given.uid)
                        && [c.gid, c.egid, c.sgid].contains(&given.gid));
                if !ok {
                    return Err(Errno::EPERM);
                }
                anc.cred = Some(given);
            }
            _ => return Err(Errno::EINVAL),
        }
        at += cmsghdr::align(clen);
    }
    Ok(anc)
}

pub fn sendmsg(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let flags = a.uint(2);
    let m = read_msghdr(ctx, a.ptr(1))?;
    let to = match m.name {
        0 => None,
        p => Some(read_addr(ctx, p, m.namelen)?),
    };
    let total = iov_total(&m.iov);
    let mut data = Vec::with_capacity(total);
    gather(&*ctx.mem, &m.iov, 0, total, &mut data)?;
    let anc = read_control(ctx, m.control, m.controllen)?;
    let r = sock(&f).send(
        &sctx(ctx),
        &data,
        to.as_deref(),
        anc,
        flags,
        nonblock(&f, flags),
    );
    sigpipe(ctx, flags, r)
}

/// Writes received control messages (credentials, then descriptors, as
/// Linux orders them) into the guest's buffer; what does not fit is
/// dropped and MSG_CTRUNC set. Returns (bytes used, flags).
fn write_control(ctx: &mut Ctx, m: &MsgHdr, r: &mut Received, flags: u32) -> KResult<(usize, u32)> {
    let mut out = Vec::new();
    let mut oflags = 0;
    let cap = if m.control == 0 { 0 } else { m.controllen };
    let header = |len: usize, ty: u32| {
        let mut h = Vec::with_capacity(cmsghdr::SIZE);
        h.extend_from_slice(&(len as u32).to_le_bytes());
        h.extend_from_slice(&SOL_SOCKET.to_le_bytes());
        h.extend_from_slice(&ty.to_le_bytes());
        h
    };
    if let Some(c) = r.cred {
        if out.len() + cmsghdr::space(ucred::SIZE) <= cap {
            out.extend(header(cmsghdr::len(ucred::SIZE), SCM_CREDENTIALS));
            out.extend_from_slice(&c.to_bytes());
        } else {
            oflags |= MSG_CTRUNC;
        }
    }
    if !r.rights.is_empty() {
        let room = cap.saturating_sub(out.len() + cmsghdr::SIZE) / 4;
        let files = std::mem::take(&mut r.rights);
        if room < files.len() {
            oflags |= MSG_CTRUNC;
        }
        let mut fds = Vec::new();
        for file in files.into_iter().take(room) {
            match io::install_open(ctx, file, flags & MSG_CMSG_CLOEXEC != 0) {
                Ok(fd) => fds.push(fd),
                Err(_) => {
                    oflags |= MSG_CTRUNC;
                    break;
                }
            }
        }
        if !fds.is_empty() {
            out.extend(header(cmsghdr::len(4 * fds.len()), SCM_RIGHTS));
            for fd in fds {
                out.extend_from_slice(&fd.to_le_bytes());
            }
        }
    }
    if !out.is_empty() {
        ctx.mem.write(m.control, &out)?;
    }
    Ok((out.len(), oflags))
}

pub fn recvmsg(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let flags = a.uint(2);
    let addr = a.ptr(1);
    let m = read_msghdr(ctx, addr)?;
    check_range(ctx.mem, addr, msghdr::SIZE as u64)?;
    let mut r = sock(&f).recv(iov_total(&m.iov), flags, nonblock(&f, flags))?;
    scatter(ctx.mem, &m.iov, 0, &r.data)?;
    let mut oflags = 0;
    if r.full_len > r.data.len() {
        oflags |= MSG_TRUNC;
    }
    let (clen, cflags) = write_control(ctx, &m, &mut r, flags)?;
    oflags |= cflags;
    let namelen = match (&r.from, m.name) {
        (Some(from), p) if p != 0 => {
            let n = from.len().min(m.namelen as usize);
            ctx.mem.write(p, &from[..n])?;
            from.len()
        }
        _ => 0,
    };
    ctx.mem
        .write_u32(addr + msghdr::NAMELEN as u64, namelen as u32)?;
    ctx.mem
        .write_u32(addr + msghdr::CONTROLLEN as u64, clen as u32)?;
    ctx.mem.write_u32(addr + msghdr::FLAGS as u64, oflags)?;
    Ok(if flags & MSG_TRUNC != 0 {
        r.full_len
    } else {
        r.data.len()
    } as i64)
}

/// Reads `*optlen` (EINVAL if negative).
fn optlen(ctx: &Ctx, lenp: u64) -> KResult<usize> {
    let n = ctx.mem.read_u32(lenp)? as i32;
    usize::try_from(n).map_err(|_| Errno::EINVAL)
}

pub fn getsockopt(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let (val, lenp) = (a.ptr(3), a.ptr(4));
    let room = optlen(ctx, lenp)?;
    let v = sock(&f).getsockopt(a.uint(1), a.uint(2))?;
    let n = v.len().min(room);
    ctx.mem.write(val, &v[..n])?;
    ctx.mem.write_u32(lenp, n as u32)?;
    Ok(0)
}

pub fn setsockopt(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let f = sock_file(ctx, a.int(0))?;
    let len = a.uint(4) as i32;
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    let v = ctx.mem.read_vec(a.ptr(3), (len as usize).min(4096))?;
    sock(&f).setsockopt(a.uint(1), a.uint(2), &v)?;
    Ok(0)
}
