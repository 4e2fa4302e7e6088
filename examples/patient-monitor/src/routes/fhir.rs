//! The FHIR endpoints: `POST /fhir/Observation`, `POST /fhir` (a Bundle),
//! `GET /fhir/Observation?patient=`, `GET /fhir/Observation/{id}`, `GET /fhir/AuditEvent`.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{FHIR_LIMIT, JsonBody};
use crate::app::AppState;
use crate::auth::Actor;
use crate::fhir::{self, Parsed, PatientRef, export};
use crate::patients::{self, Patient};
use crate::problem::{ApiResult, Problem};
use crate::vitals::{IncomingObservation, Recorded};

type Body = JsonBody<FHIR_LIMIT>;

fn fhir_json(status: StatusCode, v: Value) -> Response {
    let mut res = (status, Json(v)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/fhir+json"),
    );
    res
}

/// Resolves and checks every patient the observations name; groups them by patient.
async fn group(
    app: &AppState,
    actor: &Actor,
    parsed: Vec<Parsed>,
) -> Result<Vec<(Patient, Vec<IncomingObservation>)>, Problem> {
    let mut by: BTreeMap<PatientRef, (String, Vec<IncomingObservation>)> = BTreeMap::new();
    for p in parsed {
        let entry = by
            .entry(p.patient)
            .or_insert_with(|| (p.path.clone(), Vec::new()));
        entry.1.push(IncomingObservation {
            readings: p.readings,
            resource: p.resource,
        });
    }
    let mut out = Vec::with_capacity(by.len());
    for (r, (path, obs)) in by {
        let key = r.clone();
        let found = app
            .store
            .read(move |c| {
                Ok(match &key {
                    PatientRef::Id(id) => patients::get(c, *id)?,
                    PatientRef::Mrn(m) => patients::search(c, m, None, 1)?
                        .into_iter()
                        .find(|p| &p.mrn == m),
                })
            })
            .await?;
        let field = if path.is_empty() {
            "subject".to_owned()
        } else {
            format!("{path}.subject")
        };
        let p = found.ok_or_else(|| {
            let shown = match &r {
                PatientRef::Id(id) => format!("Patient/{id}"),
                PatientRef::Mrn(m) => m.clone(),
            };
            Problem::invalid(&field, format!("subject {shown} is not a registered patient: expected the reference of a patient in one of your wards"))
                .with_value(shown)
                .with_code("unknown_patient")
        })?;
        patients::visible(&app.store, actor, p.id)
            .await
            .map_err(|e| e.with_field(field))?;
        out.push((p, obs));
    }
    Ok(out)
}

/// Records every group in one transaction: all or nothing.
async fn record(
    app: &AppState,
    actor: Actor,
    groups: Vec<(Patient, Vec<IncomingObservation>)>,
) -> Result<Vec<(Patient, Recorded)>, Problem> {
    let max_age = app.config.max_age();
    app.store
        .write(move |ctx| {
            let mut out = Vec::with_capacity(groups.len());
            for (p, obs) in groups {
                let p = patients::get(ctx.conn, p.id)?
                    .ok_or_else(|| Problem::not_found(format!("no patient {}", p.id)))?;
                let rec = crate::vitals::record_readings(ctx, &actor, &p, obs, "fhir", max_age)?;
                out.push((p, rec));
            }
            Ok(out)
        })
        .await
}

fn news2_ref(rec: &Recorded) -> String {
    if rec.news2["complete"] == json!(true) {
        format!("Observation/news2-{}", rec.news2["score_id"])
    } else {
        "incomplete".to_owned()
    }
}

/// `POST /fhir/Observation`: one vital-signs Observation.
pub async fn create(
    State(app): State<AppState>,
    actor: Actor,
    JsonBody(o): Body,
) -> ApiResult<Response> {
    let parsed = fhir::parse_observation(&o, chrono::Utc::now())?;
    let groups = group(&app, &actor, vec![parsed]).await?;
    let mut done = record(&app, actor, groups).await?;
    let (_, rec) = done
        .pop()
        .ok_or_else(|| Problem::internal("fhir", "nothing recorded"))?;
    let id = rec.observation_ids.first().copied().unwrap_or_default();
    let stored = app
        .store
        .read(move |c| Ok(export::observation(c, &id.to_string())?))
        .await?;
    let mut res = fhir_json(
        StatusCode::CREATED,
        stored.map(|s| s.0).unwrap_or(Value::Null),
    );
    let h = res.headers_mut();
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(&format!("/fhir/Observation/{id}"))
            .map_err(|e| Problem::internal("location", e))?,
    );
    h.insert(
        "x-news2-result",
        HeaderValue::from_str(&news2_ref(&rec)).map_err(|e| Problem::internal("header", e))?,
    );
    Ok(res)
}

/// `POST /fhir`: a Bundle of Observations, recorded all or nothing. Answers a response
/// Bundle: one entry per input entry, then one entry per NEWS2 result computed.
pub async fn bundle(
    State(app): State<AppState>,
    actor: Actor,
    JsonBody(o): Body,
) -> ApiResult<Response> {
    let rt = o
        .string("resourceType")?
        .ok_or_else(|| crate::input::missing("resourceType"))?;
    if rt != "Bundle" {
        return Err(Problem::invalid(
            "resourceType",
            format!("resourceType {rt:?} is not accepted at /fhir: expected Bundle"),
        )
        .with_value(rt)
        .with_code("unsupported_resource")
        .with_expected("Bundle"));
    }
    let kind = o.string("type")?.unwrap_or_default().to_owned();
    let parsed = fhir::parse_bundle(&o, chrono::Utc::now())?;
    // Remember each entry's position to answer in order.
    let order: Vec<PatientRef> = parsed.iter().map(|p| p.patient.clone()).collect();
    let groups = group(&app, &actor, parsed).await?;
    let ids_by_patient: Vec<(i64, PatientRef)> = groups
        .iter()
        .map(|(p, _)| (p.id, PatientRef::Id(p.id)))
        .collect();
    let refs: HashMap<PatientRef, i64> = groups
        .iter()
        .map(|(p, _)| (PatientRef::Mrn(p.mrn.clone()), p.id))
        .chain(ids_by_patient.iter().map(|(id, r)| (r.clone(), *id)))
        .collect();
    let done = record(&app, actor, groups).await?;
    let mut queues: HashMap<i64, std::collections::VecDeque<i64>> = done
        .iter()
        .map(|(p, r)| (p.id, r.observation_ids.iter().copied().collect()))
        .collect();
    let mut entries: Vec<Value> = order
        .iter()
        .map(|r| {
            let pid = refs.get(r).copied().unwrap_or_default();
            let id = queues
                .get_mut(&pid)
                .and_then(std::collections::VecDeque::pop_front)
                .unwrap_or_default();
            json!({"response": {"status": "201 Created", "location": format!("Observation/{id}")}})
        })
        .collect();
    for (p, rec) in &done {
        entries.push(json!({
            "fullUrl": news2_ref(rec),
            "resource": {"resourceType": "Parameters", "parameter": [
                {"name": "patient", "valueReference": {"reference": format!("Patient/{}", p.id)}},
                {"name": "news2", "valueString": rec.news2.to_string()},
                {"name": "escalation", "valueString": rec.escalation.as_ref().map_or("null".to_owned(), Value::to_string)},
            ]},
            "response": {"status": "200 OK"}
        }));
    }
    let rtype = if kind == "transaction" {
        "transaction-response"
    } else {
        "batch-response"
    };
    Ok(fhir_json(
        StatusCode::OK,
        json!({"resourceType": "Bundle", "type": rtype, "entry": entries}),
    ))
}

/// `GET /fhir/Observation?patient=<id>`: the patient's stored NEWS2 results.
pub async fn search(
    State(app): State<AppState>,
    actor: Actor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let raw = q
        .get("patient")
        .ok_or_else(|| crate::input::missing("patient"))?;
    let id = super::parse_id("patient", raw.strip_prefix("Patient/").unwrap_or(raw))
        .map_err(|p| p.with_field("patient"))?;
    let p = patients::visible(&app.store, &actor, id).await?;
    let bundle = app
        .store
        .read(move |c| Ok(export::news2_bundle(c, id, 200)?))
        .await?;
    let entry = actor.entry(
        "observation.search",
        format!("Observation?patient={id}"),
        Some(id),
        Some(&p.ward),
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(fhir_json(StatusCode::OK, bundle))
}

/// `GET /fhir/Observation/{id}`: a stored input (`<n>`) or NEWS2 result (`news2-<n>`).
pub async fn read(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let key = id.clone();
    let found = app
        .store
        .read(move |c| Ok(export::observation(c, &key)?))
        .await?;
    let (resource, pid, ward) =
        found.ok_or_else(|| Problem::not_found(format!("no Observation {id}")))?;
    patients::visible(&app.store, &actor, pid).await?;
    let entry = actor.entry(
        "observation.read",
        format!("Observation/{id}"),
        Some(pid),
        Some(&ward),
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(fhir_json(StatusCode::OK, resource))
}

/// `GET /fhir/AuditEvent?after=` (admin): the audit log as AuditEvents.
pub async fn audit_events(
    State(app): State<AppState>,
    actor: Actor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    actor.require_admin()?;
    let after = match q.get("after") {
        None => 0,
        Some(a) => a
            .parse::<i64>()
            .ok()
            .filter(|x| *x >= 0)
            .ok_or_else(|| super::bad_after(a))?,
    };
    let page = app
        .store
        .read(move |c| Ok(crate::audit::page(c, after, 500)?))
        .await?;
    let entries: Vec<Value> = page.iter().map(|e| json!({"fullUrl": format!("AuditEvent/{}", e.id), "resource": crate::audit::to_fhir(e)})).collect();
    Ok(fhir_json(
        StatusCode::OK,
        json!({"resourceType": "Bundle", "type": "searchset", "total": entries.len(), "entry": entries}),
    ))
}
