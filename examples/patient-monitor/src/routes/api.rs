//! The JSON API under `/api`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{API_LIMIT, JsonBody, bad_after, parse_id};
use crate::app::AppState;
use crate::auth::{self, Actor, session};
use crate::patients::{self, Registration};
use crate::problem::{ApiResult, Problem};
use crate::store::events;

type Body = JsonBody<API_LIMIT>;

fn dummy_hash(memory_kib: u32) -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| auth::hash_password_with("no such user", memory_kib).unwrap_or_default())
}

/// `POST /api/session` `{username, password}`.
pub async fn login(
    State(app): State<AppState>,
    parts: axum::extract::ConnectInfo<std::net::SocketAddr>,
    JsonBody(o): Body,
) -> ApiResult<Response> {
    o.deny_unknown(&["username", "password"])?;
    let username = o.text("username", 64)?;
    let password = o
        .string("password")?
        .ok_or_else(|| crate::input::missing("password"))?
        .to_owned();
    let source = parts.0.ip().to_string();
    let name = username.clone();
    let found = app
        .store
        .read(move |c| Ok(auth::load_user(c, &name)?))
        .await?;
    let (user, hash) = match found {
        Some(u) => (Some(u.0), u.1),
        // Spend the same time on an unknown name as on a wrong password.
        None => (None, dummy_hash(app.config.argon2_memory_kib).to_owned()),
    };
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| Problem::internal("password check", e))?;
    let Some(mut user) = user.filter(|_| ok) else {
        let entry = crate::audit::AuditEntry {
            actor: username,
            role: "unknown".into(),
            action: "session.login".into(),
            resource: "Session".into(),
            patient_id: None,
            ward: None,
            outcome: "denied".into(),
            source,
        };
        app.store.write(move |ctx| ctx.audit(entry)).await?;
        return Err(Problem::unauthorized("the username or password is wrong"));
    };
    if user.role == auth::UserRole::Admin {
        user.wards = app.store.read(|c| Ok(auth::ward_ids(c)?)).await?;
    }
    let (sessions, hours, u) = (app.sessions.clone(), app.config.session_hours, user.clone());
    let actor = Actor {
        user: std::sync::Arc::new(user.clone()),
        source,
    };
    let new = app
        .store
        .write(move |ctx| {
            let s = sessions.create(ctx.conn, &u, ctx.now, hours)?;
            ctx.audit(actor.entry("session.login", "Session".into(), None, None, "success"))?;
            Ok(s)
        })
        .await?;
    app.sessions.remember(&new.token, user.clone(), &new);
    let body = json!({"token": new.token, "csrf_token": new.csrf, "expires_at": events::fmt_time(new.expires_at), "user": user});
    let mut res = (StatusCode::OK, Json(body)).into_response();
    let cookie = session::cookie(
        &new.token,
        app.config.secure_cookie,
        app.config.session_hours,
    );
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| Problem::internal("cookie", e))?,
    );
    Ok(res)
}

/// `GET /api/session`: who is signed in.
pub async fn whoami(actor: Actor) -> Json<Value> {
    Json(json!({"user": actor.user}))
}

/// `DELETE /api/session`: signs out.
pub async fn logout(
    State(app): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some((token, _)) = session::request_token(&headers) {
        let hash = session::token_hash(&token);
        let a = actor.clone();
        app.store
            .write(move |ctx| {
                ctx.conn
                    .execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
                ctx.audit(a.entry("session.logout", "Session".into(), None, None, "success"))
            })
            .await?;
        app.sessions.forget(&token);
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&session::clear_cookie())
            .map_err(|e| Problem::internal("cookie", e))?,
    );
    Ok(res)
}

/// `POST /api/patients`.
pub async fn register(
    State(app): State<AppState>,
    actor: Actor,
    JsonBody(o): Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let reg = Registration::parse(&o, chrono::Utc::now().date_naive())?;
    let ward = reg.ward().to_owned();
    if !app
        .store
        .read(move |c| Ok(auth::ward_exists(c, &ward)?))
        .await?
    {
        return Err(Problem::invalid(
            "ward",
            format!(
                "ward {:?} does not exist: expected one of your wards {:?}",
                reg.ward(),
                actor.user.wards
            ),
        )
        .with_value(reg.ward())
        .with_code("unknown_ward")
        .with_expected(actor.user.wards.join(", ")));
    }
    actor
        .require_ward(reg.ward())
        .map_err(|p| p.with_field("ward"))?;
    let p = app
        .store
        .write(move |ctx| patients::register(ctx, &actor, reg))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(p))))
}

/// `GET /api/patients?q=`.
pub async fn search(
    State(app): State<AppState>,
    actor: Actor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let text = q.get("q").cloned().unwrap_or_default();
    if text.chars().count() > 100 {
        return Err(
            Problem::invalid("q", "the search text is longer than 100 characters")
                .with_code("too_long")
                .with_expected("at most 100 characters"),
        );
    }
    let wards = actor.ward_filter().map(<[String]>::to_vec);
    let found = app
        .store
        .read(move |c| Ok(patients::search(c, &text, wards.as_deref(), 200)?))
        .await?;
    let entry = actor.entry(
        "patient.search",
        format!("Patient?results={}", found.len()),
        None,
        None,
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(Json(json!({"patients": found})))
}

/// `GET /api/patients/{id}`: the record with latest vitals, NEWS2 and open escalation.
pub async fn patient(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id("patient", &id)?;
    let p = patients::visible(&app.store, &actor, id).await?;
    let entry = actor.entry(
        "patient.read",
        format!("Patient/{id}"),
        Some(id),
        Some(&p.ward),
        "success",
    );
    let record = app
        .store
        .read(move |c| Ok(patients::record(c, &p)?))
        .await?;
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(Json(record))
}

/// `POST /api/patients/{id}/stage` `{stage}`.
pub async fn stage(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    JsonBody(o): Body,
) -> ApiResult<Json<Value>> {
    let id = parse_id("patient", &id)?;
    o.deny_unknown(&["stage"])?;
    let stage = o.text("stage", 16)?.to_lowercase();
    if !patients::STAGES.contains(&stage.as_str()) {
        return Err(Problem::invalid(
            "stage",
            format!(
                "stage {stage:?} is not a pathway stage: expected one of {}",
                patients::STAGES.join(", ")
            ),
        )
        .with_value(stage)
        .with_code("unknown_stage")
        .with_expected(patients::STAGES.join(", ")));
    }
    patients::visible(&app.store, &actor, id).await?;
    let p = app
        .store
        .write(move |ctx| patients::set_stage(ctx, &actor, id, &stage))
        .await?;
    Ok(Json(json!(p)))
}

/// `POST /api/patients/{id}/vitals`.
pub async fn record_vitals(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    JsonBody(o): Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = parse_id("patient", &id)?;
    let input = crate::vitals::parse(&o, chrono::Utc::now());
    let max_age = app.config.max_age();
    // One trip to the writer: the patient's existence and ward are checked in the same
    // transaction that records (a refused access is audited and committed on its own).
    let rec = app
        .store
        .write(move |ctx| {
            let p = match patients::get(ctx.conn, id)? {
                None => return Ok(Err(Problem::not_found(format!("no patient {id}")))),
                Some(p) => p,
            };
            if let Err(denied) = actor.require_ward(&p.ward) {
                ctx.audit(actor.entry(
                    "patient.read",
                    format!("Patient/{id}"),
                    Some(id),
                    Some(&p.ward),
                    "denied",
                ))?;
                return Ok(Err(denied));
            }
            match input {
                Ok(input) => {
                    crate::vitals::record_set(ctx, &actor, &p, input, "api", max_age).map(Ok)
                }
                Err(bad) => Ok(Err(bad)),
            }
        })
        .await??;
    let body = json!({"observation_id": rec.observation_ids.first(), "news2": rec.news2, "escalation": rec.escalation, "warnings": rec.warnings});
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /api/escalations?state=open|notifying|acknowledged|unanswered|resolved|all`.
pub async fn escalations(
    State(app): State<AppState>,
    actor: Actor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let state = q.get("state").cloned().unwrap_or_else(|| "open".into());
    const STATES: [&str; 6] = [
        "open",
        "all",
        "notifying",
        "acknowledged",
        "unanswered",
        "resolved",
    ];
    if !STATES.contains(&state.as_str()) {
        return Err(Problem::invalid(
            "state",
            format!(
                "state {state:?} is not a filter: expected one of {}",
                STATES.join(", ")
            ),
        )
        .with_value(state)
        .with_code("unknown_state")
        .with_expected(STATES.join(", ")));
    }
    let wards = actor.ward_filter().map(<[String]>::to_vec);
    let list = app
        .store
        .read(move |c| Ok(crate::escalation::list(c, &state, wards.as_deref(), 500)?))
        .await?;
    Ok(Json(json!({"escalations": list})))
}

/// `GET /api/escalations/{id}`.
pub async fn escalation(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_id("escalation", &id)?;
    let v = app
        .store
        .read(move |c| Ok(crate::escalation::view(c, id)?))
        .await?
        .ok_or_else(|| Problem::not_found(format!("no escalation {id}")))?;
    actor.require_ward(v["ward"].as_str().unwrap_or_default())?;
    Ok(Json(v))
}

async fn respond(
    app: AppState,
    actor: Actor,
    id: String,
    action: &'static str,
) -> ApiResult<Json<Value>> {
    let id = parse_id("escalation", &id)?;
    let v = app
        .store
        .write(move |ctx| crate::escalation::respond(ctx, &actor, id, action))
        .await?;
    Ok(Json(v))
}

/// `POST /api/escalations/{id}/acknowledge`: by the session's user, in their role.
pub async fn acknowledge(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    respond(app, actor, id, "acknowledge").await
}

/// `POST /api/escalations/{id}/resolve`.
pub async fn resolve(
    State(app): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    respond(app, actor, id, "resolve").await
}

fn cursor(q: &HashMap<String, String>) -> Result<(i64, usize), Problem> {
    let after = match q.get("after") {
        None => 0,
        Some(a) => a
            .parse::<i64>()
            .ok()
            .filter(|x| *x >= 0)
            .ok_or_else(|| bad_after(a))?,
    };
    let limit = match q.get("limit") {
        None => 500,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|x| (1..=1000).contains(x))
            .ok_or_else(|| {
                Problem::bad_request(format!(
                    "limit {l:?} is not a page size: expected 1 to 1000"
                ))
                .with_field("limit")
                .with_code("invalid_limit")
            })?,
    };
    Ok((after, limit))
}

/// `GET /api/events?after=<id>&limit=`: the events the user may see, oldest first.
pub async fn events(
    State(app): State<AppState>,
    actor: Actor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let (after, limit) = cursor(&q)?;
    let wards = actor.ward_filter().map(<[String]>::to_vec);
    let page = app
        .store
        .read(move |c| Ok(events::after(c, after, wards.as_deref(), limit + 1)?))
        .await?;
    let has_more = page.len() > limit;
    let page: Vec<_> = page.into_iter().take(limit).collect();
    let next = page.last().map_or(after, |e| e.id);
    let entry = actor.entry(
        "events.read",
        format!("Event?after={after}"),
        None,
        None,
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(Json(
        json!({"events": page, "next_after": next, "has_more": has_more}),
    ))
}

/// `GET /api/audit?after=` (admin): the audit entries.
pub async fn audit_entries(
    State(app): State<AppState>,
    actor: Actor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    actor.require_admin()?;
    let (after, limit) = cursor(&q)?;
    let page = app
        .store
        .read(move |c| {
            Ok(crate::audit::page(
                c,
                after,
                i64::try_from(limit).unwrap_or(500),
            )?)
        })
        .await?;
    Ok(Json(json!({"entries": page})))
}

/// `GET /api/audit/verify` → `{ok, entries, first_broken}`.
pub async fn audit_verify(State(app): State<AppState>, _actor: Actor) -> ApiResult<Json<Value>> {
    let v = app.store.read(|c| Ok(crate::audit::verify(c)?)).await?;
    Ok(Json(json!(v)))
}

fn demo_only(app: &AppState) -> Result<(), Problem> {
    if app.config.demo() {
        Ok(())
    } else {
        Err(Problem::not_found("demo mode is off (--no-demo)"))
    }
}

/// `POST /api/demo/simulate`: one round of simulated vitals for every patient the user sees.
pub async fn simulate(State(app): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    demo_only(&app)?;
    let results = crate::demo::simulate(&app.store, &actor, app.config.max_age()).await?;
    Ok(Json(json!({"results": results})))
}

/// `POST /api/demo/reset` (admin).
pub async fn reset(State(app): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    demo_only(&app)?;
    actor.require_admin()?;
    let n = app
        .store
        .write(move |ctx| crate::demo::reset(ctx, &actor))
        .await?;
    Ok(Json(json!({"reset": true, "patients": n})))
}
