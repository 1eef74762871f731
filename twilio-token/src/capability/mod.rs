//! Capability tokens: the older Twilio JWTs for Twilio Client JS 1.x and
//! TaskRouter.js v1, signed with the account's **Auth Token**.
//!
//! Every official helper library still ships them (twilio-python's
//! `ClientCapabilityToken` and `WorkerCapabilityToken`,
//! `TaskQueueCapabilityToken`, `WorkspaceCapabilityToken`); the tokens
//! minted here are byte for byte the ones twilio-python 9.13 mints from the
//! same inputs and clock.
//!
//! - [`ClientCapability::builder`]: scopes for Twilio Client (outgoing
//!   calls through a TwiML app, incoming calls to a client name, the event
//!   stream).
//! - [`TaskRouterCapability::worker`], [`task_queue`](TaskRouterCapability::task_queue)
//!   and [`workspace`](TaskRouterCapability::workspace): a TaskRouter
//!   channel and its [`Policy`] list.
//! - [`CapabilityVerifier`] checks either kind with the account SID and
//!   Auth Token, with the Twilio error codes of [`Verifier`](crate::Verifier).
//!
//! Both builders need the account SID and the Auth Token, in any order;
//! `.sign()` does not compile without them. The header is
//! `{"alg":"HS256","typ":"JWT"}` (no `cty`), `iss` is the account SID, and
//! the times follow the Access Token rules: whole seconds, one hour by
//! default, at most 24 hours.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use twilio_token::capability::{Capabilities, CapabilityVerifier, ClientCapability};
//!
//! let auth_token = "0123456789abcdef0123456789abcdef"; // the Console's dashboard
//! let jwt = ClientCapability::builder()
//!     .account_sid("AC0123456789abcdef0123456789abcdef")
//!     .auth_token(auth_token)
//!     .allow_incoming("alice")
//!     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
//!     .sign()?;
//!
//! let verifier = CapabilityVerifier::new("AC0123456789abcdef0123456789abcdef", auth_token)?;
//! let claims = verifier.verify_at(&jwt, UNIX_EPOCH + Duration::from_secs(1_700_000_060))?;
//! let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
//! assert_eq!(scopes[0].to_string(), "scope:client:incoming?clientName=alice");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
mod policy;
mod taskrouter;
mod verify;

pub use client::{ClientCapability, ClientScopes, NO_PARAMS, Scope};
pub use policy::Policy;
pub use taskrouter::{
    Channel, Permission, TaskQueue, TaskRouter, TaskRouterCapability, UnknownPermission, Worker,
    Workspace,
};
pub use verify::{Capabilities, CapabilityClaims, CapabilityVerifier};

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use ring::hmac;
use zeroize::Zeroizing;

use crate::Error;
use crate::b64::CAPABILITY_HEADER_B64;
use crate::builder::{
    AccountSid, AuthToken, HasAccountSid, HasAuthToken, Missing, NoAccountSid, NoAuthToken,
};
use crate::json::write_str;
use crate::jwt::{Decimal, HeaderSegment, assemble, with_scratch, write_times};
use crate::key::auth_token_key;
use crate::time::{NotBefore, TimeSettings};

/// Builds and signs a capability token of kind `K`: [`ClientScopes`] or
/// [`TaskRouter`]. The states `A` and `T` record whether the account SID
/// and the Auth Token are set (the [`builder`](crate::builder) module's
/// [`Missing`], [`AccountSid`] and [`AuthToken`]); `.sign()` compiles once
/// both are.
///
/// ```compile_fail
/// // error: `.sign()` needs the Auth Token: call `.auth_token(…)` first
/// let jwt = twilio_token::capability::ClientCapability::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .allow_incoming("alice")
///     .sign();
/// ```
#[must_use = "a builder does nothing until `.sign()` is called"]
pub struct CapabilityBuilder<K, A = Missing, T = Missing> {
    kind: K,
    account_sid: A,
    auth_token: T,
    times: TimeSettings,
}

impl<K: fmt::Debug, A: fmt::Debug, T: fmt::Debug> fmt::Debug for CapabilityBuilder<K, A, T> {
    /// The inputs, the Auth Token redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapabilityBuilder")
            .field("kind", &self.kind)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &self.auth_token)
            .finish_non_exhaustive()
    }
}

impl<K> CapabilityBuilder<K> {
    fn new(kind: K) -> Self {
        CapabilityBuilder {
            kind,
            account_sid: Missing,
            auth_token: Missing,
            times: TimeSettings::default(),
        }
    }
}

impl<K, A, T> CapabilityBuilder<K, A, T> {
    /// Sets the account SID (`AC…`), the token's `iss`. Required.
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef");
    /// # drop(builder);
    /// ```
    pub fn account_sid(
        self,
        account_sid: impl Into<String>,
    ) -> CapabilityBuilder<K, AccountSid<'static>, T>
    where
        A: NoAccountSid,
    {
        CapabilityBuilder {
            kind: self.kind,
            account_sid: AccountSid(Cow::Owned(account_sid.into())),
            auth_token: self.auth_token,
            times: self.times,
        }
    }

    /// Sets the account's Auth Token, which signs the token: 32 lower-case
    /// hex digits, on the Twilio Console's dashboard. Required. (Access
    /// Tokens are signed with an API key instead; either secret given for
    /// the other is refused.)
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .auth_token("0123456789abcdef0123456789abcdef");
    /// # drop(builder);
    /// ```
    pub fn auth_token(self, auth_token: impl Into<String>) -> CapabilityBuilder<K, A, AuthToken>
    where
        T: NoAuthToken,
    {
        CapabilityBuilder {
            kind: self.kind,
            account_sid: self.account_sid,
            auth_token: AuthToken(Zeroizing::new(auth_token.into())),
            times: self.times,
        }
    }

    /// Sets the time to live: whole seconds, at most 24 hours; default
    /// one hour, as in twilio-python. `exp` is the issue time plus it.
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .ttl(std::time::Duration::from_secs(600));
    /// # drop(builder);
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.times.ttl = ttl;
        self
    }

    /// Sets `nbf`, the time before which the token is not valid. Default:
    /// the issue time, as twilio-python does.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .not_before(SystemTime::now() - Duration::from_secs(30));
    /// # drop(builder);
    /// ```
    pub fn not_before(mut self, not_before: SystemTime) -> Self {
        self.times.not_before = NotBefore::At(not_before);
        self
    }

    /// Leaves out `nbf` (twilio-python's `nbf=None`).
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder().omit_not_before();
    /// # drop(builder);
    /// ```
    pub fn omit_not_before(mut self) -> Self {
        self.times.not_before = NotBefore::Omitted;
        self
    }

    /// Sets the issue time, from which `exp` and the default `nbf` are
    /// computed. Default: `SystemTime::now()`.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    /// # drop(builder);
    /// ```
    pub fn issued_at(mut self, issued_at: SystemTime) -> Self {
        self.times.issued_at = Some(issued_at);
        self
    }
}

impl<K, A: HasAccountSid<'static>, T: HasAuthToken> CapabilityBuilder<K, A, T> {
    /// Checks the common inputs and signs the payload that `claims` writes:
    /// its own claims, then `iss`, `exp` and `nbf`, as twilio-python's
    /// `Jwt` adds them.
    fn sign_with(
        &self,
        claims: impl FnOnce(&K, &str, &mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<String, Error> {
        let account_sid = self.account_sid.get()?;
        let key = auth_token_key(self.auth_token.get())?;
        let times = self.times.claims()?;
        with_scratch(|payload| {
            payload.push(b'{');
            claims(&self.kind, account_sid, payload)?;
            payload.extend_from_slice(b",\"iss\":");
            write_str(payload, account_sid);
            write_times(payload, &times, &Decimal::new(times.issued_at));
            payload.push(b'}');
            assemble(
                HeaderSegment::Encoded(CAPABILITY_HEADER_B64),
                payload,
                |input| hmac::sign(&key, input),
            )
        })
    }
}
