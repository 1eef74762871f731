//! Any bytes given to `verify` and `decode_unverified`: no panic, and no
//! token that is not signed with the key verifies.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use twilio_token::{Verifier, decode_unverified};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = Verifier::new()
        .key("SKfedcba9876543210fedcba9876543210", "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E")
        .account_sid("AC0123456789abcdef0123456789abcdef");
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let _ = verifier.verify_at(text, now);
    let _ = decode_unverified(text);
});
