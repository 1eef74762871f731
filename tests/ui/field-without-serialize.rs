use twilio_token::Grant;

struct Room;

#[derive(Grant)]
#[grant(key = "video")]
struct Video {
    room: Room,
}

fn main() {}
