//! The HTTP surface: the router, body reading with size limits, and request logging
//! that never writes patient data (method, route template, status, time only).

pub mod admin;
pub mod api;
pub mod fhir;
pub mod system;

use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::app::AppState;
use crate::input::{Obj, parse_object};
use crate::problem::Problem;

/// The largest JSON body the API accepts.
pub const API_LIMIT: usize = 64 * 1024;
/// The largest FHIR body (a Bundle) accepted.
pub const FHIR_LIMIT: usize = 1024 * 1024;

/// A JSON object body of at most `LIMIT` bytes, with problem+json errors.
#[derive(Debug)]
pub struct JsonBody<const LIMIT: usize>(pub Obj);

impl<const LIMIT: usize> FromRequest<AppState> for JsonBody<LIMIT> {
    type Rejection = Problem;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, Problem> {
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > LIMIT) {
            return Err(Problem::too_large(LIMIT));
        }
        let (parts, body) = req.into_parts();
        crate::input::require_json(&parts.headers)?;
        let bytes = axum::body::to_bytes(body, LIMIT)
            .await
            .map_err(|_| Problem::too_large(LIMIT))?;
        Ok(Self(parse_object(&parts.headers, &bytes)?))
    }
}

/// A path id that must be a positive integer.
pub fn parse_id(what: &str, raw: &str) -> Result<i64, Problem> {
    raw.parse::<i64>().ok().filter(|x| *x > 0).ok_or_else(|| {
        Problem::bad_request(format!(
            "{what} id {raw:?} is not an id: expected a positive integer"
        ))
        .with_field("id")
        .with_value(crate::input::shown(&serde_json::json!(raw)))
        .with_code("invalid_id")
    })
}

/// The problem for a bad `after` cursor.
pub fn bad_after(raw: &str) -> Problem {
    Problem::bad_request(format!(
        "after {raw:?} is not an event id: expected a non-negative integer"
    ))
    .with_field("after")
    .with_value(crate::input::shown(&serde_json::json!(raw)))
    .with_code("invalid_cursor")
}

/// Every route.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(
            "/api/session",
            post(api::login).get(api::whoami).delete(api::logout),
        )
        .route("/api/patients", post(api::register).get(api::search))
        .route("/api/patients/{id}", get(api::patient))
        .route("/api/patients/{id}/stage", post(api::stage))
        .route("/api/patients/{id}/vitals", post(api::record_vitals))
        .route("/api/escalations", get(api::escalations))
        .route("/api/escalations/{id}", get(api::escalation))
        .route("/api/escalations/{id}/acknowledge", post(api::acknowledge))
        .route("/api/escalations/{id}/resolve", post(api::resolve))
        .route("/api/events", get(api::events))
        .route("/api/audit", get(api::audit_entries))
        .route("/api/audit/verify", get(api::audit_verify))
        .route("/api/demo/simulate", post(api::simulate))
        .route("/api/demo/reset", post(api::reset))
        .route("/api/wards", post(admin::create_ward))
        .route("/api/users", post(admin::create_user))
        .route("/fhir", post(fhir::bundle))
        .route("/fhir/Observation", post(fhir::create).get(fhir::search))
        .route("/fhir/Observation/{id}", get(fhir::read))
        .route("/fhir/AuditEvent", get(fhir::audit_events))
        .route("/ws", get(crate::realtime::handler))
        .route("/healthz", get(system::healthz))
        .route("/readyz", get(system::readyz))
        .route("/metrics", get(system::metrics))
        .route("/api", get(system::index))
        // The dashboard (issue 7): `/`, `/assets/`, `/wasm/`, presence and its read routes.
        .merge(crate::web::routes());
    api.route_layer(middleware::from_fn(log_request))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> Problem {
    Problem::not_found("no such route; GET /api lists the API")
}

async fn method_not_allowed() -> Problem {
    let mut p =
        Problem::bad_request("this method is not allowed on this route; GET /api lists the API")
            .with_code("method_not_allowed");
    p.status = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    p
}

async fn log_request(req: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".into());
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(%method, route, status, ms, "request");
    } else {
        tracing::debug!(%method, route, status, ms, "request");
    }
    res.into_response()
}
