//! The `twilio-token` command-line tool, run as a real process: every
//! subcommand, credentials from the environment and from flags, and each
//! failure mode with its exit code (0 success, 1 verification failed, 2
//! usage or input error).

use std::time::Duration;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use twilio_token::grants::VideoGrant;
use twilio_token::{AccessToken, Claims, Credentials, Verifier};
use twilio_token_tests::support::{ACCOUNT, KEY, SECRET, at, cli_path, now, rfc3339};

const VARS: [&str; 5] = [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_API_KEY",
    "TWILIO_API_SECRET",
    "TWILIO_REGION",
    "TWILIO_AUTH_TOKEN",
];
const OTHER_KEY: &str = "SK0123456789abcdef0123456789abcdef";
const AP: &str = "AP0123456789abcdef0123456789abcdef";
const CR: &str = "CR0123456789abcdef0123456789abcdef";
const IS: &str = "IS0123456789abcdef0123456789abcdef";
const WS: &str = "WS0123456789abcdef0123456789abcdef";
const WK: &str = "WK0123456789abcdef0123456789abcdef";

/// The tool with no Twilio variables from the caller's environment.
fn bare() -> Command {
    let mut command = Command::new(cli_path());
    for var in VARS {
        command.env_remove(var);
    }
    command
}

/// The tool with the test credentials in the environment.
fn cli() -> Command {
    let mut command = bare();
    command
        .env("TWILIO_ACCOUNT_SID", ACCOUNT)
        .env("TWILIO_API_KEY", KEY)
        .env("TWILIO_API_SECRET", SECRET);
    command
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(command: &mut Command, args: &[&str]) -> Run {
    let output = command.args(args).output().expect("the tool runs");
    Run {
        code: output.status.code().expect("the tool exits, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Asserts the exit code, an empty stdout, and a stderr mentioning `needle`.
fn assert_fails(out: &Run, code: i32, needle: &str) {
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (code, ""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(needle),
        "{needle:?} not in {}",
        out.stderr
    );
}

/// Runs a minting command that must succeed: exactly one line on stdout,
/// nothing on stderr. Returns the token.
fn mint(args: &[&str]) -> String {
    let out = run(&mut cli(), args);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{args:?}");
    assert_eq!(out.stdout.matches('\n').count(), 1, "{:?}", out.stdout);
    let jwt = out.stdout.strip_suffix('\n').expect("ends with a newline");
    jwt.to_owned()
}

fn verified(jwt: &str) -> Claims {
    Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap())
        .verify(jwt)
        .expect("the token verifies")
}

fn segment(jwt: &str, index: usize) -> Value {
    let part = jwt.split('.').nth(index).expect("three segments");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

fn grants(jwt: &str) -> Value {
    segment(jwt, 1)["grants"].clone()
}

/// A token minted by the library, issued `ago` seconds ago, with a time to
/// live of `ttl` seconds.
fn library_token(ago: u64, ttl: u64) -> (String, u64) {
    let issued = now() - ago;
    let jwt = AccessToken::builder()
        .account_sid(ACCOUNT)
        .api_key(KEY, SECRET)
        .identity("alice")
        .grant(VideoGrant::room("standup"))
        .issued_at(at(issued))
        .ttl(Duration::from_secs(ttl))
        .sign()
        .expect("signs");
    (jwt, issued)
}

fn tampered(jwt: &str) -> String {
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(&parts[1]).expect("base64url"))
        .expect("UTF-8")
        .replace("\"alice\"", "\"mallory\"");
    parts[1] = URL_SAFE_NO_PAD.encode(payload);
    parts.join(".")
}

// ---- minting ----

#[test]
fn video_prints_one_line_with_the_room_grant() {
    let jwt = mint(&["video", "--identity", "alice", "--room-name", "standup"]);
    let claims = verified(&jwt);
    assert_eq!(claims.identity(), "alice");
    assert_eq!(
        grants(&jwt),
        json!({"video": {"room": "standup"}, "identity": "alice"})
    );
    assert_eq!(
        segment(&jwt, 0),
        json!({"alg": "HS256", "cty": "twilio-fpa;v=1", "typ": "JWT"})
    );
    let lifetime = claims.expires_at().duration_since(at(0)).unwrap().as_secs()
        - claims
            .not_before()
            .unwrap()
            .duration_since(at(0))
            .unwrap()
            .as_secs();
    assert_eq!(lifetime, 3600);
}

#[test]
fn voice_sets_every_voice_flag_and_allow_incoming_is_a_real_boolean() {
    let jwt = mint(&[
        "voice",
        "--identity",
        "alice",
        "--voice-app-sid",
        AP,
        "--allow-incoming",
        "--push-credential-sid",
        CR,
        "--voice-param",
        "to=+15005550006",
        "--voice-param",
        "mode=a=b",
    ]);
    verified(&jwt);
    assert_eq!(
        grants(&jwt)["voice"],
        json!({
            "incoming": {"allow": true},
            "outgoing": {"application_sid": AP, "params": {"to": "+15005550006", "mode": "a=b"}},
            "push_credential_sid": CR,
        })
    );
    let without = mint(&["voice", "-i", "alice", "--voice-app-sid", AP]);
    assert_eq!(
        grants(&without)["voice"],
        json!({"outgoing": {"application_sid": AP}})
    );
}

#[test]
fn voice_params_need_an_app_and_key_value_form() {
    let out = run(&mut cli(), &["voice", "-i", "a", "--voice-param", "to=1"]);
    assert_fails(&out, 2, "--voice-app-sid");
    let out = run(
        &mut cli(),
        &[
            "voice",
            "-i",
            "a",
            "--voice-app-sid",
            AP,
            "--voice-param",
            "to",
        ],
    );
    assert_fails(
        &out,
        2,
        "error: invalid value 'to' for '--voice-param <KEY=VALUE>': expected KEY=VALUE, such as \
         `to=+15005550006`",
    );
    let out = run(
        &mut cli(),
        &[
            "voice",
            "-i",
            "a",
            "--voice-app-sid",
            AP,
            "--voice-param",
            "to=1",
            "--voice-param",
            "to=2",
        ],
    );
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: --voice-param `to` is given twice; give each key once\n"
        )
    );
}

#[test]
fn chat_sync_and_flex_write_their_grants() {
    let chat = mint(&["chat", "-i", "alice", "--chat-service-sid", IS]);
    assert_eq!(grants(&chat)["chat"], json!({"service_sid": IS}));
    let sync = mint(&["sync", "-i", "alice", "--sync-service-sid", IS]);
    assert_eq!(grants(&sync)["data_sync"], json!({"service_sid": IS}));
    let default_sync = mint(&["sync", "-i", "alice"]);
    assert_eq!(grants(&default_sync)["data_sync"], json!({}));
    let flex = mint(&[
        "flex",
        "-i",
        "alice",
        "--workspace-sid",
        WS,
        "--worker-sid",
        WK,
    ]);
    verified(&flex);
    assert_eq!(
        grants(&flex),
        json!({"task_router": {"workspace_sid": WS, "worker_sid": WK, "role": "worker"}, "identity": "alice"})
    );
    let supervisor = mint(&[
        "flex",
        "-i",
        "alice",
        "--workspace-sid",
        WS,
        "--worker-sid",
        WK,
        "--role",
        "supervisor",
    ]);
    assert_eq!(grants(&supervisor)["task_router"]["role"], "supervisor");
}

#[test]
fn chat_and_flex_say_which_sids_they_need() {
    let out = run(&mut cli(), &["chat", "-i", "alice"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: chat needs --chat-service-sid IS…"),
        "{}",
        out.stderr
    );
    let out = run(&mut cli(), &["flex", "-i", "alice", "--workspace-sid", WS]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: flex needs --workspace-sid WS… and --worker-sid WK…"),
        "{}",
        out.stderr
    );
}

#[test]
fn mint_combines_grants_and_bare_grant_flags() {
    let jwt = mint(&[
        "mint",
        "-i",
        "alice",
        "--room-name",
        "standup",
        "--voice-app-sid",
        AP,
        "--chat",
        "--sync",
        "--workspace-sid",
        WS,
    ]);
    verified(&jwt);
    assert_eq!(
        grants(&jwt),
        json!({
            "video": {"room": "standup"},
            "voice": {"outgoing": {"application_sid": AP}},
            "chat": {},
            "data_sync": {},
            "task_router": {"workspace_sid": WS},
            "identity": "alice",
        })
    );
    let bare_video = mint(&["mint", "-i", "alice", "--video"]);
    assert_eq!(
        grants(&bare_video),
        json!({"video": {}, "identity": "alice"})
    );
    // A bare Voice grant would allow nothing: refused, as `voice` refuses it.
    let out = run(&mut cli(), &["mint", "-i", "alice", "--video", "--voice"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn mint_without_a_grant_is_a_usage_error() {
    let out = run(&mut cli(), &["mint", "-i", "alice"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with("error: no grant given"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_output_has_jwt_identity_grants_and_rfc3339_expiry() {
    let out = run(&mut cli(), &["video", "-i", "alice", "--json"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(out.stdout.matches('\n').count(), 1);
    let output: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let jwt = output["jwt"].as_str().expect("jwt is a string");
    let exp = segment(jwt, 1)["exp"].as_u64().expect("exp");
    assert_eq!(
        output,
        json!({
            "jwt": jwt,
            "identity": "alice",
            "grants": {"video": {}},
            "expires_at": rfc3339(exp),
        })
    );
    verified(jwt);
}

#[test]
fn ttl_region_and_nbf_flags_reach_the_token() {
    let nbf = now() - 60;
    let jwt = mint(&[
        "video",
        "-i",
        "alice",
        "--ttl",
        "86000",
        "--region",
        "ie1",
        "--nbf",
        &nbf.to_string(),
    ]);
    let payload = segment(&jwt, 1);
    assert_eq!(payload["nbf"], nbf);
    assert_eq!(
        payload["exp"].as_u64().unwrap()
            - payload["jti"].as_str().unwrap()[35..]
                .parse::<u64>()
                .unwrap(),
        86_000
    );
    assert_eq!(segment(&jwt, 0)["twr"], "ie1");

    let no_nbf = mint(&["video", "-i", "alice", "--no-nbf"]);
    assert_eq!(segment(&no_nbf, 1).get("nbf"), None);

    let from_env = {
        let out = run(cli().env("TWILIO_REGION", "au1"), &["video", "-i", "alice"]);
        assert_eq!(out.code, 0);
        out.stdout.trim_end().to_owned()
    };
    assert_eq!(segment(&from_env, 0)["twr"], "au1");
    verified(&from_env);
}

#[test]
fn ttl_over_24_hours_and_nbf_with_no_nbf_are_refused() {
    let out = run(&mut cli(), &["video", "-i", "alice", "--ttl", "86401"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("86401"), "{}", out.stderr);
    assert!(out.stderr.contains("24"), "{}", out.stderr);
    let out = run(&mut cli(), &["video", "-i", "alice", "--ttl", "0"]);
    assert_eq!(out.code, 2);
    let out = run(
        &mut cli(),
        &["video", "-i", "alice", "--nbf", "1", "--no-nbf"],
    );
    assert_fails(&out, 2, "cannot be used with");
}

/// Twilio measures the 24 hours from the issue time: the longest ttl with
/// a not-before five minutes back, for a client's clock, mints a token
/// that verifies, as twilio-python's does.
#[test]
fn a_backdated_nbf_with_the_longest_ttl_mints() {
    let nbf = now() - 300;
    let jwt = mint(&[
        "video",
        "-i",
        "alice",
        "--ttl",
        "86400",
        "--nbf",
        &nbf.to_string(),
    ]);
    assert_eq!(segment(&jwt, 1)["nbf"], nbf);
    verified(&jwt);
}

#[test]
fn bad_sids_and_empty_identity_are_input_errors() {
    for args in [
        ["voice", "-i", "alice", "--voice-app-sid", "AP123"],
        [
            "chat",
            "-i",
            "alice",
            "--chat-service-sid",
            "XX0123456789abcdef0123456789abcdef",
        ],
        ["flex", "-i", "alice", "--workspace-sid", "WSnope"],
        ["video", "-i", "", "--room-name", "standup"],
    ] {
        let out = run(&mut cli(), &args);
        assert_eq!(out.code, 2, "{args:?}");
        assert_eq!(out.stdout, "", "{args:?}");
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
    }
    let out = run(
        cli().env("TWILIO_ACCOUNT_SID", "AC123"),
        &["video", "-i", "alice"],
    );
    assert_fails(&out, 2, "invalid account SID");
}

// ---- credentials ----

#[test]
fn flags_override_the_environment() {
    let out = run(
        cli().env("TWILIO_API_KEY", OTHER_KEY),
        &["video", "-i", "alice", "--api-key", KEY],
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(verified(out.stdout.trim_end()).api_key_sid(), KEY);
}

#[test]
fn a_secret_flag_warns_about_shell_history() {
    let out = run(
        cli().env_remove("TWILIO_API_SECRET"),
        &["video", "-i", "alice", "--api-secret", SECRET],
    );
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        "warning: --api-secret on the command line is kept in shell history and shown to \
         other users by `ps`; set TWILIO_API_SECRET, or pass `--api-secret -` and the secret \
         on stdin\n"
    );
    verified(out.stdout.trim_end());
}

#[test]
fn a_secret_on_stdin_needs_no_warning() {
    let out = run(
        cli()
            .env_remove("TWILIO_API_SECRET")
            .write_stdin(format!("{SECRET}\n")),
        &["video", "-i", "alice", "--api-secret", "-"],
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    verified(out.stdout.trim_end());
}

#[test]
fn missing_credentials_name_the_variable_to_set() {
    let cases = [
        (
            "TWILIO_ACCOUNT_SID",
            "error: no account SID (AC…) given: set TWILIO_ACCOUNT_SID or pass --account-sid\n",
        ),
        (
            "TWILIO_API_KEY",
            "error: no API key SID (SK…) given: set TWILIO_API_KEY or pass --api-key\n",
        ),
        (
            "TWILIO_API_SECRET",
            "error: no API key secret given: set TWILIO_API_SECRET or pass --api-secret -\n",
        ),
    ];
    for (var, message) in cases {
        let out = run(cli().env_remove(var), &["video", "-i", "alice"]);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (2, "", message)
        );
    }
    let out = run(&mut bare(), &["verify", "a.b.c"]);
    assert_eq!(
        out.stderr,
        "error: no API key SID (SK…) given: set TWILIO_API_KEY or pass --api-key\n"
    );
    assert_eq!(out.code, 2);
}

#[test]
fn an_auth_token_pair_is_refused_with_how_to_create_an_api_key() {
    for key in [ACCOUNT, "c0ffee0123456789abcdef0123456789"] {
        let out = run(cli().env("TWILIO_API_KEY", key), &["video", "-i", "alice"]);
        assert_eq!(out.code, 2, "{key}");
        assert_eq!(out.stdout, "");
        assert!(
            out.stderr.contains("not the account's Auth Token")
                && out.stderr.contains("twilio api:core:keys:create"),
            "{}",
            out.stderr
        );
    }
}

// ---- decode ----

#[test]
fn decode_shows_header_claims_grants_and_relative_times() {
    let (jwt, issued) = library_token(7200 - 30, 86_400);
    let out = run(&mut bare(), &["decode", &jwt]);
    assert_eq!(out.code, 0);
    let expected = format!(
        "Header
  alg       HS256
  cty       twilio-fpa;v=1
  typ       JWT
Claims
  identity  alice
  jti       {KEY}-{issued}
  iss       {KEY} (API key)
  exp       {} (expires in 22h)
  nbf       {} (1h 59m ago)
  sub       {ACCOUNT} (account)
  lifetime  1d
Grants
  video     {{\"room\":\"standup\"}}
Verification
  not verified: no API key secret given
",
        rfc3339(issued + 86_400),
        rfc3339(issued),
    );
    assert_eq!(out.stdout, expected);
    assert_eq!(
        out.stderr,
        "warning: the signature was not checked: set TWILIO_API_KEY and TWILIO_API_SECRET \
         (or pass --api-key and --api-secret -) to verify\n"
    );
}

#[test]
fn decode_verifies_when_credentials_are_given_and_still_exits_0() {
    let (jwt, _) = library_token(60, 3600);
    let out = run(&mut cli(), &["decode", &jwt]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert!(
        out.stdout
            .ends_with("Verification\n  valid: signature, issuer, times and grants check out\n"),
        "{}",
        out.stdout
    );

    let (expired, issued) = library_token(4 * 3600 + 30, 3600);
    let out = run(&mut cli(), &["decode", &expired]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains(&format!(
            "  exp       {} (expired 3h ago)\n",
            rfc3339(issued + 3600)
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  INVALID: the token expired (20104)"),
        "{}",
        out.stdout
    );

    let out = run(&mut cli(), &["decode", &tampered(&jwt)]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("  identity  mallory\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  INVALID: invalid signature (20107)"),
        "{}",
        out.stdout
    );
}

#[test]
fn decode_reads_stdin_and_refuses_what_is_not_a_jwt() {
    let (jwt, _) = library_token(60, 3600);
    let out = run(bare().write_stdin(format!("{jwt}\n")), &["decode", "-"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("Header\n  alg       HS256\n"));
    let out = run(bare().write_stdin(jwt.clone()), &["decode"]);
    assert_eq!(out.code, 0);

    for garbage in [
        "garbage",
        "a.b",
        "a.b.c",
        "e30.e30",
        "e30.W10.x",
        "",
        "....",
        "\u{1F600}.x.y",
    ] {
        let out = run(&mut bare(), &["decode", garbage]);
        assert_eq!(out.code, 2, "{garbage:?}");
        assert_eq!(out.stdout, "", "{garbage:?}");
        assert!(
            out.stderr.starts_with("error: malformed token (20101): ")
                || out.stderr.starts_with("error: no token given"),
            "{garbage:?}: {}",
            out.stderr
        );
    }
}

// ---- verify ----

#[test]
fn verify_accepts_a_good_token_and_says_what_it_grants() {
    let (jwt, issued) = library_token(60, 3600);
    let out = run(&mut cli(), &["verify", &jwt]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        format!(
            "valid: identity \"alice\", grants [video], expires {} (in 59m)\n",
            rfc3339(issued + 3600)
        )
    );
    let out = run(cli().write_stdin(jwt), &["verify", "-"]);
    assert_eq!(out.code, 0);
}

#[test]
fn verify_failures_exit_1_with_the_twilio_code_and_a_hint() {
    let (jwt, _) = library_token(60, 3600);
    let (expired, _) = library_token(7200, 3600);
    let cases = [
        (expired, "20104", "hint: mint a new token"),
        (tampered(&jwt), "20107", "hint: the secret does not match"),
        (
            "garbage".to_owned(),
            "20101",
            "hint: check that the whole token",
        ),
        (
            "a.b.c".to_owned(),
            "20101",
            "hint: check that the whole token",
        ),
    ];
    for (token, code, hint) in cases {
        let out = run(&mut cli(), &["verify", &token]);
        assert_eq!(out.code, 1, "{token}");
        assert_eq!(out.stdout, "");
        assert!(
            out.stderr.starts_with("invalid: ")
                && out.stderr.contains(code)
                && out.stderr.contains(hint),
            "{token}: {}",
            out.stderr
        );
    }
    let out = run(
        cli().env("TWILIO_API_SECRET", "another-secret"),
        &["verify", &jwt],
    );
    assert_fails(&out, 1, "20107");
    let out = run(
        cli().env("TWILIO_ACCOUNT_SID", "ACffffffffffffffffffffffffffffffff"),
        &["verify", &jwt],
    );
    assert_fails(&out, 1, "wrong account (20103)");
}

#[test]
fn verify_leeway_accepts_a_just_expired_token() {
    let (expired, _) = library_token(3600 + 30, 3600);
    assert_eq!(run(&mut cli(), &["verify", &expired]).code, 1);
    assert_eq!(
        run(&mut cli(), &["verify", "--leeway", "120", &expired]).code,
        0
    );
}

#[test]
fn stdin_holds_the_token_or_the_secret_not_both() {
    let out = run(
        cli().write_stdin("x"),
        &["verify", "-", "--api-secret", "-"],
    );
    assert_fails(&out, 2, "stdin already holds the");
}

// ---- help and completions ----

#[test]
fn help_documents_exit_codes_and_every_subcommand_has_an_example() {
    let out = run(&mut bare(), &["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains(
        "Exit codes:\n  0  success (decode: the token could be read, whatever its verification said)\n  1  verification failed"
    ), "{}", out.stdout);
    for sub in [
        "voice",
        "video",
        "chat",
        "sync",
        "flex",
        "mint",
        "decode",
        "verify",
        "completions",
        "validation",
        "capability client",
        "capability worker",
        "capability task-queue",
        "capability workspace",
    ] {
        let mut args: Vec<&str> = sub.split(' ').collect();
        args.push("--help");
        let out = run(&mut bare(), &args);
        assert_eq!(out.code, 0, "{sub}");
        assert!(
            out.stdout.contains(&format!("twilio-token {sub}")),
            "{sub}: {}",
            out.stdout
        );
    }
    let out = run(&mut bare(), &["frobnicate"]);
    assert_eq!(out.code, 2);
}

#[test]
fn completions_are_generated_for_each_shell() {
    let out = run(&mut bare(), &["completions", "bash"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with("_twilio__token() {\n"),
        "{}",
        &out.stdout[..80]
    );
    let out = run(&mut bare(), &["completions", "zsh"]);
    assert!(out.stdout.starts_with("#compdef twilio-token\n"));
    for shell in ["fish", "powershell", "elvish"] {
        let out = run(&mut bare(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout.contains("identity"), "{shell}");
    }
}

// ---- hostile input ----

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]

    /// Whatever arrives on stdin, `decode` exits 2 (or 0 for a readable
    /// token) and `verify` exits 1, with a message and never a panic.
    #[test]
    fn decode_and_verify_never_panic_on_stdin(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        dotted in "[A-Za-z0-9_=+/-]{0,40}\\.[A-Za-z0-9_=+/-]{0,40}\\.[A-Za-z0-9_=+/-]{0,40}",
    ) {
        for input in [bytes, dotted.into_bytes()] {
            let decode = cli().write_stdin(input.clone()).arg("decode").output().expect("runs");
            let stderr = String::from_utf8_lossy(&decode.stderr);
            proptest::prop_assert!(matches!(decode.status.code(), Some(0 | 2)), "{stderr}");
            proptest::prop_assert!(!stderr.contains("panicked"), "{stderr}");
            let verify = cli().write_stdin(input).arg("verify").output().expect("runs");
            let stderr = String::from_utf8_lossy(&verify.stderr);
            proptest::prop_assert!(matches!(verify.status.code(), Some(1 | 2)), "{stderr}");
            proptest::prop_assert!(!stderr.contains("panicked"), "{stderr}");
            proptest::prop_assert!(stderr.starts_with("invalid: ") || stderr.starts_with("error: "), "{stderr}");
        }
    }
}

/// Every way of putting the three credentials in the wrong variables, and
/// an Auth Token as the secret: the tool refuses (exit 2) and no output
/// shows a secret.
#[test]
fn credentials_in_the_wrong_variables_never_print_a_secret() {
    let auth_token = "0123456789abcdef0123456789abcdef";
    let secrets = [SECRET, "Xy7aBcDeFgHiJkLmNoPqRsTuVwXyZ012"];
    for secret in secrets {
        let values = [ACCOUNT, KEY, secret];
        for (a, k, s) in [
            (0, 1, 2),
            (0, 2, 1),
            (1, 0, 2),
            (1, 2, 0),
            (2, 0, 1),
            (2, 1, 0),
        ] {
            let out = run(
                bare()
                    .env("TWILIO_ACCOUNT_SID", values[a])
                    .env("TWILIO_API_KEY", values[k])
                    .env("TWILIO_API_SECRET", values[s]),
                &["video", "--identity", "alice"],
            );
            let right = (a, k, s) == (0, 1, 2);
            assert_eq!(
                out.code,
                if right { 0 } else { 2 },
                "{a}{k}{s}: {}",
                out.stderr
            );
            if !right {
                assert!(!out.stdout.contains(secret), "{a}{k}{s}: {}", out.stdout);
                assert!(!out.stderr.contains(secret), "{a}{k}{s}: {}", out.stderr);
            }
        }
    }
    let out = run(
        cli().env("TWILIO_API_SECRET", auth_token),
        &["video", "--identity", "alice"],
    );
    assert_eq!(out.code, 2);
    assert!(!out.stderr.contains(auth_token), "{}", out.stderr);
    assert!(out.stderr.contains("Auth Token"), "{}", out.stderr);
    assert!(out.stderr.contains("create an API key"), "{}", out.stderr);
}

/// `decode` and `verify` measure Twilio's 24-hour limit alike, from the
/// issue time the library reads (here the `jti`), not from an earlier `nbf`.
#[test]
fn decode_and_verify_agree_on_the_24_hour_limit() {
    // Minted elsewhere: 24 hours from its issue time (the jti), and an
    // nbf ten seconds before it. Both measure from the issue time.
    let now = now();
    let header = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#;
    let payload = format!(
        r#"{{"jti":"{KEY}-{now}","grants":{{"identity":"alice"}},"iss":"{KEY}","exp":{},"nbf":{},"sub":"{ACCOUNT}"}}"#,
        now + 86_400,
        now - 10
    );
    let token = signed(header, &payload);
    let decoded = run(&mut cli(), &["decode", &token]);
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    assert!(
        decoded.stdout.contains("  lifetime  1d\n"),
        "{}",
        decoded.stdout
    );
    assert!(!decoded.stdout.contains("20157"), "{}", decoded.stdout);
    assert!(decoded.stdout.contains("  valid: "), "{}", decoded.stdout);
    assert_eq!(run(&mut cli(), &["verify", &token]).code, 0);
    // Minting such a token works too (Twilio measures the 24 hours from
    // the issue time), and it verifies.
    let nbf = (now - 10).to_string();
    let out = run(
        &mut cli(),
        &["video", "-i", "alice", "--ttl", "86400", "--nbf", &nbf],
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(run(&mut cli(), &["verify", out.stdout.trim_end()]).code, 0);
    // An nbf at or after the expiry never lets the token be valid.
    let late = (now + 7200).to_string();
    let out = run(&mut cli(), &["video", "-i", "alice", "--nbf", &late]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: cannot mint the token: --nbf is not before the expiry (the issue time plus --ttl): the token would never be valid; give an earlier --nbf or a longer --ttl\n"
    );
}

/// A built-in grant that minting refuses (a malformed SID) in a token that
/// is otherwise valid: `verify` and `decode` accept it, as Twilio reads it,
/// and warn, naming the grant and the field.
#[test]
fn a_malformed_sid_in_a_built_in_grant_is_a_warning() {
    let now = now();
    let header = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#;
    let payload = json!({
        "jti": format!("{KEY}-{now}"),
        "grants": {"identity": "alice", "voice": {"outgoing": {"application_sid": "AP123"}}},
        "iss": KEY,
        "exp": now + 3600,
        "nbf": now,
        "sub": ACCOUNT,
    })
    .to_string();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()));
    let warning = "warning: grant `voice` field `outgoing_application_sid` is not a valid SID: it must be `AP` followed by 32 lower-case hex digits (minting refuses this grant)\n";
    let verified = run(&mut cli(), &["verify", &token]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert_eq!(verified.stderr, warning);
    let decoded = run(&mut cli(), &["decode", &token]);
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    assert_eq!(decoded.stderr, warning);
}

/// An edge location is not a region: refused, with the form of a region code.
#[test]
fn an_edge_location_is_refused_as_a_region() {
    let out = run(&mut cli(), &["video", "-i", "alice", "--region", "dublin"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("use a region code, two lower-case letters and a number such as `us1`, `ie1` or `au1`; an edge location such as `dublin` or `sydney` is a client SDK setting"),
        "{}",
        out.stderr
    );
}

/// The plugin's `--allow-incoming true|false`, the bare switch, and a Voice
/// grant that would allow nothing.
#[test]
fn allow_incoming_takes_an_optional_boolean_and_voice_needs_one_of_its_flags() {
    for (args, incoming) in [
        (&["--allow-incoming", "true"][..], true),
        (
            &["--allow-incoming=false", "--voice-app-sid", AP][..],
            false,
        ),
        (&["--allow-incoming"][..], true),
        (&["--allow-incoming", "--voice-app-sid", AP][..], true),
    ] {
        let mut all = vec!["voice", "-i", "alice"];
        all.extend_from_slice(args);
        let jwt = mint(&all);
        assert_eq!(
            grants(&jwt)["voice"].get("incoming").is_some(),
            incoming,
            "{args:?}"
        );
    }
    let out = run(&mut cli(), &["voice", "-i", "alice"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: a Voice grant needs --voice-app-sid AP… (outgoing calls through a TwiML app) or --allow-incoming (incoming calls), or both: without either it allows nothing\n"
    );
    let out = run(
        &mut cli(),
        &["voice", "-i", "alice", "--allow-incoming", "false"],
    );
    assert_eq!(out.code, 2);
}

/// A leeway is minutes at most.
#[test]
fn leeway_is_at_most_five_minutes() {
    let token = mint(&["video", "-i", "alice"]);
    assert_eq!(
        run(&mut cli(), &["verify", "--leeway", "300", &token]).code,
        0
    );
    let out = run(&mut cli(), &["verify", "--leeway", "301", &token]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("301 is not in 0..=300"),
        "{}",
        out.stderr
    );
}

/// Every minting subcommand lists the token's own flags under a heading of
/// their own, not under the grant before them; the region's variable is
/// named without an empty value.
#[test]
fn help_lists_the_common_flags_under_their_own_heading() {
    for subcommand in ["voice", "video", "chat", "sync", "flex", "mint"] {
        let out = run(&mut bare(), &[subcommand, "--help"]);
        assert_eq!(out.code, 0);
        // After the usage line: the option lists, their text unwrapped.
        let options = out.stdout.find("\nOptions:\n").expect("an Options heading");
        let help = out.stdout[options..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let token = help.find(" Token: ").expect("a Token heading");
        let credentials = help.find(" Credentials: ").expect("a Credentials heading");
        for flag in [
            "--identity",
            "--ttl",
            "--region",
            "--nbf",
            "--no-nbf",
            "--json",
        ] {
            let at = help.find(&format!(" {flag} ")).expect(flag);
            assert!(
                token < at && at < credentials,
                "{subcommand} {flag}: {help}"
            );
        }
        assert!(help.contains("[env: TWILIO_REGION]"), "{subcommand}");
    }
}

/// Minting errors speak of the tool's flags, not of the library's calls.
#[test]
fn minting_errors_name_the_flags() {
    for (args, expected) in [
        (
            &["video", "-i", "alice", "--room-name", ""][..],
            "error: cannot mint the token: --room-name is empty: give a value, or leave the flag out\n",
        ),
        (
            &[
                "flex",
                "-i",
                "alice",
                "--workspace-sid",
                WS,
                "--worker-sid",
                WK,
                "--role",
                "",
            ][..],
            "error: cannot mint the token: --role is empty: give a value, or leave the flag out\n",
        ),
        (
            &["voice", "-i", "alice", "--voice-app-sid", "AP123"][..],
            "error: cannot mint the token: --voice-app-sid is not a valid AP… SID: it must be `AP` followed by 32 lower-case hex digits\n",
        ),
        (
            &["video", "-i", "alice", "--nbf", "99999999999"][..],
            "error: cannot mint the token: --nbf is not before the expiry (the issue time plus --ttl): the token would never be valid; give an earlier --nbf or a longer --ttl\n",
        ),
        (
            &["video", "-i", "alice", "--nbf", "18446744073709551615"][..],
            "error: --nbf is too far in the future: give unix seconds before the expiry\n",
        ),
        (
            &["flex", "-i", "alice"][..],
            "error: flex needs --workspace-sid WS… and --worker-sid WK…: the TaskRouter workspace, and the worker that this identity signs in as\n",
        ),
    ] {
        let out = run(&mut cli(), args);
        assert_eq!((out.code, out.stderr.as_str()), (2, expected), "{args:?}");
    }
}

/// A token with this header and payload text, signed with the test secret.
fn signed(header: &str, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// Each hint matches its cause, and times read as UTC with how long ago.
#[test]
fn verify_hints_match_the_cause_and_times_read_as_utc() {
    let now = now();
    let payload = |exp: u64, extra: &str| {
        format!(
            r#"{{"jti":"{KEY}-{now}","grants":{{"identity":"alice"}},"iss":"{KEY}","exp":{exp},"nbf":{now},"sub":"{ACCOUNT}"{extra}}}"#
        )
    };
    let header = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#;
    let hs384 = signed(
        r#"{"alg":"HS384","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
        &payload(now + 60, ""),
    );
    let twice = signed(header, &payload(now + 60, &format!(r#","iss":"{KEY}""#)));
    let good = signed(header, &payload(now + 60, ""));
    // The tag's last character carries two stray bits: flip them on.
    let mut stray = good.clone();
    let last = stray.pop().unwrap();
    let index = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .iter()
        .position(|&c| c == last as u8)
        .unwrap();
    stray.push(char::from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[index | 3],
    ));
    let none = signed(
        r#"{"alg":"none","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
        &payload(now + 60, ""),
    );
    // The hint is chosen by the error's type, never by its words.
    let alg_hint = "hint: Twilio accepts only HS256: mint the token with HS256 (a helper library's toJwt() with no algorithm)\n";
    for (token, said) in [
        (
            &hs384,
            format!("invalid token header (20102): `alg` is \"HS384\"; Twilio tokens use \"HS256\"\n{alg_hint}"),
        ),
        (
            &none,
            format!("invalid token header (20102): `alg` is \"none\"; Twilio tokens use \"HS256\"\n{alg_hint}"),
        ),
        (
            &twice,
            "malformed token (20101): the payload: the key `iss` is given twice\nhint: a claim is given twice, which no Twilio helper library writes: mint the token again\n".into(),
        ),
        (
            &stray,
            "malformed token (20101): the signature's base64url is not canonical: its last character has bits no encoder sets\nhint: the token was re-encoded by something other than a JWT library: use the token as it was minted, or mint it again\n".into(),
        ),
    ] {
        let out = run(&mut cli(), &["verify", token]);
        assert_eq!((out.code, out.stderr), (1, format!("invalid: {said}")));
    }
    // `decode` reads the token as the library does: a key given twice is
    // refused, not shown with the last value.
    let out = run(&mut cli(), &["decode", &twice]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (
            2,
            "",
            "error: malformed token (20101): the payload: the key `iss` is given twice\nhint: a \
             claim is given twice, which no Twilio helper library writes: mint the token again\n"
        )
    );
    let expired = signed(header, &payload(now - 3600, ""));
    let out = run(&mut cli(), &["verify", &expired]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "invalid: the token expired (20104) at {} (1h",
            rfc3339(now - 3600)
        )),
        "{}",
        out.stderr
    );
}

/// An Auth Token in the environment and no API key: said, and explained,
/// without its value.
#[test]
fn an_auth_token_without_an_api_key_is_explained() {
    let auth_token = "0123456789abcdef0123456789abcdef";
    let out = run(
        bare()
            .env("TWILIO_ACCOUNT_SID", ACCOUNT)
            .env("TWILIO_AUTH_TOKEN", auth_token),
        &["video", "-i", "alice"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(
            "error: no API key SID (SK…) given: set TWILIO_API_KEY or pass --api-key. TWILIO_AUTH_TOKEN is set, but Access Tokens are signed with an API key, not the account's Auth Token: create one"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(auth_token));
}

/// After a usage error, the usage line lists what is always needed, not
/// the credential flags the environment gave.
#[test]
fn the_usage_line_does_not_list_flags_from_the_environment() {
    let out = run(&mut cli(), &["video"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("\nUsage: twilio-token video --identity <IDENTITY> [OPTIONS]\n"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("--api-secret"), "{}", out.stderr);
}

/// A token signed with another API key, and one not valid yet: the
/// messages name the tool's variables and give UTC times, never a library
/// call or unix seconds.
#[test]
fn unknown_issuer_and_not_yet_valid_read_in_the_tools_words() {
    let now = now();
    let header = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#;
    let payload = |iss: &str, nbf: u64| {
        format!(
            r#"{{"jti":"{iss}-{now}","grants":{{"identity":"alice"}},"iss":"{iss}","exp":{},"nbf":{nbf},"sub":"{ACCOUNT}"}}"#,
            now + 7200
        )
    };
    let other = signed(header, &payload(OTHER_KEY, now));
    let out = run(&mut cli(), &["verify", &other]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "invalid: unknown issuer (20103): the token is signed with API key {OTHER_KEY}, which this verifier does not have\nhint: the token was signed by another API key or for another account: check TWILIO_API_KEY and TWILIO_ACCOUNT_SID\n"
        )
    );
    let later = signed(header, &payload(KEY, now + 3600));
    let out = run(&mut cli(), &["verify", &later]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "invalid: the token is not valid yet (20105): its nbf is {} (in ",
            rfc3339(now + 3600)
        )),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains(&(now + 3600).to_string()),
        "{}",
        out.stderr
    );
    // Issued in the future (the `jti` time), though valid from `nbf`.
    let future = signed(
        header,
        &payload(KEY, now).replacen(&format!("{KEY}-{now}"), &format!("{KEY}-{}", now + 3600), 1),
    );
    let out = run(&mut cli(), &["verify", &future]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "invalid: the token is not valid yet (20105): it was issued at {} (in ",
            rfc3339(now + 3600)
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with(
            "\nhint: the token was issued after now: check the minting server's clock\n"
        ),
        "{}",
        out.stderr
    );
}

/// The Auth Token of the capability tests.
const AUTH_TOKEN: &str = "fedcba98765432100123456789abcdef";

/// The tool with an account SID and Auth Token in the environment (no API
/// key).
fn with_auth_token() -> Command {
    let mut command = bare();
    command
        .env("TWILIO_ACCOUNT_SID", ACCOUNT)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
    command
}

/// Mints a capability token that must succeed: one line on stdout, nothing
/// on stderr.
fn mint_capability(args: &[&str]) -> String {
    let out = run(&mut with_auth_token(), args);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{args:?}");
    out.stdout.strip_suffix('\n').expect("one line").to_owned()
}

/// What a capability token allows, read by the library.
fn capabilities(jwt: &str) -> twilio_token::capability::Capabilities {
    twilio_token::capability::CapabilityVerifier::new(ACCOUNT, AUTH_TOKEN)
        .unwrap()
        .verify(jwt)
        .expect("the token verifies")
        .capabilities()
        .clone()
}

#[test]
fn capability_tokens_are_what_the_library_mints() {
    use twilio_token::capability::{ClientCapability, TaskRouterCapability};
    let ws = "WS55555555555555555555555555555555";
    let library = |builder: Result<String, twilio_token::Error>| capabilities(&builder.unwrap());

    let jwt = mint_capability(&[
        "capability",
        "client",
        "--voice-app-sid",
        AP,
        "--voice-param",
        "to=+1 555",
        "--allow-incoming",
        "--identity",
        "bob smith",
    ]);
    assert_eq!(
        capabilities(&jwt),
        library(
            ClientCapability::builder()
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .allow_outgoing(AP, [("to", "+1 555")])
                .allow_incoming("bob smith")
                .sign()
        )
    );
    let payload = segment(&jwt, 1);
    assert_eq!(
        payload["exp"].as_u64().unwrap() - payload["nbf"].as_u64().unwrap(),
        3600
    );
    assert_eq!(segment(&jwt, 0), json!({"alg": "HS256", "typ": "JWT"}));

    let jwt = mint_capability(&[
        "capability",
        "worker",
        "--workspace-sid",
        ws,
        "--worker-sid",
        WK,
        "--allow",
        "update-activities",
        "--deny",
        "fetch-self",
        "--ttl",
        "600",
        "--no-nbf",
    ]);
    assert_eq!(
        capabilities(&jwt),
        library(
            TaskRouterCapability::worker(ws, WK)
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .allow_update_activities(true)
                .allow_fetch_self(false)
                .sign()
        )
    );
    let payload = segment(&jwt, 1);
    assert_eq!(payload.get("nbf"), None);

    let queue = "WQ77777777777777777777777777777777";
    let jwt = mint_capability(&[
        "capability",
        "task-queue",
        "--workspace-sid",
        ws,
        "--task-queue-sid",
        queue,
        "--allow",
        "fetch-subresources",
    ]);
    assert_eq!(
        capabilities(&jwt),
        library(
            TaskRouterCapability::task_queue(ws, queue)
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .allow_fetch_subresources(true)
                .sign()
        )
    );
    let jwt = mint_capability(&["capability", "workspace", "--workspace-sid", ws]);
    assert_eq!(
        capabilities(&jwt),
        library(
            TaskRouterCapability::workspace(ws)
                .account_sid(ACCOUNT)
                .auth_token(AUTH_TOKEN)
                .sign()
        )
    );

    // The Auth Token from stdin, and --json.
    let out = run(
        bare()
            .env("TWILIO_ACCOUNT_SID", ACCOUNT)
            .write_stdin(format!("{AUTH_TOKEN}\n")),
        &[
            "capability",
            "workspace",
            "--workspace-sid",
            ws,
            "--auth-token",
            "-",
            "--json",
        ],
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let output: Value = serde_json::from_str(&out.stdout).unwrap();
    let jwt = output["jwt"].as_str().unwrap();
    let expires = segment(jwt, 1)["exp"].as_u64().unwrap();
    assert_eq!(output["expires_at"], rfc3339(expires));
}

#[test]
fn capability_commands_refuse_what_would_not_work() {
    let ws = "WS55555555555555555555555555555555";
    // No Auth Token; an API key secret in its place; an Access Token's
    // credentials only.
    let out = run(
        bare().env("TWILIO_ACCOUNT_SID", ACCOUNT),
        &["capability", "workspace", "--workspace-sid", ws],
    );
    assert_fails(
        &out,
        2,
        "error: no Auth Token given: capability tokens are signed with the account's Auth Token; set TWILIO_AUTH_TOKEN or pass --auth-token -",
    );
    let out = run(
        with_auth_token().env("TWILIO_AUTH_TOKEN", SECRET),
        &["capability", "workspace", "--workspace-sid", ws],
    );
    assert_fails(
        &out,
        2,
        "capability tokens are signed with the Auth Token, Access Tokens with an API key's secret",
    );
    assert!(!out.stderr.contains(SECRET));
    // A worker-only policy on a task queue is not one of its values.
    let out = run(
        &mut with_auth_token(),
        &[
            "capability",
            "task-queue",
            "--workspace-sid",
            ws,
            "--task-queue-sid",
            "WQ77777777777777777777777777777777",
            "--allow",
            "update-activities",
        ],
    );
    assert_fails(
        &out,
        2,
        "invalid value 'update-activities' for '--allow <POLICY>'",
    );
    // SIDs in the flags' words.
    let out = run(
        &mut with_auth_token(),
        &[
            "capability",
            "worker",
            "--workspace-sid",
            ws,
            "--worker-sid",
            ws,
        ],
    );
    assert_fails(
        &out,
        2,
        "error: cannot mint the token: --worker-sid must be `WK` followed by 32 lower-case hex digits",
    );
    let out = run(&mut with_auth_token(), &["capability", "client"]);
    assert_fails(&out, 2, "error: the token would allow nothing");
    let out = run(
        &mut with_auth_token(),
        &["capability", "client", "--allow-incoming"],
    );
    assert_fails(&out, 2, "--identity <IDENTITY>");
    // An Auth Token typed as a flag works, with a warning that never shows it.
    let out = run(
        bare().env("TWILIO_ACCOUNT_SID", ACCOUNT),
        &[
            "capability",
            "workspace",
            "--workspace-sid",
            ws,
            "--auth-token",
            AUTH_TOKEN,
        ],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .starts_with("warning: --auth-token on the command line is kept in shell history"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(AUTH_TOKEN));
}

#[test]
fn decode_and_verify_recognise_capability_tokens() {
    let jwt = mint_capability(&[
        "capability",
        "client",
        "--voice-app-sid",
        AP,
        "--voice-param",
        "to=+1 555",
        "--allow-incoming",
        "-i",
        "alice",
        "--allow-event-stream",
    ]);
    let out = run(&mut with_auth_token(), &["decode", &jwt]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let scopes = out.stdout.split("Scopes").nth(1).unwrap_or_default();
    assert_eq!(
        scopes,
        format!(
            " (Twilio Client capability)\n  client:outgoing appParams{{to=\"+1 555\"}} appSid=\"{AP}\" clientName=\"alice\"\n  client:incoming clientName=\"alice\"\n  stream:subscribe path=\"/2010-04-01/Events\"\nVerification\n  valid: signature, account, times and scopes check out\n"
        )
    );
    assert!(
        out.stdout
            .contains(&format!("  iss       {ACCOUNT} (account)\n")),
        "{}",
        out.stdout
    );
    let out = run(&mut with_auth_token(), &["verify", &jwt]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(
            "valid: Twilio Client capability, scopes [client:outgoing, client:incoming, stream:subscribe], expires "
        ),
        "{}",
        out.stdout
    );

    // Without the Auth Token: decode says so, verify refuses to guess.
    let out = run(bare().env("TWILIO_ACCOUNT_SID", ACCOUNT), &["decode", &jwt]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .ends_with("Verification\n  not verified: no Auth Token given\n")
    );
    assert!(
        out.stderr
            .contains("this is a capability token, signed with the Auth Token")
    );
    let out = run(&mut cli(), &["verify", &jwt]);
    assert_fails(
        &out,
        2,
        "error: no Auth Token given: this is a capability token (no `cty` in its header)",
    );

    // Another Auth Token: 20107, with the capability hint.
    let out = run(
        with_auth_token().env("TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef"),
        &["verify", &jwt],
    );
    assert_fails(
        &out,
        1,
        "invalid: invalid signature (20107): the token was altered or signed with another secret\nhint: the Auth Token does not match, or the token was altered: check TWILIO_AUTH_TOKEN",
    );

    // A TaskRouter token's policies.
    let ws = "WS55555555555555555555555555555555";
    let jwt = mint_capability(&["capability", "workspace", "--workspace-sid", ws]);
    let out = run(&mut with_auth_token(), &["decode", &jwt]);
    let policies = out.stdout.split("Policies").nth(1).unwrap_or_default();
    assert_eq!(
        policies,
        format!(
            " (TaskRouter capability for {ws})\n  allow GET    https://event-bridge.twilio.com/v1/wschannels/{ACCOUNT}/{ws}\n  allow POST   https://event-bridge.twilio.com/v1/wschannels/{ACCOUNT}/{ws}\n  allow GET    https://taskrouter.twilio.com/v1/Workspaces/{ws}\nVerification\n  valid: signature, account, times and policies check out\n"
        )
    );
    let out = run(&mut with_auth_token(), &["verify", &jwt]);
    assert!(
        out.stdout.starts_with(&format!(
            "valid: TaskRouter capability for {ws}, 3 policies, expires "
        )),
        "{}",
        out.stdout
    );
}

// ---- what a person reads: safe on a terminal, never a secret ----

/// Every character a terminal obeys rather than shows: C0, DEL, C1, the
/// line and paragraph separators, the bidirectional overrides and isolates.
fn hostile_text() -> String {
    (0..=0x1f)
        .chain(0x7f..=0x9f)
        .chain([0x2028, 0x2029])
        .chain(0x202a..=0x202e)
        .chain(0x2066..=0x2069)
        .filter_map(char::from_u32)
        .collect()
}

/// Whether `text` holds a character of `hostile_text`, other than the
/// line breaks that end each line.
fn has_raw_control(text: &str) -> bool {
    text.chars()
        .any(|c| c != '\n' && hostile_text().contains(c))
}

/// A token whose every string (header value, claim, identity, grant key,
/// grant value) and a claim's name are full of terminal controls: no
/// output of `decode` or `verify` prints one raw.
#[test]
fn decode_and_verify_escape_every_control_from_a_token() {
    let hostile = serde_json::to_string(&hostile_text()).unwrap();
    let exp = now() + 3600;
    let header = format!(r#"{{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1","x":{hostile}}}"#);
    let payload = format!(
        r#"{{"jti":"{KEY}-{}","iss":"{KEY}","sub":"{ACCOUNT}","exp":{exp},{hostile}:{hostile},"grants":{{"identity":{hostile},{hostile}:{{"a":{hostile}}}}}}}"#,
        now()
    );
    let jwt = signed(&header, &payload);
    let duplicate = signed(
        &header,
        &payload.replace(r#""grants":{"#, &format!(r#""grants":{{{hostile}:{{}},"#)),
    );
    for (args, code) in [
        (["decode", jwt.as_str()], 0),
        (["verify", jwt.as_str()], 0),
        (["decode", duplicate.as_str()], 2),
        (["verify", duplicate.as_str()], 1),
    ] {
        for mut command in [bare(), cli()] {
            let out = run(&mut command, &args);
            assert_eq!(
                out.code,
                code.max(
                    if args[0] == "verify" && out.stderr.contains("no API key") {
                        2
                    } else {
                        code
                    }
                ),
                "{}",
                out.stderr
            );
            assert!(!has_raw_control(&out.stdout), "{args:?}: {}", out.stdout);
            assert!(!has_raw_control(&out.stderr), "{args:?}: {}", out.stderr);
        }
    }
}

/// The issue's forged token: a claim that draws a fake "valid" verdict and
/// hides the rest (SGR 8) is shown on one line, escaped, and the real
/// verdict follows.
#[test]
fn a_claim_cannot_fake_the_verdict() {
    let issued = now();
    let exp = issued + 3600;
    let header = r#"{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}"#;
    let payload = format!(
        r#"{{"jti":"{KEY}-{issued}","iss":"{KEY}","sub":"{ACCOUNT}","exp":{exp},"zz":"x\nGrants\n  (none)\nVerification\n  valid: signature, issuer, times and grants check out\n\u001b[8m","grants":{{"identity":"\u001b]0;pwned\u0007"}}}}"#
    );
    let jwt = signed(header, &payload);
    // Another last character: the tag's last one is `A` one time in four.
    let last = if jwt.ends_with('A') { 'E' } else { 'A' };
    let forged = format!("{}{last}", &jwt[..jwt.len() - 1]);
    let out = run(&mut cli(), &["decode", &forged]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[5], r"  identity  \u{1b}]0;pwned\u{7}");
    assert_eq!(
        lines[10],
        r"  zz        x\nGrants\n  (none)\nVerification\n  valid: signature, issuer, times and grants check out\n\u{1b}[8m"
    );
    assert_eq!(
        lines[11..],
        [
            "  lifetime  1h",
            "Grants",
            "  (none)",
            "Verification",
            "  INVALID: invalid signature (20107): the token was altered or signed with another secret",
            "  hint: the secret does not match the API key, or the token was altered: check TWILIO_API_SECRET",
        ]
    );
}

/// Names longer than the usual column (a TaskRouter capability's
/// `workspace_sid`, `friendly_name`) push every value to one column.
#[test]
fn decode_aligns_values_after_the_longest_name() {
    let jwt = mint_capability(&[
        "capability",
        "worker",
        "--workspace-sid",
        WS,
        "--worker-sid",
        WK,
    ]);
    let out = run(&mut with_auth_token(), &["decode", &jwt]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let claims: Vec<&str> = out.stdout.lines().skip(1).take(9).collect();
    assert_eq!(
        claims,
        [
            "  alg           HS256",
            "  typ           JWT",
            "Claims",
            &format!("  account_sid   {ACCOUNT}"),
            &format!("  workspace_sid {WS}"),
            &format!("  channel       {WK}"),
            "  version       v1",
            &format!("  friendly_name {WK}"),
            &format!("  worker_sid    {WK}"),
        ]
    );
}

/// A secret put in every place a value goes, flag, variable or position,
/// by mistake: the tool refuses, and no output shows it; a credential's
/// value is named by where it came from.
#[test]
fn a_secret_in_any_wrong_place_is_never_printed() {
    let jwt = mint(&["video", "-i", "alice"]);
    // Each place: the arguments (split at spaces) and the variables.
    let places = |s: &str| -> Vec<(String, Vec<(&'static str, String)>)> {
        let none = Vec::new;
        vec![
            ("video -i a".into(), vec![("TWILIO_REGION", s.to_owned())]),
            ("video -i a".into(), vec![("TWILIO_API_KEY", s.to_owned())]),
            (
                "video -i a".into(),
                vec![("TWILIO_ACCOUNT_SID", s.to_owned())],
            ),
            (format!("video -i a --region {s}"), none()),
            (format!("video -i a {s}"), none()),
            (format!("video -i a --ttl {s}"), none()),
            (format!("video -i a --nbf {s}"), none()),
            (format!("video -i a --api-key {s}"), none()),
            (format!("video -i a --account-sid {s}"), none()),
            (
                format!("voice -i a --voice-app-sid {AP} --voice-param {s}"),
                none(),
            ),
            (
                format!("voice -i a --voice-app-sid {AP} --voice-param {s}=1 --voice-param {s}=2"),
                none(),
            ),
            (format!("voice -i a --allow-incoming {s}"), none()),
            (format!("verify {jwt} {s}"), none()),
            (format!("decode {jwt} {s}"), none()),
            (format!("verify {jwt} --leeway {s}"), none()),
            (format!("verify {s}"), none()),
            (format!("decode {s}"), none()),
            (format!("completions {s}"), none()),
            (s.to_owned(), none()),
            (format!("capability {s}"), none()),
            (
                format!("capability worker --workspace-sid {s} --worker-sid {WK}"),
                none(),
            ),
            (
                format!("capability worker --workspace-sid {WS} --worker-sid {WK} --allow {s}"),
                none(),
            ),
        ]
    };
    let never_shown = |secret: &str, command: fn() -> Command| {
        for (args, vars) in places(secret) {
            let args: Vec<&str> = args.split(' ').collect();
            let out = run(command().envs(vars), &args);
            assert_ne!(out.code, 0, "{args:?}");
            assert!(!out.stdout.contains(secret), "{args:?}: {}", out.stdout);
            assert!(!out.stderr.contains(secret), "{args:?}: {}", out.stderr);
        }
    };
    let shaped = [
        "Xy7aBcDeFgHiJkLmNoPqRsTuVwXyZ012",
        "0123456789abcdef0123456789abcdef",
        "12345678901234567890",
    ];
    for secret in shaped {
        never_shown(secret, || {
            let mut command = cli();
            command.env("TWILIO_AUTH_TOKEN", "fedcba9876543210fedcba9876543210");
            command
        });
    }
    // Any value of a credential variable, whatever its shape.
    never_shown("my-own-api-secret", || {
        let mut command = cli();
        command.env("TWILIO_API_SECRET", "my-own-api-secret");
        command
    });
    let out = run(&mut cli(), &["video", "-i", "a", shaped[0]]);
    assert_eq!(
        out.stderr,
        "error: unexpected argument [not shown: 32 characters, a secret's shape] found\n\n\
         Usage: twilio-token video --identity <IDENTITY> [OPTIONS]\n\n\
         For more information, try '--help'.\n"
    );
    let out = run(&mut cli(), &["verify", &jwt, SECRET]);
    assert_eq!(
        out.stderr,
        "error: unexpected argument [not shown: 32 characters, the value of TWILIO_API_SECRET] \
         found\n\nUsage: twilio-token verify [OPTIONS] [JWT|-]\n\n\
         For more information, try '--help'.\n"
    );
    let out = run(cli().env("TWILIO_REGION", shaped[1]), &["video", "-i", "a"]);
    assert_eq!(
        out.stderr,
        "error: cannot mint the token: invalid region (32 characters): use a region code, two \
         lower-case letters and a number such as `us1`, `ie1` or `au1`; an edge location such as \
         `dublin` or `sydney` is a client SDK setting, not the token's region\n"
    );
    let out = run(&mut cli(), &["verify", &jwt, "--leeway", shaped[2]]);
    assert_eq!(
        out.stderr,
        "error: invalid value [not shown: 20 characters, a secret's shape] for '--leeway \
         <SECONDS>': [not shown: 20 characters, a secret's shape] is not in 0..=300\n\n\
         For more information, try '--help'.\n"
    );
}

/// `verify -` reads at most `MAX_TOKEN_LEN` + 1 bytes of stdin and refuses
/// more (200 MB piped in peak at about 5 MB resident, measured with
/// `/usr/bin/time -v`); a token over the limit is refused before its
/// header is read, and a secret on stdin is bounded too.
#[test]
fn stdin_and_tokens_are_bounded() {
    // Cut inside a character by the limit, too long is what is said.
    let cut = format!("{}é", "a".repeat(twilio_token::MAX_TOKEN_LEN));
    for (command, input) in [
        ("verify", "a".repeat(4 << 20)),
        ("decode", "a".repeat(4 << 20)),
        ("decode", cut),
    ] {
        let out = cli()
            .args([command, "-"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: the token on stdin is over 16384 bytes, longer than any token: check what is \
             piped in\n"
        );
    }
    // One byte over, as an argument: the library's 20101, whatever the
    // header says; `decode` has nothing to show.
    let over = format!("eyJ{}", "a".repeat(twilio_token::MAX_TOKEN_LEN - 2));
    let out = run(&mut cli(), &["verify", &over]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "invalid: malformed token (20101): the token is 16385 bytes, over the 16384-byte \
             limit\nhint: check that the whole token was copied, without quotes or line breaks\n"
        )
    );
    let out = run(&mut cli(), &["decode", &over]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: malformed token (20101): the token is 16385 bytes, over the 16384-byte \
             limit\nhint: check that the whole token was copied, without quotes or line breaks\n"
        )
    );
    // A token and its line break are read whole.
    let jwt = mint(&["video", "-i", "alice"]);
    let out = cli()
        .args(["verify", "-"])
        .write_stdin(format!("{jwt}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = bare()
        .env("TWILIO_ACCOUNT_SID", ACCOUNT)
        .env("TWILIO_API_KEY", KEY)
        .args(["video", "-i", "a", "--api-secret", "-"])
        .write_stdin("s".repeat(2000))
        .output()
        .unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (
            Some(2),
            "error: the API key secret on stdin is over 1024 bytes, longer than any API key \
             secret: check what is piped in\n"
        )
    );
}

/// The Twilio CLI token plugin's command names and `-o json` work as
/// ours; its flags this tool does not have, and `--app-sid`'s old
/// spelling, name what to use; a `Bearer` prefix gets a hint.
#[test]
fn the_token_plugins_names_work_or_name_ours() {
    for (theirs, ours) in [
        ("token:video", "video"),
        ("token:sync", "sync"),
        ("token:chat", "chat"),
        ("token:voice", "voice"),
    ] {
        let extra: &[&str] = match ours {
            "chat" => &["--chat-service-sid", IS],
            "voice" => &["--app-sid", AP, "--allow-incoming", "true"],
            _ => &[],
        };
        let theirs = mint(&[&[theirs, "--identity", "alice"], extra].concat());
        let ours = mint(&[&[ours, "--identity", "alice"], extra].concat());
        assert_eq!(grants(&theirs), grants(&ours));
    }
    let flex = mint(&[
        "token:flex",
        "-i",
        "a",
        "--workspace-sid",
        WS,
        "--worker-sid",
        WK,
    ]);
    assert_eq!(
        grants(&flex)["task_router"],
        json!({"workspace_sid": WS, "worker_sid": WK, "role": "worker"})
    );
    let help = run(&mut bare(), &["--help"]).stdout;
    assert!(
        help.contains(
            "The Twilio CLI token plugin's names work too (token:voice, token:video,\n\
             token:chat, token:sync, token:flex, token:capability:client,\n\
             token:capability:worker), and -o json is --json.\n"
        ),
        "{help}"
    );
    let out = run(&mut cli(), &["token:video", "-i", "alice", "-o", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let output: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(output["identity"], "alice");
    for plugin in ["token:capability:client", "token:capability:worker"] {
        let args: &[&str] = if plugin.ends_with("client") {
            &["--voice-app-sid", AP, "--identity", "alice"]
        } else {
            &["--workspace-sid", WS, "--worker-sid", WK]
        };
        let jwt = mint_capability(&[&[plugin], args].concat());
        let ours =
            mint_capability(&[&["capability", plugin.rsplit(':').next().unwrap()], args].concat());
        assert_eq!(capabilities(&jwt), capabilities(&ours));
    }
    for (args, expected) in [
        (
            &["token:video", "-i", "a", "-p", "work"][..],
            "error: -p is the Twilio CLI's: twilio-token has no profiles: set TWILIO_ACCOUNT_SID, \
             TWILIO_API_KEY and TWILIO_API_SECRET (or pass --account-sid, --api-key and \
             --api-secret -)\n",
        ),
        (
            &["video", "-i", "a", "-l", "debug"][..],
            "error: -l is the Twilio CLI's: twilio-token prints only the token on stdout, and \
             every message on stderr (add 2>/dev/null to hide them)\n",
        ),
        (
            &["video", "-i", "a", "-o", "tsv"][..],
            "error: -o is the Twilio CLI's: twilio-token prints the bare token, or JSON with \
             --json\n",
        ),
        (
            &["verify", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln"][..],
            "error: the token is given with `Bearer `, the prefix of an HTTP Authorization \
             header: pass the token alone, from `eyJ`\n",
        ),
        (
            &["decode", "Bearer", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"][..],
            "error: the token is given with `Bearer `, the prefix of an HTTP Authorization \
             header: pass the token alone, from `eyJ`\n",
        ),
    ] {
        let out = run(&mut cli(), args);
        assert_eq!((out.code, out.stderr.as_str()), (2, expected), "{args:?}");
    }
}

/// Voice takes only ASCII letters, digits and `_` in an identity: the
/// token is minted, with a warning on stderr naming the identity escaped.
#[test]
fn a_voice_identity_outside_the_voice_rule_is_a_warning() {
    for (identity, shown) in [("zoë", "`zoë`"), ("alice\n", "`alice\\n`")] {
        for command in ["voice", "mint"] {
            let out = run(
                &mut cli(),
                &[command, "-i", identity, "--voice-app-sid", AP],
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert_eq!(
                out.stderr,
                format!(
                    "warning: the identity {shown} has characters other than ASCII letters, \
                     digits and _, which Voice does not take: the token is minted, but calls to \
                     and from it will fail\n"
                )
            );
            assert_eq!(verified(out.stdout.trim_end()).identity(), identity);
        }
    }
    // Other grants take any identity, and Voice takes letters, digits, _.
    mint(&["video", "-i", "zoë"]);
    mint(&["voice", "-i", "alice_42", "--voice-app-sid", AP]);
}

/// A capability token whose scopes and policies carry every terminal
/// control, percent-encoded or in JSON: `decode` and `verify` escape them.
#[test]
fn capability_scopes_and_policies_are_escaped_too() {
    let encoded: String = hostile_text()
        .bytes()
        .map(|byte| format!("%{byte:02X}"))
        .collect();
    let hostile = serde_json::to_string(&hostile_text()).unwrap();
    let exp = now() + 600;
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let client = format!(
        r#"{{"scope":"scope:client:incoming?clientName={encoded} scope:client:outgoing?appSid={AP}&appParams=x%3D{encoded}","iss":"{ACCOUNT}","exp":{exp}}}"#
    );
    let worker = format!(
        r#"{{"version":"v1","friendly_name":{hostile},"policies":[{{"url":{hostile},"method":{hostile},"allow":true,"query_filter":{{}},"post_filter":{{}}}}],"iss":"{ACCOUNT}","exp":{exp},"account_sid":"{ACCOUNT}","channel":"{WK}","workspace_sid":"{WS}","worker_sid":"{WK}"}}"#
    );
    for payload in [client, worker] {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(&payload)
        );
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, AUTH_TOKEN.as_bytes());
        let tag = ring::hmac::sign(&key, input.as_bytes());
        let jwt = format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()));
        for command in ["decode", "verify"] {
            let out = run(&mut with_auth_token(), &[command, &jwt]);
            assert!(out.code <= 1, "{command}: {}", out.stderr);
            assert!(!has_raw_control(&out.stdout), "{command}: {}", out.stdout);
            assert!(!has_raw_control(&out.stderr), "{command}: {}", out.stderr);
        }
    }
}
