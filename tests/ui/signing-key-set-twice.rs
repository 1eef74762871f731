fn main() {
    let _ = twilio_token::AccessToken::builder()
        .signing_key("SKfedcba9876543210fedcba9876543210", "secret")
        .signing_key("SKfedcba9876543210fedcba9876543210", "secret");
}
