//! `vitrina exchange list|show|rerun|held|release|discard`: the exchange history as operators
//! read it, a kept upload applied again, and the passes the safety brake held.

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

/// Prints the held passes, newest first, one per line: id, when, files, why.
pub async fn held(storage: &StorageConfig, tenant: &str, lang: Lang) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    let jobs = db.held_jobs(tenant.id).await?;
    let mut passes: Vec<(&str, i64, Vec<&str>, String)> = Vec::new();
    for job in &jobs {
        match passes.last_mut() {
            Some((key, _, files, _)) if *key == job.exchange_key => files.push(&job.name),
            _ => {
                let why = crate::exchange::stored_held(job.report.as_deref())
                    .map(|held| held.message().text(lang))
                    .unwrap_or_else(|| job.message.clone().unwrap_or_default());
                passes.push((&job.exchange_key, job.held_at, vec![&job.name], why));
            }
        }
    }
    for (key, at, files, why) in passes {
        println!("{}\t{}\t{}\t{}", short(key), utc(at), files.join(","), why);
    }
    db.close().await;
    Ok(())
}

/// Applies a held pass past the brake, from this process in the tenant's turn (or a server's
/// worker, if one claims it first), printing what each file did.
pub async fn release(
    storage: &StorageConfig,
    tenant: &str,
    id: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    let storage = storage.open().await?;
    let db = &storage.db;
    let tenant = tenants::find(db, tenant).await?;
    let batch = crate::queue::held_batch(db, tenant.id, id).await?;
    let queue = Queue::new(
        storage.imports.clone(),
        storage.files.clone(),
        Arc::default(),
    );
    let names = crate::queue::release(&queue, tenant.id, batch).await?;
    let failed = super::import::run_jobs(&queue, (tenant.id, batch), &names, false, lang).await?;
    db.close().await;
    if failed > 0 {
        return Err(super::AlreadyReported.into());
    }
    Ok(())
}

/// Discards a held pass: the catalog stays as it is.
pub async fn discard(
    storage: &StorageConfig,
    tenant: &str,
    id: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    let batch = crate::queue::held_batch(&db, tenant.id, id).await?;
    crate::queue::discard(&db, tenant.id, batch).await?;
    println!("{}", Message::PassDiscarded.text(lang));
    db.close().await;
    Ok(())
}
