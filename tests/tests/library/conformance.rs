//! twilio-python compatibility: every case of `conformance/twilio-python.json`
//! (minted by twilio-python 9.13 with a frozen clock) is reproduced byte for
//! byte: each grant's payload, and the whole token; so are the 300 random
//! cases of `twilio-python-random.json` (`access_random.py`), which verify.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use twilio_token::grants::{
    ChatGrant, PlaybackGrant, SyncGrant, TaskRouterGrant, VideoGrant, VoiceGrant,
};
use twilio_token::{AccessToken, Credentials, Grant, Json, JsonObject, Verifier};
use twilio_token_tests::support::{Case, cases};

fn python_cases() -> Vec<Case> {
    cases(include_str!("../../conformance/twilio-python.json"))
}

fn random_cases() -> Vec<Case> {
    cases(include_str!("../../conformance/twilio-python-random.json"))
}

fn text(input: &Json, field: &str) -> Option<String> {
    input.get(field).and_then(Json::as_str).map(str::to_owned)
}

/// An object of the input, its keys in the file's order.
fn object(input: &Json, field: &str) -> Option<JsonObject> {
    input.get(field).and_then(Json::as_object).cloned()
}

/// The grant twilio-python was given, as ours.
fn grant(input: &Json) -> Box<dyn Grant> {
    match input["type"].as_str().expect("type") {
        "video" => Box::new(VideoGrant {
            room: text(input, "room"),
        }),
        "voice" => Box::new(VoiceGrant {
            incoming_allow: input.get("incoming_allow") == Some(&Json::Bool(true)),
            outgoing_application_sid: text(input, "outgoing_application_sid"),
            outgoing_application_params: object(input, "outgoing_application_params"),
            push_credential_sid: text(input, "push_credential_sid"),
            endpoint_id: text(input, "endpoint_id"),
        }),
        "chat" => Box::new(ChatGrant {
            service_sid: text(input, "service_sid"),
            endpoint_id: text(input, "endpoint_id"),
            deployment_role_sid: text(input, "deployment_role_sid"),
            push_credential_sid: text(input, "push_credential_sid"),
        }),
        "sync" => Box::new(SyncGrant {
            service_sid: text(input, "service_sid"),
            endpoint_id: text(input, "endpoint_id"),
        }),
        "task_router" => Box::new(TaskRouterGrant {
            workspace_sid: text(input, "workspace_sid"),
            worker_sid: text(input, "worker_sid"),
            role: text(input, "role"),
        }),
        "playback" => Box::new(PlaybackGrant::new(object(input, "grant").expect("grant"))),
        other => panic!("unknown grant type {other}"),
    }
}

fn grants(case: &Case) -> Vec<Box<dyn Grant>> {
    case.input
        .get("grants")
        .and_then(Json::as_array)
        .map(|grants| grants.iter().map(grant).collect())
        .unwrap_or_default()
}

#[test]
fn there_are_31_python_cases() {
    assert_eq!(python_cases().len(), 31);
}

#[test]
fn every_grant_payload_is_the_one_twilio_python_wrote() {
    for case in python_cases() {
        let payload: Json = serde_json::from_str(&case.payload).expect("the payload is JSON");
        for grant in grants(&case) {
            assert_eq!(
                grant
                    .to_payload()
                    .expect("the conformance grants serialize"),
                payload["grants"][grant.key()],
                "{}",
                case.name
            );
        }
    }
}

/// The token for `case`'s input, as our builder mints it.
fn mint(case: &Case) -> String {
    let input = &case.input;
    let mut builder = AccessToken::builder()
        .account_sid(text(input, "account_sid").expect("account_sid"))
        .api_key(
            text(input, "key_sid").expect("key_sid"),
            text(input, "secret").expect("secret"),
        )
        .identity(text(input, "identity").expect("identity"))
        .issued_at(at(&input["now"]));
    if let Some(ttl) = input.get("ttl") {
        builder = builder.ttl(Duration::from_secs(ttl.as_u64().expect("ttl")));
    }
    match input.get("nbf") {
        None => {}
        Some(Json::Null) => builder = builder.omit_not_before(),
        Some(nbf) => builder = builder.not_before(at(nbf)),
    }
    if let Some(region) = text(input, "region") {
        builder = builder.region(region);
    }
    for grant in grants(case) {
        builder = builder.grant(grant);
    }
    builder
        .sign()
        .unwrap_or_else(|err| panic!("{}: {err}", case.name))
}

fn at(seconds: &Json) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds.as_u64().expect("unix seconds"))
}

#[test]
fn every_token_equals_the_token_twilio_python_minted() {
    for case in python_cases() {
        assert_eq!(mint(&case), case.token, "{}", case.name);
    }
}

/// Random identities, grants, regions, ttls up to 24 hours and not-befores
/// up to two days back (Twilio measures the 24 hours from the issue time):
/// the same token, and it verifies once valid.
#[test]
fn random_twilio_python_cases_are_byte_identical_and_verify() {
    let cases = random_cases();
    assert_eq!(cases.len(), 300);
    let verifier = Verifier::new(
        &Credentials::new(
            "AC0123456789abcdef0123456789abcdef",
            "SKfedcba9876543210fedcba9876543210",
            "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E",
        )
        .expect("the vectors' key"),
    );
    for case in cases {
        assert_eq!(mint(&case), case.token, "{}", case.name);
        let issued = at(&case.input["now"]);
        let valid_from = match case.input.get("nbf") {
            Some(nbf @ Json::Number(_)) => at(nbf).max(issued),
            _ => issued,
        };
        let claims = verifier
            .verify_at(&case.token, valid_from)
            .unwrap_or_else(|err| panic!("{}: {err}", case.name));
        assert_eq!(
            claims.identity(),
            text(&case.input, "identity").unwrap(),
            "{}",
            case.name
        );
    }
}
