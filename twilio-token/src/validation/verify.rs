//! Checking a Client Validation JWT against the public key and the
//! request, as Twilio does: structure, header, signature, times, request
//! hash.

use std::time::SystemTime;

use base64::Engine;
use ring::signature::{self, UnparsedPublicKey};
use serde::Deserialize;

use super::{
    Algorithm, CONTENT_TYPE, Request, ValidationError, ValidationVerifyError, check_sids, key,
};
use crate::b64::base64url;
use crate::jwt::MAX_TOKEN_LEN;
use crate::time::unix_seconds;
use crate::{SidKind, reader};

/// Verifies Client Validation JWTs made with one credential: its SID
/// (`CR…`, the token's `kid`) and its public key (PEM `BEGIN PUBLIC KEY`,
/// as uploaded to Twilio).
///
/// ```
/// use twilio_token::validation::{ValidationError, ValidationVerifier};
///
/// let verifier = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", include_str!("test-key.pub.pem"))?;
/// let err = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", include_str!("test-key.pem")).unwrap_err();
/// assert_eq!(err, ValidationError::PrivateKeyGiven);
/// # drop(verifier);
/// # Ok::<(), ValidationError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ValidationVerifier {
    credential_sid: String,
    /// The PKCS#1 RSAPublicKey ring verifies with.
    public_key: Vec<u8>,
}

/// What a verified Client Validation JWT says.
///
/// ```
/// # use std::time::{Duration, UNIX_EPOCH};
/// # use twilio_token::validation::{ClientValidation, Request, ValidationVerifier};
/// # let signer = ClientValidation::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210",
/// #     "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
/// # let verifier = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", include_str!("test-key.pub.pem"))?;
/// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let jwt = signer.request("GET", "/").issued_at(now).sign()?;
/// let claims = verifier.verify_at(&jwt, &Request::new("GET", "/"), now)?;
/// assert_eq!(claims.signed_headers, "authorization;host");
/// assert_eq!((claims.not_before, claims.expires), (Some(1_700_000_000), 1_700_000_300));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationClaims {
    /// `sub`: the account SID.
    pub account_sid: String,
    /// `iss`: the API key SID.
    pub api_key_sid: String,
    /// `hrh`: the signed header names, joined with `;`.
    pub signed_headers: String,
    /// `exp`, unix seconds.
    pub expires: u64,
    /// `nbf`, unix seconds.
    pub not_before: Option<u64>,
    /// The header's `alg`.
    pub algorithm: Algorithm,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    cty: Option<String>,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Payload {
    hrh: String,
    rqh: String,
    iss: String,
    exp: u64,
    nbf: Option<u64>,
    sub: String,
}

fn malformed(reason: impl Into<String>) -> ValidationVerifyError {
    ValidationVerifyError::Malformed {
        reason: reason.into(),
    }
}

fn decode(segment: &str, what: &str) -> Result<Vec<u8>, ValidationVerifyError> {
    base64url()
        .decode(segment)
        .map_err(|_| malformed(format!("the {what} is not base64url")))
}

impl ValidationVerifier {
    /// Checks the credential SID and reads the public key: PEM, `BEGIN
    /// PUBLIC KEY` (or PKCS#1's `BEGIN RSA PUBLIC KEY`), RSA of 2048 to
    /// 8192 bits.
    ///
    /// ```
    /// use twilio_token::validation::{ValidationError, ValidationVerifier};
    /// let err = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", "not a key").unwrap_err();
    /// assert_eq!(err, ValidationError::NotPem);
    /// ```
    pub fn new(credential_sid: &str, public_key_pem: &str) -> Result<Self, ValidationError> {
        check_sids([(SidKind::Credential, credential_sid)])?;
        Ok(ValidationVerifier {
            credential_sid: credential_sid.to_owned(),
            public_key: key::public_key(public_key_pem)?,
        })
    }

    /// Verifies `jwt` for `request` now.
    ///
    /// ```
    /// # use twilio_token::validation::{ClientValidation, Request, ValidationVerifier};
    /// # let signer = ClientValidation::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210",
    /// #     "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// # let verifier = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", include_str!("test-key.pub.pem"))?;
    /// let jwt = signer.request("GET", "/v1/Services").sign()?;
    /// assert!(verifier.verify(&jwt, &Request::new("GET", "/v1/Services")).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify<S>(
        &self,
        jwt: &str,
        request: &Request<'_, S>,
    ) -> Result<ValidationClaims, ValidationVerifyError> {
        self.verify_at(jwt, request, SystemTime::now())
    }

    /// Verifies `jwt` for `request` at `now`: the structure, the header
    /// (`RS256` or `PS256`, `cty`, `kid` this credential), the signature,
    /// the times (no leeway), then that `rqh` is the request's hash with
    /// the headers `hrh` names.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use twilio_token::validation::{Request, ValidationVerifier, ValidationVerifyError};
    /// # use twilio_token::validation::ClientValidation;
    /// # let signer = ClientValidation::new("AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210",
    /// #     "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// # let verifier = ValidationVerifier::new("CR00112233445566778899aabbccddeeff", include_str!("test-key.pub.pem"))?;
    /// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let jwt = signer.request("GET", "/v1/Services").issued_at(now).sign()?;
    /// let err = verifier.verify_at(&jwt, &Request::new("GET", "/v1/Services").query("a=1"), now).unwrap_err();
    /// assert_eq!(err, ValidationVerifyError::RequestMismatch);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_at<S>(
        &self,
        jwt: &str,
        request: &Request<'_, S>,
        now: SystemTime,
    ) -> Result<ValidationClaims, ValidationVerifyError> {
        if jwt.len() > MAX_TOKEN_LEN {
            return Err(malformed(format!(
                "{} bytes, over the {MAX_TOKEN_LEN}-byte limit",
                jwt.len()
            )));
        }
        let mut segments = jwt.split('.');
        let (Some(header), Some(payload), Some(signature), None) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return Err(malformed("not three segments separated by dots"));
        };
        let header_json = decode(header, "header")?;
        let header_text =
            std::str::from_utf8(&header_json).map_err(|_| malformed("the header is not UTF-8"))?;
        let header: Header = reader::from_str(header_text)
            .map_err(|error| malformed(format!("the header: {error}")))?;
        let (algorithm, verification): (_, &dyn signature::VerificationAlgorithm) =
            match header.alg.as_str() {
                "RS256" => (Algorithm::Rs256, &signature::RSA_PKCS1_2048_8192_SHA256),
                "PS256" => (Algorithm::Ps256, &signature::RSA_PSS_2048_8192_SHA256),
                alg => {
                    return Err(ValidationVerifyError::UnsupportedAlgorithm {
                        alg: alg.chars().take(32).collect(),
                    });
                }
            };
        if header.cty.as_deref() != Some(CONTENT_TYPE) {
            return Err(ValidationVerifyError::WrongContentType {
                cty: header.cty.map(|cty| cty.chars().take(64).collect()),
            });
        }
        if header.kid.as_deref() != Some(self.credential_sid.as_str()) {
            return Err(ValidationVerifyError::WrongCredential {
                kid: header.kid.unwrap_or_default().chars().take(64).collect(),
            });
        }
        let signature = decode(signature, "signature")?;
        let signing_input = jwt.get(..header_len(jwt)).unwrap_or_default();
        UnparsedPublicKey::new(verification, &self.public_key)
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| ValidationVerifyError::InvalidSignature)?;
        let payload_json = decode(payload, "payload")?;
        let payload_text = std::str::from_utf8(&payload_json)
            .map_err(|_| malformed("the payload is not UTF-8"))?;
        let payload: Payload = reader::from_str(payload_text)
            .map_err(|error| malformed(format!("the payload: {error}")))?;
        let now = u64::try_from(unix_seconds(now)).unwrap_or(0);
        if payload.exp <= now {
            return Err(ValidationVerifyError::Expired {
                expires: payload.exp,
            });
        }
        if let Some(not_before) = payload.nbf.filter(|&nbf| nbf > now) {
            return Err(ValidationVerifyError::NotYetValid { not_before });
        }
        let rqh = request
            .hash_with(&payload.hrh)
            .map_err(|error| malformed(format!("the request cannot be hashed: {error}")))?;
        if rqh != payload.rqh {
            return Err(ValidationVerifyError::RequestMismatch);
        }
        Ok(ValidationClaims {
            account_sid: payload.sub,
            api_key_sid: payload.iss,
            signed_headers: payload.hrh,
            expires: payload.exp,
            not_before: payload.nbf,
            algorithm,
        })
    }
}

/// The length of the signing input: up to the second dot.
fn header_len(jwt: &str) -> usize {
    jwt.match_indices('.').nth(1).map_or(0, |(at, _)| at)
}
