use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
struct Video {
    #[grant(rename = "a", rename = "b")]
    room: Option<String>,
}

fn main() {}
