//! The one JSON reader, held to serde_json as its oracle: whatever it
//! accepts, serde_json reads to the same value. Reached through the public
//! API: a derived grant's decoder (`DecodeGrant::from_json`) reads with it.

use proptest::prelude::*;
use serde_json::{Value, json};
use twilio_token::{DecodeGrant, Grant, Json};

/// A grant holding any JSON value: `{"v": …}`.
#[derive(Grant)]
#[grant(key = "wrap")]
struct Wrap {
    v: Json,
}

/// `text` as the value of `v`, read by the reader and by serde_json: the
/// reader's value, or `None` when it refuses the text.
fn read(text: &str) -> Result<Option<Json>, TestCaseError> {
    let wrapped = format!("{{\"v\":{text}}}");
    let Ok(ours) = Wrap::from_json(&wrapped) else {
        // Refused: so is it by serde_json, read strictly (a key given
        // twice refused too, as the reader refuses it).
        prop_assert!(
            serde_json::from_str::<Strict>(&wrapped).is_err(),
            "the reader refuses {}, which serde_json reads",
            wrapped
        );
        return Ok(None);
    };
    let theirs: Value = serde_json::from_str(&wrapped)
        .map_err(|error| TestCaseError::fail(format!("serde_json refuses {wrapped}: {error}")))?;
    prop_assert_eq!(&ours.v, &theirs["v"], "{}", wrapped);
    Ok(Some(ours.v))
}

/// Any JSON value, read by serde_json with every object's keys distinct:
/// what the reader accepts, by another parser.
struct Strict;

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key) {
                return Err(serde::de::Error::custom("a key given twice"));
            }
            map.next_value::<Strict>()?;
        }
        Ok(Strict)
    }
}

/// JSON-like text: tokens of JSON, escapes, numbers of every shape and a few
/// mistakes, put together at random.
fn json_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just(" ".to_owned()),
        Just("\"a\"".to_owned()),
        Just("\"a\":".to_owned()),
        Just("\"\\u00e9\\ud83d\\ude00\\n\"".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        Just("\"\\q\"".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,3})?",
        "\"[^\"\\\\]{0,4}\"",
    ];
    prop::collection::vec(piece, 1..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    /// Whatever the reader accepts, serde_json reads to the same value.
    #[test]
    fn what_the_reader_accepts_serde_json_reads_the_same(text in json_like()) {
        read(&text)?;
    }

    /// Valid JSON written by serde_json reads back the same, whatever its
    /// strings and numbers.
    #[test]
    fn json_written_by_serde_json_reads_back_the_same(
        entries in prop::collection::vec(("\\PC{0,6}", any::<f64>(), any::<i64>(), "\\PC{0,8}"), 0..6)
    ) {
        let value: Value = entries
            .into_iter()
            .enumerate()
            .map(|(index, (key, float, int, text))| {
                (format!("{index}{key}"), json!([float, int, text, {"k": [null, true]}]))
            })
            .collect::<serde_json::Map<_, _>>()
            .into();
        let read = read(&value.to_string())?;
        prop_assert!(read.is_some_and(|read| read == value));
    }
}

#[test]
fn the_reader_refuses_what_serde_json_refuses_and_a_key_given_twice() {
    for text in [
        "",
        "{",
        "{\"a\":}",
        "[1,]",
        "01",
        "1.",
        "1e",
        "-",
        "\"\\ud800\"",
        "\"\t\"",
        "1e400",
        "nul",
        "[1 2]",
    ] {
        assert!(read(text).unwrap().is_none(), "{text}");
        let wrapped = format!("{{\"v\":{text}}}");
        assert!(serde_json::from_str::<Value>(&wrapped).is_err(), "{text}");
    }
    assert!(read("{\"a\":1,\"a\":2}").unwrap().is_none());
    assert_eq!(
        read("[-0, 1.5e3, 18446744073709551616, 20000093020E254]").unwrap(),
        Some(Json::from(
            serde_json::from_str::<Value>(
                "[-0.0, 1500.0, 18446744073709551616.0, 2.000009302e264]"
            )
            .unwrap()
        ))
    );
    let _ = Wrap { v: Json::Null }.key();
}
