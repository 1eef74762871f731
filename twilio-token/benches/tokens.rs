//! Minting and verifying against the floors this machine can do with our
//! dependencies, measured in the same run: `cargo bench -p twilio-token`.
//!
//! - sign floor: base64url of the precomputed header and payload JSON into one
//!   preallocated `String`, ring HMAC-SHA256, base64url of the tag;
//! - verify floor: decoding all three segments and `ring::hmac::verify`.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use ring::hmac;
use twilio_token::grants::{ChatGrant, VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Credentials, Verifier};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const KEY: &str = "SKfedcba9876543210fedcba9876543210";
const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";

fn grants() -> (VideoGrant, VoiceGrant, ChatGrant) {
    (
        VideoGrant::room("standup"),
        VoiceGrant {
            incoming_allow: true,
            ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
        },
        ChatGrant::service("IS33333333333333333333333333333333"),
    )
}

fn sign(credentials: &Credentials, grants: (VideoGrant, VoiceGrant, ChatGrant)) -> String {
    AccessToken::builder()
        .credentials(credentials)
        .identity("alice")
        .grant(grants.0)
        .grant(grants.1)
        .grant(grants.2)
        .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .sign()
        .unwrap_or_default()
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).expect("valid credentials");
    let token = sign(&credentials, grants());
    let mut parts = token.split('.');
    let header_b64 = parts.next().unwrap_or_default().to_owned();
    let payload_json = URL_SAFE_NO_PAD
        .decode(parts.next().unwrap_or_default())
        .unwrap_or_default();
    let key = hmac::Key::new(hmac::HMAC_SHA256, SECRET.as_bytes());

    let mut group = c.benchmark_group("sign");
    group.bench_function("floor", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(token.len());
            out.push_str(black_box(&header_b64));
            out.push('.');
            URL_SAFE_NO_PAD.encode_string(black_box(&payload_json), &mut out);
            let tag = hmac::sign(&key, out.as_bytes());
            out.push('.');
            URL_SAFE_NO_PAD.encode_string(tag.as_ref(), &mut out);
            out
        })
    });
    group.bench_function("twilio_token", |b| {
        b.iter_batched(
            grants,
            |g| sign(&credentials, g),
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();

    let verifier = Verifier::new().credentials(&credentials);
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut group = c.benchmark_group("verify");
    group.bench_function("floor", |b| {
        b.iter(|| {
            let jwt = black_box(token.as_str());
            let mut segments = jwt.split('.');
            let header = URL_SAFE_NO_PAD.decode(segments.next().unwrap_or_default());
            let payload = URL_SAFE_NO_PAD.decode(segments.next().unwrap_or_default());
            let tag = URL_SAFE_NO_PAD
                .decode(segments.next().unwrap_or_default())
                .unwrap_or_default();
            let input = &jwt[..jwt.rfind('.').unwrap_or(0)];
            (header, payload, hmac::verify(&key, input.as_bytes(), &tag))
        })
    });
    group.bench_function("twilio_token", |b| {
        b.iter(|| verifier.verify_at(black_box(&token), now))
    });
    group.finish();
}

criterion_group!(tokens, benches);
criterion_main!(tokens);
