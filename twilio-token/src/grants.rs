//! The grants Twilio defines, each written with `#[derive(Grant)]`.
//!
//! Field names are twilio-python's keyword arguments; the JSON they produce
//! is byte-identical to twilio-python's. Empty strings are refused at
//! signing (twilio-python silently drops them, which for
//! [`VideoGrant::room`] widens access to every room): use `None` to leave
//! a field out.
//!
//! ```
//! use twilio_token::grants::{ChatGrant, VideoGrant};
//! use twilio_token::{AccessToken, Error, SidKind};
//!
//! let jwt = AccessToken::builder()
//!     .account_sid("AC0123456789abcdef0123456789abcdef")
//!     .api_key("SKfedcba9876543210fedcba9876543210", "your-api-key-secret")
//!     .identity("alice")
//!     .grant(VideoGrant::room("standup"))
//!     .grant(ChatGrant::service("IS0123456789abcdef0123456789abcdef"))
//!     .sign()?;
//! # drop(jwt);
//! let err = AccessToken::builder()
//!     .account_sid("AC0123456789abcdef0123456789abcdef")
//!     .api_key("SKfedcba9876543210fedcba9876543210", "your-api-key-secret")
//!     .identity("alice")
//!     .grant(ChatGrant::service("IS123"))
//!     .sign()
//!     .unwrap_err();
//! assert!(matches!(err, Error::InvalidSid { kind: SidKind::GrantField { .. }, .. }));
//! # Ok::<(), Error>(())
//! ```
#![allow(deprecated)] // the legacy grants are defined here

use crate::reader::{ReadError, Reader};
use crate::{Claims, DecodeGrant, Error, Grant, JsonObject, VerifyError};

/// Access to Twilio Video: one room, or any room when `room` is `None`.
///
/// ```
/// use twilio_token::{Grant, grants::VideoGrant};
/// assert_eq!(VideoGrant::room("standup").to_payload()?.to_string(), r#"{"room":"standup"}"#);
/// assert_eq!(VideoGrant::default().to_payload()?.to_string(), "{}");
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Grant, Debug, Clone, Default, PartialEq, Eq)]
#[grant(key = "video")]
pub struct VideoGrant {
    /// A room name or `RM…` SID; `None` allows every room.
    #[grant(non_empty)]
    pub room: Option<String>,
}

impl VideoGrant {
    /// Access to one room, by name or `RM…` SID.
    ///
    /// ```
    /// let grant = twilio_token::grants::VideoGrant::room("standup");
    /// assert_eq!(grant.room.as_deref(), Some("standup"));
    /// ```
    pub fn room(room: impl Into<String>) -> Self {
        VideoGrant {
            room: Some(room.into()),
        }
    }
}

/// Twilio Programmable Voice: incoming calls, outgoing calls through a TwiML
/// app, push notifications.
///
/// Voice takes only ASCII letters, digits and `_` in the token's identity
/// (Twilio's Voice SDK documentation): a token with another identity
/// (`zoë`, `alice smith`, a trailing newline) signs and verifies, but the
/// call fails later. The library lets any identity through, since other
/// products take any text; check it with
/// [`VoiceGrant::accepts_identity`] where Voice is used.
///
/// ```
/// use twilio_token::{Grant, grants::VoiceGrant};
/// let grant = VoiceGrant {
///     incoming_allow: true,
///     ..VoiceGrant::outgoing("AP0123456789abcdef0123456789abcdef")
/// };
/// assert_eq!(
///     grant.to_payload()?.to_string(),
///     r#"{"incoming":{"allow":true},"outgoing":{"application_sid":"AP0123456789abcdef0123456789abcdef"}}"#
/// );
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Grant, Debug, Clone, Default, PartialEq)]
#[grant(key = "voice", validate = "VoiceGrant::check")]
pub struct VoiceGrant {
    /// Allow incoming calls to this identity (sent as `incoming.allow`, only
    /// when true).
    #[grant(rename = "incoming.allow", skip_if = "is_false")]
    pub incoming_allow: bool,
    /// The TwiML app (`AP…`) that handles outgoing calls.
    #[grant(rename = "outgoing.application_sid", sid = "AP")]
    pub outgoing_application_sid: Option<String>,
    /// Parameters passed to the TwiML app, in insertion order; needs
    /// `outgoing_application_sid`. An empty object is left out.
    #[grant(rename = "outgoing.params", skip_if = "is_empty_map")]
    pub outgoing_application_params: Option<JsonObject>,
    /// The push credential (`CR…`) for incoming-call notifications.
    #[grant(sid = "CR")]
    pub push_credential_sid: Option<String>,
    /// An endpoint identifier for the device.
    #[grant(non_empty)]
    pub endpoint_id: Option<String>,
}

impl VoiceGrant {
    /// Outgoing calls through the TwiML app `application_sid` (`AP…`).
    ///
    /// ```
    /// let grant = twilio_token::grants::VoiceGrant::outgoing("AP0123456789abcdef0123456789abcdef");
    /// assert!(!grant.incoming_allow);
    /// ```
    pub fn outgoing(application_sid: impl Into<String>) -> Self {
        VoiceGrant {
            outgoing_application_sid: Some(application_sid.into()),
            ..VoiceGrant::default()
        }
    }

    /// Whether Voice takes `identity`: one or more ASCII letters, digits
    /// and `_`. The token is signed either way; this says whether calls to
    /// and from it will work.
    ///
    /// ```
    /// use twilio_token::grants::VoiceGrant;
    ///
    /// assert!(VoiceGrant::accepts_identity("alice_42"));
    /// assert!(!VoiceGrant::accepts_identity("zoë"));
    /// assert!(!VoiceGrant::accepts_identity("alice\n"));
    /// assert!(!VoiceGrant::accepts_identity(""));
    /// ```
    pub fn accepts_identity(identity: &str) -> bool {
        !identity.is_empty()
            && identity
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
    }

    fn check(&self) -> Result<(), &'static str> {
        let has_params = !is_empty_map(&self.outgoing_application_params);
        if has_params && self.outgoing_application_sid.is_none() {
            return Err(
                "`outgoing_application_params` needs `outgoing_application_sid`: the parameters are passed to that TwiML app; set it, or remove the parameters",
            );
        }
        Ok(())
    }
}

/// Twilio Conversations and Programmable Chat.
///
/// ```
/// use twilio_token::{Grant, grants::ChatGrant};
/// let grant = ChatGrant::service("IS0123456789abcdef0123456789abcdef");
/// assert_eq!(grant.to_payload()?.to_string(), r#"{"service_sid":"IS0123456789abcdef0123456789abcdef"}"#);
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Grant, Debug, Clone, Default, PartialEq, Eq)]
#[grant(key = "chat")]
pub struct ChatGrant {
    /// The Conversations or Chat service (`IS…`).
    #[grant(sid = "IS")]
    pub service_sid: Option<String>,
    /// An endpoint identifier for the device.
    #[grant(non_empty)]
    pub endpoint_id: Option<String>,
    /// The role (`RL…`) given to the user.
    #[grant(sid = "RL")]
    pub deployment_role_sid: Option<String>,
    /// The push credential (`CR…`).
    #[grant(sid = "CR")]
    pub push_credential_sid: Option<String>,
}

impl ChatGrant {
    /// Access to the service `service_sid` (`IS…`).
    ///
    /// ```
    /// let grant = twilio_token::grants::ChatGrant::service("IS0123456789abcdef0123456789abcdef");
    /// assert!(grant.endpoint_id.is_none());
    /// ```
    pub fn service(service_sid: impl Into<String>) -> Self {
        ChatGrant {
            service_sid: Some(service_sid.into()),
            ..ChatGrant::default()
        }
    }
}

/// Twilio Sync.
///
/// ```
/// use twilio_token::{Grant, grants::SyncGrant};
/// assert_eq!(SyncGrant::default().key(), "data_sync");
/// ```
#[derive(Grant, Debug, Clone, Default, PartialEq, Eq)]
#[grant(key = "data_sync")]
pub struct SyncGrant {
    /// The Sync service (`IS…`).
    #[grant(sid = "IS")]
    pub service_sid: Option<String>,
    /// An endpoint identifier for the device.
    #[grant(non_empty)]
    pub endpoint_id: Option<String>,
}

impl SyncGrant {
    /// Access to the service `service_sid` (`IS…`).
    ///
    /// ```
    /// let grant = twilio_token::grants::SyncGrant::service("IS0123456789abcdef0123456789abcdef");
    /// assert!(grant.endpoint_id.is_none());
    /// ```
    pub fn service(service_sid: impl Into<String>) -> Self {
        SyncGrant {
            service_sid: Some(service_sid.into()),
            ..SyncGrant::default()
        }
    }
}

/// TaskRouter (Flex): a worker in a workspace.
///
/// ```
/// use twilio_token::{Grant, grants::TaskRouterGrant};
/// let grant = TaskRouterGrant {
///     workspace_sid: Some("WS0123456789abcdef0123456789abcdef".into()),
///     worker_sid: Some("WK0123456789abcdef0123456789abcdef".into()),
///     role: Some("worker".into()),
/// };
/// assert_eq!(grant.key(), "task_router");
/// grant.validate()?;
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Grant, Debug, Clone, Default, PartialEq, Eq)]
#[grant(key = "task_router")]
pub struct TaskRouterGrant {
    /// The workspace (`WS…`).
    #[grant(sid = "WS")]
    pub workspace_sid: Option<String>,
    /// The worker (`WK…`).
    #[grant(sid = "WK")]
    pub worker_sid: Option<String>,
    /// The role, such as `worker` or `supervisor`.
    #[grant(non_empty)]
    pub role: Option<String>,
}

/// Twilio Live: the object Twilio's PlaybackGrant API returns, embedded as
/// is with its key order kept.
///
/// ```
/// use twilio_token::{Grant, JsonObject, grants::PlaybackGrant};
/// // As the API returned it, keys in its order: `JsonObject` keeps them
/// // (a `serde_json::Map` may sort them), and its `parse` reads the text
/// // as the verifier will (a key twice or a number out of range refused),
/// // whatever features of serde_json the program has on.
/// let object: JsonObject =
///     r#"{"playbackUrl": "https://example.com/p", "requestCredentials": null}"#.parse()?;
/// let grant = PlaybackGrant::new(object);
/// assert_eq!(
///     grant.to_payload()?.to_string(),
///     r#"{"playbackUrl":"https://example.com/p","requestCredentials":null}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Grant, Debug, Clone, Default, PartialEq)]
#[grant(key = "player")]
pub struct PlaybackGrant {
    /// The grant object from Twilio's PlaybackGrant API.
    #[grant(flatten)]
    pub grant: JsonObject,
}

impl PlaybackGrant {
    /// Wraps the object returned by Twilio's PlaybackGrant API.
    ///
    /// ```
    /// let grant = twilio_token::grants::PlaybackGrant::new(twilio_token::JsonObject::new());
    /// assert!(grant.grant.is_empty());
    /// ```
    pub fn new(grant: JsonObject) -> Self {
        PlaybackGrant { grant }
    }
}

/// Legacy Programmable Chat grant (key `ip_messaging`), for older client
/// SDKs.
///
/// ```
/// # #![allow(deprecated)]
/// use twilio_token::{Grant, grants::IpMessagingGrant};
/// assert_eq!(IpMessagingGrant::default().key(), "ip_messaging");
/// ```
#[deprecated(note = "use ChatGrant: current Conversations and Chat SDKs read the `chat` grant")]
#[derive(Grant, Debug, Clone, Default, PartialEq, Eq)]
#[grant(key = "ip_messaging")]
pub struct IpMessagingGrant {
    /// The Chat service (`IS…`).
    #[grant(sid = "IS")]
    pub service_sid: Option<String>,
    /// An endpoint identifier for the device.
    #[grant(non_empty)]
    pub endpoint_id: Option<String>,
    /// The role (`RL…`) given to the user.
    #[grant(sid = "RL")]
    pub deployment_role_sid: Option<String>,
    /// The push credential (`CR…`).
    #[grant(sid = "CR")]
    pub push_credential_sid: Option<String>,
}

/// Legacy Conversations (`rtc`) grant, for older client SDKs.
///
/// ```
/// # #![allow(deprecated)]
/// use twilio_token::{Grant, grants::ConversationsGrant};
/// assert_eq!(ConversationsGrant::default().key(), "rtc");
/// ```
#[deprecated(note = "use VideoGrant: the `rtc` grant served the retired Conversations video SDK")]
#[derive(Grant, Debug, Clone, Default, PartialEq, Eq)]
#[grant(key = "rtc")]
pub struct ConversationsGrant {
    /// The configuration profile.
    #[grant(non_empty)]
    pub configuration_profile_sid: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_empty_map(value: &Option<JsonObject>) -> bool {
    value.as_ref().is_none_or(JsonObject::is_empty)
}

/// The built-in grants, once: their keys and the verifier's check of each.
macro_rules! built_in {
    ($($grant:ident),*) => {
        /// Every built-in grant's key in the order declared here (the
        /// README's video, voice, chat first), then `identity`, which every
        /// writer puts last: the keys a `grants` object usually has, for
        /// [`Reader::object`]. Read this way, no built-in key goes through
        /// the reader's key table.
        pub(crate) const GRANTS_KEYS: &[&str] = &[$($grant::KEY,)* "identity"];

        /// Decodes the built-in grant stored under `key` (the reader at its
        /// object) and drops it: the verifier's check of a grant it knows.
        /// `None` for a key that is no built-in grant's.
        pub(crate) fn check_built_in<'de>(
            key: &str,
            reader: &mut Reader<'de>,
        ) -> Option<Result<(), ReadError>> {
            fn check<'de, G: DecodeGrant<'de>>(reader: &mut Reader<'de>) -> Result<(), ReadError> {
                reader.checking(|reader| G::decode(reader, false).map(drop))
            }
            Some(match key {
                $($grant::KEY => check::<$grant>(reader),)*
                _ => return None,
            })
        }

        /// What minting would refuse in `claims`' built-in grants (a
        /// malformed SID, an empty field), each grant decoded and
        /// [validated](Grant::validate). Twilio checks a grant's shape, not
        /// its SIDs, when it reads a token: a token it accepts may still
        /// hold a grant that fails later.
        ///
        /// # Errors
        ///
        /// [`VerifyError::InvalidGrant`] for a built-in grant that does not
        /// decode: never for a token the verifier accepted or
        /// [`unverified::access_token`](crate::unverified::access_token)
        /// read, which checked each one as it decodes.
        ///
        /// ```
        /// // Its `chat` grant: {"service_sid":"IS123"}; the signature is forged.
        /// let jwt = "eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0.eyJqdGkiOiJTS2ZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwLTE3MDAwMDAwMDAiLCJncmFudHMiOnsiaWRlbnRpdHkiOiJhbGljZSIsImNoYXQiOnsic2VydmljZV9zaWQiOiJJUzEyMyJ9fSwiaXNzIjoiU0tmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMCIsImV4cCI6MTcwMDAwMzYwMCwic3ViIjoiQUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiJ9.forged";
        /// let claims = twilio_token::unverified::access_token(jwt)?;
        /// let refused = twilio_token::grants::validate_built_in(&claims)?;
        /// assert_eq!(refused.len(), 1); // the service SID
        /// # Ok::<(), twilio_token::VerifyError>(())
        /// ```
        pub fn validate_built_in(claims: &Claims) -> Result<Vec<Error>, VerifyError> {
            let mut refused = Vec::new();
            $(refused.extend(claims.grant::<$grant>()?.and_then(|grant| grant.validate().err()));)*
            Ok(refused)
        }
    };
}

built_in!(
    VideoGrant,
    VoiceGrant,
    ChatGrant,
    SyncGrant,
    TaskRouterGrant,
    PlaybackGrant,
    IpMessagingGrant,
    ConversationsGrant
);

#[cfg(test)]
mod tests {
    use super::check_built_in;
    use crate::reader::Reader;

    /// Every grant this module defines is checked by its key, and nothing
    /// else is: a grant added above and left out of `check_built_in` fails.
    #[test]
    fn the_verifier_checks_every_built_in_grant() {
        let source = include_str!("grants.rs");
        let keys: Vec<&str> = source
            .split("#[grant(key = \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(
            keys,
            [
                "video",
                "voice",
                "chat",
                "data_sync",
                "task_router",
                "player",
                "ip_messaging",
                "rtc"
            ]
        );
        for key in keys {
            let mut reader = Reader::new("{}");
            assert!(check_built_in(key, &mut reader).is_some(), "{key}");
        }
        assert!(check_built_in("custom", &mut Reader::new("{}")).is_none());
    }
}
