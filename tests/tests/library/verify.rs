//! The verifier: both libraries' conformance tokens verify, every check
//! rejects with its Twilio code, hostile input is refused without panic, and
//! `verify(sign(x))` gives `x` back.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde::de::IgnoredAny;
use serde_json::{Map, Value, json};
use twilio_token::grants::{
    ChatGrant, PlaybackGrant, SyncGrant, TaskRouterGrant, VideoGrant, VoiceGrant,
};
use twilio_token::{
    AccessToken, Credentials, DecodeGrant, Error, Grant, HeaderProblem, Json, Verifier,
    VerifyError, unverified,
};
use twilio_token_tests::support::{ACCOUNT, KEY, NOW, SECRET, at};

use crate::oracle;
use oracle::Signer;

const OTHER_KEY: &str = "SK0123456789abcdef0123456789abcdef";

fn verifier() -> Verifier {
    Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap())
}

fn token() -> String {
    AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity("alice")
        .grant(VideoGrant::room("standup"))
        .issued_at(at(NOW))
        .sign()
        .unwrap()
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// A token with this header and payload text, signed with `secret`.
fn forge(header: &str, payload: &str, secret: &str) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

const HEADER: &str = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#;

fn payload_with(change: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut payload = json!({
        "jti": format!("{KEY}-{NOW}"),
        "grants": {"identity": "alice"},
        "iss": KEY,
        "exp": NOW + 3600,
        "nbf": NOW,
        "sub": ACCOUNT,
    });
    change(payload.as_object_mut().unwrap());
    payload.to_string()
}

fn code_of(jwt: &str) -> u32 {
    verifier()
        .verify_at(jwt, at(NOW))
        .unwrap_err()
        .twilio_code()
}

/// A token with three grants and a region: a longer payload and header.
fn rich_token() -> String {
    AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity("alice")
        .region("ie1")
        .grant(VideoGrant::room("standup"))
        .grant(VoiceGrant {
            incoming_allow: true,
            ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
        })
        .grant(ChatGrant::service("IS33333333333333333333333333333333"))
        .issued_at(at(NOW))
        .sign()
        .unwrap()
}

/// The bytes a mutation puts in: base64url's own and its near misses.
const MUTATION_BYTES: &[u8] = b"AQgw09_-+/=. \"{}";

/// [`oracle::expected_code`] for these tests' key and account.
fn expected_code(jwt: &str, original: &str) -> u32 {
    let signer = Signer::ApiKey {
        key_sid: KEY,
        account_sid: ACCOUNT,
    };
    oracle::expected_code(jwt, original, &signer)
}

/// The bytes a re-signed change puts in the payload: digits, letters,
/// JSON's punctuation.
const PAYLOAD_BYTES: &[u8] = b"0159aAzZ-_\"{}[],: .en";

/// What the verifier must answer for a token signed with the right key
/// whose payload is `changed`, one byte off `original`'s; `None` when only
/// a grant's own check can tell. Worked out with serde_json alone, in
/// Twilio's order: JSON (20101), issuer and account (20103), expiry
/// (20104), lifetime (20157), not-before (20105), grants (20106), and the
/// `jti` (20101) last.
fn expected_after_resigning(original: &str, changed: &str, at: usize) -> Option<Result<(), u32>> {
    let read = |text: &str| serde_json::from_str::<Map<String, Value>>(text).ok();
    if serde_json::from_str::<std::collections::BTreeMap<String, IgnoredAny>>(changed).is_err() {
        return Some(Err(20101));
    }
    let Some(claims) = read(changed) else {
        // The grammar holds but a value does not read (a number out of
        // range): the error of the claim it is in.
        let claim = ["jti", "grants", "iss", "exp", "nbf", "sub"]
            .into_iter()
            .filter(|claim| {
                original
                    .find(&format!("\"{claim}\":"))
                    .is_some_and(|start| start <= at)
            })
            .max_by_key(|claim| original.find(&format!("\"{claim}\":")));
        return Some(Err(match claim {
            Some("iss" | "sub") => 20103,
            Some("exp") => 20104,
            Some("nbf") => 20105,
            Some("grants") => 20106,
            _ => 20101,
        }));
    };
    // `null` is a value, not a claim left out.
    let claim = |name: &str| claims.get(name);
    let time = |value: &Value| value.as_u64().filter(|&t| i64::try_from(t).is_ok());
    let iat = match claim("iat").map(time) {
        Some(None) => return Some(Err(20101)),
        Some(Some(iat)) => Some(iat),
        None => None,
    };
    if claim("iss") != Some(&json!(KEY)) || claim("sub") != Some(&json!(ACCOUNT)) {
        return Some(Err(20103));
    }
    let Some(expires) = claim("exp").and_then(time) else {
        return Some(Err(20104));
    };
    let not_before = match claim("nbf").map(time) {
        Some(None) => return Some(Err(20105)),
        Some(Some(not_before)) => Some(not_before),
        None => None,
    };
    let from_jti = claim("jti")
        .and_then(Value::as_str)
        .and_then(|jti| jti.strip_prefix(&format!("{KEY}-")))
        .filter(|digits| {
            !digits.is_empty() && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit())
        })
        .and_then(|digits| digits.parse::<u64>().ok())
        .filter(|&t| i64::try_from(t).is_ok());
    let issued_at = iat.or(from_jti);
    if NOW >= expires {
        return Some(Err(20104));
    }
    if i128::from(expires) - i128::from(issued_at.unwrap_or(NOW)) > 86_400 {
        return Some(Err(20157));
    }
    if not_before.is_some_and(|not_before| NOW < not_before)
        || issued_at.is_some_and(|issued_at| issued_at > NOW)
    {
        return Some(Err(20105));
    }
    let grants = match claim("grants") {
        Some(Value::Object(grants)) => grants,
        _ => return Some(Err(20106)),
    };
    match grants.get("identity") {
        Some(Value::String(identity)) if !identity.is_empty() => {}
        _ => return Some(Err(20106)),
    }
    let without_identity = |grants: &Map<String, Value>| {
        let mut grants = grants.clone();
        grants.remove("identity");
        grants
    };
    let unchanged = read(original)
        .and_then(|original| original.get("grants")?.as_object().map(without_identity));
    if unchanged != Some(without_identity(grants)) {
        return None;
    }
    match claim("jti") {
        Some(jti) if !jti.is_string() => Some(Err(20101)),
        _ => Some(Ok(())),
    }
}

/// At its issue time, or at its `nbf` when that is later: the case
/// `ttl_7200_nbf_later` is not valid before `nbf` (checked too).
#[test]
fn every_twilio_python_token_verifies_at_its_issue_time() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../../conformance/twilio-python.json")).unwrap();
    for case in cases {
        let input = &case["input"];
        let verifier = Verifier::new(
            &Credentials::new(
                input["account_sid"].as_str().unwrap(),
                input["key_sid"].as_str().unwrap(),
                input["secret"].as_str().unwrap(),
            )
            .unwrap(),
        );
        let issued = input["now"].as_u64().unwrap();
        let nbf = input.get("nbf").and_then(Value::as_u64).unwrap_or(issued);
        let jwt = case["token"].as_str().unwrap();
        if nbf > issued {
            assert_eq!(
                verifier.verify_at(jwt, at(issued)).unwrap_err(),
                VerifyError::NotYetValid { not_before: nbf }
            );
        }
        let claims = verifier
            .verify_at(jwt, at(issued.max(nbf)))
            .unwrap_or_else(|err| panic!("{}: {err}", case["name"]));
        assert_eq!(claims.identity(), input["identity"].as_str().unwrap());
        assert_eq!(claims.region(), input.get("region").and_then(Value::as_str));
        // In the payload's order: `Json` keeps it.
        let payload: Json = serde_json::from_str(case["payload"].as_str().unwrap()).unwrap();
        let mut grants = payload["grants"].as_object().unwrap().clone();
        grants.remove("identity");
        assert_eq!(claims.grants(), Ok(&grants), "{}", case["name"]);
    }
}

#[test]
fn every_twilio_node_token_verifies_at_its_issue_time() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../../conformance/twilio-node.json")).unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let verifier = Verifier::new(
            &Credentials::new(ACCOUNT, KEY, case["secret"].as_str().unwrap()).unwrap(),
        );
        let now = at(case["now"].as_u64().unwrap());
        let claims = verifier
            .verify_at(case["token"].as_str().unwrap(), now)
            .unwrap_or_else(|err| panic!("{}: {err}", case["name"]));
        let payload: Value = serde_json::from_str(case["payload"].as_str().unwrap()).unwrap();
        assert_eq!(
            claims.identity(),
            payload["grants"]["identity"].as_str().unwrap()
        );
        assert_eq!(claims.issued_at(), Some(now));
        assert_eq!(
            claims.expires_at(),
            at(payload["exp"].as_u64().unwrap()),
            "{}",
            case["name"]
        );
    }
}

#[test]
fn claims_expose_every_field() {
    let claims = verifier().verify_at(&token(), at(NOW)).unwrap();
    assert_eq!(claims.identity(), "alice");
    assert_eq!(claims.jti(), format!("{KEY}-{NOW}"));
    assert_eq!(claims.api_key_sid(), KEY);
    assert_eq!(claims.account_sid(), ACCOUNT);
    assert_eq!(claims.region(), None);
    assert_eq!(claims.not_before(), Some(at(NOW)));
    assert_eq!(claims.expires_at(), at(NOW + 3600));
    assert_eq!(
        claims.grant::<VideoGrant>(),
        Ok(Some(VideoGrant::room("standup")))
    );
    assert_eq!(claims.grant::<VoiceGrant>(), Ok(None));
}

#[test]
fn a_token_is_valid_from_nbf_until_just_before_exp() {
    let jwt = token();
    assert!(verifier().verify_at(&jwt, at(NOW)).is_ok());
    assert!(verifier().verify_at(&jwt, at(NOW + 3599)).is_ok());
    assert_eq!(
        verifier().verify_at(&jwt, at(NOW + 3600)).unwrap_err(),
        VerifyError::Expired {
            expired_at: NOW + 3600
        }
    );
    assert_eq!(
        verifier().verify_at(&jwt, at(NOW - 1)).unwrap_err(),
        VerifyError::NotYetValid { not_before: NOW }
    );
}

#[test]
fn leeway_widens_both_ends() {
    let jwt = token();
    let lenient = verifier().leeway(Duration::from_secs(30));
    assert!(lenient.verify_at(&jwt, at(NOW - 30)).is_ok());
    assert!(lenient.verify_at(&jwt, at(NOW + 3629)).is_ok());
    assert_eq!(
        lenient
            .verify_at(&jwt, at(NOW + 3630))
            .unwrap_err()
            .twilio_code(),
        20104
    );
    assert_eq!(
        lenient
            .verify_at(&jwt, at(NOW - 31))
            .unwrap_err()
            .twilio_code(),
        20105
    );
}

#[test]
fn structure_errors_are_20101() {
    let jwt = token();
    let parts: Vec<&str> = jwt.split('.').collect();
    let cases = [
        String::new(),
        "a.b".to_owned(),
        format!("{jwt}.extra"),
        format!("{}.{}", parts[0], parts[1]),
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{} .{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}\n", parts[0], parts[1], parts[2]),
        forge(HEADER, "[1]", SECRET),
        forge("[]", &payload_with(|_| {}), SECRET),
        forge(HEADER, "{\"iss\":", SECRET),
        "x".repeat(twilio_token::MAX_TOKEN_LEN + 1),
    ];
    for case in cases {
        assert_eq!(code_of(&case), 20101, "{case:.80}");
    }
    // A fourth segment inside a token of the usual shape (header, tag of
    // 43 characters) is still called a fourth segment.
    let (payload, tag) = (parts[1], parts[2]);
    let four = format!("{}.{}.{}.{tag}", parts[0], &payload[..8], &payload[8..]);
    assert_eq!(
        verifier()
            .verify_at(&four, at(NOW))
            .unwrap_err()
            .to_string(),
        "malformed token (20101): a token is three base64url segments separated by dots"
    );
}

#[test]
fn non_utf8_segments_are_20101() {
    let header = URL_SAFE_NO_PAD.encode([0xff, 0xfe, b'{']);
    let jwt = format!("{header}.{}.AAAA", b64(&payload_with(|_| {})));
    assert_eq!(code_of(&jwt), 20101);
    let payload = URL_SAFE_NO_PAD.encode(b"{\"iss\":\"\xff\"}");
    let jwt = format!("{}.{payload}.AAAA", b64(HEADER));
    assert_eq!(code_of(&jwt), 20101);
}

/// Where serde_json would refuse a value (a number beyond f64's range, a
/// lone surrogate) but not the grammar, the code is that of the claim the
/// value is in, as for a built-in grant (below); a grant this library does
/// not know included (it was taken, and `Claims::grants` then came back
/// empty). Outside `grants`, it is the token's structure (20101).
#[test]
fn a_value_serde_json_refuses_is_the_error_of_its_claim() {
    for (claim, value, code) in [("exp", "1e00003600", 20104), ("nbf", "-1e400", 20105)] {
        let payload = payload_with(|_| {})
            .replacen('{', &format!("{{\"{claim}\":{value},"), 1)
            .replacen(&format!(",\"{claim}\":"), ",\"ignored\":", 1);
        assert_eq!(code_of(&forge(HEADER, &payload, SECRET)), code, "{payload}");
    }
    let with_grants = |grants: &str| {
        payload_with(|p| {
            p.insert("grants".into(), json!("GRANTS"));
        })
        .replace(r#""GRANTS""#, grants)
    };
    for (value, reason) in [
        ("1.5e309", "a number out of range"),
        (&"9".repeat(400), "a number out of range"),
        (r#"["\ud800"]"#, "a lone surrogate in a string escape"),
        (r#"{"\udc00":1}"#, "a lone surrogate in a string escape"),
        (r#"[{"b":1,"b":2}]"#, "the key `b` is given twice"),
    ] {
        let payload = with_grants(&format!(
            r#"{{"identity":"alice","custom":{{"x":{value}}}}}"#
        ));
        assert_eq!(
            verifier().verify_at(&forge(HEADER, &payload, SECRET), at(NOW)),
            Err(VerifyError::InvalidGrant {
                grant: "custom".into(),
                reason: reason.into()
            }),
            "{payload}"
        );
    }
    let paired = with_grants(r#"{"identity":"alice","custom":{"x":"\ud83d\ude00","n":1e308}}"#);
    let claims = verifier()
        .verify_at(&forge(HEADER, &paired, SECRET), at(NOW))
        .unwrap();
    assert_eq!(
        claims.grants().unwrap()["custom"],
        json!({"x": "\u{1F600}", "n": 1e308})
    );
}

#[test]
fn duplicated_keys_are_refused() {
    let dup_header = r#"{"alg":"HS256","alg":"none","cty":"twilio-fpa;v=1","typ":"JWT"}"#;
    assert_eq!(
        code_of(&forge(dup_header, &payload_with(|_| {}), SECRET)),
        20101
    );
    let payload = payload_with(|_| {}).replacen("{", &format!("{{\"exp\":{},", NOW + 99_999), 1);
    assert_eq!(code_of(&forge(HEADER, &payload, SECRET)), 20101);
    let dup_identity = payload_with(|p| {
        p.insert("grants".into(), json!({"identity": "alice"}));
    })
    .replace(
        r#""identity":"alice""#,
        r#""identity":"alice","identity":"mallory""#,
    );
    assert_eq!(code_of(&forge(HEADER, &dup_identity, SECRET)), 20106);
}

#[test]
fn header_errors_are_20102() {
    let payload = payload_with(|_| {});
    for header in [
        r#"{"alg":"none","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
        r#"{"alg":"HS512","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
        r#"{"alg":"hs256","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
        r#"{"cty":"twilio-fpa;v=1","typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS256","cty":"twilio-fpa;v=2","typ":"JWT"}"#,
        r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"jwt"}"#,
        r#"{"alg":"HS256","cty":"twilio-fpa;v=1"}"#,
        r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT","twr":1}"#,
        r#"{"alg":["HS256"],"cty":"twilio-fpa;v=1","typ":"JWT"}"#,
    ] {
        assert_eq!(code_of(&forge(header, &payload, SECRET)), 20102, "{header}");
    }
}

#[test]
fn extra_header_fields_are_allowed() {
    let header = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","kid":"k1","typ":"JWT","twr":"ie1"}"#;
    let claims = verifier()
        .verify_at(&forge(header, &payload_with(|_| {}), SECRET), at(NOW))
        .unwrap();
    assert_eq!(claims.region(), Some("ie1"));
}

#[test]
fn issuer_and_subject_errors_are_20103() {
    let cases = [
        payload_with(|p| {
            p.remove("iss");
        }),
        payload_with(|p| {
            p.insert("iss".into(), json!(1));
        }),
        payload_with(|p| {
            p.insert("iss".into(), json!(OTHER_KEY));
        }),
        payload_with(|p| {
            p.insert("iss".into(), json!(ACCOUNT));
        }),
        payload_with(|p| {
            p.remove("sub");
        }),
        payload_with(|p| {
            p.insert("sub".into(), json!("AC123"));
        }),
        payload_with(|p| {
            p.insert("sub".into(), json!("AC00000000000000000000000000000000"));
        }),
    ];
    for payload in cases {
        assert_eq!(
            code_of(&forge(HEADER, &payload, SECRET)),
            20103,
            "{payload}"
        );
    }
}

#[test]
fn a_malformed_sub_is_refused() {
    let payload = payload_with(|p| {
        p.insert("sub".into(), json!("not-an-account"));
    });
    let err = verifier()
        .verify_at(&forge(HEADER, &payload, SECRET), at(NOW))
        .unwrap_err();
    assert_eq!(err.twilio_code(), 20103);
}

#[test]
fn signature_errors_are_20107() {
    assert_eq!(
        code_of(&forge(HEADER, &payload_with(|_| {}), "other-secret")),
        20107
    );
    let jwt = token();
    let parts: Vec<&str> = jwt.split('.').collect();
    let tampered_payload = b64(&payload_with(|p| {
        p.insert("grants".into(), json!({"identity": "mallory"}));
    }));
    assert_eq!(
        code_of(&format!("{}.{tampered_payload}.{}", parts[0], parts[2])),
        20107
    );
    assert_eq!(code_of(&format!("{}.{}.", parts[0], parts[1])), 20107);
    assert_eq!(code_of(&format!("{}.{}.AAAA", parts[0], parts[1])), 20107);
}

#[test]
fn key_rotation_picks_the_key_named_by_iss() {
    let old = forge(HEADER, &payload_with(|_| {}), SECRET);
    let new = forge(
        HEADER,
        &payload_with(|p| {
            p.insert("iss".into(), json!(OTHER_KEY));
        }),
        "new-secret",
    );
    let both = verifier()
        .credentials(&Credentials::new(ACCOUNT, OTHER_KEY, "new-secret").unwrap())
        .unwrap();
    assert_eq!(both.verify_at(&old, at(NOW)).unwrap().api_key_sid(), KEY);
    assert_eq!(
        both.verify_at(&new, at(NOW)).unwrap().api_key_sid(),
        OTHER_KEY
    );
    assert_eq!(
        verifier().verify_at(&new, at(NOW)).unwrap_err(),
        VerifyError::UnknownIssuer {
            issuer: OTHER_KEY.into()
        }
    );
}

#[test]
fn expiry_errors_are_20104() {
    for exp in [
        json!(null),
        json!("1700003600"),
        json!(1_700_003_600.0),
        json!(-1),
        json!(9_223_372_036_854_775_808u64),
    ] {
        let payload = payload_with(|p| {
            p.insert("exp".into(), exp.clone());
        });
        assert_eq!(code_of(&forge(HEADER, &payload, SECRET)), 20104, "{exp}");
    }
    let missing = payload_with(|p| {
        p.remove("exp");
    });
    assert_eq!(code_of(&forge(HEADER, &missing, SECRET)), 20104);
    let huge_exponent =
        payload_with(|_| {}).replace(&format!("\"exp\":{}", NOW + 3600), "\"exp\":1e99999");
    assert_eq!(code_of(&forge(HEADER, &huge_exponent, SECRET)), 20104);
}

#[test]
fn a_lifetime_over_24_hours_is_20157() {
    let long = payload_with(|p| {
        p.insert("exp".into(), json!(NOW + 86_401));
    });
    assert_eq!(code_of(&forge(HEADER, &long, SECRET)), 20157);
    let exactly = payload_with(|p| {
        p.insert("exp".into(), json!(NOW + 86_400));
    });
    assert!(
        verifier()
            .verify_at(&forge(HEADER, &exactly, SECRET), at(NOW))
            .is_ok()
    );
    // Measured from `iat` when present, then from the `jti` time, then
    // from now: `nbf` is not an issue time.
    let by_iat = payload_with(|p| {
        p.insert("iat".into(), json!(NOW - 100));
        p.insert("exp".into(), json!(NOW + 86_350));
    });
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &by_iat, SECRET), at(NOW)),
        Err(VerifyError::LifetimeTooLong { seconds: 86_450 })
    );
    let by_jti = payload_with(|p| {
        p.insert("jti".into(), json!(format!("{KEY}-{}", NOW - 100)));
        p.insert("exp".into(), json!(NOW + 86_350));
    });
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &by_jti, SECRET), at(NOW)),
        Err(VerifyError::LifetimeTooLong { seconds: 86_450 })
    );
    let by_now = payload_with(|p| {
        p.insert("jti".into(), json!("custom-id"));
        p.insert("nbf".into(), json!(NOW + 100));
        p.insert("exp".into(), json!(NOW + 86_450));
    });
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &by_now, SECRET), at(NOW)),
        Err(VerifyError::LifetimeTooLong { seconds: 86_450 })
    );
    // Without an issue time, a token verified later may live longer.
    let later = forge(HEADER, &by_now, SECRET);
    assert!(verifier().verify_at(&later, at(NOW + 100)).is_ok());
}

#[test]
fn not_before_errors_are_20105() {
    for nbf in [
        json!("1700000000"),
        json!(1.5),
        json!(-5),
        json!(true),
        json!(null),
    ] {
        let payload = payload_with(|p| {
            p.insert("nbf".into(), nbf.clone());
        });
        assert_eq!(code_of(&forge(HEADER, &payload, SECRET)), 20105, "{nbf}");
    }
    let future = payload_with(|p| {
        p.insert("nbf".into(), json!(NOW + 10));
    });
    assert_eq!(code_of(&forge(HEADER, &future, SECRET)), 20105);
}

#[test]
fn grant_errors_are_20106() {
    for grants in [
        json!(null),
        json!([]),
        json!("alice"),
        json!({}),
        json!({"identity": ""}),
        json!({"identity": 7}),
        json!({"identity": "alice", "video": "room"}),
        json!({"identity": "alice", "custom": [1]}),
        json!({"identity": "alice", "": {}}),
        json!({"identity": "alice", "video": {"room": 7}}),
        json!({"identity": "alice", "voice": {"incoming": true}}),
        json!({"identity": "alice", "voice": {"incoming": {"allow": "yes"}}}),
        json!({"identity": "alice", "voice": {"outgoing": {"params": ["to"]}}}),
        json!({"identity": "alice", "voice": {"outgoing": "AP"}}),
        json!({"identity": "alice", "chat": {"service_sid": null, "endpoint_id": 1}}),
        json!({"identity": "alice", "task_router": {"role": ["worker"]}}),
        // serde reads a struct from an array too; a grant is an object.
        json!({"identity": "alice", "video": ["standup"]}),
        json!({"identity": "alice", "voice": [{"allow": true}]}),
        json!({"identity": "alice", "voice": {"incoming": [true]}}),
        json!({"identity": "alice", "voice": {"outgoing": ["AP11111111111111111111111111111111"]}}),
    ] {
        let payload = payload_with(|p| {
            p.insert("grants".into(), grants.clone());
        });
        assert_eq!(code_of(&forge(HEADER, &payload, SECRET)), 20106, "{grants}");
    }
    let missing = payload_with(|p| {
        p.remove("grants");
    });
    assert_eq!(code_of(&forge(HEADER, &missing, SECRET)), 20106);
    // The builder refuses an empty grant key, so the verifier does too:
    // every token it accepts can be signed again (found by the `verify`
    // fuzz target).
    let empty_key = payload_with(|p| {
        p.insert("grants".into(), json!({"identity": "alice", "": {}}));
    });
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &empty_key, SECRET), at(NOW)),
        Err(VerifyError::InvalidGrant {
            grant: String::new(),
            reason: "a grant's key is empty".into()
        })
    );
}

#[test]
fn a_lone_surrogate_in_a_built_in_grant_is_20106() {
    // serde_json skips a string holding a lone surrogate (`\ud83d` not
    // followed by a low one) but refuses it in a `Value`: where a built-in
    // grant decodes a JSON map (Live's player entries, Voice's params),
    // the check reads the strings too. Found by the `verify` fuzz target.
    for grants in [
        json!({"identity": "alice", "player": {"playbackUrl": "LONE"}}),
        json!({"identity": "alice", "player": {"LONE": "https://example.com/p"}}),
        json!({"identity": "alice", "voice": {"outgoing": {"application_sid": "AP11111111111111111111111111111111", "params": {"to": ["LONE"]}}}}),
    ] {
        let payload = payload_with(|p| {
            p.insert("grants".into(), grants.clone());
        })
        .replace("LONE", r"x\ud83dU");
        assert_eq!(
            code_of(&forge(HEADER, &payload, SECRET)),
            20106,
            "{payload}"
        );
        // With a whole surrogate pair the same grant verifies and decodes.
        let pair = payload.replace(r"\ud83dU", r"\ud83d\ude00");
        let claims = verifier().verify_at(&forge(HEADER, &pair, SECRET), at(NOW));
        assert!(claims.is_ok(), "{pair}");
    }
}

#[test]
fn a_number_too_big_for_json_in_a_built_in_grant_is_20106() {
    // Decoding a JSON map refuses a number past f64's range, as serde_json
    // builds a `Value`; the check, fast or careful, reads it the same way.
    // Found by the `payload` fuzz target.
    let huge = format!("1{}", "0".repeat(400));
    for grants in [
        json!({"identity": "alice", "player": {"playbackUrl": "HUGE"}}),
        json!({"identity": "alice", "player": {"playbackUrl": "https://example.com/p", "x": ["HUGE"]}}),
        json!({"identity": "alice", "voice": {"outgoing": {"application_sid": "AP11111111111111111111111111111111", "params": {"to": {"n": "HUGE"}}}}}),
    ] {
        let payload = payload_with(|p| {
            p.insert("grants".into(), grants.clone());
        })
        .replace(r#""HUGE""#, &huge);
        assert_eq!(
            code_of(&forge(HEADER, &payload, SECRET)),
            20106,
            "{payload}"
        );
        // A number that fits in an f64 verifies.
        let fits = payload.replace(&huge, "18446744073709551616");
        let claims = verifier().verify_at(&forge(HEADER, &fits, SECRET), at(NOW));
        assert!(claims.is_ok(), "{fits}");
    }
}

#[test]
fn escaped_keys_are_the_keys_they_spell() {
    // `\u0069dentity` is `identity`: a second identity, hence a duplicate.
    let escaped_duplicate = payload_with(|_| {}).replace(
        r#""identity":"alice""#,
        r#""identity":"alice","\u0069dentity":"mallory""#,
    );
    assert_eq!(code_of(&forge(HEADER, &escaped_duplicate, SECRET)), 20106);
    // An escaped `video` key is the video grant, and is type-checked.
    let escaped_video = payload_with(|_| {}).replace(
        r#""identity":"alice""#,
        r#""identity":"alice","vid\u0065o":{"room":7}"#,
    );
    assert_eq!(code_of(&forge(HEADER, &escaped_video, SECRET)), 20106);
}

#[test]
fn escaped_strings_read_as_their_text() {
    let payload = payload_with(|_| {})
        .replace(
            r#""identity":"alice""#,
            r#""identity":"\u00e9mile \"e\"","video":{"r\u006fom":"a\/b"}"#,
        )
        .replace(
            &format!(r#""iss":"{KEY}""#),
            &format!(r#""iss":"\u0053{}""#, &KEY[1..]),
        );
    let claims = verifier()
        .verify_at(&forge(HEADER, &payload, SECRET), at(NOW))
        .unwrap();
    assert_eq!(claims.identity(), "émile \"e\"");
    assert_eq!(claims.api_key_sid(), KEY);
    assert_eq!(claims.account_sid(), ACCOUNT);
    assert_eq!(claims.jti(), format!("{KEY}-{NOW}"));
    assert_eq!(
        claims.grant::<VideoGrant>(),
        Ok(Some(VideoGrant::room("a/b")))
    );
    assert_eq!(claims.grants().unwrap()["video"], json!({"room": "a/b"}));
}

#[test]
fn a_region_header_is_decoded_and_checked() {
    let jwt = AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity("alice")
        .region("ie1")
        .issued_at(at(NOW))
        .sign()
        .unwrap();
    assert_eq!(
        verifier().verify_at(&jwt, at(NOW)).unwrap().region(),
        Some("ie1")
    );
    let header = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","twr":7,"typ":"JWT"}"#;
    assert_eq!(
        code_of(&forge(header, &payload_with(|_| {}), SECRET)),
        20102
    );
}

#[test]
fn a_malformed_grant_is_reported_only_after_signature_and_times() {
    let bad_video = payload_with(|p| {
        p.insert(
            "grants".into(),
            json!({"identity": "alice", "video": {"room": 7}}),
        );
    });
    assert_eq!(code_of(&forge(HEADER, &bad_video, "another secret")), 20107);
    let expired = verifier()
        .verify_at(&forge(HEADER, &bad_video, SECRET), at(NOW + 3600))
        .unwrap_err();
    assert_eq!(expired.twilio_code(), 20104);
    let err = verifier()
        .verify_at(&forge(HEADER, &bad_video, SECRET), at(NOW))
        .unwrap_err();
    assert_eq!(
        err,
        VerifyError::InvalidGrant {
            grant: "video".into(),
            reason: "`room` (field `room`): invalid type: integer `7`, expected a string".into(),
        }
    );
}

#[test]
fn unknown_grants_and_fields_are_allowed_and_sids_are_not_format_checked() {
    let payload = payload_with(|p| {
        p.insert(
            "grants".into(),
            json!({"identity": "alice", "custom": {"x": 1}, "video": {"room": "r", "extra": true}, "chat": {"service_sid": "IS-from-a-test-suite"}}),
        );
    });
    let claims = verifier()
        .verify_at(&forge(HEADER, &payload, SECRET), at(NOW))
        .unwrap();
    assert_eq!(claims.grants().unwrap()["custom"], json!({"x": 1}));
    assert_eq!(
        claims.grant::<VideoGrant>(),
        Ok(Some(VideoGrant::room("r")))
    );
    assert_eq!(
        claims.grant::<ChatGrant>(),
        Ok(Some(ChatGrant::service("IS-from-a-test-suite")))
    );
}

#[test]
fn a_verifier_always_has_a_key_and_never_loses_one() {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).unwrap();
    // The same credentials twice are one key.
    let verifier = Verifier::new(&credentials)
        .credentials(&credentials)
        .unwrap();
    assert_eq!(
        format!("{verifier:?}"),
        format!(r#"Verifier {{ keys: [("{KEY}", "{ACCOUNT}")], lookup: None, leeway: 0ns }}"#)
    );
    // The same key with another secret or account: whichever came first,
    // one of them would refuse good tokens.
    let other_secret = Credentials::new(ACCOUNT, KEY, "another-secret").unwrap();
    assert_eq!(
        verifier.clone().credentials(&other_secret).unwrap_err(),
        Error::ConflictingApiKey {
            key_sid: KEY.into(),
            differs: "secret"
        }
    );
    let other_account = "AC11111111111111111111111111111111";
    let elsewhere = Credentials::new(other_account, KEY, SECRET).unwrap();
    assert_eq!(
        verifier.clone().credentials(&elsewhere).unwrap_err(),
        Error::ConflictingApiKey {
            key_sid: KEY.into(),
            differs: "account"
        }
    );
    // Keys of two accounts each keep their own account.
    let subaccount = Credentials::new(other_account, OTHER_KEY, "sub-secret").unwrap();
    let both = verifier.credentials(&subaccount).unwrap();
    assert_eq!(
        both.verify_at(&token(), at(NOW)).unwrap().account_sid(),
        ACCOUNT
    );
    let sub_token = AccessToken::builder()
        .credentials(&subaccount)
        .identity("bob")
        .issued_at(at(NOW))
        .sign()
        .unwrap();
    assert_eq!(
        both.verify_at(&sub_token, at(NOW)).unwrap().account_sid(),
        other_account
    );
    // A key used for the other's account: 20103.
    let crossed = forge(
        HEADER,
        &payload_with(|p| {
            p["sub"] = json!(other_account);
        }),
        SECRET,
    );
    assert_eq!(
        both.verify_at(&crossed, at(NOW)).unwrap_err(),
        VerifyError::WrongAccount {
            expected: ACCOUNT.into(),
            found: other_account.into()
        }
    );
}

#[test]
fn keys_are_looked_up_by_issuer_and_account() {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).unwrap();
    let other_account = "AC11111111111111111111111111111111";
    let store = [credentials.clone()];
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let verifier = Verifier::with_lookup(move |key_sid, account_sid| {
        log.lock()
            .unwrap()
            .push((key_sid.to_owned(), account_sid.to_owned()));
        store
            .iter()
            .find(|c| c.api_key_sid() == key_sid && c.account_sid() == account_sid)
            .cloned()
    });
    assert_eq!(
        verifier.verify_at(&token(), at(NOW)).unwrap().identity(),
        "alice"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [(KEY.to_owned(), ACCOUNT.to_owned())]
    );

    // A key the store does not have, or a token for another account: 20103.
    let unknown = forge(
        HEADER,
        &payload_with(|p| {
            p["iss"] = json!(OTHER_KEY);
        }),
        SECRET,
    );
    assert_eq!(
        verifier.verify_at(&unknown, at(NOW)).unwrap_err(),
        VerifyError::UnknownIssuer {
            issuer: OTHER_KEY.into()
        }
    );
    let elsewhere = forge(
        HEADER,
        &payload_with(|p| {
            p["sub"] = json!(other_account);
        }),
        SECRET,
    );
    assert_eq!(
        verifier
            .verify_at(&elsewhere, at(NOW))
            .unwrap_err()
            .twilio_code(),
        20103
    );
    // Credentials that answer for another key or account are not used.
    let liar = Verifier::with_lookup(move |_, _| {
        Some(Credentials::new(other_account, KEY, SECRET).unwrap())
    });
    assert_eq!(
        liar.verify_at(&token(), at(NOW)).unwrap_err(),
        VerifyError::WrongAccount {
            expected: other_account.into(),
            found: ACCOUNT.into()
        }
    );
    // The signature is still checked: a token signed with another secret.
    let forged = forge(HEADER, &payload_with(|_| {}), "another secret");
    assert_eq!(
        verifier.verify_at(&forged, at(NOW)).unwrap_err(),
        VerifyError::InvalidSignature
    );
}

/// The 24-hour rule has no way round: an issue time in the future is
/// refused as not yet valid, and the lifetime is measured from the issue
/// time, or from now without one.
#[test]
fn an_issue_time_in_the_future_is_not_yet_valid() {
    let ten_years = 10 * 365 * 86_400;
    let future_iat = payload_with(|p| {
        p.insert("iat".into(), json!(NOW + ten_years));
        p.insert("exp".into(), json!(NOW + ten_years + 3600));
    });
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &future_iat, SECRET), at(NOW)),
        Err(VerifyError::IssuedInFuture {
            issued_at: NOW + ten_years
        })
    );
    let future_jti = payload_with(|p| {
        p.insert("jti".into(), json!(format!("{KEY}-{}", NOW + ten_years)));
        p.insert("exp".into(), json!(NOW + ten_years + 3600));
    });
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &future_jti, SECRET), at(NOW)),
        Err(VerifyError::IssuedInFuture {
            issued_at: NOW + ten_years
        })
    );
    let forever = payload_with(|p| {
        p.insert("iat".into(), json!(i64::MAX - 100));
        p.insert("exp".into(), json!(i64::MAX));
    });
    assert_eq!(
        verifier()
            .verify_at(&forge(HEADER, &forever, SECRET), at(NOW))
            .unwrap_err()
            .twilio_code(),
        20105
    );
    // Without an issue time, `exp` is at most 24 hours from now.
    let no_issue_time = payload_with(|p| {
        p.insert("jti".into(), json!("custom-id"));
        p.remove("nbf");
        p.insert("exp".into(), json!(i64::MAX));
    });
    assert_eq!(
        verifier()
            .verify_at(&forge(HEADER, &no_issue_time, SECRET), at(NOW))
            .unwrap_err()
            .twilio_code(),
        20157
    );
    // The leeway covers a clock behind by as much.
    let soon = payload_with(|p| {
        p.insert("iat".into(), json!(NOW + 30));
    });
    let jwt = forge(HEADER, &soon, SECRET);
    assert_eq!(
        verifier().verify_at(&jwt, at(NOW)),
        Err(VerifyError::IssuedInFuture {
            issued_at: NOW + 30
        })
    );
    assert!(
        verifier()
            .leeway(Duration::from_secs(30))
            .verify_at(&jwt, at(NOW))
            .is_ok()
    );
    // Every token the builder mints verifies at its issue time.
    assert!(verifier().verify_at(&token(), at(NOW)).is_ok());
}

#[test]
fn time_claims_are_integers_or_absent() {
    for (claim, value, code) in [
        ("exp", json!(null), 20104),
        ("nbf", json!(null), 20105),
        ("iat", json!(null), 20101),
        ("iat", json!("1700000000"), 20101),
        ("iat", json!(1_700_000_000.5), 20101),
        ("iat", json!(-1), 20101),
    ] {
        let payload = payload_with(|p| {
            p.insert(claim.into(), value.clone());
        });
        assert_eq!(
            code_of(&forge(HEADER, &payload, SECRET)),
            code,
            "{claim}: {value}"
        );
    }
    let string_iat = payload_with(|p| {
        p.insert("iat".into(), json!("1700000000"));
    });
    assert_eq!(
        verifier()
            .verify_at(&forge(HEADER, &string_iat, SECRET), at(NOW))
            .unwrap_err()
            .to_string(),
        "malformed token (20101): `iat` is not a non-negative integer number of seconds"
    );
}

/// Unknown claims, header fields and grant fields are read with the rules
/// of everything else: no key twice at any depth, no lone surrogate, no
/// number out of range.
#[test]
fn what_the_verifier_does_not_know_it_reads_as_strictly() {
    let hostile = [
        r#"{"k":1,"k":2}"#,
        r#"[{"a":{"k":1,"k":2}}]"#,
        r#""\ud800""#,
        r#"{"\udc00":1}"#,
        "1e400",
        "-1e400",
    ];
    for value in hostile {
        // In a built-in grant: the grant's problem, and `grants()` agrees.
        let grant = payload_with(|p| {
            p.insert(
                "grants".into(),
                json!({"identity": "alice", "video": {"room": "standup", "x": "X"}}),
            );
        })
        .replace(r#""X""#, value);
        let err = verifier()
            .verify_at(&forge(HEADER, &grant, SECRET), at(NOW))
            .unwrap_err();
        assert_eq!(err.twilio_code(), 20106, "{value}: {err}");
        // An unknown claim: the payload's structure.
        let claim = payload_with(|p| {
            p.insert("x".into(), json!("X"));
        })
        .replace(r#""X""#, value);
        assert_eq!(code_of(&forge(HEADER, &claim, SECRET)), 20101, "{value}");
        // An unknown header field: the header's structure.
        let header = HEADER.replace(r#""typ""#, &format!(r#""x":{value},"typ""#));
        assert_eq!(
            code_of(&forge(&header, &payload_with(|_| {}), SECRET)),
            20101,
            "{value}"
        );
    }
    // The issue's case: `grants()` and `grant::<VideoGrant>()` cannot disagree.
    let payload = payload_with(|p| {
        p.insert(
            "grants".into(),
            json!({"identity": "alice", "video": {"room": "standup", "x": "X"}}),
        );
    })
    .replace(r#""X""#, r#"{"k":1,"k":2}"#);
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &payload, SECRET), at(NOW)),
        Err(VerifyError::InvalidGrant {
            grant: "video".into(),
            reason: "the key `k` is given twice".into()
        })
    );
}

#[test]
fn crit_and_a_region_that_is_no_region_code_are_20102() {
    let payload = payload_with(|_| {});
    for (header, problem, reason) in [
        (
            r#"{"alg":"HS256","crit":["exp"],"cty":"twilio-fpa;v=1","typ":"JWT"}"#,
            HeaderProblem::Crit,
            "`crit` names header extensions that must be understood, and Twilio tokens use none",
        ),
        (
            r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT","twr":"../evil"}"#,
            HeaderProblem::Twr("../evil".into()),
            r#"`twr` is "../evil", not a region code (two lower-case letters and a number, such as "us1" or "ie1")"#,
        ),
        (
            r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT","twr":"dublin"}"#,
            HeaderProblem::Twr("dublin".into()),
            r#"`twr` is "dublin", not a region code (two lower-case letters and a number, such as "us1" or "ie1")"#,
        ),
    ] {
        let error = verifier()
            .verify_at(&forge(header, &payload, SECRET), at(NOW))
            .unwrap_err();
        assert_eq!(error, VerifyError::InvalidHeader(problem), "{header}");
        assert_eq!(
            error.to_string(),
            format!("invalid token header (20102): {reason}")
        );
    }
}

/// Each way a token can be malformed is a variant a caller matches on,
/// and its message is the reason the error gives.
#[test]
fn each_malformed_token_has_a_typed_cause_and_its_message() {
    use twilio_token::{MAX_TOKEN_LEN, Malformed, Segment};
    let good = forge(HEADER, &payload_with(|_| {}), SECRET);
    let parts: Vec<&str> = good.split('.').collect();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut stray = good.clone();
    let last = stray.pop().unwrap();
    let index = alphabet.iter().position(|&c| c == last as u8).unwrap();
    stray.push(char::from(alphabet[index | 1]));
    let non_utf8 = URL_SAFE_NO_PAD.encode([0xff, 0xfe, b'{']);
    let with = |key: &str, value: Value| {
        payload_with(|p| {
            p.insert(key.into(), value);
        })
    };
    let dup_header = r#"{"alg":"HS256","alg":"none","cty":"twilio-fpa;v=1","typ":"JWT"}"#;
    let cases = [
        (
            "x".repeat(MAX_TOKEN_LEN + 1),
            Malformed::TooLong {
                len: MAX_TOKEN_LEN + 1,
                limit: MAX_TOKEN_LEN,
            },
            "the token is 16385 bytes, over the 16384-byte limit",
        ),
        (
            "a.b".into(),
            Malformed::NotThreeSegments,
            "a token is three base64url segments separated by dots",
        ),
        (
            format!("{}.{}!.{}", parts[0], parts[1], parts[2]),
            Malformed::NotBase64(Segment::Payload),
            "the payload is not base64url without padding or whitespace",
        ),
        (
            format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
            Malformed::Padded(Segment::Header),
            "the header's base64url is not canonical: it has padding, which JWTs leave out",
        ),
        (
            stray,
            Malformed::StrayBits(Segment::Signature),
            "the signature's base64url is not canonical: its last character has bits no encoder sets",
        ),
        (
            format!("{non_utf8}.{}.{}", parts[1], parts[2]),
            Malformed::NotUtf8(Segment::Header),
            "the header is not UTF-8",
        ),
        (
            forge(HEADER, "[1]", SECRET),
            Malformed::NotObject(Segment::Payload),
            "the payload is not a JSON object",
        ),
        (
            forge(HEADER, r#"{"iss":"#, SECRET),
            Malformed::NotJson(Segment::Payload, "expected a JSON value".into()),
            "the payload: expected a JSON value",
        ),
        (
            forge(dup_header, &payload_with(|_| {}), SECRET),
            Malformed::KeyTwice(Segment::Header, "alg".into()),
            "the header: the key `alg` is given twice",
        ),
        (
            forge(HEADER, &with("iat", json!("1")), SECRET),
            Malformed::NotSeconds("iat"),
            "`iat` is not a non-negative integer number of seconds",
        ),
        (
            forge(HEADER, &with("jti", json!(1)), SECRET),
            Malformed::NotString("jti"),
            "`jti` is not a string",
        ),
    ];
    for (jwt, cause, reason) in cases {
        let error = verifier().verify_at(&jwt, at(NOW)).unwrap_err();
        assert_eq!(error, VerifyError::Malformed(cause), "{jwt:.80}");
        assert_eq!(
            error.to_string(),
            format!("malformed token (20101): {reason}")
        );
    }
}

/// The header and payload of a token as JSON objects, read by the
/// verifier's reader: a key given twice is refused wherever it is, where a
/// lenient reader would keep the last.
#[test]
fn header_and_payload_are_read_as_the_verifier_reads_them() {
    use twilio_token::{Malformed, Segment};
    let payload = payload_with(|_| {});
    let (header, read) = unverified::header_and_payload(&forge(HEADER, &payload, "x")).unwrap();
    assert_eq!(
        Json::Object(header),
        serde_json::from_str::<Value>(HEADER).unwrap()
    );
    assert_eq!(
        Json::Object(read),
        serde_json::from_str::<Value>(&payload).unwrap()
    );
    let twice = payload.replacen(r#""grants":{"#, r#""grants":{"x":{},"x":{},"#, 1);
    assert_eq!(
        unverified::header_and_payload(&forge(HEADER, &twice, "x")),
        Err(VerifyError::Malformed(Malformed::KeyTwice(
            Segment::Payload,
            "x".into()
        )))
    );
    assert_eq!(
        verifier().verify_at(&forge(HEADER, &twice, SECRET), at(NOW)),
        Err(VerifyError::GrantKeyTwice { key: "x".into() })
    );
}

#[test]
fn verifier_debug_redacts_secrets() {
    let debug = format!("{:?}", verifier());
    assert!(!debug.contains(SECRET));
    assert!(debug.contains(KEY));
}

#[test]
fn unverified_access_token_reads_claims_without_any_key() {
    let jwt = forge(HEADER, &payload_with(|_| {}), "whatever");
    let claims = unverified::access_token(&jwt).unwrap();
    assert_eq!(claims.identity(), "alice");
    assert_eq!(
        unverified::access_token("garbage")
            .unwrap_err()
            .twilio_code(),
        20101
    );
}

fn all_grants(
    room: Option<String>,
    incoming: bool,
    params: Option<Map<String, Value>>,
    endpoint: Option<String>,
    role: Option<String>,
) -> (
    VideoGrant,
    VoiceGrant,
    ChatGrant,
    SyncGrant,
    TaskRouterGrant,
    PlaybackGrant,
) {
    let has_params = params.as_ref().is_some_and(|p| !p.is_empty());
    (
        VideoGrant { room },
        VoiceGrant {
            incoming_allow: incoming,
            outgoing_application_sid: has_params
                .then(|| "AP11111111111111111111111111111111".to_owned()),
            outgoing_application_params: params
                .filter(|p| !p.is_empty())
                .map(|p| p.into_iter().collect()),
            push_credential_sid: Some("CR22222222222222222222222222222222".into()),
            endpoint_id: endpoint.clone(),
        },
        ChatGrant {
            service_sid: Some("IS33333333333333333333333333333333".into()),
            endpoint_id: endpoint.clone(),
            deployment_role_sid: None,
            push_credential_sid: None,
        },
        SyncGrant {
            service_sid: None,
            endpoint_id: endpoint,
        },
        TaskRouterGrant {
            workspace_sid: Some("WS55555555555555555555555555555555".into()),
            worker_sid: None,
            role,
        },
        PlaybackGrant::new(
            [
                ("playbackUrl", json!("https://x.example/p")),
                ("requestCredentials", json!(null)),
            ]
            .into_iter()
            .collect(),
        ),
    )
}

fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e20f64..1e20).prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(Value::String),
    ]
}

proptest! {
    #[test]
    fn verify_of_sign_gives_every_built_in_grant_back(
        identity in "\\PC{1,30}",
        room in proptest::option::of("\\PC{1,20}"),
        incoming in any::<bool>(),
        params in proptest::option::of(proptest::collection::vec(("[a-z]{1,8}", json_value()), 0..4)),
        endpoint in proptest::option::of("[a-z0-9:]{1,12}"),
        role in proptest::option::of("worker|supervisor"),
    ) {
        let params = params.map(|entries| entries.into_iter().collect::<Map<String, Value>>());
        let (video, voice, chat, sync, task_router, playback) = all_grants(room, incoming, params, endpoint, role);
        let jwt = AccessToken::builder()
            .account_sid(ACCOUNT)
            .api_key(KEY, SECRET)
            .identity(identity.as_str())
            .grant(video.clone())
            .grant(voice.clone())
            .grant(chat.clone())
            .grant(sync.clone())
            .grant(task_router.clone())
            .grant(playback.clone())
            .issued_at(at(NOW))
            .sign()
            .unwrap();
        let claims = verifier().verify_at(&jwt, at(NOW)).unwrap();
        prop_assert_eq!(claims.identity(), identity.as_str());
        prop_assert_eq!(claims.grant::<VideoGrant>(), Ok(Some(video)));
        prop_assert_eq!(claims.grant::<VoiceGrant>(), Ok(Some(voice)));
        prop_assert_eq!(claims.grant::<ChatGrant>(), Ok(Some(chat)));
        prop_assert_eq!(claims.grant::<SyncGrant>(), Ok(Some(sync)));
        prop_assert_eq!(claims.grant::<TaskRouterGrant>(), Ok(Some(task_router)));
        prop_assert_eq!(claims.grant::<PlaybackGrant>(), Ok(Some(playback)));
    }

    #[test]
    fn verify_of_sign_gives_a_derived_custom_grant_back(
        app in proptest::option::of(Just("AP11111111111111111111111111111111".to_owned())),
        allow in any::<bool>(),
        count in any::<u32>(),
        label in proptest::option::of("\\PC{1,10}"),
        extra in proptest::collection::vec(("x[a-z]{1,6}", json_value()), 0..3),
    ) {
        let grant = Custom {
            app,
            allow,
            count,
            label,
            note: String::new(),
            extra: extra.into_iter().collect(),
        };
        let jwt = AccessToken::builder()
            .account_sid(ACCOUNT)
            .api_key(KEY, SECRET)
            .identity("alice")
            .grant(&grant)
            .issued_at(at(NOW))
            .sign()
            .unwrap();
        let claims = verifier().verify_at(&jwt, at(NOW)).unwrap();
        prop_assert_eq!(claims.grant::<Custom>(), Ok(Some(grant)));
    }

    /// One byte replaced, removed or added anywhere in a token, without
    /// signing it again: the verifier answers with the code of the first
    /// check the change breaks, as [`expected_code`] works it out.
    #[test]
    fn a_changed_byte_fails_with_the_code_of_the_first_check_it_breaks(
        which in 0usize..2,
        at_byte in any::<prop::sample::Index>(),
        change in 0u8..3,
        byte in prop::sample::select(MUTATION_BYTES.to_vec()),
    ) {
        let jwt = [token(), rich_token()][which].clone();
        let mut bytes = jwt.clone().into_bytes();
        let i = at_byte.index(bytes.len());
        match change {
            0 => bytes[i] = byte,
            1 => { bytes.remove(i); }
            _ => bytes.insert(i, byte),
        }
        let changed = String::from_utf8(bytes).unwrap();
        prop_assume!(changed != jwt);
        let expected = expected_code(&changed, &jwt);
        prop_assert_eq!(code_of(&changed), expected, "{}", changed);
        // Without a key, only the signature goes unchecked: a change in the
        // signature alone decodes to the same claims, and the checks before
        // the issuer give the same answer.
        let signing_input = |jwt: &str| jwt.rsplit_once('.').map(|(input, _)| input.to_owned());
        if expected == 20107 && signing_input(&changed) == signing_input(&jwt) {
            let unchanged = unverified::access_token(&jwt).unwrap();
            let decoded = unverified::access_token(&changed).unwrap();
            prop_assert_eq!(decoded.grants(), unchanged.grants());
            prop_assert_eq!(decoded.identity(), unchanged.identity());
        }
        if expected == 20102 {
            prop_assert_eq!(unverified::access_token(&changed).unwrap_err().twilio_code(), 20102);
        }
    }

    /// One byte of the payload replaced and the token signed again with
    /// the right key: the verifier answers as [`expected_after_resigning`]
    /// works out from the changed claims, in Twilio's order.
    #[test]
    fn a_resigned_change_fails_with_the_code_of_the_first_claim_it_breaks(
        which in 0usize..2,
        at_byte in any::<prop::sample::Index>(),
        byte in prop::sample::select(PAYLOAD_BYTES.to_vec()),
    ) {
        let jwt = [token(), rich_token()][which].clone();
        let segment = |n: usize| {
            String::from_utf8(URL_SAFE_NO_PAD.decode(jwt.split('.').nth(n).unwrap()).unwrap()).unwrap()
        };
        let (header, payload) = (segment(0), segment(1));
        let mut bytes = payload.clone().into_bytes();
        let i = at_byte.index(bytes.len());
        // Another byte when it is the same one.
        bytes[i] = if bytes[i] == byte { b'~' } else { byte };
        let changed = String::from_utf8(bytes).unwrap();
        let got = verifier()
            .verify_at(&forge(&header, &changed, SECRET), at(NOW))
            .map(|_| ())
            .map_err(|error| error.twilio_code());
        match expected_after_resigning(&payload, &changed, i) {
            Some(expected) => prop_assert_eq!(got, expected, "{}", changed),
            // A changed grant: whether it is valid is the grant's own
            // rule (see the property below), but it is 20106 or nothing.
            None => prop_assert!(matches!(got, Ok(()) | Err(20106)), "{}: {:?}", changed, got),
        }
    }

    /// Any cut of a token is refused with the code of its first broken
    /// check; the whole token verifies.
    #[test]
    fn a_cut_token_fails_with_the_code_of_the_first_check_it_breaks(
        which in 0usize..2,
        cut in any::<prop::sample::Index>(),
    ) {
        let jwt = [token(), rich_token()][which].clone();
        let cut = &jwt[..cut.index(jwt.len())];
        prop_assert_eq!(code_of(cut), expected_code(cut, &jwt), "{}", cut);
    }

    #[test]
    fn swapped_segments_and_resigned_claims_are_rejected(
        order in Just([0usize, 1, 2]).prop_shuffle(),
        identity in "\\PC{1,10}",
    ) {
        let jwt = token();
        let parts: Vec<&str> = jwt.split('.').collect();
        if order != [0, 1, 2] {
            let swapped = format!("{}.{}.{}", parts[order[0]], parts[order[1]], parts[order[2]]);
            prop_assert!(verifier().verify_at(&swapped, at(NOW)).is_err());
        }
        let resigned = forge(HEADER, &payload_with(|p| {
            p.insert("grants".into(), json!({"identity": identity}));
        }), "the-wrong-secret");
        prop_assert_eq!(verifier().verify_at(&resigned, at(NOW)).unwrap_err(), VerifyError::InvalidSignature);
    }

    /// Arbitrary text, and text made of a token's own alphabet, gets the
    /// code its first broken check gives.
    #[test]
    fn arbitrary_text_fails_with_the_code_of_its_first_broken_check(
        text in prop_oneof!["\\PC{0,300}", "[A-Za-z0-9_.=-]{0,300}"],
    ) {
        prop_assert_eq!(code_of(&text), expected_code(&text, &token()), "{}", text);
        // Whatever the verifier calls malformed, so does the decoder
        // (which does not read the signature).
        if expected_code(&format!("{text}.x"), &token()) == 20101 {
            prop_assert_eq!(unverified::access_token(&format!("{text}.x")).unwrap_err().twilio_code(), 20101);
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Grant, Debug, Clone, PartialEq)]
#[grant(key = "custom")]
struct Custom {
    #[grant(rename = "outgoing.application_sid", sid = "AP")]
    app: Option<String>,
    #[grant(rename = "outgoing.allow", skip_if = "is_false")]
    allow: bool,
    count: u32,
    #[grant(rename = "meta.label")]
    label: Option<String>,
    #[grant(skip)]
    note: String,
    #[grant(flatten)]
    extra: Map<String, Value>,
}

/// A JSON object built from the built-in grants' field names, nested up to
/// two deep, with values of every JSON type.
fn grant_like_object() -> impl Strategy<Value = Map<String, Value>> {
    let key = prop_oneof![
        Just("room"),
        Just("incoming"),
        Just("allow"),
        Just("outgoing"),
        Just("application_sid"),
        Just("params"),
        Just("push_credential_sid"),
        Just("endpoint_id"),
        Just("service_sid"),
        Just("deployment_role_sid"),
        Just("workspace_sid"),
        Just("worker_sid"),
        Just("role"),
        Just("configuration_profile_sid"),
        Just("other"),
    ];
    let leaf = prop_oneof![json_value(), Just(json!([1, "a"])), Just(json!({}))];
    let inner = proptest::collection::vec((key.clone(), leaf.clone()), 0..4).prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    });
    let value = prop_oneof![leaf, inner];
    proptest::collection::vec((key, value), 0..6).prop_map(|entries| {
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    })
}

/// A token whose `grants` hold `object` under `G`'s key verifies exactly
/// when `G` decodes from `object`: the verifier checks a built-in grant with
/// the grant's own decoder, and reports its error.
fn verify_agrees_with_decode<G: for<'a> DecodeGrant<'a>>(
    object: &Map<String, Value>,
) -> Result<(), TestCaseError> {
    let text = Value::Object(object.clone()).to_string();
    let decoded = G::from_json(&text).map(drop);
    let jwt = forge(
        HEADER,
        &payload_with(|payload| {
            payload["grants"][G::KEY] = Value::Object(object.clone());
        }),
        SECRET,
    );
    let verified = verifier().verify_at(&jwt, at(NOW)).map(drop);
    prop_assert_eq!(verified, decoded, "{} {}", G::KEY, text);
    Ok(())
}

proptest! {
    /// The verifier accepts a built-in grant exactly when the grant
    /// decodes, with the decoder's error.
    #[test]
    fn the_verifier_accepts_a_built_in_grant_exactly_when_it_decodes(object in grant_like_object()) {
        #[allow(deprecated)]
        {
            use twilio_token::grants::{ConversationsGrant, IpMessagingGrant};
            verify_agrees_with_decode::<VideoGrant>(&object)?;
            verify_agrees_with_decode::<VoiceGrant>(&object)?;
            verify_agrees_with_decode::<ChatGrant>(&object)?;
            verify_agrees_with_decode::<SyncGrant>(&object)?;
            verify_agrees_with_decode::<TaskRouterGrant>(&object)?;
            verify_agrees_with_decode::<PlaybackGrant>(&object)?;
            verify_agrees_with_decode::<IpMessagingGrant>(&object)?;
            verify_agrees_with_decode::<ConversationsGrant>(&object)?;
        }
    }
}

/// A grant's key: the built-in ones and two others.
fn grant_key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("video"),
        Just("voice"),
        Just("chat"),
        Just("data_sync"),
        Just("task_router"),
        Just("player"),
        Just("rtc"),
        Just("custom"),
        Just("other"),
    ]
}

/// What is put in the last grant (or `grants` without one): nothing,
/// what the verifier must refuse, or what it may take.
const INSERTS: [(&str, bool); 6] = [
    ("", true),
    (r#""dup":1,"dup":2"#, false),
    (r#""x":"\ud800""#, false),
    (r#""x":1e400"#, false),
    (r#""x":1e308"#, true),
    (r#""x":"\ud83d\ude00""#, true),
];

/// A grant read back from a token, written again as it was.
struct Raw<'a>(&'a str, &'a Json);

impl Grant for Raw<'_> {
    fn key(&self) -> &str {
        self.0
    }
    fn write_payload(&self, payload: &mut twilio_token::PayloadWriter<'_>) -> Result<(), Error> {
        payload.flatten(self.1)
    }
}

proptest! {
    /// Whatever the verifier accepts, `grants()` reads as serde_json reads
    /// the token's `grants`, every built-in grant decodes, and the claims
    /// re-signed with the same key verify to the same grants.
    #[test]
    fn what_the_verifier_accepts_reads_as_serde_json_does_and_re_signs(
        grants in proptest::collection::vec((grant_key(), grant_like_object()), 0..4),
        insert in 0..INSERTS.len(),
    ) {
        let (inserted, may_pass) = INSERTS[insert];
        let mut object = Map::new();
        object.insert("identity".into(), json!("alice"));
        let last = grants.len();
        for (index, (key, mut grant)) in grants.into_iter().enumerate() {
            if index + 1 == last && !inserted.is_empty() {
                grant.insert("INSERT".into(), Value::Null);
            }
            object.insert(key.into(), Value::Object(grant));
        }
        if last == 0 && !inserted.is_empty() {
            object.insert("INSERT".into(), Value::Null);
        }
        let text = Value::Object(object).to_string().replace(r#""INSERT":null"#, inserted);
        let payload = payload_with(|p| {
            p.insert("grants".into(), json!("GRANTS"));
        })
        .replace(r#""GRANTS""#, &text);
        let verified = verifier().verify_at(&forge(HEADER, &payload, SECRET), at(NOW));
        let claims = match verified {
            Ok(claims) => claims,
            Err(error) => {
                prop_assert_eq!(error.twilio_code(), 20106, "{}", text);
                return Ok(());
            }
        };
        prop_assert!(may_pass, "{} verified", text);
        let mut oracle: Map<String, Value> = serde_json::from_str(&text).unwrap();
        oracle.remove("identity");
        let grants = claims.grants().unwrap();
        prop_assert_eq!(serde_json::to_value(grants).unwrap(), Value::Object(oracle), "{}", text);
        #[allow(deprecated)]
        {
            use twilio_token::grants::{ConversationsGrant, IpMessagingGrant};
            prop_assert!(claims.grant::<VideoGrant>().is_ok());
            prop_assert!(claims.grant::<VoiceGrant>().is_ok());
            prop_assert!(claims.grant::<ChatGrant>().is_ok());
            prop_assert!(claims.grant::<SyncGrant>().is_ok());
            prop_assert!(claims.grant::<TaskRouterGrant>().is_ok());
            prop_assert!(claims.grant::<PlaybackGrant>().is_ok());
            prop_assert!(claims.grant::<IpMessagingGrant>().is_ok());
            prop_assert!(claims.grant::<ConversationsGrant>().is_ok());
        }
        let raw: Vec<Raw<'_>> = grants.iter().map(|(key, value)| Raw(key, value)).collect();
        let credentials = Credentials::new(ACCOUNT, KEY, SECRET).unwrap();
        let mut builder = AccessToken::builder()
            .credentials(&credentials)
            .identity(claims.identity())
            .issued_at(at(NOW));
        for grant in &raw {
            builder = builder.grant(grant);
        }
        let again = builder.sign().unwrap();
        let back = verifier().verify_at(&again, at(NOW)).unwrap();
        prop_assert_eq!(back.grants(), Ok(grants));
    }
}

/// The verifier checks a built-in grant's JSON maps (Voice's params,
/// Live's player entries) without building them, as building them would:
/// the same tokens refused, and what it accepts decodes.
#[test]
fn a_built_in_grants_json_is_checked_as_building_it_would() {
    let voice = |params: &str| {
        format!(
            r#"{{"identity":"alice","voice":{{"outgoing":{{"application_sid":"AP11111111111111111111111111111111","params":{params}}}}}}}"#
        )
    };
    let player = |extra: &str| {
        format!(
            r#"{{"identity":"alice","player":{{"playbackUrl":"https://example.com/p","x":{extra}}}}}"#
        )
    };
    let with_grants = |grants: &str| {
        payload_with(|p| {
            p.insert("grants".into(), json!("GRANTS"));
        })
        .replace(r#""GRANTS""#, grants)
    };
    for grants in [
        voice(r#"{"a":{"k":1,"k":2}}"#),
        voice(r#"{"a":[{"k":1,"k":2}]}"#),
        voice("[1]"),
        voice(r#""text""#),
        voice("1e400"),
        player(r#"{"k":1,"k":2}"#),
        player("1e400"),
    ] {
        let jwt = forge(HEADER, &with_grants(&grants), SECRET);
        assert_eq!(code_of(&jwt), 20106, "{grants}");
    }
    for grants in [
        voice(r#"{"a":{"k":1,"j":[2,{"k":3}]},"b":null}"#),
        player(r#"{"k":1,"j":{"k":[1e300]}}"#),
    ] {
        let jwt = forge(HEADER, &with_grants(&grants), SECRET);
        let claims = verifier().verify_at(&jwt, at(NOW)).unwrap();
        let read: Json = grants.parse().unwrap();
        assert_eq!(Json::Object(claims.grants().unwrap().clone()), {
            let mut read = read.as_object().unwrap().clone();
            read.remove("identity");
            Json::Object(read)
        });
        if grants.contains("voice") {
            let voice = claims.grant::<VoiceGrant>().unwrap().unwrap();
            assert_eq!(
                Json::Object(voice.outgoing_application_params.unwrap()),
                read["voice"]["outgoing"]["params"]
            );
        } else {
            let player = claims.grant::<PlaybackGrant>().unwrap().unwrap();
            assert_eq!(Json::Object(player.grant), read["player"]);
        }
    }
}
