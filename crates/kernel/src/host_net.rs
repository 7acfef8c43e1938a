//! The real host's sockets (rustix), for [`crate::host::SystemHost`].
//!
//! Every host socket is non-blocking and registered, edge-triggered, with
//! one host epoll instance served by one poller thread; an event wakes the
//! kernel object watching that socket, which then looks again with a
//! zero-timeout poll. So a cage blocked on a host socket waits on the
//! kernel's own queues (interruptible by signals, no CPU), and poll/epoll
//! in the cage see host readiness like any other.

use crate::block::Waker;
use crate::host::host_errno;
use crate::host::HostSocket;
use crate::KResult;
use lind_abi::{flags::*, Errno};
use parking_lot::Mutex;
use rustix::event::epoll;
use rustix::fd::{AsFd, OwnedFd};
use rustix::net::{self as rnet, sockopt};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

const IPPROTO_IP: u32 = 0;
const IPPROTO_TCP: u32 = 6;
const IPPROTO_IPV6: u32 = 41;
const IP_TOS: u32 = 1;
const IP_TTL: u32 = 2;
const TCP_NODELAY: u32 = 1;
const TCP_CORK: u32 = 3;
const TCP_KEEPIDLE: u32 = 4;
const TCP_KEEPINTVL: u32 = 5;
const TCP_KEEPCNT: u32 = 6;
const TCP_QUICKACK: u32 = 12;
const IPV6_V6ONLY: u32 = 26;

struct Poller {
    ep: OwnedFd,
    wakers: Mutex<HashMap<u64, Weak<dyn Waker>>>,
    next: AtomicU64,
}

fn poller() -> KResult<&'static Poller> {
    static P: OnceLock<Option<&'static Poller>> = OnceLock::new();
    let p = P.get_or_init(|| {
        let ep = epoll::create(epoll::CreateFlags::CLOEXEC).ok()?;
        let p: &'static Poller = Box::leak(Box::new(Poller {
            ep,
            wakers: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
        }));
        std::thread::Builder::new()
            .name("lind-net-poller".into())
            .spawn(move || p.run())
            .ok()?;
        Some(p)
    });
    p.ok_or(Errno::ENOBUFS)
}

impl Poller {
    fn run(&self) {
        let mut events = Vec::with_capacity(256);
        loop {
            events.clear();
            match epoll::wait(&self.ep, rustix::buffer::spare_capacity(&mut events), None) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            }
            let woken: Vec<(Arc<dyn Waker>, u32)> = {
                let w = self.wakers.lock();
                events
                    .iter()
                    .filter_map(|e| {
                        let (data, flags) = (e.data, e.flags);
                        let waker = w.get(&data.u64())?.upgrade()?;
                        Some((waker, flags.bits()))
                    })
                    .collect()
            };
            for (w, ev) in woken {
                w.wake(ev);
            }
        }
    }
}

/// One host socket.
pub struct SysSocket {
    fd: OwnedFd,
    id: u64,
}

fn wrap(fd: OwnedFd) -> KResult<Arc<dyn HostSocket>> {
    let p = poller()?;
    let id = p.next.fetch_add(1, Ordering::Relaxed);
    epoll::add(
        &p.ep,
        &fd,
        epoll::EventData::new_u64(id),
        epoll::EventFlags::IN
            | epoll::EventFlags::OUT
            | epoll::EventFlags::RDHUP
            | epoll::EventFlags::ET,
    )
    .map_err(host_errno)?;
    Ok(Arc::new(SysSocket { fd, id }))
}

pub fn socket(domain: u32, ty: u32, protocol: u32) -> KResult<Arc<dyn HostSocket>> {
    let proto = std::num::NonZeroU32::new(protocol).map(rnet::Protocol::from_raw);
    let fd = rnet::socket_with(
        rnet::AddressFamily::from_raw(domain as u16),
        rnet::SocketType::from_raw(ty),
        rnet::SocketFlags::NONBLOCK | rnet::SocketFlags::CLOEXEC,
        proto,
    )
    .map_err(host_errno)?;
    wrap(fd)
}

impl Drop for SysSocket {
    fn drop(&mut self) {
        if let Ok(p) = poller() {
            p.wakers.lock().remove(&self.id);
        }
    }
}

fn std_addr(a: Option<rnet::SocketAddrAny>) -> Option<SocketAddr> {
    a.and_then(|a| SocketAddr::try_from(a).ok())
}

impl HostSocket for SysSocket {
    fn bind(&self, addr: SocketAddr) -> KResult<()> {
        rnet::bind(&self.fd, &addr).map_err(host_errno)
    }

    fn listen(&self, backlog: i32) -> KResult<()> {
        rnet::listen(&self.fd, backlog).map_err(host_errno)
    }

    fn accept(&self) -> KResult<(Arc<dyn HostSocket>, SocketAddr)> {
        let (fd, addr) = rnet::acceptfrom_with(
            &self.fd,
            rnet::SocketFlags::NONBLOCK | rnet::SocketFlags::CLOEXEC,
        )
        .map_err(host_errno)?;
        let addr = std_addr(addr).ok_or(Errno::EINVAL)?;
        Ok((wrap(fd)?, addr))
    }

    fn connect(&self, addr: Option<SocketAddr>) -> KResult<()> {
        match addr {
            Some(a) => rnet::connect(&self.fd, &a),
            None => rnet::connect_unspec(&self.fd),
        }
        .map_err(host_errno)
    }

    fn send(&self, data: &[u8], to: Option<SocketAddr>, flags: u32) -> KResult<usize> {
        let keep = MSG_OOB | MSG_DONTROUTE | MSG_EOR | MSG_MORE;
        let f = rnet::SendFlags::from_bits_retain((flags & keep) | MSG_DONTWAIT | MSG_NOSIGNAL);
        match to {
            Some(a) => rnet::sendto(&self.fd, data, f, &a),
            None => rnet::send(&self.fd, data, f),
        }
        .map_err(host_errno)
    }

    fn recv(&self, buf: &mut [u8], flags: u32) -> KResult<(usize, Option<SocketAddr>)> {
        let keep = MSG_OOB | MSG_PEEK | MSG_TRUNC;
        let f = rnet::RecvFlags::from_bits_retain((flags & keep) | MSG_DONTWAIT);
        let (_, n, from) = rnet::recvfrom(&self.fd, buf, f).map_err(host_errno)?;
        Ok((n, std_addr(from)))
    }

    fn shutdown(&self, how: u32) -> KResult<()> {
        let how = match how {
            SHUT_RD => rnet::Shutdown::Read,
            SHUT_WR => rnet::Shutdown::Write,
            SHUT_RDWR => rnet::Shutdown::Both,
            _ => return Err(Errno::EINVAL),
        };
        rnet::shutdown(&self.fd, how).map_err(host_errno)
    }

    fn local_addr(&self) -> KResult<Option<SocketAddr>> {
        Ok(std_addr(Some(
            rnet::getsockname(&self.fd).map_err(host_errno)?,
        )))
    }

    fn peer_addr(&self) -> KResult<SocketAddr> {
        std_addr(rnet::getpeername(&self.fd).map_err(host_errno)?).ok_or(Errno::ENOTCONN)
    }

    fn take_error(&self) -> KResult<Option<Errno>> {
        Ok(sockopt::socket_error(&self.fd)
            .map_err(host_errno)?
            .err()
            .map(host_errno))
    }

    fn set_opt(&self, level: u32, name: u32, v: i32) -> KResult<()> {
        let fd = self.fd.as_fd();
        let on = v != 0;
        let r = match (level, name) {
            (SOL_SOCKET, SO_REUSEADDR) => sockopt::set_socket_reuseaddr(fd, on),
            (SOL_SOCKET, SO_REUSEPORT) => sockopt::set_socket_reuseport(fd, on),
            (SOL_SOCKET, SO_KEEPALIVE) => sockopt::set_socket_keepalive(fd, on),
            (SOL_SOCKET, SO_BROADCAST) => sockopt::set_socket_broadcast(fd, on),
            (SOL_SOCKET, SO_OOBINLINE) => sockopt::set_socket_oobinline(fd, on),
            (SOL_SOCKET, SO_RCVBUF) => sockopt::set_socket_recv_buffer_size(fd, v.max(0) as usize),
            (SOL_SOCKET, SO_SNDBUF) => sockopt::set_socket_send_buffer_size(fd, v.max(0) as usize),
            (SOL_SOCKET, SO_LINGER) => {
                sockopt::set_socket_linger(fd, (v >= 0).then(|| Duration::from_secs(v as u64)))
            }
            (IPPROTO_TCP, TCP_NODELAY) => sockopt::set_tcp_nodelay(fd, on),
            (IPPROTO_TCP, TCP_CORK) => sockopt::set_tcp_cork(fd, on),
            (IPPROTO_TCP, TCP_QUICKACK) => sockopt::set_tcp_quickack(fd, on),
            (IPPROTO_TCP, TCP_KEEPCNT) => sockopt::set_tcp_keepcnt(fd, v.max(0) as u32),
            (IPPROTO_TCP, TCP_KEEPIDLE) => {
                sockopt::set_tcp_keepidle(fd, Duration::from_secs(v.max(0) as u64))
            }
            (IPPROTO_TCP, TCP_KEEPINTVL) => {
                sockopt::set_tcp_keepintvl(fd, Duration::from_secs(v.max(0) as u64))
            }
            (IPPROTO_IPV6, IPV6_V6ONLY) => sockopt::set_ipv6_v6only(fd, on),
            (IPPROTO_IP, IP_TTL) => sockopt::set_ip_ttl(fd, v.max(0) as u32),
            (IPPROTO_IP, IP_TOS) => sockopt::set_ip_tos(fd, v as u8),
            _ => return Err(Errno::ENOPROTOOPT),
        };
        r.map_err(host_errno)
    }

    fn get_opt(&self, level: u32, name: u32) -> KResult<i32> {
        let fd = self.fd.as_fd();
        let b = |r: rustix::io::Result<bool>| r.map(i32::from);
        let r = match (level, name) {
            (SOL_SOCKET, SO_REUSEADDR) => b(sockopt::socket_reuseaddr(fd)),
            (SOL_SOCKET, SO_REUSEPORT) => b(sockopt::socket_reuseport(fd)),
            (SOL_SOCKET, SO_KEEPALIVE) => b(sockopt::socket_keepalive(fd)),
            (SOL_SOCKET, SO_BROADCAST) => b(sockopt::socket_broadcast(fd)),
            (SOL_SOCKET, SO_OOBINLINE) => b(sockopt::socket_oobinline(fd)),
            (SOL_SOCKET, SO_ACCEPTCONN) => b(sockopt::socket_acceptconn(fd)),
            (SOL_SOCKET, SO_RCVBUF) => sockopt::socket_recv_buffer_size(fd).map(|v| v as i32),
            (SOL_SOCKET, SO_SNDBUF) => sockopt::socket_send_buffer_size(fd).map(|v| v as i32),
            (SOL_SOCKET, SO_LINGER) => {
                sockopt::socket_linger(fd).map(|l| l.map_or(-1, |d| d.as_secs() as i32))
            }
            (IPPROTO_TCP, TCP_NODELAY) => b(sockopt::tcp_nodelay(fd)),
            (IPPROTO_TCP, TCP_CORK) => b(sockopt::tcp_cork(fd)),
            (IPPROTO_TCP, TCP_QUICKACK) => b(sockopt::tcp_quickack(fd)),
            (IPPROTO_TCP, TCP_KEEPCNT) => sockopt::tcp_keepcnt(fd).map(|v| v as i32),
            (IPPROTO_TCP, TCP_KEEPIDLE) => sockopt::tcp_keepidle(fd).map(|d| d.as_secs() as i32),
            (IPPROTO_TCP, TCP_KEEPINTVL) => sockopt::tcp_keepintvl(fd).map(|d| d.as_secs() as i32),
            (IPPROTO_IPV6, IPV6_V6ONLY) => b(sockopt::ipv6_v6only(fd)),
            (IPPROTO_IP, IP_TTL) => sockopt::ip_ttl(fd).map(|v| v as i32),
            (IPPROTO_IP, IP_TOS) => sockopt::ip_tos(fd).map(i32::from),
            _ => return Err(Errno::ENOPROTOOPT),
        };
        r.map_err(host_errno)
    }

    fn readiness(&self) -> u32 {
        use rustix::event::{PollFd, PollFlags};
        let want = PollFlags::IN | PollFlags::OUT | PollFlags::PRI | PollFlags::RDHUP;
        let mut fds = [PollFd::new(&self.fd, want)];
        let zero = rustix::time::Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        match rustix::event::poll(&mut fds, Some(&zero)) {
            Ok(_) => fds[0].revents().bits() as u32,
            Err(_) => POLLERR,
        }
    }

    fn bytes_available(&self) -> KResult<u64> {
        rustix::io::ioctl_fionread(&self.fd).map_err(host_errno)
    }

    fn watch(&self, waker: Weak<dyn Waker>) {
        if let Ok(p) = poller() {
            p.wakers.lock().insert(self.id, waker);
        }
    }
}
