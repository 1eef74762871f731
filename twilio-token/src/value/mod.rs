//! JSON values whose objects keep their keys in insertion order, as
//! twilio-python writes them: the Voice grant's parameters, the Live player
//! grant, a grant's payload. A type of our own, so that depending on this
//! crate turns on no feature of serde_json (`preserve_order` would change
//! every `serde_json::Map` in the program).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

mod de;

use crate::number::{Number, ParseJsonError};
use crate::{python, reader};

/// A JSON value whose objects keep their keys in insertion order.
///
/// Parse JSON text with `str::parse` (the verifier's strict reader: a key
/// given twice, a lone surrogate or a number out of range is refused),
/// rather than `serde_json::from_str`, whose result depends on the features
/// of serde_json the program turns on.
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
    /// let json: twilio_token::Json = r#"{"a": 1}"#.parse()?;
    /// assert_eq!(json.as_object().map(|object| object.len()), Some(1));
    /// # Ok::<(), twilio_token::ParseJsonError>(())
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
    /// let json: twilio_token::Json = r#"{"a": 1}"#.parse()?;
    /// assert_eq!(json.get("a"), Some(&1u64.into()));
    /// assert_eq!(json.get("b"), None);
    /// # Ok::<(), twilio_token::ParseJsonError>(())
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
/// has replaces the value in place. Past a few keys it keeps an index, so
/// building a large object stays linear.
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
#[derive(Clone, Default)]
pub struct JsonObject {
    entries: Vec<(String, Json)>,
    /// Each key's position in `entries`, once there are more than
    /// [`INDEXED`] of them.
    index: Option<HashMap<String, usize>>,
}

/// Up to this many keys are found by scanning.
const INDEXED: usize = 16;

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
        if let Some(slot) = self.position(&key).and_then(|at| self.entries.get_mut(at)) {
            slot.1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEXED {
            self.reindex();
        }
    }

    /// Where `key` is in `entries`.
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    fn reindex(&mut self) {
        self.index = (self.entries.len() > INDEXED).then(|| {
            self.entries
                .iter()
                .enumerate()
                .map(|(at, (key, _))| (key.clone(), at))
                .collect()
        });
    }

    /// Removes `key`, keeping the others in order; its value, if it was there.
    ///
    /// ```
    /// let mut object: twilio_token::JsonObject = [("a", 1), ("b", 2)].into_iter().collect();
    /// assert_eq!(object.remove("a"), Some(1.into()));
    /// assert_eq!(object.keys().collect::<Vec<_>>(), ["b"]);
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let at = self.position(key)?;
        let (_, value) = self.entries.remove(at);
        if self.index.is_some() {
            self.reindex();
        }
        Some(value)
    }

    /// The value of `key`.
    ///
    /// ```
    /// let object: twilio_token::JsonObject = [("a", 1)].into_iter().collect();
    /// assert_eq!(object.get("a"), Some(&1.into()));
    /// assert_eq!(object.get("b"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&Json> {
        let at = self.position(key)?;
        self.entries.get(at).map(|(_, value)| value)
    }

    /// The keys, in order.
    ///
    /// ```
    /// let object: twilio_token::JsonObject = [("b", 1), ("a", 2)].into_iter().collect();
    /// assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(key, _)| key.as_str())
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
        self.entries
            .iter()
            .map(|(key, value)| (key.as_str(), value))
    }

    /// How many entries there are.
    ///
    /// ```
    /// assert_eq!(twilio_token::JsonObject::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no entry.
    ///
    /// ```
    /// assert!(twilio_token::JsonObject::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The same entries in the same order.
impl PartialEq for JsonObject {
    fn eq(&self, other: &JsonObject) -> bool {
        self.entries == other.entries
    }
}

impl fmt::Debug for JsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(key, value)| (key, value)))
            .finish()
    }
}

/// JSON text read by the verifier's strict reader: a key given twice (at
/// any depth), a lone surrogate, a number out of range or nesting deeper
/// than 100 is refused.
///
/// ```
/// let json: twilio_token::Json = r#"{"b": [1e16, "x"], "a": null}"#.parse()?;
/// assert_eq!(json.to_string(), r#"{"b":[1e+16,"x"],"a":null}"#);
/// assert!("[1e400]".parse::<twilio_token::Json>().is_err());
/// # Ok::<(), twilio_token::ParseJsonError>(())
/// ```
impl FromStr for Json {
    type Err = ParseJsonError;

    fn from_str(text: &str) -> Result<Json, ParseJsonError> {
        Ok(reader::from_str(text)?)
    }
}

/// JSON text of an object, read as [`Json`] is.
///
/// ```
/// let params: twilio_token::JsonObject = r#"{"to": "+15005550006"}"#.parse()?;
/// assert_eq!(params["to"], "+15005550006");
/// assert!("[]".parse::<twilio_token::JsonObject>().is_err());
/// # Ok::<(), twilio_token::ParseJsonError>(())
/// ```
impl FromStr for JsonObject {
    type Err = ParseJsonError;

    fn from_str(text: &str) -> Result<JsonObject, ParseJsonError> {
        Ok(reader::from_str(text)?)
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
        self.get(key).unwrap_or(&NULL)
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
    Number => |value| Json::Number(value),
    &str => |value| Json::String(value.to_owned()),
    String => |value| Json::String(value),
    Vec<Json> => |value| Json::Array(value),
    JsonObject => |value| Json::Object(value),
);

/// From serde_json's value; an object's keys come in the order its `Map`
/// iterates them. Numbers are read from their text, so the same whatever
/// serde_json's features; one out of an `f64`'s range (only
/// `arbitrary_precision` holds such a number) becomes `null`, as serde_json
/// writes a float that is not finite.
impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(value) => Json::Bool(value),
            Value::Number(value) => {
                Number::from_serde_json(&value).map_or(Json::Null, Json::Number)
            }
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
            (Json::Number(a), Value::Number(b)) => Number::from_serde_json(b) == Some(*a),
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

/// Compact JSON, keys in order, numbers as a token has them (`1e+16`,
/// `1e-05`) and non-ASCII text as it is.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&python::display(self).ok_or(fmt::Error)?)
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
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(value) => serializer.serialize_bool(*value),
            Json::Number(value) => value.serialize(serializer),
            Json::String(value) => serializer.serialize_str(value),
            Json::Array(values) => values.serialize(serializer),
            Json::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for JsonObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::{INDEXED, Json, JsonObject};

    /// Past the indexed size, inserting, replacing, removing and finding
    /// keys give what a plain list of entries gives, in order.
    #[test]
    fn an_indexed_object_behaves_as_a_list_of_entries() {
        let mut object = JsonObject::new();
        let mut entries: Vec<(String, Json)> = Vec::new();
        let mut set = |object: &mut JsonObject, key: String, value: u64| {
            object.insert(key.clone(), value);
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some((_, slot)) => *slot = value.into(),
                None => entries.push((key, value.into())),
            }
            let expected: Vec<(&str, &Json)> =
                entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
            assert_eq!(object.iter().collect::<Vec<_>>(), expected);
        };
        for round in 0..3u64 {
            for key in 0..(INDEXED as u64 * 3) {
                set(&mut object, format!("k{}", key * 7 % 50), round * 100 + key);
            }
        }
        for key in (0..50).step_by(3) {
            let name = format!("k{key}");
            let removed = object.remove(&name);
            let position = entries.iter().position(|(k, _)| *k == name);
            assert_eq!(removed, position.map(|at| entries.remove(at).1));
            for (other, value) in &entries {
                assert_eq!(object.get(other), Some(value));
            }
            assert_eq!(object.get(&name), None);
        }
        assert_eq!(object.len(), entries.len());
        // Equality is the entries', in order, whether indexed or not.
        let rebuilt: JsonObject = entries.iter().cloned().collect();
        assert_eq!(object, rebuilt);
    }
}
