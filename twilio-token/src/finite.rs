//! Finds a float that is not finite in a value: serde_json writes NaN and
//! the infinities as `null`, which would be signed as a value the grant
//! never held (and that its own type cannot read back). Run only when what
//! a value wrote has a `null`, so the usual grant pays nothing for it.

use std::fmt;

use serde::Serialize;
use serde::ser;

/// Why the value was refused: a float that is not finite.
#[derive(Debug)]
pub(crate) struct NotFinite;

impl fmt::Display for NotFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a float that is not finite (NaN or an infinity), which JSON cannot hold: write a number, or leave the field out",
        )
    }
}

impl std::error::Error for NotFinite {}

impl ser::Error for NotFinite {
    fn custom<T: fmt::Display>(_: T) -> Self {
        // Anything else that fails was already refused when it was written.
        NotFinite
    }
}

/// `value` holds no float that is not finite.
pub(crate) fn check<T: Serialize + ?Sized>(value: &T) -> Result<(), NotFinite> {
    value.serialize(Finder)
}

/// A serializer that writes nothing and fails on a float that is not finite.
struct Finder;

/// Methods that find nothing to check and return `Ok($value)`.
macro_rules! fine {
    ($ok:ty = $value:expr; $($method:ident($($ty:ty),*);)*) => {$(
        fn $method(self, $(_: $ty),*) -> Result<$ok, NotFinite> {
            Ok($value)
        }
    )*};
}

/// Methods that check the one value they wrap.
macro_rules! inner {
    ($($method:ident($($ty:ty),*);)*) => {$(
        fn $method<T: Serialize + ?Sized>(self, $(_: $ty,)* value: &T) -> Result<(), NotFinite> {
            value.serialize(self)
        }
    )*};
}

impl ser::Serializer for Finder {
    type Ok = ();
    type Error = NotFinite;
    type SerializeSeq = Finder;
    type SerializeTuple = Finder;
    type SerializeTupleStruct = Finder;
    type SerializeTupleVariant = Finder;
    type SerializeMap = Finder;
    type SerializeStruct = Finder;
    type SerializeStructVariant = Finder;

    fine! {
        () = ();
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    // The compound serializers check each part as it comes.
    fine! {
        Finder = Finder;
        serialize_seq(Option<usize>);
        serialize_tuple(usize);
        serialize_tuple_struct(&'static str, usize);
        serialize_tuple_variant(&'static str, u32, &'static str, usize);
        serialize_map(Option<usize>);
        serialize_struct(&'static str, usize);
        serialize_struct_variant(&'static str, u32, &'static str, usize);
    }

    inner! {
        serialize_some();
        serialize_newtype_struct(&'static str);
        serialize_newtype_variant(&'static str, u32, &'static str);
    }

    fn serialize_f32(self, value: f32) -> Result<(), NotFinite> {
        self.serialize_f64(f64::from(value))
    }

    fn serialize_f64(self, value: f64) -> Result<(), NotFinite> {
        if value.is_finite() {
            Ok(())
        } else {
            Err(NotFinite)
        }
    }
}

/// The compound serializers: each element, field, key and value checked.
macro_rules! compound {
    ($($trait:ident :: $($method:ident($($name:ty),*)),+;)*) => {$(
        impl ser::$trait for Finder {
            type Ok = ();
            type Error = NotFinite;

            $(fn $method<T: Serialize + ?Sized>(&mut self, $(_: $name,)* value: &T) -> Result<(), NotFinite> {
                value.serialize(Finder)
            })+

            fn end(self) -> Result<(), NotFinite> {
                Ok(())
            }
        }
    )*};
}

compound! {
    SerializeSeq::serialize_element();
    SerializeTuple::serialize_element();
    SerializeTupleStruct::serialize_field();
    SerializeTupleVariant::serialize_field();
    SerializeStruct::serialize_field(&'static str);
    SerializeStructVariant::serialize_field(&'static str);
    SerializeMap::serialize_key(), serialize_value();
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::check;

    #[test]
    fn a_float_that_is_not_finite_is_found_at_any_depth() {
        assert!(check(&1.5).is_ok());
        assert!(check(&f64::NAN).is_err());
        assert!(check(&f32::INFINITY).is_err());
        assert!(check(&Some(vec![(1, f64::NEG_INFINITY)])).is_err());
        let map: BTreeMap<&str, Vec<f64>> = [("a", vec![1.0]), ("b", vec![0.0, f64::NAN])].into();
        assert!(check(&map).is_err());
        assert!(check(&serde_json::json!({"a": [null, 1.5]})).is_ok());
    }
}
