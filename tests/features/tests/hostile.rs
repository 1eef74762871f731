//! twilio-token in a build with serde_json's `raw_value`,
//! `arbitrary_precision`, `preserve_order` and `float_roundtrip` on: the
//! conformance vectors still byte-identical, and a raw fragment refused.

// The workspace's conformance test, as it is, on these features.
extern crate self as twilio_token_tests;
#[path = "../../tests/library/conformance.rs"]
mod conformance;
#[allow(dead_code)]
#[path = "../../src/support.rs"]
pub mod support;

use serde_json::value::RawValue;
use twilio_token::grants::VoiceGrant;
use twilio_token::{
    AccessToken, Credentials, Error, Grant, Json, JsonObject, PayloadWriter, Verifier,
};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const KEY: &str = "SKfedcba9876543210fedcba9876543210";
const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";

fn sign(grant: impl twilio_token::IntoGrant<'static>) -> Result<String, Error> {
    AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity("alice")
        .grant(grant)
        .sign()
}

const REFUSED: &str = "a raw JSON fragment (serde_json's `RawValue`) cannot be written into a token: write the value itself, such as a `twilio_token::Json` parsed from the text";

#[derive(twilio_token::Grant)]
#[grant(key = "evil")]
struct DerivedEvil {
    x: Box<RawValue>,
}

struct HandWrittenEvil(Box<RawValue>);

impl Grant for HandWrittenEvil {
    fn key(&self) -> &str {
        "evil"
    }
    fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
        payload.value("x", &self.0)
    }
}

fn fragment() -> Box<RawValue> {
    // Valid JSON as a whole, so `RawValue` takes it; written as it is, it
    // would close the grant and add a claim.
    RawValue::from_string(r#""1}},\"admin\":{\"identity\":\"alice""#.to_owned()).unwrap()
}

#[test]
fn a_raw_fragment_is_refused_naming_the_grant() {
    let refused = Error::GrantPayload {
        grant: "evil".into(),
        field: Some("x".into()),
        reason: REFUSED.into(),
    };
    assert_eq!(sign(DerivedEvil { x: fragment() }).unwrap_err(), refused);
    assert_eq!(
        sign(Box::new(HandWrittenEvil(fragment()))).unwrap_err(),
        refused
    );
    // Even one that holds ordinary JSON: the writer writes values itself.
    let plain = RawValue::from_string("1".to_owned()).unwrap();
    assert_eq!(sign(DerivedEvil { x: plain }).unwrap_err(), refused);
}

#[test]
fn numbers_keep_twilio_pythons_form_under_arbitrary_precision() {
    // serde_json reads these as numbers given as text; `Json` reads them
    // as numbers, and the token has them as twilio-python writes them.
    let params: JsonObject =
        serde_json::from_str(r#"{"big": 1e16, "small": 0.00001, "n": 7}"#).unwrap();
    let parsed: JsonObject = r#"{"big": 1e16, "small": 0.00001, "n": 7}"#.parse().unwrap();
    assert_eq!(params, parsed);
    let value: Json = serde_json::json!({"big": 1e16, "n": 7}).into();
    assert_eq!(value["n"], 7u64);
    let token = sign(VoiceGrant {
        outgoing_application_params: Some(params),
        ..VoiceGrant::outgoing("AP0123456789abcdef0123456789abcdef")
    })
    .unwrap();
    let claims = Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap())
        .verify_at(&token, std::time::SystemTime::now())
        .unwrap();
    assert_eq!(
        Json::Object(claims.grants().unwrap().clone()).to_string(),
        r#"{"voice":{"outgoing":{"application_sid":"AP0123456789abcdef0123456789abcdef","params":{"big":1e+16,"small":1e-05,"n":7}}}}"#
    );
    // serde_json's own number, written through a grant, is read from its
    // text and written the same way.
    struct Numbers;
    impl Grant for Numbers {
        fn key(&self) -> &str {
            "numbers"
        }
        fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
            payload.value("v", &serde_json::json!([1e16, 0.00001, 7, -0.0]))
        }
    }
    assert_eq!(
        Numbers.to_payload().unwrap().to_string(),
        r#"{"v":[1e+16,1e-05,7,-0.0]}"#
    );
}

/// serde_json's private number struct, as a hostile `Serialize` can call
/// it: with no text, or with several.
struct NumberTexts(&'static [&'static str]);

impl serde::Serialize for NumberTexts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut number =
            serializer.serialize_struct("$serde_json::private::Number", self.0.len())?;
        for text in self.0 {
            number.serialize_field("$serde_json::private::Number", text)?;
        }
        number.end()
    }
}

struct Writes<T>(T);

impl<T: serde::Serialize + Send + Sync> Grant for Writes<T> {
    fn key(&self) -> &str {
        "flag"
    }
    fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
        payload.value("x", &self.0)
    }
}

#[test]
fn numbers_given_as_text_are_one_number_each_within_64_bits() {
    let refused = |reason: &str| Error::GrantPayload {
        grant: "flag".into(),
        field: Some("x".into()),
        reason: reason.into(),
    };
    assert_eq!(
        sign(Box::new(Writes(NumberTexts(&[])))).unwrap_err(),
        refused("expected a JSON value")
    );
    assert_eq!(
        sign(Box::new(Writes(NumberTexts(&["1", "-1"])))).unwrap_err(),
        refused("trailing characters after the JSON value")
    );
    let wide = "an integer beyond 64 bits: a token's numbers are read as 64-bit integers or floats; write it as text";
    let big: serde_json::Value = serde_json::from_str("18446744073709551616").unwrap();
    assert_eq!(sign(Box::new(Writes(big))).unwrap_err(), refused(wide));
    let fine: serde_json::Value =
        serde_json::from_str("[18446744073709551615, -9223372036854775808, 1.5e300]").unwrap();
    let token = sign(Box::new(Writes(fine))).unwrap();
    let claims = Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap())
        .verify_at(&token, std::time::SystemTime::now())
        .unwrap();
    assert_eq!(
        Json::Object(claims.grants().unwrap().clone()).to_string(),
        r#"{"flag":{"x":[18446744073709551615,-9223372036854775808,1.5e+300]}}"#
    );
}

/// With `arbitrary_precision` on, serde_json gives numbers as maps of its
/// number key: `Json` reads them as numbers, as serde_json's own `Value`.
#[test]
fn serde_json_numbers_are_numbers_in_json() {
    let json: Json = serde_json::from_str(r#"[1e16, 7, -0.0]"#).unwrap();
    assert_eq!(json.to_string(), "[1e+16,7,-0.0]");
}
