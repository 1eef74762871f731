use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
struct Video {
    #[grant(renam = "name")]
    room: Option<String>,
}

fn main() {}
