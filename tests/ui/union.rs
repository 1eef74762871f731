use twilio_token::Grant;

#[derive(Grant)]
#[grant(key = "video")]
union Video {
    a: u32,
    b: f32,
}

fn main() {}
