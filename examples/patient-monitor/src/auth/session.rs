//! Sessions: login, the bearer token or HttpOnly cookie, CSRF for cookie-authenticated
//! writes, and the [`Actor`] extractor every protected route takes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{Method, request::Parts};
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Actor, User, UserRole};
use crate::app::AppState;
use crate::problem::Problem;
use crate::store::events::{fmt_time, parse_time};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "pm_session";
/// The header a cookie-authenticated write must carry, equal to the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone)]
struct Cached {
    user: Arc<User>,
    csrf: String,
    expires_at: DateTime<Utc>,
}

/// Sessions in memory, backed by the `sessions` table (so they survive a restart).
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    cache: Arc<RwLock<HashMap<String, Cached>>>,
}

/// A new session.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The bearer token (shown once; only its hash is stored).
    pub token: String,
    /// The CSRF token for cookie-authenticated writes.
    pub csrf: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    crate::audit::hex(&Sha256::digest(token.as_bytes()))
}

impl Sessions {
    /// Records a session for `user` (inside a write job).
    pub fn create(
        &self,
        conn: &rusqlite::Connection,
        user: &User,
        now: DateTime<Utc>,
        hours: u32,
    ) -> Result<NewSession, Problem> {
        let token = super::random_token();
        let csrf = super::random_token();
        let expires_at = now + TimeDelta::hours(i64::from(hours.max(1)));
        conn.execute(
            "INSERT INTO sessions (token_hash, username, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash(&token), user.username, csrf, fmt_time(now), fmt_time(expires_at)],
        )?;
        Ok(NewSession {
            token,
            csrf,
            expires_at,
        })
    }

    /// Caches a committed session.
    pub fn remember(&self, token: &str, user: User, s: &NewSession) {
        if let Ok(mut c) = self.cache.write() {
            c.insert(
                token_hash(token),
                Cached {
                    user: Arc::new(user),
                    csrf: s.csrf.clone(),
                    expires_at: s.expires_at,
                },
            );
        }
    }

    /// Forgets a session (logout).
    pub fn forget(&self, token: &str) {
        if let Ok(mut c) = self.cache.write() {
            c.remove(&token_hash(token));
        }
    }

    /// Forgets every cached session (after a demo reset of the users).
    pub fn clear(&self) {
        if let Ok(mut c) = self.cache.write() {
            c.clear();
        }
    }

    async fn lookup(&self, state: &AppState, token: &str) -> Result<Option<Cached>, Problem> {
        let hash = token_hash(token);
        let now = Utc::now();
        if let Some(c) = self.cache.read().ok().and_then(|c| c.get(&hash).cloned()) {
            return Ok((c.expires_at > now).then_some(c));
        }
        let key = hash.clone();
        let found = state
            .store
            .read(move |conn| {
                let row = conn
                    .query_row(
                        "SELECT username, csrf, expires_at FROM sessions WHERE token_hash = ?1",
                        [&key],
                        |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                r.get::<_, String>(1)?,
                                r.get::<_, String>(2)?,
                            ))
                        },
                    )
                    .optional()?;
                let Some((username, csrf, expires)) = row else {
                    return Ok(None);
                };
                let user = super::load_user(conn, &username)?.map(|(u, _)| u);
                Ok(user.map(|u| (u, csrf, expires)))
            })
            .await?;
        let Some((mut user, csrf, expires)) = found else {
            return Ok(None);
        };
        let expires_at =
            parse_time(&expires).map_err(|e| Problem::internal("session expiry", e))?;
        if user.role == UserRole::Admin {
            user.wards = state.store.read(|c| Ok(super::ward_ids(c)?)).await?;
        }
        let cached = Cached {
            user: Arc::new(user),
            csrf,
            expires_at,
        };
        if let Ok(mut c) = self.cache.write() {
            c.insert(hash, cached.clone());
        }
        Ok((expires_at > now).then_some(cached))
    }
}

/// The token of a request: `Authorization: Bearer`, else the session cookie. The flag says
/// whether it came from the cookie.
pub fn request_token(headers: &axum::http::HeaderMap) -> Option<(String, bool)> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    if let Some(t) = bearer {
        return Some((t, false));
    }
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| (v.to_owned(), true))
}

/// The peer address of a request.
pub fn peer(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let (token, via_cookie) =
            request_token(&parts.headers).ok_or_else(|| Problem::unauthorized("sign in first: POST /api/session, then send the token as Authorization: Bearer or the session cookie"))?;
        let cached = state.sessions.lookup(state, &token).await?.ok_or_else(|| {
            Problem::unauthorized("the session is unknown or has expired; sign in again")
        })?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via_cookie && !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), cached.csrf.as_bytes()) {
                return Err(Problem::forbidden("a write authenticated by cookie must carry the X-CSRF-Token header from sign-in")
                    .with_field(CSRF_HEADER)
                    .with_code("csrf"));
            }
        }
        Ok(Actor {
            user: cached.user,
            source: peer(parts),
        })
    }
}

/// Compares two secrets without an early exit.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `Set-Cookie` value for a session.
pub fn cookie(token: &str, secure: bool, max_age_hours: u32) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        u64::from(max_age_hours) * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}
