//! The one JSON reader: every payload, header and grant the verifier and
//! [`Claims`](crate::Claims) read goes through it.
//!
//! It is strict and borrows: strings without escapes are borrowed from the
//! text, escapes are decoded (a lone surrogate is refused), numbers follow
//! the full JSON grammar, an object's keys must be distinct, nesting is
//! bounded. It accepts only JSON that serde_json reads too, to the same
//! values (a property test and the `payload` fuzz target hold it to that).
//! It implements `serde::Deserializer`, so any `Deserialize` type reads
//! from it.

use std::borrow::Cow;
use std::fmt;

use serde::de;

use crate::swar;

mod deserializer;
mod keys;
mod number;
#[cfg(any(test, fuzzing))]
mod oracle;

pub(crate) use deserializer::{JSON_NEWTYPE, empty_json, from_str};
use keys::Keys;
use keys::{same, same_bytes};
pub(crate) use number::{Number, number};
#[cfg(any(test, fuzzing))]
pub(crate) use oracle::disagreement;

/// Nesting deeper than this is refused (serde_json's limit is 128).
pub(crate) const MAX_DEPTH: usize = 100;

/// JSON text being read, and where.
pub struct Reader<'de> {
    text: &'de str,
    pos: usize,
    depth: usize,
    /// Only checking, not keeping, what is read (see [`Reader::checking`]).
    check_only: bool,
}

/// Why the reader stopped: a message without a position.
///
/// Boxed, so that every `Result` the reader returns fits in registers: a
/// null pointer is `Ok`, and the message is made only on failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(Box<Reason>);

/// What stopped the reader: a key given twice, which callers tell apart
/// by its variant, or another message.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    Message(Cow<'static, str>),
    KeyTwice(String),
}

impl ReadError {
    /// An error with this message.
    #[cold]
    pub(crate) fn new(message: impl Into<Cow<'static, str>>) -> Self {
        ReadError(Box::new(Reason::Message(message.into())))
    }

    /// A key given twice in one object.
    #[cold]
    pub(crate) fn duplicate(key: &str) -> Self {
        ReadError(Box::new(Reason::KeyTwice(key.to_owned())))
    }

    /// The key, when this is a key given twice in an object.
    pub(crate) fn duplicate_key(&self) -> Option<&str> {
        match &*self.0 {
            Reason::KeyTwice(key) => Some(key),
            Reason::Message(_) => None,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Reason::Message(message) => f.write_str(message),
            Reason::KeyTwice(key) => write!(f, "the key `{key}` is given twice"),
        }
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError::new(message.to_string())
    }
}

type Read<T> = Result<T, ReadError>;

#[cold]
fn fail<T>(message: &'static str) -> Read<T> {
    Err(ReadError::new(message))
}

impl<'de> Reader<'de> {
    /// A reader at the start of `text`.
    pub(crate) fn new(text: &'de str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
            check_only: false,
        }
    }

    /// A reader at the start of `text`, a value nested `depth` deep in the
    /// token: what signing writes is read back with the depth the verifier
    /// will read it at.
    pub(crate) fn at_depth(text: &'de str, depth: usize) -> Self {
        Reader {
            text,
            pos: 0,
            depth,
            check_only: false,
        }
    }

    /// Runs `read` with the reader only checking: a [`Json`](crate::Json)
    /// or [`JsonObject`](crate::JsonObject) is then read as [`check`]
    /// reads (what building one accepts, nothing else) and handed over
    /// empty. The verifier's check of a built-in grant, which builds
    /// nothing: a forged Voice grant with a thousand parameters costs no
    /// thousand allocations.
    ///
    /// [`check`]: Reader::check
    pub(crate) fn checking<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.check_only, true);
        let result = read(self);
        self.check_only = outer;
        result
    }

    /// Whether the reader is only checking (see [`Reader::checking`]).
    pub(crate) fn is_checking(&self) -> bool {
        self.check_only
    }

    /// How many bytes have been read.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// Where the reader is, to come back to with [`rewind`](Reader::rewind).
    pub(crate) fn checkpoint(&self) -> (usize, usize) {
        (self.pos, self.depth)
    }

    /// Goes back to a [`checkpoint`](Reader::checkpoint).
    pub(crate) fn rewind(&mut self, (pos, depth): (usize, usize)) {
        self.pos = pos;
        self.depth = depth;
    }

    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not JSON whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes().get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Whether the next value starts with `b` (after whitespace).
    pub(crate) fn next_is(&mut self, b: u8) -> bool {
        self.peek() == Some(b)
    }

    fn eat(&mut self, b: u8, message: &'static str) -> Read<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            fail(message)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Read<()> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            fail("expected a JSON value")
        }
    }

    /// Nothing but whitespace is left.
    pub(crate) fn end(&mut self) -> Read<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => fail("trailing characters after the JSON value"),
        }
    }

    fn enter(&mut self) -> Read<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return fail("nested too deeply");
        }
        Ok(())
    }

    /// A string value, after whitespace: borrowed when it has no escape.
    pub(crate) fn string(&mut self) -> Read<Cow<'de, str>> {
        self.eat(b'"', "expected a string")?;
        self.string_body()
    }

    /// The rest of a string whose opening quote is consumed.
    fn string_body(&mut self) -> Read<Cow<'de, str>> {
        let start = self.pos;
        let end = self.plain_end(start);
        match self.bytes().get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                // Quotes are ASCII, so both ends are character boundaries.
                Ok(Cow::Borrowed(self.text.get(start..end).unwrap_or_default()))
            }
            Some(b'\\') => {
                // Room for a short string's escapes from the start: growing
                // from the text before the first one reallocated twice per
                // escaped key (perf, 1,365 escaped keys).
                let before = self.text.get(start..end).unwrap_or_default();
                let mut owned = String::with_capacity(before.len() + 16);
                owned.push_str(before);
                self.pos = end;
                self.string_rest(Some(&mut owned))?;
                Ok(Cow::Owned(owned))
            }
            Some(_) => fail("a control character in a string: escape it"),
            None => fail("a string is not closed"),
        }
    }

    /// The first `"`, `\` or control character from `at` (or the end):
    /// eight bytes at a time.
    #[inline]
    fn plain_end(&self, mut at: usize) -> usize {
        let bytes = self.bytes();
        while let Some(chunk) = bytes.get(at..at + 8) {
            let x = swar::word(chunk);
            let special = swar::equal(x, b'"') | swar::equal(x, b'\\') | swar::below(x, 0x20);
            if special != 0 {
                return at + swar::first(special);
            }
            at += 8;
        }
        while let Some(&b) = bytes.get(at) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            at += 1;
        }
        at
    }

    /// Reads the rest of a string, from the current position (inside it)
    /// past its closing quote. With `out`, its text is decoded into `out` (a
    /// lone surrogate refused); without, its escapes are checked against the
    /// grammar only: what a value whose content is not read must be
    /// (serde_json skips a lone surrogate the same way).
    #[cold]
    fn string_rest(&mut self, mut out: Option<&mut String>) -> Read<()> {
        loop {
            let end = self.plain_end(self.pos);
            if let Some(out) = out.as_deref_mut() {
                out.push_str(self.text.get(self.pos..end).unwrap_or_default());
            }
            self.pos = end + 1;
            match self.bytes().get(end) {
                Some(b'"') => return Ok(()),
                Some(b'\\') => {}
                Some(_) => return fail("a control character in a string: escape it"),
                None => return fail("a string is not closed"),
            }
            let escape = self.bytes().get(self.pos).copied();
            self.pos += 1;
            let ch = match escape {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') if out.is_some() => self.unicode_escape()?,
                Some(b'u') => {
                    self.hex4()?;
                    continue;
                }
                _ => return fail("an invalid escape in a string"),
            };
            if let Some(out) = out.as_deref_mut() {
                out.push(ch);
            }
        }
    }

    /// The character of a `\u` escape (its `\u` consumed), joining a
    /// surrogate pair.
    fn unicode_escape(&mut self) -> Read<char> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if self.bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return fail("a lone surrogate in a string escape");
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return fail("a lone surrogate in a string escape");
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return fail("a lone surrogate in a string escape"),
            _ => high,
        };
        char::from_u32(code).map_or_else(|| fail("an invalid string escape"), Ok)
    }

    fn hex4(&mut self) -> Read<u32> {
        let Some(digits) = self.bytes().get(self.pos..self.pos + 4) else {
            return fail("an invalid string escape");
        };
        let mut value = 0;
        for &b in digits {
            let digit = char::from(b).to_digit(16);
            value = value * 16 + digit.map_or_else(|| fail("an invalid string escape"), Ok)?;
        }
        self.pos += 4;
        Ok(value)
    }

    /// Reads any value, checking it against the JSON grammar only (an
    /// object's keys are not compared, a string's escapes and a number's
    /// range not read): its text, without the whitespace around it.
    pub(crate) fn skip(&mut self) -> Read<&'de str> {
        let Some(first) = self.peek() else {
            return fail("expected a JSON value");
        };
        let start = self.pos;
        match first {
            b'"' => {
                self.pos += 1;
                self.string_rest(None)?;
            }
            b'{' => {
                self.pos += 1;
                self.enter()?;
                let mut first = true;
                while self.key_follows(&mut first)? {
                    self.string_rest(None)?;
                    self.eat(b':', "expected a colon after a key")?;
                    self.skip()?;
                }
                self.depth -= 1;
            }
            b'[' => self.array(|reader| reader.skip().map(drop))?,
            b't' => self.literal(b"true")?,
            b'f' => self.literal(b"false")?,
            b'n' => self.literal(b"null")?,
            _ => {
                self.number_text()?;
            }
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    /// Reads any value as [`from_str`] would, without building it: keys
    /// compared, strings' escapes and numbers' range read. What a grant
    /// this library does not know is checked with, as `Claims::grants`
    /// will read it.
    pub(crate) fn check(&mut self) -> Read<()> {
        match self.peek() {
            Some(b'{') => self.object(&[], |_, reader| reader.check().map(|()| true)),
            Some(b'[') => self.array(Self::check),
            Some(b'"') => self.string().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ => self.skip().map(drop),
        }
    }

    /// Inside an object (after `{`): the next key and its colon, or `None`
    /// after the closing `}`. Inlined where it is called (`object` reads
    /// every object's end, and any key it did not expect, with it), a
    /// call fewer per key on every `verify()`.
    #[inline(always)]
    pub(crate) fn next_key(&mut self, first: &mut bool) -> Read<Option<Cow<'de, str>>> {
        if !self.key_follows(first)? {
            return Ok(None);
        }
        let key = self.string_body()?;
        self.eat(b':', "expected a colon after a key")?;
        Ok(Some(key))
    }

    /// Inside an object: whether a key follows (its opening quote then
    /// consumed), or the closing `}` (consumed).
    fn key_follows(&mut self, first: &mut bool) -> Read<bool> {
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                return Ok(false);
            }
            Some(b',') if !*first => {
                self.pos += 1;
                self.eat(b'"', "expected a key after a comma")?;
            }
            Some(b'"') if *first => self.pos += 1,
            _ => return fail("expected a key or the end of an object"),
        }
        *first = false;
        Ok(true)
    }

    /// An array (at its `[`), each element read by `element`.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.pos += 1;
        self.enter()?;
        let mut first = true;
        while self.next_element(&mut first)? {
            element(self)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Inside an array (after `[`): whether another element follows.
    fn next_element(&mut self, first: &mut bool) -> Read<bool> {
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                return Ok(false);
            }
            Some(b',') if !*first => self.pos += 1,
            Some(_) if *first => {}
            _ => return fail("expected a value or the end of an array"),
        }
        *first = false;
        Ok(true)
    }

    /// Reads an object, giving each entry to `entry` with its key: it reads
    /// the value and returns `true`, or returns `false` and the value is
    /// [`check`](Reader::check)ed. A key given twice is refused.
    ///
    /// `expected` are the keys the object usually has, in the order a
    /// compact writer (twilio-python, this crate) writes them, each free of
    /// characters JSON escapes. A key found where it is expected, written
    /// as such a writer writes it (`"key":`, after a comma but the first),
    /// is taken without scanning or comparing it to the keys before: most
    /// of the cost of reading a token's payload (ratio bench). Anything
    /// else (whitespace, another order, other keys) takes the general path,
    /// which reads the same JSON to the same result.
    pub(crate) fn object(
        &mut self,
        expected: &[&'static str],
        mut entry: impl FnMut(&Cow<'de, str>, &mut Self) -> Read<bool>,
    ) -> Read<()> {
        self.eat(b'{', "expected an object")?;
        self.enter()?;
        // The expected keys read so far, one bit each, and the one that
        // usually comes next; other keys are kept in `keys`.
        let expected = expected.get(..64).unwrap_or(expected);
        let mut seen = 0u64;
        let mut next = 0;
        // Made only for a key that is not expected: most objects have none.
        let mut keys: Option<Keys<'de>> = None;
        let mut first = true;
        loop {
            let (key, index) = match expected
                .get(next)
                .and_then(|key| self.predicted(key, first))
            {
                Some(key) => (key, Some(next)),
                None => {
                    let Some(key) = self.next_key(&mut first)? else {
                        break;
                    };
                    let index = expected.iter().position(|known| same(known, &key));
                    if index.is_none() {
                        // A key given twice: its value is left unread (see
                        // `finish_object`).
                        let left = self.text.len().saturating_sub(self.pos);
                        keys.get_or_insert_with(Keys::default).insert(&key, left)?;
                    }
                    (key, index)
                }
            };
            first = false;
            if let Some(index) = index {
                let bit = 1 << index;
                if seen & bit != 0 {
                    return Err(ReadError::duplicate(&key));
                }
                seen |= bit;
                next = index + 1;
            }
            if !entry(&key, self)? {
                // Read as any value is: an entry nobody reads is no less
                // strict than one that is read.
                self.check()?;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// `key` if the object's next entry has it, as a compact writer writes
    /// it: `"key":` right here, after a comma unless `first`. Consumed then.
    #[inline]
    fn predicted(&mut self, key: &'static str, first: bool) -> Option<Cow<'de, str>> {
        let at = self.pos + usize::from(!first);
        let end = at + key.len() + 3;
        let window = self.bytes().get(self.pos..end)?;
        let (comma, rest) = window.split_at(usize::from(!first));
        let (quote, rest) = rest.split_first()?;
        let (name, colon) = rest.split_at(key.len());
        let found = comma.iter().all(|&b| b == b',')
            && *quote == b'"'
            && same_bytes(name, key.as_bytes())
            && colon == b"\":";
        if !found {
            return None;
        }
        self.pos = end;
        Some(Cow::Borrowed(key))
    }

    /// After [`object`](Reader::object) refused a key given twice: reads
    /// the rest of that object as [`skip`](Reader::skip) would.
    pub(crate) fn finish_object(&mut self) -> Read<()> {
        let mut first = false;
        self.skip()?;
        while self.next_key(&mut first)?.is_some() {
            self.skip()?;
        }
        self.depth -= 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{disagreement, from_str};

    // The property tests against serde_json are in tests/tests/library/reader.rs,
    // through the public API: a derived grant's decoder reads with this
    // reader.

    /// Every entry of `text` read with `expected`, or the error: what the
    /// fast path must agree with the general one on.
    fn entries(text: &str, expected: &[&'static str]) -> Result<Vec<(String, String)>, String> {
        let mut reader = super::Reader::new(text);
        let mut entries = Vec::new();
        reader
            .object(expected, |key, reader| {
                entries.push((key.to_string(), reader.skip()?.to_owned()));
                Ok(true)
            })
            .and_then(|()| reader.end())
            .map_err(|error| error.to_string())?;
        Ok(entries)
    }

    /// Expected keys change how fast an object is read, never what is
    /// read: the same entries, or the same error, with or without them.
    #[test]
    fn expected_keys_read_the_same_entries_and_errors() {
        let expected: &[&'static str] = &["jti", "grants", "iss", "exp", "nbf", "sub"];
        let texts = [
            r#"{"jti":"a","grants":{},"iss":"b","exp":1,"nbf":0,"sub":"c"}"#,
            r#"{"jti":"a","grants":{},"iat":2,"exp":1,"iss":"b","sub":"c"}"#,
            r#"{ "jti" : "a" , "grants":{}}"#,
            r#"{"grants":1,"jti":"x","grants":2}"#,
            r#"{"jti":1,"jti":2}"#,
            r#"{"jti":1,"grants":2,"jti":3}"#,
            r#"{"jti":1,"jti":2}"#,
            r#"{"jti":1,"jti":2}"#,
            r#"{"jtix":1,"jti":2}"#,
            r#"{"jt":1,"jti":2,"grants":3}"#,
            r#"{"jti":1,}"#,
            r#"{"jti"1}"#,
            r#"{"jti":}"#,
            r#"{,"jti":1}"#,
            r#"{"jti":1"grants":2}"#,
            r#"{"jti":1,"grants":2,"iss":3,"exp":4,"nbf":5,"sub":6,"sub":7}"#,
            r#"{}"#,
            r#"{"sub":1,"nbf":2,"exp":3,"iss":4,"grants":5,"jti":6}"#,
            r#"{"jti""#,
            r#"{"jti":"#,
            r#"{"jti"#,
        ];
        for text in texts {
            assert_eq!(entries(text, expected), entries(text, &[]), "{text}");
        }
        // Every cut of a usual payload and `grants` object, and every byte
        // replaced by one the fast path looks at.
        let grants = r#"{"video":{"room":"a"},"voice":{},"chat":{"x":1},"identity":"alice"}"#;
        let grants_keys: &[&'static str] = &["video", "voice", "chat", "data_sync", "identity"];
        for (usual, expected) in [(texts[0], expected), (grants, grants_keys)] {
            for end in 0..usual.len() {
                let cut = &usual[..end];
                assert_eq!(entries(cut, expected), entries(cut, &[]), "{cut}");
            }
            for at in 0..usual.len() {
                for byte in [b'"', b',', b':', b' ', b'j', b'x', b'\\', b'}', b'v'] {
                    let mut bytes = usual.as_bytes().to_vec();
                    bytes[at] = byte;
                    let Ok(text) = String::from_utf8(bytes) else {
                        continue;
                    };
                    assert_eq!(entries(&text, expected), entries(&text, &[]), "{text}");
                }
            }
        }
        assert_eq!(
            entries(texts[3], expected),
            Err("the key `grants` is given twice".into())
        );
    }

    /// Past the first eight keys the table hashes: a key given twice is
    /// found wherever it is, spelt with escapes or not.
    #[test]
    fn a_key_given_twice_is_found_among_many() {
        let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\":0")).collect();
        let keys = keys.join(",");
        let twice = |text: String| from_str::<Value>(&text).unwrap_err().to_string();
        assert_eq!(
            twice(format!("{{{keys},\"k57\":1}}")),
            "the key `k57` is given twice"
        );
        assert_eq!(
            twice(format!("{{{keys},\"\\u006b3\":1}}")),
            "the key `k3` is given twice"
        );
        assert_eq!(
            twice(format!("{{\"\\u006b90\":0,{keys}}}")),
            "the key `k90` is given twice"
        );
        assert_eq!(
            twice(format!("{{\"\\u006b1\":0,{keys}}}")),
            "the key `k1` is given twice"
        );
        let all = from_str::<Value>(&format!("{{{keys}}}")).unwrap();
        assert_eq!(all.as_object().map(|object| object.len()), Some(100));
    }

    #[test]
    fn keys_are_distinct_and_what_the_fuzzer_found_reads_as_serde_json_does() {
        // The texts both refuse are in tests/tests/library/reader.rs.
        assert_eq!(
            from_str::<Value>("{\"a\":1,\"a\":2}")
                .unwrap_err()
                .to_string(),
            "the key `a` is given twice"
        );
        assert_eq!(
            from_str::<Value>(" {\"a\\u00e9\" : [1, -0, 1.5e3, 18446744073709551616] } ").unwrap(),
            json!({"aé": [1, -0.0, 1500.0, 18446744073709551616.0]})
        );
        // `-0` is a float to serde_json (found by the `payload` fuzz target).
        assert_eq!(disagreement("[-0, -0.0, 0]"), None);
        // Floats correctly rounded, as serde_json's float_roundtrip reads
        // them (found by the `payload` fuzz target).
        assert_eq!(disagreement("20000093020E254"), None);
        let deep = "[".repeat(101) + &"]".repeat(101);
        assert_eq!(
            from_str::<Value>(&deep).unwrap_err().to_string(),
            "nested too deeply"
        );
    }
}
