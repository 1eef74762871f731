use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
enum Video {
    Any,
    Room(String),
}

fn main() {}
