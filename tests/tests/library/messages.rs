//! The library's messages as a person reads them: times in UTC, and what
//! they quote from a forged token escaped, never raw terminal controls.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use twilio_token::{Error, VerifyError, unverified};

#[test]
fn library_messages_write_times_in_utc() {
    let expired = VerifyError::Expired {
        expired_at: 1_796_546_159,
    };
    assert_eq!(
        expired.to_string(),
        "the token expired (20104) at 2026-12-06T08:35:59Z: mint a new one"
    );
    let not_yet = VerifyError::NotYetValid { not_before: 0 };
    assert_eq!(
        not_yet.to_string(),
        "the token is not valid yet (20105): nbf is 1970-01-01T00:00:00Z; check the clocks or \
         allow leeway"
    );
    let never = Error::NotBeforeAfterExpiry {
        not_before: 3600,
        expires: 60,
    };
    assert_eq!(
        never.to_string(),
        "nbf (1970-01-01T01:00:00Z) is not before exp (1970-01-01T00:01:00Z): the token would \
         never be valid; move not_before earlier or lengthen the time to live"
    );
}

/// A forged token's key with terminal controls, given twice: the
/// library's message shows it escaped.
#[test]
fn library_messages_escape_what_they_quote_from_a_token() {
    let b64 = |text: &str| URL_SAFE_NO_PAD.encode(text);
    let header = r#"{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}"#;
    let payload = r#"{"jti":"SKfedcba9876543210fedcba9876543210-1","iss":"SKfedcba9876543210fedcba9876543210","sub":"AC0123456789abcdef0123456789abcdef","exp":2000000000,"grants":{"identity":"a","\u001b]0;x\u0007":{},"\u001b]0;x\u0007":{}}}"#;
    let jwt = format!("{}.{}.c2ln", b64(header), b64(payload));
    let error = unverified::access_token(&jwt).unwrap_err();
    assert_eq!(
        error,
        VerifyError::GrantKeyTwice {
            key: "\u{1b}]0;x\u{7}".into()
        }
    );
    assert_eq!(
        error.to_string(),
        r"invalid grants (20106): `grants` has the key `\u{1b}]0;x\u{7}` twice"
    );
    let error = VerifyError::InvalidGrant {
        grant: "\u{9b}8m".into(),
        reason: "\u{202e}".into(),
    };
    assert_eq!(
        format!("{error:?}"),
        r"invalid grant `\u{9b}8m` (20106): \u{202e}"
    );
}
