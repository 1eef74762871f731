//! What both benchmarks use: the credentials, the README's three-grant
//! token, minting it, and the floors computed from its bytes.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use base64::engine::Simd;
use base64::engine::general_purpose::NO_PAD;
use ring::hmac;
use twilio_token::grants::{ChatGrant, VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Credentials, Grant};

pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
pub const KEY: &str = "SKfedcba9876543210fedcba9876543210";
pub const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";
pub const ISSUED: u64 = 1_700_000_000;

pub type Grants = Vec<Box<dyn Grant>>;

/// The README's token: video, voice and chat (640 bytes).
pub fn three() -> Grants {
    vec![
        Box::new(VideoGrant::room("standup")),
        Box::new(VoiceGrant {
            incoming_allow: true,
            ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
        }),
        Box::new(ChatGrant::service("IS33333333333333333333333333333333")),
    ]
}

/// Mints a token for alice with `grants` moved into the builder.
pub fn sign(credentials: &Credentials, grants: Grants) -> String {
    let mut builder = AccessToken::builder()
        .credentials(credentials)
        .identity("alice")
        .issued_at(UNIX_EPOCH + Duration::from_secs(ISSUED));
    for grant in grants {
        builder = builder.grant(grant);
    }
    builder.sign().unwrap_or_default()
}

/// Mints the same token with `grants` lent to the builder, as a token
/// server that mints the same grants for every identity does.
pub fn sign_borrowed(credentials: &Credentials, grants: &Grants) -> String {
    let mut builder = AccessToken::builder()
        .credentials(credentials)
        .identity("alice")
        .issued_at(UNIX_EPOCH + Duration::from_secs(ISSUED));
    for grant in grants {
        builder = builder.grant(&**grant);
    }
    builder.sign().unwrap_or_default()
}

/// The floors for one token, from its own bytes.
pub struct Floor {
    pub token: String,
    header_b64: String,
    payload_json: Vec<u8>,
    engine: Simd,
    key: hmac::Key,
}

impl Floor {
    pub fn new(token: String) -> Self {
        let engine = Simd::url_safe(NO_PAD);
        let mut parts = token.split('.');
        let header_b64 = parts.next().unwrap_or_default().to_owned();
        let payload_json = engine
            .decode(parts.next().unwrap_or_default())
            .unwrap_or_default();
        Floor {
            token,
            header_b64,
            payload_json,
            engine,
            key: hmac::Key::new(hmac::HMAC_SHA256, SECRET.as_bytes()),
        }
    }

    /// Encodes straight into one buffer of the token's size (base64's
    /// `encode_string` would go through a chunk buffer, which is slower);
    /// the one UTF-8 check makes it the `String` that `sign()` returns.
    pub fn sign(&self) -> String {
        let mut out = Vec::with_capacity(self.token.len());
        out.extend_from_slice(black_box(&self.header_b64).as_bytes());
        out.push(b'.');
        self.encode_into(&mut out, black_box(&self.payload_json));
        let tag = hmac::sign(&self.key, &out);
        out.push(b'.');
        self.encode_into(&mut out, tag.as_ref());
        String::from_utf8(out).unwrap_or_default()
    }

    /// Appends the base64url of `input` to `out`.
    fn encode_into(&self, out: &mut Vec<u8>, input: &[u8]) {
        let start = out.len();
        out.resize(
            start + base64::encoded_len(input.len(), false).unwrap_or(0),
            0,
        );
        let written = self
            .engine
            .encode_slice(input, &mut out[start..])
            .unwrap_or(0);
        out.truncate(start + written);
    }

    pub fn verify(&self) -> bool {
        let jwt = black_box(self.token.as_str());
        let mut segments = jwt.split('.');
        let header = self.engine.decode(segments.next().unwrap_or_default());
        let payload = self.engine.decode(segments.next().unwrap_or_default());
        let tag = self
            .engine
            .decode(segments.next().unwrap_or_default())
            .unwrap_or_default();
        let input = &jwt[..jwt.rfind('.').unwrap_or(0)];
        hmac::verify(&self.key, input.as_bytes(), &tag).is_ok() && header.is_ok() && payload.is_ok()
    }
}
