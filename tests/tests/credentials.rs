//! `Credentials` for a real backend: from the environment, and an Auth Token
//! or a pasted newline refused. In a binary of its own, because one test
//! sets environment variables (the other reads none).

use twilio_token::{Credentials, Error};
use twilio_token_tests::support::{ACCOUNT, KEY, SECRET};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary runs this one test, on one thread; nothing
    // else reads the environment meanwhile.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn credentials_come_from_the_environment_and_refuse_an_auth_token() {
    let names = ["TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET"];
    for missing in names {
        for (name, value) in names.iter().zip([ACCOUNT, KEY, SECRET]) {
            set(name, (*name != missing).then_some(value));
        }
        assert_eq!(
            Credentials::from_env().unwrap_err(),
            Error::MissingVariable { name: missing }
        );
    }
    for (name, value) in names.iter().zip([ACCOUNT, KEY, SECRET]) {
        set(name, Some(value));
    }
    let credentials = Credentials::from_env().unwrap();
    assert_eq!(credentials.account_sid(), ACCOUNT);
    assert_eq!(credentials.api_key_sid(), KEY);

    // The Auth Token given as the secret, in the environment or directly.
    let auth_token = "0123456789abcdef0123456789abcdef";
    set("TWILIO_API_SECRET", Some(auth_token));
    assert_eq!(
        Credentials::from_env().unwrap_err(),
        Error::AuthTokenAsSecret
    );
    assert_eq!(
        Credentials::new(ACCOUNT, KEY, auth_token).unwrap_err(),
        Error::AuthTokenAsSecret
    );
    // A secret of another length is an API key secret.
    assert!(Credentials::new(ACCOUNT, KEY, "0123456789abcdef0123456789abcde").is_ok());
    // Whitespace around the secret, as a pasted newline leaves.
    for secret in [
        format!("{SECRET}\n"),
        format!(" {SECRET}"),
        format!("{SECRET}\r\n"),
    ] {
        assert_eq!(
            Credentials::new(ACCOUNT, KEY, secret).unwrap_err(),
            Error::SecretWhitespace
        );
    }
    // No message shows the secret.
    for error in [Error::AuthTokenAsSecret, Error::SecretWhitespace] {
        assert!(!error.to_string().contains(auth_token));
        assert!(!error.to_string().contains(SECRET));
    }
}

/// An Auth Token in disguise, a SID, or a character no Twilio secret has:
/// each refused with what is wrong, never with the value.
#[test]
fn secrets_that_no_api_key_has_are_refused_without_showing_them() {
    let auth_token = "0123456789abcdef0123456789abcdef";
    let character = |what| Error::SecretCharacter {
        secret: "API key secret",
        what,
    };
    let cases = [
        (format!("\"{auth_token}\""), Error::AuthTokenAsSecret),
        (format!("'{auth_token}'"), Error::AuthTokenAsSecret),
        (auth_token.to_uppercase(), Error::AuthTokenAsSecret),
        (
            "0123456789ABCDEF0123456789abcdef".to_owned(),
            Error::AuthTokenAsSecret,
        ),
        (format!("\u{feff}{auth_token}"), Error::AuthTokenAsSecret),
        (format!("{auth_token}\u{200b}"), Error::AuthTokenAsSecret),
        (format!(" {auth_token}\n"), Error::AuthTokenAsSecret),
        (
            KEY.to_owned(),
            Error::SidAsSecret {
                secret: "API key secret",
            },
        ),
        (
            ACCOUNT.to_owned(),
            Error::SidAsSecret {
                secret: "API key secret",
            },
        ),
        (
            format!("\"{KEY}\""),
            Error::SidAsSecret {
                secret: "API key secret",
            },
        ),
        (format!("\"{SECRET}\""), character("a quote")),
        (format!("{SECRET}`"), character("a quote")),
        (format!("{SECRET}\u{1b}"), character("a control character")),
        (format!("{SECRET}é"), character("a character outside ASCII")),
        (format!("{SECRET}\u{feff}"), Error::SecretWhitespace),
        (format!("{SECRET}\u{200b}"), Error::SecretWhitespace),
        ("xK3dPq9Z rT7mWb2N".to_owned(), Error::SecretWhitespace),
        (String::new(), Error::EmptySecret),
    ];
    for (secret, expected) in cases {
        let err = Credentials::new(ACCOUNT, KEY, secret.as_str()).unwrap_err();
        assert_eq!(err, expected, "{secret:?}");
        let message = err.to_string();
        for shown in [auth_token, SECRET, &KEY[2..], &ACCOUNT[2..]] {
            assert!(!message.contains(shown), "{message}");
        }
        // The builder's direct path checks the same.
        let direct = twilio_token::AccessToken::builder()
            .account_sid(ACCOUNT)
            .api_key(KEY, secret.as_str())
            .identity("alice")
            .sign()
            .unwrap_err();
        assert_eq!(direct, err, "{secret:?}");
    }
}

/// A SID in any case, or an Auth Token inside a longer paste (Basic
/// auth's `AC…:token`, a `.env` line), is refused as the secret.
#[test]
fn a_sid_in_any_case_or_an_auth_token_in_a_paste_is_refused() {
    let auth_token = "0123456789abcdef0123456789abcdef";
    for secret in [
        KEY.to_uppercase(),
        ACCOUNT.to_uppercase(),
        KEY.to_lowercase(),
        ACCOUNT.to_lowercase(),
        format!("{KEY}:{SECRET}"),
    ] {
        assert_eq!(
            Credentials::new(ACCOUNT, KEY, secret.as_str()).unwrap_err(),
            Error::SidAsSecret {
                secret: "API key secret"
            },
            "{secret}"
        );
    }
    for secret in [
        format!("{ACCOUNT}:{auth_token}"),
        format!("TWILIO_AUTH_TOKEN={auth_token}"),
        format!("token {}", auth_token.to_uppercase()),
    ] {
        assert_eq!(
            Credentials::new(ACCOUNT, KEY, secret.as_str()).unwrap_err(),
            Error::AuthTokenAsSecret,
            "{secret}"
        );
    }
    // Punctuation in a made-up secret is fine.
    assert!(Credentials::new(ACCOUNT, KEY, "your-api-key-secret").is_ok());
}
