//! JSON text exactly as Python's `json.dumps` writes it, twilio-python's
//! way: compact, `ensure_ascii`, Python's float `repr`. One formatter
//! serves the whole token, so grants, `serde_json::Value`s and the claims
//! all agree.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::number::{Number, python_float};
use crate::swar;

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
/// compile time.
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
