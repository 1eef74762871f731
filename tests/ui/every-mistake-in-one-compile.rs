use twilio_token::Grant;

// Three mistakes, three errors: none hides another.
#[derive(Grant)]
#[grant(key = "voice")]
struct Voice {
    #[grant(renam = "a")]
    a: Option<String>,
    #[grant(sid = "A")]
    b: Option<String>,
    #[grant(flatten, rename = "c")]
    c: serde_json::Map<String, serde_json::Value>,
}

fn main() {}
