use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    #[grant(rename = "outgoing..application_sid")]
    application: Option<String>,
}

fn main() {}
