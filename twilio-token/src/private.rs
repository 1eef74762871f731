//! The runtime the derive's generated code calls: the checks of
//! `validate` and the pieces of the decoder. Not public API.

use std::fmt::Display;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Visitor};

use crate::{Error, SidKind, sid};

pub use crate::grant::{GrantSlot, IntoGrant};
pub use crate::reader::{ReadError, Reader};
pub use serde::{Deserialize, Serialize};
pub use std::borrow::Cow;

/// A field the derive can check with `sid` or `non_empty`: some text,
/// or none.
#[diagnostic::on_unimplemented(
    message = "`sid` and `non_empty` check text, but `{Self}` is not text",
    label = "not `String`, `&str`, `Cow<str>` or an `Option` of one",
    note = "put `sid` and `non_empty` on text fields only"
)]
pub trait TextField {
    /// The text, if any.
    fn text(&self) -> Option<&str>;
}

macro_rules! text_field {
    ($($ty:ty),*) => {$(
        impl TextField for $ty {
            fn text(&self) -> Option<&str> {
                Some(self)
            }
        }
    )*};
}

text_field!(str, String, Cow<'_, str>, Box<str>, Arc<str>);

impl<T: TextField + ?Sized> TextField for &T {
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

impl<T: TextField> TextField for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(TextField::text)
    }
}

/// `sid = "AP"`: text that is a SID with `prefix`.
///
/// Inlined into the derive's `validate`, errors out of line: a field left
/// `None`, as most are, costs one test.
#[inline(always)]
pub fn check_sid<T: TextField + ?Sized>(
    grant: &str,
    field: &str,
    prefix: &str,
    value: &T,
) -> Result<(), Error> {
    match value.text() {
        Some("") => Err(empty(grant, field)),
        Some(text) if !sid::is_sid(text, prefix) => {
            Err(not_sid(grant, field, prefix, text.chars().count()))
        }
        _ => Ok(()),
    }
}

#[cold]
fn not_sid(grant: &str, field: &str, prefix: &str, len: usize) -> Error {
    Error::InvalidSid {
        kind: SidKind::GrantField {
            grant: grant.to_owned(),
            field: field.to_owned(),
            prefix: prefix.to_owned(),
        },
        len,
    }
}

/// `non_empty`: text that is not empty.
#[inline(always)]
pub fn check_non_empty<T: TextField + ?Sized>(
    grant: &str,
    field: &str,
    value: &T,
) -> Result<(), Error> {
    match value.text() {
        Some("") => Err(empty(grant, field)),
        _ => Ok(()),
    }
}

#[cold]
fn empty(grant: &str, field: &str) -> Error {
    Error::EmptyGrantField {
        grant: grant.to_owned(),
        field: field.to_owned(),
    }
}

/// `validate = "path"`: the function's error, named by the grant.
pub fn check_grant<E: Display>(grant: &str, result: Result<(), E>) -> Result<(), Error> {
    result.map_err(|reason| Error::InvalidGrant {
        grant: grant.to_owned(),
        reason: reason.to_string(),
    })
}

/// A payload error from writing the field `field`, naming it.
pub fn in_field(field: &str, result: Result<(), Error>) -> Result<(), Error> {
    result.map_err(|error| match error {
        Error::GrantPayload {
            grant,
            field: None,
            reason,
        } => Error::GrantPayload {
            grant,
            field: Some(field.to_owned()),
            reason,
        },
        other => other,
    })
}

/// Reads the object at `path` (empty for the grant itself), each entry
/// given to `entry`, which reads the value and returns `true` or leaves
/// it to be skipped; `expected` are its keys in the order the derive's
/// writer writes them (the reader takes those without scanning them).
///
/// This and the `read_*` below are inlined into each derived decoder, a
/// call fewer per object and field.
#[inline(always)]
pub fn read_object<'de>(
    reader: &mut Reader<'de>,
    path: &str,
    expected: &[&'static str],
    entry: impl FnMut(&Cow<'de, str>, &mut Reader<'de>) -> Result<bool, ReadError>,
) -> Result<(), ReadError> {
    if !reader.next_is(b'{') {
        let what = if path.is_empty() {
            "the grant".to_owned()
        } else {
            format!("`{path}`")
        };
        reader.skip()?;
        return Err(ReadError::new(format!("{what} is not an object")));
    }
    reader.object(expected, entry)
}

/// Reads the value of the field `field` at `path` into `slot`.
#[inline(always)]
pub fn read_value<'de, T: Deserialize<'de>>(
    reader: &mut Reader<'de>,
    slot: &mut Option<T>,
    path: &str,
    field: &str,
) -> Result<bool, ReadError> {
    match T::deserialize(reader) {
        Ok(value) => {
            *slot = Some(value);
            Ok(true)
        }
        Err(error) => Err(in_value(path, field, &error)),
    }
}

/// Reads the text of the `String` field `field` at `path` into `slot`:
/// borrowed when it has no escape, made a `String` only if the grant is
/// built. What is not a string gets serde's error for a `String`.
#[inline(always)]
pub fn read_text<'de>(
    reader: &mut Reader<'de>,
    slot: &mut Option<Cow<'de, str>>,
    path: &str,
    field: &str,
) -> Result<bool, ReadError> {
    if reader.next_is(b'"') {
        *slot = Some(
            reader
                .string()
                .map_err(|error| in_value(path, field, &error))?,
        );
        return Ok(true);
    }
    let mut owned = None;
    read_value::<String>(reader, &mut owned, path, field)?;
    *slot = owned.map(Cow::Owned);
    Ok(true)
}

/// [`read_text`] for an `Option<String>` field: `null` is `None`.
#[inline(always)]
pub fn read_optional_text<'de>(
    reader: &mut Reader<'de>,
    slot: &mut Option<Option<Cow<'de, str>>>,
    path: &str,
    field: &str,
) -> Result<bool, ReadError> {
    if reader.next_is(b'"') {
        let text = reader
            .string()
            .map_err(|error| in_value(path, field, &error))?;
        *slot = Some(Some(text));
        return Ok(true);
    }
    let mut owned = None;
    read_value::<Option<String>>(reader, &mut owned, path, field)?;
    *slot = owned.map(|text| text.map(Cow::Owned));
    Ok(true)
}

#[cold]
fn in_value(path: &str, field: &str, error: &dyn Display) -> ReadError {
    ReadError::new(format!("`{path}` (field `{field}`): {error}"))
}

/// A field that must be present.
pub fn required<T>(slot: Option<T>, path: &str, field: &str) -> Result<T, ReadError> {
    slot.ok_or_else(|| ReadError::new(format!("`{path}` (field `{field}`) is missing")))
}

/// The entries no other field takes, for a `flatten` field.
#[derive(Default)]
pub struct Rest<'de> {
    entries: Vec<(Cow<'de, str>, &'de str)>,
    /// Read by a reader that only checks (`Reader::checking`).
    checking: bool,
}

impl<'de> Rest<'de> {
    /// Keeps the entry `key` (its value read as text). The key is kept as
    /// it is, borrowed from the token when it has no escape.
    #[allow(clippy::ptr_arg)]
    pub fn keep(
        &mut self,
        key: &Cow<'de, str>,
        reader: &mut Reader<'de>,
    ) -> Result<bool, ReadError> {
        let value = reader.skip()?;
        self.entries.push((key.clone(), value));
        self.checking = reader.is_checking();
        Ok(true)
    }

    /// The kept entries as the field `field`.
    pub fn decode<T: Deserialize<'de>>(self, field: &str) -> Result<T, ReadError> {
        T::deserialize(self).map_err(|error| ReadError::new(format!("field `{field}`: {error}")))
    }
}

struct RestEntries<'de> {
    entries: std::vec::IntoIter<(Cow<'de, str>, &'de str)>,
    value: Option<&'de str>,
}

/// The kept entries as a map, each value read by a reader of its own.
impl<'de> de::Deserializer<'de> for Rest<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_map(RestEntries {
            entries: self.entries.into_iter(),
            value: None,
        })
    }

    /// A `JsonObject` only checked: each value as building it would.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if name == crate::reader::JSON_NEWTYPE && self.checking {
            for (_, text) in &self.entries {
                let mut reader = Reader::new(text);
                reader.check().and_then(|()| reader.end())?;
            }
            return crate::reader::empty_json(true, visitor);
        }
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> de::MapAccess<'de> for RestEntries<'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        match key {
            Cow::Borrowed(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(de::value::StringDeserializer::new(key)),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let text = self.value.take().unwrap_or("null");
        let mut reader = Reader::new(text);
        seed.deserialize(&mut reader)
    }
}
