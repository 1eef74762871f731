//! Verifying capability tokens: the checks and codes of Access Tokens
//! (`crate::verify`), then the kind's own claims read into typed values.

use std::fmt;
use std::time::{Duration, SystemTime};

use ring::hmac;
use serde::Deserialize;

use super::{Policy, Scope};
use crate::key::auth_token_key;
use crate::time::from_unix;
use crate::verify::{CapabilityKey, CapabilityParts, check_capability};
use crate::{Error, Json, JsonObject, SidKind, VerifyError, reader, sid};

/// Checks capability tokens as Twilio does, with the Auth Token: structure,
/// header (no `cty`), `iss` (the account SID), signature in constant time,
/// expiry, Twilio's 24-hour lifetime, not-before, then the scopes or
/// policies, with the codes of [`VerifyError`].
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::capability::{Capabilities, CapabilityVerifier, TaskRouterCapability};
///
/// let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let jwt = TaskRouterCapability::workspace("WS55555555555555555555555555555555")
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .issued_at(issued)
///     .sign()?;
///
/// let verifier = CapabilityVerifier::new("AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef")?;
/// let claims = verifier.verify_at(&jwt, issued)?;
/// let Capabilities::TaskRouter { channel, policies, .. } = claims.capabilities() else { unreachable!() };
/// assert_eq!(channel, "WS55555555555555555555555555555555");
/// assert_eq!(policies.len(), 3); // web socket GET and POST, fetch self
///
/// let err = verifier.verify_at(&jwt, issued + Duration::from_secs(3600)).unwrap_err();
/// assert_eq!(err.twilio_code(), 20104);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
#[must_use = "a verifier does nothing until `.verify(jwt)` is called"]
pub struct CapabilityVerifier {
    account_sid: String,
    key: hmac::Key,
    leeway: Duration,
}

impl fmt::Debug for CapabilityVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapabilityVerifier")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"<redacted>")
            .field("leeway", &self.leeway)
            .finish()
    }
}

impl CapabilityVerifier {
    /// A verifier for this account's capability tokens.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSid`] or [`Error::InvalidAuthToken`] (an API
    /// key secret among them).
    ///
    /// ```
    /// use twilio_token::{Error, capability::CapabilityVerifier};
    /// let err = CapabilityVerifier::new("AC0123456789abcdef0123456789abcdef", "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E").unwrap_err();
    /// assert_eq!(err, Error::InvalidAuthToken { len: 32 });
    /// ```
    pub fn new(
        account_sid: impl Into<String>,
        auth_token: impl Into<String>,
    ) -> Result<Self, Error> {
        let account_sid = account_sid.into();
        SidKind::Account.check(&account_sid)?;
        let auth_token = zeroize::Zeroizing::new(auth_token.into());
        Ok(CapabilityVerifier {
            account_sid,
            key: auth_token_key(&auth_token)?,
            leeway: Duration::ZERO,
        })
    }

    /// Tolerates clocks that differ by up to `leeway` for `exp` and `nbf`.
    /// Default: zero.
    ///
    /// ```
    /// let verifier = twilio_token::capability::CapabilityVerifier::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "0123456789abcdef0123456789abcdef",
    /// )?
    /// .leeway(std::time::Duration::from_secs(30));
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
    /// let verifier = twilio_token::capability::CapabilityVerifier::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "0123456789abcdef0123456789abcdef",
    /// )?;
    /// assert_eq!(verifier.verify("not a token").unwrap_err().twilio_code(), 20101);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn verify(&self, jwt: &str) -> Result<CapabilityClaims, VerifyError> {
        self.verify_at(jwt, SystemTime::now())
    }

    /// Verifies `jwt` as of `now`: valid while
    /// `nbf - leeway <= now < exp + leeway`.
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`VerifyError`] with its Twilio code.
    /// An Access Token is refused with 20102 (its header has `cty`).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let verifier = twilio_token::capability::CapabilityVerifier::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "0123456789abcdef0123456789abcdef",
    /// )?;
    /// let access_token = twilio_token::AccessToken::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
    ///     .identity("alice")
    ///     .sign()?;
    /// assert_eq!(verifier.verify(&access_token).unwrap_err().twilio_code(), 20102);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn verify_at(&self, jwt: &str, now: SystemTime) -> Result<CapabilityClaims, VerifyError> {
        let key = CapabilityKey {
            hmac: &self.key,
            account_sid: &self.account_sid,
            now,
            leeway: self.leeway,
        };
        CapabilityClaims::read(check_capability(jwt, Some(&key))?)
    }
}

/// The claims of a verified capability token.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::{capability::ClientCapability, unverified};
/// let jwt = ClientCapability::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .allow_incoming("alice")
///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
///     .sign()?;
/// let claims = unverified::capability(&jwt)?;
/// assert_eq!(claims.expires_at(), UNIX_EPOCH + Duration::from_secs(1_700_003_600));
/// assert_eq!(claims.not_before(), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityClaims {
    account_sid: String,
    expires: u64,
    not_before: Option<u64>,
    capabilities: Capabilities,
}

/// What a capability token allows.
///
/// ```
/// use twilio_token::{capability::{Capabilities, TaskRouterCapability}, unverified};
/// let jwt = TaskRouterCapability::workspace("WS55555555555555555555555555555555")
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .sign()?;
/// match unverified::capability(&jwt)?.capabilities() {
///     Capabilities::Client { scopes } => println!("{} scopes", scopes.len()),
///     Capabilities::TaskRouter { channel, .. } => assert!(channel.starts_with("WS")),
///     _ => {}
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Capabilities {
    /// A Twilio Client token: its scope URIs, in order.
    Client {
        /// The scopes.
        scopes: Vec<Scope>,
    },
    /// A TaskRouter token.
    TaskRouter {
        /// The workspace SID (`WS…`).
        workspace_sid: String,
        /// The channel: a worker (`WK…`), task queue (`WQ…`) or the
        /// workspace itself (`WS…`).
        channel: String,
        /// The policies, in order.
        policies: Vec<Policy>,
    },
}

/// The claims of either kind, as a token holds them.
#[derive(Deserialize)]
struct Raw {
    scope: Option<String>,
    account_sid: Option<String>,
    workspace_sid: Option<String>,
    channel: Option<String>,
    version: Option<String>,
    policies: Option<Vec<RawPolicy>>,
}

#[derive(Deserialize)]
struct RawPolicy {
    url: String,
    method: String,
    allow: bool,
    query_filter: JsonObject,
    post_filter: JsonObject,
}

impl CapabilityClaims {
    /// The kind's claims (20106 when they are not those of either kind).
    pub(crate) fn read(parts: CapabilityParts) -> Result<CapabilityClaims, VerifyError> {
        let invalid = |reason: String| VerifyError::InvalidGrants { reason };
        let raw: Raw =
            reader::from_str(&parts.payload).map_err(|error| invalid(error.to_string()))?;
        let capabilities = match (raw.scope, raw.policies) {
            (Some(scope), None) => Capabilities::Client {
                scopes: scope
                    .split(' ')
                    .filter(|uri| !uri.is_empty())
                    .map(|uri| {
                        Scope::parse(uri)
                            .ok_or_else(|| invalid(format!("{uri:?} is not a scope URI")))
                    })
                    .collect::<Result<_, _>>()?,
            },
            (None, Some(policies)) => {
                if raw.account_sid.as_deref() != Some(&parts.account_sid) {
                    return Err(invalid("`account_sid` is not the issuer's".into()));
                }
                if raw.version.as_deref() != Some("v1") {
                    return Err(invalid("`version` is not \"v1\"".into()));
                }
                let workspace_sid = raw.workspace_sid.unwrap_or_default();
                if !sid::is_sid(&workspace_sid, "WS") {
                    return Err(invalid("`workspace_sid` is not a workspace SID".into()));
                }
                let channel = raw.channel.unwrap_or_default();
                let known = sid::is_sid(&channel, "WK")
                    || sid::is_sid(&channel, "WQ")
                    || channel == workspace_sid;
                if !known {
                    return Err(invalid(
                        "`channel` is not a worker, a task queue or the workspace".into(),
                    ));
                }
                Capabilities::TaskRouter {
                    workspace_sid,
                    channel,
                    policies: policies
                        .into_iter()
                        .map(RawPolicy::into_policy)
                        .collect::<Result<_, _>>()
                        .map_err(invalid)?,
                }
            }
            _ => {
                return Err(invalid(
                    "a capability token has either `scope` (Twilio Client) or `policies` (TaskRouter)"
                        .into(),
                ));
            }
        };
        Ok(CapabilityClaims {
            account_sid: parts.account_sid,
            expires: parts.expires,
            not_before: parts.not_before,
            capabilities,
        })
    }

    /// The account SID (`iss`).
    ///
    /// ```
    /// # let jwt = twilio_token::capability::ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").sign()?;
    /// let claims = twilio_token::unverified::capability(&jwt)?;
    /// assert_eq!(claims.account_sid(), "AC0123456789abcdef0123456789abcdef");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    /// When the token expires (`exp`).
    ///
    /// ```
    /// # let jwt = twilio_token::capability::ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").sign()?;
    /// let claims = twilio_token::unverified::capability(&jwt)?;
    /// assert!(claims.expires_at() > std::time::SystemTime::now());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expires_at(&self) -> SystemTime {
        from_unix(self.expires)
    }

    /// When the token becomes valid (`nbf`), if it says.
    ///
    /// ```
    /// # let jwt = twilio_token::capability::ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").omit_not_before().sign()?;
    /// let claims = twilio_token::unverified::capability(&jwt)?;
    /// assert_eq!(claims.not_before(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn not_before(&self) -> Option<SystemTime> {
        self.not_before.map(from_unix)
    }

    /// What the token allows: scopes or a channel and its policies.
    ///
    /// ```
    /// # let jwt = twilio_token::capability::ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").sign()?;
    /// let claims = twilio_token::unverified::capability(&jwt)?;
    /// assert_eq!(claims.capabilities(), &twilio_token::capability::Capabilities::Client { scopes: vec![] });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }
}

impl RawPolicy {
    fn into_policy(self) -> Result<Policy, String> {
        let filter = |object: JsonObject, name: &str| {
            object
                .iter()
                .map(|(key, value)| {
                    let required = value.as_object().and_then(|entry| {
                        let mut keys = entry.keys();
                        let only = keys.next() == Some("required") && keys.next().is_none();
                        match entry.get("required") {
                            Some(Json::Bool(required)) if only => Some(*required),
                            _ => None,
                        }
                    });
                    required
                        .map(|required| (key.to_owned(), required))
                        .ok_or_else(|| {
                            format!("the {name} entry `{key}` is not {{\"required\": true|false}}")
                        })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        if self.method.is_empty() || self.url.is_empty() {
            return Err("a policy has an empty method or URL".into());
        }
        Ok(Policy::decoded(
            self.url,
            self.method,
            self.allow,
            filter(self.query_filter, "query_filter")?,
            filter(self.post_filter, "post_filter")?,
        ))
    }
}
