//! The one writer: a dedicated thread that owns the only write connection and the
//! in-memory state decided against (the escalation board, the audit chain head).
//!
//! Jobs queue on a channel. The thread takes every job waiting (up to a batch limit), runs
//! each in its own savepoint inside one transaction and commits once; the flush thread
//! ([`super::flush`]) makes the commit durable and only then answers the callers, publishes
//! the new events and hands notifications to the dispatcher: group commit, so every answer
//! is durable and an fsync is shared by the whole batch (or several). A job
//! refused (a domain error) rolls back its savepoint alone; a database failure rolls back
//! the batch, answers every job with an error and reloads the in-memory state from the
//! database, so memory never runs ahead of what is stored.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::events::{self, EventRecord, NewEvent};
use crate::audit::{AuditEntry, Chain};
use crate::escalation::Desk;
use crate::problem::Problem;

/// The most jobs committed together.
const MAX_BATCH: usize = 512;

/// What a job's run came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done: keep its writes.
    Done,
    /// Refused (bad input, conflict, not allowed): roll back its own writes.
    Refused,
    /// The database failed: roll back the whole batch.
    Failed,
}

/// A unit of work for the writer.
pub trait Job: Send {
    /// Runs inside the batch transaction.
    fn run(&mut self, ctx: &mut WriteCtx<'_>) -> Status;
    /// Answers the caller once the batch is committed (`None`) or abandoned (`Some`).
    fn finish(self: Box<Self>, abandoned: Option<&Problem>);
}

struct Task<F, R> {
    f: Option<F>,
    result: Option<Result<R, Problem>>,
    reply: oneshot::Sender<Result<R, Problem>>,
}

impl<F, R> Job for Task<F, R>
where
    F: FnOnce(&mut WriteCtx<'_>) -> Result<R, Problem> + Send,
    R: Send,
{
    fn run(&mut self, ctx: &mut WriteCtx<'_>) -> Status {
        let Some(f) = self.f.take() else {
            return Status::Refused;
        };
        let result = f(ctx);
        let status = match &result {
            Ok(_) => Status::Done,
            Err(p) if p.is_internal() => Status::Failed,
            Err(_) => Status::Refused,
        };
        self.result = Some(result);
        status
    }

    fn finish(self: Box<Self>, abandoned: Option<&Problem>) {
        let answer = match (abandoned, self.result) {
            (None, Some(r)) => r,
            (Some(_), Some(Err(own))) if !own.is_internal() => Err(own),
            (Some(p), _) => Err(p.clone()),
            (None, None) => Err(Problem::unavailable("the request was not run; retry it")),
        };
        // The caller may have gone away (client disconnected); the work is done either way.
        let _ = self.reply.send(answer);
    }
}

/// Wraps a closure as a job and returns the receiver of its answer.
pub fn task<F, R>(f: F) -> (Box<dyn Job>, oneshot::Receiver<Result<R, Problem>>)
where
    F: FnOnce(&mut WriteCtx<'_>) -> Result<R, Problem> + Send + 'static,
    R: Send + 'static,
{
    let (reply, rx) = oneshot::channel();
    (
        Box::new(Task {
            f: Some(f),
            result: None,
            reply,
        }),
        rx,
    )
}

/// The in-memory state the writer decides against.
#[derive(Debug)]
pub struct WriterState {
    /// The head of the audit hash chain.
    pub audit: Chain,
    /// The escalation board and its policies.
    pub desk: Desk,
    last_now: DateTime<Utc>,
}

impl WriterState {
    /// Loads the state from the database.
    pub fn load(conn: &Connection, policies: escalation_core::PolicySet) -> Result<Self, String> {
        Ok(Self {
            audit: Chain::load(conn).map_err(|e| format!("cannot read the audit chain: {e}"))?,
            desk: Desk::restore(conn, policies)?,
            last_now: DateTime::<Utc>::MIN_UTC,
        })
    }

    fn reload(&mut self, conn: &Connection) -> Result<(), String> {
        let policies = self.desk.policies().as_ref().clone();
        let last_now = self.last_now;
        *self = Self::load(conn, policies)?;
        self.last_now = last_now;
        Ok(())
    }

    /// The time for the next job: the wall clock, never earlier than the time of an earlier job.
    fn tick(&mut self) -> DateTime<Utc> {
        let now = Utc::now().max(self.last_now);
        self.last_now = now;
        now
    }
}

/// What a job sees: the connection (inside the transaction), the time, the state.
pub struct WriteCtx<'a> {
    /// The write connection, inside the batch transaction.
    pub conn: &'a Connection,
    /// The job's time (monotonic across jobs).
    pub now: DateTime<Utc>,
    /// The in-memory state.
    pub state: &'a mut WriterState,
    events: &'a mut Vec<Arc<EventRecord>>,
    outbound: &'a mut Vec<i64>,
}

impl std::fmt::Debug for WriteCtx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteCtx")
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl WriteCtx<'_> {
    /// Appends an event and updates the read models from it, in this transaction. The record
    /// is shared (not copied) with the batch's list of events to publish after the commit.
    pub fn append(&mut self, e: NewEvent) -> Result<Arc<EventRecord>, Problem> {
        let record = events::insert(self.conn, self.now, e)?;
        if crate::projections::apply(self.conn, &record)? {
            self.outbound.push(record.id);
        }
        let record = Arc::new(record);
        self.events.push(record.clone());
        Ok(record)
    }

    /// Adds an audit entry to the hash chain, in this transaction.
    pub fn audit(&mut self, entry: AuditEntry) -> Result<(), Problem> {
        self.state.audit.append(self.conn, self.now, entry)
    }
}

/// Where the writer sends what a commit made visible.
#[derive(Debug, Clone)]
pub struct Effects {
    /// Realtime fan-out.
    pub hub: crate::realtime::Hub,
    /// Outbox event ids for the notification dispatcher.
    pub notify: mpsc::UnboundedSender<i64>,
    /// The board's next deadline, for the timer task.
    pub deadline: tokio::sync::watch::Sender<Option<escalation_core::Deadline>>,
    /// Counters.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Set by the timer task: fire due deadlines first thing in the next batch, ahead of
    /// any queued jobs, so a write backlog never delays an escalation step.
    pub timer_due: Arc<std::sync::atomic::AtomicBool>,
}

/// The writer thread's loop: commits made durable by `sync` (none: as SQLite leaves them),
/// and the process stopped if a sync fails. Returns when every sender is gone, or, once
/// `closing` is set, when the jobs already queued are done (see `Store::close`).
pub fn run(
    conn: Connection,
    state: WriterState,
    rx: mpsc::Receiver<Box<dyn Job>>,
    effects: Effects,
    sync: Option<super::flush::WalSync>,
    closing: Arc<AtomicBool>,
) {
    run_with(
        conn,
        state,
        rx,
        effects,
        sync,
        super::flush::stop_the_process,
        &closing,
    );
}

/// [`run`], with what to do when a sync fails.
pub(crate) fn run_with(
    conn: Connection,
    mut state: WriterState,
    mut rx: mpsc::Receiver<Box<dyn Job>>,
    effects: Effects,
    sync: Option<super::flush::WalSync>,
    failed: super::flush::OnFailedSync,
    closing: &AtomicBool,
) {
    // A few batches may wait for their fsync; beyond that the writer waits too.
    let (committed, to_flush) = std::sync::mpsc::sync_channel(16);
    let flusher = {
        let effects = effects.clone();
        std::thread::Builder::new()
            .name("sqlite-flush".into())
            .spawn(move || super::flush::run(to_flush, sync, failed, &effects))
    };
    let flusher = match flusher {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the flush thread; the writer stops");
            return;
        }
    };
    let mut events: Vec<Arc<EventRecord>> = Vec::new();
    let mut outbound = Vec::new();
    let mut stats = Stats::default();
    effects.deadline.send_replace(state.desk.next_deadline());
    let mut rewound = std::time::Instant::now();
    while let Some(first) = rx.blocking_recv() {
        if closing.load(Ordering::Acquire) {
            // No new job gets in; those already queued still run, then the loop ends.
            rx.close();
        }
        if rewound.elapsed() >= super::REWIND_EVERY {
            super::rewind_wal(&conn);
            rewound = std::time::Instant::now();
        }
        stats.batch_started();
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        outbound.clear();
        let outcome = run_batch(
            &conn,
            &mut state,
            &mut batch,
            &mut events,
            &mut outbound,
            &effects.timer_due,
            &mut stats,
        );
        match outcome {
            Ok(()) => {
                let batch = super::flush::Committed {
                    jobs: batch,
                    events: std::mem::take(&mut events),
                    outbound: std::mem::take(&mut outbound),
                    open_escalations: state.desk.open_count() as u64,
                };
                if committed.send(batch).is_err() {
                    tracing::error!("the flush thread has stopped; the writer stops");
                    return;
                }
            }
            Err(problem) => {
                events.clear();
                let _ = conn.execute_batch("ROLLBACK");
                if let Err(e) = state.reload(&conn) {
                    tracing::error!(error = %e, "writer could not reload its state after a failed batch; stopping");
                    for job in batch {
                        job.finish(Some(&problem));
                    }
                    return;
                }
                for job in batch {
                    job.finish(Some(&problem));
                }
            }
        }
        effects.deadline.send_if_modified(|d| {
            let next = state.desk.next_deadline();
            let changed = *d != next;
            *d = next;
            changed
        });
        stats.batch_ended();
    }
    // Every sender is gone, or the store is closed and drained: the flush thread releases
    // what is left, then the writer ends.
    drop(committed);
    let _ = flusher.join();
}

/// Where the writer's time goes, summed over batches and logged (at `debug`, target
/// `writer_stats`) about once a second: batch sizes, time in the jobs, in the savepoint
/// statements and in `COMMIT` (writing the WAL: syncing it, answering and publishing are the
/// flush thread's).
#[derive(Debug)]
struct Stats {
    since: std::time::Instant,
    batch_start: std::time::Instant,
    batches: u64,
    jobs: u64,
    max_batch: usize,
    in_jobs: std::time::Duration,
    in_savepoints: std::time::Duration,
    in_commit: std::time::Duration,
    in_batches: std::time::Duration,
    enabled: bool,
}

impl Default for Stats {
    fn default() -> Self {
        let now = std::time::Instant::now();
        Self {
            since: now,
            batch_start: now,
            batches: 0,
            jobs: 0,
            max_batch: 0,
            in_jobs: std::time::Duration::ZERO,
            in_savepoints: std::time::Duration::ZERO,
            in_commit: std::time::Duration::ZERO,
            in_batches: std::time::Duration::ZERO,
            enabled: tracing::enabled!(target: "writer_stats", tracing::Level::DEBUG),
        }
    }
}

impl Stats {
    fn timer(&self) -> Option<std::time::Instant> {
        self.enabled.then(std::time::Instant::now)
    }

    fn batch_started(&mut self) {
        if self.enabled {
            self.batch_start = std::time::Instant::now();
        }
    }

    fn batch_ended(&mut self) {
        if !self.enabled {
            return;
        }
        self.batches += 1;
        self.in_batches += self.batch_start.elapsed();
        let window = self.since.elapsed();
        if window < std::time::Duration::from_secs(1) {
            return;
        }
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let per = |d: std::time::Duration| ms(d) / self.batches.max(1) as f64;
        tracing::debug!(
            target: "writer_stats",
            "{:.0} jobs/s, {} batches, {:.1} jobs/batch (max {}); per batch ms: jobs {:.2}, savepoints {:.2}, commit {:.2}, whole {:.2}; busy {:.0}%",
            self.jobs as f64 / window.as_secs_f64(),
            self.batches,
            self.jobs as f64 / self.batches.max(1) as f64,
            self.max_batch,
            per(self.in_jobs),
            per(self.in_savepoints),
            per(self.in_commit),
            per(self.in_batches),
            100.0 * self.in_batches.as_secs_f64() / window.as_secs_f64(),
        );
        *self = Self {
            enabled: true,
            ..Self::default()
        };
    }
}

/// Runs one fixed statement through the statement cache (no parsing per job).
fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

fn run_batch(
    conn: &Connection,
    state: &mut WriterState,
    batch: &mut [Box<dyn Job>],
    events: &mut Vec<Arc<EventRecord>>,
    outbound: &mut Vec<i64>,
    timer_due: &std::sync::atomic::AtomicBool,
    stats: &mut Stats,
) -> Result<(), Problem> {
    stats.jobs += batch.len() as u64;
    stats.max_batch = stats.max_batch.max(batch.len());
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in batch.iter_mut() {
        // A deadline that fell due fires between two jobs, never after a whole batch.
        if timer_due.swap(false, std::sync::atomic::Ordering::AcqRel) {
            let now = state.tick();
            crate::escalation::advance(&mut WriteCtx {
                conn,
                now,
                state: &mut *state,
                events: &mut *events,
                outbound: &mut *outbound,
            })?;
        }
        let (events_mark, outbound_mark, audit_mark) =
            (events.len(), outbound.len(), state.audit.mark());
        let t = stats.timer();
        exec(conn, "SAVEPOINT job")?;
        if let Some(t) = t {
            stats.in_savepoints += t.elapsed();
        }
        let now = state.tick();
        let t = stats.timer();
        let status = job.run(&mut WriteCtx {
            conn,
            now,
            state: &mut *state,
            events: &mut *events,
            outbound: &mut *outbound,
        });
        if let Some(t) = t {
            stats.in_jobs += t.elapsed();
        }
        let t = stats.timer();
        match status {
            Status::Done => exec(conn, "RELEASE job")?,
            Status::Refused => {
                exec(conn, "ROLLBACK TO job")?;
                exec(conn, "RELEASE job")?;
                events.truncate(events_mark);
                outbound.truncate(outbound_mark);
                state.audit.reset(audit_mark);
            }
            Status::Failed => {
                return Err(Problem::unavailable(
                    "the database failed while recording; nothing was recorded, retry",
                ));
            }
        }
        if let Some(t) = t {
            stats.in_savepoints += t.elapsed();
        }
    }
    let t = stats.timer();
    exec(conn, "COMMIT").map_err(|e| Problem::internal("commit", e))?;
    if let Some(t) = t {
        stats.in_commit += t.elapsed();
    }
    Ok(())
}

/// Runs `f` as one committed job on `conn` (for unit tests of code that needs a [`WriteCtx`]).
#[cfg(test)]
pub(crate) fn run_once<R>(
    conn: &Connection,
    state: &mut WriterState,
    f: impl FnOnce(&mut WriteCtx<'_>) -> Result<R, Problem>,
) -> Result<R, Problem> {
    let (mut events, mut outbound) = (Vec::new(), Vec::new());
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let now = state.tick();
    let r = f(&mut WriteCtx {
        conn,
        now,
        state,
        events: &mut events,
        outbound: &mut outbound,
    });
    conn.execute_batch(if r.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    r
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use serde_json::json;

    use super::*;
    use crate::store::Store;

    fn start(path: &std::path::Path) -> (Store, Arc<crate::metrics::Metrics>) {
        let conn = crate::store::open_writer(path, "full").unwrap();
        let policies = serde_json::from_value(json!({"low-medium": {"steps": [
            {"target": {"role": "nurse"}, "timeout_seconds": 60}
        ]}}))
        .unwrap();
        let state = WriterState::load(&conn, policies).unwrap();
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let effects = Effects {
            hub: crate::realtime::Hub::default(),
            notify: mpsc::unbounded_channel().0,
            deadline: tokio::sync::watch::channel(None).0,
            metrics: metrics.clone(),
            timer_due: Arc::default(),
        };
        (Store::start(path, conn, state, effects).unwrap(), metrics)
    }

    fn put(ctx: &mut WriteCtx<'_>, key: &str) -> Result<(), Problem> {
        ctx.conn
            .execute("INSERT INTO meta (key, value) VALUES (?1, 'x')", [key])?;
        Ok(())
    }

    fn keys(path: &std::path::Path) -> Vec<String> {
        // A fresh connection: it sees only what was committed.
        let conn = Connection::open(path).unwrap();
        conn.prepare("SELECT key FROM meta WHERE key LIKE 'k%' ORDER BY key")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Starts a job that writes `key` once released, and returns when the writer is inside
    /// it: jobs sent meanwhile queue behind it. Returns the job's answer and its release.
    async fn hold_writer(
        store: &Store,
        key: &'static str,
    ) -> (
        tokio::task::JoinHandle<Result<(), Problem>>,
        std::sync::mpsc::Sender<()>,
    ) {
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (running, started) = oneshot::channel::<()>();
        let job = tokio::spawn({
            let store = store.clone();
            async move {
                store
                    .write(move |ctx| {
                        running.send(()).unwrap();
                        held.recv().unwrap();
                        put(ctx, key)
                    })
                    .await
            }
        });
        started.await.unwrap();
        (job, release)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_job_rolls_back_alone_and_its_batch_commits_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("batch.db");
        let (store, metrics) = start(&path);
        // Hold the writer in a first job until the next three are queued, so they run in
        // one batch (one transaction).
        let (first, release) = hold_writer(&store, "k0").await;
        let commits_before = metrics.commits.load(Ordering::Relaxed);
        let job = |key: &'static str, refuse: bool| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .write(move |ctx| {
                        put(ctx, key)?;
                        if refuse {
                            return Err(Problem::bad_request("refused on purpose"));
                        }
                        Ok(key)
                    })
                    .await
            })
        };
        let (a, b, c) = (job("k1", false), job("k2", true), job("k3", false));
        // Let the three reach the queue, then let the writer go.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(a.await.unwrap().unwrap(), "k1");
        let refused = b.await.unwrap().unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(c.await.unwrap().unwrap(), "k3");
        assert_eq!(keys(&path), ["k0", "k1", "k3"]);
        // The first job's batch, then one commit for the other three together (counted just
        // after the answers are sent).
        let commits = || metrics.commits.load(Ordering::Relaxed) - commits_before;
        for _ in 0..100 {
            if commits() >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(commits(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn close_answers_the_queued_jobs_then_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("close.db");
        let (store, _) = start(&path);
        // Hold the writer in a first job so that the next three queue behind it, then
        // close while they wait.
        let (first, release) = hold_writer(&store, "k0").await;
        let queued: Vec<_> = ["k1", "k2", "k3"]
            .into_iter()
            .map(|key| {
                let store = store.clone();
                tokio::spawn(async move { store.write(move |ctx| put(ctx, key)).await })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let closing = tokio::spawn({
            let store = store.clone();
            async move { store.close().await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(!closing.is_finished(), "close waits for the queued jobs");
        release.send(()).unwrap();
        closing.await.unwrap();
        first.await.unwrap().unwrap();
        for job in queued {
            job.await.unwrap().unwrap();
        }
        // Both threads that write to the file were joined, the checkpointer after its last
        // checkpoint, and every connection is closed: SQLite has removed the WAL, and the
        // database file alone holds every row.
        assert!(store.threads.writer.lock().unwrap().is_none());
        assert!(store.threads.checkpointer.lock().unwrap().is_none());
        assert!(!dir.path().join("close.db-wal").exists());
        let alone = dir.path().join("alone.db");
        std::fs::copy(&path, &alone).unwrap();
        assert_eq!(keys(&alone), ["k0", "k1", "k2", "k3"]);
        assert!(!store.writer_alive());
        let closed = store.read(|_| Ok(())).await.unwrap_err();
        assert_eq!(closed.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        let refused = store.write(|ctx| put(ctx, "k4")).await.unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(keys(&path), ["k0", "k1", "k2", "k3"]);
        // A second close finds the writer gone and returns.
        store.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_close_returns_only_when_the_first_has_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("twice.db");
        let (store, _) = start(&path);
        let (first, release) = hold_writer(&store, "k0").await;
        let close = || {
            let store = store.clone();
            tokio::spawn(async move { store.close().await })
        };
        // The first close queues its wake-up job behind the held one. Behind that, fill
        // the rest of its batch, then a job that holds the writer in the next batch: the
        // first close gets its answer and then waits for a writer thread that cannot end.
        let one = close();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let mut fillers = Vec::new();
        for _ in 1..MAX_BATCH {
            let (job, answer) = task(|_| Ok(()));
            store.jobs.send(job).await.unwrap();
            fillers.push(answer);
        }
        let (release_last, held) = std::sync::mpsc::channel::<()>();
        let (job, last) = task(move |ctx| {
            held.recv().unwrap();
            put(ctx, "k1")
        });
        store.jobs.send(job).await.unwrap();
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        for answer in fillers {
            answer.await.unwrap().unwrap();
        }
        // The queue is closed and the writer is held: a second close has nothing left to
        // send, and must not return before the first has joined the writer.
        let two = close();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!one.is_finished(), "the first close waits for the writer");
        assert!(!two.is_finished(), "the second close waits for the first");
        release_last.send(()).unwrap();
        two.await.unwrap();
        // The second has returned, so the first's work is done: the WAL is removed, which
        // takes every connection closed, the writer's too.
        assert!(!dir.path().join("twice.db-wal").exists());
        one.await.unwrap();
        last.await.unwrap().unwrap();
        assert_eq!(keys(&path), ["k0", "k1"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sustained_writes_rewind_the_wal_instead_of_growing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wal.db");
        let (store, _) = start(&path);
        // One commit at a time, for well over the rewind interval: every commit appends at
        // least one frame, so a WAL that was never rewound holds at least one per commit.
        let started = std::time::Instant::now();
        let mut commits = 0;
        while commits < 200 || started.elapsed() < 4 * crate::store::REWIND_EVERY {
            let key = format!("k{commits:05}");
            store.write(move |ctx| put(ctx, &key)).await.unwrap();
            commits += 1;
        }
        let conn = Connection::open(&path).unwrap();
        let frames: i64 = conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .unwrap();
        assert!(
            frames < commits,
            "{frames} frames in the WAL after {commits} commits: it was never rewound"
        );
        assert_eq!(keys(&path).len(), commits as usize);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_answer_comes_after_its_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("durable.db");
        let (store, _) = start(&path);
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let (store, path) = (store.clone(), path.clone());
                tokio::spawn(async move {
                    let key = format!("k{i:03}");
                    let k = key.clone();
                    store.write(move |ctx| put(ctx, &k)).await.unwrap();
                    // Answered: a fresh connection must already see the row.
                    let conn = Connection::open(&path).unwrap();
                    let n: i64 = conn
                        .query_row("SELECT COUNT(*) FROM meta WHERE key = ?1", [&key], |r| {
                            r.get(0)
                        })
                        .unwrap();
                    assert_eq!(n, 1, "{key} answered before it was committed");
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(keys(&path).len(), 64);
    }
}
