//! Forged tokens built to be slow to refuse, against a valid token in the
//! same run: `cargo bench -p twilio-token-tests --bench hostile`. Each is
//! as long as `MAX_TOKEN_LEN` allows, has a real issuer and account and a
//! wrong signature, so everything before the signature check is done; the
//! bytes are the throughput, so criterion's time over the length printed
//! is the cost per byte (the README's table).

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

#[allow(dead_code)] // the signing floor and lent grants are the other benches'
mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use twilio_token::{Credentials, MAX_TOKEN_LEN, Verifier};

use common::{ACCOUNT, Floor, ISSUED, KEY, SECRET, sign, three};

/// The usual header, `{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}`.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0";

/// A tag of the right length that is not the token's.
const TAG: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A token of `header` (base64url) and `payload` (JSON) with a wrong tag.
fn forged_with(header: &str, payload: &str) -> String {
    format!("{header}.{}.{TAG}", URL_SAFE_NO_PAD.encode(payload))
}

/// The token length a payload of `len` bytes gives with the usual header.
fn token_len(header: &str, len: usize) -> usize {
    header.len() + 2 + (len * 4).div_ceil(3) + TAG.len()
}

/// `prefix` and `i` in base 36: short distinct keys, so that as many fit
/// as in the issue's forged token (1,535 at the top level).
fn name(prefix: &str, mut i: usize) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[i % 36]);
        i /= 36;
        if i == 0 {
            break;
        }
    }
    digits.reverse();
    format!("{prefix}{}", String::from_utf8_lossy(&digits))
}

/// The usual claims with `grants` and `extra` entries after them, as many
/// `item(i)` as fit within `MAX_TOKEN_LEN`, joined by `sep` inside
/// `open` and `close`.
fn fill(
    header: &str,
    payload: impl Fn(&str) -> String,
    open: &str,
    close: &str,
    sep: &str,
    item: impl Fn(usize) -> String,
) -> String {
    let mut items = String::new();
    let mut i = 0;
    loop {
        let next = item(i);
        let joined = if i == 0 {
            format!("{open}{next}{close}")
        } else {
            format!("{open}{items}{sep}{next}{close}")
        };
        if token_len(header, payload(&joined).len()) > MAX_TOKEN_LEN {
            break;
        }
        if i > 0 {
            items.push_str(sep);
        }
        items.push_str(&next);
        i += 1;
    }
    payload(&format!("{open}{items}{close}"))
}

/// A payload whose `grants` are `grants` and whose last claims are `extra`.
fn claims(grants: &str, extra: &str) -> String {
    let exp = ISSUED + 3600;
    let comma = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"jti":"{KEY}-{ISSUED}","grants":{grants},"iss":"{KEY}","exp":{exp},"nbf":{ISSUED},"sub":"{ACCOUNT}"{comma}{extra}}}"#
    )
}

/// The forged tokens, by name.
fn hostile() -> Vec<(&'static str, String)> {
    let identity = r#"{"identity":"alice"}"#;
    let in_grants = |open: &'static str| {
        move |inner: &str| claims(&format!(r#"{{"identity":"alice",{open}{inner}}}"#), "")
    };
    let payloads = [
        // Distinct top-level keys: the payload's key table.
        (
            "top_level_keys",
            fill(
                HEADER,
                |x| claims(identity, x),
                "",
                "",
                ",",
                |i| format!(r#""{}":0"#, name("k", i)),
            ),
        ),
        // A grant this library does not know with distinct keys.
        (
            "grant_keys",
            fill(HEADER, in_grants(r#""custom":"#), "{", "}", ",", |i| {
                format!(r#""{}":0"#, name("k", i))
            }),
        ),
        // A built-in grant with unknown fields.
        (
            "video_grant_keys",
            fill(HEADER, in_grants(r#""video":"#), "{", "}", ",", |i| {
                format!(r#""{}":0"#, name("k", i))
            }),
        ),
        // Live's player grant, a JSON object kept in order.
        (
            "player_keys",
            fill(HEADER, in_grants(r#""player":"#), "{", "}", ",", |i| {
                format!(r#""{}":0"#, name("k", i))
            }),
        ),
        // Voice's params, a JSON object kept in order.
        (
            "voice_params_keys",
            fill(
                HEADER,
                in_grants(
                    r#""voice":{"outgoing":{"application_sid":"AP11111111111111111111111111111111","params":"#,
                ),
                "{",
                "}}}",
                ",",
                |i| format!(r#""{}":0"#, name("k", i)),
            ),
        ),
        // Objects of nine keys, each one past the key table's inline keys.
        (
            "nine_key_objects",
            fill(HEADER, in_grants(r#""custom":"#), "[", "]", ",", |_| {
                r#"{"a":0,"b":0,"c":0,"d":0,"e":0,"f":0,"g":0,"h":0,"i":0}"#.to_owned()
            }),
        ),
        // Grants this library does not know, each an empty object.
        (
            "many_grants",
            fill(
                HEADER,
                |x| claims(&format!(r#"{{"identity":"alice",{x}}}"#), ""),
                "",
                "",
                ",",
                |i| format!(r#""{}":{{}}"#, name("g", i)),
            ),
        ),
        // Keys with escapes, which the key table keeps as owned text.
        (
            "escaped_keys",
            fill(HEADER, in_grants(r#""custom":"#), "{", "}", ",", |i| {
                format!(r#""{}":0"#, name(r"\u00e9", i))
            }),
        ),
        // An unknown claim: one string of escapes.
        (
            "escapes",
            fill(
                HEADER,
                |x| claims(identity, &format!(r#""x":"{x}""#)),
                "",
                "",
                "",
                |_| r"\u00e9".to_owned(),
            ),
        ),
        // Numbers with 17 significant digits.
        (
            "numbers",
            fill(
                HEADER,
                in_grants(r#""custom":{"x":"#),
                "[",
                "]}",
                ",",
                |_| "1.2345678901234567e300".to_owned(),
            ),
        ),
        // One number of thousands of digits.
        (
            "long_number",
            fill(
                HEADER,
                in_grants(r#""custom":{"x":"#),
                "1.",
                "}",
                "",
                |_| "7".to_owned(),
            ),
        ),
        // Arrays nested 90 deep, again and again.
        (
            "nesting",
            fill(
                HEADER,
                in_grants(r#""custom":{"x":"#),
                "[",
                "]}",
                ",",
                |_| format!("{}{}", "[".repeat(89), "]".repeat(89)),
            ),
        ),
    ];
    let mut tokens: Vec<(&'static str, String)> = payloads
        .into_iter()
        .map(|(name, payload)| (name, forged_with(HEADER, &payload)))
        .collect();
    // A header with distinct keys (read before the signature too).
    let payload = claims(identity, "");
    let header_payload = URL_SAFE_NO_PAD.encode(&payload);
    let mut header = String::from(r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT""#);
    for i in 0.. {
        let key = name("h", i);
        let longer = format!(r#"{header},"{key}":0}}"#);
        let len = URL_SAFE_NO_PAD.encode(&longer).len() + header_payload.len() + TAG.len() + 2;
        if len > MAX_TOKEN_LEN {
            break;
        }
        header = format!(r#"{header},"{key}":0"#);
    }
    header.push('}');
    tokens.push((
        "header_keys",
        forged_with(&URL_SAFE_NO_PAD.encode(&header), &payload),
    ));
    tokens
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).expect("valid credentials");
    let verifier = Verifier::new(&credentials);
    let now = UNIX_EPOCH + Duration::from_secs(ISSUED);
    let mut group = c.benchmark_group("hostile");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    let valid = sign(&credentials, three());
    assert!(
        verifier.verify_at(&valid, now).is_ok(),
        "the valid token verifies"
    );
    group.throughput(Throughput::Bytes(valid.len() as u64));
    group.bench_function(BenchmarkId::new("valid_3_grants", valid.len()), |b| {
        b.iter(|| verifier.verify_at(black_box(&valid), now))
    });
    let tokens = hostile();
    // What any token of this size costs: its base64 and its HMAC.
    let floor = Floor::new(tokens[0].1.clone());
    group.throughput(Throughput::Bytes(floor.token.len() as u64));
    group.bench_function(BenchmarkId::new("verify_floor", floor.token.len()), |b| {
        b.iter(|| floor.verify())
    });
    for (name, jwt) in tokens {
        assert!(jwt.len() <= MAX_TOKEN_LEN, "{name} is {} bytes", jwt.len());
        assert!(
            jwt.len() > MAX_TOKEN_LEN - 256,
            "{name} is {} bytes",
            jwt.len()
        );
        let error = verifier.verify_at(&jwt, now).expect_err("forged");
        assert_eq!(error.twilio_code(), 20107, "{name}: {error}");
        group.throughput(Throughput::Bytes(jwt.len() as u64));
        group.bench_function(BenchmarkId::new(name, jwt.len()), |b| {
            b.iter(|| verifier.verify_at(black_box(&jwt), now))
        });
    }
    group.finish();
}

criterion_group!(hostile_tokens, benches);
criterion_main!(hostile_tokens);
