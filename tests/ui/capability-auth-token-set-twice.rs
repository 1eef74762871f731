fn main() {
    let _ = twilio_token::capability::ClientCapability::builder()
        .auth_token("0123456789abcdef0123456789abcdef")
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .auth_token("fedcba9876543210fedcba9876543210");
}
