fn main() {
    let _ = twilio_token::capability::TaskRouterCapability::workspace("WS55555555555555555555555555555555")
        .auth_token("0123456789abcdef0123456789abcdef")
        .sign();
}
