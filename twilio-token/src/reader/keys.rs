//! An object's keys: the table that refuses one given twice, and how keys
//! are compared.

use std::borrow::Cow;

use super::{Read, ReadError};
use crate::swar;

/// An object's keys seen so far, to refuse one given twice: the first
/// eight keys without escapes kept as borrowed text, any other in a vector.
#[derive(Default)]
pub(crate) struct Keys<'de> {
    inline: [&'de str; 8],
    len: usize,
    more: Vec<Cow<'de, str>>,
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

impl<'de> Keys<'de> {
    /// A borrowed key is kept as it is, an unescaped one in the vector.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn insert(&mut self, key: &Cow<'de, str>) -> Read<()> {
        let inline = self.inline.get(..self.len).unwrap_or_default();
        let repeated = inline.iter().any(|earlier| same(earlier, key))
            || self.more.iter().any(|earlier| same(earlier, key));
        if repeated {
            return Err(ReadError::duplicate(key));
        }
        match key {
            Cow::Borrowed(key) if self.len < self.inline.len() => {
                self.inline[self.len] = key;
                self.len += 1;
            }
            key => self.more.push(key.clone()),
        }
        Ok(())
    }
}

/// How a key given twice is worded, so that a caller can tell it apart.
const GIVEN_TWICE: &str = " is given twice";

impl ReadError {
    #[cold]
    pub(super) fn duplicate(key: &str) -> Self {
        ReadError::new(format!("the key `{key}`{GIVEN_TWICE}"))
    }

    /// The key, when this is a key given twice in an object.
    pub(crate) fn duplicate_key(&self) -> Option<&str> {
        self.0
            .strip_prefix("the key `")?
            .strip_suffix(GIVEN_TWICE)?
            .strip_suffix('`')
    }
}
