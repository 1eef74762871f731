//! Minting: the grant flags, the token options, and the output.

use std::time::Duration;

use clap::Args;
use serde_json::json;
use twilio_token::grants::{ChatGrant, SyncGrant, TaskRouterGrant, VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Grant, JsonObject, unverified};

use crate::input::parse_param;
use crate::input::{CredentialArgs, Failure, Stdin};
use crate::output::{print, rfc3339, system_time};

/// A grant of any kind, as the flags build it.
pub type AnyGrant = Box<dyn Grant>;

/// The Voice grant's flags.
#[derive(Args)]
#[command(next_help_heading = "Voice grant")]
pub struct VoiceArgs {
    /// The TwiML app (AP…) that handles outgoing calls.
    #[arg(long, alias = "app-sid", value_name = "AP…")]
    voice_app_sid: Option<String>,
    /// Allow incoming calls to this identity (`--allow-incoming`, or
    /// `--allow-incoming true|false` as the Twilio CLI token plugin writes it).
    #[arg(
        long,
        num_args = 0..=1,
        value_name = "BOOL",
        default_value_t = false,
        default_missing_value = "true",
        action = clap::ArgAction::Set,
        hide_default_value = true
    )]
    allow_incoming: bool,
    /// The push credential (CR…) for incoming-call notifications.
    #[arg(long, value_name = "CR…")]
    push_credential_sid: Option<String>,
    /// A parameter passed to the TwiML app; repeat for more.
    #[arg(
        long = "voice-param",
        value_name = "KEY=VALUE",
        value_parser = parse_param,
        requires = "voice_app_sid"
    )]
    voice_params: Vec<(String, String)>,
}

impl VoiceArgs {
    /// Whether any Voice flag was given.
    pub fn given(&self) -> bool {
        self.voice_app_sid.is_some()
            || self.allow_incoming
            || self.push_credential_sid.is_some()
            || !self.voice_params.is_empty()
    }

    /// The Voice grant; a parameter key given twice is refused.
    pub fn grant(self) -> Result<AnyGrant, Failure> {
        if self.voice_app_sid.is_none() && !self.allow_incoming {
            return Err(Failure::Usage(
                "a Voice grant needs --voice-app-sid AP… (outgoing calls through a TwiML app) \
                 or --allow-incoming (incoming calls), or both: without either it allows nothing"
                    .into(),
            ));
        }
        let mut params = JsonObject::new();
        for (key, value) in self.voice_params {
            if params.get(&key).is_some() {
                return Err(Failure::Usage(format!(
                    "--voice-param {} is given twice; give each key once",
                    crate::redact::show(&key)
                )));
            }
            params.insert(key, value);
        }
        Ok(Box::new(VoiceGrant {
            incoming_allow: self.allow_incoming,
            outgoing_application_sid: self.voice_app_sid,
            outgoing_application_params: Some(params).filter(|params| !params.is_empty()),
            push_credential_sid: self.push_credential_sid,
            endpoint_id: None,
        }))
    }
}

/// The Video grant's flags.
#[derive(Args)]
#[command(next_help_heading = "Video grant")]
pub struct VideoArgs {
    /// The room (name or RM… SID); every room without it.
    #[arg(long, value_name = "ROOM")]
    room_name: Option<String>,
}

impl VideoArgs {
    /// Whether any Video flag was given.
    pub fn given(&self) -> bool {
        self.room_name.is_some()
    }

    /// The Video grant.
    pub fn grant(self) -> AnyGrant {
        Box::new(VideoGrant {
            room: self.room_name,
        })
    }
}

/// The Chat (Conversations) grant's flags.
#[derive(Args)]
#[command(next_help_heading = "Chat grant")]
pub struct ChatArgs {
    /// The Conversations or Chat service (IS…).
    #[arg(long, value_name = "IS…")]
    chat_service_sid: Option<String>,
}

impl ChatArgs {
    /// Whether any Chat flag was given.
    pub fn given(&self) -> bool {
        self.chat_service_sid.is_some()
    }

    /// The Chat grant of the `chat` command, which needs a service.
    pub fn grant(self) -> Result<AnyGrant, Failure> {
        if self.chat_service_sid.is_none() {
            return Err(Failure::Usage(
                "chat needs --chat-service-sid IS…: the Conversations service the user joins \
                 (Console > Conversations > Services)"
                    .into(),
            ));
        }
        Ok(self.any_grant())
    }

    /// The Chat grant, with or without a service.
    pub fn any_grant(self) -> AnyGrant {
        Box::new(ChatGrant {
            service_sid: self.chat_service_sid,
            ..ChatGrant::default()
        })
    }
}

/// The Sync grant's flags.
#[derive(Args)]
#[command(next_help_heading = "Sync grant")]
pub struct SyncArgs {
    /// The Sync service (IS…); the default service without it.
    #[arg(long, value_name = "IS…")]
    sync_service_sid: Option<String>,
}

impl SyncArgs {
    /// Whether any Sync flag was given.
    pub fn given(&self) -> bool {
        self.sync_service_sid.is_some()
    }

    /// The Sync grant.
    pub fn grant(self) -> AnyGrant {
        Box::new(SyncGrant {
            service_sid: self.sync_service_sid,
            ..SyncGrant::default()
        })
    }
}

/// The TaskRouter (Flex) grant's flags.
#[derive(Args)]
#[command(next_help_heading = "TaskRouter (Flex) grant")]
pub struct FlexArgs {
    /// The TaskRouter workspace (WS…).
    #[arg(long, value_name = "WS…")]
    workspace_sid: Option<String>,
    /// The worker (WK…).
    #[arg(long, value_name = "WK…")]
    worker_sid: Option<String>,
    /// The role, such as `worker` or `supervisor` (`flex` default: worker).
    #[arg(long)]
    role: Option<String>,
}

impl FlexArgs {
    /// Whether any TaskRouter flag was given.
    pub fn given(&self) -> bool {
        self.workspace_sid.is_some() || self.worker_sid.is_some() || self.role.is_some()
    }

    /// The TaskRouter grant of the `flex` command: a workspace and a
    /// worker, role `worker` by default.
    pub fn flex_grant(mut self) -> Result<AnyGrant, Failure> {
        if self.workspace_sid.is_none() || self.worker_sid.is_none() {
            return Err(Failure::Usage(
                "flex needs --workspace-sid WS… and --worker-sid WK…: the TaskRouter workspace, \
                 and the worker that this identity signs in as"
                    .into(),
            ));
        }
        self.role.get_or_insert_with(|| "worker".to_owned());
        Ok(self.grant())
    }

    /// The TaskRouter grant, as given.
    pub fn grant(self) -> AnyGrant {
        Box::new(TaskRouterGrant {
            workspace_sid: self.workspace_sid,
            worker_sid: self.worker_sid,
            role: self.role,
        })
    }
}

/// What every minting command takes besides its grants, under a heading
/// of its own (without one, clap lists them under the grant before).
#[derive(Args)]
#[command(next_help_heading = "Token")]
pub struct MintArgs {
    /// The user the token is for.
    #[arg(long, short = 'i')]
    identity: String,
    /// Time to live in seconds, at most 86400 (Twilio's 24 hours).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    ttl: u64,
    /// The account's region (`twr` header), such as ie1 or au1.
    #[arg(long, env = "TWILIO_REGION", hide_env_values = true)]
    region: Option<String>,
    /// The not-before time, unix seconds (default: now). An earlier time
    /// allows for a client whose clock is behind; one at or after the
    /// expiry is refused.
    #[arg(long, value_name = "UNIX", conflicts_with = "no_nbf")]
    nbf: Option<u64>,
    /// Leave out the not-before claim (helps clients whose clock is behind).
    #[arg(long)]
    no_nbf: bool,
    /// Print {"jwt", "identity", "grants", "expires_at"} instead of the bare
    /// token.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    credentials: CredentialArgs,
}

impl MintArgs {
    /// Signs a token with `grants` and prints it.
    pub fn run(self, grants: Vec<AnyGrant>, warn: bool, stdin: &mut Stdin) -> Result<(), Failure> {
        let voice = grants.iter().any(|grant| grant.key() == "voice");
        let credentials = self.credentials.credentials(warn, stdin)?;
        let mut builder = AccessToken::builder()
            .credentials(&credentials)
            .identity(self.identity.as_str())
            .ttl(Duration::from_secs(self.ttl));
        for grant in grants {
            builder = builder.grant(grant);
        }
        if let Some(region) = self.region.filter(|region| !region.is_empty()) {
            builder = builder.region(region);
        }
        if self.no_nbf {
            builder = builder.omit_not_before();
        } else if let Some(nbf) = self.nbf {
            let nbf = system_time(nbf).ok_or_else(|| {
                Failure::Usage(
                    "--nbf is too far in the future: give unix seconds before the expiry".into(),
                )
            })?;
            builder = builder.not_before(nbf);
        }
        let jwt = builder.sign().map_err(|error| {
            Failure::Usage(format!("cannot mint the token: {}", in_flags(&error)))
        })?;
        if voice && !VoiceGrant::accepts_identity(&self.identity) {
            eprintln!(
                "warning: the identity {} has characters other than ASCII letters, digits and _, \
                 which Voice does not take: the token is minted, but calls to and from it will \
                 fail",
                crate::redact::show(&self.identity)
            );
        }
        if !self.json {
            return print(&format!("{jwt}\n"));
        }
        let claims = unverified::access_token(&jwt).map_err(|error| {
            Failure::Usage(format!("the minted token does not decode: {error}"))
        })?;
        let grants = claims.grants().map_err(|error| {
            Failure::Usage(format!("the minted token does not decode: {error}"))
        })?;
        let output = json!({
            "jwt": jwt,
            "identity": claims.identity(),
            "grants": grants,
            "expires_at": rfc3339(claims.expires_at()),
        });
        print(&format!("{output}\n"))
    }
}

/// The flag that sets a built-in grant's field.
fn flag(grant: &str, field: &str) -> Option<&'static str> {
    Some(match (grant, field) {
        ("video", "room") => "--room-name",
        ("voice", "outgoing_application_sid") => "--voice-app-sid",
        ("voice", "push_credential_sid") => "--push-credential-sid",
        ("chat", "service_sid") => "--chat-service-sid",
        ("data_sync", "service_sid") => "--sync-service-sid",
        ("task_router", "workspace_sid") => "--workspace-sid",
        ("task_router", "worker_sid") => "--worker-sid",
        ("task_router", "role") => "--role",
        _ => return None,
    })
}

/// A minting error in the tool's words: flags, not the library's calls.
fn in_flags(error: &twilio_token::Error) -> String {
    use twilio_token::{Error, SidKind};
    match error {
        Error::EmptyGrantField { grant, field } => match flag(grant, field) {
            Some(flag) => format!("{flag} is empty: give a value, or leave the flag out"),
            None => error.to_string(),
        },
        Error::InvalidSid {
            kind:
                SidKind::GrantField {
                    grant,
                    field,
                    prefix,
                },
            ..
        } => match flag(grant, field) {
            Some(flag) => format!(
                "{flag} is not a valid {prefix}… SID: it must be `{prefix}` followed by 32 lower-case hex digits"
            ),
            None => error.to_string(),
        },
        Error::NotBeforeAfterExpiry { .. } => "--nbf is not before the expiry (the issue time \
             plus --ttl): the token would never be valid; give an earlier --nbf or a longer --ttl"
            .to_owned(),
        _ => error.to_string(),
    }
}
