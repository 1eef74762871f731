//! Reading a token **without verifying it**: no signature, no times, no
//! issuer or account checked. For debugging and display only; never trust
//! what these return. [`Verifier`](crate::Verifier) and
//! [`CapabilityVerifier`](crate::capability::CapabilityVerifier) check
//! tokens.
//!
//! Each reads as the verifiers read, with their errors: the same size
//! limit, base64url and JSON reader (no key given twice at any depth).

use crate::capability::CapabilityClaims;
use crate::{Claims, JsonObject, VerifyError};

/// An Access Token's claims, read and not verified.
///
/// # Errors
///
/// [`VerifyError`] when the token is not a well-formed Twilio token (codes
/// 20101 to 20106; times are read but not compared to the clock).
///
/// ```
/// let jwt = "eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0.eyJqdGkiOiJTS2ZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwLTE3MDAwMDAwMDAiLCJncmFudHMiOnsiaWRlbnRpdHkiOiJhbGljZSJ9LCJpc3MiOiJTS2ZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwIiwiZXhwIjoxNzAwMDAzNjAwLCJuYmYiOjE3MDAwMDAwMDAsInN1YiI6IkFDMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYifQ.forged";
/// let claims = twilio_token::unverified::access_token(jwt)?;
/// assert_eq!(claims.identity(), "alice"); // but anyone could have written it
/// # Ok::<(), twilio_token::VerifyError>(())
/// ```
pub fn access_token(jwt: &str) -> Result<Claims, VerifyError> {
    crate::verify::access_token(jwt, None)
}

/// A capability token's claims, read and not verified.
///
/// # Errors
///
/// [`VerifyError`] when the token is not a well-formed capability token.
///
/// ```
/// use twilio_token::capability::{Capabilities, ClientCapability};
/// let jwt = ClientCapability::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .allow_incoming("alice")
///     .sign()?;
/// let claims = twilio_token::unverified::capability(&jwt)?;
/// assert_eq!(claims.account_sid(), "AC0123456789abcdef0123456789abcdef");
/// assert!(matches!(claims.capabilities(), Capabilities::Client { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn capability(jwt: &str) -> Result<CapabilityClaims, VerifyError> {
    CapabilityClaims::read(crate::verify::check_capability(jwt, None)?)
}

/// A token's header and payload, of either kind, as JSON objects: read,
/// nothing checked. For showing a token as it is.
///
/// # Errors
///
/// [`VerifyError::Malformed`] (20101) when the token is too long, not
/// three base64url segments, or the header or payload is not a JSON object
/// with each key once.
///
/// ```
/// use twilio_token::{Malformed, Segment, VerifyError, unverified};
///
/// let (header, payload) = unverified::header_and_payload("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")?;
/// assert_eq!(header["alg"], "none");
/// assert_eq!(payload["sub"], "x");
///
/// // {"a":1,"a":2}
/// let err = unverified::header_and_payload("e30.eyJhIjoxLCJhIjoyfQ.").unwrap_err();
/// assert_eq!(
///     err,
///     VerifyError::Malformed(Malformed::KeyTwice(Segment::Payload, "a".into()))
/// );
/// # Ok::<(), VerifyError>(())
/// ```
pub fn header_and_payload(jwt: &str) -> Result<(JsonObject, JsonObject), VerifyError> {
    crate::verify::header_and_payload(jwt)
}
