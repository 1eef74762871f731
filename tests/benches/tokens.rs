//! Minting and verifying against the floors this machine can do with our
//! dependencies, measured in the same run: `cargo bench -p twilio-token-tests`.
//!
//! - sign floor: base64url (base64's SIMD engine) of the precomputed header
//!   and payload JSON straight into one preallocated buffer, ring
//!   HMAC-SHA256, base64url of the tag, then the buffer as a `String`;
//! - verify floor: decoding all three segments with that engine and
//!   `ring::hmac::verify`.
//!
//! Groups: `sign` and `verify` (the three-grant token of the README table),
//! `size` (1, 4 and 8 grants and a 2 KB voice params object, with the bytes
//! as throughput, for ns per byte) and `threads` (minting on 1 and 2 threads
//! with one shared `Credentials`; time per token).
#![allow(deprecated)] // all eight grant kinds, the legacy ones too

use std::hint::black_box;
use std::time::{Duration, Instant, UNIX_EPOCH};

mod common;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use twilio_token::grants::{
    ChatGrant, ConversationsGrant, IpMessagingGrant, PlaybackGrant, SyncGrant, TaskRouterGrant,
    VideoGrant, VoiceGrant,
};
use twilio_token::{Credentials, JsonObject, Verifier};

use common::{ACCOUNT, Floor, Grants, ISSUED, KEY, SECRET, sign, sign_borrowed, three};

/// A named way to build a set of grants.
type Case = (&'static str, fn() -> Grants);

/// The first `n` of all eight grant kinds.
fn first(n: usize) -> Grants {
    let player = json!({"playbackUrl": "https://example.com/p", "requestCredentials": null});
    let all: Grants = vec![
        Box::new(VideoGrant::room("standup")),
        Box::new(VoiceGrant {
            incoming_allow: true,
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
            player
                .as_object()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        )),
        Box::new(IpMessagingGrant {
            service_sid: Some("IS77777777777777777777777777777777".into()),
            ..IpMessagingGrant::default()
        }),
        Box::new(ConversationsGrant {
            configuration_profile_sid: Some("CP88888888888888888888888888888888".into()),
        }),
    ];
    all.into_iter().take(n).collect()
}

/// A voice grant whose params object is about 2 KB of JSON.
fn voice_params() -> Grants {
    let params: JsonObject = (0..40)
        .map(|i| {
            (
                format!("param{i:02}"),
                Value::String(format!("{i:02}-{}", "v".repeat(37))),
            )
        })
        .collect();
    vec![Box::new(VoiceGrant {
        outgoing_application_params: Some(params),
        ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
    })]
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).expect("valid credentials");
    let verifier = Verifier::new(&credentials);
    let now = UNIX_EPOCH + Duration::from_secs(ISSUED);

    // The README's rows: the three-grant token.
    let floor = Floor::new(sign(&credentials, three()));
    assert!(floor.verify(), "the floor verifies the token");
    assert_eq!(floor.sign(), floor.token, "the floor mints the same token");
    let mut group = c.benchmark_group("sign");
    group.bench_function("floor", |b| b.iter(|| floor.sign()));
    // The grant values are built beforehand and lent to the builder, as a
    // token server that mints the same grants for every identity does.
    let grants = three();
    group.bench_function("twilio_token", |b| {
        b.iter(|| sign_borrowed(&credentials, &grants))
    });
    // The grants moved into the builder and dropped with it.
    group.bench_function("twilio_token_owned_grants", |b| {
        b.iter_batched(three, |g| sign(&credentials, g), BatchSize::SmallInput)
    });
    group.finish();
    let mut group = c.benchmark_group("verify");
    group.bench_function("floor", |b| b.iter(|| floor.verify()));
    group.bench_function("twilio_token", |b| {
        b.iter(|| verifier.verify_at(black_box(&floor.token), now))
    });
    group.finish();

    // Cost against size.
    let mut group = c.benchmark_group("size");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    let cases: [Case; 4] = [
        ("1_grant", || first(1)),
        ("4_grants", || first(4)),
        ("8_grants", || first(8)),
        ("voice_params_2k", voice_params),
    ];
    for (name, grants) in cases {
        let floor = Floor::new(sign(&credentials, grants()));
        assert!(
            verifier.verify_at(&floor.token, now).is_ok(),
            "{name} verifies"
        );
        group.throughput(Throughput::Bytes(floor.token.len() as u64));
        group.bench_function(BenchmarkId::new("sign_floor", name), |b| {
            b.iter(|| floor.sign())
        });
        let lent = grants();
        group.bench_function(BenchmarkId::new("sign", name), |b| {
            b.iter(|| sign_borrowed(&credentials, &lent))
        });
        group.bench_function(BenchmarkId::new("verify_floor", name), |b| {
            b.iter(|| floor.verify())
        });
        group.bench_function(BenchmarkId::new("verify", name), |b| {
            b.iter(|| verifier.verify_at(black_box(&floor.token), now))
        });
    }
    group.finish();

    // Minting on several threads with one shared `Credentials`: time per
    // token over all threads: the wall time for `iters` tokens split between
    // the threads (half of one thread's on two free cores).
    let mut group = c.benchmark_group("threads");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let grants = three();
    for threads in [1u64, 2] {
        group.bench_function(BenchmarkId::new("sign", threads), |b| {
            b.iter_custom(|iters| {
                let per_thread = iters.div_ceil(threads);
                let start = Instant::now();
                std::thread::scope(|scope| {
                    for _ in 0..threads {
                        scope.spawn(|| {
                            for _ in 0..per_thread {
                                black_box(sign_borrowed(&credentials, &grants));
                            }
                        });
                    }
                });
                start.elapsed()
            })
        });
    }
    group.finish();
}

criterion_group!(tokens, benches);
criterion_main!(tokens);
