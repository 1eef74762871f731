use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
struct Video(String);

fn main() {}
