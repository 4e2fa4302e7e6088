//! Building one observation set from single readings that arrive at different times.
//!
//! Bedside devices send readings one by one: a pulse oximeter every few seconds, a blood
//! pressure cuff every hour, a temperature when a nurse takes it. A NEWS2 score needs one
//! value per parameter, each recent enough to describe the patient *now*. Scoring an old
//! value as if it were current is a known failure of existing monitors, so here every
//! parameter reports whether it is fresh, stale or missing, and only fresh values score.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{
    Acvpu, News2Score, Parameter, ParameterSet, PartialVitals, Pulse, RespirationRate, Spo2,
    Spo2Scale, SystolicBp, Temperature, Vitals, VitalsError,
};

/// One validated reading of one parameter.
///
/// ```
/// use news2_core::{Measurement, Parameter};
/// let m = Measurement::from_f64(Parameter::Pulse, 88.0)?;
/// assert_eq!(m.parameter(), Parameter::Pulse);
/// assert_eq!(m.value(), 88.0);
/// assert!(Measurement::from_f64(Parameter::Spo2, 120.0).is_err());
/// assert_eq!(Measurement::from_f64(Parameter::OnOxygen, 1.0)?, Measurement::OnOxygen(true));
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "parameter", content = "value", rename_all = "snake_case")
)]
#[allow(missing_docs)] // one variant per parameter, named like it
pub enum Measurement {
    RespirationRate(RespirationRate),
    Spo2(Spo2),
    OnOxygen(bool),
    SystolicBp(SystolicBp),
    Pulse(Pulse),
    Consciousness(Acvpu),
    Temperature(Temperature),
}

impl Measurement {
    /// The parameter measured.
    pub const fn parameter(&self) -> Parameter {
        match self {
            Self::RespirationRate(_) => Parameter::RespirationRate,
            Self::Spo2(_) => Parameter::Spo2,
            Self::OnOxygen(_) => Parameter::OnOxygen,
            Self::SystolicBp(_) => Parameter::SystolicBp,
            Self::Pulse(_) => Parameter::Pulse,
            Self::Consciousness(_) => Parameter::Consciousness,
            Self::Temperature(_) => Parameter::Temperature,
        }
    }

    /// A numeric reading: consciousness as its [`Acvpu::code`], oxygen as 0 or 1.
    pub fn from_f64(parameter: Parameter, value: f64) -> Result<Self, VitalsError> {
        let field = parameter.field();
        Ok(match parameter {
            Parameter::RespirationRate => Self::RespirationRate(RespirationRate::from_f64(value)?),
            Parameter::Spo2 => Self::Spo2(Spo2::from_f64(value)?),
            Parameter::OnOxygen if value == 0.0 || value == 1.0 => Self::OnOxygen(value == 1.0),
            Parameter::OnOxygen => {
                return Err(if value.is_finite() {
                    VitalsError::OutOfRange {
                        field,
                        value,
                        min: 0.0,
                        max: 1.0,
                    }
                } else {
                    VitalsError::NotFinite { field, value }
                });
            }
            Parameter::SystolicBp => Self::SystolicBp(SystolicBp::from_f64(value)?),
            Parameter::Pulse => Self::Pulse(Pulse::from_f64(value)?),
            Parameter::Consciousness => {
                let code = (0.0..=4.0)
                    .contains(&value)
                    .then_some(value as u8)
                    .filter(|&c| f64::from(c) == value);
                Self::Consciousness(code.and_then(Acvpu::from_code).ok_or(
                    VitalsError::OutOfRange {
                        field,
                        value,
                        min: 0.0,
                        max: 4.0,
                    },
                )?)
            }
            Parameter::Temperature => Self::Temperature(Temperature::from_celsius(value)?),
        })
    }

    /// The value as a number (consciousness as its code, oxygen as 0 or 1, temperature
    /// in °C).
    pub fn value(&self) -> f64 {
        match *self {
            Self::RespirationRate(v) => f64::from(v.get()),
            Self::Spo2(v) => f64::from(v.get()),
            Self::OnOxygen(v) => f64::from(u8::from(v)),
            Self::SystolicBp(v) => f64::from(v.get()),
            Self::Pulse(v) => f64::from(v.get()),
            Self::Consciousness(v) => f64::from(v.code()),
            Self::Temperature(v) => v.celsius(),
        }
    }
}

/// A measurement and when it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reading {
    /// What was measured.
    pub measurement: Measurement,
    /// When it was measured.
    pub at: DateTime<Utc>,
}

/// Whether a parameter has a usable reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Freshness {
    /// The latest reading is no older than the maximum age.
    Fresh,
    /// The latest reading is older than the maximum age: shown, never scored.
    Stale,
    /// No reading at or before `now`.
    Missing,
}

/// What assembly found for one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ParameterStatus {
    /// Fresh, stale or missing.
    pub freshness: Freshness,
    /// The latest reading at or before `now`, if any.
    pub reading: Option<Reading>,
    /// Its age at `now` (in JSON: whole milliseconds).
    #[cfg_attr(feature = "serde", serde(with = "millis::option"))]
    pub age: Option<TimeDelta>,
}

/// The latest set of readings within a maximum age. Readings after `now` (a device clock
/// ahead of the server's) are ignored; when two readings of one parameter share a
/// timestamp, the later one in the input wins.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use news2_core::{Freshness, Measurement, ObservationSet, Parameter, Reading, Spo2Scale};
///
/// let now = Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
/// let readings = [
///     Reading { measurement: Measurement::from_f64(Parameter::Pulse, 80.0)?, at: now - TimeDelta::minutes(2) },
///     Reading { measurement: Measurement::from_f64(Parameter::Spo2, 96.0)?, at: now - TimeDelta::hours(2) },
/// ];
/// let set = ObservationSet::assemble(&readings, now, TimeDelta::minutes(30), Spo2Scale::Scale1);
/// assert_eq!(set.status(Parameter::Pulse).freshness, Freshness::Fresh);
/// assert_eq!(set.status(Parameter::Spo2).freshness, Freshness::Stale);
/// assert_eq!(set.status(Parameter::Temperature).freshness, Freshness::Missing);
/// assert!(set.stale().contains(Parameter::Spo2));
/// // Only fresh values are scored; a stale SpO2 counts as missing.
/// let partial = set.score_partial();
/// assert!(partial.missing.contains(Parameter::Spo2));
/// assert!(set.to_vitals().is_err());
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ObservationSet {
    /// The time the set describes.
    pub now: DateTime<Utc>,
    /// The maximum age of a fresh reading (in JSON: whole milliseconds).
    #[cfg_attr(feature = "serde", serde(with = "millis"))]
    pub max_age: TimeDelta,
    /// The SpO2 scale to score on.
    pub spo2_scale: Spo2Scale,
    statuses: [ParameterStatus; 7],
}

/// An observation set that cannot be scored as complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("observation set is incomplete: missing {missing:?}, stale {stale:?}")]
pub struct IncompleteSet {
    /// Parameters with no reading.
    pub missing: ParameterSet,
    /// Parameters whose latest reading is too old.
    pub stale: ParameterSet,
}

impl ObservationSet {
    /// Picks, for each parameter, the latest reading at or before `now`.
    pub fn assemble<'a>(
        readings: impl IntoIterator<Item = &'a Reading>,
        now: DateTime<Utc>,
        max_age: TimeDelta,
        spo2_scale: Spo2Scale,
    ) -> Self {
        let mut latest: [Option<Reading>; 7] = [None; 7];
        for r in readings.into_iter().filter(|r| r.at <= now) {
            let slot = &mut latest[r.measurement.parameter().index()];
            if slot.is_none_or(|current| r.at >= current.at) {
                *slot = Some(*r);
            }
        }
        let statuses = latest.map(|reading| match reading {
            None => ParameterStatus {
                freshness: Freshness::Missing,
                reading: None,
                age: None,
            },
            Some(r) => {
                let age = now - r.at;
                let freshness = if age <= max_age {
                    Freshness::Fresh
                } else {
                    Freshness::Stale
                };
                ParameterStatus {
                    freshness,
                    reading: Some(r),
                    age: Some(age),
                }
            }
        });
        Self {
            now,
            max_age,
            spo2_scale,
            statuses,
        }
    }

    /// What was found for `parameter`.
    pub fn status(&self, parameter: Parameter) -> &ParameterStatus {
        &self.statuses[parameter.index()]
    }

    fn with(&self, freshness: Freshness) -> ParameterSet {
        Parameter::ALL
            .into_iter()
            .filter(|p| self.status(*p).freshness == freshness)
            .collect()
    }

    /// Parameters with no reading.
    pub fn missing(&self) -> ParameterSet {
        self.with(Freshness::Missing)
    }

    /// Parameters whose latest reading is older than the maximum age.
    pub fn stale(&self) -> ParameterSet {
        self.with(Freshness::Stale)
    }

    /// The fresh values; stale and missing ones are gaps.
    pub fn to_partial(&self) -> PartialVitals {
        let mut v = PartialVitals {
            spo2_scale: self.spo2_scale,
            ..PartialVitals::default()
        };
        for s in &self.statuses {
            let Some(r) = s.reading.filter(|_| s.freshness == Freshness::Fresh) else {
                continue;
            };
            match r.measurement {
                Measurement::RespirationRate(x) => v.respiration_rate = Some(x),
                Measurement::Spo2(x) => v.spo2 = Some(x),
                Measurement::OnOxygen(x) => v.on_oxygen = Some(x),
                Measurement::SystolicBp(x) => v.systolic_bp = Some(x),
                Measurement::Pulse(x) => v.pulse = Some(x),
                Measurement::Consciousness(x) => v.consciousness = Some(x),
                Measurement::Temperature(x) => v.temperature = Some(x),
            }
        }
        v
    }

    /// The complete set, when every parameter is fresh.
    pub fn to_vitals(&self) -> Result<Vitals, IncompleteSet> {
        self.to_partial().complete().ok_or(IncompleteSet {
            missing: self.missing(),
            stale: self.stale(),
        })
    }

    /// Scores the fresh values.
    pub fn score_partial(&self) -> crate::PartialScore {
        self.to_partial().score()
    }

    /// Scores the set when every parameter is fresh.
    pub fn score(&self) -> Result<News2Score, IncompleteSet> {
        self.to_vitals().map(|v| v.score())
    }
}

/// `TimeDelta` as whole milliseconds in JSON (chrono gives it no serde shape of its own).
#[cfg(feature = "serde")]
mod millis {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_milliseconds())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let ms = i64::deserialize(d)?;
        TimeDelta::try_milliseconds(ms)
            .ok_or_else(|| serde::de::Error::custom("duration out of range"))
    }

    pub(super) mod option {
        use super::*;

        pub(in super::super) fn serialize<S: Serializer>(
            d: &Option<TimeDelta>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.num_milliseconds()),
                None => s.serialize_none(),
            }
        }

        pub(in super::super) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<TimeDelta>, D::Error> {
            Option::<i64>::deserialize(d)?
                .map(|ms| {
                    TimeDelta::try_milliseconds(ms)
                        .ok_or_else(|| serde::de::Error::custom("duration out of range"))
                })
                .transpose()
        }
    }
}
