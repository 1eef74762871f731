//! The signing invariant: whatever hand-written grants write (text, values
//! of any `Serialize`, hostile ones among them: raw fragments, numbers
//! given as text, keys repeated inside a value, nesting, wide integers,
//! floats that are not finite; nested objects, flatten, errors ignored at
//! any depth) and whatever the builder is given, `sign()` fails, or its
//! token verifies at its issue time, with the identity given and the
//! grants serde_json reads from the token.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use arbitrary::Arbitrary;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use twilio_token::{AccessToken, Credentials, Error, Grant, Json, PayloadWriter, Verifier};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const KEY: &str = "SKfedcba9876543210fedcba9876543210";
const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";
const NOW: u64 = 1_700_000_000;

#[derive(Arbitrary, Debug)]
enum Key {
    A,
    B,
    Escaped,
    Identity,
    Empty,
    Any(String),
}

impl Key {
    fn text(&self) -> &str {
        match self {
            Key::A => "a",
            Key::B => "b",
            Key::Escaped => "é\u{0}\"",
            Key::Identity => "identity",
            Key::Empty => "",
            Key::Any(text) => text,
        }
    }
}

/// A value to write, some of them hostile.
#[derive(Arbitrary, Debug)]
enum Val {
    /// JSON text as serde_json reads it (`null` if it does not).
    Json(String),
    /// Raw fragments, as `serde_json::value::RawValue` asks for one (none,
    /// one or several fields).
    Raw(Vec<String>),
    /// Numbers given as text, as `arbitrary_precision` gives one (none,
    /// one or several).
    NumberText(Vec<String>),
    Float(f64),
    Wide(u128),
    /// A map that writes its one key twice.
    Repeated(String),
    /// Arrays nested this deep.
    Deep(u8),
    Seq(Vec<Val>),
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Json(text) => serde_json::from_str::<serde_json::Value>(text)
                .unwrap_or_default()
                .serialize(serializer),
            Val::Raw(texts) => magic(serializer, "$serde_json::private::RawValue", texts),
            Val::NumberText(texts) => magic(serializer, "$serde_json::private::Number", texts),
            Val::Float(value) => serializer.serialize_f64(*value),
            Val::Wide(value) => serializer.serialize_u128(*value),
            Val::Repeated(key) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry(key, &1)?;
                map.serialize_entry(key, &2)?;
                map.end()
            }
            Val::Deep(depth) => {
                let mut text = "[".repeat(usize::from(*depth));
                text.push_str(&"]".repeat(usize::from(*depth)));
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_default()
                    .serialize(serializer)
            }
            Val::Seq(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values {
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
        }
    }
}

/// serde_json's private struct `name` with a field per text.
fn magic<S: Serializer>(
    serializer: S,
    name: &'static str,
    texts: &[String],
) -> Result<S::Ok, S::Error> {
    let mut fields = serializer.serialize_struct(name, texts.len())?;
    for text in texts {
        fields.serialize_field(name, text)?;
    }
    fields.end()
}

#[derive(Arbitrary, Debug)]
enum Op {
    Text(Key, String),
    Value(Key, Val),
    Object(Key, Vec<Op>),
    Flatten(Val),
    Ignored(Box<Op>),
    Fail,
    /// Objects nested this deep, a text at the bottom.
    Deep(u8),
}

fn run(ops: &[Op], payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
    for op in ops {
        match op {
            Op::Text(key, text) => payload.text(key.text(), text)?,
            Op::Value(key, value) => payload.value(key.text(), value)?,
            Op::Object(key, inner) => payload.object(key.text(), |object| run(inner, object))?,
            Op::Flatten(value) => payload.flatten(value)?,
            Op::Ignored(op) => {
                let _ = run(std::slice::from_ref(op), payload);
            }
            Op::Fail => return Err(Error::EmptyIdentity),
            Op::Deep(depth) => nest(payload, *depth)?,
        }
    }
    Ok(())
}

fn nest(payload: &mut PayloadWriter<'_>, left: u8) -> Result<(), Error> {
    match left.checked_sub(1) {
        None => payload.text("leaf", "x"),
        Some(left) => payload.object("k", |object| nest(object, left)),
    }
}

#[derive(Arbitrary, Debug)]
struct FuzzGrant {
    key: Key,
    ops: Vec<Op>,
}

impl Grant for FuzzGrant {
    fn key(&self) -> &str {
        self.key.text()
    }
    fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
        run(&self.ops, payload)
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    identity: String,
    grants: Vec<FuzzGrant>,
    ttl: u32,
    early: Option<u32>,
    region: Option<String>,
}

fuzz_target!(|input: Input| {
    let issued = UNIX_EPOCH + Duration::from_secs(NOW);
    let mut builder = AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity(input.identity.as_str())
        .issued_at(issued)
        .ttl(Duration::from_secs(u64::from(input.ttl)));
    if let Some(early) = input.early {
        builder = builder.not_before(issued - Duration::from_secs(u64::from(early)));
    }
    if let Some(region) = &input.region {
        builder = builder.region(region.as_str());
    }
    for grant in &input.grants {
        // A grant of one's own under a built-in key is read with the
        // built-in's decoder, which signing does not run (README).
        let key = grant.key.text();
        if key != "identity" && twilio_token::__built_in_grant_keys().contains(&key) {
            return;
        }
        builder = builder.grant(grant);
    }
    let Ok(token) = builder.sign() else {
        return;
    };
    let verifier = Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap());
    let claims = verifier
        .verify_at(&token, issued)
        .unwrap_or_else(|error| panic!("signed {token} does not verify: {error}"));
    assert_eq!(claims.identity(), input.identity);
    // The oracle: serde_json's reading of the signed payload.
    let payload = token.split('.').nth(1).unwrap();
    let payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let mut grants = payload["grants"].as_object().unwrap().clone();
    grants.remove("identity");
    assert_eq!(
        Json::Object(claims.grants().unwrap().clone()),
        serde_json::Value::Object(grants)
    );
});
