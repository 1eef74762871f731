use twilio_token::{AccessToken, Credentials, Error};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const KEY: &str = "SKfedcba9876543210fedcba9876543210";

fn main() -> Result<(), Error> {
    let b = AccessToken::builder;
    b().account_sid(ACCOUNT).api_key(KEY, "s").identity("a").sign()?;
    b().account_sid(ACCOUNT).identity("a").api_key(KEY, "s").sign()?;
    b().api_key(KEY, "s").account_sid(ACCOUNT).identity("a").sign()?;
    b().api_key(KEY, "s").identity("a").account_sid(ACCOUNT).sign()?;
    b().identity("a").account_sid(ACCOUNT).api_key(KEY, "s").sign()?;
    b().identity("a").api_key(KEY, "s").account_sid(ACCOUNT).sign()?;
    let credentials = Credentials::new(ACCOUNT, KEY, "s")?;
    b().credentials(&credentials).identity("a").sign()?;
    b().identity("a").credentials(&credentials).sign()?;
    // Optional setters work in every state.
    b().ttl(std::time::Duration::from_secs(60)).region("ie1").identity("a").omit_not_before().credentials(&credentials).sign()?;
    Ok(())
}
