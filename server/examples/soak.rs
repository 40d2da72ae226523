//! Load for the soak bench (`server/bench/soak.sh`): N connections (keep-alive, one request at a
//! time each) spread over the servers given, for D seconds, each request a random line of the paths
//! file. Every request started is finished, so the article pages answered 200 are exactly the views
//! the servers counted. Prints one line: `requests=… views=… errors=… 5xx=… other=…`.
//!
//! Usage: soak SECONDS CONNECTIONS PATHS_FILE HOST:PORT [HOST:PORT…]
//! A path starting with `/articles/` is a counted view (the User-Agent is a reader's).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    views: AtomicU64,
    errors: AtomicU64,
    server_errors: AtomicU64,
    other: AtomicU64,
}

/// One response read whole: its status, and whether the connection stays open.
fn exchange(
    conn: &mut BufReader<TcpStream>,
    host: &str,
    path: &str,
) -> std::io::Result<(u16, bool)> {
    write!(
        conn.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) soak\r\n\
         Accept-Encoding: br, gzip\r\n\r\n"
    )?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked, mut close) = (None, false, false);
    loop {
        line.clear();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (name, value) = l.split_once(':').unwrap_or((l, ""));
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse::<u64>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line)?;
            let size = u64::from_str_radix(line.trim_end().split(';').next().unwrap_or(""), 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            std::io::copy(&mut conn.by_ref().take(size + 2), &mut std::io::sink())?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(n) = length {
        std::io::copy(&mut conn.by_ref().take(n), &mut std::io::sink())?;
    } else {
        std::io::copy(conn, &mut std::io::sink())?;
        close = true;
    }
    Ok((status, !close))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: soak SECONDS CONNECTIONS PATHS_FILE HOST:PORT [HOST:PORT…]");
        std::process::exit(2);
    }
    let seconds: u64 = args[1].parse().expect("seconds");
    let connections: usize = args[2].parse().expect("connections");
    let paths: Arc<Vec<String>> = Arc::new(
        std::fs::read_to_string(&args[3])
            .expect("paths file")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    );
    let hosts: Vec<String> = args[4..].to_vec();
    let tally = Arc::new(Tally::default());
    let end = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            let host = hosts[i % hosts.len()].clone();
            let (paths, tally) = (paths.clone(), tally.clone());
            std::thread::spawn(move || {
                use rand::Rng;
                let mut rng = rand::rng();
                let mut conn: Option<BufReader<TcpStream>> = None;
                while Instant::now() < end {
                    let path = &paths[rng.random_range(0..paths.len())];
                    let c = match conn.take() {
                        Some(c) => c,
                        None => match TcpStream::connect(&host) {
                            Ok(s) => {
                                let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
                                BufReader::new(s)
                            }
                            Err(_) => {
                                tally.errors.fetch_add(1, Ordering::Relaxed);
                                std::thread::sleep(Duration::from_millis(10));
                                continue;
                            }
                        },
                    };
                    let mut c = c;
                    tally.requests.fetch_add(1, Ordering::Relaxed);
                    match exchange(&mut c, &host, path) {
                        Ok((status, open)) => {
                            if status == 200 && path.starts_with("/articles/") {
                                tally.views.fetch_add(1, Ordering::Relaxed);
                            }
                            if status >= 500 {
                                tally.server_errors.fetch_add(1, Ordering::Relaxed);
                            } else if !(200..400).contains(&status) {
                                tally.other.fetch_add(1, Ordering::Relaxed);
                            }
                            if open {
                                conn = Some(c);
                            }
                        }
                        Err(_) => {
                            tally.errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "requests={} views={} errors={} 5xx={} other={}",
        get(&tally.requests),
        get(&tally.views),
        get(&tally.errors),
        get(&tally.server_errors),
        get(&tally.other)
    );
}
