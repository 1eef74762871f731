use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    #[grant(sid = "AP")]
    application_sid: u64,
}

fn main() {}
