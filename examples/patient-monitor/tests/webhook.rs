//! Notifications through the webhook: every attempt is an event, failures are retried with
//! backoff, and the receiver gets an idempotency key.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{TestServer, cpf, eventually};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_webhook_is_retried_and_every_attempt_recorded() {
    let hits = Arc::new(AtomicUsize::new(0));
    let keys = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let (h, k) = (hits.clone(), keys.clone());
    let receiver = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let (h, k) = (h.clone(), k.clone());
            async move {
                let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                assert!(v["escalation_id"].is_number() && v["role"].is_string());
                k.lock()
                    .unwrap()
                    .push(headers["idempotency-key"].to_str().unwrap().to_owned());
                // The first attempt fails.
                if h.fetch_add(1, Ordering::SeqCst) == 0 {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let s = TestServer::start_with(|c| {
        c.webhook = Some(hook);
        c.webhook_attempts = 3;
    })
    .await;
    let nurse = s.login("nurse").await;
    let pid = s
        .register(&nurse, "Webhook Test", &cpf(909_808_707), "ward-a")
        .await;
    let eid = s.open_escalation(&nurse, pid).await;
    let (failed, sent) = eventually(10, || async {
        let evs = s.events(&nurse, 0).await;
        let of = |t: &str| {
            evs.iter()
                .filter(|e| e["type"] == t && e["escalation_id"] == eid)
                .cloned()
                .collect::<Vec<_>>()
        };
        let (failed, sent) = (of("notification_failed"), of("notification_sent"));
        (!failed.is_empty() && !sent.is_empty()).then_some((failed, sent))
    })
    .await;
    assert_eq!(failed[0]["data"]["attempt"], 1);
    assert_eq!(failed[0]["data"]["final"], false);
    assert!(failed[0]["data"]["error"].as_str().unwrap().contains("503"));
    assert_eq!(sent[0]["data"]["attempt"], 2);
    assert_eq!(sent[0]["data"]["channel"], "webhook");
    let keys = keys.lock().unwrap().clone();
    assert_eq!(keys[0], keys[1], "a retry carries the same idempotency key");
    let metrics = s.get("/metrics", &nurse).await.text;
    for name in [
        "patient_monitor_observations_total",
        "patient_monitor_open_escalations 1",
        "patient_monitor_timer_lag_seconds",
        "patient_monitor_websocket_clients",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }
    s.stop().await;
}
