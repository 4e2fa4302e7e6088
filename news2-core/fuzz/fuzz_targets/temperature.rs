//! Any text: parsing never panics; a plain decimal parses exactly as its float does
//! (the text path and the float path must agree on rounding and bounds).
#![no_main]
use libfuzzer_sys::fuzz_target;
use news2_core::Temperature;

fuzz_target!(|text: &str| {
    let parsed = text.parse::<Temperature>();
    if let Ok(t) = parsed {
        assert!((Temperature::MIN_TENTHS..=Temperature::MAX_TENTHS).contains(&t.tenths()));
        assert_eq!(t.to_string().parse::<Temperature>(), Ok(t));
    }
    let trimmed = text.trim();
    let plain = !trimmed.is_empty()
        && trimmed.len() <= 17
        && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && trimmed.bytes().filter(|&b| b == b'.').count() <= 1
        && trimmed.bytes().any(|b| b.is_ascii_digit());
    if plain {
        if let Ok(x) = trimmed.parse::<f64>() {
            // Only where the float is the shortest representation of the text do the two
            // paths see the same decimal.
            if x.to_string() == trimmed.trim_end_matches('.') || format!("{x}") == trimmed {
                assert_eq!(parsed.ok(), Temperature::from_celsius(x).ok(), "{text:?}");
            }
        }
    }
});
