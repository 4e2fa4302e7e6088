//! Per-vital status (normal, warning, critical) with the default or a custom `Profile`.

use news2_core::{
    Acvpu, Classification, DiastolicBp, Field, Profile, Pulse, RespirationRate, Spo2, SystolicBp,
    Temperature, Thresholds, VitalSigns, VitalStatus,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};

use crate::errors::{profile_error, profile_shape_error, vitals_error};
use crate::vitals::{number, text};

/// The names of a threshold entry's keys, in the order of [`Thresholds::new`].
const THRESHOLD_KEYS: [&str; 4] = [
    "critical_below",
    "warning_below",
    "warning_above",
    "critical_above",
];

/// The vital a profile entry is for, by the core's name for it.
fn field_named(name: &str) -> Option<Field> {
    serde_json::from_value::<Field>(serde_json::Value::String(name.to_owned())).ok()
}

/// One threshold value: a number or `None`.
fn threshold(
    py: Python<'_>,
    field: Field,
    vital: &str,
    key: &str,
    v: &Bound<'_, PyAny>,
) -> PyResult<Option<f64>> {
    number(field, Some(v)).map_err(|_| {
        let repr = v.repr().map(|r| r.to_string()).unwrap_or_default();
        profile_shape_error(
            py,
            Some(vital),
            format!("{vital}.{key} is {repr}: expected a number or None"),
        )
    })
}

/// A profile from a mapping of vital names to threshold mappings. Each named vital's
/// entry replaces the default entry whole ([`Profile::with`]); the others keep theirs.
fn profile_from_mapping(py: Python<'_>, entries: &Bound<'_, PyAny>) -> PyResult<Profile> {
    let entries = entries.cast::<PyMapping>().map_err(|_| {
        profile_shape_error(
            py,
            None,
            "a profile must be a mapping of vital names to thresholds".to_owned(),
        )
    })?;
    let mut profile = Profile::default();
    for item in entries.items()?.iter() {
        let (name, entry): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let name = name
            .cast::<PyString>()
            .map_err(|_| {
                profile_shape_error(
                    py,
                    None,
                    "profile keys must be vital names (text)".to_owned(),
                )
            })?
            .to_cow()?
            .into_owned();
        let field = field_named(&name).ok_or_else(|| {
            profile_shape_error(
                py,
                None,
                format!("{name:?} is not a vital a profile can set"),
            )
        })?;
        let entry = entry.cast::<PyMapping>().map_err(|_| {
            profile_shape_error(
                py,
                Some(&name),
                format!("{name} must map threshold names to numbers"),
            )
        })?;
        let mut values = [None; 4];
        for pair in entry.items()?.iter() {
            let (key, value): (String, Bound<'_, PyAny>) = pair.extract()?;
            let slot = THRESHOLD_KEYS
                .iter()
                .position(|k| *k == key)
                .ok_or_else(|| {
                    profile_shape_error(
                        py,
                        Some(&name),
                        format!(
                            "{name}.{key} is not a threshold: expected {}",
                            THRESHOLD_KEYS.join(", ")
                        ),
                    )
                })?;
            values[slot] = threshold(py, field, &name, &key, &value)?;
        }
        let [cb, wb, wa, ca] = values;
        profile = profile
            .with(field, cb, wb, wa, ca)
            .map_err(|e| profile_error(py, &e))?;
    }
    Ok(profile)
}

/// Thresholds for each classified vital: the NEWS2-derived default, or a custom profile.
///
/// ``Profile()`` is the default; ``Profile(mapping)`` or ``Profile.from_dict(mapping)``
/// takes ``{"pulse": {"critical_below": 40, "warning_below": 60, "warning_above": 100,
/// "critical_above": 120}, ...}``: each vital named replaces the default entry whole
/// (thresholds it leaves out are not checked), every other vital keeps the default.
/// ``Profile.from_json(text)`` reads the same shape from JSON. Thresholds must be
/// ordered; a bad profile raises ``ProfileError``.
#[pyclass(module = "news2", name = "Profile", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyProfile(Profile);

#[pymethods]
impl PyProfile {
    #[new]
    #[pyo3(signature = (entries=None))]
    fn new(py: Python<'_>, entries: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        match entries {
            None => Ok(Self(Profile::default())),
            Some(e) => profile_from_mapping(py, e).map(Self),
        }
    }

    /// The NEWS2-derived default profile.
    #[staticmethod]
    fn default() -> Self {
        Self(Profile::default())
    }

    /// A profile from a mapping (see the class docs).
    #[staticmethod]
    fn from_dict(py: Python<'_>, entries: &Bound<'_, PyAny>) -> PyResult<Self> {
        profile_from_mapping(py, entries).map(Self)
    }

    /// A profile from a JSON object of the same shape as ``from_dict`` takes.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let parsed = py
            .import("json")?
            .call_method1("loads", (text,))
            .map_err(|e| profile_shape_error(py, None, format!("profile is not JSON: {e}")))?;
        profile_from_mapping(py, &parsed).map(Self)
    }

    /// The thresholds of every vital: ``{vital: {threshold: value}}``, absent thresholds
    /// left out.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for field in [
            Field::RespirationRate,
            Field::Spo2,
            Field::SystolicBp,
            Field::DiastolicBp,
            Field::Pulse,
            Field::Temperature,
        ] {
            let entry = PyDict::new(py);
            let values = self
                .0
                .thresholds(field)
                .map(Thresholds::as_array)
                .unwrap_or([None; 4]);
            for (key, value) in THRESHOLD_KEYS.iter().zip(values) {
                if let Some(v) = value {
                    entry.set_item(key, v)?;
                }
            }
            dict.set_item(field.as_str(), entry)?;
        }
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Profile({})", self.to_dict(py)?.repr()?))
    }
}

/// The profile argument of `classify`: `None`, a `Profile`, a mapping or JSON text.
fn profile_argument(py: Python<'_>, profile: Option<&Bound<'_, PyAny>>) -> PyResult<Profile> {
    let Some(p) = profile.filter(|p| !p.is_none()) else {
        return Ok(Profile::default());
    };
    if let Ok(p) = p.cast::<PyProfile>() {
        return Ok(p.get().0);
    }
    if let Ok(s) = p.cast::<PyString>() {
        return PyProfile::from_json(py, &s.to_cow()?).map(|p| p.0);
    }
    profile_from_mapping(py, p)
}

fn status_dict<'py>(py: Python<'py>, s: VitalStatus) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("status", s.status.as_str())?;
    dict.set_item("direction", s.direction.map(|d| d.as_str()))?;
    Ok(dict)
}

/// Classifies each vital given as normal, warning or critical, and low or high.
///
/// Returns ``{vital: {"status": "normal" | "warning" | "critical", "direction": "low" |
/// "high" | None}}`` for every vital given (``None`` or absent vitals are left out).
/// Values are rounded and checked as ``score`` does (``VitalsError`` when impossible);
/// ``profile`` is ``None`` (the NEWS2-derived default), a ``Profile``, a mapping or JSON
/// text (see ``Profile``). Consciousness is normal when alert, critical otherwise.
#[pyfunction]
#[pyo3(signature = (*, respiration_rate=None, spo2=None, systolic_bp=None, diastolic_bp=None, pulse=None, temperature=None, consciousness=None, profile=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn classify<'py>(
    py: Python<'py>,
    respiration_rate: Option<&Bound<'py, PyAny>>,
    spo2: Option<&Bound<'py, PyAny>>,
    systolic_bp: Option<&Bound<'py, PyAny>>,
    diastolic_bp: Option<&Bound<'py, PyAny>>,
    pulse: Option<&Bound<'py, PyAny>>,
    temperature: Option<&Bound<'py, PyAny>>,
    consciousness: Option<&Bound<'py, PyAny>>,
    profile: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let profile = profile_argument(py, profile)?;
    let err = |e: news2_core::VitalsError| vitals_error(py, &e);
    let signs = VitalSigns {
        respiration_rate: number(Field::RespirationRate, respiration_rate)?
            .map(RespirationRate::from_f64)
            .transpose()
            .map_err(err)?,
        spo2: number(Field::Spo2, spo2)?
            .map(Spo2::from_f64)
            .transpose()
            .map_err(err)?,
        systolic_bp: number(Field::SystolicBp, systolic_bp)?
            .map(SystolicBp::from_f64)
            .transpose()
            .map_err(err)?,
        diastolic_bp: number(Field::DiastolicBp, diastolic_bp)?
            .map(DiastolicBp::from_f64)
            .transpose()
            .map_err(err)?,
        pulse: number(Field::Pulse, pulse)?
            .map(Pulse::from_f64)
            .transpose()
            .map_err(err)?,
        consciousness: text(Field::Consciousness, consciousness)?
            .map(|t| t.parse::<Acvpu>())
            .transpose()
            .map_err(err)?,
        temperature: number(Field::Temperature, temperature)?
            .map(Temperature::from_celsius)
            .transpose()
            .map_err(err)?,
    };
    let c: Classification = profile.classify(&signs);
    let out = PyDict::new(py);
    let entries = [
        (Field::RespirationRate, c.respiration_rate),
        (Field::Spo2, c.spo2),
        (Field::SystolicBp, c.systolic_bp),
        (Field::DiastolicBp, c.diastolic_bp),
        (Field::Pulse, c.pulse),
        (Field::Consciousness, c.consciousness),
        (Field::Temperature, c.temperature),
    ];
    for (field, status) in entries {
        if let Some(s) = status {
            out.set_item(field.as_str(), status_dict(py, s)?)?;
        }
    }
    Ok(out)
}
