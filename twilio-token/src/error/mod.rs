//! The error returned when a token cannot be minted.

use std::fmt;

mod verify;
pub use verify::{HeaderProblem, Malformed, Segment, VerifyError};

use crate::escape::write_escaped;
use crate::utc::UtcTime;

/// Why a token could not be minted (or [`Credentials`](crate::Credentials)
/// could not be built).
///
/// Every message says what is wrong and what to do, and never contains the
/// API key secret. Where Twilio would reject the token, the message names the
/// error code a client would see.
///
/// ```
/// use twilio_token::{Credentials, Error, SidKind};
///
/// let err = Credentials::new("AC123", "SK0123456789abcdef0123456789abcdef", "secret").unwrap_err();
/// assert_eq!(err, Error::InvalidSid { kind: SidKind::Account, len: 5 });
/// assert!(err.to_string().contains("AC"));
/// // `Debug` is the message too, so `fn main() -> Result<(), Error>` prints it:
/// assert_eq!(format!("{err:?}"), err.to_string());
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A SID is not its prefix followed by 32 lower-case hex digits: the
    /// account SID, the API key SID, a capability token's SIDs, or a
    /// grant's field checked with `#[grant(sid = "…")]`.
    InvalidSid {
        /// Which SID.
        kind: SidKind,
        /// How many characters were given (the value itself is not kept,
        /// in case a secret was passed by mistake).
        len: usize,
    },
    /// An account SID (`AC…`) was given where the API key SID (`SK…`) goes:
    /// Access Tokens are signed with an API key, not the Auth Token.
    AccountSidAsApiKey,
    /// The API key secret is empty.
    EmptySecret,
    /// The API key secret has whitespace or an invisible character (a
    /// byte-order mark, a zero-width space), as a pasted newline does.
    SecretWhitespace,
    /// A secret has a character that a Twilio secret never has: a quote, a
    /// control character or one outside ASCII.
    SecretCharacter {
        /// Which secret: `API key secret` or `Auth Token`.
        secret: &'static str,
        /// What was found, such as `a quote`.
        what: &'static str,
    },
    /// A SID (`AC…`, `SK…`) was given as a secret.
    SidAsSecret {
        /// Which secret: `API key secret` or `Auth Token`.
        secret: &'static str,
    },
    /// The secret is an Auth Token (32 lower-case hex digits): Access Tokens
    /// are signed with an API key's secret.
    AuthTokenAsSecret,
    /// The Auth Token is not 32 lower-case hex digits. Capability tokens
    /// are signed with the account's Auth Token; Access Tokens with an API
    /// key's secret.
    InvalidAuthToken {
        /// How many characters were given (the value itself is not kept).
        len: usize,
    },
    /// A Twilio Client capability's client name is empty.
    EmptyClientName,
    /// A Twilio Client capability's parameter has an empty name.
    EmptyParamName {
        /// The scope: `outgoing` or `event stream`.
        scope: &'static str,
    },
    /// A TaskRouter capability policy is malformed.
    InvalidPolicy {
        /// What is wrong.
        reason: String,
    },
    /// An environment variable [`Credentials::from_env`](crate::Credentials::from_env)
    /// reads is not set (or not Unicode).
    MissingVariable {
        /// The variable, such as `TWILIO_API_SECRET`.
        name: &'static str,
    },
    /// The identity is empty.
    EmptyIdentity,
    /// The time to live is zero.
    ZeroTtl,
    /// The time to live is not a whole number of seconds, which a token's
    /// times are.
    TtlNotWholeSeconds {
        /// The requested time to live, in milliseconds.
        millis: u128,
    },
    /// The time to live is over 24 hours, which Twilio rejects (20157).
    TtlTooLong {
        /// The requested time to live, in whole seconds.
        seconds: u64,
    },
    /// `nbf` is at or after `exp`: the token would never be valid.
    NotBeforeAfterExpiry {
        /// The `nbf` claim, unix seconds.
        not_before: u64,
        /// The `exp` claim, unix seconds.
        expires: u64,
    },
    /// A time is before 1970 or too far in the future to be a JWT time.
    TimeOutOfRange {
        /// Which time: `issued_at`, `not_before` or `expiry`.
        what: &'static str,
    },
    /// The region is not a region code: two lower-case letters and a
    /// number, such as `ie1`.
    InvalidRegion {
        /// How many characters were given (the value itself is not kept, in
        /// case a secret was passed by mistake).
        len: usize,
    },
    /// The signed token would be longer than
    /// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN), which the verifiers refuse.
    TokenTooLong {
        /// The token's length in bytes.
        len: usize,
        /// The longest token verifiers read, in bytes.
        max: usize,
    },
    /// Two grants have the same key; a token holds one grant of each kind.
    DuplicateGrant {
        /// The grant key, such as `video`.
        grant: String,
    },
    /// A grant text field is an empty string.
    EmptyGrantField {
        /// The grant key.
        grant: String,
        /// The field.
        field: String,
    },
    /// A grant's own check (its `validate` function) failed.
    InvalidGrant {
        /// The grant key.
        grant: String,
        /// What the check said.
        reason: String,
    },
    /// A grant's payload could not be serialized as a JSON object.
    GrantPayload {
        /// The grant key.
        grant: String,
        /// The field, when one is to blame.
        field: Option<String>,
        /// What serde_json said.
        reason: String,
    },
    /// A [`Verifier`](crate::Verifier) was given an API key it already has,
    /// with another secret or for another account: one of the two would
    /// refuse good tokens.
    ConflictingApiKey {
        /// The API key SID.
        key_sid: String,
        /// What differs: `"secret"` or `"account"`.
        differs: &'static str,
    },
    /// A worker's own TaskRouter permission was allowed on a task queue's
    /// or a workspace's token.
    WorkerOnlyPermission {
        /// Its name, such as `update-activities`.
        permission: &'static str,
    },
}

/// Which SID an [`Error::InvalidSid`] (or a Client Validation error) is
/// about: what it names, and so the prefix it must have.
///
/// ```
/// use twilio_token::{Error, SidKind};
/// use twilio_token::capability::ClientCapability;
///
/// let err = ClientCapability::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .allow_outgoing("AP123", twilio_token::capability::NO_PARAMS)
///     .sign()
///     .unwrap_err();
/// assert_eq!(err, Error::InvalidSid { kind: SidKind::Application, len: 5 });
/// assert_eq!(SidKind::Application.prefix(), "AP");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SidKind {
    /// An account (`AC…`).
    Account,
    /// An API key (`SK…`).
    ApiKey,
    /// A TwiML application (`AP…`), in a Twilio Client capability token.
    Application,
    /// A TaskRouter workspace (`WS…`).
    TaskRouterWorkspace,
    /// A TaskRouter worker (`WK…`).
    TaskRouterWorker,
    /// A TaskRouter task queue (`WQ…`).
    TaskRouterTaskQueue,
    /// A public key credential (`CR…`), in a Client Validation JWT.
    Credential,
    /// A grant's field checked with `#[grant(sid = "…")]`.
    GrantField {
        /// The grant key, such as `voice`.
        grant: String,
        /// The field, such as `outgoing_application_sid`.
        field: String,
        /// The prefix the field's SIDs have, such as `AP`.
        prefix: String,
    },
}

impl SidKind {
    /// The two letters a SID of this kind starts with.
    ///
    /// ```
    /// assert_eq!(twilio_token::SidKind::TaskRouterWorker.prefix(), "WK");
    /// ```
    pub fn prefix(&self) -> &str {
        match self {
            SidKind::Account => "AC",
            SidKind::ApiKey => "SK",
            SidKind::Application => "AP",
            SidKind::TaskRouterWorkspace => "WS",
            SidKind::TaskRouterWorker => "WK",
            SidKind::TaskRouterTaskQueue => "WQ",
            SidKind::Credential => "CR",
            SidKind::GrantField { prefix, .. } => prefix,
        }
    }
}

/// The message of an invalid SID of `kind`, `len` bytes long: what it must
/// be, and where the right one is.
pub(crate) fn write_invalid_sid(
    f: &mut fmt::Formatter<'_>,
    kind: &SidKind,
    len: usize,
) -> fmt::Result {
    let prefix = kind.prefix();
    let (what, advice) = match kind {
        SidKind::Account => ("account SID", "copy it from the Twilio Console"),
        SidKind::ApiKey => (
            "API key SID",
            "create an API key in the Twilio Console and use its SID (Twilio answers 20103 otherwise)",
        ),
        SidKind::Application => ("application SID", "copy it from the Twilio Console"),
        SidKind::TaskRouterWorkspace => ("workspace SID", "copy it from the Twilio Console"),
        SidKind::TaskRouterWorker => ("worker SID", "copy it from the Twilio Console"),
        SidKind::TaskRouterTaskQueue => ("task queue SID", "copy it from the Twilio Console"),
        SidKind::Credential => (
            "credential SID",
            "the SID Twilio gave the public key when it was uploaded (Console: Credentials, or `twilio api:accounts:v1:credentials:public-key:create`)",
        ),
        SidKind::GrantField { grant, field, .. } => {
            return write!(
                f,
                "grant `{grant}` field `{field}` is not a valid SID: it must be `{prefix}` followed by 32 lower-case hex digits"
            );
        }
    };
    write!(
        f,
        "invalid {what} ({len} characters): it must be `{prefix}` followed by 32 lower-case hex digits; {advice}"
    )
}

/// The message, with what it quotes escaped ([`Escaped`](crate::Escaped)): a grant's key
/// or a field's name may come from user input or a token.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, format_args!("{}", Unescaped(self)))
    }
}

/// The message as written, before [`Escaped`](crate::Escaped).
struct Unescaped<'a>(&'a Error);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::InvalidSid { kind, len } => write_invalid_sid(f, kind, *len),
            Error::AccountSidAsApiKey => f.write_str(
                "an account SID was given as the API key: Access Tokens are signed with an API key (SID `SK…` and its secret), not the Auth Token; create one in the Twilio Console under API keys (Twilio answers 20103 otherwise)",
            ),
            Error::EmptySecret => f.write_str(
                "the API key secret is empty: pass the secret shown once when the API key was created",
            ),
            Error::SecretWhitespace => f.write_str(
                "the API key secret has whitespace or an invisible character (a pasted newline?): pass the secret exactly as it was shown when the API key was created",
            ),
            Error::SecretCharacter { secret, what } => write!(
                f,
                "the {secret} has {what}, which a Twilio {secret} never has (pasted with quotes?): pass it exactly as the Twilio Console shows it"
            ),
            Error::SidAsSecret { secret } => write!(
                f,
                "a SID was given as the {secret}: a SID names an account or a key and is not secret; pass the {secret} itself, as the Twilio Console shows it"
            ),
            Error::AuthTokenAsSecret => f.write_str(
                "the secret looks like an Auth Token (32 lower-case hex digits): Access Tokens are signed with an API key's secret, not the Auth Token; create an API key in the Twilio Console (or `twilio api:core:keys:create`) and pass its SID and secret",
            ),
            Error::InvalidAuthToken { len } => write!(
                f,
                "invalid Auth Token ({len} characters): it must be 32 lower-case hex digits, as on the Twilio Console's dashboard; capability tokens are signed with the Auth Token, Access Tokens with an API key's secret (`AccessToken::builder().api_key(…)`)"
            ),
            Error::EmptyClientName => f.write_str(
                "the client name is empty: pass the name that incoming calls to this client are addressed to",
            ),
            Error::EmptyParamName { scope } => write!(
                f,
                "a parameter of the {scope} scope has an empty name: give every parameter a name"
            ),
            Error::InvalidPolicy { reason } => write!(f, "invalid TaskRouter policy: {reason}"),
            Error::MissingVariable { name } => write!(
                f,
                "the environment variable {name} is not set: set TWILIO_ACCOUNT_SID (AC…), TWILIO_API_KEY (SK…) and TWILIO_API_SECRET"
            ),
            Error::EmptyIdentity => f.write_str(
                "the identity is empty: pass the name of the user the token is for",
            ),
            Error::ZeroTtl => f.write_str(
                "the time to live is zero: give a duration of at least one second (default one hour)",
            ),
            Error::TtlNotWholeSeconds { millis } => write!(
                f,
                "the time to live is {millis} ms, not a whole number of seconds: a token's times are whole seconds; give one such as `Duration::from_secs(3600)`"
            ),
            Error::TtlTooLong { seconds } => write!(
                f,
                "the time to live is {seconds} s, over Twilio's 24-hour limit (86400 s): Twilio rejects such tokens with 20157; mint a new token instead of a longer one"
            ),
            Error::NotBeforeAfterExpiry { not_before, expires } => write!(
                f,
                "nbf ({}) is not before exp ({}): the token would never be valid; move not_before earlier or lengthen the time to live",
                UtcTime::from_unix(*not_before),
                UtcTime::from_unix(*expires)
            ),
            Error::TimeOutOfRange { what } => write!(
                f,
                "the {what} time is before 1970 or too far in the future for a token; pass a time between 1970 and the year 292277026596"
            ),
            Error::InvalidRegion { len } => write!(
                f,
                "invalid region ({len} characters): use a region code, two lower-case letters and a number such as `us1`, `ie1` or `au1`; an edge location such as `dublin` or `sydney` is a client SDK setting, not the token's region"
            ),
            Error::TokenTooLong { len, max } => write!(
                f,
                "the token would be at least {len} bytes, over the {max}-byte limit that verifiers read: shorten the identity or the grants' values"
            ),
            Error::DuplicateGrant { grant } => write!(
                f,
                "two grants have the key `{grant}`: a token holds one grant of each kind; merge them into one"
            ),
            Error::EmptyGrantField { grant, field } => write!(
                f,
                "grant `{grant}` field `{field}` is an empty string: use `None` to leave the field out"
            ),
            Error::InvalidGrant { grant, reason } => write!(f, "grant `{grant}`: {reason}"),
            Error::GrantPayload {
                grant,
                field: Some(field),
                reason,
            } => write!(
                f,
                "grant `{grant}` field `{field}` cannot be serialized as JSON: {reason}"
            ),
            Error::GrantPayload {
                grant,
                field: None,
                reason,
            } => write!(
                f,
                "grant `{grant}` payload cannot be serialized as a JSON object: {reason}"
            ),
            Error::ConflictingApiKey { key_sid, differs } => write!(
                f,
                "the verifier already has API key {key_sid} with another {differs}: an API key has one secret and belongs to one account; check which credentials are current and give the verifier those only"
            ),
            Error::WorkerOnlyPermission { permission } => write!(
                f,
                "`{permission}` is a worker's own TaskRouter permission, which a task queue's or a workspace's token cannot have: leave it out, or mint a worker's token (`TaskRouterCapability::worker`)"
            ),
        }
    }
}

/// The message, as `Display` writes it: `fn main() -> Result<(), Error>`
/// and `.unwrap()` print an error with `Debug`, and the message says what
/// to do where a variant's name would not.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}
