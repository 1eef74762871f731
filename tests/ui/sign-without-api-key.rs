fn main() {
    let _ = twilio_token::AccessToken::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .identity("alice")
        .sign();
}
