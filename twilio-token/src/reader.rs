//! The verifier's fast reader of payload text: a strict JSON reader for the
//! usual token, borrowing every value from the text, that gives up
//! ([`GiveUp`]) at anything unusual: an escape, a float, a duplicated
//! claim, a `null` claim, a malformed grant, deep nesting.
//!
//! Giving up is never an answer: the caller then reads the payload with
//! serde_json, which decides and words the error. So this reader only has
//! to be right about what it accepts: whatever it accepts, serde_json reads
//! to the same values (a property test and the fuzz target hold it to
//! that). It implements `serde::Deserializer` so the derive's one-pass
//! checks of the known grants run on it too, and the derive's direct
//! checks (`DecodeGrant::check_fast`) call it through `__private`: not
//! public API.

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

use crate::swar;

/// Nesting deeper than this gives up; serde_json's own limit is 128.
const MAX_DEPTH: usize = 64;

/// JSON text being read, and where.
pub struct Reader<'de> {
    text: &'de str,
    pos: usize,
    depth: usize,
}

/// Why the reader stopped: nothing more, serde_json will say.
#[derive(Debug)]
pub struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not read by the fast reader")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

type Read<T> = Result<T, GiveUp>;

impl<'de> Reader<'de> {
    pub(crate) fn new(text: &'de str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
        }
    }

    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not JSON whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        match self.bytes().get(self.pos) {
            Some(&b) if b > b' ' => Some(b),
            _ => self.peek_past_whitespace(),
        }
    }

    #[cold]
    fn peek_past_whitespace(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes().get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Consumes `b`, the next byte after whitespace.
    #[inline]
    fn eat(&mut self, b: u8) -> Read<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Consumes `word` (a literal's text) at the current position.
    fn literal(&mut self, word: &[u8]) -> Read<()> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// A string without escapes, after whitespace: its text, inside the
    /// quotes. Control characters and backslashes give up.
    #[cfg(test)]
    fn string(&mut self) -> Read<&'de str> {
        self.eat(b'"')?;
        self.string_body()
    }

    /// The rest of a string whose opening quote is consumed.
    #[inline]
    fn string_body(&mut self) -> Read<&'de str> {
        let start = self.pos;
        let end = self.string_end_from(start)?;
        self.pos = end + 1;
        // Quotes are ASCII, so both ends are character boundaries.
        self.text.get(start..end).ok_or(GiveUp)
    }

    /// The closing quote of a string from `at`; an escape or a control
    /// character gives up.
    #[inline]
    fn string_end_from(&self, mut at: usize) -> Read<usize> {
        let bytes = self.bytes();
        loop {
            if let Some(chunk) = bytes.get(at..at + 8) {
                let x = swar::word(chunk);
                let special = swar::equal(x, b'"') | swar::equal(x, b'\\') | swar::below(x, 0x20);
                if special == 0 {
                    at += 8;
                    continue;
                }
                at += swar::first(special);
            }
            match bytes.get(at) {
                Some(b'"') => return Ok(at),
                Some(b'\\') | None => return Err(GiveUp),
                Some(&b) if b < 0x20 => return Err(GiveUp),
                Some(_) => at += 1,
            }
        }
    }

    /// An integer (`-?(0|[1-9][0-9]*)`): its text. A fraction or exponent
    /// gives up.
    fn integer(&mut self) -> Read<&'de str> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut at = start;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let digits = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let leading_zero = bytes.get(digits) == Some(&b'0') && at - digits > 1;
        if at == digits || leading_zero || matches!(bytes.get(at), Some(b'.' | b'e' | b'E')) {
            return Err(GiveUp);
        }
        self.pos = at;
        self.text.get(start..at).ok_or(GiveUp)
    }

    fn enter(&mut self) -> Read<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        Ok(())
    }

    /// Reads any value, checking it is JSON; its text, without the
    /// whitespace around it.
    pub fn skip(&mut self) -> Read<&'de str> {
        let start = match self.peek() {
            Some(_) => self.pos,
            None => return Err(GiveUp),
        };
        match self.bytes().get(start) {
            Some(b'"') => {
                self.pos += 1;
                self.string_body()?;
            }
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                let mut first = true;
                while self.next_key(&mut first)?.is_some() {
                    self.skip()?;
                }
                self.depth -= 1;
            }
            Some(b'[') => {
                self.enter()?;
                self.pos += 1;
                let mut first = true;
                while self.next_element(&mut first)? {
                    self.skip()?;
                }
                self.depth -= 1;
            }
            Some(b't') => self.literal(b"true")?,
            Some(b'f') => self.literal(b"false")?,
            Some(b'n') => self.literal(b"null")?,
            _ => {
                self.integer()?;
            }
        }
        self.text.get(start..self.pos).ok_or(GiveUp)
    }

    /// A value of exactly `N` bytes right here, as [`skip`](Reader::skip)
    /// reads it, found with fixed-size tests: a string whose quotes are its
    /// first and last bytes, or `N` digits not followed by another. Anything
    /// else (whitespace first, another length, an escape) is `None`, and
    /// nothing is consumed: [`skip`](Reader::skip) reads it. For claims whose
    /// size is known, SIDs and ten-digit times.
    #[inline]
    pub(crate) fn sized<const N: usize>(&mut self) -> Option<&'de str> {
        let start = self.pos;
        let value = self.bytes().get(start..)?.first_chunk::<N>()?;
        let (&first, &last) = (value.first()?, value.last()?);
        let found = if first == b'"' {
            let inner = value.get(1..N - 1)?;
            N >= 2 && last == b'"' && plain_string(inner)
        } else {
            let next = self.bytes().get(start + N).copied();
            N >= 1
                && (first != b'0' || N == 1)
                && all_digits(value)
                && !matches!(next, Some(b'0'..=b'9' | b'.' | b'e' | b'E'))
        };
        if !found {
            return None;
        }
        self.pos = start + N;
        self.text.get(start..start + N)
    }

    /// Inside an object (after `{`): the next key and its colon, or `None`
    /// after the closing `}`.
    pub fn next_key(&mut self, first: &mut bool) -> Read<Option<&'de str>> {
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                return Ok(None);
            }
            Some(b',') if !*first => {
                self.pos += 1;
                self.eat(b'"')?;
            }
            Some(b'"') if *first => self.pos += 1,
            _ => return Err(GiveUp),
        }
        *first = false;
        let key = self.string_body()?;
        self.eat(b':')?;
        Ok(Some(key))
    }

    /// Inside an object: consumes the next key if it is `quoted` (a key
    /// without escapes, in its quotes and with its colon: `"jti":`) and
    /// nothing stands between, as [`next_key`](Reader::next_key) would;
    /// otherwise consumes nothing. A fixed-size compare, for keys expected
    /// in a known order.
    #[inline]
    pub fn next_key_is<const N: usize>(&mut self, first: &mut bool, quoted: &[u8; N]) -> bool {
        let at = match self.bytes().get(self.pos) {
            _ if *first => self.pos,
            Some(b',') => self.pos + 1,
            _ => return false,
        };
        if self.bytes().get(at..).and_then(<[u8]>::first_chunk::<N>) == Some(quoted) {
            self.pos = at + N;
            *first = false;
            true
        } else {
            false
        }
    }

    /// Inside an array (after `[`): whether another element follows;
    /// `false` after the closing `]`.
    fn next_element(&mut self, first: &mut bool) -> Read<bool> {
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                return Ok(false);
            }
            Some(b',') if !*first => self.pos += 1,
            Some(_) if *first => {}
            _ => return Err(GiveUp),
        }
        *first = false;
        Ok(true)
    }

    /// Consumes the `{` of an object.
    pub fn begin_object(&mut self) -> Read<()> {
        self.eat(b'{')
    }

    /// Whether the next value starts with `b` (after whitespace).
    pub(crate) fn next_is(&mut self, b: u8) -> bool {
        self.peek() == Some(b)
    }

    /// Nothing but whitespace is left.
    pub(crate) fn end(&mut self) -> Read<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(GiveUp),
        }
    }
}

/// No byte of `bytes` ends a string or needs its escape: `"`, `\\` or a
/// control character.
fn plain_string(bytes: &[u8]) -> bool {
    let special = |x: u64| swar::equal(x, b'"') | swar::equal(x, b'\\') | swar::below(x, 0x20);
    let (words, rest) = swar::words(bytes);
    words.fold(0, |found, x| found | special(x)) == 0
        && rest.iter().all(|&b| b != b'"' && b != b'\\' && b >= 0x20)
}

/// Every byte of `bytes` is an ASCII digit.
fn all_digits(bytes: &[u8]) -> bool {
    let (words, rest) = swar::words(bytes);
    words.fold(true, |all, x| {
        all && swar::high(x) == 0 && swar::all(swar::within(x, b'0', b'9'))
    }) && rest.iter().all(u8::is_ascii_digit)
}

/// The entries of an object or the elements of an array, for serde.
struct Items<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Read<Option<K::Value>> {
        match self.reader.next_key(&mut self.first)? {
            Some(key) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Read<V::Value> {
        seed.deserialize(&mut *self.reader)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Read<Option<T::Value>> {
        if self.reader.next_element(&mut self.first)? {
            seed.deserialize(&mut *self.reader).map(Some)
        } else {
            Ok(None)
        }
    }
}

impl<'de> Reader<'de> {
    /// An object or array (opened by `open`), its items given to `visit`.
    fn nested<T>(&mut self, open: u8, visit: impl FnOnce(Items<'_, 'de>) -> Read<T>) -> Read<T> {
        self.eat(open)?;
        self.enter()?;
        let value = visit(Items {
            reader: self,
            first: true,
        })?;
        self.depth -= 1;
        Ok(value)
    }

    fn object<V: Visitor<'de>>(&mut self, visitor: V) -> Read<V::Value> {
        self.nested(b'{', |items| visitor.visit_map(items))
    }

    fn array<V: Visitor<'de>>(&mut self, visitor: V) -> Read<V::Value> {
        self.nested(b'[', |items| visitor.visit_seq(items))
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        match self.peek() {
            Some(b'{') => self.object(visitor),
            Some(b'[') => self.array(visitor),
            Some(b'"') => {
                self.pos += 1;
                visitor.visit_borrowed_str(self.string_body()?)
            }
            Some(b't') => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            Some(b'n') => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            Some(_) => {
                let number = self.integer()?;
                // serde_json reads `-0` as a float.
                if number == "-0" {
                    return Err(GiveUp);
                }
                if number.starts_with('-') {
                    visitor.visit_i64(number.parse().map_err(|_| GiveUp)?)
                } else {
                    visitor.visit_u64(number.parse().map_err(|_| GiveUp)?)
                }
            }
            None => Err(GiveUp),
        }
    }

    /// Text, the usual field, read without the dispatch on its first byte.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        if self.next_is(b'"') {
            self.pos += 1;
            visitor.visit_borrowed_str(self.string_body()?)
        } else {
            self.deserialize_any(visitor)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        if self.next_is(b'n') {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Read<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    /// Only an object: never a struct from an array.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Read<V::Value> {
        self.object(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        self.object(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        self.array(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        self.skip()?;
        visitor.visit_unit()
    }

    /// Enums and bytes are not in any grant this reader checks.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Read<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Read<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Read<V::Value> {
        Err(GiveUp)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char string
        unit unit_struct tuple tuple_struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::IgnoredAny;

    fn skip(text: &str) -> Option<&str> {
        let mut reader = Reader::new(text);
        let value = reader.skip().ok()?;
        reader.end().ok()?;
        Some(value)
    }

    #[test]
    fn reads_plain_json_values_to_their_text() {
        for text in [
            r#"{"a":[1,-2,{"b":null}],"c":"d","e":true,"f":false}"#,
            "[]",
            "{}",
            r#""""#,
            r#""zoë ☃ and / free""#,
            "0",
            "-0",
            "18446744073709551616",
        ] {
            assert_eq!(skip(text), Some(text), "{text}");
        }
        assert_eq!(skip(" \t\r\n[ 1 , 2 ] \n"), Some("[ 1 , 2 ]"));
    }

    #[test]
    fn a_key_compared_whole_is_read_as_next_key_reads_it() {
        // Each object, and what `next_key_is` then `next_key` read in it.
        let cases: [(&str, bool, Option<&str>); 6] = [
            (r#"{"jti":1}"#, true, None),
            (r#"{"jtx":1}"#, false, Some("jtx")),
            (r#"{ "jti":1}"#, false, Some("jti")),
            (r#"{"jti" :1}"#, false, Some("jti")),
            (r#"{"jti\u0020":1}"#, false, None),
            (r#"{"jt"#, false, None),
        ];
        for (text, whole, next) in cases {
            let mut reader = Reader::new(text);
            reader.begin_object().unwrap();
            let mut first = true;
            assert_eq!(reader.next_key_is(&mut first, b"\"jti\":"), whole, "{text}");
            assert_eq!(first, !whole, "{text}");
            if whole {
                assert_eq!(reader.skip().ok(), Some("1"));
                assert_eq!(reader.next_key(&mut first).ok(), Some(None));
            } else {
                assert_eq!(reader.next_key(&mut first).ok().flatten(), next, "{text}");
            }
        }
        // After the first key: the comma is part of what is compared.
        let mut reader = Reader::new(r#"{"a":1,"jti":2,"jti":3}"#);
        reader.begin_object().unwrap();
        let mut first = true;
        assert!(!reader.next_key_is(&mut first, b"\"jti\":"));
        assert_eq!(reader.next_key(&mut first).ok(), Some(Some("a")));
        assert!(!reader.next_key_is(&mut first, b"\"jti\":"));
        assert_eq!(reader.skip().ok(), Some("1"));
        assert!(reader.next_key_is(&mut first, b"\"jti\":"));
        assert_eq!(reader.skip().ok(), Some("2"));
        assert!(reader.next_key_is(&mut first, b"\"jti\":"));
        assert_eq!(reader.skip().ok(), Some("3"));
    }

    /// What `sized::<N>` reads at the start of `text`, checked against
    /// `skip`: the same text, the same position after it.
    fn sized<const N: usize>(text: &str) -> Option<&str> {
        let mut reader = Reader::new(text);
        let value = reader.sized::<N>();
        let mut skipped = Reader::new(text);
        match value {
            Some(value) => {
                assert_eq!(skipped.skip().ok(), Some(value), "{text}");
                assert_eq!(skipped.pos, reader.pos, "{text}");
            }
            None => assert_eq!(reader.pos, 0, "{text}"),
        }
        value
    }

    #[test]
    fn sized_values_are_read_as_skip_reads_them_or_left_to_it() {
        let sid = r#""SKfedcba9876543210fedcba9876543210","#;
        assert_eq!(sized::<36>(sid), Some(&sid[..36]));
        assert_eq!(sized::<10>("1700000000,"), Some("1700000000"));
        assert_eq!(sized::<10>("1700000000}"), Some("1700000000"));
        assert_eq!(sized::<10>("1700000000"), Some("1700000000"));
        assert_eq!(sized::<4>(r#""é"}"#), Some(r#""é""#));
        for (text, why) in [
            (
                r#" "SKfedcba9876543210fedcba9876543210""#,
                "whitespace first",
            ),
            (r#""SKfedcba9876543210fedcba987654321""#, "shorter"),
            (r#""SKfedcba9876543210fedcba98765432"""#, "an escape"),
            (r#""SKfedcba9876543210fedcba9876543"10""#, "a quote inside"),
            (
                "\"SKfedcba9876543210fedcba98765432\t0\"",
                "a control character",
            ),
        ] {
            assert_eq!(sized::<36>(text), None, "{why}");
        }
        for (text, why) in [
            ("17000000001", "a longer number"),
            ("1700000000.5", "a fraction"),
            ("1700000000e3", "an exponent"),
            ("0700000000", "a leading zero"),
            ("-700000000", "a sign"),
            ("17000x0000", "not a digit"),
            ("170000000", "shorter"),
        ] {
            assert_eq!(sized::<10>(text), None, "{why}");
        }
        // Every byte in every position of a SID and of a time.
        for position in 0..36 {
            for byte in 0..=127u8 {
                let mut bytes = sid.as_bytes().to_vec();
                bytes[position] = byte;
                let text = String::from_utf8(bytes).unwrap();
                sized::<36>(&text);
            }
        }
        for position in 0..11 {
            for byte in 0..=127u8 {
                let mut bytes = b"1700000000,".to_vec();
                bytes[position] = byte;
                let text = String::from_utf8(bytes).unwrap();
                sized::<10>(&text);
            }
        }
    }

    #[test]
    fn gives_up_on_escapes_floats_and_anything_malformed() {
        for text in [
            r#""a\"b""#,
            "\"tab\there\"",
            "1.5",
            "1e3",
            "01",
            "-",
            "+1",
            "[1,]",
            "[,1]",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{1:2}"#,
            "tru",
            "nul",
            "\"open",
            "[1 2]",
            "{} {}",
            "",
        ] {
            assert_eq!(skip(text), None, "{text}");
        }
    }

    #[test]
    fn strings_end_at_their_quote_across_word_boundaries() {
        for len in 0..40 {
            let text = format!("\"{}\"", "x".repeat(len));
            let mut reader = Reader::new(&text);
            assert_eq!(reader.string().map(str::len).ok(), Some(len));
            let escaped = format!("\"{}\\n\"", "x".repeat(len));
            assert!(Reader::new(&escaped).string().is_err(), "{escaped}");
            let control = format!("\"{}\u{1f}\"", "x".repeat(len));
            assert!(Reader::new(&control).string().is_err(), "{len}");
        }
    }

    #[test]
    fn nesting_past_the_limit_gives_up() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(skip(&deep), Some(deep.as_str()));
        let deeper = format!("[{deep}]");
        assert_eq!(skip(&deeper), None);
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Shape<'a> {
        #[serde(borrow)]
        name: Option<&'a str>,
        on: bool,
        count: u32,
        offset: i64,
        #[serde(default)]
        rest: Option<Vec<u8>>,
    }

    #[test]
    fn deserializes_like_serde_json_where_it_reads() {
        let text = r#"{"name":"x","on":true,"count":7,"offset":-3,"rest":[1,2],"extra":{"a":[]}}"#;
        let ours = Shape::deserialize(&mut Reader::new(text)).unwrap();
        assert_eq!(ours, serde_json::from_str::<Shape<'_>>(text).unwrap());
        assert_eq!(
            ours,
            Shape {
                name: Some("x"),
                on: true,
                count: 7,
                offset: -3,
                rest: Some(vec![1, 2])
            }
        );
        let null_name = r#"{"name":null,"on":false,"count":0,"offset":0}"#;
        assert_eq!(
            Shape::deserialize(&mut Reader::new(null_name))
                .unwrap()
                .name,
            None
        );
    }

    #[test]
    fn numbers_are_read_as_serde_json_reads_them_or_not_at_all() {
        let read = |text| i64::deserialize(&mut Reader::new(text)).ok();
        assert_eq!(read("-7"), Some(-7));
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("-0"), None, "serde_json: a float");
        assert_eq!(read("-9223372036854775809"), None, "serde_json: a float");
        assert_eq!(
            u64::deserialize(&mut Reader::new("18446744073709551615")).ok(),
            Some(u64::MAX)
        );
        assert_eq!(
            u64::deserialize(&mut Reader::new("18446744073709551616")).ok(),
            None
        );
        assert!(serde_json::from_str::<f64>("-0").is_ok_and(|zero| zero.is_sign_negative()));
    }

    #[test]
    fn a_struct_is_never_read_from_an_array() {
        assert!(Shape::deserialize(&mut Reader::new(r#"["x",true,7,-3,null]"#)).is_err());
        assert!(
            serde_json::from_str::<Shape<'_>>(r#"["x",true,7,-3,null]"#).is_ok(),
            "serde_json reads structs from arrays: the reason for this test"
        );
        assert!(IgnoredAny::deserialize(&mut Reader::new("[{}]")).is_ok());
    }
}
