//! The one timer task: sleeps until the board's next deadline, then asks the writer to fire
//! everything due. On start it first delivers the durable timers stored with each open
//! escalation, so steps that fell due while the server was down fire at once, recorded late.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use escalation_core::Deadline;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::store::Store;

/// Runs until the writer stops.
pub async fn run(
    store: Store,
    mut deadline: watch::Receiver<Option<Deadline>>,
    metrics: Arc<Metrics>,
    due: Arc<AtomicBool>,
) {
    match store
        .write(|ctx| {
            let (fired, stale) = super::deliver_stored_timers(ctx)?;
            let caught_up = super::advance(ctx)?;
            Ok((fired, stale, caught_up))
        })
        .await
    {
        Ok((fired, stale, caught_up)) if fired + stale + caught_up > 0 => {
            tracing::info!(
                fired,
                stale,
                caught_up,
                "delivered the timers that fell due while the server was down"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "could not deliver stored timers"),
    }
    metrics.timer_alive.store(true, Ordering::Relaxed);
    let mut previous: Option<Deadline> = None;
    loop {
        let next = *deadline.borrow_and_update();
        let Some(d) = next else {
            if deadline.changed().await.is_err() {
                break;
            }
            continue;
        };
        // The same deadline again right after a tick: give the clock a moment.
        let floor = if previous == Some(d) {
            Duration::from_millis(5)
        } else {
            Duration::ZERO
        };
        let wait = (d.at - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO)
            .max(floor);
        tokio::select! {
            () = tokio::time::sleep(wait) => {
                let lag = (Utc::now() - d.at).num_milliseconds().max(0);
                metrics.observe_timer_lag(u64::try_from(lag).unwrap_or(0));
                previous = Some(d);
                // The flag makes the writer fire due deadlines at the start of its next batch,
                // ahead of queued jobs; the job itself only wakes the writer (and fires anything
                // still due when it runs).
                due.store(true, Ordering::Release);
                if let Err(e) = store.write(super::advance).await {
                    tracing::error!(error = %e, "timer tick failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            changed = deadline.changed() => {
                if changed.is_err() {
                    break;
                }
            }
        }
    }
    metrics.timer_alive.store(false, Ordering::Relaxed);
}
