use std::borrow::Cow;

use serde_json::{Map, Value};
use twilio_token::Grant;

fn is_false(value: &bool) -> bool {
    !*value
}

fn check<T>(grant: &Custom<'_, T>) -> Result<(), String> {
    if grant.room == "lobby" {
        return Err("the lobby is not a room".into());
    }
    Ok(())
}

#[derive(Grant)]
#[grant(key = "custom", validate = "check")]
struct Custom<'a, T> {
    #[grant(rename = "outgoing.application_sid", sid = "AP")]
    app: Option<String>,
    #[grant(rename = "outgoing.allow", skip_if = "is_false")]
    allow: bool,
    #[grant(non_empty)]
    room: Cow<'a, str>,
    limit: Option<T>,
    #[grant(skip)]
    note: String,
    #[grant(flatten)]
    extra: Map<String, Value>,
}

fn main() {
    let grant = Custom::<u32> {
        app: None,
        allow: true,
        room: Cow::Borrowed("r"),
        limit: Some(3),
        note: String::new(),
        extra: Map::new(),
    };
    let _: &dyn Grant = &grant;
}
