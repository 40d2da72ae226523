//! Connection limits on the real binary: clients that send their headers a byte a second hold
//! nothing up for other readers and are disconnected once their time is up.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const SERVER: &str = env!("CARGO_BIN_EXE_server");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &std::path::Path, args: &[&str]) -> (Server, SocketAddr) {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let child = Command::new(SERVER)
        .args(["serve", "--site-addr", &addr.to_string()])
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Server(child), addr)
}

/// One GET on a new connection; its time to the whole response.
fn timed_get(addr: SocketAddr) -> Duration {
    let t = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    assert!(out.starts_with(b"HTTP/1.1 200"));
    t.elapsed()
}

fn median_get(addr: SocketAddr, n: usize) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(20));
            timed_get(addr)
        })
        .collect();
    times.sort();
    times[n / 2]
}

#[test]
fn five_hundred_slow_header_senders_do_not_slow_a_reader_and_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, addr) = start(dir.path(), &["--header-timeout", "3"]);
    for _ in 0..20 {
        timed_get(addr);
    }
    let idle = median_get(addr, 31);
    let mut slow: Vec<TcpStream> = (0..500)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let request = b"GET / HTTP/1.1\r\nHost: slow\r\n";
    let started = Instant::now();
    let mut during = Vec::new();
    let mut closed = vec![false; slow.len()];
    // One byte a second on each slow connection, for longer than the server allows.
    for (second, byte) in request.iter().enumerate().take(7) {
        for (i, s) in slow.iter_mut().enumerate() {
            if !closed[i] && s.write_all(&[*byte]).is_err() {
                closed[i] = true;
            }
        }
        if second < 2 {
            during.push(median_get(addr, 15));
        } else {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    let during = *during.iter().max().unwrap();
    eprintln!("idle median {idle:?}, with 500 slow clients {during:?}");
    assert!(
        during <= idle * 2 + Duration::from_millis(2),
        "idle {idle:?}, with slow clients {during:?}"
    );
    // By now (over 3 s in) the server has closed every slow connection.
    assert!(started.elapsed() > Duration::from_secs(4));
    let mut cut = 0;
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let mut buf = [0u8; 256];
        let closed = |r: std::io::Result<usize>| match r {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        };
        // An answer (408) may come before the close.
        if closed(s.read(&mut buf)) || closed(s.read(&mut buf)) {
            cut += 1;
        }
    }
    assert_eq!(cut, slow.len(), "slow connections still open");
    assert!(timed_get(addr) < Duration::from_secs(1), "still serving");
}
