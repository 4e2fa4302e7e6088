//! Any text: parsing never panics, and what parses is one of the documented spellings.
#![no_main]
use libfuzzer_sys::fuzz_target;
use news2_core::Acvpu;

fuzz_target!(|text: &str| {
    match text.parse::<Acvpu>() {
        Ok(level) => {
            let t = text.trim().to_ascii_lowercase();
            let letter = level.letter().to_ascii_lowercase().to_string();
            assert!(
                t == letter || t == level.word() || (level == Acvpu::Confusion && (t == "new confusion" || t == "confused")),
                "accepted {text:?} as {level:?}"
            );
        }
        Err(e) => assert_eq!(e.kind(), "invalid_consciousness"),
    }
});
