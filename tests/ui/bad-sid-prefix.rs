use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    #[grant(sid = "ap")]
    application_sid: Option<String>,
}

fn main() {}
