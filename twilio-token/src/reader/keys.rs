//! An object's keys: the table that refuses one given twice, and how keys
//! are compared.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use super::{Read, ReadError};
use crate::swar;

/// An object's keys seen so far, to refuse one given twice: the first
/// eight keys without escapes kept as borrowed text and compared, any other
/// found by its hash, so that an object of many keys is read in linear time
/// (a forged 16 KiB payload of 1,535 keys took 400 µs to refuse with every
/// key compared to those before it). The hash is std's SipHash, keyed at
/// random, so keys chosen to collide cannot make it quadratic again.
#[derive(Default)]
pub(crate) struct Keys<'de> {
    inline: [&'de str; 8],
    len: usize,
    /// Each other key's hash, computed once, to its place in `more`: a
    /// growing table moves its entries by the stored hash instead of
    /// hashing each key again (hashing was half of refusing the 1,535-key
    /// payload; perf).
    table: HashMap<u64, u32, BuildHasherDefault<Stored>>,
    more: Vec<Key<'de>>,
    /// The text of the keys with escapes, decoded, one after another: a
    /// copy of each in a `String` of its own cost an allocation per key
    /// (a third of refusing 1,365 escaped keys; perf).
    owned: String,
    /// Where in `more` the keys are whose hash is an earlier key's: only
    /// the hasher's secret key can make one.
    collided: Vec<u32>,
    state: RandomState,
}

/// A key in `more`: borrowed from the text, or a range of `owned`.
#[derive(Clone, Copy)]
enum Key<'de> {
    Borrowed(&'de str),
    Owned(usize, usize),
}

/// Whether the key at `index` of `more` is `key`.
fn is(more: &[Key<'_>], owned: &str, index: u32, key: &str) -> bool {
    let earlier = match more.get(index as usize) {
        Some(Key::Borrowed(text)) => Some(*text),
        Some(Key::Owned(start, end)) => owned.get(*start..*end),
        None => None,
    };
    earlier.is_some_and(|earlier| same(earlier, key))
}

/// The table's hasher: the stored hash as it is.
#[derive(Default)]
struct Stored(u64);

impl Hasher for Stored {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is called; this keeps any other input hashed.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `a == b` compared inline: keys are short, and a call to `memcmp` costs
/// more than the compare (measured: a tenth of verifying a usual token).
#[inline]
pub(super) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// `a == b`, a word at a time (the last word overlapping the one before)
/// for keys of eight bytes or more.
#[inline]
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if len < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut at = 0;
    let mut diff = 0;
    while at + 8 < len {
        diff |= swar::word(a.get(at..).unwrap_or_default())
            ^ swar::word(b.get(at..).unwrap_or_default());
        at += 8;
    }
    let last = len - 8;
    diff |= swar::word(a.get(last..).unwrap_or_default())
        ^ swar::word(b.get(last..).unwrap_or_default());
    diff == 0
}

/// The fewest bytes an entry takes: `"":0,`.
const ENTRY: usize = 5;

/// The most entries the table is sized for at once: the rest of the text
/// could hold as many entries as it has bytes over `ENTRY`.
const MAX_ROOM: usize = 4096;

impl<'de> Keys<'de> {
    /// A borrowed key is kept as it is while there is room, any other by
    /// its hash; `left` is how many bytes of text follow the key.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn insert(&mut self, key: &Cow<'de, str>, left: usize) -> Read<()> {
        let inline = self.inline.get(..self.len).unwrap_or_default();
        if inline.iter().any(|earlier| same(earlier, key)) {
            return Err(ReadError::duplicate(key));
        }
        if let Cow::Borrowed(key) = key
            && self.len < self.inline.len()
            && self.more.is_empty()
        {
            self.inline[self.len] = key;
            self.len += 1;
            return Ok(());
        }
        let hash = self.state.hash_one(&**key);
        self.insert_hashed(key, hash, left)
    }

    /// [`insert`](Keys::insert) past the inline keys, with the key's hash.
    #[allow(clippy::ptr_arg)]
    fn insert_hashed(&mut self, key: &Cow<'de, str>, hash: u64, left: usize) -> Read<()> {
        let index = u32::try_from(self.more.len())
            .map_err(|_| ReadError::new("an object has too many keys"))?;
        if self.table.capacity() == 0 {
            // Growing the table, one object key at a time, was a seventh
            // of refusing a 16 KiB payload of 1,535 keys (perf).
            self.table.reserve((left / ENTRY).min(MAX_ROOM));
        }
        match self.table.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(index);
            }
            Entry::Occupied(slot) => {
                let (more, owned) = (&self.more, &self.owned);
                if is(more, owned, *slot.get(), key)
                    || self.collided.iter().any(|&at| is(more, owned, at, key))
                {
                    return Err(ReadError::duplicate(key));
                }
                self.collided.push(index);
            }
        }
        self.more.push(match key {
            Cow::Borrowed(key) => Key::Borrowed(key),
            Cow::Owned(key) => {
                let start = self.owned.len();
                self.owned.push_str(key);
                Key::Owned(start, self.owned.len())
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::Keys;

    /// Keys whose hashes are equal are told apart by their text, however
    /// many share a hash: the path only the hasher's secret key can reach.
    #[test]
    fn keys_with_the_same_hash_are_compared() {
        let mut keys = Keys::default();
        let owned = |text: &str| Cow::Owned(text.to_owned());
        assert_eq!(keys.insert_hashed(&Cow::Borrowed("a"), 7, 100), Ok(()));
        assert_eq!(keys.insert_hashed(&owned("b"), 7, 100), Ok(()));
        assert_eq!(keys.insert_hashed(&Cow::Borrowed("c"), 7, 100), Ok(()));
        assert_eq!(keys.insert_hashed(&owned("d"), 8, 100), Ok(()));
        for (key, hash) in [("a", 7), ("b", 7), ("c", 7), ("d", 8)] {
            assert_eq!(
                keys.insert_hashed(&owned(key), hash, 100)
                    .unwrap_err()
                    .duplicate_key(),
                Some(key)
            );
        }
        // And through `insert`, by SipHash, past the eight inline keys.
        let mut keys = Keys::default();
        let names: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
        for name in &names {
            assert_eq!(keys.insert(&Cow::Borrowed(name.as_str()), 0), Ok(()));
        }
        for name in &names {
            assert_eq!(
                keys.insert(&owned(name), 0).unwrap_err().duplicate_key(),
                Some(name.as_str())
            );
        }
    }
}
