//! Any text: parsing never panics; what parses round-trips and has a documented shape.
#![no_main]
use libfuzzer_sys::fuzz_target;
use news2_core::Cns;

fuzz_target!(|text: &str| {
    if let Ok(cns) = Cns::parse(text) {
        assert_eq!(Cns::parse(&cns.to_string()), Ok(cns));
        let t = text.trim();
        assert!(t == cns.to_string() || t == &*cns.digits_str(), "accepted an undocumented shape: {text:?}");
    }
});
