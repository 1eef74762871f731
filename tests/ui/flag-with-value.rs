use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    #[grant(skip = true)]
    note: String,
}

fn main() {}
