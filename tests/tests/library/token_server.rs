//! The token server (`tests/src/bin/token_server.rs`), started as a real process on 127.0.0.1:0
//! and asked for tokens over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
use twilio_token::{Credentials, Verifier};
use twilio_token_tests::support::{ACCOUNT, KEY, SECRET};

const AP: &str = "AP0123456789abcdef0123456789abcdef";

/// A running server, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_token_server"));
    for var in [
        "TWILIO_REGION",
        "TWILIO_CHAT_SERVICE_SID",
        "TWILIO_SYNC_SERVICE_SID",
        "TOKEN_TTL",
    ] {
        command.env_remove(var);
    }
    command
        .env("TWILIO_ACCOUNT_SID", ACCOUNT)
        .env("TWILIO_API_KEY", KEY)
        .env("TWILIO_API_SECRET", SECRET)
        .env("TWILIO_TWIML_APP_SID", AP)
        .env("TOKEN_SERVER_ADDR", "127.0.0.1:0");
    command
}

fn start() -> Server {
    let mut child = command()
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads the first line");
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    Server { child, addr }
}

/// A GET over HTTP/1.1: the status code and the JSON body.
fn get(server: &Server, path: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(&server.addr).expect("connects");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .expect("sends");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    let (head, body) = response.split_once("\r\n\r\n").expect("a body");
    let status = head
        .split(' ')
        .nth(1)
        .expect("a status")
        .parse()
        .expect("a number");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    (status, serde_json::from_str(body).expect("a JSON body"))
}

#[test]
fn serves_a_token_that_our_verifier_accepts() {
    let server = start();
    let (status, body) = get(&server, "/token?identity=alice");
    assert_eq!(status, 200);
    assert_eq!(body["identity"], "alice");
    let token = body["token"].as_str().expect("a token");
    let claims = Verifier::new(&Credentials::new(ACCOUNT, KEY, SECRET).unwrap())
        .verify(token)
        .expect("verifies");
    assert_eq!(claims.identity(), "alice");
    assert_eq!(
        twilio_token::Json::Object(claims.grants().unwrap().clone()),
        json!({
            "video": {},
            "voice": {"incoming": {"allow": true}, "outgoing": {"application_sid": AP}},
        })
    );
    assert_eq!(
        body.as_object().map(|object| object.len()),
        Some(2),
        "only identity and token: {body}"
    );
}

#[test]
fn identities_follow_the_librarys_rule() {
    let server = start();
    let cases = [
        ("/token", "add `?identity=…` to the URL"),
        (
            "/token?identity=",
            "the identity is empty: pass the name of the user the token is for",
        ),
    ];
    for (path, message) in cases {
        assert_eq!(
            get(&server, path),
            (400, json!({ "error": message })),
            "{path}"
        );
    }
    // Any other text, as the library takes it: the products' own limits
    // are the app's to check.
    for identity in ["al ice", "<script>", "élodie", &"a".repeat(200)] {
        let encoded: String = identity.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, body) = get(&server, &format!("/token?identity={encoded}"));
        assert_eq!(
            (status, &body["identity"]),
            (200, &json!(identity)),
            "{identity}"
        );
    }
}

#[test]
fn refuses_to_start_without_credentials() {
    let output = command()
        .env_remove("TWILIO_API_SECRET")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: the environment variable TWILIO_API_SECRET is not set: set TWILIO_ACCOUNT_SID (AC…), TWILIO_API_KEY (SK…) and TWILIO_API_SECRET\n"
    );
    let output = command()
        .env("TWILIO_TWIML_APP_SID", "AP123")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .starts_with("error: the token settings are wrong: "),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
