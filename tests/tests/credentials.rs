//! `Credentials` for a real backend: from the environment, and an Auth Token
//! or a pasted newline refused. One test in its own binary, because it sets
//! environment variables.

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
    // A secret of mixed case, or of another length, is an API key secret.
    assert!(Credentials::new(ACCOUNT, KEY, "0123456789ABCDEF0123456789abcdef").is_ok());
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
