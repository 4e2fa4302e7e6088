//! `patient-monitor`: the NEWS2 monitoring server. See `--help`.

use std::process::ExitCode;

use clap::Parser;
use patient_monitor::{Config, app};

// The writer thread frees what request handlers allocated (the job closures) and the
// fan-out thread frees the writer's events: with glibc's per-thread arenas every such free
// takes the other arena's lock, and the writer spent ~19% of its time in malloc/free
// (perf, ingest at ~4k obs/s). mimalloc frees across threads without a lock: ingest
// 4.1-4.6k -> 4.3-5.4k obs/s. SQLite keeps the system allocator (overriding it measured
// no better).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,patient_monitor=info".into()),
        )
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    if config.rebuild_projections {
        return match app::rebuild(&config) {
            Ok(msg) => {
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("rebuild failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if config.verify_audit {
        return match app::verify_audit(&config) {
            Ok(v) => {
                println!("{}", serde_json::json!(v));
                if v.ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("verification failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let demo = config.demo();
        let running = match app::start(config).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("patient-monitor could not start: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("patient-monitor listening on http://{}", running.addr);
        match (&running.password, demo) {
            (Some(p), true) => println!(
                "demo logins (password {p}): nurse (ward-a), senior (ward-a), doctor (ward-a, ward-b), admin (every ward)"
            ),
            (Some(p), false) => println!("created the first account: admin, password {p} (shown once)"),
            (None, _) => {}
        }
        running.wait_for_signal().await;
        ExitCode::SUCCESS
    })
}
