//! The builders' states: which required inputs are set, for the Access
//! Token builder and the capability builders alike. You never name them to
//! mint a token; generic code that passes a builder along can.

use std::borrow::Cow;

use zeroize::Zeroizing;

use crate::sid::SidDebug;
use crate::{Credentials, Error, SidKind};

/// A required input not set yet.
///
/// ```
/// let builder: twilio_token::AccessTokenBuilder<'_, twilio_token::builder::Missing> =
///     twilio_token::AccessToken::builder();
/// # drop(builder);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Missing;

/// Builder state: the account SID is set (a capability builder's is
/// `AccountSid<'static>`).
///
/// ```
/// use twilio_token::AccessTokenBuilder;
/// use twilio_token::builder::{AccountSid, Missing};
/// use twilio_token::capability::{CapabilityBuilder, ClientCapability, ClientScopes};
/// let builder: AccessTokenBuilder<'_, AccountSid<'_>, Missing, Missing> =
///     twilio_token::AccessToken::builder().account_sid("AC0123456789abcdef0123456789abcdef");
/// let capability: CapabilityBuilder<ClientScopes, AccountSid<'static>, Missing> =
///     ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef");
/// # drop((builder, capability));
/// ```
pub struct AccountSid<'a>(pub(crate) Cow<'a, str>);

/// The account SID when it has an account SID's shape; else its length
/// only, since a secret given in its place is a secret.
impl std::fmt::Debug for AccountSid<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AccountSid")
            .field(&SidDebug(&self.0, "AC"))
            .finish()
    }
}

/// Builder state: the account SID and the API key come from
/// [`Credentials`] (the API key's state is [`ApiKeyInput`]).
///
/// A state of its own so that the builder, which is moved by every call,
/// stays small on a token server's path.
///
/// ```
/// use twilio_token::AccessTokenBuilder;
/// use twilio_token::builder::{FromCredentials, Missing, ApiKeyInput};
/// let credentials = twilio_token::Credentials::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "api-key-secret",
/// )?;
/// let builder: AccessTokenBuilder<'_, FromCredentials<'_>, ApiKeyInput<'_>, Missing> =
///     twilio_token::AccessToken::builder().credentials(&credentials);
/// # drop(builder);
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Debug)]
pub struct FromCredentials<'a>(pub(super) &'a Credentials);

/// Builder state: the API key (API key SID and secret, or
/// [`Credentials`]) is set. The secret is wiped when it is dropped.
///
/// ```
/// use twilio_token::AccessTokenBuilder;
/// use twilio_token::builder::{Missing, ApiKeyInput};
/// let builder: AccessTokenBuilder<'_, Missing, ApiKeyInput<'_>, Missing> =
///     twilio_token::AccessToken::builder().api_key("SKfedcba9876543210fedcba9876543210", "secret");
/// # drop(builder);
/// ```
pub struct ApiKeyInput<'a>(pub(super) KeySource<'a>);

/// The API key's SID (when it has a SID's shape); the secret redacted.
impl std::fmt::Debug for ApiKeyInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sid = match &self.0 {
            KeySource::Credentials(credentials) => credentials.api_key_sid(),
            KeySource::Parts(parts) => &parts.sid,
        };
        f.debug_struct("ApiKeyInput")
            .field("sid", &SidDebug(sid, "SK"))
            .field("secret", &"<redacted>")
            .finish()
    }
}

pub(super) enum KeySource<'a> {
    Credentials(&'a Credentials),
    /// Boxed: the builder is moved on every call, and a token server uses
    /// `Credentials`.
    Parts(Box<KeyParts<'a>>),
}

pub(super) struct KeyParts<'a> {
    pub(super) sid: Cow<'a, str>,
    pub(super) secret: Zeroizing<String>,
}

/// Capability builder state: the account's Auth Token is set. It is wiped
/// from memory when the builder is dropped, and never printed.
///
/// ```
/// use twilio_token::builder::{AuthToken, Missing};
/// use twilio_token::capability::{CapabilityBuilder, ClientCapability, ClientScopes};
/// let builder: CapabilityBuilder<ClientScopes, Missing, AuthToken> =
///     ClientCapability::builder().auth_token("0123456789abcdef0123456789abcdef");
/// # drop(builder);
/// ```
pub struct AuthToken(pub(crate) Zeroizing<String>);

impl std::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthToken(<redacted>)")
    }
}

/// Builder state: the identity is set.
///
/// ```
/// use twilio_token::AccessTokenBuilder;
/// use twilio_token::builder::{Identity, Missing};
/// let builder: AccessTokenBuilder<'_, Missing, Missing, Identity<'_>> =
///     twilio_token::AccessToken::builder().identity("alice");
/// # drop(builder);
/// ```
#[derive(Debug)]
pub struct Identity<'a>(pub(super) Cow<'a, str>);

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Missing {}
    impl Sealed for super::AccountSid<'_> {}
    impl Sealed for super::FromCredentials<'_> {}
    impl Sealed for super::ApiKeyInput<'_> {}
    impl Sealed for super::Identity<'_> {}
    impl Sealed for super::AuthToken {}
}

/// The account SID is set: `.sign()` may be called. Sealed; the compiler
/// names it when `.sign()` is called too early.
///
/// ```
/// fn ready<'a, A: twilio_token::builder::HasAccountSid<'a>>(_: &A) {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`.sign()` needs the account SID: call `.account_sid(\"AC…\")` (or, for an Access Token, `.credentials(&credentials)`) first",
    label = "the account SID is not set",
    note = "the account SID (`AC…`) is on the Twilio Console's dashboard",
    note = "set in an `if`? Each setter changes the builder's type, so choose the value instead of the call: https://docs.rs/twilio-token/latest/twilio_token/#setting-a-part-conditionally"
)]
pub trait HasAccountSid<'a>: sealed::Sealed {
    /// The account SID, checked.
    #[doc(hidden)]
    fn get(&self) -> Result<&str, Error>;
}

/// The API key is set: `.sign()` may be called. Sealed; the compiler
/// names it when `.sign()` is called too early.
///
/// ```
/// fn ready<'a, K: twilio_token::builder::HasApiKey<'a>>(_: &K) {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`.sign()` needs the API key: call `.api_key(\"SK…\", secret)` or `.credentials(&credentials)` first",
    label = "the API key is not set",
    note = "tokens are signed with an API key (SID `SK…` and its secret), created in the Twilio Console",
    note = "set in an `if`? Each setter changes the builder's type, so choose the value instead of the call: https://docs.rs/twilio-token/latest/twilio_token/#setting-a-part-conditionally"
)]
pub trait HasApiKey<'a>: sealed::Sealed {
    #[doc(hidden)]
    fn source(&self) -> &ApiKeyInput<'a>;
}

/// The Auth Token is set: a capability builder's `.sign()` may be called.
/// Sealed; the compiler names it when `.sign()` is called too early.
///
/// ```
/// fn ready<T: twilio_token::builder::HasAuthToken>(_: &T) {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`.sign()` needs the Auth Token: call `.auth_token(…)` first",
    label = "the Auth Token is not set",
    note = "capability tokens are signed with the account's Auth Token (the Twilio Console's dashboard), not an API key",
    note = "set in an `if`? Each setter changes the builder's type, so choose the value instead of the call: https://docs.rs/twilio-token/latest/twilio_token/#setting-a-part-conditionally"
)]
pub trait HasAuthToken: sealed::Sealed {
    #[doc(hidden)]
    fn get(&self) -> &str;
}

/// The identity is set: `.sign()` may be called. Sealed; the compiler
/// names it when `.sign()` is called too early.
///
/// ```
/// fn ready<'a, I: twilio_token::builder::HasIdentity<'a>>(_: &I) {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`.sign()` needs an identity: call `.identity(\"alice\")` first",
    label = "the identity is not set",
    note = "every Twilio Access Token names the user it is for",
    note = "set in an `if`? Each setter changes the builder's type, so choose the value instead of the call, such as `.identity(user.as_deref().unwrap_or(\"guest\"))`: https://docs.rs/twilio-token/latest/twilio_token/#setting-a-part-conditionally"
)]
pub trait HasIdentity<'a>: sealed::Sealed {
    #[doc(hidden)]
    fn get(&self) -> &str;
}

/// The account SID is not set yet: `.account_sid()` may be called. Sealed.
///
/// ```
/// fn unset<A: twilio_token::builder::NoAccountSid>(_: &A) {}
/// unset(&twilio_token::builder::Missing);
/// ```
#[diagnostic::on_unimplemented(
    message = "the account SID is already set: remove the second `.account_sid()` or `.credentials()` call",
    label = "the account SID was set before"
)]
pub trait NoAccountSid: sealed::Sealed {}

/// The API key is not set yet: `.api_key()` may be called. Sealed.
///
/// ```
/// fn unset<K: twilio_token::builder::NoApiKey>(_: &K) {}
/// unset(&twilio_token::builder::Missing);
/// ```
#[diagnostic::on_unimplemented(
    message = "the API key is already set: remove the second `.api_key()` or `.credentials()` call",
    label = "the API key was set before"
)]
pub trait NoApiKey: sealed::Sealed {}

/// The identity is not set yet: `.identity()` may be called. Sealed.
///
/// ```
/// fn unset<I: twilio_token::builder::NoIdentity>(_: &I) {}
/// unset(&twilio_token::builder::Missing);
/// ```
#[diagnostic::on_unimplemented(
    message = "the identity is already set: remove the second `.identity()` call",
    label = "the identity was set before"
)]
pub trait NoIdentity: sealed::Sealed {}

/// The Auth Token is not set yet: `.auth_token()` may be called. Sealed.
///
/// ```
/// fn unset<T: twilio_token::builder::NoAuthToken>(_: &T) {}
/// unset(&twilio_token::builder::Missing);
/// ```
#[diagnostic::on_unimplemented(
    message = "the Auth Token is already set: remove the second `.auth_token()` call",
    label = "the Auth Token was set before"
)]
pub trait NoAuthToken: sealed::Sealed {}

impl NoAccountSid for Missing {}
impl NoApiKey for Missing {}
impl NoIdentity for Missing {}
impl NoAuthToken for Missing {}

impl<'a> HasAccountSid<'a> for AccountSid<'a> {
    fn get(&self) -> Result<&str, Error> {
        SidKind::Account.check(&self.0)?;
        Ok(&self.0)
    }
}

impl<'a> HasAccountSid<'a> for FromCredentials<'a> {
    fn get(&self) -> Result<&str, Error> {
        // `Credentials` checked theirs when they were made.
        Ok(self.0.account_sid())
    }
}

impl<'a> HasApiKey<'a> for ApiKeyInput<'a> {
    fn source(&self) -> &ApiKeyInput<'a> {
        self
    }
}

impl HasAuthToken for AuthToken {
    fn get(&self) -> &str {
        &self.0
    }
}

impl<'a> HasIdentity<'a> for Identity<'a> {
    fn get(&self) -> &str {
        &self.0
    }
}
