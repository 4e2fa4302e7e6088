//! The `news2` Python extension module (`news2._news2`): conversion between Python and
//! news2-core and escalation-core, and error mapping. No clinical rule lives here.

mod assembly;
mod batch;
mod classification;
mod errors;
mod escalation;
mod identifier;
mod instant;
mod score;
mod vitals;

use pyo3::prelude::*;

/// NEWS2 early-warning scores, vital-sign classification and Brazilian patient
/// identifiers, from news2-core, and escalation simulation, from escalation-core. Import
/// ``news2``, not this module.
#[pymodule]
#[pyo3(name = "_news2")]
fn news2_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("VitalsError", py.get_type::<errors::VitalsError>())?;
    m.add("IdentifierError", py.get_type::<errors::IdentifierError>())?;
    m.add("ProfileError", py.get_type::<errors::ProfileError>())?;
    m.add(
        "IncompleteSetError",
        py.get_type::<errors::IncompleteSetError>(),
    )?;
    m.add(
        "EscalationError",
        py.get_type::<escalation::EscalationError>(),
    )?;
    m.add_class::<score::PyNews2Score>()?;
    m.add_class::<score::PyPartialScore>()?;
    m.add_class::<identifier::PyCpf>()?;
    m.add_class::<classification::PyProfile>()?;
    m.add_class::<assembly::PyObservationSet>()?;
    m.add_class::<assembly::PyParameterStatus>()?;
    m.add_class::<escalation::PyPolicySet>()?;
    m.add_class::<escalation::PyEscalationBoard>()?;
    m.add_class::<identifier::PyCns>()?;
    m.add_function(wrap_pyfunction!(vitals::score, m)?)?;
    m.add_function(wrap_pyfunction!(vitals::score_partial, m)?)?;
    m.add_function(wrap_pyfunction!(batch::_score_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(batch::_score_arrow_numpy, m)?)?;
    m.add_function(wrap_pyfunction!(batch::_object_text_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(classification::classify, m)?)?;
    m.add_function(wrap_pyfunction!(assembly::_assemble, m)?)?;
    m.add_function(wrap_pyfunction!(escalation::_replay, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::validate_cpf, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::format_cpf, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::validate_cns, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::format_cns, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::_validate_cpf_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::_validate_cns_arrow, m)?)?;
    Ok(())
}
