//! JSON exactly as twilio-python writes it: compact, `ensure_ascii`, Python
//! float formatting. One formatter serves the whole token, so grants written
//! by the derive, `serde_json::Value`s and the claims all agree.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::swar;

/// Writes a grant's payload straight into the token being minted.
///
/// The derive generates [`Grant::write_payload`](crate::Grant::write_payload)
/// with these calls; a hand-written grant can use them too, or leave the
/// default, which writes [`Grant::to_payload`](crate::Grant::to_payload).
/// Output is compact JSON with every character outside printable ASCII
/// escaped as `\uXXXX`, as twilio-python writes it.
///
/// ```
/// use twilio_token::PayloadWriter;
///
/// let mut out = Vec::new();
/// let mut writer = PayloadWriter::new(&mut out);
/// writer.begin_object();
/// writer.key("room");
/// writer.value("möte")?;
/// writer.key("outgoing");
/// writer.begin_object();
/// writer.key("n");
/// writer.value(&1e16)?;
/// writer.end_object();
/// writer.end_object();
/// assert_eq!(out, br#"{"room":"m\u00f6te","outgoing":{"n":1e+16}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct PayloadWriter<'a> {
    out: &'a mut Vec<u8>,
    comma: bool,
}

impl<'a> PayloadWriter<'a> {
    /// A writer appending to `out`.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut writer = twilio_token::PayloadWriter::new(&mut out);
    /// writer.begin_object();
    /// writer.end_object();
    /// assert_eq!(out, b"{}");
    /// ```
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        PayloadWriter { out, comma: false }
    }

    /// Opens an object: `{`.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// twilio_token::PayloadWriter::new(&mut out).begin_object();
    /// assert_eq!(out, b"{");
    /// ```
    pub fn begin_object(&mut self) {
        self.out.push(b'{');
        self.comma = false;
    }

    /// Closes the innermost object: `}`.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut writer = twilio_token::PayloadWriter::new(&mut out);
    /// writer.begin_object();
    /// writer.end_object();
    /// assert_eq!(out, b"{}");
    /// ```
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.comma = true;
    }

    /// Writes an object key (and the comma before it when needed); a value
    /// or an object must follow.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut writer = twilio_token::PayloadWriter::new(&mut out);
    /// writer.begin_object();
    /// writer.key("a");
    /// writer.value(&true)?;
    /// writer.key("b");
    /// writer.value(&false)?;
    /// writer.end_object();
    /// assert_eq!(out, br#"{"a":true,"b":false}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn key(&mut self, key: &str) {
        if self.comma {
            self.out.push(b',');
        }
        write_str(self.out, key);
        self.out.push(b':');
        self.comma = true;
    }

    /// Writes a key already quoted and followed by its colon (`"room":`),
    /// with the comma before it when needed: the derive's path for keys it
    /// has checked need no escape. Not public API.
    #[doc(hidden)]
    pub fn quoted_key(&mut self, quoted: &'static str) {
        if self.comma {
            self.out.push(b',');
        }
        self.out.extend_from_slice(quoted.as_bytes());
        self.comma = true;
    }

    /// Writes a JSON object as [`value`](PayloadWriter::value) would, but
    /// without serde: each string through the escape scan used for every
    /// other string (most need no escape and are copied as they are). The
    /// derive's path for `Map<String, Value>` fields. Not public API.
    #[doc(hidden)]
    pub fn json_map(&mut self, map: &serde_json::Map<String, serde_json::Value>) {
        write_map(self.out, map);
    }

    /// Writes the entries of a JSON object at the current level, as
    /// [`flatten`](PayloadWriter::flatten) would, without serde: the
    /// derive's path for flattened `Map<String, Value>` fields. Not public
    /// API.
    #[doc(hidden)]
    pub fn flatten_map(&mut self, map: &serde_json::Map<String, serde_json::Value>) {
        for (key, value) in map {
            self.key(key);
            write_value(self.out, value);
        }
    }

    /// Writes `sid` when it is a SID with `prefix` (which needs no escape),
    /// else returns the error [`Grant::validate`](crate::Grant::validate)
    /// gives for it: the derive's path for `sid` fields. Not public API.
    #[doc(hidden)]
    #[inline]
    pub fn sid(
        &mut self,
        grant: &str,
        field: &str,
        prefix: &str,
        sid: &str,
    ) -> Result<(), crate::Error> {
        crate::grant::private::check_sid(grant, field, prefix, sid)?;
        self.out.reserve(sid.len() + 2);
        self.out.push(b'"');
        push_bytes(self.out, sid.as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    /// Writes a string value, escaped as twilio-python escapes it (the
    /// derive's path for text fields).
    ///
    /// ```
    /// let mut out = Vec::new();
    /// twilio_token::PayloadWriter::new(&mut out).text("caf\u{e9} \"ok\"");
    /// assert_eq!(out, br#""caf\u00e9 \"ok\"""#);
    /// ```
    pub fn text(&mut self, text: &str) {
        write_str(self.out, text);
    }

    /// Writes any serializable value (an `Option` as its content).
    ///
    /// # Errors
    ///
    /// What serde_json reports, such as a map whose keys are not strings.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// twilio_token::PayloadWriter::new(&mut out).value(&Some(["é", "\u{1F600}"]))?;
    /// assert_eq!(out, br#"["\u00e9","\ud83d\ude00"]"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        let start = self.out.len();
        let result = value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *self.out,
            PythonFormatter,
        ));
        if result.is_err() {
            self.out.truncate(start);
        }
        result
    }

    /// Writes the entries of `value`, which must serialize as a JSON object,
    /// at the current level (the derive's `flatten`).
    ///
    /// # Errors
    ///
    /// When `value` is not an object, or serde_json fails.
    ///
    /// ```
    /// let mut map = serde_json::Map::new();
    /// map.insert("playbackUrl".into(), "https://example.com".into());
    /// let mut out = Vec::new();
    /// let mut writer = twilio_token::PayloadWriter::new(&mut out);
    /// writer.begin_object();
    /// writer.key("a");
    /// writer.value(&1)?;
    /// writer.flatten(&map)?;
    /// writer.end_object();
    /// assert_eq!(out, br#"{"a":1,"playbackUrl":"https://example.com"}"#);
    /// assert!(writer_rejects_non_objects());
    /// # fn writer_rejects_non_objects() -> bool {
    /// #     let mut out = Vec::new();
    /// #     twilio_token::PayloadWriter::new(&mut out).flatten(&[1, 2]).is_err() && out.is_empty()
    /// # }
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn flatten<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        let start = self.out.len();
        let comma = self.comma;
        self.value(value)?;
        let written = &self.out[start..];
        if written.first() != Some(&b'{') || written.last() != Some(&b'}') {
            self.out.truncate(start);
            return Err(serde::ser::Error::custom(
                "a flattened field must serialize as a JSON object",
            ));
        }
        if written.len() == 2 {
            self.out.truncate(start);
            self.comma = comma;
            return Ok(());
        }
        self.out.pop();
        if comma {
            self.out[start] = b',';
        } else {
            self.out.remove(start);
        }
        self.comma = true;
        Ok(())
    }
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
pub(crate) fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    match bytes.first_chunk::<34>() {
        Some(sid) if bytes.len() == 34 => out.extend_from_slice(sid),
        _ => out.extend_from_slice(bytes),
    }
}

/// `bytes` are all printable ASCII but `"` and `\\`: written as they are.
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
pub(crate) fn write_str(out: &mut Vec<u8>, value: &str) {
    // Most strings (SIDs, identities) need no escape at all.
    if is_plain(value.as_bytes()) {
        out.reserve(value.len() + 2);
        out.push(b'"');
        push_bytes(out, value.as_bytes());
        out.push(b'"');
        return;
    }
    // Serializing a `str` into a Vec cannot fail.
    let _ = value.serialize(&mut serde_json::Serializer::with_formatter(
        out,
        PythonFormatter,
    ));
}

/// Writes `value` as serde_json with [`PythonFormatter`] writes it; the
/// strings, which are most of it, by [`write_str`].
fn write_value(out: &mut Vec<u8>, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::String(text) => write_str(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_map(out, map),
        // Numbers through serde_json, for its integer and our float text;
        // a number cannot fail to serialize into a Vec.
        Value::Number(number) => {
            let _ = serde::Serialize::serialize(
                number,
                &mut serde_json::Serializer::with_formatter(&mut *out, PythonFormatter),
            );
        }
    }
}

/// Writes `map` as a JSON object, as [`write_value`] writes values.
fn write_map(out: &mut Vec<u8>, map: &serde_json::Map<String, serde_json::Value>) {
    out.push(b'{');
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        write_value(out, value);
    }
    out.push(b'}');
}

/// serde_json's compact formatter with Python's `ensure_ascii=True` and
/// float `repr`.
pub(crate) struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has already escaped `"`, `\` and controls below 0x20;
        // what is left to escape is DEL and everything beyond ASCII.
        let bytes = fragment.as_bytes();
        if fragment.is_ascii() && !bytes.contains(&0x7f) {
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
}

fn write_u_escape<W: ?Sized + io::Write>(writer: &mut W, unit: u16) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let nibble = |shift: u16| HEX[usize::from((unit >> shift) & 0xf)];
    writer.write_all(&[b'\\', b'u', nibble(12), nibble(8), nibble(4), nibble(0)])
}

/// `repr(value)` as Python writes a finite float: the shortest digits that
/// round-trip, in positional form while the decimal exponent is in
/// `-4 <= e < 16`, else as `1e+16`, `1.5e-05`.
pub(crate) fn python_float(value: f64) -> String {
    // `{:e}` gives the shortest round-trip digits as `d.ddde[-]x`.
    let sci = format!("{value:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let point = exponent + 1; // digits before the decimal point
    if (-4..16).contains(&exponent) {
        let digit_count = i32::try_from(digits.len()).unwrap_or(i32::MAX);
        if point <= 0 {
            let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
            format!("{sign}0.{zeros}{digits}")
        } else if point >= digit_count {
            let zeros = "0".repeat(usize::try_from(point - digit_count).unwrap_or(0));
            format!("{sign}{digits}{zeros}.0")
        } else {
            let (whole, fraction) = digits.split_at(usize::try_from(point).unwrap_or(0));
            format!("{sign}{whole}.{fraction}")
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{fraction}e{exp_sign}{:02}",
            exponent.unsigned_abs()
        )
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{Map, Value};

    use super::{PythonFormatter, python_float, write_str, write_value};

    /// Any JSON value: strings with escapes, controls, DEL and characters
    /// beyond the BMP; integers of both signs; floats; nested to depth 4.
    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "(\\PC|[\u{0}-\u{1f}\u{7f}\"\\\\])*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec(("\\PC{0,6}", inner), 0..8)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    proptest! {
        /// The JSON writer writes what serde_json with Python's formatting
        /// writes, byte for byte.
        #[test]
        fn json_values_are_written_as_serde_json_writes_them_for_python(value in any_json()) {
            let mut expected = Vec::new();
            value
                .serialize(&mut serde_json::Serializer::with_formatter(&mut expected, PythonFormatter))
                .unwrap();
            let mut written = Vec::new();
            write_value(&mut written, &value);
            prop_assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(expected).unwrap());
        }
    }

    #[test]
    fn floats_are_written_as_python_repr_writes_them() {
        let cases = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (100.0, "100.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (1e-5, "1e-05"),
            (-1.5e-7, "-1.5e-07"),
            (1e100, "1e+100"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (std::f64::consts::PI, "3.141592653589793"),
        ];
        for (value, expected) in cases {
            assert_eq!(python_float(value), expected, "{value:e}");
        }
    }

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
