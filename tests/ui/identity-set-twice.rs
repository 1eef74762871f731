fn main() {
    let _ = twilio_token::AccessToken::builder().identity("alice").identity("bob");
}
