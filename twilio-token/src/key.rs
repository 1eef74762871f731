//! An API key ready to sign and verify: its SID and ring's HMAC key, with
//! the HMAC prepared once for the header every token without a region
//! starts with.

use std::time::SystemTime;

use base64::Engine;
use ring::hmac;

use crate::b64::{ACCESS_HEADER_B64, base64url};
use crate::time::unix_seconds;
use crate::{Error, SidKind, sid, swar};

/// The length of a SHA-256 block.
const BLOCK: usize = 64;

/// An API key SID with its HMAC key. As secret as the secret it was made
/// from; ring does not wipe its key state on drop.
///
/// Signing is mostly hashing, so the HMAC is prepared for the blocks every
/// token starts with: the header's first block, and the second block, which
/// holds the header's end and `{"jti":"SK…-` with the issue time's first
/// two digits (`17` from November 2023 to January 2027). That block is
/// prepared for the digits of the time the key is made and the next ones,
/// so a long-running server keeps the gain across the change; a token
/// whose second block is neither hashes it itself. Each block prepared is
/// a compression of SHA-256 that signing no longer does per token.
#[derive(Clone)]
pub(crate) struct SigningKey {
    pub(crate) sid: String,
    pub(crate) hmac: hmac::Key,
    header: hmac::Context,
    second: [([u8; BLOCK], hmac::Context); 2],
}

impl SigningKey {
    /// Checks the SID and the secret, and prepares the HMAC.
    pub(crate) fn new(sid: String, secret: &str) -> Result<Self, Error> {
        check_key_sid(&sid)?;
        check_secret(secret)?;
        let hmac = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
        let mut header = hmac::Context::with_key(&hmac);
        header.update(
            ACCESS_HEADER_B64
                .as_bytes()
                .get(..BLOCK)
                .unwrap_or_default(),
        );
        let leading = u64::try_from(unix_seconds(SystemTime::now()))
            .map_or(17, |seconds| seconds / 100_000_000)
            .clamp(10, 98);
        let second = [leading, leading + 1].map(|digits| {
            let block = second_block(&sid, digits);
            let mut context = header.clone();
            context.update(&block);
            (block, context)
        });
        Ok(SigningKey {
            sid,
            hmac,
            header,
            second,
        })
    }

    /// The HMAC-SHA256 tag of `input`, from the prepared blocks it starts
    /// with.
    pub(crate) fn sign(&self, input: &[u8]) -> hmac::Tag {
        let usual = ACCESS_HEADER_B64.as_bytes().first_chunk::<BLOCK>();
        let Some((_, rest)) = input
            .split_first_chunk::<BLOCK>()
            .filter(|(first, _)| usual.is_some_and(|usual| same_block(first, usual)))
        else {
            return hmac::sign(&self.hmac, input);
        };
        let prepared = rest
            .split_first_chunk::<BLOCK>()
            .and_then(|(second, after)| {
                let (_, context) = self
                    .second
                    .iter()
                    .find(|(block, _)| same_block(block, second))?;
                Some((context, after))
            });
        let (mut context, rest) = match prepared {
            Some((context, after)) => (context.clone(), after),
            None => (self.header.clone(), rest),
        };
        context.update(rest);
        context.sign()
    }
}

impl SigningKey {
    /// The second block prepared for the issue times of now, for the
    /// signing code's test that it is a real token's.
    #[cfg(test)]
    pub(crate) fn prepared_second_block(&self) -> &[u8; BLOCK] {
        &self.second[0].0
    }
}

/// The second block of a token signed with `sid` whose issue time starts
/// with `digits`: the header's last characters, the dot, and the start of
/// the payload's base64url.
fn second_block(sid: &str, digits: u64) -> [u8; BLOCK] {
    let start = format!("{{\"jti\":\"{sid}-{digits}");
    let mut text = format!("{ACCESS_HEADER_B64}.");
    base64url().encode_string(start.as_bytes(), &mut text);
    let mut block = [0; BLOCK];
    // Only the characters that the payload's first bytes fix: the last
    // base64 character of `start` also depends on the byte after it.
    let fixed = ACCESS_HEADER_B64.len() + 1 + start.len() * 4 / 3;
    if let Some(bytes) = text.as_bytes().get(BLOCK..fixed.min(2 * BLOCK)) {
        if let Some(head) = block.get_mut(..bytes.len()) {
            head.copy_from_slice(bytes);
        }
        if bytes.len() < BLOCK {
            // Too short to fix a whole block: never matches.
            block = [0xff; BLOCK];
        }
    }
    block
}

/// `a == b`, a word at a time and inline (`==` on arrays calls `bcmp`).
fn same_block(a: &[u8; BLOCK], b: &[u8; BLOCK]) -> bool {
    a.chunks_exact(8)
        .zip(b.chunks_exact(8))
        .fold(0, |diff, (x, y)| diff | (swar::word(x) ^ swar::word(y)))
        == 0
}

/// An API key secret: not empty, not an Auth Token even in disguise
/// (quoted, padded, upper-cased), not a SID, and only the printable ASCII
/// characters a Twilio secret is made of (an API key secret is 32 letters
/// of both cases and digits, so one that is all hex is, in practice, never
/// one). No error shows the secret.
pub(crate) fn check_secret(secret: &str) -> Result<(), Error> {
    if secret.is_empty() {
        return Err(Error::EmptySecret);
    }
    // An Auth Token anywhere in what was pasted, in any case: quoted,
    // padded, or inside `AC…:token` or `TWILIO_AUTH_TOKEN=token`.
    if words(secret).any(|word| word.len() == 32 && word.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(Error::AuthTokenAsSecret);
    }
    check_characters(secret, API_KEY_SECRET)
}

/// The runs of ASCII letters and digits in `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
}

/// How errors name an API key's secret.
const API_KEY_SECRET: &str = "API key secret";

/// The HMAC key of an Auth Token, which signs capability tokens: 32
/// lower-case hex digits, not a SID, no character a Twilio secret never
/// has. An API key secret (letters of both cases) is refused, as an Auth
/// Token is where an API key secret goes. No error shows the token.
pub(crate) fn auth_token_key(auth_token: &str) -> Result<hmac::Key, Error> {
    if is_auth_token(auth_token) {
        return Ok(hmac::Key::new(hmac::HMAC_SHA256, auth_token.as_bytes()));
    }
    check_characters(auth_token, "Auth Token")?;
    Err(Error::InvalidAuthToken {
        len: auth_token.len(),
    })
}

/// `secret`, named `name` in errors, is not a SID and has only printable
/// ASCII characters but quotes.
fn check_characters(secret: &str, name: &'static str) -> Result<(), Error> {
    // A SID in any case, alone or in what was pasted.
    let is_sid = |word: &str| {
        word.len() == sid::SID_LEN
            && word.bytes().take(2).all(|b| b.is_ascii_alphabetic())
            && word.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
    };
    if words(secret).any(is_sid) {
        return Err(Error::SidAsSecret { secret: name });
    }
    let Some(flaw) = secret.chars().find(|&ch| {
        ch_is_blank(ch) || matches!(ch, '"' | '\'' | '`') || !ch.is_ascii() || ch.is_ascii_control()
    }) else {
        return Ok(());
    };
    let what = match flaw {
        '"' | '\'' | '`' => "a quote",
        _ if ch_is_blank(flaw) && name == API_KEY_SECRET => return Err(Error::SecretWhitespace),
        _ if ch_is_blank(flaw) => "whitespace or an invisible character",
        _ if flaw.is_control() => "a control character",
        _ => "a character outside ASCII",
    };
    Err(Error::SecretCharacter { secret: name, what })
}

/// Whitespace, or a character as invisible.
fn ch_is_blank(ch: char) -> bool {
    ch.is_whitespace() || is_invisible(ch)
}

/// Zero-width characters and the byte-order mark: invisible where a
/// secret is pasted.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// `secret` has an Auth Token's shape: 32 lower-case hex digits.
pub(crate) fn is_auth_token(secret: &str) -> bool {
    secret.len() == 32
        && secret
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An API key SID; an account SID in its place is the Auth Token's mix-up.
fn check_key_sid(sid: &str) -> Result<(), Error> {
    if sid.starts_with("AC") {
        return Err(Error::AccountSidAsApiKey);
    }
    SidKind::ApiKey.check(sid)
}

#[cfg(test)]
mod tests {
    use ring::hmac;

    use super::SigningKey;

    /// Whatever blocks a token starts with, prepared or not, the tag is
    /// ring's HMAC of the whole input.
    #[test]
    fn a_tag_from_prepared_blocks_is_the_hmac_of_the_whole_input() {
        let key = SigningKey::new("SKfedcba9876543210fedcba9876543210".into(), "secret").unwrap();
        let start = |digits: &str| {
            let jti =
                format!("{{\"jti\":\"SKfedcba9876543210fedcba9876543210-{digits}00000000\"}}");
            format!("{}.{}", crate::b64::ACCESS_HEADER_B64, {
                use base64::Engine;
                super::base64url().encode(jti)
            })
        };
        let now = crate::time::unix_seconds(std::time::SystemTime::now()) / 100_000_000;
        for input in [
            start(&now.to_string()),
            start(&(now + 1).to_string()),
            start("99"),
            "eyJ.short".to_owned(),
            String::new(),
        ] {
            assert_eq!(
                key.sign(input.as_bytes()).as_ref(),
                hmac::sign(&key.hmac, input.as_bytes()).as_ref(),
                "{input}"
            );
        }
        // That the prepared block is a real token's is jwt.rs's test.
    }
}
