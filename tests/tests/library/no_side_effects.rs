//! Depending on twilio-token changes nothing outside it: this crate depends
//! on twilio-token and on serde_json without features, and serde_json still
//! sorts an object's keys (a `preserve_order` turned on anywhere in the
//! graph would keep them in insertion order). Tokens stay byte-identical:
//! the conformance suite runs in this same graph.

use serde_json::json;
use twilio_token::{Grant, JsonObject, grants::VoiceGrant};

#[test]
fn serde_json_behaves_as_without_twilio_token() {
    assert_eq!(json!({"b": 1, "a": 2}).to_string(), r#"{"a":2,"b":1}"#);
    let parsed: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
    assert_eq!(parsed.to_string(), r#"{"a":2,"b":1}"#);
}

#[test]
fn voice_params_keep_their_order_and_nested_objects_theirs() {
    let params: JsonObject =
        serde_json::from_str(r#"{"to":"+15005550006","b":{"z":1,"y":[0.1,1e16]},"a":"x"}"#)
            .unwrap();
    let voice = VoiceGrant {
        outgoing_application_params: Some(params),
        ..VoiceGrant::outgoing("AP0123456789abcdef0123456789abcdef")
    };
    assert_eq!(
        voice.to_payload().unwrap().to_string(),
        r#"{"outgoing":{"application_sid":"AP0123456789abcdef0123456789abcdef","params":{"to":"+15005550006","b":{"z":1,"y":[0.1,1e+16]},"a":"x"}}}"#
    );
}
