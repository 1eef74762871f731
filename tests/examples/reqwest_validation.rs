//! A reqwest request carrying its Twilio-Client-Validation header: the
//! request is built as an `http::Request`, signed with the library's `http`
//! feature, then turned into reqwest's request.
//!
//! ```sh
//! cargo run -p twilio-token-tests --features reqwest-example --example reqwest_validation
//! ```
//!
//! It prints the headers instead of sending: this build of reqwest has no
//! TLS. An application turns on reqwest's `default-tls` (or another TLS
//! feature) and sends it with `client.execute(request).await`.

use twilio_token::validation::ClientValidation;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let signer = ClientValidation::new(
        "AC0123456789abcdef0123456789abcdef",
        "SKfedcba9876543210fedcba9876543210",
        "CR00112233445566778899aabbccddeeff",
        include_str!("../../twilio-token/src/validation/test-key.pem"),
    )?;

    let mut request = http::Request::post(
        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json",
    )
    .header("Authorization", "Basic U0tmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMDpzZWNyZXQ=")
    .header("Content-Type", "application/x-www-form-urlencoded")
    .body(b"To=%2B15005550006&From=%2B15005550001&Body=hi".to_vec())?;
    // Signs method, path, query, Authorization, the host (from the URI:
    // reqwest sets the Host header itself) and the body.
    signer.add_header(&mut request)?;

    let request = reqwest::Request::try_from(request)?;
    for (name, value) in request.headers() {
        println!("{name}: {}", value.to_str()?);
    }
    // let response = reqwest::Client::new().execute(request).await?;
    Ok(())
}
