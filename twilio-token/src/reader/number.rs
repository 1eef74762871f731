//! Numbers as the reader reads them: the JSON grammar, then an integer
//! that fits a `u64` or an `i64`, else a finite `f64`, as serde_json does.

use super::{Read, Reader, fail};

/// A number, as serde_json reads it: an integer that fits in `u64` or
/// `i64`, else an `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl<'de> Reader<'de> {
    /// A number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    pub(super) fn number(&mut self) -> Read<Number> {
        let (text, float) = self.number_text()?;
        if !float {
            // What does not fit an integer is read as a float, as serde_json does.
            if text.starts_with('-') {
                // `-0` is the float -0.0 to serde_json (found by the
                // `payload` fuzz target).
                if let Ok(value) = text.parse::<i64>()
                    && value != 0
                {
                    return Ok(Number::I64(value));
                }
            } else if let Ok(value) = text.parse::<u64>() {
                return Ok(Number::U64(value));
            }
        }
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(Number::F64(value)),
            _ => fail("a number out of range"),
        }
    }

    /// A number's text, checked against the grammar only, and whether it
    /// has a fraction or an exponent.
    pub(super) fn number_text(&mut self) -> Read<(&'de str, bool)> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut at = start;
        let negative = bytes.get(at) == Some(&b'-');
        at += usize::from(negative);
        let digits = at;
        let skip_digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let count = skip_digits(&mut at);
        if count == 0 {
            return fail("expected a JSON value");
        }
        if count > 1 && bytes.get(digits) == Some(&b'0') {
            return fail("a number with a leading zero");
        }
        let mut float = false;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            float = true;
            if skip_digits(&mut at) == 0 {
                return fail("a number without digits after its decimal point");
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            float = true;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if skip_digits(&mut at) == 0 {
                return fail("a number without digits in its exponent");
            }
        }
        self.pos = at;
        Ok((self.text.get(start..at).unwrap_or_default(), float))
    }
}

/// All of `text` as one JSON number.
pub(crate) fn number(text: &str) -> Read<Number> {
    let mut reader = Reader::new(text);
    if !matches!(reader.bytes().first(), Some(b'-' | b'0'..=b'9')) {
        return fail("expected a number");
    }
    let number = reader.number()?;
    match reader.bytes().get(reader.pos) {
        None => Ok(number),
        Some(_) => fail("trailing characters after the number"),
    }
}
