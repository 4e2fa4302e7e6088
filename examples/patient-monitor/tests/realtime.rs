//! Realtime: ward isolation over the WebSocket, and a reconnect that replays exactly the gap.

mod common;

use std::time::Duration;

use common::{TestServer, cpf, high_vitals, normal_vitals};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(s: &TestServer, token: &str, query: &str) -> Ws {
    let mut req = format!("ws://{}/ws{query}", s.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(req)
        .await
        .expect("websocket connects")
        .0
}

/// Reads messages until `stop` says so or nothing arrives for `quiet`.
async fn read_until(
    ws: &mut Ws,
    quiet: Duration,
    mut stop: impl FnMut(&Value) -> bool,
) -> Vec<Value> {
    let mut out = Vec::new();
    while let Ok(Some(Ok(msg))) = tokio::time::timeout(quiet, ws.next()).await {
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            let done = stop(&v);
            out.push(v);
            if done {
                break;
            }
        }
    }
    out
}

fn event_ids(msgs: &[Value]) -> Vec<i64> {
    msgs.iter()
        .filter(|m| m["kind"] == "event")
        .map(|m| m["event"]["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ward_a_never_sees_ward_b_and_a_reconnect_replays_exactly_the_gap() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await; // ward-a
    let doctor = s.login("doctor").await; // ward-a, ward-b
    let a = s
        .register(&nurse, "Alice Ala A", &cpf(111_000_111), "ward-a")
        .await;
    let b = s
        .register(&doctor, "Bruno Ala B", &cpf(222_000_222), "ward-b")
        .await;

    let mut ws_a = connect(&s, &nurse, "").await;
    let mut ws_doc = connect(&s, &doctor, "?rooms=ward:ward-b").await;
    let hello = read_until(&mut ws_a, Duration::from_secs(5), |m| m["kind"] == "hello").await;
    assert_eq!(hello.last().unwrap()["kind"], "hello");
    read_until(&mut ws_doc, Duration::from_secs(5), |m| {
        m["kind"] == "hello"
    })
    .await;

    // Activity in both wards.
    s.post(&format!("/api/patients/{b}/vitals"), &doctor, high_vitals())
        .await;
    let ea = s.open_escalation(&nurse, a).await;
    s.post(
        &format!("/api/patients/{b}/vitals"),
        &doctor,
        normal_vitals(),
    )
    .await;
    let live_a = read_until(&mut ws_a, Duration::from_millis(800), |_| false).await;
    let live_doc = read_until(&mut ws_doc, Duration::from_millis(800), |_| false).await;
    let events_a: Vec<&Value> = live_a
        .iter()
        .filter(|m| m["kind"] == "event")
        .map(|m| &m["event"])
        .collect();
    assert!(
        events_a
            .iter()
            .any(|e| e["type"] == "escalation_triggered" && e["escalation_id"] == ea)
    );
    assert!(
        events_a.iter().all(|e| e["ward"] == "ward-a"),
        "ward-b leaked: {events_a:?}"
    );
    assert!(events_a.iter().all(|e| e["patient_id"] != b));
    // The doctor's ward-b room carries ward-b events only.
    let events_doc: Vec<&Value> = live_doc
        .iter()
        .filter(|m| m["kind"] == "event")
        .map(|m| &m["event"])
        .collect();
    assert!(events_doc.iter().any(|e| e["patient_id"] == b));
    assert!(events_doc.iter().all(|e| e["ward"] == "ward-b"));
    // The stream equals what the API lists for the nurse, in order, without duplicates.
    let ids = event_ids(&live_a);
    let first = ids[0];
    let api: Vec<i64> = s
        .events(&nurse, first - 1)
        .await
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .take(ids.len())
        .collect();
    assert_eq!(ids, api);
    let last_seen = *ids.last().unwrap();
    drop(ws_a);

    // While the nurse is away: more in both wards (and the escalation keeps stepping).
    s.post(&format!("/api/patients/{b}/vitals"), &doctor, high_vitals())
        .await;
    s.post(
        &format!("/api/patients/{a}/vitals"),
        &nurse,
        normal_vitals(),
    )
    .await;
    s.post(
        &format!("/api/escalations/{ea}/acknowledge"),
        &doctor,
        json!({}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let gap: Vec<i64> = s
        .events(&nurse, last_seen)
        .await
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert!(gap.len() >= 4, "the gap must hold events: {gap:?}");

    let mut ws_a = connect(&s, &nurse, &format!("?after={last_seen}")).await;
    let replay = read_until(&mut ws_a, Duration::from_secs(5), |m| m["kind"] == "hello").await;
    let replayed = event_ids(&replay);
    assert_eq!(replayed, gap, "the replay is exactly the gap");
    assert_eq!(replay.last().unwrap()["replayed"], gap.len());
    // Then live again, continuing after the gap with no duplicate.
    s.post(
        &format!("/api/patients/{a}/vitals"),
        &nurse,
        normal_vitals(),
    )
    .await;
    let more = read_until(&mut ws_a, Duration::from_millis(800), |_| false).await;
    let more_ids = event_ids(&more);
    assert!(!more_ids.is_empty());
    assert!(more_ids.iter().all(|id| id > gap.last().unwrap()));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rooms_and_foreign_wards_are_refused() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let r = s.get("/ws?rooms=bed:4", &nurse).await;
    assert_eq!((r.status, r.body["field"].clone()), (422, json!("rooms")));
    let mut req = format!("ws://{}/ws?rooms=ward:ward-b", s.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {nurse}").parse().unwrap());
    assert!(
        tokio_tungstenite::connect_async(req).await.is_err(),
        "ward-b room refused for a ward-a nurse"
    );
    s.stop().await;
}
