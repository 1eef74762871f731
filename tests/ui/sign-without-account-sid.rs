fn main() {
    let _ = twilio_token::AccessToken::builder()
        .api_key("SKfedcba9876543210fedcba9876543210", "secret")
        .identity("alice")
        .sign();
}
