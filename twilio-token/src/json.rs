//! JSON exactly as twilio-python writes it: compact, `ensure_ascii`, Python
//! float formatting. One formatter serves the whole token, so grants written
//! by the derive, `serde_json::Value`s and the claims all agree.

use std::fmt::Display;
use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::number::{Number, python_float};
use crate::reader::{MAX_DEPTH, ReadError, Reader};
use crate::{Error, finite, swar};

/// The longest token: 16 KiB. Real tokens are a few KB. Signing refuses a
/// longer one and the verifiers refuse to read it, so the cap bounds the
/// work an attacker can ask for and every token minted can be verified.
///
/// ```
/// let huge = "a".repeat(twilio_token::MAX_TOKEN_LEN + 1);
/// assert_eq!(twilio_token::decode_unverified(&huge).unwrap_err().twilio_code(), 20101);
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

/// The bytes Python's `json.dumps` writes as they are: printable ASCII but
/// `"` and `\`.
const PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut byte = b' ';
    while byte < 0x7f {
        plain[byte as usize] = byte != b'"' && byte != b'\\';
        byte += 1;
    }
    plain
};

/// Appends `bytes`; a SID's 34 bytes as one fixed-size copy, which the
/// compiler inlines, where any other length calls `memcpy`.
#[inline(always)]
pub(crate) fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    match bytes.first_chunk::<34>() {
        Some(sid) if bytes.len() == 34 => out.extend_from_slice(sid),
        _ => out.extend_from_slice(bytes),
    }
}

/// `bytes` are all printable ASCII but `"` and `\\`: written as they are.
#[inline(always)]
fn is_plain(bytes: &[u8]) -> bool {
    let escapes = |x: u64| {
        swar::below(x, b' ')
            | swar::high(x)
            | swar::equal(x, 0x7f)
            | swar::equal(x, b'"')
            | swar::equal(x, b'\\')
    };
    let (words, rest) = swar::words(bytes);
    let found = words.fold(0, |found, x| found | escapes(x));
    // The last bytes: as the (overlapping) last word when there is one.
    let tail = match bytes.len().checked_sub(8) {
        Some(last) if !rest.is_empty() => {
            escapes(swar::word(bytes.get(last..).unwrap_or_default()))
        }
        _ => u64::from(!rest.iter().all(|&b| PLAIN[usize::from(b)])),
    };
    found | tail == 0
}

/// Writes `value` as a JSON string the way Python's `json.dumps` does.
///
/// Inlined, with `is_plain`, `push_bytes` and the writer's `key` and
/// `text`, and the escaping path kept out of line: in a derived grant's
/// writer the key is a literal, so its check and copy are worked out at
/// compile time. 660 fewer instructions per token of three grants (9% of
/// signing outside SHA-256, callgrind), 4.5% off `sign()` in the `prof`
/// example's best of twelve.
#[inline(always)]
pub(crate) fn write_str(out: &mut Vec<u8>, value: &str) {
    // Most strings (SIDs, identities) need no escape at all.
    if is_plain(value.as_bytes()) {
        out.reserve(value.len() + 2);
        out.push(b'"');
        push_bytes(out, value.as_bytes());
        out.push(b'"');
        return;
    }
    write_escaped(out, value);
}

/// [`write_str`] for a string with something to escape.
#[cold]
#[inline(never)]
fn write_escaped(out: &mut Vec<u8>, value: &str) {
    // Serializing a `str` into a Vec cannot fail.
    let _ = value.serialize(&mut serde_json::Serializer::with_formatter(
        out,
        PythonFormatter::<true>,
    ));
}

/// serde_json's compact formatter with Python's float `repr`, and with
/// `ensure_ascii=True` when `ASCII` (tokens) or text as it is (display).
pub(crate) struct PythonFormatter<const ASCII: bool>;

/// `value` as compact JSON with Python's float `repr` and text as it is:
/// what `Display` shows of a JSON value, numbers as the token has them.
pub(crate) fn display(value: &(impl Serialize + ?Sized)) -> Option<String> {
    let mut out = Vec::new();
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut out,
            PythonFormatter::<false>,
        ))
        .ok()?;
    String::from_utf8(out).ok()
}

impl<const ASCII: bool> Formatter for PythonFormatter<ASCII> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has already escaped `"`, `\` and controls below 0x20;
        // what is left to escape is DEL and everything beyond ASCII.
        let bytes = fragment.as_bytes();
        if !ASCII || (fragment.is_ascii() && !bytes.contains(&0x7f)) {
            return writer.write_all(bytes);
        }
        let Some(first) = bytes.iter().position(|&b| b >= 0x7f) else {
            return writer.write_all(bytes);
        };
        let mut start = 0;
        for (index, ch) in fragment[first..].char_indices() {
            let index = index + first;
            if (' '..'\u{7f}').contains(&ch) {
                continue;
            }
            writer.write_all(&bytes[start..index])?;
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write_u_escape(writer, *unit)?;
            }
            start = index + ch.len_utf8();
        }
        writer.write_all(&bytes[start..])
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(python_float(value).as_bytes())
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    fn write_i128<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: i128) -> io::Result<()> {
        match (i64::try_from(value), u64::try_from(value)) {
            (Ok(value), _) => self.write_i64(writer, value),
            (_, Ok(value)) => self.write_u64(writer, value),
            _ => Err(io::Error::other(WIDE_INTEGER)),
        }
    }

    fn write_u128<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: u128) -> io::Result<()> {
        match u64::try_from(value) {
            Ok(value) => self.write_u64(writer, value),
            Err(_) => Err(io::Error::other(WIDE_INTEGER)),
        }
    }

    /// A number given as text (serde_json's `arbitrary_precision`, on when
    /// any crate in the program turns it on): read with the JSON grammar and
    /// written as twilio-python writes that number.
    fn write_number_str<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        value: &str,
    ) -> io::Result<()> {
        match value.parse::<Number>() {
            // An integer beyond 64 bits would be read back as a float.
            Ok(number) if number.as_f64_only() && !value.contains(['.', 'e', 'E']) => {
                Err(io::Error::other(WIDE_INTEGER))
            }
            Ok(number) => write!(writer, "{number}"),
            Err(error) => Err(io::Error::other(error.to_string())),
        }
    }

    /// A raw fragment (serde_json's `RawValue`, with its `raw_value`
    /// feature) would be written as it is, whatever it holds: refused.
    fn write_raw_fragment<W: ?Sized + io::Write>(
        &mut self,
        _writer: &mut W,
        _fragment: &str,
    ) -> io::Result<()> {
        Err(io::Error::other(
            "a raw JSON fragment (serde_json's `RawValue`) cannot be written into a token: write the value itself, such as a `twilio_token::Json` parsed from the text",
        ))
    }
}

/// Why an integer beyond 64 bits is refused.
const WIDE_INTEGER: &str = "an integer beyond 64 bits: a token's numbers are read as 64-bit integers or floats; write it as text";

fn write_u_escape<W: ?Sized + io::Write>(writer: &mut W, unit: u16) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let nibble = |shift: u16| HEX[usize::from((unit >> shift) & 0xf)];
    writer.write_all(&[b'\\', b'u', nibble(12), nibble(8), nibble(4), nibble(0)])
}

#[cfg(test)]
mod tests {
    use super::write_str;

    #[test]
    fn strings_escape_everything_outside_printable_ascii() {
        let mut out = Vec::new();
        write_str(
            &mut out,
            "a\u{0}b\u{1}c\u{1f}d\u{7f}e\u{2028}f\n\r\u{8}\u{c}\t\"\\/é😀~",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""a\u0000b\u0001c\u001fd\u007fe\u2028f\n\r\b\f\t\"\\/\u00e9\ud83d\ude00~""#
        );
    }
}
