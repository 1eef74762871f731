//! Client Validation JWTs: Twilio's [Public Key Client Validation].
//!
//! An account that turns it on requires every REST API request to carry a
//! `Twilio-Client-Validation` header: a JWT signed with the account's own
//! RSA private key, whose payload hashes the request (method, path, sorted
//! query, chosen headers, body). Twilio checks it with the public key
//! uploaded as a Credential (`CR…`). For the same inputs and clock, an RS256
//! token here is byte for byte twilio-python's `ClientValidationJwt`.
//!
//! [Public Key Client Validation]: https://www.twilio.com/docs/iam/pkcv
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use twilio_token::validation::{ClientValidation, Request, ValidationVerifier};
//!
//! // Once, at start-up: the key is parsed and checked (RSA of 2048, 3072 or 4096 bits).
//! let signer = ClientValidation::new(
//!     "AC0123456789abcdef0123456789abcdef",
//!     "SKfedcba9876543210fedcba9876543210",
//!     "CR00112233445566778899aabbccddeeff",
//!     include_str!("test-key.pem"),
//! )?;
//!
//! // Per request: the header's value.
//! let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let jwt = signer
//!     .request("POST", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
//!     .header("Host", "api.twilio.com")
//!     .header("Authorization", "Basic …")
//!     .body(b"To=%2B15005550006&Body=hi")
//!     .issued_at(now)
//!     .sign()?;
//!
//! // Offline, as Twilio does: with the public key and the request.
//! let verifier = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", include_str!("test-key.pub.pem"))?;
//! let request = Request::new("POST", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
//!     .header("Host", "api.twilio.com")
//!     .header("Authorization", "Basic …")
//!     .body(b"To=%2B15005550006&Body=hi");
//! let claims = verifier.verify_at(&jwt, &request, now)?;
//! assert_eq!(claims.account_sid, "AC0123456789abcdef0123456789abcdef");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
#[cfg(feature = "http")]
mod http;
mod key;
mod request;
mod verify;

#[cfg(feature = "http")]
pub use self::http::HEADER_NAME;
pub use error::{ValidationError, ValidationVerifyError};
pub use request::{DEFAULT_SIGNED_HEADERS, Request, Unsigned};
pub use verify::{ValidationClaims, ValidationVerifier};

use std::fmt;
use std::time::SystemTime;

use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair};

use crate::b64::base64url;
use crate::json::write_str;
use crate::jwt::MAX_TOKEN_LEN;
use crate::time::unix_seconds;
use crate::{SidKind, sid};

/// How long a Client Validation JWT lives: 300 seconds, as twilio-python's.
///
/// ```
/// assert_eq!(twilio_token::validation::TTL_SECONDS, 300);
/// ```
pub const TTL_SECONDS: u64 = 300;

/// The header's `cty`: a Client Validation JWT.
const CONTENT_TYPE: &str = "twilio-pkrv;v=1";

/// The signature algorithm: RS256 (RSASSA-PKCS1-v1_5, deterministic, what
/// twilio-python signs with) or PS256 (RSASSA-PSS, randomized, which
/// twilio-node offers), both with SHA-256.
///
/// ```
/// use twilio_token::validation::Algorithm;
/// assert_eq!(Algorithm::default(), Algorithm::Rs256);
/// assert_eq!(Algorithm::Ps256.name(), "PS256");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    #[default]
    Rs256,
    /// RSASSA-PSS with SHA-256.
    Ps256,
}

impl Algorithm {
    /// The header's `alg`.
    ///
    /// ```
    /// assert_eq!(twilio_token::validation::Algorithm::Rs256.name(), "RS256");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
        }
    }

    fn encoding(self) -> &'static dyn signature::RsaEncoding {
        match self {
            Algorithm::Rs256 => &signature::RSA_PKCS1_SHA256,
            Algorithm::Ps256 => &signature::RSA_PSS_SHA256,
        }
    }
}

/// Signs requests for Twilio's Public Key Client Validation: the account
/// SID, the API key SID, the credential SID of the uploaded public key,
/// and the RSA private key, parsed and checked once.
///
/// Its `Debug` shows the SIDs, never the key.
///
/// ```
/// use twilio_token::validation::{Algorithm, ClientValidation};
///
/// let signer = ClientValidation::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "CR00112233445566778899aabbccddeeff",
///     include_str!("test-key.pem"),
/// )?
/// .algorithm(Algorithm::Ps256);
/// assert!(format!("{signer:?}").contains("<redacted>"));
/// # Ok::<(), twilio_token::validation::ValidationError>(())
/// ```
pub struct ClientValidation {
    account_sid: String,
    api_key_sid: String,
    credential_sid: String,
    key: RsaKeyPair,
    algorithm: Algorithm,
    /// base64url of the header, for the algorithm.
    header: String,
    rng: SystemRandom,
}

impl fmt::Debug for ClientValidation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientValidation")
            .field("account_sid", &self.account_sid)
            .field("api_key_sid", &self.api_key_sid)
            .field("credential_sid", &self.credential_sid)
            .field("key", &"<redacted>")
            .field("algorithm", &self.algorithm)
            .finish()
    }
}

impl ClientValidation {
    /// Checks the SIDs and reads the private key: PEM, PKCS#8 (`BEGIN
    /// PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`), RSA of 2048, 3072
    /// or 4096 bits (the sizes ring signs with), not encrypted. The buffers that held the key's bytes are
    /// wiped; ring keeps the key itself.
    ///
    /// ```
    /// use twilio_token::SidKind;
    /// use twilio_token::validation::{ClientValidation, ValidationError};
    ///
    /// let err = ClientValidation::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "SKfedcba9876543210fedcba9876543210",
    ///     "CR123",
    ///     include_str!("test-key.pem"),
    /// )
    /// .unwrap_err();
    /// assert_eq!(err, ValidationError::InvalidSid { kind: SidKind::Credential, len: 5 });
    /// ```
    pub fn new(
        account_sid: &str,
        api_key_sid: &str,
        credential_sid: &str,
        private_key_pem: &str,
    ) -> Result<Self, ValidationError> {
        check_sids([
            (SidKind::Account, account_sid),
            (SidKind::ApiKey, api_key_sid),
            (SidKind::Credential, credential_sid),
        ])?;
        let key = key::private_key(private_key_pem)?;
        Ok(ClientValidation {
            account_sid: account_sid.to_owned(),
            api_key_sid: api_key_sid.to_owned(),
            credential_sid: credential_sid.to_owned(),
            header: header_b64(Algorithm::Rs256, credential_sid),
            key,
            algorithm: Algorithm::Rs256,
            rng: SystemRandom::new(),
        })
    }

    /// Signs with `algorithm` (default RS256, as twilio-python).
    ///
    /// ```
    /// use twilio_token::validation::{Algorithm, ClientValidation};
    /// # let signer = ClientValidation::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210",
    /// #     "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// let signer = signer.algorithm(Algorithm::Ps256);
    /// assert!(signer.request("GET", "/").sign()?.starts_with("eyJhbGciOiJQUzI1NiIs"));
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self.header = header_b64(algorithm, &self.credential_sid);
        self
    }

    /// A request to sign: its method and path (percent-encoded as sent,
    /// without the query string). Set the rest on the [`Request`], then
    /// call [`sign`](Request::sign).
    ///
    /// ```
    /// # let signer = twilio_token::validation::ClientValidation::new("AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210", "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// let jwt = signer.request("GET", "/2010-04-01/Accounts.json").header("Host", "api.twilio.com").sign()?;
    /// assert_eq!(jwt.split('.').count(), 3);
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn request<'a>(&'a self, method: &'a str, path: &'a str) -> Request<'a, &'a Self> {
        Request::with_signer(self, method, path)
    }

    /// The token for `request`: header, payload
    /// `{"hrh","rqh","iss","exp","nbf","sub"}` as twilio-python writes
    /// them, and the RSA signature.
    fn sign_request<S>(&self, request: &Request<'_, S>) -> Result<String, ValidationError> {
        let issued_at = u64::try_from(unix_seconds(
            request.issued_at.unwrap_or_else(SystemTime::now),
        ))
        .ok()
        .filter(|&now| now <= i64::MAX as u64 - TTL_SECONDS)
        .ok_or(ValidationError::TimeOutOfRange)?;
        request.check_signed_names()?;
        let hrh = request.signed_header_names();
        let rqh = request.hash_with(&hrh)?;
        let mut payload = Vec::with_capacity(200 + hrh.len());
        payload.extend_from_slice(b"{\"hrh\":");
        write_str(&mut payload, &hrh);
        payload.extend_from_slice(b",\"rqh\":");
        write_str(&mut payload, &rqh);
        payload.extend_from_slice(b",\"iss\":");
        write_str(&mut payload, &self.api_key_sid);
        payload.extend_from_slice(
            format!(
                ",\"exp\":{},\"nbf\":{issued_at},\"sub\":",
                issued_at + TTL_SECONDS
            )
            .as_bytes(),
        );
        write_str(&mut payload, &self.account_sid);
        payload.push(b'}');

        let signature_len = self.key.public().modulus_len();
        let len = self.header.len()
            + 2
            + base64::encoded_len(payload.len(), false).unwrap_or(usize::MAX / 2)
            + base64::encoded_len(signature_len, false).unwrap_or(usize::MAX / 2);
        if len > MAX_TOKEN_LEN {
            return Err(ValidationError::TokenTooLong {
                len,
                max: MAX_TOKEN_LEN,
            });
        }
        let mut token = String::with_capacity(len);
        token.push_str(&self.header);
        token.push('.');
        base64url().encode_string(&payload, &mut token);
        let mut signature = vec![0; signature_len];
        self.key
            .sign(
                self.algorithm.encoding(),
                &self.rng,
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| ValidationError::SigningFailed)?;
        token.push('.');
        base64url().encode_string(&signature, &mut token);
        Ok(token)
    }
}

/// base64url of the header PyJWT writes, keys sorted:
/// `{"alg","cty","kid","typ"}`.
fn header_b64(algorithm: Algorithm, credential_sid: &str) -> String {
    let mut header = Vec::with_capacity(100);
    header.extend_from_slice(b"{\"alg\":");
    write_str(&mut header, algorithm.name());
    header.extend_from_slice(b",\"cty\":");
    write_str(&mut header, CONTENT_TYPE);
    header.extend_from_slice(b",\"kid\":");
    write_str(&mut header, credential_sid);
    header.extend_from_slice(b",\"typ\":\"JWT\"}");
    base64url().encode(header)
}

/// Each SID by its kind's prefix and shape.
pub(crate) fn check_sids<const N: usize>(
    sids: [(SidKind, &str); N],
) -> Result<(), ValidationError> {
    for (kind, value) in sids {
        if !sid::is_sid(value, kind.prefix()) {
            return Err(ValidationError::InvalidSid {
                kind,
                len: value.chars().count(),
            });
        }
    }
    Ok(())
}
