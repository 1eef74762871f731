//! `twilio-token`: mint, decode and verify Twilio Access Tokens (and
//! capability tokens) from a terminal. Built with `--features cli`.
//!
//! The argument definitions are here; `input` turns them into credentials
//! and tokens to read, `mint` builds and signs, `inspect` decodes and
//! verifies, `capability` mints capability tokens and describes them.

mod capability;
mod input;
mod inspect;
mod mint;
mod output;
mod plugin;
mod redact;
mod validation;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};

use capability::{AuthTokenArg, CapabilityCommand};
use input::{CredentialArgs, Failure};
use mint::{ChatArgs, FlexArgs, MintArgs, SyncArgs, VideoArgs, VoiceArgs};
use output::print;
use validation::ValidationArgs;

const AFTER_HELP: &str = "\
Credentials come from TWILIO_ACCOUNT_SID, TWILIO_API_KEY and TWILIO_API_SECRET
(an API key and its secret, not the Auth Token), or from the flags of the same
names; the region from TWILIO_REGION or --region.

The Twilio CLI token plugin's names work too (token:voice, token:video,
token:chat, token:sync, token:flex, token:capability:client,
token:capability:worker), and -o json is --json.

Examples:
  export TWILIO_ACCOUNT_SID=AC… TWILIO_API_KEY=SK… TWILIO_API_SECRET=…
  twilio-token video --identity alice --room-name standup
  twilio-token voice --identity alice --voice-app-sid AP… --allow-incoming
  twilio-token decode \"$(twilio-token chat --identity alice --chat-service-sid IS…)\"
  twilio-token verify - < token.txt
  twilio-token capability worker --workspace-sid WS… --worker-sid WK…  (Auth Token)
  twilio-token validation --credential-sid CR… --private-key key.pem --url https://api.twilio.com/…

Exit codes:
  0  success (decode: the token could be read, whatever its verification said)
  1  verification failed (verify; a malformed token is a failed verification, 20101)
  2  usage or input error: bad flags, missing or malformed credentials, a
     token that cannot be minted, decode of something that is not a JWT";

/// Mint, decode and verify Twilio Access Tokens.
///
/// Minting commands print the bare token and one newline on stdout, so
/// `$(twilio-token video …)` works; every message goes to stderr.
#[derive(Parser)]
#[command(name = "twilio-token", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Mint a token for the Voice SDKs.
    #[command(after_help = "Example:\n  twilio-token voice --identity alice \
        --voice-app-sid AP0123456789abcdef0123456789abcdef --allow-incoming \
        --voice-param to=+15005550006")]
    // The usage line lists only what is always needed: clap would add the
    // credential flags taken from the environment, as if they were missing.
    #[command(override_usage = "twilio-token voice --identity <IDENTITY> [OPTIONS]")]
    Voice {
        #[command(flatten)]
        grant: VoiceArgs,
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Mint a token for the Video SDKs.
    #[command(after_help = "Example:\n  twilio-token video --identity alice --room-name standup")]
    // The usage line lists only what is always needed: clap would add the
    // credential flags taken from the environment, as if they were missing.
    #[command(override_usage = "twilio-token video --identity <IDENTITY> [OPTIONS]")]
    Video {
        #[command(flatten)]
        grant: VideoArgs,
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Mint a token for the Conversations (Chat) SDKs.
    #[command(after_help = "Example:\n  twilio-token chat --identity alice \
        --chat-service-sid IS0123456789abcdef0123456789abcdef")]
    // The usage line lists only what is always needed: clap would add the
    // credential flags taken from the environment, as if they were missing.
    #[command(override_usage = "twilio-token chat --identity <IDENTITY> [OPTIONS]")]
    Chat {
        #[command(flatten)]
        grant: ChatArgs,
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Mint a token for the Sync SDKs (the default service without
    /// --sync-service-sid).
    #[command(after_help = "Example:\n  twilio-token sync --identity alice \
        --sync-service-sid IS0123456789abcdef0123456789abcdef")]
    // The usage line lists only what is always needed: clap would add the
    // credential flags taken from the environment, as if they were missing.
    #[command(override_usage = "twilio-token sync --identity <IDENTITY> [OPTIONS]")]
    Sync {
        #[command(flatten)]
        grant: SyncArgs,
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Mint a TaskRouter token for a Flex or TaskRouter worker (--role
    /// defaults to `worker`).
    #[command(after_help = "Example:\n  twilio-token flex --identity alice \
        --workspace-sid WS0123456789abcdef0123456789abcdef \
        --worker-sid WK0123456789abcdef0123456789abcdef")]
    // The usage line lists only what is always needed: clap would add the
    // credential flags taken from the environment, as if they were missing.
    #[command(override_usage = "twilio-token flex --identity <IDENTITY> [OPTIONS]")]
    Flex {
        #[command(flatten)]
        grant: FlexArgs,
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Mint a token with any combination of grants.
    ///
    /// A grant is added when one of its flags is given; --video, --chat and
    /// --sync add a grant with no fields. A Voice grant needs
    /// --voice-app-sid or --allow-incoming: one with neither allows nothing.
    #[command(
        after_help = "Examples:\n  twilio-token mint --identity alice --room-name standup \
        --voice-app-sid AP0123456789abcdef0123456789abcdef\n  \
        twilio-token mint --identity alice --video --sync --json"
    )]
    // The usage line lists only what is always needed: clap would add the
    // credential flags taken from the environment, as if they were missing.
    #[command(override_usage = "twilio-token mint --identity <IDENTITY> [OPTIONS]")]
    Mint {
        #[command(flatten)]
        voice: VoiceArgs,
        #[command(flatten)]
        video: VideoArgs,
        #[command(flatten)]
        chat: ChatArgs,
        #[command(flatten)]
        sync: SyncArgs,
        #[command(flatten)]
        flex: FlexArgs,
        /// Add a Video grant for every room.
        #[arg(long = "video", help_heading = "Grants")]
        with_video: bool,
        /// Add a Voice grant (it needs --voice-app-sid or --allow-incoming).
        #[arg(long = "voice", help_heading = "Grants")]
        with_voice: bool,
        /// Add a Chat grant with no fields.
        #[arg(long = "chat", help_heading = "Grants")]
        with_chat: bool,
        /// Add a Sync grant for the default service.
        #[arg(long = "sync", help_heading = "Grants")]
        with_sync: bool,
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Mint a capability token (Twilio Client JS 1.x, TaskRouter.js v1),
    /// signed with the Auth Token.
    ///
    /// Credentials come from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or
    /// --account-sid and --auth-token (`-` reads it from stdin).
    #[command(subcommand)]
    Capability(CapabilityCommand),
    /// Sign a REST API request for Twilio's Public Key Client Validation:
    /// prints the Client Validation JWT for its Twilio-Client-Validation
    /// header.
    ///
    /// The account and API key SIDs come from TWILIO_ACCOUNT_SID and
    /// TWILIO_API_KEY (or the flags). Without -H 'Authorization: …', the
    /// header curl sends for -u "$TWILIO_API_KEY:$TWILIO_API_SECRET" is
    /// signed. The host is taken from --url unless -H gives one.
    #[command(
        after_help = "Example:\n  curl -u \"$TWILIO_API_KEY:$TWILIO_API_SECRET\" \\\n    \
        -H \"Twilio-Client-Validation: $(twilio-token validation --credential-sid CR… \\\n      \
        --private-key key.pem --method POST \\\n      \
        --url \"https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json\" \\\n      \
        -H 'Content-Type: application/x-www-form-urlencoded' --data 'To=%2B15005550006&Body=hi')\" \\\n    \
        -H 'Content-Type: application/x-www-form-urlencoded' --data-raw 'To=%2B15005550006&Body=hi' \\\n    \
        \"https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json\""
    )]
    #[command(
        override_usage = "twilio-token validation --credential-sid <CR…> --private-key <FILE> --url <URL> [OPTIONS]"
    )]
    Validation(ValidationArgs),
    /// Show a token's header, claims and grants, with times in UTC.
    ///
    /// Verifies it too when an API key and secret are given (env or flags)
    /// and prints the result; exits 0 either way: use `verify` for an exit
    /// code. A capability token (no `cty` in its header) shows its scopes
    /// or policies, and is verified with TWILIO_AUTH_TOKEN.
    #[command(after_help = "Examples:\n  twilio-token decode eyJhbGciOi…\n  \
        pbpaste | twilio-token decode -")]
    Decode {
        /// The token, or `-` (or nothing) to read it from stdin.
        #[arg(value_name = "JWT|-")]
        jwt: Option<String>,
        #[command(flatten)]
        credentials: CredentialArgs,
        #[command(flatten)]
        auth_token: AuthTokenArg,
    },
    /// Check a token's signature, times and grants as Twilio does.
    ///
    /// Prints the Twilio error code and a hint on failure and exits 1;
    /// needs TWILIO_API_KEY and TWILIO_API_SECRET (or the flags), and checks
    /// the account too when TWILIO_ACCOUNT_SID is set. A capability token
    /// (no `cty` in its header) needs TWILIO_ACCOUNT_SID and
    /// TWILIO_AUTH_TOKEN instead.
    #[command(after_help = "Examples:\n  twilio-token verify eyJhbGciOi…\n  \
        twilio-token verify - < token.txt && echo valid")]
    Verify {
        /// The token, or `-` (or nothing) to read it from stdin.
        #[arg(value_name = "JWT|-")]
        jwt: Option<String>,
        /// Seconds of clock skew to allow on `exp` and `nbf`, at most 300:
        /// clocks that differ by more are wrong, and Twilio allows none.
        #[arg(
            long,
            value_name = "SECONDS",
            default_value_t = 0,
            value_parser = clap::value_parser!(u64).range(0..=300)
        )]
        leeway: u64,
        #[command(flatten)]
        credentials: CredentialArgs,
        #[command(flatten)]
        auth_token: AuthTokenArg,
    },
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  twilio-token completions bash > \
        ~/.local/share/bash-completion/completions/twilio-token")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    // Whatever goes wrong, no message shows a credential's value.
    let credentials = redact::Credentials::find(&args);
    // A PEM key pasted as an argument: clap would quote it, and only its
    // longer runs of letters and digits would be hidden.
    if args
        .iter()
        .any(|arg| arg.to_string_lossy().contains("-----BEGIN"))
    {
        eprintln!("{}", validation::PEM_ARGUMENT);
        return ExitCode::from(2);
    }
    let args = match plugin::translate(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {}", credentials.redact(&message));
            return ExitCode::from(2);
        }
    };
    let parsed = Cli::command()
        .try_get_matches_from(&args)
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return clap_failure(&error, &credentials),
    };
    match run(cli.command, &matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if let Failure::Usage(message) = &failure {
                eprintln!("error: {}", credentials.redact(message));
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Prints clap's error (or the help or version it was asked for): clap
/// quotes what it did not expect, which may be a secret in the wrong
/// place, so such a value is described, never shown.
fn clap_failure(error: &clap::Error, credentials: &redact::Credentials) -> ExitCode {
    if !error.use_stderr() {
        error.exit();
    }
    eprint!("{}", credentials.redact_clap(&error.render().to_string()));
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}

fn run(command: Command, matches: &ArgMatches) -> Result<(), Failure> {
    let mut sub_matches = matches.subcommand().map(|(_, sub)| sub);
    if let Command::Capability(_) = command {
        sub_matches = sub_matches.and_then(|sub| sub.subcommand().map(|(_, sub)| sub));
    }
    let given_as_flag = |id| sub_matches.is_some_and(|sub| input::secret_given_as_flag(sub, id));
    let secret_flag = given_as_flag("api_secret");
    let auth_flag = given_as_flag("auth_token");
    let mut stdin = input::Stdin::default();
    match command {
        Command::Voice { grant, mint } => mint.run(vec![grant.grant()?], secret_flag, &mut stdin),
        Command::Video { grant, mint } => mint.run(vec![grant.grant()], secret_flag, &mut stdin),
        Command::Chat { grant, mint } => mint.run(vec![grant.grant()?], secret_flag, &mut stdin),
        Command::Sync { grant, mint } => mint.run(vec![grant.grant()], secret_flag, &mut stdin),
        Command::Flex { grant, mint } => {
            mint.run(vec![grant.flex_grant()?], secret_flag, &mut stdin)
        }
        Command::Mint {
            voice,
            video,
            chat,
            sync,
            flex,
            with_video,
            with_voice,
            with_chat,
            with_sync,
            mint,
        } => {
            let mut grants = Vec::new();
            if with_video || video.given() {
                grants.push(video.grant());
            }
            if with_voice || voice.given() {
                grants.push(voice.grant()?);
            }
            if with_chat || chat.given() {
                grants.push(chat.any_grant());
            }
            if with_sync || sync.given() {
                grants.push(sync.grant());
            }
            if flex.given() {
                grants.push(flex.grant());
            }
            if grants.is_empty() {
                return Err(Failure::Usage(
                    "no grant given: add one with a grant flag such as --room-name or \
                     --voice-app-sid, or --video, --voice, --chat, --sync for a grant with \
                     no fields (see `twilio-token mint --help`)"
                        .into(),
                ));
            }
            mint.run(grants, secret_flag, &mut stdin)
        }
        Command::Capability(command) => command.run(auth_flag, &mut stdin),
        Command::Decode {
            jwt,
            credentials,
            auth_token,
        } => inspect::decode(
            jwt.as_deref(),
            &credentials,
            &auth_token,
            [secret_flag, auth_flag],
            &mut stdin,
        ),
        Command::Verify {
            jwt,
            leeway,
            credentials,
            auth_token,
        } => inspect::verify(
            jwt.as_deref(),
            leeway,
            &credentials,
            &auth_token,
            [secret_flag, auth_flag],
            &mut stdin,
        ),
        Command::Validation(args) => print(&format!("{}\n", args.jwt(&mut stdin)?)),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "twilio-token", &mut out);
            print(&String::from_utf8_lossy(&out))
        }
    }
}
