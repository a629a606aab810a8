//! What an operator watches, per instance, in the Prometheus text format on its own address
//! (`--metrics-listen`): exchange calls by mode and outcome, import jobs by outcome with their
//! run time, bytes and wait in the queue, the queue's depth (shared by all instances, read from
//! the database at each scrape) and the connections of both pools.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use vitrina_store::{CallOutcome, Db, JobState};

use crate::exchange::Mode;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    /// A mode of the protocol, or `other`: a stranger cannot grow the label set.
    mode: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

/// This instance's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    jobs: Family<OutcomeLabels, Counter>,
    job_seconds: Histogram,
    job_wait_seconds: Histogram,
    job_bytes: Counter,
    queue: Family<StateLabels, Gauge>,
    connections: Family<PoolLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("vitrina");
        let calls = Family::<CallLabels, Counter>::default();
        registry.register(
            "exchange_calls",
            "Exchange calls answered, by mode and outcome",
            calls.clone(),
        );
        let jobs = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "import_jobs",
            "Import jobs this instance finished, by outcome",
            jobs.clone(),
        );
        let job_seconds = Histogram::new(exponential_buckets(0.5, 2.0, 12));
        registry.register(
            "import_seconds",
            "How long import jobs ran",
            job_seconds.clone(),
        );
        let job_wait_seconds = Histogram::new(exponential_buckets(0.1, 2.0, 14));
        registry.register(
            "import_wait_seconds",
            "How long import jobs waited in the queue",
            job_wait_seconds.clone(),
        );
        let job_bytes = Counter::default();
        registry.register(
            "import_bytes",
            "Bytes of documents imported",
            job_bytes.clone(),
        );
        let queue = Family::<StateLabels, Gauge>::default();
        registry.register(
            "import_queue_jobs",
            "Import jobs queued and running, every instance",
            queue.clone(),
        );
        let connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_connections",
            "Database connections of this instance's pools",
            connections.clone(),
        );
        Self {
            registry,
            calls,
            jobs,
            job_seconds,
            job_wait_seconds,
            job_bytes,
            queue,
            connections,
        }
    }
}

impl Metrics {
    /// Counts an exchange call.
    pub fn call(&self, mode: &str, outcome: CallOutcome) {
        let labels = CallLabels {
            mode: mode.parse().map_or("other", Mode::as_str),
            outcome: outcome.as_str(),
        };
        self.calls.get_or_create(&labels).inc();
    }

    /// Counts a finished import job: its outcome, run time, wait and bytes.
    pub fn job(&self, outcome: JobState, seconds: f64, waited_seconds: f64, bytes: u64) {
        let outcome = outcome.as_str();
        self.jobs.get_or_create(&OutcomeLabels { outcome }).inc();
        self.job_seconds.observe(seconds);
        self.job_wait_seconds.observe(waited_seconds);
        self.job_bytes.inc_by(bytes);
    }

    /// The text exposition, with the queue's depth and the pools read now.
    pub async fn render(&self, requests: &Db, imports: &Db) -> String {
        match requests.queue_depth().await {
            Ok((queued, running)) => {
                self.queue
                    .get_or_create(&StateLabels {
                        state: JobState::Queued.as_str(),
                    })
                    .set(queued);
                self.queue
                    .get_or_create(&StateLabels {
                        state: JobState::Running.as_str(),
                    })
                    .set(running);
            }
            Err(err) => tracing::warn!(error = %err, "could not read the queue's depth"),
        }
        for (pool, db) in [("requests", requests), ("imports", imports)] {
            let (open, idle) = db.connections();
            let set = |state, value: u32| {
                self.connections
                    .get_or_create(&PoolLabels { pool, state })
                    .set(i64::from(value));
            };
            set("busy", open.saturating_sub(idle));
            set("idle", idle);
        }
        let mut text = String::new();
        if let Err(err) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(error = %err, "could not encode the metrics");
        }
        text
    }
}
