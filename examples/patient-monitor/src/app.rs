//! Start-up: open the database, set up the accounts, restore the escalation board, start
//! the writer, the timer task, the notification dispatcher and the simulator, and serve.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::auth::{self, Actor, Sessions, User, UserRole};
use crate::config::Config;
use crate::escalation::notify::{LogNotifier, Notifier, WebhookNotifier};
use crate::metrics::Metrics;
use crate::realtime::Hub;
use crate::store::{self, Effects, Store, WriterState};

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Session cache.
    pub sessions: Sessions,
    /// Realtime fan-out.
    pub hub: Hub,
    /// Configuration.
    pub config: Arc<Config>,
    /// Counters.
    pub metrics: Arc<Metrics>,
}

/// A running server.
#[derive(Debug)]
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// The demo accounts' password (demo mode), or the new admin's password (first start
    /// without demo), if one was set now.
    pub password: Option<String>,
    /// Shared state (for embedding and tests).
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops serving and the background tasks, waits for the server to finish, then
    /// closes the database ([`Store::close`](crate::store::Store::close)): queued writes
    /// are committed and answered, and nothing writes to the file when this returns.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for t in &self.tasks {
            t.abort();
        }
        if tokio::time::timeout(Duration::from_secs(5), &mut self.server)
            .await
            .is_err()
        {
            self.server.abort();
        }
        // Bounded like the server: a sync stuck on a failing disk must not hang the exit
        // (the writer stops the process itself if the sync fails).
        if tokio::time::timeout(Duration::from_secs(10), self.state.store.close())
            .await
            .is_err()
        {
            tracing::warn!("the database did not close within 10 s of shutdown");
        }
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn wait_for_signal(self) {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.stop().await;
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Sets up the accounts: in demo mode the wards and demo users with `password`; otherwise an
/// `admin` on first start. Returns the password to print, if any.
fn accounts(conn: &rusqlite::Connection, config: &Config) -> Result<Option<String>, String> {
    if config.demo() {
        let password = config
            .demo_password
            .clone()
            .unwrap_or_else(auth::random_password);
        crate::demo::seed_accounts(conn, &password, config.argon2_memory_kib)?;
        return Ok(Some(password));
    }
    let users: i64 = conn
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if users > 0 {
        return Ok(None);
    }
    let password = auth::random_password();
    let admin = User {
        username: "admin".into(),
        role: UserRole::Admin,
        wards: Vec::new(),
    };
    auth::upsert_user(
        conn,
        &admin,
        &auth::hash_password_with(&password, config.argon2_memory_kib)?,
        chrono::Utc::now(),
    )
    .map_err(|e| e.to_string())?;
    Ok(Some(password))
}

/// Opens everything and starts serving on `config`'s address.
pub async fn start(config: Config) -> Result<Running, String> {
    let policies = config.policies()?;
    let path = config.db.clone();
    let conn = store::open_writer(&path, &config.synchronous)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let password = accounts(&conn, &config)?;
    let state = WriterState::load(&conn, policies)?;
    let metrics = Arc::new(Metrics::default());
    let hub = Hub::default();
    let (notify_tx, notify_rx) = mpsc::unbounded_channel();
    let (deadline_tx, deadline_rx) = watch::channel(None);
    let timer_due = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let effects = Effects {
        hub: hub.clone(),
        notify: notify_tx,
        deadline: deadline_tx,
        metrics: metrics.clone(),
        timer_due: timer_due.clone(),
    };
    let store = Store::start(&path, conn, state, effects)
        .map_err(|e| format!("cannot start the database: {e}"))?;
    let config = Arc::new(config);
    let app = AppState {
        store: store.clone(),
        sessions: Sessions::default(),
        hub,
        config: config.clone(),
        metrics: metrics.clone(),
    };

    if config.demo() {
        let empty = store
            .read(|c| {
                Ok(c.query_row("SELECT COUNT(*) FROM patients", [], |r| r.get::<_, i64>(0))? == 0)
            })
            .await
            .map_err(|e| e.to_string())?;
        if empty {
            let system = Actor::system("system");
            store
                .write(move |ctx| crate::demo::seed_patients(ctx, &system))
                .await
                .map_err(|e| format!("cannot seed the demo patients: {e}"))?;
        }
    }

    let notifier: Arc<dyn Notifier> = match &config.webhook {
        Some(url) => Arc::new(WebhookNotifier::new(url, config.webhook_attempts)?),
        None => Arc::new(LogNotifier),
    };
    let mut tasks = vec![
        tokio::spawn(crate::escalation::timer::run(
            store.clone(),
            deadline_rx,
            metrics.clone(),
            timer_due,
        )),
        tokio::spawn(crate::escalation::notify::run(
            store.clone(),
            notify_rx,
            notifier,
        )),
    ];
    if let Some(period) = config.simulate_period().filter(|_| config.demo()) {
        let (store, max_age) = (store.clone(), config.max_age());
        tasks.push(tokio::spawn(async move {
            let simulator = Actor::system("simulator");
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                if let Err(e) = crate::demo::simulate(&store, &simulator, max_age).await {
                    tracing::warn!(error = %e, "simulation round failed");
                }
            }
        }));
    }

    let listener = tokio::net::TcpListener::bind(config.bind_addr())
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind_addr()))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let router = crate::routes::router(app.clone());
    let (shutdown, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(listener, service)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = result {
            tracing::error!(error = %e, "server stopped");
        }
    });
    Ok(Running {
        addr,
        password,
        state: app,
        shutdown: Some(shutdown),
        server,
        tasks,
    })
}

/// `--rebuild-projections`: rebuilds the read models from the events; prints the count.
pub fn rebuild(config: &Config) -> Result<String, String> {
    let conn = store::open_writer(&config.db, &config.synchronous).map_err(|e| e.to_string())?;
    let before = crate::projections::digest(&conn).map_err(|e| e.to_string())?;
    let n = crate::projections::rebuild(&conn).map_err(|e| e.to_string())?;
    let after = crate::projections::digest(&conn).map_err(|e| e.to_string())?;
    let same = if before == after {
        "identical to"
    } else {
        "different from"
    };
    Ok(format!(
        "rebuilt the read models from {n} events; the result is {same} the live tables (digest {after})"
    ))
}

/// `--verify-audit`: checks the audit chain.
pub fn verify_audit(config: &Config) -> Result<crate::audit::Verification, String> {
    let conn = store::open_writer(&config.db, &config.synchronous).map_err(|e| e.to_string())?;
    crate::audit::verify(&conn).map_err(|e| e.to_string())
}
