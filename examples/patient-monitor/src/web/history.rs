//! Read routes the dashboard needs beyond the core API, all read from the existing read
//! models and the audit table, ward-checked like `GET /api/patients/{id}`:
//!
//! - `GET /api/patients/{id}/history?limit=` — the patient's vitals and NEWS2 results over
//!   time (the latest `limit`, default 200, at most 1000; oldest first), for the charts.
//!   Audited as a read of the patient.
//! - `GET /api/patients/{id}/audit?limit=` — the audit entries about that patient, newest
//!   first (the whole log stays admin-only at `/api/audit`). Audited as `audit.read`.
//! - `GET /api/escalations/{id}/events` — the escalation's escalation-core events in stream
//!   order, which the browser replays through `news2-wasm` to run the same countdown as the
//!   server, with the escalation's current view.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::{Connection, params};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::auth::Actor;
use crate::problem::{ApiResult, Problem};
use crate::routes::parse_id;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/patients/{id}/history", get(patient_history))
        .route("/api/patients/{id}/audit", get(patient_audit))
        .route("/api/escalations/{id}/events", get(escalation_events))
}

fn limit(q: &HashMap<String, String>) -> Result<i64, Problem> {
    match q.get("limit") {
        None => Ok(200),
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|x| (1..=1000).contains(x))
            .ok_or_else(|| {
                Problem::bad_request(format!(
                    "limit {l:?} is not a page size: expected 1 to 1000"
                ))
                .with_field("limit")
                .with_code("invalid_limit")
            }),
    }
}

/// The latest `limit` observations and results of a patient, oldest first.
pub fn history(conn: &Connection, patient: i64, limit: i64) -> rusqlite::Result<Value> {
    let observations: Vec<Value> = conn
        .prepare_cached(
            "SELECT o.id, o.kind, o.observed_at, o.source, (SELECT e.data FROM events e WHERE e.id = o.id) FROM
               (SELECT * FROM observations WHERE patient_id = ?1 ORDER BY observed_at DESC, id DESC LIMIT ?2) o
             ORDER BY o.observed_at, o.id",
        )?
        .query_map(params![patient, limit], |r| {
            let data: Value = serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or(Value::Null);
            Ok(json!({
                "observation_id": r.get::<_, i64>(0)?, "kind": r.get::<_, String>(1)?, "observed_at": r.get::<_, String>(2)?,
                "source": r.get::<_, String>(3)?, "vitals": data.get("vitals").cloned().unwrap_or(Value::Null),
                "readings": data.get("readings").cloned().unwrap_or(Value::Null),
            }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let scores: Vec<Value> = conn
        .prepare_cached(
            "SELECT s.id, s.observed_at, s.complete, s.total, s.risk, (SELECT e.data FROM events e WHERE e.id = s.id) FROM
               (SELECT * FROM scores WHERE patient_id = ?1 ORDER BY observed_at DESC, id DESC LIMIT ?2) s
             ORDER BY s.observed_at, s.id",
        )?
        .query_map(params![patient, limit], |r| {
            let data: Value = serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(Value::Null);
            let parameters = data.pointer("/news2/parameters").or_else(|| data.pointer("/partial/parameters")).cloned().unwrap_or(Value::Null);
            Ok(json!({
                "score_id": r.get::<_, i64>(0)?, "observed_at": r.get::<_, String>(1)?, "complete": r.get::<_, bool>(2)?,
                "total": r.get::<_, i64>(3)?, "risk": r.get::<_, String>(4)?, "parameters": parameters,
                "stale": data.get("stale").cloned().unwrap_or(Value::Bool(false)),
            }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(json!({"patient_id": patient, "observations": observations, "scores": scores}))
}

/// The audit entries about a patient, newest first.
pub fn patient_entries(
    conn: &Connection,
    patient: i64,
    limit: i64,
) -> rusqlite::Result<Vec<Value>> {
    conn.prepare_cached("SELECT id, at, actor, role, action, resource, outcome, source, hash FROM audit WHERE patient_id = ?1 ORDER BY id DESC LIMIT ?2")?
        .query_map(params![patient, limit], |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "at": r.get::<_, String>(1)?, "actor": r.get::<_, String>(2)?, "role": r.get::<_, String>(3)?,
                "action": r.get::<_, String>(4)?, "resource": r.get::<_, String>(5)?, "outcome": r.get::<_, String>(6)?,
                "source": r.get::<_, String>(7)?, "hash": r.get::<_, String>(8)?,
            }))
        })?
        .collect()
}

/// `GET /api/patients/{id}/history`.
pub async fn patient_history(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = parse_id("patient", &id)?;
    let limit = limit(&q)?;
    let p = crate::patients::visible(&app.store, &actor, id).await?;
    let body = app.store.read(move |c| Ok(history(c, id, limit)?)).await?;
    let entry = actor.entry(
        "patient.read",
        format!("Patient/{id}/history"),
        Some(id),
        Some(&p.ward),
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(Json(body))
}

/// `GET /api/patients/{id}/audit`.
pub async fn patient_audit(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = parse_id("patient", &id)?;
    let limit = limit(&q)?;
    let p = crate::patients::visible(&app.store, &actor, id).await?;
    let entries = app
        .store
        .read(move |c| Ok(patient_entries(c, id, limit)?))
        .await?;
    let entry = actor.entry(
        "audit.read",
        format!("Patient/{id}/audit"),
        Some(id),
        Some(&p.ward),
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(Json(json!({"patient_id": id, "entries": entries})))
}

/// `GET /api/escalations/{id}/events`.
pub async fn escalation_events(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id("escalation", &id)?;
    let (view, stream) = app
        .store
        .read(move |c| {
            let view = crate::escalation::view(c, id)?;
            let stream = match &view {
                Some(_) => crate::escalation::load_stream(c, id)?,
                None => Vec::new(),
            };
            Ok((view, stream))
        })
        .await?;
    let view = view.ok_or_else(|| Problem::not_found(format!("no escalation {id}")))?;
    actor.require_ward(view["ward"].as_str().unwrap_or_default())?;
    let events =
        serde_json::to_value(&stream).map_err(|e| Problem::internal("escalation events", e))?;
    Ok(Json(json!({"escalation": view, "events": events})))
}
