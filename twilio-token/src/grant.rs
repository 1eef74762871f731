//! The `Grant` trait: what a token allows, as a named JSON object.

use std::borrow::Cow;
use std::fmt::Display;
use std::sync::Arc;

use serde_json::Value;

use crate::json::PayloadWriter;
use crate::{Error, VerifyError, sid};

/// A grant: what a Twilio Access Token allows, stored in the token's
/// `grants` object under [`key`](Grant::key).
///
/// Derive it (`#[derive(twilio_token::Grant)]`) rather than implementing it
/// by hand; the built-in grants in [`grants`](crate::grants) are derived too.
///
/// # Derive attributes
///
/// | attribute | where | effect |
/// | --- | --- | --- |
/// | `key = "video"` | struct, required | the key in `grants`; not empty, not `identity` |
/// | `validate = "path"` | struct | `path(&self) -> Result<(), E: Display>` runs after the field checks |
/// | `rename = "a.b"` | field | the JSON name; dots nest (`{"a":{"b":…}}`), fields sharing a prefix share the object |
/// | `skip_if = "path"` | field | left out when `path(&field)` is true |
/// | `skip` | field | never sent |
/// | `flatten` | field | the field is an object whose entries are merged at this level |
/// | `sid = "AP"` | field | the text must be a SID with that prefix (`AP` + 32 lower-case hex digits) |
/// | `non_empty` | field | the text must not be empty (use `None` to leave it out) |
///
/// `Option` fields are left out when `None`; JSON key order is field order;
/// a nested object whose fields are all left out is left out too.
///
/// ```
/// use twilio_token::Grant;
///
/// fn is_false(value: &bool) -> bool {
///     !*value
/// }
///
/// #[derive(Grant)]
/// #[grant(key = "voice")]
/// struct MyVoice {
///     #[grant(rename = "incoming.allow", skip_if = "is_false")]
///     incoming: bool,
///     #[grant(rename = "outgoing.application_sid", sid = "AP")]
///     app: Option<String>,
///     #[grant(skip)]
///     note: String,
/// }
///
/// let grant = MyVoice {
///     incoming: true,
///     app: Some("AP0123456789abcdef0123456789abcdef".into()),
///     note: "not sent".into(),
/// };
/// assert_eq!(grant.key(), "voice");
/// assert_eq!(
///     grant.to_payload()?.to_string(),
///     r#"{"incoming":{"allow":true},"outgoing":{"application_sid":"AP0123456789abcdef0123456789abcdef"}}"#
/// );
/// grant.validate()?;
/// # Ok::<(), twilio_token::Error>(())
/// ```
///
/// A hand-written grant implements [`key`](Grant::key) and
/// [`to_payload`](Grant::to_payload):
///
/// ```
/// use serde_json::{json, Value};
/// use twilio_token::{Error, Grant};
///
/// struct Flag;
///
/// impl Grant for Flag {
///     fn key(&self) -> &str {
///         "flag"
///     }
///     fn to_payload(&self) -> Result<Value, Error> {
///         Ok(json!({ "on": true }))
///     }
/// }
///
/// let mut out = Vec::new();
/// Flag.write_payload(&mut twilio_token::PayloadWriter::new(&mut out))?;
/// assert_eq!(out, br#"{"on":true}"#);
/// # Ok::<(), Error>(())
/// ```
pub trait Grant: Send + Sync {
    /// The key this grant is stored under in the token's `grants` object.
    ///
    /// ```
    /// use twilio_token::{Grant, grants::VideoGrant};
    /// assert_eq!(VideoGrant::default().key(), "video");
    /// ```
    fn key(&self) -> &str;

    /// The grant's payload: a JSON object.
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when a field cannot be serialized.
    ///
    /// ```
    /// use twilio_token::{Grant, grants::VideoGrant};
    /// assert_eq!(VideoGrant::room("standup").to_payload()?, serde_json::json!({"room": "standup"}));
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    fn to_payload(&self) -> Result<Value, Error>;

    /// Writes the payload straight into the token being minted: the fast
    /// path. The default writes [`to_payload`](Grant::to_payload), which
    /// must be an object.
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when the payload cannot be serialized or is
    /// not an object.
    ///
    /// ```
    /// use twilio_token::{Grant, PayloadWriter, grants::VideoGrant};
    /// let mut out = Vec::new();
    /// VideoGrant::room("möte").write_payload(&mut PayloadWriter::new(&mut out))?;
    /// assert_eq!(out, br#"{"room":"m\u00f6te"}"#);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    fn write_payload(&self, writer: &mut PayloadWriter<'_>) -> Result<(), Error> {
        let payload = self.to_payload()?;
        if !payload.is_object() {
            return Err(Error::GrantPayload {
                grant: self.key().to_owned(),
                field: None,
                reason: format!("the payload is {}, not an object", kind(&payload)),
            });
        }
        writer
            .value(&payload)
            .map_err(|error| payload_error(self.key(), None, &error))
    }

    /// Checks the grant; signing a token checks each of its grants. The
    /// derive checks `sid` and `non_empty` fields, those with a `skip_if`
    /// first, then the others in the order they are written, then runs the
    /// `validate` function: the first failure is the error. The default
    /// accepts everything.
    ///
    /// # Errors
    ///
    /// A typed [`Error`] naming the grant key and field.
    ///
    /// ```
    /// use twilio_token::{Error, Grant, grants::VideoGrant};
    /// let err = VideoGrant::room("").validate().unwrap_err();
    /// assert!(matches!(err, Error::EmptyGrantField { .. }));
    /// ```
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Writes the grant's entry in the token's `grants` object, `"key":`
    /// and the payload, checked: what signing calls. The default is
    /// [`validate`](Grant::validate), then the key and
    /// [`write_payload`](Grant::write_payload); the derive checks each field
    /// as it writes it (a SID that passed its check needs no escape scan)
    /// and writes its key pre-quoted. Not public API.
    #[doc(hidden)]
    fn write_entry(&self, writer: &mut PayloadWriter<'_>) -> Result<(), Error> {
        self.validate()?;
        writer.key(self.key());
        self.write_payload(writer)
    }

    /// How the builder keeps the grant: a reference as it is, anything
    /// else in a box. Not public API.
    #[doc(hidden)]
    fn into_slot<'s>(self) -> private::Slot<'s>
    where
        Self: Sized + 's,
    {
        private::Slot::Owned(Box::new(self))
    }
}

/// A grant that can be read back from a verified token: the inverse of
/// [`Grant::to_payload`]. `#[derive(Grant)]` implements it, honouring
/// `rename`, nesting, `Option`, `skip_if` (absent means `Default`), `skip`
/// (always `Default`) and `flatten`. Types are checked, not SID formats, so
/// tokens minted elsewhere still decode.
///
/// ```
/// use twilio_token::{DecodeGrant, grants::VoiceGrant};
///
/// let payload = serde_json::json!({"incoming": {"allow": true}});
/// let voice = VoiceGrant::from_payload(payload.as_object().unwrap())?;
/// assert!(voice.incoming_allow);
/// assert_eq!(VoiceGrant::KEY, "voice");
/// # Ok::<(), twilio_token::VerifyError>(())
/// ```
pub trait DecodeGrant<'de>: Grant + Sized {
    /// The key the grant is stored under.
    const KEY: &'static str;

    /// Reads the grant from its payload object.
    ///
    /// # Errors
    ///
    /// [`VerifyError::InvalidGrant`](crate::VerifyError::InvalidGrant)
    /// (Twilio code 20106) when a field is missing or of the wrong type.
    ///
    /// ```
    /// use twilio_token::{DecodeGrant, grants::VideoGrant};
    /// let payload = serde_json::json!({"room": 7});
    /// let err = VideoGrant::from_payload(payload.as_object().unwrap()).unwrap_err();
    /// assert_eq!(err.twilio_code(), 20106);
    /// ```
    fn from_payload(payload: &'de serde_json::Map<String, Value>) -> Result<Self, VerifyError> {
        Self::from_source(payload)
    }

    /// Reads the grant from a parsed map or from the token's raw JSON;
    /// generated by the derive. Not public API.
    #[doc(hidden)]
    fn from_source<S: private::Source<'de>>(payload: S) -> Result<Self, VerifyError>;

    /// Checks that `payload`, a JSON object, would decode, without building
    /// the grant. Not public API.
    #[doc(hidden)]
    fn check_raw(payload: &'de str) -> Result<(), VerifyError> {
        let invalid = |reason: String| VerifyError::InvalidGrant {
            grant: Self::KEY.to_owned(),
            reason,
        };
        let object = private::RawObject::new(payload)
            .ok_or_else(|| invalid("the grant is not an object".into()))?;
        let fields = private::Fields::read(object).map_err(|error| invalid(error.to_string()))?;
        Self::from_source(&fields).map(drop)
    }

    /// [`check_raw`](DecodeGrant::check_raw) as part of a larger parse;
    /// the derive generates a one-pass check for both. Not public API.
    #[doc(hidden)]
    fn check_in<D: serde::Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        let raw =
            <&'de serde_json::value::RawValue as private::Deserialize>::deserialize(deserializer)?;
        Self::check_raw(raw.get()).map_err(serde::de::Error::custom)
    }

    /// [`check_in`](DecodeGrant::check_in) on the verifier's fast reader:
    /// the derive generates a direct check that matches keys itself rather
    /// than through serde's field visitors. Not public API.
    #[doc(hidden)]
    fn check_fast(reader: &mut private::Reader<'de>) -> Result<(), private::GiveUp> {
        Self::check_in(reader)
    }
}

/// Grants behind a pointer are grants too. A reference is lent to the
/// builder as it is and a box moved in as it is: neither is boxed again.
/// `dyn Grant` needs impls of its own (`&G` and `Box<G>` are for sized `G`,
/// which can be made a `dyn Grant`), with or without `Send` and `Sync`.
macro_rules! forward_grant {
    ($([$($generics:tt)*] $ptr:ty $(=> $slot:path)?),* $(,)?) => {$(
        impl<$($generics)*> Grant for $ptr {
            fn key(&self) -> &str {
                (**self).key()
            }
            fn to_payload(&self) -> Result<Value, Error> {
                (**self).to_payload()
            }
            fn write_payload(&self, writer: &mut PayloadWriter<'_>) -> Result<(), Error> {
                (**self).write_payload(writer)
            }
            fn validate(&self) -> Result<(), Error> {
                (**self).validate()
            }
            fn write_entry(&self, writer: &mut PayloadWriter<'_>) -> Result<(), Error> {
                (**self).write_entry(writer)
            }
            $(
                fn into_slot<'s>(self) -> private::Slot<'s>
                where
                    Self: 's,
                {
                    $slot(self)
                }
            )?
        }
    )*};
}

forward_grant!(
    ['g, G: Grant] &'g G => private::Slot::Lent,
    ['g, 'x] &'g (dyn Grant + 'x) => private::Slot::Lent,
    ['g, 'x] &'g (dyn Grant + Send + 'x) => private::Slot::Lent,
    ['g, 'x] &'g (dyn Grant + Sync + 'x) => private::Slot::Lent,
    ['g, 'x] &'g (dyn Grant + Send + Sync + 'x) => private::Slot::Lent,
    [G: Grant] Box<G> => private::Slot::Owned,
    ['x] Box<dyn Grant + 'x> => private::Slot::Owned,
    ['x] Box<dyn Grant + Send + 'x> => private::Slot::Owned,
    ['x] Box<dyn Grant + Sync + 'x> => private::Slot::Owned,
    ['x] Box<dyn Grant + Send + Sync + 'x> => private::Slot::Owned,
    [G: Grant + ?Sized] Arc<G>,
);

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn payload_error(grant: &str, field: Option<&str>, error: &dyn Display) -> Error {
    Error::GrantPayload {
        grant: grant.to_owned(),
        field: field.map(str::to_owned),
        reason: error.to_string(),
    }
}

/// The runtime the derive's generated code calls; not public API.
#[doc(hidden)]
pub mod private {
    use super::*;

    pub use serde::de::DeserializeOwned;
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::{Map, Value};

    pub use crate::raw::{AnyObject, AnyValue, Fields, Key, Object, RawObject};
    pub use crate::reader::{GiveUp, Reader};
    pub use serde;

    /// A grant added to the builder: lent, or owned.
    pub enum Slot<'a> {
        /// A reference to a grant the caller keeps.
        Lent(&'a (dyn Grant + 'a)),
        /// A grant moved into the builder.
        Owned(Box<dyn Grant + 'a>),
    }

    impl<'a> std::ops::Deref for Slot<'a> {
        type Target = dyn Grant + 'a;

        fn deref(&self) -> &Self::Target {
            match self {
                Slot::Lent(grant) => *grant,
                Slot::Owned(grant) => &**grant,
            }
        }
    }

    fn invalid(grant: &str, reason: String) -> VerifyError {
        VerifyError::InvalidGrant {
            grant: grant.to_owned(),
            reason,
        }
    }

    /// A value found in a grant payload: in a parsed tree, or raw JSON text.
    pub enum Found<'de> {
        /// A value of a `serde_json::Map`.
        Value(&'de Value),
        /// Raw JSON text, borrowed from the token.
        Raw(&'de str),
    }

    impl<'de> Found<'de> {
        fn deserialize<T: Deserialize<'de>>(self) -> Result<T, serde_json::Error> {
            match self {
                Found::Value(value) => T::deserialize(value),
                Found::Raw(text) => serde_json::from_str(text),
            }
        }
    }

    /// Where a grant is decoded from: a parsed `serde_json::Map` (the public
    /// `from_payload`) or the entries of the raw JSON object in the token
    /// (the verifier, which so allocates nothing but the decoded fields).
    pub trait Source<'de>: Copy {
        /// The value at `path` (nested keys), if present; an error when a
        /// prefix of the path is not an object.
        fn lookup(self, path: &[&str], grant: &str) -> Result<Option<Found<'de>>, VerifyError>;

        /// The entries whose keys are not in `used`, as one object.
        fn rest(self, used: &[&str]) -> Result<Map<String, Value>, serde_json::Error>;
    }

    fn not_an_object(grant: &str, path: &[&str], depth: usize) -> VerifyError {
        invalid(
            grant,
            format!("`{}` is not an object", path[..=depth].join(".")),
        )
    }

    impl<'de> Source<'de> for &'de Map<String, Value> {
        fn lookup(self, path: &[&str], grant: &str) -> Result<Option<Found<'de>>, VerifyError> {
            let mut object = self;
            for (depth, key) in path.iter().enumerate() {
                match object.get(*key) {
                    None => return Ok(None),
                    Some(found) if depth + 1 == path.len() => {
                        return Ok(Some(Found::Value(found)));
                    }
                    Some(Value::Object(inner)) => object = inner,
                    Some(_) => return Err(not_an_object(grant, path, depth)),
                }
            }
            Ok(None)
        }

        fn rest(self, used: &[&str]) -> Result<Map<String, Value>, serde_json::Error> {
            Ok(self
                .iter()
                .filter(|(key, _)| !used.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect())
        }
    }

    impl<'de> Source<'de> for &Fields<'de> {
        fn lookup(self, path: &[&str], grant: &str) -> Result<Option<Found<'de>>, VerifyError> {
            let Some((first, rest)) = path.split_first() else {
                return Ok(None);
            };
            let mut found = self.get(first);
            for (depth, key) in rest.iter().enumerate() {
                let Some(outer) = found else {
                    return Ok(None);
                };
                let object =
                    RawObject::new(outer).ok_or_else(|| not_an_object(grant, path, depth))?;
                found = object
                    .get(key)
                    .map_err(|error| invalid(grant, without_position(&error)))?;
            }
            Ok(found.map(Found::Raw))
        }

        fn rest(self, used: &[&str]) -> Result<Map<String, Value>, serde_json::Error> {
            let mut rest: Map<String, Value> = serde_json::from_str(self.object().as_str())?;
            rest.retain(|key, _| !used.contains(&key.as_str()));
            Ok(rest)
        }
    }

    /// serde_json's message without ` at line 1 column 7`: the position in
    /// a grant's text means nothing to the reader.
    pub(crate) fn without_position(error: &serde_json::Error) -> String {
        let message = error.to_string();
        match message.rsplit_once(" at line ") {
            Some((message, _)) => message.to_owned(),
            None => message,
        }
    }

    fn deserialize<'de, T: Deserialize<'de>>(
        found: Found<'de>,
        path: &[&str],
        grant: &str,
        field: &str,
    ) -> Result<T, VerifyError> {
        found.deserialize().map_err(|error| {
            invalid(
                grant,
                format!(
                    "`{}` (field `{field}`): {}",
                    path.join("."),
                    without_position(&error)
                ),
            )
        })
    }

    /// The derive's `check_raw`: its `check_in` over `payload` alone.
    pub fn check_shape<'de, G: DecodeGrant<'de>>(payload: &'de str) -> Result<(), VerifyError> {
        let mut deserializer = serde_json::Deserializer::from_str(payload);
        G::check_in(&mut deserializer)
            .and_then(|()| deserializer.end())
            .map_err(|error| invalid(G::KEY, without_position(&error)))
    }

    static NULL: Value = Value::Null;

    /// Reads the field at `path`; an absent `Option` field reads as `null`,
    /// any other absent field is an error.
    pub fn decode_field<'de, S: Source<'de>, T: Deserialize<'de>>(
        payload: S,
        path: &[&str],
        optional: bool,
        grant: &str,
        field: &str,
    ) -> Result<T, VerifyError> {
        match payload.lookup(path, grant)? {
            Some(found) => deserialize(found, path, grant, field),
            None if optional => deserialize(Found::Value(&NULL), path, grant, field),
            None => Err(invalid(
                grant,
                format!("`{}` (field `{field}`) is missing", path.join(".")),
            )),
        }
    }

    /// Reads a `skip_if` field at `path`: absent means `Default`.
    pub fn decode_field_or_default<'de, S: Source<'de>, T: Deserialize<'de> + Default>(
        payload: S,
        path: &[&str],
        grant: &str,
        field: &str,
    ) -> Result<T, VerifyError> {
        match payload.lookup(path, grant)? {
            Some(found) => deserialize(found, path, grant, field),
            None => Ok(T::default()),
        }
    }

    /// Reads a flattened field from the entries other fields do not use.
    pub fn decode_flatten<'de, S: Source<'de>, T: DeserializeOwned>(
        payload: S,
        used: &[&str],
        grant: &str,
        field: &str,
    ) -> Result<T, VerifyError> {
        payload
            .rest(used)
            .and_then(|rest| T::deserialize(Value::Object(rest)))
            .map_err(|error| {
                invalid(
                    grant,
                    format!("field `{field}`: {}", without_position(&error)),
                )
            })
    }

    /// A field the derive can check with `sid` or `non_empty`: some text,
    /// or none.
    #[diagnostic::on_unimplemented(
        message = "`sid` and `non_empty` check text, but `{Self}` is not text",
        label = "not `String`, `&str`, `Cow<str>` or an `Option` of one",
        note = "put `sid` and `non_empty` on text fields only"
    )]
    pub trait TextField {
        fn text(&self) -> Option<&str>;
    }

    impl TextField for str {
        fn text(&self) -> Option<&str> {
            Some(self)
        }
    }
    impl TextField for String {
        fn text(&self) -> Option<&str> {
            Some(self)
        }
    }
    impl TextField for Cow<'_, str> {
        fn text(&self) -> Option<&str> {
            Some(self)
        }
    }
    impl TextField for Box<str> {
        fn text(&self) -> Option<&str> {
            Some(self)
        }
    }
    impl TextField for Arc<str> {
        fn text(&self) -> Option<&str> {
            Some(self)
        }
    }
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

    // The checks run on every token: inlined into the derive's `validate`
    // and `write_entry`, with the errors built out of line.
    #[inline]
    pub fn check_sid<T: TextField + ?Sized>(
        grant: &str,
        field: &str,
        prefix: &str,
        value: &T,
    ) -> Result<(), Error> {
        match value.text() {
            Some(text) if !sid::is_sid(text, prefix) => Err(not_sid(grant, field, prefix, text)),
            _ => Ok(()),
        }
    }

    #[inline]
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
    fn not_sid(grant: &str, field: &str, prefix: &str, text: &str) -> Error {
        if text.is_empty() {
            return empty(grant, field);
        }
        Error::InvalidGrantSid {
            grant: grant.to_owned(),
            field: field.to_owned(),
            prefix: prefix.to_owned(),
        }
    }

    #[cold]
    fn empty(grant: &str, field: &str) -> Error {
        Error::EmptyGrantField {
            grant: grant.to_owned(),
            field: field.to_owned(),
        }
    }

    pub fn check_grant<E: Display>(grant: &str, result: Result<(), E>) -> Result<(), Error> {
        result.map_err(|reason| Error::InvalidGrant {
            grant: grant.to_owned(),
            reason: reason.to_string(),
        })
    }

    pub fn payload_error(grant: &str, field: &str, error: serde_json::Error) -> Error {
        super::payload_error(grant, Some(field), &error)
    }

    /// `to_payload` for derived grants: the fast writer's output, parsed.
    pub fn to_payload<G: Grant + ?Sized>(grant: &G) -> Result<Value, Error> {
        let mut out = Vec::new();
        grant.write_payload(&mut PayloadWriter::new(&mut out))?;
        serde_json::from_slice(&out)
            .map_err(|error| super::payload_error(grant.key(), None, &error))
    }
}
