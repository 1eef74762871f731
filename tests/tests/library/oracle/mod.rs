//! The oracle of the byte-change properties of both verifiers: what a
//! token changed without signing it again must be refused with, worked out
//! with base64 and serde_json alone (never the verifier), in Twilio's
//! order. Shared by `verify.rs` and `capability.rs`.

// Each test binary that includes this module uses one of the signers.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};

/// Who signed the token, as the first checks see it.
pub enum Signer<'a> {
    /// An Access Token: `iss` the API key SID, `sub` the account SID, and
    /// `cty` in the header.
    ApiKey {
        key_sid: &'a str,
        account_sid: &'a str,
    },
    /// A capability token: `iss` the account SID, and no `cty`.
    AuthToken { account_sid: &'a str },
}

/// The code a verifier must give `jwt`, a copy of the valid `original`
/// changed without signing it again: structure, UTF-8 and the payload's
/// grammar (20101), the header (20102), the issuer and account (20103);
/// otherwise only the signature can tell (20107).
pub fn expected_code(jwt: &str, original: &str, signer: &Signer<'_>) -> u32 {
    const MALFORMED: u32 = 20101;
    // Read as the verifier reads them: the claims it needs as values, the
    // rest checked against the grammar only (serde_json ignoring a value).
    #[derive(Deserialize)]
    struct Payload {
        iss: Option<Value>,
        sub: Option<Value>,
    }
    #[derive(Deserialize)]
    struct Header {
        alg: Option<Value>,
        typ: Option<Value>,
        cty: Option<Value>,
        twr: Option<Value>,
        crit: Option<Value>,
    }
    let segments: Vec<&str> = jwt.split('.').collect();
    let [header, payload, tag] = segments[..] else {
        return MALFORMED;
    };
    let [Ok(header), Ok(payload), Ok(_)] =
        [header, payload, tag].map(|s| URL_SAFE_NO_PAD.decode(s))
    else {
        return MALFORMED;
    };
    // Both must be UTF-8 as a whole, not only where a value is read.
    let Ok(payload) = String::from_utf8(payload) else {
        return MALFORMED;
    };
    let Ok(payload) = serde_json::from_str::<Payload>(&payload) else {
        return MALFORMED;
    };
    let original_header = URL_SAFE_NO_PAD
        .decode(original.split('.').next().unwrap_or_default())
        .unwrap_or_default();
    if header != original_header {
        let Ok(header) = std::str::from_utf8(&header) else {
            return MALFORMED;
        };
        let Ok(header) = serde_json::from_str::<Header>(header) else {
            return MALFORMED;
        };
        let is = |value: &Option<Value>, expected: &str| value == &Some(json!(expected));
        // A region code: two lower-case letters and a number.
        let region = |twr: &Value| {
            twr.as_str()
                .and_then(|twr| twr.split_at_checked(2))
                .is_some_and(|(letters, digits)| {
                    letters.bytes().all(|b| b.is_ascii_lowercase())
                        && (1..=2).contains(&digits.len())
                        && digits.bytes().all(|b| b.is_ascii_digit())
                })
        };
        let kind_ok = match signer {
            Signer::ApiKey { .. } => {
                is(&header.cty, "twilio-fpa;v=1") && header.twr.as_ref().is_none_or(region)
            }
            Signer::AuthToken { .. } => header.cty.is_none(),
        };
        let known = is(&header.alg, "HS256") && is(&header.typ, "JWT") && header.crit.is_none();
        if !(known && kind_ok) {
            return 20102;
        }
    }
    let issuer_ok = match signer {
        Signer::ApiKey {
            key_sid,
            account_sid,
        } => payload.iss == Some(json!(key_sid)) && payload.sub == Some(json!(account_sid)),
        Signer::AuthToken { account_sid } => payload.iss == Some(json!(account_sid)),
    };
    if !issuer_ok {
        return 20103;
    }
    20107
}
