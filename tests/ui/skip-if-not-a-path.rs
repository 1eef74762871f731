use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    #[grant(rename = "incoming.allow", skip_if = "!allow")]
    allow: bool,
}

fn main() {}
