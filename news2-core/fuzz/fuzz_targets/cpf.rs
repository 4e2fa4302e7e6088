//! Any text: parsing never panics; what parses prints back to a form that parses to the
//! same CPF, and only the two documented shapes ever parse.
#![no_main]
use libfuzzer_sys::fuzz_target;
use news2_core::Cpf;

fuzz_target!(|text: &str| {
    if let Ok(cpf) = Cpf::parse(text) {
        assert_eq!(Cpf::parse(&cpf.to_string()), Ok(cpf));
        assert_eq!(Cpf::parse(&cpf.digits_str()), Ok(cpf));
        let t = text.trim();
        assert!(t == cpf.to_string() || t == &*cpf.digits_str(), "accepted an undocumented shape: {text:?}");
    }
});
