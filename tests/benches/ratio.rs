//! The steadier measure of the README's ratios: the floors and the library
//! timed in one process, in batches that alternate, so a burst of load on
//! this shared machine falls on all of them alike; the best batch of each
//! counts. `cargo bench -p twilio-token-tests --bench ratio`.
//!
//! The floors are those of `tokens.rs` (see `common/mod.rs`). `jsonwebtoken`,
//! the generic JWT crate a Rust user would otherwise reach for, is timed
//! alongside on the same claims, header and secret: it reads `grants` as
//! any JSON and checks no grant, SID or lifetime, so the comparison favours
//! it.

use std::hint::black_box;
use std::time::{Duration, Instant, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

mod common;

use twilio_token::{Credentials, Verifier};

use common::{ACCOUNT, Floor, ISSUED, KEY, SECRET, sign, sign_borrowed, three};

/// An Access Token's claims, for `jsonwebtoken`.
#[derive(Serialize, Deserialize)]
struct Payload {
    jti: String,
    grants: serde_json::Value,
    iss: String,
    exp: u64,
    nbf: u64,
    sub: String,
}

/// Tokens per batch.
const BATCH: u32 = 20_000;

/// Batches of each measure; the fastest counts.
const ROUNDS: usize = 75;

/// Nanoseconds per call of `f` over one batch of inputs from `make`, made
/// before the clock starts: signing with grants moved in, without timing
/// how they were built.
fn per_call_moved<T>(make: &mut dyn FnMut() -> T, f: &mut dyn FnMut(T)) -> f64 {
    let inputs: Vec<T> = (0..BATCH).map(|_| make()).collect();
    let start = Instant::now();
    for input in inputs {
        f(input);
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
}

/// Nanoseconds per call of `f` over one batch.
fn per_call(f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..BATCH {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
}

fn main() {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).expect("valid credentials");
    let verifier = Verifier::new(&credentials);
    let now = UNIX_EPOCH + Duration::from_secs(ISSUED);
    let grants = three();
    let floor = Floor::new(sign(&credentials, three()));
    assert_eq!(floor.sign(), floor.token, "the floor mints the same token");
    assert!(floor.verify(), "the floor verifies the token");

    // jsonwebtoken: the same claims, signed with the same header and secret
    // (its token has `grants`' keys sorted, serde_json's map, and the same
    // size); verified with the times read but not compared, as its clock is
    // the system's.
    let mut header = Header::new(Algorithm::HS256);
    header.cty = Some("twilio-fpa;v=1".into());
    let encoding = EncodingKey::from_secret(SECRET.as_bytes());
    let decoding = DecodingKey::from_secret(SECRET.as_bytes());
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Payload>(&floor.token, &decoding, &validation)
        .expect("jsonwebtoken reads the token")
        .claims;
    let generic = jsonwebtoken::encode(&header, &claims, &encoding).expect("jsonwebtoken signs");
    let read_back = jsonwebtoken::decode::<Payload>(&generic, &decoding, &validation)
        .expect("jsonwebtoken verifies its token");
    assert_eq!(read_back.claims.grants, claims.grants);
    assert_eq!(generic.len(), floor.token.len());

    let mut measures: [(&str, &mut dyn FnMut()); 6] = [
        ("sign floor", &mut || {
            black_box(floor.sign());
        }),
        ("sign()", &mut || {
            black_box(sign_borrowed(&credentials, &grants));
        }),
        ("jsonwebtoken", &mut || {
            black_box(jsonwebtoken::encode(&header, black_box(&claims), &encoding).ok());
        }),
        ("verify floor", &mut || {
            black_box(floor.verify());
        }),
        ("verify()", &mut || {
            let _ = black_box(verifier.verify_at(black_box(&floor.token), now));
        }),
        ("jsonwebtoken", &mut || {
            let _ = black_box(jsonwebtoken::decode::<Payload>(
                black_box(&generic),
                &decoding,
                &validation,
            ));
        }),
    ];
    let mut best = [f64::MAX; 6];
    let mut moved = f64::MAX;
    for _ in 0..ROUNDS {
        for (best, (_, measure)) in best.iter_mut().zip(measures.iter_mut()) {
            *best = best.min(per_call(*measure));
        }
        moved = moved.min(per_call_moved(&mut three, &mut |grants| {
            black_box(sign(&credentials, grants));
        }));
    }
    println!(
        "{:<13} {:7.0} ns  {:.3}x its floor",
        "sign() moved",
        moved,
        moved / best[0]
    );
    for (index, (name, _)) in measures.iter().enumerate() {
        // Each group of three: the floor, this crate, jsonwebtoken.
        let (floor, ours) = (best[index / 3 * 3], best[index / 3 * 3 + 1]);
        println!(
            "{name:<13} {:7.0} ns  {:.3}x its floor  {:.2}x this crate",
            best[index],
            best[index] / floor,
            best[index] / ours
        );
    }
}
