// The capability builders' states are the Access Token builder's, in
// `twilio_token::builder`; `capability` shows what a user calls.
use twilio_token::capability::NotSet;

fn main() {
    fn unset<S: NotSet>() {}
}
