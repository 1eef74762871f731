//! Twilio SIDs: two upper-case letters and 32 lower-case hex digits.

use std::fmt;

use crate::swar;
use crate::{Error, SidKind};

/// The length of every Twilio SID.
pub(crate) const SID_LEN: usize = 34;

/// `value` is `prefix` (two letters) followed by 32 lower-case hex digits.
#[inline]
pub(crate) fn is_sid(value: &str, prefix: &str) -> bool {
    // Fixed-size arrays: the compiler unrolls the four words.
    let (Some(sid), Some(two)) = (
        value.as_bytes().first_chunk::<SID_LEN>(),
        prefix.as_bytes().first_chunk::<2>(),
    ) else {
        return false;
    };
    let (letters, digits) = sid.split_at(2);
    let mut hex = value.len() == SID_LEN && prefix.len() == 2 && letters == two;
    for x in digits.chunks_exact(8).map(swar::word) {
        hex &= swar::high(x) == 0
            && swar::all(swar::within(x, b'0', b'9') | swar::within(x, b'a', b'f'));
    }
    hex
}

impl SidKind {
    /// `value` is a SID of this kind, else the error that names the kind.
    pub(crate) fn check(self, value: &str) -> Result<(), Error> {
        if is_sid(value, self.prefix()) {
            Ok(())
        } else {
            Err(Error::InvalidSid {
                kind: self,
                len: value.chars().count(),
            })
        }
    }
}

/// A SID for `Debug`: shown when it has its shape, else described by its
/// length, since a value in the wrong place may be a secret.
pub(crate) struct SidDebug<'a>(pub &'a str, pub &'a str);

impl fmt::Debug for SidDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SidDebug(value, prefix) = *self;
        if is_sid(value, prefix) {
            fmt::Debug::fmt(value, f)
        } else {
            write!(
                f,
                "<not a {prefix}… SID: {} characters>",
                value.chars().count()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SidDebug, is_sid};

    #[test]
    fn debug_shows_a_sid_only_when_it_has_its_shape() {
        let sid = "AC0123456789abcdef0123456789abcdef";
        assert_eq!(format!("{:?}", SidDebug(sid, "AC")), format!("{sid:?}"));
        assert_eq!(
            format!("{:?}", SidDebug("0123456789abcdef0123456789abcdef", "AC")),
            "<not a AC… SID: 32 characters>"
        );
    }

    #[test]
    fn a_sid_is_its_prefix_and_32_lower_case_hex_digits() {
        assert!(is_sid("AP0123456789abcdef0123456789abcdef", "AP"));
        assert!(!is_sid("AP0123456789ABCDEF0123456789abcdef", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcde", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcdeg", "AP"));
        assert!(!is_sid("CR0123456789abcdef0123456789abcdef", "AP"));
        assert!(!is_sid("", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcdé", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcd:f", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcd`f", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcd/f", "AP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcdgf", "AP"));
        assert!(!is_sid("APP123456789abcdef0123456789abcdef", "APP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcdef", "APP"));
        assert!(!is_sid("AP0123456789abcdef0123456789abcdef", "A"));
        // Every byte in every position: hex digits only.
        for position in 2..34 {
            for byte in 0..=255u8 {
                let mut sid = b"AP0123456789abcdef0123456789abcdef".to_vec();
                sid[position] = byte;
                let Ok(sid) = String::from_utf8(sid) else {
                    continue;
                };
                assert_eq!(
                    is_sid(&sid, "AP"),
                    matches!(byte, b'0'..=b'9' | b'a'..=b'f'),
                    "{sid}"
                );
            }
        }
    }
}
