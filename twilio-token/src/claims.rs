//! What a verified token says.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::{DecodeGrant, VerifyError};

/// The claims of a verified (or, from
/// [`decode_unverified`](crate::decode_unverified), merely decoded) token.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::{AccessToken, Verifier, grants::VideoGrant};
///
/// let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let jwt = AccessToken::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .signing_key("SKfedcba9876543210fedcba9876543210", "secret")
///     .identity("alice")
///     .region("ie1")
///     .grant(VideoGrant::room("standup"))
///     .issued_at(issued)
///     .sign()?;
/// let claims = Verifier::new()
///     .key("SKfedcba9876543210fedcba9876543210", "secret")
///     .verify_at(&jwt, issued)?;
/// assert_eq!(claims.identity(), "alice");
/// assert_eq!(claims.region(), Some("ie1"));
/// assert_eq!(claims.jti(), "SKfedcba9876543210fedcba9876543210-1700000000");
/// assert_eq!(claims.issuer(), "SKfedcba9876543210fedcba9876543210");
/// assert_eq!(claims.account_sid(), "AC0123456789abcdef0123456789abcdef");
/// assert_eq!(claims.issued_at(), None); // twilio-python writes no `iat`
/// assert_eq!(claims.not_before(), Some(issued));
/// assert_eq!(claims.expires_at(), issued + Duration::from_secs(3600));
/// assert_eq!(claims.grants()["video"], serde_json::json!({"room": "standup"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    pub(crate) region: Option<String>,
    pub(crate) jti: String,
    pub(crate) issuer: String,
    pub(crate) subject: String,
    pub(crate) issued_at: Option<u64>,
    pub(crate) not_before: Option<u64>,
    pub(crate) expires: u64,
    pub(crate) identity: String,
    pub(crate) grants: Map<String, Value>,
}

fn time(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

impl Claims {
    /// The identity: the user the token is for.
    ///
    /// See [`Claims`] for an example.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The region (`twr` header), if any.
    ///
    /// See [`Claims`] for an example.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The token's id (`jti`), empty when absent.
    ///
    /// See [`Claims`] for an example.
    pub fn jti(&self) -> &str {
        &self.jti
    }

    /// The API key SID that signed the token (`iss`).
    ///
    /// See [`Claims`] for an example.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The account SID (`sub`).
    ///
    /// See [`Claims`] for an example.
    pub fn account_sid(&self) -> &str {
        &self.subject
    }

    /// The `iat` claim, which twilio-node writes and twilio-python does not.
    ///
    /// See [`Claims`] for an example.
    pub fn issued_at(&self) -> Option<SystemTime> {
        self.issued_at.map(time)
    }

    /// The `nbf` claim, if any.
    ///
    /// See [`Claims`] for an example.
    pub fn not_before(&self) -> Option<SystemTime> {
        self.not_before.map(time)
    }

    /// The expiry (`exp`).
    ///
    /// See [`Claims`] for an example.
    pub fn expires_at(&self) -> SystemTime {
        time(self.expires)
    }

    /// Every grant's raw JSON, known or not, by key, in token order
    /// (without `identity`).
    ///
    /// See [`Claims`] for an example.
    pub fn grants(&self) -> &Map<String, Value> {
        &self.grants
    }

    /// The grant of type `G`: `None` when the token has none, an error when
    /// it is malformed (Twilio code 20106).
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// use twilio_token::{AccessToken, grants::{ChatGrant, VoiceGrant}};
    /// let jwt = AccessToken::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .signing_key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .identity("alice")
    ///     .grant(VoiceGrant { incoming_allow: true, ..VoiceGrant::default() })
    ///     .sign()?;
    /// let claims = twilio_token::Verifier::new()
    ///     .key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .verify(&jwt)?;
    /// assert!(claims.grant::<VoiceGrant>().transpose()?.is_some_and(|voice| voice.incoming_allow));
    /// assert!(claims.grant::<ChatGrant>().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grant<'a, G: DecodeGrant<'a>>(&'a self) -> Option<Result<G, VerifyError>> {
        match self.grants.get(G::KEY)? {
            Value::Object(payload) => Some(G::from_payload(payload)),
            _ => Some(Err(VerifyError::InvalidGrant {
                grant: G::KEY.to_owned(),
                reason: "the grant is not an object".into(),
            })),
        }
    }
}
