fn main() -> Result<(), twilio_token::Error> {
    let credentials = twilio_token::Credentials::new(
        "AC0123456789abcdef0123456789abcdef",
        "SKfedcba9876543210fedcba9876543210",
        "secret",
    )?;
    let _ = twilio_token::AccessToken::builder()
        .credentials(&credentials)
        .account_sid("AC0123456789abcdef0123456789abcdef");
    Ok(())
}
