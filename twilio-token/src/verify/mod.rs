//! Verifying tokens the way Twilio does, with the error code a client sees:
//! the verifier here, the token's segments in `token`, its claims in
//! `payload`, the errors in `error`.

mod payload;
mod token;

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use ring::hmac;

pub use crate::error::VerifyError;
pub use token::MAX_TOKEN_LEN;

use crate::claims::Text;
use crate::key::SigningKey;
use crate::time::{MAX_TTL, unix_seconds};
use crate::{Claims, Credentials, Error};
use payload::{Payload, Validity};
use token::Token;
pub(crate) use token::header_and_payload;

/// Checks tokens as Twilio does: structure, header, issuer and account,
/// signature (in constant time), expiry, Twilio's 24-hour lifetime,
/// not-before, grants, in that order.
///
/// A verifier always has a key: it is made from [`Credentials`] (more can
/// be added, each with its own account) or from a function that looks
/// them up.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::{AccessToken, Credentials, Verifier, grants::VideoGrant};
///
/// let credentials = Credentials::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "secret",
/// )?;
/// let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let jwt = AccessToken::builder()
///     .credentials(&credentials)
///     .identity("alice")
///     .grant(VideoGrant::room("standup"))
///     .issued_at(issued)
///     .sign()?;
///
/// let verifier = Verifier::new(&credentials);
/// let claims = verifier.verify_at(&jwt, issued + Duration::from_secs(60))?;
/// assert_eq!(claims.identity(), "alice");
/// assert_eq!(claims.grant::<VideoGrant>()?, Some(VideoGrant::room("standup")));
///
/// let err = verifier.verify_at(&jwt, issued + Duration::from_secs(3600)).unwrap_err();
/// assert_eq!(err.twilio_code(), 20104); // expired
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
#[must_use = "a verifier does nothing until `.verify(jwt)` is called"]
pub struct Verifier {
    /// Each API key with the account it belongs to.
    keys: Vec<(SigningKey, String)>,
    lookup: Option<Arc<Lookup>>,
    leeway: Duration,
}

/// A function from a token's issuer (the API key SID) and account to the
/// credentials that signed it.
type Lookup = dyn Fn(&str, &str) -> Option<Credentials> + Send + Sync;

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<(&str, &str)> = self
            .keys
            .iter()
            .map(|(key, account)| (key.sid.as_str(), account.as_str()))
            .collect();
        f.debug_struct("Verifier")
            .field("keys", &keys)
            .field("lookup", &self.lookup.as_ref().map(|_| "<fn>"))
            .field("leeway", &self.leeway)
            .finish()
    }
}

impl Verifier {
    /// Accepts tokens signed with these credentials' API key, for their
    /// account.
    ///
    /// ```
    /// let credentials = twilio_token::Credentials::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "SKfedcba9876543210fedcba9876543210",
    ///     "secret",
    /// )?;
    /// let verifier = twilio_token::Verifier::new(&credentials);
    /// assert_eq!(verifier.verify("not a token").unwrap_err().twilio_code(), 20101);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn new(credentials: &Credentials) -> Self {
        Verifier {
            keys: vec![key_of(credentials)],
            lookup: None,
            leeway: Duration::ZERO,
        }
    }

    /// Looks up the key of each token by its issuer (the API key SID, `iss`)
    /// and account (`sub`): for a service that keeps API keys in a
    /// database, one per customer subaccount. The credentials returned
    /// must be that key's and that account's; `None` refuses the token
    /// (20103). Keys added with [`credentials`](Verifier::credentials) are
    /// tried first.
    ///
    /// ```
    /// use twilio_token::{AccessToken, Credentials, Verifier};
    ///
    /// let alice = Credentials::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "SKfedcba9876543210fedcba9876543210",
    ///     "secret-of-alices-key",
    /// )?;
    /// let store = vec![alice.clone()]; // a database, say
    /// let verifier = Verifier::with_lookup(move |key_sid, account_sid| {
    ///     store
    ///         .iter()
    ///         .find(|c| c.api_key_sid() == key_sid && c.account_sid() == account_sid)
    ///         .cloned()
    /// });
    /// let jwt = AccessToken::builder().credentials(&alice).identity("alice").sign()?;
    /// assert_eq!(verifier.verify(&jwt)?.identity(), "alice");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_lookup(
        lookup: impl Fn(&str, &str) -> Option<Credentials> + Send + Sync + 'static,
    ) -> Self {
        Verifier {
            keys: Vec::new(),
            lookup: Some(Arc::new(lookup)),
            leeway: Duration::ZERO,
        }
    }

    /// Also accepts tokens signed with these credentials' API key, for
    /// their account: during a key rotation, or for subaccounts. The
    /// token's `iss` picks the key, and the key's account must be the
    /// token's `sub`.
    ///
    /// # Errors
    ///
    /// [`Error::ConflictingApiKey`] when the verifier has this API key
    /// already, with another secret or for another account. The same
    /// credentials twice are fine.
    ///
    /// ```
    /// use twilio_token::{Credentials, Error, Verifier};
    /// let old = Credentials::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210", "old-secret")?;
    /// let new = Credentials::new("AC0123456789abcdef0123456789abcdef", "SK0123456789abcdef0123456789abcdef", "new-secret")?;
    /// let verifier = Verifier::new(&old).credentials(&new)?;
    ///
    /// let changed = Credentials::new("AC0123456789abcdef0123456789abcdef", "SK0123456789abcdef0123456789abcdef", "other-secret")?;
    /// let err = verifier.credentials(&changed).unwrap_err();
    /// assert!(matches!(err, Error::ConflictingApiKey { differs: "secret", .. }));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn credentials(mut self, credentials: &Credentials) -> Result<Self, Error> {
        let (key, account) = key_of(credentials);
        if let Some((known, known_account)) = self.keys.iter().find(|(k, _)| k.sid == key.sid) {
            let differs = if !same_secret(known, &key) {
                "secret"
            } else if *known_account != account {
                "account"
            } else {
                return Ok(self);
            };
            return Err(Error::ConflictingApiKey {
                key_sid: key.sid,
                differs,
            });
        }
        self.keys.push((key, account));
        Ok(self)
    }

    /// Tolerates clocks that differ by up to `leeway` for `exp`, `nbf` and
    /// the issue time. Default: zero.
    ///
    /// ```
    /// # let credentials = twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?;
    /// let verifier = twilio_token::Verifier::new(&credentials).leeway(std::time::Duration::from_secs(30));
    /// # drop(verifier);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Verifies `jwt` now.
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`VerifyError`] with its Twilio code.
    ///
    /// ```
    /// # let credentials = twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?;
    /// let verifier = twilio_token::Verifier::new(&credentials);
    /// assert_eq!(verifier.verify("not a token").unwrap_err().twilio_code(), 20101);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn verify(&self, jwt: &str) -> Result<Claims, VerifyError> {
        self.verify_at(jwt, SystemTime::now())
    }

    /// Verifies `jwt` as of `now`.
    ///
    /// A token is valid while `nbf - leeway <= now < exp + leeway`, it was
    /// issued (`iat`, else the time in its `jti`) no later than
    /// `now + leeway`, and it lives at most 24 hours from its issue time
    /// (without one, from `now`).
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`VerifyError`] with its Twilio code.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// # let credentials = twilio_token::Credentials::new(
    /// #     "AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210",
    /// #     "secret",
    /// # )?;
    /// let verifier = twilio_token::Verifier::new(&credentials);
    /// let err = verifier.verify_at("e30.e30.e30", UNIX_EPOCH + Duration::from_secs(1)).unwrap_err();
    /// assert_eq!(err.twilio_code(), 20102); // `{}` is no Twilio header
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn verify_at(&self, jwt: &str, now: SystemTime) -> Result<Claims, VerifyError> {
        access_token(jwt, Some((self, now)))
    }

    /// Step 3, issuer and account (20103), and step 4, the signature in
    /// constant time (20107).
    fn check_key(&self, token: &Token<'_>, issuer: &str, subject: &str) -> Result<(), VerifyError> {
        let looked_up;
        let (key, account) = match self.keys.iter().find(|(key, _)| key.sid == issuer) {
            Some((key, account)) => (key, account.as_str()),
            None => {
                looked_up = self
                    .lookup
                    .as_ref()
                    .and_then(|lookup| lookup(issuer, subject))
                    .filter(|found| found.api_key_sid() == issuer)
                    .ok_or_else(|| VerifyError::UnknownIssuer {
                        issuer: issuer.to_owned(),
                    })?;
                (looked_up.api_key(), looked_up.account_sid())
            }
        };
        check_signature(token, &key.hmac, account, subject)
    }
}

/// Both kinds' step 3 once the key is known: the token is for the key's
/// `account` (20103); and step 4, the signature in constant time (20107).
fn check_signature(
    token: &Token<'_>,
    key: &hmac::Key,
    account: &str,
    found: &str,
) -> Result<(), VerifyError> {
    if account != found {
        return Err(VerifyError::WrongAccount {
            expected: account.to_owned(),
            found: found.to_owned(),
        });
    }
    hmac::verify(key, token.signing_input.as_bytes(), token.tag())
        .map_err(|_| VerifyError::InvalidSignature)
}

/// An Access Token's claims, checked in Twilio's order by `verifier` as
/// of its time; without one, only read: nothing is verified.
pub(crate) fn access_token(
    jwt: &str,
    verifier: Option<(&Verifier, SystemTime)>,
) -> Result<Claims, VerifyError> {
    // 1. Structure (20101) and 2. header (20102).
    let mut token = Token::split(jwt, verifier.is_some())?;
    let text = token.take_payload()?;
    let payload = Payload::read(&text)?;
    let region = token.header(false)?;
    // 3. Issuer and account (20103), 4. signature (20107).
    let issuer = payload.issuer()?;
    let subject = payload.subject()?;
    if let Some((verifier, _)) = verifier {
        verifier.check_key(&token, &issuer, &subject)?;
    }
    // 5.-7. Expiry (20104), lifetime (20157), not-before (20105).
    let times = payload.times(&issuer)?;
    if let Some((verifier, now)) = verifier {
        check_times(&times, now, verifier.leeway)?;
    }
    // 8. Grants (20106), and what the claims keep: positions in the text.
    // One call each, not an array's `map`, which the compiler does not
    // unroll on this path: every verify would pay for the loop.
    let identity = Text::new(&text, payload.identity()?);
    let jti = Text::new(&text, payload.jti()?);
    let grants = Text::new(&text, Cow::Borrowed(payload.grants_text()));
    let (issuer, subject) = (Text::new(&text, issuer), Text::new(&text, subject));
    drop(payload);
    Ok(Claims {
        payload: text,
        region,
        jti,
        issuer,
        subject,
        identity,
        grants,
        iat: times.iat,
        issued_at: times.issued_at,
        not_before: times.not_before,
        expires: times.expires,
        grants_map: OnceLock::new(),
    })
}

/// An API key and its account, from credentials.
fn key_of(credentials: &Credentials) -> (SigningKey, String) {
    // `Credentials` checked their account SID when they were made.
    (
        credentials.api_key().clone(),
        credentials.account_sid().to_owned(),
    )
}

/// Whether two keys have the same secret: one's tag of a fixed message
/// checked with the other, in constant time; no secret is kept to compare.
fn same_secret(a: &SigningKey, b: &SigningKey) -> bool {
    const MESSAGE: &[u8] = b"twilio-token: are these keys the same?";
    hmac::verify(&a.hmac, MESSAGE, hmac::sign(&b.hmac, MESSAGE).as_ref()).is_ok()
}

/// Steps 5 to 7 of both kinds of token: expiry (20104), Twilio's 24-hour
/// lifetime (20157), not-before (20105). A token is valid while
/// `nbf - leeway <= now < exp + leeway` and `issued_at <= now + leeway`;
/// it lives `exp - issued_at`, or `exp - now` without an issue time.
fn check_times(times: &Validity, now: SystemTime, leeway: Duration) -> Result<(), VerifyError> {
    let now = unix_seconds(now);
    let leeway = i128::from(leeway.as_secs());
    if now >= i128::from(times.expires) + leeway {
        return Err(VerifyError::Expired {
            expired_at: times.expires,
        });
    }
    let issued_at = times.issued_at.map_or(now, i128::from);
    let lifetime = i128::from(times.expires) - issued_at;
    if lifetime > i128::from(MAX_TTL.as_secs()) {
        return Err(VerifyError::LifetimeTooLong {
            seconds: u64::try_from(lifetime).unwrap_or(u64::MAX),
        });
    }
    if let Some(not_before) = times.not_before
        && now < i128::from(not_before) - leeway
    {
        return Err(VerifyError::NotYetValid { not_before });
    }
    if let Some(issued_at) = times.issued_at
        && i128::from(issued_at) > now + leeway
    {
        return Err(VerifyError::IssuedInFuture { issued_at });
    }
    Ok(())
}

/// What a capability token's checks found before its grants.
pub(crate) struct CapabilityParts {
    /// The decoded payload, for the kind's own claims.
    pub(crate) payload: String,
    pub(crate) account_sid: String,
    pub(crate) expires: u64,
    pub(crate) not_before: Option<u64>,
}

/// The key a capability token is checked with: the Auth Token's HMAC key
/// and its account.
pub(crate) struct CapabilityKey<'a> {
    pub(crate) hmac: &'a hmac::Key,
    pub(crate) account_sid: &'a str,
    pub(crate) now: SystemTime,
    pub(crate) leeway: Duration,
}

/// A capability token's checks up to its grants, in the order and with the
/// codes of [`Verifier::verify_at`]: structure (20101), header without
/// `cty` (20102), `iss` the account SID (20103), signature (20107), times.
/// Without a key, only the reading: nothing is verified.
pub(crate) fn check_capability(
    jwt: &str,
    key: Option<&CapabilityKey<'_>>,
) -> Result<CapabilityParts, VerifyError> {
    let mut token = Token::split(jwt, key.is_some())?;
    let text = token.take_payload()?;
    let payload = Payload::read(&text)?;
    token.header(true)?;
    let issuer = payload.account_issuer()?;
    if let Some(key) = key {
        check_signature(&token, key.hmac, key.account_sid, &issuer)?;
    }
    let times = payload.times(&issuer)?;
    if let Some(key) = key {
        check_times(&times, key.now, key.leeway)?;
    }
    let account_sid = issuer.into_owned();
    drop(payload);
    Ok(CapabilityParts {
        payload: text,
        account_sid,
        expires: times.expires,
        not_before: times.not_before,
    })
}
