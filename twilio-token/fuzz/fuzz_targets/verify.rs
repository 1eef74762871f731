//! Any text as a token, and as the payload of a token signed with the key:
//! no panic; a token that verifies re-signs, from its claims and with the
//! same key, to a token that verifies to the same claims (one that cannot
//! be re-signed is counted, and the counts printed as they double); every
//! built-in
//! grant of a decoded token decodes (the verifier checked it with the same
//! decoder). The text as a capability token's payload, signed with the Auth
//! Token: it verifies exactly when it decodes and its times are valid, to
//! the claims decoding gives.
#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use twilio_token::{AccessToken, Claims, Credentials, Error, Grant, PayloadWriter, Verifier};
use twilio_token::{grants, unverified};

const KEY: &str = "SKfedcba9876543210fedcba9876543210";
const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0";
const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// `{"alg":"HS256","typ":"JWT"}`, a capability token's header.
const CAPABILITY_HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// `payload` signed as a token with `header`, with `secret`.
fn signed(header: &str, payload: &str, secret: &str) -> String {
    let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(payload));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// A capability token with `text` as its payload: verified, it gives what
/// decoding gives; refused, decoding fails too, or the account or a time
/// is what the verifier refused.
fn capability(text: &str) {
    use twilio_token::capability::CapabilityVerifier;
    let verifier = CapabilityVerifier::new(ACCOUNT, AUTH_TOKEN).unwrap();
    let jwt = signed(CAPABILITY_HEADER, text, AUTH_TOKEN);
    let decoded = unverified::capability(&jwt);
    let at = decoded
        .as_ref()
        .ok()
        .and_then(|claims| claims.not_before())
        .unwrap_or(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    match (verifier.verify_at(&jwt, at), decoded) {
        (Ok(verified), Ok(decoded)) => assert_eq!(verified, decoded),
        (Ok(verified), Err(error)) => panic!("verified {verified:?} but does not decode: {error}"),
        (Err(error), Ok(decoded)) => assert!(
            matches!(error.twilio_code(), 20103 | 20104 | 20105 | 20157),
            "decodes to {decoded:?} but fails with {error}"
        ),
        (Err(_), Err(_)) => {}
    }
}

/// A grant read back from a token, written again as it was.
struct Raw<'a>(&'a str, &'a twilio_token::Json);

impl Grant for Raw<'_> {
    fn key(&self) -> &str {
        self.0
    }
    fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
        payload.flatten(self.1)
    }
}

/// The claims signed again; `None` when the builder refuses them.
fn resign(claims: &Claims, at: std::time::SystemTime) -> Option<String> {
    let issued = claims.issued_at().unwrap_or(at);
    let ttl = claims.expires_at().duration_since(issued).ok()?;
    let grants = claims
        .grants()
        .unwrap_or_else(|error| panic!("verified, but `grants()` fails: {error}"));
    let grants: Vec<Raw<'_>> = grants.iter().map(|(k, v)| Raw(k, v)).collect();
    let mut builder = AccessToken::builder()
        .account_sid(claims.account_sid())
        .api_key(KEY, SECRET)
        .identity(claims.identity())
        .issued_at(issued)
        .ttl(ttl);
    builder = match claims.not_before() {
        Some(nbf) => builder.not_before(nbf),
        None => builder.omit_not_before(),
    };
    for grant in &grants {
        builder = builder.grant(grant);
    }
    builder.sign().ok()
}

/// Tokens that verified, and those of them the builder would not sign again.
static VERIFIED: AtomicU64 = AtomicU64::new(0);
static NOT_RESIGNED: AtomicU64 = AtomicU64::new(0);

/// Counts a verified token; prints the counts each time they double.
fn count(resigned: bool) {
    let verified = VERIFIED.fetch_add(1, Ordering::Relaxed) + 1;
    let not_resigned =
        NOT_RESIGNED.fetch_add(u64::from(!resigned), Ordering::Relaxed) + u64::from(!resigned);
    if verified.is_power_of_two() || (!resigned && not_resigned.is_power_of_two()) {
        eprintln!("verified {verified}, of which the builder would not re-sign {not_resigned}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap());
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let _ = verifier.verify_at(text, now);
    let _ = unverified::access_token(text);
    let _ = unverified::header_and_payload(text);
    let _ = unverified::capability(text);
    capability(text);

    // The text as a payload, signed with the key.
    let jwt = signed(HEADER, text, SECRET);
    let Ok(claims) = unverified::access_token(&jwt) else {
        return;
    };
    if let Err(error) = grants::validate_built_in(&claims) {
        panic!("a built-in grant passed the verifier but does not decode: {error}");
    }
    let at = claims
        .not_before()
        .into_iter()
        .chain(claims.issued_at())
        .max()
        .unwrap_or(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    if verifier.verify_at(&jwt, at).is_err() {
        return;
    }
    let resigned = resign(&claims, at);
    count(resigned.is_some());
    let Some(again) = resigned else {
        return;
    };
    let back = verifier
        .verify_at(&again, at)
        .unwrap_or_else(|error| panic!("the re-signed token does not verify: {error}"));
    assert_eq!(back.identity(), claims.identity());
    assert_eq!(back.account_sid(), claims.account_sid());
    assert_eq!(back.grants(), claims.grants());
    assert_eq!(back.expires_at(), claims.expires_at());
    assert_eq!(back.not_before(), claims.not_before());
    // Re-signing what was re-signed gives the very same bytes.
    assert_eq!(resign(&back, at).as_deref(), Some(again.as_str()));
});
