//! Making each commit durable before anybody hears of it, without the writer waiting for the
//! disk.
//!
//! With SQLite's `synchronous=FULL`, every `COMMIT` fsyncs the WAL itself, and the writer sat
//! idle through that fsync: under load about 1.6 ms of every 3.5 ms batch, with no job
//! running meanwhile. So in durable mode the write connection runs `synchronous=NORMAL` (a
//! commit appends its frames to the WAL without syncing; a checkpoint still syncs the WAL
//! before copying it and the database after), and this thread syncs the WAL before it
//! releases what the committed batches produced: the answers, the events to publish, the
//! notifications to send. The writer runs the next batch during the sync, and the batches
//! committed meanwhile share the next one.
//!
//! Why an answer still means durable:
//! - `fdatasync` on the WAL puts every frame written before it on stable storage, so when it
//!   returns, every batch committed before it started is durable, and so is every batch
//!   before those (the WAL is only appended to).
//! - A frame is overwritten only once a checkpoint has copied it into the database file and
//!   synced that file (SQLite rewinds the WAL only then).
//! - After a power loss, recovery replays the WAL up to the last commit whose frames all
//!   reached the disk (each frame's checksum covers every frame before it), so a batch is
//!   either whole or absent, and only batches nobody was answered for can be absent.
//!
//! What this gives up: a reader connection can see a commit up to one fsync (about 1.5 ms)
//! before it is durable. A power loss in that window takes back what a reader saw, never what
//! a caller was told, a client was sent or a clinician was notified.
//!
//! If the fsync fails, the process stops: after a failed fsync Linux may drop the dirty pages
//! and report later fsyncs as successful, so nothing written since can be trusted to be on
//! disk. Restarting runs SQLite's recovery on what the disk really holds (the course
//! PostgreSQL took in 2018).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::events::EventRecord;
use super::writer::{Effects, Job};

/// What a committed batch produced, held back until it is durable.
pub(super) struct Committed {
    pub(super) jobs: Vec<Box<dyn Job>>,
    pub(super) events: Vec<Arc<EventRecord>>,
    pub(super) outbound: Vec<i64>,
    pub(super) open_escalations: u64,
}

impl Committed {
    fn release(self, effects: &Effects) {
        effects.metrics.record_commit(&self.events);
        effects
            .metrics
            .open_escalations
            .store(self.open_escalations, std::sync::atomic::Ordering::Relaxed);
        for job in self.jobs {
            job.finish(None);
        }
        for id in self.outbound {
            let _ = effects.notify.send(id);
        }
        // Encoding and sending them to WebSocket clients is the fan-out thread's work.
        effects.hub.publish(self.events);
    }
}

/// How a commit is made durable before its answers go out.
pub type WalSync = Box<dyn FnMut() -> std::io::Result<()> + Send>;

/// The database's WAL file, synced through a descriptor of its own.
#[derive(Debug)]
pub struct Wal {
    db: PathBuf,
    path: PathBuf,
    file: Option<File>,
}

impl Wal {
    /// The WAL of the database file `db` (SQLite names it `<db>-wal`).
    pub fn of(db: &Path) -> Self {
        let mut path = db.as_os_str().to_owned();
        path.push("-wal");
        Self {
            db: db.to_owned(),
            path: path.into(),
            file: None,
        }
    }

    /// Puts every frame written to the WAL so far on stable storage.
    ///
    /// The file is opened at the first call (SQLite creates it at the first write) and again
    /// if it was ever replaced; each time, its directory is synced too, so that its name is
    /// as durable as its contents.
    ///
    /// A WAL that is gone is not a failure. SQLite removes it only when its last connection
    /// closes, after a checkpoint has copied every frame into the database file and synced
    /// that; the frames written before are in the descriptor already open, which is synced
    /// as SQLite's own `FULL` mode would sync it, or, if none was open yet, in the database
    /// file, which is synced instead.
    pub fn sync(&mut self) -> std::io::Result<()> {
        let named = match std::fs::metadata(&self.path) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let file = match (self.file.take(), named) {
            (Some(f), Some(named)) if same_file(&f.metadata()?, &named) => f,
            (Some(f), None) => f,
            (None, None) => return File::open(&self.db)?.sync_data(),
            (_, Some(_)) => {
                let f = File::open(&self.path)?;
                let dir = match self.path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                File::open(dir)?.sync_all()?;
                f
            }
        };
        file.sync_data()?;
        self.file = Some(file);
        Ok(())
    }

    /// This as a [`WalSync`].
    pub fn into_sync(mut self) -> WalSync {
        Box::new(move || self.sync())
    }
}

#[cfg(unix)]
fn same_file(open: &std::fs::Metadata, named: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    open.dev() == named.dev() && open.ino() == named.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// What to do when a sync fails: never to return, so that nothing waiting is released.
pub type OnFailedSync = fn(std::io::Error) -> !;

/// Stops the process (see the module documentation).
pub fn stop_the_process(e: std::io::Error) -> ! {
    tracing::error!(error = %e, "syncing the WAL failed: stopping, so that recovery reads what is really on disk");
    std::process::abort()
}

/// The flush thread's loop: waits for committed batches, syncs once for all that are
/// waiting, releases them in commit order. Returns when the writer is gone and every
/// batch is released.
pub(super) fn run(
    committed: std::sync::mpsc::Receiver<Committed>,
    mut sync: Option<WalSync>,
    failed: OnFailedSync,
    effects: &Effects,
) {
    while let Ok(first) = committed.recv() {
        let mut ready = vec![first];
        ready.extend(committed.try_iter());
        if let Some(sync) = &mut sync
            && let Err(e) = sync()
        {
            failed(e);
        }
        for c in ready {
            c.release(effects);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::writer::{self, WriterState};

    /// A writer on a new database in `dir` whose commits are made durable by `sync`.
    fn writer_with(
        dir: &Path,
        sync: WalSync,
        failed: OnFailedSync,
    ) -> (
        tokio::sync::mpsc::Sender<Box<dyn Job>>,
        std::thread::JoinHandle<()>,
        PathBuf,
    ) {
        let path = dir.join("flush.db");
        let conn = crate::store::open_writer(&path, "full").unwrap();
        let policies = serde_json::from_value(serde_json::json!({"low-medium": {"steps": [
            {"target": {"role": "nurse"}, "timeout_seconds": 60}
        ]}}))
        .unwrap();
        let state = WriterState::load(&conn, policies).unwrap();
        let effects = Effects {
            hub: crate::realtime::Hub::default(),
            notify: tokio::sync::mpsc::unbounded_channel().0,
            deadline: tokio::sync::watch::channel(None).0,
            metrics: Arc::default(),
            timer_due: Arc::default(),
        };
        let (jobs, rx) = tokio::sync::mpsc::channel(8);
        let writer = std::thread::spawn(move || {
            writer::run_with(
                conn,
                state,
                rx,
                effects,
                Some(sync),
                failed,
                &Default::default(),
            );
        });
        (jobs, writer, path)
    }

    /// Inserts `key` into the `meta` table; returns the receiver of the job's answer.
    fn put(
        jobs: &tokio::sync::mpsc::Sender<Box<dyn Job>>,
        key: &'static str,
    ) -> tokio::sync::oneshot::Receiver<Result<(), crate::problem::Problem>> {
        let (job, answer) = writer::task(move |ctx| {
            ctx.conn
                .execute("INSERT INTO meta (key, value) VALUES (?1, 'x')", [key])?;
            Ok(())
        });
        jobs.blocking_send(job).unwrap();
        answer
    }

    /// Waits until a fresh connection sees `key` (committed, durable or not).
    fn wait_committed(path: &Path, key: &str) {
        let reader = rusqlite::Connection::open(path).unwrap();
        let since = std::time::Instant::now();
        while reader
            .query_row("SELECT COUNT(*) FROM meta WHERE key = ?1", [key], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
            == 0
        {
            assert!(
                since.elapsed() < std::time::Duration::from_secs(10),
                "never committed"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    fn fail_the_test(e: std::io::Error) -> ! {
        panic!("sync failed: {e}")
    }

    #[test]
    fn a_commit_is_answered_only_once_the_wal_is_synced() {
        let dir = tempfile::tempdir().unwrap();
        // The sync blocks until the test lets it through.
        let (open_gate, gate) = std::sync::mpsc::channel::<()>();
        let sync: WalSync = Box::new(move || gate.recv().map_err(std::io::Error::other));
        let (jobs, writer, path) = writer_with(dir.path(), sync, fail_the_test);
        let mut answer = put(&jobs, "k1");
        wait_committed(&path, "k1");
        // Committed and visible, but not durable yet: nobody may have been answered.
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(matches!(
            answer.try_recv(),
            Err(tokio::sync::oneshot::error::TryRecvError::Empty)
        ));
        open_gate.send(()).unwrap();
        assert!(answer.blocking_recv().unwrap().is_ok());
        drop(jobs);
        writer.join().unwrap();
    }

    #[test]
    fn a_failed_sync_answers_nobody() {
        let dir = tempfile::tempdir().unwrap();
        let sync: WalSync = Box::new(|| Err(std::io::Error::other("the disk is gone")));
        // Instead of stopping the process, the flush thread panics: nothing after it runs.
        let (jobs, writer, path) = writer_with(dir.path(), sync, fail_the_test);
        let answer = put(&jobs, "k1");
        wait_committed(&path, "k1");
        assert!(
            answer.blocking_recv().is_err(),
            "an answer was sent for a commit whose sync failed"
        );
        drop(jobs);
        writer.join().unwrap();
    }

    #[test]
    fn syncs_the_wal_of_a_database_or_the_database_when_the_wal_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("monitor.db");
        let mut wal = Wal::of(&db);
        // No database and no WAL: nothing holds the commits, which is a failure.
        let missing = wal.sync().unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);

        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
            .unwrap();
        assert!(dir.path().join("monitor.db-wal").exists());
        wal.sync().unwrap();
        assert!(wal.file.is_some(), "the WAL itself was not opened");
        wal.sync().unwrap();

        // Closing the last connection checkpoints the WAL into the database and removes it.
        drop(conn);
        assert!(!dir.path().join("monitor.db-wal").exists());
        wal.sync().unwrap();
        // A fresh Wal, with no descriptor open, syncs the database file instead.
        Wal::of(&db).sync().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_wal_is_opened_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(dir.path().join("x.db-wal"), b"one").unwrap();
        let mut wal = Wal::of(&db);
        wal.sync().unwrap();
        let first = wal.file.as_ref().unwrap().metadata().unwrap();
        std::fs::remove_file(dir.path().join("x.db-wal")).unwrap();
        std::fs::write(dir.path().join("x.db-wal"), b"two").unwrap();
        wal.sync().unwrap();
        let second = wal.file.as_ref().unwrap().metadata().unwrap();
        use std::os::unix::fs::MetadataExt;
        assert_ne!(first.ino(), second.ino());
        let named = std::fs::metadata(&wal.path).unwrap();
        assert!(same_file(&second, &named));
    }

    #[test]
    fn a_database_removed_under_a_running_writer_does_not_stop_it() {
        // What the test servers meet when their temporary directory goes before their
        // writer: commits go on into the unlinked files, as they would under SQLite's FULL.
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("gone.db");
        let conn = crate::store::open_writer(&db, "full").unwrap();
        let mut wal = Wal::of(&db);
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
            .unwrap();
        wal.sync().unwrap();
        drop(dir);
        conn.execute_batch("INSERT INTO t VALUES (2)").unwrap();
        wal.sync().unwrap();
    }
}
