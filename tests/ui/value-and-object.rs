use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    outgoing: Option<String>,
    #[grant(rename = "outgoing.application_sid")]
    application: Option<String>,
}

fn main() {}
