//! `Json` and `JsonObject` from any serde deserializer: our reader (which
//! may only check), or another, which may be serde_json with its
//! `arbitrary_precision` feature.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Json, JsonObject};
use crate::number::Number;
use crate::reader;

/// Builds a [`Json`]. `magic` is set for a deserializer other than this
/// crate's reader, which may be serde_json with `arbitrary_precision`: it
/// gives a number as a map of one entry, its text under
/// [`SERDE_JSON_NUMBER`]. Our reader gives such a map only for that object
/// in the token, which stays an object, as the verifier reads it.
#[derive(Clone, Copy)]
struct JsonVisitor {
    magic: bool,
}

/// The key under which serde_json's `arbitrary_precision` feature gives a
/// number's text to a visitor.
const SERDE_JSON_NUMBER: &str = "$serde_json::private::Number";

/// Whether serde_json, as built in this program, has its
/// `arbitrary_precision` feature on (some crate in the build turned it on):
/// it then gives every number to a visitor as a map. Without it, an object
/// with that map's key is an object. Asked once.
fn arbitrary_precision() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        struct Probe;
        impl<'de> Visitor<'de> for Probe {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<bool, A::Error> {
                Ok(true)
            }
        }
        let mut deserializer = serde_json::Deserializer::from_str("0.5");
        deserializer.deserialize_any(Probe).unwrap_or(false)
    })
}

impl<'de> de::DeserializeSeed<'de> for JsonVisitor {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    /// Another deserializer than our reader (which reads the value itself,
    /// see `Deserialize for Json`).
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor { magic: true })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
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
        while let Some(value) = seq.next_element_seed(self)? {
            values.push(value);
        }
        Ok(Json::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut object = JsonObject::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.magic && object.is_empty() && key == SERDE_JSON_NUMBER && arbitrary_precision()
            {
                let text = map.next_value::<String>()?;
                return text.parse().map(Json::Number).map_err(de::Error::custom);
            }
            // Our reader refuses a key given twice; from another
            // deserializer the last one counts, as in serde_json's `Value`.
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Json::Object(object))
    }
}

/// Any JSON value, from any deserializer. From serde_json with its
/// `arbitrary_precision` feature, numbers are read from their text.
impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        // Our reader reads a newtype of this name as the value itself; any
        // other deserializer calls `visit_newtype_struct`.
        deserializer.deserialize_newtype_struct(reader::JSON_NEWTYPE, JsonVisitor { magic: false })
    }
}

/// Any JSON object, from any deserializer, as [`Json`] reads it.
impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JsonObject, D::Error> {
        match Json::deserialize(deserializer)? {
            Json::Object(object) => Ok(object),
            _ => Err(de::Error::custom("expected a JSON object")),
        }
    }
}
