use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "")]
struct Video {
    room: Option<String>,
}

fn main() {}
