//! What a verified token says.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;
use std::time::SystemTime;

use crate::reader::{self, Reader};
use crate::time::from_unix;
use crate::{DecodeGrant, JsonObject, VerifyError};

/// The claims of a verified (or, from
/// [`unverified::access_token`](crate::unverified::access_token), merely decoded) token.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::{AccessToken, Credentials, Verifier, grants::VideoGrant};
///
/// let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let jwt = AccessToken::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
///     .identity("alice")
///     .region("ie1")
///     .grant(VideoGrant::room("standup"))
///     .issued_at(issued)
///     .sign()?;
/// let credentials = Credentials::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "secret",
/// )?;
/// let claims = Verifier::new(&credentials).verify_at(&jwt, issued)?;
/// assert_eq!(claims.identity(), "alice");
/// assert_eq!(claims.region(), Some("ie1"));
/// assert_eq!(claims.jti(), "SKfedcba9876543210fedcba9876543210-1700000000");
/// assert_eq!(claims.api_key_sid(), "SKfedcba9876543210fedcba9876543210");
/// assert_eq!(claims.account_sid(), "AC0123456789abcdef0123456789abcdef");
/// assert_eq!(claims.iat(), None); // twilio-python writes no `iat`
/// assert_eq!(claims.issued_at(), Some(issued)); // read from the `jti`
/// assert_eq!(claims.not_before(), Some(issued));
/// assert_eq!(claims.expires_at(), issued + Duration::from_secs(3600));
/// assert_eq!(claims.grants()?["video"], serde_json::json!({"room": "standup"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Claims {
    /// The decoded payload JSON; the text fields point into it.
    pub(crate) payload: String,
    pub(crate) region: Option<String>,
    pub(crate) jti: Text,
    pub(crate) issuer: Text,
    pub(crate) subject: Text,
    pub(crate) identity: Text,
    /// The `grants` object's text, `identity` included.
    pub(crate) grants: Text,
    pub(crate) iat: Option<u64>,
    pub(crate) issued_at: Option<u64>,
    pub(crate) not_before: Option<u64>,
    pub(crate) expires: u64,
    /// `grants` parsed, on first use.
    pub(crate) grants_map: OnceLock<Result<JsonObject, VerifyError>>,
}

/// A byte range of the payload text.
pub(crate) type Span = (usize, usize);

/// A string claim: a range of the payload text when written without
/// escapes (almost always), else unescaped.
#[derive(Clone, Debug)]
pub(crate) enum Text {
    Span(Span),
    Owned(String),
}

impl Text {
    /// `value`, which either borrows from `payload` or is owned.
    pub(crate) fn new(payload: &str, value: Cow<'_, str>) -> Text {
        match value {
            Cow::Borrowed(text) => match span_in(payload, text) {
                Some(span) => Text::Span(span),
                None => Text::Owned(text.to_owned()),
            },
            Cow::Owned(text) => Text::Owned(text),
        }
    }
}

/// Where `part`, a slice of `payload`, is in it; `None` when it is not a
/// slice of `payload`.
pub(crate) fn span_in(payload: &str, part: &str) -> Option<Span> {
    let start = (part.as_ptr() as usize).checked_sub(payload.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    let found = payload.get(start..end)?;
    (found.as_ptr() == part.as_ptr()).then_some((start, end))
}

impl PartialEq for Claims {
    fn eq(&self, other: &Self) -> bool {
        // Everything else is read from these two.
        self.payload == other.payload && self.region == other.region
    }
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims")
            .field("identity", &self.identity())
            .field("region", &self.region)
            .field("jti", &self.jti())
            .field("api_key_sid", &self.api_key_sid())
            .field("account_sid", &self.account_sid())
            .field("iat", &self.iat)
            .field("issued_at", &self.issued_at)
            .field("not_before", &self.not_before)
            .field("expires", &self.expires)
            .field("grants", &self.grants_text())
            .finish()
    }
}

impl Claims {
    /// The `grants` object's text (checked when the token was read).
    fn grants_text(&self) -> &str {
        self.text(&self.grants)
    }

    fn text<'a>(&'a self, text: &'a Text) -> &'a str {
        match text {
            Text::Span((start, end)) => self.payload.get(*start..*end).unwrap_or_default(),
            Text::Owned(text) => text,
        }
    }

    /// The identity: the user the token is for.
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.identity(), "alice");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn identity(&self) -> &str {
        self.text(&self.identity)
    }

    /// The region (`twr` header), if any.
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.region(), Some("ie1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The token's id (`jti`), empty when absent.
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.jti(), "SKfedcba9876543210fedcba9876543210-1700000000");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn jti(&self) -> &str {
        self.text(&self.jti)
    }

    /// The API key SID that signed the token (`iss`).
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.api_key_sid(), "SKfedcba9876543210fedcba9876543210");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn api_key_sid(&self) -> &str {
        self.text(&self.issuer)
    }

    /// The account SID (`sub`).
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.account_sid(), "AC0123456789abcdef0123456789abcdef");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn account_sid(&self) -> &str {
        self.text(&self.subject)
    }

    /// The `iat` claim, which twilio-node writes and twilio-python does not.
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.iat(), None); // twilio-python writes no `iat`
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iat(&self) -> Option<SystemTime> {
        self.iat.map(from_unix)
    }

    /// The issue time the verifier measured Twilio's 24-hour limit from:
    /// `iat`, else the time in the `jti` (`SK…-1700000000`, as every
    /// official library writes it); `None` without either (the limit is
    /// then measured from the time of verifying).
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.issued_at(), Some(issued)); // from the `jti`
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issued_at(&self) -> Option<SystemTime> {
        self.issued_at.map(from_unix)
    }

    /// The `nbf` claim, if any.
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.not_before(), Some(issued));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn not_before(&self) -> Option<SystemTime> {
        self.not_before.map(from_unix)
    }

    /// The expiry (`exp`).
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.expires_at(), issued + Duration::from_secs(3600));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expires_at(&self) -> SystemTime {
        from_unix(self.expires)
    }

    /// Every grant's raw JSON, known or not, by key, in token order
    /// (without `identity`).
    ///
    /// # Errors
    ///
    /// [`VerifyError::InvalidGrants`] (20106) if `grants` does not read as
    /// JSON objects: never for a token that the verifier accepted or that
    /// [`unverified::access_token`](crate::unverified::access_token) decoded, which read it
    /// with the same rules.
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// # let jwt = twilio_token::AccessToken::builder()
    /// #     .account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    /// #     .identity("alice")
    /// #     .region("ie1")
    /// #     .grant(twilio_token::grants::VideoGrant::room("standup"))
    /// #     .issued_at(issued)
    /// #     .sign()?;
    /// # let claims = twilio_token::Verifier::new(&twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?)
    /// # .verify_at(&jwt, issued)?;
    /// assert_eq!(claims.grants()?["video"], serde_json::json!({"room": "standup"}));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grants(&self) -> Result<&JsonObject, VerifyError> {
        self.grants_map
            .get_or_init(|| {
                let mut grants: JsonObject =
                    reader::from_str(self.grants_text()).map_err(|error| {
                        VerifyError::InvalidGrants {
                            reason: error.to_string(),
                        }
                    })?;
                grants.remove("identity");
                Ok(grants)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The grant of type `G`: `None` when the token has none, an error when
    /// it is malformed (Twilio code 20106).
    ///
    /// ```
    /// use twilio_token::{AccessToken, grants::{ChatGrant, VoiceGrant}};
    /// let jwt = AccessToken::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .identity("alice")
    ///     .grant(VoiceGrant { incoming_allow: true, ..VoiceGrant::default() })
    ///     .sign()?;
    /// let credentials = twilio_token::Credentials::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "SKfedcba9876543210fedcba9876543210",
    ///     "secret",
    /// )?;
    /// let claims = twilio_token::Verifier::new(&credentials).verify(&jwt)?;
    /// assert!(claims.grant::<VoiceGrant>()?.is_some_and(|voice| voice.incoming_allow));
    /// assert!(claims.grant::<ChatGrant>()?.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grant<'a, G: DecodeGrant<'a>>(&'a self) -> Result<Option<G>, VerifyError> {
        let mut found = None;
        let mut reader = Reader::new(self.grants_text());
        reader
            .object(&[], |key, reader| {
                if key != G::KEY {
                    return Ok(false);
                }
                found = Some(crate::grant::build::<G>(reader)?);
                Ok(true)
            })
            .map_err(|error| VerifyError::InvalidGrant {
                grant: G::KEY.to_owned(),
                reason: error.to_string(),
            })?;
        Ok(found)
    }
}
