//! The README's `fn main() -> Result<(), twilio_token::Error>`, with the
//! credentials from the environment: what a user sees when `?` returns an
//! error from `main` (`tests/tests/library/main_pattern.rs` runs it).

use twilio_token::{AccessToken, Credentials, grants::VideoGrant};

fn main() -> Result<(), twilio_token::Error> {
    let credentials = Credentials::from_env()?;
    let jwt = AccessToken::builder()
        .credentials(&credentials)
        .identity("alice")
        .grant(VideoGrant::room("standup"))
        .sign()?;
    println!("{jwt}");
    Ok(())
}
