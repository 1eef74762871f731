//! Twilio SIDs: two upper-case letters and 32 lower-case hex digits.

/// The length of every Twilio SID.
pub(crate) const SID_LEN: usize = 34;

/// The lower-case hex digits.
const HEX: [bool; 256] = {
    let mut hex = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        hex[byte] = matches!(byte as u8, b'0'..=b'9' | b'a'..=b'f');
        byte += 1;
    }
    hex
};

/// `value` is `prefix` followed by 32 lower-case hex digits.
pub(crate) fn is_sid(value: &str, prefix: &str) -> bool {
    value.len() == SID_LEN
        && value.starts_with(prefix)
        && value.as_bytes()[prefix.len()..]
            .iter()
            .all(|&b| HEX[usize::from(b)])
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
    }
}
