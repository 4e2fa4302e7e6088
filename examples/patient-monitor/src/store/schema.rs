//! The SQLite schema: the append-only event store, the read models built from it, the
//! hash-chained audit log, and the users, wards and sessions tables.

use rusqlite::Connection;

/// The tables the projections own: emptied and refilled by a rebuild, compared by the
/// rebuild test. Order matters for deletion only.
pub const PROJECTION_TABLES: &[&str] = &[
    "latest_readings",
    "readings_ahead",
    "observations",
    "scores",
    "escalations",
    "outbox",
    "patients",
];

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    patient_id    INTEGER,
    ward          TEXT,
    escalation_id INTEGER,
    esc_seq       INTEGER,
    actor         TEXT,
    data          TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_escalation_sequence
    ON events (escalation_id, esc_seq) WHERE escalation_id IS NOT NULL AND esc_seq IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_ward ON events (ward, id);
-- Only registrations: the next patient id is MAX(patient_id) + 1 over them. (A full
-- (patient_id, id) index was written at scattered pages by every event and read by nothing.)
CREATE INDEX IF NOT EXISTS events_registered ON events (patient_id) WHERE type = 'patient_registered';
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event store is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event store is append-only'); END;

CREATE TABLE IF NOT EXISTS patients (
    id            INTEGER PRIMARY KEY,
    mrn           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    cpf           TEXT NOT NULL UNIQUE,
    cns           TEXT,
    birth_date    TEXT,
    ward          TEXT NOT NULL,
    stage         TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    last_observation_id INTEGER,
    last_score_id INTEGER,
    open_escalation_id INTEGER,
    version       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS patients_ward ON patients (ward);

CREATE TABLE IF NOT EXISTS observations (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS observations_patient ON observations (patient_id, id);

-- What assembly needs, not every reading (that is in the events): see projections::readings.
CREATE TABLE IF NOT EXISTS latest_readings (
    patient_id     INTEGER NOT NULL,
    parameter      TEXT NOT NULL,
    tie            INTEGER NOT NULL,
    observation_id INTEGER NOT NULL,
    value          REAL NOT NULL,
    at             TEXT NOT NULL,
    PRIMARY KEY (patient_id, parameter, tie)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS readings_ahead (
    patient_id     INTEGER NOT NULL,
    parameter      TEXT NOT NULL,
    at             TEXT NOT NULL,
    observation_id INTEGER NOT NULL,
    value          REAL NOT NULL,
    PRIMARY KEY (patient_id, parameter, at, observation_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS scores (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    complete    INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    risk        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scores_patient ON scores (patient_id, id);

CREATE TABLE IF NOT EXISTS escalations (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL,
    ward        TEXT NOT NULL,
    state       TEXT NOT NULL,
    risk        TEXT NOT NULL,
    step        INTEGER NOT NULL,
    pass        INTEGER NOT NULL,
    role        TEXT NOT NULL,
    deadline    TEXT,
    timer_token TEXT,
    opened_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    snapshot    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalations_state ON escalations (state);
CREATE INDEX IF NOT EXISTS escalations_deadline ON escalations (deadline) WHERE deadline IS NOT NULL;

CREATE TABLE IF NOT EXISTS outbox (
    event_id      INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL,
    patient_id    INTEGER NOT NULL,
    ward          TEXT NOT NULL,
    message       TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (status) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    resource   TEXT NOT NULL,
    patient_id INTEGER,
    ward       TEXT,
    outcome    TEXT NOT NULL,
    source     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE IF NOT EXISTS wards (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    wards         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

/// Creates every table that does not exist yet, and migrates a database from before:
/// drops the `events_patient` index and the `data` copies in `observations` and `scores`
/// (the payload is read from the event with the same id; one-time table rewrite), and
/// replaces the table of every reading with the latest ones
/// ([`crate::projections::readings::migrate_from_every_reading`]).
pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch("DROP INDEX IF EXISTS events_patient")?;
    for table in ["observations", "scores"] {
        let has_data: bool = conn.query_row(
            &format!("SELECT COUNT(*) > 0 FROM pragma_table_info('{table}') WHERE name = 'data'"),
            [],
            |r| r.get(0),
        )?;
        if has_data {
            conn.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN data"))?;
        }
    }
    crate::projections::readings::migrate_from_every_reading(conn)
        .map_err(|p| rusqlite::Error::ToSqlConversionFailure(p.to_string().into()))
}

/// Connection settings: WAL, foreign keys, a busy timeout, and the durability level.
pub fn configure(conn: &Connection, synchronous: &str) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    let sync = if synchronous.eq_ignore_ascii_case("normal") {
        "NORMAL"
    } else {
        "FULL"
    };
    conn.pragma_update(None, "synchronous", sync)?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -16000)?;
    // Checkpoints run on their own thread (see `store::checkpointer`), not inside a commit.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    Ok(())
}
