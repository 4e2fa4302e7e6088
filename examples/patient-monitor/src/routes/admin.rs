//! Administration for real use (`--no-demo`): wards and user accounts. Admin only, audited.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{API_LIMIT, JsonBody};
use crate::app::AppState;
use crate::auth::{self, Actor, User, UserRole};
use crate::problem::{ApiResult, Problem};

type Body = JsonBody<API_LIMIT>;

fn slug(field: &str, s: &str) -> Result<(), Problem> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Problem::invalid(
            field,
            format!("{field} {s:?} is not an id: expected 1 to 64 of a-z, 0-9, - and _"),
        )
        .with_value(s)
        .with_code("invalid_id")
        .with_expected("1 to 64 of a-z, 0-9, - and _"))
    }
}

/// `POST /api/wards` `{id, name}` (admin).
pub async fn create_ward(
    State(app): State<AppState>,
    actor: Actor,
    JsonBody(o): Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require_admin()?;
    o.deny_unknown(&["id", "name"])?;
    let id = o.text("id", 64)?;
    slug("id", &id)?;
    let name = o.text("name", 200)?;
    let (i, n) = (id.clone(), name.clone());
    app.store
        .write(move |ctx| {
            if auth::ward_exists(ctx.conn, &i)? {
                return Err(Problem::conflict(format!("ward {i:?} already exists"))
                    .with_field("id")
                    .with_code("duplicate"));
            }
            auth::ensure_ward(ctx.conn, &i, &n)?;
            ctx.audit(actor.entry(
                "ward.create",
                format!("Location/{i}"),
                None,
                Some(&i),
                "success",
            ))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "name": name}))))
}

/// `POST /api/users` `{username, role, wards, password}` (admin).
pub async fn create_user(
    State(app): State<AppState>,
    actor: Actor,
    JsonBody(o): Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require_admin()?;
    o.deny_unknown(&["username", "role", "wards", "password"])?;
    let username = o.text("username", 64)?;
    slug("username", &username)?;
    let role_text = o.text("role", 16)?;
    let role = UserRole::parse(&role_text).ok_or_else(|| {
        Problem::invalid(
            "role",
            format!("role {role_text:?} is not a role: expected nurse, senior, doctor or admin"),
        )
        .with_value(role_text.clone())
        .with_code("unknown_role")
        .with_expected("nurse, senior, doctor or admin")
    })?;
    let wards: Vec<String> = o
        .array("wards")?
        .ok_or_else(|| crate::input::missing("wards"))?
        .iter()
        .enumerate()
        .map(|(i, w)| {
            w.as_str()
                .map(str::to_owned)
                .ok_or_else(|| crate::input::wrong_type(&format!("wards[{i}]"), w, "a ward id"))
        })
        .collect::<Result<_, _>>()?;
    let password = o
        .string("password")?
        .ok_or_else(|| crate::input::missing("password"))?
        .to_owned();
    if password.chars().count() < 12 {
        return Err(
            Problem::invalid("password", "the password is shorter than 12 characters")
                .with_code("too_short")
                .with_expected("at least 12 characters"),
        );
    }
    let memory = app.config.argon2_memory_kib;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password_with(&password, memory))
        .await
        .map_err(|e| Problem::internal("password hash", e))?
        .map_err(|e| Problem::internal("password hash", e))?;
    let user = User {
        username,
        role,
        wards,
    };
    let u = user.clone();
    app.store
        .write(move |ctx| {
            if auth::load_user(ctx.conn, &u.username)?.is_some() {
                return Err(
                    Problem::conflict(format!("user {:?} already exists", u.username))
                        .with_field("username")
                        .with_code("duplicate"),
                );
            }
            for (i, w) in u.wards.iter().enumerate() {
                if !auth::ward_exists(ctx.conn, w)? {
                    return Err(Problem::invalid(
                        format!("wards[{i}]"),
                        format!("ward {w:?} does not exist"),
                    )
                    .with_value(w.clone())
                    .with_code("unknown_ward"));
                }
            }
            auth::upsert_user(ctx.conn, &u, &hash, ctx.now)?;
            ctx.audit(actor.entry(
                "user.create",
                format!("Practitioner/{}", u.username),
                None,
                None,
                "success",
            ))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!(user))))
}
