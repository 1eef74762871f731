//! The reader held to serde_json, its oracle: for the unit tests and the
//! `payload` fuzz target only.

use super::{Reader, from_str};

/// How this reader and serde_json disagree on `text`, if they do: `None`
/// when this reader refuses it, or reads what serde_json reads. serde_json
/// is the oracle of the property tests and the `payload` fuzz target.
/// Also, an object read with a payload's expected keys gives the same
/// entries, or the same error, as without: the fast path agrees with the
/// general one.
pub(crate) fn disagreement(text: &str) -> Option<String> {
    let entries = |expected: &[&'static str]| {
        let mut reader = Reader::new(text);
        let mut entries = Vec::new();
        reader
            .object(expected, |key, reader| {
                entries.push((key.to_string(), reader.skip()?));
                Ok(true)
            })
            .and_then(|()| reader.end())
            .map(|()| entries)
    };
    // A payload's keys, and some of a `grants` object's (the reader does
    // not know the built-in grants: any list will do).
    let general = entries(&[]);
    for expected in [
        &["jti", "grants", "iss", "exp", "nbf", "sub"][..],
        &["video", "voice", "chat", "data_sync", "identity"],
    ] {
        let fast = entries(expected);
        if fast != general {
            return Some(format!("with expected keys {fast:?}, without {general:?}"));
        }
    }
    // `skip` checks the grammar only, as serde_json does where it ignores
    // a value; `check` everything that `from_str` checks.
    let mut skipped = Reader::new(text);
    if skipped.skip().and_then(|_| skipped.end()).is_ok()
        && let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text)
    {
        return Some(format!(
            "serde_json refuses what the reader skipped: {error}"
        ));
    }
    let mut checked = Reader::new(text);
    let checks = checked.check().and_then(|()| checked.end()).is_ok();
    if checks != from_str::<serde_json::Value>(text).is_ok() {
        return Some(format!("`check` says {checks}, `from_str` the opposite"));
    }
    let ours: serde_json::Value = from_str(text).ok()?;
    match serde_json::from_str::<serde_json::Value>(text) {
        Err(error) => Some(format!("serde_json refuses what the reader read: {error}")),
        Ok(theirs) if theirs != ours => Some(format!("read {ours:?}, serde_json {theirs:?}")),
        Ok(_) => None,
    }
}
