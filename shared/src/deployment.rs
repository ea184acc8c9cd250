//! The Lambda functions of the AWS deployment, by name: the name is the
//! function's `SEJOUR_FUNCTION` in `infra/template.yaml`, and what
//! `sejour functions` lists for `scripts/check-lambdas.py`.

use serde::Serialize;

use crate::api::ENDPOINTS;

/// What invokes a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Trigger {
    /// API Gateway, for the routes of its endpoint.
    #[serde(rename = "http")]
    Http,
    /// The mail queue (SQS), in batches.
    #[serde(rename = "sqs")]
    MailQueue,
    /// The documents bucket (S3), for each upload.
    #[serde(rename = "s3")]
    Uploads,
    /// A daily schedule (EventBridge): the deadlines job.
    #[serde(rename = "schedule")]
    Daily,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub method: &'static str,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Function {
    pub name: &'static str,
    pub trigger: Trigger,
    /// The HTTP routes it serves (HTTP functions only).
    pub routes: Vec<Route>,
}

/// The functions invoked by events rather than HTTP requests.
const EVENT_FUNCTIONS: &[(&str, Trigger)] = &[
    ("mail-sender", Trigger::MailQueue),
    ("upload-check", Trigger::Uploads),
    ("deadlines", Trigger::Daily),
];

/// Every function: the API's endpoints, then the event-driven ones.
pub fn functions() -> Vec<Function> {
    let http = ENDPOINTS.iter().map(|endpoint| Function {
        name: endpoint.function,
        trigger: Trigger::Http,
        routes: endpoint
            .operations()
            .iter()
            .flat_map(|operation| {
                operation.method_names().map(|method| Route {
                    method,
                    path: operation.path.clone(),
                })
            })
            .collect(),
    });
    let events = EVENT_FUNCTIONS.iter().map(|(name, trigger)| Function {
        name,
        trigger: *trigger,
        routes: Vec::new(),
    });
    http.chain(events).collect()
}

pub fn function(name: &str) -> Option<Function> {
    functions().into_iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_http_functions_have_routes() {
        let all = functions();
        let mut names: Vec<_> = all.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
        for f in &all {
            assert_eq!(f.trigger == Trigger::Http, !f.routes.is_empty(), "{}", f.name);
        }
        let me = function("me").unwrap();
        assert_eq!(me.routes.iter().map(|r| r.method).collect::<Vec<_>>(), ["GET", "PATCH"]);
        assert_eq!(function("mail-sender").unwrap().trigger, Trigger::MailQueue);
    }
}
