fn main() {
    let _ = twilio_token::AccessToken::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .api_key("SKfedcba9876543210fedcba9876543210", "secret")
        .sign();
}
