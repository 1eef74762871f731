//! The payload's claims, read in two steps in Twilio's order: the claims
//! before the signature is checked, the grants after the times.

use std::borrow::Cow;

use super::token::read_object;
use crate::error::{Malformed, Segment, VerifyError};
use crate::grants;
use crate::reader::{ReadError, Reader};
use crate::sid;

/// A claim's value: a string's text (borrowed unless it holds escapes),
/// or any other JSON value's text.
#[derive(Clone)]
enum Claim<'a> {
    Text(Cow<'a, str>),
    Json(&'a str),
}

impl<'a> Claim<'a> {
    /// Reads a value: a claim given as `null` is there, and not a string
    /// or a time.
    fn read(reader: &mut Reader<'a>) -> Result<Option<Self>, ReadError> {
        if reader.next_is(b'"') {
            return reader.string().map(|text| Some(Claim::Text(text)));
        }
        reader.skip().map(|json| Some(Claim::Json(json)))
    }

    fn text(&self) -> Option<&Cow<'a, str>> {
        match self {
            Claim::Text(text) => Some(text),
            Claim::Json(_) => None,
        }
    }

    fn json(&self) -> Option<&'a str> {
        match self {
            Claim::Text(_) => None,
            Claim::Json(json) => Some(json),
        }
    }
}

/// The claims, read in one pass. `grants` is checked as it is read, and
/// its first problem kept to be reported in its turn (20106, after the
/// signature and the times).
#[derive(Default)]
pub(super) struct Payload<'a> {
    jti: Option<Claim<'a>>,
    grants: Option<Grants<'a>>,
    iss: Option<Claim<'a>>,
    sub: Option<Claim<'a>>,
    exp: Option<Claim<'a>>,
    nbf: Option<Claim<'a>>,
    iat: Option<Claim<'a>>,
}

/// What reading `grants` found.
pub(super) struct Grants<'a> {
    /// The object's text.
    pub(super) text: &'a str,
    identity: Option<Claim<'a>>,
    problem: Option<VerifyError>,
}

impl<'a> Grants<'a> {
    /// Reads `grants`: an object with distinct keys, every grant an object,
    /// every built-in grant one that its decoder reads.
    fn read(reader: &mut Reader<'a>, payload: &'a str) -> Result<Option<Self>, ReadError> {
        let invalid = |reason: &str| VerifyError::InvalidGrants {
            reason: reason.into(),
        };
        if !reader.next_is(b'{') {
            let json = reader.skip()?;
            return Ok((json != "null").then(|| Grants {
                text: json,
                identity: None,
                problem: Some(invalid("`grants` is not an object")),
            }));
        }
        let start = reader.offset();
        let mut identity = None;
        let mut problem = None;
        reader
            .object(grants::GRANTS_KEYS, |key, reader| {
                if key == "identity" {
                    identity = Claim::read(reader)?;
                    return Ok(true);
                }
                let at = reader.checkpoint();
                let result = if key.is_empty() {
                    // The builder refuses it too: every grant it can sign.
                    Err(ReadError::new("a grant's key is empty"))
                } else if reader.next_is(b'{') {
                    // Another grant is checked as `Claims::grants` reads
                    // it: no key given twice, however deep.
                    grants::check_built_in(key, reader).unwrap_or_else(|| reader.check())
                } else {
                    Err(ReadError::new("the grant is not an object"))
                };
                if let Err(error) = result {
                    // A grant that does not decode: read past it as JSON
                    // (a syntax error there is the token's), keep the first.
                    reader.rewind(at);
                    reader.skip()?;
                    problem.get_or_insert(VerifyError::InvalidGrant {
                        grant: key.to_string(),
                        reason: error.to_string(),
                    });
                }
                Ok(true)
            })
            .or_else(|error| match error.duplicate_key() {
                // A key given twice in `grants` is the grants' problem,
                // once the rest is read.
                Some(key) => {
                    problem.get_or_insert(VerifyError::GrantKeyTwice {
                        key: key.to_owned(),
                    });
                    reader.finish_object()
                }
                None => Err(error),
            })?;
        let text = payload.get(start..reader.offset()).unwrap_or_default();
        Ok(Some(Grants {
            text,
            identity,
            problem,
        }))
    }
}

/// The times, checked as numbers but not yet against the clock.
pub(super) struct Validity {
    pub(super) iat: Option<u64>,
    pub(super) not_before: Option<u64>,
    pub(super) expires: u64,
    /// The issue time, what the lifetime is measured from: `iat`, else the
    /// time in the `jti` (`SK…-1700000000`, as every official library
    /// writes it).
    pub(super) issued_at: Option<u64>,
}

/// A JWT time: decimal digits only, at most `i64::MAX`.
fn time(value: &str) -> Option<u64> {
    // Digit by digit: `str::parse` checks signs and radixes this never has.
    if value.is_empty() || value.len() > 19 {
        return None;
    }
    value
        .bytes()
        .try_fold(0u64, |time, b| {
            b.is_ascii_digit().then(|| time * 10 + u64::from(b - b'0'))
        })
        .filter(|&t| t <= i64::MAX as u64)
}

impl<'a> Payload<'a> {
    /// Reads the payload: a JSON object, no key given twice (20101).
    pub(super) fn read(text: &'a str) -> Result<Self, VerifyError> {
        let mut payload = Payload::default();
        // twilio-python's order; other libraries' read as well.
        read_object(
            text,
            Segment::Payload,
            &["jti", "grants", "iss", "exp", "nbf", "sub"],
            |key, reader| {
                let claim = match key {
                    "grants" => {
                        payload.grants = Grants::read(reader, text)?;
                        return Ok(true);
                    }
                    "jti" => &mut payload.jti,
                    "iss" => &mut payload.iss,
                    "sub" => &mut payload.sub,
                    "exp" => &mut payload.exp,
                    "nbf" => &mut payload.nbf,
                    "iat" => &mut payload.iat,
                    _ => return Ok(false),
                };
                *claim = Claim::read(reader)?;
                Ok(true)
            },
        )?;
        if payload
            .iat
            .as_ref()
            .is_some_and(|iat| iat.json().and_then(time).is_none())
        {
            return Err(VerifyError::Malformed(Malformed::NotSeconds("iat")));
        }
        Ok(payload)
    }

    /// The `grants` object's text, if it is one.
    pub(super) fn grants_text(&self) -> &'a str {
        self.grants.as_ref().map_or("{}", |grants| grants.text)
    }

    /// `iss` or `sub`: a SID with `prefix`, else 20103.
    fn sid_claim(
        value: Option<&Claim<'a>>,
        claim: &str,
        prefix: &str,
        what: &str,
    ) -> Result<Cow<'a, str>, VerifyError> {
        let sid =
            value
                .and_then(Claim::text)
                .cloned()
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
        Self::sid_claim(self.iss.as_ref(), "iss", "SK", "an API key SID")
    }

    /// The account SID.
    /// A capability token's `iss`: the account SID.
    pub(super) fn account_issuer(&self) -> Result<Cow<'a, str>, VerifyError> {
        Self::sid_claim(self.iss.as_ref(), "iss", "AC", "an account SID")
    }

    pub(super) fn subject(&self) -> Result<Cow<'a, str>, VerifyError> {
        Self::sid_claim(self.sub.as_ref(), "sub", "AC", "an account SID")
    }

    /// The token's id, empty when absent.
    pub(super) fn jti(&self) -> Result<Cow<'a, str>, VerifyError> {
        match &self.jti {
            None => Ok(Cow::Borrowed("")),
            Some(Claim::Text(jti)) => Ok(jti.clone()),
            Some(Claim::Json(_)) => Err(VerifyError::Malformed(Malformed::NotString("jti"))),
        }
    }

    /// `exp` (20104), `nbf` (20105), `iat` (20157) as times.
    pub(super) fn times(&self, issuer: &str) -> Result<Validity, VerifyError> {
        let expires = self
            .exp
            .as_ref()
            .ok_or(VerifyError::InvalidExpiry {
                reason: "`exp` is missing",
            })
            .and_then(|value| {
                value
                    .json()
                    .and_then(time)
                    .ok_or(VerifyError::InvalidExpiry {
                        reason: "`exp` is not a non-negative integer number of seconds",
                    })
            })?;
        let not_before = self
            .nbf
            .as_ref()
            .map(|value| {
                value
                    .json()
                    .and_then(time)
                    .ok_or(VerifyError::InvalidNotBefore {
                        reason: "`nbf` is not a non-negative integer number of seconds",
                    })
            })
            .transpose()?;
        // Checked when the payload was read.
        let iat = self.iat.as_ref().and_then(Claim::json).and_then(time);
        let from_jti = self
            .jti
            .as_ref()
            .and_then(Claim::text)
            .and_then(|jti| time(jti.strip_prefix(issuer)?.strip_prefix('-')?));
        Ok(Validity {
            iat,
            not_before,
            expires,
            issued_at: iat.or(from_jti),
        })
    }

    /// The first problem in `grants` (20106), or the identity: a
    /// non-empty string.
    pub(super) fn identity(&self) -> Result<Cow<'a, str>, VerifyError> {
        let invalid = |reason: &str| VerifyError::InvalidGrants {
            reason: reason.into(),
        };
        let grants = self
            .grants
            .as_ref()
            .ok_or_else(|| invalid("`grants` is missing"))?;
        if let Some(problem) = &grants.problem {
            return Err(problem.clone());
        }
        match &grants.identity {
            Some(Claim::Text(identity)) if !identity.is_empty() => Ok(identity.clone()),
            Some(Claim::Text(_)) => Err(invalid("`identity` is empty")),
            Some(Claim::Json(_)) => Err(invalid("`identity` is not a string")),
            None => Err(invalid("`identity` is missing")),
        }
    }
}
