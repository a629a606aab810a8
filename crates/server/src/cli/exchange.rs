//! `vitrina exchange list|show`: the exchange history as operators read it.

use crate::bootstrap::StorageConfig;
use crate::domain::tenants;

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
pub async fn show(storage: &StorageConfig, tenant: &str, id: &str) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    for call in db.exchange_calls(tenant.id, id).await? {
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
    db.close().await;
    Ok(())
}

/// The id `list` prints: enough of the key to tell exchanges apart.
fn short(key: &str) -> &str {
    key.get(..12).unwrap_or(key)
}

/// `2026-11-29T05:42:07Z` for Unix milliseconds.
fn utc(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_795_926_012_220), "2026-11-29T04:20:12Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}
