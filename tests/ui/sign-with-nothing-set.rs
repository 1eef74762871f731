fn main() {
    let _ = twilio_token::AccessToken::builder().sign();
}
