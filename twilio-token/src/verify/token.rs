//! A token's three segments: split, base64url-decoded, and the header
//! checked.

use base64::Engine;

use crate::b64::{ACCESS_HEADER_B64, ACCESS_HEADER_JSON, base64url};
use crate::builder::check_region;
use crate::error::{HeaderProblem, Malformed, Segment, VerifyError};
use crate::reader::{self, ReadError, Reader};
use crate::value::JsonObject;

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

/// A segment's bytes. A non-canonical encoding (stray bits in the last
/// character, or padding) is told apart from other text, since
/// re-encoding, not copying, made it.
fn decode(text: &str, segment: Segment) -> Result<Vec<u8>, VerifyError> {
    base64url().decode(text).map_err(|error| {
        VerifyError::Malformed(match error {
            base64::DecodeError::InvalidLastSymbol { .. } => Malformed::StrayBits(segment),
            base64::DecodeError::InvalidPadding => Malformed::Padded(segment),
            _ => Malformed::NotBase64(segment),
        })
    })
}

impl<'a> Token<'a> {
    /// Splits and decodes `jwt`; the tag only when `need_tag`.
    pub(super) fn split(jwt: &'a str, need_tag: bool) -> Result<Self, VerifyError> {
        if let Some(token) = Self::split_usual(jwt, need_tag) {
            return Ok(token);
        }
        if jwt.len() > MAX_TOKEN_LEN {
            return Err(VerifyError::Malformed(Malformed::TooLong {
                len: jwt.len(),
                limit: MAX_TOKEN_LEN,
            }));
        }
        let mut parts = jwt.split('.');
        let (Some(header), Some(payload), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed(Malformed::NotThreeSegments));
        };
        let tag = if need_tag {
            let mut buffer = [0u8; TAG_BUF];
            match base64url().decode_slice(tag, &mut buffer) {
                Ok(len) => Some((buffer, len)),
                // Valid but too long for a tag, or why it is not valid.
                Err(_) => decode(tag, Segment::Signature).map(|_| None)?,
            }
        } else {
            None
        };
        Ok(Token {
            signing_input: &jwt[..header.len() + 1 + payload.len()],
            header: (header != ACCESS_HEADER_B64)
                .then(|| decode(header, Segment::Header))
                .transpose()?,
            payload: decode(payload, Segment::Payload)?,
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
    /// is expected, with a message saying which verifier takes it. Gives
    /// the region (`twr`), if any.
    pub(super) fn header(&self, capability: bool) -> Result<Option<String>, VerifyError> {
        let invalid = VerifyError::InvalidHeader;
        let Some(bytes) = &self.header else {
            return match capability {
                true => Err(invalid(HeaderProblem::UnexpectedCty)),
                false => Ok(None),
            };
        };
        let text = std::str::from_utf8(bytes).map_err(|_| not_utf8(Segment::Header))?;
        let [mut alg, mut typ, mut cty, mut twr, mut crit] = [None; 5];
        read_object(text, Segment::Header, &[], |key, reader| {
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
        let text = |value: Option<&str>, field: &'static str| -> Result<String, VerifyError> {
            let mut reader = Reader::new(value.ok_or(invalid(HeaderProblem::MissingField(field)))?);
            match reader.next_is(b'"').then(|| reader.string()) {
                Some(Ok(text)) => Ok(text.into_owned()),
                _ => Err(invalid(HeaderProblem::NotString(field))),
            }
        };
        // A field that must be `wanted`; else `problem`, with its value.
        let expect = |value, field, wanted: &str, problem: fn(String) -> HeaderProblem| {
            let value = text(value, field)?;
            (value == wanted)
                .then_some(())
                .ok_or_else(|| invalid(problem(value)))
        };
        expect(alg, "alg", "HS256", HeaderProblem::Alg)?;
        expect(typ, "typ", "JWT", HeaderProblem::Typ)?;
        if crit.is_some() {
            // RFC 7515 §4.1.11: extensions a verifier does not understand
            // are refused, and this one understands none.
            return Err(invalid(HeaderProblem::Crit));
        }
        match (capability, cty) {
            (true, None) => return Ok(None),
            (true, Some(_)) => return Err(invalid(HeaderProblem::UnexpectedCty)),
            (false, None) => return Err(invalid(HeaderProblem::MissingCty)),
            (false, cty) => expect(cty, "cty", "twilio-fpa;v=1", HeaderProblem::Cty)?,
        }
        match twr.map(|value| text(Some(value), "twr")).transpose()? {
            Some(region) if check_region(&region).is_err() => {
                Err(invalid(HeaderProblem::Twr(region)))
            }
            twr => Ok(twr),
        }
    }

    /// The decoded payload, which must be UTF-8.
    pub(super) fn take_payload(&mut self) -> Result<String, VerifyError> {
        String::from_utf8(std::mem::take(&mut self.payload)).map_err(|_| not_utf8(Segment::Payload))
    }
}

fn not_utf8(segment: Segment) -> VerifyError {
    VerifyError::Malformed(Malformed::NotUtf8(segment))
}

/// What the reader found wrong in a segment: a key given twice, or other.
fn not_json(segment: Segment, error: &ReadError) -> VerifyError {
    VerifyError::Malformed(match error.duplicate_key() {
        Some(key) => Malformed::KeyTwice(segment, key.to_owned()),
        None => Malformed::NotJson(segment, error.to_string()),
    })
}

/// Reads `text`, a segment that must be a JSON object without a key given
/// twice, each entry given to `entry` (as [`Reader::object`], with its
/// `expected` keys).
pub(super) fn read_object<'a>(
    text: &'a str,
    segment: Segment,
    expected: &[&'static str],
    mut entry: impl FnMut(&str, &mut Reader<'a>) -> Result<bool, ReadError>,
) -> Result<(), VerifyError> {
    let mut reader = Reader::new(text);
    if !reader.next_is(b'{') {
        return Err(VerifyError::Malformed(Malformed::NotObject(segment)));
    }
    reader
        .object(expected, |key, reader| entry(key, reader))
        .and_then(|()| reader.end())
        .map_err(|error| not_json(segment, &error))
}

/// A token's header and payload as JSON objects, read as the verifier
/// reads them (size, segments, base64url, UTF-8, no key twice), and
/// nothing checked.
pub(crate) fn header_and_payload(jwt: &str) -> Result<(JsonObject, JsonObject), VerifyError> {
    let mut token = Token::split(jwt, false)?;
    let payload = token.take_payload()?;
    let header = match token.header {
        Some(bytes) => String::from_utf8(bytes).map_err(|_| not_utf8(Segment::Header))?,
        None => ACCESS_HEADER_JSON.to_owned(),
    };
    let object = |text: &str, segment| match Reader::new(text).next_is(b'{') {
        true => reader::from_str(text).map_err(|error| not_json(segment, &error)),
        false => Err(VerifyError::Malformed(Malformed::NotObject(segment))),
    };
    Ok((
        object(&header, Segment::Header)?,
        object(&payload, Segment::Payload)?,
    ))
}
