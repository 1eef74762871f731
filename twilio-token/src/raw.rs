//! Reading JSON objects in place: the verifier walks a token's payload and
//! grants without building a tree, borrowing every key and value from the
//! decoded text.

use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON object as text: one value already checked by serde_json.
#[derive(Clone, Copy, Debug)]
pub struct RawObject<'de>(&'de str);

impl<'de> RawObject<'de> {
    /// The object in `text`, which holds one JSON value; `None` when that
    /// value is not an object.
    pub fn new(text: &'de str) -> Option<Self> {
        text.trim_start()
            .starts_with('{')
            .then_some(RawObject(text))
    }

    /// The object's text.
    pub fn as_str(self) -> &'de str {
        self.0
    }

    /// Calls `f` with every entry in order, keys borrowed unless escaped.
    pub fn for_each(self, f: impl FnMut(Key<'de>, &'de RawValue)) -> Result<(), serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(self.0);
        deserializer.deserialize_map(Walk(f))?;
        deserializer.end()
    }

    /// The raw value of `key` (of its last occurrence, as serde_json's
    /// `Map` keeps), if present.
    pub fn get(self, key: &str) -> Result<Option<&'de str>, serde_json::Error> {
        let mut found = None;
        self.for_each(|entry, value| {
            if *entry == *key {
                found = Some(value.get());
            }
        })?;
        Ok(found)
    }
}

struct Walk<F>(F);

impl<'de, F: FnMut(Key<'de>, &'de RawValue)> Visitor<'de> for Walk<F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut access: A) -> Result<(), A::Error> {
        while let Some(key) = access.next_key::<Key<'de>>()? {
            let value: &'de RawValue = access.next_value()?;
            (self.0)(key, value);
        }
        Ok(())
    }
}

/// An object's entries, read once, so that looking several keys up scans
/// a short list instead of the text. The first sixteen entries need no
/// allocation.
pub struct Fields<'de> {
    object: RawObject<'de>,
    inline: [Option<(Key<'de>, &'de str)>; INLINE],
    more: Vec<(Key<'de>, &'de str)>,
}

const INLINE: usize = 16;

impl<'de> Fields<'de> {
    /// Reads the entries of `object`.
    pub fn read(object: RawObject<'de>) -> Result<Self, serde_json::Error> {
        let mut fields = Fields {
            object,
            inline: [const { None }; INLINE],
            more: Vec::new(),
        };
        let mut len = 0;
        object.for_each(|key, value| {
            match fields.inline.get_mut(len) {
                Some(slot) => *slot = Some((key, value.get())),
                None => fields.more.push((key, value.get())),
            }
            len += 1;
        })?;
        Ok(fields)
    }

    /// The object these entries are from.
    pub fn object(&self) -> RawObject<'de> {
        self.object
    }

    /// The entries in order, duplicates included.
    pub fn iter(&self) -> impl Iterator<Item = (&Key<'de>, &'de str)> {
        self.inline
            .iter()
            .flatten()
            .chain(&self.more)
            .map(|(key, value)| (key, *value))
    }

    /// The value of `key` (of its last occurrence), if present.
    pub fn get(&self, key: &str) -> Option<&'de str> {
        self.iter()
            .filter(|(entry, _)| ***entry == *key)
            .last()
            .map(|(_, value)| value)
    }
}

/// An object key: borrowed from the text, or unescaped into a `String`
/// when it holds escapes.
#[derive(Debug, Clone)]
pub enum Key<'de> {
    /// The key as written.
    Borrowed(&'de str),
    /// The key after unescaping.
    Owned(String),
}

impl Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

/// The empty text, for fields whose absence means `Default`.
impl Default for Key<'_> {
    fn default() -> Self {
        Key::Borrowed("")
    }
}

/// Keys are equal when their text is, escaped or not.
impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Key<'_> {}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Any JSON object, read and dropped: what a `Map<String, Value>` field is
/// checked as.
#[derive(Default)]
pub struct AnyObject;

impl<'de> Deserialize<'de> for AnyObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = AnyObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<AnyObject, A::Error> {
                AnyValue::entries(access).map(|AnyValue| AnyObject)
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// Any JSON value, read as decoding reads it into a `serde_json::Value`:
/// every string is unescaped, so a lone surrogate (`"\ud83d"`) is refused
/// as it is there. serde's `IgnoredAny` only skips strings, and serde_json
/// skips a lone surrogate without a word.
pub struct AnyValue;

impl AnyValue {
    fn entries<'de, A: MapAccess<'de>>(mut access: A) -> Result<AnyValue, A::Error> {
        while access.next_entry::<AnyValue, AnyValue>()?.is_some() {}
        Ok(AnyValue)
    }
}

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = AnyValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut access: A) -> Result<AnyValue, A::Error> {
                while access.next_element::<AnyValue>()?.is_some() {}
                Ok(AnyValue)
            }
            fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<AnyValue, A::Error> {
                AnyValue::entries(access)
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// A grant, or an object inside one, checked as `T` (a struct the derive
/// generates) from a JSON object only: serde's derived structs would also
/// read an array, which decoding refuses.
#[derive(Default)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(ObjectOnly(deserializer)).map(Object)
    }
}

/// A deserializer that reads structs as maps: from objects only.
struct ObjectOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct enum identifier ignored_any
    }
}

/// The text of a JSON string value: borrowed from `raw` (the inside of the
/// quotes) when it has no escapes, `None` when it has or is not a string.
pub fn plain_str(raw: &str) -> Option<&str> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_entries_in_order_with_escaped_keys_unescaped() {
        let object = RawObject::new(r#"{"a":1,"b\u0063":{"x":[1,2]},"a":"last"}"#).unwrap();
        let mut seen = Vec::new();
        object
            .for_each(|key, value| seen.push((key, value.get().to_owned())))
            .unwrap();
        assert_eq!(
            seen,
            [
                (Key::Borrowed("a"), "1".to_owned()),
                (Key::Owned("bc".into()), r#"{"x":[1,2]}"#.to_owned()),
                (Key::Borrowed("a"), r#""last""#.to_owned()),
            ]
        );
        assert_eq!(object.get("a").unwrap(), Some(r#""last""#));
        assert_eq!(object.get("bc").unwrap(), Some(r#"{"x":[1,2]}"#));
        assert_eq!(Key::Owned("a".into()), Key::Borrowed("a"));
        assert_eq!(object.get("z").unwrap(), None);
    }

    #[test]
    fn fields_keep_order_and_find_the_last_duplicate() {
        let text: String = format!(
            "{{{}\"k3\":\"again\"}}",
            (0..20)
                .map(|i| format!("\"k{i}\":{i},"))
                .collect::<String>()
        );
        let fields = Fields::read(RawObject::new(&text).unwrap()).unwrap();
        assert_eq!(fields.iter().count(), 21);
        assert_eq!(fields.get("k3"), Some(r#""again""#));
        assert_eq!(fields.get("k19"), Some("19"));
        assert_eq!(fields.get("k20"), None);
        assert_eq!(fields.object().as_str(), text);
    }

    #[test]
    fn only_objects_are_objects() {
        assert!(RawObject::new(" {}").is_some());
        assert!(RawObject::new("[]").is_none());
        assert!(RawObject::new(r#""{""#).is_none());
    }

    #[test]
    fn any_object_is_any_object_and_nothing_else() {
        assert!(serde_json::from_str::<AnyObject>(r#"{"a":[1,{"b":null}],"c":"d"}"#).is_ok());
        // A lone surrogate, anywhere: refused as decoding refuses it, where
        // serde's IgnoredAny lets it through.
        for text in [
            r#"{"a":"\ud83dU"}"#,
            r#"{"\ud83d":1}"#,
            r#"{"a":[{"b":"x\udc00"}]}"#,
        ] {
            assert!(serde_json::from_str::<AnyObject>(text).is_err(), "{text}");
            assert!(
                serde_json::from_str::<de::IgnoredAny>(text).is_ok(),
                "{text}"
            );
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text}"
            );
        }
        assert!(serde_json::from_str::<AnyObject>(r#"{"a":"\ud83d\ude00 \u00e9"}"#).is_ok());
        assert!(serde_json::from_str::<AnyValue>(r#"[1.5,-2,true,null,"\ud83dU"]"#).is_err());
        assert!(serde_json::from_str::<AnyValue>(r#"[1.5,-2,true,null,"x"]"#).is_ok());
        assert!(serde_json::from_str::<AnyObject>("{}").is_ok());
        assert!(serde_json::from_str::<AnyObject>("[]").is_err());
        assert!(serde_json::from_str::<AnyObject>(r#""{}""#).is_err());
    }

    #[derive(serde::Deserialize, Default, Debug, PartialEq)]
    struct Room {
        room: Option<String>,
    }

    #[test]
    fn an_object_is_read_from_an_object_only() {
        let read = |text| serde_json::from_str::<Object<Room>>(text).map(|object| object.0);
        assert_eq!(
            read(r#"{"room":"standup"}"#).unwrap(),
            Room {
                room: Some("standup".into())
            }
        );
        assert!(serde_json::from_str::<Room>(r#"["standup"]"#).is_ok());
        assert_eq!(
            read(r#"["standup"]"#).unwrap_err().to_string(),
            "invalid type: sequence, expected struct Room at line 1 column 0"
        );
        assert!(read("null").is_err());
    }

    #[test]
    fn plain_strings_are_borrowed() {
        assert_eq!(plain_str(r#""alice""#), Some("alice"));
        assert_eq!(plain_str(r#""""#), Some(""));
        assert_eq!(plain_str(r#""a\"b""#), None);
        assert_eq!(plain_str("7"), None);
    }
}
