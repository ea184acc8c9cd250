//! The local server's HTTP/1 listener, hardened against clients that hold
//! connections: a bounded number of connections at once (the next ones wait
//! in the kernel's backlog), a time limit on sending each request's headers
//! (which also closes connections left idle between requests), and a time
//! limit on each request as a whole (a body sent a byte at a time).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use sejour::api::ApiError;
use sejour::service::ProblemCode;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// What one client may hold of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To send a request's headers, counted from the connection's opening
    /// or from the previous response: idle keep-alive connections end too.
    pub header_read: Duration,
    /// To send a whole request (body included) and be answered.
    pub request: Duration,
    pub max_connections: usize,
    /// For requests still running at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(60),
            max_connections: 256,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serve `app` on `listener` until `shutdown` completes, then let running
/// requests finish (up to the grace period).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let app = app.layer(axum::middleware::from_fn(move |request: Request, next: Next| {
        request_time_limit(limits.request, request, next)
    }));
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit?,
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, a connection reset before
                    // accept…: wait a little rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(limits.shutdown_grace) => tracing::warn!("stopping with requests still running"),
    }
    Ok(())
}

async fn request_time_limit(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(StatusCode::REQUEST_TIMEOUT, ProblemCode::RequestTimeout).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::{get, post};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::time::Instant;

    async fn start(limits: Limits) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/", get(|| async { "ok" }))
            .route("/echo", post(|body: String| async move { body }));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(listener, app, limits, async {
            let _ = stopped.await;
        }));
        (addr, stop)
    }

    fn limits() -> Limits {
        Limits {
            header_read: Duration::from_millis(300),
            request: Duration::from_millis(600),
            max_connections: 2,
            shutdown_grace: Duration::from_secs(1),
        }
    }

    /// Reads until the server closes the connection; what it sent.
    async fn read_to_close(stream: &mut TcpStream) -> String {
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
        assert!(read.is_ok(), "the server kept the connection open");
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn partial_headers_and_idle_connections_are_closed() {
        let (addr, _stop) = start(limits()).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        let opened = Instant::now();
        read_to_close(&mut slow).await;
        assert!(opened.elapsed() >= Duration::from_millis(250));

        // Kept alive after an answer, then left idle: closed all the same.
        let mut idle = TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let answer = read_to_close(&mut idle).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    #[tokio::test]
    async fn a_body_sent_too_slowly_times_out() {
        let (addr, _stop) = start(limits()).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            .await
            .unwrap();
        let answer = read_to_close(&mut slow).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("request_timeout"), "{answer}");
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_wait_for_a_free_one() {
        let (addr, _stop) = start(Limits {
            header_read: Duration::from_secs(5),
            ..limits()
        })
        .await;
        let _first = TcpStream::connect(addr).await.unwrap();
        let mut second = TcpStream::connect(addr).await.unwrap();
        let mut third = TcpStream::connect(addr).await.unwrap();
        third
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut byte = [0u8; 1];
        // Two connections are held: the third is not served…
        assert!(
            tokio::time::timeout(Duration::from_millis(300), third.read(&mut byte))
                .await
                .is_err()
        );
        // …until one of them ends.
        second
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        read_to_close(&mut second).await;
        let answer = read_to_close(&mut third).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
}
