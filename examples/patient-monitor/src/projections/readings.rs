//! The readings read model: what assembling an observation set needs, and no more.
//!
//! Assembly asks, for each parameter, for the latest reading at or before a time T (every
//! one of them when several share that instant). Keeping every reading with an index on
//! (patient, parameter, time) answered that, but cost each observation seven rows plus seven
//! index entries at scattered pages: about a third of the writer's time. Every reading stays
//! in its event; here each is kept in one of two tables:
//!
//! - `latest_readings`: readings that are settled, i.e. at or before the time of their own
//!   observation event or of a later one of the same patient. Per (patient, parameter) only
//!   the rows at the latest instant are kept, all of them when several share it.
//! - `readings_ahead`: the others (a device clock ahead of the server's, within the allowed
//!   skew). All are kept, as T may fall between two of them; the patient's next observation
//!   event settles those it is no longer behind, so this table stays a few minutes deep.
//!
//! Both depend only on the events and their times, so a rebuild gives the same rows.
//! Assembly runs at a T no earlier than the writer's clock, which never goes back while the
//! server runs, so every settled reading is at or before T and the answer is the later of the
//! `latest_readings` rows and the latest ahead reading up to T. If the wall clock went back
//! across a restart, a latest row can be after T: that parameter is then read from the
//! patient's observation events (a scan, exact, and needed only until the clock catches up).

use rusqlite::{Connection, params};
use serde_json::Value;

use crate::problem::Problem;
use crate::store::events::{EventRecord, fmt_time, parse_time};

/// One stored reading, as assembly reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReading {
    /// The parameter's name ([`news2_core::Parameter::as_str`]).
    pub parameter: String,
    /// The value (consciousness as its code, oxygen as 0 or 1).
    pub value: f64,
    /// When it was measured, as stored ([`fmt_time`]).
    pub at: String,
    /// The observation (event id) that carried it.
    pub observation_id: i64,
}

impl StoredReading {
    /// Reads the columns `parameter, value, at, observation_id`, in that order.
    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            parameter: r.get(0)?,
            value: r.get(1)?,
            at: r.get(2)?,
            observation_id: r.get(3)?,
        })
    }
}

/// The readings an observation event carries, one per parameter: when a parameter comes
/// twice (a panel with both oxygen flow and on-oxygen), the last one given is kept.
fn carried(data: &Value) -> Result<Vec<(&str, f64, &str)>, Problem> {
    let list = data
        .get("readings")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out: Vec<(&str, f64, &str)> = Vec::with_capacity(list.len());
    for r in list {
        let field = |k: &str| r.get(k);
        let (Some(parameter), Some(value), Some(at)) = (
            field("parameter").and_then(Value::as_str),
            field("value").and_then(Value::as_f64),
            field("at").and_then(Value::as_str),
        ) else {
            return Err(Problem::internal(
                "stored reading",
                format!("a reading needs a parameter, a numeric value and a time: {r}"),
            ));
        };
        out.retain(|(p, _, _)| *p != parameter);
        out.push((parameter, value, at));
    }
    Ok(out)
}

/// Keeps the readings of an observation event, in the transaction that appends it.
pub fn record(conn: &Connection, e: &EventRecord) -> Result<(), Problem> {
    let recorded = fmt_time(e.at);
    // Ahead readings this event's time has caught up with (almost always none).
    let mut settled: Vec<StoredReading> = conn
        .prepare_cached(
            "SELECT parameter, value, at, observation_id FROM readings_ahead
             WHERE patient_id = ?1 AND at <= ?2",
        )?
        .query_map(params![e.patient_id, recorded], StoredReading::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    if !settled.is_empty() {
        conn.prepare_cached("DELETE FROM readings_ahead WHERE patient_id = ?1 AND at <= ?2")?
            .execute(params![e.patient_id, recorded])?;
    }
    for (parameter, value, at) in carried(&e.data)? {
        if at > recorded.as_str() {
            conn.prepare_cached(
                "INSERT INTO readings_ahead (patient_id, parameter, at, observation_id, value)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![e.patient_id, parameter, at, e.id, value])?;
        } else {
            settled.push(StoredReading {
                parameter: parameter.to_owned(),
                value,
                at: at.to_owned(),
                observation_id: e.id,
            });
        }
    }
    if settled.is_empty() {
        return Ok(());
    }
    // The instant of each parameter's rows and how many share it (ties are numbered 0, 1, ..).
    let mut current: Vec<(String, String, i64)> = Vec::with_capacity(8);
    let mut stmt =
        conn.prepare_cached("SELECT parameter, at FROM latest_readings WHERE patient_id = ?1")?;
    let mut rows = stmt.query([e.patient_id])?;
    while let Some(row) = rows.next()? {
        let parameter = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        match current.iter_mut().find(|(p, _, _)| p == parameter) {
            Some((_, _, ties)) => *ties += 1,
            None => current.push((parameter.to_owned(), row.get(1)?, 1)),
        }
    }
    drop(rows);
    for r in &settled {
        settle(conn, e.patient_id, r, &mut current)?;
    }
    Ok(())
}

/// Puts a settled reading in `latest_readings`: a newer one overwrites the parameter's row
/// in place (and drops its ties), the same instant adds a tie, an older one is left out.
/// Which readings are kept does not depend on the order they are settled in; their tie
/// numbers do, and that order is the events' order, so a rebuild numbers them alike.
fn settle(
    conn: &Connection,
    patient_id: Option<i64>,
    r: &StoredReading,
    current: &mut Vec<(String, String, i64)>,
) -> Result<(), Problem> {
    let Some(i) = current.iter().position(|(p, _, _)| *p == r.parameter) else {
        insert_latest(conn, patient_id, r, 0)?;
        current.push((r.parameter.clone(), r.at.clone(), 1));
        return Ok(());
    };
    let (_, at, ties) = &mut current[i];
    match r.at.as_str().cmp(at.as_str()) {
        std::cmp::Ordering::Less => {}
        std::cmp::Ordering::Equal => {
            insert_latest(conn, patient_id, r, *ties)?;
            *ties += 1;
        }
        std::cmp::Ordering::Greater => {
            if *ties > 1 {
                conn.prepare_cached(
                    "DELETE FROM latest_readings WHERE patient_id = ?1 AND parameter = ?2 AND tie > 0",
                )?
                .execute(params![patient_id, r.parameter])?;
            }
            conn.prepare_cached(
                "UPDATE latest_readings SET observation_id = ?3, value = ?4, at = ?5
                 WHERE patient_id = ?1 AND parameter = ?2 AND tie = 0",
            )?
            .execute(params![
                patient_id,
                r.parameter,
                r.observation_id,
                r.value,
                r.at
            ])?;
            at.clone_from(&r.at);
            *ties = 1;
        }
    }
    Ok(())
}

fn insert_latest(
    conn: &Connection,
    patient_id: Option<i64>,
    r: &StoredReading,
    tie: i64,
) -> Result<(), Problem> {
    conn.prepare_cached(
        "INSERT INTO latest_readings (patient_id, parameter, tie, observation_id, value, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        patient_id,
        r.parameter,
        tie,
        r.observation_id,
        r.value,
        r.at
    ])?;
    Ok(())
}

/// For each parameter, every stored reading at the latest instant at or before `t`, ordered
/// by observation (so that of several sharing an instant, the last is the latest recorded).
pub fn at_or_before(
    conn: &Connection,
    patient_id: i64,
    t: &str,
) -> Result<Vec<StoredReading>, Problem> {
    let mut stmt = conn.prepare_cached(
        "SELECT parameter, value, at, observation_id FROM latest_readings WHERE patient_id = ?1
         UNION ALL
         SELECT r.parameter, r.value, r.at, r.observation_id FROM readings_ahead r
         WHERE r.patient_id = ?1 AND r.at = (SELECT MAX(x.at) FROM readings_ahead x
               WHERE x.patient_id = ?1 AND x.parameter = r.parameter AND x.at <= ?2)",
    )?;
    let mut rows: Vec<StoredReading> = stmt
        .query_map(params![patient_id, t], StoredReading::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut behind: Vec<String> = rows
        .iter()
        .filter(|r| r.at.as_str() > t)
        .map(|r| r.parameter.clone())
        .collect();
    if !behind.is_empty() {
        behind.sort_unstable();
        behind.dedup();
        rows.retain(|r| !behind.contains(&r.parameter));
        rows.extend(from_events(conn, patient_id, t, &behind)?);
    }
    keep_latest(&mut rows);
    rows.sort_unstable_by(|a, b| {
        (a.observation_id, &a.parameter).cmp(&(b.observation_id, &b.parameter))
    });
    Ok(rows)
}

/// Keeps, for each parameter, only the rows at its latest instant.
fn keep_latest(rows: &mut Vec<StoredReading>) {
    let mut latest: Vec<(String, String)> = Vec::new();
    for r in rows.iter() {
        match latest.iter_mut().find(|(p, _)| *p == r.parameter) {
            Some((_, at)) if *at < r.at => at.clone_from(&r.at),
            Some(_) => {}
            None => latest.push((r.parameter.clone(), r.at.clone())),
        }
    }
    rows.retain(|r| {
        latest
            .iter()
            .any(|(p, at)| *p == r.parameter && *at == r.at)
    });
}

/// Every reading of `parameters` at or before `t`, read from the patient's observation
/// events (the slow path: see the module documentation).
fn from_events(
    conn: &Connection,
    patient_id: i64,
    t: &str,
    parameters: &[String],
) -> Result<Vec<StoredReading>, Problem> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.data FROM observations o JOIN events e ON e.id = o.id WHERE o.patient_id = ?1",
    )?;
    let mut rows = stmt.query([patient_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let data: String = row.get(1)?;
        let data: Value = serde_json::from_str(&data)
            .map_err(|err| Problem::internal("stored observation", err))?;
        for (parameter, value, at) in carried(&data)? {
            if at <= t && parameters.iter().any(|p| p == parameter) {
                out.push(StoredReading {
                    parameter: parameter.to_owned(),
                    value,
                    at: at.to_owned(),
                    observation_id: id,
                });
            }
        }
    }
    Ok(out)
}

/// For a database from before this read model, whose `readings` table kept every reading:
/// fills the read model from the observation events (what that table was built from, so
/// assembly reads the same readings after as before) and drops the old table, in one
/// transaction, so an interrupted migration runs again whole at the next open.
pub fn migrate_from_every_reading(conn: &Connection) -> Result<(), Problem> {
    let old: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'readings'",
        [],
        |r| r.get(0),
    )?;
    if !old {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        conn.execute_batch("DELETE FROM latest_readings; DELETE FROM readings_ahead")?;
        let mut stmt = conn.prepare(
            "SELECT e.id, e.at, e.patient_id, e.data FROM observations o JOIN events e ON e.id = o.id
             ORDER BY o.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let data: String = row.get(3)?;
            record(
                conn,
                &EventRecord {
                    id: row.get(0)?,
                    at: parse_time(&row.get::<_, String>(1)?)?,
                    kind: "observation".to_owned(),
                    patient_id: row.get(2)?,
                    ward: None,
                    escalation_id: None,
                    esc_seq: None,
                    actor: None,
                    data: serde_json::from_str(&data)
                        .map_err(|err| Problem::internal("stored observation", err))?,
                },
            )?;
        }
        conn.execute_batch("DROP TABLE readings")?;
        Ok::<_, Problem>(())
    })();
    match result {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests;
