//! Read models built from the event store. The live path updates them in the transaction
//! that appends the event; [`rebuild`] empties them and replays every event through the
//! same functions, so a rebuild from the events alone gives the same tables.

pub mod readings;

use escalation_core::{Escalation, Event as CoreEvent, EventKind};
use news2_core::Parameter;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use crate::problem::Problem;
use crate::store::events::{self, EventRecord, fmt_time};
use crate::store::schema::PROJECTION_TABLES;

/// The prefix of the event types that carry an escalation-core event.
pub const ESCALATION_PREFIX: &str = "escalation_";

/// The stored type of an escalation-core event: `escalation_` + its name, except
/// `step_notified`, stored as `escalation_step_started`.
pub fn escalation_type(kind: &EventKind) -> String {
    match kind.name() {
        "step_notified" => "escalation_step_started".to_owned(),
        name => format!("{ESCALATION_PREFIX}{name}"),
    }
}

fn bad(what: &str, e: impl std::fmt::Display) -> Problem {
    Problem::internal(what, e)
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// Updates the read models from one event. Returns whether it left a notification to send.
/// The read models keep only the columns queries select or filter on; a payload is read
/// from the event itself (`observations.id` and `scores.id` are the event's id).
pub fn apply(conn: &Connection, e: &EventRecord) -> Result<bool, Problem> {
    let d = &e.data;
    let pid = e.patient_id;
    match e.kind.as_str() {
        "patient_registered" => {
            let name = s(d, "name").unwrap_or_default();
            conn.prepare_cached(
                "INSERT INTO patients (id, mrn, name, name_folded, cpf, cns, birth_date, ward, stage, registered_at, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                pid,
                s(d, "mrn"),
                name,
                crate::patients::fold(name),
                s(d, "cpf"),
                s(d, "cns"),
                s(d, "birth_date"),
                e.ward,
                s(d, "stage").unwrap_or("enroll"),
                fmt_time(e.at),
                e.id
            ])?;
        }
        "patient_stage_changed" => {
            conn.prepare_cached("UPDATE patients SET stage = ?2, version = ?3 WHERE id = ?1")?
                .execute(params![pid, s(d, "to"), e.id])?;
        }
        "vitals_recorded" | "observation_recorded" => {
            let kind = if e.kind == "vitals_recorded" {
                "vitals"
            } else {
                "fhir"
            };
            conn.prepare_cached(
                "INSERT INTO observations (id, patient_id, kind, observed_at, recorded_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![e.id, pid, kind, s(d, "observed_at"), fmt_time(e.at), s(d, "source")])?;
            readings::record(conn, e)?;
            // The latest by observation time: a back-dated set does not hide a newer one.
            conn.prepare_cached(
                "UPDATE patients SET last_observation_id = ?2, version = ?2 WHERE id = ?1 AND (last_observation_id IS NULL
                 OR (SELECT observed_at FROM observations WHERE id = last_observation_id) <= ?3)",
            )?
            .execute(params![pid, e.id, s(d, "observed_at")])?;
        }
        "score_computed" | "score_incomplete" => {
            let complete = e.kind == "score_computed";
            let (total, risk) = if complete {
                (
                    d.pointer("/news2/total").and_then(Value::as_i64),
                    s(&d["news2"], "risk").map(str::to_owned),
                )
            } else {
                (
                    d.pointer("/partial/total").and_then(Value::as_i64),
                    s(d, "minimum_risk").map(str::to_owned),
                )
            };
            conn.prepare_cached(
                "INSERT INTO scores (id, patient_id, computed_at, observed_at, complete, total, risk) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![e.id, pid, fmt_time(e.at), s(d, "observed_at"), complete, total, risk])?;
            conn.prepare_cached(
                "UPDATE patients SET last_score_id = ?2, version = ?2 WHERE id = ?1 AND (last_score_id IS NULL
                 OR (SELECT observed_at FROM scores WHERE id = last_score_id) <= ?3)",
            )?
            .execute(params![pid, e.id, s(d, "observed_at")])?;
        }
        "notification_sent" | "notification_failed" => {
            let status = if e.kind == "notification_sent" {
                "sent"
            } else if d.get("final").and_then(Value::as_bool).unwrap_or(false) {
                "failed"
            } else {
                "pending"
            };
            conn.prepare_cached(
                "UPDATE outbox SET status = ?2, attempts = ?3, last_error = ?4 WHERE event_id = ?1",
            )?
            .execute(params![
                d.get("outbox_event_id").and_then(Value::as_i64),
                status,
                d.get("attempt").and_then(Value::as_i64),
                s(d, "error")
            ])?;
        }
        "demo_reset" => {
            for t in PROJECTION_TABLES {
                conn.execute(&format!("DELETE FROM {t}"), [])?;
            }
        }
        kind if kind.starts_with(ESCALATION_PREFIX) => return escalation_event(conn, e),
        _ => {}
    }
    Ok(false)
}

/// The part of an escalation event's projection that needs no escalation state: the
/// patient's open escalation and the notification outbox.
fn escalation_event(conn: &Connection, e: &EventRecord) -> Result<bool, Problem> {
    let core: CoreEvent = serde_json::from_value(e.data.clone())
        .map_err(|err| bad("escalation event decoding", err))?;
    let esc_id = i64::try_from(core.escalation_id.get()).unwrap_or(i64::MAX);
    let target = match &core.kind {
        EventKind::Triggered { .. } => {
            conn.prepare_cached("UPDATE patients SET open_escalation_id = ?2 WHERE id = ?1")?
                .execute(params![e.patient_id, esc_id])?;
            None
        }
        EventKind::Resolved { .. } => {
            conn.prepare_cached("UPDATE patients SET open_escalation_id = NULL WHERE id = ?1 AND open_escalation_id = ?2")?
                .execute(params![e.patient_id, esc_id])?;
            None
        }
        EventKind::StepNotified {
            target,
            step,
            pass,
            deadline,
            late_by_ms,
            ..
        } => Some(json!({
            "kind": "step", "step": step, "pass": pass, "role": target.role().as_str(),
            "recipients": target.recipients(), "deadline": fmt_time(*deadline), "late_by_ms": late_by_ms,
        })),
        EventKind::Unanswered {
            notify: Some(target),
            ..
        } => Some(json!({
            "kind": "unanswered", "role": target.role().as_str(), "recipients": target.recipients(),
        })),
        _ => None,
    };
    let Some(mut message) = target else {
        return Ok(false);
    };
    message["escalation_id"] = json!(esc_id);
    message["patient_id"] = json!(e.patient_id);
    message["ward"] = json!(e.ward);
    message["event_id"] = json!(e.id);
    conn.prepare_cached(
        "INSERT INTO outbox (event_id, escalation_id, patient_id, ward, message, status, attempts) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0)",
    )?
    .execute(params![e.id, esc_id, e.patient_id, e.ward, message.to_string()])?;
    Ok(true)
}

/// Brings an escalation's row up to date with `new` events (one or more whole decisions):
/// applied to the stored snapshot, or replayed from `triggered` for a new escalation.
pub fn upsert_escalation(
    conn: &Connection,
    ward: &str,
    new: &[CoreEvent],
) -> Result<Escalation, Problem> {
    let first = new
        .first()
        .ok_or_else(|| bad("escalation projection", "no events"))?;
    let id = i64::try_from(first.escalation_id.get()).unwrap_or(i64::MAX);
    let stored: Option<String> = conn
        .prepare_cached("SELECT snapshot FROM escalations WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let esc = match stored {
        Some(snapshot) => {
            let mut esc: Escalation =
                serde_json::from_str(&snapshot).map_err(|err| bad("escalation snapshot", err))?;
            for ev in new {
                esc.apply(ev)
                    .map_err(|err| bad("escalation projection", err))?;
            }
            esc
        }
        None => Escalation::replay(new).map_err(|err| bad("escalation projection", err))?,
    };
    write_escalation(conn, ward, &esc)?;
    Ok(esc)
}

fn write_escalation(conn: &Connection, ward: &str, esc: &Escalation) -> Result<(), Problem> {
    let policy = esc.policy();
    let index = esc.step_index();
    let role = policy
        .steps()
        .get(index as usize)
        .map(|s| s.target().role().as_str().to_owned())
        .unwrap_or_default();
    let deadline = esc.next_deadline();
    let snapshot = serde_json::to_string(esc).map_err(|err| bad("escalation snapshot", err))?;
    let token = deadline.map(|d| serde_json::to_string(&d.token).unwrap_or_default());
    conn.prepare_cached(
        "INSERT OR REPLACE INTO escalations
         (id, patient_id, ward, state, risk, step, pass, role, deadline, timer_token, opened_at, updated_at, version, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        i64::try_from(esc.id().get()).unwrap_or(i64::MAX),
        i64::try_from(esc.patient().get()).unwrap_or(i64::MAX),
        ward,
        esc.state().as_str(),
        esc.risk().as_str(),
        index,
        esc.pass(),
        role,
        deadline.map(|d| fmt_time(d.at)),
        token,
        fmt_time(esc.opened_at()),
        fmt_time(esc.updated_at()),
        i64::try_from(esc.version()).unwrap_or(i64::MAX),
        snapshot
    ])?;
    Ok(())
}

/// Empties every read model and replays the whole event store into them, in one
/// transaction. Returns how many events were replayed.
pub fn rebuild(conn: &Connection) -> Result<i64, Problem> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        for t in PROJECTION_TABLES {
            conn.execute(&format!("DELETE FROM {t}"), [])?;
        }
        let (mut after, mut count) = (0, 0);
        // Consecutive core events of one escalation: whole decisions, applied together.
        let mut group: Option<(String, Vec<CoreEvent>)> = None;
        loop {
            let page = events::page(conn, after, 1000)?;
            if page.is_empty() {
                break;
            }
            for e in &page {
                after = e.id;
                count += 1;
                let core = if e.kind.starts_with(ESCALATION_PREFIX) {
                    Some(
                        serde_json::from_value::<CoreEvent>(e.data.clone())
                            .map_err(|err| bad("escalation event decoding", err))?,
                    )
                } else {
                    None
                };
                let same = matches!((&group, &core), (Some((_, g)), Some(c)) if g[0].escalation_id == c.escalation_id);
                if !same && let Some((ward, g)) = group.take() {
                    upsert_escalation(conn, &ward, &g)?;
                }
                apply(conn, e)?;
                if let Some(c) = core {
                    let ward = e.ward.clone().unwrap_or_default();
                    group.get_or_insert_with(|| (ward, Vec::new())).1.push(c);
                }
                if e.kind == "demo_reset" {
                    group = None;
                }
            }
        }
        if let Some((ward, g)) = group.take() {
            upsert_escalation(conn, &ward, &g)?;
        }
        Ok::<_, Problem>(count)
    })();
    match result {
        Ok(n) => {
            conn.execute_batch("COMMIT")?;
            Ok(n)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// A digest of every read model's rows, to compare a rebuild with the live tables.
pub fn digest(conn: &Connection) -> Result<String, Problem> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for t in PROJECTION_TABLES {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2"))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i)?;
                h.update(format!("{v:?}|").as_bytes());
            }
            h.update(b"\n");
        }
        h.update(t.as_bytes());
    }
    Ok(crate::audit::hex(&h.finalize()))
}

/// The readings of a complete vitals set, as stored: one per parameter at `at`.
pub fn readings_of(v: &news2_core::Vitals, at: &str) -> Value {
    let values = [
        (
            Parameter::RespirationRate,
            f64::from(v.respiration_rate.get()),
        ),
        (Parameter::Spo2, f64::from(v.spo2.get())),
        (Parameter::OnOxygen, f64::from(u8::from(v.on_oxygen))),
        (Parameter::SystolicBp, f64::from(v.systolic_bp.get())),
        (Parameter::Pulse, f64::from(v.pulse.get())),
        (Parameter::Consciousness, f64::from(v.consciousness.code())),
        (Parameter::Temperature, v.temperature.celsius()),
    ];
    Value::Array(
        values
            .iter()
            .map(|(p, x)| json!({"parameter": p.as_str(), "value": x, "at": at}))
            .collect(),
    )
}
