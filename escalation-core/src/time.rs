//! How the crate treats the times it is given.
//!
//! Times are kept to the millisecond, because JavaScript dates, most databases and the board's
//! timer keys are; a `now` with finer precision is truncated on the way in, so a deadline that
//! has passed by the clock has also passed by the truncated time. Times run from 1970 up to
//! (not including) the year 9000, so that a deadline years ahead still formats as RFC 3339.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

use crate::error::CommandError;

/// 1970-01-01T00:00:00Z.
const MIN_MS: i64 = 0;
/// 9000-01-01T00:00:00Z.
const MAX_MS: i64 = 221_845_392_000_000;

fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A time together with its epoch milliseconds. Deriving one from the other costs more than
/// the rest of a timer's work, so the hot path carries both and derives neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Moment {
    pub(crate) at: DateTime<Utc>,
    pub(crate) ms: i64,
}

impl Moment {
    pub(crate) fn of(at: DateTime<Utc>) -> Self {
        Self {
            at,
            ms: at.timestamp_millis(),
        }
    }

    /// A command's `now`: truncated, checked against the range.
    pub(crate) fn accept(now: DateTime<Utc>) -> Result<Self, CommandError> {
        let ms = now.timestamp_millis();
        if (MIN_MS..MAX_MS).contains(&ms) {
            Ok(Self {
                at: now.trunc_subsecs(3),
                ms,
            })
        } else {
            Err(CommandError::TimeOutOfRange {
                now,
                min: from_ms(MIN_MS),
                max: from_ms(MAX_MS),
            })
        }
    }

    /// A timer's `now`: truncated and pulled into the range, because handling a timeout cannot
    /// fail (nothing is due before 1970, and everything by 9000 is).
    pub(crate) fn clamp(now: DateTime<Utc>) -> Self {
        let ms = now.timestamp_millis();
        if ms < MIN_MS {
            Self::of(from_ms(MIN_MS))
        } else if ms >= MAX_MS {
            Self::of(from_ms(MAX_MS - 1))
        } else {
            Self {
                at: now.trunc_subsecs(3),
                ms,
            }
        }
    }

    /// This time, or `t` if later: time never runs backwards inside one escalation.
    pub(crate) fn not_before(self, t: DateTime<Utc>) -> Self {
        if t > self.at { Self::of(t) } else { self }
    }

    /// Whole seconds later. Saturates rather than panics; within the accepted range plus the
    /// longest possible schedule it never needs to.
    pub(crate) fn after(self, seconds: u32) -> Self {
        match self
            .at
            .checked_add_signed(TimeDelta::seconds(i64::from(seconds)))
        {
            Some(at) => Self {
                at,
                ms: self.ms + i64::from(seconds) * 1000,
            },
            None => Self::of(DateTime::<Utc>::MAX_UTC),
        }
    }

    /// How late something due at `self` is at `now`, in milliseconds (0 when on time or early).
    pub(crate) fn late_at(self, now: Moment) -> u64 {
        u64::try_from(now.ms.saturating_sub(self.ms)).unwrap_or(0)
    }
}
