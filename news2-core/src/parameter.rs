//! The seven NEWS2 parameters, the input fields around them, and sets of parameters.

use core::fmt;

/// One of the seven physiological parameters NEWS2 scores, in chart order.
///
/// ```
/// use news2_core::Parameter;
/// assert_eq!(Parameter::Spo2.as_str(), "spo2");
/// assert_eq!(Parameter::ALL.len(), 7);
/// assert_eq!("on_oxygen".parse::<Parameter>(), Ok(Parameter::OnOxygen));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[repr(u8)]
pub enum Parameter {
    /// Respiration rate, breaths per minute.
    RespirationRate = 0,
    /// Oxygen saturation, percent, on the chosen SpO2 scale.
    Spo2 = 1,
    /// Air or supplemental oxygen.
    OnOxygen = 2,
    /// Systolic blood pressure, mmHg.
    SystolicBp = 3,
    /// Pulse, beats per minute.
    Pulse = 4,
    /// Level of consciousness (ACVPU).
    Consciousness = 5,
    /// Temperature, degrees Celsius.
    Temperature = 6,
}

impl Parameter {
    /// All seven, in chart order (also the order errors are checked in).
    pub const ALL: [Parameter; 7] = [
        Self::RespirationRate,
        Self::Spo2,
        Self::OnOxygen,
        Self::SystolicBp,
        Self::Pulse,
        Self::Consciousness,
        Self::Temperature,
    ];

    /// The snake_case name used in JSON, Python and error messages.
    pub const fn as_str(self) -> &'static str {
        self.field().as_str()
    }

    /// The input field this parameter is read from.
    pub const fn field(self) -> Field {
        match self {
            Self::RespirationRate => Field::RespirationRate,
            Self::Spo2 => Field::Spo2,
            Self::OnOxygen => Field::OnOxygen,
            Self::SystolicBp => Field::SystolicBp,
            Self::Pulse => Field::Pulse,
            Self::Consciousness => Field::Consciousness,
            Self::Temperature => Field::Temperature,
        }
    }

    /// Position in [`Parameter::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the seven parameters.
///
/// ```
/// assert!("heart_rate".parse::<news2_core::Parameter>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown NEWS2 parameter: expected one of respiration_rate, spo2, on_oxygen, systolic_bp, pulse, consciousness, temperature"
)]
pub struct UnknownParameter;

impl core::str::FromStr for Parameter {
    type Err = UnknownParameter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or(UnknownParameter)
    }
}

/// Every input field that can be wrong: the seven parameters plus the SpO2 scale and,
/// for classification, diastolic blood pressure. Errors name one of these.
///
/// ```
/// use news2_core::Field;
/// assert_eq!(Field::Spo2Scale.to_string(), "spo2_scale");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Field {
    /// Respiration rate.
    RespirationRate,
    /// Which SpO2 scale to score on.
    Spo2Scale,
    /// Oxygen saturation.
    Spo2,
    /// Air or supplemental oxygen.
    OnOxygen,
    /// Systolic blood pressure.
    SystolicBp,
    /// Diastolic blood pressure (classified, not scored by NEWS2).
    DiastolicBp,
    /// Pulse.
    Pulse,
    /// Level of consciousness.
    Consciousness,
    /// Temperature.
    Temperature,
}

impl Field {
    /// The snake_case name used in JSON, Python and error messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RespirationRate => "respiration_rate",
            Self::Spo2Scale => "spo2_scale",
            Self::Spo2 => "spo2",
            Self::OnOxygen => "on_oxygen",
            Self::SystolicBp => "systolic_bp",
            Self::DiastolicBp => "diastolic_bp",
            Self::Pulse => "pulse",
            Self::Consciousness => "consciousness",
            Self::Temperature => "temperature",
        }
    }

    /// The unit the field is measured in, as printed in error messages.
    pub const fn unit(self) -> &'static str {
        match self {
            Self::RespirationRate => "/min",
            Self::Spo2 => "%",
            Self::SystolicBp | Self::DiastolicBp => "mmHg",
            Self::Pulse => "/min",
            Self::Temperature => "°C",
            Self::Spo2Scale | Self::OnOxygen | Self::Consciousness => "",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Parameter> for Field {
    fn from(p: Parameter) -> Self {
        p.field()
    }
}

/// A set of NEWS2 parameters (which are missing, which score 3), kept in chart order.
/// It is a bit set: it never allocates.
///
/// ```
/// use news2_core::{Parameter, ParameterSet};
///
/// let mut set = ParameterSet::EMPTY;
/// set.insert(Parameter::Pulse);
/// set.insert(Parameter::RespirationRate);
/// assert!(set.contains(Parameter::Pulse));
/// assert_eq!(set.len(), 2);
/// let names: Vec<&str> = set.iter().map(Parameter::as_str).collect();
/// assert_eq!(names, ["respiration_rate", "pulse"]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ParameterSet(u8);

impl ParameterSet {
    /// No parameters.
    pub const EMPTY: ParameterSet = ParameterSet(0);
    /// All seven parameters.
    pub const ALL: ParameterSet = ParameterSet(0x7f);

    /// Adds a parameter.
    pub const fn insert(&mut self, p: Parameter) {
        self.0 |= 1 << p as u8;
    }

    /// Whether `p` is in the set.
    pub const fn contains(self, p: Parameter) -> bool {
        self.0 & (1 << p as u8) != 0
    }

    /// How many parameters are in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The raw bits, bit `i` standing for `Parameter::ALL[i]` (for columnar outputs).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The set whose bit `i` stands for `Parameter::ALL[i]`; bits above 6 are ignored.
    pub const fn from_bits(bits: u8) -> Self {
        Self(bits & 0x7f)
    }

    /// [`from_bits`](Self::from_bits) for bits known to fit in seven, without the mask
    /// (the scalar scorer's hot path).
    #[inline(always)]
    pub(crate) const fn from_seven_bits(bits: u8) -> Self {
        debug_assert!(bits <= 0x7f);
        Self(bits)
    }

    /// The parameters in chart order.
    pub fn iter(self) -> impl Iterator<Item = Parameter> + Clone {
        Parameter::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }
}

impl FromIterator<Parameter> for ParameterSet {
    fn from_iter<I: IntoIterator<Item = Parameter>>(iter: I) -> Self {
        let mut set = Self::EMPTY;
        for p in iter {
            set.insert(p);
        }
        set
    }
}

impl fmt::Debug for ParameterSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ParameterSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for p in self.iter() {
            seq.serialize_element(&p)?;
        }
        seq.end()
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ParameterSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ParameterSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of NEWS2 parameter names")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut set = ParameterSet::EMPTY;
                while let Some(p) = seq.next_element::<Parameter>()? {
                    set.insert(p);
                }
                Ok(set)
            }
        }
        d.deserialize_seq(Visitor)
    }
}
