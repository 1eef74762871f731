//! `twilio-token capability …`: Twilio Client and TaskRouter capability
//! tokens, signed with the Auth Token; and how `decode` and `verify` show
//! and check them.

use std::fmt::Write as _;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use serde_json::json;
use twilio_token::builder::{AccountSid, AuthToken};
use twilio_token::capability::{
    Capabilities, CapabilityBuilder, CapabilityClaims, CapabilityVerifier, ClientCapability,
    NO_PARAMS, Permission, TaskRouter, TaskRouterCapability,
};
use twilio_token::{Error, SidKind, VerifyError};
use zeroize::Zeroizing;

use crate::input::{AccountSidArg, Failure, Stdin};
use crate::output::{clean, print, rfc3339, unix, when};

const WORKER_HELP: &str = "\
Policies: twilio-python's defaults (web socket, fetching the worker, the
workspace's activities and tasks, and the worker's reservations), changed
with --allow and --deny. The Twilio CLI plugin's token:capability:worker
grants the web socket only: it builds the other policies but never adds
them, so a worker cannot fetch or update anything with its token.

Example:
  twilio-token capability worker --workspace-sid WS… --worker-sid WK… \\
    --allow update-activities --allow update-reservations";

/// The capability token commands.
#[derive(Subcommand)]
pub enum CapabilityCommand {
    /// Mint a Twilio Client (JS 1.x) capability token.
    ///
    /// Outgoing calls through a TwiML app (--voice-app-sid), incoming calls
    /// to a client name (--allow-incoming --identity), and the event stream
    /// (--allow-event-stream), as twilio-python's ClientCapabilityToken.
    #[command(after_help = "\
Unlike the Twilio CLI plugin's token:capability:client, --voice-app-sid is
optional (a token may allow only incoming calls), and --allow-incoming is
off unless given; `--allow-incoming false` turns it off (the plugin treats
any value as true).

Example:
  twilio-token capability client --voice-app-sid AP… --allow-incoming --identity alice")]
    #[command(override_usage = "twilio-token capability client [OPTIONS]")]
    Client {
        #[command(flatten)]
        scopes: ClientArgs,
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Mint a TaskRouter.js v1 token for a worker.
    #[command(after_help = WORKER_HELP)]
    #[command(
        override_usage = "twilio-token capability worker --workspace-sid <WS…> --worker-sid <WK…> [OPTIONS]"
    )]
    Worker {
        /// The workspace (WS…).
        #[arg(long, value_name = "WS…")]
        workspace_sid: String,
        /// The worker (WK…).
        #[arg(long, value_name = "WK…")]
        worker_sid: String,
        /// Allow what the defaults do not; repeat for more.
        #[arg(long, value_name = "POLICY", value_parser = permissions(true))]
        allow: Vec<Permission>,
        /// Deny what the defaults allow; repeat for more.
        #[arg(long, value_name = "POLICY", value_parser = permissions(true))]
        deny: Vec<Permission>,
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Mint a TaskRouter.js v1 token for a task queue.
    #[command(after_help = "\
Policies: twilio-python's defaults (web socket, fetching the task queue),
changed with --allow and --deny.

Example:
  twilio-token capability task-queue --workspace-sid WS… --task-queue-sid WQ…")]
    #[command(
        override_usage = "twilio-token capability task-queue --workspace-sid <WS…> --task-queue-sid <WQ…> [OPTIONS]"
    )]
    TaskQueue {
        /// The workspace (WS…).
        #[arg(long, value_name = "WS…")]
        workspace_sid: String,
        /// The task queue (WQ…).
        #[arg(long, value_name = "WQ…")]
        task_queue_sid: String,
        /// Allow what the defaults do not; repeat for more.
        #[arg(long, value_name = "POLICY", value_parser = permissions(false))]
        allow: Vec<Permission>,
        /// Deny what the defaults allow; repeat for more.
        #[arg(long, value_name = "POLICY", value_parser = permissions(false))]
        deny: Vec<Permission>,
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Mint a TaskRouter.js v1 token for a workspace.
    #[command(after_help = "\
Policies: twilio-python's defaults (web socket, fetching the workspace),
changed with --allow and --deny.

Example:
  twilio-token capability workspace --workspace-sid WS… --allow fetch-subresources")]
    #[command(override_usage = "twilio-token capability workspace --workspace-sid <WS…> [OPTIONS]")]
    Workspace {
        /// The workspace (WS…).
        #[arg(long, value_name = "WS…")]
        workspace_sid: String,
        /// Allow what the defaults do not; repeat for more.
        #[arg(long, value_name = "POLICY", value_parser = permissions(false))]
        allow: Vec<Permission>,
        /// Deny what the defaults allow; repeat for more.
        #[arg(long, value_name = "POLICY", value_parser = permissions(false))]
        deny: Vec<Permission>,
        #[command(flatten)]
        token: TokenArgs,
    },
}

/// The scopes of a Twilio Client token.
#[derive(Args)]
#[command(next_help_heading = "Scopes")]
pub struct ClientArgs {
    /// The TwiML app (AP…) that handles outgoing calls.
    #[arg(long, alias = "app-sid", value_name = "AP…")]
    voice_app_sid: Option<String>,
    /// A parameter passed to the TwiML app; repeat for more.
    #[arg(
        long = "voice-param",
        value_name = "KEY=VALUE",
        value_parser = crate::input::parse_param,
        requires = "voice_app_sid"
    )]
    voice_params: Vec<(String, String)>,
    /// Allow incoming calls to the client named by --identity
    /// (`--allow-incoming`, or `--allow-incoming true|false`).
    #[arg(
        long,
        num_args = 0..=1,
        value_name = "BOOL",
        default_value_t = false,
        default_missing_value = "true",
        action = clap::ArgAction::Set,
        hide_default_value = true,
        requires = "identity"
    )]
    allow_incoming: bool,
    /// The client name that incoming calls are addressed to.
    #[arg(long, short = 'i')]
    identity: Option<String>,
    /// Allow subscribing to the account's event stream.
    #[arg(long)]
    allow_event_stream: bool,
}

/// The values of `--allow` and `--deny`: the library's TaskRouter
/// permissions, a worker's own ones for a worker only.
fn permissions(worker: bool) -> impl TypedValueParser<Value = Permission> {
    let names = Permission::ALL
        .iter()
        .filter(move |permission| worker || !permission.is_worker_only())
        .map(|permission| permission.name());
    PossibleValuesParser::new(names).try_map(|name| name.parse::<Permission>())
}

/// What every capability command takes besides its scopes or policies.
#[derive(Args)]
#[command(next_help_heading = "Token")]
pub struct TokenArgs {
    /// Time to live in seconds, at most 86400 (Twilio's 24 hours).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    ttl: u64,
    /// Leave out the not-before claim (twilio-python's nbf=None).
    #[arg(long)]
    no_nbf: bool,
    /// Print {"jwt", "expires_at"} instead of the bare token.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    credentials: AuthTokenArgs,
}

/// The account and its Auth Token, each defaulting to its environment
/// variable.
#[derive(Args)]
#[command(next_help_heading = "Credentials")]
pub struct AuthTokenArgs {
    #[command(flatten)]
    account_sid: AccountSidArg,
    #[command(flatten)]
    auth_token: AuthTokenArg,
}

/// The Auth Token flag, shared with `decode` and `verify`.
#[derive(Args)]
pub struct AuthTokenArg {
    /// The account's Auth Token, which signs capability tokens (Access
    /// Tokens are signed with an API key); `-` reads it from stdin. Prefer
    /// the environment variable: a flag is kept in shell history.
    #[arg(
        long,
        env = "TWILIO_AUTH_TOKEN",
        hide_env_values = true,
        value_name = "AUTH_TOKEN|-",
        value_parser = crate::input::secret
    )]
    auth_token: Option<Zeroizing<String>>,
}

impl AuthTokenArg {
    /// The Auth Token, if given (from stdin for `-`).
    pub fn get(&self, warn: bool, stdin: &mut Stdin) -> Result<Option<Zeroizing<String>>, Failure> {
        let auth_token = self.auth_token.as_deref().map(String::as_str);
        match auth_token.filter(|token| !token.is_empty()) {
            None => Ok(None),
            Some("-") => stdin
                .read("Auth Token", crate::input::SECRET_LIMIT)
                .map(Some),
            Some(token) => {
                if warn {
                    eprintln!(
                        "warning: --auth-token on the command line is kept in shell history and \
                         shown to other users by `ps`; set TWILIO_AUTH_TOKEN, or pass \
                         `--auth-token -` and the Auth Token on stdin"
                    );
                }
                Ok(Some(Zeroizing::new(token.to_owned())))
            }
        }
    }

    /// A verifier for `account_sid`'s capability tokens, if the Auth
    /// Token is given.
    pub fn verifier(
        &self,
        account_sid: Option<&str>,
        warn: bool,
        stdin: &mut Stdin,
    ) -> Result<Option<CapabilityVerifier>, Failure> {
        let Some(auth_token) = self.get(warn, stdin)? else {
            return Ok(None);
        };
        let account_sid = account_sid.ok_or_else(|| {
            Failure::Usage(
                "no account SID given: a capability token is verified with the account SID and \
                 its Auth Token; set TWILIO_ACCOUNT_SID or pass --account-sid"
                    .into(),
            )
        })?;
        CapabilityVerifier::new(account_sid, auth_token.as_str())
            .map(Some)
            .map_err(|error| Failure::Usage(error.to_string()))
    }
}

impl ClientArgs {
    fn builder(self) -> Result<CapabilityBuilder<twilio_token::capability::ClientScopes>, Failure> {
        if self.voice_app_sid.is_none() && !self.allow_incoming && !self.allow_event_stream {
            return Err(Failure::Usage(
                "the token would allow nothing: give --voice-app-sid AP… (outgoing calls), \
                 --allow-incoming --identity NAME (incoming calls) or --allow-event-stream"
                    .into(),
            ));
        }
        let mut builder = ClientCapability::builder();
        if let Some(sid) = self.voice_app_sid {
            builder = builder.allow_outgoing(sid, self.voice_params);
        }
        if self.allow_incoming {
            builder = builder.allow_incoming(self.identity.unwrap_or_default());
        }
        if self.allow_event_stream {
            builder = builder.allow_event_stream(NO_PARAMS);
        }
        Ok(builder)
    }
}

/// Applies `--allow` and then `--deny` (so a deny wins).
fn permit<C>(
    builder: CapabilityBuilder<TaskRouter<C>>,
    allow: &[Permission],
    deny: &[Permission],
) -> CapabilityBuilder<TaskRouter<C>> {
    let allow = allow.iter().map(|&permission| (permission, true));
    let deny = deny.iter().map(|&permission| (permission, false));
    allow
        .chain(deny)
        .fold(builder, |builder, (permission, allow)| {
            builder.allow(permission, allow)
        })
}

impl CapabilityCommand {
    /// Mints the token and prints it.
    pub fn run(self, warn: bool, stdin: &mut Stdin) -> Result<(), Failure> {
        match self {
            CapabilityCommand::Client { scopes, token } => {
                let builder = scopes.builder()?;
                token.sign(builder, warn, stdin, |builder| builder.sign())
            }
            CapabilityCommand::Worker {
                workspace_sid,
                worker_sid,
                allow,
                deny,
                token,
            } => {
                let builder = TaskRouterCapability::worker(workspace_sid, worker_sid);
                let builder = permit(builder, &allow, &deny);
                token.sign(builder, warn, stdin, |builder| builder.sign())
            }
            CapabilityCommand::TaskQueue {
                workspace_sid,
                task_queue_sid,
                allow,
                deny,
                token,
            } => {
                let builder = TaskRouterCapability::task_queue(workspace_sid, task_queue_sid);
                let builder = permit(builder, &allow, &deny);
                token.sign(builder, warn, stdin, |builder| builder.sign())
            }
            CapabilityCommand::Workspace {
                workspace_sid,
                allow,
                deny,
                token,
            } => {
                let builder = TaskRouterCapability::workspace(workspace_sid);
                let builder = permit(builder, &allow, &deny);
                token.sign(builder, warn, stdin, |builder| builder.sign())
            }
        }
    }
}

/// A builder with the credentials set.
type Ready<K> = CapabilityBuilder<K, AccountSid<'static>, AuthToken>;

impl TokenArgs {
    /// Sets the credentials and times, signs with `sign` and prints.
    fn sign<K>(
        self,
        builder: CapabilityBuilder<K>,
        warn: bool,
        stdin: &mut Stdin,
        sign: impl FnOnce(Ready<K>) -> Result<String, Error>,
    ) -> Result<(), Failure> {
        let Some(account_sid) = self.credentials.account_sid.get() else {
            return Err(Failure::Usage(
                "no account SID given: set TWILIO_ACCOUNT_SID or pass --account-sid".into(),
            ));
        };
        let Some(auth_token) = self.credentials.auth_token.get(warn, stdin)? else {
            return Err(Failure::Usage(
                "no Auth Token given: capability tokens are signed with the account's Auth Token; \
                 set TWILIO_AUTH_TOKEN or pass --auth-token -"
                    .into(),
            ));
        };
        let mut builder = builder
            .account_sid(account_sid)
            .auth_token(auth_token.as_str())
            .ttl(Duration::from_secs(self.ttl));
        if self.no_nbf {
            builder = builder.omit_not_before();
        }
        let jwt = sign(builder).map_err(|error| {
            Failure::Usage(format!("cannot mint the token: {}", in_flags(&error)))
        })?;
        if !self.json {
            return print(&format!("{jwt}\n"));
        }
        let claims = twilio_token::unverified::capability(&jwt).map_err(|error| {
            Failure::Usage(format!("the minted token does not decode: {error}"))
        })?;
        let output = json!({ "jwt": jwt, "expires_at": rfc3339(claims.expires_at()) });
        print(&format!("{output}\n"))
    }
}

/// A minting error in the tool's words.
fn in_flags(error: &Error) -> String {
    match error {
        Error::InvalidSid { kind, .. } => {
            let flag = match kind {
                SidKind::Application => "--voice-app-sid",
                SidKind::TaskRouterWorkspace => "--workspace-sid",
                SidKind::TaskRouterWorker => "--worker-sid",
                SidKind::TaskRouterTaskQueue => "--task-queue-sid",
                _ => return error.to_string(),
            };
            let prefix = kind.prefix();
            format!("{flag} must be `{prefix}` followed by 32 lower-case hex digits")
        }
        Error::EmptyClientName => "--identity is empty: give the client name".into(),
        Error::TtlTooLong { seconds } => {
            format!("--ttl {seconds} is over Twilio's 24 hours: give 86400 or less")
        }
        Error::ZeroTtl => "--ttl is zero: give at least 1".into(),
        other => other.to_string(),
    }
}

/// The `decode` view of a capability token's scopes or policies.
pub fn describe(claims: &CapabilityClaims) -> String {
    let mut out = String::new();
    match claims.capabilities() {
        Capabilities::Client { scopes } => {
            out.push_str("Scopes (Twilio Client capability)\n");
            if scopes.is_empty() {
                out.push_str("  (none)\n");
            }
            for scope in scopes {
                // The app's and the stream's own parameters are a query in
                // a parameter: shown decoded, in braces.
                let params: Vec<String> = scope
                    .params()
                    .iter()
                    .map(|(name, value)| match scope.nested_params(name) {
                        Some(nested) if matches!(name.as_str(), "appParams" | "params") => {
                            let nested: Vec<String> = nested
                                .iter()
                                .map(|(name, value)| format!("{name}={value:?}"))
                                .collect();
                            format!("{name}{{{}}}", nested.join(" "))
                        }
                        _ => format!("{name}={value:?}"),
                    })
                    .collect();
                let line = format!(
                    "{}:{} {}",
                    scope.service(),
                    scope.privilege(),
                    params.join(" ")
                );
                let _ = writeln!(out, "  {}", clean(&line));
            }
        }
        Capabilities::TaskRouter {
            channel, policies, ..
        } => {
            let _ = writeln!(
                out,
                "Policies (TaskRouter capability for {})",
                clean(&channel.to_string())
            );
            for policy in policies {
                let mut filters = String::new();
                for (kind, filter) in [
                    ("query", policy.query_filters()),
                    ("post", policy.post_filters()),
                ] {
                    for (name, required) in filter {
                        let need = if *required { "required" } else { "optional" };
                        let _ = write!(filters, " [{kind} {name} {need}]");
                    }
                }
                let line = format!(
                    "{} {:<6} {}{filters}",
                    if policy.is_allowed() {
                        "allow"
                    } else {
                        "deny "
                    },
                    policy.method(),
                    policy.url()
                );
                let _ = writeln!(out, "  {}", clean(&line));
            }
        }
        _ => out.push_str("Capabilities\n  (of a kind this tool does not know)\n"),
    }
    out
}

/// What `decode` says of a valid capability token.
pub fn valid(claims: &CapabilityClaims) -> &'static str {
    match claims.capabilities() {
        Capabilities::Client { .. } => "  valid: signature, account, times and scopes check out\n",
        _ => "  valid: signature, account, times and policies check out\n",
    }
}

/// One line for `verify`: what the valid token allows.
pub fn summary(claims: &CapabilityClaims) -> String {
    let expires = unix(claims.expires_at());
    let what = match claims.capabilities() {
        Capabilities::Client { scopes } => {
            let names: Vec<String> = scopes
                .iter()
                .map(|scope| format!("{}:{}", scope.service(), scope.privilege()))
                .collect();
            format!(
                "Twilio Client capability, scopes [{}]",
                clean(&names.join(", "))
            )
        }
        Capabilities::TaskRouter {
            channel, policies, ..
        } => format!(
            "TaskRouter capability for {}, {} policies",
            clean(&channel.to_string()),
            policies.len()
        ),
        _ => "capability token".into(),
    };
    format!("valid: {what}, expires {}", when(expires))
}

/// What to do about a failed capability token check, where it differs
/// from an Access Token's.
pub fn hint(error: &VerifyError) -> Option<&'static str> {
    Some(match error.twilio_code() {
        20103 => "the token is for another account: check TWILIO_ACCOUNT_SID",
        20107 => {
            "the Auth Token does not match, or the token was altered: check TWILIO_AUTH_TOKEN (a rotated Auth Token invalidates the tokens it signed)"
        }
        _ => return None,
    })
}
