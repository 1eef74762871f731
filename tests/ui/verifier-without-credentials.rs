// A verifier always has a key: there is no empty one to misconfigure.
fn main() {
    let _ = twilio_token::Verifier::new();
}
