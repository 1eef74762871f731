fn main() {
    let user: Option<String> = Some("alice".into());
    let mut builder = twilio_token::AccessToken::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .api_key("SKfedcba9876543210fedcba9876543210", "secret");
    if let Some(name) = &user {
        builder = builder.identity(name);
    }
    let _ = builder.sign();
}
