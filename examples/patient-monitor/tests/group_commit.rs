//! Group commit over HTTP: many concurrent vitals share commits, and no answer is sent
//! before its write is committed — right after each 201, a fresh connection to the database
//! file reads the observation, its score and its event.

mod common;

use std::sync::Arc;

use common::{TestServer, cpf, normal_vitals};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_201_is_already_committed_when_it_arrives() {
    let s = Arc::new(TestServer::start().await);
    let nurse = s.login("nurse").await;
    let mut patients = Vec::new();
    for i in 0..4 {
        patients.push(
            s.register(
                &nurse,
                &format!("Commit Test {i}"),
                &cpf(700_000_000 + i),
                "ward-a",
            )
            .await,
        );
    }
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let (s, nurse, pid) = (s.clone(), nurse.clone(), patients[i % patients.len()]);
            tokio::spawn(async move {
                let r = s
                    .post(
                        &format!("/api/patients/{pid}/vitals"),
                        &nurse,
                        normal_vitals(),
                    )
                    .await;
                assert_eq!(r.status, 201, "{}", r.text);
                let obs = r.body["observation_id"].as_i64().expect("observation id");
                let score = r.body["news2"]["score_id"].as_i64().expect("score id");
                // A new connection sees only committed data.
                let conn = rusqlite::Connection::open_with_flags(
                    &s.db,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .expect("open db");
                let (events, observations, scores): (i64, i64, i64) = conn
                    .query_row(
                        "SELECT (SELECT COUNT(*) FROM events WHERE id IN (?1, ?2)),
                                (SELECT COUNT(*) FROM observations WHERE id = ?1),
                                (SELECT COUNT(*) FROM scores WHERE id = ?2)",
                        [obs, score],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .expect("read back");
                assert_eq!(
                    (events, observations, scores),
                    (2, 1, 1),
                    "observation {obs} was answered before it was committed"
                );
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("request task");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_server_ends_its_database_writer() {
    let s = TestServer::start().await;
    let store = s.store().expect("a server started here");
    assert!(store.writer_alive());
    let dir = s.stop().await;
    // Stopped, not merely asked to stop: the writer has ended and refuses any later write,
    // so nothing touches the database once the directory may be removed.
    assert!(!store.writer_alive());
    let refused = store.write(|_| Ok(())).await.unwrap_err();
    assert_eq!(refused.status, 503, "{refused:?}");
    drop(dir);
}
