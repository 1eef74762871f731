use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "player")]
struct Player {
    #[grant(flatten)]
    url: String,
}

fn main() {}
