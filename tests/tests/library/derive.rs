//! `#[derive(Grant)]`: one test per attribute and per combination that
//! matters. Payloads are compared as the exact JSON text written into tokens.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Value, json};
use twilio_token::{AccessToken, Error, Grant, JsonObject, PayloadWriter, SidKind};
use twilio_token_tests::support::{ACCOUNT, KEY, SECRET};

/// The grant's payload exactly as signing writes it into a token, or the
/// error signing gives.
fn signed<G: Grant + ?Sized>(grant: &G) -> Result<String, Error> {
    let token = AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity("alice")
        .grant(&grant)
        .sign()?;
    let payload = token.split('.').nth(1).expect("three segments");
    let payload =
        String::from_utf8(URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("UTF-8");
    let start = format!("\"grants\":{{\"{}\":", grant.key());
    let from = payload.find(&start).expect("the grant is in the token") + start.len();
    let to = payload
        .find(",\"identity\":\"alice\"}")
        .expect("the identity follows");
    Ok(payload[from..to].to_owned())
}

/// The grant's payload exactly as it is written into a token.
fn written<G: Grant + ?Sized>(grant: &G) -> String {
    signed(grant).expect("the payload serializes")
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Grant)]
#[grant(key = "plain")]
struct Plain {
    name: String,
    count: u32,
}

#[test]
fn fields_are_written_in_field_order_under_their_names() {
    let grant = Plain {
        name: "a".into(),
        count: 2,
    };
    assert_eq!(grant.key(), "plain");
    assert_eq!(written(&grant), r#"{"name":"a","count":2}"#);
    assert_eq!(
        grant.to_payload().unwrap(),
        json!({"name": "a", "count": 2})
    );
}

#[derive(Grant)]
#[grant(key = "renamed")]
struct Renamed {
    #[grant(rename = "serviceSid")]
    service_sid: String,
    r#type: String,
}

#[test]
fn rename_sets_the_json_name_and_raw_identifiers_lose_their_prefix() {
    let grant = Renamed {
        service_sid: "x".into(),
        r#type: "t".into(),
    };
    assert_eq!(written(&grant), r#"{"serviceSid":"x","type":"t"}"#);
}

#[derive(Grant, Default)]
#[grant(key = "nested")]
struct Nested {
    #[grant(rename = "outgoing.application_sid")]
    app: Option<String>,
    first: Option<u8>,
    #[grant(rename = "outgoing.params.deep")]
    deep: Option<bool>,
    #[grant(rename = "outgoing.params.deeper")]
    deeper: Option<bool>,
}

#[derive(Grant)]
#[grant(key = "odd")]
struct OddNames {
    #[grant(rename = "say \"hi\"")]
    quoted: u8,
    #[grant(rename = "caf\u{e9}")]
    accented: u8,
    #[grant(rename = "back\\slash.tab\t")]
    nested: u8,
}

#[test]
fn names_that_need_escapes_are_escaped_as_python_does() {
    let grant = OddNames {
        quoted: 1,
        accented: 2,
        nested: 3,
    };
    assert_eq!(
        written(&grant),
        r#"{"say \"hi\"":1,"caf\u00e9":2,"back\\slash":{"tab\t":3}}"#
    );
}

#[derive(Grant)]
#[grant(key = "caf\u{e9} \"bar\"")]
struct OddKey {
    on: bool,
}

#[test]
fn grant_keys_are_written_into_the_token_escaped_as_python_does() {
    use base64::Engine;
    let jwt = twilio_token::AccessToken::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .api_key("SKfedcba9876543210fedcba9876543210", "secret")
        .identity("alice")
        .grant(OddKey { on: true })
        .grant(Plain {
            name: "a".into(),
            count: 2,
        })
        .issued_at(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))
        .sign()
        .unwrap();
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(jwt.split('.').nth(1).unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(payload).unwrap(),
        concat!(
            r#"{"jti":"SKfedcba9876543210fedcba9876543210-1700000000","#,
            r#""grants":{"caf\u00e9 \"bar\"":{"on":true},"plain":{"name":"a","count":2},"identity":"alice"},"#,
            r#""iss":"SKfedcba9876543210fedcba9876543210","exp":1700003600,"nbf":1700000000,"#,
            r#""sub":"AC0123456789abcdef0123456789abcdef"}"#
        )
    );
}

#[test]
fn dotted_names_share_one_nested_object_standing_where_its_first_field_stands() {
    let grant = Nested {
        app: Some("AP".into()),
        first: Some(1),
        deep: Some(true),
        deeper: Some(false),
    };
    assert_eq!(
        written(&grant),
        r#"{"outgoing":{"application_sid":"AP","params":{"deep":true,"deeper":false}},"first":1}"#
    );
}

#[test]
fn a_nested_object_whose_fields_are_all_left_out_is_left_out() {
    assert_eq!(written(&Nested::default()), "{}");
    let only_deep = Nested {
        deeper: Some(true),
        ..Nested::default()
    };
    assert_eq!(
        written(&only_deep),
        r#"{"outgoing":{"params":{"deeper":true}}}"#
    );
}

#[derive(Grant)]
#[grant(key = "optional")]
struct Optional {
    a: Option<String>,
    b: Option<Option<u8>>,
}

#[test]
fn option_fields_are_left_out_when_none() {
    let grant = Optional { a: None, b: None };
    assert_eq!(written(&grant), "{}");
    let grant = Optional {
        a: Some("x".into()),
        b: Some(None),
    };
    assert_eq!(written(&grant), r#"{"a":"x","b":null}"#);
}

#[derive(Grant)]
#[grant(key = "skip_if")]
struct SkipIf {
    #[grant(rename = "incoming.allow", skip_if = "is_false")]
    allow: bool,
    #[grant(skip_if = "Vec::is_empty")]
    list: Vec<u8>,
}

#[test]
fn skip_if_leaves_a_field_out_when_the_function_says_so() {
    let grant = SkipIf {
        allow: false,
        list: vec![],
    };
    assert_eq!(written(&grant), "{}");
    let grant = SkipIf {
        allow: true,
        list: vec![1],
    };
    assert_eq!(written(&grant), r#"{"incoming":{"allow":true},"list":[1]}"#);
}

struct NotSerializable;

#[derive(Grant)]
#[grant(key = "skip")]
struct Skip {
    kept: u8,
    #[grant(skip)]
    #[allow(dead_code)]
    never: NotSerializable,
}

#[test]
fn skip_never_sends_the_field_which_need_not_be_serializable() {
    let grant = Skip {
        kept: 1,
        never: NotSerializable,
    };
    assert_eq!(written(&grant), r#"{"kept":1}"#);
}

#[derive(Grant)]
#[grant(key = "flat")]
struct Flat {
    before: u8,
    #[grant(flatten)]
    rest: JsonObject,
    after: u8,
}

#[test]
fn flatten_merges_an_object_at_its_place_keeping_its_order() {
    let mut rest = JsonObject::new();
    rest.insert("z", 1);
    rest.insert("a", json!({"k": [1.5, 1e16]}));
    let grant = Flat {
        before: 0,
        rest,
        after: 2,
    };
    assert_eq!(
        written(&grant),
        r#"{"before":0,"z":1,"a":{"k":[1.5,1e+16]},"after":2}"#
    );
    let empty = Flat {
        before: 0,
        rest: JsonObject::new(),
        after: 2,
    };
    assert_eq!(written(&empty), r#"{"before":0,"after":2}"#);
}

#[derive(Serialize)]
struct Inner {
    x: u8,
}

#[derive(Grant)]
#[grant(key = "flat_struct")]
struct FlatFirst {
    #[grant(flatten)]
    inner: Inner,
    y: u8,
}

#[test]
fn flatten_accepts_a_struct_and_works_as_the_first_entry() {
    let grant = FlatFirst {
        inner: Inner { x: 1 },
        y: 2,
    };
    assert_eq!(written(&grant), r#"{"x":1,"y":2}"#);
}

#[derive(Grant)]
#[grant(key = "flat_value")]
struct FlatValue {
    #[grant(flatten)]
    value: Value,
}

#[test]
fn a_flatten_field_that_is_not_an_object_is_an_error_not_a_dropped_field() {
    let grant = FlatValue { value: json!([1]) };
    let err = grant.to_payload().unwrap_err();
    assert_eq!(
        err,
        Error::GrantPayload {
            grant: "flat_value".into(),
            field: Some("value".into()),
            reason: "a flattened field must serialize as a JSON object".into(),
        }
    );
}

#[derive(Grant)]
#[grant(key = "odd_map")]
struct OddMap {
    map: BTreeMap<Vec<u8>, u8>,
}

#[test]
fn a_map_with_non_string_keys_is_an_error() {
    let grant = OddMap {
        map: BTreeMap::from([(vec![1], 1)]),
    };
    let err = grant.to_payload().unwrap_err();
    assert_eq!(
        err,
        Error::GrantPayload {
            grant: "odd_map".into(),
            field: Some("map".into()),
            reason: "key must be a string".into(),
        }
    );
}

#[derive(Grant)]
#[grant(key = "sids")]
struct Sids {
    #[grant(sid = "AP")]
    app: Option<String>,
    #[grant(sid = "WS")]
    workspace: String,
    #[grant(non_empty)]
    name: &'static str,
}

#[test]
fn sid_fields_must_be_the_prefix_and_32_lower_case_hex_digits() {
    let ok = Sids {
        app: None,
        workspace: "WS0123456789abcdef0123456789abcdef".into(),
        name: "n",
    };
    assert_eq!(ok.validate(), Ok(()));
    let bad = Sids {
        app: Some("AP0123456789ABCDEF0123456789abcdef".into()),
        ..ok
    };
    assert_eq!(
        bad.validate(),
        Err(Error::InvalidSid {
            kind: SidKind::GrantField {
                grant: "sids".into(),
                field: "app".into(),
                prefix: "AP".into()
            },
            len: 34
        })
    );
    assert_eq!(
        bad.validate().unwrap_err().to_string(),
        "grant `sids` field `app` is not a valid SID: it must be `AP` followed by 32 lower-case hex digits"
    );
}

#[test]
fn empty_sid_and_non_empty_fields_say_to_use_none() {
    let empty_sid = Sids {
        app: Some(String::new()),
        workspace: "WS0123456789abcdef0123456789abcdef".into(),
        name: "n",
    };
    let err = empty_sid.validate().unwrap_err();
    assert_eq!(
        err,
        Error::EmptyGrantField {
            grant: "sids".into(),
            field: "app".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "grant `sids` field `app` is an empty string: use `None` to leave the field out"
    );
    let empty_name = Sids {
        app: None,
        workspace: "WS0123456789abcdef0123456789abcdef".into(),
        name: "",
    };
    assert_eq!(
        empty_name.validate(),
        Err(Error::EmptyGrantField {
            grant: "sids".into(),
            field: "name".into()
        })
    );
}

fn not_lobby(grant: &Checked) -> Result<(), String> {
    if grant.room == "lobby" {
        Err("the lobby is not a room".into())
    } else {
        Ok(())
    }
}

#[derive(Grant)]
#[grant(key = "checked", validate = "not_lobby")]
struct Checked {
    room: String,
}

#[test]
fn validate_runs_the_container_function_and_names_the_grant() {
    assert_eq!(Checked { room: "a".into() }.validate(), Ok(()));
    let err = Checked {
        room: "lobby".into(),
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidGrant {
            grant: "checked".into(),
            reason: "the lobby is not a room".into()
        }
    );
    assert_eq!(err.to_string(), "grant `checked`: the lobby is not a room");
}

fn no_lobby(grant: &Ordered) -> Result<(), String> {
    match grant.room.as_deref() {
        Some("lobby") => Err("the lobby is not a room".into()),
        _ => Ok(()),
    }
}

/// Field order and written order differ: `a.x`, `room` and `a.y` are
/// written `{"a":{"x":…,"y":…},"room":…}`; `w` is left out by `skip_if`.
#[derive(Grant, Clone, Default)]
#[grant(key = "ordered", validate = "no_lobby")]
struct Ordered {
    #[grant(rename = "a.x", sid = "AP")]
    x: Option<String>,
    #[grant(non_empty)]
    room: Option<String>,
    #[grant(rename = "a.y", sid = "CR")]
    y: Option<String>,
    #[grant(sid = "WS", skip_if = "Option::is_none")]
    w: Option<String>,
}

/// The error `sign()` gives for a token with `grant`.
fn signing_error(grant: &Ordered) -> Option<Error> {
    twilio_token::AccessToken::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .api_key("SKfedcba9876543210fedcba9876543210", "secret")
        .identity("alice")
        .grant(grant)
        .sign()
        .err()
}

#[test]
fn fields_are_checked_in_field_order_by_validate_and_by_signing_alike() {
    let bad_sid = |field: &str, prefix: &str| Error::InvalidSid {
        kind: SidKind::GrantField {
            grant: "ordered".into(),
            field: field.into(),
            prefix: prefix.into(),
        },
        len: 3,
    };
    let all_bad = Ordered {
        x: Some("AP1".into()),
        room: Some("lobby".into()),
        y: Some("CR1".into()),
        w: Some("WS1".into()),
    };
    let cases = [
        // Field order, whatever the written order: `x` first.
        (all_bad.clone(), Some(bad_sid("x", "AP"))),
        (
            Ordered {
                x: None,
                ..all_bad.clone()
            },
            Some(bad_sid("y", "CR")),
        ),
        // `room` comes before `y` in the struct, though `a.y` is written
        // before `room`.
        (
            Ordered {
                room: Some(String::new()),
                ..Ordered::default()
            }
            .with_y("CR1"),
            Some(Error::EmptyGrantField {
                grant: "ordered".into(),
                field: "room".into(),
            }),
        ),
        // `w`, left out by `skip_if` when `None`, is checked in its turn.
        (
            Ordered {
                w: Some("WS1".into()),
                ..Ordered::default()
            },
            Some(bad_sid("w", "WS")),
        ),
        // The `validate` function runs after every field check.
        (
            Ordered {
                room: Some("lobby".into()),
                ..Ordered::default()
            },
            Some(Error::InvalidGrant {
                grant: "ordered".into(),
                reason: "the lobby is not a room".into(),
            }),
        ),
        (
            Ordered::default().with_y("CR0123456789abcdef0123456789abcdef"),
            None,
        ),
    ];
    for (grant, expected) in cases {
        assert_eq!(grant.validate().err(), expected);
        assert_eq!(signing_error(&grant), expected);
    }
    assert_eq!(
        written(&Ordered::default().with_y("CR0123456789abcdef0123456789abcdef")),
        r#"{"a":{"y":"CR0123456789abcdef0123456789abcdef"}}"#
    );
}

impl Ordered {
    fn with_y(self, y: &str) -> Self {
        Ordered {
            y: Some(y.into()),
            ..self
        }
    }
}

#[derive(Grant)]
#[grant(key = "generic")]
struct Generic<T> {
    value: T,
    list: Option<Vec<T>>,
}

#[test]
fn generic_structs_work() {
    let grant = Generic {
        value: 1.5f64,
        list: Some(vec![0.1, 1e-5]),
    };
    assert_eq!(written(&grant), r#"{"value":1.5,"list":[0.1,1e-05]}"#);
    let grant = Generic {
        value: "é",
        list: None,
    };
    assert_eq!(written(&grant), r#"{"value":"\u00e9"}"#);
}

#[derive(Grant)]
#[grant(key = "borrowed")]
struct Borrowed<'a> {
    #[grant(non_empty)]
    room: &'a str,
    #[grant(sid = "IS")]
    service: Option<Cow<'a, str>>,
}

#[test]
fn structs_with_lifetimes_work() {
    let room = String::from("standup");
    let grant = Borrowed {
        room: &room,
        service: Some(Cow::Borrowed("IS0123456789abcdef0123456789abcdef")),
    };
    assert_eq!(grant.validate(), Ok(()));
    assert_eq!(
        written(&grant),
        r#"{"room":"standup","service":"IS0123456789abcdef0123456789abcdef"}"#
    );
}

#[test]
fn grants_are_object_safe_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + ?Sized>() {}
    assert_send_sync::<dyn Grant>();
    let grants: Vec<Box<dyn Grant>> = vec![
        Box::new(Plain {
            name: "a".into(),
            count: 1,
        }),
        Box::new(Checked { room: "r".into() }),
    ];
    let keys: Vec<&str> = grants.iter().map(|grant| grant.key()).collect();
    assert_eq!(keys, ["plain", "checked"]);
    assert_eq!(written(&grants[1]), r#"{"room":"r"}"#);
}

/// A hand-written grant: what it writes, whatever that is, becomes valid
/// JSON in its own object or an error naming it.
struct HandWritten(fn(&mut PayloadWriter<'_>) -> Result<(), Error>);

impl Grant for HandWritten {
    fn key(&self) -> &str {
        "hand"
    }
    fn write_payload(&self, payload: &mut PayloadWriter<'_>) -> Result<(), Error> {
        (self.0)(payload)
    }
}

fn payload_error(reason: &str, field: Option<&str>) -> Error {
    Error::GrantPayload {
        grant: "hand".into(),
        field: field.map(str::to_owned),
        reason: reason.into(),
    }
}

#[test]
fn a_hand_written_grant_is_written_in_an_object_of_its_own() {
    let grant = HandWritten(|payload| {
        payload.value("b", &1)?;
        payload.text("a", "ü")?;
        payload.object("nested", |nested| nested.value("on", &true))
    });
    assert_eq!(
        written(&grant),
        r#"{"b":1,"a":"\u00fc","nested":{"on":true}}"#
    );
    // Nothing written: an empty object, never no object.
    assert_eq!(written(&HandWritten(|_| Ok(()))), "{}");
    // An object left empty is left out, key and all.
    let grant = HandWritten(|payload| {
        payload.object("empty", |_| Ok(()))?;
        payload.value("n", &1)
    });
    assert_eq!(written(&grant), r#"{"n":1}"#);
}

#[test]
fn a_key_written_twice_in_one_object_is_an_error_naming_the_grant() {
    let twice = HandWritten(|payload| {
        payload.value("a", &1)?;
        payload.text("a", "again")
    });
    assert_eq!(
        signed(&twice),
        Err(payload_error(r#"the key "a" is written twice"#, None))
    );
    let nested = HandWritten(|payload| {
        payload.object("o", |o| {
            o.value("x", &1)?;
            o.value("x", &2)
        })
    });
    assert_eq!(
        signed(&nested),
        Err(payload_error(r#"the key "x" is written twice"#, None))
    );
    // The same key in two objects is fine, and so is the same key again
    // after an empty object was left out.
    let apart = HandWritten(|payload| {
        payload.object("o", |o| o.value("x", &1))?;
        payload.object("p", |_| Ok(()))?;
        payload.object("p", |p| p.value("x", &2))
    });
    assert_eq!(written(&apart), r#"{"o":{"x":1},"p":{"x":2}}"#);
    // Flattened entries count too.
    let flattened = HandWritten(|payload| {
        payload.value("a", &1)?;
        payload.flatten(&json!({"b": 2, "a": 3}))
    });
    assert_eq!(
        signed(&flattened),
        Err(payload_error(r#"the key "a" is written twice"#, None))
    );
}

#[test]
fn a_value_that_is_not_json_or_a_flattened_non_object_is_an_error() {
    let not_json = HandWritten(|payload| {
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), 3);
        payload.value("map", &map)
    });
    assert_eq!(
        signed(&not_json),
        Err(payload_error("key must be a string", Some("map")))
    );
    let scalar = HandWritten(|payload| payload.flatten(&3));
    assert_eq!(
        signed(&scalar),
        Err(payload_error(
            "a flattened field must serialize as a JSON object",
            None
        ))
    );
}

#[test]
fn a_grant_key_that_is_empty_or_identity_is_refused() {
    struct Keyed(&'static str);
    impl Grant for Keyed {
        fn key(&self) -> &str {
            self.0
        }
        fn write_payload(&self, _: &mut PayloadWriter<'_>) -> Result<(), Error> {
            Ok(())
        }
    }
    for key in ["", "identity"] {
        assert_eq!(
            signed(&Keyed(key)),
            Err(Error::GrantPayload {
                grant: key.into(),
                field: None,
                reason: "a grant key must not be empty or `identity`, which holds the identity"
                    .into()
            })
        );
    }
}
