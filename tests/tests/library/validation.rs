//! Client Validation JWTs (Twilio's Public Key Client Validation):
//! byte-identical to twilio-python 9.13 on the 18 conformance cases and on
//! random ones (`conformance/validation_random.py`), Twilio's documented
//! hashing example, the `http` crate's requests, the verifier's typed
//! errors, and refused keys and SIDs.

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use ring::signature::KeyPair;
use twilio_token::validation::{
    Algorithm, ClientValidation, Request, Unsigned, ValidationError, ValidationVerifier,
    ValidationVerifyError,
};
use twilio_token::{Json, SidKind};
use twilio_token_tests::support::{ACCOUNT, KEY, NOW, at};

const CREDENTIAL: &str = "CR00112233445566778899aabbccddeeff";

fn text<'a>(input: &'a Json, field: &str) -> &'a str {
    input[field].as_str().expect(field)
}

/// The request of a case: every header value given, in the file's order.
fn request<'a, S>(mut request: Request<'a, S>, input: &'a Json) -> Request<'a, S> {
    request = request
        .query(text(input, "query_string"))
        .body(text(input, "body").as_bytes());
    for (name, value) in input["headers"].as_object().expect("headers").iter() {
        match value.as_array() {
            Some(values) => {
                for value in values {
                    request = request.header(name, value.as_str().expect("a value"));
                }
            }
            None => request = request.header(name, value.as_str().expect("a value")),
        }
    }
    let signed: Vec<&str> = input["signed_headers"]
        .as_array()
        .expect("signed_headers")
        .iter()
        .map(|name| name.as_str().expect("a name"))
        .collect();
    request.signed_headers(signed)
}

/// The case's request, unsigned, to verify against.
fn unsigned(input: &Json) -> Request<'_, Unsigned> {
    request(
        Request::new(text(input, "method"), text(input, "path")),
        input,
    )
}

/// The public key of a private key's PEM, as PKCS#1 `RSA PUBLIC KEY` PEM
/// (ring's encoding of it).
fn public_pem(private_pem: &str) -> String {
    let body: String = private_pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(body).unwrap();
    let pair = if private_pem.contains("BEGIN RSA PRIVATE KEY") {
        ring::signature::RsaKeyPair::from_der(&der).unwrap()
    } else {
        ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap()
    };
    let encoded = STANDARD.encode(pair.public_key().as_ref());
    format!("-----BEGIN RSA PUBLIC KEY-----\n{encoded}\n-----END RSA PUBLIC KEY-----\n")
}

/// Signs the case's request with `key` at its clock, asserts the token and
/// the canonical request are twilio-python's, and that the token verifies.
fn check(name: &str, input: &Json, key: &str, public: &str, token: &str, canonical: &str) {
    let request_input = &input["request"];
    let signer = ClientValidation::new(ACCOUNT, KEY, CREDENTIAL, key).unwrap();
    let now = at(input["now"].as_u64().expect("now"));
    let signing = request(
        signer.request(text(request_input, "method"), text(request_input, "path")),
        request_input,
    )
    .issued_at(now);
    assert_eq!(signing.canonical_request().unwrap(), canonical, "{name}");
    assert_eq!(signing.sign().unwrap(), token, "{name}");
    let verifier = ValidationVerifier::new(CREDENTIAL, public).unwrap();
    let claims = verifier
        .verify_at(token, &unsigned(request_input), now)
        .unwrap();
    assert_eq!(claims.account_sid, ACCOUNT, "{name}");
    assert_eq!(claims.api_key_sid, KEY, "{name}");
}

fn conformance_case(name: &str) {
    let cases: Vec<Json> = serde_json::from_str(include_str!(
        "../../conformance/twilio-python-validation.json"
    ))
    .unwrap();
    assert_eq!(cases.len(), 18);
    let case = cases
        .iter()
        .find(|case| case["name"].as_str() == Some(name))
        .expect("the case is in the file");
    let input = &case["input"];
    assert_eq!(text(input, "account_sid"), ACCOUNT);
    assert_eq!(text(input, "api_key_sid"), KEY);
    assert_eq!(text(input, "credential_sid"), CREDENTIAL);
    check(
        name,
        input,
        text(input, "private_key"),
        &public_pem(text(input, "private_key")),
        text(case, "token"),
        text(case, "canonical_request"),
    );
}

/// One test per conformance case, named after it.
macro_rules! conformance {
    ($($name:ident)*) => {
        mod conformance {
            $(
                #[test]
                fn $name() {
                    super::conformance_case(stringify!($name));
                }
            )*
            #[test]
            fn every_case_has_a_test() {
                let cases: Vec<twilio_token::Json> = serde_json::from_str(include_str!(
                    "../../conformance/twilio-python-validation.json"
                ))
                .unwrap();
                let names: Vec<&str> = cases.iter().map(|case| case["name"].as_str().unwrap()).collect();
                assert_eq!(names, [$(stringify!($name)),*]);
            }
        }
    };
}

conformance! {
    get_no_query pkcs1_key rsa_3072 query_sorted query_repeated_keys post_form_body
    post_json_body_unicode delete header_names_mixed_case header_list_value
    signed_header_absent no_signed_header_present signed_headers_unsorted
    unsigned_headers_ignored empty_path_query_body region_edge_host
    query_with_empty_parts body_only_whitespace
}

#[test]
fn random_twilio_python_cases_are_byte_identical_and_verify() {
    let file: Json = serde_json::from_str(include_str!(
        "../../conformance/twilio-python-validation-random.json"
    ))
    .unwrap();
    let keys = file["keys"].as_array().unwrap();
    let cases = file["cases"].as_array().unwrap();
    // The keys' SubjectPublicKeyInfo PEM, as Twilio's console takes it.
    let keyfile = bad_keys();
    let public = keyfile["public"].as_array().unwrap();
    assert_eq!(keys.len(), 8);
    assert_eq!(cases.len(), 150);
    for case in cases {
        let input = &case["input"];
        let index = usize::try_from(input["key"].as_u64().unwrap()).unwrap();
        check(
            text(case, "name"),
            input,
            text(&keys[index], "pem"),
            public[index].as_str().unwrap(),
            text(case, "token"),
            text(case, "canonical_request"),
        );
    }
    // Both PEM forms, 2048 to 4096 bits.
    let forms: Vec<(&str, u64)> = keys
        .iter()
        .map(|key| (text(key, "format"), key["bits"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        forms,
        [
            ("pkcs8", 2048),
            ("pkcs1", 2048),
            ("pkcs8", 3072),
            ("pkcs1", 3072),
            ("pkcs8", 4096),
            ("pkcs1", 4096),
            ("pkcs8", 2048),
            ("pkcs1", 3072)
        ]
    );
}

/// Twilio's PKCV quickstart: the canonical request and its SHA-256, the
/// host taken from the URL as `ValidationClient` does.
#[test]
fn twilios_documented_hashing_example_is_reproduced() {
    let authorization = "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDpmb29iYXI=";
    let http = http::Request::post(
        "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000",
    )
    .header("Authorization", authorization)
    .body(b"FriendlyName=my new friendly name".to_vec())
    .unwrap();
    let request = Request::from_http(&http).unwrap();
    assert_eq!(
        request.canonical_request().unwrap(),
        "POST\n/2010-04-01/Accounts/AC00000000000000000000000000000000\n\nauthorization:Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDpmb29iYXI=\nhost:api.twilio.com\n\nauthorization;host\nb8e20591615abc52293f088c87be6df8e9b7b40c3da573f134c9132add851e2d"
    );
    assert_eq!(
        request.request_hash().unwrap(),
        "245eece1e638d9b0081ca0621183cd417fc97a1818bd822aa26697f9aa70c792"
    );
}

fn bad_keys() -> Json {
    serde_json::from_str(include_str!("../../conformance/validation-keys.json")).unwrap()
}

fn good_key() -> &'static str {
    include_str!("../../../twilio-token/src/validation/test-key.pem")
}

fn new_signer(key: &str) -> Result<ClientValidation, ValidationError> {
    ClientValidation::new(ACCOUNT, KEY, CREDENTIAL, key)
}

#[test]
fn bad_keys_are_refused_saying_what_was_given() {
    let keys = bad_keys();
    let refused = |name: &str| new_signer(text(&keys, name)).unwrap_err();
    assert_eq!(refused("encrypted_pkcs8"), ValidationError::EncryptedKey);
    assert_eq!(refused("encrypted_pkcs1"), ValidationError::EncryptedKey);
    assert_eq!(
        refused("ec_sec1"),
        ValidationError::NotRsa { what: "an EC key" }
    );
    assert_eq!(
        refused("ec_pkcs8"),
        ValidationError::NotRsa { what: "an EC key" }
    );
    assert_eq!(
        refused("ed25519_pkcs8"),
        ValidationError::NotRsa {
            what: "an Ed25519 or Ed448 key"
        }
    );
    assert_eq!(
        refused("rsa_1024_pkcs8"),
        ValidationError::KeyTooSmall { bits: 1024 }
    );
    assert_eq!(
        refused("rsa_1024_pkcs1"),
        ValidationError::KeyTooSmall { bits: 1024 }
    );
    assert_eq!(
        refused("rsa_4160_pkcs8"),
        ValidationError::KeyTooLarge {
            bits: 4160,
            max: 4096
        }
    );
    assert_eq!(
        refused("rsa_2560_pkcs1"),
        ValidationError::KeySizeUnsupported { bits: 2560 }
    );
    assert_eq!(refused("public_spki"), ValidationError::PublicKeyGiven);
    assert_eq!(
        refused("certificate"),
        ValidationError::UnexpectedPem {
            label: "CERTIFICATE".into()
        }
    );
    assert_eq!(new_signer("").unwrap_err(), ValidationError::NotPem);
    assert_eq!(
        new_signer("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC").unwrap_err(),
        ValidationError::NotPem
    );
    let cut = &good_key()[..good_key().len() - 30];
    assert_eq!(
        new_signer(cut).unwrap_err(),
        ValidationError::MalformedPem {
            reason: "no END line"
        }
    );
    let damaged = good_key().replacen("MII", "M*I", 1);
    assert_eq!(
        new_signer(&damaged).unwrap_err(),
        ValidationError::MalformedPem {
            reason: "its base64 does not decode"
        }
    );
    let truncated = good_key().replacen(
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASD",
        1,
    );
    assert!(matches!(
        new_signer(&truncated).unwrap_err(),
        ValidationError::MalformedKey { .. }
    ));
    // The messages say what was given, and what to do.
    assert_eq!(
        refused("encrypted_pkcs8").to_string(),
        "the private key is encrypted with a passphrase: decrypt it first (`openssl pkey -in key.pem -out plain.pem`) and keep the plain copy as secret as the passphrase"
    );
    assert_eq!(
        refused("public_spki").to_string(),
        "a public key was given where the private key goes: the public key is the one uploaded to Twilio; sign with the private key it was made from"
    );
}

#[test]
fn the_verifier_refuses_a_private_key_and_a_small_public_key() {
    let keys = bad_keys();
    let verifier = |pem: &str| ValidationVerifier::new(CREDENTIAL, pem).unwrap_err();
    assert_eq!(verifier(good_key()), ValidationError::PrivateKeyGiven);
    assert_eq!(
        verifier(text(&keys, "rsa_1024_public")),
        ValidationError::KeyTooSmall { bits: 1024 }
    );
    assert_eq!(
        verifier(text(&keys, "certificate")),
        ValidationError::UnexpectedPem {
            label: "CERTIFICATE".into()
        }
    );
    assert_eq!(
        ValidationVerifier::new("CR123", text(&keys, "public_spki")).unwrap_err(),
        ValidationError::InvalidSid {
            kind: SidKind::Credential,
            len: 5
        }
    );
}

#[test]
fn bad_sids_are_refused_by_kind() {
    let key = good_key();
    let cases = [
        (
            ("AC123", KEY, CREDENTIAL),
            ValidationError::InvalidSid {
                kind: SidKind::Account,
                len: 5,
            },
        ),
        (
            (KEY, KEY, CREDENTIAL),
            ValidationError::InvalidSid {
                kind: SidKind::Account,
                len: 34,
            },
        ),
        (
            (ACCOUNT, ACCOUNT, CREDENTIAL),
            ValidationError::InvalidSid {
                kind: SidKind::ApiKey,
                len: 34,
            },
        ),
        (
            (ACCOUNT, "", CREDENTIAL),
            ValidationError::InvalidSid {
                kind: SidKind::ApiKey,
                len: 0,
            },
        ),
        (
            (ACCOUNT, KEY, KEY),
            ValidationError::InvalidSid {
                kind: SidKind::Credential,
                len: 34,
            },
        ),
        (
            (ACCOUNT, KEY, "CR00112233445566778899AABBCCDDEEFF"),
            ValidationError::InvalidSid {
                kind: SidKind::Credential,
                len: 34,
            },
        ),
    ];
    for ((account, api_key, credential), expected) in cases {
        assert_eq!(
            ClientValidation::new(account, api_key, credential, key).unwrap_err(),
            expected
        );
    }
}

#[test]
fn the_signer_never_shows_its_key() {
    let signer = new_signer(good_key()).unwrap();
    let shown = format!("{signer:?}");
    assert_eq!(
        shown,
        format!(
            "ClientValidation {{ account_sid: \"{ACCOUNT}\", api_key_sid: \"{KEY}\", credential_sid: \"{CREDENTIAL}\", key: \"<redacted>\", algorithm: Rs256 }}"
        )
    );
}

#[test]
fn requests_http_would_not_send_are_refused() {
    let signer = new_signer(good_key()).unwrap();
    assert_eq!(
        signer.request("GE T", "/").sign().unwrap_err(),
        ValidationError::InvalidMethod { len: 4 }
    );
    assert_eq!(
        signer
            .request("GET", "/")
            .header("Bad Name", "x")
            .sign()
            .unwrap_err(),
        ValidationError::InvalidHeaderName {
            name: "bad name".into()
        }
    );
    assert_eq!(
        signer
            .request("GET", "/")
            .header("Host", "a\r\nx-evil: 1")
            .sign()
            .unwrap_err(),
        ValidationError::InvalidHeaderValue {
            name: "host".into()
        }
    );
    assert_eq!(
        signer
            .request("GET", "/")
            .signed_headers(["host;x"])
            .sign()
            .unwrap_err(),
        ValidationError::InvalidHeaderName {
            name: "host;x".into()
        }
    );
    assert_eq!(
        signer
            .request("GET", "/")
            .issued_at(SystemTime::UNIX_EPOCH - std::time::Duration::from_secs(1))
            .sign()
            .unwrap_err(),
        ValidationError::TimeOutOfRange
    );
}

fn verifier() -> ValidationVerifier {
    ValidationVerifier::new(
        CREDENTIAL,
        include_str!("../../../twilio-token/src/validation/test-key.pub.pem"),
    )
    .unwrap()
}

#[test]
fn ps256_tokens_are_randomized_and_verify() {
    let signer = new_signer(good_key()).unwrap().algorithm(Algorithm::Ps256);
    let sign = || {
        signer
            .request("GET", "/v1/Services")
            .issued_at(at(NOW))
            .sign()
            .unwrap()
    };
    let (first, second) = (sign(), sign());
    assert_ne!(first, second);
    let header = first.split('.').next().unwrap();
    assert_eq!(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap(),
        br#"{"alg":"PS256","cty":"twilio-pkrv;v=1","kid":"CR00112233445566778899aabbccddeeff","typ":"JWT"}"#
    );
    for token in [first, second] {
        let claims = verifier()
            .verify_at(&token, &Request::new("GET", "/v1/Services"), at(NOW))
            .unwrap();
        assert_eq!(claims.algorithm, Algorithm::Ps256);
    }
}

#[test]
fn the_verifier_checks_header_signature_and_times_in_order() {
    let signer = new_signer(good_key()).unwrap();
    let token = signer
        .request("GET", "/")
        .issued_at(at(NOW))
        .sign()
        .unwrap();
    let request = Request::new("GET", "/");
    let verify = |token: &str, now: u64| verifier().verify_at(token, &request, at(now));
    assert!(verify(&token, NOW).is_ok());
    assert!(verify(&token, NOW + 299).is_ok());
    assert_eq!(
        verify(&token, NOW + 300).unwrap_err(),
        ValidationVerifyError::Expired { expires: NOW + 300 }
    );
    assert_eq!(
        verify(&token, NOW - 1).unwrap_err(),
        ValidationVerifyError::NotYetValid { not_before: NOW }
    );
    let (header, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let reheader = |json: &str| {
        format!(
            "{}.{payload}.{signature}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
        )
    };
    assert_eq!(
        verify(&reheader(r#"{"alg":"HS256","cty":"twilio-pkrv;v=1","kid":"CR00112233445566778899aabbccddeeff","typ":"JWT"}"#), NOW).unwrap_err(),
        ValidationVerifyError::UnsupportedAlgorithm { alg: "HS256".into() }
    );
    assert_eq!(
        verify(&reheader(r#"{"alg":"RS256","cty":"twilio-fpa;v=1","kid":"CR00112233445566778899aabbccddeeff","typ":"JWT"}"#), NOW).unwrap_err(),
        ValidationVerifyError::WrongContentType { cty: Some("twilio-fpa;v=1".into()) }
    );
    assert_eq!(
        verify(&reheader(r#"{"alg":"RS256","cty":"twilio-pkrv;v=1","kid":"CR99999999999999999999999999999999","typ":"JWT"}"#), NOW).unwrap_err(),
        ValidationVerifyError::WrongCredential { kid: "CR99999999999999999999999999999999".into() }
    );
    assert_eq!(
        verify(&reheader(r#"{"alg":"RS256","cty":"twilio-pkrv;v=1","kid":"CR00112233445566778899aabbccddeeff","typ":"JWT" }"#), NOW).unwrap_err(),
        ValidationVerifyError::InvalidSignature
    );
    assert_eq!(
        verify(&format!("{header}.{payload}"), NOW).unwrap_err(),
        ValidationVerifyError::Malformed {
            reason: "not three segments separated by dots".into()
        }
    );
    assert_eq!(
        verify(&"a".repeat(twilio_token::MAX_TOKEN_LEN + 1), NOW).unwrap_err(),
        ValidationVerifyError::Malformed {
            reason: "16385 bytes, over the 16384-byte limit".into()
        }
    );
}

/// A request's parts, for the property test.
#[derive(Debug, Clone)]
struct Parts {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    signed: Vec<String>,
    body: Vec<u8>,
}

impl Parts {
    fn request(&self) -> Request<'_, Unsigned> {
        let mut request = Request::new(&self.method, &self.path)
            .query(&self.query)
            .body(&self.body)
            .signed_headers(&self.signed);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request
    }
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        "[A-Z]{1,7}",
        "(/[a-zA-Z0-9%._~-]{0,8}){0,4}",
        "([a-z]{0,3}=?[a-z0-9%]{0,3}&?){0,4}",
        proptest::collection::vec(("[a-zA-Z][a-zA-Z0-9-]{0,6}", "[ -~é☃]{0,12}"), 0..5),
        proptest::collection::vec("[a-z][a-z0-9-]{0,6}", 0..4),
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(method, path, query, headers, mut signed, body)| {
            // Sign some of the headers the request has.
            for (i, (name, _)) in headers.iter().enumerate() {
                if i % 2 == 0 {
                    signed.push(name.to_ascii_lowercase());
                }
            }
            Parts {
                method,
                path,
                query,
                headers,
                signed,
                body,
            }
        })
}

/// What a property test changes in a signed request.
#[derive(Debug, Clone)]
enum Change {
    Method,
    Path,
    Query,
    SignedHeaderValue,
    AddedSignedHeader,
    Body,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A signed request verifies; the same request changed in any signed
    /// part does not, with `RequestMismatch`.
    #[test]
    fn a_signed_request_verifies_and_a_changed_one_does_not(
        parts in parts(),
        change in prop_oneof![
            Just(Change::Method), Just(Change::Path), Just(Change::Query),
            Just(Change::SignedHeaderValue), Just(Change::AddedSignedHeader), Just(Change::Body),
        ],
        ps256 in any::<bool>(),
    ) {
        let algorithm = if ps256 { Algorithm::Ps256 } else { Algorithm::Rs256 };
        let signer = new_signer(good_key()).unwrap().algorithm(algorithm);
        let mut signing = signer.request(&parts.method, &parts.path)
            .query(&parts.query)
            .body(&parts.body)
            .signed_headers(&parts.signed)
            .issued_at(at(NOW));
        for (name, value) in &parts.headers {
            signing = signing.header(name, value);
        }
        let token = signing.sign().unwrap();
        let claims = verifier().verify_at(&token, &parts.request(), at(NOW)).unwrap();
        prop_assert_eq!(claims.algorithm, algorithm);

        let mut changed = parts.clone();
        match change {
            Change::Method => changed.method.push('X'),
            Change::Path => changed.path.push('x'),
            Change::Query => changed.query.push_str("&z=1"),
            Change::Body => changed.body.push(b'x'),
            Change::SignedHeaderValue => match changed.headers.first_mut() {
                // The first header is always signed.
                Some((_, value)) => value.push('x'),
                None => changed.method.push('X'),
            },
            Change::AddedSignedHeader => {
                let name = changed.signed.first().cloned().unwrap_or_else(|| "host".into());
                if changed.signed.is_empty() {
                    changed.method.push('X');
                }
                changed.headers.push((name, "added".into()));
            }
        }
        prop_assert_eq!(
            verifier().verify_at(&token, &changed.request(), at(NOW)).unwrap_err(),
            ValidationVerifyError::RequestMismatch
        );
    }
}

#[test]
fn an_http_request_is_signed_with_its_host_from_the_uri() {
    let signer = new_signer(good_key()).unwrap();
    let mut http = http::Request::post("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json?PageSize=20")
        .header("Authorization", "Basic U0s6c2VjcmV0")
        .body(b"To=%2B15005550006&Body=hi".to_vec())
        .unwrap();
    let by_hand = signer
        .request(
            "POST",
            "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json",
        )
        .query("PageSize=20")
        .header("Host", "api.twilio.com")
        .header("Authorization", "Basic U0s6c2VjcmV0")
        .body(b"To=%2B15005550006&Body=hi")
        .issued_at(at(NOW))
        .sign()
        .unwrap();
    assert_eq!(
        signer
            .request_from_http(&http)
            .unwrap()
            .issued_at(at(NOW))
            .sign()
            .unwrap(),
        by_hand
    );
    signer.add_header(&mut http).unwrap();
    let jwt = http.headers()["twilio-client-validation"]
        .to_str()
        .unwrap()
        .to_owned();
    let claims = verifier()
        .verify(&jwt, &Request::from_http(&http).unwrap())
        .unwrap();
    assert_eq!(claims.signed_headers, "authorization;host");
    // A Host header wins over the URI's.
    http.headers_mut().insert(
        "host",
        http::HeaderValue::from_static("api.dublin.ie1.twilio.com"),
    );
    assert_eq!(
        Request::from_http(&http)
            .unwrap()
            .canonical_request()
            .unwrap()
            .lines()
            .nth(4),
        Some("host:api.dublin.ie1.twilio.com")
    );
}

/// The command-line tool, with the account and API key in the environment
/// and no other Twilio variable.
fn cli() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(twilio_token_tests::support::cli_path());
    for var in [
        "TWILIO_API_SECRET",
        "TWILIO_REGION",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_CREDENTIAL_SID",
    ] {
        command.env_remove(var);
    }
    command
        .env("TWILIO_ACCOUNT_SID", ACCOUNT)
        .env("TWILIO_API_KEY", KEY);
    command
}

/// A file holding `text`, removed when the test ends.
struct KeyFile(std::path::PathBuf);

impl KeyFile {
    fn new(name: &str, text: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "twilio-token-validation-{}-{name}.pem",
            std::process::id()
        ));
        std::fs::write(&path, text).unwrap();
        KeyFile(path)
    }
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const MESSAGES: &str =
    "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";

#[test]
fn the_cli_signs_a_request_that_verifies() {
    let key = KeyFile::new("good", good_key());
    let output = cli()
        .env("TWILIO_API_SECRET", "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E")
        .args([
            "validation",
            "--credential-sid",
            CREDENTIAL,
            "--private-key",
        ])
        .arg(&key.0)
        .args([
            "--method",
            "POST",
            "--url",
            &format!("{MESSAGES}?PageSize=20"),
        ])
        .args([
            "-H",
            "Content-Type: application/x-www-form-urlencoded",
            "--data",
            "To=%2B15005550006&Body=hi",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let jwt = stdout.strip_suffix('\n').unwrap();
    // What curl sends for -u "$TWILIO_API_KEY:$TWILIO_API_SECRET".
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{KEY}:xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E"))
    );
    let request = Request::new(
        "POST",
        "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json",
    )
    .query("PageSize=20")
    .header("Host", "api.twilio.com")
    .header("Authorization", &basic)
    .header("Content-Type", "application/x-www-form-urlencoded")
    .body(b"To=%2B15005550006&Body=hi");
    let claims = verifier().verify(jwt, &request).unwrap();
    assert_eq!(
        (claims.account_sid.as_str(), claims.api_key_sid.as_str()),
        (ACCOUNT, KEY)
    );
}

/// Pieces of 12 characters of a PEM text's base64: none may appear in
/// what the tool says.
fn key_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| {
            (0..line.len().saturating_sub(11))
                .step_by(12)
                .map(move |at| &line[at..at + 12])
        })
        .collect()
}

#[test]
fn the_cli_never_prints_key_material() {
    let keys = bad_keys();
    let cases = [
        (
            "public_spki",
            "a public key was given where the private key goes",
        ),
        (
            "encrypted_pkcs8",
            "the private key is encrypted with a passphrase",
        ),
        (
            "encrypted_pkcs1",
            "the private key is encrypted with a passphrase",
        ),
        ("ec_sec1", "the key is an EC key, not RSA"),
        ("rsa_1024_pkcs1", "the RSA key has 1024 bits"),
        (
            "certificate",
            "the PEM block is `CERTIFICATE`, not an RSA key",
        ),
    ];
    for (name, start) in cases {
        let pem = text(&keys, name);
        let key = KeyFile::new(name, pem);
        let output = cli()
            .args([
                "validation",
                "--credential-sid",
                CREDENTIAL,
                "--url",
                MESSAGES,
                "--private-key",
            ])
            .arg(&key.0)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with(&format!("error: {start}")),
            "{name}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{name}");
        for line in key_lines(pem) {
            assert!(!stderr.contains(line), "{name}: {stderr}");
        }
    }
    // The key itself where its path goes, or as a stray argument.
    let pem = good_key();
    for args in [
        vec!["--private-key", pem],
        vec!["--private-key", "/dev/null", pem],
    ] {
        let output = cli()
            .args([
                "validation",
                "--credential-sid",
                CREDENTIAL,
                "--url",
                MESSAGES,
            ])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for line in key_lines(pem) {
            assert!(!said.contains(line), "{said}");
        }
    }
    let output = cli()
        .args([
            "validation",
            "--credential-sid",
            CREDENTIAL,
            "--url",
            MESSAGES,
        ])
        .arg(format!("--private-key={pem}"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: an argument holds a PEM key (`-----BEGIN …`), which is not shown: pass the key file's path with --private-key, and keep the key itself out of the command line (shell history, the process list)\n"
    );
}

#[test]
fn the_cli_refuses_bad_sids_by_kind() {
    let key = KeyFile::new("sids", good_key());
    let output = cli()
        .args([
            "validation",
            "--credential-sid",
            "CR123",
            "--url",
            MESSAGES,
            "--private-key",
        ])
        .arg(&key.0)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: {}\n",
            ValidationError::InvalidSid {
                kind: SidKind::Credential,
                len: 5
            }
        )
    );
}

#[test]
fn the_cli_reads_the_secret_from_stdin_and_warns_without_an_authorization_header() {
    let key = KeyFile::new("stdin", good_key());
    let sign = |extra: &[&str], stdin: &str| {
        cli()
            .args([
                "validation",
                "--credential-sid",
                CREDENTIAL,
                "--url",
                MESSAGES,
                "--private-key",
            ])
            .arg(&key.0)
            .args(extra)
            .write_stdin(stdin)
            .output()
            .unwrap()
    };
    let output = sign(&["--api-secret", "-"], "stdin-secret\n");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let jwt = String::from_utf8(output.stdout).unwrap();
    let basic = format!("Basic {}", STANDARD.encode(format!("{KEY}:stdin-secret")));
    let path = MESSAGES.strip_prefix("https://api.twilio.com").unwrap();
    let request = Request::new("GET", path)
        .header("Host", "api.twilio.com")
        .header("Authorization", &basic);
    assert!(verifier().verify(jwt.trim_end(), &request).is_ok());

    let output = sign(&[], "");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "warning: no Authorization header to sign: Twilio requires it; pass -H 'Authorization: …' or set TWILIO_API_SECRET (signed as curl -u \"$TWILIO_API_KEY:$TWILIO_API_SECRET\" sends it)\n"
    );
}

#[test]
fn a_request_shows_no_header_value() {
    let signer = new_signer(good_key()).unwrap();
    let request = signer
        .request("POST", "/v1/Services")
        .header(
            "Authorization",
            "Basic U0tmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMDpzZWNyZXQ=",
        )
        .header("Host", "conversations.twilio.com")
        .body(b"FriendlyName=x");
    assert_eq!(
        format!("{request:?}"),
        format!(
            "Request {{ signer: ClientValidation {{ account_sid: \"{ACCOUNT}\", api_key_sid: \"{KEY}\", credential_sid: \"{CREDENTIAL}\", key: \"<redacted>\", algorithm: Rs256 }}, method: \"POST\", path: \"/v1/Services\", query: \"\", headers (name, values): [(\"authorization\", 1), (\"host\", 1)], signed_headers: \"authorization;host\", body_len: 14, issued_at: None }}"
        )
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever text is given as a token, or however a real one is
    /// altered, the verifier returns an error and does not panic.
    #[test]
    fn the_verifier_refuses_any_altered_token_without_panicking(
        text in "\\PC{0,200}",
        at in any::<prop::sample::Index>(),
        replacement in "[A-Za-z0-9_.=-]",
    ) {
        let signer = new_signer(good_key()).unwrap();
        let request = Request::new("GET", "/");
        let token = signer.request("GET", "/").issued_at(at_now()).sign().unwrap();
        prop_assert!(verifier().verify_at(&text, &request, at_now()).is_err());
        let index = at.index(token.len());
        let mut altered = token.clone();
        altered.replace_range(index..=index, &replacement);
        if altered != token {
            prop_assert!(verifier().verify_at(&altered, &request, at_now()).is_err());
        }
    }
}

fn at_now() -> SystemTime {
    at(NOW)
}
