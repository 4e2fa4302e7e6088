//! Tampering with the audit log is caught, and the entry is named.

mod common;

use common::{TestServer, cpf, normal_vitals};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_audit_row_is_named_by_verify() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let pid = s
        .register(&nurse, "Marta Alves", &cpf(808_909_101), "ward-a")
        .await;
    for _ in 0..3 {
        assert_eq!(
            s.post(
                &format!("/api/patients/{pid}/vitals"),
                &nurse,
                normal_vitals()
            )
            .await
            .status,
            201
        );
        assert_eq!(
            s.get(&format!("/api/patients/{pid}"), &nurse).await.status,
            200
        );
    }
    let v = s.get("/api/audit/verify", &nurse).await.body;
    assert_eq!(v["ok"], true, "{v}");
    let entries = v["entries"].as_i64().unwrap();
    assert!(entries >= 8);

    // Someone with file access edits one entry (after removing the append-only trigger).
    let target = entries / 2;
    let original: String = {
        let conn = rusqlite::Connection::open(&s.db).unwrap();
        let original = conn
            .query_row("SELECT actor FROM audit WHERE id = ?1", [target], |r| {
                r.get(0)
            })
            .unwrap();
        conn.execute_batch("DROP TRIGGER audit_append_only_update")
            .unwrap();
        let n = conn
            .execute(
                "UPDATE audit SET actor = 'someone-else' WHERE id = ?1",
                [target],
            )
            .unwrap();
        assert_eq!(n, 1);
        original
    };
    let v = s.get("/api/audit/verify", &nurse).await.body;
    assert_eq!(v["ok"], false);
    assert_eq!(v["first_broken"], target, "{v}");
    assert!(v["reason"].as_str().unwrap().contains(&target.to_string()));

    // The command-line check says the same, and fails.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_patient-monitor"))
        .args(["--verify-audit", "--db"])
        .arg(&s.db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["first_broken"], target);

    // Removing an entry breaks the link after it.
    let removed = entries - 1;
    {
        let conn = rusqlite::Connection::open(&s.db).unwrap();
        // (Any start of the server or the checker puts the append-only triggers back.)
        conn.execute_batch("DROP TRIGGER IF EXISTS audit_append_only_update; DROP TRIGGER audit_append_only_delete").unwrap();
        conn.execute(
            "UPDATE audit SET actor = ?2 WHERE id = ?1",
            rusqlite::params![target, original],
        )
        .unwrap();
        conn.execute("DELETE FROM audit WHERE id = ?1", [removed])
            .unwrap();
    }
    let v = s.get("/api/audit/verify", &nurse).await.body;
    assert_eq!(
        (v["ok"].clone(), v["first_broken"].clone()),
        (serde_json::json!(false), serde_json::json!(removed + 1)),
        "{v}"
    );
    s.stop().await;
}
