//! Sockets: what the socket calls need from any address family.
//!
//! The syscall layer (`syscall/net.rs`) copies addresses, buffers and
//! control messages in and out of guest memory and calls a [`Socket`];
//! each family decodes its own address format. AF_UNIX is served entirely
//! in the kernel ([`crate::unix`]); AF_INET and AF_INET6 go through host
//! sockets ([`crate::inet`]), a second implementation of the same trait,
//! chosen in [`create`].

use crate::{file::FileLike, file::OpenFile, Cage, KResult, Kernel};
use lind_abi::{flags::*, Errno};
use std::sync::Arc;

/// `struct ucred`: who sent a message or made a connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ucred {
    pub pid: i32,
    pub uid: u32,
    pub gid: u32,
}

impl Ucred {
    pub fn of(cage: &Cage) -> Self {
        let c = cage.cred();
        Ucred {
            pid: cage.pid,
            uid: c.euid,
            gid: c.egid,
        }
    }

    /// The credentials of the cage running on this thread (none in unit
    /// tests: pid 0, root).
    pub fn current() -> Self {
        crate::block::current()
            .map(|c| Ucred::of(&c))
            .unwrap_or_default()
    }

    pub fn to_bytes(self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[0..4].copy_from_slice(&self.pid.to_le_bytes());
        b[4..8].copy_from_slice(&self.uid.to_le_bytes());
        b[8..12].copy_from_slice(&self.gid.to_le_bytes());
        b
    }
}

/// Control data travelling with a message.
#[derive(Default)]
pub struct Ancillary {
    /// SCM_RIGHTS: open files, installed as new descriptors on receipt.
    pub rights: Vec<Arc<OpenFile>>,
    /// SCM_CREDENTIALS given by the sender (already checked).
    pub cred: Option<Ucred>,
}

/// What one receive got.
#[derive(Default)]
pub struct Received {
    pub data: Vec<u8>,
    /// The message's whole length (more than `data` when a datagram was
    /// truncated).
    pub full_len: usize,
    /// The sender's address (raw sockaddr bytes), where the family has one.
    pub from: Option<Vec<u8>>,
    pub rights: Vec<Arc<OpenFile>>,
    /// The sender's credentials, when the receiver asked (SO_PASSCRED).
    pub cred: Option<Ucred>,
}

/// Per-call context a socket may need: the kernel (name spaces, the file
/// system) and the calling cage (cwd, credentials).
pub struct SockCtx<'a> {
    pub kernel: &'a Kernel,
    pub cage: &'a Cage,
}

/// One socket of any family. Addresses are raw sockaddr bytes, already
/// copied from the guest (lengths checked against the family's limits by
/// the family). `nonblock` is O_NONBLOCK or MSG_DONTWAIT.
pub trait Socket: Send + Sync {
    fn domain(&self) -> u32;
    fn sock_type(&self) -> u32;
    fn bind(&self, cx: &SockCtx, addr: &[u8]) -> KResult<()>;
    fn listen(&self, backlog: i32) -> KResult<()>;
    /// A connection and the peer's address.
    fn accept(&self, nonblock: bool) -> KResult<(Arc<dyn FileLike>, Vec<u8>)>;
    fn connect(&self, cx: &SockCtx, addr: &[u8], nonblock: bool) -> KResult<()>;
    fn send(
        &self,
        cx: &SockCtx,
        data: &[u8],
        to: Option<&[u8]>,
        anc: Ancillary,
        flags: u32,
        nonblock: bool,
    ) -> KResult<usize>;
    fn recv(&self, max: usize, flags: u32, nonblock: bool) -> KResult<Received>;
    fn shutdown(&self, how: u32) -> KResult<()>;
    fn local_addr(&self) -> Vec<u8>;
    fn peer_addr(&self) -> KResult<Vec<u8>>;
    fn getsockopt(&self, level: u32, name: u32) -> KResult<Vec<u8>>;
    fn setsockopt(&self, level: u32, name: u32, value: &[u8]) -> KResult<()>;
}

/// `socket(domain, type, protocol)` without the flag bits: a new socket
/// of the family, or EAFNOSUPPORT.
pub fn create(kernel: &Kernel, domain: u32, ty: u32, protocol: u32) -> KResult<Arc<dyn FileLike>> {
    match domain {
        AF_INET | AF_INET6 => Ok(crate::inet::create(kernel, domain, ty, protocol)?),
        AF_UNIX => {
            if protocol != 0 && protocol != AF_UNIX {
                return Err(Errno::EPROTONOSUPPORT);
            }
            Ok(crate::unix::UnixSocket::new(ty)?)
        }
        _ => Err(Errno::EAFNOSUPPORT),
    }
}

/// `socketpair`: two connected sockets.
pub fn pair(
    domain: u32,
    ty: u32,
    protocol: u32,
) -> KResult<(Arc<dyn FileLike>, Arc<dyn FileLike>)> {
    match domain {
        AF_UNIX => {
            if protocol != 0 && protocol != AF_UNIX {
                return Err(Errno::EPROTONOSUPPORT);
            }
            let (a, b) = crate::unix::UnixSocket::pair(ty, Ucred::current())?;
            Ok((a, b))
        }
        AF_INET | AF_INET6 => Err(Errno::EOPNOTSUPP),
        _ => Err(Errno::EAFNOSUPPORT),
    }
}

/// An int option value as bytes.
/// What fstat reports for a socket of any family (Linux's sockfs device).
pub fn socket_stat(ino: u64) -> lind_abi::layout::Stat {
    lind_abi::layout::Stat {
        dev: 0x8,
        ino,
        nlink: 1,
        mode: S_IFSOCK | 0o777,
        blksize: 4096,
        ..Default::default()
    }
}

pub fn int_opt(v: i32) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

/// Reads an int option value (EINVAL if shorter than an int).
pub fn opt_int(value: &[u8]) -> KResult<i32> {
    Ok(i32::from_le_bytes(
        value
            .get(..4)
            .ok_or(Errno::EINVAL)?
            .try_into()
            .map_err(|_| Errno::EINVAL)?,
    ))
}
