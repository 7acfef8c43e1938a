//! AF_INET and AF_INET6 sockets (TCP and UDP) through host sockets.
//!
//! The host socket ([`HostSocket`]) never blocks; this side decodes guest
//! addresses, applies the run's network policy ([`NetPolicy`]) and does
//! all waiting on a kernel queue that the host's poller wakes, so blocking
//! calls are interruptible by signals and use no CPU, and poll/select/epoll
//! see host readiness like that of any other file. Socket timeouts
//! (SO_RCVTIMEO/SO_SNDTIMEO) are kept here, since the host socket is
//! always non-blocking.

use crate::{
    block::{WaitQueue, Waker},
    file::FileLike,
    host::HostSocket,
    socket::{int_opt, opt_int, Ancillary, Received, SockCtx, Socket},
    KResult, Kernel,
};
use lind_abi::{flags::*, layout::Stat, Errno};
use parking_lot::Mutex;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// Which networks a run's cages may use (`lind run --net=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NetPolicy {
    /// Only 127.0.0.0/8 and ::1: wildcard binds are served on loopback,
    /// other destinations are ENETUNREACH, other local addresses EACCES.
    #[default]
    Loopback,
    /// Everything the host allows.
    Host,
    /// No AF_INET/AF_INET6 sockets at all (EACCES).
    None,
}

const SOCKADDR_IN: usize = 16;
const SOCKADDR_IN6: usize = 28;
/// SIN6_LEN_RFC2133: a sockaddr_in6 without sin6_scope_id.
const SOCKADDR_IN6_MIN: usize = 24;
const IPPROTO_TCP: i32 = 6;
const IPPROTO_UDP: i32 = 17;
/// Most bytes one stream receive copies (a short read is always allowed).
const RECV_CHUNK: usize = 1 << 20;

static WARNED: AtomicBool = AtomicBool::new(false);
static NEXT_INO: AtomicU64 = AtomicU64::new(1 << 42);

/// Says once per run, on stderr, why a call failed and which flag lifts it.
fn policy_error(what: String, e: Errno) -> Errno {
    if !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!("lind: {what}: {e:?} by the network policy; run with --net=host to allow it");
    }
    e
}

/// `socket(AF_INET/AF_INET6, ty, protocol)`.
pub fn create(kernel: &Kernel, domain: u32, ty: u32, protocol: u32) -> KResult<Arc<InetSocket>> {
    let policy = kernel.config.net;
    if policy == NetPolicy::None {
        let fam = if domain == AF_INET {
            "AF_INET"
        } else {
            "AF_INET6"
        };
        if !WARNED.swap(true, Ordering::Relaxed) {
            eprintln!(
                "lind: socket({fam}): EACCES: this run has no network (--net=none); run with --net=loopback or --net=host"
            );
        }
        return Err(Errno::EACCES);
    }
    if ty == SOCK_RAW || ty == 10 {
        return Err(Errno::EPERM);
    }
    let host = kernel.host.socket(domain, ty, protocol)?;
    Ok(InetSocket::wrap(host, domain, ty, protocol, policy, false))
}

/// Wakes blocked calls when the host socket's readiness may have changed:
/// `gen` counts wake-ups so a call that found nothing sleeps only until
/// the next one.
struct Watch {
    gen: Mutex<u64>,
    queue: WaitQueue,
}

impl Waker for Watch {
    fn wake(&self, events: u32) {
        *self.gen.lock() += 1;
        self.queue.notify(events);
    }
}

#[derive(Default)]
struct State {
    /// The host socket has a local address (bind, or an implicit one).
    bound: bool,
    /// The wildcard address the guest bound, served on loopback: what
    /// getsockname reports.
    shown_local: Option<IpAddr>,
    rcvtimeo: Option<Duration>,
    sndtimeo: Option<Duration>,
    timeo_raw: [Option<Vec<u8>>; 2],
}

pub struct InetSocket {
    domain: u32,
    ty: u32,
    protocol: i32,
    policy: NetPolicy,
    host: Arc<dyn HostSocket>,
    watch: Arc<Watch>,
    ino: u64,
    st: Mutex<State>,
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => a.is_loopback(),
        IpAddr::V6(a) => a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

fn is_unspecified(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => a.is_unspecified(),
        IpAddr::V6(a) => {
            a.is_unspecified() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_unspecified())
        }
    }
}

/// A sockaddr_in/sockaddr_in6 as the guest lays it out.
pub fn encode(a: &SocketAddr) -> Vec<u8> {
    match a {
        SocketAddr::V4(a) => {
            let mut b = vec![0u8; SOCKADDR_IN];
            b[0..2].copy_from_slice(&(AF_INET as u16).to_le_bytes());
            b[2..4].copy_from_slice(&a.port().to_be_bytes());
            b[4..8].copy_from_slice(&a.ip().octets());
            b
        }
        SocketAddr::V6(a) => {
            let mut b = vec![0u8; SOCKADDR_IN6];
            b[0..2].copy_from_slice(&(AF_INET6 as u16).to_le_bytes());
            b[2..4].copy_from_slice(&a.port().to_be_bytes());
            b[4..8].copy_from_slice(&a.flowinfo().to_le_bytes());
            b[8..24].copy_from_slice(&a.ip().octets());
            b[24..28].copy_from_slice(&a.scope_id().to_le_bytes());
            b
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Bind,
    Connect,
    SendTo,
}

/// Decodes a guest address for a socket of `domain` as Linux checks it:
/// too short is EINVAL, another family EAFNOSUPPORT. `None`: AF_UNSPEC
/// on connect (dissolve the association).
fn decode(domain: u32, raw: &[u8], u: Use) -> KResult<Option<SocketAddr>> {
    if raw.len() < 2 {
        return Err(Errno::EINVAL);
    }
    let family = u16::from_le_bytes([raw[0], raw[1]]) as u32;
    if family == AF_UNSPEC && u == Use::Connect {
        return Ok(None);
    }
    let port = |b: &[u8]| u16::from_be_bytes([b[2], b[3]]);
    if domain == AF_INET {
        if raw.len() < SOCKADDR_IN {
            return Err(Errno::EINVAL);
        }
        let ip = Ipv4Addr::new(raw[4], raw[5], raw[6], raw[7]);
        let ok =
            family == AF_INET || (family == AF_UNSPEC && (u == Use::SendTo || ip.is_unspecified()));
        if !ok {
            return Err(Errno::EAFNOSUPPORT);
        }
        return Ok(Some(SocketAddr::V4(SocketAddrV4::new(ip, port(raw)))));
    }
    if raw.len() < SOCKADDR_IN6_MIN {
        return Err(Errno::EINVAL);
    }
    if family != AF_INET6 {
        return Err(Errno::EAFNOSUPPORT);
    }
    let mut octets = [0u8; 16];
    octets.copy_from_slice(&raw[8..24]);
    let w = |o: usize| u32::from_le_bytes([raw[o], raw[o + 1], raw[o + 2], raw[o + 3]]);
    let scope = if raw.len() >= SOCKADDR_IN6 { w(24) } else { 0 };
    Ok(Some(SocketAddr::V6(SocketAddrV6::new(
        Ipv6Addr::from(octets),
        port(raw),
        w(4),
        scope,
    ))))
}

/// struct timeval (16 bytes on wasm32) → a socket timeout (None: forever).
pub(crate) fn decode_timeout(v: &[u8]) -> KResult<Option<Duration>> {
    if v.len() < 16 {
        return Err(Errno::EINVAL);
    }
    let sec = i64::from_le_bytes(v[0..8].try_into().map_err(|_| Errno::EINVAL)?);
    let usec = i32::from_le_bytes(v[8..12].try_into().map_err(|_| Errno::EINVAL)?);
    if !(0..1_000_000).contains(&usec) {
        return Err(Errno::EDOM);
    }
    if sec < 0 || (sec == 0 && usec == 0) {
        return Ok(None);
    }
    Ok(Some(
        Duration::from_secs(sec as u64) + Duration::from_micros(usec as u64),
    ))
}

impl InetSocket {
    fn wrap(
        host: Arc<dyn HostSocket>,
        domain: u32,
        ty: u32,
        protocol: u32,
        policy: NetPolicy,
        bound: bool,
    ) -> Arc<Self> {
        let watch = Arc::new(Watch {
            gen: Mutex::new(0),
            queue: WaitQueue::new(),
        });
        let w: Arc<dyn Waker> = watch.clone();
        let weak: Weak<dyn Waker> = Arc::downgrade(&w);
        host.watch(weak);
        let protocol = match (protocol, ty) {
            (0, SOCK_STREAM) => IPPROTO_TCP,
            (0, SOCK_DGRAM) => IPPROTO_UDP,
            (p, _) => p as i32,
        };
        Arc::new(InetSocket {
            domain,
            ty,
            protocol,
            policy,
            host,
            watch,
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
            st: Mutex::new(State {
                bound,
                ..State::default()
            }),
        })
    }

    fn loopback(&self) -> SocketAddr {
        if self.domain == AF_INET {
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
        } else {
            SocketAddr::from((Ipv6Addr::LOCALHOST, 0))
        }
    }

    /// Runs `op` until it stops saying EAGAIN, sleeping between tries
    /// until the host socket changes, `timeout` passes (EAGAIN) or a
    /// signal arrives (EINTR).
    fn blocking<T>(
        &self,
        nonblock: bool,
        timeout: Option<Duration>,
        mut op: impl FnMut() -> KResult<T>,
    ) -> KResult<T> {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let seen = *self.watch.gen.lock();
            match op() {
                Err(Errno::EAGAIN) if !nonblock => {}
                r => return r,
            }
            let mut g = self.watch.gen.lock();
            while *g == seen {
                if self.watch.queue.wait_until(&mut g, deadline)? {
                    return Err(Errno::EAGAIN);
                }
            }
        }
    }

    /// Under the loopback policy, a destination off loopback is
    /// ENETUNREACH.
    fn check_dest(&self, what: &str, a: &SocketAddr) -> KResult<()> {
        if self.policy == NetPolicy::Host || is_loopback(a.ip()) || is_unspecified(a.ip()) {
            return Ok(());
        }
        Err(policy_error(
            format!("{what} {a} (only loopback is allowed)"),
            Errno::ENETUNREACH,
        ))
    }

    /// Under the loopback policy, a datagram socket or listener without
    /// a local address gets one on loopback, never the host's wildcard.
    fn ensure_bound(&self) -> KResult<()> {
        if self.policy != NetPolicy::Loopback {
            return Ok(());
        }
        let mut st = self.st.lock();
        if st.bound {
            return Ok(());
        }
        if self.host.local_addr()?.is_some_and(|a| a.port() != 0) {
            st.bound = true;
            return Ok(());
        }
        self.host.bind(self.loopback())?;
        st.bound = true;
        Ok(())
    }

    fn timeouts(&self) -> (Option<Duration>, Option<Duration>) {
        let st = self.st.lock();
        (st.rcvtimeo, st.sndtimeo)
    }

    /// One receive into `buf` (all of it with MSG_WAITALL on a stream):
    /// (bytes, the message's whole length, sender).
    fn recv_into(
        &self,
        buf: &mut [u8],
        flags: u32,
        nonblock: bool,
    ) -> KResult<(usize, usize, Option<SocketAddr>)> {
        let timeout = self.timeouts().0;
        let (n, full, from) = self.blocking(nonblock, timeout, || {
            let (n, from) = self.host.recv(buf, flags)?;
            Ok((n.min(buf.len()), n, from))
        })?;
        let waitall = flags & MSG_WAITALL != 0 && flags & MSG_PEEK == 0;
        if self.ty != SOCK_STREAM || !waitall || n == 0 {
            return Ok((n, full, from));
        }
        let mut got = n;
        while got < buf.len() {
            let r = self.blocking(nonblock, timeout, || self.host.recv(&mut buf[got..], flags));
            match r {
                Ok((0, _)) => break,
                Ok((m, _)) => got += m,
                Err(Errno::EINTR | Errno::EAGAIN) => break,
                Err(e) => return Err(e),
            }
        }
        Ok((got, got, from))
    }

    fn send_data(
        &self,
        data: &[u8],
        to: Option<SocketAddr>,
        flags: u32,
        nonblock: bool,
    ) -> KResult<usize> {
        let timeout = self.timeouts().1;
        let mut sent = 0;
        loop {
            let r = self.blocking(nonblock, timeout, || {
                self.host.send(&data[sent..], to, flags)
            });
            match r {
                Ok(n) => {
                    sent += n;
                    if self.ty != SOCK_STREAM || nonblock || sent >= data.len() {
                        return Ok(sent);
                    }
                }
                Err(Errno::EINTR | Errno::EAGAIN) if sent > 0 => return Ok(sent),
                Err(e) => return Err(e),
            }
        }
    }
}

impl Socket for InetSocket {
    fn domain(&self) -> u32 {
        self.domain
    }

    fn sock_type(&self) -> u32 {
        self.ty
    }

    fn bind(&self, _cx: &SockCtx, addr: &[u8]) -> KResult<()> {
        let Some(mut a) = decode(self.domain, addr, Use::Bind)? else {
            return Err(Errno::EINVAL);
        };
        let mut shown = None;
        if self.policy == NetPolicy::Loopback {
            if is_unspecified(a.ip()) {
                shown = Some(a.ip());
                a.set_ip(self.loopback().ip());
            } else if !is_loopback(a.ip()) {
                return Err(policy_error(
                    format!("bind to {a} (only loopback is allowed)"),
                    Errno::EACCES,
                ));
            }
        }
        self.host.bind(a)?;
        let mut st = self.st.lock();
        st.bound = true;
        st.shown_local = shown;
        Ok(())
    }

    fn listen(&self, backlog: i32) -> KResult<()> {
        if self.ty != SOCK_STREAM {
            return Err(Errno::EOPNOTSUPP);
        }
        self.ensure_bound()?;
        self.host.listen(backlog)
    }

    fn accept(&self, nonblock: bool) -> KResult<(Arc<dyn FileLike>, Vec<u8>)> {
        let timeout = self.timeouts().0;
        let (conn, peer) = self.blocking(nonblock, timeout, || self.host.accept())?;
        let s = InetSocket::wrap(
            conn,
            self.domain,
            self.ty,
            self.protocol as u32,
            self.policy,
            true,
        );
        Ok((s, encode(&peer)))
    }

    fn connect(&self, _cx: &SockCtx, addr: &[u8], nonblock: bool) -> KResult<()> {
        let a = decode(self.domain, addr, Use::Connect)?;
        if let Some(a) = &a {
            self.check_dest("connect to", a)?;
            if self.ty == SOCK_DGRAM {
                self.ensure_bound()?;
            }
        }
        match self.host.connect(a) {
            Err(Errno::EINPROGRESS) if nonblock => Err(Errno::EINPROGRESS),
            Err(Errno::EINPROGRESS | Errno::EALREADY) if !nonblock => {
                let timeout = self.timeouts().1;
                let r = self.blocking(false, timeout, || {
                    let r = self.host.readiness();
                    if r & (POLLOUT | POLLERR | POLLHUP) != 0 {
                        Ok(())
                    } else {
                        Err(Errno::EAGAIN)
                    }
                });
                match r {
                    Err(Errno::EAGAIN) => return Err(Errno::EINPROGRESS),
                    r => r?,
                }
                if let Some(e) = self.host.take_error()? {
                    return Err(e);
                }
                // Connecting again completes the connection's state, as
                // the kernel's own blocking connect does.
                match self.host.connect(a) {
                    Ok(()) | Err(Errno::EISCONN) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            r => r,
        }
    }

    fn send(
        &self,
        _cx: &SockCtx,
        data: &[u8],
        to: Option<&[u8]>,
        anc: Ancillary,
        flags: u32,
        nonblock: bool,
    ) -> KResult<usize> {
        if !anc.rights.is_empty() {
            return Err(Errno::EINVAL);
        }
        // A stream ignores a destination (it has its peer).
        let to = match to {
            Some(raw) if self.ty != SOCK_STREAM => decode(self.domain, raw, Use::SendTo)?,
            _ => None,
        };
        if let Some(a) = &to {
            self.check_dest("send to", a)?;
            self.ensure_bound()?;
        }
        self.send_data(data, to, flags, nonblock)
    }

    fn recv(&self, max: usize, flags: u32, nonblock: bool) -> KResult<Received> {
        let cap = if self.ty == SOCK_STREAM && flags & MSG_WAITALL == 0 {
            max.min(RECV_CHUNK)
        } else {
            max.min(64 << 20)
        };
        let mut data = vec![0u8; cap];
        let (n, full, from) = self.recv_into(&mut data, flags, nonblock)?;
        data.truncate(n);
        Ok(Received {
            data,
            full_len: full,
            from: if self.ty == SOCK_STREAM {
                None
            } else {
                from.map(|a| encode(&a))
            },
            ..Received::default()
        })
    }

    fn shutdown(&self, how: u32) -> KResult<()> {
        self.host.shutdown(how)
    }

    fn local_addr(&self) -> Vec<u8> {
        let shown = self.st.lock().shown_local;
        let a = match self.host.local_addr() {
            Ok(Some(a)) => a,
            _ => self.loopback_unspecified(),
        };
        match (shown, a) {
            (Some(ip), mut a) => {
                a.set_ip(ip);
                encode(&a)
            }
            (None, a) => encode(&a),
        }
    }

    fn peer_addr(&self) -> KResult<Vec<u8>> {
        self.host.peer_addr().map(|a| encode(&a))
    }

    fn getsockopt(&self, level: u32, name: u32) -> KResult<Vec<u8>> {
        if level == SOL_SOCKET {
            match name {
                SO_TYPE => return Ok(int_opt(self.ty as i32)),
                SO_DOMAIN => return Ok(int_opt(self.domain as i32)),
                SO_PROTOCOL => return Ok(int_opt(self.protocol)),
                SO_ERROR => {
                    let e = self.host.take_error()?;
                    return Ok(int_opt(e.map_or(0, |e| e as i32)));
                }
                SO_RCVTIMEO | SO_SNDTIMEO => {
                    let i = (name == SO_SNDTIMEO) as usize;
                    let st = self.st.lock();
                    return Ok(st.timeo_raw[i].clone().unwrap_or_else(|| vec![0; 16]));
                }
                SO_LINGER => {
                    let v = self.host.get_opt(level, name)?;
                    let mut b = int_opt((v >= 0) as i32);
                    b.extend(int_opt(v.max(0)));
                    return Ok(b);
                }
                SO_RCVLOWAT | SO_SNDLOWAT => return Ok(int_opt(1)),
                _ => {}
            }
        }
        self.host.get_opt(level, name).map(int_opt)
    }

    fn setsockopt(&self, level: u32, name: u32, value: &[u8]) -> KResult<()> {
        if level == SOL_SOCKET {
            match name {
                SO_TYPE | SO_DOMAIN | SO_PROTOCOL | SO_ERROR | SO_ACCEPTCONN => {
                    return Err(Errno::ENOPROTOOPT)
                }
                SO_RCVTIMEO | SO_SNDTIMEO => {
                    let t = decode_timeout(value)?;
                    let mut st = self.st.lock();
                    let i = (name == SO_SNDTIMEO) as usize;
                    st.timeo_raw[i] = Some(value[..16].to_vec());
                    if name == SO_RCVTIMEO {
                        st.rcvtimeo = t;
                    } else {
                        st.sndtimeo = t;
                    }
                    return Ok(());
                }
                SO_LINGER => {
                    if value.len() < 8 {
                        return Err(Errno::EINVAL);
                    }
                    let on = opt_int(&value[..4])?;
                    let secs = opt_int(&value[4..8])?;
                    let v = if on != 0 { secs.max(0) } else { -1 };
                    return self.host.set_opt(level, name, v);
                }
                SO_RCVLOWAT | SO_SNDLOWAT => {
                    opt_int(value)?;
                    return Ok(());
                }
                SO_SNDBUFFORCE => return self.host.set_opt(level, SO_SNDBUF, opt_int(value)?),
                SO_RCVBUFFORCE => return self.host.set_opt(level, SO_RCVBUF, opt_int(value)?),
                _ => {}
            }
        }
        // Options of one byte are accepted as ints, as Linux does.
        let v = match value.len() {
            0 => return Err(Errno::EINVAL),
            1..=3 => value[0] as i32,
            _ => opt_int(value)?,
        };
        self.host.set_opt(level, name, v)
    }
}

impl InetSocket {
    fn loopback_unspecified(&self) -> SocketAddr {
        if self.domain == AF_INET {
            SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0))
        } else {
            SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0))
        }
    }
}

impl FileLike for InetSocket {
    fn read(&self, buf: &mut [u8], status: u32) -> KResult<usize> {
        self.recv_into(buf, 0, status & O_NONBLOCK != 0)
            .map(|r| r.0)
    }

    fn write(&self, data: &[u8], status: u32) -> KResult<usize> {
        self.send_data(data, None, 0, status & O_NONBLOCK != 0)
    }

    fn stat(&self) -> KResult<Stat> {
        Ok(crate::socket::socket_stat(self.ino))
    }

    fn bytes_available(&self) -> KResult<u64> {
        self.host.bytes_available()
    }

    fn poll(&self, waker: Option<&Arc<dyn Waker>>) -> Option<u32> {
        if let Some(w) = waker {
            self.watch.queue.register(w);
        }
        Some(self.host.readiness())
    }

    fn as_socket(&self) -> Option<&dyn Socket> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::FakeHost;
    use crate::testing::test_vfs;
    use crate::KernelConfig;

    fn v4(ip: [u8; 4], port: u16) -> Vec<u8> {
        encode(&SocketAddr::from((ip, port)))
    }

    #[test]
    fn addresses_decode_as_linux_checks_them() {
        let a = v4([127, 0, 0, 1], 8080);
        assert_eq!(a.len(), 16);
        assert_eq!(&a[2..4], &[0x1f, 0x90]);
        let back = decode(AF_INET, &a, Use::Connect).unwrap().unwrap();
        assert_eq!(back, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(decode(AF_INET, &a[..15], Use::Bind), Err(Errno::EINVAL));
        assert_eq!(decode(AF_INET, &a[..1], Use::Connect), Err(Errno::EINVAL));
        let mut unspec = a.clone();
        unspec[0] = 0;
        assert_eq!(decode(AF_INET, &unspec, Use::Connect), Ok(None));
        assert_eq!(
            decode(AF_INET, &unspec, Use::Bind),
            Err(Errno::EAFNOSUPPORT)
        );
        let six = encode(&SocketAddr::from((Ipv6Addr::LOCALHOST, 1)));
        assert_eq!(six.len(), 28);
        assert_eq!(decode(AF_INET, &six, Use::Bind), Err(Errno::EAFNOSUPPORT));
        assert_eq!(decode(AF_INET6, &a, Use::Bind), Err(Errno::EINVAL));
        assert!(decode(AF_INET6, &six[..24], Use::Bind).unwrap().is_some());
        let mut tv = [0u8; 16];
        assert_eq!(decode_timeout(&tv), Ok(None));
        tv[8] = 10;
        assert_eq!(decode_timeout(&tv), Ok(Some(Duration::from_micros(10))));
        tv[8..12].copy_from_slice(&1_000_000i32.to_le_bytes());
        assert_eq!(decode_timeout(&tv), Err(Errno::EDOM));
        assert_eq!(decode_timeout(&tv[..8]), Err(Errno::EINVAL));
    }

    fn kernel(net: NetPolicy) -> Arc<Kernel> {
        let host = Arc::new(FakeHost::new());
        let vfs = test_vfs(host.clone(), &crate::cage::Cred::new(0, 0));
        Kernel::new(
            vfs,
            host,
            KernelConfig {
                net,
                ..KernelConfig::default()
            },
        )
    }

    #[test]
    fn policy_none_denies_ip_sockets() {
        let k = kernel(NetPolicy::None);
        assert_eq!(
            create(&k, AF_INET, SOCK_STREAM, 0).err(),
            Some(Errno::EACCES)
        );
        // A host without a network.
        let k = kernel(NetPolicy::Loopback);
        assert_eq!(
            create(&k, AF_INET6, SOCK_DGRAM, 0).err(),
            Some(Errno::EAFNOSUPPORT)
        );
    }

    /// A host socket whose data arrives when a test says so.
    #[derive(Default)]
    struct FakeSock {
        data: Mutex<Vec<u8>>,
        waker: Mutex<Option<Weak<dyn Waker>>>,
        bound: Mutex<Option<SocketAddr>>,
    }

    impl FakeSock {
        fn arrive(&self, d: &[u8]) {
            self.data.lock().extend_from_slice(d);
            let w = self.waker.lock().clone();
            if let Some(w) = w.and_then(|w| w.upgrade()) {
                w.wake(POLLIN);
            }
        }
    }

    impl HostSocket for FakeSock {
        fn bind(&self, addr: SocketAddr) -> KResult<()> {
            *self.bound.lock() = Some(addr);
            Ok(())
        }
        fn listen(&self, _: i32) -> KResult<()> {
            Ok(())
        }
        fn accept(&self) -> KResult<(Arc<dyn HostSocket>, SocketAddr)> {
            Err(Errno::EAGAIN)
        }
        fn connect(&self, _: Option<SocketAddr>) -> KResult<()> {
            Ok(())
        }
        fn send(&self, d: &[u8], _: Option<SocketAddr>, _: u32) -> KResult<usize> {
            Ok(d.len())
        }
        fn recv(&self, buf: &mut [u8], _: u32) -> KResult<(usize, Option<SocketAddr>)> {
            let mut d = self.data.lock();
            if d.is_empty() {
                return Err(Errno::EAGAIN);
            }
            let n = d.len().min(buf.len());
            buf[..n].copy_from_slice(&d[..n]);
            d.drain(..n);
            Ok((n, None))
        }
        fn shutdown(&self, _: u32) -> KResult<()> {
            Ok(())
        }
        fn local_addr(&self) -> KResult<Option<SocketAddr>> {
            Ok(*self.bound.lock())
        }
        fn peer_addr(&self) -> KResult<SocketAddr> {
            Err(Errno::ENOTCONN)
        }
        fn take_error(&self) -> KResult<Option<Errno>> {
            Ok(None)
        }
        fn set_opt(&self, _: u32, _: u32, _: i32) -> KResult<()> {
            Ok(())
        }
        fn get_opt(&self, _: u32, _: u32) -> KResult<i32> {
            Ok(0)
        }
        fn readiness(&self) -> u32 {
            if self.data.lock().is_empty() {
                POLLOUT
            } else {
                POLLIN | POLLOUT
            }
        }
        fn bytes_available(&self) -> KResult<u64> {
            Ok(self.data.lock().len() as u64)
        }
        fn watch(&self, w: Weak<dyn Waker>) {
            *self.waker.lock() = Some(w);
        }
    }

    #[test]
    fn blocked_recv_wakes_on_arrival_and_times_out() {
        let fake = Arc::new(FakeSock::default());
        let s = InetSocket::wrap(
            fake.clone(),
            AF_INET,
            SOCK_DGRAM,
            0,
            NetPolicy::Loopback,
            false,
        );
        let mut buf = [0u8; 8];
        assert_eq!(s.read(&mut buf, O_NONBLOCK), Err(Errno::EAGAIN));
        let f2 = fake.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            f2.arrive(b"hi");
        });
        assert_eq!(s.read(&mut buf, 0), Ok(2));
        t.join().unwrap();
        assert_eq!(s.poll(None), Some(POLLOUT));
        let mut tv = [0u8; 16];
        tv[8..12].copy_from_slice(&20_000i32.to_le_bytes());
        s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, &tv).unwrap();
        assert_eq!(s.read(&mut buf, 0), Err(Errno::EAGAIN));
        // Loopback policy: a wildcard bind lands on loopback but is
        // reported as asked; a datagram socket sending gets bound.
        assert_eq!(s.ensure_bound(), Ok(()));
        assert_eq!(
            *fake.bound.lock(),
            Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        );
        assert_eq!(
            s.check_dest("connect to", &SocketAddr::from(([10, 0, 0, 1], 80))),
            Err(Errno::ENETUNREACH)
        );
    }
}
