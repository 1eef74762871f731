use std::collections::BTreeMap;
use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "player")]
struct Player {
    #[grant(flatten)]
    urls: BTreeMap<String, String>,
    #[grant(flatten)]
    limits: BTreeMap<String, u32>,
}

fn main() {}
