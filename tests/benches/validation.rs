//! Client Validation JWTs: signing one request, against ring's bare RSA
//! signature of the same bytes (the token's header and payload), and
//! verifying one against ring's bare RSA verification. Timed in one
//! process in alternating batches, the best batch of each counting, as
//! `ratio.rs` does. `cargo bench -p twilio-token-tests --bench validation`.
//!
//! RSA dominates: the ratio shows what hashing the request, writing the
//! JSON and base64 add around it.

use std::hint::black_box;
use std::time::{Duration, Instant, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{self, KeyPair, RsaKeyPair, UnparsedPublicKey};
use twilio_token::validation::{ClientValidation, Request, ValidationVerifier};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const KEY: &str = "SKfedcba9876543210fedcba9876543210";
const CREDENTIAL: &str = "CR00112233445566778899aabbccddeeff";
const PATH: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
const AUTHORIZATION: &str = "Basic U0tmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMDpzZWNyZXQ=";
const BODY: &[u8] = b"To=%2B15005550006&From=%2B15005550001&Body=Hello+world";

/// Calls per batch: an RSA-2048 signature takes about a millisecond.
const BATCH: u32 = 100;

/// Batches of each measure; the fastest counts.
const ROUNDS: usize = 15;

/// Nanoseconds per call of `f` over one batch.
fn per_call(f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..BATCH {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
}

fn request<S>(request: Request<'_, S>) -> Request<'_, S> {
    request
        .query("PageSize=20")
        .header("Host", "api.twilio.com")
        .header("Authorization", AUTHORIZATION)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(BODY)
}

fn main() {
    let pem = include_str!("../../twilio-token/src/validation/test-key.pem");
    let public_pem = include_str!("../../twilio-token/src/validation/test-key.pub.pem");
    let signer = ClientValidation::new(ACCOUNT, KEY, CREDENTIAL, pem).unwrap();
    let verifier = ValidationVerifier::new(CREDENTIAL, public_pem).unwrap();
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let jwt = request(signer.request("POST", PATH))
        .issued_at(now)
        .sign()
        .unwrap();

    // The floor: ring alone, on the token's own signing input.
    let der: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let pair = RsaKeyPair::from_pkcs8(&STANDARD.decode(der).unwrap()).unwrap();
    let rng = SystemRandom::new();
    let (input, tag) = jwt.rsplit_once('.').unwrap();
    let tag = URL_SAFE_NO_PAD.decode(tag).unwrap();
    let public = UnparsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        pair.public_key().as_ref().to_vec(),
    );
    let mut bare = vec![0; pair.public().modulus_len()];
    pair.sign(
        &signature::RSA_PKCS1_SHA256,
        &rng,
        input.as_bytes(),
        &mut bare,
    )
    .unwrap();
    assert_eq!(bare, tag, "the library signs what ring signs");

    let unsigned = request(Request::new("POST", PATH));
    let mut best = [f64::MAX; 4];
    for _ in 0..ROUNDS {
        let times = [
            per_call(&mut || {
                let mut out = vec![0; pair.public().modulus_len()];
                pair.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(input.as_bytes()),
                    &mut out,
                )
                .unwrap();
                black_box(out);
            }),
            per_call(&mut || {
                black_box(
                    request(signer.request("POST", PATH))
                        .issued_at(now)
                        .sign()
                        .unwrap(),
                );
            }),
            per_call(&mut || {
                public.verify(black_box(input.as_bytes()), &tag).unwrap();
            }),
            per_call(&mut || {
                black_box(verifier.verify_at(black_box(&jwt), &unsigned, now).unwrap());
            }),
        ];
        for (best, time) in best.iter_mut().zip(times) {
            *best = best.min(time);
        }
    }
    let [ring_sign, sign, ring_verify, verify] = best;
    println!("RSA-2048, a POST with a body, 3 headers, query; best of {ROUNDS} batches of {BATCH}");
    println!("ring sign (PKCS#1 v1.5) {:>10.1} µs", ring_sign / 1e3);
    println!(
        "request().sign()        {:>10.1} µs  {:.3}×",
        sign / 1e3,
        sign / ring_sign
    );
    println!("ring verify             {:>10.1} µs", ring_verify / 1e3);
    println!(
        "verify_at()             {:>10.1} µs  {:.3}×",
        verify / 1e3,
        verify / ring_verify
    );
}
