//! Realtime push over a WebSocket at `/ws?after=<id>&rooms=...`.
//!
//! Every committed event is published once, in id order, to one broadcast channel; each
//! client filters it by the wards its user may see and by its rooms (`ward:<id>`,
//! `patient:<id>`, `alerts` for facility-wide alerts; no rooms: everything visible).
//! A client subscribes before it reads the store, replays what it missed from the same
//! table `/api/events` reads, then goes live, skipping ids it already sent: no gap, no
//! duplicate. A client that falls behind the channel gets a fresh snapshot instead of an
//! ever-growing queue. Pings every 20 s; a client silent for 60 s is dropped.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::SinkExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::{
    self,
    error::{RecvError, TryRecvError},
};

use crate::app::AppState;
use crate::auth::Actor;
use crate::problem::Problem;
use crate::store::events::{self, EventRecord};

/// Events kept for clients that are a little behind; past this they get a snapshot.
const CHANNEL_CAPACITY: usize = 4096;
/// The most events replayed on reconnect before a snapshot is sent instead.
const MAX_REPLAY: usize = 20_000;
const PING_EVERY: Duration = Duration::from_secs(20);
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The most events queued to a client before a flush.
const MAX_BURST: usize = 64;
/// Bytes queued before a write happens without waiting for the flush.
const WRITE_BUFFER: usize = 16 << 10;

/// One published event, serialised once for every client.
#[derive(Debug)]
pub struct Published {
    /// Event id.
    pub id: i64,
    /// Ward, if any.
    pub ward: Option<String>,
    /// Patient, if any.
    pub patient_id: Option<i64>,
    /// Event type.
    pub kind: String,
    /// The message as sent: `{"kind": "event", "event": {...}}`.
    pub text: Utf8Bytes,
}

/// The fan-out of committed events.
///
/// The writer hands each committed batch to a fan-out thread (in commit order, through one
/// queue), which encodes every event once and broadcasts the shared bytes; every client
/// then only filters and writes. The writer never encodes or sends a message itself.
#[derive(Debug, Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<Published>>,
    queue: Option<std::sync::mpsc::Sender<Vec<Arc<EventRecord>>>>,
}

impl Default for Hub {
    fn default() -> Self {
        let tx = broadcast::channel(CHANNEL_CAPACITY).0;
        let (queue, batches) = std::sync::mpsc::channel::<Vec<Arc<EventRecord>>>();
        let out = tx.clone();
        // The thread ends when the last handle (and so the queue's last sender) is dropped.
        let spawned = std::thread::Builder::new()
            .name("ws-fanout".into())
            .spawn(move || {
                while let Ok(batch) = batches.recv() {
                    broadcast_events(&out, &batch);
                }
            });
        Self {
            tx,
            // Without the thread, publishing happens on the caller's thread.
            queue: spawned.is_ok().then_some(queue),
        }
    }
}

/// A pushed event as sent: `{"kind": "event", "event": {...}}`.
#[derive(serde::Serialize)]
struct EventMessage<'a> {
    kind: &'static str,
    event: &'a EventRecord,
}

fn message(e: &EventRecord) -> String {
    // Encoding a plain struct of strings and a JSON value cannot fail.
    serde_json::to_string(&EventMessage {
        kind: "event",
        event: e,
    })
    .unwrap_or_default()
}

fn broadcast_events(tx: &broadcast::Sender<Arc<Published>>, events: &[Arc<EventRecord>]) {
    if tx.receiver_count() == 0 {
        return;
    }
    for e in events {
        let p = Published {
            id: e.id,
            ward: e.ward.clone(),
            patient_id: e.patient_id,
            kind: e.kind.clone(),
            text: message(e).into(),
        };
        let _ = tx.send(Arc::new(p));
    }
}

impl Hub {
    /// Publishes committed events, in order (called by the writer after each commit).
    pub fn publish(&self, events: Vec<Arc<EventRecord>>) {
        if events.is_empty() {
            return;
        }
        let unsent = match &self.queue {
            Some(q) => q.send(events).err().map(|e| e.0),
            None => Some(events),
        };
        if let Some(events) = unsent {
            broadcast_events(&self.tx, &events);
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.tx.subscribe()
    }
}

/// What a client listens to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Room {
    /// One ward.
    Ward(String),
    /// One patient.
    Patient(i64),
    /// Alerts and escalations in every ward the user sees.
    Alerts,
}

/// Parses `ward:<id>,patient:<id>,alerts`.
pub fn parse_rooms(s: &str) -> Result<Vec<Room>, Problem> {
    s.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| match r.split_once(':') {
            _ if r == "alerts" => Ok(Room::Alerts),
            Some(("ward", w)) if !w.is_empty() => Ok(Room::Ward(w.to_owned())),
            Some(("patient", p)) if p.parse::<i64>().is_ok() => {
                Ok(Room::Patient(p.parse().unwrap_or_default()))
            }
            _ => Err(Problem::invalid(
                "rooms",
                format!("room {r:?} is not a room: expected ward:<id>, patient:<id> or alerts"),
            )
            .with_value(r)
            .with_code("invalid_room")
            .with_expected("ward:<id>, patient:<id> or alerts, comma-separated")),
        })
        .collect()
}

/// Whether an event is an alert for the facility-wide room.
fn is_alert(kind: &str) -> bool {
    kind == "alert_triggered"
        || kind.starts_with("escalation_")
        || kind.starts_with("notification_")
}

#[derive(Debug, Clone)]
struct Filter {
    wards: Option<Vec<String>>,
    rooms: Vec<Room>,
}

impl Filter {
    fn passes(&self, ward: Option<&str>, patient: Option<i64>, kind: &str) -> bool {
        let Some(ward) = ward else { return true };
        if self
            .wards
            .as_ref()
            .is_some_and(|ws| !ws.iter().any(|w| w == ward))
        {
            return false;
        }
        self.rooms.is_empty()
            || self.rooms.iter().any(|r| match r {
                Room::Ward(w) => w == ward,
                Room::Patient(p) => patient == Some(*p),
                Room::Alerts => is_alert(kind),
            })
    }
}

/// Query of `/ws`.
#[derive(Debug, Deserialize)]
pub struct WsQuery {
    after: Option<String>,
    rooms: Option<String>,
}

/// `GET /ws`: upgrades after checking the session, the origin and the rooms.
pub async fn handler(
    State(app): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    Query(q): Query<WsQuery>,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Result<Response, Problem> {
    if let (Some(origin), Some(host)) = (
        headers.get("origin").and_then(|v| v.to_str().ok()),
        headers.get("host").and_then(|v| v.to_str().ok()),
    ) {
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin_host != host {
            return Err(
                Problem::forbidden("cross-origin WebSocket connections are refused")
                    .with_field("Origin"),
            );
        }
    }
    let after = q
        .after
        .as_deref()
        .map(|a| {
            a.parse::<i64>()
                .ok()
                .filter(|x| *x >= 0)
                .ok_or_else(|| crate::routes::bad_after(a))
        })
        .transpose()?;
    let rooms = parse_rooms(q.rooms.as_deref().unwrap_or(""))?;
    for r in &rooms {
        if let Room::Ward(w) = r {
            actor.require_ward(w)?;
        }
    }
    let filter = Filter {
        wards: actor.ward_filter().map(<[String]>::to_vec),
        rooms,
    };
    let ws = ws.map_err(|e| {
        Problem::bad_request(format!("not a WebSocket upgrade request: {e}"))
            .with_code("not_websocket")
    })?;
    // The stream carries patient data: opening it is audited like a read.
    let entry = actor.entry(
        "events.subscribe",
        format!("Event?after={}", after.unwrap_or(-1)),
        None,
        None,
        "success",
    );
    app.store.write(move |ctx| ctx.audit(entry)).await?;
    Ok(ws
        .read_buffer_size(4096)
        // Messages are queued and written together at each flush (a burst is one write).
        .write_buffer_size(WRITE_BUFFER)
        .max_write_buffer_size(1 << 20)
        .max_message_size(64 << 10)
        .on_upgrade(move |socket| client(app, filter, after, socket)))
}

async fn send(socket: &mut WebSocket, text: impl Into<Utf8Bytes>) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

/// Queues a message without flushing (written once the write buffer fills, or by [`flush`]).
async fn feed(socket: &mut WebSocket, text: Utf8Bytes) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.feed(Message::Text(text))).await,
        Ok(Ok(()))
    )
}

/// Writes whatever is queued.
async fn flush(socket: &mut WebSocket) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.flush()).await,
        Ok(Ok(()))
    )
}

async fn client(app: AppState, filter: Filter, after: Option<i64>, mut socket: WebSocket) {
    app.metrics.ws_clients.fetch_add(1, Ordering::Relaxed);
    let mut rx = app.hub.subscribe();
    if let Some(last) = catch_up(&app, &filter, after, &mut socket).await {
        live(&app, &filter, last, &mut rx, &mut socket).await;
    }
    app.metrics.ws_clients.fetch_sub(1, Ordering::Relaxed);
}

/// Sends the hello and what the client missed; returns the last id covered.
async fn catch_up(
    app: &AppState,
    filter: &Filter,
    after: Option<i64>,
    socket: &mut WebSocket,
) -> Option<i64> {
    let wards = filter.wards.clone();
    let Some(mut last) = after else {
        let last = app.store.read(|c| Ok(events::last_id(c)?)).await.ok()?;
        return send(
            socket,
            json!({"kind": "hello", "last_event_id": last, "replayed": 0}).to_string(),
        )
        .await
        .then_some(last);
    };
    let mut replayed = 0;
    loop {
        let w = wards.clone();
        let page = app
            .store
            .read(move |c| Ok(events::after(c, last, w.as_deref(), 500)?))
            .await
            .ok()?;
        let done = page.len() < 500;
        for e in page {
            last = e.id;
            if filter.passes(e.ward.as_deref(), e.patient_id, &e.kind) {
                replayed += 1;
                if !send(socket, message(&e)).await {
                    return None;
                }
            }
        }
        if done {
            break;
        }
        if replayed > MAX_REPLAY {
            return snapshot(app, filter, socket).await;
        }
    }
    send(
        socket,
        json!({"kind": "hello", "last_event_id": last, "replayed": replayed}).to_string(),
    )
    .await
    .then_some(last)
}

async fn live(
    app: &AppState,
    filter: &Filter,
    mut last: i64,
    rx: &mut broadcast::Receiver<Arc<Published>>,
    socket: &mut WebSocket,
) {
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Ok(p) => {
                    // Queue this event and every one already waiting (a commit publishes
                    // several at once), then write them with one flush.
                    let mut next = Some(p);
                    let (mut queued, mut lagged) = (0, false);
                    while let Some(p) = next.take() {
                        if p.id > last {
                            last = p.id;
                            if filter.passes(p.ward.as_deref(), p.patient_id, &p.kind) {
                                if !feed(socket, p.text.clone()).await {
                                    return;
                                }
                                queued += 1;
                            }
                        }
                        if queued < MAX_BURST {
                            match rx.try_recv() {
                                Ok(p) => next = Some(p),
                                Err(TryRecvError::Lagged(_)) => lagged = true,
                                // Closed is seen by the next `recv`.
                                Err(TryRecvError::Empty | TryRecvError::Closed) => {}
                            }
                        }
                    }
                    if queued > 0 && !flush(socket).await {
                        return;
                    }
                    if lagged {
                        app.metrics.ws_snapshots.fetch_add(1, Ordering::Relaxed);
                        match snapshot(app, filter, socket).await {
                            Some(l) => last = l,
                            None => return,
                        }
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    app.metrics.ws_snapshots.fetch_add(1, Ordering::Relaxed);
                    match snapshot(app, filter, socket).await {
                        Some(l) => last = l,
                        None => return,
                    }
                }
                Err(RecvError::Closed) => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => heard = Instant::now(),
            },
            _ = ping.tick() => {
                if heard.elapsed() > SILENCE_LIMIT {
                    return;
                }
                let hb = json!({"kind": "heartbeat", "last_event_id": last}).to_string();
                if !send(socket, hb).await || socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Sends the current state of every patient the client listens to, with the last event id
/// it reflects; the client continues from there.
async fn snapshot(app: &AppState, filter: &Filter, socket: &mut WebSocket) -> Option<i64> {
    let f = filter.clone();
    let (last, patients) = app
        .store
        .read(move |c| {
            let last = events::last_id(c)?;
            let mut out = Vec::new();
            for p in crate::patients::search(c, "", f.wards.as_deref(), 1000)? {
                if f.passes(Some(&p.ward), Some(p.id), "snapshot")
                    || f.rooms.contains(&Room::Alerts)
                {
                    out.push(crate::patients::record(c, &p)?);
                }
            }
            Ok((last, out))
        })
        .await
        .ok()?;
    let msg: Value = json!({"kind": "snapshot", "last_event_id": last, "patients": patients});
    send(socket, msg.to_string()).await.then_some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_parse_and_filter() {
        let rooms = parse_rooms("ward:ward-a, patient:7,alerts").unwrap();
        assert_eq!(
            rooms,
            vec![Room::Ward("ward-a".into()), Room::Patient(7), Room::Alerts]
        );
        assert_eq!(
            parse_rooms("bed:3").unwrap_err().field.as_deref(),
            Some("rooms")
        );
        let f = Filter {
            wards: Some(vec!["ward-a".into()]),
            rooms: vec![Room::Patient(7)],
        };
        assert!(f.passes(Some("ward-a"), Some(7), "score_computed"));
        assert!(!f.passes(Some("ward-a"), Some(8), "score_computed"));
        assert!(!f.passes(Some("ward-b"), Some(7), "score_computed"));
        assert!(f.passes(None, None, "demo_reset"));
    }
}
