//! Verifying tokens the way Twilio does, with the error code a client sees.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use ring::hmac;
use std::borrow::Cow;
use std::sync::OnceLock;

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::builder::MAX_TTL;
use crate::claims::Text;
use crate::credentials::{SigningKey, check_account_sid};
use crate::grant::private::without_position;
#[allow(deprecated)] // the legacy grants are checked too
use crate::grants::{
    ChatGrant, ConversationsGrant, IpMessagingGrant, PlaybackGrant, SyncGrant, TaskRouterGrant,
    VideoGrant, VoiceGrant,
};
use crate::jwt::{HEADER_B64, base64url};
use crate::raw::{Key, RawObject, plain_str};
use crate::reader::{GiveUp, Reader};
use crate::{Claims, Credentials, DecodeGrant, sid, swar};

/// The longest token accepted: 16 KiB. Real tokens are a few KB; the cap
/// bounds the work an attacker can ask for.
///
/// ```
/// let huge = "a".repeat(twilio_token::MAX_TOKEN_LEN + 1);
/// assert_eq!(twilio_token::decode_unverified(&huge).unwrap_err().twilio_code(), 20101);
/// ```
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Checks tokens as Twilio does: structure, header, issuer and account,
/// signature (in constant time), expiry, Twilio's 24-hour lifetime,
/// not-before, grants, in that order.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::{AccessToken, Credentials, Verifier, grants::VideoGrant};
///
/// let credentials = Credentials::new(
///     "AC0123456789abcdef0123456789abcdef",
///     "SKfedcba9876543210fedcba9876543210",
///     "secret",
/// )?;
/// let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let jwt = AccessToken::builder()
///     .credentials(&credentials)
///     .identity("alice")
///     .grant(VideoGrant::room("standup"))
///     .issued_at(issued)
///     .sign()?;
///
/// let verifier = Verifier::new().credentials(&credentials);
/// let claims = verifier.verify_at(&jwt, issued + Duration::from_secs(60))?;
/// assert_eq!(claims.identity(), "alice");
/// assert_eq!(claims.grant::<VideoGrant>().transpose()?, Some(VideoGrant::room("standup")));
///
/// let err = verifier.verify_at(&jwt, issued + Duration::from_secs(3600)).unwrap_err();
/// assert_eq!(err.twilio_code(), 20104); // expired
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Verifier {
    keys: Vec<SigningKey>,
    account_sid: Option<String>,
    leeway: Duration,
    misconfigured: Option<String>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.keys.iter().map(|key| key.sid.as_str()).collect();
        f.debug_struct("Verifier")
            .field("keys", &keys)
            .field("account_sid", &self.account_sid)
            .field("leeway", &self.leeway)
            .field("misconfigured", &self.misconfigured)
            .finish()
    }
}

impl Verifier {
    /// A verifier with no key yet: add one with [`key`](Verifier::key) or
    /// [`credentials`](Verifier::credentials).
    ///
    /// ```
    /// let verifier = twilio_token::Verifier::new();
    /// assert_eq!(verifier.verify("a.b.c").unwrap_err().twilio_code(), 20103);
    /// ```
    pub fn new() -> Self {
        Verifier::default()
    }

    /// Accepts tokens signed with this API key. Call it once per key during
    /// a key rotation: the token's `iss` picks the key. A malformed key SID
    /// or an empty secret makes every `verify` fail with
    /// [`VerifyError::Configuration`], never a silent pass.
    ///
    /// ```
    /// let verifier = twilio_token::Verifier::new()
    ///     .key("SKfedcba9876543210fedcba9876543210", "old-secret")
    ///     .key("SK0123456789abcdef0123456789abcdef", "new-secret");
    /// # drop(verifier);
    /// ```
    pub fn key(mut self, key_sid: impl Into<String>, secret: impl Into<String>) -> Self {
        let secret = zeroize::Zeroizing::new(secret.into());
        match SigningKey::new(key_sid.into(), &secret) {
            Ok(key) => self.keys.push(key),
            Err(error) => self.misconfigure(error.to_string()),
        }
        self
    }

    /// Accepts tokens signed with these credentials' key, for their account.
    ///
    /// ```
    /// let credentials = twilio_token::Credentials::new(
    ///     "AC0123456789abcdef0123456789abcdef",
    ///     "SKfedcba9876543210fedcba9876543210",
    ///     "secret",
    /// )?;
    /// let verifier = twilio_token::Verifier::new().credentials(&credentials);
    /// # drop(verifier);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn credentials(mut self, credentials: &Credentials) -> Self {
        self.keys.push(credentials.signing_key().clone());
        self.account_sid(credentials.account_sid())
    }

    /// Requires tokens to be for this account (`sub`).
    ///
    /// ```
    /// let verifier = twilio_token::Verifier::new().account_sid("AC0123456789abcdef0123456789abcdef");
    /// # drop(verifier);
    /// ```
    pub fn account_sid(mut self, account_sid: impl Into<String>) -> Self {
        let account_sid = account_sid.into();
        if let Err(error) = check_account_sid(&account_sid) {
            self.misconfigure(error.to_string());
        }
        self.account_sid = Some(account_sid);
        self
    }

    /// Tolerates clocks that differ by up to `leeway` for `exp` and `nbf`.
    /// Default: zero.
    ///
    /// ```
    /// let verifier = twilio_token::Verifier::new().leeway(std::time::Duration::from_secs(30));
    /// # drop(verifier);
    /// ```
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    fn misconfigure(&mut self, reason: String) {
        self.misconfigured.get_or_insert(reason);
    }

    /// Verifies `jwt` now.
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`VerifyError`] with its Twilio code.
    ///
    /// ```
    /// let verifier = twilio_token::Verifier::new().key("SKfedcba9876543210fedcba9876543210", "secret");
    /// assert_eq!(verifier.verify("not a token").unwrap_err().twilio_code(), 20101);
    /// ```
    pub fn verify(&self, jwt: &str) -> Result<Claims, VerifyError> {
        self.verify_at(jwt, SystemTime::now())
    }

    /// Verifies `jwt` as of `now`.
    ///
    /// A token is valid while `nbf - leeway <= now < exp + leeway`.
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`VerifyError`] with its Twilio code.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let verifier = twilio_token::Verifier::new().key("SKfedcba9876543210fedcba9876543210", "secret");
    /// let err = verifier.verify_at("e30.e30.e30", UNIX_EPOCH + Duration::from_secs(1)).unwrap_err();
    /// assert_eq!(err.twilio_code(), 20102); // `{}` is no Twilio header
    /// ```
    pub fn verify_at(&self, jwt: &str, now: SystemTime) -> Result<Claims, VerifyError> {
        if let Some(reason) = &self.misconfigured {
            return Err(VerifyError::Configuration {
                reason: reason.clone(),
            });
        }
        if self.keys.is_empty() {
            return Err(VerifyError::Configuration {
                reason: "no API key to verify with: call `.key(\"SK…\", secret)` or `.credentials(&credentials)`".into(),
            });
        }
        let mut token = Token::parse(jwt)?;
        let text = token.take_payload()?;
        // Filled in place: a payload moved out of a `Result` is copied
        // through the stack, more than once.
        let mut payload = Payload::default();
        read_payload(&text, &mut payload)?;
        let header = token.header()?;

        // 3. Issuer and account.
        let issuer = payload.issuer()?;
        let key = self
            .keys
            .iter()
            .find(|key| key.sid == *issuer)
            .ok_or_else(|| VerifyError::UnknownIssuer {
                issuer: issuer.clone().into_owned(),
            })?;
        let subject = payload.subject()?;
        if let Some(expected) = &self.account_sid
            && **expected != *subject
        {
            return Err(VerifyError::WrongAccount {
                expected: expected.clone(),
                found: subject.into_owned(),
            });
        }

        // 4. Signature, in constant time.
        hmac::verify(&key.hmac, token.signing_input.as_bytes(), token.tag())
            .map_err(|_| VerifyError::InvalidSignature)?;

        // 5.-7. Times.
        let now = unix_seconds(now);
        let leeway = i128::from(self.leeway.as_secs());
        let times = payload.times(&issuer, now)?;
        if now >= i128::from(times.expires) + leeway {
            return Err(VerifyError::Expired {
                expired_at: times.expires,
            });
        }
        let lifetime = i128::from(times.expires) - times.issued_at;
        if lifetime > i128::from(MAX_TTL.as_secs()) {
            return Err(VerifyError::LifetimeTooLong {
                seconds: u64::try_from(lifetime).unwrap_or(u64::MAX),
            });
        }
        if let Some(not_before) = times.not_before
            && now < i128::from(not_before) - leeway
        {
            return Err(VerifyError::NotYetValid { not_before });
        }

        // 8. Grants.
        let parsed = Parsed::read(&text, &payload, issuer, subject)?;
        Ok(parsed.into_claims(text, header, times))
    }
}

/// Decodes a token's claims **without verifying it**: no signature, no
/// times, no issuer. For debugging and display only; never trust what it
/// returns. Use [`Verifier::verify`] to check a token.
///
/// # Errors
///
/// [`VerifyError`] when the token is not a well-formed Twilio token (codes
/// 20101 to 20106; times are read but not compared to the clock).
///
/// ```
/// let jwt = "eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0.eyJqdGkiOiJTS2ZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwLTE3MDAwMDAwMDAiLCJncmFudHMiOnsiaWRlbnRpdHkiOiJhbGljZSJ9LCJpc3MiOiJTS2ZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwIiwiZXhwIjoxNzAwMDAzNjAwLCJuYmYiOjE3MDAwMDAwMDAsInN1YiI6IkFDMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYifQ.forged";
/// let claims = twilio_token::decode_unverified(jwt)?;
/// assert_eq!(claims.identity(), "alice"); // but anyone could have written it
/// # Ok::<(), twilio_token::VerifyError>(())
/// ```
pub fn decode_unverified(jwt: &str) -> Result<Claims, VerifyError> {
    let mut token = Token::parse_unsigned(jwt)?;
    let text = token.take_payload()?;
    let mut payload = Payload::default();
    read_payload(&text, &mut payload)?;
    let header = token.header()?;
    let issuer = payload.issuer()?;
    let subject = payload.subject()?;
    let times = payload.times(&issuer, 0)?;
    let parsed = Parsed::read(&text, &payload, issuer, subject)?;
    Ok(parsed.into_claims(text, header, times))
}

/// The string claims, as positions in the payload text, once the grants
/// are checked (20106).
struct Parsed {
    jti: Text,
    issuer: Text,
    subject: Text,
    identity: Text,
}

impl Parsed {
    fn read(
        text: &str,
        payload: &Payload<'_>,
        issuer: Cow<'_, str>,
        subject: Cow<'_, str>,
    ) -> Result<Parsed, VerifyError> {
        let identity = payload.grants()?;
        Ok(Parsed {
            jti: Text::new(text, payload.jti()?),
            issuer: Text::new(text, issuer),
            subject: Text::new(text, subject),
            identity: Text::new(text, identity),
        })
    }

    fn into_claims(self, payload: String, header: Header, times: Times) -> Claims {
        Claims {
            payload,
            region: header.twr,
            jti: self.jti,
            issuer: self.issuer,
            subject: self.subject,
            identity: self.identity,
            issued_at: times.iat,
            not_before: times.not_before,
            expires: times.expires,
            grants_map: OnceLock::new(),
        }
    }
}

fn unix_seconds(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i128::from(since.as_secs()),
        Err(before) => -i128::from(before.duration().as_secs()) - 1,
    }
}

/// The three segments, decoded; the usual header (no region), which
/// almost every token has, is recognised by its base64 and not decoded.
struct Token<'a> {
    signing_input: &'a str,
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

fn malformed(reason: impl Into<String>) -> VerifyError {
    VerifyError::Malformed {
        reason: reason.into(),
    }
}

fn not_base64(name: &str) -> VerifyError {
    malformed(format!(
        "the {name} is not base64url without padding or whitespace"
    ))
}

impl<'a> Token<'a> {
    fn parse(jwt: &'a str) -> Result<Self, VerifyError> {
        Self::split(jwt, true)
    }

    fn parse_unsigned(jwt: &'a str) -> Result<Self, VerifyError> {
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
                        .map_err(|_| not_base64("signature"))?;
                    None
                }
                Err(base64::DecodeSliceError::DecodeError(_)) => {
                    return Err(not_base64("signature"));
                }
            }
        } else {
            None
        };
        let decoded_header = if header == HEADER_B64 {
            None
        } else {
            Some(
                base64url()
                    .decode(header)
                    .map_err(|_| not_base64("header"))?,
            )
        };
        Ok(Token {
            signing_input: &jwt[..header.len() + 1 + payload.len()],
            header: decoded_header,
            payload: base64url()
                .decode(payload)
                .map_err(|_| not_base64("payload"))?,
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
        let rest = jwt.strip_prefix(HEADER_B64)?.strip_prefix('.')?;
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
            signing_input: jwt.get(..HEADER_B64.len() + 1 + payload.len())?,
            header: None,
            payload: base64url().decode(payload).ok()?,
            tag,
        })
    }

    /// The tag's bytes (empty when too long to be one).
    fn tag(&self) -> &[u8] {
        match &self.tag {
            Some((buffer, len)) => &buffer[..*len],
            None => &[],
        }
    }

    fn header(&self) -> Result<Header, VerifyError> {
        let Some(bytes) = &self.header else {
            return Ok(Header { twr: None });
        };
        let text = std::str::from_utf8(bytes).map_err(|_| malformed("the header is not UTF-8"))?;
        let header: RawHeader = parse_object(text, "header")?;
        let text = |value: Option<&RawValue>, name: &str| -> Result<String, VerifyError> {
            let value = value.ok_or_else(|| VerifyError::InvalidHeader {
                reason: format!("`{name}` is missing"),
            })?;
            serde_json::from_str(value.get()).map_err(|_| VerifyError::InvalidHeader {
                reason: format!("`{name}` is not a string"),
            })
        };
        let alg = text(header.alg, "alg")?;
        if alg != "HS256" {
            return Err(VerifyError::InvalidHeader {
                reason: format!("`alg` is {alg:?}; Twilio tokens use \"HS256\""),
            });
        }
        let typ = text(header.typ, "typ")?;
        if typ != "JWT" {
            return Err(VerifyError::InvalidHeader {
                reason: format!("`typ` is {typ:?}, not \"JWT\""),
            });
        }
        let cty = text(header.cty, "cty")?;
        if cty != "twilio-fpa;v=1" {
            return Err(VerifyError::InvalidHeader {
                reason: format!("`cty` is {cty:?}, not \"twilio-fpa;v=1\""),
            });
        }
        let twr = header
            .twr
            .map(|value| text(Some(value), "twr"))
            .transpose()?;
        Ok(Header { twr })
    }

    /// The decoded payload, which must be UTF-8.
    fn take_payload(&mut self) -> Result<String, VerifyError> {
        String::from_utf8(std::mem::take(&mut self.payload))
            .map_err(|_| malformed("the payload is not UTF-8"))
    }
}

/// Parses a segment that must be a JSON object without duplicated keys.
fn parse_object<'de, T: Deserialize<'de>>(text: &'de str, name: &str) -> Result<T, VerifyError> {
    if !text.trim_start().starts_with('{') {
        return Err(malformed(format!("the {name} is not a JSON object")));
    }
    serde_json::from_str(text).map_err(|error| malformed(format!("the {name}: {error}")))
}

#[derive(Deserialize)]
struct RawHeader<'a> {
    #[serde(borrow)]
    alg: Option<&'a RawValue>,
    #[serde(borrow)]
    typ: Option<&'a RawValue>,
    #[serde(borrow)]
    cty: Option<&'a RawValue>,
    #[serde(borrow)]
    twr: Option<&'a RawValue>,
}

struct Header {
    twr: Option<String>,
}

/// The claims' raw JSON texts, and what reading `grants` found.
#[derive(Default)]
struct Payload<'a> {
    jti: Option<&'a str>,
    grants: Option<GrantsSeen<'a>>,
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    exp: Option<&'a str>,
    nbf: Option<&'a str>,
    iat: Option<&'a str>,
    /// The text has no backslash: strings are their text between quotes.
    plain: bool,
}

/// The payload as serde_json reads it; a `null` claim reads as absent.
#[derive(Deserialize)]
struct CarefulPayload<'a> {
    #[serde(borrow)]
    jti: Option<&'a RawValue>,
    #[serde(borrow)]
    grants: Option<GrantsSeen<'a>>,
    #[serde(borrow)]
    iss: Option<&'a RawValue>,
    #[serde(borrow)]
    sub: Option<&'a RawValue>,
    #[serde(borrow)]
    exp: Option<&'a RawValue>,
    #[serde(borrow)]
    nbf: Option<&'a RawValue>,
    #[serde(borrow)]
    iat: Option<&'a RawValue>,
}

struct Times {
    iat: Option<u64>,
    not_before: Option<u64>,
    expires: u64,
    /// What the lifetime is measured from.
    issued_at: i128,
}

/// A JWT time: a non-negative integer of at most `i64::MAX`.
fn time(value: &str) -> Option<u64> {
    decimal(value).filter(|&t| t <= i64::MAX as u64)
}

/// Decimal digits (one or more, nothing else) as a `u64`, if it fits.
fn decimal(digits: &str) -> Option<u64> {
    // Every time from 2001 to 2286 has ten digits: eight read at once.
    if let Some((eight, two)) = digits
        .as_bytes()
        .first_chunk::<10>()
        .filter(|_| digits.len() == 10)
        .and_then(|ten| ten.split_first_chunk::<8>())
    {
        let [tens, ones] = [two.first()?, two.last()?].map(|b| b.wrapping_sub(b'0'));
        if tens > 9 || ones > 9 {
            return None;
        }
        return Some(swar::read_eight_digits(eight)? * 100 + u64::from(tens * 10 + ones));
    }
    // std's parser, which skips the overflow checks for up to 19 digits;
    // it also takes a leading `+`, which JSON does not.
    if digits.starts_with('+') {
        return None;
    }
    digits.parse().ok()
}

impl<'a> Payload<'a> {
    /// A string claim, borrowed unless it holds escapes.
    fn string(&self, value: Option<&'a str>) -> Option<Cow<'a, str>> {
        let value = value?;
        if self.plain {
            let text = value.strip_prefix('"')?.strip_suffix('"')?;
            return Some(Cow::Borrowed(text));
        }
        plain_or_unescaped(value)
    }

    /// `iss` or `sub`: a SID with `prefix`, else 20103.
    fn sid_claim(
        &self,
        value: Option<&'a str>,
        claim: &str,
        prefix: &str,
        what: &str,
    ) -> Result<Cow<'a, str>, VerifyError> {
        let sid = self
            .string(value)
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

    fn issuer(&self) -> Result<Cow<'a, str>, VerifyError> {
        self.sid_claim(self.iss, "iss", "SK", "an API key SID")
    }

    fn subject(&self) -> Result<Cow<'a, str>, VerifyError> {
        self.sid_claim(self.sub, "sub", "AC", "an account SID")
    }

    fn jti(&self) -> Result<Cow<'a, str>, VerifyError> {
        match self.jti {
            None => Ok(Cow::Borrowed("")),
            Some(value) => self
                .string(Some(value))
                .ok_or_else(|| malformed("`jti` is not a string")),
        }
    }

    fn times(&self, issuer: &str, now: i128) -> Result<Times, VerifyError> {
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
            Some(None) => {
                return Err(VerifyError::LifetimeTooLong { seconds: u64::MAX });
            }
        };
        let from_jti = self
            .string(self.jti)
            .and_then(|jti| decimal(jti.strip_prefix(issuer)?.strip_prefix('-')?));
        let issued_at = iat.or(from_jti).or(not_before).map_or(now, i128::from);
        Ok(Times {
            iat,
            not_before,
            expires,
            issued_at,
        })
    }

    /// The identity, once `grants` is an object with unique keys,
    /// `identity` a non-empty string, every grant an object and every known
    /// grant well-formed.
    fn grants(&self) -> Result<Cow<'a, str>, VerifyError> {
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
        match self.string(grants.identity) {
            Some(identity) if !identity.is_empty() => Ok(identity),
            Some(_) => Err(invalid("`identity` is empty")),
            None if grants.identity.is_some() => Err(invalid("`identity` is not a string")),
            None => Err(invalid("`identity` is missing")),
        }
    }
}

/// What reading `grants` found, in the same pass as the rest of the
/// payload: the identity's raw value, and the first problem.
struct GrantsSeen<'a> {
    identity: Option<&'a str>,
    problem: Option<VerifyError>,
}

/// The payload: read by the fast reader, or, when it gives up, by
/// serde_json, which keeps each problem in `grants` to report in its turn
/// (after the signature and the times) and words every other error.
fn read_payload<'a>(text: &'a str, payload: &mut Payload<'a>) -> Result<(), VerifyError> {
    if read_fast(text, payload).is_err() {
        *payload = read_careful(text)?;
    }
    Ok(())
}

/// The payload, by serde_json.
fn read_careful(text: &str) -> Result<Payload<'_>, VerifyError> {
    let careful: CarefulPayload<'_> = parse_object(text, "payload")?;
    fn raw(value: Option<&RawValue>) -> Option<&str> {
        value.map(RawValue::get)
    }
    Ok(Payload {
        jti: raw(careful.jti),
        grants: careful.grants,
        iss: raw(careful.iss),
        sub: raw(careful.sub),
        exp: raw(careful.exp),
        nbf: raw(careful.nbf),
        iat: raw(careful.iat),
        plain: false,
    })
}

/// The usual payload, by the fast reader, which checks the known grants
/// as it goes. It gives up where serde_json might read something else or
/// would find a problem: a claim twice or `null`, a grant key twice, a
/// grant that is not a well-formed object. Into `payload`, which starts
/// empty; what it holds after giving up is to be thrown away.
fn read_fast<'a>(text: &'a str, payload: &mut Payload<'a>) -> Result<(), GiveUp> {
    let mut reader = Reader::new(text);
    reader.begin_object()?;
    let mut first = true;
    // Tokens minted here and by twilio-python list the claims in this
    // order: their keys are compared whole rather than scanned. Whatever
    // is left, in any order, is read below.
    // Their values are read whole when they have the usual sizes: a jti
    // (`"SK…-1700000000"`), SIDs and ten-digit times.
    if reader.next_key_is(&mut first, b"\"jti\":") {
        payload.jti = Some(sized_claim::<JTI_LEN>(&mut reader)?);
    }
    if reader.next_key_is(&mut first, b"\"grants\":") {
        payload.grants = Some(read_grants_fast(&mut reader)?);
    }
    if reader.next_key_is(&mut first, b"\"iss\":") {
        payload.iss = Some(sized_claim::<QUOTED_SID_LEN>(&mut reader)?);
    }
    if reader.next_key_is(&mut first, b"\"exp\":") {
        payload.exp = Some(sized_claim::<10>(&mut reader)?);
    }
    if reader.next_key_is(&mut first, b"\"nbf\":") {
        payload.nbf = Some(sized_claim::<10>(&mut reader)?);
    }
    if reader.next_key_is(&mut first, b"\"sub\":") {
        payload.sub = Some(sized_claim::<QUOTED_SID_LEN>(&mut reader)?);
    }
    while let Some(key) = reader.next_key(&mut first)? {
        let claim = match key {
            "jti" => &mut payload.jti,
            "iss" => &mut payload.iss,
            "sub" => &mut payload.sub,
            "exp" => &mut payload.exp,
            "nbf" => &mut payload.nbf,
            "iat" => &mut payload.iat,
            "grants" if payload.grants.is_none() => {
                payload.grants = Some(read_grants_fast(&mut reader)?);
                continue;
            }
            "grants" => return Err(GiveUp),
            _ => {
                reader.skip()?;
                continue;
            }
        };
        take_claim(&mut reader, claim)?;
    }
    reader.end()?;
    // The reader gives up at a backslash: no string has an escape.
    payload.plain = true;
    Ok(())
}

/// [`read_fast`] into a new payload.
#[cfg(any(test, fuzzing))]
fn read_fast_new(text: &str) -> Result<Payload<'_>, GiveUp> {
    let mut payload = Payload::default();
    read_fast(text, &mut payload).map(|()| payload)
}

/// A SID in its quotes.
const QUOTED_SID_LEN: usize = sid::SID_LEN + 2;

/// `jti` as minted: the key SID, a dash and a ten-digit time, in quotes.
const JTI_LEN: usize = sid::SID_LEN + 1 + 10 + 2;

/// A claim's value as text, read whole when it is `N` bytes long; the
/// first of the claims, which are not given twice yet. `null` gives up.
fn sized_claim<'a, const N: usize>(reader: &mut Reader<'a>) -> Result<&'a str, GiveUp> {
    match reader.sized::<N>() {
        Some(value) => Ok(value),
        None if reader.next_is(b'n') => Err(GiveUp),
        None => reader.skip(),
    }
}

/// A claim's value as text; a claim given twice, or `null`, gives up.
fn take_claim<'a>(reader: &mut Reader<'a>, claim: &mut Option<&'a str>) -> Result<(), GiveUp> {
    if claim.is_some() || reader.next_is(b'n') {
        return Err(GiveUp);
    }
    *claim = Some(reader.skip()?);
    Ok(())
}

/// `grants`, by the fast reader: an object with at most sixteen distinct
/// keys, every grant an object, every known grant well-formed.
fn read_grants_fast<'a>(reader: &mut Reader<'a>) -> Result<GrantsSeen<'a>, GiveUp> {
    reader.begin_object()?;
    // The keys seen, as text: the fast reader meets no escaped key, so
    // unlike `SeenKeys` (the careful reader's) no key needs unescaping.
    let mut seen = [""; 16];
    let mut len = 0;
    let mut identity = None;
    let mut first = true;
    while let Some(key) = reader.next_key(&mut first)? {
        if seen[..len].contains(&key) {
            return Err(GiveUp);
        }
        *seen.get_mut(len).ok_or(GiveUp)? = key;
        len += 1;
        if key == "identity" {
            identity = Some(reader.skip()?);
        } else if let Some(check) = known_check::<&mut Reader<'a>>(key) {
            check(reader)?;
        } else if reader.next_is(b'{') {
            reader.skip()?;
        } else {
            return Err(GiveUp);
        }
    }
    Ok(GrantsSeen {
        identity,
        problem: None,
    })
}

impl<'de: 'a, 'a> Deserialize<'de> for GrantsSeen<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(GrantsVisitor(PhantomData))
    }
}

struct GrantsVisitor<'a>(PhantomData<&'a ()>);

impl<'a> GrantsVisitor<'a> {
    fn not_an_object() -> GrantsSeen<'a> {
        GrantsSeen {
            identity: None,
            problem: Some(VerifyError::InvalidGrants {
                reason: "`grants` is not an object".into(),
            }),
        }
    }
}

impl<'de: 'a, 'a> Visitor<'de> for GrantsVisitor<'a> {
    type Value = GrantsSeen<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut seen = SeenKeys::default();
        let mut identity = None;
        let mut problem = None;
        while let Some(key) = access.next_key::<Key<'de>>()? {
            let value: &'de RawValue = access.next_value()?;
            if problem.is_some() {
                continue;
            }
            if seen.contains(&key) {
                problem = Some(VerifyError::InvalidGrants {
                    reason: format!("`grants` has the key `{}` twice", &*key),
                });
            } else if &*key == "identity" {
                identity = Some(value.get());
            } else {
                problem = check_grant(&key, value.get()).err();
            }
            seen.insert(key);
        }
        Ok(GrantsSeen { identity, problem })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        while access.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Self::not_an_object())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Self::not_an_object())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Self::not_an_object())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Self::not_an_object())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Self::not_an_object())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Self::not_an_object())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Self::not_an_object())
    }
}

/// The keys of `grants` seen so far: the first sixteen without allocating.
struct SeenKeys<'a> {
    inline: [Option<Key<'a>>; 16],
    more: Vec<Key<'a>>,
}

impl Default for SeenKeys<'_> {
    fn default() -> Self {
        SeenKeys {
            inline: [const { None }; 16],
            more: Vec::new(),
        }
    }
}

impl<'a> SeenKeys<'a> {
    fn contains(&self, key: &str) -> bool {
        self.inline
            .iter()
            .flatten()
            .chain(&self.more)
            .any(|seen| **seen == *key)
    }

    fn insert(&mut self, key: Key<'a>) {
        match self.inline.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(key),
            None => self.more.push(key),
        }
    }
}

/// A JSON string value's text, borrowed unless it holds escapes; `None`
/// when `raw` is not a string.
fn plain_or_unescaped(raw: &str) -> Option<Cow<'_, str>> {
    match plain_str(raw) {
        Some(text) => Some(Cow::Borrowed(text)),
        None => serde_json::from_str::<String>(raw).ok().map(Cow::Owned),
    }
}

/// Checks one grant: an object, and well-formed (JSON types, not SID
/// formats) when it is one this crate knows.
fn check_grant(key: &str, payload: &str) -> Result<(), VerifyError> {
    let invalid = |reason: String| VerifyError::InvalidGrant {
        grant: key.to_owned(),
        reason,
    };
    if RawObject::new(payload).is_none() {
        return Err(invalid("the grant is not an object".into()));
    }
    let mut deserializer = serde_json::Deserializer::from_str(payload);
    match known_check(key) {
        Some(check) => check(&mut deserializer)
            .and_then(|()| deserializer.end())
            .map_err(|error| invalid(without_position(&error))),
        None => Ok(()),
    }
}

/// The check of a grant this crate knows, by key.
#[allow(clippy::type_complexity)]
fn known_check<'de, D: GrantCheck<'de>>(key: &str) -> Option<fn(D) -> Result<(), D::Error>> {
    #[allow(deprecated)]
    let check: fn(D) -> Result<(), D::Error> = match key {
        VideoGrant::KEY => D::check::<VideoGrant>,
        VoiceGrant::KEY => D::check::<VoiceGrant>,
        ChatGrant::KEY => D::check::<ChatGrant>,
        SyncGrant::KEY => D::check::<SyncGrant>,
        TaskRouterGrant::KEY => D::check::<TaskRouterGrant>,
        PlaybackGrant::KEY => D::check::<PlaybackGrant>,
        IpMessagingGrant::KEY => D::check::<IpMessagingGrant>,
        ConversationsGrant::KEY => D::check::<ConversationsGrant>,
        _ => return None,
    };
    Some(check)
}

/// How a reader checks a known grant: serde_json through the derive's
/// serde check, the fast reader through its direct one.
trait GrantCheck<'de>: de::Deserializer<'de> {
    fn check<G: DecodeGrant<'de>>(self) -> Result<(), Self::Error>;
}

impl<'de> GrantCheck<'de> for &mut serde_json::Deserializer<serde_json::de::StrRead<'de>> {
    fn check<G: DecodeGrant<'de>>(self) -> Result<(), Self::Error> {
        G::check_in(self)
    }
}

impl<'de> GrantCheck<'de> for &mut Reader<'de> {
    fn check<G: DecodeGrant<'de>>(self) -> Result<(), Self::Error> {
        G::check_fast(self)
    }
}

/// Why a token was rejected, with the Twilio error code a client would see.
///
/// ```
/// use twilio_token::VerifyError;
/// assert_eq!(VerifyError::InvalidSignature.twilio_code(), 20107);
/// assert!(VerifyError::InvalidSignature.to_string().contains("20107"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The verifier has no usable key or a malformed account SID; nothing
    /// can be verified until it is fixed.
    Configuration {
        /// What is wrong.
        reason: String,
    },
    /// Not three base64url segments of JSON objects, or over
    /// [`MAX_TOKEN_LEN`] (20101).
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
    /// subject, also for a misconfigured verifier), 20104 (expired), 20105
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
            VerifyError::Configuration { .. }
            | VerifyError::InvalidIssuer { .. }
            | VerifyError::UnknownIssuer { .. }
            | VerifyError::WrongAccount { .. } => 20103,
            VerifyError::InvalidExpiry { .. } | VerifyError::Expired { .. } => 20104,
            VerifyError::InvalidNotBefore { .. } | VerifyError::NotYetValid { .. } => 20105,
            VerifyError::InvalidGrants { .. } | VerifyError::InvalidGrant { .. } => 20106,
            VerifyError::InvalidSignature => 20107,
            VerifyError::LifetimeTooLong { .. } => 20157,
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.twilio_code();
        match self {
            VerifyError::Configuration { reason } => {
                write!(f, "the verifier is misconfigured: {reason}")
            }
            VerifyError::Malformed { reason } => write!(f, "malformed token ({code}): {reason}"),
            VerifyError::InvalidHeader { reason } => {
                write!(f, "invalid token header ({code}): {reason}")
            }
            VerifyError::InvalidIssuer { reason } => {
                write!(f, "invalid issuer or subject ({code}): {reason}")
            }
            VerifyError::UnknownIssuer { issuer } => write!(
                f,
                "unknown issuer ({code}): the token is signed with API key {issuer}, which this verifier does not have; add it with `.key()`"
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
                "the token expired ({code}) at {expired_at} (unix seconds): mint a new one"
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
                "the token is not valid yet ({code}): nbf is {not_before} (unix seconds); check the clocks or allow leeway"
            ),
            VerifyError::InvalidGrants { reason } => write!(f, "invalid grants ({code}): {reason}"),
            VerifyError::InvalidGrant { grant, reason } => {
                write!(f, "invalid grant `{grant}` ({code}): {reason}")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// How the fast reader and serde_json disagree on `text`, if they do:
/// `None` when the fast reader gives up or reads what serde_json reads.
/// For the property tests and the fuzz target.
#[cfg(any(test, fuzzing))]
pub(crate) fn fast_read_disagreement(text: &str) -> Option<String> {
    /// The fields of a payload, as the verifier goes on to use them.
    fn seen(payload: &Payload<'_>) -> Vec<Option<String>> {
        let text = |value: Option<&str>| value.map(str::to_owned);
        let string = |value| payload.string(value).map(Cow::into_owned);
        let grants = payload.grants.as_ref();
        vec![
            text(payload.jti),
            text(payload.iss),
            text(payload.sub),
            text(payload.exp),
            text(payload.nbf),
            text(payload.iat),
            string(payload.jti),
            string(payload.iss),
            string(payload.sub),
            grants.map(|_| "grants".to_owned()),
            grants.and_then(|grants| text(grants.identity)),
            grants.and_then(|grants| string(grants.identity)),
            grants.and_then(|grants| grants.problem.as_ref().map(ToString::to_string)),
        ]
    }
    let fast = read_fast_new(text).ok()?;
    match read_careful(text) {
        Err(error) => Some(format!(
            "serde_json refuses what the fast reader read: {error}"
        )),
        Ok(careful) if seen(&fast) != seen(&careful) => Some(format!(
            "the fast reader read {:?}, serde_json {:?}",
            seen(&fast),
            seen(&careful)
        )),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    /// Whatever the fast reader reads, serde_json reads the same (the fast
    /// reader never finds a problem in `grants`: it gives up). Whether the
    /// fast reader read it.
    fn agrees(text: &str) -> Result<bool, TestCaseError> {
        if let Some(disagreement) = fast_read_disagreement(text) {
            return Err(TestCaseError::fail(format!("{disagreement}: {text}")));
        }
        Ok(read_fast_new(text).is_ok())
    }

    const PAYLOAD: &str = r#"{"jti":"SKfedcba9876543210fedcba9876543210-1700000000","grants":{"identity":"alice","video":{"room":"standup"},"voice":{"incoming":{"allow":true},"outgoing":{"application_sid":"AP11111111111111111111111111111111","params":{"to":"+1555"}}},"chat":{"service_sid":"IS33333333333333333333333333333333"},"custom":{"a":[1,-2,null]}},"iss":"SKfedcba9876543210fedcba9876543210","exp":1700003600,"nbf":1700000000,"sub":"AC0123456789abcdef0123456789abcdef"}"#;

    #[test]
    fn times_and_jti_numbers_are_plain_decimal_digits() {
        assert_eq!(decimal("0"), Some(0));
        assert_eq!(decimal("1700000000"), Some(1_700_000_000));
        assert_eq!(decimal("18446744073709551615"), Some(u64::MAX));
        for not in [
            "",
            "18446744073709551616",
            "+1",
            "-1",
            "1a",
            " 1",
            "1.0",
            "１",
        ] {
            assert_eq!(decimal(not), None, "{not}");
        }
        // Ten digits take the eight-at-once path: every byte in every
        // position against std's parser.
        for position in 0..10 {
            for byte in 0..=255u8 {
                let mut digits = *b"1700003600";
                digits[position] = byte;
                let Ok(digits) = std::str::from_utf8(&digits) else {
                    continue;
                };
                let expected = (byte != b'+').then(|| digits.parse().ok()).flatten();
                assert_eq!(decimal(digits), expected, "{digits}");
            }
        }
        for value in [
            1_000_000_000u64,
            1_234_567_890,
            9_999_999_999,
            9_876_543_210,
        ] {
            assert_eq!(decimal(&value.to_string()), Some(value));
        }
        assert_eq!(decimal("0000000000"), Some(0));
        assert_eq!(time("9223372036854775807"), Some(i64::MAX as u64));
        assert_eq!(time("9223372036854775808"), None);
    }

    #[test]
    fn the_fast_reader_reads_the_usual_token() {
        let fast = read_fast_new(PAYLOAD).map_err(|_| "gave up").unwrap();
        assert!(fast.plain);
        assert_eq!(fast_read_disagreement(PAYLOAD), None);
        assert_eq!(fast.exp, Some("1700003600"));
        assert_eq!(fast.grants.unwrap().identity, Some(r#""alice""#));
        assert!(matches!(agrees(PAYLOAD), Ok(true)));
    }

    /// The payload of a token minted here with every built-in grant, in
    /// the shapes the builder writes; and as twilio-node writes claims
    /// (`iat`, no `nbf`).
    #[test]
    #[allow(deprecated)]
    fn the_fast_reader_reads_every_built_in_grant_as_minted() {
        use crate::grants::*;
        let params: Map<String, Value> = (0..40).map(|i| (format!("p{i}"), json!(i))).collect();
        let grants: [Box<dyn crate::Grant>; 8] = [
            Box::new(VideoGrant::room("standup")),
            Box::new(VoiceGrant {
                incoming_allow: true,
                outgoing_application_params: Some(params),
                push_credential_sid: Some("CR22222222222222222222222222222222".into()),
                endpoint_id: Some("alice-phone".into()),
                ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
            }),
            Box::new(ChatGrant::service("IS33333333333333333333333333333333")),
            Box::new(SyncGrant::service("IS44444444444444444444444444444444")),
            Box::new(TaskRouterGrant {
                workspace_sid: Some("WS55555555555555555555555555555555".into()),
                worker_sid: Some("WK66666666666666666666666666666666".into()),
                role: Some("worker".into()),
            }),
            Box::new(PlaybackGrant::new(
                json!({"playbackUrl": "https://example.com/p", "requestCredentials": null})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            )),
            Box::new(IpMessagingGrant {
                service_sid: Some("IS77777777777777777777777777777777".into()),
                ..IpMessagingGrant::default()
            }),
            Box::new(ConversationsGrant {
                configuration_profile_sid: Some("CP88888888888888888888888888888888".into()),
            }),
        ];
        let mut builder = crate::AccessToken::builder()
            .account_sid("AC0123456789abcdef0123456789abcdef")
            .signing_key("SKfedcba9876543210fedcba9876543210", "secret")
            .identity("alice")
            .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        for grant in &grants {
            builder = builder.grant(&**grant);
        }
        let jwt = builder.sign().unwrap();
        let mut token = Token::parse(&jwt).unwrap();
        let text = token.take_payload().unwrap();
        let fast = read_fast_new(&text).map_err(|_| "gave up").unwrap();
        assert_eq!(fast.grants.unwrap().identity, Some(r#""alice""#));
        assert!(matches!(agrees(&text), Ok(true)));
        let node_style = text.replace(r#""nbf":1700000000"#, r#""iat":1700000000"#);
        assert_ne!(node_style, text);
        assert!(matches!(agrees(&node_style), Ok(true)), "{node_style}");
    }

    #[test]
    fn the_fast_reader_gives_up_where_serde_json_must_decide() {
        for (from, to) in [
            (r#""identity":"alice""#, r#""identity":"al\u0069ce""#),
            (
                r#""identity":"alice""#,
                r#""identity":"alice","identity":"bob""#,
            ),
            (r#""exp":1700003600"#, r#""exp":1700003600.0"#),
            (r#""exp":1700003600"#, r#""exp":null"#),
            (r#""iss":"#, r#""iss":"x","iss":"#),
            (r#""room":"standup""#, r#""room":7"#),
            (r#"{"room":"standup"}"#, r#"["standup"]"#),
            (r#"{"allow":true}"#, r#"[true]"#),
            (r#""custom":{"a""#, r#""custom":["a""#),
            (r#""sub":"#, r#""grants":{},"sub":"#),
        ] {
            let text = PAYLOAD.replace(from, to);
            assert_ne!(text, PAYLOAD);
            assert!(read_fast_new(&text).is_err(), "{text}");
        }
        assert!(read_fast_new(&format!("{PAYLOAD} x")).is_err());
        assert!(read_fast_new(&format!("[{PAYLOAD}]")).is_err());
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            2 => Just(Value::Null),
            2 => any::<bool>().prop_map(Value::Bool),
            2 => any::<i64>().prop_map(Value::from),
            2 => any::<u64>().prop_map(Value::from),
            1 => (-1e3f64..1e3).prop_map(Value::from),
            1 => "[a-z\\\\\"\u{e9}\u{1}/ ]{0,8}".prop_map(Value::String),
            3 => "[a-z\u{e9}\u{2603}/ ]{0,8}".prop_map(Value::String),
            2 => Just(json!("AP11111111111111111111111111111111")),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec((key(FIELDS), inner), 0..4)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    const FIELDS: &[&str] = &[
        "room",
        "incoming",
        "allow",
        "outgoing",
        "application_sid",
        "params",
        "service_sid",
        "endpoint_id",
        "role",
        "workspace_sid",
        "worker_sid",
        "configuration_profile_sid",
        "x",
    ];
    const GRANTS: &[&str] = &[
        "identity",
        "video",
        "voice",
        "chat",
        "data_sync",
        "task_router",
        "player",
        "ip_messaging",
        "rtc",
        "custom",
    ];
    const CLAIMS: &[&str] = &["jti", "grants", "iss", "sub", "exp", "nbf", "iat", "other"];

    fn key(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::sample::select(keys).prop_map(str::to_owned)
    }

    fn object(keys: &'static [&'static str], values: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
        prop::collection::vec((key(keys), values), 0..6)
            .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>()))
            .boxed()
    }

    /// A grant's value: mostly an object of grant-like fields.
    fn grant() -> BoxedStrategy<Value> {
        let text = prop_oneof![
            Just(json!("AP11111111111111111111111111111111")),
            "[a-z]{0,5}".prop_map(Value::String),
            Just(Value::Null),
        ];
        let inner =
            prop_oneof![3 => text.clone(), 1 => any::<bool>().prop_map(Value::Bool), 1 => value()];
        let field = prop_oneof![
            3 => text,
            1 => any::<bool>().prop_map(Value::Bool),
            2 => object(FIELDS, inner.boxed()),
            1 => value(),
        ];
        prop_oneof![6 => object(FIELDS, field.boxed()), 1 => value()].boxed()
    }

    fn payload() -> impl Strategy<Value = String> {
        let grants = prop_oneof![4 => object(GRANTS, grant()), 1 => value()].boxed();
        let claim = prop_oneof![
            4 => grants,
            1 => (0u64..2_000_000_000).prop_map(Value::from),
            1 => value(),
        ]
        .boxed();
        (object(CLAIMS, claim), 0..4, 0usize..6).prop_map(|(payload, pretty, edit)| {
            let text = if pretty == 0 {
                serde_json::to_string_pretty(&payload).unwrap_or_default()
            } else {
                payload.to_string()
            };
            match edit {
                0 => text.replacen(r#""identity":"#, r#""identity":"x","identity":"#, 1),
                1 => text.replacen(r#""video":"#, r#""vid\u0065o":"#, 1),
                _ => text,
            }
        })
    }

    /// The keys of the built-in grants, in `GRANTS`.
    const KNOWN: std::ops::Range<usize> = 1..9;

    /// What the derive's direct check (on the fast reader) and its serde
    /// check (on serde_json, as the careful reader runs it) say of `text`
    /// as the grant `key`: `None` where the direct check gives up.
    fn direct_and_serde(key: &str, text: &str) -> (Option<bool>, bool) {
        let mut reader = Reader::new(text);
        let read = known_check(key).map(|check| check(&mut reader));
        let direct = matches!(read, Some(Ok(()))) && reader.end().is_ok();
        (direct.then_some(true), check_grant(key, text).is_ok())
    }

    #[test]
    fn the_direct_grant_checks_give_up_where_serde_would_refuse() {
        for (key, text) in [
            ("video", r#"{"room":"a","room":"b"}"#),
            ("voice", r#"{"incoming":{"allow":true,"allow":true}}"#),
            ("voice", r#"{"incoming":{"allow":true},"incoming":{}}"#),
            ("voice", r#"{"incoming":null}"#),
            ("voice", r#"{"incoming":[true]}"#),
            ("voice", r#"{"incoming":{"allow":"yes"}}"#),
            ("chat", r#"["IS33333333333333333333333333333333"]"#),
            ("chat", r#"{"service_sid":7}"#),
            ("video", r#"{"room":"a""#),
        ] {
            assert_eq!(direct_and_serde(key, text), (None, false), "{key} {text}");
        }
        for (key, text) in [
            ("video", r#"{"room":"a"}"#),
            ("video", r#"{"room":null}"#),
            ("video", r#"{"other":[1,{"room":2}],"room":"a"}"#),
            (
                "voice",
                r#"{"outgoing":{"application_sid":"AP1","params":{"a":1}},"incoming":{"allow":false}}"#,
            ),
            ("voice", r#"{"incoming":{}}"#),
            ("chat", "{}"),
        ] {
            assert_eq!(
                direct_and_serde(key, text),
                (Some(true), true),
                "{key} {text}"
            );
        }
    }

    fn grant_text() -> impl Strategy<Value = (usize, String)> {
        (KNOWN, grant(), 0usize..5, prop::sample::select(FIELDS)).prop_map(
            |(known, grant, edit, field)| {
                let text = grant.to_string();
                let quoted = format!("\"{field}\":");
                let text = match edit {
                    // A key given twice, the first time with another value.
                    0 => text.replacen(&quoted, &format!("{quoted}true,{quoted}"), 1),
                    1 => text.replacen(&quoted, &format!("{quoted}{{}},{quoted}"), 1),
                    // Whitespace where keys are compared whole.
                    2 => text.replace(',', " , ").replacen('{', "{ ", 1),
                    _ => text,
                };
                (known, text)
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The direct checks accept only what the serde checks accept,
        /// for every built-in grant.
        #[test]
        fn the_direct_grant_checks_accept_only_what_serde_accepts((known, text) in grant_text()) {
            let key = GRANTS[known];
            let (direct, serde) = direct_and_serde(key, &text);
            prop_assert!(direct.is_none() || serde, "{key} {text}: the direct check accepts, serde refuses");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_fast_reader_reads_only_what_serde_json_reads_the_same(text in payload()) {
            agrees(&text)?;
        }

        #[test]
        fn the_fast_reader_never_panics(text in "[{}\\[\\]\",: a-z0-9.\\\\-]{0,40}") {
            agrees(&text)?;
        }
    }
}
