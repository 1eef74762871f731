//! Any text as a token payload: the verifier's fast reader either gives up
//! or reads exactly what serde_json reads (claims, identity, and no
//! problem in `grants`), and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(disagreement) = twilio_token::__fast_read_disagreement(text) {
        panic!("{disagreement}");
    }
});
