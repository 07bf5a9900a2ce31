//! Limits on connections, where they enter the process: at most
//! `max_connections` open at once. At the cap, a new connection takes the
//! place of the oldest one that has not sent a byte yet (an idle flood
//! only evicts itself, while a monitor's `/healthz` request, which sends at
//! once, gets in); when every connection is busy, the new one is closed at
//! once, so the kernel's queue never fills. Deadlines on what a client
//! sends:
//!
//! - a request must arrive whole and be answered within `request_read`
//!   of its first byte (a new connection counts from when it is accepted),
//!   so a client that trickles headers or a body (slowloris) or never sends
//!   anything is closed;
//! - an idle keep-alive connection is closed after `keep_alive`.
//!
//! Once a connection has switched to WebSocket (`101 Switching
//! Protocols`), these deadlines stop: `/graphql/ws` has its own (see
//! `crate::ws`).

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use async_graphql::futures_util::task::AtomicWaker;
use poem::http::uri::Scheme;
use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Connections turned away because the cap was reached (for `/metrics`).
pub static REFUSED: AtomicU64 = AtomicU64::new(0);
/// Connections that never sent a byte, closed to make room (for `/metrics`).
pub static EVICTED: AtomicU64 = AtomicU64::new(0);
/// Connections closed by a deadline (for `/metrics`).
pub static TIMED_OUT: AtomicU64 = AtomicU64::new(0);

/// How many connections, and how long a client may take.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub request_read: Duration,
    pub keep_alive: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 4_096,
            request_read: Duration::from_secs(30),
            keep_alive: Duration::from_secs(30),
        }
    }
}

/// What the acceptor and a connection share.
#[derive(Default)]
struct Shared {
    /// No byte has arrived yet.
    pristine: AtomicBool,
    /// The acceptor wants the connection closed.
    evicted: AtomicBool,
    waker: AtomicWaker,
}

/// An acceptor that enforces [`ConnectionLimits`].
pub struct LimitedAcceptor<A> {
    inner: A,
    slots: Arc<Semaphore>,
    limits: ConnectionLimits,
    /// Connections in the order they came, to find the oldest pristine one.
    open: VecDeque<Weak<Shared>>,
}

impl<A> LimitedAcceptor<A> {
    pub fn new(inner: A, limits: ConnectionLimits) -> Self {
        LimitedAcceptor {
            inner,
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            limits,
            open: VecDeque::new(),
        }
    }

    /// Asks the oldest connection that has not sent a byte to close;
    /// false when there is none.
    fn evict_one(&mut self) -> bool {
        while let Some(weak) = self.open.pop_front() {
            let Some(shared) = weak.upgrade() else {
                continue;
            };
            if shared.pristine.load(Ordering::Acquire) {
                shared.evicted.store(true, Ordering::Release);
                shared.waker.wake();
                EVICTED.fetch_add(1, Ordering::Relaxed);
                return true;
            }
        }
        false
    }

    /// Forgets closed and busy connections once the list grows.
    fn prune(&mut self) {
        if self.open.len() > 2 * self.limits.max_connections.max(16) {
            self.open.retain(|weak| {
                weak.upgrade()
                    .is_some_and(|s| s.pristine.load(Ordering::Acquire))
            });
        }
    }
}

impl<A: Acceptor> Acceptor for LimitedAcceptor<A> {
    type Io = Limited<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        loop {
            let (io, local, remote, scheme) = match self.inner.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, or the like: wait a little
                    // rather than spin (the server retries at once).
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let slot = match self.slots.clone().try_acquire_owned() {
                Ok(slot) => Some(slot),
                Err(_) if self.evict_one() => {
                    let freed = self.slots.clone().acquire_owned();
                    tokio::time::timeout(Duration::from_millis(250), freed)
                        .await
                        .ok()
                        .and_then(Result::ok)
                }
                Err(_) => None,
            };
            let Some(slot) = slot else {
                REFUSED.fetch_add(1, Ordering::Relaxed);
                drop(io);
                continue;
            };
            let shared = Arc::new(Shared {
                pristine: AtomicBool::new(true),
                ..Default::default()
            });
            self.prune();
            self.open.push_back(Arc::downgrade(&shared));
            return Ok((
                Limited::new(io, slot, self.limits, shared),
                local,
                remote,
                scheme,
            ));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum State {
    /// Waiting for a request (or a new connection's first one).
    Idle,
    /// A request has started arriving and has not been answered yet.
    Request,
    /// Switched to WebSocket: no deadlines here.
    Upgraded,
}

/// A connection under the limits; its slot is given back when it closes.
pub struct Limited<T> {
    inner: T,
    _slot: OwnedSemaphorePermit,
    shared: Arc<Shared>,
    limits: ConnectionLimits,
    state: State,
    deadline: Pin<Box<Sleep>>,
}

impl<T> Limited<T> {
    fn new(
        inner: T,
        slot: OwnedSemaphorePermit,
        limits: ConnectionLimits,
        shared: Arc<Shared>,
    ) -> Self {
        Limited {
            inner,
            _slot: slot,
            shared,
            limits,
            // A new connection must send its request in time.
            state: State::Request,
            deadline: Box::pin(tokio::time::sleep(limits.request_read)),
        }
    }

    /// The server writes (`first` begins what it writes): an answer ends the
    /// request, and the connection waits idle for the next one, unless it
    /// switched to WebSocket.
    fn answering(&mut self, first: &[u8]) {
        if self.state == State::Upgraded {
            return;
        }
        if first.starts_with(b"HTTP/1.1 101 ") {
            self.state = State::Upgraded;
        } else {
            self.state = State::Idle;
            let at = Instant::now() + self.limits.keep_alive;
            self.deadline.as_mut().reset(at);
        }
    }

    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.state != State::Upgraded && self.deadline.as_mut().poll(cx).is_ready()
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Limited<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.shared.waker.register(cx.waker());
        if self.shared.evicted.load(Ordering::Acquire) {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "closed to make room for another connection",
            )));
        }
        if self.expired(cx) {
            TIMED_OUT.fetch_add(1, Ordering::Relaxed);
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client was too slow",
            )));
        }
        let before = buf.filled().len();
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.shared.pristine.store(false, Ordering::Release);
        }
        if matches!(polled, Poll::Ready(Ok(())))
            && buf.filled().len() > before
            && this.state == State::Idle
        {
            this.state = State::Request;
            let at = Instant::now() + this.limits.request_read;
            this.deadline.as_mut().reset(at);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Limited<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        this.answering(buf);
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let first = bufs.iter().find(|b| !b.is_empty());
        this.answering(first.map_or(&[][..], |b| &b[..]));
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
