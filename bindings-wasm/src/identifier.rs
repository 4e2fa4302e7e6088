//! CPF and CNS: validate, parse, format.

use news2_core::{Cns, Cpf};
use wasm_bindgen::prelude::*;

use crate::failure::Failure;
use crate::labels::serde_name;

/// A parsed CPF.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpfParts {
    /// The eleven digits (`Cpf::digits_str`).
    pub digits: String,
    /// The mask `000.000.000-00` (`Cpf`'s `Display`).
    pub formatted: String,
    /// The fiscal region, the ninth digit (`Cpf::fiscal_region`).
    pub region: u8,
}

/// Whether `text` is a valid CPF (`Cpf::parse`).
#[wasm_bindgen(js_name = cpfIsValid)]
pub fn cpf_is_valid(text: &str) -> bool {
    Cpf::parse(text).is_ok()
}

/// Parses a CPF (`Cpf::parse`); throws a [`Failure`] with the `CpfError` kind.
#[wasm_bindgen(js_name = parseCpfParts)]
pub fn parse_cpf_parts(text: &str) -> Result<CpfParts, Failure> {
    let cpf = Cpf::parse(text)?;
    Ok(CpfParts {
        digits: cpf.digits_str().to_string(),
        formatted: cpf.to_string(),
        region: cpf.fiscal_region(),
    })
}

/// A parsed CNS.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnsParts {
    /// The fifteen digits (`Cns::digits_str`).
    pub digits: String,
    /// The printed form `000 0000 0000 0000` (`Cns`'s `Display`).
    pub formatted: String,
    /// `definitive` or `provisional` (`Cns::kind`).
    pub kind: String,
}

/// Whether `text` is a valid CNS (`Cns::parse`).
#[wasm_bindgen(js_name = cnsIsValid)]
pub fn cns_is_valid(text: &str) -> bool {
    Cns::parse(text).is_ok()
}

/// Parses a CNS (`Cns::parse`); throws a [`Failure`] with the `CnsError` kind.
#[wasm_bindgen(js_name = parseCnsParts)]
pub fn parse_cns_parts(text: &str) -> Result<CnsParts, Failure> {
    let cns = Cns::parse(text)?;
    Ok(CnsParts {
        digits: cns.digits_str().to_string(),
        formatted: cns.to_string(),
        kind: serde_name(&cns.kind()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpf_and_cns_round_trip() {
        let cpf = parse_cpf_parts(" 529.982.247-25 ").expect("valid");
        assert_eq!(
            (cpf.digits.as_str(), cpf.formatted.as_str(), cpf.region),
            ("52998224725", "529.982.247-25", 7)
        );
        let err = parse_cpf_parts("529.982.247-26").unwrap_err();
        assert_eq!(
            (err.kind(), err.position(), err.expected(), err.found()),
            ("check_digit".into(), Some(10), Some(5), Some(6))
        );
        let cns = parse_cns_parts("898 0010 0000 0003").expect("valid");
        assert_eq!(cns.kind, "provisional");
        assert!(!cns_is_valid("898001000000009"));
        assert!(cpf_is_valid("52998224725"));
    }
}
