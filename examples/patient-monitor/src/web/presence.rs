//! Presence: who is viewing a patient right now. While a patient's page is open the
//! dashboard holds a WebSocket to `/ws/presence?patient=<id>`; the server keeps the viewers
//! in memory (presence is not a clinical fact: it is never stored, evented or audited beyond
//! the patient read that opened the page) and sends every viewer of that patient the list
//! each time it changes: `{"kind": "presence", "patient_id", "viewers": [{"username", "role"}]}`.
//! Only a user who may see the patient's ward may join, so a viewer list never crosses wards.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::broadcast;

use crate::app::AppState;
use crate::auth::Actor;
use crate::problem::Problem;

const PING_EVERY: Duration = Duration::from_secs(20);

/// One viewer of a patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Viewer {
    /// Login name.
    pub username: String,
    /// Role label.
    pub role: String,
}

#[derive(Debug, Default)]
struct Rooms {
    next: u64,
    by_patient: HashMap<i64, BTreeMap<u64, Viewer>>,
}

/// The viewers of every patient, and a channel that says which patient's list changed.
#[derive(Debug, Clone)]
pub struct Presence {
    rooms: Arc<Mutex<Rooms>>,
    changed: broadcast::Sender<i64>,
}

impl Default for Presence {
    fn default() -> Self {
        Self {
            rooms: Arc::default(),
            changed: broadcast::channel(256).0,
        }
    }
}

/// A viewer's place in a patient's room; leaves the room when dropped.
#[derive(Debug)]
pub struct Seat {
    presence: Presence,
    patient: i64,
    id: u64,
}

impl Drop for Seat {
    fn drop(&mut self) {
        if let Ok(mut r) = self.presence.rooms.lock()
            && let Some(room) = r.by_patient.get_mut(&self.patient)
        {
            room.remove(&self.id);
            if room.is_empty() {
                r.by_patient.remove(&self.patient);
            }
        }
        let _ = self.presence.changed.send(self.patient);
    }
}

impl Presence {
    /// Adds a viewer to a patient's room.
    pub fn join(&self, patient: i64, viewer: Viewer) -> Seat {
        let id = match self.rooms.lock() {
            Ok(mut r) => {
                r.next += 1;
                let id = r.next;
                r.by_patient.entry(patient).or_default().insert(id, viewer);
                id
            }
            Err(_) => 0,
        };
        let _ = self.changed.send(patient);
        Seat {
            presence: self.clone(),
            patient,
            id,
        }
    }

    /// The distinct viewers of a patient, in the order they arrived.
    pub fn viewers(&self, patient: i64) -> Vec<Viewer> {
        let Ok(r) = self.rooms.lock() else {
            return Vec::new();
        };
        let mut out: Vec<Viewer> = Vec::new();
        for v in r
            .by_patient
            .get(&patient)
            .into_iter()
            .flat_map(BTreeMap::values)
        {
            if !out.iter().any(|o| o.username == v.username) {
                out.push(v.clone());
            }
        }
        out
    }

    fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.changed.subscribe()
    }
}

/// `/ws/presence`, with its own [`Presence`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ws/presence", get(handler))
        .layer(Extension(Presence::default()))
}

/// Query of `/ws/presence`.
#[derive(Debug, Deserialize)]
pub struct PresenceQuery {
    patient: Option<String>,
}

/// `GET /ws/presence?patient=<id>`: joins the patient's room (same origin only; the patient
/// must be in one of the user's wards).
pub async fn handler(
    State(app): State<AppState>,
    Extension(presence): Extension<Presence>,
    actor: Actor,
    headers: HeaderMap,
    Query(q): Query<PresenceQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, Problem> {
    if let (Some(origin), Some(host)) = (
        headers.get("origin").and_then(|v| v.to_str().ok()),
        headers.get("host").and_then(|v| v.to_str().ok()),
    ) && origin.split("://").nth(1).unwrap_or(origin) != host
    {
        return Err(
            Problem::forbidden("cross-origin WebSocket connections are refused")
                .with_field("Origin"),
        );
    }
    let raw = q.patient.unwrap_or_default();
    let id = crate::routes::parse_id("patient", &raw).map_err(|p| p.with_field("patient"))?;
    crate::patients::visible(&app.store, &actor, id).await?;
    let viewer = Viewer {
        username: actor.user.username.clone(),
        role: actor.user.role.as_str().to_owned(),
    };
    Ok(ws
        .max_message_size(4 << 10)
        .on_upgrade(move |socket| watch(presence, id, viewer, socket)))
}

fn message(presence: &Presence, patient: i64) -> String {
    json!({"kind": "presence", "patient_id": patient, "viewers": presence.viewers(patient)})
        .to_string()
}

async fn watch(presence: Presence, patient: i64, viewer: Viewer, mut socket: WebSocket) {
    let mut changes = presence.subscribe();
    let _seat = presence.join(patient, viewer);
    if socket
        .send(Message::Text(message(&presence, patient).into()))
        .await
        .is_err()
    {
        return;
    }
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    loop {
        tokio::select! {
            changed = changes.recv() => match changed {
                Ok(p) if p != patient => {}
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    if socket.send(Message::Text(message(&presence, patient).into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str) -> Viewer {
        Viewer {
            username: name.into(),
            role: "nurse".into(),
        }
    }

    #[test]
    fn viewers_join_and_leave_per_patient() {
        let p = Presence::default();
        let mut rx = p.subscribe();
        let a = p.join(1, v("nurse"));
        let b = p.join(1, v("senior"));
        let twice = p.join(1, v("nurse"));
        let other = p.join(2, v("doctor"));
        assert_eq!(p.viewers(1), vec![v("nurse"), v("senior")]);
        assert_eq!(p.viewers(2), vec![v("doctor")]);
        drop(b);
        assert_eq!(p.viewers(1), vec![v("nurse")]);
        drop(a);
        assert_eq!(
            p.viewers(1),
            vec![v("nurse")],
            "the same user in a second tab still views"
        );
        drop(twice);
        drop(other);
        assert!(p.viewers(1).is_empty() && p.viewers(2).is_empty());
        assert!(p.rooms.lock().unwrap().by_patient.is_empty());
        let changes: Vec<i64> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(changes, vec![1, 1, 1, 2, 1, 1, 1, 2]);
    }
}
