//! Why a Client Validation signer or verifier could not be made, a request
//! could not be signed, or a Client Validation JWT was refused.

use std::fmt;

use crate::SidKind;
use crate::error::write_invalid_sid;
use crate::escape::write_escaped;
use crate::utc::UtcTime;

/// Why a [`ClientValidation`](super::ClientValidation) signer or
/// [`ValidationVerifier`](super::ValidationVerifier) could not be made, or
/// a request could not be signed.
///
/// Every message says what was given and what to do; none shows a key's
/// bytes or a SID given in the wrong place.
///
/// ```
/// use twilio_token::validation::{ClientValidation, ValidationError};
///
/// let err = ClientValidation::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "CR00112233445566778899aabbccddeeff",
///     "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
/// )
/// .unwrap_err();
/// assert_eq!(err, ValidationError::PublicKeyGiven);
/// assert!(err.to_string().contains("public key"));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationError {
    /// A SID is not its prefix followed by 32 lower-case hex digits: the
    /// account SID, the API key SID, or the credential SID (the public key
    /// registered with Twilio).
    InvalidSid {
        /// Which SID: [`SidKind::Account`], [`SidKind::ApiKey`] or
        /// [`SidKind::Credential`].
        kind: SidKind,
        /// How many characters were given (the value is not kept).
        len: usize,
    },
    /// The key is not PEM text (no `-----BEGIN …-----` line).
    NotPem,
    /// The PEM text is damaged: no end line, or its base64 does not decode.
    MalformedPem {
        /// What is wrong.
        reason: &'static str,
    },
    /// The private key is encrypted with a passphrase.
    EncryptedKey,
    /// A public key was given where the private key goes.
    PublicKeyGiven,
    /// A private key was given where the public key goes.
    PrivateKeyGiven,
    /// The PEM block is something else, such as a certificate.
    UnexpectedPem {
        /// The PEM label, such as `CERTIFICATE`.
        label: String,
    },
    /// The key is not an RSA key.
    NotRsa {
        /// What it is, such as `an EC key`.
        what: &'static str,
    },
    /// The RSA key is shorter than 2048 bits, which Twilio refuses.
    KeyTooSmall {
        /// The modulus's length in bits.
        bits: usize,
    },
    /// The RSA key is longer than the signer takes (4096 bits; 8192 to
    /// verify).
    KeyTooLarge {
        /// The modulus's length in bits.
        bits: usize,
        /// The longest key taken, in bits.
        max: usize,
    },
    /// ring signs only with keys whose length is a multiple of 1024 bits
    /// (2048, 3072, 4096).
    KeySizeUnsupported {
        /// The modulus's length in bits.
        bits: usize,
    },
    /// The key's DER structure is not a valid RSA key.
    MalformedKey {
        /// What ring or the DER reader said.
        reason: String,
    },
    /// The HTTP method is not an HTTP token (such as `POST`).
    InvalidMethod {
        /// How many characters were given.
        len: usize,
    },
    /// A header name is empty or not an HTTP token.
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// A header value has a line break or a NUL, which HTTP forbids and
    /// which would let one value pose as another header's line (or, in an
    /// `http::Request`, bytes that are not visible ASCII).
    InvalidHeaderValue {
        /// The header's name.
        name: String,
    },
    /// The issue time is before 1970 or too far in the future for a JWT.
    TimeOutOfRange,
    /// The token would be longer than
    /// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN), which the verifier refuses.
    TokenTooLong {
        /// The token's length in bytes.
        len: usize,
        /// The longest token read, in bytes.
        max: usize,
    },
    /// ring could not sign (its random number generator failed, for PS256).
    SigningFailed,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, format_args!("{}", Unescaped(self)))
    }
}

/// The message as written, before [`Escaped`](crate::Escaped).
struct Unescaped<'a>(&'a ValidationError);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ValidationError::InvalidSid {
                kind: SidKind::ApiKey,
                len,
            } => write!(
                f,
                "invalid API key SID ({len} characters): it must be `SK` followed by 32 lower-case hex digits; Client Validation JWTs name the API key the request is made with"
            ),
            ValidationError::InvalidSid { kind, len } => write_invalid_sid(f, kind, *len),
            ValidationError::NotPem => f.write_str(
                "the key is not PEM text: pass the file that starts with `-----BEGIN PRIVATE KEY-----` or `-----BEGIN RSA PRIVATE KEY-----` (`openssl genrsa -out key.pem 2048` makes one)",
            ),
            ValidationError::MalformedPem { reason } => write!(
                f,
                "the PEM text is damaged ({reason}): pass the key file exactly as written, with its BEGIN and END lines"
            ),
            ValidationError::EncryptedKey => f.write_str(
                "the private key is encrypted with a passphrase: decrypt it first (`openssl pkey -in key.pem -out plain.pem`) and keep the plain copy as secret as the passphrase",
            ),
            ValidationError::PublicKeyGiven => f.write_str(
                "a public key was given where the private key goes: the public key is the one uploaded to Twilio; sign with the private key it was made from",
            ),
            ValidationError::PrivateKeyGiven => f.write_str(
                "a private key was given where the public key goes: verify with the public key (`openssl pkey -in key.pem -pubout`), and keep the private key where requests are signed",
            ),
            ValidationError::UnexpectedPem { label } => write!(
                f,
                "the PEM block is `{label}`, not an RSA key: pass a `PRIVATE KEY` or `RSA PRIVATE KEY` block to sign, a `PUBLIC KEY` block to verify"
            ),
            ValidationError::NotRsa { what } => write!(
                f,
                "the key is {what}, not RSA: Twilio's Public Key Client Validation takes RSA keys of at least 2048 bits (`openssl genrsa -out key.pem 2048`)"
            ),
            ValidationError::KeyTooSmall { bits } => write!(
                f,
                "the RSA key has {bits} bits: Twilio takes at least 2048; make a new one with `openssl genrsa -out key.pem 2048`"
            ),
            ValidationError::KeyTooLarge { bits, max } => write!(
                f,
                "the RSA key has {bits} bits, over the {max} this library takes: use a key of 2048 to 4096 bits"
            ),
            ValidationError::KeySizeUnsupported { bits } => write!(
                f,
                "the RSA key has {bits} bits: this library signs with keys of 2048, 3072 or 4096 bits (ring's sizes); make one with `openssl genrsa -out key.pem 2048`"
            ),
            ValidationError::MalformedKey { reason } => write!(
                f,
                "the key is not a valid RSA key ({reason}): pass a key made by `openssl genrsa` or `openssl genpkey -algorithm RSA`"
            ),
            ValidationError::InvalidMethod { len } => write!(
                f,
                "invalid HTTP method ({len} characters): pass the method as sent, such as `GET` or `POST`"
            ),
            ValidationError::InvalidHeaderName { name } => write!(
                f,
                "invalid header name `{name}`: a header name is letters, digits and `!#$%&'*+-.^_`|~`, such as `Authorization`"
            ),
            ValidationError::InvalidHeaderValue { name } => write!(
                f,
                "the value of header `{name}` has a line break or a NUL, which HTTP forbids (or, from an `http::Request`, bytes that are not visible ASCII): pass the value as sent"
            ),
            ValidationError::TimeOutOfRange => f.write_str(
                "the issue time is before 1970 or too far in the future for a token: pass the current time",
            ),
            ValidationError::TokenTooLong { len, max } => write!(
                f,
                "the token would be {len} bytes, over the {max}-byte limit: sign fewer headers"
            ),
            ValidationError::SigningFailed => f.write_str(
                "ring could not sign (its random number generator failed): try again; if it persists the system's entropy source is broken",
            ),
        }
    }
}

/// The message, as `Display` writes it.
impl fmt::Debug for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ValidationError {}

/// Why a Client Validation JWT was refused by
/// [`ValidationVerifier::verify`](super::ValidationVerifier::verify), in
/// the order the checks run.
///
/// ```
/// use twilio_token::validation::ValidationVerifyError;
///
/// let err = ValidationVerifyError::RequestMismatch;
/// assert!(err.to_string().contains("request"));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationVerifyError {
    /// Not three base64url segments of JSON objects with the claims a
    /// Client Validation JWT has, or over
    /// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN).
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// The header's `alg` is neither `RS256` nor `PS256`.
    UnsupportedAlgorithm {
        /// The header's `alg`.
        alg: String,
    },
    /// The header's `cty` is not `twilio-pkrv;v=1`: not a Client
    /// Validation JWT.
    WrongContentType {
        /// The header's `cty`, if any.
        cty: Option<String>,
    },
    /// The header's `kid` names another credential than the verifier's.
    WrongCredential {
        /// The token's `kid`.
        kid: String,
    },
    /// The signature does not match the public key.
    InvalidSignature,
    /// The token has expired (`exp` is at or before now).
    Expired {
        /// The token's `exp`, unix seconds.
        expires: u64,
    },
    /// The token is not valid yet (`nbf` is after now).
    NotYetValid {
        /// The token's `nbf`, unix seconds.
        not_before: u64,
    },
    /// The token's `rqh` is not the hash of this request: the request was
    /// changed after signing, or the token was made for another one.
    RequestMismatch,
}

impl fmt::Display for ValidationVerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, format_args!("{}", UnescapedVerify(self)))
    }
}

/// The message as written, before [`Escaped`](crate::Escaped).
struct UnescapedVerify<'a>(&'a ValidationVerifyError);

impl fmt::Display for UnescapedVerify<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ValidationVerifyError::Malformed { reason } => write!(
                f,
                "not a Client Validation JWT ({reason}): pass the whole value of the Twilio-Client-Validation header"
            ),
            ValidationVerifyError::UnsupportedAlgorithm { alg } => write!(
                f,
                "the token is signed with `{alg}`: Client Validation JWTs are signed with RS256 or PS256"
            ),
            ValidationVerifyError::WrongContentType { cty: Some(cty) } => write!(
                f,
                "the token's cty is `{cty}`, not `twilio-pkrv;v=1`: it is not a Client Validation JWT"
            ),
            ValidationVerifyError::WrongContentType { cty: None } => f.write_str(
                "the token has no cty, not `twilio-pkrv;v=1`: it is not a Client Validation JWT",
            ),
            ValidationVerifyError::WrongCredential { kid } => write!(
                f,
                "the token names credential `{kid}`: verify it with that credential's public key"
            ),
            ValidationVerifyError::InvalidSignature => f.write_str(
                "invalid signature: the token was altered, or signed with a private key that is not this public key's",
            ),
            ValidationVerifyError::Expired { expires } => write!(
                f,
                "the token expired at {}: sign each request when it is sent (a token lives 5 minutes)",
                UtcTime::from_unix(*expires)
            ),
            ValidationVerifyError::NotYetValid { not_before } => write!(
                f,
                "the token is not valid before {}: check the signing machine's clock",
                UtcTime::from_unix(*not_before)
            ),
            ValidationVerifyError::RequestMismatch => f.write_str(
                "the token's request hash (rqh) is not this request's: the method, path, query, a signed header or the body differs from what was signed",
            ),
        }
    }
}

/// The message, as `Display` writes it.
impl fmt::Debug for ValidationVerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ValidationVerifyError {}
