//! JSON numbers as this crate reads and writes them: an integer that fits
//! a `u64` or an `i64`, else a finite `f64` (as serde_json reads them
//! without features), written as twilio-python writes them. Our own type,
//! so that no serde_json feature (`arbitrary_precision`) changes what a
//! token holds.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::reader;

/// A JSON number: an integer that fits a `u64` or an `i64`, else a finite
/// `f64`. What the verifier reads and what signing writes, whatever
/// features of serde_json the program turns on.
///
/// `Display` writes it as twilio-python does (`1e+16`, `1e-05`, `2.0`).
///
/// ```
/// use twilio_token::Number;
///
/// let big: Number = "1e16".parse()?;
/// assert_eq!(big.to_string(), "1e+16");
/// assert_eq!(Number::from(7u64).as_u64(), Some(7));
/// assert_eq!(Number::from_f64(f64::NAN), None);
/// assert!("01".parse::<Number>().is_err());
/// # Ok::<(), twilio_token::ParseJsonError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(pub(crate) reader::Number);

impl Number {
    /// The number for a finite `value`; `None` for NaN and the infinities,
    /// which JSON cannot write.
    ///
    /// ```
    /// assert_eq!(twilio_token::Number::from_f64(1.5).and_then(|n| n.as_f64()), Some(1.5));
    /// assert_eq!(twilio_token::Number::from_f64(f64::INFINITY), None);
    /// ```
    pub fn from_f64(value: f64) -> Option<Number> {
        value
            .is_finite()
            .then_some(Number(reader::Number::F64(value)))
    }

    /// The number, if it is an integer that fits a `u64`.
    ///
    /// ```
    /// assert_eq!(twilio_token::Number::from(-1i64).as_u64(), None);
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            reader::Number::U64(value) => Some(value),
            reader::Number::I64(value) => u64::try_from(value).ok(),
            reader::Number::F64(_) => None,
        }
    }

    /// The number, if it is an integer that fits an `i64`.
    ///
    /// ```
    /// assert_eq!(twilio_token::Number::from(-1i64).as_i64(), Some(-1));
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            reader::Number::U64(value) => i64::try_from(value).ok(),
            reader::Number::I64(value) => Some(value),
            reader::Number::F64(_) => None,
        }
    }

    /// The number as an `f64` (an integer rounded to the nearest one).
    ///
    /// ```
    /// assert_eq!(twilio_token::Number::from(2u64).as_f64(), Some(2.0));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        Some(match self.0 {
            reader::Number::U64(value) => value as f64,
            reader::Number::I64(value) => value as f64,
            reader::Number::F64(value) => value,
        })
    }

    /// The number is held as a float (it has a fraction or an exponent, or
    /// is an integer beyond 64 bits).
    pub(crate) fn as_f64_only(&self) -> bool {
        matches!(self.0, reader::Number::F64(_))
    }

    /// The number serde_json's `number` holds, read from its text, so the
    /// same under every feature set of serde_json.
    pub(crate) fn from_serde_json(number: &serde_json::Number) -> Option<Number> {
        number.to_string().parse().ok()
    }
}

/// An integer as the reader reads it: `U64` when it is not negative, so
/// the same number compares equal however it was made.
macro_rules! from_int {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Number {
            fn from(value: $ty) -> Number {
                let value = i128::from(value);
                Number(match (u64::try_from(value), i64::try_from(value)) {
                    (Ok(value), _) => reader::Number::U64(value),
                    (_, Ok(value)) => reader::Number::I64(value),
                    _ => reader::Number::F64(value as f64),
                })
            }
        }
    )*};
}

from_int!(u64, u32, u16, u8, i64, i32, i16, i8);

/// The JSON text of a number, read with the JSON grammar (no leading zero,
/// no `+`, no `NaN`) and refused when out of range (`1e400`).
impl FromStr for Number {
    type Err = ParseJsonError;

    fn from_str(text: &str) -> Result<Number, ParseJsonError> {
        reader::number(text)
            .map(Number)
            .map_err(ParseJsonError::from)
    }
}

/// Why JSON text was refused by the strict reader that [`Number`],
/// [`Json`](crate::Json) and [`JsonObject`](crate::JsonObject) are parsed
/// with, the verifier's: not JSON, a key given twice in an object, a lone
/// surrogate, a number out of range, or nesting deeper than 100.
///
/// ```
/// let err = r#"{"a": 1, "a": 2}"#.parse::<twilio_token::Json>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid JSON: the key `a` is given twice");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseJsonError(reader::ReadError);

impl From<reader::ReadError> for ParseJsonError {
    fn from(error: reader::ReadError) -> Self {
        ParseJsonError(error)
    }
}

impl fmt::Display for ParseJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON: {}", self.0)
    }
}

impl std::error::Error for ParseJsonError {}

/// As twilio-python writes it: integers in decimal, floats as Python's
/// `repr` (`1e+16`, `1e-05`, `2.0`).
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            reader::Number::U64(value) => write!(f, "{value}"),
            reader::Number::I64(value) => write!(f, "{value}"),
            reader::Number::F64(value) => f.write_str(&python_float(value)),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            reader::Number::U64(value) => serializer.serialize_u64(value),
            reader::Number::I64(value) => serializer.serialize_i64(value),
            reader::Number::F64(value) => serializer.serialize_f64(value),
        }
    }
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
    use super::{Number, python_float};

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
    fn numbers_are_read_with_the_json_grammar_and_written_as_python_does() {
        let cases = [
            ("0", "0"),
            ("-0", "-0.0"),
            ("7", "7"),
            ("-7", "-7"),
            ("18446744073709551615", "18446744073709551615"),
            ("18446744073709551616", "1.8446744073709552e+19"),
            ("1e16", "1e+16"),
            ("1E+16", "1e+16"),
            ("0.00001", "1e-05"),
            ("2.50", "2.5"),
        ];
        for (text, written) in cases {
            assert_eq!(
                text.parse::<Number>().unwrap().to_string(),
                written,
                "{text}"
            );
        }
        for text in [
            "01", "+1", "1.", ".5", "1e", "NaN", "Infinity", "1e400", " 1", "1 ", "",
        ] {
            assert!(text.parse::<Number>().is_err(), "{text}");
        }
    }
}
