#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The derive's generated code names `::twilio_token`, also inside this crate.
extern crate self as twilio_token;

mod builder;
mod claims;
mod credentials;
mod error;
mod grant;
pub mod grants;
mod json;
mod jwt;
mod raw;
mod reader;
mod sid;
mod swar;
mod verify;

pub use builder::{
    AccessToken, AccessTokenBuilder, AccountSid, DEFAULT_TTL, FromCredentials, HasAccountSid,
    HasIdentity, HasSigningKey, Identity, MAX_TTL, Missing, NoAccountSid, NoIdentity, NoSigningKey,
    SigningKeyInput,
};
pub use claims::Claims;
pub use credentials::Credentials;
pub use error::Error;
pub use grant::{DecodeGrant, Grant};
pub use json::PayloadWriter;
/// Derives [`Grant`](trait@Grant) for a struct; see the trait for the attributes.
pub use twilio_token_derive::Grant;
pub use verify::{MAX_TOKEN_LEN, Verifier, VerifyError, decode_unverified};

#[doc(hidden)]
pub use grant::private as __private;

/// For the fuzz targets only (`cargo fuzz` sets `--cfg fuzzing`): how the
/// verifier's fast payload reader and serde_json disagree on `text`.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn __fast_read_disagreement(text: &str) -> Option<String> {
    verify::fast_read_disagreement(text)
}
