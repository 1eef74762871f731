//! Twilio SIDs: two upper-case letters and 32 lower-case hex digits.

use crate::swar;

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

#[cfg(test)]
mod tests {
    use super::is_sid;

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
