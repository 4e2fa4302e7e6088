//! Storage: one SQLite file in WAL mode, one writer thread, a few reader connections.

pub mod events;
pub mod flush;
pub mod schema;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Semaphore, mpsc};

use crate::problem::Problem;
pub use writer::{Effects, Job, WriteCtx, WriterState};

/// How many read connections.
const READERS: usize = 4;

/// A handle on the database: writes go to the writer thread, reads to the reader pool.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Box<dyn Job>>,
    readers: Arc<Readers>,
    threads: Arc<Threads>,
    path: PathBuf,
}

/// The threads that write to the file, for [`Store::close`].
#[derive(Debug)]
struct Threads {
    closing: Arc<AtomicBool>,
    /// Held for the whole of a [`Store::close`], so that a second, concurrent call returns
    /// only once the first has finished (instead of finding the threads already taken and
    /// returning while they are still being joined).
    closer: tokio::sync::Mutex<()>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    checkpointer: Mutex<Option<std::thread::JoinHandle<()>>>,
}

#[derive(Debug)]
struct Readers {
    conns: Mutex<Vec<Connection>>,
    permits: Semaphore,
    // Dropped with the last handle, or sent to by `Store::close`: stops the checkpointer.
    stop_checkpoints: std::sync::mpsc::Sender<()>,
}

/// Opens the write connection: creates the file and tables, sets WAL and durability.
pub fn open_writer(path: &Path, synchronous: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    // Every statement a job runs stays prepared: rusqlite keeps 16 by default, and a vitals
    // job alone runs about that many, so a mixed load would parse some again each time.
    conn.set_prepared_statement_cache_capacity(64);
    schema::configure(&conn, synchronous)?;
    schema::create(&conn)?;
    Ok(conn)
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    Ok(conn)
}

/// Copies the WAL back into the database, off the commit path (PASSIVE: it never blocks the
/// writer or readers). Stops when every handle on the store is dropped.
///
/// SQLite rewinds the WAL to its start only at a commit that finds every frame already
/// copied. Under sustained writes a checkpoint every 250 ms never catches up (the writer
/// appends while it copies), so the WAL grew by every commit's pages (~40 MB/s at 1.8k
/// observations/s), each commit paid for new file blocks and the backlog of copying spilled
/// into whatever came next (escalation timers fired up to 280 ms late). So while a
/// checkpoint ends behind, the next one starts at once, which keeps the uncopied tail short;
/// the writer copies that tail itself now and then ([`rewind_wal`]), and its next commit
/// rewinds the WAL.
fn checkpointer(conn: &Connection, stop: &std::sync::mpsc::Receiver<()>) {
    use std::sync::mpsc::RecvTimeoutError;
    // Well under `REWIND_EVERY`, so that the writer's own checkpoint finds little to copy.
    const IDLE: std::time::Duration = std::time::Duration::from_millis(50);
    // A short pause when behind, so a storm of tiny checkpoints (each with its fsync) cannot
    // take a core from the writer.
    const BEHIND: std::time::Duration = std::time::Duration::from_millis(2);
    let mut wait = IDLE;
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(wait) {
        wait = match checkpoint(conn) {
            Ok(true) => IDLE,
            Ok(false) => BEHIND,
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpoint failed");
                IDLE
            }
        };
    }
    // The store is gone: one last checkpoint.
    let _ = checkpoint(conn);
}

/// How often the writer copies the last frames itself, so that its next commit can rewind
/// the WAL.
pub(crate) const REWIND_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Called by the writer between two batches: SQLite rewinds the WAL only at a commit whose
/// transaction began with every frame copied, and the writer begins the next batch the
/// moment the last one is answered, so the checkpointer alone (however far it catches up)
/// never finds that instant. The checkpointer has copied nearly everything by now, so this
/// copies about one batch of pages (and fsyncs the database file). Busy (the checkpointer
/// is running) is not an error: the next call tries again.
pub(crate) fn rewind_wal(conn: &Connection) {
    if let Err(e) = checkpoint(conn) {
        tracing::warn!(error = %e, "WAL checkpoint by the writer failed");
    }
}

/// Waits for the thread in `slot`, if it is still there, off the async runtime.
async fn join(slot: &Mutex<Option<std::thread::JoinHandle<()>>>) {
    let thread = slot.lock().ok().and_then(|mut thread| thread.take());
    if let Some(thread) = thread {
        let _ = tokio::task::spawn_blocking(move || thread.join()).await;
    }
}

/// One PASSIVE checkpoint; whether it copied every frame in the WAL.
fn checkpoint(conn: &Connection) -> rusqlite::Result<bool> {
    let (log, copied): (i64, i64) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((r.get(1)?, r.get(2)?))
    })?;
    Ok(copied >= log)
}

/// How the writer's answers are made durable. A connection set to `synchronous=FULL` is
/// switched to `NORMAL`, and the flush thread syncs the WAL before answering (see
/// [`flush`]); one set to `NORMAL` by the operator's choice keeps it and syncs nothing.
fn durable_answers(conn: &Connection) -> rusqlite::Result<Option<flush::WalSync>> {
    let level: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
    // 2 is FULL, 3 EXTRA; an in-memory database has no file to sync.
    let file = conn.path().filter(|p| !p.is_empty());
    match file {
        Some(db) if level >= 2 => {
            let wal = flush::Wal::of(Path::new(db));
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(Some(wal.into_sync()))
        }
        _ => Ok(None),
    }
}

impl Store {
    /// Starts the writer thread on `conn` with `state`, and opens the readers.
    pub fn start(
        path: &Path,
        conn: Connection,
        state: WriterState,
        effects: Effects,
    ) -> rusqlite::Result<Self> {
        let readers = (0..READERS)
            .map(|_| open_reader(path))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let checkpoints = Connection::open(path)?;
        checkpoints.pragma_update(None, "busy_timeout", 5000)?;
        let (stop, stopped) = std::sync::mpsc::channel();
        let checkpointer = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpointer(&checkpoints, &stopped))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let sync = durable_answers(&conn)?;
        let (jobs, rx) = mpsc::channel(8192);
        let closing = Arc::new(AtomicBool::new(false));
        let writer = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn({
                let closing = closing.clone();
                move || writer::run(conn, state, rx, effects, sync, closing)
            })
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Self {
            jobs,
            readers: Arc::new(Readers {
                conns: Mutex::new(readers),
                permits: Semaphore::new(READERS),
                stop_checkpoints: stop,
            }),
            threads: Arc::new(Threads {
                closing,
                closer: tokio::sync::Mutex::new(()),
                writer: Mutex::new(Some(writer)),
                checkpointer: Mutex::new(Some(checkpointer)),
            }),
            path: path.to_owned(),
        })
    }

    /// Closes the database for good, whatever handles are still held: the jobs already
    /// queued run, commit and are answered (made durable first, as always); any later
    /// write is refused with "the database writer has stopped", any later read with "the
    /// database is closed". Then the checkpointer copies the WAL into the database one last
    /// time. Returns once the writer, its flush thread and the checkpointer have ended, so
    /// nothing writes to the file afterwards; with no read in flight, every connection is
    /// closed and SQLite has removed the WAL. A call made while another is under way
    /// returns when that one has finished; a later call returns at once.
    pub async fn close(&self) {
        let _closer = self.threads.closer.lock().await;
        self.threads.closing.store(true, Ordering::Release);
        // Wakes an idle writer, which then closes its queue. Refused if it has already
        // stopped, which is fine.
        let _ = self.write(|_| Ok(())).await;
        join(&self.threads.writer).await;
        self.readers.permits.close();
        if let Ok(mut pool) = self.readers.conns.lock() {
            pool.clear();
        }
        // Refused if the checkpointer has already ended, which is fine. Its connection is
        // the last one open, and closing it removes the WAL.
        let _ = self.readers.stop_checkpoints.send(());
        join(&self.threads.checkpointer).await;
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the writer, inside a transaction that is committed before the answer comes
    /// back. An `Err` that is not internal rolls back `f`'s writes alone.
    pub async fn write<F, R>(&self, f: F) -> Result<R, Problem>
    where
        F: FnOnce(&mut WriteCtx<'_>) -> Result<R, Problem> + Send + 'static,
        R: Send + 'static,
    {
        let (job, rx) = writer::task(f);
        self.jobs
            .send(job)
            .await
            .map_err(|_| Problem::unavailable("the database writer has stopped"))?;
        rx.await
            .map_err(|_| Problem::unavailable("the database writer has stopped"))?
    }

    /// Whether the writer is running.
    pub fn writer_alive(&self) -> bool {
        !self.jobs.is_closed()
    }

    /// Runs `f` on a read connection (a consistent snapshot of the last commit).
    pub async fn read<F, R>(&self, f: F) -> Result<R, Problem>
    where
        F: FnOnce(&Connection) -> Result<R, Problem> + Send + 'static,
        R: Send + 'static,
    {
        let _permit = self
            .readers
            .permits
            .acquire()
            .await
            .map_err(|_| Problem::unavailable("the database is closed"))?;
        let conn = self
            .readers
            .conns
            .lock()
            .map_err(|_| Problem::unavailable("the reader pool is poisoned"))?
            .pop()
            .ok_or_else(|| Problem::unavailable("no reader connection free"))?;
        let readers = self.readers.clone();
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let result = f(&conn);
            (conn, result)
        })
        .await
        .map_err(|e| Problem::internal("reader task", e))?;
        if let Ok(mut pool) = readers.conns.lock() {
            // A store closed meanwhile keeps no connection.
            if !readers.permits.is_closed() {
                pool.push(conn);
            }
        }
        result
    }
}
