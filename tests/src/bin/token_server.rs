//! A token server, the way Twilio's quickstarts serve tokens to their
//! client apps: `GET /token?identity=alice` answers
//! `{"identity":"alice","token":"eyJ…"}`.
//!
//! ```text
//! export TWILIO_ACCOUNT_SID=AC… TWILIO_API_KEY=SK… TWILIO_API_SECRET=…
//! cargo run -p twilio-token-tests --bin token_server
//! curl 'http://127.0.0.1:3000/token?identity=alice'
//! ```
//!
//! Configuration, all from the environment:
//! - `TWILIO_ACCOUNT_SID`, `TWILIO_API_KEY`, `TWILIO_API_SECRET`: required;
//!   `TWILIO_REGION`: optional.
//! - Grants: Video (any room) always; Voice with `TWILIO_TWIML_APP_SID`
//!   (outgoing through that app, and incoming); Conversations with
//!   `TWILIO_CHAT_SERVICE_SID`; Sync with `TWILIO_SYNC_SERVICE_SID`.
//! - `TOKEN_TTL`: seconds, default 3600. `TOKEN_SERVER_ADDR`: default
//!   `127.0.0.1:3000` (port 0 picks a free port); it prints
//!   `listening on http://…` once it accepts connections.
//!
//! Identities follow the library's rule, any text but empty: an empty one
//! gets a 400 with a JSON `{"error": …}`. Twilio's products set their own
//! limits (Voice takes ASCII letters, digits and underscores only; see
//! `AccessTokenBuilder::identity`), which an app checks for the products
//! it uses. The settings are checked by minting one token at start-up, so
//! a bad SID stops the server before it takes a request.

use std::env;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use twilio_token::grants::{ChatGrant, SyncGrant, VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Credentials};

/// What every token gets, read once at start-up.
struct Config {
    credentials: Credentials,
    region: Option<String>,
    ttl: Duration,
    twiml_app_sid: Option<String>,
    chat_service_sid: Option<String>,
    sync_service_sid: Option<String>,
}

impl Config {
    fn from_env() -> Result<Self, String> {
        let credentials = Credentials::from_env().map_err(|error| error.to_string())?;
        let ttl = match optional("TOKEN_TTL") {
            None => 3600,
            Some(ttl) => ttl
                .parse()
                .map_err(|_| format!("TOKEN_TTL is {ttl:?}, not a number of seconds"))?,
        };
        Ok(Config {
            credentials,
            region: optional("TWILIO_REGION"),
            ttl: Duration::from_secs(ttl),
            twiml_app_sid: optional("TWILIO_TWIML_APP_SID"),
            chat_service_sid: optional("TWILIO_CHAT_SERVICE_SID"),
            sync_service_sid: optional("TWILIO_SYNC_SERVICE_SID"),
        })
    }

    fn mint(&self, identity: &str) -> Result<String, twilio_token::Error> {
        let mut builder = AccessToken::builder()
            .credentials(&self.credentials)
            .identity(identity)
            .ttl(self.ttl)
            .grant(VideoGrant::default());
        if let Some(app) = &self.twiml_app_sid {
            builder = builder.grant(VoiceGrant {
                incoming_allow: true,
                ..VoiceGrant::outgoing(app.as_str())
            });
        }
        if let Some(service) = &self.chat_service_sid {
            builder = builder.grant(ChatGrant::service(service.as_str()));
        }
        if let Some(service) = &self.sync_service_sid {
            builder = builder.grant(SyncGrant::service(service.as_str()));
        }
        if let Some(region) = &self.region {
            builder = builder.region(region.as_str());
        }
        builder.sign()
    }
}

fn optional(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.is_empty())
}

#[derive(Deserialize)]
struct TokenQuery {
    identity: Option<String>,
}

type Reply = (StatusCode, Json<Value>);

fn bad_request(message: String) -> Reply {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message })))
}

async fn token(
    State(config): State<Arc<Config>>,
    query: Result<Query<TokenQuery>, QueryRejection>,
) -> Reply {
    let identity = match query {
        Ok(Query(TokenQuery {
            identity: Some(identity),
        })) => identity,
        Ok(_) => return bad_request("add `?identity=…` to the URL".into()),
        Err(rejection) => return bad_request(format!("bad query string: {rejection}")),
    };
    match config.mint(&identity) {
        Ok(token) => (
            StatusCode::OK,
            Json(json!({ "identity": identity, "token": token })),
        ),
        // The identity is the client's input; the library's rule is ours.
        Err(error @ twilio_token::Error::EmptyIdentity) => bad_request(error.to_string()),
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": error.to_string() })),
        ),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> Result<(), String> {
    let config = Config::from_env()?;
    config
        .mint("start-up-check")
        .map_err(|error| format!("the token settings are wrong: {error}"))?;
    let addr: SocketAddr = optional("TOKEN_SERVER_ADDR")
        .unwrap_or_else(|| "127.0.0.1:3000".into())
        .parse()
        .map_err(|error| {
            format!("TOKEN_SERVER_ADDR: {error}; use an address such as 127.0.0.1:3000")
        })?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    let local = listener.local_addr().map_err(|error| error.to_string())?;
    let app = Router::new()
        .route("/token", get(token))
        .with_state(Arc::new(config));
    println!("listening on http://{local}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|error| error.to_string())
}
