#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The derive's generated code names `::twilio_token`, also inside this crate.
extern crate self as twilio_token;

pub mod builder;
mod claims;
mod credentials;
mod error;
mod grant;
pub mod grants;
mod json;
mod jwt;
mod key;
mod reader;
mod sid;
mod swar;
mod verify;

pub use builder::{AccessToken, AccessTokenBuilder, DEFAULT_TTL, MAX_TTL};
pub use claims::Claims;
pub use credentials::Credentials;
pub use error::Error;
pub use grant::{DecodeGrant, Grant, GrantSlot, IntoGrant};
pub use json::PayloadWriter;
/// Derives [`Grant`](trait@Grant), [`DecodeGrant`] and [`IntoGrant`] for a
/// struct; see [`Grant`](trait@Grant) for the attributes.
pub use twilio_token_derive::Grant;
pub use verify::{MAX_TOKEN_LEN, Verifier, VerifyError, decode_unverified};

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// For the fuzz targets only (`cargo fuzz` sets `--cfg fuzzing`): how the
/// JSON reader and serde_json disagree on `text`.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn __read_disagreement(text: &str) -> Option<String> {
    reader::disagreement(text)
}
