//! TaskRouter (TaskRouter.js v1) capability tokens: twilio-python's
//! `WorkerCapabilityToken`, `TaskQueueCapabilityToken` and
//! `WorkspaceCapabilityToken`, a channel and the policies it is allowed.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use super::{CapabilityBuilder, Policy};
use crate::builder::{HasAccountSid, HasAuthToken};
use crate::json::write_str;
use crate::sid::SidDebug;
use crate::{Error, SidKind};

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
    /// The channel SID's kind.
    #[doc(hidden)]
    const SID: SidKind;
    /// The channel's resource below its workspace.
    #[doc(hidden)]
    const RESOURCE: &'static str;
    /// The claim that repeats the channel SID, if any.
    #[doc(hidden)]
    const SID_CLAIM: Option<&'static str>;
}

impl Channel for Worker {
    const SID: SidKind = SidKind::TaskRouterWorker;
    const RESOURCE: &'static str = "/Workers/";
    const SID_CLAIM: Option<&'static str> = Some("worker_sid");
}

impl Channel for TaskQueue {
    const SID: SidKind = SidKind::TaskRouterTaskQueue;
    const RESOURCE: &'static str = "/TaskQueues/";
    const SID_CLAIM: Option<&'static str> = Some("taskqueue_sid");
}

impl Channel for Workspace {
    const SID: SidKind = SidKind::TaskRouterWorkspace;
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
    /// One bit per [`Permission`], set when allowed.
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
            .field("channel_sid", &SidDebug(&self.channel_sid, C::SID.prefix()))
            .field("flags", &self.flags)
            .field("policies", &self.policies)
            .finish()
    }
}

impl<C: Channel> TaskRouter<C> {
    fn start(workspace_sid: String, channel_sid: String) -> CapabilityBuilder<Self> {
        CapabilityBuilder::new(TaskRouter {
            workspace_sid,
            channel_sid,
            // A worker's own permissions are on by default for a worker
            // only, so one set on another channel is the caller's.
            flags: if C::SID == SidKind::TaskRouterWorker {
                DEFAULTS
            } else {
                DEFAULTS & !WORKERS_ONLY
            },
            policies: Vec::new(),
            channel: PhantomData,
        })
    }

    /// The claims before `iss`: the channel, then its policies in
    /// twilio-python's order.
    fn write_claims(&self, account_sid: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        SidKind::TaskRouterWorkspace.check(&self.workspace_sid)?;
        C::SID.check(&self.channel_sid)?;
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
        for &permission in Permission::ALL {
            if self.flags & 1 << permission as u16 == 0 {
                continue;
            }
            let sub = || format!("{resource}/**");
            let mut allow = |method, url: String| policies.push(Policy::allow(method, url));
            match permission {
                Permission::WebSockets => {
                    allow("GET", web_socket.clone());
                    allow("POST", web_socket.clone());
                }
                Permission::FetchSelf => allow("GET", resource.clone()),
                Permission::UpdateSelf => allow("POST", resource.clone()),
                Permission::DeleteSelf => allow("DELETE", resource.clone()),
                Permission::FetchSubresources => allow("GET", sub()),
                Permission::DeleteSubresources => allow("DELETE", sub()),
                Permission::UpdateSubresources => allow("POST", sub()),
                _ if C::SID != SidKind::TaskRouterWorker => {
                    return Err(Error::WorkerOnlyPermission {
                        permission: permission.name(),
                    });
                }
                Permission::FetchActivities => allow("GET", format!("{workspace}/Activities")),
                Permission::FetchReservations => allow("GET", format!("{workspace}/Tasks/**")),
                Permission::FetchWorkerReservations => {
                    allow("GET", format!("{resource}/Reservations/**"));
                }
                Permission::UpdateActivities => policies
                    .push(Policy::allow("POST", resource.clone()).post_filter("ActivitySid", true)),
                Permission::UpdateReservations => {
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

/// The one list of TaskRouter permissions: the enum, its names, the
/// defaults, and a builder method for each.
macro_rules! permissions {
    ($(
        [$($generic:ident)?] $channel:ty, worker only: $worker:literal, $example:literal {
            $($variant:ident $name:literal $method:ident $default:literal $what:literal;)*
        }
    )*) => {
        /// A TaskRouter permission: twilio-python's `allow_*` keyword
        /// arguments, in the order its constructors apply them (every
        /// channel's, then a worker's own). The tool's `--allow` and
        /// `--deny` take their [`name`](Permission::name)s.
        ///
        /// ```
        /// use twilio_token::capability::Permission;
        /// assert_eq!(Permission::ALL.len(), 12);
        /// assert_eq!("update-activities".parse(), Ok(Permission::UpdateActivities));
        /// assert!(Permission::UpdateActivities.is_worker_only());
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Permission {$($(
            #[doc = concat!("Allows ", $what, ": `", $name, "`, twilio-python's `", stringify!($method), "` (default `", stringify!($default), "`).")]
            $variant,
        )*)*}

        impl Permission {
            /// Every permission, in twilio-python's order.
            ///
            /// ```
            /// use twilio_token::capability::Permission;
            /// assert_eq!(Permission::ALL[0], Permission::WebSockets);
            /// ```
            pub const ALL: &'static [Permission] = &[$($(Permission::$variant,)*)*];

            /// The name: twilio-python's keyword argument without `allow_`,
            /// with dashes, as the tool's flags take it.
            ///
            /// ```
            /// use twilio_token::capability::Permission;
            /// assert_eq!(Permission::FetchWorkerReservations.name(), "fetch-worker-reservations");
            /// ```
            pub const fn name(self) -> &'static str {
                match self {$($(Permission::$variant => $name,)*)*}
            }

            /// A worker's own permission, which a worker's token only can
            /// have.
            ///
            /// ```
            /// use twilio_token::capability::Permission;
            /// assert!(!Permission::FetchSelf.is_worker_only());
            /// ```
            pub const fn is_worker_only(self) -> bool {
                1 << self as u16 & WORKERS_ONLY != 0
            }
        }

        /// twilio-python's defaults, one bit per [`Permission`].
        const DEFAULTS: u16 = 0 $($(| if $default { 1 << Permission::$variant as u16 } else { 0 })*)*;
        /// A worker's own permissions.
        const WORKERS_ONLY: u16 = 0 $($(| if $worker { 1 << Permission::$variant as u16 } else { 0 })*)*;

        $(impl<$($generic,)? A, T> CapabilityBuilder<TaskRouter<$channel>, A, T> {$(
            #[doc = concat!("Allows ", $what, " (twilio-python's `", stringify!($method), "`, default `", stringify!($default), "`): `.allow(Permission::", stringify!($variant), ", allow)`.")]
            ///
            /// ```
            #[doc = concat!("let builder = twilio_token::capability::TaskRouterCapability::", $example)]
            #[doc = concat!("    .", stringify!($method), "(", stringify!($default), ");")]
            /// # drop(builder);
            /// ```
            pub fn $method(self, allow: bool) -> Self {
                self.allow(Permission::$variant, allow)
            }
        )*})*
    };
}

permissions! {
    [C] C, worker only: false, r#"workspace("WS55555555555555555555555555555555")"# {
        WebSockets "web-sockets" allow_web_sockets true "the channel's web socket (GET and POST)";
        FetchSelf "fetch-self" allow_fetch_self true "fetching the channel's own resource (GET)";
        UpdateSelf "update-self" allow_update_self false "updating the channel's own resource (POST)";
        DeleteSelf "delete-self" allow_delete_self false "deleting the channel's own resource (DELETE)";
        FetchSubresources "fetch-subresources" allow_fetch_subresources false "fetching everything below the channel's resource (GET `/**`)";
        DeleteSubresources "delete-subresources" allow_delete_subresources false "deleting everything below the channel's resource (DELETE `/**`)";
        UpdateSubresources "update-subresources" allow_update_subresources false "updating everything below the channel's resource (POST `/**`)";
    }
    [] Worker, worker only: true, r#"worker("WS55555555555555555555555555555555", "WK66666666666666666666666666666666")"# {
        FetchActivities "fetch-activities" allow_fetch_activities true "fetching the workspace's activities";
        FetchReservations "fetch-reservations" allow_fetch_reservations true "fetching the workspace's tasks (GET `Tasks/**`)";
        FetchWorkerReservations "fetch-worker-reservations" allow_fetch_worker_reservations true "fetching the worker's reservations";
        UpdateActivities "update-activities" allow_update_activities false "changing the worker's activity (POST with a required `ActivitySid`)";
        UpdateReservations "update-reservations" allow_update_reservations false "updating tasks and the worker's reservations (POST)";
    }
}

impl<C, A, T> CapabilityBuilder<TaskRouter<C>, A, T> {
    /// Allows (`true`) or denies (`false`) `permission`: what the
    /// `allow_*` methods do, for a permission chosen at run time. A
    /// worker's own permission is for a worker's token: allowed on another
    /// channel's, `.sign()` refuses it ([`Error::WorkerOnlyPermission`]).
    ///
    /// ```
    /// use twilio_token::capability::{Permission, TaskRouterCapability};
    /// let builder = TaskRouterCapability::workspace("WS55555555555555555555555555555555")
    ///     .allow(Permission::FetchSubresources, true)
    ///     .allow(Permission::WebSockets, false);
    /// # drop(builder);
    /// ```
    pub fn allow(mut self, permission: Permission, allow: bool) -> Self {
        let bit = 1 << permission as u16;
        if allow {
            self.kind.flags |= bit;
        } else {
            self.kind.flags &= !bit;
        }
        self
    }

    /// Adds a policy after the permissions' ones; policies come out in the
    /// order they are added.
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

/// A name that is no [`Permission`]'s, which
/// [`Permission::from_str`](std::str::FromStr::from_str) refuses.
///
/// ```
/// let err = "fetch-everything".parse::<twilio_token::capability::Permission>().unwrap_err();
/// assert!(err.to_string().starts_with("not a TaskRouter permission: give one of web-sockets, "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownPermission;

impl fmt::Display for UnknownPermission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
        write!(
            f,
            "not a TaskRouter permission: give one of {}",
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownPermission {}

/// The permission's [`name`](Permission::name).
///
/// ```
/// use twilio_token::capability::Permission;
/// assert_eq!(Permission::UpdateActivities.to_string(), "update-activities");
/// ```
impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A permission by its [`name`](Permission::name).
impl FromStr for Permission {
    type Err = UnknownPermission;

    fn from_str(name: &str) -> Result<Self, UnknownPermission> {
        let found = Permission::ALL.iter().find(|p| p.name() == name);
        found.copied().ok_or(UnknownPermission {})
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
    /// use twilio_token::{Error, SidKind, capability::TaskRouterCapability};
    /// let err = TaskRouterCapability::worker("WS55555555555555555555555555555555", "WQ77777777777777777777777777777777")
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .auth_token("0123456789abcdef0123456789abcdef")
    ///     .sign()
    ///     .unwrap_err();
    /// assert_eq!(err, Error::InvalidSid { kind: SidKind::TaskRouterWorker, len: 34 });
    /// ```
    pub fn sign(self) -> Result<String, Error>
    where
        A: HasAccountSid<'static>,
        T: HasAuthToken,
    {
        self.sign_with(|kind, account_sid, out| kind.write_claims(account_sid, out))
    }
}
