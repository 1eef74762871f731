//! Any text for the JSON reader: it refuses it, or reads exactly the value
//! serde_json reads; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(disagreement) = twilio_token::__read_disagreement(text) {
        panic!("{disagreement}");
    }
});
