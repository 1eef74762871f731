//! A token's three segments: split, base64url-decoded, and the header
//! checked.

use base64::Engine;

use super::VerifyError;
use crate::b64::ACCESS_HEADER_B64;
use crate::b64::base64url;
use crate::builder::check_region;
use crate::reader::Reader;

pub use crate::jwt::MAX_TOKEN_LEN;

/// The three segments, decoded; the usual header (no region), which
/// almost every token has, is recognised by its base64 and not decoded.
pub(super) struct Token<'a> {
    pub(super) signing_input: &'a str,
    /// The decoded header, unless it is the usual one.
    header: Option<Vec<u8>>,
    payload: Vec<u8>,
    /// The tag, or `None` when it is valid base64url but longer than any
    /// HMAC-SHA256 tag (so the signature check fails).
    tag: Option<([u8; TAG_BUF], usize)>,
}

/// The length of an HMAC-SHA256 tag in base64url without padding.
const TAG_B64_LEN: usize = 43;

/// Room for an HMAC-SHA256 tag (32 bytes) and then some.
const TAG_BUF: usize = 48;

pub(super) fn malformed(reason: impl Into<String>) -> VerifyError {
    VerifyError::Malformed {
        reason: reason.into(),
    }
}

/// A segment that does not decode; a non-canonical encoding (stray bits in
/// the last character, or padding) is told apart from other text, since
/// re-encoding, not copying, made it.
fn not_base64(name: &str, error: &base64::DecodeError) -> VerifyError {
    malformed(match error {
        base64::DecodeError::InvalidLastSymbol { .. } => format!(
            "the {name}'s base64url is not canonical: its last character has bits no encoder sets"
        ),
        base64::DecodeError::InvalidPadding => {
            format!("the {name}'s base64url is not canonical: it has padding, which JWTs leave out")
        }
        _ => format!("the {name} is not base64url without padding or whitespace"),
    })
}

impl<'a> Token<'a> {
    pub(super) fn parse(jwt: &'a str) -> Result<Self, VerifyError> {
        Self::split(jwt, true)
    }

    pub(super) fn parse_unsigned(jwt: &'a str) -> Result<Self, VerifyError> {
        Self::split(jwt, false)
    }

    fn split(jwt: &'a str, need_tag: bool) -> Result<Self, VerifyError> {
        if let Some(token) = Self::split_usual(jwt, need_tag) {
            return Ok(token);
        }
        if jwt.len() > MAX_TOKEN_LEN {
            return Err(malformed(format!(
                "the token is {} bytes, over the {MAX_TOKEN_LEN}-byte limit",
                jwt.len()
            )));
        }
        let mut parts = jwt.split('.');
        let (Some(header), Some(payload), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "a token is three base64url segments separated by dots",
            ));
        };
        let tag = if need_tag {
            let mut buffer = [0u8; TAG_BUF];
            match base64url().decode_slice(tag, &mut buffer) {
                Ok(len) => Some((buffer, len)),
                Err(base64::DecodeSliceError::OutputSliceTooSmall) => {
                    base64url()
                        .decode(tag)
                        .map_err(|error| not_base64("signature", &error))?;
                    None
                }
                Err(base64::DecodeSliceError::DecodeError(error)) => {
                    return Err(not_base64("signature", &error));
                }
            }
        } else {
            None
        };
        let decoded_header = if header == ACCESS_HEADER_B64 {
            None
        } else {
            Some(
                base64url()
                    .decode(header)
                    .map_err(|error| not_base64("header", &error))?,
            )
        };
        Ok(Token {
            signing_input: &jwt[..header.len() + 1 + payload.len()],
            header: decoded_header,
            payload: base64url()
                .decode(payload)
                .map_err(|error| not_base64("payload", &error))?,
            tag,
        })
    }

    /// A well-formed token with the usual header, split without scanning
    /// its payload for dots: a dot there fails the payload's base64. `None`
    /// for anything else, which [`split`](Token::split) then words.
    fn split_usual(jwt: &'a str, need_tag: bool) -> Option<Self> {
        if jwt.len() > MAX_TOKEN_LEN {
            return None;
        }
        let rest = jwt.strip_prefix(ACCESS_HEADER_B64)?.strip_prefix('.')?;
        // An HMAC-SHA256 tag is 43 characters: its dot is found, not sought.
        let dot = rest.len().checked_sub(TAG_B64_LEN + 1)?;
        let (payload, tag) = match rest.as_bytes().get(dot) {
            Some(b'.') => (rest.get(..dot)?, rest.get(dot + 1..)?),
            _ => rest.rsplit_once('.')?,
        };
        let tag = if need_tag {
            let mut buffer = [0u8; TAG_BUF];
            let len = base64url().decode_slice(tag, &mut buffer).ok()?;
            Some((buffer, len))
        } else {
            None
        };
        Some(Token {
            signing_input: jwt.get(..ACCESS_HEADER_B64.len() + 1 + payload.len())?,
            header: None,
            payload: base64url().decode(payload).ok()?,
            tag,
        })
    }

    /// The tag's bytes (empty when too long to be one).
    pub(super) fn tag(&self) -> &[u8] {
        match &self.tag {
            Some((buffer, len)) => &buffer[..*len],
            None => &[],
        }
    }

    /// The header, checked: an Access Token's, or with `capability` a
    /// capability token's (no `cty`). Each kind is refused where the other
    /// is expected, with a message saying which verifier takes it.
    pub(super) fn header(&self, capability: bool) -> Result<Header, VerifyError> {
        let Some(bytes) = &self.header else {
            if capability {
                return Err(access_token_given());
            }
            return Ok(Header { twr: None });
        };
        let text = std::str::from_utf8(bytes).map_err(|_| malformed("the header is not UTF-8"))?;
        let [mut alg, mut typ, mut cty, mut twr, mut crit] = [None; 5];
        read_object(text, "header", &[], |key, reader| {
            let slot = match key {
                "alg" => &mut alg,
                "typ" => &mut typ,
                "cty" => &mut cty,
                "twr" => &mut twr,
                "crit" => &mut crit,
                _ => return Ok(false),
            };
            *slot = Some(reader.skip()?);
            Ok(true)
        })?;
        let text = |value: Option<&str>, name: &str| -> Result<String, VerifyError> {
            let value = value.ok_or_else(|| VerifyError::InvalidHeader {
                reason: format!("`{name}` is missing"),
            })?;
            let mut reader = Reader::new(value);
            match reader.next_is(b'"').then(|| reader.string()) {
                Some(Ok(text)) => Ok(text.into_owned()),
                _ => Err(VerifyError::InvalidHeader {
                    reason: format!("`{name}` is not a string"),
                }),
            }
        };
        let alg = text(alg, "alg")?;
        if alg != "HS256" {
            return Err(VerifyError::InvalidHeader {
                reason: format!("`alg` is {alg:?}; Twilio tokens use \"HS256\""),
            });
        }
        let typ = text(typ, "typ")?;
        if typ != "JWT" {
            return Err(VerifyError::InvalidHeader {
                reason: format!("`typ` is {typ:?}, not \"JWT\""),
            });
        }
        if crit.is_some() {
            // RFC 7515 §4.1.11: extensions a verifier does not understand
            // are refused, and this one understands none.
            return Err(VerifyError::InvalidHeader {
                reason: "`crit` names header extensions that must be understood, and Twilio tokens use none".into(),
            });
        }
        if capability {
            return match cty {
                Some(_) => Err(access_token_given()),
                None => Ok(Header { twr: None }),
            };
        }
        if cty.is_none() {
            return Err(VerifyError::InvalidHeader {
                reason: "`cty` is missing: an Access Token's is \"twilio-fpa;v=1\"; a capability token (signed with the Auth Token) has none: verify those with `capability::CapabilityVerifier`".into(),
            });
        }
        let cty = text(cty, "cty")?;
        if cty != "twilio-fpa;v=1" {
            return Err(VerifyError::InvalidHeader {
                reason: format!("`cty` is {cty:?}, not \"twilio-fpa;v=1\""),
            });
        }
        let twr = twr.map(|value| text(Some(value), "twr")).transpose()?;
        if let Some(region) = &twr
            && check_region(region).is_err()
        {
            return Err(VerifyError::InvalidHeader {
                reason: format!(
                    "`twr` is {region:?}, not a region code (two lower-case letters and a number, such as \"us1\" or \"ie1\")"
                ),
            });
        }
        Ok(Header { twr })
    }

    /// The decoded payload, which must be UTF-8.
    pub(super) fn take_payload(&mut self) -> Result<String, VerifyError> {
        String::from_utf8(std::mem::take(&mut self.payload))
            .map_err(|_| malformed("the payload is not UTF-8"))
    }
}

fn access_token_given() -> VerifyError {
    VerifyError::InvalidHeader {
        reason: "the header has `cty`: this is an Access Token (signed with an API key), not a capability token; verify it with `Verifier`".into(),
    }
}

/// Reads `text`, a segment that must be a JSON object without a key given
/// twice, each entry given to `entry` (as [`Reader::object`], with its
/// `expected` keys).
pub(super) fn read_object<'a>(
    text: &'a str,
    name: &str,
    expected: &[&'static str],
    mut entry: impl FnMut(&str, &mut Reader<'a>) -> Result<bool, crate::reader::ReadError>,
) -> Result<(), VerifyError> {
    let mut reader = Reader::new(text);
    if !reader.next_is(b'{') {
        return Err(malformed(format!("the {name} is not a JSON object")));
    }
    reader
        .object(expected, |key, reader| entry(key, reader))
        .and_then(|()| reader.end())
        .map_err(|error| malformed(format!("the {name}: {error}")))
}

/// The header's one optional claim.
pub(super) struct Header {
    pub(super) twr: Option<String>,
}
