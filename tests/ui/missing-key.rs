use twilio_token::Grant;

#[derive(Grant)]
struct Video {
    room: Option<String>,
}

fn main() {}
