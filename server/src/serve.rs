//! The accept loop: hyper with the limits a public server needs (a client that is slow to send its
//! headers is dropped; idle connections close), and a graceful shutdown with a deadline.

use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::time::Duration;
use tower::Service;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time a client has to send a request's headers (slowloris).
    pub header_read: Duration,
    /// Most connections open at once; more wait in the listen backlog.
    pub connections: usize,
    /// Time in-flight requests get to finish at shutdown.
    pub shutdown: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            connections: 10_000,
            shutdown: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `signal` resolves, then lets open requests finish (at most
/// `limits.shutdown`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: crate::web::App,
    limits: Limits,
    signal: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_buf_size(64 * 1024);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)));
    let graceful = GracefulShutdown::new();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.connections));
    let mut signal = std::pin::pin!(signal);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut signal => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        // Responses go out in one write; don't let Nagle hold back the last segment.
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            // The app is always ready (the limits inside it wait in the call, not before it).
            let mut req = req.map(axum::body::Body::new);
            // The reader's address, for 我要纠错's hourly limit.
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            app.clone().call(req)
        });
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown) => {
            tracing::warn!("shutdown deadline reached: open connections dropped");
        }
    }
    Ok(())
}
