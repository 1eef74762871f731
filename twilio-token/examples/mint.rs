//! Mints a Twilio Access Token with example credentials and prints it with
//! its decoded header and payload.
//!
//! ```text
//! cargo run -p twilio-token --example mint
//! ```
//!
//! The credentials below are made up: Twilio will not accept the token.
//! Set `TWILIO_ACCOUNT_SID`, `TWILIO_API_KEY` and `TWILIO_API_SECRET` to
//! mint a real one.

use std::env;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use twilio_token::grants::{VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Credentials};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str, example: &str| env::var(name).unwrap_or_else(|_| example.to_owned());
    let credentials = Credentials::new(
        var("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"),
        var("TWILIO_API_KEY", "SKfedcba9876543210fedcba9876543210"),
        var("TWILIO_API_SECRET", "example-secret-not-a-real-one"),
    )?;

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
