//! What `verify` found: the stages walked, in order, up to the first that
//! failed, and the findings that explain it.

use msr_expose_core::Finding;
use msr_expose_core::endpoint::Failed;
use serde::Serialize;
use std::future::Future;
use std::time::{Duration, Instant};

/// One stage of the walk.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// `resolve`, `connect`, `tls`, `certificate`, `http`, `catalog`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// Milliseconds it took.
    pub ms: u128,
    /// What was seen (address, protocol, status…).
    pub detail: String,
}

/// The verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The endpoint.
    pub url: String,
    /// Whether every stage passed.
    pub ok: bool,
    /// Stages in order, up to the first failure.
    pub stages: Vec<Stage>,
    /// The failure (and certificate findings), empty when all passed.
    pub findings: Vec<Finding>,
    /// Repositories the catalog lists, when it was read.
    pub repositories: Option<Vec<String>>,
}

/// A stage that failed: the detail for its line and the findings, the
/// first of which is the error that stopped the walk.
#[derive(Debug)]
pub struct Failure {
    /// Short detail for the stage line.
    pub detail: String,
    /// Why, error first.
    pub findings: Vec<Finding>,
}

impl From<Failed> for Failure {
    fn from(f: Failed) -> Self {
        Failure {
            detail: f.detail,
            findings: vec![f.finding],
        }
    }
}

impl Failure {
    /// A failure with one finding.
    pub fn new(detail: impl Into<String>, finding: Finding) -> Self {
        Failure {
            detail: detail.into(),
            findings: vec![finding],
        }
    }
}

/// What a stage that passed hands on: its value and the detail for its line.
pub type Passed<T> = (T, String);

impl Report {
    /// An empty report for `url`.
    pub fn new(url: &str) -> Self {
        Report {
            url: url.to_string(),
            ok: true,
            stages: Vec::new(),
            findings: Vec::new(),
            repositories: None,
        }
    }

    /// Runs one stage, timed, bounded by `deadline` (then `on_timeout` is
    /// the finding), and records it. `None` when it failed: the walk stops.
    pub async fn stage<T>(
        &mut self,
        name: &'static str,
        deadline: Instant,
        on_timeout: impl FnOnce() -> Finding,
        stage: impl Future<Output = Result<Passed<T>, Failure>>,
    ) -> Option<T> {
        let started = Instant::now();
        let left = deadline.saturating_duration_since(started);
        let outcome = match tokio::time::timeout(left, stage).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Failure::new("timed out", on_timeout())),
        };
        self.record(name, started.elapsed(), outcome)
    }

    /// Records a stage that ran for `took`.
    pub fn record<T>(
        &mut self,
        name: &'static str,
        took: Duration,
        outcome: Result<Passed<T>, Failure>,
    ) -> Option<T> {
        let (ok, detail, value) = match outcome {
            Ok((value, detail)) => (true, detail, Some(value)),
            Err(f) => {
                self.findings.extend(f.findings);
                self.ok = false;
                (false, f.detail, None)
            }
        };
        self.stages.push(Stage {
            name,
            ok,
            ms: took.as_millis(),
            detail,
        });
        value
    }

    /// The report as text, a line per stage, then the findings.
    pub fn render(&self) -> String {
        let mut s = format!("verify {}\n", self.url);
        for st in &self.stages {
            s.push_str(&format!(
                "  {} {:<11} {:>5} ms  {}\n",
                if st.ok { "ok  " } else { "FAIL" },
                st.name,
                st.ms,
                st.detail
            ));
        }
        for f in &self.findings {
            s.push_str(&format!("{f}\n"));
        }
        if self.ok {
            s.push_str("the cache answers over verified TLS with a registry catalog\n");
        }
        s
    }
}
