//! Outbound notifications. Each `escalation_step_started` (and an unanswered chain that names
//! someone to page) leaves a row in the outbox, in the transaction that decided it; the
//! dispatcher sends it through a [`Notifier`] and records every attempt as an event. Rows
//! still pending after a restart are sent again, so a notification is never lost; the
//! receiver deduplicates on the `Idempotency-Key` (the event id).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc};

use crate::problem::Problem;
use crate::store::Store;
use crate::store::events::NewEvent;

/// A boxed future, for the object-safe [`Notifier`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where notifications go.
pub trait Notifier: Send + Sync + std::fmt::Debug {
    /// The channel's name, recorded on every attempt.
    fn channel(&self) -> &'static str;
    /// How many attempts before giving up.
    fn max_attempts(&self) -> u32;
    /// One attempt.
    fn send<'a>(&'a self, message: &'a Value) -> BoxFuture<'a, Result<(), String>>;
}

/// Writes each notification to the log (ids and roles only, never patient data).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn channel(&self) -> &'static str {
        "log"
    }

    fn max_attempts(&self) -> u32 {
        1
    }

    fn send<'a>(&'a self, m: &'a Value) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            tracing::info!(
                escalation = m["escalation_id"].as_i64(),
                ward = m["ward"].as_str(),
                role = m["role"].as_str(),
                step = m["step"].as_i64(),
                kind = m["kind"].as_str(),
                "notify"
            );
            Ok(())
        })
    }
}

/// POSTs each notification as JSON to a URL (plain HTTP), with an `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct WebhookNotifier {
    url: hyper::Uri,
    attempts: u32,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl WebhookNotifier {
    /// A webhook to `url`, tried `attempts` times.
    pub fn new(url: &str, attempts: u32) -> Result<Self, String> {
        let url: hyper::Uri = url
            .parse()
            .map_err(|e| format!("webhook URL {url:?} is not valid: {e}"))?;
        if url.scheme_str() != Some("http") {
            return Err(
                "the webhook URL must be http:// (put a TLS proxy in front for https)".into(),
            );
        }
        let client = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
        Ok(Self {
            url,
            attempts: attempts.max(1),
            client,
        })
    }
}

impl Notifier for WebhookNotifier {
    fn channel(&self) -> &'static str {
        "webhook"
    }

    fn max_attempts(&self) -> u32 {
        self.attempts
    }

    fn send<'a>(&'a self, m: &'a Value) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let req = hyper::Request::post(self.url.clone())
                .header("content-type", "application/json")
                .header("idempotency-key", m["event_id"].to_string())
                .body(Full::new(Bytes::from(m.to_string())))
                .map_err(|e| e.to_string())?;
            let res = tokio::time::timeout(Duration::from_secs(5), self.client.request(req))
                .await
                .map_err(|_| "timed out after 5 s".to_owned())?
                .map_err(|e| e.to_string())?;
            let status = res.status();
            let _ = res.into_body().collect().await;
            if status.is_success() {
                Ok(())
            } else {
                Err(format!("the webhook answered {status}"))
            }
        })
    }
}

/// Delay before attempt `n` (1-based): 250 ms, 500 ms, 1 s, ... up to 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250u64.saturating_mul(1 << attempt.saturating_sub(1).min(7)))
        .min(Duration::from_secs(30))
}

/// Sends every pending outbox row, then each new one as the writer hands it over.
pub async fn run(store: Store, mut rx: mpsc::UnboundedReceiver<i64>, notifier: Arc<dyn Notifier>) {
    let limit = Arc::new(Semaphore::new(64));
    // Deliveries belong to this task: stopping it stops them (what they left is pending).
    let mut deliveries = tokio::task::JoinSet::new();
    match store.read(|c| Ok(pending(c)?)).await {
        Ok(ids) => {
            if !ids.is_empty() {
                tracing::info!(count = ids.len(), "resending notifications left pending");
            }
            for id in ids {
                spawn_delivery(&mut deliveries, &store, &notifier, &limit, id);
            }
        }
        Err(e) => tracing::error!(error = %e, "could not read the outbox"),
    }
    loop {
        tokio::select! {
            id = rx.recv() => match id {
                Some(id) => spawn_delivery(&mut deliveries, &store, &notifier, &limit, id),
                None => break,
            },
            Some(_) = deliveries.join_next(), if !deliveries.is_empty() => {}
        }
    }
    while deliveries.join_next().await.is_some() {}
}

fn pending(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<i64>> {
    conn.prepare("SELECT event_id FROM outbox WHERE status = 'pending' ORDER BY event_id")?
        .query_map([], |r| r.get(0))?
        .collect()
}

fn spawn_delivery(
    set: &mut tokio::task::JoinSet<()>,
    store: &Store,
    notifier: &Arc<dyn Notifier>,
    limit: &Arc<Semaphore>,
    id: i64,
) {
    let (store, notifier, limit) = (store.clone(), notifier.clone(), limit.clone());
    set.spawn(async move {
        let Ok(_permit) = limit.acquire_owned().await else {
            return;
        };
        if let Err(e) = deliver(&store, notifier.as_ref(), id).await {
            tracing::warn!(outbox = id, error = %e, "notification left pending");
        }
    });
}

async fn deliver(store: &Store, notifier: &dyn Notifier, id: i64) -> Result<(), Problem> {
    let row = store
        .read(move |c| {
            Ok(c.query_row(
                "SELECT message, attempts, status FROM outbox WHERE event_id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .ok())
        })
        .await?;
    let Some((message, done, status)) = row else {
        return Ok(());
    };
    if status != "pending" {
        return Ok(());
    }
    let message: Value =
        serde_json::from_str(&message).map_err(|e| Problem::internal("outbox message", e))?;
    let max = notifier.max_attempts();
    let mut attempt = u32::try_from(done).unwrap_or(0);
    loop {
        attempt += 1;
        let result = notifier.send(&message).await;
        let last = result.is_ok() || attempt >= max;
        record(
            store,
            notifier.channel(),
            &message,
            id,
            attempt,
            result.as_ref().err().cloned(),
            last,
        )
        .await?;
        if last {
            return Ok(());
        }
        tokio::time::sleep(backoff(attempt)).await;
    }
}

async fn record(
    store: &Store,
    channel: &'static str,
    m: &Value,
    id: i64,
    attempt: u32,
    error: Option<String>,
    last: bool,
) -> Result<(), Problem> {
    let (patient, ward, esc) = (
        m["patient_id"].as_i64(),
        m["ward"].as_str().map(str::to_owned),
        m["escalation_id"].as_i64(),
    );
    let mut data = json!({"outbox_event_id": id, "attempt": attempt, "channel": channel, "role": m["role"], "step": m["step"]});
    let kind = match error {
        None => "notification_sent",
        Some(e) => {
            data["error"] = json!(e);
            data["final"] = json!(last);
            "notification_failed"
        }
    };
    store
        .write(move |ctx| {
            ctx.append(NewEvent {
                kind: kind.to_owned(),
                patient_id: patient,
                ward,
                escalation_id: esc,
                esc_seq: None,
                actor: Some("dispatcher".to_owned()),
                data,
            })
            .map(|_| ())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(2), Duration::from_millis(500));
        assert_eq!(backoff(20), Duration::from_secs(30));
    }
}
