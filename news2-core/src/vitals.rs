//! Observation sets: a complete, valid [`Vitals`], a [`PartialVitals`] with gaps, and
//! [`RawVitals`], the untyped shape the bindings and servers receive.

use crate::{
    Acvpu, Field, News2Score, PartialScore, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp,
    Temperature, VitalsError,
};

/// A complete NEWS2 observation set. Every field is a validated type, so a `Vitals` that
/// exists is valid and can always be scored.
///
/// ```
/// use news2_core::{Acvpu, ClinicalRisk, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp,
///     Temperature, Vitals};
///
/// let vitals = Vitals {
///     respiration_rate: RespirationRate::new(22)?,
///     spo2: Spo2::new(95)?,
///     spo2_scale: Spo2Scale::Scale1,
///     on_oxygen: false,
///     systolic_bp: SystolicBp::new(105)?,
///     pulse: Pulse::new(112)?,
///     consciousness: Acvpu::Alert,
///     temperature: Temperature::from_celsius(38.4)?,
/// };
/// let score = vitals.score();
/// assert_eq!(score.total, 2 + 1 + 1 + 2 + 1);
/// assert_eq!(score.risk, ClinicalRisk::High); // 7 or more
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Vitals {
    /// Respiration rate.
    pub respiration_rate: RespirationRate,
    /// Oxygen saturation.
    pub spo2: Spo2,
    /// The SpO2 scale to score on (Scale 1 unless prescribed; see [`Spo2Scale`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub spo2_scale: Spo2Scale,
    /// Whether the patient is on supplemental oxygen.
    #[cfg_attr(feature = "serde", serde(default))]
    pub on_oxygen: bool,
    /// Systolic blood pressure.
    pub systolic_bp: SystolicBp,
    /// Pulse.
    pub pulse: Pulse,
    /// Level of consciousness.
    pub consciousness: Acvpu,
    /// Temperature.
    pub temperature: Temperature,
}

impl Vitals {
    /// Scores the set (Chart 1, 3 and 4).
    #[inline]
    pub fn score(&self) -> News2Score {
        crate::score::score(self)
    }

    /// Parses the untyped shape; a missing vital is a [`VitalsError::Missing`].
    ///
    /// ```
    /// use news2_core::{Field, RawVitals, Vitals};
    ///
    /// let raw = RawVitals {
    ///     respiration_rate: Some(18.0), spo2: Some(97.0), systolic_bp: Some(120.0),
    ///     pulse: Some(70.0), consciousness: Some("A"), temperature: Some(37.0),
    ///     ..RawVitals::default()
    /// };
    /// assert_eq!(Vitals::from_raw(&raw)?.score().total, 0);
    ///
    /// let err = Vitals::from_raw(&RawVitals { pulse: None, ..raw }).unwrap_err();
    /// assert_eq!((err.field(), err.kind()), (Field::Pulse, "missing"));
    /// # Ok::<(), news2_core::VitalsError>(())
    /// ```
    pub fn from_raw(raw: &RawVitals<'_>) -> Result<Self, VitalsError> {
        let partial = PartialVitals::from_raw(raw);
        if let Ok(p) = &partial
            && let Some(v) = p.complete()
        {
            return Ok(v);
        }
        // The first bad field in chart order is reported, whether it is absent or wrong.
        let first_missing = raw.first_missing();
        match partial {
            Err(e) if first_missing.is_none_or(|m| e.field() < m) => Err(e),
            _ => Err(VitalsError::Missing {
                field: first_missing.unwrap_or(Field::RespirationRate),
            }),
        }
    }
}

/// An observation set that may have gaps. Scoring it never treats a gap as normal: see
/// [`PartialVitals::score`].
///
/// ```
/// use news2_core::{Parameter, PartialVitals, RespirationRate};
///
/// let partial = PartialVitals { respiration_rate: Some(RespirationRate::new(7)?), ..Default::default() };
/// let s = partial.score();
/// assert!(!s.complete());
/// assert_eq!(s.total, 3);
/// assert!(s.missing.contains(Parameter::Pulse));
/// assert_eq!(s.missing.len(), 6);
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PartialVitals {
    /// Respiration rate, if measured.
    pub respiration_rate: Option<RespirationRate>,
    /// Oxygen saturation, if measured.
    pub spo2: Option<Spo2>,
    /// The SpO2 scale (an explicit choice; Scale 1 by default).
    #[cfg_attr(feature = "serde", serde(default))]
    pub spo2_scale: Spo2Scale,
    /// Air or oxygen, if recorded.
    pub on_oxygen: Option<bool>,
    /// Systolic blood pressure, if measured.
    pub systolic_bp: Option<SystolicBp>,
    /// Pulse, if measured.
    pub pulse: Option<Pulse>,
    /// Level of consciousness, if assessed.
    pub consciousness: Option<Acvpu>,
    /// Temperature, if measured.
    pub temperature: Option<Temperature>,
}

impl PartialVitals {
    /// Scores what is there: the partial total, the missing parameters, `complete()`
    /// only when nothing is missing.
    pub fn score(&self) -> PartialScore {
        crate::score::score_partial(self)
    }

    /// The complete set, if nothing is missing.
    pub fn complete(&self) -> Option<Vitals> {
        Some(Vitals {
            respiration_rate: self.respiration_rate?,
            spo2: self.spo2?,
            spo2_scale: self.spo2_scale,
            on_oxygen: self.on_oxygen?,
            systolic_bp: self.systolic_bp?,
            pulse: self.pulse?,
            consciousness: self.consciousness?,
            temperature: self.temperature?,
        })
    }

    /// Parses the untyped shape, keeping gaps as gaps. A value that is present but wrong
    /// is an error; fields are checked in chart order and the first bad one is reported.
    ///
    /// `on_oxygen: None` in a `RawVitals` means "on air" (the usual default of an
    /// observation form); a caller that must distinguish "not recorded" sets
    /// [`PartialVitals::on_oxygen`] itself.
    pub fn from_raw(raw: &RawVitals<'_>) -> Result<Self, VitalsError> {
        Ok(Self {
            respiration_rate: raw
                .respiration_rate
                .map(RespirationRate::from_f64)
                .transpose()?,
            spo2_scale: raw
                .spo2_scale
                .map(Spo2Scale::from_number)
                .transpose()?
                .unwrap_or_default(),
            spo2: raw.spo2.map(Spo2::from_f64).transpose()?,
            on_oxygen: Some(raw.on_oxygen.unwrap_or(false)),
            systolic_bp: raw.systolic_bp.map(SystolicBp::from_f64).transpose()?,
            pulse: raw.pulse.map(Pulse::from_f64).transpose()?,
            consciousness: raw.consciousness.map(str::parse).transpose()?,
            temperature: raw.temperature.map(Temperature::from_celsius).transpose()?,
        })
    }
}

impl From<Vitals> for PartialVitals {
    fn from(v: Vitals) -> Self {
        Self {
            respiration_rate: Some(v.respiration_rate),
            spo2: Some(v.spo2),
            spo2_scale: v.spo2_scale,
            on_oxygen: Some(v.on_oxygen),
            systolic_bp: Some(v.systolic_bp),
            pulse: Some(v.pulse),
            consciousness: Some(v.consciousness),
            temperature: Some(v.temperature),
        }
    }
}

/// Untyped input as it arrives from JSON, a data frame or a form: numbers as floats
/// (NaN is an error, not a gap: use `None` for a gap), consciousness as text. Parse it
/// with [`Vitals::from_raw`] or [`PartialVitals::from_raw`].
///
/// ```
/// use news2_core::{Field, RawVitals, PartialVitals};
///
/// let raw = RawVitals { spo2: Some(f64::NAN), ..RawVitals::default() };
/// let err = PartialVitals::from_raw(&raw).unwrap_err();
/// assert_eq!((err.field(), err.kind()), (Field::Spo2, "not_finite"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RawVitals<'a> {
    /// Respiration rate, /min.
    pub respiration_rate: Option<f64>,
    /// SpO2, %.
    pub spo2: Option<f64>,
    /// SpO2 scale number, 1 or 2 (`None`: Scale 1).
    pub spo2_scale: Option<f64>,
    /// On supplemental oxygen (`None`: on air).
    pub on_oxygen: Option<bool>,
    /// Systolic blood pressure, mmHg.
    pub systolic_bp: Option<f64>,
    /// Pulse, /min.
    pub pulse: Option<f64>,
    /// ACVPU letter or word.
    pub consciousness: Option<&'a str>,
    /// Temperature, °C.
    pub temperature: Option<f64>,
}

impl RawVitals<'_> {
    /// The first absent vital in chart order (`on_oxygen` and `spo2_scale` have defaults).
    fn first_missing(&self) -> Option<Field> {
        [
            (self.respiration_rate.is_none(), Field::RespirationRate),
            (self.spo2.is_none(), Field::Spo2),
            (self.systolic_bp.is_none(), Field::SystolicBp),
            (self.pulse.is_none(), Field::Pulse),
            (self.consciousness.is_none(), Field::Consciousness),
            (self.temperature.is_none(), Field::Temperature),
        ]
        .into_iter()
        .find_map(|(missing, field)| missing.then_some(field))
    }
}
