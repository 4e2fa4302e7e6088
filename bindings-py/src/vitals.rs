//! One observation set from Python keyword arguments: `score` and `score_partial`.
//!
//! Python values become a [`RawVitals`]; the core validates, rounds and scores it. A value
//! of the wrong Python type (text for a number, a bool for a number) is a `TypeError`;
//! every value problem is the core's [`news2_core::VitalsError`], raised as
//! `news2.VitalsError`.

use news2_core::{Field, PartialVitals, RawVitals, Vitals};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};

use crate::errors::{vitals_error, wrong_type};
use crate::score::{PyNews2Score, PyPartialScore};

/// Whether `v` is a numpy scalar whose type is named `name`.
fn is_numpy(v: &Bound<'_, PyAny>, names: &[&str]) -> bool {
    let ty = v.get_type();
    let module_is_numpy = ty
        .module()
        .is_ok_and(|m| m.to_cow().is_ok_and(|m| m == "numpy"));
    module_is_numpy
        && ty
            .name()
            .is_ok_and(|n| n.to_cow().is_ok_and(|n| names.contains(&n.as_ref())))
}

/// A measured number: int or float (numpy numbers too); `None` is a gap.
///
/// A numpy float32 or float16 is read through its shortest decimal text (`36.05`), not
/// its binary value (36.04999923…), so the core's decimal rounding sees what was written.
pub(crate) fn number(field: Field, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(f) = v.cast_exact::<PyFloat>() {
        return Ok(Some(f.value()));
    }
    if v.is_exact_instance_of::<PyInt>() {
        // Through i64 when it fits: int → float in Python allocates a float object.
        return Ok(Some(
            v.extract::<i64>()
                .map_or_else(|_| v.extract::<f64>(), |i| Ok(i as f64))?,
        ));
    }
    let expected = "a number (int or float)";
    if v.is_instance_of::<PyBool>()
        || v.is_instance_of::<PyString>()
        || is_numpy(v, &["bool", "bool_"])
    {
        return Err(wrong_type(field.as_str(), v, expected));
    }
    if is_numpy(v, &["float32", "float16"]) {
        let text = v.str()?;
        return text
            .to_cow()?
            .parse::<f64>()
            .map(Some)
            .map_err(|_| wrong_type(field.as_str(), v, expected));
    }
    v.extract::<f64>()
        .map(Some)
        .map_err(|_| wrong_type(field.as_str(), v, expected))
}

/// The consciousness text; `None` is a gap.
pub(crate) fn text(
    field: Field,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<PyBackedStr>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    v.extract::<PyBackedStr>()
        .map(Some)
        .map_err(|_| wrong_type(field.as_str(), v, "text: A, C, V, P or U, or the word"))
}

/// Air or oxygen: `True` or `False`; `None` is the core's default (air).
pub(crate) fn flag(field: Field, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<bool>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(b) = v.cast_exact::<PyBool>() {
        return Ok(Some(b.is_true()));
    }
    if is_numpy(v, &["bool", "bool_"]) {
        return v.is_truthy().map(Some);
    }
    Err(wrong_type(field.as_str(), v, "True or False"))
}

/// The SpO2 scale number; `None` is the core's default (Scale 1).
pub(crate) fn scale(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if v.is_instance_of::<PyBool>() || v.is_instance_of::<PyString>() {
        return Err(wrong_type("spo2_scale", v, "1 or 2"));
    }
    v.extract::<f64>()
        .map(Some)
        .map_err(|_| wrong_type("spo2_scale", v, "1 or 2"))
}

/// The Python arguments of one observation set, converted but not yet validated.
struct Arguments {
    respiration_rate: Option<f64>,
    spo2: Option<f64>,
    spo2_scale: Option<f64>,
    on_oxygen: Option<bool>,
    systolic_bp: Option<f64>,
    pulse: Option<f64>,
    consciousness: Option<PyBackedStr>,
    temperature: Option<f64>,
}

impl Arguments {
    #[allow(clippy::too_many_arguments)]
    fn convert(
        respiration_rate: Option<&Bound<'_, PyAny>>,
        spo2: Option<&Bound<'_, PyAny>>,
        systolic_bp: Option<&Bound<'_, PyAny>>,
        pulse: Option<&Bound<'_, PyAny>>,
        consciousness: Option<&Bound<'_, PyAny>>,
        temperature: Option<&Bound<'_, PyAny>>,
        on_oxygen: Option<&Bound<'_, PyAny>>,
        spo2_scale: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(Self {
            respiration_rate: number(Field::RespirationRate, respiration_rate)?,
            spo2: number(Field::Spo2, spo2)?,
            spo2_scale: scale(spo2_scale)?,
            on_oxygen: flag(Field::OnOxygen, on_oxygen)?,
            systolic_bp: number(Field::SystolicBp, systolic_bp)?,
            pulse: number(Field::Pulse, pulse)?,
            consciousness: text(Field::Consciousness, consciousness)?,
            temperature: number(Field::Temperature, temperature)?,
        })
    }

    fn raw(&self) -> RawVitals<'_> {
        RawVitals {
            respiration_rate: self.respiration_rate,
            spo2: self.spo2,
            spo2_scale: self.spo2_scale,
            on_oxygen: self.on_oxygen,
            systolic_bp: self.systolic_bp,
            pulse: self.pulse,
            consciousness: self.consciousness.as_deref(),
            temperature: self.temperature,
        }
    }
}

/// Scores one complete observation set (NEWS2 Charts 1, 3 and 4).
///
/// Numbers may be int or float; they are rounded half away from zero on their decimal
/// representation (36.05 → 36.1) and checked against the plausibility bounds.
/// ``consciousness`` is ``"A"``, ``"C"``, ``"V"``, ``"P"``, ``"U"`` or the word,
/// case-insensitive. ``on_oxygen`` defaults to air and ``spo2_scale`` to Scale 1 (``None``
/// means the same). Scale 2 is only for confirmed hypercapnic respiratory failure, on a
/// clinician's direction.
///
/// Raises ``VitalsError`` (a ``ValueError``) naming the field, the value and the
/// accepted range when a value is impossible, malformed or missing; the first bad field
/// in chart order is reported. Raises ``TypeError`` for a value of the wrong type.
#[pyfunction]
#[pyo3(
    signature = (*, respiration_rate, spo2, systolic_bp, pulse, consciousness, temperature, on_oxygen=None, spo2_scale=None),
    text_signature = "(*, respiration_rate, spo2, systolic_bp, pulse, consciousness, temperature, on_oxygen=False, spo2_scale=1)"
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn score(
    py: Python<'_>,
    respiration_rate: &Bound<'_, PyAny>,
    spo2: &Bound<'_, PyAny>,
    systolic_bp: &Bound<'_, PyAny>,
    pulse: &Bound<'_, PyAny>,
    consciousness: &Bound<'_, PyAny>,
    temperature: &Bound<'_, PyAny>,
    on_oxygen: Option<&Bound<'_, PyAny>>,
    spo2_scale: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNews2Score> {
    let args = Arguments::convert(
        Some(respiration_rate),
        Some(spo2),
        Some(systolic_bp),
        Some(pulse),
        Some(consciousness),
        Some(temperature),
        on_oxygen,
        spo2_scale,
    )?;
    let vitals = Vitals::from_raw(&args.raw()).map_err(|e| vitals_error(py, &e))?;
    Ok(PyNews2Score(vitals.score()))
}

/// Scores an observation set that may have gaps: every keyword may be ``None``.
///
/// A gap is never scored as normal: it is listed in ``missing``, and ``total`` is the
/// sum of the known scores only (a lower bound). ``on_oxygen`` absent or ``None`` means
/// air, as in ``score``. A value that is present is checked exactly as ``score`` checks
/// it, and raises ``VitalsError`` when wrong.
#[pyfunction]
#[pyo3(signature = (*, respiration_rate=None, spo2=None, systolic_bp=None, pulse=None, consciousness=None, temperature=None, on_oxygen=None, spo2_scale=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn score_partial(
    py: Python<'_>,
    respiration_rate: Option<&Bound<'_, PyAny>>,
    spo2: Option<&Bound<'_, PyAny>>,
    systolic_bp: Option<&Bound<'_, PyAny>>,
    pulse: Option<&Bound<'_, PyAny>>,
    consciousness: Option<&Bound<'_, PyAny>>,
    temperature: Option<&Bound<'_, PyAny>>,
    on_oxygen: Option<&Bound<'_, PyAny>>,
    spo2_scale: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPartialScore> {
    let args = Arguments::convert(
        respiration_rate,
        spo2,
        systolic_bp,
        pulse,
        consciousness,
        temperature,
        on_oxygen,
        spo2_scale,
    )?;
    let vitals = PartialVitals::from_raw(&args.raw()).map_err(|e| vitals_error(py, &e))?;
    Ok(PyPartialScore(vitals.score()))
}
