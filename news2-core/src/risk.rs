//! Chart 3 (clinical risk) and Chart 4 (clinical response).

use core::fmt;
use core::str::FromStr;

/// The NEWS2 clinical risk band (Chart 3).
///
/// Bands are checked in this order: an aggregate score of 7 or more is
/// [`High`](ClinicalRisk::High); 5–6 is [`Medium`](ClinicalRisk::Medium); a single
/// parameter scoring 3 is [`LowMedium`](ClinicalRisk::LowMedium); anything else is
/// [`Low`](ClinicalRisk::Low). So a red score inside a total of 5 is *medium*, never
/// low-medium.
///
/// The variants are ordered by severity, so `max` gives the worse of two risks.
///
/// ```
/// use news2_core::ClinicalRisk;
///
/// assert_eq!(ClinicalRisk::from_total(3, true), ClinicalRisk::LowMedium);
/// assert_eq!(ClinicalRisk::from_total(5, true), ClinicalRisk::Medium);
/// assert_eq!(ClinicalRisk::from_total(7, false), ClinicalRisk::High);
/// assert!(ClinicalRisk::High > ClinicalRisk::Medium);
/// assert_eq!("low-medium".parse::<ClinicalRisk>(), Ok(ClinicalRisk::LowMedium));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum ClinicalRisk {
    /// Aggregate 0–4 with no single parameter scoring 3.
    #[cfg_attr(feature = "serde", serde(rename = "low"))]
    Low = 0,
    /// Aggregate 0–4 with a single parameter scoring 3.
    #[cfg_attr(feature = "serde", serde(rename = "low-medium"))]
    LowMedium = 1,
    /// Aggregate 5–6.
    #[cfg_attr(feature = "serde", serde(rename = "medium"))]
    Medium = 2,
    /// Aggregate 7 or more.
    #[cfg_attr(feature = "serde", serde(rename = "high"))]
    High = 3,
}

impl ClinicalRisk {
    /// Every band, least severe first.
    pub const ALL: [ClinicalRisk; 4] = [Self::Low, Self::LowMedium, Self::Medium, Self::High];

    /// Chart 3 applied to an aggregate score and whether any one parameter scored 3.
    ///
    /// ```
    /// use news2_core::ClinicalRisk;
    /// assert_eq!(ClinicalRisk::from_total(0, false), ClinicalRisk::Low);
    /// assert_eq!(ClinicalRisk::from_total(6, false), ClinicalRisk::Medium);
    /// ```
    #[inline]
    pub const fn from_total(total: u8, any_red: bool) -> Self {
        if total >= 7 {
            Self::High
        } else if total >= 5 {
            Self::Medium
        } else if any_red {
            Self::LowMedium
        } else {
            Self::Low
        }
    }

    /// The label used in JSON and by the bindings: `low`, `low-medium`, `medium`, `high`.
    ///
    /// ```
    /// assert_eq!(news2_core::ClinicalRisk::LowMedium.as_str(), "low-medium");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::LowMedium => "low-medium",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    /// A stable numeric code (0 low, 1 low-medium, 2 medium, 3 high), used by columnar APIs.
    ///
    /// ```
    /// use news2_core::ClinicalRisk;
    /// assert_eq!(ClinicalRisk::from_code(ClinicalRisk::High.code()), Some(ClinicalRisk::High));
    /// assert_eq!(ClinicalRisk::from_code(9), None);
    /// ```
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The inverse of [`code`](Self::code).
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Low),
            1 => Some(Self::LowMedium),
            2 => Some(Self::Medium),
            3 => Some(Self::High),
            _ => None,
        }
    }

    /// The Chart 4 response for this band.
    ///
    /// ```
    /// use news2_core::{ClinicalRisk, MonitoringFrequency};
    /// assert_eq!(ClinicalRisk::High.response().monitoring, MonitoringFrequency::Continuous);
    /// ```
    pub const fn response(self) -> ClinicalResponse {
        ClinicalResponse::for_risk(self)
    }
}

impl fmt::Display for ClinicalRisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not one of the four risk labels.
///
/// ```
/// assert!("severe".parse::<news2_core::ClinicalRisk>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown clinical risk label: expected one of low, low-medium, medium, high")]
pub struct UnknownRisk;

impl FromStr for ClinicalRisk {
    type Err = UnknownRisk;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .or_else(|| {
                // Accept the snake_case spelling too, as some systems write it.
                s.eq_ignore_ascii_case("low_medium")
                    .then_some(Self::LowMedium)
            })
            .ok_or(UnknownRisk)
    }
}

/// Minimum frequency of monitoring (Chart 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum MonitoringFrequency {
    /// Minimum 12-hourly (aggregate 0).
    TwelveHourly,
    /// Minimum 4–6-hourly (aggregate 1–4).
    FourToSixHourly,
    /// Minimum hourly (a single 3, or aggregate 5–6).
    Hourly,
    /// Continuous monitoring of vital signs (aggregate 7 or more).
    Continuous,
}

impl MonitoringFrequency {
    /// The longest interval allowed between observation sets, in minutes; `None` for continuous.
    ///
    /// ```
    /// use news2_core::MonitoringFrequency;
    /// assert_eq!(MonitoringFrequency::FourToSixHourly.max_interval_minutes(), Some(360));
    /// assert_eq!(MonitoringFrequency::Continuous.max_interval_minutes(), None);
    /// ```
    pub const fn max_interval_minutes(self) -> Option<u32> {
        match self {
            Self::TwelveHourly => Some(12 * 60),
            Self::FourToSixHourly => Some(6 * 60),
            Self::Hourly => Some(60),
            Self::Continuous => None,
        }
    }

    /// Human-readable text as printed on the RCP chart.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TwelveHourly => "minimum 12-hourly",
            Self::FourToSixHourly => "minimum 4-6-hourly",
            Self::Hourly => "minimum 1-hourly",
            Self::Continuous => "continuous monitoring of vital signs",
        }
    }
}

impl fmt::Display for MonitoringFrequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Clinical response (Chart 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ResponseLevel {
    /// Continue routine NEWS monitoring (aggregate 0).
    Routine,
    /// Inform the registered nurse, who must assess the patient (aggregate 1–4).
    WardBased,
    /// Registered nurse to inform the medical team caring for the patient (a single 3).
    UrgentWardBased,
    /// Urgent response by a clinician or team with competence in assessing acutely ill
    /// patients (aggregate 5–6).
    Urgent,
    /// Emergency assessment by a team with critical-care competencies, usually including
    /// airway management; consider transfer to HDU/ICU (aggregate 7 or more).
    Emergency,
}

impl ResponseLevel {
    /// Human-readable text following the RCP chart.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Routine => "continue routine NEWS monitoring",
            Self::WardBased => "inform registered nurse, who must assess the patient",
            Self::UrgentWardBased => {
                "registered nurse to inform medical team caring for the patient"
            }
            Self::Urgent => {
                "urgent response: registered nurse to inform medical team immediately; assessment by a clinician competent in acute illness"
            }
            Self::Emergency => {
                "emergency response: immediate assessment by a critical-care competent team; consider transfer to HDU/ICU"
            }
        }
    }
}

impl fmt::Display for ResponseLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What Chart 4 asks for: how often to observe and who responds.
///
/// ```
/// use news2_core::{ClinicalResponse, ClinicalRisk, MonitoringFrequency, ResponseLevel};
///
/// let r = ClinicalResponse::for_total(0, false);
/// assert_eq!(r.monitoring, MonitoringFrequency::TwelveHourly);
/// assert_eq!(r.response, ResponseLevel::Routine);
/// // A single red score on an otherwise low total asks for hourly observation.
/// let r = ClinicalResponse::for_total(3, true);
/// assert_eq!((r.monitoring, r.response), (MonitoringFrequency::Hourly, ResponseLevel::UrgentWardBased));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClinicalResponse {
    /// Minimum monitoring frequency.
    pub monitoring: MonitoringFrequency,
    /// Who responds, and how urgently.
    pub response: ResponseLevel,
}

impl ClinicalResponse {
    /// Chart 4 for an aggregate score and whether a single parameter scored 3.
    ///
    /// Aggregate 0 and aggregate 1–4 are both [`ClinicalRisk::Low`], but Chart 4 treats
    /// them differently, so this takes the total rather than the risk band.
    pub const fn for_total(total: u8, any_red: bool) -> Self {
        let (monitoring, response) = match ClinicalRisk::from_total(total, any_red) {
            ClinicalRisk::High => (MonitoringFrequency::Continuous, ResponseLevel::Emergency),
            ClinicalRisk::Medium => (MonitoringFrequency::Hourly, ResponseLevel::Urgent),
            ClinicalRisk::LowMedium => {
                (MonitoringFrequency::Hourly, ResponseLevel::UrgentWardBased)
            }
            ClinicalRisk::Low if total == 0 => {
                (MonitoringFrequency::TwelveHourly, ResponseLevel::Routine)
            }
            ClinicalRisk::Low => (
                MonitoringFrequency::FourToSixHourly,
                ResponseLevel::WardBased,
            ),
        };
        Self {
            monitoring,
            response,
        }
    }

    /// Chart 4 for a risk band; [`ClinicalRisk::Low`] maps to the 1–4 row (the 0 row
    /// needs the total: use [`for_total`](Self::for_total)).
    pub const fn for_risk(risk: ClinicalRisk) -> Self {
        match risk {
            ClinicalRisk::Low => Self::for_total(1, false),
            ClinicalRisk::LowMedium => Self::for_total(3, true),
            ClinicalRisk::Medium => Self::for_total(5, false),
            ClinicalRisk::High => Self::for_total(7, false),
        }
    }
}
