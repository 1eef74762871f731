use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
#[grant(key = "voice")]
struct Video {
    room: Option<String>,
}

fn main() {}
