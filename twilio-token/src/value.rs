//! JSON values whose objects keep their keys in insertion order, as
//! twilio-python writes them: the Voice grant's parameters, the Live player
//! grant, a grant's payload. A type of our own, so that depending on this
//! crate turns on no feature of serde_json (`preserve_order` would change
//! every `serde_json::Map` in the program).

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Number;

/// A JSON value whose objects keep their keys in insertion order.
///
/// ```
/// use twilio_token::{Json, JsonObject};
///
/// let params: JsonObject = [("to", Json::from("+15005550006")), ("lang", Json::from("fr"))]
///     .into_iter()
///     .collect();
/// assert_eq!(Json::from(params).to_string(), r#"{"to":"+15005550006","lang":"fr"}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its keys in insertion order.
    Object(JsonObject),
}

impl Json {
    /// The object, if this is one.
    ///
    /// ```
    /// let json: twilio_token::Json = serde_json::from_str(r#"{"a": 1}"#)?;
    /// assert_eq!(json.as_object().map(|object| object.len()), Some(1));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn as_object(&self) -> Option<&JsonObject> {
        match self {
            Json::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The value of `key`, if this is an object that has it.
    ///
    /// ```
    /// let json: twilio_token::Json = serde_json::from_str(r#"{"a": 1}"#)?;
    /// assert_eq!(json.get("a"), Some(&1u64.into()));
    /// assert_eq!(json.get("b"), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.get(key)
    }

    /// The elements, if this is an array.
    ///
    /// ```
    /// let json = twilio_token::Json::Array(vec![1u64.into()]);
    /// assert_eq!(json.as_array().map(|values| values.len()), Some(1));
    /// ```
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(values) => Some(values),
            _ => None,
        }
    }

    /// The text, if this is a string.
    ///
    /// ```
    /// assert_eq!(twilio_token::Json::from("a").as_str(), Some("a"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number, if this is a non-negative integer that fits a `u64`.
    ///
    /// ```
    /// assert_eq!(twilio_token::Json::from(7u64).as_u64(), Some(7));
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(number) => number.as_u64(),
            _ => None,
        }
    }
}

/// A JSON object whose keys keep their insertion order; inserting a key it
/// has replaces the value in place.
///
/// ```
/// use twilio_token::{Json, JsonObject};
///
/// let mut object = JsonObject::new();
/// object.insert("b", 1);
/// object.insert("a", "x");
/// object.insert("b", 2);
/// assert_eq!(object.get("b"), Some(&Json::from(2)));
/// assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonObject(Vec<(String, Json)>);

impl JsonObject {
    /// An empty object.
    ///
    /// ```
    /// assert!(twilio_token::JsonObject::new().is_empty());
    /// ```
    pub fn new() -> Self {
        JsonObject::default()
    }

    /// Sets `key` to `value`: in place when the key is there, else last.
    ///
    /// ```
    /// let mut object = twilio_token::JsonObject::new();
    /// object.insert("to", "+15005550006");
    /// assert_eq!(object.len(), 1);
    /// ```
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Json>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes `key`, keeping the others in order; its value, if it was there.
    ///
    /// ```
    /// let mut object: twilio_token::JsonObject = [("a", 1), ("b", 2)].into_iter().collect();
    /// assert_eq!(object.remove("a"), Some(1.into()));
    /// assert_eq!(object.keys().collect::<Vec<_>>(), ["b"]);
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// The value of `key`.
    ///
    /// ```
    /// let object: twilio_token::JsonObject = [("a", 1)].into_iter().collect();
    /// assert_eq!(object.get("a"), Some(&1.into()));
    /// assert_eq!(object.get("b"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value)
    }

    /// The keys, in order.
    ///
    /// ```
    /// let object: twilio_token::JsonObject = [("b", 1), ("a", 2)].into_iter().collect();
    /// assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(key, _)| key.as_str())
    }

    /// The entries, in order.
    ///
    /// ```
    /// let object: twilio_token::JsonObject = [("a", 1)].into_iter().collect();
    /// for (key, value) in object.iter() {
    ///     assert_eq!((key, value), ("a", &1.into()));
    /// }
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// How many entries there are.
    ///
    /// ```
    /// assert_eq!(twilio_token::JsonObject::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    ///
    /// ```
    /// assert!(twilio_token::JsonObject::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<Json>> FromIterator<(K, V)> for JsonObject {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut object = JsonObject::new();
        for (key, value) in entries {
            object.insert(key, value);
        }
        object
    }
}

impl std::ops::Index<&str> for JsonObject {
    type Output = Json;

    /// The value of `key`, or `null`.
    fn index(&self, key: &str) -> &Json {
        static NULL: Json = Json::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<&str> for Json {
    type Output = Json;

    /// The value of `key` in an object, or `null`.
    fn index(&self, key: &str) -> &Json {
        static NULL: Json = Json::Null;
        match self {
            Json::Object(object) => &object[key],
            _ => &NULL,
        }
    }
}

macro_rules! from {
    ($($ty:ty => |$value:ident| $make:expr),* $(,)?) => {$(
        impl From<$ty> for Json {
            fn from($value: $ty) -> Json {
                $make
            }
        }
    )*};
}

from!(
    bool => |value| Json::Bool(value),
    i64 => |value| Json::Number(value.into()),
    u64 => |value| Json::Number(value.into()),
    i32 => |value| Json::Number(value.into()),
    u32 => |value| Json::Number(value.into()),
    f64 => |value| Number::from_f64(value).map_or(Json::Null, Json::Number),
    &str => |value| Json::String(value.to_owned()),
    String => |value| Json::String(value),
    Vec<Json> => |value| Json::Array(value),
    JsonObject => |value| Json::Object(value),
);

/// From serde_json's value; an object's keys come in the order its `Map`
/// iterates them.
impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(value) => Json::Bool(value),
            Value::Number(value) => Json::Number(value),
            Value::String(value) => Json::String(value),
            Value::Array(values) => Json::Array(values.into_iter().map(Json::from).collect()),
            Value::Object(map) => Json::Object(map.into_iter().collect()),
        }
    }
}

/// The same JSON, whatever the order of the objects' keys.
impl PartialEq<serde_json::Value> for Json {
    fn eq(&self, other: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, other) {
            (Json::Null, Value::Null) => true,
            (Json::Bool(a), Value::Bool(b)) => a == b,
            (Json::Number(a), Value::Number(b)) => a == b,
            (Json::String(a), Value::String(b)) => a == b,
            (Json::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a == b)
            }
            (Json::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(key, a)| b.get(key).is_some_and(|b| a == b))
            }
            _ => false,
        }
    }
}

/// The same JSON, whatever the order of the objects' keys.
impl PartialEq<Json> for serde_json::Value {
    fn eq(&self, other: &Json) -> bool {
        other == self
    }
}

macro_rules! eq {
    ($($ty:ty => |$json:ident, $other:ident| $same:expr),* $(,)?) => {$(
        impl PartialEq<$ty> for Json {
            fn eq(&self, $other: &$ty) -> bool {
                let $json = self;
                $same
            }
        }
    )*};
}

eq!(
    str => |json, other| json.as_str() == Some(other),
    &str => |json, other| json.as_str() == Some(*other),
    String => |json, other| json.as_str() == Some(other.as_str()),
    bool => |json, other| *json == Json::Bool(*other),
    u64 => |json, other| json.as_u64() == Some(*other),
    i64 => |json, other| matches!(json, Json::Number(n) if n.as_i64() == Some(*other)),
);

/// Compact JSON, keys in order (as serde_json writes it: non-ASCII text
/// as it is).
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// Compact JSON, the keys in their order, as [`Json`] writes an object.
///
/// ```
/// let params: twilio_token::JsonObject = [("to", "+15005550006"), ("from", "alice")].into_iter().collect();
/// assert_eq!(params.to_string(), r#"{"to":"+15005550006","from":"alice"}"#);
/// ```
impl fmt::Display for JsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(value) => serializer.serialize_bool(*value),
            Json::Number(value) => value.serialize(serializer),
            Json::String(value) => serializer.serialize_str(value),
            Json::Array(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values {
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
            Json::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for JsonObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Json, E> {
        Ok(value.into())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Json, E> {
        Ok(value.into())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Json, E> {
        Number::from_f64(value)
            .map(Json::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Json, E> {
        Ok(value.into())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Json, E> {
        Ok(Json::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element()? {
            values.push(value);
        }
        Ok(Json::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut object = JsonObject::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            object.insert(key, value);
        }
        Ok(Json::Object(object))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// [`JsonVisitor`] for objects only.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = JsonObject;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonObject, A::Error> {
        match JsonVisitor.visit_map(map)? {
            Json::Object(object) => Ok(object),
            _ => Err(de::Error::custom("expected a JSON object")),
        }
    }
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JsonObject, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}
