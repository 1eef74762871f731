//! The grant contract: what a token allows, as a named JSON object
//! ([`Grant`]), how the builder keeps one ([`IntoGrant`]) and how one is
//! read back from a verified token ([`DecodeGrant`]).

use std::sync::Arc;

use crate::json::{GRANT_DEPTH, PayloadWriter};
use crate::reader::{ReadError, Reader};
use crate::{Error, Json, VerifyError, reader};

/// A grant: what a Twilio Access Token allows, stored in the token's
/// `grants` object under [`key`](Grant::key).
///
/// Derive it (`#[derive(twilio_token::Grant)]`); the built-in grants in
/// [`grants`](crate::grants) are derived too. A derived grant also gets
/// [`DecodeGrant`], so it can be read back from a verified token, and
/// [`IntoGrant`], so the builder takes it by value.
///
/// # Derive attributes
///
/// | attribute | where | effect |
/// | --- | --- | --- |
/// | `key = "video"` | struct, required | the key in `grants`; not empty, not `identity` |
/// | `validate = "path"` | struct | `path(&self) -> Result<(), E: Display>` runs after the field checks |
/// | `rename = "a.b"` | field | the JSON name; dots nest (`{"a":{"b":…}}`), fields sharing a prefix share the object |
/// | `skip_if = "path"` | field | left out when `path(&field)` is true; absent decodes as `Default` |
/// | `skip` | field | never sent; decodes as `Default` |
/// | `flatten` | field | the field is an object whose entries are merged at this level |
/// | `sid = "AP"` | field | the text must be a SID with that prefix (`AP` + 32 lower-case hex digits) |
/// | `non_empty` | field | the text must not be empty (use `None` to leave it out) |
///
/// Field types are written with `serde::Serialize` and read back with
/// `serde::Deserialize`. `Option` fields are left out when `None`; JSON key
/// order is field order; a nested object whose fields are all left out is
/// left out too. An enum or struct of your own derives serde's traits;
/// without serde among your dependencies, through the one this crate
/// re-exports, with `#[serde(crate = "twilio_token::serde")]` (an example
/// is in [Custom grants](crate#custom-grants)).
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
/// # Ok::<(), twilio_token::Error>(())
/// ```
///
/// A hand-written grant implements [`key`](Grant::key) and
/// [`write_payload`](Grant::write_payload), and [`validate`](Grant::validate)
/// when it has something to check. Signing calls `validate`, then writes the
/// payload; whatever the grant writes, the token is valid JSON or signing
/// fails with an error naming the grant. The builder takes it by reference
/// or boxed:
///
/// ```
/// use twilio_token::{AccessToken, Error, Grant, PayloadWriter};
///
/// struct Flag;
///
/// impl Grant for Flag {
///     fn key(&self) -> &str {
///         "flag"
///     }
///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
///         payload.value("on", &true)
///     }
/// }
///
/// let jwt = AccessToken::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .api_key("SKfedcba9876543210fedcba9876543210", "secret")
///     .identity("alice")
///     .grant(&Flag)
///     .sign()?;
/// # drop(jwt);
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

    /// Writes the entries of the grant's payload object.
    ///
    /// # Errors
    ///
    /// [`Error::GrantPayload`] when a key is written twice in one object
    /// or a value cannot be serialized.
    ///
    /// ```
    /// use twilio_token::{Grant, grants::VideoGrant};
    /// // `to_payload` runs `write_payload` into an object of its own.
    /// assert_eq!(VideoGrant::room("möte").to_payload()?.to_string(), r#"{"room":"möte"}"#);
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error>;

    /// Checks the grant; signing a token checks each of its grants first.
    /// The derive checks `sid` and `non_empty` fields in field order, then
    /// runs the `validate` function: the first failure is the error. The
    /// default accepts everything.
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

    /// The grant's payload as signing would write it, checked: for
    /// display and tests.
    ///
    /// # Errors
    ///
    /// What [`validate`](Grant::validate) or
    /// [`write_payload`](Grant::write_payload) returns.
    ///
    /// ```
    /// use twilio_token::{Grant, grants::VideoGrant};
    /// assert_eq!(VideoGrant::room("standup").to_payload()?, serde_json::json!({"room": "standup"}));
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    fn to_payload(&self) -> Result<Json, Error> {
        self.validate()?;
        let key = self.key();
        let mut out = Vec::new();
        PayloadWriter::write_object(&mut out, key, GRANT_DEPTH, |payload| {
            self.write_payload(payload)
        })?;
        let text = String::from_utf8_lossy(&out);
        reader::from_str(&text).map_err(|error| Error::GrantPayload {
            grant: key.to_owned(),
            field: None,
            reason: error.to_string(),
        })
    }
}

/// Grants behind a pointer are grants too.
macro_rules! forward_grant {
    ($([$($generics:tt)*] $ptr:ty),* $(,)?) => {$(
        impl<$($generics)*> Grant for $ptr {
            fn key(&self) -> &str {
                (**self).key()
            }
            fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
                (**self).write_payload(payload)
            }
            fn validate(&self) -> Result<(), Error> {
                (**self).validate()
            }
        }
    )*};
}

forward_grant!(
    ['g, G: Grant + ?Sized] &'g G,
    [G: Grant + ?Sized] Box<G>,
    [G: Grant + ?Sized] Arc<G>,
);

/// A grant as the builder keeps it: lent, or owned in a box.
///
/// ```
/// use twilio_token::{GrantSlot, grants::VideoGrant};
/// let video = VideoGrant::room("standup");
/// let lent = GrantSlot::lent(&video);
/// let owned = GrantSlot::boxed(VideoGrant::default());
/// # drop((lent, owned));
/// ```
pub struct GrantSlot<'a>(Slot<'a>);

/// The grant by its key, and whether it is lent or owned.
impl std::fmt::Debug for GrantSlot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self.0 {
            Slot::Lent(_) => "lent",
            Slot::Owned(_) => "owned",
        };
        f.debug_struct("GrantSlot")
            .field("key", &self.get().key())
            .field("kept", &how)
            .finish()
    }
}

enum Slot<'a> {
    Lent(&'a (dyn Grant + 'a)),
    Owned(Box<dyn Grant + 'a>),
}

impl<'a> GrantSlot<'a> {
    /// A grant the caller keeps: not copied, not boxed.
    ///
    /// ```
    /// let video = twilio_token::grants::VideoGrant::room("standup");
    /// let slot = twilio_token::GrantSlot::lent(&video);
    /// # drop(slot);
    /// ```
    pub fn lent(grant: &'a (dyn Grant + 'a)) -> Self {
        GrantSlot(Slot::Lent(grant))
    }

    /// A grant moved into a box.
    ///
    /// ```
    /// let slot = twilio_token::GrantSlot::boxed(twilio_token::grants::VideoGrant::default());
    /// # drop(slot);
    /// ```
    pub fn boxed(grant: impl Grant + 'a) -> Self {
        GrantSlot(Slot::Owned(Box::new(grant)))
    }

    pub(crate) fn get(&self) -> &(dyn Grant + 'a) {
        match &self.0 {
            Slot::Lent(grant) => *grant,
            Slot::Owned(grant) => &**grant,
        }
    }
}

/// What [`AccessTokenBuilder::grant`](crate::AccessTokenBuilder::grant)
/// takes: a derived grant by value (boxed), any grant by reference (kept
/// as it is), a boxed grant (kept as it is) or an `Arc`.
///
/// `#[derive(Grant)]` implements it; a hand-written grant is passed as
/// `&grant` or `Box::new(grant)`, or implements it with
/// [`GrantSlot::boxed`].
///
/// ```
/// use twilio_token::{Error, Grant, GrantSlot, IntoGrant, PayloadWriter};
///
/// struct Flag;
/// impl Grant for Flag {
///     fn key(&self) -> &str { "flag" }
///     fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
///         payload.value("on", &true)
///     }
/// }
/// impl<'a> IntoGrant<'a> for Flag {
///     fn into_slot(self) -> GrantSlot<'a> {
///         GrantSlot::boxed(self)
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be added to a token as it is",
    label = "pass `&grant` or `Box::new(grant)`",
    note = "`#[derive(Grant)]` grants are taken by value; a hand-written grant is lent (`&grant`), boxed, or implements `IntoGrant`"
)]
pub trait IntoGrant<'a> {
    /// The grant as the builder keeps it.
    ///
    /// ```
    /// use twilio_token::IntoGrant;
    /// let slot = twilio_token::grants::VideoGrant::room("standup").into_slot();
    /// # drop(slot);
    /// ```
    fn into_slot(self) -> GrantSlot<'a>;
}

impl<'a, G: Grant + 'a> IntoGrant<'a> for &'a G {
    fn into_slot(self) -> GrantSlot<'a> {
        GrantSlot(Slot::Lent(self))
    }
}

impl<'a, G: Grant + 'a> IntoGrant<'a> for Box<G> {
    fn into_slot(self) -> GrantSlot<'a> {
        GrantSlot(Slot::Owned(self))
    }
}

impl<'a, G: Grant + ?Sized + 'a> IntoGrant<'a> for Arc<G> {
    fn into_slot(self) -> GrantSlot<'a> {
        GrantSlot(Slot::Owned(Box::new(self)))
    }
}

/// `dyn Grant` behind a reference or a box, with or without `Send` and
/// `Sync` spelled out, is kept as it is.
macro_rules! dyn_into_grant {
    ($($dyn:ty),*) => {$(
        impl<'a> IntoGrant<'a> for &'a $dyn {
            fn into_slot(self) -> GrantSlot<'a> {
                GrantSlot(Slot::Lent(self))
            }
        }
        impl<'a> IntoGrant<'a> for Box<$dyn> {
            fn into_slot(self) -> GrantSlot<'a> {
                GrantSlot(Slot::Owned(self))
            }
        }
    )*};
}

dyn_into_grant!(
    dyn Grant + 'a,
    dyn Grant + Send + 'a,
    dyn Grant + Sync + 'a,
    dyn Grant + Send + Sync + 'a
);

/// A grant that can be read back from a verified token with
/// [`Claims::grant`](crate::Claims::grant): the inverse of
/// [`Grant::write_payload`].
///
/// Implemented by `#[derive(Grant)]` only (its one method is the derive's
/// decoder, not public API): it honours `rename`, nesting, `Option`,
/// `skip_if` (absent means `Default`), `skip` (always `Default`) and
/// `flatten`. Types are checked, not SID formats, so tokens minted
/// elsewhere still decode. The verifier runs the same decoder on every
/// built-in grant of a token.
///
/// ```
/// use twilio_token::{DecodeGrant, grants::VoiceGrant};
///
/// let voice = VoiceGrant::from_json(r#"{"incoming": {"allow": true}}"#)?;
/// assert!(voice.incoming_allow);
/// assert_eq!(VoiceGrant::KEY, "voice");
/// # Ok::<(), twilio_token::VerifyError>(())
/// ```
pub trait DecodeGrant<'de>: Grant + Sized {
    /// The key the grant is stored under.
    ///
    /// ```
    /// use twilio_token::{DecodeGrant, grants::VideoGrant};
    /// assert_eq!(VideoGrant::KEY, "video");
    /// ```
    const KEY: &'static str;

    /// The derive's decoder: reads and checks the grant's object, and
    /// builds the grant when `build` is true (the verifier's check of a
    /// built-in grant builds nothing, so allocates nothing for its text).
    /// Not public API.
    #[doc(hidden)]
    fn decode(reader: &mut Reader<'de>, build: bool) -> Result<Option<Self>, ReadError>;

    /// Reads the grant from its payload's JSON text.
    ///
    /// # Errors
    ///
    /// [`VerifyError::InvalidGrant`] (Twilio code 20106) when the text is
    /// not JSON, or a field is missing or of the wrong type.
    ///
    /// ```
    /// use twilio_token::{DecodeGrant, grants::VideoGrant};
    /// let err = VideoGrant::from_json(r#"{"room": 7}"#).unwrap_err();
    /// assert_eq!(err.twilio_code(), 20106);
    /// ```
    fn from_json(json: &'de str) -> Result<Self, VerifyError> {
        let mut reader = Reader::new(json);
        build(&mut reader)
            .and_then(|grant| reader.end().map(|()| grant))
            .map_err(|error| VerifyError::InvalidGrant {
                grant: Self::KEY.to_owned(),
                reason: error.to_string(),
            })
    }
}

/// Decodes and builds a `G` from the object at the reader.
pub(crate) fn build<'de, G: DecodeGrant<'de>>(reader: &mut Reader<'de>) -> Result<G, ReadError> {
    G::decode(reader, true)?.ok_or_else(|| ReadError::new("the grant's decoder built no grant"))
}
