use std::collections::BTreeMap;
use twilio_token::Grant;

fn is_empty(map: &BTreeMap<String, String>) -> bool {
    map.is_empty()
}

#[derive(Grant)]
#[grant(key = "player")]
struct Player {
    #[grant(flatten, skip_if = "is_empty")]
    extra: BTreeMap<String, String>,
}

fn main() {}
