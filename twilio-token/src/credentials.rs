//! The account and API key a token server signs with.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::key::SigningKey;
use crate::{Error, SidKind};

/// An account SID and an API key (its SID and secret), validated once.
///
/// Build one at start-up and mint per request: it is cheap to clone (one
/// reference count) and `Send + Sync`. `Debug` shows the SIDs and redacts the
/// secret.
///
/// The secret itself is not kept: it is turned into ring's HMAC key (the
/// precomputed inner and outer SHA-256 states), which ring does not wipe on
/// drop; the bytes handed in are zeroized. A secret passed as a `String`
/// is wiped before `new` returns.
///
/// ```
/// use twilio_token::{AccessToken, Credentials};
///
/// let credentials = Credentials::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "your-api-key-secret",
/// )?;
/// assert!(!format!("{credentials:?}").contains("your-api-key-secret"));
///
/// let jwt = AccessToken::builder().credentials(&credentials).identity("alice").sign()?;
/// assert_eq!(jwt.split('.').count(), 3);
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

struct Inner {
    account_sid: String,
    key: SigningKey,
}

impl Credentials {
    /// Validates and stores the account SID (`AC…`), API key SID (`SK…`)
    /// and the API key's secret.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSid`] (of [`SidKind::Account`] or
    /// [`SidKind::ApiKey`]), [`Error::AccountSidAsApiKey`] or [`Error::AuthTokenAsSecret`]
    /// (an Auth Token pair was given), [`Error::EmptySecret`] or
    /// [`Error::SecretWhitespace`].
    ///
    /// ```
    /// use twilio_token::{Credentials, Error};
    /// let account = "AC0123456789abcdef0123456789abcdef";
    /// assert_eq!(Credentials::new(account, account, "auth-token").unwrap_err(), Error::AccountSidAsApiKey);
    /// let key = "SKfedcba9876543210fedcba9876543210";
    /// let auth_token = "0123456789abcdef0123456789abcdef";
    /// assert_eq!(Credentials::new(account, key, auth_token).unwrap_err(), Error::AuthTokenAsSecret);
    /// assert_eq!(Credentials::new(account, key, "pasted-secret\n").unwrap_err(), Error::SecretWhitespace);
    /// ```
    pub fn new(
        account_sid: impl Into<String>,
        key_sid: impl Into<String>,
        secret: impl Into<String>,
    ) -> Result<Self, Error> {
        let secret = Zeroizing::new(secret.into());
        let account_sid = account_sid.into();
        SidKind::Account.check(&account_sid)?;
        let key = SigningKey::new(key_sid.into(), &secret)?;
        Ok(Credentials(Arc::new(Inner { account_sid, key })))
    }

    /// Reads the credentials from `TWILIO_ACCOUNT_SID`, `TWILIO_API_KEY`
    /// and `TWILIO_API_SECRET`, the names Twilio's CLI uses, and validates
    /// them as [`new`](Credentials::new) does.
    ///
    /// # Errors
    ///
    /// [`Error::MissingVariable`] naming the first variable that is not
    /// set, or what [`new`](Credentials::new) returns.
    ///
    /// ```
    /// use twilio_token::{Credentials, Error};
    ///
    /// match Credentials::from_env() {
    ///     Ok(credentials) => println!("signing with {}", credentials.api_key_sid()),
    ///     Err(Error::MissingVariable { name }) => eprintln!("set {name} first"),
    ///     Err(other) => eprintln!("{other}"),
    /// }
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        let var =
            |name: &'static str| std::env::var(name).map_err(|_| Error::MissingVariable { name });
        let account_sid = var("TWILIO_ACCOUNT_SID")?;
        let key_sid = var("TWILIO_API_KEY")?;
        let secret = Zeroizing::new(var("TWILIO_API_SECRET")?);
        Credentials::new(account_sid, key_sid, secret.as_str())
    }

    /// The account SID (`AC…`).
    ///
    /// ```
    /// # let credentials = twilio_token::Credentials::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210", "s")?;
    /// assert_eq!(credentials.account_sid(), "AC0123456789abcdef0123456789abcdef");
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn account_sid(&self) -> &str {
        &self.0.account_sid
    }

    /// The API key SID (`SK…`), the token's issuer.
    ///
    /// ```
    /// # let credentials = twilio_token::Credentials::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210", "s")?;
    /// assert_eq!(credentials.api_key_sid(), "SKfedcba9876543210fedcba9876543210");
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn api_key_sid(&self) -> &str {
        &self.0.key.sid
    }

    pub(crate) fn api_key(&self) -> &SigningKey {
        &self.0.key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account_sid", &self.0.account_sid)
            .field("key_sid", &self.0.key.sid)
            .field("secret", &"<redacted>")
            .finish()
    }
}
