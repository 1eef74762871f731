//! TaskRouter (TaskRouter.js v1) capability tokens: twilio-python's
//! `WorkerCapabilityToken`, `TaskQueueCapabilityToken` and
//! `WorkspaceCapabilityToken`, a channel and the policies it is allowed.

use std::fmt;
use std::marker::PhantomData;

use super::{CapabilityBuilder, Policy, check_sid};
use crate::Error;
use crate::builder::{HasAccountSid, HasAuthToken};
use crate::json::write_str;
use crate::sid::SidDebug;

const DOMAIN: &str = "https://taskrouter.twilio.com/v1/Workspaces/";
const EVENTS: &str = "https://event-bridge.twilio.com/v1/wschannels/";

/// A TaskRouter capability token: one constructor per channel kind.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::capability::{Policy, TaskRouterCapability};
///
/// let jwt = TaskRouterCapability::worker("WS55555555555555555555555555555555", "WK66666666666666666666666666666666")
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .allow_update_activities(true)
///     .policy(Policy::allow("GET", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555/Workers"))
///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
///     .sign()?;
/// # drop(jwt);
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Debug)]
pub struct TaskRouterCapability {
    _private: (),
}

impl TaskRouterCapability {
    /// A worker's token (`WK…`) in the workspace `WS…`: twilio-python's
    /// `WorkerCapabilityToken`.
    ///
    /// ```
    /// let builder = twilio_token::capability::TaskRouterCapability::worker(
    ///     "WS55555555555555555555555555555555",
    ///     "WK66666666666666666666666666666666",
    /// );
    /// # drop(builder);
    /// ```
    pub fn worker(
        workspace_sid: impl Into<String>,
        worker_sid: impl Into<String>,
    ) -> CapabilityBuilder<TaskRouter<Worker>> {
        TaskRouter::start(workspace_sid.into(), worker_sid.into())
    }

    /// A task queue's token (`WQ…`) in the workspace `WS…`:
    /// twilio-python's `TaskQueueCapabilityToken`.
    ///
    /// ```
    /// let builder = twilio_token::capability::TaskRouterCapability::task_queue(
    ///     "WS55555555555555555555555555555555",
    ///     "WQ77777777777777777777777777777777",
    /// );
    /// # drop(builder);
    /// ```
    pub fn task_queue(
        workspace_sid: impl Into<String>,
        task_queue_sid: impl Into<String>,
    ) -> CapabilityBuilder<TaskRouter<TaskQueue>> {
        TaskRouter::start(workspace_sid.into(), task_queue_sid.into())
    }

    /// A workspace's token (`WS…`): twilio-python's
    /// `WorkspaceCapabilityToken`.
    ///
    /// ```
    /// let builder = twilio_token::capability::TaskRouterCapability::workspace(
    ///     "WS55555555555555555555555555555555",
    /// );
    /// # drop(builder);
    /// ```
    pub fn workspace(workspace_sid: impl Into<String>) -> CapabilityBuilder<TaskRouter<Workspace>> {
        let workspace_sid = workspace_sid.into();
        TaskRouter::start(workspace_sid.clone(), workspace_sid)
    }
}

/// Channel kind: a worker (`WK…`). Its builder has the worker's own flags.
///
/// ```
/// let _: twilio_token::capability::Worker = twilio_token::capability::Worker;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Worker;

/// Channel kind: a task queue (`WQ…`).
///
/// ```
/// let _: twilio_token::capability::TaskQueue = twilio_token::capability::TaskQueue;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TaskQueue;

/// Channel kind: a workspace (`WS…`).
///
/// ```
/// let _: twilio_token::capability::Workspace = twilio_token::capability::Workspace;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Workspace;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Worker {}
    impl Sealed for super::TaskQueue {}
    impl Sealed for super::Workspace {}
}

/// A TaskRouter channel kind: [`Worker`], [`TaskQueue`] or [`Workspace`].
/// Sealed.
///
/// ```
/// fn kind<C: twilio_token::capability::Channel>() {}
/// kind::<twilio_token::capability::Worker>();
/// ```
pub trait Channel: sealed::Sealed {
    /// The channel SID's prefix.
    #[doc(hidden)]
    const PREFIX: &'static str;
    /// What the channel SID is, for errors.
    #[doc(hidden)]
    const WHAT: &'static str;
    /// The channel's resource below its workspace.
    #[doc(hidden)]
    const RESOURCE: &'static str;
    /// The claim that repeats the channel SID, if any.
    #[doc(hidden)]
    const SID_CLAIM: Option<&'static str>;
}

impl Channel for Worker {
    const PREFIX: &'static str = "WK";
    const WHAT: &'static str = "worker SID";
    const RESOURCE: &'static str = "/Workers/";
    const SID_CLAIM: Option<&'static str> = Some("worker_sid");
}

impl Channel for TaskQueue {
    const PREFIX: &'static str = "WQ";
    const WHAT: &'static str = "task queue SID";
    const RESOURCE: &'static str = "/TaskQueues/";
    const SID_CLAIM: Option<&'static str> = Some("taskqueue_sid");
}

impl Channel for Workspace {
    const PREFIX: &'static str = "WS";
    const WHAT: &'static str = "workspace SID";
    const RESOURCE: &'static str = "";
    const SID_CLAIM: Option<&'static str> = None;
}

/// A TaskRouter token being built: the kind of a [`CapabilityBuilder`]
/// from [`TaskRouterCapability`], for the channel kind `C`.
///
/// ```
/// use twilio_token::capability::{CapabilityBuilder, TaskQueue, TaskRouter, TaskRouterCapability};
/// let builder: CapabilityBuilder<TaskRouter<TaskQueue>> = TaskRouterCapability::task_queue(
///     "WS55555555555555555555555555555555",
///     "WQ77777777777777777777777777777777",
/// );
/// # drop(builder);
/// ```
pub struct TaskRouter<C> {
    workspace_sid: String,
    channel_sid: String,
    /// One bit per [`Flag`], set when allowed.
    flags: u16,
    policies: Vec<Policy>,
    channel: PhantomData<C>,
}

/// The SIDs when they have a SID's shape, else their length: a value in
/// the wrong place may be a secret.
impl<C: Channel> fmt::Debug for TaskRouter<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskRouter")
            .field("workspace_sid", &SidDebug(&self.workspace_sid, "WS"))
            .field("channel_sid", &SidDebug(&self.channel_sid, C::PREFIX))
            .field("flags", &self.flags)
            .field("policies", &self.policies)
            .finish()
    }
}

/// twilio-python's `allow_*` keyword arguments, in the order its
/// constructors apply them (the base class's, then the worker's).
#[derive(Clone, Copy)]
enum Flag {
    WebSockets,
    FetchSelf,
    UpdateSelf,
    DeleteSelf,
    FetchSubresources,
    DeleteSubresources,
    UpdateSubresources,
    FetchActivities,
    FetchReservations,
    FetchWorkerReservations,
    UpdateActivities,
    UpdateReservations,
}

const FLAGS: [Flag; 12] = [
    Flag::WebSockets,
    Flag::FetchSelf,
    Flag::UpdateSelf,
    Flag::DeleteSelf,
    Flag::FetchSubresources,
    Flag::DeleteSubresources,
    Flag::UpdateSubresources,
    Flag::FetchActivities,
    Flag::FetchReservations,
    Flag::FetchWorkerReservations,
    Flag::UpdateActivities,
    Flag::UpdateReservations,
];

/// twilio-python's defaults: web sockets and fetching itself for every
/// channel; a worker may also fetch activities, tasks and its
/// reservations.
const DEFAULT_FLAGS: u16 = 1 << Flag::WebSockets as u16
    | 1 << Flag::FetchSelf as u16
    | 1 << Flag::FetchActivities as u16
    | 1 << Flag::FetchReservations as u16
    | 1 << Flag::FetchWorkerReservations as u16;

impl<C: Channel> TaskRouter<C> {
    fn start(workspace_sid: String, channel_sid: String) -> CapabilityBuilder<Self> {
        CapabilityBuilder::new(TaskRouter {
            workspace_sid,
            channel_sid,
            flags: DEFAULT_FLAGS,
            policies: Vec::new(),
            channel: PhantomData,
        })
    }

    /// The claims before `iss`: the channel, then its policies in
    /// twilio-python's order.
    fn write_claims(&self, account_sid: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        check_sid(&self.workspace_sid, "workspace SID", "WS")?;
        check_sid(&self.channel_sid, C::WHAT, C::PREFIX)?;
        for policy in &self.policies {
            policy.check()?;
        }
        let workspace = format!("{DOMAIN}{}", self.workspace_sid);
        let resource = match C::RESOURCE {
            "" => workspace.clone(),
            path => format!("{workspace}{path}{}", self.channel_sid),
        };
        let web_socket = format!("{EVENTS}{account_sid}/{}", self.channel_sid);
        let mut policies = Vec::new();
        for flag in FLAGS {
            if self.flags & 1 << flag as u16 == 0 {
                continue;
            }
            let sub = || format!("{resource}/**");
            let mut allow = |method, url: String| policies.push(Policy::allow(method, url));
            match flag {
                Flag::WebSockets => {
                    allow("GET", web_socket.clone());
                    allow("POST", web_socket.clone());
                }
                Flag::FetchSelf => allow("GET", resource.clone()),
                Flag::UpdateSelf => allow("POST", resource.clone()),
                Flag::DeleteSelf => allow("DELETE", resource.clone()),
                Flag::FetchSubresources => allow("GET", sub()),
                Flag::DeleteSubresources => allow("DELETE", sub()),
                Flag::UpdateSubresources => allow("POST", sub()),
                // The worker's own; only a worker's builder sets them, but
                // some are on by default.
                _ if C::PREFIX != Worker::PREFIX => {}
                Flag::FetchActivities => allow("GET", format!("{workspace}/Activities")),
                Flag::FetchReservations => allow("GET", format!("{workspace}/Tasks/**")),
                Flag::FetchWorkerReservations => {
                    allow("GET", format!("{resource}/Reservations/**"));
                }
                Flag::UpdateActivities => policies
                    .push(Policy::allow("POST", resource.clone()).post_filter("ActivitySid", true)),
                Flag::UpdateReservations => {
                    allow("POST", format!("{workspace}/Tasks/**"));
                    allow("POST", format!("{resource}/Reservations/**"));
                }
            }
        }
        let text = |out: &mut Vec<u8>, key: &str, value: &str| {
            write_str(out, key);
            out.push(b':');
            write_str(out, value);
            out.push(b',');
        };
        text(out, "account_sid", account_sid);
        text(out, "workspace_sid", &self.workspace_sid);
        text(out, "channel", &self.channel_sid);
        text(out, "version", "v1");
        text(out, "friendly_name", &self.channel_sid);
        out.extend_from_slice(b"\"policies\":[");
        for (index, policy) in policies.iter().chain(&self.policies).enumerate() {
            if index > 0 {
                out.push(b',');
            }
            policy.write(out);
        }
        out.push(b']');
        if let Some(claim) = C::SID_CLAIM {
            out.push(b',');
            text(out, claim, &self.channel_sid);
            out.pop();
        }
        Ok(())
    }
}

macro_rules! flag_methods {
    ($example:literal; $($name:ident => $flag:ident, $default:literal, $what:literal;)*) => {$(
        #[doc = concat!("Allows ", $what, " (twilio-python's `", stringify!($name), "`, default `", stringify!($default), "`).")]
        ///
        /// ```
        #[doc = concat!("let builder = twilio_token::capability::TaskRouterCapability::", $example)]
        #[doc = concat!("    .", stringify!($name), "(", stringify!($default), ");")]
        /// # drop(builder);
        /// ```
        pub fn $name(self, allow: bool) -> Self {
            self.flag(Flag::$flag, allow)
        }
    )*};
}

impl<C, A, T> CapabilityBuilder<TaskRouter<C>, A, T> {
    fn flag(mut self, flag: Flag, allow: bool) -> Self {
        let bit = 1 << flag as u16;
        if allow {
            self.kind.flags |= bit;
        } else {
            self.kind.flags &= !bit;
        }
        self
    }

    flag_methods! {
        r#"workspace("WS55555555555555555555555555555555")"#;
        allow_web_sockets => WebSockets, true, "the channel's web socket (GET and POST)";
        allow_fetch_self => FetchSelf, true, "fetching the channel's own resource (GET)";
        allow_update_self => UpdateSelf, false, "updating the channel's own resource (POST)";
        allow_delete_self => DeleteSelf, false, "deleting the channel's own resource (DELETE)";
        allow_fetch_subresources => FetchSubresources, false, "fetching everything below the channel's resource (GET `/**`)";
        allow_update_subresources => UpdateSubresources, false, "updating everything below the channel's resource (POST `/**`)";
        allow_delete_subresources => DeleteSubresources, false, "deleting everything below the channel's resource (DELETE `/**`)";
    }

    /// Adds a policy after the flags' ones; policies come out in the order
    /// they are added.
    ///
    /// ```
    /// use twilio_token::capability::{Policy, TaskRouterCapability};
    /// let builder = TaskRouterCapability::workspace("WS55555555555555555555555555555555")
    ///     .policy(Policy::deny("DELETE", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555/Tasks/**"));
    /// # drop(builder);
    /// ```
    pub fn policy(mut self, policy: Policy) -> Self {
        self.kind.policies.push(policy);
        self
    }
}

impl<A, T> CapabilityBuilder<TaskRouter<Worker>, A, T> {
    flag_methods! {
        r#"worker("WS55555555555555555555555555555555", "WK66666666666666666666666666666666")"#;
        allow_fetch_activities => FetchActivities, true, "fetching the workspace's activities";
        allow_fetch_reservations => FetchReservations, true, "fetching the workspace's tasks (GET `Tasks/**`)";
        allow_fetch_worker_reservations => FetchWorkerReservations, true, "fetching the worker's reservations";
        allow_update_activities => UpdateActivities, false, "changing the worker's activity (POST with a required `ActivitySid`)";
        allow_update_reservations => UpdateReservations, false, "updating tasks and the worker's reservations (POST)";
    }
}

impl<C: Channel, A, T> CapabilityBuilder<TaskRouter<C>, A, T> {
    /// Checks the inputs and signs the token.
    ///
    /// # Errors
    ///
    /// [`Error`] when the account SID, the Auth Token, the workspace or
    /// channel SID, a policy or the times are invalid.
    ///
    /// ```
    /// use twilio_token::{Error, capability::TaskRouterCapability};
    /// let err = TaskRouterCapability::worker("WS55555555555555555555555555555555", "WQ77777777777777777777777777777777")
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .auth_token("0123456789abcdef0123456789abcdef")
    ///     .sign()
    ///     .unwrap_err();
    /// assert_eq!(err, Error::InvalidSid { what: "worker SID", prefix: "WK", len: 34 });
    /// ```
    pub fn sign(self) -> Result<String, Error>
    where
        A: HasAccountSid<'static>,
        T: HasAuthToken,
    {
        self.sign_with(|kind, account_sid, out| kind.write_claims(account_sid, out))
    }
}
