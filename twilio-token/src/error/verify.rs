//! Why a token was rejected, with the Twilio error code a client would see.

use std::fmt;

use crate::escape::write_escaped;
use crate::utc::UtcTime;

/// Why a token was rejected, with the Twilio error code a client would see.
///
/// ```
/// use twilio_token::VerifyError;
/// assert_eq!(VerifyError::InvalidSignature.twilio_code(), 20107);
/// assert!(VerifyError::InvalidSignature.to_string().contains("20107"));
/// // `Debug` is the message too, so `fn main() -> Result<(), Box<dyn Error>>` prints it:
/// assert_eq!(format!("{:?}", VerifyError::InvalidSignature), VerifyError::InvalidSignature.to_string());
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not three base64url segments of JSON objects, or over
    /// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) (20101).
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// The header is not `HS256`, `JWT`, `twilio-fpa;v=1` (20102).
    InvalidHeader {
        /// What is wrong.
        reason: String,
    },
    /// `iss` or `sub` is missing or malformed (20103).
    InvalidIssuer {
        /// What is wrong.
        reason: String,
    },
    /// `iss` names an API key this verifier does not have (20103).
    UnknownIssuer {
        /// The token's `iss`.
        issuer: String,
    },
    /// `sub` is another account (20103).
    WrongAccount {
        /// The account the verifier expects.
        expected: String,
        /// The token's `sub`.
        found: String,
    },
    /// The signature does not match (20107).
    InvalidSignature,
    /// `exp` is missing or not an integer (20104).
    InvalidExpiry {
        /// What is wrong.
        reason: &'static str,
    },
    /// The token has expired (20104).
    Expired {
        /// `exp`, unix seconds.
        expired_at: u64,
    },
    /// The token lives longer than Twilio's 24 hours (20157).
    LifetimeTooLong {
        /// Its lifetime in seconds.
        seconds: u64,
    },
    /// `nbf` is not an integer (20105).
    InvalidNotBefore {
        /// What is wrong.
        reason: &'static str,
    },
    /// The token is not valid yet (20105).
    NotYetValid {
        /// `nbf`, unix seconds.
        not_before: u64,
    },
    /// The token was issued later than now (20105): its `iat`, or the time
    /// in its `jti`, is in the future.
    IssuedInFuture {
        /// The issue time, unix seconds.
        issued_at: u64,
    },
    /// `grants` is not an object, or `identity` is missing or empty (20106).
    InvalidGrants {
        /// What is wrong.
        reason: String,
    },
    /// A grant is malformed (20106).
    InvalidGrant {
        /// The grant key.
        grant: String,
        /// What is wrong.
        reason: String,
    },
}

impl VerifyError {
    /// The Twilio error code a client would see for this token: 20101
    /// (invalid token), 20102 (invalid header), 20103 (invalid issuer or
    /// subject), 20104 (expired), 20105
    /// (not yet valid), 20106 (invalid grants), 20107 (invalid signature),
    /// 20157 (lifetime over 24 hours).
    ///
    /// ```
    /// assert_eq!(twilio_token::VerifyError::Expired { expired_at: 0 }.twilio_code(), 20104);
    /// ```
    pub fn twilio_code(&self) -> u32 {
        match self {
            VerifyError::Malformed { .. } => 20101,
            VerifyError::InvalidHeader { .. } => 20102,
            VerifyError::InvalidIssuer { .. }
            | VerifyError::UnknownIssuer { .. }
            | VerifyError::WrongAccount { .. } => 20103,
            VerifyError::InvalidExpiry { .. } | VerifyError::Expired { .. } => 20104,
            VerifyError::InvalidNotBefore { .. }
            | VerifyError::NotYetValid { .. }
            | VerifyError::IssuedInFuture { .. } => 20105,
            VerifyError::InvalidGrants { .. } | VerifyError::InvalidGrant { .. } => 20106,
            VerifyError::InvalidSignature => 20107,
            VerifyError::LifetimeTooLong { .. } => 20157,
        }
    }
}

/// The message, with what it quotes from the token escaped
/// ([`Escaped`](crate::Escaped)): a key or an issuer may hold terminal controls.
impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, format_args!("{}", Unescaped(self)))
    }
}

/// The message as written, before [`Escaped`](crate::Escaped).
struct Unescaped<'a>(&'a VerifyError);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.0.twilio_code();
        match self.0 {
            VerifyError::Malformed { reason } => write!(f, "malformed token ({code}): {reason}"),
            VerifyError::InvalidHeader { reason } => {
                write!(f, "invalid token header ({code}): {reason}")
            }
            VerifyError::InvalidIssuer { reason } => {
                write!(f, "invalid issuer or subject ({code}): {reason}")
            }
            VerifyError::UnknownIssuer { issuer } => write!(
                f,
                "unknown issuer ({code}): the token is signed with API key {issuer}, which this verifier does not have"
            ),
            VerifyError::WrongAccount { expected, found } => write!(
                f,
                "wrong account ({code}): the token is for {found}, not {expected}"
            ),
            VerifyError::InvalidSignature => write!(
                f,
                "invalid signature ({code}): the token was altered or signed with another secret"
            ),
            VerifyError::InvalidExpiry { reason } => write!(f, "invalid expiry ({code}): {reason}"),
            VerifyError::Expired { expired_at } => write!(
                f,
                "the token expired ({code}) at {}: mint a new one",
                UtcTime::from_unix(*expired_at)
            ),
            VerifyError::LifetimeTooLong { seconds } => write!(
                f,
                "the token lives {seconds} s, over Twilio's 24-hour limit ({code})"
            ),
            VerifyError::InvalidNotBefore { reason } => {
                write!(f, "invalid not-before ({code}): {reason}")
            }
            VerifyError::NotYetValid { not_before } => write!(
                f,
                "the token is not valid yet ({code}): nbf is {}; check the clocks or allow leeway",
                UtcTime::from_unix(*not_before)
            ),
            VerifyError::IssuedInFuture { issued_at } => write!(
                f,
                "the token is not valid yet ({code}): it was issued at {}, after now; check the clocks or allow leeway",
                UtcTime::from_unix(*issued_at)
            ),
            VerifyError::InvalidGrants { reason } => write!(f, "invalid grants ({code}): {reason}"),
            VerifyError::InvalidGrant { grant, reason } => {
                write!(f, "invalid grant `{grant}` ({code}): {reason}")
            }
        }
    }
}

/// The message, as `Display` writes it: `fn main()` returning an error
/// and `.unwrap()` print it with `Debug`, and the message names the code
/// and says what to do where a variant's name would not.
impl fmt::Debug for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for VerifyError {}
