//! The README's `fn main() -> Result<(), twilio_token::Error>`, run as a
//! process: `?` in `main` prints the error with `Debug`, which is the
//! message that says what to do, not the variant's name.

use std::process::Command;

use twilio_token_tests::support::{ACCOUNT, KEY};

fn run(vars: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_readme_main"));
    for var in ["TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET"] {
        command.env_remove(var);
    }
    command.envs(vars.iter().copied());
    let output = command.output().expect("the example runs");
    assert_eq!(output.stdout, b"");
    (
        output.status.code().expect("exits"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

#[test]
fn a_missing_variable_prints_its_message() {
    assert_eq!(
        run(&[]),
        (
            1,
            "Error: the environment variable TWILIO_ACCOUNT_SID is not set: set \
             TWILIO_ACCOUNT_SID (AC…), TWILIO_API_KEY (SK…) and TWILIO_API_SECRET\n"
                .to_owned()
        )
    );
}

#[test]
fn an_auth_token_as_the_secret_prints_how_to_create_an_api_key() {
    let auth_token = "0123456789abcdef0123456789abcdef";
    let (code, stderr) = run(&[
        ("TWILIO_ACCOUNT_SID", ACCOUNT),
        ("TWILIO_API_KEY", KEY),
        ("TWILIO_API_SECRET", auth_token),
    ]);
    assert_eq!(
        (code, stderr),
        (
            1,
            format!("Error: {}\n", twilio_token::Error::AuthTokenAsSecret)
        )
    );
}
