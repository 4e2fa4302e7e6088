//! The append-only event store: every fact the system knows, with a monotonically
//! increasing id that the WebSocket replay and `/api/events?after=` both page on.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::Value;

use crate::problem::Problem;

/// Formats an instant the one way the database stores it (RFC 3339, milliseconds, `Z`), so
/// text comparison in SQL is time comparison.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses an instant stored by [`fmt_time`].
pub fn parse_time(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

/// An event about to be appended.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The event type (`patient_registered`, `score_computed`, `escalation_step_started`, ...).
    pub kind: String,
    /// The patient it is about, if any.
    pub patient_id: Option<i64>,
    /// The patient's ward: who may see it. `None` only for facility events without patient data.
    pub ward: Option<String>,
    /// The escalation it belongs to, if any.
    pub escalation_id: Option<i64>,
    /// The escalation stream's sequence number (unique per escalation).
    pub esc_seq: Option<i64>,
    /// Who caused it (a username, `system`, `timer`, `simulator`).
    pub actor: Option<String>,
    /// The payload.
    pub data: Value,
}

impl NewEvent {
    /// An event about a patient in a ward.
    pub fn patient(kind: &str, patient_id: i64, ward: &str, actor: &str, data: Value) -> Self {
        Self {
            kind: kind.to_owned(),
            patient_id: Some(patient_id),
            ward: Some(ward.to_owned()),
            escalation_id: None,
            esc_seq: None,
            actor: Some(actor.to_owned()),
            data,
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    /// Position in the store, from 1, never reused.
    pub id: i64,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// The event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The patient, if any.
    pub patient_id: Option<i64>,
    /// The ward, if any.
    pub ward: Option<String>,
    /// The escalation, if any.
    pub escalation_id: Option<i64>,
    /// The escalation stream's sequence number, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub esc_seq: Option<i64>,
    /// Who caused it.
    pub actor: Option<String>,
    /// The payload.
    pub data: Value,
}

impl EventRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let data: String = row.get(8)?;
        Ok(Self {
            id: row.get(0)?,
            at: parse_time(&row.get::<_, String>(1)?)?,
            kind: row.get(2)?,
            patient_id: row.get(3)?,
            ward: row.get(4)?,
            escalation_id: row.get(5)?,
            esc_seq: row.get(6)?,
            actor: row.get(7)?,
            data: serde_json::from_str(&data).unwrap_or(Value::Null),
        })
    }

    /// Whether a user with these wards (`None`: every ward) may see it.
    pub fn visible_to(&self, wards: Option<&[String]>) -> bool {
        match (wards, &self.ward) {
            (None, _) | (_, None) => true,
            (Some(ws), Some(w)) => ws.iter().any(|x| x == w),
        }
    }
}

const COLUMNS: &str = "id, at, type, patient_id, ward, escalation_id, esc_seq, actor, data";

/// Appends one event (inside the writer's transaction) and returns it with its id.
pub fn insert(conn: &Connection, at: DateTime<Utc>, e: NewEvent) -> Result<EventRecord, Problem> {
    let data =
        serde_json::to_string(&e.data).map_err(|err| Problem::internal("event encoding", err))?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (at, type, patient_id, ward, escalation_id, esc_seq, actor, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    stmt.execute(params![
        fmt_time(at),
        e.kind,
        e.patient_id,
        e.ward,
        e.escalation_id,
        e.esc_seq,
        e.actor,
        data
    ])?;
    Ok(EventRecord {
        id: conn.last_insert_rowid(),
        at,
        kind: e.kind,
        patient_id: e.patient_id,
        ward: e.ward,
        escalation_id: e.escalation_id,
        esc_seq: e.esc_seq,
        actor: e.actor,
        data: e.data,
    })
}

/// Events after `after` that a user with `wards` may see (`None`: all), oldest first.
pub fn after(
    conn: &Connection,
    after: i64,
    wards: Option<&[String]>,
    limit: usize,
) -> rusqlite::Result<Vec<EventRecord>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    match wards {
        None => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM events WHERE id > ?1 ORDER BY id LIMIT ?2"
            ))?;
            stmt.query_map(params![after, limit], EventRecord::from_row)?
                .collect()
        }
        Some(wards) => {
            let wards_json = serde_json::to_string(wards).unwrap_or_else(|_| "[]".into());
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM events WHERE id > ?1
                 AND (ward IS NULL OR ward IN (SELECT value FROM json_each(?2)))
                 ORDER BY id LIMIT ?3"
            ))?;
            stmt.query_map(params![after, wards_json, limit], EventRecord::from_row)?
                .collect()
        }
    }
}

/// Every event, oldest first, in pages (for rebuilds).
pub fn page(conn: &Connection, after_id: i64, limit: i64) -> rusqlite::Result<Vec<EventRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM events WHERE id > ?1 ORDER BY id LIMIT ?2"
    ))?;
    stmt.query_map(params![after_id, limit], EventRecord::from_row)?
        .collect()
}

/// The events of one escalation, in stream order.
pub fn of_escalation(conn: &Connection, escalation_id: i64) -> rusqlite::Result<Vec<EventRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM events WHERE escalation_id = ?1 AND esc_seq IS NOT NULL ORDER BY esc_seq"
    ))?;
    stmt.query_map([escalation_id], EventRecord::from_row)?
        .collect()
}

/// The highest event id (0 when empty).
pub fn last_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))
}

/// One event by id.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<EventRecord>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM events WHERE id = ?1"),
        [id],
        EventRecord::from_row,
    )
    .optional()
}
