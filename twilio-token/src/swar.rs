//! Eight bytes at a time: byte tests on a `u64` word, in safe code, for
//! the scans that run on every token (JSON strings, SIDs), and eight
//! decimal digits written or read at once (the times in every token).
//!
//! Each test flags a byte by setting its high bit. A flag is exact for the
//! lowest flagged byte (a borrow can only flag bytes above a true one), so
//! callers ask "any?" or "which first?", never "which others?".

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The words of `bytes` (little-endian, so the first byte is the lowest),
/// and the bytes left over.
pub(crate) fn words(bytes: &[u8]) -> (impl Iterator<Item = u64> + '_, &[u8]) {
    let chunks = bytes.chunks_exact(8);
    let rest = chunks.remainder();
    (chunks.map(word), rest)
}

/// The word of the first eight bytes of `chunk` (zero if it is shorter:
/// callers pass eight).
pub(crate) fn word(chunk: &[u8]) -> u64 {
    chunk
        .first_chunk::<8>()
        .map_or(0, |bytes| u64::from_le_bytes(*bytes))
}

/// Bytes below `n` (n ≤ 128).
pub(crate) fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
}

/// Bytes equal to `b`.
pub(crate) fn equal(x: u64, b: u8) -> u64 {
    below(x ^ (ONES * u64::from(b)), 1)
}

/// Bytes of 128 or more (not ASCII).
pub(crate) fn high(x: u64) -> u64 {
    x & HIGHS
}

/// Bytes in `lo..=hi`, for a word of ASCII bytes (no byte over 127) and
/// `hi < 127`. Exact for every byte: no sum carries.
pub(crate) fn within(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x + ONES * u64::from(0x80 - lo);
    let above_hi = x + ONES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & HIGHS
}

/// Whether every byte of an ASCII word is flagged in `flags`.
pub(crate) fn all(flags: u64) -> bool {
    flags == HIGHS
}

/// The index of the first flagged byte.
pub(crate) fn first(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// The eight decimal digits of `value` (below 10^8, zero-padded), in
/// order, computed side by side in the lanes of one `u64`.
pub(crate) fn eight_digits(value: u32) -> [u8; 8] {
    let value = u64::from(value);
    // Two 4-digit halves in 32-bit lanes, the leading half first (lowest).
    let fours = (value / 10_000) | ((value % 10_000) << 32);
    // Each lane / 100: `* 10486 >> 20` is exact below 10^4.
    let hundreds = ((fours * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let twos = hundreds | ((fours - hundreds * 100) << 16);
    // Each 16-bit lane / 10: `* 103 >> 10` is exact below 100.
    let tens = ((twos * 103) >> 10) & 0x000f_000f_000f_000f;
    let ones = tens | ((twos - tens * 10) << 8);
    (ones | 0x3030_3030_3030_3030).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value, in every position, against the byte-wise answer.
    #[test]
    fn byte_tests_agree_with_byte_by_byte_tests() {
        for value in 0..=255u8 {
            for position in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[position] = value;
                let x = word(&bytes);
                let flagged = |flags: u64| flags != 0 && first(flags) == position;
                assert_eq!(flagged(below(x, 0x20)), value < 0x20, "{value}");
                assert_eq!(flagged(equal(x, b'"')), value == b'"', "{value}");
                assert_eq!(flagged(high(x)), value >= 0x80, "{value}");
                if value < 0x80 {
                    let digits = within(x, b'0', b'9');
                    assert_eq!(
                        digits & (0x80 << (8 * position)) != 0,
                        value.is_ascii_digit(),
                        "{value}"
                    );
                    assert_eq!(all(within(x, b'0', b'z')), (b'0'..=b'z').contains(&value));
                }
            }
        }
        let (words, rest) = words(b"0123456789");
        assert_eq!(words.collect::<Vec<_>>(), [word(b"01234567")]);
        assert_eq!(rest, b"89");
    }

    #[test]
    fn eight_digits_are_every_number_below_ten_to_the_eight_zero_padded() {
        for value in (0..100_000_000)
            .step_by(9_973)
            .chain([0, 1, 9, 10, 99_999_999, 12_345_678])
        {
            assert_eq!(
                eight_digits(value),
                *format!("{value:08}").as_bytes(),
                "{value}"
            );
        }
    }
}
