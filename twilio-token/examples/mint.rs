//! Mints a Twilio Access Token with example credentials and prints it with
//! its decoded header and payload.
//!
//! ```text
//! cargo run -p twilio-token --example mint
//! ```
//!
//! Without `TWILIO_ACCOUNT_SID`, `TWILIO_API_KEY` and `TWILIO_API_SECRET`
//! the credentials are made up and Twilio will not accept the token; set
//! them to mint a real one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use twilio_token::grants::{VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Credentials, Error};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = match Credentials::from_env() {
        Ok(credentials) => credentials,
        // None set: the example's made-up credentials.
        Err(Error::MissingVariable { .. }) => Credentials::new(
            "AC0123456789abcdef0123456789abcdef",
            "SKfedcba9876543210fedcba9876543210",
            "example-secret-not-a-real-one",
        )?,
        Err(error) => return Err(error.into()),
    };

    let jwt = AccessToken::builder()
        .credentials(&credentials)
        .identity("alice")
        .grant(VideoGrant::room("standup"))
        .grant(VoiceGrant {
            incoming_allow: true,
            ..VoiceGrant::outgoing("AP0123456789abcdef0123456789abcdef")
        })
        .sign()?;

    println!("{jwt}");
    let mut parts = jwt.split('.');
    for name in ["header", "payload"] {
        let part = parts.next().unwrap_or_default();
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(part)?)?;
        println!("{name}: {json}");
    }
    Ok(())
}
