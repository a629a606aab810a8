//! `vitrina exchange list|show|rerun`: the exchange history as operators read it, and a
//! kept upload applied again.

use std::sync::Arc;

use crate::bootstrap::StorageConfig;
use crate::clock::utc;
use crate::domain::{DomainError, tenants};
use crate::exchange::stored_outcome;
use crate::i18n::{Lang, Message};
use crate::queue::Queue;

/// How many exchanges `list` shows.
const LISTED: i64 = 50;

/// Prints the newest exchanges, one per line.
pub async fn list(storage: &StorageConfig, tenant: &str) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    for exchange in db.list_exchanges(tenant.id, LISTED).await? {
        println!(
            "{}\t{}\t{}\t{}\t{} calls\t{} failures\t{} bytes",
            short(&exchange.exchange_key),
            utc(exchange.started_at),
            exchange.employee.as_deref().unwrap_or("-"),
            exchange.client_ip,
            exchange.calls,
            exchange.failures,
            exchange.bytes,
        );
    }
    db.close().await;
    Ok(())
}

/// Prints every call of one exchange (its id as `list` shows it, or any unique prefix).
pub async fn show(
    storage: &StorageConfig,
    tenant: &str,
    id: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    let calls = db.exchange_calls(tenant.id, id).await?;
    if calls.is_empty() {
        return Err(DomainError::NotFound(Message::UnknownExchange { id: id.to_owned() }).into());
    }
    for call in calls {
        let message = call.message.unwrap_or_default().replace('\n', " ");
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            utc(call.at),
            call.kind,
            call.mode,
            call.filename.unwrap_or_default(),
            call.bytes.map(|b| b.to_string()).unwrap_or_default(),
            call.outcome,
            message,
        );
    }
    // What each import did: its counts, warnings with their lines, or why it failed.
    for job in db.exchange_imports(tenant.id, id).await? {
        let seconds = job
            .finished_at
            .map(|end| crate::clock::seconds(end - job.started_at))
            .unwrap_or_else(|| "-".to_owned());
        println!();
        println!("{}\t{}\t{seconds}", job.name, job.state);
        let (_, lines) = stored_outcome(&job, lang);
        super::import::print_indented(&lines);
    }
    db.close().await;
    Ok(())
}

/// The id `list` prints: enough of the key to tell exchanges apart.
fn short(key: &str) -> &str {
    key.get(..12).unwrap_or(key)
}

/// Applies again the files an exchange imported, from its kept upload batch, in the order the
/// client imported them: queued as jobs again, and run by this process in the tenant's turn
/// (or by a server's worker, if one claims them first).
pub async fn rerun(
    storage: &StorageConfig,
    tenant: &str,
    id: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    let storage = storage.open().await?;
    let db = &storage.db;
    let tenant = tenants::find(db, tenant).await?;
    let unknown = || DomainError::NotFound(Message::UnknownExchange { id: id.to_owned() });
    let batch = db
        .batch_of_exchange(tenant.id, id)
        .await?
        .ok_or_else(unknown)?;
    let queue = Queue::new(
        storage.imports.clone(),
        storage.files.clone(),
        Arc::default(),
    );
    let names = match crate::queue::rerun(&queue, tenant.id, batch).await {
        Err(DomainError::NotFound(_)) => {
            return Err(
                DomainError::NotFound(Message::NothingToRerun { id: id.to_owned() }).into(),
            );
        }
        other => other?,
    };
    let failed = super::import::run_jobs(&queue, (tenant.id, batch), &names, false, lang).await?;
    db.close().await;
    if failed > 0 {
        return Err(super::AlreadyReported.into());
    }
    Ok(())
}
