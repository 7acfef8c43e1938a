//! lighttpd (Debian's 1.4.69, built by programs/lighttpd/build.sh with `lind cc`) in a
//! cage, serving a static directory of the cage's root on 127.0.0.1 through its epoll
//! loop, driven from the host by many concurrent clients whose every response byte is
//! checked; busybox's wget in a second cage as a real client; lighttpd's own unit
//! tests under Lind and natively.
//!
//! Needs `programs/build.sh lighttpd busybox` (./test.sh runs it first). When lighttpd
//! was not built each test says so on stderr and passes without checking anything.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[allow(dead_code)] // this file uses a few of the harnesses' helpers
mod support;

const CLIENTS: usize = 200;
const REQUESTS_PER_CLIENT: usize = 10;
/// How long anything (start-up, one response, shutdown) may take on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

fn repo() -> PathBuf {
    let r = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    r.canonicalize().unwrap_or(r)
}

fn programs() -> PathBuf {
    repo().join("build/programs")
}

/// Whether `programs/<name>/build.sh` has run; if not, says so (the test then passes
/// vacuously, as the programs suite ignores unbuilt programs).
fn built(name: &str) -> bool {
    let ok = programs().join("built").join(name).is_file();
    if !ok {
        eprintln!("skipped: {name} is not built (run programs/build.sh {name})");
    }
    ok
}

/// A tiny deterministic generator for file contents (xorshift64).
fn pseudo_random(len: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.extend_from_slice(&seed.to_le_bytes());
    }
    v.truncate(len);
    v
}

/// The files served, by URL path: small text files of many sizes (0 bytes too), one
/// of 1 MiB of random bytes, one with every byte value (NUL, CR, LF, 0xff, ...).
fn site() -> HashMap<String, Vec<u8>> {
    let mut files = HashMap::new();
    files.insert(
        "/index.html".to_string(),
        b"<html><body>lind</body></html>\n".to_vec(),
    );
    for i in 0..24usize {
        let len = [0, 1, 2, 100, 1000, 1460, 4095, 4096, 4097, 9000][i % 10] + i;
        let line = format!("file {i} of the lighttpd test; ");
        let body: Vec<u8> = line.bytes().cycle().take(len).collect();
        files.insert(format!("/small/{i}.txt"), body);
    }
    files.insert("/empty.txt".to_string(), Vec::new());
    files.insert(
        "/big.bin".to_string(),
        pseudo_random(1 << 20, 0x9e37_79b9_7f4a_7c15),
    );
    let every_byte: Vec<u8> = (0..64).flat_map(|_| 0..=255u8).collect();
    files.insert("/bytes.bin".to_string(), every_byte);
    files
}

fn write_site(www: &Path, files: &HashMap<String, Vec<u8>>) {
    for (path, body) in files {
        let p = www.join(path.trim_start_matches('/'));
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, body).unwrap();
    }
}

/// A port that was free a moment ago (lighttpd may still lose it to another process:
/// `Server::start` then tries another).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

fn config(port: u16) -> String {
    format!(
        r#"server.document-root = "/www"
server.bind = "127.0.0.1"
server.port = {port}
server.event-handler = "linux-sysepoll"
server.modules = ("mod_indexfile", "mod_dirlisting", "mod_staticfile")
dir-listing.activate = "enable"
server.upload-dirs = ("/tmp")
server.max-keep-alive-requests = 1000
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html", ".txt" => "text/plain", ".bin" => "application/octet-stream")
"#
    )
}

/// `lind run` of lighttpd in the foreground (`-D`), its stderr collected.
struct Server {
    child: Child,
    port: u16,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

impl Server {
    /// Starts lighttpd with the cage's root `root` (which holds /www), and waits until
    /// it accepts connections.
    fn start(root: &Path) -> Server {
        let bin = programs().join("root/bin");
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::create_dir_all(root.join("tmp")).unwrap();
        let mut last_err = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            fs::write(root.join("etc/lighttpd.conf"), config(port)).unwrap();
            let mut child = Command::new(support::lind_bin())
                .arg("run")
                .arg("--root")
                .arg(root)
                .arg("--mount")
                .arg(format!("{}:/bin:ro", bin.display()))
                .arg(bin.join("lighttpd"))
                .args(["-D", "-f", "/etc/lighttpd.conf"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start lind run lighttpd");
            let stderr = support::reader(child.stderr.take().unwrap(), 1 << 20);
            let mut server = Server {
                child,
                port,
                stderr: Some(stderr),
            };
            let deadline = Instant::now() + PATIENCE;
            loop {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return server;
                }
                if let Ok(Some(status)) = server.child.try_wait() {
                    last_err = format!("lighttpd exited ({status}): {}", server.take_stderr());
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "lighttpd does not listen on port {port} after {PATIENCE:?}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            // Only a lost port race is worth another try.
            assert!(last_err.contains("can't bind"), "{last_err}");
        }
        panic!("lighttpd could not bind a free port: {last_err}");
    }

    fn take_stderr(&mut self) -> String {
        self.stderr
            .take()
            .map(|h| String::from_utf8_lossy(&h.join().unwrap_or_default()).into_owned())
            .unwrap_or_default()
    }

    /// SIGTERM to `lind run` (which passes it on to the cage); lighttpd shuts down
    /// gracefully. Returns the exit status and lighttpd's stderr.
    fn stop(mut self) -> (ExitStatus, String) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill")
            .success();
        assert!(ok, "kill -TERM lind run");
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait for lind run") {
                break s;
            }
            assert!(
                Instant::now() < deadline,
                "lind run (lighttpd) still running {PATIENCE:?} after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        (status, self.take_stderr())
    }
}

impl Drop for Server {
    /// A failing test must not leave the server behind.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One parsed HTTP/1.1 response.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn connect(port: u16) -> Result<BufReader<TcpStream>, String> {
    let s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.set_write_timeout(Some(PATIENCE)).unwrap();
    Ok(BufReader::new(s))
}

fn send_request(conn: &mut BufReader<TcpStream>, path: &str, close: bool) -> Result<(), String> {
    let extra = if close { "Connection: close\r\n" } else { "" };
    let req =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: lind-test\r\n{extra}\r\n");
    conn.get_mut()
        .write_all(req.as_bytes())
        .map_err(|e| format!("sending GET {path}: {e}"))
}

/// Reads one response to a GET (status line, headers, a Content-Length body).
fn read_response(conn: &mut BufReader<TcpStream>) -> Result<Response, String> {
    read_response_to(conn, false)
}

/// Reads one response; no body after a HEAD (`head`) or a 304.
fn read_response_to(conn: &mut BufReader<TcpStream>, head: bool) -> Result<Response, String> {
    let mut line = String::new();
    conn.read_line(&mut line)
        .map_err(|e| format!("reading the status line: {e}"))?;
    let status = line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("bad status line {line:?}"))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        conn.read_line(&mut line)
            .map_err(|e| format!("reading headers: {e}"))?;
        let l = line.trim_end_matches("\r\n");
        if l.is_empty() {
            if !line.ends_with("\r\n") {
                return Err("connection closed inside the headers".into());
            }
            break;
        }
        let (k, v) = l
            .split_once(':')
            .ok_or_else(|| format!("bad header line {l:?}"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut r = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if head || status == 304 {
        return Ok(r);
    }
    let len: usize = r
        .header("Content-Length")
        .and_then(|v| v.parse().ok())
        .ok_or("no Content-Length")?;
    r.body.resize(len, 0);
    conn.read_exact(&mut r.body)
        .map_err(|e| format!("reading a {len}-byte body: {e}"))?;
    Ok(r)
}

/// The n-th path client `i` asks for: a mix of every file, a 404 now and then, and the
/// 1 MiB file for one client in ten.
fn path_for(i: usize, n: usize, paths: &[String]) -> String {
    if n == 2 && i.is_multiple_of(10) {
        "/big.bin".to_string()
    } else if n == 4 && i.is_multiple_of(3) {
        format!("/missing-{i}.html")
    } else if n == 5 && i % 4 == 1 {
        "/".to_string()
    } else {
        paths[(i * 7 + n * 3) % paths.len()].clone()
    }
}

fn check(resp: &Response, path: &str, files: &HashMap<String, Vec<u8>>) -> Result<(), String> {
    let want = if path == "/" {
        files.get("/index.html")
    } else {
        files.get(path)
    };
    match want {
        Some(body) => {
            if resp.status != 200 {
                return Err(format!("GET {path}: status {}, want 200", resp.status));
            }
            if resp.body != *body {
                let at = resp.body.iter().zip(body).position(|(a, b)| a != b);
                return Err(format!(
                    "GET {path}: body of {} bytes differs from the file's {} (first difference at {at:?})",
                    resp.body.len(),
                    body.len()
                ));
            }
        }
        None if resp.status != 404 => {
            return Err(format!("GET {path}: status {}, want 404", resp.status));
        }
        None => {}
    }
    Ok(())
}

/// Client `i`: keep-alive (one connection, every request on it) for even `i`, else a
/// new connection with `Connection: close` per request. All clients start together.
fn client(
    i: usize,
    port: u16,
    files: Arc<HashMap<String, Vec<u8>>>,
    paths: Arc<Vec<String>>,
    start: Arc<Barrier>,
) -> Result<usize, String> {
    let keep_alive = i.is_multiple_of(2);
    let mut conn = if keep_alive {
        Some(connect(port))
    } else {
        None
    };
    start.wait();
    let mut bytes = 0;
    for n in 0..REQUESTS_PER_CLIENT {
        let path = path_for(i, n, &paths);
        let mut c = match conn.take() {
            Some(c) => c?,
            None => connect(port)?,
        };
        send_request(&mut c, &path, !keep_alive)?;
        let resp = read_response(&mut c).map_err(|e| format!("GET {path}: {e}"))?;
        check(&resp, &path, &files)?;
        bytes += resp.body.len();
        if keep_alive {
            if resp
                .header("Connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close"))
            {
                return Err(format!(
                    "GET {path}: keep-alive connection closed by the server"
                ));
            }
            conn = Some(Ok(c));
        } else {
            // The server closes after the response: EOF, no stray bytes.
            let mut rest = Vec::new();
            c.read_to_end(&mut rest)
                .map_err(|e| format!("GET {path}: waiting for the close: {e}"))?;
            if !rest.is_empty() {
                return Err(format!(
                    "GET {path}: {} bytes after the response",
                    rest.len()
                ));
            }
        }
    }
    Ok(bytes)
}

/// lighttpd under lind serving [`site`] from a fresh root (dropped with it).
fn serve_site() -> (tempfile::TempDir, HashMap<String, Vec<u8>>, Server) {
    let root = tempfile::tempdir().unwrap();
    let files = site();
    write_site(&root.path().join("www"), &files);
    let server = Server::start(root.path());
    (root, files, server)
}

fn client_error(i: usize, e: String) -> String {
    format!("client {i}: {e}")
}

#[test]
fn lighttpd_serves_every_byte_to_200_concurrent_clients() {
    if !built("lighttpd") {
        return;
    }
    let (_root, files, server) = serve_site();

    let files = Arc::new(files);
    let mut paths: Vec<String> = files.keys().filter(|p| *p != "/big.bin").cloned().collect();
    paths.sort();
    let paths = Arc::new(paths);
    let start = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (files, paths, start) = (files.clone(), paths.clone(), start.clone());
            let port = server.port;
            std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || client(i, port, files, paths, start))
                .unwrap()
        })
        .collect();
    let mut errors = Vec::new();
    let mut bytes = 0;
    for (i, c) in clients.into_iter().enumerate() {
        match c.join() {
            Ok(Ok(b)) => bytes += b,
            Ok(Err(e)) => errors.push(client_error(i, e)),
            Err(_) => errors.push(client_error(i, "panicked".into())),
        }
    }
    // The server still answers after the storm.
    let mut c = connect(server.port).unwrap();
    send_request(&mut c, "/bytes.bin", true).unwrap();
    let resp = read_response(&mut c).unwrap();
    check(&resp, "/bytes.bin", &files).unwrap();
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/octet-stream")
    );
    drop(c);

    let (status, stderr) = server.stop();
    assert!(
        errors.is_empty(),
        "{} of {CLIENTS} clients failed:\n{}\nlighttpd's stderr:\n{stderr}",
        errors.len(),
        errors
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(bytes > 20 << 20, "only {bytes} bytes served");
    assert!(
        stderr.contains("server started") && stderr.contains("server stopped"),
        "lighttpd's log lacks its start/stop lines:\n{stderr}"
    );
    assert!(
        stopped_cleanly(status.code()),
        "lind run exited with {status} after SIGTERM; lighttpd's stderr:\n{stderr}"
    );
}

/// How lighttpd ends after SIGTERM (an immediate shutdown): it returns 0 when no
/// connection was open any more, else 1; which one depends on whether it has seen every
/// client's close yet, natively too. Killed by the signal (143) or anything else is wrong.
fn stopped_cleanly(code: Option<i32>) -> bool {
    matches!(code, Some(0 | 1))
}

/// The root of a client cage: /out for downloads. wget finds the server by number, so
/// no name resolution is needed.
fn wget(root: &Path, url: &str, out: &str) -> support::Outcome {
    let bin = programs().join("root/bin");
    let mut cmd = Command::new(support::lind_bin());
    cmd.arg("run")
        .arg("--root")
        .arg(root)
        .arg("--mount")
        .arg(format!("{}:/bin:ro", bin.display()))
        .arg(bin.join("busybox"))
        .args(["wget", "-q", "-O", out, url]);
    support::run_with_timeout(cmd, None, PATIENCE, 1 << 20).expect("run busybox wget")
}

fn busybox_has_wget() -> bool {
    let cfg = programs().join("busybox/lind/.config");
    let ok = fs::read_to_string(cfg).is_ok_and(|c| c.lines().any(|l| l == "CONFIG_WGET=y"));
    if !ok {
        eprintln!("skipped: busybox was built without wget (programs/busybox/build.sh)");
    }
    ok
}

#[test]
fn busybox_wget_in_a_cage_fetches_from_lighttpd_in_another() {
    if !built("lighttpd") || !built("busybox") || !busybox_has_wget() {
        return;
    }
    let (_root, files, server) = serve_site();
    let base = format!("http://127.0.0.1:{}", server.port);

    let client_root = tempfile::tempdir().unwrap();
    fs::create_dir(client_root.path().join("out")).unwrap();
    for path in ["/big.bin", "/bytes.bin", "/small/3.txt", "/empty.txt"] {
        let out = format!("/out/{}", path.rsplit('/').next().unwrap());
        let o = wget(client_root.path(), &format!("{base}{path}"), &out);
        assert!(
            o.status == 0 && !o.timed_out,
            "wget {path}: status {}, stderr:\n{}",
            support::describe_status(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        let got = fs::read(client_root.path().join(out.trim_start_matches('/'))).unwrap();
        assert!(
            got == files[path],
            "wget {path}: the downloaded bytes differ"
        );
    }
    // A 404 is an error for wget: exit status 1 and the server's status line.
    let o = wget(
        client_root.path(),
        &format!("{base}/nope.html"),
        "/out/nope",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status, 1, "wget of a missing file: stderr:\n{err}");
    assert!(err.contains("404 Not Found"), "wget's stderr: {err}");

    let (status, stderr) = server.stop();
    assert!(
        stopped_cleanly(status.code()) && stderr.contains("server stopped"),
        "lind run exited with {status}:\n{stderr}"
    );
}

/// lighttpd's unit tests (`make check`'s src/t/test_*), built both ways, pass both
/// ways. test_mod runs `expr 1 + 1` through /bin/sh (mod_ssi's exec): the cage's root
/// has dash as /bin/sh and busybox as /bin/expr.
#[test]
fn lighttpd_unit_tests_pass_natively_and_under_lind() {
    if !built("lighttpd") || !built("busybox") {
        return;
    }
    let progs = programs();
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for d in ["bin", "tmp", "var/tmp"] {
        fs::create_dir_all(r.join(d)).unwrap();
    }
    fs::copy(progs.join("root/bin/sh"), r.join("bin/sh")).unwrap();
    fs::copy(progs.join("root/bin/busybox"), r.join("bin/busybox")).unwrap();
    std::os::unix::fs::symlink("busybox", r.join("bin/expr")).unwrap();
    for t in ["test_common", "test_configfile", "test_mod"] {
        let native = progs.join("lighttpd/native/src/t").join(t);
        let mut cmd = Command::new(&native);
        cmd.current_dir(progs.join("lighttpd/native/src"));
        let n = support::run_with_timeout(cmd, None, PATIENCE, 1 << 20).unwrap();
        assert!(
            n.status == 0,
            "native {t}: status {}\n{}",
            support::describe_status(&n),
            String::from_utf8_lossy(&n.stderr)
        );
        let mut cmd = Command::new(support::lind_bin());
        cmd.arg("run")
            .arg("--root")
            .arg(r)
            .arg(progs.join("lighttpd/lind/src/t").join(t));
        let l = support::run_with_timeout(cmd, None, PATIENCE, 1 << 20).unwrap();
        assert!(
            l.status == 0 && !l.timed_out,
            "lind {t}: status {}\n{}",
            support::describe_status(&l),
            String::from_utf8_lossy(&l.stderr)
        );
    }
}

/// Server and client as two cages of one `lind run`: dash starts lighttpd in the
/// background (fork + exec), busybox wget fetches from it until it answers, then the
/// script stops the server with SIGTERM and reports how it exited.
#[test]
fn lighttpd_and_wget_as_two_cages_of_one_run() {
    if !built("lighttpd") || !built("busybox") || !busybox_has_wget() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let files = site();
    write_site(&r.join("www"), &files);
    for d in ["etc", "tmp", "out"] {
        fs::create_dir_all(r.join(d)).unwrap();
    }
    let port = free_port();
    fs::write(r.join("etc/lighttpd.conf"), config(port)).unwrap();
    let script = format!(
        "lighttpd -D -f /etc/lighttpd.conf & pid=$!
         i=0
         until busybox wget -q -O /out/big.bin http://127.0.0.1:{port}/big.bin 2>/dev/null; do
             i=$((i + 1)); [ $i -lt 300 ] || exit 9
             busybox usleep 100000
         done
         busybox wget -q -O /out/bytes.bin http://127.0.0.1:{port}/bytes.bin || exit 8
         kill $pid; wait $pid; echo \"lighttpd exited $?\""
    );
    let bin = programs().join("root/bin");
    let mut cmd = Command::new(support::lind_bin());
    cmd.arg("run")
        .arg("--root")
        .arg(r)
        .arg("--mount")
        .arg(format!("{}:/bin:ro", bin.display()))
        .args(["--env", "PATH=/bin"])
        .arg(bin.join("sh"))
        .args(["-c", &script]);
    let o = support::run_with_timeout(cmd, None, PATIENCE, 1 << 20).unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status == 0 && !o.timed_out,
        "status {}; stderr:\n{err}",
        support::describe_status(&o)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    let code = out
        .strip_prefix("lighttpd exited ")
        .and_then(|c| c.trim_end().parse().ok());
    assert!(
        stopped_cleanly(code) && err.contains("server stopped"),
        "stdout: {out}; stderr:\n{err}"
    );
    for f in ["big.bin", "bytes.bin"] {
        let got = fs::read(r.join("out").join(f)).unwrap();
        assert!(
            got == files[&format!("/{f}")],
            "{f}: the downloaded bytes differ"
        );
    }
}

/// One raw request on a new connection, and its response.
fn exchange(port: u16, request: &str) -> Response {
    let mut c = connect(port).unwrap();
    c.get_mut().write_all(request.as_bytes()).unwrap();
    read_response_to(&mut c, request.starts_with("HEAD ")).unwrap()
}

/// What a static file server does beyond plain GETs, each exercising another kernel
/// path: HEAD (fstat only), byte ranges (pread at an offset), conditional requests
/// (the ETag and Last-Modified lighttpd derives from stat), a directory listing
/// (getdents), a request pipelined behind another on one connection.
#[test]
fn lighttpd_head_ranges_conditionals_listing_and_pipelining() {
    if !built("lighttpd") {
        return;
    }
    let (_root, files, server) = serve_site();
    let port = server.port;
    let big = &files["/big.bin"];
    let req = |extra: &str, method: &str, path: &str| {
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n")
    };

    let r = exchange(port, &req("", "HEAD", "/big.bin"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Length"), Some("1048576"));
    let etag = r.header("ETag").expect("an ETag").to_string();
    let modified = r
        .header("Last-Modified")
        .expect("Last-Modified")
        .to_string();

    let r = exchange(port, &req("Range: bytes=1000-1999\r\n", "GET", "/big.bin"));
    assert_eq!(r.status, 206);
    assert_eq!(r.header("Content-Range"), Some("bytes 1000-1999/1048576"));
    assert!(r.body == big[1000..2000], "the range's bytes differ");
    let r = exchange(port, &req("Range: bytes=-300\r\n", "GET", "/big.bin"));
    assert_eq!(r.status, 206);
    assert!(
        r.body == big[big.len() - 300..],
        "the suffix range's bytes differ"
    );
    let r = exchange(port, &req("Range: bytes=2000000-\r\n", "GET", "/big.bin"));
    assert_eq!(r.status, 416, "a range past the end");

    let r = exchange(
        port,
        &req(&format!("If-None-Match: {etag}\r\n"), "GET", "/big.bin"),
    );
    assert_eq!(r.status, 304);
    let r = exchange(
        port,
        &req(
            &format!("If-Modified-Since: {modified}\r\n"),
            "GET",
            "/big.bin",
        ),
    );
    assert_eq!(r.status, 304);
    let r = exchange(
        port,
        &req("If-None-Match: \"other\"\r\n", "GET", "/big.bin"),
    );
    assert_eq!(r.status, 200);
    assert!(r.body == *big);

    let r = exchange(port, &req("", "GET", "/small/"));
    assert_eq!(r.status, 200);
    let listing = String::from_utf8_lossy(&r.body);
    for i in 0..24 {
        assert!(
            listing.contains(&format!("\"{i}.txt\"")),
            "{i}.txt not listed:\n{listing}"
        );
    }

    // Two requests in one write: both answered, in order.
    let mut c = connect(port).unwrap();
    let two =
        "GET /small/5.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes.bin HTTP/1.1\r\nHost: x\r\n\r\n";
    c.get_mut().write_all(two.as_bytes()).unwrap();
    let a = read_response(&mut c).unwrap();
    let b = read_response(&mut c).unwrap();
    check(&a, "/small/5.txt", &files).unwrap();
    check(&b, "/bytes.bin", &files).unwrap();
    drop(c);

    let (status, stderr) = server.stop();
    assert!(
        stopped_cleanly(status.code()) && stderr.contains("server stopped"),
        "lind run exited with {status}:\n{stderr}"
    );
}
