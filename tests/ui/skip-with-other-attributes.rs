use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
struct Video {
    #[grant(skip, rename = "room")]
    room: Option<String>,
}

fn main() {}
