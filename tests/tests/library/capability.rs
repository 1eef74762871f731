//! Capability tokens (Twilio Client and TaskRouter): byte-identical to
//! twilio-python 9.13 on the 19 conformance cases, 200 random cases and
//! every combination of the TaskRouter flags (files in `conformance/`,
//! made by `capability_random.py`); verified with their Twilio codes.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use twilio_token::builder::{AccountSid, AuthToken};
use twilio_token::capability::{
    Capabilities, CapabilityBuilder, CapabilityVerifier, Channel, ClientCapability, NO_PARAMS,
    Permission, Policy, TaskRouter, TaskRouterCapability, UnknownPermission, Worker,
};
use twilio_token::unverified;
use twilio_token::{Error, Json, SidKind};

use twilio_token_tests::support::{ACCOUNT, Case, NOW, at, cases};

use crate::oracle;

/// The Auth Token of the capability conformance cases.
const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn text<'a>(input: &'a Json, field: &str) -> &'a str {
    input[field].as_str().expect(field)
}

/// An object of strings as pairs, in the file's order.
fn pairs(input: &Json) -> Vec<(String, String)> {
    input
        .as_object()
        .map(|object| {
            object
                .iter()
                .map(|(key, value)| (key.to_owned(), value.as_str().expect("text").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The times of a case: `ttl`, and `nbf` (a time, or null to leave it out).
fn times<K>(
    builder: CapabilityBuilder<K, AccountSid<'static>, AuthToken>,
    input: &Json,
) -> CapabilityBuilder<K, AccountSid<'static>, AuthToken> {
    let mut builder = builder.issued_at(at(input["now"].as_u64().expect("now")));
    if let Some(ttl) = input.get("ttl").and_then(Json::as_u64) {
        builder = builder.ttl(Duration::from_secs(ttl));
    }
    match input.get("nbf") {
        None => builder,
        Some(Json::Null) => builder.omit_not_before(),
        Some(nbf) => builder.not_before(at(nbf.as_u64().expect("nbf"))),
    }
}

fn policy(input: &Json) -> Policy {
    let method = text(input, "method");
    let url = text(input, "url");
    let mut policy = if input["allow"] == Json::Bool(true) {
        Policy::allow(method, url)
    } else {
        Policy::deny(method, url)
    };
    for (name, filter) in input["query_filter"]
        .as_object()
        .expect("query_filter")
        .iter()
    {
        policy = policy.query_filter(name, filter["required"] == Json::Bool(true));
    }
    for (name, filter) in input["post_filter"]
        .as_object()
        .expect("post_filter")
        .iter()
    {
        policy = policy.post_filter(name, filter["required"] == Json::Bool(true));
    }
    policy
}

/// The flags every TaskRouter builder has, by twilio-python's name.
fn common_flag<C, A, T>(
    builder: CapabilityBuilder<TaskRouter<C>, A, T>,
    name: &str,
    allow: bool,
) -> CapabilityBuilder<TaskRouter<C>, A, T> {
    match name {
        "allow_web_sockets" => builder.allow_web_sockets(allow),
        "allow_fetch_self" => builder.allow_fetch_self(allow),
        "allow_update_self" => builder.allow_update_self(allow),
        "allow_delete_self" => builder.allow_delete_self(allow),
        "allow_fetch_subresources" => builder.allow_fetch_subresources(allow),
        "allow_update_subresources" => builder.allow_update_subresources(allow),
        "allow_delete_subresources" => builder.allow_delete_subresources(allow),
        other => panic!("not a common flag: {other}"),
    }
}

fn worker_flag<A, T>(
    builder: CapabilityBuilder<TaskRouter<Worker>, A, T>,
    name: &str,
    allow: bool,
) -> CapabilityBuilder<TaskRouter<Worker>, A, T> {
    match name {
        "allow_fetch_activities" => builder.allow_fetch_activities(allow),
        "allow_fetch_reservations" => builder.allow_fetch_reservations(allow),
        "allow_fetch_worker_reservations" => builder.allow_fetch_worker_reservations(allow),
        "allow_update_activities" => builder.allow_update_activities(allow),
        "allow_update_reservations" => builder.allow_update_reservations(allow),
        other => common_flag(builder, other, allow),
    }
}

/// Applies the flags and policies of a case and signs.
fn finish<C: Channel>(
    mut builder: CapabilityBuilder<TaskRouter<C>, AccountSid<'static>, AuthToken>,
    input: &Json,
    flag: impl Fn(
        CapabilityBuilder<TaskRouter<C>, AccountSid<'static>, AuthToken>,
        &str,
        bool,
    ) -> CapabilityBuilder<TaskRouter<C>, AccountSid<'static>, AuthToken>,
) -> Result<String, Error> {
    builder = times(builder, input);
    if let Some(flags) = input.get("flags").and_then(Json::as_object) {
        for (name, allow) in flags.iter() {
            builder = flag(builder, name, *allow == Json::Bool(true));
        }
    }
    for extra in input
        .get("policies")
        .and_then(Json::as_array)
        .unwrap_or(&[])
    {
        builder = builder.policy(policy(extra));
    }
    builder.sign()
}

/// What our library mints for a case's input.
fn mint(input: &Json) -> Result<String, Error> {
    let account = text(input, "account_sid");
    let auth_token = text(input, "auth_token");
    match text(input, "kind") {
        "client" => {
            let mut builder = times(
                ClientCapability::builder()
                    .account_sid(account)
                    .auth_token(auth_token),
                input,
            );
            if let Some(outgoing) = input.get("outgoing") {
                let params = outgoing.get("params").map(pairs).unwrap_or_default();
                builder = builder.allow_outgoing(text(outgoing, "application_sid"), params);
            }
            if let Some(name) = input.get("incoming") {
                builder = builder.allow_incoming(name.as_str().expect("incoming"));
            }
            if let Some(params) = input.get("event_stream") {
                builder = builder.allow_event_stream(pairs(params));
            }
            builder.sign()
        }
        kind => {
            let workspace = text(input, "workspace_sid");
            let channel = text(input, "channel_id");
            match kind {
                "worker" => finish(
                    TaskRouterCapability::worker(workspace, channel)
                        .account_sid(account)
                        .auth_token(auth_token),
                    input,
                    worker_flag,
                ),
                "taskqueue" => finish(
                    TaskRouterCapability::task_queue(workspace, channel)
                        .account_sid(account)
                        .auth_token(auth_token),
                    input,
                    common_flag,
                ),
                "workspace" => finish(
                    TaskRouterCapability::workspace(workspace)
                        .account_sid(account)
                        .auth_token(auth_token),
                    input,
                    common_flag,
                ),
                other => panic!("unknown kind {other}"),
            }
        }
    }
}

fn payload_of(jwt: &str) -> String {
    let payload = jwt.split('.').nth(1).expect("three segments");
    String::from_utf8(URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("UTF-8")
}

/// Every case: the same payload text and the same token; and the token
/// verifies, its claims those of the payload.
fn check_cases(cases: &[Case]) {
    let verifier = CapabilityVerifier::new(ACCOUNT, AUTH_TOKEN).unwrap();
    for case in cases {
        let jwt = mint(&case.input).unwrap_or_else(|error| panic!("{}: {error}", case.name));
        assert_eq!(payload_of(&jwt), case.payload, "{}: payload", case.name);
        assert_eq!(jwt, case.token, "{}: token", case.name);

        let payload: Json = serde_json::from_str(&case.payload).unwrap();
        // Verified at the issue time, or at `nbf` when that is later.
        let now = payload
            .get("nbf")
            .and_then(Json::as_u64)
            .map_or(NOW, |nbf| nbf.max(NOW));
        let claims = verifier
            .verify_at(&jwt, at(now))
            .unwrap_or_else(|error| panic!("{}: {error}", case.name));
        assert_eq!(claims.account_sid(), ACCOUNT);
        assert_eq!(
            claims.expires_at(),
            at(payload["exp"].as_u64().unwrap()),
            "{}",
            case.name
        );
        assert_eq!(
            claims.not_before(),
            payload["nbf"].as_u64().map(at),
            "{}",
            case.name
        );
        match claims.capabilities() {
            Capabilities::Client { scopes } => {
                let uris: Vec<String> = scopes.iter().map(ToString::to_string).collect();
                assert_eq!(
                    Some(uris.join(" ").as_str()),
                    payload["scope"].as_str(),
                    "{}",
                    case.name
                );
            }
            Capabilities::TaskRouter {
                workspace_sid,
                channel,
                policies,
            } => {
                assert_eq!(
                    Some(workspace_sid.as_str()),
                    payload["workspace_sid"].as_str()
                );
                assert_eq!(Some(channel.as_str()), payload["channel"].as_str());
                let expected = payload["policies"].as_array().unwrap();
                assert_eq!(policies.len(), expected.len(), "{}", case.name);
                for (policy, expected) in policies.iter().zip(expected) {
                    assert_eq!(Some(policy.url()), expected["url"].as_str());
                    assert_eq!(Some(policy.method()), expected["method"].as_str());
                    assert_eq!(Json::Bool(policy.is_allowed()), expected["allow"]);
                    for (ours, theirs) in [
                        (policy.query_filters(), &expected["query_filter"]),
                        (policy.post_filters(), &expected["post_filter"]),
                    ] {
                        let theirs: Vec<(String, bool)> = theirs
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(name, filter)| {
                                (name.to_owned(), filter["required"] == Json::Bool(true))
                            })
                            .collect();
                        assert_eq!(ours, theirs, "{}", case.name);
                    }
                }
            }
            other => panic!("{}: {other:?}", case.name),
        }
    }
}

#[test]
fn the_19_conformance_cases_are_byte_identical_and_verify() {
    let cases = cases(include_str!(
        "../../conformance/twilio-python-capability.json"
    ));
    assert_eq!(cases.len(), 19);
    check_cases(&cases);
}

#[test]
fn random_twilio_python_cases_are_byte_identical_and_verify() {
    let cases = cases(include_str!(
        "../../conformance/twilio-python-capability-random.json"
    ));
    assert_eq!(cases.len(), 200);
    check_cases(&cases);
}

/// Sets each flag, in the order given, then signs at the frozen clock.
fn sign_flags<'a, C: Channel>(
    mut builder: CapabilityBuilder<TaskRouter<C>>,
    flags: impl Iterator<Item = (&'a str, bool)>,
    flag: impl Fn(CapabilityBuilder<TaskRouter<C>>, &str, bool) -> CapabilityBuilder<TaskRouter<C>>,
) -> Result<String, Error> {
    for (name, allow) in flags {
        builder = flag(builder, name, allow);
    }
    builder
        .account_sid(ACCOUNT)
        .auth_token(AUTH_TOKEN)
        .issued_at(at(NOW))
        .sign()
}

#[test]
fn every_combination_of_flags_is_byte_identical() {
    let file: serde_json::Value = serde_json::from_str(include_str!(
        "../../conformance/twilio-python-capability-flags.json"
    ))
    .unwrap();
    let names = |group: &str| -> Vec<String> {
        file["flags"][group]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| name.as_str().unwrap().to_owned())
            .collect()
    };
    let common = names("common");
    let worker: Vec<String> = common.iter().cloned().chain(names("worker")).collect();
    let (workspace, worker_sid, queue) = (
        "WS55555555555555555555555555555555",
        "WK66666666666666666666666666666666",
        "WQ77777777777777777777777777777777",
    );
    let tag = |jwt: String| jwt.rsplit('.').next().unwrap().to_owned();
    for (kind, names) in [
        ("worker", &worker),
        ("taskqueue", &common),
        ("workspace", &common),
    ] {
        let tags = file[kind].as_array().unwrap();
        assert_eq!(tags.len(), 1 << names.len(), "{kind}");
        for (combination, expected) in tags.iter().enumerate() {
            let flags = names
                .iter()
                .enumerate()
                .map(|(bit, name)| (name.as_str(), combination >> bit & 1 == 1));
            let signed = match kind {
                "worker" => sign_flags(
                    TaskRouterCapability::worker(workspace, worker_sid),
                    flags,
                    worker_flag,
                ),
                "taskqueue" => sign_flags(
                    TaskRouterCapability::task_queue(workspace, queue),
                    flags,
                    common_flag,
                ),
                _ => sign_flags(
                    TaskRouterCapability::workspace(workspace),
                    flags,
                    common_flag,
                ),
            };
            assert_eq!(
                tag(signed.unwrap()),
                *expected,
                "{kind} combination {combination:#b}"
            );
        }
    }
}

/// The policies come out in twilio-python's order whatever order the
/// methods are called in.
#[test]
fn flag_order_does_not_matter() {
    let one = worker()
        .allow_update_reservations(true)
        .allow_update_activities(true)
        .sign()
        .unwrap();
    let other = worker()
        .allow_update_activities(true)
        .allow_update_reservations(true)
        .sign()
        .unwrap();
    assert_eq!(one, other);
    // Conformance case `worker_update_activities_reservations`.
    assert!(
        one.ends_with(".Ber1JeqminYn4_6VvaGdPfm4LWuh-j7kOREPuVXgfro"),
        "{one}"
    );
    // A scope allowed before another comes out in twilio-python's order too.
    let client = |incoming_first: bool| {
        let builder = ClientCapability::builder()
            .account_sid(ACCOUNT)
            .auth_token(AUTH_TOKEN)
            .issued_at(at(NOW));
        if incoming_first {
            builder
                .allow_incoming("alice")
                .allow_outgoing("AP11111111111111111111111111111111", NO_PARAMS)
        } else {
            builder
                .allow_outgoing("AP11111111111111111111111111111111", NO_PARAMS)
                .allow_incoming("alice")
        }
        .sign()
        .unwrap()
    };
    assert_eq!(client(true), client(false));
}

/// The one list of TaskRouter permissions: twilio-python's keyword
/// arguments in the order it applies them, by name, a worker's own marked.
#[test]
fn permissions_are_twilio_pythons_keyword_arguments_in_its_order() {
    let names: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(
        names,
        [
            "web-sockets",
            "fetch-self",
            "update-self",
            "delete-self",
            "fetch-subresources",
            "delete-subresources",
            "update-subresources",
            "fetch-activities",
            "fetch-reservations",
            "fetch-worker-reservations",
            "update-activities",
            "update-reservations",
        ]
    );
    let workers_only: Vec<&str> = Permission::ALL
        .iter()
        .filter(|p| p.is_worker_only())
        .map(|p| p.name())
        .collect();
    assert_eq!(workers_only, &names[7..]);
    for &permission in Permission::ALL {
        assert_eq!(permission.name().parse(), Ok(permission));
        assert_eq!(permission.to_string(), permission.name());
    }
    assert!(matches!(
        "allow_web_sockets".parse::<Permission>(),
        Err(UnknownPermission { .. })
    ));
}

/// `.allow(permission, allow)` is that permission's `allow_*` method.
#[test]
fn allow_is_the_method_of_its_permission() {
    for allow in [true, false] {
        for &permission in Permission::ALL {
            let method = format!("allow_{}", permission.name().replace('-', "_"));
            assert_eq!(
                worker().allow(permission, allow).sign(),
                worker_flag(worker(), &method, allow).sign(),
                "{method}({allow})"
            );
        }
    }
}

/// A worker's own permission allowed on a task queue's or a workspace's
/// token is refused at signing; denied, it changes nothing.
#[test]
fn a_workers_own_permission_on_another_channel_is_refused_at_signing() {
    let ws = "WS55555555555555555555555555555555";
    let queue = || {
        TaskRouterCapability::task_queue(ws, "WQ77777777777777777777777777777777")
            .account_sid(ACCOUNT)
            .auth_token(AUTH_TOKEN)
            .issued_at(at(NOW))
    };
    let workspace = || {
        TaskRouterCapability::workspace(ws)
            .account_sid(ACCOUNT)
            .auth_token(AUTH_TOKEN)
            .issued_at(at(NOW))
    };
    assert_eq!(
        queue().allow(Permission::UpdateActivities, true).sign(),
        Err(Error::WorkerOnlyPermission {
            permission: "update-activities"
        })
    );
    assert_eq!(
        workspace().allow(Permission::FetchActivities, true).sign(),
        Err(Error::WorkerOnlyPermission {
            permission: "fetch-activities"
        })
    );
    assert_eq!(
        queue().allow(Permission::FetchReservations, false).sign(),
        queue().sign()
    );
    let message = Error::WorkerOnlyPermission {
        permission: "update-activities",
    }
    .to_string();
    assert_eq!(
        message,
        "`update-activities` is a worker's own TaskRouter permission, which a task queue's or a \
         workspace's token cannot have: leave it out, or mint a worker's token \
         (`TaskRouterCapability::worker`)"
    );
}

fn worker() -> CapabilityBuilder<TaskRouter<Worker>, AccountSid<'static>, AuthToken> {
    TaskRouterCapability::worker(
        "WS55555555555555555555555555555555",
        "WK66666666666666666666666666666666",
    )
    .account_sid(ACCOUNT)
    .auth_token(AUTH_TOKEN)
    .issued_at(at(NOW))
}

fn client()
-> CapabilityBuilder<twilio_token::capability::ClientScopes, AccountSid<'static>, AuthToken> {
    ClientCapability::builder()
        .account_sid(ACCOUNT)
        .auth_token(AUTH_TOKEN)
        .issued_at(at(NOW))
}

#[test]
fn bad_inputs_are_refused_with_what_to_do() {
    // An API key secret where the Auth Token goes, and the other way round.
    let err = ClientCapability::builder()
        .account_sid(ACCOUNT)
        .auth_token("xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E")
        .sign()
        .unwrap_err();
    assert_eq!(err, Error::InvalidAuthToken { len: 32 });
    assert!(
        err.to_string().contains(
            "capability tokens are signed with the Auth Token, Access Tokens with an API key's secret"
        ),
        "{err}"
    );
    assert!(!err.to_string().contains("xK3dPq9Z"));
    let err = twilio_token::AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key("SKfedcba9876543210fedcba9876543210", AUTH_TOKEN)
        .identity("alice")
        .sign()
        .unwrap_err();
    assert_eq!(err, Error::AuthTokenAsSecret);
    let character = |what| Error::SecretCharacter {
        secret: "Auth Token",
        what,
    };
    let whitespace = character("whitespace or an invisible character");
    for (bad, expected) in [
        ("", Error::InvalidAuthToken { len: 0 }),
        (
            "0123456789ABCDEF0123456789ABCDEF",
            Error::InvalidAuthToken { len: 32 },
        ),
        (" 0123456789abcdef0123456789abcde", whitespace.clone()),
        ("0123456789abcdef0123456789abcdef\n", whitespace.clone()),
        (
            "\u{feff}0123456789abcdef0123456789abcdef",
            whitespace.clone(),
        ),
        ("0123456789abcdef0123456789abcdef\u{200b}", whitespace),
        ("\"0123456789abcdef0123456789abcdef\"", character("a quote")),
        (
            "0123456789abcdef0123456789abcdef\u{7f}",
            character("a control character"),
        ),
        (
            "0123456789abcdef0123456789abcdeé",
            character("a character outside ASCII"),
        ),
        (
            "AC0123456789abcdef0123456789abcdef",
            Error::SidAsSecret {
                secret: "Auth Token",
            },
        ),
    ] {
        let err = ClientCapability::builder()
            .account_sid(ACCOUNT)
            .auth_token(bad)
            .sign()
            .unwrap_err();
        assert_eq!(err, expected, "{bad:?}");
        assert!(!err.to_string().contains("0123456789abcdef"), "{err}");
    }
    let err = ClientCapability::builder()
        .account_sid("SKfedcba9876543210fedcba9876543210")
        .auth_token(AUTH_TOKEN)
        .sign()
        .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidSid {
            kind: SidKind::Account,
            len: 34
        }
    );

    // SIDs in full, and the channel of the constructor.
    let err = client()
        .allow_outgoing("AP1111111111111111111111111111111", NO_PARAMS)
        .sign()
        .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidSid {
            kind: SidKind::Application,
            len: 33
        }
    );
    let sign = |workspace: &str, channel: &str, kind: &str| {
        match kind {
            "worker" => TaskRouterCapability::worker(workspace, channel)
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .sign(),
            _ => TaskRouterCapability::task_queue(workspace, channel)
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .sign(),
        }
        .unwrap_err()
    };
    let ws = "WS55555555555555555555555555555555";
    assert_eq!(
        sign(ws, "WQ77777777777777777777777777777777", "worker"),
        Error::InvalidSid {
            kind: SidKind::TaskRouterWorker,
            len: 34
        }
    );
    assert_eq!(
        sign(ws, "WK66666666666666666666666666666666", "queue"),
        Error::InvalidSid {
            kind: SidKind::TaskRouterTaskQueue,
            len: 34
        }
    );
    assert_eq!(
        sign(
            "WK66666666666666666666666666666666",
            "WK66666666666666666666666666666666",
            "worker"
        ),
        Error::InvalidSid {
            kind: SidKind::TaskRouterWorkspace,
            len: 34
        }
    );
    let err = TaskRouterCapability::workspace("WS5555555555555555555555555555555G")
        .account_sid(ACCOUNT)
        .auth_token(AUTH_TOKEN)
        .sign()
        .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidSid {
            kind: SidKind::TaskRouterWorkspace,
            len: 34
        }
    );

    // Client names and parameter names.
    assert_eq!(
        client().allow_incoming("").sign().unwrap_err(),
        Error::EmptyClientName
    );
    assert_eq!(
        client()
            .allow_outgoing("AP11111111111111111111111111111111", [("", "x")])
            .sign()
            .unwrap_err(),
        Error::EmptyParamName { scope: "outgoing" }
    );
    assert_eq!(
        client()
            .allow_event_stream([("a", "1"), ("", "")])
            .sign()
            .unwrap_err(),
        Error::EmptyParamName {
            scope: "event stream"
        }
    );

    // Policies: GET, POST or DELETE, a URL, named filters.
    let policy = |policy: Policy| {
        TaskRouterCapability::workspace(ws)
            .account_sid(ACCOUNT)
            .auth_token(AUTH_TOKEN)
            .policy(policy)
            .sign()
    };
    assert_eq!(
        policy(Policy::allow("PUT", "https://x")).unwrap_err(),
        Error::InvalidPolicy {
            reason: "the method \"PUT\" is not GET, POST or DELETE".into()
        }
    );
    assert_eq!(
        policy(Policy::deny("GET", "")).unwrap_err(),
        Error::InvalidPolicy {
            reason: "the URL is empty".into()
        }
    );
    assert_eq!(
        policy(Policy::deny("GET", "https://x").post_filter("", true)).unwrap_err(),
        Error::InvalidPolicy {
            reason: "a filter of GET https://x has no name".into()
        }
    );
    // twilio-python upper-cases the method.
    assert_eq!(
        policy(Policy::allow("post", "https://x")).unwrap(),
        policy(Policy::allow("POST", "https://x")).unwrap()
    );

    // The times follow the Access Token rules.
    assert_eq!(
        client()
            .ttl(Duration::from_secs(86_401))
            .sign()
            .unwrap_err(),
        Error::TtlTooLong { seconds: 86_401 }
    );
    assert_eq!(
        client()
            .ttl(Duration::from_millis(1500))
            .sign()
            .unwrap_err(),
        Error::TtlNotWholeSeconds { millis: 1500 }
    );
    assert_eq!(
        client().ttl(Duration::ZERO).sign().unwrap_err(),
        Error::ZeroTtl
    );
    assert_eq!(
        client().not_before(at(NOW + 3600)).sign().unwrap_err(),
        Error::NotBeforeAfterExpiry {
            not_before: NOW + 3600,
            expires: NOW + 3600
        }
    );
}

#[test]
fn a_filter_named_twice_is_replaced_in_place_as_a_python_dict_does() {
    let policy = Policy::allow("GET", "https://x")
        .query_filter("a", true)
        .query_filter("b", true)
        .query_filter("a", false);
    assert_eq!(
        policy.query_filters(),
        [("a".to_owned(), false), ("b".to_owned(), true)]
    );
}

/// A token signed by hand with the Auth Token, for the checks a builder
/// never lets through.
fn hand_signed(header: &str, payload: &str, secret: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

#[test]
fn verifying_gives_each_failure_its_twilio_code() {
    let verifier = CapabilityVerifier::new(ACCOUNT, AUTH_TOKEN).unwrap();
    let jwt = client().allow_incoming("alice").sign().unwrap();
    let code = |jwt: &str, now: u64| {
        verifier
            .verify_at(jwt, at(now))
            .map(|_| 0)
            .unwrap_or_else(|error| error.twilio_code())
    };
    assert_eq!(code(&jwt, NOW), 0);
    assert_eq!(code(&jwt, NOW + 3599), 0);
    assert_eq!(code(&jwt, NOW + 3600), 20104);
    assert_eq!(code(&jwt, NOW - 1), 20105);
    assert_eq!(code("a.b", NOW), 20101);
    // Another Auth Token, another account.
    let other = CapabilityVerifier::new(ACCOUNT, "fedcba9876543210fedcba9876543210").unwrap();
    assert_eq!(
        other.verify_at(&jwt, at(NOW)).unwrap_err(),
        twilio_token::VerifyError::InvalidSignature
    );
    let elsewhere = CapabilityVerifier::new("ACfedcba9876543210fedcba9876543210", AUTH_TOKEN)
        .unwrap()
        .verify_at(&jwt, at(NOW))
        .unwrap_err();
    assert_eq!(elsewhere.twilio_code(), 20103);
    // A flipped payload byte.
    let mut bytes = jwt.clone().into_bytes();
    bytes[40] = if bytes[40] == b'A' { b'B' } else { b'A' };
    assert_eq!(code(&String::from_utf8(bytes).unwrap(), NOW), 20107);
    // Leeway.
    let lenient = verifier.clone().leeway(Duration::from_secs(30));
    assert!(lenient.verify_at(&jwt, at(NOW + 3629)).is_ok());

    // The two kinds are told apart by the header, in both directions.
    let access = twilio_token::AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key("SKfedcba9876543210fedcba9876543210", "secret")
        .identity("alice")
        .issued_at(at(NOW))
        .sign()
        .unwrap();
    let err = verifier.verify_at(&access, at(NOW)).unwrap_err();
    assert_eq!(err.twilio_code(), 20102);
    assert!(err.to_string().contains("this is an Access Token"), "{err}");
    let credentials =
        twilio_token::Credentials::new(ACCOUNT, "SKfedcba9876543210fedcba9876543210", "secret")
            .unwrap();
    let err = twilio_token::Verifier::new(&credentials)
        .verify_at(&jwt, at(NOW))
        .unwrap_err();
    assert_eq!(err.twilio_code(), 20102);
    assert!(
        err.to_string().contains("capability::CapabilityVerifier"),
        "{err}"
    );

    // Hand-signed tokens: over 24 hours, grants of neither kind, bad scopes.
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let signed = |payload: &str| hand_signed(header, payload, AUTH_TOKEN);
    let long = signed(&format!(
        r#"{{"scope":"","iss":"{ACCOUNT}","exp":{},"nbf":{NOW}}}"#,
        NOW + 86_401
    ));
    assert_eq!(
        verifier.verify_at(&long, at(NOW)).unwrap_err(),
        twilio_token::VerifyError::LifetimeTooLong { seconds: 86_401 }
    );
    // The 24-hour rule has no way round: an issue time in the future is
    // not yet valid, however short the lifetime it gives.
    let ten_years = 10 * 365 * 86_400;
    for (iat, exp) in [
        (NOW + ten_years, NOW + ten_years + 3600),
        (i64::MAX as u64 - 100, i64::MAX as u64),
    ] {
        let future = signed(&format!(
            r#"{{"scope":"","iss":"{ACCOUNT}","iat":{iat},"exp":{exp}}}"#
        ));
        assert_eq!(
            verifier.verify_at(&future, at(NOW)).unwrap_err(),
            twilio_token::VerifyError::IssuedInFuture { issued_at: iat }
        );
    }
    for (payload, reason) in [
        (
            format!(r#"{{"iss":"{ACCOUNT}","exp":{}}}"#, NOW + 60),
            "a capability token has either `scope` (Twilio Client) or `policies` (TaskRouter)",
        ),
        (
            format!(
                r#"{{"scope":"client:incoming","iss":"{ACCOUNT}","exp":{}}}"#,
                NOW + 60
            ),
            "\"client:incoming\" is not a scope URI",
        ),
        (
            format!(
                r#"{{"scope":"scope:client:incoming?clientName=%zz","iss":"{ACCOUNT}","exp":{}}}"#,
                NOW + 60
            ),
            "\"scope:client:incoming?clientName=%zz\" is not a scope URI",
        ),
        (
            format!(
                r#"{{"account_sid":"ACfedcba9876543210fedcba9876543210","workspace_sid":"WS55555555555555555555555555555555","channel":"WS55555555555555555555555555555555","version":"v1","policies":[],"iss":"{ACCOUNT}","exp":{}}}"#,
                NOW + 60
            ),
            "`account_sid` is not the issuer's",
        ),
        (
            format!(
                r#"{{"account_sid":"{ACCOUNT}","workspace_sid":"WS55555555555555555555555555555555","channel":"WS55555555555555555555555555555555","version":"v1","policies":[{{"url":"u","method":"GET","allow":true,"query_filter":{{"a":true}},"post_filter":{{}}}}],"iss":"{ACCOUNT}","exp":{}}}"#,
                NOW + 60
            ),
            "the query_filter entry `a` is not {\"required\": true|false}",
        ),
    ] {
        assert_eq!(
            verifier.verify_at(&signed(&payload), at(NOW)).unwrap_err(),
            twilio_token::VerifyError::InvalidGrants {
                reason: reason.into()
            },
            "{payload}"
        );
    }
}

#[test]
fn decoding_unverified_reads_without_the_key() {
    let jwt = TaskRouterCapability::task_queue(
        "WS55555555555555555555555555555555",
        "WQ77777777777777777777777777777777",
    )
    .account_sid(ACCOUNT)
    .auth_token(AUTH_TOKEN)
    .issued_at(at(NOW))
    .omit_not_before()
    .policy(Policy::deny("DELETE", "https://x").query_filter("q", true))
    .sign()
    .unwrap();
    let claims = unverified::capability(&jwt).unwrap();
    assert_eq!(claims.not_before(), None);
    let Capabilities::TaskRouter { policies, .. } = claims.capabilities() else {
        panic!("{claims:?}");
    };
    assert_eq!(
        policies.last(),
        Some(&Policy::deny("DELETE", "https://x").query_filter("q", true))
    );
    // Web socket GET and POST, fetching itself, then the one added.
    assert_eq!(policies.len(), 4);
}

#[test]
fn the_auth_token_is_never_printed() {
    let secret = "fedcba98765432100123456789abcdef";
    let debug = format!(
        "{:?} {:?}",
        CapabilityVerifier::new(ACCOUNT, secret).unwrap(),
        ClientCapability::builder()
            .account_sid(ACCOUNT)
            .auth_token(secret)
            .allow_incoming("alice")
    );
    assert!(!debug.contains(secret), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}

/// The account SID and the Auth Token swapped, or a secret given as a
/// SID: `Debug` shows a SID only when it has a SID's shape.
#[test]
fn debug_shows_sids_only_when_they_have_a_sids_shape() {
    let secret = "fedcba98765432100123456789abcdef";
    let swapped = ClientCapability::builder()
        .account_sid(secret)
        .auth_token(ACCOUNT)
        .allow_outgoing(secret, [("to", "alice")]);
    assert_eq!(
        format!("{swapped:?}"),
        "CapabilityBuilder { kind: ClientScopes { outgoing: Some((<not a AP… SID: 32 characters>, \
         [(\"to\", \"alice\")])), incoming: None, events: None }, account_sid: \
         AccountSid(<not a AC… SID: 32 characters>), auth_token: AuthToken(<redacted>), .. }"
    );
    let worker = TaskRouterCapability::worker(secret, "WK66666666666666666666666666666666")
        .account_sid(ACCOUNT);
    assert_eq!(
        format!("{worker:?}"),
        format!(
            "CapabilityBuilder {{ kind: TaskRouter {{ workspace_sid: <not a WS… SID: 32 \
             characters>, channel_sid: \"WK66666666666666666666666666666666\", flags: 899, \
             policies: [] }}, account_sid: AccountSid({ACCOUNT:?}), auth_token: Missing, .. }}"
        )
    );
}

mod properties {
    use proptest::prelude::*;
    use twilio_token::capability::{
        Capabilities, CapabilityVerifier, ClientCapability, Policy, TaskRouterCapability,
    };

    use super::{ACCOUNT, AUTH_TOKEN, NOW, at};

    fn verifier() -> CapabilityVerifier {
        CapabilityVerifier::new(ACCOUNT, AUTH_TOKEN).unwrap()
    }

    /// Text that URL-encoding and JSON escaping treat differently.
    fn text() -> impl Strategy<Value = String> {
        prop::string::string_regex("[a-zA-Z0-9 _.~&=+%?/:#\"\\\\'\t\nüé中😀\u{2028}-]{0,12}")
            .unwrap()
    }

    fn name() -> impl Strategy<Value = String> {
        text().prop_filter("a name is not empty", |name| !name.is_empty())
    }

    fn params() -> impl Strategy<Value = Vec<(String, String)>> {
        prop::collection::vec((name(), text()), 0..4)
    }

    proptest! {
        /// Whatever the client name and parameters, the verified scopes
        /// give them back.
        #[test]
        fn client_scopes_round_trip(
            client_name in name(),
            outgoing in params(),
            events in params(),
        ) {
            let jwt = ClientCapability::builder()
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .issued_at(at(NOW))
                .allow_outgoing("AP11111111111111111111111111111111", outgoing.clone())
                .allow_incoming(client_name.clone())
                .allow_event_stream(events.clone())
                .sign()
                .unwrap();
            let claims = verifier().verify_at(&jwt, at(NOW)).unwrap();
            let Capabilities::Client { scopes } = claims.capabilities() else {
                panic!("{claims:?}");
            };
            prop_assert_eq!(scopes.len(), 3);
            let nested = |index: usize, name: &str| scopes[index].nested_params(name);
            prop_assert_eq!(
                nested(0, "appParams"),
                if outgoing.is_empty() { None } else { Some(outgoing) }
            );
            prop_assert_eq!(scopes[0].param("clientName"), Some(client_name.as_str()));
            prop_assert_eq!(scopes[1].param("clientName"), Some(client_name.as_str()));
            prop_assert_eq!(
                nested(2, "params"),
                if events.is_empty() { None } else { Some(events) }
            );
        }

        /// Whatever the added policies, the verified policies end with
        /// them, in order.
        #[test]
        fn added_policies_round_trip(
            policies in prop::collection::vec(
                (
                    prop::sample::select(vec!["GET", "POST", "DELETE"]),
                    name(),
                    any::<bool>(),
                    prop::collection::vec((name(), any::<bool>()), 0..3),
                    prop::collection::vec((name(), any::<bool>()), 0..3),
                ),
                0..4,
            ),
        ) {
            let policies: Vec<Policy> = policies
                .into_iter()
                .map(|(method, url, allow, query, post)| {
                    let mut policy = if allow { Policy::allow(method, url) } else { Policy::deny(method, url) };
                    for (name, required) in query {
                        policy = policy.query_filter(name, required);
                    }
                    for (name, required) in post {
                        policy = policy.post_filter(name, required);
                    }
                    policy
                })
                .collect();
            let mut builder = TaskRouterCapability::workspace("WS55555555555555555555555555555555")
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .issued_at(at(NOW));
            for policy in &policies {
                builder = builder.policy(policy.clone());
            }
            let jwt = builder.sign().unwrap();
            let claims = verifier().verify_at(&jwt, at(NOW)).unwrap();
            let Capabilities::TaskRouter { policies: read, .. } = claims.capabilities() else {
                panic!("{claims:?}");
            };
            // Web socket GET and POST and fetching the workspace come first.
            prop_assert_eq!(&read[3..], &policies[..]);
        }

        /// The signing invariant for capability tokens: whatever the
        /// times (not-befores up to two days back or past the expiry,
        /// ttls from zero to over 24 hours) and however long the client
        /// name, `sign()` fails, or its token verifies once valid with
        /// the name given.
        #[test]
        fn sign_errs_or_its_capability_token_verifies(
            client_name in prop_oneof![name(), (1usize..20_000).prop_map(|n| "a".repeat(n))],
            ttl in 0u64..=90_000,
            nbf in proptest::option::of(-172_800i64..90_000),
        ) {
            let mut builder = ClientCapability::builder()
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .issued_at(at(NOW))
                .ttl(std::time::Duration::from_secs(ttl))
                .allow_incoming(client_name.clone());
            if let Some(offset) = nbf {
                builder = builder.not_before(at(NOW.checked_add_signed(offset).unwrap()));
            }
            match builder.sign() {
                Ok(jwt) => {
                    prop_assert!(ttl > 0 && ttl <= 86_400, "{}", ttl);
                    let valid_from = nbf.map_or(NOW, |offset| NOW.checked_add_signed(offset).unwrap().max(NOW));
                    let claims = verifier().verify_at(&jwt, at(valid_from)).unwrap();
                    let Capabilities::Client { scopes } = claims.capabilities() else {
                        panic!("{claims:?}");
                    };
                    prop_assert_eq!(scopes[0].param("clientName"), Some(client_name.as_str()));
                }
                Err(error) => prop_assert!(
                    ttl == 0
                        || ttl > 86_400
                        || nbf.is_some_and(|offset| offset >= ttl as i64)
                        || matches!(error, twilio_token::Error::TokenTooLong { .. }),
                    "{}",
                    error
                ),
            }
        }

        /// One byte replaced (by any byte, as UTF-8 allows), removed or
        /// added anywhere in a Client or a TaskRouter token, without
        /// signing it again: the code of the first check it breaks, as the
        /// oracle shared with the Access Token properties works it out.
        #[test]
        fn a_changed_byte_fails_with_the_code_of_the_first_check_it_breaks(
            taskrouter in any::<bool>(),
            index in any::<prop::sample::Index>(),
            change in 0u8..3,
            byte in any::<u8>(),
        ) {
            let jwt = if taskrouter {
                TaskRouterCapability::worker("WS55555555555555555555555555555555", "WK66666666666666666666666666666666")
                    .account_sid(ACCOUNT)
                    .auth_token(AUTH_TOKEN)
                    .issued_at(at(NOW))
                    .policy(Policy::allow("POST", "https://example.com/x").post_filter("A", true))
                    .sign()
                    .unwrap()
            } else {
                ClientCapability::builder()
                    .account_sid(ACCOUNT)
                    .auth_token(AUTH_TOKEN)
                    .issued_at(at(NOW))
                    .allow_incoming("alice")
                    .allow_outgoing("AP11111111111111111111111111111111", [("to", "+1 555")])
                    .sign()
                    .unwrap()
            };
            let mut bytes = jwt.clone().into_bytes();
            let i = index.index(bytes.len());
            match change {
                0 => bytes[i] = byte,
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, byte),
            }
            let changed = String::from_utf8_lossy(&bytes).into_owned();
            prop_assume!(changed != jwt);
            let signer = super::oracle::Signer::AuthToken { account_sid: ACCOUNT };
            let expected = super::oracle::expected_code(&changed, &jwt, &signer);
            let code = verifier().verify_at(&changed, at(NOW)).unwrap_err().twilio_code();
            prop_assert_eq!(code, expected, "{}", changed);
        }
    }
}
