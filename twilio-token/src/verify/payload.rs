//! The payload's claims, read in two steps in Twilio's order: the claims
//! before the signature is checked, the grants after the times.

use std::borrow::Cow;

use super::VerifyError;
use super::token::{malformed, read_object};
use crate::grants;
use crate::reader::{ReadError, Reader};
use crate::sid;

/// The claims' JSON texts; a claim given as `null` reads as absent.
#[derive(Default)]
pub(super) struct Payload<'a> {
    jti: Option<&'a str>,
    pub(super) grants: Option<&'a str>,
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    exp: Option<&'a str>,
    nbf: Option<&'a str>,
    iat: Option<&'a str>,
}

/// The times, checked as numbers but not yet against the clock.
pub(super) struct Times {
    pub(super) iat: Option<u64>,
    pub(super) not_before: Option<u64>,
    pub(super) expires: u64,
    /// What the lifetime is measured from: `iat`, the issue time in the
    /// `jti` (`SK…-1700000000`, as every official library writes it), or
    /// `nbf`.
    pub(super) issued_at: Option<u64>,
}

/// A JSON string's text, borrowed unless it holds escapes; `None` when
/// `raw` is not a string.
fn string(raw: &str) -> Option<Cow<'_, str>> {
    let mut reader = Reader::new(raw);
    if !reader.next_is(b'"') {
        return None;
    }
    reader.string().ok()
}

/// A JWT time: decimal digits only, at most `i64::MAX`.
fn time(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().filter(|&t| t <= i64::MAX as u64)
}

impl<'a> Payload<'a> {
    /// Reads the payload: a JSON object, no key given twice (20101).
    pub(super) fn read(text: &'a str) -> Result<Self, VerifyError> {
        let mut payload = Payload::default();
        read_object(text, "payload", |key, reader| {
            let claim = match key {
                "jti" => &mut payload.jti,
                "grants" => &mut payload.grants,
                "iss" => &mut payload.iss,
                "sub" => &mut payload.sub,
                "exp" => &mut payload.exp,
                "nbf" => &mut payload.nbf,
                "iat" => &mut payload.iat,
                _ => return Ok(false),
            };
            let value = reader.skip()?;
            *claim = Some(value).filter(|&value| value != "null");
            Ok(true)
        })?;
        Ok(payload)
    }

    /// `iss` or `sub`: a SID with `prefix`, else 20103.
    fn sid_claim(
        value: Option<&'a str>,
        claim: &str,
        prefix: &str,
        what: &str,
    ) -> Result<Cow<'a, str>, VerifyError> {
        let sid = value
            .and_then(string)
            .ok_or_else(|| VerifyError::InvalidIssuer {
                reason: format!("`{claim}` is missing or not a string"),
            })?;
        if !sid::is_sid(&sid, prefix) {
            return Err(VerifyError::InvalidIssuer {
                reason: format!(
                    "`{claim}` is not {what} (`{prefix}` followed by 32 lower-case hex digits)"
                ),
            });
        }
        Ok(sid)
    }

    /// The API key SID that signed the token.
    pub(super) fn issuer(&self) -> Result<Cow<'a, str>, VerifyError> {
        Self::sid_claim(self.iss, "iss", "SK", "an API key SID")
    }

    /// The account SID.
    pub(super) fn subject(&self) -> Result<Cow<'a, str>, VerifyError> {
        Self::sid_claim(self.sub, "sub", "AC", "an account SID")
    }

    /// The token's id, empty when absent.
    pub(super) fn jti(&self) -> Result<Cow<'a, str>, VerifyError> {
        match self.jti {
            None => Ok(Cow::Borrowed("")),
            Some(value) => string(value).ok_or_else(|| malformed("`jti` is not a string")),
        }
    }

    /// `exp` (20104), `nbf` (20105), `iat` (20157) as times.
    pub(super) fn times(&self, issuer: &str) -> Result<Times, VerifyError> {
        let expires = self
            .exp
            .ok_or(VerifyError::InvalidExpiry {
                reason: "`exp` is missing",
            })
            .and_then(|value| {
                time(value).ok_or(VerifyError::InvalidExpiry {
                    reason: "`exp` is not a non-negative integer number of seconds",
                })
            })?;
        let not_before = self
            .nbf
            .map(|value| {
                time(value).ok_or(VerifyError::InvalidNotBefore {
                    reason: "`nbf` is not a non-negative integer number of seconds",
                })
            })
            .transpose()?;
        let iat = match self.iat.map(time) {
            None => None,
            Some(Some(iat)) => Some(iat),
            Some(None) => return Err(VerifyError::LifetimeTooLong { seconds: u64::MAX }),
        };
        let from_jti = self
            .jti
            .and_then(string)
            .and_then(|jti| time(jti.strip_prefix(issuer)?.strip_prefix('-')?));
        Ok(Times {
            iat,
            not_before,
            expires,
            issued_at: iat.or(from_jti).or(not_before),
        })
    }

    /// Checks `grants` (20106): an object with distinct keys, `identity` a
    /// non-empty string, every grant an object, and every built-in grant
    /// one that decodes. Returns the identity.
    pub(super) fn grants(&self) -> Result<Cow<'a, str>, VerifyError> {
        let invalid = |reason: String| VerifyError::InvalidGrants { reason };
        let text = self
            .grants
            .ok_or_else(|| invalid("`grants` is missing".into()))?;
        let mut reader = Reader::new(text);
        if !reader.next_is(b'{') {
            return Err(invalid("`grants` is not an object".into()));
        }
        let mut identity = None;
        let mut problem = None;
        let read = reader.object(|key, reader| {
            if key == "identity" {
                identity = Some(reader.skip()?);
                return Ok(true);
            }
            let result = if reader.next_is(b'{') {
                match grants::check_built_in(key, reader) {
                    None => return Ok(false),
                    Some(result) => result,
                }
            } else {
                Err(ReadError(Cow::Borrowed("the grant is not an object")))
            };
            result.map(|()| true).inspect_err(|error| {
                problem = Some(VerifyError::InvalidGrant {
                    grant: key.to_string(),
                    reason: error.to_string(),
                });
            })
        });
        if let Some(problem) = problem {
            return Err(problem);
        }
        read.map_err(|error| invalid(format!("`grants`: {error}")))?;
        match identity.map(string) {
            Some(Some(identity)) if !identity.is_empty() => Ok(identity),
            Some(Some(_)) => Err(invalid("`identity` is empty".into())),
            Some(None) => Err(invalid("`identity` is not a string".into())),
            None => Err(invalid("`identity` is missing".into())),
        }
    }
}
