fn main() {
    let _ = twilio_token::capability::TaskRouterCapability::workspace("WS55555555555555555555555555555555")
        .allow_fetch_reservations(false);
}
