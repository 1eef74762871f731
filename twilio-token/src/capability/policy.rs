//! TaskRouter policies: an HTTP method on a URL, allowed or denied, with
//! the parameters it requires; written as twilio-python's `_make_policy`
//! writes them.

use crate::Error;
use crate::json::write_str;

/// One TaskRouter policy: an HTTP method on a URL, allowed or denied, with
/// the query and POST parameters it requires or forbids.
///
/// ```
/// use twilio_token::capability::Policy;
/// let policy = Policy::allow("POST", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555/Tasks")
///     .post_filter("TaskQueueSid", true);
/// assert_eq!(policy.method(), "POST");
/// assert_eq!(policy.post_filters(), [("TaskQueueSid".to_owned(), true)]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a policy does nothing until it is added with `.policy(…)`"]
pub struct Policy {
    url: String,
    method: String,
    allow: bool,
    query_filter: Vec<(String, bool)>,
    post_filter: Vec<(String, bool)>,
}

impl Policy {
    /// Allows `method` (`GET`, `POST` or `DELETE`; upper-cased as
    /// twilio-python does) on `url`. Any other method is refused by
    /// `.sign()`.
    ///
    /// ```
    /// let policy = twilio_token::capability::Policy::allow("GET", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555");
    /// assert!(policy.is_allowed());
    /// ```
    pub fn allow(method: impl Into<String>, url: impl Into<String>) -> Self {
        Policy::new(method.into(), url.into(), true)
    }

    /// Denies `method` (`GET`, `POST` or `DELETE`) on `url`.
    ///
    /// ```
    /// let policy = twilio_token::capability::Policy::deny("DELETE", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555");
    /// assert!(!policy.is_allowed());
    /// ```
    pub fn deny(method: impl Into<String>, url: impl Into<String>) -> Self {
        Policy::new(method.into(), url.into(), false)
    }

    fn new(method: String, url: String, allow: bool) -> Self {
        Policy {
            url,
            method: method.to_ascii_uppercase(),
            allow,
            query_filter: Vec::new(),
            post_filter: Vec::new(),
        }
    }

    /// Adds `{"<name>": {"required": <required>}}` to the query filter; a
    /// name given again replaces its entry in place.
    ///
    /// ```
    /// let policy = twilio_token::capability::Policy::allow("GET", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555/Tasks")
    ///     .query_filter("TaskQueueSid", false);
    /// assert_eq!(policy.query_filters(), [("TaskQueueSid".to_owned(), false)]);
    /// ```
    pub fn query_filter(mut self, name: impl Into<String>, required: bool) -> Self {
        set(&mut self.query_filter, name.into(), required);
        self
    }

    /// Adds `{"<name>": {"required": <required>}}` to the POST filter; a
    /// name given again replaces its entry in place.
    ///
    /// ```
    /// let policy = twilio_token::capability::Policy::allow("POST", "https://taskrouter.twilio.com/v1/Workspaces/WS55555555555555555555555555555555/Workers/WK66666666666666666666666666666666")
    ///     .post_filter("ActivitySid", true);
    /// assert_eq!(policy.post_filters(), [("ActivitySid".to_owned(), true)]);
    /// ```
    pub fn post_filter(mut self, name: impl Into<String>, required: bool) -> Self {
        set(&mut self.post_filter, name.into(), required);
        self
    }

    /// The URL.
    ///
    /// ```
    /// let policy = twilio_token::capability::Policy::allow("GET", "https://example.com/x");
    /// assert_eq!(policy.url(), "https://example.com/x");
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP method, upper case.
    ///
    /// ```
    /// let policy = twilio_token::capability::Policy::allow("get", "https://example.com/x");
    /// assert_eq!(policy.method(), "GET");
    /// ```
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Whether the policy allows (`true`) or denies the request.
    ///
    /// ```
    /// assert!(twilio_token::capability::Policy::allow("GET", "https://example.com/x").is_allowed());
    /// ```
    pub fn is_allowed(&self) -> bool {
        self.allow
    }

    /// The query filter: each parameter's name and whether it is required.
    ///
    /// ```
    /// assert!(twilio_token::capability::Policy::allow("GET", "https://example.com/x").query_filters().is_empty());
    /// ```
    pub fn query_filters(&self) -> &[(String, bool)] {
        &self.query_filter
    }

    /// The POST filter: each parameter's name and whether it is required.
    ///
    /// ```
    /// assert!(twilio_token::capability::Policy::allow("GET", "https://example.com/x").post_filters().is_empty());
    /// ```
    pub fn post_filters(&self) -> &[(String, bool)] {
        &self.post_filter
    }

    /// A policy read from a token: any method, as other libraries may
    /// write one.
    pub(super) fn decoded(
        url: String,
        method: String,
        allow: bool,
        query_filter: Vec<(String, bool)>,
        post_filter: Vec<(String, bool)>,
    ) -> Self {
        Policy {
            url,
            method,
            allow,
            query_filter,
            post_filter,
        }
    }

    pub(super) fn check(&self) -> Result<(), Error> {
        let invalid = |reason: String| Err(Error::InvalidPolicy { reason });
        if !matches!(self.method.as_str(), "GET" | "POST" | "DELETE") {
            return invalid(format!(
                "the method {:?} is not GET, POST or DELETE",
                self.method
            ));
        }
        if self.url.is_empty() {
            return invalid("the URL is empty".into());
        }
        let filters = self.query_filter.iter().chain(&self.post_filter);
        if filters.into_iter().any(|(name, _)| name.is_empty()) {
            return invalid(format!(
                "a filter of {} {} has no name",
                self.method, self.url
            ));
        }
        Ok(())
    }

    /// `{"url","method","allow","query_filter","post_filter"}`, as
    /// twilio-python's `_make_policy`.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"url\":");
        write_str(out, &self.url);
        out.extend_from_slice(b",\"method\":");
        write_str(out, &self.method);
        out.extend_from_slice(if self.allow {
            b",\"allow\":true"
        } else {
            b",\"allow\":false"
        });
        for (key, filter) in [
            (&b",\"query_filter\":{"[..], &self.query_filter),
            (b",\"post_filter\":{", &self.post_filter),
        ] {
            out.extend_from_slice(key);
            for (index, (name, required)) in filter.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_str(out, name);
                out.extend_from_slice(if *required {
                    b":{\"required\":true}"
                } else {
                    b":{\"required\":false}"
                });
            }
            out.push(b'}');
        }
        out.push(b'}');
    }
}

fn set(filter: &mut Vec<(String, bool)>, name: String, required: bool) {
    match filter.iter_mut().find(|(known, _)| *known == name) {
        Some((_, value)) => *value = required,
        None => filter.push((name, required)),
    }
}
