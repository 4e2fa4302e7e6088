//! Health, readiness, metrics and the placeholder index page.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::auth::Actor;

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers, the writer and the timer task run.
pub async fn readyz(State(app): State<AppState>) -> Response {
    let db = app
        .store
        .read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await
        .is_ok();
    let writer = app.store.writer_alive();
    let timer = app.metrics.timer_alive.load(Ordering::Relaxed);
    let ready = db && writer && timer;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({"ready": ready, "database": db, "writer": writer, "timer": timer})),
    )
        .into_response()
}

/// `GET /metrics`: Prometheus text (needs a session, like every route but health and login).
pub async fn metrics(State(app): State<AppState>, _actor: Actor) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
        .into_response()
}

/// `GET /`: a placeholder page listing the API (the dashboard is a separate piece of work).
pub async fn index() -> Html<&'static str> {
    Html(INDEX)
}

const INDEX: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>patient-monitor</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25em}</style>
</head><body>
<h1>patient-monitor</h1>
<p>NEWS2 monitoring server. This page lists the API.
Errors are <code>application/problem+json</code>. Every route but health and login needs a session:
<code>Authorization: Bearer &lt;token&gt;</code> or the session cookie (cookie writes also need <code>X-CSRF-Token</code>).</p>
<ul>
<li><code>GET /healthz</code>, <code>GET /readyz</code>, <code>GET /metrics</code></li>
<li><code>POST /api/session</code> {username, password} &rarr; {token, csrf_token, user}; <code>GET</code>/<code>DELETE /api/session</code></li>
<li><code>POST /api/patients</code> {name, cpf, cns?, birth_date?, ward}; <code>GET /api/patients?q=</code>; <code>GET /api/patients/{id}</code>; <code>POST /api/patients/{id}/stage</code> {stage}</li>
<li><code>POST /api/patients/{id}/vitals</code> {respiration_rate, spo2, spo2_scale?, on_oxygen?, systolic_bp, pulse, consciousness, temperature, observed_at?}</li>
<li><code>POST /fhir/Observation</code>, <code>POST /fhir</code> (Bundle), <code>GET /fhir/Observation?patient=</code>, <code>GET /fhir/Observation/{id}</code>, <code>GET /fhir/AuditEvent</code></li>
<li><code>GET /api/escalations?state=open</code>; <code>POST /api/escalations/{id}/acknowledge</code>; <code>POST /api/escalations/{id}/resolve</code></li>
<li><code>GET /api/events?after=&lt;id&gt;</code>; WebSocket <code>/ws?after=&lt;id&gt;&amp;rooms=ward:&lt;id&gt;,patient:&lt;id&gt;,alerts</code></li>
<li><code>GET /api/audit/verify</code>; <code>GET /api/audit?after=</code> (admin)</li>
<li><code>POST /api/demo/simulate</code>; <code>POST /api/demo/reset</code> (admin)</li>
<li><code>POST /api/wards</code> {id, name}; <code>POST /api/users</code> {username, role, wards, password} (admin)</li>
</ul></body></html>
"#;
