use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video", name = "v")]
struct Video {
    room: Option<String>,
}

fn main() {}
