//! Batched loading by tick, as JavaScript's DataLoader does it: every key
//! that an operation's resolvers ask for while they run is collected, and
//! each relation's batch is sent the moment the operation has nothing else
//! to do (its future returned `Pending`), not after a timer.
//!
//! Why not async-graphql's `DataLoader`: it sends a batch a fixed delay
//! after the first key, on a timer thread. A delay long enough to catch a
//! whole page (3 ms) was paid on every level of every answer, and on a busy
//! machine a page could still be split in two (a statement count that
//! varied run to run). Here the count is a property of the query shape: one
//! statement per relation and level, whatever the machine is doing.
//!
//! - [`Dispatcher`]: one per operation, shared by its loaders; holds the
//!   batches waiting to be sent.
//! - [`BatchLoader`]: one relation (a [`Loader`]) with the operation's
//!   cache: a key is loaded at most once per operation.
//! - [`Dispatching`] / [`DispatchingStream`]: wrap the operation's future
//!   (or a subscription's stream), send the waiting batches whenever it is
//!   pending, and drive the loads on the operation's own task.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use futures::channel::oneshot;
use futures::future::{BoxFuture, FutureExt, Shared};
use futures::stream::{FuturesUnordered, Stream, StreamExt};

use crate::error::{AppError, AppResult};

/// One relation: the values of many keys in one statement. A key with no
/// value is simply absent from the answer.
pub trait Loader: Send + Sync + 'static {
    type Value: Clone + Send + Sync + 'static;

    fn load(
        &self,
        keys: &[i64],
    ) -> impl Future<Output = AppResult<HashMap<i64, Self::Value>>> + Send;
}

type Launch = Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send>;

#[derive(Default)]
struct Queue {
    /// Batches waiting to be sent, each as the closure that takes its keys
    /// and starts the load.
    waiting: Vec<Launch>,
    /// The task of the [`Dispatching`] wrapper, to wake when a batch is
    /// queued from outside its poll (a spawned task, say).
    waker: Option<Waker>,
    /// The wrapper is polling the operation right now: it will look at the
    /// queue when the operation returns, no need to wake it.
    polling: bool,
}

/// The batches of one operation.
#[derive(Clone, Default)]
pub struct Dispatcher(Arc<Mutex<Queue>>);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these locks leaves plain data behind, never a
    // broken invariant worth refusing every later request for.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Dispatcher {
    /// Queues a batch. Returns true when nothing will send it (no wrapper
    /// drives this operation): the caller sends it itself.
    fn queue(&self, send: Launch) -> bool {
        let mut queue = lock(&self.0);
        queue.waiting.push(send);
        if queue.polling {
            return false;
        }
        match &queue.waker {
            Some(waker) => {
                waker.wake_by_ref();
                false
            }
            None => true,
        }
    }

    fn take(&self) -> Vec<Launch> {
        std::mem::take(&mut lock(&self.0).waiting)
    }

    /// Remembers the task of the wrapper that drives this operation.
    fn attach(&self, waker: &Waker) {
        let mut queue = lock(&self.0);
        if !queue.waker.as_ref().is_some_and(|w| w.will_wake(waker)) {
            queue.waker = Some(waker.clone());
        }
    }

    fn polling(&self, polling: bool) {
        lock(&self.0).polling = polling;
    }

    /// Wakes the wrapper's task.
    fn wake(&self) {
        if let Some(waker) = lock(&self.0).waker.as_ref() {
            waker.wake_by_ref();
        }
    }
}

type Outcome = Shared<BoxFuture<'static, Result<(), AppError>>>;

struct State<V> {
    /// Answers of this operation: `None` where the key has no value.
    cache: HashMap<i64, Option<V>>,
    /// Keys asked for and not answered yet, with the batch that will.
    asked: HashMap<i64, Outcome>,
    /// The batch still collecting keys, and how to tell its waiters.
    open: Option<Open>,
}

/// A batch collecting keys: the keys, how to tell its waiters, and what
/// they wait on.
type Open = (Vec<i64>, oneshot::Sender<Result<(), AppError>>, Outcome);

struct Inner<L: Loader> {
    loader: L,
    dispatcher: Dispatcher,
    state: Mutex<State<L::Value>>,
}

/// One relation's loads within one operation (clones share them).
pub struct BatchLoader<L: Loader>(Arc<Inner<L>>);

impl<L: Loader> Clone for BatchLoader<L> {
    fn clone(&self) -> Self {
        BatchLoader(self.0.clone())
    }
}

impl<L: Loader> BatchLoader<L> {
    pub fn new(loader: L, dispatcher: &Dispatcher) -> Self {
        BatchLoader(Arc::new(Inner {
            loader,
            dispatcher: dispatcher.clone(),
            state: Mutex::new(State {
                cache: HashMap::new(),
                asked: HashMap::new(),
                open: None,
            }),
        }))
    }

    /// The value of `key`, loaded with every other key asked for in the
    /// same tick.
    pub async fn load_one(&self, key: i64) -> AppResult<Option<L::Value>> {
        let (outcome, unattached) = {
            let mut state = lock(&self.0.state);
            if let Some(hit) = state.cache.get(&key) {
                return Ok(hit.clone());
            }
            match state.asked.get(&key) {
                Some(outcome) => (outcome.clone(), false),
                None => {
                    let mut unattached = false;
                    if state.open.is_none() {
                        let (tx, rx) = oneshot::channel();
                        let outcome: Outcome = rx
                            .map(|sent| {
                                sent.unwrap_or_else(|_| {
                                    Err(AppError::internal("a batch was dropped unanswered"))
                                })
                            })
                            .boxed()
                            .shared();
                        state.open = Some((Vec::new(), tx, outcome));
                        let inner = self.0.clone();
                        let send: Launch = Box::new(move || Box::pin(Self::send(inner)));
                        unattached = self.0.dispatcher.queue(send);
                    }
                    let (keys, _, outcome) = state.open.as_mut().expect("an open batch");
                    keys.push(key);
                    let outcome = outcome.clone();
                    state.asked.insert(key, outcome.clone());
                    (outcome, unattached)
                }
            }
        };
        if unattached {
            // Nobody drives this operation's batches: send them now.
            let loads: FuturesUnordered<_> = self
                .0
                .dispatcher
                .take()
                .into_iter()
                .map(|launch| launch())
                .collect();
            loads.collect::<Vec<()>>().await;
        }
        outcome.await?;
        Ok(lock(&self.0.state).cache.get(&key).cloned().flatten())
    }

    /// Whether `key`'s answer is known already (loaded or fed).
    pub fn has(&self, key: i64) -> bool {
        lock(&self.0.state).cache.contains_key(&key)
    }

    /// Puts a value known already (the signed-in person's own row, say)
    /// into the cache.
    pub fn feed_one(&self, key: i64, value: L::Value) {
        lock(&self.0.state).cache.insert(key, Some(value));
    }

    /// Forgets every answer (between two events of a subscription).
    pub fn clear(&self) {
        lock(&self.0.state).cache.clear();
    }

    /// Closes the open batch and loads it.
    async fn send(inner: Arc<Inner<L>>) {
        let Some((keys, tx, _)) = lock(&inner.state).open.take() else {
            return;
        };
        let loaded = inner.loader.load(&keys).await;
        let result = {
            let mut state = lock(&inner.state);
            for key in &keys {
                state.asked.remove(key);
            }
            match loaded {
                Ok(mut values) => {
                    for key in keys {
                        let value = values.remove(&key);
                        state.cache.insert(key, value);
                    }
                    Ok(())
                }
                Err(err) => Err(err),
            }
        };
        // The waiters may all be gone (the operation ended): nothing to do.
        let _ = tx.send(result);
    }
}

/// Drives one operation and its batches on the operation's own task.
pub struct Dispatching<F> {
    operation: Pin<Box<F>>,
    driver: Driver,
}

impl<F: Future> Dispatching<F> {
    pub fn new(operation: F, dispatcher: Dispatcher) -> Self {
        Dispatching {
            operation: Box::pin(operation),
            driver: Driver::new(dispatcher),
        }
    }
}

/// The waker the operation is polled with: it tells whether the operation
/// woke itself while it ran. async-graphql resolves a list through
/// `FuturesUnordered`, which polls at most 32 items and then yields with a
/// wake of its own: the rest of the page has not asked for its keys yet, so
/// the batch must wait for the next poll.
struct SelfWake {
    woken: AtomicBool,
    dispatcher: Dispatcher,
}

impl Wake for SelfWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.dispatcher.wake();
    }
}

/// The driving state of [`Dispatching`] and [`DispatchingStream`].
struct Driver {
    dispatcher: Dispatcher,
    loads: FuturesUnordered<BoxFuture<'static, ()>>,
    wake: Arc<SelfWake>,
    waker: Waker,
}

/// Polls in a row that an operation that keeps waking itself gets before
/// its batches are sent anyway (a resolver that spins on `yield_now` must
/// not starve them).
const MAX_SELF_WAKES: usize = 64;

impl Driver {
    fn new(dispatcher: Dispatcher) -> Self {
        let wake = Arc::new(SelfWake {
            woken: AtomicBool::new(false),
            dispatcher: dispatcher.clone(),
        });
        Driver {
            dispatcher,
            loads: FuturesUnordered::new(),
            waker: Waker::from(wake.clone()),
            wake,
        }
    }

    /// Polls the loads in flight, then `poll_operation`; once the operation
    /// is waiting (and not merely yielding), sends whatever it queued, and
    /// goes round again while that started anything.
    fn drive<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut poll_operation: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        self.dispatcher.attach(cx.waker());
        let mut self_wakes = 0;
        loop {
            while let Poll::Ready(Some(())) = self.loads.poll_next_unpin(cx) {}
            self.wake.woken.store(false, Ordering::SeqCst);
            self.dispatcher.polling(true);
            let polled = poll_operation(&mut Context::from_waker(&self.waker));
            self.dispatcher.polling(false);
            if polled.is_ready() {
                return polled;
            }
            if self.wake.woken.load(Ordering::SeqCst) && self_wakes < MAX_SELF_WAKES {
                self_wakes += 1;
                continue;
            }
            let waiting = self.dispatcher.take();
            if waiting.is_empty() {
                return Poll::Pending;
            }
            self_wakes = 0;
            self.loads
                .extend(waiting.into_iter().map(|launch| launch()));
        }
    }
}

impl<F: Future> Future for Dispatching<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let operation = &mut this.operation;
        this.driver.drive(cx, |cx| operation.as_mut().poll(cx))
    }
}

/// A subscription's stream with its batches; each event starts with an
/// empty cache (`forget`), so a long subscription never answers from
/// what it read for an earlier event.
pub struct DispatchingStream<S> {
    stream: Pin<Box<S>>,
    driver: Driver,
    forget: Box<dyn Fn() + Send>,
}

impl<S: Stream> DispatchingStream<S> {
    pub fn new(stream: S, dispatcher: Dispatcher, forget: Box<dyn Fn() + Send>) -> Self {
        DispatchingStream {
            stream: Box::pin(stream),
            driver: Driver::new(dispatcher),
            forget,
        }
    }
}

impl<S: Stream> Stream for DispatchingStream<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        let stream = &mut this.stream;
        let polled = this.driver.drive(cx, |cx| stream.as_mut().poll_next(cx));
        if polled.is_ready() {
            (this.forget)();
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    struct Squares(Arc<AtomicUsize>);

    impl Loader for Squares {
        type Value = i64;

        async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, i64>> {
            self.0.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(keys
                .iter()
                .filter(|k| **k >= 0)
                .map(|k| (*k, k * k))
                .collect())
        }
    }

    #[tokio::test]
    async fn keys_asked_in_one_tick_load_in_one_batch_and_each_key_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        let dispatcher = Dispatcher::default();
        let loader = BatchLoader::new(Squares(calls.clone()), &dispatcher);
        let operation = async {
            let first = futures::future::join_all((0..100).map(|k| loader.load_one(k % 50))).await;
            // A second level, after the first answered: one more batch.
            let second = futures::future::join_all([-1, 3, 70].map(|k| loader.load_one(k))).await;
            (first, second)
        };
        let (first, second) = Dispatching::new(operation, dispatcher.clone()).await;
        assert_eq!(first[7].clone().unwrap(), Some(49));
        assert_eq!(first[57].clone().unwrap(), Some(49));
        assert_eq!(second[0].clone().unwrap(), None);
        assert_eq!(second[2].clone().unwrap(), Some(4900));
        assert_eq!(calls.load(Ordering::SeqCst), 2, "one batch per tick");
    }

    #[tokio::test]
    async fn a_list_that_yields_between_its_items_still_loads_in_one_batch() {
        let calls = Arc::new(AtomicUsize::new(0));
        let dispatcher = Dispatcher::default();
        let loader = BatchLoader::new(Squares(calls.clone()), &dispatcher);
        // FuturesUnordered polls 32 items, then yields (as async-graphql's
        // lists do).
        let operation = (0..100)
            .map(|k| loader.load_one(k))
            .collect::<FuturesUnordered<_>>()
            .collect::<Vec<_>>();
        let answers = Dispatching::new(operation, dispatcher).await;
        assert_eq!(answers.len(), 100);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "one batch for the page");
    }

    #[tokio::test]
    async fn a_loader_without_a_driver_loads_at_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        let loader = BatchLoader::new(Squares(calls.clone()), &Dispatcher::default());
        assert_eq!(loader.load_one(4).await.unwrap(), Some(16));
        assert_eq!(loader.load_one(4).await.unwrap(), Some(16));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_key_asked_from_another_task_is_sent_too() {
        let calls = Arc::new(AtomicUsize::new(0));
        let dispatcher = Dispatcher::default();
        let loader = Arc::new(BatchLoader::new(Squares(calls.clone()), &dispatcher));
        let spawned = loader.clone();
        let operation = async move {
            tokio::task::yield_now().await;
            tokio::spawn(async move { spawned.load_one(5).await })
                .await
                .expect("joined")
        };
        let answer = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            Dispatching::new(operation, dispatcher),
        )
        .await
        .expect("no hang");
        assert_eq!(answer.unwrap(), Some(25));
    }
}
