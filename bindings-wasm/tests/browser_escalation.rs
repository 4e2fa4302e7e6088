//! wasm-bindgen-test in headless Chromium for the escalation exports (feature `escalation`):
//! the board driven with explicit times, and a replay from the board's own events.
#![cfg(all(target_arch = "wasm32", feature = "escalation"))]

use news2_wasm::escalation::{RawBoard, RawEscalation, RawPolicySet};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const T0: f64 = 1_735_718_400_000.0; // 2025-01-01T08:00:00Z

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).expect("an object")
}

#[wasm_bindgen_test]
fn board_counts_down_and_replays() {
    let mut board = RawBoard::new(&RawPolicySet::demo());
    let opened = board
        .alert(42.0, "medium", T0)
        .expect("a chain covers medium");
    let id = get(&opened, "id").as_f64().expect("id");
    let step = board.current_step(id, T0 + 12_000.0).expect("open");
    assert_eq!(get(&step, "countdown_ms").as_f64(), Some(18_000.0));
    assert_eq!(
        get(&step, "deadline").as_string().as_deref(),
        Some("2025-01-01T08:00:30Z")
    );

    let late = board.advance_to(T0 + 40_000.0).expect("events");
    let first = js_sys::Array::from(&late).get(0);
    assert_eq!(get(&first, "late_by_ms").as_f64(), Some(10_000.0));

    let mut all = js_sys::Array::from(&get(&opened, "events"));
    all = all.concat(&js_sys::Array::from(&late));
    let mirror = RawEscalation::replay(all.into()).expect("a whole stream");
    for t in [45_000.0, 50_000.0, 59_999.0] {
        let a =
            js_sys::JSON::stringify(&board.current_step(id, T0 + t).expect("board")).expect("json");
        let b =
            js_sys::JSON::stringify(&mirror.current_step(T0 + t).expect("mirror")).expect("json");
        assert_eq!(a, b);
    }

    let refused = board
        .alert(43.0, "low", T0)
        .expect_err("no chain for low in the demo set");
    assert_eq!(
        (refused.source.as_str(), refused.kind.as_str()),
        ("command", "no_policy")
    );
}
