//! The reader as a `serde::Deserializer`, so any `Deserialize` type reads
//! from it.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Visitor};

use super::{Keys, Number, Read, ReadError, Reader, fail};

/// The entries of an object or the elements of an array, for serde.
struct Items<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
    /// The closing `}` or `]` has been read.
    done: bool,
    keys: Keys<'de>,
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Read<Option<K::Value>> {
        if self.done {
            return Ok(None);
        }
        let Some(key) = self.reader.next_key(&mut self.first)? else {
            self.done = true;
            return Ok(None);
        };
        let left = self.reader.text.len().saturating_sub(self.reader.pos);
        self.keys.insert(&key, left)?;
        match &key {
            Cow::Borrowed(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(de::value::StrDeserializer::new(key)),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Read<V::Value> {
        seed.deserialize(&mut *self.reader)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Read<Option<T::Value>> {
        if !self.done && self.reader.next_element(&mut self.first)? {
            seed.deserialize(&mut *self.reader).map(Some)
        } else {
            self.done = true;
            Ok(None)
        }
    }
}

impl<'de> Reader<'de> {
    /// An object or array, its items given to `visit`.
    fn nested<T>(&mut self, visit: impl FnOnce(&mut Items<'_, 'de>) -> Read<T>) -> Read<T> {
        self.pos += 1;
        self.enter()?;
        let mut items = Items {
            reader: self,
            first: true,
            done: false,
            keys: Keys::default(),
        };
        let value = visit(&mut items)?;
        self.depth -= 1;
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        match self.peek() {
            Some(b'{') => self.nested(|items| {
                let value = visitor.visit_map(&mut *items)?;
                if de::MapAccess::next_key::<de::IgnoredAny>(items)?.is_some() {
                    return fail("an object has more entries than expected");
                }
                Ok(value)
            }),
            Some(b'[') => self.nested(|items| {
                let value = visitor.visit_seq(&mut *items)?;
                if de::SeqAccess::next_element::<de::IgnoredAny>(items)?.is_some() {
                    return fail("an array has more elements than expected");
                }
                Ok(value)
            }),
            Some(b'"') => match self.string()? {
                Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
                Cow::Owned(text) => visitor.visit_string(text),
            },
            Some(b't') => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            Some(b'n') => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            Some(_) => match self.number()? {
                Number::U64(value) => visitor.visit_u64(value),
                Number::I64(value) => visitor.visit_i64(value),
                Number::F64(value) => visitor.visit_f64(value),
            },
            None => fail("expected a JSON value"),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Read<V::Value> {
        if name == JSON_NEWTYPE {
            if self.check_only {
                // Checked as building it would, handed over empty.
                let object = self.next_is(b'{');
                self.check()?;
                return empty_json(object, visitor);
            }
            return self.deserialize_any(visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        // What a type ignores is read as strictly as what it keeps.
        self.check()?;
        visitor.visit_unit()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Read<V::Value> {
        match self.peek() {
            Some(b'"') => {
                let variant = self.string()?;
                visitor.visit_enum(de::value::StrDeserializer::<ReadError>::new(&variant))
            }
            Some(b'{') => {
                self.pos += 1;
                self.enter()?;
                let value = visitor.visit_enum(Variant { reader: self })?;
                // The one key's value is read; then the object must close.
                let mut first = false;
                if self.next_key(&mut first)?.is_some() {
                    return fail("an enum variant object has more than one key");
                }
                self.depth -= 1;
                Ok(value)
            }
            _ => fail("expected a string or an object for an enum"),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier
    }
}

/// An enum written `{"Variant": value}`.
struct Variant<'r, 'de> {
    reader: &'r mut Reader<'de>,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Read<(V::Value, Self)> {
        let mut first = true;
        let Some(key) = self.reader.next_key(&mut first)? else {
            return fail("an enum variant object is empty");
        };
        let value = seed.deserialize(de::value::StrDeserializer::<ReadError>::new(&key))?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = ReadError;

    fn unit_variant(self) -> Read<()> {
        de::Deserialize::deserialize(&mut *self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Read<T::Value> {
        seed.deserialize(&mut *self.reader)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Read<V::Value> {
        de::Deserializer::deserialize_any(&mut *self.reader, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Read<V::Value> {
        de::Deserializer::deserialize_any(&mut *self.reader, visitor)
    }
}

/// The newtype name `Json` deserializes as: this reader reads it as the
/// value itself, so `Json` knows the text is a token's JSON, where an
/// object is an object whatever its keys (serde_json's
/// `arbitrary_precision` gives numbers as objects of a reserved key).
pub(crate) const JSON_NEWTYPE: &str = "$twilio_token::Json";

/// An empty object (or `null`, for what is not an object) for a `Json`
/// visitor: what a reader that only checks hands over.
pub(crate) fn empty_json<'de, V: Visitor<'de>>(object: bool, visitor: V) -> Read<V::Value> {
    if object {
        visitor.visit_map(de::value::MapDeserializer::new(std::iter::empty::<(
            &'de str,
            (),
        )>()))
    } else {
        visitor.visit_unit()
    }
}

/// Reads all of `text` as one `T`.
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Read<T> {
    let mut reader = Reader::new(text);
    let value = T::deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}
