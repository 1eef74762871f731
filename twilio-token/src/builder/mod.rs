//! The typestate builder: `.sign()` compiles only once the account SID, the
//! API key and the identity are set. The state types are here, where
//! generic code can name them; they serve both builders, this one and the
//! [capability](crate::capability) builders (account SID and
//! [`AuthToken`]).
//!
//! ```
//! use twilio_token::builder::{AccessTokenBuilder, HasAccountSid, HasApiKey, Identity};
//!
//! /// Adds the grants every token of this app carries, whatever else is set.
//! fn with_app_grants<'a, A, K, I>(builder: AccessTokenBuilder<'a, A, K, I>) -> AccessTokenBuilder<'a, A, K, I> {
//!     builder.ttl(std::time::Duration::from_secs(600))
//! }
//!
//! /// Signs any builder whose account and key are set, for this identity.
//! fn sign_for<'a, A: HasAccountSid<'a>, K: HasApiKey<'a>>(
//!     builder: AccessTokenBuilder<'a, A, K>,
//!     identity: &'a str,
//! ) -> Result<String, twilio_token::Error> {
//!     let builder: AccessTokenBuilder<'a, A, K, Identity<'a>> = builder.identity(identity);
//!     builder.sign()
//! }
//!
//! let builder = twilio_token::AccessToken::builder()
//!     .account_sid("AC0123456789abcdef0123456789abcdef")
//!     .api_key("SKfedcba9876543210fedcba9876543210", "your-api-key-secret");
//! let jwt = sign_for(with_app_grants(builder), "alice")?;
//! # drop(jwt);
//! # Ok::<(), twilio_token::Error>(())
//! ```

mod state;

pub use state::{
    AccountSid, ApiKeyInput, AuthToken, FromCredentials, HasAccountSid, HasApiKey, HasAuthToken,
    HasIdentity, Identity, Missing, NoAccountSid, NoApiKey, NoAuthToken, NoIdentity,
};
use state::{KeyParts, KeySource};

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use crate::grant::{GrantSlot, IntoGrant};
use crate::jwt::ClaimsToSign;
use crate::key::SigningKey;
use crate::time::{NotBefore, TimeSettings, from_unix};
use crate::{Credentials, Error};

/// A Twilio Access Token; [`AccessToken::builder`] mints one.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::{AccessToken, grants::VideoGrant};
///
/// let jwt = AccessToken::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .api_key("SKfedcba9876543210fedcba9876543210", "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E")
///     .identity("alice")
///     .grant(VideoGrant::room("DailyStandup"))
///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
///     .sign()?;
/// // twilio-python 9.13 mints the very same token (conformance case `video_room`).
/// assert!(jwt.ends_with(".TuQCVTE4HhzLszHI8l5wKyn9e4ef7lnupQPrcVAgXXY"));
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Debug)]
pub struct AccessToken {
    _private: (),
}

impl AccessToken {
    /// Starts a token. Set the account SID, the API key and the
    /// identity (in any order), optionally grants and times, then
    /// [`sign`](AccessTokenBuilder::sign).
    ///
    /// ```
    /// let jwt = twilio_token::AccessToken::builder()
    ///     .identity("alice")
    ///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .sign()?;
    /// assert!(jwt.starts_with("eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0."));
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn builder<'a>() -> AccessTokenBuilder<'a> {
        AccessTokenBuilder {
            account_sid: Missing,
            api_key: Missing,
            identity: Missing,
            options: Options {
                grants: Vec::new(),
                region: None,
                times: TimeSettings::default(),
            },
        }
    }
}

/// Builds and signs an [`AccessToken`].
///
/// The type parameters record which required inputs are set: each is
/// [`Missing`] until its setter is called. You never name them; the
/// compiler uses them to refuse `.sign()` while an input is missing (saying
/// which) and to refuse setting one twice.
///
/// ```compile_fail
/// // error: `.sign()` needs an identity: call `.identity("alice")` first
/// let jwt = twilio_token::AccessToken::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
///     .sign();
/// ```
#[must_use = "a builder does nothing until `.sign()` is called"]
pub struct AccessTokenBuilder<'a, A = Missing, K = Missing, I = Missing> {
    account_sid: A,
    api_key: K,
    identity: I,
    options: Options<'a>,
}

/// The inputs set so far: SIDs only when they have a SID's shape, the
/// secret redacted, grants by their keys.
impl<A: std::fmt::Debug, K: std::fmt::Debug, I: std::fmt::Debug> std::fmt::Debug
    for AccessTokenBuilder<'_, A, K, I>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessTokenBuilder")
            .field("account_sid", &self.account_sid)
            .field("api_key", &self.api_key)
            .field("identity", &self.identity)
            .field("grants", &self.options.grants)
            .field("region", &self.options.region)
            .field("ttl", &self.options.times.ttl)
            .finish_non_exhaustive()
    }
}

/// What may be set in any state.
struct Options<'a> {
    grants: Vec<GrantSlot<'a>>,
    /// Boxed, as the key parts are: rare, and the builder is moved by
    /// every call, so a small builder is cheap to move.
    region: Option<Box<Cow<'a, str>>>,
    times: TimeSettings,
}

impl<'a, A, K, I> AccessTokenBuilder<'a, A, K, I> {
    /// Sets the account SID (`AC…`), the token's `sub`. Required, once.
    ///
    /// ```
    /// let builder = twilio_token::AccessToken::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef");
    /// # drop(builder);
    /// ```
    pub fn account_sid(
        self,
        account_sid: impl Into<Cow<'a, str>>,
    ) -> AccessTokenBuilder<'a, AccountSid<'a>, K, I>
    where
        A: NoAccountSid,
    {
        AccessTokenBuilder {
            account_sid: AccountSid(account_sid.into()),
            api_key: self.api_key,
            identity: self.identity,
            options: self.options,
        }
    }

    /// Sets the API key that signs the token: its SID (`SK…`, the token's
    /// `iss`) and secret. Required, once. The secret is wiped from memory
    /// when the builder is dropped.
    ///
    /// The key is checked and prepared for HMAC by each `.sign()`, a few
    /// SHA-256 blocks more than signing itself: a server that mints many
    /// tokens makes [`Credentials`] once, at start-up, and passes them with
    /// [`credentials`](AccessTokenBuilder::credentials), which prepares the
    /// key once for every token.
    ///
    /// ```
    /// let builder = twilio_token::AccessToken::builder()
    ///     .api_key("SKfedcba9876543210fedcba9876543210", "api-key-secret");
    /// # drop(builder);
    /// ```
    pub fn api_key(
        self,
        key_sid: impl Into<Cow<'a, str>>,
        secret: impl Into<String>,
    ) -> AccessTokenBuilder<'a, A, ApiKeyInput<'a>, I>
    where
        K: NoApiKey,
    {
        AccessTokenBuilder {
            account_sid: self.account_sid,
            api_key: ApiKeyInput(KeySource::Parts(Box::new(KeyParts {
                sid: key_sid.into(),
                secret: Zeroizing::new(secret.into()),
            }))),
            identity: self.identity,
            options: self.options,
        }
    }

    /// Sets the account SID and the API key from validated
    /// [`Credentials`]: the fast path for a token server.
    ///
    /// ```
    /// let credentials = twilio_token::Credentials::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "SKfedcba9876543210fedcba9876543210",
    ///     "api-key-secret",
    /// )?;
    /// let jwt = twilio_token::AccessToken::builder()
    ///     .credentials(&credentials)
    ///     .identity("alice")
    ///     .sign()?;
    /// # drop(jwt);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn credentials(
        self,
        credentials: &'a Credentials,
    ) -> AccessTokenBuilder<'a, FromCredentials<'a>, ApiKeyInput<'a>, I>
    where
        A: NoAccountSid,
        K: NoApiKey,
    {
        AccessTokenBuilder {
            account_sid: FromCredentials(credentials),
            api_key: ApiKeyInput(KeySource::Credentials(credentials)),
            identity: self.identity,
            options: self.options,
        }
    }

    /// Sets the identity: the user the token is for. Required, once; any
    /// Unicode text but empty, which is all the token format asks.
    ///
    /// Twilio's products ask more, each its own: Voice accepts only ASCII
    /// letters, digits and underscores, and a client connection refuses an
    /// identity that is too long (Twilio error 51003). Check identities
    /// against the products your app uses before minting; the token server
    /// example takes the library's rule as it is.
    ///
    /// ```
    /// let builder = twilio_token::AccessToken::builder().identity("alice");
    /// # drop(builder);
    /// ```
    pub fn identity(
        self,
        identity: impl Into<Cow<'a, str>>,
    ) -> AccessTokenBuilder<'a, A, K, Identity<'a>>
    where
        I: NoIdentity,
    {
        AccessTokenBuilder {
            account_sid: self.account_sid,
            api_key: self.api_key,
            identity: Identity(identity.into()),
            options: self.options,
        }
    }

    /// Adds a grant. Grants are written in the order added; two grants with
    /// the same key are refused at signing.
    ///
    /// A grant given by value is moved into a box; a reference (`&grant`,
    /// or `&*boxed` for a `Box<dyn Grant>`) and a `Box<dyn Grant>` are kept
    /// as they are. A token server that mints the same grants for every
    /// identity can build them once and lend them: signing then allocates
    /// only the list of grants and the token.
    ///
    /// ```
    /// use twilio_token::Grant;
    /// use twilio_token::grants::{ChatGrant, SyncGrant, VideoGrant};
    /// let chat = ChatGrant::service("IS0123456789abcdef0123456789abcdef");
    /// let boxed: Box<dyn Grant> = Box::new(VideoGrant::room("standup"));
    /// let builder = twilio_token::AccessToken::builder()
    ///     .grant(&chat)
    ///     .grant(&*boxed)
    ///     .grant(SyncGrant::default());
    /// # drop(builder);
    /// ```
    pub fn grant(mut self, grant: impl IntoGrant<'a>) -> Self {
        self.options.grants.push(grant.into_slot());
        self
    }

    /// Sets the time to live: whole seconds, from one second to 24 hours;
    /// default one hour. `exp` is the issue time plus it.
    ///
    /// ```
    /// let builder = twilio_token::AccessToken::builder().ttl(std::time::Duration::from_secs(600));
    /// # drop(builder);
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.options.times.ttl = ttl;
        self
    }

    /// Sets the region (the `twr` header), such as `ie1` or `au1`, for
    /// accounts outside the US.
    ///
    /// ```
    /// let builder = twilio_token::AccessToken::builder().region("ie1");
    /// # drop(builder);
    /// ```
    pub fn region(mut self, region: impl Into<Cow<'a, str>>) -> Self {
        self.options.region = Some(Box::new(region.into()));
        self
    }

    /// Sets `nbf`, the time before which the token is not valid. Default:
    /// the issue time, as twilio-python does. An earlier time allows for a
    /// client whose clock runs behind; a time at or after the expiry (the
    /// issue time plus the ttl) is refused at signing.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// let builder = twilio_token::AccessToken::builder()
    ///     .not_before(SystemTime::now() - Duration::from_secs(60));
    /// # drop(builder);
    /// ```
    pub fn not_before(mut self, not_before: SystemTime) -> Self {
        self.options.times.not_before = NotBefore::At(not_before);
        self
    }

    /// Leaves out the `nbf` claim, which helps clients whose clock runs
    /// behind.
    ///
    /// ```
    /// let builder = twilio_token::AccessToken::builder().omit_not_before();
    /// # drop(builder);
    /// ```
    pub fn omit_not_before(mut self) -> Self {
        self.options.times.not_before = NotBefore::Omitted;
        self
    }

    /// Sets the issue time, from which `jti`, `exp` and the default `nbf`
    /// are computed. Default: `SystemTime::now()`.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let builder = twilio_token::AccessToken::builder()
    ///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    /// # drop(builder);
    /// ```
    pub fn issued_at(mut self, issued_at: SystemTime) -> Self {
        self.options.times.issued_at = Some(issued_at);
        self
    }

    /// Validates every input and returns the signed token.
    ///
    /// Compiles only once the account SID, the API key and the
    /// identity are set.
    ///
    /// # Errors
    ///
    /// An [`Error`] naming the first invalid input: a malformed SID, an
    /// empty secret or identity, a time to live of zero or over 24 hours,
    /// `nbf` not before `exp`, a time out of range, a malformed region, a
    /// grant that fails its checks or cannot be serialized, or two grants
    /// with the same key.
    ///
    /// ```
    /// use twilio_token::{AccessToken, Error};
    /// let err = AccessToken::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .identity("")
    ///     .sign()
    ///     .unwrap_err();
    /// assert_eq!(err, Error::EmptyIdentity);
    /// ```
    pub fn sign(self) -> Result<String, Error>
    where
        A: HasAccountSid<'a>,
        K: HasApiKey<'a>,
        I: HasIdentity<'a>,
    {
        self.sign_with_expiry().map(|(jwt, _)| jwt)
    }

    /// [`sign`](AccessTokenBuilder::sign), and the token's expiry (`exp`):
    /// what a token server tells its client, without decoding the token.
    ///
    /// # Errors
    ///
    /// As [`sign`](AccessTokenBuilder::sign).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let (jwt, expires_at) = twilio_token::AccessToken::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .identity("alice")
    ///     .ttl(Duration::from_secs(600))
    ///     .issued_at(issued)
    ///     .sign_with_expiry()?;
    /// assert_eq!(expires_at, issued + Duration::from_secs(600));
    /// # drop(jwt);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn sign_with_expiry(self) -> Result<(String, SystemTime), Error>
    where
        A: HasAccountSid<'a>,
        K: HasApiKey<'a>,
        I: HasIdentity<'a>,
    {
        let owned_key;
        let key = match &self.api_key.source().0 {
            KeySource::Credentials(credentials) => credentials.api_key(),
            KeySource::Parts(parts) => {
                owned_key = SigningKey::new(parts.sid.clone().into_owned(), &parts.secret)?;
                &owned_key
            }
        };
        let account_sid = self.account_sid.get()?;
        let identity = self.identity.get();
        if identity.is_empty() {
            return Err(Error::EmptyIdentity);
        }
        let options = &self.options;
        let times = options.times.claims()?;
        let region = options.region.as_deref().map(|region| &**region);
        if let Some(region) = region {
            check_region(region)?;
        }
        // Each grant's key is checked, then the grant, then it is written.
        let jwt = ClaimsToSign {
            key_sid: &key.sid,
            account_sid,
            identity,
            grants: &options.grants,
            times: &times,
            region,
        }
        .sign(key)?;
        Ok((jwt, from_unix(times.expires)))
    }
}

/// Twilio's regions are two letters and a number: `us1`, `ie1`, `au1`.
pub(crate) fn check_region(region: &str) -> Result<(), Error> {
    // Two letters and a number: `us1`, `ie1`, `au1`.
    let valid = region.split_at_checked(2).is_some_and(|(letters, digits)| {
        letters.bytes().all(|b| b.is_ascii_lowercase())
            && (1..=2).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidRegion {
            len: region.chars().count(),
        })
    }
}
