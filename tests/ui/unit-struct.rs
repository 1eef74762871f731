use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
struct Video;

fn main() {}
