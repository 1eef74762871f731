//! Eight bytes at a time: byte tests on a `u64` word, in safe code, for
//! the scans that run on every token (JSON strings, SIDs).
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
}
