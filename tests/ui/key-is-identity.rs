use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "identity")]
struct Who {
    name: String,
}

fn main() {}
