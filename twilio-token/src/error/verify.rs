//! Why a token was rejected, with the Twilio error code a client would see.

use std::fmt;

use crate::escape::{Escaped, write_escaped};
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
    Malformed(Malformed),
    /// The header is not `HS256`, `JWT`, `twilio-fpa;v=1` (20102).
    InvalidHeader(HeaderProblem),
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
    /// `grants` has a key twice (20106).
    GrantKeyTwice {
        /// The key.
        key: String,
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
            VerifyError::Malformed(_) => 20101,
            VerifyError::InvalidHeader(_) => 20102,
            VerifyError::InvalidIssuer { .. }
            | VerifyError::UnknownIssuer { .. }
            | VerifyError::WrongAccount { .. } => 20103,
            VerifyError::InvalidExpiry { .. } | VerifyError::Expired { .. } => 20104,
            VerifyError::InvalidNotBefore { .. }
            | VerifyError::NotYetValid { .. }
            | VerifyError::IssuedInFuture { .. } => 20105,
            VerifyError::InvalidGrants { .. }
            | VerifyError::GrantKeyTwice { .. }
            | VerifyError::InvalidGrant { .. } => 20106,
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
            VerifyError::Malformed(why) => write!(f, "malformed token ({code}): {why}"),
            VerifyError::InvalidHeader(why) => write!(f, "invalid token header ({code}): {why}"),
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
            VerifyError::GrantKeyTwice { key } => {
                write!(
                    f,
                    "invalid grants ({code}): `grants` has the key `{key}` twice"
                )
            }
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

/// How a token is malformed ([`VerifyError::Malformed`], 20101). Its
/// `Display` is the reason the error's message gives, escaped.
///
/// ```
/// use twilio_token::{Malformed, Segment, VerifyError, Verifier};
/// # let credentials = twilio_token::Credentials::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210", "secret")?;
/// let err = Verifier::new(&credentials).verify("a.b").unwrap_err();
/// assert_eq!(err, VerifyError::Malformed(Malformed::NotThreeSegments));
/// let err = Verifier::new(&credentials).verify("e30=.e30.e30").unwrap_err();
/// assert_eq!(err, VerifyError::Malformed(Malformed::Padded(Segment::Header)));
/// assert_eq!(
///     err.to_string(),
///     "malformed token (20101): the header's base64url is not canonical: it has padding, which JWTs leave out"
/// );
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Malformed {
    /// The token is longer than [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN).
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit, [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN).
        limit: usize,
    },
    /// Not three segments separated by dots.
    NotThreeSegments,
    /// A segment is not base64url without padding or whitespace.
    NotBase64(Segment),
    /// A segment's last character has bits no encoder sets: something
    /// re-encoded the token.
    StrayBits(Segment),
    /// A segment has base64 padding, which JWTs leave out.
    Padded(Segment),
    /// A segment is not UTF-8.
    NotUtf8(Segment),
    /// A segment is not a JSON object.
    NotObject(Segment),
    /// A segment is not valid JSON: what the JSON reader found.
    NotJson(Segment, String),
    /// An object in a segment has this key twice.
    KeyTwice(Segment, String),
    /// A time claim (`iat`) is not a non-negative integer.
    NotSeconds(&'static str),
    /// A claim that is text (`jti`) is not a string.
    NotString(&'static str),
}

/// One of a token's three segments.
///
/// ```
/// assert_eq!(twilio_token::Segment::Payload.to_string(), "payload");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Segment {
    /// The first: the header.
    Header,
    /// The second: the claims.
    Payload,
    /// The third: the HMAC tag.
    Signature,
}

/// What is wrong with a token's header ([`VerifyError::InvalidHeader`],
/// 20102). Its `Display` is the reason the error's message gives.
///
/// ```
/// use twilio_token::{HeaderProblem, VerifyError, Verifier};
/// # let credentials = twilio_token::Credentials::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210", "secret")?;
/// // {"alg":"none","typ":"JWT"}
/// let err = Verifier::new(&credentials).verify("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.e30.e30").unwrap_err();
/// assert_eq!(err, VerifyError::InvalidHeader(HeaderProblem::Alg("none".into())));
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// This field (`alg`, `typ`) is missing. (Not `Missing`: the
    /// builder's `Missing` keeps its short name in compiler messages.)
    MissingField(&'static str),
    /// This field (`alg`, `typ`, `cty`, `twr`) is not a string.
    NotString(&'static str),
    /// `alg` is not `HS256`: the value given.
    Alg(String),
    /// `typ` is not `JWT`: the value given.
    Typ(String),
    /// `cty` is not `twilio-fpa;v=1`: the value given.
    Cty(String),
    /// `twr` is not a region code: the value given.
    Twr(String),
    /// `crit` names extensions, and Twilio tokens use none.
    Crit,
    /// No `cty`: a capability token, given to the Access Token [`Verifier`](crate::Verifier).
    MissingCty,
    /// A `cty`: an Access Token, given to the capability token verifier.
    UnexpectedCty,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (segment, what) = match self {
            Malformed::TooLong { len, limit } => {
                return write!(f, "the token is {len} bytes, over the {limit}-byte limit");
            }
            Malformed::NotThreeSegments => {
                return f.write_str("a token is three base64url segments separated by dots");
            }
            Malformed::NotSeconds(claim) => {
                return write!(
                    f,
                    "`{claim}` is not a non-negative integer number of seconds"
                );
            }
            Malformed::NotString(claim) => return write!(f, "`{claim}` is not a string"),
            Malformed::NotJson(at, reason) => return write!(f, "the {at}: {}", Escaped(reason)),
            Malformed::KeyTwice(at, key) => {
                return write!(f, "the {at}: the key `{}` is given twice", Escaped(key));
            }
            Malformed::NotBase64(at) => (at, " is not base64url without padding or whitespace"),
            Malformed::StrayBits(at) => (
                at,
                "'s base64url is not canonical: its last character has bits no encoder sets",
            ),
            Malformed::Padded(at) => (
                at,
                "'s base64url is not canonical: it has padding, which JWTs leave out",
            ),
            Malformed::NotUtf8(at) => (at, " is not UTF-8"),
            Malformed::NotObject(at) => (at, " is not a JSON object"),
        };
        write!(f, "the {segment}{what}")
    }
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderProblem::MissingField(field) => write!(f, "`{field}` is missing"),
            HeaderProblem::NotString(field) => write!(f, "`{field}` is not a string"),
            HeaderProblem::Alg(alg) => write!(f, "`alg` is {alg:?}; Twilio tokens use \"HS256\""),
            HeaderProblem::Typ(typ) => write!(f, "`typ` is {typ:?}, not \"JWT\""),
            HeaderProblem::Cty(cty) => write!(f, "`cty` is {cty:?}, not \"twilio-fpa;v=1\""),
            HeaderProblem::Twr(twr) => write!(
                f,
                "`twr` is {twr:?}, not a region code (two lower-case letters and a number, such as \"us1\" or \"ie1\")"
            ),
            HeaderProblem::Crit => f.write_str(
                "`crit` names header extensions that must be understood, and Twilio tokens use none",
            ),
            HeaderProblem::MissingCty => f.write_str(
                "`cty` is missing: an Access Token's is \"twilio-fpa;v=1\"; a capability token (signed with the Auth Token) has none: verify those with `capability::CapabilityVerifier`",
            ),
            HeaderProblem::UnexpectedCty => f.write_str(
                "the header has `cty`: this is an Access Token (signed with an API key), not a capability token; verify it with `Verifier`",
            ),
        }
    }
}

impl std::error::Error for VerifyError {}
