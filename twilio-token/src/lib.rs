//! Mint and verify [Twilio Access Tokens]: the HS256 JWTs that an
//! application's server hands to Twilio's client SDKs (Voice, Video,
//! Conversations and Chat, Sync, TaskRouter and Flex, Live). A token names a
//! user (the *identity*), says what the user may do (its *grants*), and is
//! signed with one of the account's API keys.
//!
//! For the same inputs and clock, a token is byte for byte the one Twilio's
//! official Python library mints. `.sign()` does not compile until the
//! account SID, the API key and the identity are set, and the verifier
//! checks what Twilio checks, naming the Twilio error code a client would see.
//!
//! [Twilio Access Tokens]: https://www.twilio.com/docs/iam/access-tokens
//!
//! # Quick start
//!
//! ```
//! use std::time::Duration;
//! use twilio_token::{AccessToken, Credentials, grants::VideoGrant};
//!
//! // Once, at start-up: an API key (SK…) and its secret, never the Auth
//! // Token. `Credentials::from_env()` reads them from TWILIO_ACCOUNT_SID,
//! // TWILIO_API_KEY and TWILIO_API_SECRET.
//! let credentials = Credentials::new(
//!     "AC0123456789abcdef0123456789abcdef",
//!     "SKfedcba9876543210fedcba9876543210",
//!     "your-api-key-secret",
//! )?;
//!
//! // Per request:
//! let jwt: String = AccessToken::builder()
//!     .credentials(&credentials)
//!     .identity("alice")
//!     .grant(VideoGrant::room("standup"))
//!     .ttl(Duration::from_secs(3600)) // optional: default one hour, at most 24 hours
//!     .region("ie1") // optional: the `twr` header, for accounts outside the US
//!     .sign()?;
//! assert_eq!(jwt.split('.').count(), 3);
//! # Ok::<(), twilio_token::Error>(())
//! ```
//!
//! Without [`Credentials`], set the parts directly, in any order:
//! `.account_sid("AC…")`, `.api_key("SK…", secret)`, `.identity("alice")`.
//! Forgetting one is a compile error that names it:
//!
//! ```text
//! error[E0277]: `.sign()` needs an identity: call `.identity("alice")` first
//! ```
//!
//! # Grants
//!
//! [`grants`] has every grant Twilio defines, with twilio-python's field
//! names: [`VideoGrant`](grants::VideoGrant), [`VoiceGrant`](grants::VoiceGrant),
//! [`ChatGrant`](grants::ChatGrant) (Conversations too),
//! [`SyncGrant`](grants::SyncGrant), [`TaskRouterGrant`](grants::TaskRouterGrant)
//! and [`PlaybackGrant`](grants::PlaybackGrant) (Live). Their SIDs are checked
//! when the token is signed.
//!
//! ```
//! use twilio_token::grants::VoiceGrant;
//!
//! let voice = VoiceGrant {
//!     incoming_allow: true,
//!     ..VoiceGrant::outgoing("AP0123456789abcdef0123456789abcdef")
//! };
//! # drop(voice);
//! ```
//!
//! # Custom grants
//!
//! Derive [`Grant`](derive@Grant) on a struct with named fields. Field types
//! are written with `serde::Serialize`; to read the grant back from a
//! verified token they also need `serde::Deserialize`, and the derive then
//! implements [`DecodeGrant`]. Mistakes in the attributes are compile errors
//! that point at them; [`Grant`](trait@Grant) lists the attributes.
//!
//! ```
//! use twilio_token::{AccessToken, Credentials, Grant, Verifier};
//!
//! #[derive(Grant, Debug, PartialEq)]
//! #[grant(key = "voice")]
//! struct MyVoiceGrant {
//!     #[grant(rename = "outgoing.application_sid", sid = "AP")]
//!     app: Option<String>,
//! }
//!
//! let grant = MyVoiceGrant { app: Some("AP0123456789abcdef0123456789abcdef".into()) };
//! let credentials = Credentials::new(
//!     "AC0123456789abcdef0123456789abcdef",
//!     "SKfedcba9876543210fedcba9876543210",
//!     "your-api-key-secret",
//! )?;
//! let jwt = AccessToken::builder()
//!     .credentials(&credentials)
//!     .identity("alice")
//!     .grant(&grant)
//!     .sign()?;
//! let claims = Verifier::new(&credentials).verify(&jwt)?;
//! assert_eq!(claims.grant::<MyVoiceGrant>()?, Some(grant));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A field's type may be any type that implements serde's `Serialize` (and
//! `Deserialize`, to be read back): a string, a number, a `bool`, an
//! `Option`, a `Vec`, a map, [`JsonObject`], or a struct or enum of your
//! own. Without serde among your own dependencies, derive serde's traits
//! through the one this crate re-exports, and tell serde's derive where it
//! is with `#[serde(crate = "twilio_token::serde")]`:
//!
//! ```
//! use twilio_token::serde::{Deserialize, Serialize};
//! use twilio_token::{DecodeGrant, Grant};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! #[serde(crate = "twilio_token::serde", rename_all = "lowercase")]
//! enum Role {
//!     Agent,
//!     Supervisor,
//! }
//!
//! #[derive(Grant, Debug, PartialEq)]
//! #[grant(key = "my_app")]
//! struct AppGrant {
//!     role: Role,
//! }
//!
//! let grant = AppGrant { role: Role::Supervisor };
//! let json = grant.to_payload()?.to_string();
//! assert_eq!(json, r#"{"role":"supervisor"}"#);
//! assert_eq!(AppGrant::from_json(&json)?, grant);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Verifying
//!
//! [`Verifier`] checks, in Twilio's order and each with its code: the
//! structure (20101), the header (20102), the issuer and account (20103),
//! the signature in constant time (20107), the expiry (20104), Twilio's
//! 24-hour lifetime (20157), not-before (20105) and the grants (20106).
//! Tokens from twilio-node (with `iat`, without `nbf`) verify too.
//!
//! ```
//! use twilio_token::{Credentials, Verifier};
//!
//! // A malformed key, an Auth Token or a malformed account SID is an error here.
//! let credentials = Credentials::new(
//!     "AC0123456789abcdef0123456789abcdef",
//!     "SKfedcba9876543210fedcba9876543210",
//!     "your-api-key-secret",
//! )?;
//! let verifier = Verifier::new(&credentials); // `.credentials(&other)?` adds a key, for rotation
//! let err = verifier.verify("not.a.token").unwrap_err();
//! assert_eq!(err.twilio_code(), 20101); // the code a Twilio client would see
//! # Ok::<(), twilio_token::Error>(())
//! ```
//!
//! A service that keeps one API key per customer subaccount looks keys up
//! with [`Verifier::with_lookup`]; the signature is checked in constant time
//! either way, and [`Claims::issued_at`] is the issue time the 24-hour limit
//! was measured from.
//!
//! # Capability tokens
//!
//! The older Twilio JWTs for Twilio Client JS 1.x and TaskRouter.js v1,
//! signed with the account's Auth Token, are in [`capability`]: the same
//! typestate (`.sign()` needs the account SID and the Auth Token), byte for
//! byte the tokens twilio-python mints, and a verifier with the same codes.
//!
//! ```
//! use twilio_token::capability::TaskRouterCapability;
//!
//! let jwt = TaskRouterCapability::worker("WS55555555555555555555555555555555", "WK66666666666666666666666666666666")
//!     .account_sid("AC0123456789abcdef0123456789abcdef")
//!     .auth_token("0123456789abcdef0123456789abcdef") // the Auth Token, not an API key
//!     .allow_update_activities(true)
//!     .sign()?;
//! # drop(jwt);
//! # Ok::<(), twilio_token::Error>(())
//! ```
//!
//! # Client Validation JWTs
//!
//! Twilio's Public Key Client Validation signs each REST API request with
//! the account's RSA private key: [`validation`] mints the
//! `Twilio-Client-Validation` header byte for byte as twilio-python does
//! (RS256, or PS256), and verifies one with the public key and the request.
//!
//! # Showing a token to a person
//!
//! A token's text is whatever its sender wrote, terminal controls
//! included: print a claim through [`Escaped`] and a time as [`UtcTime`],
//! as the library's own messages do.
//!
//! ```
//! use twilio_token::{Escaped, UtcTime};
//!
//! let identity = "mallory\u{1b}]0;pwned\u{7}"; // would set a terminal's title
//! assert_eq!(Escaped(identity).to_string(), r"mallory\u{1b}]0;pwned\u{7}");
//! assert_eq!(UtcTime::from_unix(1_796_546_159).to_string(), "2026-12-06T08:35:59Z");
//! ```
//!
//! # Setting a part conditionally
//!
//! Each required setter changes the builder's type (that is how `.sign()`
//! knows what is set), so the two arms of an `if` that call it or not have
//! different types (error E0308, then E0277 at `.sign()`, although the
//! setter was called). Choose the value instead of the call, such as
//! `.identity(user.as_deref().unwrap_or("guest"))` for an `Option`; the
//! optional parts (grants, ttl, region, times) keep the type and can be set
//! in an `if`. The same holds for the capability builders' account SID and
//! Auth Token.
//!
//! ```
//! use twilio_token::{AccessToken, grants::VideoGrant};
//!
//! let guest = true;
//! let mut builder = AccessToken::builder()
//!     .account_sid("AC0123456789abcdef0123456789abcdef")
//!     .api_key("SKfedcba9876543210fedcba9876543210", "your-api-key-secret")
//!     .identity(if guest { "guest" } else { "alice" });
//! if !guest {
//!     builder = builder.grant(VideoGrant::room("standup"));
//! }
//! let jwt = builder.sign()?;
//! # drop(jwt);
//! # Ok::<(), twilio_token::Error>(())
//! ```
//!
//! # Feature flags
//!
//! - `cli`: builds the `twilio-token` command-line tool (mint, decode and
//!   verify tokens: `cargo install twilio-token --features cli`). Off by
//!   default, so the library compiles none of its dependencies.
//! - `http`: signs an `http::Request` (reqwest, hyper, …) for Client
//!   Validation (`validation::ClientValidation::add_header`).
//!
//! # Command line
//!
//! The `twilio-token` tool mints tokens with the Twilio CLI token plugin's
//! subcommands and flags (`voice`, `video`, `chat`, `sync`, `flex`, and
//! `capability client|worker|task-queue|workspace`), and decodes and
//! verifies them; `twilio-token --help` explains each.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The derive's generated code names `::twilio_token`, also inside this crate.
extern crate self as twilio_token;

mod b64;
pub mod builder;
pub mod capability;
mod claims;
mod credentials;
mod error;
mod escape;
mod finite;
mod grant;
pub mod grants;
mod json;
mod jwt;
mod key;
mod number;
mod python;
mod reader;
mod sid;
mod swar;
mod time;
pub mod unverified;
mod utc;
pub mod validation;
mod value;
mod verify;

pub use builder::{AccessToken, AccessTokenBuilder};
pub use claims::Claims;
pub use credentials::Credentials;
pub use error::{Error, HeaderProblem, Malformed, Segment, SidKind, VerifyError};
pub use escape::Escaped;
pub use grant::{DecodeGrant, Grant, GrantSlot, IntoGrant};
pub use json::PayloadWriter;
pub use number::{Number, ParseJsonError};
/// Derives [`Grant`](trait@Grant), [`DecodeGrant`] and [`IntoGrant`] for a
/// struct with named fields; [`Grant`](trait@Grant) lists the attributes.
///
/// ```
/// use twilio_token::{DecodeGrant, Grant};
///
/// #[derive(Grant, Debug, PartialEq)]
/// #[grant(key = "chat")]
/// struct Chat {
///     #[grant(sid = "IS")]
///     service_sid: String,
/// }
///
/// let chat = Chat { service_sid: "IS0123456789abcdef0123456789abcdef".into() };
/// assert_eq!(chat.key(), "chat");
/// let json = chat.to_payload()?.to_string();
/// assert_eq!(Chat::from_json(&json)?, chat);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use twilio_token_derive::Grant;
pub use utc::UtcTime;
pub use value::{Json, JsonObject};
pub use verify::{MAX_TOKEN_LEN, Verifier};

/// The serde this crate is built with: a derived grant's field types
/// implement its `Serialize` (and `Deserialize`, to be read back).
///
/// ```
/// #[derive(twilio_token::serde::Serialize)]
/// #[serde(crate = "twilio_token::serde")]
/// struct Limits {
///     participants: u32,
/// }
/// # let _ = Limits { participants: 4 }.participants;
/// ```
pub use serde;
pub use time::{DEFAULT_TTL, MAX_TTL};

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// The repository's README, whose examples run as doctests too (only then:
/// the README is not part of the package).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

/// For the fuzz targets only (`cargo fuzz` sets `--cfg fuzzing`): the
/// built-in grants' keys, from the list the verifier uses.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn __built_in_grant_keys() -> &'static [&'static str] {
    grants::GRANTS_KEYS
}

/// For the fuzz targets only (`cargo fuzz` sets `--cfg fuzzing`): how the
/// JSON reader and serde_json disagree on `text`.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn __read_disagreement(text: &str) -> Option<String> {
    reader::disagreement(text)
}
