//! Per-vital status for display: normal, warning or critical, and which way.
//!
//! This is what colours a ward dashboard or sounds a bedside monitor's alarm, not a
//! score. The default [`Profile`] follows the NEWS2 bands (a parameter scoring 0 is
//! normal, 1–2 warning, 3 critical; SpO2 on Scale 1); monitors let clinicians set their
//! own thresholds per patient, and so does a custom profile.

use core::fmt;

use crate::{Acvpu, DiastolicBp, Field, Pulse, RespirationRate, Spo2, SystolicBp, Temperature};

/// How far a vital is from normal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Status {
    /// Within the normal range.
    Normal,
    /// Outside normal, not yet critical.
    Warning,
    /// Critical.
    Critical,
}

impl Status {
    /// `normal`, `warning` or `critical`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

/// Which side of normal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Direction {
    /// Below normal.
    Low,
    /// Above normal.
    High,
}

impl Direction {
    /// `low` or `high`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::High => "high",
        }
    }
}

/// The classification of one vital.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VitalStatus {
    /// Normal, warning or critical.
    pub status: Status,
    /// Low or high; `None` when normal, and for consciousness.
    pub direction: Option<Direction>,
}

impl VitalStatus {
    const NORMAL: Self = Self {
        status: Status::Normal,
        direction: None,
    };
}

/// Thresholds for one vital, in the vital's unit. Each is optional. On the value v
/// (rounded to the chart's resolution): v < `critical_below` is critical low; else v <
/// `warning_below` is warning low; else v > `critical_above` is critical high; else v >
/// `warning_above` is warning high; else normal.
///
/// ```
/// use news2_core::{Direction, Status, Thresholds};
///
/// // A bedside monitor's heart-rate alarm: <40 or >120 critical, <60 or >100 warning.
/// let hr = Thresholds::new(Some(40.0), Some(60.0), Some(100.0), Some(120.0))?;
/// assert_eq!(hr.classify(35.0).status, Status::Critical);
/// assert_eq!(hr.classify(110.0).direction, Some(Direction::High));
/// assert_eq!(hr.classify(60.0).status, Status::Normal);
///
/// assert!(Thresholds::new(Some(60.0), Some(40.0), None, None).is_err());
/// # Ok::<(), news2_core::ThresholdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(deny_unknown_fields, try_from = "ThresholdSpec")
)]
pub struct Thresholds {
    critical_below: Option<f64>,
    warning_below: Option<f64>,
    warning_above: Option<f64>,
    critical_above: Option<f64>,
}

/// The unchecked shape thresholds are read from.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdSpec {
    #[serde(default)]
    critical_below: Option<f64>,
    #[serde(default)]
    warning_below: Option<f64>,
    #[serde(default)]
    warning_above: Option<f64>,
    #[serde(default)]
    critical_above: Option<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<ThresholdSpec> for Thresholds {
    type Error = ThresholdError;
    fn try_from(s: ThresholdSpec) -> Result<Self, ThresholdError> {
        Self::new(
            s.critical_below,
            s.warning_below,
            s.warning_above,
            s.critical_above,
        )
    }
}

/// Thresholds that cannot classify anything sensibly.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ThresholdError {
    /// The thresholds are not in the order critical_below ≤ warning_below ≤
    /// warning_above ≤ critical_above.
    #[error(
        "thresholds are not ordered: expected critical_below ≤ warning_below ≤ warning_above ≤ critical_above"
    )]
    Unordered,
    /// A threshold is NaN or infinite.
    #[error("a threshold is not a finite number")]
    NotFinite,
    /// The field is not classified by thresholds (consciousness, oxygen, the scale).
    #[error("this field is not classified by thresholds")]
    NotClassified,
}

impl ThresholdError {
    /// `unordered_thresholds` or `not_finite`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Unordered => "unordered_thresholds",
            Self::NotFinite => "not_finite",
            Self::NotClassified => "not_classified",
        }
    }
}

impl Thresholds {
    /// Checks that the present thresholds are finite and ordered.
    pub fn new(
        critical_below: Option<f64>,
        warning_below: Option<f64>,
        warning_above: Option<f64>,
        critical_above: Option<f64>,
    ) -> Result<Self, ThresholdError> {
        let all = [critical_below, warning_below, warning_above, critical_above];
        if all.iter().flatten().any(|t| !t.is_finite()) {
            return Err(ThresholdError::NotFinite);
        }
        let mut previous = f64::NEG_INFINITY;
        for t in all.into_iter().flatten() {
            if t < previous {
                return Err(ThresholdError::Unordered);
            }
            previous = t;
        }
        Ok(Self {
            critical_below,
            warning_below,
            warning_above,
            critical_above,
        })
    }

    /// Thresholds known to be ordered, for constant profiles.
    const fn known(cb: Option<f64>, wb: Option<f64>, wa: Option<f64>, ca: Option<f64>) -> Self {
        Self {
            critical_below: cb,
            warning_below: wb,
            warning_above: wa,
            critical_above: ca,
        }
    }

    /// Classifies a value in the vital's unit, already at the chart's resolution.
    pub fn classify(&self, v: f64) -> VitalStatus {
        let below = |t: Option<f64>| t.is_some_and(|t| v < t);
        let above = |t: Option<f64>| t.is_some_and(|t| v > t);
        let (status, direction) = if below(self.critical_below) {
            (Status::Critical, Direction::Low)
        } else if below(self.warning_below) {
            (Status::Warning, Direction::Low)
        } else if above(self.critical_above) {
            (Status::Critical, Direction::High)
        } else if above(self.warning_above) {
            (Status::Warning, Direction::High)
        } else {
            return VitalStatus::NORMAL;
        };
        VitalStatus {
            status,
            direction: Some(direction),
        }
    }

    /// The four thresholds: critical_below, warning_below, warning_above, critical_above.
    pub const fn as_array(&self) -> [Option<f64>; 4] {
        [
            self.critical_below,
            self.warning_below,
            self.warning_above,
            self.critical_above,
        ]
    }
}

/// Thresholds for every classified vital. [`Profile::default`] is the NEWS2-derived
/// profile; a custom profile read from JSON or TOML takes the default entry for every
/// vital it does not name.
///
/// | vital | critical_below | warning_below | warning_above | critical_above |
/// |---|---|---|---|---|
/// | respiration_rate | 9 | 12 | 20 | 24 |
/// | spo2 (Scale 1) | 92 | 96 | – | – |
/// | systolic_bp | 91 | 111 | – | 219 |
/// | diastolic_bp (not NEWS2) | 40 | 60 | 90 | 120 |
/// | pulse | 41 | 51 | 90 | 130 |
/// | temperature | 35.1 | 36.1 | 38.0 | – |
///
/// Consciousness is always normal when Alert and critical otherwise.
///
/// ```
/// use news2_core::{Profile, Pulse, Status, Thresholds, VitalSigns};
///
/// let mut profile = Profile::default();
/// profile.pulse = Thresholds::new(Some(40.0), Some(60.0), Some(100.0), Some(120.0))?;
/// let signs = VitalSigns { pulse: Some(Pulse::new(105).unwrap()), ..Default::default() };
/// assert_eq!(profile.classify(&signs).pulse.unwrap().status, Status::Warning);
/// assert_eq!(Profile::default().classify(&signs).pulse.unwrap().status, Status::Warning);
/// assert_eq!(profile.classify(&signs).spo2, None); // not measured, not classified
/// # Ok::<(), news2_core::ThresholdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ProfileSpec"))]
#[allow(missing_docs)] // one entry per vital, named like it
pub struct Profile {
    pub respiration_rate: Thresholds,
    pub spo2: Thresholds,
    pub systolic_bp: Thresholds,
    pub diastolic_bp: Thresholds,
    pub pulse: Thresholds,
    pub temperature: Thresholds,
}

impl Default for Profile {
    fn default() -> Self {
        Self::NEWS2
    }
}

impl Profile {
    /// The NEWS2-derived default profile.
    pub const NEWS2: Profile = Profile {
        respiration_rate: Thresholds::known(Some(9.0), Some(12.0), Some(20.0), Some(24.0)),
        spo2: Thresholds::known(Some(92.0), Some(96.0), None, None),
        systolic_bp: Thresholds::known(Some(91.0), Some(111.0), None, Some(219.0)),
        diastolic_bp: Thresholds::known(Some(40.0), Some(60.0), Some(90.0), Some(120.0)),
        pulse: Thresholds::known(Some(41.0), Some(51.0), Some(90.0), Some(130.0)),
        temperature: Thresholds::known(Some(35.1), Some(36.1), Some(38.0), None),
    };

    /// Classifies every vital present in `signs`.
    pub fn classify(&self, signs: &VitalSigns) -> Classification {
        let whole = |t: &Thresholds, v: u16| t.classify(f64::from(v));
        Classification {
            respiration_rate: signs
                .respiration_rate
                .map(|v| whole(&self.respiration_rate, v.get())),
            spo2: signs.spo2.map(|v| whole(&self.spo2, v.get())),
            systolic_bp: signs.systolic_bp.map(|v| whole(&self.systolic_bp, v.get())),
            diastolic_bp: signs
                .diastolic_bp
                .map(|v| whole(&self.diastolic_bp, v.get())),
            pulse: signs.pulse.map(|v| whole(&self.pulse, v.get())),
            // tenths / 10 is the nearest float to the decimal value, like a literal threshold.
            temperature: signs
                .temperature
                .map(|t| self.temperature.classify(t.celsius())),
            consciousness: signs.consciousness.map(|c| {
                if c.is_alert() {
                    VitalStatus::NORMAL
                } else {
                    VitalStatus {
                        status: Status::Critical,
                        direction: None,
                    }
                }
            }),
        }
    }

    /// The thresholds of a vital, by field (`None` for fields that are not classified by
    /// threshold).
    pub const fn thresholds(&self, field: Field) -> Option<&Thresholds> {
        match field {
            Field::RespirationRate => Some(&self.respiration_rate),
            Field::Spo2 => Some(&self.spo2),
            Field::SystolicBp => Some(&self.systolic_bp),
            Field::DiastolicBp => Some(&self.diastolic_bp),
            Field::Pulse => Some(&self.pulse),
            Field::Temperature => Some(&self.temperature),
            _ => None,
        }
    }
}

/// Thresholds for one vital that are not ordered, or not finite.
///
/// ```
/// use news2_core::{Field, Profile, ProfileError, ThresholdError};
/// let err = Profile::default()
///     .with(Field::Pulse, Some(60.0), Some(40.0), None, None)
///     .unwrap_err();
/// assert_eq!(err, ProfileError { field: Field::Pulse, error: ThresholdError::Unordered });
/// assert_eq!(err.to_string(), "pulse thresholds: thresholds are not ordered: expected critical_below ≤ warning_below ≤ warning_above ≤ critical_above");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{field} thresholds: {error}")]
pub struct ProfileError {
    /// The vital whose thresholds are wrong.
    pub field: Field,
    /// What is wrong with them.
    pub error: ThresholdError,
}

impl Profile {
    /// This profile with the thresholds of one vital replaced (the others kept).
    pub fn with(
        mut self,
        field: Field,
        critical_below: Option<f64>,
        warning_below: Option<f64>,
        warning_above: Option<f64>,
        critical_above: Option<f64>,
    ) -> Result<Self, ProfileError> {
        let t = Thresholds::new(critical_below, warning_below, warning_above, critical_above)
            .map_err(|error| ProfileError { field, error })?;
        let slot = match field {
            Field::RespirationRate => &mut self.respiration_rate,
            Field::Spo2 => &mut self.spo2,
            Field::SystolicBp => &mut self.systolic_bp,
            Field::DiastolicBp => &mut self.diastolic_bp,
            Field::Pulse => &mut self.pulse,
            Field::Temperature => &mut self.temperature,
            _ => {
                return Err(ProfileError {
                    field,
                    error: ThresholdError::NotClassified,
                });
            }
        };
        *slot = t;
        Ok(self)
    }
}

/// The shape a custom profile is read from: any vital it does not name keeps the
/// default entry; a named vital's entry replaces the default whole.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileSpec {
    #[serde(default)]
    respiration_rate: Option<ThresholdSpec>,
    #[serde(default)]
    spo2: Option<ThresholdSpec>,
    #[serde(default)]
    systolic_bp: Option<ThresholdSpec>,
    #[serde(default)]
    diastolic_bp: Option<ThresholdSpec>,
    #[serde(default)]
    pulse: Option<ThresholdSpec>,
    #[serde(default)]
    temperature: Option<ThresholdSpec>,
}

#[cfg(feature = "serde")]
impl TryFrom<ProfileSpec> for Profile {
    type Error = ProfileError;
    fn try_from(spec: ProfileSpec) -> Result<Self, ProfileError> {
        let entries = [
            (Field::RespirationRate, spec.respiration_rate),
            (Field::Spo2, spec.spo2),
            (Field::SystolicBp, spec.systolic_bp),
            (Field::DiastolicBp, spec.diastolic_bp),
            (Field::Pulse, spec.pulse),
            (Field::Temperature, spec.temperature),
        ];
        entries
            .into_iter()
            .try_fold(Profile::NEWS2, |profile, (field, entry)| match entry {
                None => Ok(profile),
                Some(t) => profile.with(
                    field,
                    t.critical_below,
                    t.warning_below,
                    t.warning_above,
                    t.critical_above,
                ),
            })
    }
}

/// The vitals a dashboard shows, each optional (a card shows what it has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(missing_docs)] // named like the vitals
pub struct VitalSigns {
    pub respiration_rate: Option<RespirationRate>,
    pub spo2: Option<Spo2>,
    pub systolic_bp: Option<SystolicBp>,
    pub diastolic_bp: Option<DiastolicBp>,
    pub pulse: Option<Pulse>,
    pub temperature: Option<Temperature>,
    pub consciousness: Option<Acvpu>,
}

/// The status of each vital present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(missing_docs)] // named like the vitals
pub struct Classification {
    pub respiration_rate: Option<VitalStatus>,
    pub spo2: Option<VitalStatus>,
    pub systolic_bp: Option<VitalStatus>,
    pub diastolic_bp: Option<VitalStatus>,
    pub pulse: Option<VitalStatus>,
    pub temperature: Option<VitalStatus>,
    pub consciousness: Option<VitalStatus>,
}

impl Classification {
    /// The worst status present, for a card's overall colour.
    pub fn worst(&self) -> Option<Status> {
        [
            self.respiration_rate,
            self.spo2,
            self.systolic_bp,
            self.diastolic_bp,
            self.pulse,
            self.temperature,
            self.consciousness,
        ]
        .into_iter()
        .flatten()
        .map(|s| s.status)
        .max()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
