//! Injected time: a small `Clock` trait with one real clock and one that tests move by hand.
//!
//! The state machine itself never reads a clock; every method takes `now`. A clock is for
//! the caller that would rather hand over "the time source" once, as governor does.

use alloc::sync::Arc;
use core::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

/// A source of the current time.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use escalation_core::{Clock, ManualClock};
///
/// fn stamp(clock: &impl Clock) -> DateTime<Utc> {
///     clock.now()
/// }
/// let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// assert_eq!(stamp(&ManualClock::new(t0)), t0);
/// ```
pub trait Clock {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

/// The system's wall clock: the one place in the crate that reads real time.
///
/// ```
/// use escalation_core::{Clock, SystemClock};
/// assert!(SystemClock.now().timestamp() > 1_600_000_000);
/// ```
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

#[cfg(feature = "std")]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to, to the millisecond. Clones share one time, so a
/// test can keep a handle and advance the clock it gave away. It may be set backwards, to
/// test how callers cope with a clock that jumps.
///
/// ```
/// use std::time::Duration;
/// use chrono::DateTime;
/// use escalation_core::{Clock, ManualClock};
///
/// let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// let clock = ManualClock::new(t0);
/// let handle = clock.clone();
/// handle.advance(Duration::from_secs(30));
/// assert_eq!(clock.now(), t0 + chrono::TimeDelta::seconds(30));
/// clock.set(t0);
/// assert_eq!(handle.now(), t0);
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    start: DateTime<Utc>,
    // Milliseconds since `start`; i64 milliseconds span ±292 million years, far beyond
    // chrono's range, so no reachable setting overflows.
    offset_ms: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock showing `start` (truncated to the millisecond).
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            start: start.trunc_subsecs(3),
            offset_ms: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Moves the clock forward. Sub-millisecond parts are dropped.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        // fetch_update, not fetch_add, so a huge step saturates instead of wrapping.
        let _ = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(ms))
            });
    }

    /// Sets the clock to `t` (truncated to the millisecond), forward or back.
    pub fn set(&self, t: DateTime<Utc>) {
        let ms = t
            .trunc_subsecs(3)
            .signed_duration_since(self.start)
            .num_milliseconds();
        self.offset_ms.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let ms = self.offset_ms.load(Ordering::SeqCst);
        TimeDelta::try_milliseconds(ms)
            .and_then(|d| self.start.checked_add_signed(d))
            .unwrap_or(if ms < 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            })
    }
}
