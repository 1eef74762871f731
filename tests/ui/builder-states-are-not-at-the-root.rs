// The builder's states live in `twilio_token::builder`; the crate root
// shows what a user calls.
use twilio_token::Missing;

fn main() {
    let _ = Missing;
}
