//! Syscall-level tests of the file-system family, through `dispatch`.

use crate::testing::{err, TestEnv, TEST_UID};
use crate::{
    cage::Cred,
    host::{FakeHost, Host},
    vfs, Errno,
};
use lind_abi::{flags::*, layout::statx as sx, nr};
use std::sync::Arc;

const CWD: u64 = AT_FDCWD as u32 as u64;

fn stat_of(t: &mut TestEnv, path: &str, nofollow: bool) -> Result<lind_abi::layout::Stat, i64> {
    let p = t.cstr(path);
    let buf = t.alloc(144);
    let r = t.call(if nofollow { nr::LSTAT } else { nr::STAT }, &[p, buf]);
    if r < 0 {
        return Err(r);
    }
    Ok(parse_stat(&t.read(buf, 144)))
}

fn parse_stat(b: &[u8]) -> lind_abi::layout::Stat {
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    lind_abi::layout::Stat {
        dev: u64_at(0),
        ino: u64_at(8),
        nlink: u64_at(16),
        mode: u32_at(24),
        uid: u32_at(28),
        gid: u32_at(32),
        rdev: u64_at(40),
        size: u64_at(48) as i64,
        blksize: u64_at(56) as i64,
        blocks: u64_at(64) as i64,
        atime: lind_abi::layout::Timespec::from_bytes(b[72..88].try_into().unwrap()),
        mtime: lind_abi::layout::Timespec::from_bytes(b[88..104].try_into().unwrap()),
        ctime: lind_abi::layout::Timespec::from_bytes(b[104..120].try_into().unwrap()),
    }
}

fn call_path(t: &mut TestEnv, nr: u32, path: &str, rest: &[u64]) -> i64 {
    let p = t.cstr(path);
    let mut args = vec![p];
    args.extend_from_slice(rest);
    t.call(nr, &args)
}

#[test]
fn bad_path_pointers_are_efault() {
    let mut t = TestEnv::new();
    let beyond = t.mem.bytes.len() as u64 + 100;
    for nr in [
        nr::OPEN,
        nr::STAT,
        nr::LSTAT,
        nr::ACCESS,
        nr::MKDIR,
        nr::UNLINK,
        nr::RMDIR,
        nr::CHDIR,
        nr::TRUNCATE,
        nr::CHMOD,
        nr::READLINK,
    ] {
        let buf = if nr == nr::ACCESS { 0 } else { t.alloc(256) };
        assert_eq!(
            t.call(nr, &[0, buf, 64]),
            err(Errno::EFAULT),
            "nr {nr} NULL"
        );
        assert_eq!(
            t.call(nr, &[beyond, buf, 64]),
            err(Errno::EFAULT),
            "nr {nr} beyond"
        );
        assert_eq!(
            t.call(nr, &[12, buf, 64]),
            err(Errno::EFAULT),
            "nr {nr} near NULL"
        );
    }
    // A string running into the end of memory.
    let end = t.mem.bytes.len();
    t.mem.bytes[end - 3..].copy_from_slice(b"abc");
    assert_eq!(t.call(nr::OPEN, &[end as u64 - 3, 0]), err(Errno::EFAULT));
    // A valid path but a bad output buffer.
    t.write_file("/f", b"x");
    let p = t.cstr("/f");
    assert_eq!(t.call(nr::STAT, &[p, 0]), err(Errno::EFAULT));
    assert_eq!(t.call(nr::GETCWD, &[0, 100]), err(Errno::EFAULT));
    assert_eq!(t.call(nr::RENAME, &[p, 0]), err(Errno::EFAULT));
}

#[test]
fn name_too_long_and_missing_paths() {
    let mut t = TestEnv::new();
    let long = "a/".repeat(2100);
    assert_eq!(
        call_path(&mut t, nr::OPEN, &long, &[0]),
        err(Errno::ENAMETOOLONG)
    );
    let comp = "x".repeat(256);
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            &comp,
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::ENAMETOOLONG)
    );
    assert_eq!(
        call_path(&mut t, nr::STAT, &"y".repeat(255), &[t_buf()]),
        err(Errno::ENOENT)
    );
    assert_eq!(call_path(&mut t, nr::OPEN, "", &[0]), err(Errno::ENOENT));
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/nope", &[0]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/nope/x",
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::ENOENT)
    );
    assert_eq!(
        call_path(&mut t, nr::MKDIR, "/a/b", &[0o755]),
        err(Errno::ENOENT)
    );
}

/// A stat buffer address that is never read back.
fn t_buf() -> u64 {
    crate::testing::SCRATCH_BASE
}

#[test]
fn open_create_read_write_close() {
    let mut t = TestEnv::new();
    let fd = t.open("/hello.txt", O_CREAT | O_RDWR | O_EXCL);
    assert_eq!(fd, 3);
    assert_eq!(t.write_fd(fd, b"hello"), 5);
    assert_eq!(t.call(nr::LSEEK, &[fd as u64, 0, SEEK_SET as u64]), 0);
    assert_eq!(t.read_fd(fd, 100).unwrap(), b"hello");
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/hello.txt",
            &[(O_CREAT | O_EXCL | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::EEXIST)
    );
    assert_eq!(t.call(nr::CLOSE, &[fd as u64]), 0);
    assert_eq!(t.call(nr::CLOSE, &[fd as u64]), err(Errno::EBADF));
    // creat truncates.
    let c = call_path(&mut t, nr::CREAT, "/hello.txt", &[0o644]);
    assert_eq!(c, 3);
    assert_eq!(stat_of(&mut t, "/hello.txt", false).unwrap().size, 0);
    // Relative to the cwd and to a directory fd.
    assert_eq!(call_path(&mut t, nr::MKDIR, "/dir", &[0o755]), 0);
    assert_eq!(call_path(&mut t, nr::CHDIR, "/dir", &[]), 0);
    t.write_file("rel", b"R");
    assert_eq!(t.read_file("/dir/rel"), b"R");
    let dfd = t.open("/dir", O_RDONLY | O_DIRECTORY);
    let p = t.cstr("rel");
    let f = t.call(nr::OPENAT, &[dfd as u64, p, O_RDONLY as u64]);
    assert!(f > 0);
    assert_eq!(t.read_fd(f as i32, 10).unwrap(), b"R");
    // A non-directory dirfd with a relative path is ENOTDIR; a bad one EBADF.
    assert_eq!(t.call(nr::OPENAT, &[f as u64, p, 0]), err(Errno::ENOTDIR));
    assert_eq!(t.call(nr::OPENAT, &[99, p, 0]), err(Errno::EBADF));
    // O_CLOEXEC lands on the descriptor.
    let e = t.call(nr::OPENAT, &[dfd as u64, p, (O_RDONLY | O_CLOEXEC) as u64]);
    assert_eq!(
        t.call(nr::FCNTL, &[e as u64, F_GETFD as u64]),
        FD_CLOEXEC as i64
    );
}

#[test]
fn open_errors() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"x");
    assert_eq!(call_path(&mut t, nr::MKDIR, "/d", &[0o755]), 0);
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/d", &[O_WRONLY as u64]),
        err(Errno::EISDIR)
    );
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/f", &[(O_RDONLY | O_DIRECTORY) as u64]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/f/", &[O_RDONLY as u64]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/new/",
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::EISDIR)
    );
    assert!(call_path(&mut t, nr::OPEN, "/d/", &[O_RDONLY as u64]) > 0);
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/f/x", &[O_RDONLY as u64]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/x",
            &[O_TMPFILE as u64 | O_RDWR as u64, 0o600]
        ),
        err(Errno::EOPNOTSUPP)
    );
    assert_eq!(
        call_path(&mut t, nr::SYMLINK, "/f", &[0]),
        err(Errno::EFAULT)
    );
    let target = t.cstr("/f");
    assert_eq!(
        call_path(&mut t, nr::SYMLINK, "/f", &[]),
        err(Errno::EFAULT)
    );
    let l = t.cstr("/l");
    assert_eq!(t.call(nr::SYMLINK, &[target, l]), 0);
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/l", &[(O_RDONLY | O_NOFOLLOW) as u64]),
        err(Errno::ELOOP)
    );
}

#[test]
fn emfile_creates_nothing() {
    let mut t = TestEnv::new();
    t.cage.rlimits.lock()[RLIMIT_NOFILE as usize].0 = 4;
    let fd = t.open("/a", O_CREAT | O_WRONLY);
    assert_eq!(fd, 3);
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/b",
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::EMFILE)
    );
    assert_eq!(stat_of(&mut t, "/b", false), Err(err(Errno::ENOENT)));
}

#[test]
fn umask_applies_to_creation() {
    let mut t = TestEnv::new();
    assert_eq!(t.call(nr::UMASK, &[0o027]), 0o022);
    assert_eq!(t.call(nr::UMASK, &[0o077]), 0o027);
    t.call(nr::UMASK, &[0o027]);
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/f",
            &[(O_CREAT | O_WRONLY) as u64, 0o777]
        ),
        3
    );
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().mode, S_IFREG | 0o750);
    assert_eq!(call_path(&mut t, nr::MKDIR, "/d", &[0o1777]), 0);
    assert_eq!(stat_of(&mut t, "/d", false).unwrap().mode, S_IFDIR | 0o1750);
    // Not applied when the file exists already.
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/f",
            &[(O_CREAT | O_WRONLY) as u64, 0o600]
        ),
        4
    );
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().mode, S_IFREG | 0o750);
}

#[test]
fn o_append_is_shared_after_dup() {
    let mut t = TestEnv::new();
    t.write_file("/log", b"start\n");
    let a = t.open("/log", O_WRONLY | O_APPEND);
    let b = t.call(nr::DUP, &[a as u64]) as i32;
    assert_eq!(t.write_fd(a, b"one\n"), 4);
    assert_eq!(t.write_fd(b, b"two\n"), 4);
    // Another open of the same file without O_APPEND writes at its offset.
    let c = t.open("/log", O_WRONLY);
    assert_eq!(t.write_fd(c, b"X"), 1);
    assert_eq!(t.write_fd(a, b"three\n"), 6);
    assert_eq!(t.read_file("/log"), b"Xtart\none\ntwo\nthree\n");
    // Clearing O_APPEND on one descriptor clears it on its dup too.
    assert_eq!(t.call(nr::FCNTL, &[b as u64, F_SETFL as u64, 0]), 0);
    assert_eq!(
        t.call(nr::FCNTL, &[a as u64, F_GETFL as u64]) & O_APPEND as i64,
        0
    );
}

#[test]
fn stat_family() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"12345");
    let target = t.cstr("f");
    let link = t.cstr("/l");
    assert_eq!(t.call(nr::SYMLINK, &[target, link]), 0);
    let st = stat_of(&mut t, "/f", false).unwrap();
    assert_eq!(
        (st.mode, st.size, st.nlink, st.uid),
        (S_IFREG | 0o644, 5, 1, TEST_UID)
    );
    assert_eq!(st.mtime.sec, 1_700_000_000);
    assert_eq!(stat_of(&mut t, "/l", false).unwrap().ino, st.ino);
    let l = stat_of(&mut t, "/l", true).unwrap();
    assert_eq!((l.mode, l.size), (S_IFLNK | 0o777, 1));
    // fstat, and newfstatat with AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW.
    let fd = t.open("/f", O_RDONLY);
    let buf = t.alloc(144);
    assert_eq!(t.call(nr::FSTAT, &[fd as u64, buf]), 0);
    assert_eq!(parse_stat(&t.read(buf, 144)), st);
    assert_eq!(t.call(nr::FSTAT, &[77, buf]), err(Errno::EBADF));
    let empty = t.cstr("");
    assert_eq!(
        t.call(nr::NEWFSTATAT, &[fd as u64, empty, buf, 0]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        t.call(
            nr::NEWFSTATAT,
            &[fd as u64, empty, buf, AT_EMPTY_PATH as u64]
        ),
        0
    );
    assert_eq!(parse_stat(&t.read(buf, 144)).ino, st.ino);
    assert_eq!(
        t.call(
            nr::NEWFSTATAT,
            &[CWD, link, buf, AT_SYMLINK_NOFOLLOW as u64]
        ),
        0
    );
    assert_eq!(parse_stat(&t.read(buf, 144)).mode, S_IFLNK | 0o777);
    assert_eq!(
        t.call(nr::NEWFSTATAT, &[CWD, link, buf, 0x4]),
        err(Errno::EINVAL)
    );
    // The cwd with AT_FDCWD and AT_EMPTY_PATH.
    assert_eq!(
        t.call(nr::NEWFSTATAT, &[CWD, empty, buf, AT_EMPTY_PATH as u64]),
        0
    );
    assert_eq!(parse_stat(&t.read(buf, 144)).mode & S_IFMT, S_IFDIR);
    // Mount points: /tmp is memfs's root, /dev/null a device.
    let tmp = stat_of(&mut t, "/tmp", false).unwrap();
    assert_eq!(tmp.mode, S_IFDIR | 0o1777);
    assert_ne!(tmp.dev, st.dev);
    let null = stat_of(&mut t, "/dev/null", false).unwrap();
    assert_eq!((null.mode, null.rdev), (S_IFCHR | 0o666, 0x103));
    assert_eq!(stat_of(&mut t, "/f/", false), Err(err(Errno::ENOTDIR)));
    assert_eq!(stat_of(&mut t, "/tmp/", false).unwrap().ino, tmp.ino);
}

#[test]
fn statx_fills_the_struct() {
    let mut t = TestEnv::new();
    t.write_file("/f", &[7; 5000]);
    let st = stat_of(&mut t, "/f", false).unwrap();
    let p = t.cstr("/f");
    let buf = t.alloc(256);
    t.mem.bytes[buf as usize..buf as usize + 256].fill(0xaa);
    assert_eq!(
        t.call(nr::STATX, &[CWD, p, 0, sx::STATX_BASIC_STATS as u64, buf]),
        0
    );
    let b = t.read(buf, 256);
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
    assert_eq!(u32_at(sx::MASK), sx::STATX_BASIC_STATS);
    assert_eq!(u32_at(sx::BLKSIZE), 4096);
    assert_eq!(u32_at(sx::NLINK), 1);
    assert_eq!(u32_at(sx::UID), TEST_UID);
    assert_eq!(
        u16::from_le_bytes(b[sx::MODE..sx::MODE + 2].try_into().unwrap()) as u32,
        S_IFREG | 0o644
    );
    assert_eq!(u64_at(sx::INO), st.ino);
    assert_eq!(u64_at(sx::SIZE_FIELD), 5000);
    assert_eq!(u64_at(sx::BLOCKS), 16);
    assert_eq!(u64_at(sx::MTIME) as i64, st.mtime.sec);
    assert_eq!(u64_at(sx::BTIME), 0);
    assert_eq!(
        (u32_at(sx::DEV_MAJOR), u32_at(sx::DEV_MINOR)),
        vfs::dev_split(st.dev)
    );
    assert!(b[144..].iter().all(|&x| x == 0));
    let null = t.cstr("/dev/null");
    assert_eq!(t.call(nr::STATX, &[CWD, null, 0, 0x7ff, buf]), 0);
    let b = t.read(buf, 256);
    assert_eq!(
        &b[sx::RDEV_MAJOR..sx::RDEV_MAJOR + 8],
        &[1, 0, 0, 0, 3, 0, 0, 0]
    );
    assert_eq!(
        t.call(nr::STATX, &[CWD, p, 0, 0x8000_0000, buf]),
        err(Errno::EINVAL)
    );
    assert_eq!(
        t.call(nr::STATX, &[CWD, p, AT_STATX_SYNC_TYPE as u64, 0x7ff, buf]),
        err(Errno::EINVAL)
    );
    let fd = t.open("/f", O_RDONLY);
    assert_eq!(
        t.call(nr::STATX, &[fd as u64, 0, AT_EMPTY_PATH as u64, 0x7ff, buf]),
        0
    );
    assert_eq!(
        t.call(nr::STATX, &[fd as u64, 0, 0, 0x7ff, buf]),
        err(Errno::EFAULT)
    );
}

#[test]
fn access_family() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"");
    assert_eq!(
        call_path(&mut t, nr::ACCESS, "/f", &[(R_OK | W_OK) as u64]),
        0
    );
    assert_eq!(
        call_path(&mut t, nr::ACCESS, "/f", &[X_OK as u64]),
        err(Errno::EACCES)
    );
    assert_eq!(call_path(&mut t, nr::ACCESS, "/f", &[F_OK as u64]), 0);
    assert_eq!(
        call_path(&mut t, nr::ACCESS, "/nope", &[F_OK as u64]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        call_path(&mut t, nr::ACCESS, "/f", &[8]),
        err(Errno::EINVAL)
    );
    let p = t.cstr("/f");
    // Real vs effective ids: a set-user-ID-like cage whose euid is root.
    t.cage.cred.lock().euid = 0;
    assert_eq!(call_path(&mut t, nr::ACCESS, "/tmp", &[W_OK as u64]), 0);
    let d = t.cstr("/");
    assert_eq!(t.call(nr::CHMOD, &[d, 0o555]), 0);
    assert_eq!(
        t.call(nr::FACCESSAT2, &[CWD, d, W_OK as u64, 0]),
        err(Errno::EACCES)
    );
    assert_eq!(
        t.call(nr::FACCESSAT2, &[CWD, d, W_OK as u64, AT_EACCESS as u64]),
        0
    );
    assert_eq!(t.call(nr::FACCESSAT, &[CWD, p, R_OK as u64]), 0);
    assert_eq!(
        t.call(nr::FACCESSAT2, &[CWD, p, R_OK as u64, 0x1]),
        err(Errno::EINVAL)
    );
    let fd = t.open("/f", O_RDONLY);
    let empty = t.cstr("");
    assert_eq!(
        t.call(
            nr::FACCESSAT2,
            &[fd as u64, empty, R_OK as u64, AT_EMPTY_PATH as u64]
        ),
        0
    );
    // A dangling symlink: missing when followed, there when not.
    let (target, l) = (t.cstr("/nowhere"), t.cstr("/dangling"));
    assert_eq!(t.call(nr::SYMLINK, &[target, l]), 0);
    assert_eq!(
        t.call(nr::FACCESSAT2, &[CWD, l, F_OK as u64, 0]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        t.call(
            nr::FACCESSAT2,
            &[CWD, l, F_OK as u64, AT_SYMLINK_NOFOLLOW as u64]
        ),
        0
    );
}

/// Reads a whole directory through getdents64 with a `bufsize` buffer.
fn list_dir(t: &mut TestEnv, fd: i32, bufsize: usize) -> Vec<(u64, u8, Vec<u8>)> {
    let buf = t.alloc(bufsize);
    let mut out = Vec::new();
    loop {
        let n = t.call(nr::GETDENTS64, &[fd as u64, buf, bufsize as u64]);
        assert!(n >= 0, "getdents64 = {n}");
        if n == 0 {
            break;
        }
        let b = t.read(buf, n as usize);
        let mut at = 0;
        while at < b.len() {
            let ino = u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
            let reclen = u16::from_le_bytes(b[at + 16..at + 18].try_into().unwrap()) as usize;
            assert_eq!(reclen % 8, 0);
            let kind = b[at + 18];
            let name = &b[at + 19..at + reclen];
            let name = name[..name.iter().position(|&c| c == 0).unwrap()].to_vec();
            out.push((ino, kind, name));
            at += reclen;
        }
    }
    out
}

#[test]
fn getdents64_pages_through_500_entries() {
    let mut t = TestEnv::new();
    assert_eq!(call_path(&mut t, nr::MKDIR, "/big", &[0o755]), 0);
    for i in 0..500 {
        let fd = t.open(&format!("/big/file-{i:03}"), O_CREAT | O_WRONLY);
        t.call(nr::CLOSE, &[fd as u64]);
    }
    let fd = t.open("/big", O_RDONLY | O_DIRECTORY);
    // 64 bytes hold two of these records at most.
    let ents = list_dir(&mut t, fd, 64);
    assert_eq!(ents.len(), 502);
    assert_eq!(ents[0].2, b".");
    assert_eq!(ents[1].2, b"..");
    let mut names: Vec<_> = ents[2..]
        .iter()
        .map(|e| String::from_utf8(e.2.clone()).unwrap())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 500);
    assert!(ents[2..].iter().all(|e| e.1 == DT_REG && e.0 > 0));
    let ino = stat_of(&mut t, "/big/file-007", false).unwrap().ino;
    assert!(ents.iter().any(|e| e.2 == b"file-007" && e.0 == ino));
    // At the end it stays at the end; rewinding starts over.
    let buf = t.alloc(4096);
    assert_eq!(t.call(nr::GETDENTS64, &[fd as u64, buf, 4096]), 0);
    assert_eq!(t.call(nr::LSEEK, &[fd as u64, 0, SEEK_SET as u64]), 0);
    assert_eq!(list_dir(&mut t, fd, 32768).len(), 502);
    // d_off is the index of the next entry.
    t.call(nr::LSEEK, &[fd as u64, 0, SEEK_SET as u64]);
    assert_eq!(t.call(nr::GETDENTS64, &[fd as u64, buf, 24]), 24);
    assert_eq!(t.read_u64(buf + 8), 1);
    // Too small for one entry, not a directory, not a descriptor.
    assert_eq!(
        t.call(nr::GETDENTS64, &[fd as u64, buf, 10]),
        err(Errno::EINVAL)
    );
    let f = t.open("/big/file-001", O_RDONLY);
    assert_eq!(
        t.call(nr::GETDENTS64, &[f as u64, buf, 4096]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(t.call(nr::GETDENTS64, &[99, buf, 4096]), err(Errno::EBADF));
    assert_eq!(
        t.call(nr::GETDENTS64, &[fd as u64, 0, 4096]),
        err(Errno::EFAULT)
    );
}

#[test]
fn getdents64_on_dev_and_tmp() {
    let mut t = TestEnv::new();
    let fd = t.open("/dev", O_RDONLY | O_DIRECTORY);
    let names: Vec<_> = list_dir(&mut t, fd, 256)
        .into_iter()
        .map(|e| (e.2, e.1))
        .collect();
    assert!(names.contains(&(b"null".to_vec(), DT_CHR)));
    t.write_file("/tmp/x", b"");
    let fd = t.open("/tmp", O_RDONLY | O_DIRECTORY);
    assert_eq!(list_dir(&mut t, fd, 1024).len(), 3);
}

#[test]
fn mkdir_rmdir_unlink() {
    let mut t = TestEnv::new();
    assert_eq!(call_path(&mut t, nr::MKDIR, "/d", &[0o755]), 0);
    assert_eq!(
        call_path(&mut t, nr::MKDIR, "/d", &[0o755]),
        err(Errno::EEXIST)
    );
    assert_eq!(
        call_path(&mut t, nr::MKDIR, "/tmp", &[0o755]),
        err(Errno::EEXIST)
    );
    assert_eq!(
        call_path(&mut t, nr::MKDIR, "/", &[0o755]),
        err(Errno::EEXIST)
    );
    t.write_file("/d/f", b"");
    assert_eq!(
        call_path(&mut t, nr::RMDIR, "/d", &[]),
        err(Errno::ENOTEMPTY)
    );
    assert_eq!(
        call_path(&mut t, nr::RMDIR, "/d/f", &[]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(&mut t, nr::RMDIR, "/d/.", &[]),
        err(Errno::EINVAL)
    );
    assert_eq!(
        call_path(&mut t, nr::RMDIR, "/d/..", &[]),
        err(Errno::ENOTEMPTY)
    );
    assert_eq!(call_path(&mut t, nr::RMDIR, "/tmp", &[]), err(Errno::EBUSY));
    assert_eq!(call_path(&mut t, nr::UNLINK, "/d", &[]), err(Errno::EISDIR));
    assert_eq!(
        call_path(&mut t, nr::UNLINK, "/d/f/", &[]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(&mut t, nr::UNLINK, "/d/nope", &[]),
        err(Errno::ENOENT)
    );
    assert_eq!(call_path(&mut t, nr::UNLINK, "/d/f", &[]), 0);
    assert_eq!(call_path(&mut t, nr::RMDIR, "/d/", &[]), 0);
    assert_eq!(stat_of(&mut t, "/d", false), Err(err(Errno::ENOENT)));
    // unlinkat with and without AT_REMOVEDIR.
    assert_eq!(call_path(&mut t, nr::MKDIR, "/e", &[0o755]), 0);
    let p = t.cstr("/e");
    assert_eq!(t.call(nr::UNLINKAT, &[CWD, p, 0]), err(Errno::EISDIR));
    assert_eq!(t.call(nr::UNLINKAT, &[CWD, p, 0x1]), err(Errno::EINVAL));
    assert_eq!(t.call(nr::UNLINKAT, &[CWD, p, AT_REMOVEDIR as u64]), 0);
    // mkdirat relative to a directory fd.
    let root = t.open("/", O_RDONLY | O_DIRECTORY);
    let rel = t.cstr("sub");
    assert_eq!(t.call(nr::MKDIRAT, &[root as u64, rel, 0o700]), 0);
    assert_eq!(
        stat_of(&mut t, "/sub", false).unwrap().mode,
        S_IFDIR | 0o700
    );
}

#[test]
fn rename_family() {
    let mut t = TestEnv::new();
    t.write_file("/a", b"A");
    t.write_file("/b", b"B");
    assert_eq!(call_path(&mut t, nr::MKDIR, "/d", &[0o755]), 0);
    assert_eq!(call_path(&mut t, nr::MKDIR, "/e", &[0o755]), 0);
    t.write_file("/e/x", b"");
    let (a, b, d, e) = (t.cstr("/a"), t.cstr("/b"), t.cstr("/d"), t.cstr("/e"));
    assert_eq!(t.call(nr::RENAME, &[a, b]), 0);
    assert_eq!(t.read_file("/b"), b"A");
    assert_eq!(t.call(nr::RENAME, &[a, b]), err(Errno::ENOENT));
    assert_eq!(t.call(nr::RENAME, &[b, d]), err(Errno::EISDIR));
    assert_eq!(t.call(nr::RENAME, &[d, b]), err(Errno::ENOTDIR));
    assert_eq!(t.call(nr::RENAME, &[d, e]), err(Errno::ENOTEMPTY));
    let inner = t.cstr("/d/inner");
    assert_eq!(t.call(nr::RENAME, &[d, inner]), err(Errno::EINVAL));
    // Across mounts.
    let tmpb = t.cstr("/tmp/b");
    assert_eq!(t.call(nr::RENAME, &[b, tmpb]), err(Errno::EXDEV));
    let tmp = t.cstr("/tmp");
    assert_eq!(t.call(nr::RENAME, &[tmp, d]), err(Errno::EBUSY));
    // renameat / renameat2.
    let dfd = t.open("/d", O_RDONLY | O_DIRECTORY);
    let rel = t.cstr("moved");
    assert_eq!(
        t.call(nr::RENAMEAT2, &[CWD, b, dfd as u64, rel, 1]),
        err(Errno::EINVAL)
    );
    assert_eq!(t.call(nr::RENAMEAT2, &[CWD, b, dfd as u64, rel, 0]), 0);
    assert_eq!(t.read_file("/d/moved"), b"A");
    assert_eq!(t.call(nr::RENAMEAT, &[dfd as u64, rel, CWD, a]), 0);
    assert_eq!(t.read_file("/a"), b"A");
}

#[test]
fn links_and_symlinks() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"data");
    let (f, g) = (t.cstr("/f"), t.cstr("/g"));
    assert_eq!(t.call(nr::LINK, &[f, g]), 0);
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().nlink, 2);
    assert_eq!(t.call(nr::LINK, &[f, g]), err(Errno::EEXIST));
    let tmpg = t.cstr("/tmp/g");
    assert_eq!(t.call(nr::LINK, &[f, tmpg]), err(Errno::EXDEV));
    // symlink + readlink, truncated to the buffer, never NUL-terminated.
    let (target, l) = (t.cstr("f"), t.cstr("/l"));
    assert_eq!(t.call(nr::SYMLINK, &[target, l]), 0);
    assert_eq!(t.call(nr::SYMLINK, &[target, l]), err(Errno::EEXIST));
    let buf = t.alloc(16);
    t.mem.bytes[buf as usize..buf as usize + 16].fill(b'#');
    assert_eq!(t.call(nr::READLINK, &[l, buf, 16]), 1);
    assert_eq!(t.read(buf, 2), b"f#");
    let long_target = t.cstr("some/long/target");
    let l2 = t.cstr("/l2");
    assert_eq!(t.call(nr::SYMLINK, &[long_target, l2]), 0);
    assert_eq!(t.call(nr::READLINK, &[l2, buf, 4]), 4);
    assert_eq!(t.read(buf, 4), b"some");
    assert_eq!(t.call(nr::READLINK, &[f, buf, 16]), err(Errno::EINVAL));
    assert_eq!(t.call(nr::READLINK, &[l, buf, 0]), err(Errno::EINVAL));
    let root = t.open("/", O_RDONLY | O_DIRECTORY);
    let rel = t.cstr("l");
    assert_eq!(t.call(nr::READLINKAT, &[root as u64, rel, buf, 16]), 1);
    // symlinkat relative to a directory fd; empty targets are ENOENT.
    let rel2 = t.cstr("l3");
    assert_eq!(t.call(nr::SYMLINKAT, &[target, root as u64, rel2]), 0);
    let empty = t.cstr("");
    assert_eq!(
        t.call(nr::SYMLINKAT, &[empty, root as u64, rel]),
        err(Errno::ENOENT)
    );
    // linkat: a symlink itself by default, its target with AT_SYMLINK_FOLLOW.
    let (h1, h2) = (t.cstr("/h1"), t.cstr("/h2"));
    assert_eq!(t.call(nr::LINKAT, &[CWD, l, CWD, h1, 0]), 0);
    assert_eq!(stat_of(&mut t, "/h1", true).unwrap().mode & S_IFMT, S_IFLNK);
    assert_eq!(
        t.call(nr::LINKAT, &[CWD, l, CWD, h2, AT_SYMLINK_FOLLOW as u64]),
        0
    );
    assert_eq!(
        stat_of(&mut t, "/h2", true).unwrap().ino,
        stat_of(&mut t, "/f", false).unwrap().ino
    );
    assert_eq!(
        t.call(nr::LINKAT, &[CWD, l, CWD, h2, 0x1]),
        err(Errno::EINVAL)
    );
    // Symlinks across mounts work by name.
    let (abs, tl) = (t.cstr("/f"), t.cstr("/tmp/tolower"));
    assert_eq!(t.call(nr::SYMLINK, &[abs, tl]), 0);
    assert_eq!(t.call(nr::READLINK, &[tl, buf, 16]), 2);
    assert_eq!(t.read_file("/tmp/tolower"), b"data");
}

#[test]
fn cwd_calls() {
    let mut t = TestEnv::new();
    let buf = t.alloc(64);
    assert_eq!(t.call(nr::GETCWD, &[buf, 64]), 2);
    assert_eq!(t.read(buf, 2), b"/\0");
    assert_eq!(call_path(&mut t, nr::MKDIR, "/a", &[0o755]), 0);
    assert_eq!(call_path(&mut t, nr::MKDIR, "/a/b", &[0o755]), 0);
    assert_eq!(call_path(&mut t, nr::CHDIR, "/a/b", &[]), 0);
    assert_eq!(t.call(nr::GETCWD, &[buf, 64]), 5);
    assert_eq!(t.read(buf, 5), b"/a/b\0");
    assert_eq!(t.call(nr::GETCWD, &[buf, 4]), err(Errno::ERANGE));
    assert_eq!(t.call(nr::GETCWD, &[buf, 5]), 5);
    assert_eq!(call_path(&mut t, nr::CHDIR, "..", &[]), 0);
    assert_eq!(t.call(nr::GETCWD, &[buf, 64]), 3);
    t.write_file("/a/file", b"");
    assert_eq!(
        call_path(&mut t, nr::CHDIR, "file", &[]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(&mut t, nr::CHDIR, "nope", &[]),
        err(Errno::ENOENT)
    );
    // No search permission.
    assert_eq!(call_path(&mut t, nr::MKDIR, "/a/locked", &[0o600]), 0);
    assert_eq!(
        call_path(&mut t, nr::CHDIR, "/a/locked", &[]),
        err(Errno::EACCES)
    );
    // fchdir.
    let fd = t.open("/tmp", O_RDONLY | O_DIRECTORY);
    assert_eq!(t.call(nr::FCHDIR, &[fd as u64]), 0);
    assert_eq!(t.call(nr::GETCWD, &[buf, 64]), 5);
    assert_eq!(t.read(buf, 5), b"/tmp\0");
    let f = t.open("/a/file", O_RDONLY);
    assert_eq!(t.call(nr::FCHDIR, &[f as u64]), err(Errno::ENOTDIR));
    assert_eq!(t.call(nr::FCHDIR, &[99]), err(Errno::EBADF));
    assert_eq!(t.call(nr::FCHDIR, &[0]), err(Errno::ENOTDIR));
}

#[test]
fn truncate_and_modes() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"0123456789");
    let p = t.cstr("/f");
    assert_eq!(t.call(nr::TRUNCATE, &[p, 4]), 0);
    assert_eq!(t.read_file("/f"), b"0123");
    assert_eq!(t.call(nr::TRUNCATE, &[p, u64::MAX]), err(Errno::EINVAL));
    let d = t.cstr("/tmp");
    assert_eq!(t.call(nr::TRUNCATE, &[d, 0]), err(Errno::EISDIR));
    assert_eq!(t.call(nr::CHMOD, &[p, 0o400]), 0);
    assert_eq!(t.call(nr::TRUNCATE, &[p, 0]), err(Errno::EACCES));
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().mode, S_IFREG | 0o400);
    let fd = t.open("/f", O_RDONLY);
    assert_eq!(t.call(nr::FCHMOD, &[fd as u64, 0o4640]), 0);
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().mode, S_IFREG | 0o4640);
    let root = t.open("/", O_RDONLY);
    let rel = t.cstr("f");
    assert_eq!(t.call(nr::FCHMODAT, &[root as u64, rel, 0o644]), 0);
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().mode, S_IFREG | 0o644);
    // Not the owner: EPERM. /tmp belongs to root.
    assert_eq!(t.call(nr::CHMOD, &[d, 0o777]), err(Errno::EPERM));
    // set-group-ID drops when the caller is not in the group.
    t.write_file("/tmp/mine", b"");
    let m = t.cstr("/tmp/mine");
    assert_eq!(t.call(nr::CHMOD, &[m, 0o2755]), 0);
    assert_eq!(
        stat_of(&mut t, "/tmp/mine", false).unwrap().mode,
        S_IFREG | 0o2755
    );
    t.cage.cred.lock().groups = vec![];
    t.cage.cred.lock().egid = 4242;
    assert_eq!(t.call(nr::CHMOD, &[m, 0o2755]), 0);
    assert_eq!(
        stat_of(&mut t, "/tmp/mine", false).unwrap().mode,
        S_IFREG | 0o755
    );
}

#[test]
fn chown_rules() {
    let mut t = TestEnv::new();
    t.cage.cred.lock().groups = vec![TEST_UID, 77];
    t.write_file("/f", b"");
    let p = t.cstr("/f");
    let none = u32::MAX as u64;
    assert_eq!(t.call(nr::CHOWN, &[p, none, none]), 0);
    assert_eq!(t.call(nr::CHOWN, &[p, TEST_UID as u64, none]), 0);
    assert_eq!(t.call(nr::CHOWN, &[p, 0, none]), err(Errno::EPERM));
    assert_eq!(t.call(nr::CHOWN, &[p, none, 77]), 0);
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().gid, 77);
    assert_eq!(t.call(nr::CHOWN, &[p, none, 78]), err(Errno::EPERM));
    // The 64-bit widened -1 counts too.
    assert_eq!(t.call(nr::CHOWN, &[p, u64::MAX, u64::MAX]), 0);
    let fd = t.open("/f", O_RDONLY);
    assert_eq!(t.call(nr::FCHOWN, &[fd as u64, none, TEST_UID as u64]), 0);
    assert_eq!(t.call(nr::FCHOWN, &[fd as u64, 5, none]), err(Errno::EPERM));
    let tmp = t.cstr("/tmp");
    assert_eq!(
        t.call(nr::CHOWN, &[tmp, none, TEST_UID as u64]),
        err(Errno::EPERM)
    );
    // lchown and fchownat(AT_SYMLINK_NOFOLLOW) change the link.
    let (target, l) = (t.cstr("f"), t.cstr("/l"));
    t.call(nr::SYMLINK, &[target, l]);
    assert_eq!(t.call(nr::LCHOWN, &[l, none, 77]), 0);
    assert_eq!(stat_of(&mut t, "/l", true).unwrap().gid, 77);
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().gid, TEST_UID);
    assert_eq!(
        t.call(
            nr::FCHOWNAT,
            &[CWD, l, none, TEST_UID as u64, AT_SYMLINK_NOFOLLOW as u64]
        ),
        0
    );
    assert_eq!(stat_of(&mut t, "/l", true).unwrap().gid, TEST_UID);
    assert_eq!(
        t.call(nr::FCHOWNAT, &[CWD, l, none, none, 0x1]),
        err(Errno::EINVAL)
    );
    // Root may give files away.
    let mut r = TestEnv::with_cred(Cred::new(0, 0));
    r.write_file("/f", b"");
    let p = r.cstr("/f");
    assert_eq!(r.call(nr::CHOWN, &[p, 123, 456]), 0);
    let st = stat_of(&mut r, "/f", false).unwrap();
    assert_eq!((st.uid, st.gid), (123, 456));
}

#[test]
fn utimensat_rules() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"");
    let p = t.cstr("/f");
    let ts = |t: &mut TestEnv, a: (i64, i64), m: (i64, i64)| {
        let mut b = Vec::new();
        for (s, n) in [a, m] {
            b.extend_from_slice(&lind_abi::layout::Timespec { sec: s, nsec: n }.to_bytes());
        }
        t.put(&b)
    };
    let times = ts(&mut t, (100, 5), (200, 6));
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, p, times, 0]), 0);
    let st = stat_of(&mut t, "/f", false).unwrap();
    assert_eq!(
        (st.atime.sec, st.atime.nsec, st.mtime.sec, st.mtime.nsec),
        (100, 5, 200, 6)
    );
    t.host.sleep(std::time::Duration::from_secs(10)).unwrap();
    let omit_now = ts(&mut t, (0, UTIME_OMIT), (0, UTIME_NOW));
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, p, omit_now, 0]), 0);
    let st = stat_of(&mut t, "/f", false).unwrap();
    assert_eq!((st.atime.sec, st.mtime.sec), (100, 1_700_000_010));
    // NULL times: both now.
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, p, 0, 0]), 0);
    assert_eq!(
        stat_of(&mut t, "/f", false).unwrap().atime.sec,
        1_700_000_010
    );
    let bad = ts(&mut t, (0, 1_000_000_000), (0, 0));
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, p, bad, 0]), err(Errno::EINVAL));
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, p, 0, 0x1]), err(Errno::EINVAL));
    // NULL path: the descriptor (futimens).
    let fd = t.open("/f", O_RDONLY);
    assert_eq!(t.call(nr::UTIMENSAT, &[fd as u64, 0, times, 0]), 0);
    assert_eq!(stat_of(&mut t, "/f", false).unwrap().mtime.sec, 200);
    assert_eq!(
        t.call(nr::UTIMENSAT, &[CWD, 0, times, 0]),
        err(Errno::EFAULT)
    );
    assert_eq!(
        t.call(
            nr::UTIMENSAT,
            &[fd as u64, 0, times, AT_SYMLINK_NOFOLLOW as u64]
        ),
        err(Errno::EINVAL)
    );
    // Not the owner: explicit times EPERM; "now" needs write permission.
    let tmp = t.cstr("/tmp");
    assert_eq!(
        t.call(nr::UTIMENSAT, &[CWD, tmp, times, 0]),
        err(Errno::EPERM)
    );
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, tmp, 0, 0]), 0);
    let dev = t.cstr("/dev");
    assert_eq!(t.call(nr::UTIMENSAT, &[CWD, dev, 0, 0]), err(Errno::EACCES));
}

#[test]
fn dev_null_zero_through_syscalls() {
    let mut t = TestEnv::new();
    let null = t.open("/dev/null", O_RDWR);
    assert_eq!(t.write_fd(null, b"x"), 1);
    assert_eq!(t.read_fd(null, 10).unwrap(), b"");
    let zero = t.open("/dev/zero", O_RDONLY);
    assert_eq!(t.read_fd(zero, 5).unwrap(), [0; 5]);
    let full = t.open("/dev/full", O_WRONLY);
    assert_eq!(t.write_fd(full, b"x"), err(Errno::ENOSPC));
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/dev/tty", &[O_RDWR as u64]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        call_path(&mut t, nr::UNLINK, "/dev/null", &[]),
        err(Errno::EROFS)
    );
}

#[test]
fn sticky_tmp_between_users() {
    let host = Arc::new(FakeHost::new());
    let vfs = crate::testing::test_vfs(host.clone(), &Cred::new(0, 0));
    let mut alice = TestEnv::with_vfs(host, vfs, Cred::new(1000, 1000));
    alice.write_file("/tmp/alice", b"");
    *alice.cage.cred.lock() = Cred::new(1001, 1001);
    assert_eq!(
        call_path(&mut alice, nr::UNLINK, "/tmp/alice", &[]),
        err(Errno::EPERM)
    );
    assert_eq!(
        call_path(&mut alice, nr::OPEN, "/tmp/alice", &[O_WRONLY as u64]),
        err(Errno::EACCES)
    );
    assert_eq!(
        call_path(
            &mut alice,
            nr::OPEN,
            "/newfile",
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::EACCES)
    );
}

#[test]
fn hostfs_root_through_syscalls() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("secret"), b"s").unwrap();
    let root = tmp.path().join("root");
    std::fs::create_dir(&root).unwrap();
    std::os::unix::fs::symlink("../secret", root.join("esc")).unwrap();
    std::os::unix::fs::symlink("/", root.join("slash")).unwrap();
    let mut t = TestEnv::with_host_root(&root);
    t.write_file("/hello", b"hi");
    assert_eq!(std::fs::read(root.join("hello")).unwrap(), b"hi");
    assert_eq!(t.read_file("/hello"), b"hi");
    // `..` above the root stays at the root.
    assert_eq!(t.read_file("/../../hello"), b"hi");
    // Symlinks leaving the host directory resolve as under chroot: inside
    // the cage's tree, never the host's.
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/esc", &[O_RDONLY as u64]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/slash/etc/passwd", &[O_RDONLY as u64]),
        err(Errno::ENOENT)
    );
    assert_eq!(t.read_file("/slash/hello"), b"hi");
    t.write_file("/secret", b"the cage's own");
    assert_eq!(t.read_file("/esc"), b"the cage's own");
    assert_eq!(std::fs::read(tmp.path().join("secret")).unwrap(), b"s");
    // Writing through an escaping link writes inside.
    t.write_file("/slash/made", b"m");
    assert!(root.join("made").exists());
    // Absolute links reach other mounts, and the cwd follows them.
    std::os::unix::fs::symlink("/tmp", root.join("tmplink")).unwrap();
    t.write_file("/tmplink/via", b"v");
    assert_eq!(t.read_file("/tmp/via"), b"v");
    assert_eq!(call_path(&mut t, nr::CHDIR, "/slash", &[]), 0);
    assert_eq!(getcwd_str(&mut t), "/");
    assert_eq!(call_path(&mut t, nr::CHDIR, "/tmplink", &[]), 0);
    assert_eq!(getcwd_str(&mut t), "/tmp");
    assert_eq!(call_path(&mut t, nr::CHDIR, "/", &[]), 0);
    // stat, lstat, readlink, mkdir, unlink through such links.
    assert_eq!(
        stat_of(&mut t, "/slash", false).unwrap().mode & S_IFMT,
        S_IFDIR
    );
    assert_eq!(
        stat_of(&mut t, "/slash", true).unwrap().mode & S_IFMT,
        S_IFLNK
    );
    assert_eq!(stat_of(&mut t, "/tmplink/via", false).unwrap().size, 1);
    assert_eq!(call_path(&mut t, nr::MKDIR, "/slash/newdir", &[0o755]), 0);
    assert!(root.join("newdir").is_dir());
    assert_eq!(call_path(&mut t, nr::UNLINK, "/slash/made", &[]), 0);
    assert!(!root.join("made").exists());
    let buf = t.alloc(64);
    let p = t.cstr("/slash/slash");
    assert_eq!(t.call(nr::READLINK, &[p, buf, 64]), 1);
    // A real permission error stays one.
    std::fs::create_dir(root.join("locked")).unwrap();
    std::fs::write(root.join("locked/f"), b"").unwrap();
    std::fs::set_permissions(
        root.join("locked/f"),
        std::os::unix::fs::PermissionsExt::from_mode(0o000),
    )
    .unwrap();
    if !t.cage.cred().is_root() {
        assert_eq!(
            call_path(&mut t, nr::OPEN, "/locked/f", &[O_RDONLY as u64]),
            err(Errno::EACCES)
        );
    }
    std::fs::remove_file(root.join("locked/f")).unwrap();
    std::fs::remove_dir(root.join("locked")).unwrap();
    // /tmp and /dev are the kernel's, not the host's.
    t.write_file("/tmp/t", b"");
    assert!(!root.join("tmp").exists());
    let n = t.open("/dev/null", O_WRONLY);
    assert_eq!(t.write_fd(n, b"x"), 1);
    let fd = t.open("/", O_RDONLY | O_DIRECTORY);
    let mut names: Vec<_> = list_dir(&mut t, fd, 512).into_iter().map(|e| e.2).collect();
    names.sort();
    assert_eq!(
        names,
        [
            &b"."[..],
            b"..",
            b"esc",
            b"hello",
            b"newdir",
            b"secret",
            b"slash",
            b"tmplink"
        ]
    );
    // rename across the mount boundary.
    let (a, b) = (t.cstr("/hello"), t.cstr("/tmp/hello"));
    assert_eq!(t.call(nr::RENAME, &[a, b]), err(Errno::EXDEV));
}

#[test]
fn read_only_mount_through_syscalls() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("data")).unwrap();
    std::fs::write(tmp.path().join("data/x"), b"ro").unwrap();
    let open = |p: &std::path::Path| {
        cap_std::fs::Dir::open_ambient_dir(p, cap_std::ambient_authority()).unwrap()
    };
    let host = Arc::new(FakeHost::new());
    let mounts = vec![(b"/data".to_vec(), open(&tmp.path().join("data")), true)];
    let vfs = vfs::standard_vfs(open(tmp.path()), mounts, host.clone(), false);
    let mut t = TestEnv::with_vfs(host, vfs, Cred::from_host());
    assert_eq!(t.read_file("/data/x"), b"ro");
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/data/x", &[O_WRONLY as u64]),
        err(Errno::EROFS)
    );
    assert_eq!(
        call_path(
            &mut t,
            nr::OPEN,
            "/data/y",
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ),
        err(Errno::EROFS)
    );
    assert_eq!(
        call_path(&mut t, nr::UNLINK, "/data/x", &[]),
        err(Errno::EROFS)
    );
    assert_eq!(
        call_path(&mut t, nr::MKDIR, "/data/d", &[0o755]),
        err(Errno::EROFS)
    );
    assert_eq!(stat_of(&mut t, "/data/x", false).unwrap().size, 2);
}

/// Rough per-call costs (`cargo test -p lind-kernel --release --lib -- --ignored --nocapture fs_costs`).
#[test]
#[ignore]
fn fs_costs() {
    fn time(label: &str, n: u32, mut f: impl FnMut()) {
        let start = std::time::Instant::now();
        for _ in 0..n {
            f();
        }
        println!("{label}: {:?}/call", start.elapsed() / n);
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("f"), b"x").unwrap();
    let dir = cap_std::fs::Dir::open_ambient_dir(tmp.path(), cap_std::ambient_authority()).unwrap();
    let host = Arc::new(FakeHost::new());
    let vfs = vfs::standard_vfs(dir, Vec::new(), host.clone(), false);
    let mut t = TestEnv::with_vfs(host, vfs, Cred::from_host());
    let null = t.open("/dev/null", O_WRONLY) as u64;
    let buf = t.put(b"x");
    time("write 1 byte to /dev/null", 1_000_000, || {
        assert_eq!(t.call(nr::WRITE, &[null, buf, 1]), 1)
    });
    t.write_file("/tmp/m", b"x");
    for path in ["/f", "/tmp/m"] {
        let p = t.cstr(path);
        time(&format!("open+close {path}"), 100_000, || {
            let fd = t.call(nr::OPEN, &[p, O_RDONLY as u64]);
            t.call(nr::CLOSE, &[fd as u64]);
        });
        let sb = t.alloc(144);
        time(&format!("stat {path}"), 100_000, || {
            assert_eq!(t.call(nr::STAT, &[p, sb]), 0)
        });
        let fd = t.call(nr::OPEN, &[p, O_RDONLY as u64]) as u64;
        time(&format!("pread 1 byte {path}"), 100_000, || {
            assert_eq!(t.call(nr::PREAD64, &[fd, sb, 1, 0]), 1)
        });
    }
}

#[test]
fn open_path_and_stat_path_for_other_families() {
    let mut t = TestEnv::new();
    t.write_file("/f", b"abc");
    let f = super::open_path(&t.kernel, &t.cage, AT_FDCWD, b"/f", O_RDONLY, 0).unwrap();
    assert_eq!(f.path.as_deref(), Some(&b"/f"[..]));
    let mut buf = [0u8; 3];
    assert_eq!(f.read(&mut buf), Ok(3));
    assert_eq!(&buf, b"abc");
    let st = super::stat_path(&t.kernel, &t.cage, AT_FDCWD, b"f", true).unwrap();
    assert_eq!(st.size, 3);
    assert_eq!(
        super::stat_path(&t.kernel, &t.cage, AT_FDCWD, b"/f/", true),
        Err(Errno::ENOTDIR)
    );
    // No descriptor was taken.
    assert_eq!(t.call(nr::CLOSE, &[3]), err(Errno::EBADF));
}

fn getcwd_str(t: &mut TestEnv) -> String {
    let buf = t.alloc(4096);
    let n = t.call(nr::GETCWD, &[buf, 4096]);
    assert!(n > 0);
    String::from_utf8(t.read(buf, n as usize - 1)).unwrap()
}

#[test]
fn cwd_is_physical_and_dotdot_follows_symlinks() {
    let mut t = TestEnv::new();
    for d in ["/outer", "/outer/inner", "/other"] {
        assert_eq!(call_path(&mut t, nr::MKDIR, d, &[0o755]), 0);
    }
    t.write_file("/outer/here.txt", b"H");
    let (target, link) = (t.cstr("outer/inner"), t.cstr("/shortcut"));
    assert_eq!(t.call(nr::SYMLINK, &[target, link]), 0);
    assert_eq!(call_path(&mut t, nr::CHDIR, "shortcut", &[]), 0);
    assert_eq!(getcwd_str(&mut t), "/outer/inner");
    assert_eq!(call_path(&mut t, nr::CHDIR, "..", &[]), 0);
    assert_eq!(getcwd_str(&mut t), "/outer");
    assert_eq!(call_path(&mut t, nr::ACCESS, "here.txt", &[F_OK as u64]), 0);
    // `link/..` is the parent of the link's target, in any call.
    assert_eq!(t.read_file("/shortcut/../here.txt"), b"H");
    assert_eq!(
        stat_of(&mut t, "/shortcut/..", false).unwrap().ino,
        stat_of(&mut t, "/outer", false).unwrap().ino
    );
    // Through a directory fd opened by the link's name.
    let dfd = t.open("/shortcut", O_RDONLY | O_DIRECTORY);
    let rel = t.cstr("../here.txt");
    assert!(t.call(nr::OPENAT, &[dfd as u64, rel, O_RDONLY as u64]) > 0);
    // fchdir by that fd lands on the target too.
    assert_eq!(t.call(nr::FCHDIR, &[dfd as u64]), 0);
    assert_eq!(getcwd_str(&mut t), "/outer/inner");
    // Absolute symlinks across mounts, in a walk.
    let (abs, tl) = (t.cstr("/other"), t.cstr("/tmp/to_other"));
    assert_eq!(t.call(nr::SYMLINK, &[abs, tl]), 0);
    assert_eq!(call_path(&mut t, nr::CHDIR, "/tmp/to_other", &[]), 0);
    assert_eq!(getcwd_str(&mut t), "/other");
    assert_eq!(t.read_file("/tmp/to_other/../outer/here.txt"), b"H");
    // Errors of a physical walk.
    let (a, b) = (t.cstr("/loop_b"), t.cstr("/loop_a"));
    assert_eq!(t.call(nr::SYMLINK, &[a, b]), 0);
    let (a, b) = (t.cstr("/loop_a"), t.cstr("/loop_b"));
    assert_eq!(t.call(nr::SYMLINK, &[a, b]), 0);
    assert_eq!(
        call_path(&mut t, nr::CHDIR, "/loop_a", &[]),
        err(Errno::ELOOP)
    );
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/loop_a/../x", &[0]),
        err(Errno::ELOOP)
    );
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/missing/../outer/here.txt", &[0]),
        err(Errno::ENOENT)
    );
    assert_eq!(
        call_path(&mut t, nr::OPEN, "/outer/here.txt/../x", &[0]),
        err(Errno::ENOTDIR)
    );
    assert_eq!(
        call_path(&mut t, nr::CHDIR, "/outer/here.txt", &[]),
        err(Errno::ENOTDIR)
    );
    // A new name after `..` is fine.
    assert!(
        call_path(
            &mut t,
            nr::OPEN,
            "/shortcut/../new",
            &[(O_CREAT | O_WRONLY) as u64, 0o644]
        ) > 0
    );
    assert_eq!(stat_of(&mut t, "/outer/new", false).unwrap().size, 0);
    // `..` never climbs above the root.
    assert_eq!(
        call_path(&mut t, nr::CHDIR, "/shortcut/../../../..", &[]),
        0
    );
    assert_eq!(getcwd_str(&mut t), "/");
}

#[test]
fn linkat_follow_goes_through_symlinks_across_dirs() {
    let mut t = TestEnv::new();
    assert_eq!(call_path(&mut t, nr::MKDIR, "/d", &[0o755]), 0);
    t.write_file("/d/f", b"x");
    let (target, l) = (t.cstr("d/f"), t.cstr("/l"));
    assert_eq!(t.call(nr::SYMLINK, &[target, l]), 0);
    let h = t.cstr("/h");
    assert_eq!(
        t.call(nr::LINKAT, &[CWD, l, CWD, h, AT_SYMLINK_FOLLOW as u64]),
        0
    );
    assert_eq!(
        stat_of(&mut t, "/h", true).unwrap().ino,
        stat_of(&mut t, "/d/f", false).unwrap().ino
    );
}

#[test]
fn fcntl_pipe_size_on_pipes_only() {
    let mut t = TestEnv::new();
    let fds = t.alloc(8);
    assert_eq!(t.call(nr::PIPE2, &[fds, 0]), 0);
    let (r, w) = (t.read_u32(fds) as u64, t.read_u32(fds + 4) as u64);
    assert_eq!(t.call(nr::FCNTL, &[r, F_GETPIPE_SZ as u64]), 65536);
    assert_eq!(t.call(nr::FCNTL, &[w, F_SETPIPE_SZ as u64, 5000]), 8192);
    assert_eq!(t.call(nr::FCNTL, &[r, F_GETPIPE_SZ as u64]), 8192);
    // The argument is an unsigned int: -1 is 4 GiB, too big.
    assert_eq!(
        t.call(nr::FCNTL, &[w, F_SETPIPE_SZ as u64, u32::MAX as u64]),
        err(Errno::EINVAL)
    );
    t.write_file("/f", b"x");
    let f = t.open("/f", O_RDONLY) as u64;
    assert_eq!(
        t.call(nr::FCNTL, &[f, F_GETPIPE_SZ as u64]),
        err(Errno::EBADF)
    );
    assert_eq!(
        t.call(nr::FCNTL, &[f, F_SETPIPE_SZ as u64, 4096]),
        err(Errno::EBADF)
    );
}

#[test]
fn fallocate_grows_memfs_files_and_checks_like_linux() {
    let mut t = TestEnv::new();
    let fd = t.open("/tmp/f", O_CREAT | O_RDWR) as u64;
    assert_eq!(t.call(nr::FALLOCATE, &[fd, 0, 100, 50]), 0);
    assert_eq!(stat_of(&mut t, "/tmp/f", false).unwrap().size, 150);
    // Inside the file, or with FALLOC_FL_KEEP_SIZE: the size stays.
    assert_eq!(t.call(nr::FALLOCATE, &[fd, 0, 0, 10]), 0);
    assert_eq!(t.call(nr::FALLOCATE, &[fd, 1, 0, 4096]), 0);
    assert_eq!(stat_of(&mut t, "/tmp/f", false).unwrap().size, 150);
    // Hole punching is not memfs's.
    assert_eq!(
        t.call(nr::FALLOCATE, &[fd, 3, 0, 10]),
        err(Errno::EOPNOTSUPP)
    );
    assert_eq!(t.call(nr::FALLOCATE, &[fd, 0, 0, 0]), err(Errno::EINVAL));
    let ro = t.open("/tmp/f", O_RDONLY) as u64;
    assert_eq!(t.call(nr::FALLOCATE, &[ro, 0, 0, 10]), err(Errno::EBADF));
    let dir = t.open("/tmp", O_RDONLY | O_DIRECTORY) as u64;
    assert_eq!(t.call(nr::FADVISE64, &[dir, 0, 10, 0]), 0);
    assert_eq!(t.call(nr::FADVISE64, &[fd, 0, 10, 6]), err(Errno::EINVAL));
    assert_eq!(t.call(nr::FADVISE64, &[77, 0, 10, 0]), err(Errno::EBADF));
}
