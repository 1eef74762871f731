//! The token's bytes: Twilio's claims as twilio-python writes them, HS256.

use base64::Engine;
use ring::hmac;

use crate::b64::{ACCESS_HEADER_B64, base64url};
use crate::grant::GrantSlot;
pub use crate::json::MAX_TOKEN_LEN;
use crate::json::{GRANT_DEPTH, KeySpans, PayloadWriter, push_bytes, write_str};
use crate::key::SigningKey;
use crate::time::TimeClaims;
use crate::{Error, swar};

/// The claims of one Access Token, borrowed from the builder, to be
/// written and signed.
pub(crate) struct ClaimsToSign<'a> {
    pub key_sid: &'a str,
    pub account_sid: &'a str,
    pub identity: &'a str,
    pub grants: &'a [GrantSlot<'a>],
    pub times: &'a TimeClaims,
    pub region: Option<&'a str>,
}

impl ClaimsToSign<'_> {
    /// Writes the payload: `jti, grants, iss, exp, nbf, sub`.
    fn write_payload(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        out.extend_from_slice(b"{\"jti\":\"");
        push_bytes(out, self.key_sid.as_bytes());
        out.push(b'-');
        let issued_at = Decimal::new(self.times.issued_at);
        issued_at.push_to(out);
        out.extend_from_slice(b"\",\"grants\":");
        write_grants(out, self.grants, self.identity)?;
        out.extend_from_slice(b",\"iss\":\"");
        push_bytes(out, self.key_sid.as_bytes());
        out.push(b'"');
        write_times(out, self.times, &issued_at);
        out.extend_from_slice(b",\"sub\":\"");
        push_bytes(out, self.account_sid.as_bytes());
        out.extend_from_slice(b"\"}");
        Ok(())
    }

    /// The signed token.
    pub(crate) fn sign(&self, key: &SigningKey) -> Result<String, Error> {
        with_scratch(|payload| {
            self.write_payload(payload)?;
            match self.region {
                None => assemble(
                    HeaderSegment::Encoded(ACCESS_HEADER_B64),
                    payload,
                    |input| key.sign(input),
                ),
                Some(region) => {
                    // The region was checked: lower-case letters and digits.
                    let header = format!(
                        "{{\"alg\":\"HS256\",\"cty\":\"twilio-fpa;v=1\",\"twr\":\"{region}\",\"typ\":\"JWT\"}}"
                    );
                    assemble(HeaderSegment::Json(header.as_bytes()), payload, |input| {
                        key.sign(input)
                    })
                }
            }
        })
    }
}

/// Writes a token's `grants` object: each grant under its key, then the
/// identity. Each grant's [`key`](crate::Grant::key) is asked once, then the
/// grant is checked ([`validate`](crate::Grant::validate)) and written; a key that is
/// empty, `identity` or another grant's is refused.
fn write_grants(out: &mut Vec<u8>, grants: &[GrantSlot<'_>], identity: &str) -> Result<(), Error> {
    out.push(b'{');
    let mut keys = KeySpans::default();
    for slot in grants {
        let grant = slot.get();
        let key = grant.key();
        if key.is_empty() || key == "identity" {
            return Err(Error::GrantPayload {
                grant: key.to_owned(),
                field: None,
                reason: "a grant key must not be empty or `identity`, which holds the identity"
                    .into(),
            });
        }
        let start = out.len();
        write_str(out, key);
        if !keys.add(out, (start, out.len())) {
            return Err(Error::DuplicateGrant {
                grant: key.to_owned(),
            });
        }
        out.push(b':');
        // Checked first, as `validate` checks: signing reports the same
        // first error. The derive's writer then only writes.
        grant.validate()?;
        PayloadWriter::write_object(out, key, GRANT_DEPTH, |payload| {
            grant.write_payload(payload)
        })?;
        out.push(b',');
    }
    out.extend_from_slice(b"\"identity\":");
    write_str(out, identity);
    out.push(b'}');
    Ok(())
}

/// Writes `,"exp":…` and, when there is one, `,"nbf":…`: the time claims
/// both kinds of token write after `iss`. `issued_at` is the issue time's
/// digits, already worked out, copied for an `nbf` at the issue time.
#[inline]
pub(crate) fn write_times(out: &mut Vec<u8>, times: &TimeClaims, issued_at: &Decimal) {
    out.extend_from_slice(b",\"exp\":");
    Decimal::new(times.expires).push_to(out);
    if let Some(not_before) = times.not_before {
        out.extend_from_slice(b",\"nbf\":");
        if not_before == times.issued_at {
            issued_at.push_to(out);
        } else {
            Decimal::new(not_before).push_to(out);
        }
    }
}

/// A token's first segment, the header: its base64url, or its JSON to
/// encode.
pub(crate) enum HeaderSegment<'a> {
    Encoded(&'a str),
    Json(&'a [u8]),
}

/// The signed token, assembled in one buffer: header, payload and the tag
/// `sign` gives for them, base64url-encoded in place; refused when longer
/// than [`MAX_TOKEN_LEN`].
pub(crate) fn assemble(
    header: HeaderSegment<'_>,
    payload: &[u8],
    sign: impl FnOnce(&[u8]) -> hmac::Tag,
) -> Result<String, Error> {
    let header_len = match header {
        HeaderSegment::Encoded(encoded) => encoded.len(),
        HeaderSegment::Json(json) => base64::encoded_len(json.len(), false).unwrap_or(usize::MAX),
    };
    let payload_len = base64::encoded_len(payload.len(), false).unwrap_or(usize::MAX);
    // Two dots and the tag's 43 characters.
    let len = header_len.saturating_add(payload_len).saturating_add(45);
    if len > MAX_TOKEN_LEN {
        return Err(Error::TokenTooLong {
            len,
            max: MAX_TOKEN_LEN,
        });
    }
    let mut token = Vec::with_capacity(len);
    match header {
        HeaderSegment::Encoded(encoded) => token.extend_from_slice(encoded.as_bytes()),
        HeaderSegment::Json(json) => encode_into(&mut token, json),
    }
    token.push(b'.');
    encode_into(&mut token, payload);
    let tag = sign(&token);
    token.push(b'.');
    encode_into(&mut token, tag.as_ref());
    // base64url is ASCII, so this never takes the lossy path.
    Ok(String::from_utf8(token)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}

/// Appends base64url of `input` to `out`.
fn encode_into(out: &mut Vec<u8>, input: &[u8]) {
    let start = out.len();
    let len = base64::encoded_len(input.len(), false).unwrap_or(0);
    out.resize(start + len, 0);
    let written = out
        .get_mut(start..)
        .and_then(|free| base64url().encode_slice(input, free).ok())
        .unwrap_or(0);
    out.truncate(start + written);
}

/// A number's decimal digits, worked out once and copied where needed (the
/// issue time is in `jti` and, usually, `nbf`).
pub(crate) enum Decimal {
    /// Every time from 2001 to 2286: ten digits, computed in registers and
    /// kept as two words, first digit lowest (bytes stored one by one and
    /// read back as a word stall the CPU).
    Ten(u16, u64),
    /// Any other number: its digits are the end of the array from `start`.
    Other { digits: [u8; 20], start: usize },
}

impl Decimal {
    #[inline]
    pub(crate) fn new(value: u64) -> Self {
        if (1_000_000_000..10_000_000_000).contains(&value) {
            // Below 100 and below 10^8: both fit a u32.
            let high = (value / 100_000_000) as u32;
            let low = (value % 100_000_000) as u32;
            let tens = u16::from_le_bytes([b'0' + (high / 10) as u8, b'0' + (high % 10) as u8]);
            return Decimal::Ten(tens, u64::from_le_bytes(swar::eight_digits(low)));
        }
        let mut digits = [b'0'; 20];
        let mut start = digits.len();
        let mut rest = value;
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                return Decimal::Other { digits, start };
            }
        }
    }

    /// Appends the digits.
    #[inline]
    fn push_to(&self, out: &mut Vec<u8>) {
        match self {
            Decimal::Ten(high, low) => {
                out.extend_from_slice(&high.to_le_bytes());
                out.extend_from_slice(&low.to_le_bytes());
            }
            Decimal::Other { digits, start } => {
                out.extend_from_slice(digits.get(*start..).unwrap_or_default());
            }
        }
    }
}

/// Runs `f` with an empty buffer reused across calls on this thread, so
/// minting allocates only the token itself. The buffer is moved out while
/// `f` runs: a nested call (a grant minting a token) gets a fresh one.
pub(crate) fn with_scratch<T>(f: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    use std::cell::Cell;
    thread_local! {
        static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }
    /// A buffer grown past this by a huge token is not kept.
    const KEEP: usize = 64 * 1024;
    let mut buffer = SCRATCH.try_with(Cell::take).unwrap_or_default();
    buffer.clear();
    let result = f(&mut buffer);
    if buffer.capacity() <= KEEP {
        let _ = SCRATCH.try_with(|cell| cell.set(buffer));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::{ClaimsToSign, Decimal};
    use crate::key::SigningKey;
    use crate::time::{TimeClaims, unix_seconds};

    /// The second block the key prepares is that of the tokens this code
    /// signs now with that key: the prefix comes from the signing code.
    #[test]
    fn the_prepared_second_block_is_a_signed_tokens() {
        let key = SigningKey::new("SKfedcba9876543210fedcba9876543210".into(), "secret").unwrap();
        let now = u64::try_from(unix_seconds(std::time::SystemTime::now())).unwrap();
        let token = ClaimsToSign {
            key_sid: &key.sid,
            account_sid: "AC0123456789abcdef0123456789abcdef",
            identity: "alice",
            grants: &[],
            times: &TimeClaims {
                issued_at: now,
                expires: now + 3600,
                not_before: Some(now),
            },
            region: None,
        }
        .sign(&key)
        .unwrap();
        assert_eq!(&key.prepared_second_block()[..], &token.as_bytes()[64..128]);
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for value in [
            0,
            7,
            10,
            99,
            100,
            101,
            999_999_999,
            1_000_000_000,
            9_999_999_999,
            10_000_000_000,
            1_700_000_000,
            1_700_003_600,
            u64::MAX,
        ] {
            let mut out = Vec::new();
            Decimal::new(value).push_to(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), value.to_string());
        }
    }
}
