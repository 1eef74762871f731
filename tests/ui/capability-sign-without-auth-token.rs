fn main() {
    let _ = twilio_token::capability::ClientCapability::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .allow_incoming("alice")
        .sign();
}
