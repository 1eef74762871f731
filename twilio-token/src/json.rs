//! A grant's payload written into the token: `PayloadWriter`, which
//! refuses what the verifier would refuse (the text itself is written by
//! the `python` module, as Python's `json.dumps` writes it), and the
//! longest token.

use std::fmt::Display;

use serde::Serialize;

use crate::python::PythonFormatter;
pub(crate) use crate::python::{push_bytes, write_str};
use crate::reader::{MAX_DEPTH, ReadError, Reader};
use crate::{Error, finite};

/// The longest token: 16 KiB. Real tokens are a few KB. Signing refuses a
/// longer one and the verifiers refuse to read it, so the cap bounds the
/// work an attacker can ask for and every token minted can be verified.
///
/// ```
/// let huge = "a".repeat(twilio_token::MAX_TOKEN_LEN + 1);
/// assert_eq!(twilio_token::unverified::access_token(&huge).unwrap_err().twilio_code(), 20101);
/// ```
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// A payload longer than this cannot fit a token (base64url makes four
/// characters of three bytes): writing stops there, so a grant that writes
/// without end costs no more than a token's worth.
const LONGEST_PAYLOAD: usize = MAX_TOKEN_LEN / 4 * 3;

/// Writes the entries of a grant's payload object into the token being
/// minted: what [`Grant::write_payload`](crate::Grant::write_payload) is given.
///
/// The object itself is opened and closed by the library, and a nested
/// object by [`object`](PayloadWriter::object) around a closure, so a grant
/// cannot leave an object open, close one twice or write outside its own.
/// A key written twice in one object is an error naming the grant. Output
/// is compact JSON with every character outside printable ASCII escaped as
/// `\uXXXX`, as twilio-python writes it.
///
/// ```
/// use twilio_token::{Error, Grant, PayloadWriter};
///
/// struct Flag;
///
/// impl Grant for Flag {
///     fn key(&self) -> &str {
///         "flag"
///     }
///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
///         payload.text("room", "möte")?;
///         payload.object("outgoing", |outgoing| outgoing.value("n", &1e16))
///     }
/// }
///
/// assert_eq!(Flag.to_payload()?.to_string(), r#"{"room":"möte","outgoing":{"n":1e+16}}"#);
/// # Ok::<(), Error>(())
/// ```
pub struct PayloadWriter<'a> {
    out: &'a mut Vec<u8>,
    grant: &'a str,
    /// Where this object's keys were written, quoted, in `out`.
    keys: KeySpans,
    /// How deep this object is in the token's payload (a grant's own
    /// object is [`GRANT_DEPTH`]): a value is read back as deep as the
    /// verifier will read it.
    depth: usize,
    /// The first error this object or one inside it returned. The object
    /// is then poisoned: writing it fails with that error, even if the
    /// grant ignored the error and returned `Ok`.
    failed: Option<Error>,
}

/// The grant being written and how far: not the bytes, which may hold
/// what the grant keeps private until the token is signed.
impl std::fmt::Debug for PayloadWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayloadWriter")
            .field("grant", &self.grant)
            .field("depth", &self.depth)
            .field("failed", &self.failed.is_some())
            .finish_non_exhaustive()
    }
}

/// The depth of a grant's object in a token's payload: the payload, then
/// `grants`, then the grant.
pub(crate) const GRANT_DEPTH: usize = 3;

/// The byte ranges of one object's keys: eight without allocating.
#[derive(Default)]
pub(crate) struct KeySpans {
    inline: [(usize, usize); 8],
    len: usize,
    more: Vec<(usize, usize)>,
}

impl KeySpans {
    /// Records the key at `span` of `out`, or returns `false` when the
    /// object has it already.
    #[inline(always)]
    pub(crate) fn add(&mut self, out: &[u8], (start, end): (usize, usize)) -> bool {
        let written = out.get(start..end).unwrap_or_default();
        // Compared inline, lengths first: keys are short and few.
        let same = |&(from, to): &(usize, usize)| {
            to - from == written.len()
                && out
                    .get(from..to)
                    .is_some_and(|earlier| earlier.iter().zip(written).all(|(a, b)| a == b))
        };
        // Two plain loops: a chained iterator here is not inlined.
        let inline = self.inline.get(..self.len).unwrap_or_default();
        if inline.iter().any(same) || self.more.iter().any(same) {
            return false;
        }
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = (start, end);
                self.len += 1;
            }
            None => self.more.push((start, end)),
        }
        true
    }

    fn pop(&mut self) {
        if self.more.pop().is_none() {
            self.len = self.len.saturating_sub(1);
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<'a> PayloadWriter<'a> {
    /// Writes one object `depth` deep in the payload: `{`, what `write`
    /// writes, `}`; or the error `write` returns, or else the first error
    /// of a call inside it that `write` ignored.
    pub(crate) fn write_object(
        out: &'a mut Vec<u8>,
        grant: &'a str,
        depth: usize,
        write: impl FnOnce(&mut PayloadWriter<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        out.push(b'{');
        let mut writer = PayloadWriter {
            out,
            grant,
            keys: KeySpans::default(),
            depth,
            failed: None,
        };
        // The error `write` returns, else the first one it ignored.
        write(&mut writer)?;
        match writer.failed {
            None => {
                writer.out.push(b'}');
                Ok(())
            }
            Some(error) => Err(error),
        }
    }

    /// Records `error` as this object's first if it has none, and returns it.
    #[cold]
    fn fail(&mut self, error: Error) -> Error {
        if self.failed.is_none() {
            self.failed = Some(error.clone());
        }
        error
    }

    /// A payload error naming the grant (and the field), recorded.
    #[cold]
    fn error(&mut self, field: Option<&str>, reason: impl Display) -> Error {
        let error = Error::GrantPayload {
            grant: self.grant.to_owned(),
            field: field.map(str::to_owned),
            reason: reason.to_string(),
        };
        self.fail(error)
    }

    /// The payload has outgrown any token: the shortest token it could make.
    #[cold]
    fn too_long(&mut self) -> Error {
        let len = base64::encoded_len(self.out.len(), false).unwrap_or(usize::MAX);
        self.fail(Error::TokenTooLong {
            len,
            max: MAX_TOKEN_LEN,
        })
    }

    /// Writes `"key":` (and the comma before it when needed), refusing a
    /// key this object has already.
    #[inline(always)]
    fn key(&mut self, key: &str) -> Result<(), Error> {
        if !self.keys.is_empty() {
            self.out.push(b',');
        }
        let start = self.out.len();
        write_str(self.out, key);
        self.add_key(start, self.out.len())?;
        self.out.push(b':');
        Ok(())
    }

    /// Records the key at `start..end` of `out`, refusing a repeat, and
    /// stops a payload that has outgrown any token.
    fn add_key(&mut self, start: usize, end: usize) -> Result<(), Error> {
        if end > LONGEST_PAYLOAD {
            return Err(self.too_long());
        }
        if self.keys.add(self.out, (start, end)) {
            return Ok(());
        }
        let key =
            String::from_utf8_lossy(self.out.get(start..end).unwrap_or_default()).into_owned();
        Err(self.error(None, format_args!("the key {key} is written twice")))
    }

    /// Writes the entry `key`: `text`, a string.
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when this object has `key` already.
    ///
    /// ```
    /// # use twilio_token::{Error, Grant, PayloadWriter};
    /// struct Room;
    /// impl Grant for Room {
    ///     fn key(&self) -> &str { "video" }
    ///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
    ///         payload.text("room", "caf\u{e9}")
    ///     }
    /// }
    /// assert_eq!(Room.to_payload()?, serde_json::json!({"room": "café"}));
    /// # Ok::<(), Error>(())
    /// ```
    #[inline(always)]
    pub fn text(&mut self, key: &str, text: &str) -> Result<(), Error> {
        self.key(key)?;
        write_str(self.out, text);
        Ok(())
    }

    /// Writes the entry `key`: any serializable value (`None` as `null`).
    ///
    /// What the value writes is read back as the verifier will read it: an
    /// object with a key twice (at any depth), nesting deeper than the
    /// verifier reads, a serde_json raw fragment (`RawValue`) or an
    /// integer beyond 64 bits is refused, and so is a float that is not
    /// finite (serde_json would write it `null`).
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when this object has `key` already, or the
    /// value cannot be written as above.
    ///
    /// ```
    /// # use twilio_token::{Error, Grant, PayloadWriter};
    /// struct Voice;
    /// impl Grant for Voice {
    ///     fn key(&self) -> &str { "voice" }
    ///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
    ///         payload.value("allow", &true)?;
    ///         payload.value("allow", &false) // a key written twice
    ///     }
    /// }
    /// assert!(matches!(Voice.to_payload(), Err(Error::GrantPayload { .. })));
    /// ```
    pub fn value<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.key(key)?;
        let start = self.out.len();
        self.serialize(Some(key), value)?;
        if self.out.len() > LONGEST_PAYLOAD {
            return Err(self.too_long());
        }
        // A string, `true`, `false` or `null` is written by serde_json as
        // one value. Anything else is read back: an object or an array, and
        // numbers, which serde_json's private number struct can write as
        // several texts in a row, or as none.
        if !matches!(self.out.get(start), Some(b'"' | b't' | b'f' | b'n')) {
            let checked = match std::str::from_utf8(self.out.get(start..).unwrap_or_default()) {
                Ok(text) => {
                    let mut reader = Reader::at_depth(text, self.depth);
                    reader.check().and_then(|()| reader.end())
                }
                Err(_) => Err(ReadError::new("not UTF-8")),
            };
            if let Err(error) = checked {
                return Err(self.error(Some(key), error));
            }
        }
        Ok(())
    }

    /// Writes `value`; a float that is not finite, which serde_json writes
    /// as `null`, is refused (looked for only when a `null` was written).
    fn serialize<T: Serialize + ?Sized>(
        &mut self,
        field: Option<&str>,
        value: &T,
    ) -> Result<(), Error> {
        let start = self.out.len();
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut *self.out, PythonFormatter::<true>);
        if let Err(error) = value.serialize(&mut serializer) {
            return Err(self.error(field, error));
        }
        let written = self.out.get(start..).unwrap_or_default();
        if written.windows(4).any(|word| word == b"null")
            && let Err(error) = finite::check(value)
        {
            return Err(self.error(field, error));
        }
        Ok(())
    }

    /// Writes the entry `key`: an object whose entries `write` writes. An
    /// object left empty is left out, key and all.
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when this object has `key` already, or the
    /// first error of a call inside `write` (even one `write` ignored), or
    /// what `write` returns.
    ///
    /// ```
    /// # use twilio_token::{Error, Grant, PayloadWriter};
    /// struct Voice;
    /// impl Grant for Voice {
    ///     fn key(&self) -> &str { "voice" }
    ///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
    ///         payload.object("incoming", |incoming| incoming.value("allow", &true))?;
    ///         payload.object("outgoing", |_| Ok(()))
    ///     }
    /// }
    /// assert_eq!(Voice.to_payload()?.to_string(), r#"{"incoming":{"allow":true}}"#);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn object(
        &mut self,
        key: &str,
        write: impl FnOnce(&mut PayloadWriter<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let before = self.out.len();
        self.key(key)?;
        if self.depth >= MAX_DEPTH {
            return Err(self.error(Some(key), "nested too deeply for the verifier to read"));
        }
        let opened = self.out.len();
        if let Err(error) = PayloadWriter::write_object(self.out, self.grant, self.depth + 1, write)
        {
            return Err(self.fail(error));
        }
        if self.out.len() == opened + 2 {
            // `{}`: the entry is left out.
            self.out.truncate(before);
            self.keys.pop();
        }
        Ok(())
    }

    /// Writes the entries of `value`, which must serialize as a JSON object,
    /// into this object (the derive's `flatten`), read back as
    /// [`value`](PayloadWriter::value)'s are.
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when `value` is not an object, has a key this
    /// object has already, or cannot be written as `value`'s can't.
    ///
    /// ```
    /// # use twilio_token::{Error, Grant, PayloadWriter};
    /// struct Player(serde_json::Value);
    /// impl Grant for Player {
    ///     fn key(&self) -> &str { "player" }
    ///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
    ///         payload.flatten(&self.0)
    ///     }
    /// }
    /// let player = Player(serde_json::json!({"playbackUrl": "https://example.com"}));
    /// assert_eq!(player.to_payload()?.to_string(), r#"{"playbackUrl":"https://example.com"}"#);
    /// assert!(Player(serde_json::json!([1])).to_payload().is_err());
    /// # Ok::<(), Error>(())
    /// ```
    pub fn flatten<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let start = self.out.len();
        self.serialize(None, value)?;
        if self.out.len() > LONGEST_PAYLOAD {
            return Err(self.too_long());
        }
        // The keys of what was written, as ranges after its `{`: our own
        // compact output, where each key starts right after `{` or `,` and
        // ends right before its colon. Each value is read as `value`'s is.
        let spans = {
            let written = self.out.get(start..).unwrap_or_default();
            let spans = match written.split_first() {
                Some((b'{', inner)) => std::str::from_utf8(inner)
                    .map_err(|error| ReadError::new(error.to_string()))
                    .and_then(|inner| entry_spans(inner, self.depth)),
                _ => Err(ReadError::new(
                    "a flattened field must serialize as a JSON object",
                )),
            };
            match spans {
                Ok(spans) => spans,
                Err(error) => {
                    self.out.truncate(start);
                    return Err(self.error(None, error));
                }
            }
        };
        // Merge the entries into this object, in place: drop the closing
        // brace, and the opening one or make it the comma between entries.
        self.out.pop();
        if spans.is_empty() {
            self.out.truncate(start);
            return Ok(());
        }
        let base = if self.keys.is_empty() {
            self.out.remove(start);
            start
        } else {
            if let Some(brace) = self.out.get_mut(start) {
                *brace = b',';
            }
            start + 1
        };
        for (from, to) in spans {
            self.add_key(base + from, base + to)?;
        }
        Ok(())
    }
}

/// The spans of the keys of the object whose text after `{` is `inner`,
/// its values checked as the verifier reads them `depth` deep.
fn entry_spans(inner: &str, depth: usize) -> Result<Vec<(usize, usize)>, ReadError> {
    let mut reader = Reader::at_depth(inner, depth);
    let mut first = true;
    let mut spans = Vec::new();
    let mut at = 0;
    while reader.next_key(&mut first)?.is_some() {
        spans.push((at, reader.offset() - 1));
        reader.check()?;
        at = reader.offset() + 1;
    }
    reader.end()?;
    Ok(spans)
}
