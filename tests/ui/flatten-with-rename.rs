use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "player")]
struct Player {
    #[grant(flatten, rename = "grant")]
    grant: serde_json::Map<String, serde_json::Value>,
}

fn main() {}
